"""Input files must be where they seem to be: no links out of their folder.

A catalog ``locales/es/LC_MESSAGES/brochure.po`` that is a symbolic link to a
file elsewhere (another checkout, a home folder, ``/etc``) would be read
without a word, and a message quoting a broken line would show a stranger's
file. The tool refuses it instead: "copy the file into the project". A link
that stays inside the folder is fine, and so is a whole ``locales/`` folder
that is a link (the check compares the resolved paths).
"""

from __future__ import annotations

from pathlib import Path

from .errors import BrochureError

#: Pictures a ``data:`` URL may hold (see brochure/fetcher.py).
DATA_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


def short_url(url: str) -> str:
    """``url`` for a message: a data: URL cut after its media type."""
    if url.startswith("data:") and len(url) > 48:
        return url[:40] + "…"
    return url


def check_inside(path: Path, folder: Path, error: type[BrochureError] = BrochureError,
                 what: str = "the file") -> None:
    """Raise ``error`` naming ``path`` if it resolves to a file outside ``folder``.

    ``what`` names the file in the message ("the catalog").
    """
    target = path.resolve()
    if not target.is_relative_to(folder.resolve()):
        raise error(f"{what} is a link to {target}, outside {folder.name}/; copy the file "
                    f"into {folder.name}/ instead of linking to it", path)
