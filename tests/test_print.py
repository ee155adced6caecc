"""Print quality, read from the built PDFs: what a print shop or a 75-year-old reader sees.

The shipped matrix (every layout, language and clinic) is built once for the
session (conftest.py's ``everything``); a print-ready subset too. Each
check of brochure/printqa.py runs once on every file, and each test asks one
check's findings. The other tests show that each check can fail: they make a
PDF with the defect and expect the check to name it.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from weasyprint import HTML

from brochure import BuildOptions, BuildResult, Project, build, layouts, printqa, qa
from brochure.imposition import SHEETS, impose_booklet
from brochure.layouts import LAYOUTS

MM = 72 / 25.4
ROOT = Path(__file__).resolve().parent.parent
#: A print-ready subset: the scripts that differ (Latin, Arabic, Han, Devanagari,
#: Cyrillic, and the longest, Tagalog), both clinics, the folded layouts. The
#: clinics' English is en at maple-hollow and en-GB at harbourview.
PRINT_LANGUAGES = ("en", "en-GB", "ar", "zh-Hans", "hi", "ru", "tl")
PRINT_LAYOUTS = ("booklet", "trifold")


def _findings(folder: Path, repo: Project) -> dict[str, list[str]]:
    sources = qa._Sources(repo)
    found: dict[str, list[str]] = defaultdict(list)
    files = sorted(folder.rglob("*.pdf"))
    assert files
    for path in files:
        target = printqa.target_of(qa._parse_name(path), sources)
        assert target is not None, path
        for check, message, page in printqa.run_by_check(path, target):
            found[check].append(f"{path.relative_to(folder)} page {page}: {message}")
    return found


@pytest.fixture(scope="session")
def matrix_findings(everything: Path, repo: Project) -> dict[str, list[str]]:
    return _findings(everything, repo)


@pytest.fixture(scope="session")
def print_ready_result(tmp_path_factory: pytest.TempPathFactory, repo: Project
                       ) -> tuple[Path, BuildResult]:
    out = tmp_path_factory.mktemp("print-ready")
    return out, build(BuildOptions(out=out, print_ready=True, languages=PRINT_LANGUAGES,
                                   layouts=PRINT_LAYOUTS), repo)


@pytest.fixture(scope="session")
def print_ready(print_ready_result: tuple[Path, BuildResult]) -> Path:
    return print_ready_result[0]


@pytest.fixture(scope="session")
def print_ready_findings(print_ready: Path, repo: Project) -> dict[str, list[str]]:
    return _findings(print_ready, repo)


CHECKS = [check.__name__ for check in printqa.CHECKS]


@pytest.mark.parametrize("check", CHECKS)
def test_every_shipped_pdf_passes(matrix_findings: dict[str, list[str]], check: str) -> None:
    assert matrix_findings.get(check, []) == []


@pytest.mark.parametrize("check", CHECKS)
def test_every_print_ready_pdf_passes(print_ready_findings: dict[str, list[str]],
                                      check: str) -> None:
    assert print_ready_findings.get(check, []) == []


def test_the_print_ready_subset_has_every_kind_of_file(
        print_ready_result: tuple[Path, BuildResult]) -> None:
    out, result = print_ready_result
    assert result.failures == []
    names = Counter(path.name for path in out.rglob("*.pdf"))
    # maple-hollow offers six of the languages, harbourview five (en-GB, no Tagalog).
    # maple-hollow's own Your visit booklet goes to the print shop too, in every
    # language the clinic offers (English where its catalog has no translation):
    # it is print-ready and checked like the mild booklet.
    assert names == {"mild-booklet-print.pdf": 11, "mild-booklet-imposed.pdf": 11,
                     "mild-booklet-imposed-office.pdf": 11, "mild-trifold-print.pdf": 11,
                     "your-visit-booklet-print.pdf": 6, "your-visit-booklet-imposed.pdf": 6,
                     "your-visit-booklet-imposed-office.pdf": 6}


def _cases() -> list[tuple[str, str]]:
    from brochure import load_clinic

    return [(profile.stem, language) for profile in sorted((ROOT / "clinics").glob("*.yaml"))
            for language in load_clinic(profile).languages]


@pytest.mark.parametrize(("clinic_id", "language"), _cases())
def test_booklets_and_large_print_fold_into_multiples_of_four(everything: Path,
                                                               clinic_id: str,
                                                               language: str) -> None:
    for layout in ("booklet", "large-print"):
        with pikepdf.open(everything / clinic_id / language / f"mild-{layout}.pdf") as pdf:
            assert len(pdf.pages) % 4 == 0, (layout, len(pdf.pages))
    assert LAYOUTS["booklet"].pad_pages_to == LAYOUTS["large-print"].pad_pages_to == 4


def _english(clinic_id: str) -> str:
    """The clinic's English: en, or en-GB for a UK clinic (harbourview)."""
    from brochure import load_clinic

    [english] = [language for language in load_clinic(ROOT / "clinics" / f"{clinic_id}.yaml")
                 .languages if language.split("-")[0] == "en"]
    return english


