"""ActualText for right-to-left lines that poppler and PDFium read back in logical order.

An ActualText should hold the logical text, but the extractors most
readers meet treat it as if it were the text of the glyphs it covers,
written left to right, and rebuild the logical order with their own
simplified bidi rules:

* **poppler** (pdftotext, Evince; ``TextOutputDev.cc``, ``reorderText``):
  joins the text of a line in x order, then, on a page whose characters are
  mostly right-to-left, scans it from the right: a run that starts with a
  right-to-left letter and goes on through neutrals comes out reversed, a run
  that starts with a left-to-right letter or a "number" character (digits
  and ``+ - . , : / %``, no-break space) comes out as it stands. On a mostly
  left-to-right page it scans from the left the same way. Nothing is
  mirrored.
* **PDFium** (Chrome, pypdfium2; measured on build 8149, see
  ``tests/test_bidilayer.py``): each ActualText becomes one piece of the
  line, reversed if its first text object is right-to-left or the text has
  more right-to-left runs than left-to-right ones; then, if the line has
  more right-to-left runs than left-to-right ones (or the document says
  ``/Direction /R2L``), the runs of one bidi class come out in reverse
  order, each as it stands, neutrals mirrored (``(`` for ``)``) after a
  right-to-left run.

  It also makes ``®`` an ``R`` and ``™`` ``TM`` there.

:func:`tokens` turns the logical text of a line, cut into :func:`units`,
into one ActualText per unit in drawing order, with left-to-right and
right-to-left marks (U+200E, U+200F: invisible, and ignored by screen
readers) where the two rule sets would otherwise disagree;
:func:`read_back` says what each reader makes of them. The PDF layer puts
each unit's text on glyphs of its own line, so that both read it in
logical order. Pure functions: no PDF, no WeasyPrint.

The price: the ActualTexts are shaped for these two readers, not the
logical text the PDF specification asks for; a reader that takes an
ActualText as logical text, span by span in drawing order, reads a
right-to-left line backwards.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

LRM = "\u200e"
RLM = "\u200f"
#: What an ActualText holds where it must say nothing: a word joiner.
FILLER = "\u2060"
#: The invisible characters this module adds: the two marks and the filler.
MARKS = frozenset({LRM, RLM, FILLER})

#: poppler 22.12's character table (poppler/UnicodeTypeTable.cc) where it differs
#: from the Unicode bidi classes, in the Hebrew, Arabic and presentation-form blocks.
_POPPLER_EXCEPTIONS = (
    (0x058F, 0x058F, "N"), (0x05C5, 0x05C5, "R"), (0x05C7, 0x05C7, "R"),
    (0x0600, 0x0603, "R"), (0x0606, 0x0608, "#"), (0x060B, 0x060B, "#"),
    (0x0616, 0x061A, "R"), (0x0659, 0x065F, "#"), (0x06DD, 0x06DD, "R"),
    (0x070F, 0x070F, "N"), (0x07C0, 0x08FF, "N"), (0x202F, 0x202F, "N"),
    (0xFD40, 0xFD4F, "R"), (0xFDCF, 0xFDCF, "R"),
)
_MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))
_DECOMPOSED = {"®": "R", "™": "TM"}
#: Characters PDFium changes when it reads them after right-to-left text: mirrored
#: brackets, and signs it decomposes (® becomes R, ™ TM).
_ALTERED = frozenset(_MIRRORED) | frozenset(_DECOMPOSED)


def poppler_class(char: str) -> str:
    """poppler's class of ``char``: ``L``, ``R``, ``#`` (number-like) or ``N``."""
    code = ord(char)
    for first, last, kind in _POPPLER_EXCEPTIONS:
        if first <= code <= last:
            # U+07C0-08FF: scripts newer than poppler's table, except Arabic marks.
            if kind == "N" and unicodedata.bidirectional(char) == "NSM" and code >= 0x08D3:
                return "N"
            return kind
    bidi = unicodedata.bidirectional(char)
    if bidi in ("L", "LRE", "LRO"):
        return "L"
    if bidi in ("R", "AL", "RLE", "RLO"):
        return "R"
    if bidi in ("EN", "AN", "ES", "CS", "ET"):
        return "#"
    return "N"


def pdfium_class(char: str) -> str:
    """PDFium's class of ``char`` (``CFX_BidiChar``): ``L``, ``R``, ``W`` (weak) or ``N``."""
    bidi = unicodedata.bidirectional(char)
    if bidi == "L":
        return "L"
    if bidi in ("R", "AL"):
        return "R"
    if bidi in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "N"


