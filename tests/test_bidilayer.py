"""The right-to-left text layer: the two readers' models, checked against the real readers.

``brochure.bidilayer`` writes ActualTexts shaped by what poppler (pdftotext)
and PDFium (pypdfium2, Chrome) do with them. These tests fail loudly when
either reader changes: each model is compared with the reader itself on
one-line PDFs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import weasyprint

from brochure import bidilayer

#: ActualTexts with what trips each reader: marks, digits and punctuation at
#: run edges, brackets, Latin inside Arabic, the marks this module adds.
SAMPLES = ["ابج", "ابج mild®", "ابج © ™", "ابج دهو زحط", "ابج.", "(ابج)", "ab cd ef", "12 34",
           "ابج ab cd", "ابج 12", "ابج 12 34 دهو", "ab.cd ابج", "(ab) ابج", "ابج (دهو) زحط",
           "ابج 1-2 دهو",
           "\u200fab\u200f ابج", "ابج\u200e ab", "ابج، دهو", "ابَج دّهو", "x (ابج) y",
           "\u202c\u202bab 5"]
_EMBEDDINGS = str.maketrans({code: None for code in range(0x202A, 0x202F)})


def _one_line_pdf(path: Path, texts: list[str], rtl_page: bool) -> None:
    """Lines of x glyphs in Helvetica, each with an ActualText, and a line that sets the page's
    direction for poppler."""
    def string(text: str) -> str:
        return "<FEFF" + text.encode("utf-16-be").hex() + ">"
    ops = [f"BT /F1 12 Tf 50 {750 - 28 * index} Td /Span <</ActualText {string(text)}>> BDC "
           f"({'x' * (len(text) + 2)}) Tj EMC ET" for index, text in enumerate(texts)]
    ballast = ("\u0628\u0627\u0628 " if rtl_page else "abc ") * 60
    ops.append(f"BT /F1 12 Tf 50 20 Td /Span <</ActualText {string(ballast)}>> BDC "
               f"({'x' * 60}) Tj EMC ET")
    with pikepdf.new() as pdf:
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                  BaseFont=pikepdf.Name.Helvetica)
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream("\n".join(ops).encode()))
        pdf.pages.append(pikepdf.Page(page))
        pdf.save(path)


@pytest.mark.parametrize("rtl_page", [True, False])
def test_the_poppler_model_is_what_pdftotext_does(tmp_path: Path, rtl_page: bool) -> None:
    path = tmp_path / "lines.pdf"
    _one_line_pdf(path, SAMPLES, rtl_page)
    output = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True).stdout
    lines = [line.translate(_EMBEDDINGS) for line in output.split("\n")
             if line.strip(" \f")][:len(SAMPLES)]
    assert lines == [bidilayer.poppler_line(text, not rtl_page).translate(_EMBEDDINGS)
                     for text in SAMPLES]


@pytest.fixture(scope="module")
def drawn_lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A line of Arabic glyphs and one of Latin glyphs, drawn by WeasyPrint, tagged."""
    path = tmp_path_factory.mktemp("bidi") / "lines.pdf"
    weasyprint.HTML(string=(
        '<html lang="ar"><body style="font-family: \'Noto Naskh Arabic\'">'
        '<p dir="rtl">ثلاث كلمات عربية هنا</p><p dir="ltr" lang="en">latin glyphs here ok</p>'
    )).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


@pytest.mark.parametrize("rtl_document", [False, True])
def test_the_pdfium_model_is_what_pypdfium2_does(tmp_path: Path, drawn_lines: Path,
                                                  rtl_document: bool) -> None:
    # Each sample as the ActualText of an Arabic text object and of a Latin one; with
    # /ViewerPreferences /Direction /R2L, PDFium reads every line right to left.
    expected, found = [], []
    for text in SAMPLES:
        with pikepdf.open(drawn_lines) as pdf:
            page = pdf.pages[0]
            ops = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and "/MCID" in operands[1]:
                    operands[1].ActualText = pikepdf.String(text)
                ops.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
            if rtl_document:
                pdf.Root.ViewerPreferences = pikepdf.Dictionary(Direction=pikepdf.Name.R2L)
            pdf.save(tmp_path / "probe.pdf")
        document = pdfium.PdfDocument(str(tmp_path / "probe.pdf"))
        read = document[0].get_textpage().get_text_range().replace("\r", "").split("\n")
        found.append(read[:2])
        expected.append([bidilayer.pdfium_line([(text, True)], rtl_document),
                         bidilayer.pdfium_line([(text, False)], rtl_document)])
        document.close()
    assert found == expected


LINES = [
    "يوجد داخل عمودك الفقري نفق تمر فيه أعصابك (القناة الشوكية). في أسفل الظهر",
    "إجراء mild® لا يشفي الحالة شفاءً تامًا.",
    "الرباط الأصفر (Ligamentum flavum)",
    "اتصل بـ Maple Hollow Spine & Pain Clinic على الرقم (555) 010-4477.",
    "طول الشق حوالي 5 ملم فقط، أي أنه ليس أكبر من حبة أسبرين الأطفال.",
    "لدى أكثر بقليل من مريض واحد من كل 100 مريض (1.3%).",
]


@pytest.mark.parametrize("rtl_page", [True, False])
@pytest.mark.parametrize("text", LINES)
def test_every_line_reads_back_as_written_in_both_models(text: str, rtl_page: bool) -> None:
    texts = bidilayer.tokens(text, rtl_page)
    # The PDF layer puts a text without right-to-left letters on a glyph that is not one.
    objects = [bidilayer.has_rtl(token) for token in texts]
    goal = bidilayer.strip_marks(text)
    assert bidilayer.read_back(texts, objects, rtl_page) == (goal, goal)
    assert bidilayer.strip_marks("".join(sorted(texts))) != "" and all(texts)


def test_the_marks_added_are_invisible_and_ignored_by_the_text_check() -> None:
    from brochure import qa

    for mark in bidilayer.MARKS:
        assert qa.normalise(f"a{mark}b") == "ab"