def _body_size(path: Path, layout: str) -> float:
    sizes: Counter[float] = Counter()
    pages = printqa._read(path)
    # A booklet's covers are not running text; a leaflet's or a handout's
    # pages all are (a trifold has two pages, a handout one or two).
    for page in pages[1:-1] if layout in ("booklet", "large-print") else pages:
        sizes.update(round(float(char["size"]), 1) for char in page.chars)
    return max(sizes, key=lambda size: sizes[size])


@pytest.mark.parametrize("clinic_id", ["maple-hollow", "harbourview"])
@pytest.mark.parametrize("layout", ["booklet", "large-print", "trifold", "handout"])
def test_arabic_is_set_about_12_percent_larger_than_latin(everything: Path, clinic_id: str,
                                                          layout: str) -> None:
    folder = everything / clinic_id
    ratio = _body_size(folder / "ar" / f"mild-{layout}.pdf", layout) / _body_size(
        folder / _english(clinic_id) / f"mild-{layout}.pdf", layout)
    assert 1.10 <= ratio <= 1.15, ratio


def test_the_trifold_fold_in_panel_is_narrower_on_both_sides(everything: Path,
                                                              tmp_path: Path) -> None:
    for language in ("en", "ar"):
        path = everything / "maple-hollow" / language / "mild-trifold.pdf"
        assert printqa.folds(path, printqa.Target("trifold", language, "")) == []
    # And the check sees a sheet of equal thirds: the layout as it was.
    equal = _sheet_with_ticks(tmp_path, [279.4 / 3, 2 * 279.4 / 3])
    assert any("2-3 mm narrower" in message
               for message, _ in printqa.folds(equal, printqa.Target("trifold", "en", "")))


def _sheet_with_ticks(folder: Path, folds_mm: list[float]) -> Path:
    width, height = 279.4 * MM, 215.9 * MM
    lines = " ".join(f"{x * MM:.2f} {height - 5 * MM:.2f} m {x * MM:.2f} "
                     f"{height - 8 * MM:.2f} l S" for x in folds_mm)
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page(page_size=(width, height))
        pdf.pages[-1].obj.Contents = pdf.make_stream(f"0.5 w {lines}".encode())
    path = folder / "sheet.pdf"
    pdf.save(path)
    return path


# Each check can fail ------------------------------------------------------------------

def _render(html: str, tmp_path: Path, name: str = "page.pdf") -> Path:
    path = tmp_path / name
    HTML(string=html, base_url=str(ROOT / "templates") + "/").write_pdf(path)
    return path


def test_hyphenation_check_finds_a_hyphenated_name_and_a_broken_address(
        tmp_path: Path) -> None:
    path = _render("""<html lang="en"><body style="width: 32mm; font: 12pt 'Noto Sans'">
        <p style="hyphens: auto">Please call Harbourview Pain Centre today.</p>
        <p style="overflow-wrap: anywhere">www.harbourviewpain.example</p></body></html>""",
                   tmp_path)
    target = printqa.Target("booklet", "en", "", protected=("Harbourview Pain Centre",),
                            urls=("www.harbourviewpain.example",))
    found = [message for message, _ in printqa.hyphenation(path, target)]
    assert any("hyphenated" in message and "Harbour" in message for message in found), found
    assert any("web address broken" in message for message in found), found


