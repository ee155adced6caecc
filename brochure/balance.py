"""Balance the pages of a laid-out document: figures that fit, notes that fill.

WeasyPrint lays a document out in one pass, page after page. Some rules of
good print need a look at the result, then a second layout with other
parameters; this module holds them (:func:`balance`):

* **Figures fit where they stand.** A figure that does not fit the rest of a
  page moves to the next one and leaves a gap. When the gap would leave the
  page less than :data:`FULL_ENOUGH` full, the figure is set smaller, down to
  the layout's :attr:`~brochure.layouts.Layout.figure_min_scale` of its
  width, so that it fits the gap (a large-print figure never shrinks).
* **Notes fill the last pages.** Lines for the reader's notes fill the rest
  of the last text page (:attr:`~brochure.layouts.Layout.notes_fill`), and
  whole notes pages follow up to the layout's multiple of pages (a folded
  booklet needs a multiple of 4), before the back cover. A page that ends
  the text a third full is then a full page, and the back cover stays last.

Everything is read from WeasyPrint's laid-out boxes (``document.pages[i].
_page_box``), as fit.py does; ``tests/test_balance.py`` fails if their shape
changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from weasyprint.formatting_structure import boxes

from .layouts import Layout
from .localise import css_string

#: A page whose content ends above this fraction of its text area looks
#: unfinished; a figure that would leave one is set smaller.
FULL_ENOUGH = 0.6
#: How many times the layout is laid out again, at most, for each rule.
_PASSES = 3
#: CSS px per mm.
_PX_PER_MM = 96 / 25.4
#: A figure moves at most this many blocks later than written.
_MAX_MOVES = 2
#: Lines of white space under the notes worth another layout to fill.
_SLACK = 2


@dataclass(frozen=True)
class Balance:
    """What the layout is laid out with: the template's notes and the figures' sizes."""

    #: Lines after the text, on its last page.
    notes_rules: int = 0
    #: Whole notes pages before the back cover, and lines on each.
    notes_pages: int = 0
    notes_page_rules: int = 0
    #: Figures set smaller: (image URL, width in CSS px).
    figure_widths: tuple[tuple[str, float], ...] = field(default=())
    #: Figures set later than written, so text fills the page before them:
    #: (image URL, how many blocks later).
    figure_moves: tuple[tuple[str, int], ...] = field(default=())

    def stylesheet(self) -> str:
        """Extra CSS for the figures set smaller (empty when none is)."""
        return "".join(
            f"figure img[src={css_string(url)}] {{ width: {width:.2f}px !important; }}\n"
            for url, width in self.figure_widths)


# Laid-out boxes -------------------------------------------------------------------------

def _walk(box: Any) -> Iterator[Any]:
    box = getattr(box, "_box", box)
    yield box
    if isinstance(box, boxes.MarginBox):
        return
    for child in box.all_children() if hasattr(box, "all_children") else ():
        yield from _walk(child)


def _inked(box: Any) -> bool:
    """Whether a box puts something on the page: text, an image, a background, a border."""
    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
        return True
    style = getattr(box, "style", None)
    if style is None or isinstance(box, (boxes.PageBox, boxes.MarginBox)):
        return False
    if style["background_image"] and any(image[0] != "none" for image in
                                         style["background_image"]):
        return True
    colour = style["background_color"]
    if getattr(colour, "alpha", 0) > 0:
        return True
    return any(getattr(box, f"border_{side}_width", 0) > 0 for side in ("top", "bottom"))


@dataclass(frozen=True)
class _PageFill:
    """Where a page's text area is and how far down its content reaches (CSS px)."""

    top: float
    bottom: float
    used: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def free(self) -> float:
        return self.bottom - self.used

    @property
    def fill(self) -> float:
        return (self.used - self.top) / self.height if self.height else 1.0


def page_fill(page: Any) -> _PageFill:
    """How full one laid-out page (``document.pages[i]``) is."""
    page_box = page._page_box
    top = page_box.content_box_y()
    bottom = top + page_box.height
    used = top
    for box in _walk(page_box):
        if box is page_box or not _inked(box):
            continue
        if isinstance(box, boxes.LineBox):
            reach = box.position_y + box.height
        else:
            reach = box.border_box_y() + box.border_height()
        used = max(used, reach)
    return _PageFill(top, bottom, min(used, bottom))


# Figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Figure:
    url: str
    page: int
    top: float
    height: float
    image_width: float
    image_height: float


def _figures(document: Any) -> list[_Figure]:
    found = []
    for index, page in enumerate(document.pages):
        for box in _walk(page._page_box):
            if box.element_tag != "figure" or not isinstance(box, boxes.BlockBox):
                continue
            image = next((child for child in _walk(box)
                          if isinstance(child, boxes.ReplacedBox)), None)
            if image is None or not image.element.get("src"):
                continue
            found.append(_Figure(str(image.element.get("src")), index, box.border_box_y(),
                                 float(box.margin_height()), float(image.width),
                                 float(image.height)))
    return found


def _fit_figures(document: Any, layout: Layout, current: Balance) -> Balance | None:
    """A balance with figures that fit where one leaves a gap, or None if none should change.

    A figure shrinks if it may (within the layout's limit) and that is
    enough; else, when the page it leaves is less than half full, it moves
    one block later, so that the text after it fills that page.
    """
    widths = dict(current.figure_widths)
    moves = dict(current.figure_moves)
    changed = False
    for figure in _figures(document):
        if figure.page == 0 or figure.url in widths:
            continue
        here = page_fill(document.pages[figure.page])
        if figure.top > here.top + 2:
            continue  # not at the top of its page: it did not jump
        before = page_fill(document.pages[figure.page - 1])
        if before.fill >= FULL_ENOUGH:
            continue
        # The gap is the previous page's free space; the figure's box, less
        # what the image gives up, must fit in it (2 px to spare).
        excess = figure.height - before.free + 2
        if excess <= 0 or not figure.image_height:
            continue
        scale = 1 - excess / figure.image_height
        if scale >= layout.figure_min_scale and layout.figure_min_scale < 1:
            widths[figure.url] = math.floor(figure.image_width * scale)
            changed = True
        elif before.fill < 0.5 and moves.get(figure.url, 0) < _MAX_MOVES:
            moves[figure.url] = moves.get(figure.url, 0) + 1
            changed = True
    if not changed:
        return None
    return replace(current, figure_widths=tuple(sorted(widths.items())),
                   figure_moves=tuple(sorted(moves.items())))


# Notes ----------------------------------------------------------------------------------

def _boxes_of(document: Any, class_name: str) -> list[tuple[int, Any]]:
    """(page index, box) of each block whose element has ``class_name``, outermost only."""
    found = []
    for index, page in enumerate(document.pages):
        seen: set[int] = set()
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if (isinstance(box, boxes.BlockBox) and element is not None
                    and class_name in (element.get("class") or "").split()
                    and id(element) not in seen):
                seen.add(id(element))
                found.append((index, box))
    return found


def _last_text_page(document: Any) -> int:
    pages = [index for index, _ in _boxes_of_tag(document, "main")]
    return pages[-1] if pages else len(document.pages) - 1


def _boxes_of_tag(document: Any, tag: str) -> list[tuple[int, Any]]:
    found = []
    for index, page in enumerate(document.pages):
        for box in _walk(page._page_box):
            if box.element_tag == tag and isinstance(box, boxes.BlockBox):
                found.append((index, box))
                break
    return found


