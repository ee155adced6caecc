"""Impose a booklet for folding and saddle-stitching (pypdf does the page placing).

A booklet of N pages (N a multiple of 4) prints on N/4 sheets, two pages a
side. Printed duplex (flip on the short edge), stacked and folded in the
middle, the sheets read in page order. Right-to-left booklets bind on the
right, so each side's two pages swap places.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from .errors import RenderError


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


#: Landscape sheet sizes in points: A5 pages go on A4, 5.5 x 8.5 in on Letter.
SHEETS = {"A4": (841.89, 595.28), "Letter": (792.0, 612.0)}


def impose_booklet(pdf: bytes, right_to_left: bool = False, paper: str | None = None
                   ) -> bytes:
    """Return a PDF of sheets holding the booklet's pages 2-up, in folding order.

    Each page is cut to its trim box (bleed and crop marks are for a print
    shop's guillotine, not for folding at home), then placed on its half of
    a landscape ``paper`` sheet (or a sheet exactly two pages wide), centred.
    """
    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    trim = pages[0].trimbox
    width, height = float(trim.width), float(trim.height)
    sheet_width, sheet_height = SHEETS.get(paper or "", (2 * width, height))
    margin_x, margin_y = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    writer = PdfWriter()
    for left, right in sheet_order(len(pages), right_to_left):
        sheet = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for index, x_offset in ((left, margin_x), (right, margin_x + width)):
            page = pages[index]
            box = page.trimbox
            page.cropbox = box  # pypdf clips a merged page to its crop box
            sheet.merge_transformed_page(page, Transformation().translate(
                tx=x_offset - float(box.left), ty=margin_y - float(box.bottom)))
        writer.add_page(sheet)
    writer.add_metadata({key: value for key, value in (reader.metadata or {}).items()
                         if isinstance(value, str)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