def test_hyphenation_check_lets_a_web_address_break_after_a_dot(tmp_path: Path) -> None:
    # The rule allows a break after a dot or a slash ("www.maplehollowspine." /
    # "example" on a narrow Hindi contact card); the check once read its own
    # marker of the line end and never saw the dot before it.
    path = _render("""<html lang="en"><body style="width: 40mm; font: 12pt 'Noto Sans'">
        <p>www.harbourviewpain.<wbr>example</p></body></html>""", tmp_path)
    assert len(printqa._read(path)[0].lines) == 2, "no break: the test tests nothing"
    target = printqa.Target("booklet", "en", "", urls=("www.harbourviewpain.example",))
    assert printqa.hyphenation(path, target) == []


def test_type_size_check_finds_small_type_on_a_trifold(tmp_path: Path) -> None:
    path = _render("""<html lang="en"><body style="font: 12pt 'Noto Sans'"><p>Body text that
        is large enough.</p><p style="font-size: 8.5pt">A disclaimer in small type.</p>
        </body></html>""", tmp_path)
    found = printqa.type_sizes(path, printqa.Target("trifold", "en", ""))
    assert any("8.5 pt" in message for message, _ in found), found


def test_letter_spacing_check_finds_spaced_arabic(tmp_path: Path) -> None:
    words = "معلومات للمرضى عن الإجراء"
    path = _render(f"""<html lang="ar" dir="rtl"><body style="font: 14pt 'Noto Naskh Arabic'">
        <p style="letter-spacing: 0.12em">{words}</p></body></html>""", tmp_path)
    assert printqa.letter_spacing(path, printqa.Target("trifold", "ar", ""))
    plain = _render(f"""<html lang="ar" dir="rtl"><body style="font: 14pt 'Noto Naskh Arabic'">
        <p>{words}</p></body></html>""", tmp_path, "plain.pdf")
    assert printqa.letter_spacing(plain, printqa.Target("trifold", "ar", "")) == []


def test_reading_direction_check_and_the_pdf_layer(everything: Path, tmp_path: Path) -> None:
    arabic = everything / "harbourview" / "ar" / "mild-booklet.pdf"
    with pikepdf.open(arabic) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
        del pdf.Root.ViewerPreferences["/Direction"]
        pdf.save(tmp_path / "no-direction.pdf")
    target = printqa.Target("booklet", "ar", "")
    assert printqa.reading_direction(arabic, target) == []
    assert printqa.reading_direction(tmp_path / "no-direction.pdf", target)
    with pikepdf.open(everything / "harbourview" / "en-GB" / "mild-booklet.pdf") as pdf:
        assert "/Direction" not in pdf.Root.ViewerPreferences
    # A single sheet has no spreads: with /Direction /R2L, PDFium (Chrome) would read
    # its Latin lines, a patient's name among them, word by word backwards.
    for layout in ("handout", "trifold"):
        sheet = everything / "harbourview" / "ar" / f"mild-{layout}.pdf"
        with pikepdf.open(sheet) as pdf:
            assert "/Direction" not in pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        assert printqa.reading_direction(sheet, printqa.Target(layout, "ar", "")) == []


def test_page_fill_check_finds_a_page_a_quarter_full(tmp_path: Path) -> None:
    path = _render("""<html lang="en"><style>@page { size: A5; margin: 15mm }</style>
        <body style="font: 12pt 'Noto Sans'"><p>Cover</p><p style="break-before: page">
        A short page.</p><p style="break-before: page">Back</p></body></html>""", tmp_path)
    found = printqa.page_fill(path, printqa.Target("booklet", "en", ""))
    assert [page for _, page in found] == [2]


