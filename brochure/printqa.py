"""Print checks on built PDFs: what a print shop or a 75-year-old reader would object to.

``brochure check --pdf`` runs :func:`problems` on every PDF (qa.py); tests
call the single checks. Each check reads only the built file: character
sizes and positions (PDFium, through pypdfium2), page boxes and viewer preferences
(pikepdf), and pixels of the pages as poppler draws them (``pdftoppm``):

* :func:`page_count`: booklets and large print in multiples of 4 pages;
* :func:`page_fill`: no text page less than a third full (covers and notes
  pages aside); a two-page handout full on both pages;
* :func:`text_top`: the text block starts at the same height on every page;
* :func:`hyphenation`: no hyphen or break inside names, addresses, phone
  numbers, web addresses, headings, boxes or the disclaimer; a web address
  breaks only after a dot or a slash; a Latin name in right-to-left text
  stays on one line;
* :func:`type_sizes`: the trifold's body at 12 pt or more and nothing below
  10 pt; large print at 16 pt or more, the labels of its figures included;
* :func:`line_length`: booklet lines of 50-75 characters;
* :func:`short_lines`: no word stranded on a line of its own inside a
  paragraph, no heading or cover line ending on one word;
* :func:`figures`: large-print figures at the full text width;
* :func:`letter_spacing`: joined and complex scripts never letter-spaced;
* :func:`reading_direction`: right-to-left PDFs ask for right-to-left spreads;
* :func:`qr_codes`: a quiet zone of 4 modules on every side, modules of 1.2 mm
  or more;
* :func:`margins`: the handout's lines and cells inside its margins, write-in
  lines about 10 mm high;
* :func:`folds`: the trifold's fold-in panel 2-3 mm narrower, nothing on a fold;
* :func:`marks`: crop marks outside the bleed, visible, on a larger sheet;
* :func:`imposed`: office sheets inside a printable margin, print-shop sheets
  with bleed and marks, both in folding order.

A check returns ``(message, page)`` pairs (page from 1, or None for the file);
qa.py makes them :class:`~brochure.qa.PdfProblem`.
"""

from __future__ import annotations

import ctypes
import functools
import re
import statistics
import subprocess
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from . import markup
from .i18n import direction
from .imposition import OFFICE_MARGIN_MM, sheet_order
from .layouts import LAYOUTS
from .localise import QR_QUIET_ZONE
from .prepress import BLEED_MM, MARK_OFFSET_MM

MM = 72 / 25.4
Finding = tuple[str, "int | None"]

#: A page is "a third full" when its content reaches a third of its text area.
MIN_FILL = 1 / 3
#: A two-page handout's pages are full when their content reaches this far.
HANDOUT_FILL = 0.85
#: How far the top of the text block may move from page to page.
TEXT_TOP_TOLERANCE_MM = 2.5
#: Body type sizes: the trifold's body and its smallest type; large print.
TRIFOLD_BODY_PT, TRIFOLD_MIN_PT, LARGE_PRINT_MIN_PT = 12.0, 10.0, 16.0
#: Characters per line of a booklet's running text.
LINE_LENGTH = (50, 75)
#: The booklet's running text is measured in these languages' scripts.
_ALPHABETIC = re.compile(r"^(en|es|fr|pt|ru|vi|tl|de|it|nl|pl)(-|$)")
#: Scripts whose letters join or form clusters: letter-spacing breaks them.
_JOINED = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u0900-\u097f\u0980-\u09ff\u0e00-\u0e7f]")
#: Scripts whose words PDFium cannot tell apart (their spaces are inside clusters).
_CLUSTERED = re.compile(r"[\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f]")
#: Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana...).
_RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
#: The fold-in panel of a letter fold is this much narrower than the others.
FOLD_IN_MM = (2.0, 3.0)
#: The running footer lives in the bottom margin: this far from the bottom edge.
FOOTER_ZONE_MM = 24
#: Dots per inch of the page images.
_DPI = 36


@dataclass(frozen=True)
class Target:
    """What a built file is, as its name and the project say."""

    layout: str
    language: str
    #: "", "print", "imposed", "imposed-office", "filled", "print-filled".
    suffix: str
    #: Texts that must never be hyphenated or broken inside a word (translated).
    protected: tuple[str, ...] = ()
    #: Latin names that must stay on one line in right-to-left text.
    names: tuple[str, ...] = ()
    #: Web addresses as printed (break only after "." or "/").
    urls: tuple[str, ...] = ()
    #: The heading of the notes pages, in the file's language.
    notes_heading: str = ""
    #: The booking QR code's address and its symbol size in modules (without border).
    booking_url: str = ""
    qr_modules: int = 0
    #: The clinic's paper (A4 or Letter) for the imposed office sheets.
    paper: str = ""

    @property
    def imposed_kind(self) -> str:
        return self.suffix if self.suffix.startswith("imposed") else ""

    @property
    def print_ready(self) -> bool:
        return self.suffix.startswith("print") or self.suffix == "imposed"

    @property
    def rtl(self) -> bool:
        return direction(self.language) == "rtl"


# Reading the file ---------------------------------------------------------------------

@dataclass
class _Page:
    number: int
    width: float
    height: float
    #: The trim box, in pdfplumber's top-left coordinates (x0, top, x1, bottom).
    trim: tuple[float, float, float, float]
    chars: list[dict[str, Any]]
    graphics: list[dict[str, Any]]
    text: str
    lines: list[dict[str, Any]]


