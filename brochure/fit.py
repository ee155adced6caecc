"""Check that laid-out text fits its boxes and pages, from WeasyPrint's boxes.

A template marks a fixed box (a tri-fold panel, a cover) with ``data-fit``
(its name) and ``data-line`` (the content file's line of what it shows). After
layout, a box whose content reaches past its bottom edge, or that was split
over two pages, is an error that says how many lines do not fit. Text wider
than the block it stands in (a word too long to break) is found too
(:func:`too_wide`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext

#: Content may reach this far (in CSS px) past a box before it counts as overflow.
_TOLERANCE = 1.0


@dataclass(frozen=True)
class Overflow:
    name: str
    #: Line in the content file of what the box shows, if the template says.
    line: int | None
    lines: int


def _line_of(element: Any) -> int | None:
    value = element.get("data-line", "")
    return int(value) if value.isdigit() else None


def _walk(box: Any) -> Any:
    # Absolutely positioned boxes sit in the tree behind a placeholder.
    box = getattr(box, "_box", box)
    yield box
    for child in box.all_children() if hasattr(box, "all_children") else ():
        yield from _walk(child)


def _line_height(box: Any) -> float:
    """The box's line height in CSS px, to say an overflow in lines."""
    style = box.style
    size = float(style["font_size"])
    height = style["line_height"]
    if height == "normal":
        return size * 1.2
    value = float(getattr(height, "value", height))
    unit = getattr(height, "unit", None)
    return value * size if unit is None else value


def _has_content(box: Any) -> bool:
    """Whether a box fragment holds any text or image (a split can leave empty ones)."""
    return any(isinstance(child, (boxes.LineBox, boxes.ReplacedBox))
               for child in _walk(box))


def overflows(document: Any) -> list[Overflow]:
    """Every ``data-fit`` box of a rendered WeasyPrint document that does not fit."""
    found: list[Overflow] = []
    pages_of: dict[str, list[int]] = {}
    for number, page in enumerate(document.pages, 1):
        seen: set[int] = set()
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, boxes.BlockBox):
                continue
            name = element.get("data-fit")
            # Anonymous boxes inside share their parent's element: take the outer one.
            if not name or id(element) in seen:
                continue
            seen.add(id(element))
            if _has_content(box):
                pages_of.setdefault(name, []).append(number)
            bottom = box.content_box_y() + box.height
            reach = bottom
            for child in _walk(box):
                # Lines and blocks, not glyph boxes: a tall glyph may poke out of
                # its own line without anything being cut.
                if child is box or not isinstance(child, (boxes.LineBox,
                                                          boxes.BlockLevelBox)):
                    continue
                if getattr(child, "is_absolutely_positioned", lambda: False)():
                    continue
                # The border box: a last child's bottom margin may collapse
                # through its parent and is no overflow.
                reach = max(reach, child.border_box_y() + child.border_height())
            excess = reach - bottom
            if excess > _TOLERANCE:
                lines = max(1, round(excess / _line_height(box) + 0.49))
                found.append(Overflow(name, _line_of(element), lines))
    for name, pages in pages_of.items():
        if len(pages) > 1 and not any(item.name == name for item in found):
            found.append(Overflow(name, None, 0))
    return found


@dataclass(frozen=True)
class TooWide:
    """Text that runs past the side of the block it stands in."""

    text: str
    page: int
    #: How far past the block's edge, in CSS px.
    excess: float


def _too_wide_in(box: Any, left: float, right: float, page: int,
                 found: list[TooWide]) -> None:
    box = getattr(box, "_box", box)
    if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.LineBox):
        left, right = box.content_box_x(), box.content_box_x() + box.width
    if isinstance(box, boxes.TextBox):
        start, end = box.position_x, box.position_x + box.width
        excess = max(end - right, left - start)
        if excess > 2 * _TOLERANCE and box.text.strip():
            found.append(TooWide(box.text, page, excess))
        return
    for child in box.all_children() if hasattr(box, "all_children") else ():
        _too_wide_in(child, left, right, page, found)


def too_wide(document: Any) -> list[TooWide]:
    """Every run of text wider than its block (each overflowing text once)."""
    found: list[TooWide] = []
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        _too_wide_in(box, box.content_box_x(), box.content_box_x() + box.width, number,
                     found)
    unique: dict[str, TooWide] = {}
    for item in found:
        unique.setdefault(item.text, item)
    return list(unique.values())


def _fit_boxes(document: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if (element is not None and isinstance(box, boxes.BlockBox)
                    and element.get("data-fit") and element.get("data-fit") not in found):
                found[element.get("data-fit")] = box
    return found


_watch = threading.local()


@contextlib.contextmanager
def watch_cut_boxes() -> Iterator[set[str]]:
    """Collect the names of ``data-fit`` boxes WeasyPrint cuts short while laying out.

    A fixed-height, absolutely positioned box whose content runs past the
    page's end is cut there, and the rest silently dropped. WeasyPrint
    records such a box as "broken out of flow" (``LayoutContext.
    add_broken_out_of_flow``, weasyprint/layout/__init__.py, called from
    ``absolute_layout``); this hook notices it, so the expensive measuring
    pass (:func:`measured_overflows`) runs only when something was cut.
    """
    cut: set[str] = set()
    _watch.cut = cut
    try:
        yield cut
    finally:
        _watch.cut = None


_upstream_add_broken = LayoutContext.add_broken_out_of_flow


def _add_broken_out_of_flow(self: Any, new_box: Any, box: Any, containing_block: Any,
                            resume_at: Any) -> Any:
    cut = getattr(_watch, "cut", None)
    element = getattr(box, "element", None)
    if cut is not None and element is not None and element.get("data-fit"):
        cut.add(element.get("data-fit"))
    return _upstream_add_broken(self, new_box, box, containing_block, resume_at)


LayoutContext.add_broken_out_of_flow = _add_broken_out_of_flow


#: Stylesheet for the measuring pass: pages too tall to end, boxes as tall as
#: their content. WeasyPrint stops laying out a fixed-height, absolutely
#: positioned box at the page's end, silently dropping what does not fit;
#: here nothing is dropped, so the real height of the content shows.
MEASURE_CSS = """
@page {{ size: {width}px 40000px !important; }}
[data-fit] {{ height: auto !important; min-height: 0 !important; }}
"""


def measured_overflows(document: Any, html: Any, render: Any) -> list[Overflow]:
    """Overflows of fixed ``data-fit`` boxes, measured by laying them out without an end.

    ``render(html, css)`` lays ``html`` out again with the extra stylesheet.
    """
    real = _fit_boxes(document)
    if not real:
        return []
    width = document.pages[0].width
    measured = _fit_boxes(render(html, MEASURE_CSS.format(width=width)))
    found = []
    for name, box in real.items():
        tall = measured.get(name)
        if tall is None:
            continue
        excess = tall.height - box.height
        if excess > _TOLERANCE:
            lines = max(1, round(excess / _line_height(box) + 0.49))
            found.append(Overflow(name, _line_of(box.element), lines))
    return found