def _notes_guess(document: Any, layout: Layout, pad: int, figures: Balance) -> Balance:
    """A first guess at the notes that make ``document`` (laid out without) end full.

    The guess uses the sizes the stylesheets give (10 mm lines, 12 mm in
    large print; a heading 1.33 times the body size); the first layout with
    notes corrects it.
    """
    pages = len(document.pages)
    last = page_fill(document.pages[_last_text_page(document)])
    body = float(document.pages[0]._page_box.children[0].style["font_size"])
    rule = (12 if body >= 20 else 10) * _PX_PER_MM
    heading = 1.2 * 1.33 * body + 1 * _PX_PER_MM
    rules = 0
    if layout.notes_fill:
        room = last.free - heading - 5 * _PX_PER_MM  # the rule above the notes
        # One line fewer than the guess holds: a line too few costs nothing
        # (see _SLACK), one too many another layout. Where only the minimum
        # fits, try it: the guess counts a rule above the notes that not every
        # layout draws (the handout has none); a trial that runs over drops it.
        least = layout.notes_min_rules
        if room >= (least + 1) * rule:
            rules = int(room // rule) - 1
        elif room >= least * rule - 5 * _PX_PER_MM:
            rules = least
    notes_pages = -pages % pad if pad > 1 else 0
    page_rules = int((last.height - heading) // rule) - 1 if notes_pages else 0
    return Balance(rules, notes_pages, max(page_rules, 1), figures.figure_widths,
                   figures.figure_moves)


def _notes_correction(trial: Any, wanted: Balance) -> Balance:
    """``wanted`` with more lines where ``trial`` has room for :data:`_SLACK` or more.

    Up to that much white space under the last line is left as it is (a
    notes page looks full), to save a layout.
    """
    rules = _boxes_of(trial, "rule")
    if not rules:
        return wanted
    rule = float(rules[0][1].margin_height())
    notes_rules, page_rules = wanted.notes_rules, wanted.notes_page_rules
    if notes_rules:
        free = page_fill(trial.pages[_last_text_page(trial)]).free
        if free >= _SLACK * rule:
            notes_rules += int(free // rule)
    whole = [index for index, box in _boxes_of(trial, "notes")
             if "notes-inline" not in (box.element.get("class") or "")]
    if whole:
        free = page_fill(trial.pages[whole[0]]).free
        if free >= _SLACK * rule:
            page_rules += int(free // rule)
    return replace(wanted, notes_rules=notes_rules, notes_page_rules=page_rules)


def balance(document: Any, layout: Layout, pad: int,
            lay_out: Callable[[Balance], Any]) -> tuple[Any, Balance]:
    """Lay ``document`` out again until its figures fit and its notes fill its pages.

    ``lay_out(balance)`` renders the page's HTML with the notes of
    ``balance`` and its stylesheet, and returns the laid-out document.
    ``pad`` is the multiple the page count must reach. Returns the final
    document and the balance it was laid out with.
    """
    current = Balance()
    for _ in range(_PASSES):
        better = _fit_figures(document, layout, current)
        if better is None:
            break
        current = better
        document = lay_out(current)
    if not layout.notes_fill and pad <= 1:
        return document, current
    bare_pages, bare_last = len(document.pages), _last_text_page(document)
    wanted = _notes_guess(document, layout, pad, current)
    if not wanted.notes_rules and not wanted.notes_pages:
        return document, current
    best: tuple[Any, Balance] = (document, current)
    for attempt in range(_PASSES):
        trial = lay_out(wanted)
        if len(trial.pages) == bare_pages + wanted.notes_pages:
            best = (trial, wanted)
            better = _notes_correction(trial, wanted)
            if better == wanted:
                break
            wanted = better
            continue
        # The notes ran onto another page, or pushed what follows the text
        # (the handout's footer) there: as many fewer lines as ran over.
        if wanted.notes_rules and (_last_text_page(trial) > bare_last
                                   or not wanted.notes_pages):
            over = _rules_on(trial, bare_last + 1) or 1 + attempt
            rules = wanted.notes_rules - over
            wanted = replace(wanted, notes_rules=rules if rules >= layout.notes_min_rules
                             else 0)
            if not wanted.notes_rules and not wanted.notes_pages:
                break
        else:
            whole = [index for index, box in _boxes_of(trial, "notes")
                     if "notes-inline" not in (box.element.get("class") or "")]
            over = (_rules_on(trial, whole[0] + 1) if whole else 0) or 1 + attempt
            wanted = replace(wanted, notes_page_rules=max(1, wanted.notes_page_rules - over))
    return best


def _rules_on(document: Any, page_index: int) -> int:
    """How many notes lines page ``page_index`` holds (0 past the end)."""
    if page_index >= len(document.pages):
        return 0
    return sum(1 for index, _ in _boxes_of(document, "rule") if index == page_index)
