"""Integration: build real PDFs and read them back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from brochure import BuildFailed, BuildOptions, Project, build, load_clinic, load_document

from . import pdfcheck

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)


def test_booklet_is_written_where_the_contract_says(english_booklet: Path) -> None:
    assert english_booklet.name == "mild-booklet.pdf"
    assert english_booklet.parent.name == "en"
    assert english_booklet.parent.parent.name == "maple-hollow"


def test_booklet_text_has_every_heading_and_question(english_booklet: Path,
                                                     repo: Project) -> None:
    document = load_document(repo.content_dir / "mild.yaml")
    text = pdfcheck.text(english_booklet)
    for section in document.sections:
        if section.layouts:
            assert section.heading.msgid not in text
            continue
        assert section.heading.msgid in text
        for block in section.blocks:
            if block.kind == "question":
                assert block.text is not None and block.text.msgid in text
    clinic = load_clinic(repo.clinics_dir / "maple-hollow.yaml")
    assert clinic.phone in text and clinic.name in text
    assert "{phone}" not in text and "**" not in text


def test_metadata_language_tags_and_outline(english_booklet: Path, repo: Project) -> None:
    reader = PdfReader(english_booklet)
    document = load_document(repo.content_dir / "mild.yaml")
    info = reader.metadata
    assert info is not None
    assert info.title == "The mild® procedure – Booklet – English"
    assert info.author == "Maple Hollow Spine & Pain Clinic"
    assert info.subject == document.subtitle.msgid
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    full_sections = [s.heading.msgid for s in document.sections if not s.layouts]
    assert pdfcheck.outline_titles(reader) == full_sections


def test_page_size_follows_the_clinic_paper(english_booklet: Path) -> None:
    reader = PdfReader(english_booklet)
    for index in range(len(reader.pages)):
        assert pdfcheck.page_size_pt(reader, index) == pytest.approx(LETTER, abs=0.5)
    # The revised content (key points, questions to ask, two figures) and
    # the clinic's notes make 20 pages; a booklet folds in multiples of 4.
    assert 8 <= len(reader.pages) <= 20 and len(reader.pages) % 4 == 0


def test_fonts_are_embedded_and_subset(english_booklet: Path) -> None:
    fonts = pdfcheck.fonts(english_booklet)
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes", font
        assert font["sub"] == "yes", font
        assert "+" in font["name"]


def test_links_are_clickable(english_booklet: Path, repo: Project) -> None:
    clinic = load_clinic(repo.clinics_dir / "maple-hollow.yaml")
    uris = pdfcheck.link_uris(PdfReader(english_booklet))
    assert clinic.booking_url in uris
    assert clinic.website in uris
    assert clinic.tel_url in uris


def test_builds_are_byte_identical(english_booklet: Path, repo: Project,
                                   tmp_path: Path) -> None:
    result = build(BuildOptions(clinics=("maple-hollow",), languages=("en",),
                                layouts=("booklet",), out=tmp_path), repo)
    [path] = [path for path in result.outputs if path.name == "mild-booklet.pdf"]
    assert path.read_bytes() == english_booklet.read_bytes()


def test_a4_clinic_gets_a4_pages(project: Project) -> None:
    profile = project.clinics_dir / "maple-hollow.yaml"
    profile.write_text(profile.read_text().replace("paper: Letter", "paper: A4"))
    result = build(BuildOptions(clinics=("maple-hollow",), languages=("en",),
                                layouts=("booklet",), out=project.root / "dist"), project)
    reader = PdfReader(result.outputs[0])
    assert pdfcheck.page_size_pt(reader) == pytest.approx(A4, abs=0.5)


def test_a_forbidden_url_stops_the_build_and_leaves_no_pdf(project: Project) -> None:
    template = project.templates_dir / "booklet.css"
    template.write_text(template.read_text()
                        + '\n.cover { background: url("file:///etc/passwd"); }\n')
    out = project.root / "dist"
    with pytest.raises(BuildFailed) as caught:
        build(BuildOptions(clinics=("maple-hollow",), languages=("en",), out=out), project)
    assert "file:///etc/passwd" in str(caught.value)
    assert "maple-hollow/en/booklet" in str(caught.value)
    # Both layouts that use booklet.css failed, and left nothing; the others built.
    assert "maple-hollow/en/large-print" in str(caught.value)
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*")
                     if path.is_file())
    # The library page lists what was built, the failed layouts not.
    assert written == [".brochure-manifest.json", "index.html",
                       "maple-hollow/en/mild-handout.pdf", "maple-hollow/en/mild-trifold.pdf",
                       "thumbnails/library.json", "thumbnails/maple-hollow/en/mild-handout.png",
                       "thumbnails/maple-hollow/en/mild-trifold.png"]


def test_a_failed_build_keeps_the_previous_pdf(project: Project) -> None:
    out = project.root / "dist"
    options = BuildOptions(clinics=("maple-hollow",), languages=("en",), layouts=("booklet",),
                           out=out)
    [path] = [path for path in build(options, project).outputs
              if path.name == "mild-booklet.pdf"]
    before = path.read_bytes()
    style = project.templates_dir / "booklet.css"
    style.write_text('@import url("https://example.com/x.css");\n' + style.read_text())
    with pytest.raises(BuildFailed):
        build(options, project)
    assert path.read_bytes() == before
    # Only the clinic's two booklets (mild and its own Your visit), no partial file.
    assert sorted(os.listdir(path.parent)) == ["mild-booklet.pdf", "your-visit-booklet.pdf"]
    assert sorted(os.listdir(out)) == [".brochure-manifest.json", "index.html", "maple-hollow",
                                       "thumbnails"]
