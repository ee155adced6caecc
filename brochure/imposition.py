"""Impose a booklet for folding and saddle-stitching: pages placed as form XObjects.

A booklet of N pages (N a multiple of 4) prints on N/4 sheets, two pages a
side. Printed duplex (flip on the short edge), stacked and folded in the
middle, the sheets read in page order. Right-to-left booklets bind on the
right, so each side's two pages swap places.

Two kinds of sheets (:func:`impose_booklet`):

* ``imposed``, for a print shop: each spread on a sheet larger than two
  trimmed pages, with the 3 mm bleed on the three outer sides, crop marks
  at the spread's corners and a dashed fold mark at the spine, outside the
  bleed (prepress.py's marks); the shop trims after folding.
* ``imposed-office``, for a desktop printer: the clinic's own paper
  (landscape A4 or Letter), the pages at full size with the spine in the
  middle of the sheet, cut to a white margin of :data:`OFFICE_MARGIN_MM`
  that any desktop printer can print (a page's type is never scaled down).

Each page becomes a form XObject (pikepdf), drawn once where it goes and
clipped: nothing is copied or uncompressed, and the sheets keep the
document's language, title, metadata and reading direction.
"""

from __future__ import annotations

import io

import pikepdf

from .errors import RenderError
from .prepress import MARK_LENGTH_MM, MARK_OFFSET_MM, PT_PER_MM, SLUG_MM, crop_marks, fold_marks

#: The white border a desktop printer can always print inside (a quarter inch).
OFFICE_MARGIN_MM = 6.35
#: Landscape sheet sizes in points: A5 pages go on A4, 5.5 x 8.5 in on Letter.
SHEETS = {"A4": (841.89, 595.28), "Letter": (792.0, 612.0)}
#: The kinds of imposed sheets, by file-name suffix (see layouts.IMPOSED_OUTPUTS).
KINDS = ("imposed", "imposed-office")


def sheet_order(page_count: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """(left, right) page indices of each printed side, sheet by sheet, front then back."""
    if page_count % 4:
        raise RenderError(f"an imposed booklet needs a multiple of 4 pages, not {page_count}")
    sides = []
    for sheet in range(page_count // 4):
        outer_back = page_count - 1 - 2 * sheet
        front = (outer_back, 2 * sheet)
        back = (2 * sheet + 1, page_count - 2 - 2 * sheet)
        if right_to_left:
            front, back = (front[1], front[0]), (back[1], back[0])
        sides.extend([front, back])
    return sides


def _box(page: pikepdf.Page, name: str) -> list[float]:
    value = page.obj.get(name) or page.obj.MediaBox
    return [float(number) for number in value]


def impose_booklet(pdf: bytes, right_to_left: bool = False, paper: str | None = None,
                   kind: str = "imposed") -> bytes:
    """Return a PDF of sheets holding the booklet's pages 2-up, in folding order.

    ``kind`` is ``imposed`` (print shop: oversize sheets, bleed and marks)
    or ``imposed-office`` (``paper`` landscape, inside a printable margin;
    a sheet exactly two pages wide when ``paper`` is not known).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of imposed sheets: {kind!r}")
    office = kind == "imposed-office"
    with pikepdf.open(io.BytesIO(pdf)) as source, pikepdf.new() as output:
        pages = source.pages
        trim = _box(pages[0], "/TrimBox")
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        bleed_box = _box(pages[0], "/BleedBox")
        bleed = max(0.0, trim[0] - bleed_box[0])
        if office:
            sheet_width, sheet_height = SHEETS.get(paper or "", (2 * width, height))
            margin = OFFICE_MARGIN_MM * PT_PER_MM
        else:
            slug = SLUG_MM * PT_PER_MM
            sheet_width, sheet_height = 2 * width + 2 * slug, height + 2 * slug
        # The spine in the middle of the sheet, the pages centred on it.
        spine, bottom = sheet_width / 2, (sheet_height - height) / 2
        forms = {}
        for left, right in sheet_order(len(pages), right_to_left):
            resources = pikepdf.Dictionary()
            content = []
            for index, x_offset in ((left, spine - width), (right, spine)):
                if index not in forms:
                    forms[index] = output.copy_foreign(pages[index].as_form_xobject())
                box = _box(pages[index], "/TrimBox")
                name = f"/P{index}"
                resources[name] = forms[index]
                # What of the page shows: the trimmed page with its bleed on the
                # outer sides (print shop), or the page inside the printable
                # margin (office). Never the other page's half, never the marks.
                x0, x1 = x_offset, x_offset + width
                y0, y1 = bottom, bottom + height
                if office:
                    x0, x1 = max(x0, margin), min(x1, sheet_width - margin)
                    y0, y1 = max(y0, margin), min(y1, sheet_height - margin)
                elif index == left:
                    x0, y0, y1 = x0 - bleed, y0 - bleed, y1 + bleed
                else:
                    x1, y0, y1 = x1 + bleed, y0 - bleed, y1 + bleed
                tx, ty = x_offset - box[0], bottom - box[1]
                content.append(
                    f"q {x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re W n "
                    f"1 0 0 1 {tx:.3f} {ty:.3f} cm {name} Do Q")
            spread = (spine - width, bottom, spine + width, bottom + height)
            if office:
                content.append(_office_fold_ticks(spine, sheet_height, margin))
            else:
                marks = crop_marks(spread, MARK_OFFSET_MM * PT_PER_MM,
                                   MARK_LENGTH_MM * PT_PER_MM)
                marks += fold_marks(spread, [width], MARK_OFFSET_MM * PT_PER_MM,
                                    MARK_LENGTH_MM * PT_PER_MM)
                content.append("q 0.25 w 0 0 0 1 K\n" + "\n".join(marks) + "\nQ")
            sheet = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, sheet_width, sheet_height],
                Resources=pikepdf.Dictionary(XObject=resources),
                Contents=output.make_stream("\n".join(content).encode()))
            if not office:
                sheet.TrimBox = pikepdf.Array(spread)
                sheet.BleedBox = pikepdf.Array([spread[0] - bleed, spread[1] - bleed,
                                                spread[2] + bleed, spread[3] + bleed])
            output.pages.append(pikepdf.Page(sheet))
        # The sheets are the same document: its language, title, metadata, direction.
        if "/Lang" in source.Root:
            output.Root.Lang = pikepdf.String(str(source.Root.Lang))
        if "/Metadata" in source.Root:
            output.Root.Metadata = output.copy_foreign(source.Root.Metadata)
        preferences = source.Root.get("/ViewerPreferences")
        if isinstance(preferences, pikepdf.Dictionary) and "/Direction" in preferences:
            output.Root.ViewerPreferences = pikepdf.Dictionary(
                Direction=preferences.Direction)
        for key, value in source.docinfo.items():
            if isinstance(value, pikepdf.String):
                output.docinfo[key] = pikepdf.String(str(value))
        buffer = io.BytesIO()
        output.save(buffer, compress_streams=True, deterministic_id=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _office_fold_ticks(spine: float, sheet_height: float, margin: float) -> str:
    """Short grey ticks at the middle of the sheet's top and bottom, where it folds."""
    length = 3 * PT_PER_MM
    return (f"q 0.5 w 0.6 G {spine:.3f} {sheet_height - margin:.3f} m "
            f"{spine:.3f} {sheet_height - margin - length:.3f} l S "
            f"{spine:.3f} {margin:.3f} m {spine:.3f} {margin + length:.3f} l S Q")
