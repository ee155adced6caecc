"""`brochure build` as a person sees it: progress, summary, -q, -v, Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from brochure import Project
from brochure.cli import main


def test_summary_then_nothing_to_do(small: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--lang", "es", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("4 built, 0 unchanged, 0 failed in ")
    assert result.output.rstrip().endswith("s (out)")
    result = runner.invoke(main, ["build", "--lang", "es", "--out", "out"])
    assert result.output.startswith("0 built, 4 unchanged, 0 failed in ")


def test_quiet_prints_only_errors_and_verbose_names_each_pdf(small: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-q", "build", "--lang", "es", "--layout", "handout",
                                  "--out", "out"])
    assert result.exit_code == 0 and result.output == ""
    result = runner.invoke(main, ["-v", "build", "--lang", "es", "--out", "out", "--force"])
    lines = result.output.splitlines()
    assert sorted(line for line in lines if line.startswith("wrote ")) == [
        f"wrote out/demo/es/demo-{layout}.pdf"
        for layout in ("booklet", "handout", "large-print", "trifold")]
    result = runner.invoke(main, ["-q", "build", "--layout", "poster"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown layout 'poster'")


def test_a_failed_pdf_is_one_error_line_and_the_rest_is_built(small: Project) -> None:
    style = small.templates_dir / "trifold.css"
    style.write_text('@import url("http://example.com/x.css");\n' + style.read_text())
    result = CliRunner().invoke(main, ["build", "--lang", "es", "--out", "out"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: while building demo/es/trifold: refused to read "
                      "http://example.com/x.css: http URLs are not allowed "
                      "(no network; data: URLs only for pictures)"]
    assert "3 built, 0 unchanged, 1 failed in" in result.output


def test_a_bad_field_value_on_the_command_line(small: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--lang", "es", "--field", "patient"])
    assert result.exit_code == 2
    assert "'patient': use NAME=VALUE" in result.output
    result = runner.invoke(main, ["build", "--lang", "es", "--field", "doctor=Dr. Ruiz",
                                  "--field", "colour=blue"])
    assert result.exit_code == 1
    assert result.output == ("Error: handout field 'colour': unknown field (known: patient, "
                             "date, time, doctor, driver, contact, restart, checkup)\n")


def _run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``brochure`` with its stderr on a pseudo-terminal; return status and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "brochure", *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    return process.returncode, seen.decode(errors="replace")


def test_a_terminal_gets_a_progress_bar_and_a_log_does_not(small: Project) -> None:
    status, terminal = _run_on_a_terminal(["build", "--lang", "es", "--out", "out"],
                                          small.root)
    assert status == 0
    assert "Building" in terminal and "4/4" in terminal and "demo/es/" in terminal
    result = subprocess.run([sys.executable, "-m", "brochure", "build", "--lang", "es",
                             "--out", "out2"], cwd=small.root, capture_output=True,
                            text=True)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("4 built, 0 unchanged, 0 failed")


def test_ctrl_c_stops_the_build_and_writes_nothing_more(small: Project) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "brochure", "build", "--jobs", "2", "--out", "out",
         "--force"], cwd=small.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    out = small.root / "out"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.rglob("*.pdf")):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"Interrupted: nothing more was written." in stderr
    assert b"Traceback" not in stderr
    written = set(out.rglob("*"))
    time.sleep(1.5)
    assert set(out.rglob("*")) == written  # no worker goes on writing
    assert not [path for path in written if path.name.endswith(".part")]
    assert len(list(out.rglob("*.pdf"))) < 12


def test_sigterm_stops_the_build_like_ctrl_c(small: Project) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "brochure", "build", "--jobs", "2", "--out", "out"],
        cwd=small.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = small.root / "out"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.rglob("*.pdf")):
        time.sleep(0.05)
    process.terminate()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert b"Interrupted: nothing more was written." in stderr and b"Traceback" not in stderr
    assert not [path for path in out.rglob("*") if path.name.endswith(".part")]