def test_text_top_check_finds_a_page_whose_text_starts_lower(tmp_path: Path) -> None:
    pages = "".join(f'<p style="break-before: page; margin-top: {top}mm">Page {index}</p>'
                    for index, top in enumerate((0, 0, 9, 0, 0)))
    path = _render(f"""<html lang="en"><style>@page {{ size: A5; margin: 15mm }}</style>
        <body style="font: 12pt 'Noto Sans'"><p>Cover</p>{pages}<p style="break-before:
        page">Back</p></body></html>""", tmp_path)
    found = printqa.text_top(path, printqa.Target("booklet", "en", ""))
    assert [page for _, page in found] == [4], found


def test_text_top_check_reads_a_box_that_runs_on_to_the_next_page(tmp_path: Path) -> None:
    # The language notices start a page with a rule and room below it, and run
    # on: the rule is one path with the bounds of the whole box, down to the
    # footer, and the block starts at the rule, not at the text 7 mm lower.
    pages = "".join(f'<p style="break-before: page">Page {index}</p>' for index in range(4))
    lines = "".join(f"<p>Line {index} of a long box</p>" for index in range(60))
    path = _render(f"""<html lang="en"><style>@page {{ size: A5; margin: 15mm 15mm 20mm }}
        p {{ margin: 0 }}</style><body style="font: 12pt 'Noto Sans'"><p>Cover</p>{pages}
        <div style="break-before: page; border-top: 1pt solid #bbb; padding-top: 7mm">
        {lines}</div>
        <p style="break-before: page">Back</p></body></html>""", tmp_path)
    pages_read = printqa._read(path)
    assert len(pages_read) >= 8, "the box does not run on: the test tests nothing"
    assert printqa.text_top(path, printqa.Target("booklet", "en", "")) == []


def test_text_top_check_reads_an_icon_at_the_foot_of_a_page_where_it_is(
        tmp_path: Path) -> None:
    # WeasyPrint draws an SVG (the "Call us" icon) as a Form XObject; PDFium
    # gives the bounds of what is inside one in the form's own space, which
    # put an icon at the foot of a page near its top.
    icon = (ROOT / "assets" / "icons" / "call-us.svg").as_uri()
    pages = "".join(f'<p style="break-before: page">Page {index}</p>' for index in range(4))
    path = _render(f"""<html lang="en"><style>@page {{ size: A5; margin: 15mm }}</style>
        <body style="font: 12pt 'Noto Sans'"><p>Cover</p>{pages}<p style="margin-top: 120mm;
        padding-left: 8mm; background: url('{icon}') no-repeat left / 6mm">Call us</p>
        <p style="break-before: page">Back</p></body></html>""", tmp_path)
    with pikepdf.open(path) as pdf:
        assert pdf.pages[4].Resources.get("/XObject"), "no Form XObject: the test tests nothing"
    assert printqa.text_top(path, printqa.Target("booklet", "en", "")) == []


def test_heading_check_knows_body_text_on_a_page_of_small_print(tmp_path: Path) -> None:
    # The questions to ask end on a page of language notices and sources in
    # small type: a question at body size is not a heading there.
    body = "".join("<p>Body text at the size of the whole booklet, line after line.</p>"
                   for _ in range(40))
    small = "".join('<p style="font-size: 8pt">A language notice in small type.</p>'
                    for _ in range(40))
    path = _render(f"""<html lang="en"><style>@page {{ size: A5; margin: 15mm }}</style>
        <body style="font: 12pt 'Noto Sans'">{body}<p style="break-before: page;
        width: 60mm">Who do I call if I have a problem at night or on weekends?</p>{small}
        <h2 style="font-size: 20pt; width: 60mm">A heading that ends on one word</h2>
        </body></html>""", tmp_path)
    found = printqa.short_lines(path, printqa.Target("booklet", "en", ""))
    assert [message for message, _ in found] == ["heading ends on 'word' alone"], found


