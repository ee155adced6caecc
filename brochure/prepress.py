"""Printer's marks: crop and fold marks where a print shop can see and use them.

WeasyPrint 70 draws ``marks: crop`` inside the 3 mm bleed, so a full-bleed
background paints over them (the print-ready cover showed none) and they
sit closer to the trim than the bleed reaches. Here every print-ready page
gets a sheet :data:`SLUG_MM` larger on each side than its trim; the artwork
is clipped to its bleed box, and the marks are drawn last, above it, in the
slug outside the bleed:

* crop marks at the four corners, :data:`MARK_OFFSET_MM` from the trim;
* fold marks (dashed) above and below each fold of a folded leaflet.

A leaflet printed in the office (no bleed) gets short fold ticks inside its
top and bottom edges instead (:func:`add_fold_ticks`).

The marks are marked content ``/Artifact`` (type ``/Page``: production aids,
PDF 1.7 14.8.2.2), so a screen reader skips them. Folds are read from the
laid-out document (:func:`fold_lines`): the left edges of its ``.panel``
boxes, so they follow the stylesheet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pikepdf

from .fit import _walk

PT_PER_MM = 72 / 25.4
#: How far beyond the trim the bleed reaches (the print-ready stylesheet's bleed).
BLEED_MM = 3.0
#: Crop and fold marks start this far from the trim: outside the bleed.
MARK_OFFSET_MM = BLEED_MM + 2.0
MARK_LENGTH_MM = 6.0
#: The slug round the trim: offset, marks and a little white beyond them.
SLUG_MM = MARK_OFFSET_MM + MARK_LENGTH_MM + 2.0
#: Hairline marks, 0.25 pt, in registration black (all four inks).
MARK_WIDTH_PT = 0.25
#: Fold ticks of an office-printed leaflet: from this far inside the edge, this long.
TICK_FROM_MM = 4.5
TICK_LENGTH_MM = 3.0


def fold_lines(document: Any) -> list[list[float]]:
    """The folds of each laid-out page, in PDF points from the trim's left edge.

    A fold is the left edge of a box with class ``panel`` that is not at the
    page's left edge; a page without panels has none.
    """
    folds = []
    for page in document.pages:
        edges = set()
        seen: set[int] = set()
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or "panel" not in (element.get("class") or "").split():
                continue
            if id(element) in seen:
                continue  # an anonymous box inside the panel shares its element
            seen.add(id(element))
            x = float(box.border_box_x()) * 0.75
            if x > 1:
                edges.add(round(x, 3))
        folds.append(sorted(edges))
    return folds


def _box(page: pikepdf.Page, name: str) -> list[float] | None:
    value = page.obj.get(name)
    return None if value is None else [float(number) for number in value]


def _artifact(operators: list[str]) -> bytes:
    body = "\n".join(operators)
    return f"/Artifact <</Type /Page>> BDC q {MARK_WIDTH_PT} w 0 0 0 1 K\n{body}\nQ EMC".encode()


def crop_marks(trim: Sequence[float], offset: float, length: float) -> list[str]:
    """Path operators for the eight crop marks of ``trim`` (x0, y0, x1, y1), in points."""
    x0, y0, x1, y1 = trim
    lines = []
    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            lines.append(f"{x + sign_x * offset:.3f} {y:.3f} m "
                         f"{x + sign_x * (offset + length):.3f} {y:.3f} l S")
            lines.append(f"{x:.3f} {y + sign_y * offset:.3f} m "
                         f"{x:.3f} {y + sign_y * (offset + length):.3f} l S")
    return lines


def fold_marks(trim: Sequence[float], folds: Sequence[float], offset: float,
               length: float) -> list[str]:
    """Dashed fold marks above and below ``trim`` at each x of ``folds`` (from the trim's left)."""
    x0, y0, _, y1 = trim
    lines = ["[2 1.5] 0 d"]
    for fold in folds:
        x = x0 + fold
        lines.append(f"{x:.3f} {y1 + offset:.3f} m {x:.3f} {y1 + offset + length:.3f} l S")
        lines.append(f"{x:.3f} {y0 - offset:.3f} m {x:.3f} {y0 - offset - length:.3f} l S")
    lines.append("[] 0 d")
    return lines


def _save(pdf: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=True, deterministic_id=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def add_marks(pdf: bytes, folds: Sequence[Sequence[float]] = ()) -> bytes:
    """Put each page of a print-ready ``pdf`` on a larger sheet, with crop and fold marks.

    The page's TrimBox and BleedBox stay; its MediaBox (and CropBox) grow by
    :data:`SLUG_MM` round the trim. ``folds[i]``: page i's folds (see
    :func:`fold_lines`).
    """
    slug, offset, length = (SLUG_MM * PT_PER_MM, MARK_OFFSET_MM * PT_PER_MM,
                            MARK_LENGTH_MM * PT_PER_MM)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for index, page in enumerate(document.pages):
            trim = _box(page, "/TrimBox") or _box(page, "/MediaBox")
            assert trim is not None
            bleed = _box(page, "/BleedBox") or trim
            sheet = [trim[0] - slug, trim[1] - slug, trim[2] + slug, trim[3] + slug]
            page.obj.MediaBox = pikepdf.Array(sheet)
            page.obj.CropBox = pikepdf.Array(sheet)
            page.obj.BleedBox = pikepdf.Array(bleed)
            page.obj.TrimBox = pikepdf.Array(trim)
            width, height = bleed[2] - bleed[0], bleed[3] - bleed[1]
            # The artwork stops at the bleed: nothing of it reaches the marks.
            page.contents_add(
                f"q {bleed[0]:.3f} {bleed[1]:.3f} {width:.3f} {height:.3f} re W n\n".encode(),
                prepend=True)
            marks = crop_marks(trim, offset, length)
            if index < len(folds) and folds[index]:
                marks += fold_marks(trim, folds[index], offset, length)
            page.contents_add(b"\nQ\n" + _artifact(marks))
        return _save(document)


def add_fold_ticks(pdf: bytes, folds: Sequence[Sequence[float]]) -> bytes:
    """Short grey ticks inside the top and bottom edges of ``pdf``'s pages at their folds.

    For a leaflet printed on a desktop printer, which cannot print the
    outer few millimetres: the ticks start :data:`TICK_FROM_MM` inside.
    """
    start, length = TICK_FROM_MM * PT_PER_MM, TICK_LENGTH_MM * PT_PER_MM
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for index, page in enumerate(document.pages):
            if index >= len(folds) or not folds[index]:
                continue
            trim = _box(page, "/TrimBox") or _box(page, "/MediaBox")
            assert trim is not None
            x0, y0, _, y1 = trim
            lines = ["0.6 G"]
            for fold in folds[index]:
                x = x0 + fold
                lines.append(f"{x:.3f} {y1 - start:.3f} m {x:.3f} {y1 - start - length:.3f} l S")
                lines.append(f"{x:.3f} {y0 + start:.3f} m {x:.3f} {y0 + start + length:.3f} l S")
            body = "\n".join(lines)
            page.contents_add(f"\n/Artifact <</Type /Page>> BDC q 0.5 w\n{body}\nQ EMC".encode())
        return _save(document)
