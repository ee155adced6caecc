"""WeasyPrint's logged errors become errors; interrupts it swallows are raised again.

These tests pin what brochure.weasylog relies on in WeasyPrint 70.0: that
``SVGImage.draw`` catches every ``BaseException`` and logs it *while handling
it*. If an upgrade changes that, the tests without the guard fail and say so.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.svg import SVG

from brochure import RenderError
from brochure.fetcher import ForbiddenURL, SandboxedFetcher
from brochure.weasylog import LOGGER_NAME, weasyprint_errors

from .hardening_project import make_project

INLINE_SVG = ('<html lang="en"><body><svg xmlns="http://www.w3.org/2000/svg" width="20" '
              'height="20"><rect width="10" height="10"/></svg></body></html>')


def _interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def test_weasyprint_swallows_an_interrupt_while_it_draws_an_svg(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the guard exists: without it, Ctrl-C gives a PDF without the picture."""
    monkeypatch.setattr(SVG, "draw_node", _interrupt)
    assert HTML(string=INLINE_SVG).write_pdf().startswith(b"%PDF")


def test_the_guard_raises_the_interrupt_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SVG, "draw_node", _interrupt)
    with pytest.raises(KeyboardInterrupt), weasyprint_errors():
        HTML(string=INLINE_SVG).write_pdf()


def test_a_refused_url_inside_an_svg_stops_the_render(tmp_path: Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   '<image href="file:///etc/hostname" width="5" height="5"/></svg>')
    html = f'<html lang="en"><img src="{svg.as_uri()}" alt="logo"></html>'
    fetcher = SandboxedFetcher([tmp_path])
    # Without the guard the refusal is logged and the logo drawn without its picture.
    HTML(string=html, url_fetcher=fetcher).write_pdf()
    with pytest.raises(ForbiddenURL, match="refused to read file:///etc/hostname"), \
            weasyprint_errors():
        HTML(string=html, url_fetcher=fetcher).write_pdf()


def test_logged_errors_become_one_render_error(tmp_path: Path) -> None:
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    html = f'<html lang="en"><img src="{(tmp_path / "broken.png").as_uri()}" alt="x"></html>'
    with pytest.raises(RenderError) as caught, weasyprint_errors(what="the page"):
        HTML(string=html, url_fetcher=SandboxedFetcher([tmp_path])).write_pdf()
    assert str(caught.value).startswith("the page: failed to load image at ")
    assert str(caught.value).endswith("broken.png (cannot identify image file)")


def test_an_ignored_css_declaration_is_harmless_unless_strict() -> None:
    html = '<html lang="en"><p style="print-color-adjust: exact">x</p></html>'
    with weasyprint_errors():
        HTML(string=html).write_pdf()
    with pytest.raises(RenderError, match="ignored `print-color-adjust: exact`"), \
            weasyprint_errors(strict=True):
        HTML(string=html).write_pdf()


def test_the_logger_is_left_as_it_was() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.ERROR)
    try:
        with weasyprint_errors():
            assert logger.getEffectiveLevel() == logging.WARNING
        assert logger.level == logging.ERROR and not [
            handler for handler in logger.handlers if type(handler).__name__ == "_Listener"]
    finally:
        logger.setLevel(logging.NOTSET)


def test_ctrl_c_while_the_qr_code_is_drawn_exits_130_and_writes_nothing(
        tmp_path: Path) -> None:
    """A real SIGINT, delivered while WeasyPrint draws the trifold's QR code."""
    root = tmp_path / "project"
    root.mkdir()
    make_project(root)
    script = textwrap.dedent("""
        import os, signal, sys
        from weasyprint.svg import SVG
        from brochure.cli import main
        draw = SVG.draw_node
        def draw_node(self, *args, **kwargs):
            # Only in the QR code: an inline SVG, whose URL is the page's, not a file's.
            if not str(self.url).endswith(".svg") and not os.path.exists("fired"):
                open("fired", "w").close()
                os.kill(os.getpid(), signal.SIGINT)
            return draw(self, *args, **kwargs)
        SVG.draw_node = draw_node
        sys.argv = ["brochure", *sys.argv[1:]]
        main()
    """)
    result = subprocess.run(
        [sys.executable, "-c", script, "build", "--clinic", "demo", "--lang", "en",
         "--layout", "trifold", "--out", "out"],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert (root / "fired").exists(), "the QR code was never drawn"
    assert result.returncode == 130, result.stderr
    assert result.stderr == "Interrupted: nothing more was written.\n"
    assert not (root / "out").exists() or not any((root / "out").rglob("*.*"))
