"""Write output files so that a failed or killed build never leaves a partial file.

A file is written to a hidden temporary file beside it (``.<name>.XXXXXXXX.part``)
and renamed over the old one in one step, so readers see the old file or the
complete new one, never a part. The writer holds a lock on its temporary file:
a build killed with ``kill -9`` leaves an unlocked ``.part``, which
:func:`remove_stale_parts` (and the next write of the same file) removes,
while a ``.part`` another build is still writing is left alone.

A folder that cannot be written (read-only, full, a file in the way) is one
:class:`~brochure.errors.OutputError` naming the path, never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: stale parts stay
    fcntl = None  # type: ignore[assignment]

#: What ``tempfile`` makes of ``.<name>.`` + 8 random characters + ``.part``.
_PART_RE = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.part$")

_REASONS = {
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "the disk reported an input/output error",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def _make_folder(folder: Path) -> None:
    """``mkdir -p`` with one clear error naming the part that is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((parent for parent in [folder, *folder.parents]
                         if parent.exists() and not parent.is_dir()), folder)
        raise OutputError(f"a file is in the way of the output folder {folder}",
                          blocking) from None
    except OSError as exc:
        raise OutputError(f"cannot make the output folder: {_reason(exc)}", folder) from None


def _lock(descriptor: int) -> bool:
    """Take the writer's lock; False when another process holds it."""
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove_if_stale(part: Path) -> bool:
    """Remove ``part`` unless a live writer holds its lock; True if removed."""
    try:
        descriptor = os.open(part, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        if not _lock(descriptor):
            return False  # another build is writing it right now
        part.unlink(missing_ok=True)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def remove_stale_parts(folder: Path, depth: int = 2, name: str | None = None) -> list[Path]:
    """Remove the ``.part`` files a killed build left in ``folder``; return them.

    Looks ``depth`` levels of subfolders deep (``<out>/<clinic>/<lang>/``
    is 2). With ``name``, only the parts of that one file. Parts that a
    running build is writing (it holds their lock) are kept. Never raises.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if depth > 0 and name is None:
                    removed.extend(remove_stale_parts(Path(entry.path), depth - 1))
                continue
            match = _PART_RE.match(entry.name)
            if (match and entry.is_file(follow_symlinks=False)
                    and (name is None or match.group("name") == name)
                    and _remove_if_stale(Path(entry.path))):
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _temporary(path: Path) -> tuple[int, str]:
    """A new locked temporary file beside ``path``."""
    for _ in range(3):
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        _lock(descriptor)
        # A cleanup between mkstemp and the lock may have removed the file.
        try:
            if os.path.samestat(os.fstat(descriptor), os.stat(temporary)):
                return descriptor, temporary
        except FileNotFoundError:
            pass
        os.close(descriptor)
    raise OutputError("cannot keep a temporary file in the folder (something removes it)",
                      path.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Readers see either the old file or the complete new one: the temporary
    file is flushed to disk and then renamed over ``path`` in one step. Stale
    ``.part`` files of ``path`` from a killed build are removed first. Raises
    :class:`OutputError` naming the path when the folder cannot be written;
    an interrupt (Ctrl-C) removes the temporary file and goes on up.
    """
    _make_folder(path.parent)
    remove_stale_parts(path.parent, depth=0, name=path.name)
    if path.is_dir():
        raise OutputError("cannot write the file: a folder of that name is in the way", path)
    try:
        descriptor, temporary = _temporary(path)
    except OSError as exc:
        raise OutputError(f"cannot write in this folder: {_reason(exc)}", path.parent) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(temporary, 0o644)
            # Renamed while the lock is held: a cleanup never sees it unlocked.
            os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write the file: {_reason(exc)}", path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it.

    An unchanged file keeps its modification time, so tools that watch the
    output folder (a shared drive, a sync client) see only real changes.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data)
    return True