def poppler_line(text: str, primary_lr: bool) -> str:
    """What pdftotext makes of a line whose characters, in x order, are ``text``.

    A port of ``reorderText`` (poppler/TextOutputDev.cc), without the
    embedding marks it adds around each run.
    """
    def is_l(char: str) -> bool:
        return poppler_class(char) == "L"

    def is_r(char: str) -> bool:
        return poppler_class(char) == "R"

    def is_num(char: str) -> bool:
        return poppler_class(char) == "#"

    out = []
    if primary_lr:
        i = 0
        while i < len(text):
            j = i
            while j < len(text) and not is_r(text[j]):
                j += 1
            out.append(text[i:j])
            i = j
            while j < len(text) and not (is_l(text[j]) or is_num(text[j])):
                j += 1
            out.append(text[i:j][::-1])
            i = j
    else:
        i = len(text) - 1
        while i >= 0:
            j = i
            while j >= 0 and not (is_l(text[j]) or is_num(text[j])):
                j -= 1
            out.append(text[j + 1:i + 1][::-1])
            i = j
            while j >= 0 and not is_r(text[j]):
                j -= 1
            out.append(text[j + 1:i + 1])
            i = j
    return "".join(out)


def _runs(text: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for char in text:
        kind = pdfium_class(char)
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def _mostly_rtl(text: str) -> bool:
    kinds = [kind for kind, _ in _runs(text)]
    return kinds.count("R") > kinds.count("L")


def pdfium_line(pieces: Sequence[tuple[str, bool]], rtl_document: bool = False) -> str:
    """What PDFium makes of a line of ActualText pieces, in x order.

    Each piece is (its text, whether its first text object reads as right-to-left).
    """
    text = "".join(piece[::-1] if object_rtl or _mostly_rtl(piece) else piece
                   for piece, object_rtl in pieces)
    runs = _runs(text)
    right = rtl_document or _mostly_rtl(text)
    if right:
        runs.reverse()
    current = "R" if right else "L"
    out = []
    for kind, run in runs:
        if kind == "R" or (kind == "N" and current == "R"):
            current = "R"
            out.append("".join(_MIRRORED.get(char, _DECOMPOSED.get(char, char)) for char in run))
        else:
            if kind == "L":
                current = "L"
            out.append(run)
    return "".join(out)


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters."""
    return any(pdfium_class(char) == "R" for char in text if char not in MARKS)


def strip_marks(text: str) -> str:
    """``text`` without the marks this module adds, in NFC (mark order is not meaningful)."""
    return unicodedata.normalize("NFC", "".join(char for char in text if char not in MARKS))


def _is_mark_run(text: str) -> bool:
    return all(unicodedata.bidirectional(char) == "NSM" for char in text)


def _is_word(text: str) -> bool:
    return all(pdfium_class(char) == "R" or unicodedata.bidirectional(char) == "NSM"
               for char in text)


def _has(text: str, kinds: set[str], classify: Callable[[str], str] = pdfium_class) -> bool:
    return any(classify(char) in kinds for char in text)


def units(text: str, rtl_page: bool) -> list[str]:
    """Cut the logical ``text`` of a line into the pieces that each get their own ActualText.

    On a mostly right-to-left page PDFium reverses the order of the runs of a
    line, so each run of one class is a unit, and each neutral character one;
    on a mostly left-to-right page a word with its marks is one unit.
    """
    out: list[str] = []
    for kind, run in _runs(text):
        if not rtl_page and out and (kind == "R" or _is_mark_run(run)) and _is_word(out[-1]):
            out[-1] += run
        elif kind == "N":
            out.extend(run)
        else:
            out.append(run)
    return out


def _letters(text: str, kinds: set[str]) -> bool:
    return any(pdfium_class(char) in kinds for char in text if char not in MARKS)


def _neutral(char: str) -> bool:
    return pdfium_class(char) == "N" and char not in MARKS


def _reversed_by_pdfium(text: str) -> bool:
    """Whether PDFium reverses a piece, the PDF layer having put it on suitable glyphs."""
    return _letters(text, {"R"}) or _mostly_rtl(text)


def _separate_neutrals(texts: list[str]) -> None:
    """Keep neutral characters of two pieces side by side from making one run in PDFium.

    PDFium keeps the characters of one run as they stand, but the pieces in
    reverse: a right-to-left mark between them, where PDFium reads it (at
    the end it reverses to the left), makes each a run of its own.
    """
    for index in range(1, len(texts)):
        left = texts[index - 1][::-1] if _reversed_by_pdfium(texts[index - 1]) \
            else texts[index - 1]
        right = texts[index][::-1] if _reversed_by_pdfium(texts[index]) else texts[index]
        if not (_neutral(left[-1]) and _neutral(right[0])):
            continue
        if _reversed_by_pdfium(texts[index] + RLM):
            texts[index] += RLM
        else:
            texts[index] = RLM + texts[index]


def _as_read(texts: list[str]) -> str:
    """The line as PDFium joins it, taking pieces with right-to-left letters as reversed."""
    return "".join(text[::-1] if _letters(text, {"R"}) else text for text in texts)


def _tokens_rtl(parts: list[str]) -> list[str]:
    """Logical ``parts`` of a line on a right-to-left page as ActualTexts in x order."""
    # [left, text, right] in x order for each part, in logical order; reversed at the end.
    cells = [["", part[::-1] if pdfium_class(part[0]) == "R" else part, ""] for part in parts]
    current = "R"      # PDFium's direction so far
    in_run = False     # inside a poppler run that reads as it stands
    for index, (cell, part) in enumerate(zip(cells, parts, strict=True)):
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if poppler_class(part[0]) == "R":
            in_run = False
        if _has(part, set(_ALTERED), str) and current == "R":
            # PDFium mirrors a neutral read after right-to-left text (and makes ®
            # an R); poppler does neither: a mark that PDFium reads first keeps it.
            cell[2] += LRM
            current, in_run = "L", True
        in_run = in_run or _has(part, {"L", "#"}, poppler_class)
        current = next((pdfium_class(char) for char in reversed(part)
                        if pdfium_class(char) in ("L", "R")), current)
        if in_run and following and poppler_class(following[0]) != "R":
            # poppler would read what follows as part of this run: end it with a
            # right-to-left mark, in a piece that PDFium does not reverse.
            cell[0] = RLM + cell[0]
            if not _letters(cell[1] + cell[2], {"L"}) and LRM not in cell[2]:
                cell[2] += LRM
            current, in_run = "R", False
    texts = ["".join(cell) for cell in cells]
    # PDFium reads the line right to left only if it has more right-to-left runs:
    # a right-to-left mark before a left-to-right word or next to a space is one.
    edits = [(index, "left") for index, part in enumerate(parts) if pdfium_class(part[0]) == "L"]
    edits += [(index, "right") for index, part in enumerate(parts)
              if len(part) == 1 and pdfium_class(part) == "N" and part not in _MIRRORED]
    for index, side in edits:
        if _mostly_rtl(_as_read(texts)):
            break
        if side == "left" and not texts[index].startswith(RLM):
            texts[index] = RLM + texts[index]
        elif side == "right" and RLM not in texts[index]:
            texts[index] += RLM
    texts.reverse()
    _separate_neutrals(texts)
    return texts


def _tokens_ltr(parts: list[str]) -> list[str]:
    """Logical ``parts`` of a line on a left-to-right page as ActualTexts in x order."""
    cells = [["", part, ""] for part in parts]
    current = "L"
    for index, (cell, part) in enumerate(zip(cells, parts, strict=True)):
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if _has(part, set(_ALTERED), str) and current == "R":
            cell[0] = LRM + cell[0]
            current = "L"
        if _has(part, {"R"}):
            current = "R"
            cell[1] = part[::-1]
            if poppler_class(cell[1][0]) != "R":
                # poppler's right-to-left run starts at a letter: a word ending
                # in a mark needs a right-to-left character first.
                cell[1] = RLM + cell[1]
            if following and poppler_class(following[0]) not in ("L", "#"):
                # End poppler's right-to-left run here (not inside a reversed piece).
                cells[index + 1][0] = LRM + cells[index + 1][0]
                current = "L"
        elif _has(part, {"L"}):
            current = "L"
    texts = ["".join(cell) for cell in cells]
    # PDFium reads the line left to right only if right-to-left runs do not
    # outnumber the others: add left-to-right marks where each is a run.
    edits = [(index, "right") for index, part in enumerate(parts) if pdfium_class(part[0]) in "NWL"]
    edits += [(index, side) for index, part in enumerate(parts) if _has(part, {"R"})
              for side in ("left", "right")]
    for index, side in edits:
        if not _mostly_rtl(_as_read(texts)):
            break
        if side == "right" and not texts[index].endswith(LRM):
            texts[index] += LRM
        elif side == "left" and not texts[index].startswith(LRM):
            texts[index] = LRM + texts[index]
    return texts


def tokens(text: str, rtl_page: bool) -> list[str]:
    """The ActualTexts of a line whose logical text is ``text``, in x order, marks included.

    Texts holding right-to-left letters are read reversed by PDFium whatever
    glyphs they cover; every other text must cover a first glyph that is not
    right-to-left (see :func:`read_back`).
    """
    parts = units(text, rtl_page)
    if not parts:
        return []
    return _tokens_rtl(parts) if rtl_page else _tokens_ltr(parts)


def read_back(texts: Sequence[str], object_rtl: Sequence[bool], rtl_page: bool,
              rtl_document: bool = False) -> tuple[str, str]:
    """What poppler and PDFium read from ActualTexts ``texts`` (x order), marks removed."""
    poppler = poppler_line("".join(texts), not rtl_page)
    pdfium = pdfium_line(list(zip(texts, object_rtl, strict=True)), rtl_document)
    return strip_marks(poppler), strip_marks(pdfium)
