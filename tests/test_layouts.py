"""Every layout in every language, on both paper sizes, read back from the PDFs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from brochure import (
    BuildFailed,
    BuildOptions,
    BuildResult,
    Project,
    RenderError,
    RenderOptions,
    build,
    load_catalog,
    load_clinic,
    load_document,
    markup,
)
from brochure.imposition import sheet_order

from . import pdfcheck
from .test_i18n import _set_translation

MM = 72 / 25.4
SIZES = {"Letter": (612.0, 792.0), "A4": (595.28, 841.89)}


def test_the_shipped_matrix_prints_nothing_in_english(
        everything_result: tuple[Path, BuildResult]) -> None:
    out, result = everything_result
    assert result.failures == []
    # 68 mild PDFs (both clinics, every layout and language) and maple-hollow's
    # own Your visit booklet in its 11 languages.
    assert len(result.outputs) == len(list(out.rglob("*.pdf"))) == 68 + 11
    # The mild documents are translated in full: no shared text in English.
    assert [key for key in result.fallbacks if ":" not in key] == []
    # The clinic's own catalogs: its notes (printed in the mild documents) are
    # translated in full; its Your visit document only in en and es, on purpose.
    # Exactly what a catalog leaves untranslated falls back to English, and
    # only Your visit's texts.
    from brochure.i18n import read_po_file

    locales = Path(__file__).resolve().parent.parent / "clinics" / "maple-hollow" / "locales"
    texts = {(entry.context, entry.msgid): entry.references
             for entry in read_po_file(locales / "maple-hollow.pot").entries if entry.msgid}
    expected = {}
    for language in load_clinic(locales.parent.with_suffix(".yaml")).languages:
        if language == "en":
            continue
        catalog = load_catalog(locales, language, "maple-hollow")
        missing = sorted((key for key in texts if key not in catalog.messages),
                         key=lambda key: (key[0] or "", key[1]))
        assert all("your-visit.yaml" in reference for key in missing
                   for reference in texts[key]), (language, missing)
        if missing:
            expected[f"maple-hollow:{language}"] = missing
    assert "maple-hollow:es" not in expected
    assert {key: sorted(value, key=lambda key: (key[0] or "", key[1]))
            for key, value in result.fallbacks.items()} == expected


def _cases(repo_root: Path = Path(__file__).resolve().parent.parent) -> list[tuple[str, str]]:
    cases = []
    for profile in sorted((repo_root / "clinics").glob("*.yaml")):
        clinic = load_clinic(profile)
        cases.extend((clinic.id, language) for language in clinic.languages)
    return cases


@pytest.mark.parametrize(("clinic_id", "language"), _cases())
def test_every_layout_builds_with_the_right_pages(everything: Path, repo: Project,
                                                  clinic_id: str, language: str) -> None:
    clinic = load_clinic(repo.clinics_dir / f"{clinic_id}.yaml")
    portrait = SIZES[clinic.paper]
    folder = everything / clinic_id / language
    for layout, (low, high), size in [
        ("booklet", (8, 24), portrait),
        ("large-print", (10, 30), portrait),
        ("handout", (1, 2), portrait),
        ("trifold", (2, 2), (portrait[1], portrait[0])),
    ]:
        reader = PdfReader(folder / f"mild-{layout}.pdf")
        assert low <= len(reader.pages) <= high, (layout, len(reader.pages))
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == \
                pytest.approx(size, abs=0.5), layout
        assert reader.trailer["/Root"]["/Lang"] == language


def _words(path: Path, page: int) -> list[dict[str, float | str]]:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[page].extract_words()


def _third(x: float, width: float) -> int:
    return int(3 * x // width)


@pytest.mark.parametrize(("language", "cover_third", "faq_third"),
                         [("en-GB", 2, 2), ("ar", 0, 0)])
def test_trifold_panels_are_where_the_fold_needs_them(everything: Path, language: str,
                                                      cover_third: int,
                                                      faq_third: int) -> None:
    path = everything / "harbourview" / language / "mild-trifold.pdf"  # en-GB: a UK clinic
    with pdfplumber.open(path) as pdf:
        outside, inside = pdf.pages
        width = float(outside.width)
        mild = [w for w in outside.extract_words() if "mild" in w["text"]]
        largest = max(mild, key=lambda w: w["bottom"] - w["top"])  # the cover title
        assert _third(largest["x0"], width) == cover_third
        phone = [w for w in outside.extract_words() if "7946" in w["text"]]
        assert {_third(w["x0"], width) for w in phone} == {1} or cover_third in {
            _third(w["x0"], width) for w in phone}
        links = [a for a in inside.annots or [] if a.get("uri", "").startswith("tel:")]
        assert links, "the FAQ panel's phone number is a link"
        assert {_third(float(a["x0"]), width) for a in links} <= {faq_third, 1}


def test_arabic_text_is_right_aligned(everything: Path) -> None:
    def edges(language: str) -> tuple[float, list[float], list[float]]:
        path = everything / "maple-hollow" / language / "mild-booklet.pdf"
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[2]
            lines = [line for line in page.extract_text_lines()
                     if line["top"] < page.height - 25 * MM]
            return (float(page.width), sorted(line["x0"] for line in lines),
                    sorted(line["x1"] for line in lines))
    width, en_lefts, en_rights = edges("en")
    _, ar_lefts, ar_rights = edges("ar")
    # The booklet keeps its column at 158 mm (50-75 characters a line, issue 9):
    # 29 mm margins on Letter.
    margin = (width - 158 * MM) / 2
    # English lines start at the left margin and end ragged; Arabic the other way round.
    assert en_lefts[0] == pytest.approx(margin, abs=2 * MM)
    assert ar_rights[-1] == pytest.approx(width - margin, abs=2 * MM)
    assert en_rights[-1] < width - margin + 2 * MM
    assert ar_lefts[0] > margin - 2 * MM
    middle = len(ar_lefts) // 2
    assert ar_lefts[middle] - ar_lefts[0] > 10 * MM   # ragged left edge
    assert en_rights[-1] - en_rights[len(en_rights) // 2] > 10 * MM  # ragged right edge


@pytest.mark.parametrize(("language", "face"), [("zh-Hans", "CJK-SC"), ("ko", "CJK-KR")])
def test_han_uses_the_regional_face(everything: Path, language: str, face: str) -> None:
    fonts = pdfcheck.fonts(everything / "maple-hollow" / language / "mild-booklet.pdf")
    names = [font["name"] for font in fonts]
    assert any(face in name for name in names), names
    assert not any("CJK-JP" in name or "CJK-TC" in name for name in names)


def test_large_print_body_is_at_least_16pt(everything: Path) -> None:
    path = everything / "maple-hollow" / "en" / "mild-large-print.pdf"
    with pdfplumber.open(path) as pdf:
        # Every page but the covers (the logo's own lettering is artwork); above the footer.
        chars = [char for page in pdf.pages[1:-1] for char in page.chars
                 if char["text"].strip() and char["top"] < page.height - 25 * MM]
    sizes = [round(char["size"], 1) for char in chars]
    assert max(set(sizes), key=sizes.count) >= 16
    # Only the numbers inside the drawings' markers are smaller than 16 pt.
    small = {char["text"] for char in chars if char["size"] < 15.95}
    assert small <= set("12345"), small


def test_handout_fields_are_filled_or_left_blank(project: Project, tmp_path: Path) -> None:
    options = dict(clinics=("maple-hollow",), languages=("es",), layouts=("handout",),
                   out=tmp_path)
    [blank] = build(BuildOptions(**options), project).outputs
    [filled] = build(BuildOptions(**options, fields=(
        ("patient", "Rosa Delgado"), ("date", "2026-12-03"), ("time", "07:30"))),
        project).outputs
    assert blank.name == "mild-handout.pdf" and filled.name == "mild-handout-filled.pdf"
    blank_text, filled_text = pdfcheck.text(blank), pdfcheck.text(filled)
    assert "Rosa Delgado" not in blank_text
    assert "Rosa Delgado" in filled_text
    assert "3 de diciembre de 2026" in filled_text
    assert "7:30" in filled_text


def test_an_overflowing_panel_is_an_error_and_no_pdf(project: Project, tmp_path: Path) -> None:
    long_text = " ".join(["Una frase muy larga que no cabe en el panel."] * 40)
    _set_translation(project, "es", "recovery.many-people-go", long_text)
    with pytest.raises(BuildFailed) as caught:
        build(BuildOptions(clinics=("maple-hollow",), languages=("es",),
                           layouts=("trifold",), out=tmp_path), project)
    message = str(caught.value)
    assert ('while building maple-hollow/es/trifold: '
            'panel "recovery + risks" overflows by') in message
    assert caught.value.line and str(caught.value.file).endswith("mild.yaml")
    assert not list(tmp_path.rglob("*.pdf"))


def test_sheet_order_folds_into_page_order() -> None:
    assert sheet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert sheet_order(4, right_to_left=True) == [(0, 3), (2, 1)]
    with pytest.raises(RenderError):
        sheet_order(6)


def test_print_ready_booklet_has_bleed_marks_and_an_imposed_copy(repo: Project,
                                                                tmp_path: Path) -> None:
    result = build(BuildOptions(clinics=("harbourview",), languages=("en-GB",),
                                layouts=("booklet",), out=tmp_path, print_ready=True), repo)
    printed, imposed, office = result.outputs
    assert printed.name == "mild-booklet-print.pdf"
    assert (imposed.name, office.name) == ("mild-booklet-imposed.pdf",
                                           "mild-booklet-imposed-office.pdf")
    reader = PdfReader(printed)
    pages = len(reader.pages)
    assert pages % 4 == 0
    page = reader.pages[0]
    trim = (float(page.trimbox.width), float(page.trimbox.height))
    assert trim == pytest.approx((148 * MM, 210 * MM), abs=0.5)  # A5 on A4
    bleed = float(page.bleedbox.width) - trim[0]
    assert bleed == pytest.approx(6 * MM, abs=0.5)
    # The office sheets: A4 landscape, two pages a side, in folding order.
    sheets = PdfReader(office)
    assert len(sheets.pages) == pages // 2
    first = sheets.pages[0]
    assert float(first.mediabox.width) == pytest.approx(297 * MM, abs=0.5)  # A4 landscape
    assert float(first.mediabox.height) == pytest.approx(210 * MM, abs=0.5)
    # Sheet 1, front: the back cover on the left half, the front cover on the right.
    left = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-x", "0", "-y", "0",
                           "-W", str(int(148 * MM)), "-H", str(int(210 * MM)),
                           str(office), "-"], capture_output=True, text=True).stdout
    right = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-x", str(int(148 * MM)),
                            "-y", "0", "-W", str(int(148 * MM)), "-H", str(int(210 * MM)),
                            str(office), "-"], capture_output=True, text=True).stdout
    assert "Questions? We are here to help" in left
    assert "The mild® procedure" in right and "Questions?" not in right


def _word_keys(text: str) -> set[str]:
    # pdftotext gives right-to-left words in visual order and Devanagari vowel
    # signs out of logical order: compare words by their letters.
    return {"".join(sorted(word)) for word in re.findall(r"\w+", text)}


@pytest.mark.parametrize(("clinic_id", "language"), _cases())
def test_each_booklet_shows_its_own_title_and_headings(everything: Path, repo: Project,
                                                       clinic_id: str, language: str) -> None:
    document = load_document(repo.content_dir / "mild.yaml")
    catalog = load_catalog(repo.locales_dir, language)
    text = pdfcheck.text(everything / clinic_id / language / "mild-booklet.pdf")
    keys = _word_keys(text)
    wanted = [document.title] + [s.heading for s in document.sections if not s.layouts]
    for source in wanted:
        translated = markup.plain(catalog.pgettext(source.context, source.msgid))
        if language in ("ar", "hi"):
            assert _word_keys(translated) <= keys, translated
        else:
            assert " ".join(translated.split()) in text, translated


@pytest.mark.parametrize("clinic_id", ["maple-hollow", "harbourview"])
def test_large_print_colours_reach_7_to_1(repo: Project, clinic_id: str) -> None:
    from brochure.clinic import contrast_ratio
    from brochure.i18n import Lookups
    from brochure.layouts import LAYOUTS
    from brochure.localise import Page, template_context

    clinic = load_clinic(repo.clinics_dir / f"{clinic_id}.yaml")
    document = load_document(repo.content_dir / "mild.yaml")
    catalogs = {"en": load_catalog(repo.locales_dir, "en")}
    page = Page(document, clinic, "en", LAYOUTS["large-print"], RenderOptions(), catalogs,
                repo.templates_dir, repo.assets_dir)
    context = template_context(page, Lookups(catalogs))
    for colour in context["colours"].values():
        assert contrast_ratio(colour, "#ffffff") >= 7.0