@functools.lru_cache(maxsize=4)
def _read(path: Path) -> list[_Page]:
    """Every page's characters, graphics and lines, as PDFium reads them.

    Coordinates are points from the top left corner of the sheet (the
    MediaBox), as pdfplumber gives them; PDFium reads a booklet 20 times
    faster than pdfminer.
    """
    pages = []
    document = pdfium.PdfDocument(str(path))
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    try:
        for index in range(len(document)):
            page = document[index]
            left, bottom, right, top = page.get_mediabox()
            trim_box = page.get_trimbox()
            trim = (trim_box[0] - left, top - trim_box[3], trim_box[2] - left,
                    top - trim_box[1])
            textpage = page.get_textpage()
            chars = []
            spaced = False
            for number in range(textpage.count_chars()):
                text = textpage.get_text_range(number, 1)
                if not text.strip():
                    spaced = True
                    continue
                # A space PDFium reads (in an /ActualText, whose letters have no boxes of
                # their own to leave a gap between words) separates words too.
                space_before, spaced = spaced, False
                x0, y0, x1, y1 = textpage.get_charbox(number)
                pdfium_c.FPDFText_GetMatrix(textpage, number, matrix)
                pdfium_c.FPDFText_GetCharOrigin(textpage, number, origin_x, origin_y)
                # The font size as set, times the scale of the text and user space.
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                size = pdfium_c.FPDFText_GetFontSize(textpage, number) * scale
                chars.append({"text": text, "x0": x0 - left, "x1": x1 - left,
                              "top": top - y1, "bottom": top - y0, "size": size,
                              "baseline": top - origin_y.value,
                              "space_before": space_before})
            graphics = []
            for x0, y0, x1, y1 in _graphic_bounds(page):
                graphics.append({"x0": x0 - left, "x1": x1 - left, "top": top - y1,
                                 "bottom": top - y0, "height": y1 - y0})
            width, height = right - left, top - bottom
            lines = _lines(chars, columns=3 if width > height else 1, width=width)
            pages.append(_Page(index + 1, width, height, trim, chars, graphics,
                               "\n".join(line["text"] for line in lines), lines))
    finally:
        document.close()
    return pages


#: A PDF matrix (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f.
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _then(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """The matrix that applies ``inner``, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _graphic_bounds(page: Any) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in page space of every path and image on ``page``.

    PDFium gives the bounds of an object inside a Form XObject (an icon
    WeasyPrint draws from an SVG, a figure) in the form's own space, not the
    page's: each form's matrix, and its parents', map them onto the page.
    Without that, the "Call us" icon at the foot of a page counted as
    drawn at its top.
    """
    found = []
    placed: dict[int, _Matrix] = {}  # form object -> its space to page space
    forms = []  # the form objects, kept alive so that their ids stay theirs
    for item in page.get_objects(max_depth=8):
        outer = placed.get(id(item.container), _IDENTITY) if item.container else _IDENTITY
        if item.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            # A form's matrix maps its contents into its container's space.
            matrix = item.get_matrix()
            placed[id(item)] = _then((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e,
                                      matrix.f), outer)
            forms.append(item)
            continue
        if item.type not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE):
            continue
        x0, y0, x1, y1 = item.get_bounds()
        if outer == _IDENTITY:
            found.append((x0, y0, x1, y1))
            continue
        a, b, c, d, e, f = outer
        xs, ys = [], []
        for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
            xs.append(a * x + c * y + e)
            ys.append(b * x + d * y + f)
        found.append((min(xs), min(ys), max(xs), max(ys)))
    return found


def _lines(chars: list[dict[str, Any]], columns: int, width: float) -> list[dict[str, Any]]:
    """Characters grouped into lines: one baseline, no gap wider than three letters.

    Lines come column by column (a leaflet's panels), top to bottom; the
    characters of a line from left to right (right-to-left text reads
    backwards, as in pdfplumber).
    """
    ordered = sorted(chars, key=lambda char: (round(char["baseline"] * 2), char["x0"]))
    lines: list[list[dict[str, Any]]] = []

    def column(x: float) -> int:
        return int(columns * x / width) if width else 0

    for char in ordered:
        current = lines[-1] if lines else None
        if current is not None:
            last = current[-1]
            same_line = abs(char["baseline"] - last["baseline"]) < 0.25 * max(char["size"], 1)
            # A line never runs from one panel into the next (the gutter between
            # two leaflet panels is narrower than three letters of 12 pt).
            same_column = column(char["x0"]) == column(last["x0"])
            # PDFium gives all the letters of a right-to-left word the box of one
            # of its glyphs: the gaps between its words say nothing there.
            joined = _RIGHT_TO_LEFT.match(char["text"]) or _RIGHT_TO_LEFT.match(last["text"])
            close = char["x0"] - last["x1"] < 3 * max(char["size"], 1)
            if same_line and same_column and (close or joined):
                current.append(char)
                continue
        lines.append([char])
    result = []
    for group in lines:
        text = ""
        for previous, char in zip([None, *group], group):
            if previous is not None and (char["x0"] - previous["x1"] > 0.2 * char["size"]
                                         or char.get("space_before")):
                text += " "
            text += char["text"]
        result.append({"text": text, "chars": group, "x0": min(c["x0"] for c in group),
                       "x1": max(c["x1"] for c in group),
                       "top": min(c["top"] for c in group),
                       "bottom": max(c["bottom"] for c in group)})
    return sorted(result, key=lambda line: (int(columns * line["x0"] / width), line["top"]))


