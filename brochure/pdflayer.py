"""The PDF layer: WeasyPrint's PDF writer, with the fixes a screen reader and a mailbox need.

:func:`write_pdf` is the one entry point: it writes a laid-out WeasyPrint
document as PDF/UA-1, like ``document.write_pdf``, with these changes:

* **Text layer.** WeasyPrint's ToUnicode map gives each glyph the text of
  its first use, and draws right-to-left runs in visual order. Wherever the
  glyphs of a left-to-right line do not read back as its text (Devanagari
  and Thai clusters, letter-spaced labels), the line's marked content gets
  an ``/ActualText`` with its text. A line with right-to-left text gets one
  ActualText per bidi run, written once its page is complete (poppler reads
  a page in its majority direction) as :mod:`.bidilayer` works out, so that
  poppler and PDFium read it back in logical order; raised marks are drawn
  after their base where a run starts with one. A word broken after a
  hyphen or a dash at the end of a line reads whole on the next
  ("mag-ehersisyo", "कभी-कभी", "4–6"; hyphenated words without a
  hyphen); soft hyphens and word joiners read as nothing. Glyphs that
  map to no text stay in the font subset.
* **Accessible names.** An element that shows no text but has an
  ``aria-label`` (the handout's write-in lines) says it (``/ActualText``).
* **Language tags.** Every structure element whose language differs from
  its parent's carries its own ``/Lang``.
* **Reading order.** Elements marked ``data-reading-order="N"`` in the HTML
  (the trifold's panels) are put in that order in the structure tree.
* **One annotation per link.** WeasyPrint gives each inline child of a link
  (a direction-isolated phone number, an SVG) its own copy of the link, and
  a link that wraps an annotation per line: it gets one, with /QuadPoints.
* **Small fonts.** CID-keyed CFF fonts (Noto CJK) are subset without
  keeping empty glyph slots and embedded as bare CFF (``FontFile3
  /CIDFontType0C``), which poppler, MuPDF and PDFium all read. Font files
  are no longer copied whole into Python for each document.

Each fix reaches into WeasyPrint internals; these are pinned to
:data:`WEASYPRINT_VERSION` (see constraints.txt) and
``tests/test_pdflayer.py`` fails loudly when an upgrade changes them. The
patches are installed once, but act only inside :func:`write_pdf` (a
thread-local switch), so any other use of WeasyPrint in the process is
unchanged.
"""

from __future__ import annotations

import contextlib
import io
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pydyf
import weasyprint
import weasyprint.document as wp_document
import weasyprint.draw as wp_draw
import weasyprint.draw.text as wp_draw_text
import weasyprint.pdf as wp_pdf
import weasyprint.pdf.fonts as wp_fonts
import weasyprint.pdf.stream as wp_stream
import weasyprint.pdf.tags as wp_tags
from fontTools.cffLib import CFFFontSet
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset, pango

from . import bidilayer

#: The WeasyPrint release whose internals this module was written against.
WEASYPRINT_VERSION = "70.0"

#: Characters that must not reach the text layer as typeset: the hyphen that
#: hyphenation adds reads as a plain hyphen-minus (pdftotext joins a line
#: ending in one with the next line), soft hyphens and word joiners as nothing.
_TEXT_LAYER = str.maketrans({"\u2010": "-", "\u00ad": None, "\u2060": None})
#: HTML attribute that puts an element at a given place in the structure tree.
READING_ORDER_ATTRIBUTE = "data-reading-order"


@dataclass
class _BidiBox:
    """A drawn text box on a line with right-to-left text: its text layer is written last."""

    stream: Any
    start: int          # its items: stream.stream[start:end]
    end: int
    x: float
    runs: list[_Run]
    properties: Any     # the marked content's property list (MCID)
    #: Its items and glyphs ((text, drawn risen) in drawing order) and their widths.
    items: list[Any] = field(default_factory=list)
    glyphs: list[tuple[str, bool]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    #: Raised marks (glyph indices) that _marks_after_bases can draw after their base.
    swappable: set[int] = field(default_factory=set)


@dataclass
class _Line:
    """The text boxes of one line box, in drawing order."""

    direction: str
    page: int
    boxes: list[_BidiBox] = field(default_factory=list)


@dataclass
class _Job:
    """What the patches collect while one document is written."""

    #: Structure elements to reorder: (order, position in the tree, element).
    reading_order: list[tuple[float, int, pydyf.Dictionary]] = field(default_factory=list)
    #: Lines whose text layer is written when the page is complete.
    lines: list[_Line] = field(default_factory=list)
    #: The line box being drawn.
    line: _Line | None = None
    #: Per page: left-to-right minus right-to-left letters, as poppler counts them.
    balance: dict[int, int] = field(default_factory=dict)
    #: The page being drawn (its number).
    page: int = -1
    #: The start of a word broken after a hyphen at the end of the last line drawn.
    carried: str = ""
    #: Per font file: glyphs drawn that map to no text (kept in the subset).
    unmapped: dict[Any, set[int]] = field(default_factory=dict)


_state = threading.local()


def _job() -> _Job | None:
    return getattr(_state, "job", None)


def write_pdf(document: Any, identifier: bytes, spreads: bool = True) -> bytes:
    """Write ``document`` (a rendered :class:`weasyprint.Document`) as tagged PDF/UA-1.

    ``identifier`` is the PDF's file identifier; the same document and
    identifier give the same bytes. ``spreads``: the document is read as
    facing pages, so a right-to-left one says so (:func:`_reading_direction`).
    """
    _install()
    previous = _job()
    _state.job = job = _Job()
    try:
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier,
                                 finisher=lambda _document, pdf: _finish(pdf, job, spreads))
    finally:
        _state.job = previous
    assert isinstance(pdf, bytes)
    return pdf


