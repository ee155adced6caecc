"""The PDF layer: WeasyPrint's PDF writer, with the fixes a screen reader and a mailbox need.

:func:`write_pdf` is the one entry point: it writes a laid-out WeasyPrint
document as PDF/UA-1, like ``document.write_pdf``, with these changes:

* **Text layer.** WeasyPrint's ToUnicode map gives each glyph the text of
  its first use, and draws right-to-left runs in visual order. Wherever the
  glyphs of a line do not read back as its text (Devanagari and Thai
  clusters, Arabic joining and marks, mirrored brackets), the line's marked
  content gets an ``/ActualText`` with its text; each right-to-left run
  gets its own, in the order poppler and PDFium read back as logical. The hyphen added by
  hyphenation reads as "-" (which pdftotext joins back), soft hyphens and
  word joiners as nothing.
* **Language tags.** Every structure element whose language differs from
  its parent's carries its own ``/Lang``.
* **Reading order.** Elements marked ``data-reading-order="N"`` in the HTML
  (the trifold's panels) are put in that order in the structure tree.
* **One annotation per link.** WeasyPrint gives each inline child of a link
  (a direction-isolated phone number, an SVG) its own copy of the link.
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pydyf
import weasyprint
import weasyprint.draw.text as wp_draw_text
import weasyprint.pdf as wp_pdf
import weasyprint.pdf.fonts as wp_fonts
import weasyprint.pdf.stream as wp_stream
import weasyprint.pdf.tags as wp_tags
from fontTools.cffLib import CFFFontSet
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset, pango

#: The WeasyPrint release whose internals this module was written against.
WEASYPRINT_VERSION = "70.0"

#: Characters that must not reach the text layer as typeset: the hyphen that
#: hyphenation adds reads as a plain hyphen-minus (pdftotext joins a line
#: ending in one with the next line), soft hyphens and word joiners as nothing.
_TEXT_LAYER = str.maketrans({"\u2010": "-", "\u00ad": None, "\u2060": None})
#: HTML attribute that puts an element at a given place in the structure tree.
READING_ORDER_ATTRIBUTE = "data-reading-order"


@dataclass
class _Job:
    """What the patches collect while one document is written."""

    #: Structure elements to reorder: (order, position in the tree, element).
    reading_order: list[tuple[float, int, pydyf.Dictionary]] = field(default_factory=list)


_state = threading.local()


def _job() -> _Job | None:
    return getattr(_state, "job", None)


def write_pdf(document: Any, identifier: bytes) -> bytes:
    """Write ``document`` (a rendered :class:`weasyprint.Document`) as tagged PDF/UA-1.

    ``identifier`` is the PDF's file identifier; the same document and
    identifier give the same bytes.
    """
    _install()
    previous = _job()
    _state.job = job = _Job()
    try:
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier,
                                 finisher=lambda _document, pdf: _finish(pdf, job))
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

    @property
    def faithful(self) -> bool:
        """Whether extractors read this cluster right from its glyphs alone.

        A cluster of several glyphs (a Devanagari conjunct with its vowel
        sign) maps its text to one of them and nothing to the others, which
        poppler reads as a word break.
        """
        if not self.glyphs:  # a space drawn as nothing reads as the gap it leaves
            return not self.text.strip()
        return self.glyphs == 1 and self.text == self.extracted


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
                grouped.append(_Cluster(text.translate(_TEXT_LAYER), "", 0))
            if glyph == pango.PANGO_GLYPH_EMPTY:
                continue
            if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                glyph = font.missing.get(glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG, 0)
            grouped[-1].glyphs += 1
            grouped[-1].extracted += font.to_unicode.get(glyph, "").translate(_TEXT_LAYER)
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


def _split_shows(items: list[Any], pieces: list[tuple[int, str | None]]) -> list[Any]:
    """Re-emit content stream ``items`` with a marked-content span around each piece.

    ``items`` are what ``draw_first_line`` appended: text matrix, font and
    rise operators and ``[...] TJ`` arrays of 4-digit hex glyph ids.
    """
    boundaries: dict[int, tuple[str, str | None]] = {}
    position = 0
    for count, text in pieces:
        if text is not None and count:
            boundaries[position] = ("begin", text)
            boundaries[position + count] = ("end", None)
        position += count
    output: list[Any] = []
    glyph_index = 0
    open_span = False

    def emit_boundary() -> None:
        nonlocal open_span
        mark = boundaries.get(glyph_index)
        if mark is None:
            return
        if open_span:
            output.append(b"EMC")
            open_span = False
        if mark[0] == "begin":
            output.extend([b"/Span", pydyf.Dictionary({"ActualText": pydyf.String(mark[1])}),
                           b"BDC"])
            open_span = True
        # An "end" directly followed by the next piece's "begin" was one entry.

    for item in items:
        if not (isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")):
            if glyph_index in boundaries and boundaries[glyph_index][0] == "end":
                emit_boundary()
            output.append(item)
            continue
        tokens = _tj_tokens(item[1:-4])
        current: list[bytes] = []
        for token in tokens:
            if token.startswith(b"<"):
                hex_ids = token[1:-1]
                for offset in range(0, len(hex_ids), 4):
                    if glyph_index in boundaries:
                        if current:
                            output.append(b"[" + b"".join(current) + b"] TJ")
                            current = []
                        emit_boundary()
                    current.append(b"<" + hex_ids[offset:offset + 4] + b">")
                    glyph_index += 1
            else:
                current.append(b" " + token + b" ")
        if current:
            output.append(b"[" + b"".join(current) + b"] TJ")
    if glyph_index in boundaries:
        emit_boundary()
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
    properties = getattr(stream, "_brochure_text_properties", None)
    if properties is None:  # list markers are drawn outside any marked content
        return
    runs = _runs(stream, textbox)
    clusters = [cluster for run in runs for cluster in run.clusters]
    # Letter-spaced text (small capitals labels) reads as single letters in poppler.
    spaced = textbox.style["letter_spacing"] not in ("normal", 0)
    if not any(run.rtl for run in runs):
        if spaced or not all(cluster.faithful for cluster in clusters):
            properties["ActualText"] = pydyf.String("".join(c.text for c in clusters))
        return
    pieces = _pieces(runs)
    if any(text is not None for _, text in pieces):
        stream.stream[start:] = _split_shows(stream.stream[start:], pieces)


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
    if _job() is not None:
        for font in fonts.values():
            font.to_unicode = {
                glyph: text for glyph, text in (
                    (glyph, text.translate(_TEXT_LAYER)) for glyph, text
                    in font.to_unicode.items()) if text}
    return _upstream_build_fonts_dictionary(pdf, fonts, compress, subset, options)


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
        links = kept
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
        yield element


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

def _finish(pdf: Any, job: _Job) -> None:
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
    _reorder(pdf, job)
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
        wp_stream.Stream.marked = _marked
        wp_fonts.Font.__init__ = _font_init
        wp_fonts.get_hb_object_data = _get_hb_object_data
        wp_fonts.Font.file_content = property(_get_file_content, _set_file_content)
        wp_fonts.Font.type = property(_font_type)
        wp_fonts.Font._harfbuzz_subset = _harfbuzz_subset
        wp_pdf.build_fonts_dictionary = _build_fonts_dictionary
        wp_pdf.add_links = _add_links
        wp_tags._build_box_tree = _build_box_tree
        _installed = True