@functools.lru_cache(maxsize=2)
def _images(path: Path, dpi: int = _DPI) -> list[Image.Image]:
    """The pages as grey images drawn by poppler (pdftoppm)."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), f"{folder}/p"],
                           check=True, capture_output=True)
        except FileNotFoundError:
            raise RuntimeError("pdftoppm is not installed (Debian: apt-get install "
                               "poppler-utils)") from None
        files = sorted(Path(folder).iterdir(), key=lambda item: int(item.stem.split("-")[-1]))
        return [Image.open(file).convert("L").copy() for file in files]


def _ink_rows(image: Image.Image, box: tuple[int, int, int, int], threshold: int = 200
              ) -> list[int]:
    """Rows of ``box`` (left, top, right, bottom, in pixels) that hold any ink."""
    crop = image.crop(box)
    width, height = crop.size
    data = crop.tobytes()
    return [row for row in range(height)
            if min(data[row * width:(row + 1) * width], default=255) < threshold]


def _notes_page(page: _Page, target: Target) -> bool:
    heading = _plain(target.notes_heading)
    text = _plain(page.text)
    return bool(heading) and text.startswith(heading) and len(text) < len(heading) + 40


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2060", "").replace("\u200b", "")
    return " ".join(text.split())


def _body_pages(pages: list[_Page], target: Target) -> list[_Page]:
    """Pages of running text: not the covers, not the notes pages (booklet, large print)."""
    if target.layout in ("booklet", "large-print") and not target.imposed_kind:
        return [page for page in pages[1:-1] if not _notes_page(page, target)]
    return list(pages)


# The checks ---------------------------------------------------------------------------

def page_count(path: Path, target: Target) -> list[Finding]:
    """Booklets and large print: a multiple of 4 pages (the back cover on a back page)."""
    if target.layout not in ("booklet", "large-print") or target.imposed_kind:
        return []
    count = len(_read(path))
    if count % 4:
        return [(f"{count} pages: a folded {target.layout} needs a multiple of 4 (notes "
                 "pages fill the gap)", None)]
    return []


def page_fill(path: Path, target: Target) -> list[Finding]:
    """No text page less than a third full; a two-page handout full on both pages."""
    if target.imposed_kind or target.layout == "trifold":
        return []
    pages = _read(path)
    images = _images(path)
    found: list[Finding] = []
    body = {page.number for page in _body_pages(pages, target)}
    for page, image in zip(pages, images):
        if page.number not in body:
            continue
        fill = _fill(page, image)
        if target.layout == "handout" and len(pages) > 1:
            if fill < HANDOUT_FILL:
                found.append((f"the handout takes two pages and this one is only "
                              f"{fill:.0%} full (one page, or two full ones)", page.number))
        elif fill < MIN_FILL and page.number != pages[-1].number:
            found.append((f"only {fill:.0%} full: a page less than a third full looks "
                          "unfinished (notes lines or a smaller figure fill it)", page.number))
    return found


def _fill(page: _Page, image: Image.Image) -> float:
    """How far down its text area a page's content reaches (0 to 1), footer aside."""
    scale = image.width / page.width
    x0, top, x1, bottom = (int(value * scale) for value in page.trim)
    footer = int((page.trim[3] - FOOTER_ZONE_MM * MM) * scale)
    rows = _ink_rows(image, (x0 + 2, top + 2, x1 - 2, footer))
    if not rows:
        return 0.0
    first, last = rows[0], rows[-1]
    area = footer - top - first
    return (last - first) / area if area > 0 else 1.0


def text_top(path: Path, target: Target) -> list[Finding]:
    """The text block starts at the same height on every page of running text."""
    if target.layout not in ("booklet", "large-print") or target.imposed_kind:
        return []
    tops: dict[int, float] = {}
    for page in _body_pages(_read(path), target):
        objects = [*page.chars, *page.graphics]
        # What starts inside the text area: a box continued on the next page
        # runs down to the footer (its top rule, drawn as one ring-shaped
        # path, has the bounds of the whole box) and still starts the block.
        inside = [item for item in objects if item["top"] > page.trim[1] + 2 * MM
                  and item["top"] < page.trim[3] - FOOTER_ZONE_MM * MM]
        if inside:
            tops[page.number] = min(_cap_top(item) for item in inside) - page.trim[1]
    if len(tops) < 2:
        return []
    usual = statistics.median(tops.values())
    # A box or a picture starts at the block's top edge, a line of text a
    # little lower (half its leading, and the room above capitals): allow
    # that much, in proportion to the body size.
    sizes = Counter(round(float(char["size"]), 1) for page in _read(path)
                    for char in page.chars)
    body = max(sizes, key=lambda size: sizes[size]) if sizes else 12.0
    tolerance = max(TEXT_TOP_TOLERANCE_MM * MM, 0.6 * body)
    return [(f"the text starts {abs(top - usual) / MM:.1f} mm "
             f"{'lower' if top > usual else 'higher'} than on the other pages", number)
            for number, top in tops.items() if abs(top - usual) > tolerance]


def _cap_top(item: dict[str, Any]) -> float:
    """The top of a letter's capitals (a glyph's box is its ink, not the line's).

    Capitals stand about 0.71 of the type size above the baseline in Noto;
    a heading and a paragraph that start a page then start at one height.
    """
    if "baseline" in item:
        return float(item["baseline"] - 0.71 * item["size"])
    return float(item["top"])


def hyphenation(path: Path, target: Target) -> list[Finding]:
    """No hyphenation or break inside what a reader must recognise or copy."""
    if target.imposed_kind:
        return []
    found: list[Finding] = []
    for page in _read(path):
        text = "\n".join(_plain(line["text"]) for line in page.lines)
        for protected in target.protected:
            for broken in _broken(text, protected, hyphen_only=True):
                found.append((f"hyphenated {_shown(broken)!r} (in {_short(protected)!r})",
                              page.number))
        for url in target.urls:
            for broken in _broken(text, url, hyphen_only=False):
                # Every line end inside the address must follow a dot or a slash.
                if any(broken[index - 1] not in "./" for index, char in enumerate(broken)
                       if char == "\n"):
                    found.append((f"web address broken as {_shown(broken)!r}: only after a "
                                  "dot or a slash", page.number))
        if target.rtl:
            for name in target.names:
                if _broken_inside_rtl(text, name):
                    found.append((f"Latin name {name!r} broken over two lines inside "
                                  "right-to-left text", page.number))
    return found


def _shown(piece: str) -> str:
    """A piece of text over lines, its line ends shown as " / "."""
    return piece.replace("\n", " / ")


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


@functools.lru_cache(maxsize=4096)
def _pattern(text: str, spaces: bool) -> re.Pattern[str]:
    """``text`` with a line break (and a hyphen) allowed inside any word."""
    words = []
    for word in text.split():
        letters = [re.escape(char) for char in word]
        words.append(r"[-\u2010]?\n?".join(letters))
    between = r"\s+" if spaces else r"[ \n]+"
    return re.compile(between.join(words))


