"""Hear what WeasyPrint only logs during a render, and make it an error.

WeasyPrint (pinned: 70.0) does not raise when a picture cannot be used: it
logs and draws nothing. ``get_image_from_uri`` logs "Failed to load image"
(a PNG of random bytes, an SVG that is not XML, a refused URL) and
``SVGImage.draw`` (``weasyprint/images.py``) wraps the whole drawing of an SVG
in ``except BaseException``, logs "Failed to render SVG image" and goes on. That
``except`` also catches :class:`KeyboardInterrupt` (Ctrl-C while a QR code or a
logo is drawn), :class:`SystemExit`, and our fetcher's refusal
(:class:`~brochure.fetcher.ForbiddenURL` is a ``FatalURLFetchingError``, which is
a ``BaseException``): the PDF came out without its QR code, its logo, once
without a whole panel (the SVG's graphics state was left pushed), and exit 0.

:func:`weasyprint_errors` listens to the ``weasyprint`` logger while it is
active. WeasyPrint logs those messages *inside* its ``except`` blocks, so the
listener sees the exception being handled (``sys.exc_info()``): an interrupt,
an exit or a refusal is raised again from there, which ends the render at
once; anything else logged at warning or error level becomes one
:class:`~brochure.errors.RenderError` when the render is over.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BrochureError, RenderError, _display_path
from .paths import short_url

LOGGER_NAME = "weasyprint"

#: Messages (WeasyPrint's format strings) that are not errors in a brochure.
#: * "Ignored `…`" / "Deprecated `…`" (css/validation, css/tokens): one CSS
#:   declaration WeasyPrint does not support in the project's own stylesheets;
#:   the rest of the rule applies and no text, picture or link is lost. The
#:   shipped templates log none today; failing on them would turn every
#:   WeasyPrint upgrade that retires a property into a broken build.
#: * "Using fontTools instead of HarfBuzz-Subset": a slower font subsetter;
#:   the PDF looks the same (it is only larger and slower to make).
HARMLESS_PREFIXES = ("Ignored `", "Deprecated `", "Using fontTools instead of HarfBuzz")


#: Object addresses in messages ("<_io.BytesIO object at 0x7f…>") change every run.
_OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-f]+>")


def _reason(exception: BaseException | None) -> str:
    """The innermost message of an exception chain (what really went wrong)."""
    reasons = []
    while exception is not None:
        text = _OBJECT_REPR.sub("", str(exception)).strip()
        if text:
            reasons.append(text.splitlines()[0])
        exception = exception.__cause__ or exception.__context__
    return reasons[-1] if reasons else ""


def _readable(value: object) -> object:
    """A file URL shown as the path a user knows; long data: URLs shortened."""
    if isinstance(value, str):
        if value.startswith("file://"):
            return _display_path(Path(unquote(urlsplit(value).path)))
        return short_url(value)
    return value


class _Listener(logging.Handler):
    def __init__(self, strict: bool) -> None:
        super().__init__(logging.WARNING)
        self.strict = strict
        self.thread = threading.get_ident()
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return  # another render in another thread has its own listener
        handled = sys.exc_info()[1]
        if handled is not None and not isinstance(handled, Exception):
            # Raised inside WeasyPrint's `except BaseException`: let it go on.
            raise handled
        if not self.strict and str(record.msg).startswith(HARMLESS_PREFIXES):
            return
        args = tuple(_readable(arg) for arg in record.args) if isinstance(
            record.args, tuple) else record.args
        template = str(record.msg).replace("%r", "%s")
        try:
            message = template % args if args else template
        except (TypeError, ValueError):
            message = record.getMessage()
        message = message.strip().rstrip(":").strip()
        reason = _reason(handled)
        if reason and reason not in message:
            message += f" ({reason})"
        if message not in self.reports:
            self.reports.append(message)


@contextmanager
def weasyprint_errors(error: type[BrochureError] = RenderError, file: Path | str | None = None,
                      line: int | None = None, what: str = "WeasyPrint",
                      strict: bool = False) -> Iterator[None]:
    """Turn WeasyPrint's warnings and errors during the block into one ``error``.

    ``what`` starts the message ("WeasyPrint: Failed to load image at …").
    ``strict`` also refuses what :data:`HARMLESS_PREFIXES` lets pass (used
    when one picture is drawn alone, so every warning is about it).
    Interrupts raised while WeasyPrint draws are raised again, not reported.
    """
    logger = logging.getLogger(LOGGER_NAME)
    listener = _Listener(strict)
    level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        # The CLI quiets WeasyPrint to errors; the listener needs its warnings.
        logger.setLevel(logging.WARNING)
    logger.addHandler(listener)
    try:
        yield
    finally:
        logger.removeHandler(listener)
        logger.setLevel(level)
    if listener.reports:
        # WeasyPrint's messages start with a capital ("Failed to load image").
        reports = [report[:1].lower() + report[1:] for report in listener.reports]
        raise error(f"{what}: " + "; ".join(reports), file, line)
