"""`brochure check --pdf` on every layout in every language, built once for the session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from brochure import LAYOUTS, Project, qa
from brochure.cli import main

LANGUAGES = ("en", "es", "zh-Hans", "vi", "tl", "ar", "ko", "ru", "fr", "pt", "hi")


@pytest.fixture(scope="session")
def problems(matrix: Path, repo: Project) -> list[qa.PdfProblem]:
    return qa.check_pdfs(matrix, repo)


def test_the_matrix_has_every_layout_in_every_language(matrix: Path) -> None:
    # Each file is named <document>-<layout>.pdf: the mild document in every
    # layout, and maple-hollow's own Your visit, a booklet only (its content
    # file says so), in every language the clinic offers.
    built: dict[str, set[tuple[str, str]]] = {}
    for path in (matrix / "maple-hollow").rglob("*.pdf"):
        named = re.fullmatch(r"(mild|your-visit)-(.+)", path.stem)
        assert named, path
        built.setdefault(named[1], set()).add((path.parent.name, named[2]))
    assert built == {
        "mild": {(language, layout) for language in LANGUAGES for layout in LAYOUTS},
        "your-visit": {(language, "booklet") for language in LANGUAGES}}


@pytest.mark.parametrize("kind", ["font", "PDF/UA", "link", "title", "document language",
                                  "is not tagged", "KiB", "empty heading"])
def test_no_structural_problem(problems: list[qa.PdfProblem], kind: str) -> None:
    found = [str(problem) for problem in problems
             if kind in problem.message and "text layer lacks" not in problem.message]
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
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


def test_a_paragraph_over_a_page_break_reads_as_one(tmp_path: Path) -> None:
    # The Korean booklet's preparation paragraph goes on over a page: the space
    # that joins the pages must go like the spaces at the end of a line.
    import weasyprint

    html = ('<html lang="ko"><body style="font-size: 14pt"><p>알려 주십시오.</p>'
            '<p style="break-before: page">엑스레이 조영제</p>')
    path = tmp_path / "ko.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    expected = qa.normalise("알려 주십시오. 엑스레이 조영제")
    assert qa.text_layer(path) == expected


def test_a_text_read_between_the_lines_of_another_block_is_found() -> None:
    # The Arabic booklet: poppler reads the web address beside the QR code's caption
    # between the caption's two lines; each line reads right.
    read = ["الموقع الإلكتروني", "امسح هذا الرمز بكاميرا هاتفك", "www.harbourviewpain.example",
            "لحجز موعد.", "هذا الكتيّب متوفر باللغات التالية"]
    assert qa._reads_in_lines("امسح هذا الرمز بكاميرا هاتفك لحجز موعد.", read)
    assert qa._reads_in_lines("والرمز بكاميرا هاتفك لحجز موعد.", read) is False
    # A line that reads wrong is still missing: the en dash at a line end read "4– 6".
    assert qa._reads_in_lines("через 4–6 недель.", ["через 4–", "6 недель."]) is False
    assert qa._reads_in_lines("через 4– 6 недель.", ["через 4–", "6 недель."])


def test_a_text_beside_another_block_is_found_line_by_line() -> None:
    # The Hindi handout: poppler joins each line of the footnote with the line of the
    # sources beside it; drawn (pdftotext -raw) the footnote's lines are together.
    drawn = ["mild®, vertos medical का रजिस्टर्ड ट्रेडमार्क है। यह जानकारी vertos",
             "medical की ओर से नहीं है।", "स्रोत", "staats ps, et al. reg anesth pain med"]
    read = ("mild®, vertos medical का रजिस्टर्ड ट्रेडमार्क है। यह जानकारी vertos स्रोत "
            "staats ps, et al. reg anesth pain med medical की ओर से नहीं है।")
    text = "mild®, Vertos Medical का रजिस्टर्ड ट्रेडमार्क है। यह जानकारी Vertos Medical की ओर से नहीं है।"
    assert qa._reads_in_pieces(text, drawn, read)
    # A word split in poppler's reading ("दे खभाल") is still missing.
    assert qa._reads_in_pieces("उसकी देखभाल करें।", ["उसकी देखभाल करें।"], "उसकी दे खभाल करें।") \
        is False
