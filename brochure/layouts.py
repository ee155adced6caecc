"""One record per layout: everything the build, the renderer and the checks need to know.

Adding a layout means one :class:`Layout` in :data:`LAYOUTS` and its template
``templates/<name>.html.j2`` (with ``<name>.css``). Nothing else in the
package lists layouts or their rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .strings import LAYOUT_TITLES

#: The imposed copies of a print-ready booklet, by file-name suffix.
IMPOSED_OUTPUTS = ("imposed", "imposed-office")
#: Half-sheet page sizes of a booklet printed for folding (imposed 2-up).
HALF_SHEET = {"A4": "A5", "Letter": "5.5in 8.5in"}


@dataclass(frozen=True)
class Layout:
    """How one kind of brochure is made."""

    name: str
    #: One line for ``--help`` and the README's table.
    description: str
    #: (msgctxt, msgid) of the layout's name, printed in the PDF's title.
    title: tuple[str, str] = ("ui.layout", "Brochure")
    #: ``"all"``: every block of the sections shown; ``"condensed"``: only the
    #: blocks marked ``condensed: true`` (a small leaflet).
    blocks: str = "all"
    landscape: bool = False
    #: Print-ready copies are set at half the clinic's paper, for folding.
    half_sheet_when_print_ready: bool = False
    #: Most pages the layout may take; more is a fit error.
    page_limit: int | None = None
    #: Pad the page count to a multiple of this with notes pages before the back
    #: cover (a folded booklet needs a multiple of 4); 1 means no padding.
    pad_pages_to: int = 1
    #: Read as facing pages (a bound booklet): a right-to-left one asks viewers to
    #: show its spreads right to left (pdflayer.py). A single sheet does not, since
    #: PDFium then reads its Latin lines word by word backwards.
    spreads: bool = False
    #: Same, but only for the print-ready copy.
    pad_print_ready_to: int = 1
    #: Fixed-height boxes are measured in a second layout pass (see fit.py).
    measured: bool = False
    #: Print-ready output also gets an imposed copy of sheets, 2 pages a side.
    imposed: bool = False
    #: Contrast every brand colour needs against white.
    min_contrast: float = 4.5
    #: The layout has write-in lines that a patient's details may fill.
    fill_in: bool = False
    #: Panels of a folded leaflet that show sections; each document says which
    #: sections go in each (its ``panels:``), the template draws the others.
    panels: tuple[str, ...] = ()
    #: The layout shows one section, which each document names (its ``handout:``).
    one_section: bool = False
    #: Lines for the reader's notes fill the rest of the last text page (balance.py).
    notes_fill: bool = False
    #: The fewest notes lines worth printing after the text; fewer start a page
    #: of their own or none (balance.py). A handout's two lines fill a page
    #: that would end 15% empty.
    notes_min_rules: int = 3
    #: A figure that would leave a gap may shrink to this fraction of its width
    #: (balance.py); 1 means figures keep their size.
    figure_min_scale: float = 1.0
    #: What a translator or author can do when the layout's text does not fit.
    fit_hint: str = "shorten the texts it shows in this language"

    @property
    def template(self) -> str:
        return f"{self.name}.html.j2"

    def page_size(self, paper: str, print_ready: bool) -> str:
        """The CSS ``@page`` size for the clinic's paper (``A4`` or ``Letter``)."""
        if print_ready and self.half_sheet_when_print_ready:
            return HALF_SHEET[paper]
        return f"{paper} landscape" if self.landscape else paper

    def pad_to(self, print_ready: bool) -> int:
        return max(self.pad_pages_to, self.pad_print_ready_to if print_ready else 1)

    def suffix(self, print_ready: bool, filled: bool) -> str:
        """The file-name suffix of the main PDF: ``-print``, ``-filled``, both or none."""
        parts = ["print" if print_ready else "", "filled" if filled and self.fill_in else ""]
        return "-".join(part for part in parts if part)

    def extra_outputs(self, print_ready: bool) -> tuple[str, ...]:
        """Suffixes of the other files made from the main PDF: the imposed sheets.

        ``imposed``: for a print shop, pages with bleed and marks on an
        oversize sheet; ``imposed-office``: for a desktop printer, on the
        clinic's own paper inside the margin it can print (see imposition.py).
        """
        return IMPOSED_OUTPUTS if print_ready and self.imposed else ()


LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout("booklet", "the full brochure: cover, every section, language help and "
                      "sources, back cover with contacts and booking QR code",
           title=LAYOUT_TITLES["booklet"], half_sheet_when_print_ready=True,
           pad_pages_to=4, pad_print_ready_to=4, imposed=True, notes_fill=True,
           figure_min_scale=0.7, spreads=True),
    Layout("large-print", "the booklet for low vision: body 17 pt, one column, "
                          "colours at 7:1 contrast", title=LAYOUT_TITLES["large-print"],
           min_contrast=7.0, pad_pages_to=4, notes_fill=True, spreads=True),
    Layout("trifold", "one landscape sheet folded in three; the blocks marked "
                      "'condensed: true'",
           title=LAYOUT_TITLES["trifold"], blocks="condensed", landscape=True, page_limit=2,
           measured=True,
           panels=("flap", "inside-1", "inside-2", "inside-3"),
           fit_hint="shorten the texts it shows in this language, or mark fewer "
                    "blocks 'condensed: true'"),
    Layout("handout", "a checklist to keep on the fridge, with write-in lines",
           title=LAYOUT_TITLES["handout"], page_limit=2, fill_in=True, notes_fill=True,
           one_section=True, notes_min_rules=2),
)}

#: Layout names in the order ``--layout all`` builds them.
LAYOUT_NAMES = tuple(LAYOUTS)


def read_layout_list(value: Any, example: str = "[booklet, handout]"
                     ) -> tuple[tuple[str, ...], list[str]]:
    """A ``layouts:`` value of a content or notes file: the layouts it names, and its faults."""
    if (not isinstance(value, list) or not value
            or not all(isinstance(item, str) for item in value)):
        return (), [f"layouts must be a list of layout names such as {example}"]
    problems = [f"unknown layout {name!r} (known: {', '.join(LAYOUT_NAMES)})"
                for name in value if name not in LAYOUTS]
    return tuple(dict.fromkeys(value)), problems
