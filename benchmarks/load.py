"""The staff web app under load: 20 patients' handouts at once, the library page meanwhile.

    .venv/bin/python benchmarks/load.py [--rounds 3] [--patients 20]

Starts the real server (``brochure serve --port 0``, only ever on 127.0.0.1) on a
private copy of the project with a small build in a temporary folder, then in
each round sends ``--patients`` handout requests at once, each from its own
client (its own cookie and CSRF token, as a browser would), for as many
different patients, in Spanish and Arabic by turns, while another client
loads the library page every quarter second.

It checks what must hold (every handout comes back, and each PDF holds its
own patient's name and no other's; the process exits 1 otherwise) and
reports medians over the rounds: how long all the handouts took, each
handout's time, the library page's time idle and under load, and the peak
memory of the server and its render processes. Bounded in count and time:
each request gives up after 120 s, the whole run after 15 minutes.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARTS = ("content", "clinics", "templates", "assets", "locales", "babel.cfg")
HOST = "127.0.0.1"
TIMEOUT = 120.0
DEADLINE = 15 * 60.0
FIRST = ["Ana", "Bao", "Chidi", "Dana", "Emre", "Farah", "Goran", "Hana", "Ivo", "Jun",
         "Kemal", "Lena", "Mateo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tova"]


def _start(folder: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    project = folder / "project"
    project.mkdir()
    for part in PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    out = folder / "dist"
    subprocess.run([str(BIN / "brochure"), "-q", "build", "--clinic", "maple-hollow",
                    "--lang", "es,ar", "--layout", "booklet,handout", "--out", str(out)],
                   cwd=project, check=True, timeout=600)
    log = folder / "server.log"
    with log.open("wb") as handle:
        server = subprocess.Popen(
            [str(BIN / "brochure"), "-v", "serve", "--host", HOST, "--port", "0",
             "--out", str(out)],
            cwd=project, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"open http://127\.0\.0\.1:(\d+)/", log.read_text())
        if found:
            return server, int(found.group(1)), log
        if server.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"the server did not start:\n{log.read_text()}")


def _get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    headers = {"Host": f"{HOST}:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {key.lower(): value for key, value in response.getheaders()}, body


def _handout(port: int, patient: str, language: str) -> tuple[int, bytes, float]:
    """One staff member's visit: load the form (cookie, token), send it, get the PDF."""
    _status, headers, page = _get(port, "/handout")
    cookie = headers["set-cookie"].split(";")[0]
    token = re.search(rb'name="csrf_token" value="([0-9a-f]+)"', page).group(1).decode()
    body = urlencode({"csrf_token": token, "clinic": "maple-hollow", "language": language,
                      "patient": patient, "date": "2026-12-03", "time": "07:30",
                      "doctor": "Dr. Ruiz"}).encode()
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    connection.request("POST", "/handout", body=body, headers={
        "Host": f"{HOST}:{port}", "Origin": f"http://{HOST}:{port}", "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data, time.perf_counter() - started


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        parts = []
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            parts.append(text.get_text_range())
            text.close()
            page.close()
        return "\n".join(parts)
    finally:
        document.close()


def _tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(_tree(int(child)))
    return found


def _rss_mib(pid: int) -> float:
    total = 0
    for process in _tree(pid):
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _round(port: int, pid: int, patients: int, number: int) -> dict[str, float]:
    names = [f"{FIRST[index % len(FIRST)]} Loadtest{number}x{index:02d}"
             for index in range(patients)]
    results: dict[int, tuple[int, bytes, float]] = {}
    library: list[float] = []
    peak = [_rss_mib(pid)]
    done = threading.Event()

    def patient(index: int) -> None:
        try:
            results[index] = _handout(port, names[index], ("es", "ar")[index % 2])
        except (OSError, http.client.HTTPException) as exc:
            results[index] = (0, str(exc).encode(), 0.0)

    def browse() -> None:
        while not done.is_set():
            started = time.perf_counter()
            status, _headers, _body = _get(port, "/")
            if status == 200:
                library.append(time.perf_counter() - started)
            peak.append(_rss_mib(pid))
            done.wait(0.25)

    watcher = threading.Thread(target=browse)
    watcher.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=patient, args=(index,)) for index in range(patients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 30)
    wall = time.perf_counter() - started
    done.set()
    watcher.join()
    failures = []
    for index, name in enumerate(names):
        status, data, _seconds = results.get(index, (0, b"", 0.0))
        if status != 200 or not data.startswith(b"%PDF"):
            failures.append(f"{name}: status {status}")
            continue
        text = _pdf_text(data)
        others = [other for other in names if other != name and other in text]
        if name not in text or others:
            failures.append(f"{name}: own name {'found' if name in text else 'missing'}, "
                            f"others {others}")
    if failures:
        raise SystemExit("wrong handouts:\n" + "\n".join(failures))
    return {"wall": wall,
            "handout": statistics.median(seconds for _s, _d, seconds in results.values()),
            "slowest": max(seconds for _s, _d, seconds in results.values()),
            "library": statistics.median(library), "library_max": max(library),
            "library_count": float(len(library)), "peak_mib": max(peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--patients", type=int, default=20)
    arguments = parser.parse_args()
    if not 1 <= arguments.rounds <= 10 or not 1 <= arguments.patients <= 50:
        raise SystemExit("--rounds must be 1-10 and --patients 1-50")
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(SystemExit("time is up")))
    signal.alarm(int(DEADLINE))
    with tempfile.TemporaryDirectory() as folder:
        server, port, log = _start(Path(folder))
        try:
            idle = []
            for _ in range(10):
                started = time.perf_counter()
                _get(port, "/")
                idle.append(time.perf_counter() - started)
            base = _rss_mib(server.pid)
            _handout(port, "Warm Up", "es")  # start the render processes
            _handout(port, "Warm Up", "ar")
            rounds = [_round(port, server.pid, arguments.patients, number)
                      for number in range(arguments.rounds)]
        finally:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=60)
        if "Loadtest" in log.read_text():
            raise SystemExit("a patient's name is in the server's log")

    def median(key: str) -> float:
        return statistics.median(result[key] for result in rounds)

    print(f"{arguments.patients} concurrent handouts x {arguments.rounds} rounds, "
          f"{os.cpu_count()} CPUs; medians over the rounds:")
    print(f"  all {arguments.patients} handouts done in   {median('wall'):6.1f} s "
          f"({arguments.patients / median('wall'):.1f} per second)")
    print(f"  one handout (median / slowest) {median('handout'):6.2f} s / "
          f"{median('slowest'):.2f} s")
    print(f"  library page idle              {statistics.median(idle) * 1000:6.0f} ms")
    print(f"  library page under load        {median('library') * 1000:6.0f} ms "
          f"(slowest {median('library_max') * 1000:.0f} ms, {median('library_count'):.0f} "
          "loads per round)")
    print(f"  memory, server + workers       {base:6.0f} MiB idle, "
          f"{median('peak_mib'):.0f} MiB peak")
    print("  every PDF held its own patient's name and no other's; the log held none")


if __name__ == "__main__":
    main()
