"""The bad-input corpus: every case in badinput/cases.yaml through the real CLI.

Each case breaks one file of a fresh synthetic project
(tests/hardening_project.py), runs one command line, and checks what a user
sees and what is left on disk:

* the exit status (1; 2 for a wrong command line; 0 for input that is odd but
  usable, category "accepted");
* the exact first line of stderr (for exit 2, click's first ``Error:`` line,
  after its usage lines), which names the file and line where they are known;
* no traceback, and stderr holds only ``Error:``/``Warning:`` lines (no
  output of other tools leaking through);
* no partial file: no ``.part`` left, every PDF complete, and the older PDF
  put in the output folder before the run is byte for byte intact; nothing
  else written unless the case lists it under ``writes``.

Cases that need another branch are marked ``xfail`` (strict) with the reason,
so they start failing loudly once that branch is merged and the mark can go.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from brochure import BuildOptions, Project, build, catalogs
from brochure.cli import main
from brochure.library import is_library_file

from .hardening_project import make_project

CASES_FILE = Path(__file__).parent / "badinput" / "cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
DEFAULT_ARGS = ["build", "--clinic", "demo", "--lang", "en", "--layout", "handout",
                "--out", "out"]
SENTINEL = Path("out/demo/en/demo-handout.pdf")
CATEGORIES = ("content", "clinic", "logo", "catalog", "template", "command", "field",
              "accepted")


def _param(case: dict[str, Any]) -> Any:
    marks = []
    if case.get("xfail"):
        marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
    return pytest.param(case, id=case["id"], marks=marks)


def test_the_corpus_is_large_and_well_formed() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len([case for case in CASES if case["category"] != "accepted"]) >= 60
    for case in CASES:
        assert case["category"] in CATEGORIES, case["id"]
        assert case["id"].startswith(case["category"]), case["id"]
        assert set(case) <= {"id", "category", "about", "edits", "args", "exit", "stderr",
                             "process", "writes", "xfail", "lines"}, case["id"]
        assert ("stderr" in case) == (case.get("exit", 1) != 0), case["id"]


MANIFEST = Path("out") / ".brochure-manifest.json"


@pytest.fixture(scope="module")
def older_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A complete handout PDF from an earlier, good build of the synthetic project."""
    root = tmp_path_factory.mktemp("good")
    project = make_project(root)
    [path] = build(BuildOptions(clinics=("demo",), languages=("en",), layouts=("handout",),
                                out=root / "out"), project).outputs
    return path.read_bytes()


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return str(value["repeat"]) * int(value["times"])
    if isinstance(value, list):
        return "".join(_value(part) for part in value)
    return str(value)


def _encode(text: str, edit: dict[str, Any]) -> bytes:
    if edit.get("crlf"):
        text = text.replace("\n", "\r\n")
    encoding = edit.get("encoding", "utf-8")
    if encoding == "surrogatepass":
        return text.encode("utf-8", "surrogatepass")
    return text.encode(encoding)