# --- Text layer -------------------------------------------------------------------------

@dataclass
class _Cluster:
    """Glyphs of one cluster as drawn, and the text they stand for."""

    text: str          # the logical text, as it should be extracted
    extracted: str     # what the ToUnicode map makes of the glyphs
    glyphs: int        # glyphs written to the content stream
    offset: int = 0    # where the text starts in the layout's UTF-8 text (logical order)
    glyph_texts: list[str] = field(default_factory=list)  # each glyph's ToUnicode text
    glyph_risen: list[bool] = field(default_factory=list)  # drawn with a text rise
    glyph_widths: list[float] = field(default_factory=list)  # advance in the PDF's /W units
    shifted: bool = False  # a glyph drawn with a horizontal offset (a mark moved onto its base)

    @property
    def faithful(self) -> bool:
        """Whether extractors read this cluster right from its glyphs alone.

        A cluster of several glyphs (a Devanagari conjunct with its vowel
        sign) maps its text to one of them and nothing to the others, which
        poppler reads as a word break. So does a glyph drawn with a
        horizontal offset: Pango can give a vowel sign a cluster of its own
        and move it back onto its consonant (Noto Sans Devanagari's े on द),
        and poppler, seeing a glyph that goes backwards, ends the word there
        ("देती" read as "दे ती").
        """
        if not self.glyphs:  # a space drawn as nothing reads as the gap it leaves
            return not self.text.strip()
        return self.glyphs == 1 and self.text == self.extracted and not self.shifted


@dataclass
class _Run:
    rtl: bool
    clusters: list[_Cluster]


def _runs(stream: Any, textbox: Any) -> list[_Run]:
    """The glyph runs of ``textbox``'s line, in drawing order, with their clusters.

    Mirrors the loop of upstream ``weasyprint.draw.text.draw_first_line``:
    which glyphs it writes (none for ``PANGO_GLYPH_EMPTY``) and how it maps
    a glyph to text (``Font.to_unicode``, first use wins).
    """
    first_line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    runs = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        font, _ = stream.add_font(item.analysis.font)
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        clusters = [glyph_string.log_clusters[i] for i in range(count)]
        starts = sorted(set(clusters)) + [item.length]
        ends = {start: starts[index + 1] for index, start in enumerate(starts[:-1])}
        grouped: list[_Cluster] = []
        previous = None
        for index in range(count):
            glyph = glyph_string.glyphs[index].glyph
            if clusters[index] != previous:
                previous = clusters[index]
                begin = item.offset + previous
                text = utf8[begin:item.offset + ends[previous]].decode()
                grouped.append(_Cluster(text.translate(_TEXT_LAYER), "", 0, begin))
            if glyph == pango.PANGO_GLYPH_EMPTY:
                continue
            if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                glyph = font.missing.get(glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG, 0)
            glyph_text = font.to_unicode.get(glyph, "").translate(_TEXT_LAYER)
            grouped[-1].glyphs += 1
            grouped[-1].extracted += glyph_text
            grouped[-1].glyph_texts.append(glyph_text)
            grouped[-1].glyph_risen.append(bool(glyph_string.glyphs[index].geometry.y_offset))
            grouped[-1].glyph_widths.append(font.widths.get(glyph, 0))
            # draw_first_line writes a nonzero x_offset as a move before the glyph.
            grouped[-1].shifted |= bool(glyph_string.glyphs[index].geometry.x_offset)
        runs.append(_Run(bool(item.analysis.level % 2), grouped))
    return runs


def _pieces(runs: list[_Run]) -> list[tuple[int, str | None]]:
    """Split a line with right-to-left runs into (glyph count, actual text or None) pieces.

    Each right-to-left run is one piece. poppler and PDFium spread an
    ActualText over its glyphs left to right, then reorder right-to-left
    text as they do glyphs, so the run's text is given in drawing (visual)
    order, which they read back in logical order, mirrored brackets and
    marks included. Left-to-right runs keep their glyphs' own text where
    that is right.
    """
    pieces: list[tuple[int, str | None]] = []
    for run in runs:
        glyphs = sum(cluster.glyphs for cluster in run.clusters)
        if run.rtl:
            logical = "".join(cluster.text for cluster in reversed(run.clusters))
            pieces.append((glyphs, logical[::-1]))
        elif all(cluster.faithful for cluster in run.clusters):
            pieces.append((glyphs, None))
        else:
            pieces.append((glyphs, "".join(cluster.text for cluster in run.clusters)))
    return pieces


