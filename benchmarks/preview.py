"""The translators' preview: how long a booklet preview takes after one saved change.

    .venv/bin/python benchmarks/preview.py [--rounds 5] [--lang es]

On a private copy of the project, in one process (as ``brochure preview
--watch`` and the web app's workers run it), each round times

  render    one booklet render (jobs.render_job), the yardstick
  preview   make_preview after one translation of the catalog was changed and
            saved: the catalog is read again, the booklet rendered, its pages
            drawn, and only the changed pages encoded as PNG

and prints the medians and how many pages were encoded again. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from brochure import BuildOptions, Project, plan, render_job
from brochure.i18n import po_path
from brochure.preview import PreviewRequest, make_preview

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("content", "clinics", "templates", "assets", "locales", "babel.cfg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lang", default="es")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        for part in PARTS:
            source = ROOT / part
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
        project = Project(root)
        request = PreviewRequest(str(root), arguments.lang, "maple-hollow", ("booklet",))
        started = time.perf_counter()
        preview = make_preview(request)
        cold = time.perf_counter() - started
        catalog = po_path(project.locales_dir, arguments.lang)
        original = catalog.read_text(encoding="utf-8")
        # A translation on the booklet's last pages (a FAQ question): edit its end.
        found = re.search(r'msgctxt "faqs\.[^"]+\.question"\nmsgid "[^"]*"\nmsgstr "([^"]+)"',
                          original)
        if found is None:
            raise SystemExit(f"no FAQ question translated in {catalog}")
        renders, previews, redrawn = [], [], []
        for number in range(arguments.rounds):
            [job] = plan(BuildOptions(clinics=("maple-hollow",), languages=(arguments.lang,),
                                      layouts=("booklet",)), project).jobs
            started = time.perf_counter()
            render_job(job)
            renders.append(time.perf_counter() - started)
            edited = (original[:found.end(1)] + " " + "!" * (number + 1)
                      + original[found.end(1):])
            catalog.write_text(edited, encoding="utf-8")
            started = time.perf_counter()
            preview = make_preview(request, preview.digests())
            previews.append(time.perf_counter() - started)
            redrawn.append(sum(1 for page in preview.pages if page.png is not None))
    print(f"{arguments.lang} booklet, {len(preview.pages)} pages, medians of "
          f"{arguments.rounds} rounds:")
    print(f"  first preview (cold process)       {cold:6.2f} s")
    print(f"  one booklet render                 {statistics.median(renders):6.2f} s")
    print(f"  preview after one saved change     {statistics.median(previews):6.2f} s "
          f"({statistics.median(previews) / statistics.median(renders):.2f} x the render; "
          f"{statistics.median(redrawn):.0f} of {len(preview.pages)} pages encoded again)")


if __name__ == "__main__":
    main()