def _broken(text: str, wanted: str, hyphen_only: bool, spaces: bool = False) -> list[str]:
    """Occurrences of ``wanted`` in ``text`` that a line break cuts inside a word,
    with their line ends ("\\n").

    With ``hyphen_only``, only breaks marked by an added hyphen count (a
    heading may wrap between words); with ``spaces``, a break between its
    words counts too.
    """
    wanted = _plain(wanted)
    if len(wanted) < 4:
        return []
    found = []
    for match in _pattern(wanted, spaces).finditer(text):
        piece = match.group(0)
        if "\n" not in piece:
            continue
        inside_word = re.search(r"\S[-\u2010]?\n\S", piece)
        if hyphen_only:
            if re.search(r"[-\u2010]\n", piece) and not re.search(r"[-\u2010]", wanted):
                found.append(piece)
        elif inside_word or (spaces and "\n" in piece):
            found.append(piece)
    return found


_RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _broken_inside_rtl(text: str, name: str) -> bool:
    """Whether ``name`` breaks over two lines of ``text`` that are right-to-left text.

    A name on a line of its own (a card's heading) may wrap between words;
    inside an Arabic sentence it must stay whole, or bidi sends its parts
    (and its "&") to the wrong ends of the lines.
    """
    wanted = _plain(name)
    if len(wanted) < 4:
        return False
    for match in _pattern(wanted, True).finditer(text):
        if "\n" not in match.group(0):
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        lines = text[start:end if end >= 0 else len(text)]
        if _RTL_LETTER.search(lines):
            return True
    return False


def type_sizes(path: Path, target: Target) -> list[Finding]:
    """The trifold: body 12 pt, nothing below 10 pt. Large print: 16 pt, figure labels too."""
    if target.imposed_kind or target.layout not in ("trifold", "large-print"):
        return []
    pages = _read(path)
    logos = _logo_boxes(path)
    found: list[Finding] = []
    if target.layout == "trifold":
        sizes: Counter[float] = Counter()
        for page in pages:
            chars = [char for char in page.chars if not _inside(char, logos.get(page.number))]
            sizes.update(round(float(char["size"]), 1) for char in chars)
            small = sorted({round(float(char["size"]), 1) for char in chars
                            if char["size"] < TRIFOLD_MIN_PT - 0.05})
            if small:
                found.append((f"type at {small[0]} pt: nothing on the trifold may be smaller "
                              f"than {TRIFOLD_MIN_PT:g} pt", page.number))
        if sizes:
            body = max(sizes, key=lambda size: sizes[size])
            if body < TRIFOLD_BODY_PT - 0.05:
                found.append((f"body text at {body} pt: the trifold's body needs "
                              f"{TRIFOLD_BODY_PT:g} pt", None))
        return found
    for page in _body_pages(pages, target):
        below = sorted({(round(float(char["size"]), 1), char["text"]) for char in page.chars
                        if char["size"] < LARGE_PRINT_MIN_PT - 0.05
                        and char["bottom"] < page.trim[3] - FOOTER_ZONE_MM * MM})
        if below:
            found.append((f"type at {below[0][0]} pt ({below[0][1]!r}): large print needs "
                          f"{LARGE_PRINT_MIN_PT:g} pt, figure labels too", page.number))
    return found


def _inside(item: dict[str, Any], boxes: list[tuple[float, float, float, float]] | None
            ) -> bool:
    return any(x0 - 1 <= item["x0"] and item["x1"] <= x1 + 1 and y0 - 1 <= item["top"]
               and item["bottom"] <= y1 + 1 for x0, y0, x1, y1 in boxes or ())


@functools.lru_cache(maxsize=4)
def _figure_boxes(path: Path) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page, alternative text, box in points from the top left) of each tagged figure."""
    found = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        boxes = {number: ([float(value) for value in page.obj.MediaBox],
                          [float(value) for value in (page.obj.get("/TrimBox")
                                                      or page.obj.MediaBox)])
                 for number, page in enumerate(pdf.pages, start=1)}
        root = pdf.Root.get("/StructTreeRoot")
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []):
                if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                    continue
                stack.append(kid)
                attributes = kid.get("/A")
                if kid.S != "/Figure" or not isinstance(attributes, pikepdf.Dictionary) \
                        or "/BBox" not in attributes or "/Pg" not in kid:
                    continue
                number = pages.get(kid.Pg.objgen)
                if number is None:
                    continue
                # WeasyPrint writes /BBox in CSS px from the trimmed page's top left.
                x0, y0, x1, y1 = (float(value) * 0.75 for value in attributes.BBox)
                media, trim = boxes[number]
                dx, dy = trim[0] - media[0], media[3] - trim[3]
                found.append((number, str(kid.get("/Alt", "")),
                              (x0 + dx, y0 + dy, x1 + dx, y1 + dy)))
    return found


def _logo_boxes(path: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """The clinic's logo on each page: its own lettering is artwork, not text."""
    logos: dict[int, list[tuple[float, float, float, float]]] = {}
    pages = _read(path)
    for number, _alt, box in _figure_boxes(path):
        page = pages[number - 1]
        # The logo is the figure at the top of its panel or page, no larger than 100 mm.
        if box[2] - box[0] < 100 * MM and box[3] - box[1] < 40 * MM and not any(
                char["text"].isdigit() for char in page.chars if _inside(char, [box])):
            logos.setdefault(number, []).append(box)
    return logos


def figures(path: Path, target: Target) -> list[Finding]:
    """Large print: each figure as wide as the text (its labels print large with it)."""
    if target.layout != "large-print" or target.imposed_kind:
        return []
    pages = _read(path)
    body = {page.number for page in _body_pages(pages, target)}
    found: list[Finding] = []
    for number, _alt, box in _figure_boxes(path):
        if number not in body or box[3] - box[1] < 40 * MM:
            continue
        page = pages[number - 1]
        lefts = [line["x0"] for line in page.lines]
        rights = [line["x1"] for line in page.lines]
        if not lefts:
            continue
        text_width = max(rights) - min(lefts)
        if box[2] - box[0] < 0.95 * text_width:
            found.append((f"figure {(box[2] - box[0]) / MM:.0f} mm wide, the text "
                          f"{text_width / MM:.0f} mm: large print sets figures at the full "
                          "text width", number))
    return found


