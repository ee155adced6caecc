"""Start and stop the real web server for tests: ``brochure serve --port 0`` in a subprocess."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from brochure import Project

from .conftest import PROJECT_PARTS, ROOT


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    project: Project
    out: Path
    log: Path
    temp: Path
    started: float


def _copy_project(root: Path) -> Project:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / part)
    return Project(root)


def start_server(folder: Path, out: Path, *args: str) -> Server:
    """``brochure serve --port 0`` in its own process group, with its own temp folder."""
    project = _copy_project(folder / "project")
    temp = folder / "server-tmp"
    temp.mkdir()
    log = folder / "server.log"
    started = time.time()
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "brochure", "-v", "serve", "--port", "0", "--out", str(out),
             *args], cwd=project.root, stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        found = re.search(r"open http://[^/:]+:(\d+)/", log.read_text())
        if found:
            port = int(found.group(1))
            return Server(f"http://127.0.0.1:{port}/", port, process, project, out, log,
                          temp, started)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"the server did not start:\n{log.read_text()}")


def stop_server(server: Server) -> str:
    """Ctrl-C as a terminal sends it (to the whole process group); return the log."""
    os.killpg(server.process.pid, signal.SIGINT)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        raise
    return server.log.read_text()