def _split_shows(items: list[Any], pieces: list[tuple[int, str | None]],
                 first_apart: bool = False) -> list[Any]:
    """Re-emit content stream ``items`` with a marked-content span around each piece.

    ``items`` are what ``draw_first_line`` appended: text matrix, font and
    rise operators and ``[...] TJ`` arrays of 4-digit hex glyph ids.
    ``pieces`` are (glyph count, ActualText or None for no span) in drawing
    order. With ``first_apart``, the first glyph of each span is a text
    object of its own (PDFium takes a span's direction from it).
    """
    starts: dict[int, str | None] = {}
    position = 0
    for count, text in pieces:
        if count:
            starts[position] = text
        position += count
    output: list[Any] = []
    current: list[bytes] = []
    glyph_index = 0
    open_span = False
    split_at = -1

    def flush() -> None:
        if current:
            output.append(b"[" + b"".join(current) + b"] TJ")
            current.clear()

    for item in items:
        if not (isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")):
            output.append(item)
            continue
        for token in _tj_tokens(item[1:-4]):
            if not token.startswith(b"<"):
                current.append(b" " + token + b" ")
                continue
            hex_ids = token[1:-1]
            for offset in range(0, len(hex_ids), 4):
                if glyph_index in starts or glyph_index == split_at:
                    flush()
                if glyph_index in starts:
                    if open_span:
                        output.append(b"EMC")
                        open_span = False
                    text = starts[glyph_index]
                    if text is not None:
                        output.extend([b"/Span", pydyf.Dictionary(
                            {"ActualText": pydyf.String(text)}), b"BDC"])
                        open_span = True
                        split_at = glyph_index + 1 if first_apart else -1
                current.append(b"<" + hex_ids[offset:offset + 4] + b">")
                glyph_index += 1
        flush()
    flush()
    if open_span:
        output.append(b"EMC")
    return output


def _tj_tokens(array: bytes) -> list[bytes]:
    """Hex strings and numbers of a TJ array body such as ``<00120034>-12.5<0041>``."""
    tokens = []
    index = 0
    while index < len(array):
        char = array[index:index + 1]
        if char == b"<":
            end = array.index(b">", index)
            tokens.append(array[index:end + 1])
            index = end + 1
        elif char.isspace():
            index += 1
        else:
            end = index
            while end < len(array) and array[end:end + 1] not in (b"<", b" "):
                end += 1
            tokens.append(array[index:end])
            index = end
    return tokens


def _set_actual_text(stream: Any, textbox: Any, start: int) -> None:
    """Give the line just drawn (``stream.stream[start:]``) an exact text layer."""
    job = _job()
    assert job is not None
    runs = _runs(stream, textbox)
    clusters = [cluster for run in runs for cluster in run.clusters]
    logical = "".join(cluster.text for cluster in sorted(clusters, key=lambda c: c.offset))
    job.balance[job.page] = job.balance.get(job.page, 0) + _poppler_balance(logical)
    properties = getattr(stream, "_brochure_text_properties", None)
    if properties is None:  # list markers are drawn outside any marked content
        return
    line = job.line
    if line is not None and hasattr(textbox, "position_x") and (
            line.direction == "rtl" or any(run.rtl for run in runs)):
        # Written once the page is complete: see _write_bidi_lines.
        line.boxes.append(_BidiBox(stream, start, len(stream.stream), textbox.position_x,
                                   runs, properties))
        return
    text = "".join(cluster.text for cluster in clusters)
    # A word broken at the end of the line before reads whole here (see below).
    carried, job.carried = job.carried, ""
    broken = _broken_word(textbox, text)
    # Letter-spaced text (small capitals labels) reads as single letters in poppler.
    spaced = textbox.style["letter_spacing"] not in ("normal", 0)
    if spaced or carried or broken or not all(cluster.faithful for cluster in clusters):
        if broken:
            text, job.carried = text[:-len(broken)], broken
            if broken.endswith("-") and textbox.text.endswith(
                    textbox.style["hyphenate_character"]):
                job.carried = broken[:-1]  # the hyphen hyphenation added is not text
        properties["ActualText"] = pydyf.String(carried + text or bidilayer.FILLER)


#: Dashes a line may break after inside a word: hyphen-minus, en dash ("4–6"), em dash.
_BREAK_AFTER = "-\u2013\u2014"


def _broken_word(textbox: Any, text: str) -> str:
    """The start of a word that ``textbox``'s line breaks after a dash, or "".

    Extractors join a line ending in a hyphen with the next and drop the
    hyphen, right for hyphenation but not for a word that has one
    ("mag-ehersisyo", "कभी-कभी"); they join a line ending in an en dash
    with a space ("4– 6"). A word ending in a dash is read where it ends.
    The dash follows a letter, a mark (Devanagari vowel signs) or a digit.
    """
    if len(text) < 2 or text[-1] not in _BREAK_AFTER \
            or unicodedata.category(text[-2])[0] not in "LMN":
        return ""
    return text.split()[-1]


def _poppler_balance(text: str) -> int:
    """Left-to-right minus right-to-left letters of ``text``, as poppler counts a page's."""
    kinds = [bidilayer.poppler_class(char) for char in text]
    return kinds.count("L") - kinds.count("R")


def _write_bidi_lines(job: _Job) -> None:
    """Write the text layer of the lines with right-to-left text (see :mod:`.bidilayer`).

    poppler reads a page in its majority direction, so this waits until
    every page is drawn. A line that the two readers' models cannot both
    read right keeps one ActualText per right-to-left run.
    """
    edits: list[tuple[_BidiBox, list[tuple[int, str | None]], bool]] = []
    for line in job.lines:
        if not line.boxes:
            continue
        for box in line.boxes:
            clusters = [cluster for run in box.runs for cluster in run.clusters]
            box.glyphs = [(text, risen) for cluster in clusters for text, risen
                          in zip(cluster.glyph_texts, cluster.glyph_risen, strict=True)]
            box.widths = [width for cluster in clusters for width in cluster.glyph_widths]
            box.items = box.stream.stream[box.start:box.end]
            box.swappable = _marks_after_bases(box.items, box.widths)[2]
        boxes_x = sorted(line.boxes, key=lambda box: box.x)
        ordered = boxes_x[::-1] if line.direction == "rtl" else boxes_x
        texts = ["".join(cluster.text for cluster in sorted(
            (c for run in box.runs for c in run.clusters), key=lambda c: c.offset))
            for box in ordered]
        text = "".join(texts)
        if not bidilayer.has_rtl(text):
            # Drawn in logical order: a Latin run of several boxes (a web address
            # that may break, markup.breakable_url) keeps its order in x.
            text = "".join("".join(cluster.text for cluster in sorted(
                (c for run in box.runs for c in run.clusters), key=lambda c: c.offset))
                for box in line.boxes)
            if _reads_as_drawn(text, boxes_x):
                continue
        rtl_page = job.balance.get(line.page, 0) < 0
        pieces = _bidi_pieces(text, boxes_x, rtl_page)
        for index, box in enumerate(boxes_x):
            box.properties.pop("ActualText", None)
            if pieces is None:
                edits.append((box, _pieces(box.runs), False))
            else:
                box_pieces, swaps = pieces[index]
                box.items = _marks_after_bases(box.items, box.widths, swaps)[0]
                edits.append((box, box_pieces, True))
    # Later items first, so that earlier positions stay valid.
    for box, box_pieces, first_apart in sorted(edits, key=lambda e: -e[0].start):
        items = box.items if first_apart else box.stream.stream[box.start:box.end]
        box.stream.stream[box.start:box.end] = _split_shows(items, box_pieces, first_apart)


def _reads_as_drawn(text: str, boxes_x: list[_BidiBox]) -> bool:
    """Whether the glyphs of a line without right-to-left letters, in x order, read as ``text``.

    In a right-to-left paragraph a neutral at the end of a left-to-right run
    takes the paragraph's direction: a line that is only "L5." (a Latin run,
    :func:`.markup.latin_run`, and the full stop after it) is drawn ".L5",
    and extractors read it so. Such a line gets the bidi text layer too.
    """
    drawn = "".join(glyph for box in boxes_x for glyph, _ in box.glyphs)
    return "".join(bidilayer.strip_marks(drawn).split()) == "".join(
        bidilayer.strip_marks(text).split())


def _marks_after_bases(items: list[Any], widths: list[float], only: set[int] | None = None
                       ) -> tuple[list[Any], list[int], set[int]]:
    """``items`` with the raised or lowered marks in ``only`` drawn after the glyph they sit on.

    Right-to-left, Pango gives a mark before its base, moved onto it. A span
    must not start with such a mark (poppler would put its ActualText on a
    line of its own), so the first mark of a span is drawn second, at the
    same place (``draw_first_line`` writes ``r Ts [offset <mark>] TJ 0 Ts
    [<> kerning <base> ...] TJ``; the new offsets follow from the two
    glyphs' widths). Returns the items, the original index of each glyph in
    the new drawing order, and the indices of the marks that could be moved.
    """
    out = list(items)
    order = list(range(len(widths)))
    movable: set[int] = set()
    glyph = 0
    index = 0
    while index < len(out):
        item = out[index]
        if not _is_show(item):
            index += 1
            continue
        tokens = _tj_tokens(item[1:-4])
        count = sum(len(token[1:-1]) // 4 for token in tokens if token.startswith(b"<"))
        swap = _mark_and_base(out, index, tokens)
        if swap is not None and glyph + 1 < len(widths):
            movable.add(glyph)
        if swap is None or glyph + 1 >= len(widths) or only is None or glyph not in only:
            glyph += count
            index += 1
            continue
        mark_offset, mark_id, kerning, base_id, rest = swap
        mark_width, base_width = widths[glyph], widths[glyph + 1]
        before = mark_offset - mark_width + kerning
        base = b"[" + _number(before) + b" <" + base_id + b">] TJ"
        mark = (b"[" + _number(mark_width - kerning + base_width) + b" <" + mark_id + b"> "
                + _number(kerning - base_width) + b"] TJ")
        # ... Ts, mark, 0 Ts, base+rest  ->  base, Ts, mark, 0 Ts, rest
        rise, zero = out[index - 1], out[index + 1]
        out[index - 1:index + 3] = [base, rise, mark, zero] + ([rest] if rest else [])
        order[glyph], order[glyph + 1] = order[glyph + 1], order[glyph]
        glyph += 2
        index += 3
    return out, order, movable


def _is_show(item: Any) -> bool:
    return isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")


def _number(value: float) -> bytes:
    return f"{value:.3f}".rstrip("0").rstrip(".").encode() or b"0"


def _mark_and_base(items: list[Any], index: int, tokens: list[bytes]
                   ) -> tuple[float, bytes, float, bytes, bytes | None] | None:
    """(mark offset, mark id, kerning, base id, rest of the base's TJ) if ``items[index]`` is a
    lone raised mark followed by its base, as ``draw_first_line`` writes them."""
    if not (0 < index < len(items) - 2 and isinstance(items[index - 1], bytes)
            and items[index - 1].endswith(b" Ts") and items[index - 1] != b"0 Ts"
            and items[index + 1] == b"0 Ts" and _is_show(items[index + 2])):
        return None
    glyph_tokens = [token for token in tokens if token.startswith(b"<")]
    numbers = [token for token in tokens if not token.startswith(b"<")]
    if len(glyph_tokens) != 1 or len(glyph_tokens[0]) != 6 or len(numbers) > 1 \
            or (numbers and tokens[0] != numbers[0]):
        return None
    following = _tj_tokens(items[index + 2][1:-4])
    if following[:1] == [b"<>"]:
        following = following[1:]
    kerning = 0.0
    if following and not following[0].startswith(b"<"):
        kerning = float(following[0])
        following = following[1:]
    if not following or not following[0].startswith(b"<") or len(following[0]) < 6:
        return None
    base_id = following[0][1:5]
    rest_tokens = ([b"<" + following[0][5:]] if len(following[0]) > 6 else []) + following[1:]
    rest = b"[" + b" ".join(rest_tokens) + b"] TJ" if rest_tokens else None
    return (float(numbers[0]) if numbers else 0.0, glyph_tokens[0][1:5], kerning, base_id,
            rest)


def _bidi_pieces(text: str, boxes_x: list[_BidiBox], rtl_page: bool
                 ) -> list[tuple[list[tuple[int, str | None]], set[int]]] | None:
    """Per box of a line, (glyph count, ActualText) pieces and the marks to draw after their
    bases; None if poppler would misread the line.

    Each piece of :func:`bidilayer.tokens` gets a span of its own where it
    fits (see :func:`_token_starts`); one that does not joins the span
    before it, which poppler reads the same, but PDFium may not.
    """
    tokens = bidilayer.tokens(text, rtl_page)
    glyphs = [_Glyph(index, bidilayer.has_rtl(glyph_text), risen, number in box.swappable)
              for index, box in enumerate(boxes_x)
              for number, (glyph_text, risen) in enumerate(box.glyphs)]
    spans = _token_starts(tokens, glyphs)
    if not spans:
        return None
    goal = bidilayer.strip_marks(text)
    # A span that starts with a mark starts with its base once they are swapped.
    first = [start + 1 if glyphs[start].risen else start for start, _ in spans]
    poppler, _pdfium = bidilayer.read_back([token for _, token in spans],
                                           [glyphs[glyph].rtl for glyph in first], rtl_page)
    if poppler != goal:
        return None
    pieces: list[tuple[list[tuple[int, str | None]], set[int]]] = [([], set()) for _ in boxes_x]
    starts = dict(spans)
    offsets = [sum(len(box.glyphs) for box in boxes_x[:index]) for index in range(len(boxes_x))]
    for start in starts:
        if glyphs[start].risen:
            pieces[glyphs[start].box][1].add(start - offsets[glyphs[start].box])
    # Glyphs before the first span, or past a box's end, get an empty text.
    cuts = sorted({0, *starts, *(i for i in range(1, len(glyphs))
                                if glyphs[i].box != glyphs[i - 1].box)})
    for cut, following in zip(cuts, [*cuts[1:], len(glyphs)], strict=True):
        pieces[glyphs[cut].box][0].append((following - cut, starts.get(cut, bidilayer.FILLER)))
    return pieces


@dataclass(frozen=True)
class _Glyph:
    box: int         # which box of the line
    rtl: bool        # its text is right-to-left
    risen: bool      # a mark drawn higher or lower, before its base
    movable: bool    # _marks_after_bases can draw it after its base


def _token_starts(tokens: list[str], glyphs: list[_Glyph]) -> list[tuple[int, str]] | None:
    """(first glyph, ActualText) of each span, in x order, or None if nothing fits.

    Spans follow the glyphs roughly in proportion to their text. A raised or
    lowered mark stays in the span of its base, and neither begins nor ends
    it (poppler would put the span's text on a line of its own, or see a gap
    after it; PDFium would compare the next text object with the mark and
    may start a new line): a span can start at a mark only if the mark can
    be drawn after its base and the span goes on after them. A text of more
    than one character without right-to-left letters starts at a glyph that
    is not right-to-left, so that PDFium does not reverse it. A text with no
    such glyph left joins the span before it.
    """
    def unit_end(glyph: int) -> int:
        """The last glyph of the mark-and-base unit that starts at ``glyph``."""
        while glyph + 1 < len(glyphs) and glyphs[glyph].risen:
            glyph += 1
        return glyph

    def fits(glyph: int, needs_ltr: bool) -> bool:
        if glyph and glyphs[glyph - 1].risen:
            return False  # inside a unit
        first = glyph
        if glyphs[glyph].risen:
            if not glyphs[glyph].movable or glyphs[glyph + 1].risen:
                return False
            first = glyph + 1
        return not (needs_ltr and glyphs[first].rtl)

    lengths = [len(bidilayer.strip_marks(token)) or 1 for token in tokens]
    total = sum(lengths)
    spans: list[tuple[int, str]] = []
    before = 0
    for index, token in enumerate(tokens):
        lowest = 0
        if spans:
            previous = spans[-1][0]
            # A span that starts at a mark holds more than the mark and its base.
            lowest = unit_end(previous) + 2 if glyphs[previous].risen else previous + 1
        wanted = max(lowest, min(len(glyphs) - 1, len(glyphs) * before // total))
        before += lengths[index]
        needs_ltr = len(token) > 1 and not bidilayer.has_rtl(token)
        start = next((g for g in [*range(wanted, len(glyphs)), *range(wanted - 1, lowest - 1, -1)]
                      if fits(g, needs_ltr)), None)
        if start is None or (len(tokens) - index > len(glyphs) - start and spans):
            if not spans:
                return None
            spans[-1] = (spans[-1][0], spans[-1][1] + token)
            continue
        spans.append((start, token))
    while len(spans) > 1 and glyphs[spans[-1][0]].risen \
            and unit_end(spans[-1][0]) == len(glyphs) - 1:
        start, token = spans.pop()
        spans[-1] = (spans[-1][0], spans[-1][1] + token)
    if glyphs[spans[0][0]].risen and len(spans) == 1 and unit_end(spans[0][0]) == len(glyphs) - 1:
        return None
    return spans


# Upstream: weasyprint.draw.text.draw_first_line(stream, textbox, text_overflow,
# block_ellipsis, matrix), called by draw_text through the module global.
_upstream_draw_first_line = wp_draw_text.draw_first_line


def _draw_first_line(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any,
                     matrix: Any) -> Any:
    start = len(stream.stream)
    emojis = _upstream_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if _job() is not None and stream._tags is not None:
        _set_actual_text(stream, textbox, start)
    return emojis


# Upstream: weasyprint.draw.draw_inline_level(stream, page, box, offset_x, text_overflow,
# block_ellipsis), which calls itself through the module global for nested boxes.
_upstream_draw_inline_level = wp_draw.draw_inline_level


def _draw_inline_level(stream: Any, page: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
    job = _job()
    if job is None or not isinstance(box, boxes.LineBox):
        return _upstream_draw_inline_level(stream, page, box, *args, **kwargs)
    previous, job.line = job.line, _Line(box.style["direction"], job.page)
    job.lines.append(job.line)
    try:
        return _upstream_draw_inline_level(stream, page, box, *args, **kwargs)
    finally:
        job.line = previous


# Upstream: weasyprint.draw.draw_page(page, stream), called by Page.paint through the
# weasyprint.document module global.
_upstream_draw_page = wp_document.draw_page


def _draw_page(page: Any, stream: Any) -> Any:
    job = _job()
    if job is not None:
        job.page += 1
    return _upstream_draw_page(page, stream)


# Upstream: weasyprint.pdf.stream.Stream.marked(self, box, tag), a context manager
# that opens "/Span <</MCID n>> BDC" around each text box.
_upstream_marked = wp_stream.Stream.marked


@contextlib.contextmanager
def _marked(self: Any, box: Any, tag: str) -> Iterator[None]:
    if _job() is None or self._tags is None or not isinstance(box, boxes.TextBox):
        with _upstream_marked(self, box, tag):
            yield
        return
    with _upstream_marked(self, box, tag):
        # The property list upstream just appended: "/Span", <<MCID>>, "BDC".
        self._brochure_text_properties = self.stream[-2]
        try:
            yield
        finally:
            self._brochure_text_properties = None


# --- Fonts ------------------------------------------------------------------------------

_LAZY = object()
_upstream_font_init = wp_fonts.Font.__init__
_upstream_get_hb_object_data = wp_fonts.get_hb_object_data
_upstream_harfbuzz_subset = wp_fonts.Font._harfbuzz_subset


def _font_init(self: Any, pango_font: Any, description: Any, font_size: Any) -> None:
    # Upstream Font.__init__ copies the whole font file (19-20 MB for a CJK
    # face) into self.file_content; most documents never need it.
    _state.lazy_font = _job() is not None
    try:
        _upstream_font_init(self, pango_font, description, font_size)
    finally:
        _state.lazy_font = False


def _get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
    if ot_color is None and getattr(_state, "lazy_font", False):
        return _LAZY
    return _upstream_get_hb_object_data(hb_object, ot_color, glyph)


def _get_file_content(self: Any) -> bytes:
    content = self.__dict__.get("_brochure_file_content")
    if content is _LAZY:
        content = self.__dict__["_brochure_file_content"] = (
            _upstream_get_hb_object_data(self.hb_face))
    return content


def _set_file_content(self: Any, content: bytes) -> None:
    self.__dict__["_brochure_file_content"] = content


def _font_type(self: Any) -> str:
    # Upstream Font.type: "otf" for CFF-flavoured OpenType (FontFile3, CIDFontType0).
    if self.__dict__.get("_brochure_bare_cff"):
        return "otf"
    return "otf" if self.file_content[:4] == b"OTTO" else "ttf"


def _harfbuzz_subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """Subset CID-keyed CFF fonts without keeping empty glyph slots.

    Upstream ``Font._harfbuzz_subset`` keeps glyph ids 0..max used
    (``HB_SUBSET_FLAGS_RETAIN_GIDS``): 60,000 empty slots in a CJK font.
    A CID-keyed CFF subset keeps each glyph's CID, and the content stream
    addresses glyphs by CID, so nothing else changes, as long as CIDs equal
    the original glyph ids (true of Noto CJK; checked, else upstream runs).
    """
    if _job() is None or "CFF " not in self.tables:
        _upstream_harfbuzz_subset(self, to_unicode, hinting)
        return
    glyphs = sorted({0, *(glyph for glyph in to_unicode if glyph < self.glyph_count)})
    cff = _subset_cff(self.hb_face, glyphs, hinting, bool(self.missing))
    if cff is None or not _cids_are_glyph_ids(cff, glyphs):
        _upstream_harfbuzz_subset(self, to_unicode, hinting)
        return
    self.file_content = cff
    self.__dict__["_brochure_bare_cff"] = True


def _subset_cff(hb_face: Any, glyphs: list[int], hinting: bool, notdef_outline: bool
                ) -> bytes | None:
    """The bare CFF table of a subset of ``hb_face`` holding ``glyphs``, in order."""
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(),
                          harfbuzz_subset.hb_subset_input_destroy)
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    glyph_array = ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)
    harfbuzz.hb_set_add_sorted_array(glyph_set, glyph_array, len(glyphs))
    flags = (harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
             | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if notdef_outline:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    # Only the CFF table is embedded: skip the work of subsetting the others.
    drop_set = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    dropped = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in (
        b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GDEF", b"GPOS", b"GSUB", b"JSTF",
        b"LTSH", b"PCLT", b"SVG ", b"VORG", b"vhea", b"vmtx", b"name", b"cmap", b"post"))
    drop_array = ffi.new(f"hb_codepoint_t[{len(dropped)}]", dropped)
    harfbuzz.hb_set_add_sorted_array(drop_set, drop_array, len(dropped))
    face = harfbuzz_subset.hb_subset_or_fail(hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    content = None if data == ffi.NULL or not length[0] else ffi.unpack(data, int(length[0]))
    harfbuzz.hb_blob_destroy(blob)
    return content


def _cids_are_glyph_ids(cff: bytes, glyphs: list[int]) -> bool:
    """Whether the subset ``cff`` is CID-keyed and holds CID ``g`` for each glyph id ``g``.

    The subset keeps glyphs in glyph id order (HarfBuzz may add a few that
    the layout tables reach); with CIDs equal to glyph ids, the CIDs come
    out strictly increasing and include every glyph id the pages use.
    """
    font_set = CFFFontSet()
    font_set.decompile(io.BytesIO(cff), None)
    top = font_set.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return False
    cids = []
    for name in top.charset[1:]:
        if not (name.startswith("cid") and name[3:].isdigit()):
            return False
        cids.append(int(name[3:]))
    return (all(a < b for a, b in zip(cids, cids[1:]))
            and set(glyphs) - {0} <= set(cids))


# Upstream: weasyprint.pdf.build_fonts_dictionary(pdf, fonts, compress, subset,
# options), called by generate_pdf through the weasyprint.pdf module global.
_upstream_build_fonts_dictionary = wp_pdf.build_fonts_dictionary


def _build_fonts_dictionary(pdf: Any, fonts: Any, compress: Any, subset: Any,
                            options: Any) -> Any:
    job = _job()
    if job is not None:
        # A glyph that maps to no text (the second glyph of a cluster, such as
        # the vowel sign of Devanagari "हि") gets no ToUnicode entry, but upstream
        # subsets the font to the keys of to_unicode: it must stay in the subset.
        job.unmapped = {}
        for font in fonts.values():
            mapped = {glyph: text.translate(_TEXT_LAYER)
                      for glyph, text in font.to_unicode.items()}
            job.unmapped.setdefault(font.hash, set()).update(
                glyph for glyph, text in mapped.items() if not text)
            font.to_unicode = {glyph: text for glyph, text in mapped.items() if text}
    return _upstream_build_fonts_dictionary(pdf, fonts, compress, subset, options)


# Upstream: weasyprint.pdf.fonts.Font.subset(self, to_unicode, hinting), called by
# Font.clean with the glyphs to keep as the keys of to_unicode.
_upstream_font_subset = wp_fonts.Font.subset


def _font_subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> Any:
    job = _job()
    unmapped = job.unmapped.get(self.hash, set()) if job is not None else set()
    if unmapped and to_unicode:
        to_unicode = {**{glyph: "" for glyph in unmapped}, **to_unicode}
    return _upstream_font_subset(self, to_unicode, hinting)


# --- Links ------------------------------------------------------------------------------

# Upstream: weasyprint.pdf.anchors.add_links(links_and_anchors, matrix, pdf, page,
# names, tags), called by generate_pdf through the weasyprint.pdf module global.
_upstream_add_links = wp_pdf.add_links


def _add_links(links_and_anchors: Any, matrix: Any, pdf: Any, page: Any, names: Any,
               tags: Any) -> Any:
    links, anchors = links_and_anchors
    if _job() is not None:
        # gather_anchors lists a link's box before the boxes inside it, which
        # inherit the link: keep the outer one only.
        kept: list[Any] = []
        for link in links:
            link_type, target, (x1, y1, x2, y2), _box = link
            if not any(target == other[1] and other[0] == link_type
                       and other[2][0] - 0.5 <= x1 and other[2][1] - 0.5 <= y1
                       and x2 <= other[2][2] + 0.5 and y2 <= other[2][3] + 0.5
                       for other in kept):
                kept.append(link)
        # A link that wraps onto several lines has a box per line: one
        # annotation, its /QuadPoints on each line, its /Rect around them.
        groups: dict[tuple[Any, ...], list[Any]] = {}
        for link in kept:
            groups.setdefault((link[0], link[1], id(link[3].element)), []).append(link)
        links = [group[0] for group in groups.values()]
        result = _upstream_add_links((links, anchors), matrix, pdf, page, names, tags)
        for group in groups.values():
            annotation = getattr(group[0][3], "link_annotation", None)
            if len(group) < 2 or annotation is None:
                continue
            quads, xs, ys = [], [], []
            for _, _, (x1, y1, x2, y2), _box in group:
                (left, top), (right, bottom) = (matrix.transform_point(x1, y1),
                                                matrix.transform_point(x2, y2))
                quads += [left, top, right, top, left, bottom, right, bottom]
                xs += [left, right]
                ys += [top, bottom]
            annotation["Rect"] = pydyf.Array([min(xs), min(ys), max(xs), max(ys)])
            annotation["QuadPoints"] = pydyf.Array(quads)
        return result
    return _upstream_add_links((links, anchors), matrix, pdf, page, names, tags)


# --- Structure tree ---------------------------------------------------------------------

# Upstream: weasyprint.pdf.tags._build_box_tree(box, parent, pdf, page_number, nums,
# annotations, tags), a generator that calls itself through the module global.
_upstream_build_box_tree = wp_tags._build_box_tree


def _build_box_tree(box: Any, parent: Any, pdf: Any, page_number: Any, nums: Any,
                    annotations: Any, tags: Any) -> Iterator[Any]:
    job = _job()
    inner = box._box if isinstance(box, AbsolutePlaceholder) else box
    own = job is not None and not (
        isinstance(inner, (boxes.PageBox, boxes.MarginBox))
        or inner.element_tag in ("html", "body"))
    for element in _upstream_build_box_tree(box, parent, pdf, page_number, nums,
                                            annotations, tags):
        if own and job is not None:
            _tag_language(element, inner, pdf)
            if inner.element is not None and element.get("S") != "/LI":
                order = inner.element.get(READING_ORDER_ATTRIBUTE)
                if order is not None:
                    job.reading_order.append((float(order), len(job.reading_order), element))
                label = inner.element.get("aria-label")
                if label and not _has_text(inner) and "ActualText" not in element:
                    # WeasyPrint drops aria-label: an element that shows no text (the
                    # handout's write-in line) says its label to a screen reader.
                    element["ActualText"] = pydyf.String(label)
        yield element


def _has_text(box: Any) -> bool:
    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    return any(_has_text(child) for child in getattr(box, "children", ()))


def _object(pdf: Any, reference: Any) -> Any:
    return pdf.objects[int(reference.split()[0])]


def _language_of(element: Any, pdf: Any) -> str:
    """The language ``element`` is read in: its own /Lang, or its nearest ancestor's."""
    while element is not None:
        if "Lang" in element:
            return str(element["Lang"].string)
        reference = element.get("P")
        element = None if reference is None else _object(pdf, reference)
        if element is not None and element.get("Type") != "/StructElem":
            break
    lang = pdf.catalog.get("Lang")
    return "" if lang is None else str(lang.string)


def _tag_language(element: Any, box: Any, pdf: Any) -> None:
    language = box.style["lang"]
    if not language or "Lang" in element:
        return
    reference = element.get("P")
    inherited = "" if reference is None else _language_of(_object(pdf, reference), pdf)
    if str(language).lower() != inherited.lower():
        element["Lang"] = pydyf.String(str(language))


def _reorder(pdf: Any, job: _Job) -> None:
    """Put the elements marked with a reading order first-to-last in the tree.

    They become children of the document element, in their order, where the
    first of them stood; containers left empty are removed.
    """
    if not job.reading_order:
        return
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    document = _object(pdf, root["K"][0])

    def top_level(element: Any) -> Any:
        while element.get("P") != document.reference:
            element = _object(pdf, element["P"])
        return element

    marked = {id(element) for _, _, element in job.reading_order}

    def inside_marked(element: Any) -> bool:
        # Anonymous boxes share their element's attributes: keep the outermost.
        while element.get("P") is not None and element.get("P") != document.reference:
            element = _object(pdf, element["P"])
            if id(element) in marked:
                return True
        return False

    ordered = [element for _, _, element in sorted(job.reading_order, key=lambda x: x[:2])
               if not inside_marked(element)]
    first_position = min(document["K"].index(top_level(element).reference)
                         for element in ordered)
    for element in ordered:
        parent = _object(pdf, element["P"])
        parent["K"].remove(element.reference)
        while parent is not document and not parent["K"]:
            grandparent = _object(pdf, parent["P"])
            grandparent["K"].remove(parent.reference)
            parent = grandparent
        element["P"] = document.reference
    first_position = min(first_position, len(document["K"]))
    document["K"][first_position:first_position] = [element.reference for element in ordered]


# --- Finishing --------------------------------------------------------------------------

def _finish(pdf: Any, job: _Job, spreads: bool = True) -> None:
    """Last changes to WeasyPrint's PDF objects before they are written."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary | pydyf.Stream):
            continue
        if isinstance(obj, pydyf.Stream):
            if (obj.extra.get("Subtype") == "/OpenType" and obj.stream
                    and not bytes(obj.stream[0][:4]) == b"OTTO"):
                # A bare CFF from _harfbuzz_subset.
                obj.extra["Subtype"] = "/CIDFontType0C"
            continue
        if obj.get("Subtype") == "/CIDFontType0":
            obj.pop("CIDToGIDMap", None)  # only for TrueType-based CIDFonts
        title = obj.get("Title")
        if "Parent" in obj and isinstance(title, pydyf.String):
            # An outline entry (bookmark-label: content(text)) carries the word
            # joiners and soft hyphens of its heading; a reader's bookmark
            # list and search must show the words only.
            title.string = str(title.string).translate(_TEXT_LAYER)
    _write_bidi_lines(job)
    _reorder(pdf, job)
    if spreads:
        _reading_direction(pdf)


# --- Reading direction (issue 9) ------------------------------------------------------

def _reading_direction(pdf: Any) -> None:
    """A right-to-left document asks viewers to show facing pages right to left.

    ``/ViewerPreferences /Direction /R2L`` (PDF 1.7, 12.2): a two-page view
    of an Arabic booklet then shows page 2 on the right of page 3, as printed.
    The document's language (``/Lang``, set by WeasyPrint from the HTML) says
    which way it reads.
    """
    from .i18n import direction

    language = pdf.catalog.get("Lang")
    if language is None or direction(str(language.string)) != "rtl":
        return
    preferences = pdf.catalog.get("ViewerPreferences")
    if not isinstance(preferences, pydyf.Dictionary):
        preferences = pdf.catalog["ViewerPreferences"] = pydyf.Dictionary()
    preferences["Direction"] = "/R2L"


_installed = False
_install_lock = threading.Lock()


def _install() -> None:
    """Patch WeasyPrint once; the patches act only inside :func:`write_pdf`."""
    global _installed
    with _install_lock:
        if _installed:
            return
        if weasyprint.__version__ != WEASYPRINT_VERSION:
            raise RuntimeError(
                f"brochure.pdflayer was written for WeasyPrint {WEASYPRINT_VERSION}, "
                f"not {weasyprint.__version__}: check its patches, then update "
                "WEASYPRINT_VERSION and constraints.txt")
        wp_draw_text.draw_first_line = _draw_first_line
        wp_draw.draw_inline_level = _draw_inline_level
        wp_document.draw_page = _draw_page
        wp_stream.Stream.marked = _marked
        wp_fonts.Font.__init__ = _font_init
        wp_fonts.get_hb_object_data = _get_hb_object_data
        wp_fonts.Font.file_content = property(_get_file_content, _set_file_content)
        wp_fonts.Font.type = property(_font_type)
        wp_fonts.Font._harfbuzz_subset = _harfbuzz_subset
        wp_fonts.Font.subset = _font_subset
        wp_pdf.build_fonts_dictionary = _build_fonts_dictionary
        wp_pdf.add_links = _add_links
        wp_tags._build_box_tree = _build_box_tree
        _installed = True