def line_length(path: Path, target: Target) -> list[Finding]:
    """A booklet's running text: 50 to 75 characters a line (alphabetic scripts)."""
    if target.layout != "booklet" or target.imposed_kind or not _ALPHABETIC.match(
            target.language):
        return []
    counts: list[int] = []
    for page in _body_pages(_read(path), target):
        sizes = Counter(round(float(char["size"]), 1) for char in page.chars)
        if not sizes:
            continue
        body = max(sizes, key=lambda size: sizes[size])
        lines = [line for line in page.lines
                 if abs(statistics.median(float(char["size"]) for char in line["chars"])
                        - body) < 0.2]
        if not lines:
            continue
        widest = max(line["x1"] - line["x0"] for line in lines)
        counts.extend(len(line["text"].strip()) for line in lines
                      if line["x1"] - line["x0"] > 0.9 * widest)
    if len(counts) < 10:
        return []
    median = statistics.median(counts)
    low, high = LINE_LENGTH
    if not low <= median <= high:
        return [(f"lines of {median:.0f} characters: older readers read 50-75 best", None)]
    return []


def short_lines(path: Path, target: Target) -> list[Finding]:
    """No word stranded on a line inside a paragraph; no heading ending on one word."""
    if target.imposed_kind:
        return []
    found: list[Finding] = []
    pages = _read(path)
    # A heading is larger than the document's body text, not than the most
    # common size of its page: on a page of small print (language notices,
    # sources) the questions to ask were read as headings.
    everywhere = Counter(round(float(char["size"]), 1) for page in pages for char in page.chars)
    text_size = max(everywhere, key=lambda size: everywhere[size]) if everywhere else 0.0
    for page in pages:
        lines = page.lines
        sizes = Counter(round(float(char["size"]), 1) for char in page.chars)
        if not sizes:
            continue
        body = max(sizes, key=lambda size: sizes[size])
        pairs = [(line, after) for line, after in zip(lines, lines[1:])
                 if abs(_size(line) - body) < 0.3 and abs(_size(after) - body) < 0.3
                 and abs(after["x0"] - line["x0"]) < 2 and after["top"] > line["top"]]
        # Measured from baseline to baseline: the top of a line's ink is lower on a
        # line of small letters ("жидкость"), and the next list item (0.15 em
        # further down) then read as the next line of one paragraph.
        pitches = Counter(round((_baseline(after) - _baseline(line)) * 2) / 2
                          for line, after in pairs)
        common = [value for value, count in pitches.items() if count >= 2]
        if not common or target.rtl:
            found.extend(_heading_ends(page, lines, max(body, text_size)))
            continue
        # Lines of one paragraph follow each other at the line pitch, the
        # smallest common step; a new paragraph or list item starts further down.
        pitch = min(common)
        for line, after in pairs:
            if abs(_baseline(after) - _baseline(line) - pitch) > 0.6:
                continue
            if _CLUSTERED.search(line["text"]):
                continue  # Devanagari, Thai...: PDFium does not see their spaces
            if re.search(r"[.!?;:。！？)»\"”]$", line["text"].strip()):
                continue  # the end of a sentence: the last line of a list item
            width, next_width = line["x1"] - line["x0"], after["x1"] - after["x0"]
            if len(line["text"].split()) == 1 and width < 0.35 * next_width \
                    and next_width > 40 * MM:
                found.append((f"{line['text'].strip()!r} stands alone on a line inside a "
                              "paragraph", page.number))
        found.extend(_heading_ends(page, lines, max(body, text_size)))
    return found


def _baseline(line: dict[str, Any]) -> float:
    return float(statistics.median(float(char["baseline"]) for char in line["chars"]))


def _size(line: dict[str, Any]) -> float:
    return float(statistics.median(float(char["size"]) for char in line["chars"]))


def _heading_ends(page: _Page, lines: list[dict[str, Any]], body: float) -> list[Finding]:
    """Headings and cover lines (larger than the body) whose last line is one word."""
    found: list[Finding] = []
    group: list[dict[str, Any]] = []
    for line in [*lines, None]:
        if line is not None and _size(line) > body * 1.15 and (
                not group or (abs(_size(line) - _size(group[-1])) < 0.2
                              and line["top"] - group[-1]["top"] < _size(line) * 1.8)):
            group.append(line)
            continue
        if len(group) > 1:
            words = " ".join(item["text"] for item in group).split()
            last = group[-1]["text"].strip()
            unspaced = bool(re.search(r"[\u2e80-\ua4cf\uac00-\ud7a3]", last))
            if len(words) >= 4 and (len(last) < 2 if unspaced else len(last.split()) < 2):
                found.append((f"heading ends on {last!r} alone", page.number))
        group = [line] if line is not None and _size(line) > body * 1.15 else []
    return found


def letter_spacing(path: Path, target: Target) -> list[Finding]:
    """Arabic and Devanagari are never letter-spaced (their letters join or form clusters)."""
    if target.imposed_kind:
        return []
    found: list[Finding] = []
    for page in _read(path):
        for line in page.lines:
            chars = [char for char in line["chars"] if _JOINED.match(char["text"])]
            if len(chars) < 6:
                continue
            # Letters of one word touch; letter-spacing opens a gap after each.
            gaps = sorted(float(after["x0"] - char["x1"])
                          for char, after in zip(chars, chars[1:])
                          if abs(after["x0"] - char["x1"]) < char["size"])
            if len(gaps) >= 5 and statistics.median(gaps) > 0.05 * float(chars[0]["size"]):
                found.append((f"letter-spaced text {''.join(c['text'] for c in chars)[:20]!r}:"
                              " joined scripts are never letter-spaced", page.number))
    return found


