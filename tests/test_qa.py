"""`brochure check --pdf` on every layout in every language, built once for the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from brochure import LAYOUTS, Project, qa
from brochure.cli import main

LANGUAGES = ("en", "es", "zh-Hans", "vi", "tl", "ar", "ko", "ru", "fr", "pt", "hi")
#: Languages whose booklet text layer misses the 98% target in pdftotext (see test).
BELOW_TARGET = {
    "ar": "poppler orders right-to-left lines by its own simplified bidi (punctuation and "
          "numbers at run edges land on the wrong side)",
}


@pytest.fixture(scope="session")
def problems(matrix: Path, repo: Project) -> list[qa.PdfProblem]:
    return qa.check_pdfs(matrix, repo)


def test_the_matrix_has_every_layout_in_every_language(matrix: Path) -> None:
    built = {(path.parent.name, path.stem.split("-", 1)[1])
             for path in (matrix / "maple-hollow").rglob("*.pdf")}
    assert built == {(language, layout) for language in LANGUAGES for layout in LAYOUTS}


@pytest.mark.parametrize("kind", ["font", "PDF/UA", "link", "title", "document language",
                                  "is not tagged", "KiB", "empty heading"])
def test_no_structural_problem(problems: list[qa.PdfProblem], kind: str) -> None:
    found = [str(problem) for problem in problems
             if kind in problem.message and "text layer lacks" not in problem.message]
    assert found == []


@pytest.mark.parametrize("language", [
    pytest.param(code, marks=pytest.mark.xfail(reason=BELOW_TARGET[code], strict=True))
    if code in BELOW_TARGET else code for code in LANGUAGES])
def test_booklet_text_layer_has_the_catalog_texts(matrix: Path, repo: Project,
                                                  language: str) -> None:
    total, missing = qa.text_coverage(matrix / "maple-hollow" / language / "mild-booklet.pdf",
                                      repo)
    assert (total - len(missing)) / total >= 0.98, missing


def test_check_pdf_command_passes_a_clean_folder(matrix: Path, repo: Project) -> None:
    result = CliRunner().invoke(main, ["--project", str(repo.root), "check", "--pdf",
                                       str(matrix / "maple-hollow" / "en")])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_check_pdf_names_file_and_page_of_each_defect(tmp_path: Path, matrix: Path,
                                                      repo: Project) -> None:
    import pikepdf

    source = matrix / "maple-hollow" / "en" / "mild-handout.pdf"
    target = tmp_path / "maple-hollow" / "en" / "mild-handout.pdf"
    target.parent.mkdir(parents=True)
    with pikepdf.open(source) as pdf:
        del pdf.Root["/Lang"]
        del pdf.docinfo["/Title"]
        pdf.save(target)
    result = CliRunner().invoke(main, ["--project", str(repo.root), "check", "--pdf",
                                       str(tmp_path)])
    assert result.exit_code == 1
    assert "mild-handout.pdf: no /Title" in result.output
    assert "document language (/Lang) is 'missing'" in result.output


def test_check_pdf_on_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--pdf", str(tmp_path)])
    assert result.exit_code == 1
    assert "no PDF files found" in result.output
