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


def impose_booklet(pdf: bytes, right_to_left: bool = False) -> bytes:
    """Return a PDF of sheets (twice the trimmed page width) holding the pages 2-up.

    Each page is cut to its trim box (bleed and crop marks are for a print
    shop's guillotine, not for folding at home), then placed on its half.
    """
    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    trim = pages[0].trimbox
    width, height = float(trim.width), float(trim.height)
    writer = PdfWriter()
    for left, right in sheet_order(len(pages), right_to_left):
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for index, x_offset in ((left, 0.0), (right, width)):
            page = pages[index]
            box = page.trimbox
            page.cropbox = box  # pypdf clips a merged page to its crop box
            sheet.merge_transformed_page(page, Transformation().translate(
                tx=x_offset - float(box.left), ty=-float(box.bottom)))
        writer.add_page(sheet)
    writer.add_metadata({key: value for key, value in (reader.metadata or {}).items()
                         if isinstance(value, str)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
