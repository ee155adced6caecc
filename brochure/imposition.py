"""Impose a booklet for folding and saddle-stitching: pages placed as form XObjects.

A booklet of N pages (N a multiple of 4) prints on N/4 sheets, two pages a
side. Printed duplex (flip on the short edge), stacked and folded in the
middle, the sheets read in page order. Right-to-left booklets bind on the
right, so each side's two pages swap places.

Each page becomes a form XObject (pikepdf), drawn once where it goes and
clipped to its trim box: nothing is copied or uncompressed, and the sheets
keep the document's language, title and metadata.
"""

from __future__ import annotations

import io

import pikepdf

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
    with pikepdf.open(io.BytesIO(pdf)) as source, pikepdf.new() as output:
        pages = source.pages
        trim = [float(value) for value in pages[0].trimbox]
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        sheet_width, sheet_height = SHEETS.get(paper or "", (2 * width, height))
        margin_x, margin_y = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
        forms = {}
        for left, right in sheet_order(len(pages), right_to_left):
            resources = pikepdf.Dictionary()
            content = []
            for index, x_offset in ((left, margin_x), (right, margin_x + width)):
                if index not in forms:
                    forms[index] = output.copy_foreign(pages[index].as_form_xobject())
                box = [float(value) for value in pages[index].trimbox]
                name = f"/P{index}"
                resources[name] = forms[index]
                tx, ty = x_offset - box[0], margin_y - box[1]
                content.append(
                    f"q {x_offset:.3f} {margin_y:.3f} {width:.3f} {height:.3f} re W n "
                    f"1 0 0 1 {tx:.3f} {ty:.3f} cm {name} Do Q")
            sheet = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, sheet_width, sheet_height],
                Resources=pikepdf.Dictionary(XObject=resources),
                Contents=output.make_stream("\n".join(content).encode()))
            output.pages.append(pikepdf.Page(sheet))
        # The sheets are the same document: its language, title and metadata.
        if "/Lang" in source.Root:
            output.Root.Lang = pikepdf.String(str(source.Root.Lang))
        if "/Metadata" in source.Root:
            output.Root.Metadata = output.copy_foreign(source.Root.Metadata)
        for key, value in source.docinfo.items():
            if isinstance(value, pikepdf.String):
                output.docinfo[key] = pikepdf.String(str(value))
        buffer = io.BytesIO()
        output.save(buffer, compress_streams=True, deterministic_id=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()