def _apply(root: Path, edit: dict[str, Any], case_id: str) -> None:
    if edit.get("extract"):
        # The template (.pot) that `brochure check` compares the catalogs with.
        catalogs.extract(Project(root))
        return
    path = root / edit["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if edit.get("delete"):
        path.unlink()
        return
    if "symlink_outside" in edit:
        outside = root.parent / "outside" / path.name
        outside.parent.mkdir(exist_ok=True)
        outside.write_text(_value(edit["symlink_outside"]), encoding="utf-8")
        path.unlink(missing_ok=True)
        path.symlink_to(outside)
        return
    if "random_bytes" in edit:
        rng = random.Random(zlib.crc32(case_id.encode()))
        prefix = bytes.fromhex(edit.get("prefix", ""))
        path.write_bytes(prefix + rng.randbytes(int(edit["random_bytes"])))
        return
    if "hex" in edit:
        path.write_bytes(bytes.fromhex(edit["hex"]))
        return
    if "truncate" in edit:
        path.write_bytes(path.read_bytes()[:int(edit["truncate"])])
        return
    if "write" in edit:
        text = _value(edit["write"])
    else:
        text = path.read_text(encoding="utf-8")
        if "replace" in edit:
            old, new = edit["replace"]
            assert old in text, f"{case_id}: {old!r} not in {edit['file']}"
            text = text.replace(old, _value(new), 1)
        if "append" in edit:
            text += _value(edit["append"])
    path.write_bytes(_encode(text, edit))


def _run(case: dict[str, Any], root: Path) -> tuple[int, str, str]:
    args = [_value(arg) for arg in case.get("args", DEFAULT_ARGS)]
    if case.get("process"):
        # A real process: arguments reach Python as bytes (a Latin-1 terminal).
        result = subprocess.run([sys.executable, "-m", "brochure", *args], cwd=root,
                                capture_output=True, timeout=120,
                                env={**os.environ, "LC_ALL": "C.UTF-8"})
        return (result.returncode, result.stdout.decode("utf-8", "replace"),
                result.stderr.decode("utf-8", "replace"))
    outcome = CliRunner().invoke(main, args, catch_exceptions=True)
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        raise AssertionError(f"not a clean error: {outcome.exception!r}") from outcome.exception
    return outcome.exit_code, outcome.stdout, outcome.stderr


def _complete_pdf(path: Path) -> bool:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        return False
    return len(PdfReader(io.BytesIO(data)).pages) > 0


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path, older_pdf: bytes,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    root.mkdir()
    make_project(root)
    expected = case.get("stderr", "")
    for edit in case.get("edits", []):
        if "{edit_line" in expected and "replace" in edit:
            # Where the edit lands (plus an offset): templates move as they are improved.
            before = (root / edit["file"]).read_text(encoding="utf-8")
            line = before[:before.index(edit["replace"][0])].count("\n") + 1
            expected = re.sub(r"\{edit_line(?:\+(\d+))?\}",
                              lambda match, line=line: str(line + int(match.group(1) or 0)),
                              expected)
        if "append" in edit:
            # The line appended text starts on (plus an offset into it): the
            # project's files grow as the product does.
            before = (root / edit["file"]).read_text(encoding="utf-8")
            start = before.count("\n") + 1
            expected = re.sub(r"\{append_line(?:\+(\d+))?\}",
                              lambda match, start=start: str(start + int(match.group(1) or 0)),
                              expected)
        _apply(root, edit, case["id"])
    sentinel = root / SENTINEL
    sentinel.parent.mkdir(parents=True)
    sentinel.write_bytes(older_pdf)
    older_inode = sentinel.stat().st_ino
    monkeypatch.chdir(root)

    status, stdout, stderr = _run(case, root)
    # Messages that name a file by its absolute path show it under <tmp>.
    stderr = stderr.replace(str(tmp_path.resolve()), "<tmp>").replace(str(tmp_path), "<tmp>")

    expected_status = case.get("exit", 1)
    lines = stderr.splitlines()
    assert "Traceback" not in stderr + stdout, stderr
    assert status == expected_status, stderr
    if expected_status == 2:
        errors = [line for line in lines if line.startswith("Error:")]
        assert errors and errors[0] == expected, stderr
    elif expected_status == 1:
        assert lines and lines[0] == expected, stderr
        assert all(line.startswith(("Error: ", "Warning: ")) for line in lines), stderr
        if "lines" in case:
            assert len(lines) == case["lines"], stderr
    else:
        assert all(line.startswith("Warning: ") for line in lines), stderr

    out = root / "out"
    # The build's library page (index.html, thumbnails/) is not what these cases are about.
    files = {path.relative_to(root) for path in out.rglob("*")
             if path.is_file() and not is_library_file(path.relative_to(out))}
    assert not [path for path in files if path.name.endswith(".part")], files
    writes = {Path(name) for name in case.get("writes", [])}
    if SENTINEL not in writes:
        assert sentinel.read_bytes() == older_pdf, "the older PDF was changed"
        assert sentinel.stat().st_ino == older_inode, "the older PDF was replaced"
    # (A PDF to be written is complete, below; with the same bytes as before it
    # is left as it was, which is how a build treats an unchanged file.)
    assert files - {MANIFEST} == {SENTINEL, *writes}, files
    for path in files - {MANIFEST}:
        assert _complete_pdf(root / path), f"{path} is not a complete PDF"
