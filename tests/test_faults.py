"""Faults: kill -9 at random moments, a full disk, a read-only output folder.

Whatever happens, no file in the output folder may be a partial PDF, an older
PDF stays intact, and the next build cleans up the debris and succeeds.
"""

from __future__ import annotations

import errno
import fcntl
import io
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from brochure import BuildOptions, OutputError, Project, build
from brochure.cli import main
from brochure.library import is_library_file
from brochure.output import remove_stale_parts, write_atomically

BUILD = ["build", "--clinic", "demo", "--lang", "en,es", "--layout", "handout,trifold",
         "--out", "out"]
OUTPUTS = {f"out/demo/{lang}/demo-{layout}.pdf" for lang in ("en", "es")
           for layout in ("handout", "trifold")}
KILL_SEEDS = range(10)


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    return (data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
            and len(PdfReader(io.BytesIO(data)).pages) > 0)


#: The build's record of what each PDF was made from (brochure/manifest.py).
MANIFEST = ".brochure-manifest.json"


def _files(folder: Path) -> list[Path]:
    """Every file in ``folder`` but the build's manifest and its library page."""
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and path.name != MANIFEST
                  and not is_library_file(path.relative_to(folder)))


def _assert_no_partial_pdf(out: Path) -> list[Path]:
    """Every visible file is a complete PDF; return the hidden .part debris."""
    debris = []
    for path in _files(out):
        if path.name.startswith(".") and path.name.endswith(".part"):
            debris.append(path)
        else:
            assert path.suffix == ".pdf" and _complete(path), f"{path} is not a complete PDF"
    return debris


def _rebuild_cleans_up(project: Project) -> None:
    options = BuildOptions(clinics=("demo",), languages=("en", "es"),
                           layouts=("handout", "trifold"), out=project.root / "out")
    build(options, project)
    out = project.root / "out"
    assert _assert_no_partial_pdf(out) == []
    assert {path.relative_to(project.root).as_posix() for path in _files(out)} == OUTPUTS


@pytest.mark.parametrize("seed", KILL_SEEDS)
def test_kill_9_at_a_random_moment(demo: Project, seed: int) -> None:
    delay = random.Random(1400 + seed).uniform(0.3, 3.0)
    process = subprocess.Popen([sys.executable, "-m", "brochure", *BUILD], cwd=demo.root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    out = demo.root / "out"
    if out.exists():
        _assert_no_partial_pdf(out)
    _rebuild_cleans_up(demo)


def test_kill_9_while_the_temporary_file_is_written(demo: Project) -> None:
    """The moment the issue saw: the data is in .part, the rename not yet done."""
    script = textwrap.dedent("""
        import os, signal, sys
        os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
        from brochure.cli import main
        sys.argv = ["brochure", *sys.argv[1:]]
        main()
    """)
    result = subprocess.run([sys.executable, "-c", script, *BUILD], cwd=demo.root,
                            capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL
    debris = _assert_no_partial_pdf(demo.root / "out")
    names = {Path(name).name for name in OUTPUTS}
    assert [path.name for path in debris] and all(
        path.name.split(".pdf.")[0][1:] + ".pdf" in names for path in debris)
    assert remove_stale_parts(demo.root / "out") == debris
    _rebuild_cleans_up(demo)


def test_a_part_being_written_by_another_build_is_kept(tmp_path: Path) -> None:
    live = tmp_path / ".demo-booklet.pdf.abcd1234.part"
    stale = tmp_path / "en" / ".demo-booklet.pdf.zz99yy88.part"
    stale.parent.mkdir()
    mine = [tmp_path / "notes.part", tmp_path / ".x.part", tmp_path / "en" / "a.pdf"]
    for path in [live, stale, *mine]:
        path.write_bytes(b"%PDF-1.7 partial")
    with live.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a build that is still writing it
        assert remove_stale_parts(tmp_path) == [stale]
    assert live.exists() and all(path.exists() for path in mine)
    assert remove_stale_parts(tmp_path) == [live]


# ---------------------------------------------------------------- disks

@contextmanager
def _mounted(folder: Path, size: str) -> Iterator[Path]:
    """A small file system of its own at ``folder`` (needs root), else skip."""
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        for _ in range(20):
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        else:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _older_pdf(demo: Project, out: Path) -> Path:
    """A complete handout in ``out`` from an earlier build."""
    [path] = build(BuildOptions(clinics=("demo",), languages=("en",), layouts=("handout",),
                                out=out), demo).outputs
    return path


def _change_the_handout(demo: Project) -> None:
    """Make the next handout differ, so that it must really be written."""
    profile = demo.clinics_dir / "demo.yaml"
    profile.write_text(profile.read_text().replace("Demo Clinic", "Demo Clinic North"))


HANDOUT = ["build", "--clinic", "demo", "--lang", "en", "--layout", "handout", "--out"]


def test_a_full_disk(demo: Project, tmp_path: Path) -> None:
    """A real full file system: a 20 kB tmpfs holds the older PDF, not a second one."""
    with _mounted(tmp_path / "disk", "20k") as disk:
        older = _older_pdf(demo, disk)
        before = older.read_bytes()
        _change_the_handout(demo)
        result = CliRunner().invoke(main, [*HANDOUT, str(disk)])
        assert result.exit_code == 1, result.output
        assert result.stderr == (f"Error: {older}: cannot write the file: the disk is full\n")
        assert older.read_bytes() == before
        assert _files(disk) == [older]


def test_a_full_disk_without_root(demo: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, where no tmpfs can be mounted: the disk fills up at fsync."""
    older = _older_pdf(demo, demo.root / "out")
    before = older.read_bytes()

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    _change_the_handout(demo)
    result = CliRunner().invoke(main, [*HANDOUT, "out"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: out/demo/en/demo-handout.pdf: cannot write the file: "
                             "the disk is full\n")
    assert older.read_bytes() == before and _files(demo.root / "out") == [older]


def test_a_read_only_output_folder(demo: Project, tmp_path: Path) -> None:
    with _mounted(tmp_path / "disk", "1m") as disk:
        older = _older_pdf(demo, disk)
        before = older.read_bytes()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        _change_the_handout(demo)
        result = CliRunner().invoke(main, [*HANDOUT, str(disk)])
        assert result.exit_code == 1, result.output
        assert result.stderr == (f"Error: {older.parent}: cannot write in this folder: the "
                                 "file system is read-only\n")
        assert older.read_bytes() == before and _files(disk) == [older]
        # A folder that does not exist yet cannot be made either.
        result = CliRunner().invoke(main, [*HANDOUT, str(disk / "new")])
        assert result.stderr == (f"Error: {disk / 'new' / 'demo' / 'en'}: cannot make the "
                                 "output folder: the file system is read-only\n")


def test_a_read_only_folder_without_root(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    with pytest.raises(OutputError) as caught:
        write_atomically(tmp_path / "a.pdf", b"%PDF")
    assert str(caught.value) == (f"{tmp_path}: cannot write in this folder: the file "
                                 "system is read-only")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_while_writing_leaves_no_part(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    (tmp_path / "a.pdf").write_bytes(b"older")
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "a.pdf", b"newer")
    assert [path.name for path in tmp_path.iterdir()] == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"older"