def reading_direction(path: Path, target: Target) -> list[Finding]:
    """Right-to-left booklets ask viewers to show their spreads right to left."""
    if not target.rtl or not LAYOUTS[target.layout].spreads:
        return []
    with pikepdf.open(path) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences")
        value = preferences.get("/Direction") if isinstance(preferences, pikepdf.Dictionary) \
            else None
        if value != pikepdf.Name.R2L:
            return [("no /ViewerPreferences /Direction /R2L: viewers show the spreads of "
                     "a right-to-left booklet the wrong way round", None)]
    return []


def qr_codes(path: Path, target: Target) -> list[Finding]:
    """The booking code: 4 modules of clear space on every side, modules of 1.2 mm or more."""
    if target.imposed_kind or not target.booking_url or not target.qr_modules:
        return []
    found: list[Finding] = []
    with pikepdf.open(path) as pdf:
        links = []
        for number, page in enumerate(pdf.pages, start=1):
            media = [float(value) for value in page.obj.MediaBox]
            for annotation in page.obj.get("/Annots") or []:
                action = annotation.get("/A")
                if action is None or str(action.get("/URI", "")) != target.booking_url:
                    continue
                x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
                links.append((number, {"x0": min(x0, x1) - media[0],
                                       "x1": max(x0, x1) - media[0],
                                       "top": media[3] - max(y0, y1),
                                       "bottom": media[3] - min(y0, y1)},
                              media[2] - media[0]))
    for number, link, width in links:
        found.extend(_check_qr(path, number, link, width, 150, target))
    return found


def _check_qr(path: Path, number: int, link: dict[str, Any], page_width: float, dpi: int,
              target: Target) -> list[Finding]:
    image = _page_image(path, number, dpi)
    scale = image.width / page_width
    margin = 12 * MM  # look round the link's box too: a caption must keep clear
    box = (int((link["x0"] - margin) * scale), int((link["top"] - margin) * scale),
           int((link["x1"] + margin) * scale), int((link["bottom"] + margin) * scale))
    inner = (int(link["x0"] * scale), int(link["top"] * scale),
             int(link["x1"] * scale), int(link["bottom"] * scale))
    code = _dark_box(image.crop(inner), threshold=128)
    if code is None:
        return [("no QR code where the booking address is", number)]
    left, top, right, bottom = (code[0] + inner[0], code[1] + inner[1],
                                code[2] + inner[0], code[3] + inner[1])
    module = (right - left) / target.qr_modules
    module_mm = module / scale / MM
    found: list[Finding] = []
    if module_mm < 1.2 - 0.02:
        found.append((f"QR code modules of {module_mm:.2f} mm: phone cameras need 1.2 mm "
                      "or more", number))
    zone = QR_QUIET_ZONE * module
    ring = (max(box[0], int(left - zone)), max(box[1], int(top - zone)),
            min(box[2], int(right + zone)), min(box[3], int(bottom + zone)))
    around = image.crop(ring)
    # The code itself (and a pixel of antialiasing round it) is allowed.
    around.paste(255, (left - ring[0] - 1, top - ring[1] - 1,
                       right - ring[0] + 2, bottom - ring[1] + 2))
    intruder = _dark_box(around, threshold=160)
    if intruder is not None:
        ix0, iy0, ix1, iy1 = (intruder[0] + ring[0], intruder[1] + ring[1],
                              intruder[2] + ring[0], intruder[3] + ring[1])
        clear = min(value for value in (top - iy1, iy0 - bottom, left - ix1, ix0 - right)
                    if value >= 0) / module if any(
            value >= 0 for value in (top - iy1, iy0 - bottom, left - ix1, ix0 - right)) else 0
        found.append((f"something is printed within the QR code's quiet zone ({clear:.1f} "
                      f"of {QR_QUIET_ZONE} modules clear)", number))
    return found


def _dark_box(image: Image.Image, threshold: int) -> tuple[int, int, int, int] | None:
    """The bounding box of the pixels darker than ``threshold``."""
    mask = image.point(lambda value: 255 if value < threshold else 0)
    return mask.getbbox()


@functools.lru_cache(maxsize=8)
def _page_image(path: Path, number: int, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(number), "-l",
                        str(number), "-singlefile", str(path), f"{folder}/p"],
                       check=True, capture_output=True)
        return Image.open(next(Path(folder).iterdir())).convert("L").copy()


def margins(path: Path, target: Target) -> list[Finding]:
    """The handout: everything inside its side margins; write-in lines about 10 mm high."""
    if target.layout != "handout" or target.imposed_kind:
        return []
    found: list[Finding] = []
    pages = _read(path)
    images = _images(path)
    margin = 15 * MM - 1.0
    for page, image in zip(pages, images):
        scale = image.width / page.width
        x0, top, x1, bottom = page.trim
        for side, box in (("left", (x0, top, x0 + margin, bottom)),
                          ("right", (x1 - margin, top, x1, bottom))):
            rows = _ink_rows(image, tuple(int(value * scale) for value in box))  # type: ignore[arg-type]
            if rows:
                found.append((f"something printed in the {side} margin (within 15 mm of "
                              "the edge)", page.number))
        found.extend(_write_in_lines(page))
    return found


def _write_in_lines(page: _Page) -> list[Finding]:
    """Write-in lines (the half-width rules of the field grid) need about 10 mm above them."""
    text_width = page.trim[2] - page.trim[0] - 30 * MM
    rules = [item for item in page.graphics if item.get("height", 99) <= 2
             and 0.25 * text_width < item["x1"] - item["x0"] < 0.6 * text_width]
    found: list[Finding] = []
    for rule in rules:
        above = [char for char in page.chars
                 if char["bottom"] <= rule["top"] + 0.5 and char["x1"] > rule["x0"]
                 and char["x0"] < rule["x1"] and rule["top"] - char["bottom"] < 25 * MM]
        if not above:
            continue
        gap = rule["top"] - max(char["bottom"] for char in above)
        if gap < 9 * MM:
            found.append((f"a write-in line {gap / MM:.1f} mm below its label: about 10 mm "
                          "of room to write", page.number))
    return found


