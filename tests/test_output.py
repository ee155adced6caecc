"""Atomic writes: a failed write never leaves a partial file or harms the old one.

The failure is real: a child process may write at most a few kilobytes
(RLIMIT_FSIZE), so any writer fails part-way, the way it would on a full
disk. The same check run on a plain, non-atomic writer must fail, or it
would prove nothing.
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path

import pytest

from brochure import BrochureError
from brochure.output import write_atomically, write_if_changed

OLD = b"%PDF-1.7 the old, complete file\n" + b"o" * 1000
NEW = b"%PDF-1.7 the new file\n" + b"n" * 200_000


def _plain_write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _write_with_a_small_disk(writer: Callable[[Path, bytes], None], path: str) -> str:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail with EFBIG instead of dying
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    try:
        writer(Path(path), NEW)
    except (OSError, BrochureError):
        return "failed"
    return "written"


def _damage(writer: Callable[[Path, bytes], None], folder: Path) -> list[str]:
    """Write NEW over OLD with too little room; return what went wrong, if anything."""
    target = folder / "mild-booklet.pdf"
    target.write_bytes(OLD)
    with get_context("fork").Pool(1) as pool:
        outcome = pool.apply(_write_with_a_small_disk, (writer, str(target)))
    assert outcome == "failed"
    problems = []
    if target.read_bytes() != OLD:
        problems.append("the old file was changed")
    if sorted(os.listdir(folder)) != ["mild-booklet.pdf"]:
        problems.append(f"left {sorted(os.listdir(folder))}")
    return problems


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    assert _damage(write_atomically, tmp_path) == []


def test_the_same_check_catches_a_writer_that_is_not_atomic(tmp_path: Path) -> None:
    assert _damage(_plain_write, tmp_path) == ["the old file was changed"]


def test_write_if_changed_keeps_an_identical_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    assert write_if_changed(path, NEW) is True
    before = path.stat().st_mtime_ns
    assert write_if_changed(path, NEW) is False
    assert path.stat().st_mtime_ns == before
    assert write_if_changed(path, OLD) is True and path.read_bytes() == OLD


@pytest.mark.parametrize("size", [0, 1, 65_536])
def test_written_files_are_complete_and_readable(tmp_path: Path, size: int) -> None:
    path = tmp_path / "sub" / "x.pdf"
    write_atomically(path, b"x" * size)
    assert path.read_bytes() == b"x" * size
    assert oct(path.stat().st_mode & 0o777) == "0o644"
