"""Digests of what a PDF is made from: files, code, fonts and translations.

A build skips a PDF whose inputs have not changed (see manifest.py) and a
Dask worker refuses a job whose files differ from the planner's. Both rest on
these digests. File digests are cached by (path, size, mtime), so hashing the
same template for 68 jobs costs one read.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable
from pathlib import Path

from . import __version__

#: Libraries whose version changes the PDF bytes.
_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "babel", "jinja2", "segno", "pyphen",
              "pypdf", "pillow", "tinycss2", "cssselect2", "markupsafe")

_file_cache: dict[tuple[str, int, int, int, int], str] = {}


def forget_files() -> None:
    """Forget cached file digests (each build starts afresh)."""
    _file_cache.clear()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes ("missing" if it does not exist)."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    found = _file_cache.get(key)
    if found is None:
        found = sha256(path.read_bytes())
        _file_cache[key] = found
    return found


def folder_files(folder: Path) -> list[Path]:
    """Every file below ``folder``, sorted, without hidden files or caches."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders
                               if not name.startswith(".") and name != "__pycache__")
        found.extend(Path(directory) / name for name in sorted(files)
                     if not name.startswith("."))
    return found


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it (so two checkouts agree), else absolute."""
    full, base = os.path.abspath(path), os.path.abspath(root)
    if full.startswith(base + os.sep):
        return Path(full[len(base) + 1:]).as_posix()
    return Path(full).as_posix()


def files_digest(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """``{relative path: digest}`` of ``paths``."""
    return {relative(path, root): file_digest(path) for path in sorted(set(paths))}


_code: str | None = None


def code_digest() -> str:
    """The package's own source and the versions of the libraries that shape the PDF."""
    global _code
    if _code is None:
        package = Path(__file__).parent
        parts = {"brochure": __version__,
                 "source": files_digest(sorted(package.glob("*.py")), package)}
        for name in _LIBRARIES:
            try:
                parts[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                parts[name] = "absent"
        _code = digest(parts)
    return _code


def digest(value: object) -> str:
    """SHA-256 of a JSON-able value, keys sorted."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_key(context: str | None, msgid: str) -> str:
    """A short, stable key for one catalog message."""
    return hashlib.sha1(f"{context or ''}\x04{msgid}".encode()).hexdigest()[:16]