def folds(path: Path, target: Target) -> list[Finding]:
    """The trifold: the fold-in panel 2-3 mm narrower, folds marked, no text on a fold."""
    if target.layout != "trifold" or target.imposed_kind:
        return []
    found: list[Finding] = []
    pages = _read(path)
    for page in pages:
        x0, _, x1, _ = page.trim
        ticks = sorted({round((float(item["x0"]) + float(item["x1"])) / 2, 1)
                        for item in page.graphics
                        if abs(float(item["x1"]) - float(item["x0"])) < 1.5
                        and (item["bottom"] < page.trim[1] + 12 * MM
                             or item["top"] > page.trim[3] - 12 * MM)
                        and x0 + 20 * MM < item["x0"] < x1 - 20 * MM})
        if len(ticks) != 2:
            found.append((f"{len(ticks)} fold marks, not 2", page.number))
            continue
        widths = [ticks[0] - x0, ticks[1] - ticks[0], x1 - ticks[1]]
        narrow = min(widths)
        others = sorted(widths)[1:]
        difference = (statistics.mean(others) - narrow) / MM
        if not FOLD_IN_MM[0] - 0.1 <= difference <= FOLD_IN_MM[1] + 0.1 or \
                abs(others[0] - others[1]) > 0.3 * MM:
            found.append((f"panels of {', '.join(f'{width / MM:.1f}' for width in widths)} mm: "
                          "the fold-in panel should be 2-3 mm narrower than the other two",
                          page.number))
        narrow_index = widths.index(narrow)
        wanted = (0 if page.number == 1 else 2) if not target.rtl else (
            2 if page.number == 1 else 0)
        if narrow_index != wanted:
            found.append(("the narrower panel is not the one that folds in", page.number))
        for fold in ticks:
            crossing = [char for char in page.chars
                        if char["x0"] < fold + 2.5 * MM and char["x1"] > fold - 2.5 * MM
                        and page.trim[1] + 10 * MM < char["top"]]
            if crossing:
                found.append((f"text on the fold at {(fold - x0) / MM:.0f} mm: "
                              f"{''.join(char['text'] for char in crossing[:12])!r}",
                              page.number))
    return found


def marks(path: Path, target: Target) -> list[Finding]:
    """Print-ready pages: on a sheet larger than the bleed, crop marks visible outside it."""
    if not target.print_ready or target.imposed_kind == "imposed-office":
        return []
    found: list[Finding] = []
    dpi = 72
    with pikepdf.open(path) as pdf:
        boxes = []
        for page in pdf.pages:
            media = [float(value) for value in page.obj.MediaBox]
            trim = [float(value) for value in (page.obj.get("/TrimBox") or media)]
            bleed = [float(value) for value in (page.obj.get("/BleedBox") or trim)]
            boxes.append((media, trim, bleed))
    for number, (media, trim, bleed) in enumerate(boxes, start=1):
        if target.imposed_kind:
            # The spine has no bleed: the two pages meet there.
            outer = trim[0] - bleed[0]
            if outer < BLEED_MM * MM - 0.5:
                found.append(("the sheet has no bleed round the spread", number))
        elif any(abs(abs(b - t) - BLEED_MM * MM) > 0.5 for b, t in zip(bleed, trim)):
            found.append((f"bleed is not {BLEED_MM:g} mm on every side", number))
        slug = min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2],
                   media[3] - bleed[3])
        if slug < (MARK_OFFSET_MM - BLEED_MM + 4) * MM:
            found.append(("the sheet is not larger than the bleed: crop marks have no room "
                          "outside it", number))
            continue
        found.extend(_visible_marks(path, number, media, trim, bleed, dpi))
    return found


def _visible_marks(path: Path, number: int, media: list[float], trim: list[float],
                   bleed: list[float], dpi: int) -> list[Finding]:
    image = _page_image(path, number, dpi)
    scale = image.width / (media[2] - media[0])

    def pixel(x: float, y: float) -> tuple[int, int]:
        return int((x - media[0]) * scale), int((media[3] - y) * scale)

    found: list[Finding] = []
    offset = MARK_OFFSET_MM * MM
    for x, out_x in ((trim[0], -1), (trim[2], 1)):
        for y in (trim[1], trim[3]):
            # The horizontal mark lies on the trim line, beyond the bleed.
            start = pixel(x + out_x * (offset + 1 * MM), y)
            end = pixel(x + out_x * (offset + 4 * MM), y)
            row = image.crop((min(start[0], end[0]), start[1] - 1,
                              max(start[0], end[0]) + 1, start[1] + 2))
            if row.getextrema()[0] > 160:  # type: ignore[operator]
                found.append(("a crop mark is not visible at a corner of the trim", number))
                return found
    # Outside the bleed only marks: thin lines on the trim's edges, and fold
    # marks (thin, upright) above and below it.
    left, top = pixel(bleed[0], bleed[3])
    right, bottom = pixel(bleed[2], bleed[1])
    outside = image.copy()
    outside.paste(255, (left - 1, top - 1, right + 2, bottom + 2))
    for edge in (pixel(trim[0], 0)[0], pixel(trim[2], 0)[0]):
        outside.paste(255, (edge - 2, 0, edge + 3, image.height))
    for edge in (pixel(0, trim[3])[1], pixel(0, trim[1])[1]):
        outside.paste(255, (0, edge - 2, image.width, edge + 3))
    for strip in ((left, 0, right, top), (left, bottom, right, image.height)):
        crop = outside.crop(strip)
        columns = [column for column in range(crop.width)
                   if crop.crop((column, 0, column + 1, crop.height)).getextrema()[0] < 128]  # type: ignore[operator]
        runs = _runs(columns)
        if any(length > 3 for length in runs):
            found.append(("artwork reaches past the bleed into the marks' area", number))
            return found
        outside.paste(255, strip)
    if _dark_box(outside, threshold=128) is not None:
        found.append(("artwork reaches past the bleed into the marks' area", number))
    return found