def test_qr_check_finds_a_caption_inside_the_quiet_zone(tmp_path: Path) -> None:
    import segno

    url = "https://www.example.org/book"
    code = segno.make(url, error="m")
    tight = code.svg_inline(dark="#000", border=0, scale=1.25, unit="mm")
    path = _render(f"""<html lang="en"><body style="font: 12pt 'Noto Sans'">
        <a href="{url}" style="display: block; width: max-content">{tight}</a>
        <p style="margin: 0">Scan this code</p></body></html>""", tmp_path)
    target = printqa.Target("booklet", "en", "", booking_url=url,
                            qr_modules=code.symbol_size(border=0)[0])
    found = printqa.qr_codes(path, target)
    assert any("quiet zone" in message for message, _ in found), found


def test_marks_check_finds_weasyprints_own_crop_marks(tmp_path: Path) -> None:
    # WeasyPrint's marks sit inside the bleed, on a sheet no larger than it.
    path = _render("""<html><style>@page { size: A5; margin: 10mm; bleed: 3mm; marks: crop }
        </style><body><p>Text</p></body></html>""", tmp_path)
    found = printqa.marks(path, printqa.Target("booklet", "en", "print"))
    assert any("larger than the bleed" in message for message, _ in found), found


def test_crop_marks_stand_outside_the_bleed_on_a_larger_sheet(print_ready: Path) -> None:
    for layout in ("booklet", "trifold"):
        path = print_ready / "harbourview" / "ar" / f"mild-{layout}-print.pdf"
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                media, trim, bleed = ([float(value) for value in page.obj[name]]
                                      for name in ("/MediaBox", "/TrimBox", "/BleedBox"))
                assert [round((b - t) / MM, 1) for b, t in zip(bleed, trim)] == \
                    [-3.0, -3.0, 3.0, 3.0]
                assert media[0] < bleed[0] - 8 * MM and media[2] > bleed[2] + 8 * MM


def test_imposed_office_sheets_fit_the_paper_inside_a_printable_margin(
        print_ready: Path) -> None:
    for clinic_id, paper in (("maple-hollow", "Letter"), ("harbourview", "A4")):
        english = _english(clinic_id)
        path = print_ready / clinic_id / english / "mild-booklet-imposed-office.pdf"
        with pikepdf.open(path) as pdf:
            box = [float(value) for value in pdf.pages[0].MediaBox]
        assert (box[2], box[3]) == pytest.approx(SHEETS[paper], abs=0.5)
        shop = print_ready / clinic_id / english / "mild-booklet-imposed.pdf"
        with pikepdf.open(shop) as pdf:
            sheet = [float(value) for value in pdf.pages[0].MediaBox]
            trim = [float(value) for value in pdf.pages[0].TrimBox]
        with pikepdf.open(print_ready / clinic_id / english / "mild-booklet-print.pdf") as pdf:
            page = [float(value) for value in pdf.pages[0].TrimBox]
        # Two trimmed half-sheet pages side by side (a spread about as large as
        # the paper: two A5 pages of ISO's 148 mm are 296 mm, A4 297 mm), and
        # room round them for bleed and marks.
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(
            (2 * (page[2] - page[0]), page[3] - page[1]), abs=0.5)
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(SHEETS[paper],
                                                                       abs=1.1 * MM)
        assert sheet[2] - (trim[2] - trim[0]) > 20 * MM
        assert sheet[3] - (trim[3] - trim[1]) > 20 * MM


def test_imposed_check_finds_sheets_out_of_order(print_ready: Path, tmp_path: Path) -> None:
    path = print_ready / "maple-hollow" / "en" / "mild-booklet-print.pdf"
    pdf_bytes = path.read_bytes()
    good = tmp_path / "good.pdf"
    good.write_bytes(impose_booklet(pdf_bytes, False, "Letter", "imposed-office"))
    with pikepdf.open(path) as source:
        pages = len(source.pages)
        # The same pages in reading order, as a wrongly imposed file would be.
        source.pages.reverse()
        shuffled = io.BytesIO()
        source.save(shuffled)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(impose_booklet(shuffled.getvalue(), False, "Letter", "imposed-office"))
    target = printqa.Target("booklet", "en", "imposed-office", paper="Letter")
    assert printqa.imposed(good, target, pages) == []
    assert any("fold into page order" in message
               for message, _ in printqa.imposed(bad, target, pages))


