"""`make benchmark`: how fast the build is, side by side with the naive path, in one run.

Every figure is the median of ``--rounds`` runs on a private copy of the
project, and every comparison is a ratio measured in the same run, so a busy
machine slows both sides alike. Nothing here is asserted: people read it.

  naive       the stock ``weasyprint`` command, one process per PDF, on the
              same HTML the build makes (what a user would script)
  full        ``brochure build --force`` of the whole matrix (fresh output)
  jobs 1 / 2  the same with one and two worker processes
  no-op       ``brochure build`` again, nothing changed
  msgstr      one Spanish text edited: time, and how many PDFs were rebuilt
  memory      peak RSS of a worker process
  overhead    our time per PDF beyond WeasyPrint's own layout and PDF writing
  sizes       the English and Chinese booklets and the whole matrix, as built
  booklet     peak RSS of a process that builds one booklet (English, Chinese)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARTS = ("content", "clinics", "templates", "assets", "locales", "babel.cfg")


def _copy_project(folder: Path) -> Path:
    root = folder / "project"
    root.mkdir()
    for part in PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
    return root


def _median_seconds(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _brochure(root: Path, *args: str) -> str:
    result = subprocess.run([str(BIN / "brochure"), *args], cwd=root, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"brochure {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def _html_of_every_job(root: Path, folder: Path) -> list[Path]:
    """The final HTML of every job, as files the stock weasyprint command can read."""
    from brochure import BuildOptions, Project, plan
    from brochure.jobs import LOADED, _catalogs, _page
    from brochure.layouts import LAYOUTS
    from brochure.localise import render_html

    project = Project(root)
    files = []
    for number, job in enumerate(plan(BuildOptions(), project).jobs):
        document = LOADED.document(root / job.document)
        clinic = LOADED.clinic(root / job.clinic)
        catalogs, _ = _catalogs(project, clinic, job.language)
        page = _page(project, document, clinic, job.language, LAYOUTS[job.layout],
                     job.options, catalogs)
        path = folder / f"{number:03d}-{job.name.replace('/', '-')}.html"
        path.write_text(render_html(page).text, encoding="utf-8")
        files.append(path)
    return files


def _naive(root: Path, pages: list[Path], out: Path) -> None:
    out.mkdir(exist_ok=True)
    base = root.joinpath("templates").as_uri() + "/"
    for page in pages:
        subprocess.run([str(BIN / "weasyprint"), "-q", "-u", base, "--pdf-variant",
                        "pdf/ua-1", str(page), str(out / (page.stem + ".pdf"))], check=True)


def _overhead(root: Path, rounds: int) -> tuple[float, float]:
    """Seconds per PDF: ours (render_job) and WeasyPrint's own (layout + PDF of the same HTML)."""
    from weasyprint import HTML

    from brochure import BuildOptions, Project, plan, render_job
    from brochure.fetcher import SandboxedFetcher
    from brochure.jobs import LOADED, _catalogs, _page
    from brochure.layouts import LAYOUTS
    from brochure.localise import render_html

    project = Project(root)
    jobs = plan(BuildOptions(clinics=("maple-hollow",), languages=("en", "ar", "zh-Hans", "hi"),
                             jobs=1), project).jobs
    ours, theirs = 0.0, 0.0
    for job in jobs:
        render_job(job)  # warm this process's caches, as a worker's are
        ours += _median_seconds(lambda job=job: render_job(job), rounds)
        document = LOADED.document(root / job.document)
        clinic = LOADED.clinic(root / job.clinic)
        catalogs, _ = _catalogs(project, clinic, job.language)
        page = _page(project, document, clinic, job.language, LAYOUTS[job.layout],
                     job.options, catalogs)
        html = render_html(page).text
        if LAYOUTS[job.layout].pad_to(job.options.print_ready) > 1:
            raise SystemExit("the overhead sample has no padded layouts")

        def weasyprint_alone(html: str = html, page: object = page) -> None:
            fetcher = SandboxedFetcher(page.allowed_folders)  # type: ignore[attr-defined]
            HTML(string=html, base_url=root.joinpath("templates").as_uri() + "/",
                 url_fetcher=fetcher).render(pdf_variant="pdf/ua-1").write_pdf(
                     pdf_variant="pdf/ua-1")
        theirs += _median_seconds(weasyprint_alone, rounds)
    return ours / len(jobs), theirs / len(jobs)


def _sizes(out: Path) -> tuple[float, float, float]:
    """KiB of the English and Chinese booklets and MiB of every PDF in a built ``out``."""
    booklet = out / "maple-hollow" / "{}" / "mild-booklet.pdf"
    total = sum(path.stat().st_size for path in out.rglob("*.pdf"))
    return (Path(str(booklet).format("en")).stat().st_size / 1024,
            Path(str(booklet).format("zh-Hans")).stat().st_size / 1024, total / 1024 / 1024)


