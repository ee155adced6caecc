"""The booking link's QR code: what fits in one, checked when the profile is read."""

from __future__ import annotations

import segno

#: Error correction of the printed QR codes (render.py draws them with it):
#: M survives a fold or a smudge over 15% of the code.
ERROR_CORRECTION = "m"
#: Above this many characters the code gets so dense (version 13+, modules
#: under 0.45 mm in the 30 mm codes of the tri-fold) that phones may fail.
DENSE_CHARACTERS = 250


def booking_url_problem(url: str) -> str | None:
    """Why ``url`` cannot become the brochure's QR code, or None when it can."""
    try:
        segno.make(url, error=ERROR_CORRECTION)
    except segno.DataOverflowError:
        return (f"booking_url is too long for a QR code ({len(url)} characters; "
                "a QR code holds at most about 2,300): use a shorter link")
    return None


def booking_url_warning(url: str) -> str | None:
    """A warning for a link that fits but makes a hard-to-scan code, or None."""
    if len(url) > DENSE_CHARACTERS:
        return (f"booking_url has {len(url)} characters: its QR code is dense and may be "
                f"hard to scan when printed; a link under {DENSE_CHARACTERS} characters "
                "scans best")
    return None
