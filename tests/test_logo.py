"""Logos: checked by drawing them once; embedded data: pictures really appear."""

from __future__ import annotations

import base64
import io
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from brochure import BuildOptions, ClinicError, Project, build, load_clinic
from brochure.fetcher import MAX_DATA_BYTES, ForbiddenURL, SandboxedFetcher
from brochure.logo import check_logo, logo_problems

RED = (214, 30, 30)


def _png(size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, RED).save(buffer, format="PNG")
    return buffer.getvalue()


def _svg_with_embedded_png(png: bytes, wrap: bool = False) -> str:
    encoded = base64.b64encode(png).decode()
    if wrap:  # Inkscape wraps base64 in lines, sometimes without padding
        encoded = "\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60)).rstrip("=")
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            ' viewBox="0 0 200 60"><rect width="200" height="60" fill="#ffffff"/>'
            f'<image x="0" y="0" width="200" height="60" xlink:href="data:image/png;base64,'
            f'{encoded}"/></svg>')


def _images(resources: Any, found: list[tuple[int, int]]) -> None:
    """Every image XObject under ``resources``, also inside forms (SVGs are forms)."""
    xobjects = (resources or {}).get("/XObject") or {}
    for reference in xobjects.values():
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append((int(xobject["/Width"]), int(xobject["/Height"])))
        elif xobject.get("/Subtype") == "/Form":
            _images(xobject.get("/Resources"), found)


def pdf_images(path: Path) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for page in PdfReader(path).pages:
        _images(page.get("/Resources"), found)
    return found


def test_the_shipped_logos_are_fine(repo: Project) -> None:
    for clinic in ("maple-hollow", "harbourview"):
        folder = repo.clinics_dir / clinic
        assert logo_problems(folder / "logo.svg", folder) == []


@pytest.mark.parametrize("wrap", [False, True])
def test_an_embedded_png_appears_in_the_pdf(demo: Project, tmp_path: Path,
                                            wrap: bool) -> None:
    logo = demo.clinics_dir / "demo" / "logo.svg"
    logo.write_text(_svg_with_embedded_png(_png(), wrap), encoding="utf-8")
    assert logo_problems(logo, logo.parent) == []
    [pdf] = build(BuildOptions(clinics=("demo",), languages=("en",), layouts=("handout",),
                               out=tmp_path / "out"), demo).outputs
    assert (40, 20) in pdf_images(pdf)
    # And it is drawn: the page has the logo's red where the logo stands.
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    colours = Image.open(png).convert("RGB").getcolors(1 << 20) or []
    assert sum(count for count, colour in colours if colour == RED) > 20


def test_without_data_urls_the_picture_would_vanish(tmp_path: Path) -> None:
    """What the fetcher used to do: refuse data: URLs; now only non-pictures."""
    fetcher = SandboxedFetcher([tmp_path])
    encoded = base64.b64encode(_png()).decode()
    response = fetcher(f"data:image/png;base64,{encoded}")
    assert response.content_type == "image/png" and response.read() == _png()
    for url, reason in [
        ("data:text/css,body{}", "may hold only a picture"),
        ("data:text/html;base64,PGI+", "may hold only a picture"),
        ("data:image/png;base64,not base64!", "base64 data is broken"),
        ("data:image/png;base64", "needs a comma"),
    ]:
        with pytest.raises(ForbiddenURL, match=reason):
            fetcher(url)
    huge = base64.b64encode(b"\0" * (MAX_DATA_BYTES + 1)).decode()
    with pytest.raises(ForbiddenURL, match="larger than") as caught:
        fetcher(f"data:image/png;base64,{huge}")
    assert len(str(caught.value)) < 200  # the URL is cut in the message


def test_a_broken_logo_stops_the_profile_with_every_problem(demo: Project) -> None:
    profile = demo.clinics_dir / "demo.yaml"
    logo = demo.clinics_dir / "demo" / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg">\n'
                    '<image href="http://127.0.0.1:9/a.png"/>\n'
                    '<use href="b.svg#x"/>\n</svg>\n', encoding="utf-8")
    profile.write_text(profile.read_text().replace("paper: A4", "paper: A3"))
    with pytest.raises(ClinicError) as caught:
        load_clinic(profile)
    assert [(Path(str(problem.file)).name, problem.line) for problem in
            caught.value.problems] == [("logo.svg", 2), ("logo.svg", 3), ("demo.yaml", 12)]


def test_a_fixed_logo_is_checked_again(demo: Project) -> None:
    logo = demo.clinics_dir / "demo" / "logo.svg"
    good = logo.read_bytes()
    logo.write_bytes(b"<svg")
    with pytest.raises(ClinicError):
        check_logo(logo, logo.parent)
    logo.write_bytes(good)
    os.utime(logo, ns=(1, 1))  # a different mtime, even on a coarse clock
    check_logo(logo, logo.parent)