def _booklet_memory(root: Path, folder: Path, language: str, rounds: int) -> float:
    """Median peak RSS, in MiB, of a fresh ``brochure build`` of one booklet."""
    peaks = []
    for _ in range(rounds):
        process = subprocess.Popen(
            [str(BIN / "brochure"), "-q", "build", "--clinic", "maple-hollow", "--lang",
             language, "--layout", "booklet", "--force", "--jobs", "1", "--out",
             str(folder / f"booklet-{language}")], cwd=root)
        _, status, usage = os.wait4(process.pid, 0)
        if status:
            raise SystemExit(f"benchmark: building the {language} booklet failed")
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(peaks)


def _row(name: str, value: str, note: str = "") -> None:
    print(f"  {name:<34} {value:>14}   {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--skip-naive", action="store_true",
                        help="leave out the slow naive path")
    args = parser.parse_args()
    rounds = args.rounds
    with tempfile.TemporaryDirectory(prefix="brochure-bench-") as name:
        folder = Path(name)
        root = _copy_project(folder)
        out = folder / "dist"
        print(f"brochure benchmark: {rounds} round(s) per figure, medians; "
              f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}")
        count = len(_html_of_every_job(root, folder))

        def full(jobs: int) -> Callable[[], object]:
            def run() -> None:
                shutil.rmtree(out, ignore_errors=True)
                _brochure(root, "build", "--out", str(out), "--jobs", str(jobs))
            return run

        two = _median_seconds(full(2), rounds)
        one = _median_seconds(full(1), rounds)
        noop = _median_seconds(lambda: _brochure(root, "build", "--out", str(out)), rounds)

        # One Spanish text, changed back and forth: each build after an edit is timed.
        catalog = root / "locales" / "es" / "LC_MESSAGES" / "brochure.po"
        original = catalog.read_text(encoding="utf-8")
        word = "Cada persona"
        if word not in original:
            raise SystemExit(f"benchmark: {word!r} is no longer in {catalog.name}")
        variants = [original.replace(word, "Cada una de las personas", 1), original]
        edits: list[int] = []

        def one_msgstr() -> None:
            catalog.write_text(variants[len(edits) % 2], encoding="utf-8")
            summary = _brochure(root, "build", "--out", str(out))
            found = re.match(r"(\d+) built", summary)
            edits.append(int(found.group(1)) if found else -1)

        edit_seconds = _median_seconds(one_msgstr, rounds)

        en_kib, zh_kib, matrix_mib = _sizes(out)
        booklet_memory = {language: _booklet_memory(root, folder, language, rounds)
                          for language in ("en", "zh-Hans")}

        from brochure import BuildOptions, Project, build
        memory = build(BuildOptions(out=folder / "memory", jobs=2), Project(root)).peak_memory
        ours, theirs = _overhead(root, max(1, rounds))

        print("\nwhole matrix")
        _row("PDFs", str(count))
        if not args.skip_naive:
            pages = _html_of_every_job(root, folder)
            naive = _median_seconds(lambda: _naive(root, pages, folder / "naive"), rounds)
            _row("naive: weasyprint per PDF", f"{naive:.1f} s")
            _row("brochure build (--jobs 2)", f"{two:.1f} s",
                 f"{two / naive:.2f}x the naive path (target <= 0.30x)")
        else:
            _row("brochure build (--jobs 2)", f"{two:.1f} s")
        _row("brochure build --jobs 1", f"{one:.1f} s",
             f"--jobs 2 is {one / two:.2f}x faster (target >= 1.8x)")
        _row("no-op rebuild", f"{noop:.2f} s",
             f"{100 * noop / two:.1f}% of a full build (target <= 3%)")
        _row("one msgstr edited (es)", f"{edit_seconds:.2f} s",
             f"rebuilt {statistics.median(edits):.0f} of {count} PDFs")
        _row("peak memory per worker", f"{memory / 1024:.0f} MiB", "(target <= 250 MiB)")
        print("\nsizes and memory (as built above; memory: one booklet, fresh process)")
        _row("English booklet", f"{en_kib:.1f} KiB", "(target <= 100 KiB)")
        _row("Chinese booklet", f"{zh_kib:.1f} KiB", "(target <= 220 KiB)")
        _row("whole matrix", f"{matrix_mib:.2f} MiB", "(target <= 6 MiB)")
        for language, peak in booklet_memory.items():
            _row(f"peak memory, {language} booklet", f"{peak:.0f} MiB", "(target <= 170 MiB)")
        print("\nper PDF (maple-hollow: en, ar, zh-Hans, hi; every layout)")
        _row("WeasyPrint's layout + PDF", f"{1000 * theirs:.0f} ms")
        _row("render_job (all of ours)", f"{1000 * ours:.0f} ms",
             f"overhead {100 * (ours - theirs) / theirs:.1f}% (target <= 10%)")


if __name__ == "__main__":
    main()
