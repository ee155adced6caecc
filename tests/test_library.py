"""The library page: what it lists, the static dist/index.html, thumbnails drawn when needed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from brochure import BuildOptions, Project, build
from brochure import library as library_module
from brochure.library import INDEX, THUMBNAILS, english_name, fold, scan


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.languages: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            if found.get(name):
                self.links.append(str(found[name]))
        if tag == "span" and found.get("class") == "own":
            self.languages.append(found)


def _build(project: Project, **options: object) -> Path:
    out = project.root / "dist"
    build(BuildOptions(out=out, jobs=1, **options), project)  # type: ignore[arg-type]
    return out


def test_the_build_writes_a_static_library_page_with_relative_links(small: Project) -> None:
    out = _build(small, layouts=("trifold", "handout"))
    page = (out / INDEX).read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    files = [link for link in parser.links if not link.startswith("#")]
    assert files, "the page links to nothing"
    for link in files:
        assert not re.match(r"^[a-z]+:|^/", link), link  # relative: works from a shared drive
        assert (out / link).is_file(), link
    assert {Path(link).suffix for link in files} == {".pdf", ".png"}
    # Every language by its own name, with lang and dir (Arabic reads right to left).
    assert list(dict.fromkeys((item["lang"], item["dir"]) for item in parser.languages)) == [
        ("en", "ltr"), ("es", "ltr"), ("ar", "rtl")]
    assert "<style>" in page and "<script>" in page  # one file: nothing else to copy
    assert 'download="demo-demo-trifold-ar-arabic.pdf"' in page


def test_what_the_library_lists(small: Project) -> None:
    out = _build(small, languages=("es", "ar"), layouts=("booklet",))
    shelf = scan(out, small)
    [clinic] = shelf.clinics
    assert (clinic.id, clinic.name) == ("demo", "Demo Clinic")
    assert [(group.code, group.name, group.english, group.direction)
            for group in clinic.languages] == [
        ("es", "[es] Name of this language", "Spanish", "ltr"),
        ("ar", "[عربي] Name of this language", "Arabic", "rtl")]
    entry = clinic.languages[0].entries[0]
    assert (entry.path, entry.pages, entry.paper, entry.label) == (
        "demo/es/demo-booklet.pdf", 4, "A4", "Booklet")
    assert entry.download_name == "demo-demo-booklet-es-spanish.pdf"
    assert entry.thumbnail == f"{THUMBNAILS}/demo/es/demo-booklet.png"
    assert entry.size == (out / entry.path).stat().st_size
    assert clinic.languages[0].search == "es [es] name of this language spanish"
    assert shelf.files == {"demo/es/demo-booklet.pdf", "demo/ar/demo-booklet.pdf",
                           "thumbnails/demo/es/demo-booklet.png",
                           "thumbnails/demo/ar/demo-booklet.png"}


def test_a_build_that_changed_nothing_draws_and_writes_nothing(
        small: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _build(small, languages=("es",), layouts=("trifold", "handout"))
    library_files = sorted(path for path in out.rglob("*")
                           if path.is_file() and (path.name == INDEX or THUMBNAILS in path.parts))
    times = {path: path.stat().st_mtime_ns for path in library_files}

    def no_drawing(pdf: Path, thumbnail: Path) -> None:
        raise AssertionError(f"{pdf} drawn again")

    monkeypatch.setattr(library_module, "_draw_cover", no_drawing)
    _build(small, languages=("es",), layouts=("trifold", "handout"))
    assert {path: path.stat().st_mtime_ns for path in library_files} == times


def test_only_the_changed_pdf_gets_a_new_thumbnail(small: Project,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _build(small, languages=("es",), layouts=("trifold", "handout"))
    drawn: list[str] = []
    draw = library_module._draw_cover

    def counting(pdf: Path, thumbnail: Path) -> tuple[int, int] | None:
        drawn.append(pdf.name)
        return draw(pdf, thumbnail)

    monkeypatch.setattr(library_module, "_draw_cover", counting)
    from .synthetic import set_translation

    set_translation(small, "es", "checklist.bring-list", "[es] Traiga su lista de medicinas.")
    _build(small, languages=("es",), layouts=("trifold", "handout"))
    assert drawn == ["demo-handout.pdf"]


def test_a_patients_handout_is_never_listed_or_drawn(small: Project) -> None:
    out = small.root / "dist"
    build(BuildOptions(out=out, jobs=1, languages=("es",), clinics=("demo",),
                       layouts=("handout",), fields=(("patient", "Ana Ortega"),)), small)
    assert [path.name for path in out.rglob("*.pdf")] == ["demo-handout-filled.pdf"]
    assert not (out / INDEX).exists() and not (out / THUMBNAILS).exists()
    _build(small, languages=("es",), layouts=("trifold",))
    shelf = scan(out, small)
    assert [entry.path for entry in shelf.entries()] == ["demo/es/demo-trifold.pdf"]
    assert "filled" not in (out / INDEX).read_text(encoding="utf-8")
    assert not list((out / THUMBNAILS).rglob("*handout*"))


def test_language_names_and_folding() -> None:
    assert english_name("zh-Hans") == "Simplified Chinese"
    assert english_name("tl") == "Tagalog"
    assert english_name("pt-BR") == "Brazilian Portuguese"
    assert english_name("vi") == "Vietnamese"
    assert fold("Español") == "espanol"
    assert fold("Tiếng Việt") == "tieng viet"
    assert fold("РУССКИЙ") == fold("русский")  # й loses its breve too, on both sides