def test_weasyprint_still_keeps_lists_with_what_comes_before() -> None:
    # base.css undoes this rule of WeasyPrint's own stylesheet ("ul, ol {
    # break-before: auto }"); a new WeasyPrint must be checked again.
    assert weasyprint.__version__ == "70.0"
    stylesheet = Path(weasyprint.__file__).parent / "css" / "html5_ua.css"
    assert "ol, ul { break-before: avoid }" in stylesheet.read_text()


def test_the_two_warning_boxes_look_different(tmp_path: Path) -> None:
    """The contract's markup for "Call us" and "Emergency" boxes, with the shipped styles."""
    boxes = """<aside class="callout call-us"><p class="callout-label">Call us</p>
        <p class="lead">Call the clinic if you have any of these:</p>
        <ul class="bullets"><li>a fever</li><li>a red cut</li></ul></aside>
        <aside class="callout emergency"><p class="callout-label">Emergency</p>
        <p class="lead">Call 911 if:</p><ul class="bullets"><li>numb legs</li></ul></aside>"""
    for layout in ("booklet", "large-print", "trifold", "handout"):
        path = _render(f"""<html lang="en"><head><link rel="stylesheet" href="base.css">
            <link rel="stylesheet" href="{layout}.css"><style>:root {{ --primary: #1f4e79;
            --accent: #2e7d4f; }}</style></head><body>{boxes}</body></html>""",
                       tmp_path, f"{layout}.pdf")
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            # A box's colour is its fill or its border: WeasyPrint draws a border
            # with rounded corners as a filled ring (a curve), and large print
            # keeps the inside of its boxes white (7:1 contrast) and colours
            # their borders.
            fills = Counter(tuple(round(value, 2) for value in shape["non_stroking_color"])
                            for shape in [*page.rects, *page.curves]
                            if shape["width"] > 50 and shape["fill"])
            images = page.images
            curves = [curve for curve in page.curves if curve["width"] <= 50]
        # Two box colours at least (blue and red), and each label's icon drawn.
        reds = [colour for colour in fills if len(colour) == 3 and colour[0] > 0.5 > colour[2]]
        blues = [colour for colour in fills if len(colour) == 3 and colour[2] > colour[0]]
        assert reds and blues, (layout, fills)
        assert len(images) + len(curves) >= 2, layout


@pytest.mark.parametrize("language", ["en", "ru", "tl"])
def test_booklet_lines_are_50_to_75_characters(everything: Path, language: str) -> None:
    path = everything / "maple-hollow" / language / "mild-booklet.pdf"
    counts = []
    for page in printqa._read(path)[2:-2]:
        widest = max(line["x1"] - line["x0"] for line in page.lines)
        counts += [len(line["text"]) for line in page.lines
                   if line["x1"] - line["x0"] > 0.9 * widest]
    assert 50 <= statistics.median(counts) <= 75


def test_layout_records_say_what_the_pages_need() -> None:
    booklet = layouts.LAYOUTS["booklet"]
    assert booklet.extra_outputs(True) == ("imposed", "imposed-office")
    assert booklet.extra_outputs(False) == ()
    assert booklet.notes_fill and LAYOUTS["handout"].notes_fill
    assert LAYOUTS["large-print"].figure_min_scale == 1.0  # full text width, always


def test_a_line_keeps_the_spaces_pdfium_reads_without_a_gap() -> None:
    # Letters of an /ActualText (a Latin line that carries "789–" to the next line)
    # leave no gap between words; the spaces PDFium reads still separate them.
    def char(text: str, x: float, space_before: bool = False) -> dict[str, object]:
        return {"text": text, "x0": x, "x1": x + 1, "top": 0, "bottom": 10, "size": 10,
                "baseline": 8, "space_before": space_before}

    chars = [char("R", 0), char("e", 1), char("g", 2), char("P", 3, True), char("a", 4)]
    [line] = printqa._lines(chars, columns=1, width=100)
    assert line["text"] == "Reg Pa"
