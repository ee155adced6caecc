"""Read a PDF back the way a print shop or a screen reader would."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader


def text(path: Path) -> str:
    """The PDF's text in reading order, whitespace folded (pdftotext)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True)
    # pdftotext marks right-to-left runs with bidi embedding characters; the PDF
    # layer's right-to-left text layer adds invisible marks (brochure.bidilayer).
    plain = result.stdout.translate({code: None for code in (
        *range(0x202A, 0x202F), 0x200E, 0x200F, 0x2060)})
    return " ".join(plain.split())


def pixels(path: Path, dpi: int = 60) -> list[bytes]:
    """Each page of the PDF rendered by poppler (pdftoppm), as PPM bytes."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), str(path), f"{folder}/p"], check=True)
        return [page.read_bytes() for page in sorted(Path(folder).glob("p-*.ppm"))]


def fonts(path: Path) -> list[dict[str, str]]:
    """Rows of ``pdffonts``: name, type, emb, sub."""
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True)
    rows = []
    for line in result.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [encoding...] emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        titles.append(str(item.title))
    return titles


def link_uris(reader: PdfReader) -> set[str]:
    uris = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def page_size_pt(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return float(box.width), float(box.height)


def text_lines(path: Path) -> list[str]:
    """The lines of the PDF's text as pdftotext (poppler) extracts them."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout.splitlines()
