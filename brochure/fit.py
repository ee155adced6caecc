"""Check that laid-out text fits its boxes and pages, from WeasyPrint's boxes.

A template marks a fixed box (a tri-fold panel, a cover) with ``data-fit``
(its name) and ``data-source`` (``file:line`` of the content it shows). After
layout, a box whose content reaches past its bottom edge, or that was split
over two pages, is an error that says how many lines do not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

#: Content may reach this far (in CSS px) past a box before it counts as overflow.
_TOLERANCE = 1.0


@dataclass(frozen=True)
class Overflow:
    name: str
    source: str
    lines: int
    page: int


def _walk(box: Any) -> Any:
    yield box
    for child in box.all_children() if hasattr(box, "all_children") else ():
        yield from _walk(child)


def _line_height(box: Any) -> float:
    style = getattr(box, "style", None)
    size = style["font_size"] if style is not None else 16.0
    height = style["line_height"] if style is not None else None
    if height is not None and getattr(height, "unit", None) is None and height.value:
        return float(height.value) * float(size) if height.value < 5 else float(height.value)
    return float(size) * 1.4


def overflows(document: Any) -> list[Overflow]:
    """Every ``data-fit`` box of a rendered WeasyPrint document that does not fit."""
    found: list[Overflow] = []
    pages_of: dict[str, list[int]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, boxes.BlockBox):
                continue
            name = element.get("data-fit")
            if not name or box.element_tag is None or getattr(box, "is_running", False):
                continue
            pages_of.setdefault(name, []).append(number)
            bottom = box.content_box_y() + box.height
            reach = bottom
            for child in _walk(box):
                if child is box or not hasattr(child, "position_y"):
                    continue
                if getattr(child, "is_absolutely_positioned", lambda: False)():
                    continue
                reach = max(reach, child.position_y + child.margin_height())
            excess = reach - bottom
            if excess > _TOLERANCE:
                lines = max(1, round(excess / _line_height(box) + 0.49))
                found.append(Overflow(name, element.get("data-source", ""), lines, number))
    for name, pages in pages_of.items():
        if len(pages) > 1 and not any(item.name == name for item in found):
            found.append(Overflow(name, "", 0, pages[1]))
    return found