def _runs(columns: list[int]) -> list[int]:
    """Lengths of the runs of consecutive numbers in ``columns``."""
    runs: list[int] = []
    for index, column in enumerate(columns):
        if index and column == columns[index - 1] + 1:
            runs[-1] += 1
        else:
            runs.append(1)
    return runs


def imposed(path: Path, target: Target, pages: int | None = None) -> list[Finding]:
    """Imposed sheets: the right size, inside a printable margin (office), in folding order.

    ``pages``: the booklet's page count, to check the order (read from the
    sheets' running footers).
    """
    if not target.imposed_kind:
        return []
    found: list[Finding] = []
    sheets = _read(path)
    if target.imposed_kind == "imposed-office":
        from .imposition import SHEETS

        wanted = SHEETS.get(target.paper)
        for sheet, image in zip(sheets, _images(path)):
            if wanted and (abs(sheet.width - wanted[0]) > 1 or abs(sheet.height - wanted[1]) > 1):
                found.append((f"an office sheet of {sheet.width / MM:.0f} x "
                              f"{sheet.height / MM:.0f} mm, not {target.paper} landscape",
                              sheet.number))
            scale = image.width / sheet.width
            margin = int((OFFICE_MARGIN_MM - 0.5) * MM * scale)
            w, h = image.size
            for box in ((0, 0, w, margin), (0, h - margin, w, h), (0, 0, margin, h),
                        (w - margin, 0, w, h)):
                if _ink_rows(image, box):
                    found.append(("ink within the margin a desktop printer cannot print",
                                  sheet.number))
                    break
    count = pages or (2 * len(sheets))
    order = _footer_order(sheets, count)
    expected = sheet_order(count, target.rtl) if count % 4 == 0 else []
    for index, (side, (left, right)) in enumerate(zip(order, expected)):
        for half, wanted_index in ((side[0], left), (side[1], right)):
            if half is not None and half != wanted_index + 1:
                found.append((f"page {half} where page {wanted_index + 1} belongs: the "
                              "sheets do not fold into page order", index + 1))
    return found


def _footer_order(sheets: list[_Page], total: int) -> list[tuple[int | None, int | None]]:
    """The page numbers in the running footers of each sheet's left and right halves."""
    order = []
    for sheet in sheets:
        middle = (sheet.trim[0] + sheet.trim[2]) / 2
        numbers: list[int | None] = []
        for low, high in ((sheet.trim[0], middle), (middle, sheet.trim[2])):
            footer = [char for char in sheet.chars if low <= char["x0"] < high
                      and char["top"] > sheet.trim[3] - FOOTER_ZONE_MM * MM]
            digits = [int(value) for value in re.findall(r"\d+", "".join(
                char["text"] for char in sorted(footer, key=lambda char: char["x0"])))]
            # "Page 3 of 16" (or, right to left, "16 ... 3"): the one that is not the total.
            others = [value for value in digits if value != total]
            numbers.append(others[0] if len(digits) == 2 and len(others) == 1 else None)
        order.append((numbers[0], numbers[1]))
    return order


#: Every check, in the order check --pdf reports them.
CHECKS = (page_count, page_fill, text_top, hyphenation, type_sizes, line_length,
          short_lines, figures, letter_spacing, reading_direction, qr_codes, margins,
          folds, marks, imposed)


def run(path: Path, target: Target) -> list[Finding]:
    """Every print check of one built PDF (remembered while the file is unchanged)."""
    return [(message, page) for _, message, page in run_by_check(path, target)]


def run_by_check(path: Path, target: Target) -> tuple[tuple[str, str, int | None], ...]:
    """(check's name, message, page) of every finding in one built PDF."""
    stat = path.stat()
    return _run(path, stat.st_size, stat.st_mtime_ns, target)


@functools.lru_cache(maxsize=256)
def _run(path: Path, size: int, mtime: int, target: Target
         ) -> tuple[tuple[str, str, int | None], ...]:
    return tuple((check.__name__, message, page) for check in CHECKS
                 for message, page in check(path, target))


# What qa.py knows of a file -------------------------------------------------------------

def target_of(built: Any, sources: Any) -> Target | None:
    """The :class:`Target` of a file qa.py has parsed (``built``), from its ``sources``."""
    if built is None or built.layout not in LAYOUTS:
        return None
    clinic = sources.clinic(built.clinic)
    document = sources.document(built.clinic, built.document)
    if clinic is None or document is None:
        return None
    catalog = sources.document_catalog(built.clinic, built.document, built.language)
    values = {"clinic_name": clinic.name, "phone": clinic.phone,
              "website": clinic.website_label}

    def text(context: str | None, msgid: str) -> str:
        return _plain(markup.plain(catalog.messages.get((context, msgid), msgid), values))

    protected = [clinic.name, clinic.phone, *clinic.address]
    protected.append(text(document.disclaimer.context, document.disclaimer.msgid))
    for section in document.sections:
        protected.append(text(section.heading.context, section.heading.msgid))
        for block in section.blocks:
            if block.text is not None and block.kind in (
                    "warning", "question", "subheading", "call_us", "emergency"):
                protected.append(text(block.text.context, block.text.msgid))
            if block.kind in ("call_us", "emergency"):
                protected.extend(text(item.context, item.msgid) for item in block.items)
    import segno

    return Target(
        layout=built.layout, language=built.language, suffix=built.suffix,
        protected=tuple(item for item in dict.fromkeys(protected) if item),
        names=(clinic.name,), urls=(clinic.website_label,),
        # The notes pages' heading is the templates' text: the shared catalog's.
        notes_heading=_plain(sources.catalog(built.language).messages.get(
            ("ui.notes", "My notes and questions"), "My notes and questions")),
        booking_url=clinic.booking_url,
        qr_modules=int(segno.make(clinic.booking_url, error="m").symbol_size(border=0)[0]),
        paper=clinic.paper)


def problems(path: Path, built: Any, sources: Any) -> Iterable[Finding]:
    """The print checks of one file, for qa.py's ``check --pdf``."""
    target = target_of(built, sources)
    return run(path, target) if target is not None else ()
