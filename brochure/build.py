"""Build every requested (clinic, language, layout): plan, skip, run, write.

:func:`build` plans the jobs (checking every input first), skips those whose
PDFs are current (manifest.py), runs the rest in parallel (runner.py), and
writes each result atomically as it arrives. One failing job does not stop
the others; the build raises :class:`BuildFailed` at the end if any failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import fingerprint
from .errors import BrochureError, OutputError, Problem, TranslationError, UsageError
from .i18n import TextKey, fallback_message, split_key
from .jobs import LOADED, Job, Plan, Rendered, check_project, plan
from .library import index_after_build
from .logo import check_logo
from .manifest import Manifest
from .options import BuildOptions
from .output import remove_stale_parts, write_if_changed
from .project import DOMAIN, Project
from .runner import Outcome, run_dask, run_local

logger = logging.getLogger(__name__)

__all__ = ["BuildFailed", "BuildResult", "Progress", "build", "check_project"]


@dataclass
class BuildResult:
    """What a build wrote, skipped and could not build."""

    #: PDFs written (or rewritten with the same bytes: those keep their date).
    outputs: list[Path] = field(default_factory=list)
    #: PDFs skipped because nothing they are made from changed.
    unchanged: list[Path] = field(default_factory=list)
    #: One error per job that failed.
    failures: list[BrochureError] = field(default_factory=list)
    #: language → sorted (msgctxt, msgid) pairs printed in English.
    fallbacks: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Jobs built, skipped and failed.
    built: int = 0
    skipped: int = 0
    seconds: float = 0.0
    #: Peak memory of the busiest process that rendered a PDF, in KiB.
    peak_memory: int = 0

    @property
    def problems(self) -> list[Problem]:
        return [problem for error in self.failures for problem in error.problems]


class BuildFailed(BrochureError):
    """Some jobs failed; ``result`` holds everything else the build did."""

    result: BuildResult


@dataclass(frozen=True)
class Progress:
    """One event of a build, for a progress bar: ``done`` of ``total`` jobs to run."""

    total: int
    done: int
    #: ``start`` (before the first job), ``built``, ``failed``.
    status: str
    job: Job | None = None
    paths: tuple[Path, ...] = ()


ProgressCallback = Callable[[Progress], None]


def _write(rendered: Rendered, out: Path) -> list[Path]:
    paths = []
    for name, data in rendered.files:
        path = out / name
        write_if_changed(path, data)
        # Only the path: a filled handout's personal data never goes to a log.
        logger.info("wrote %s", path)
        paths.append(path)
    return paths


def catalog_path(project: Project, key: str) -> Path:
    """The catalog file of a :func:`~brochure.i18n.catalog_key`."""
    domain, language = split_key(key)
    texts = project.texts() if domain == DOMAIN else project.clinic_texts(domain)
    return texts.po_path(language)


def _strict_failure(job: Job, fallbacks: list[TextKey], plan: Plan) -> BrochureError:
    by_language: dict[str, list[tuple[str | None, str]]] = {}
    for language, context, msgid in fallbacks:
        by_language.setdefault(language, []).append((context, msgid))
    message = "; ".join(fallback_message(language, missing)
                        for language, missing in by_language.items())
    first = fallbacks[0][0]
    return TranslationError(f"while building {job.name}: {message} (--strict)",
                            catalog_path(plan.project, first))


def _run(jobs: list[Job], options: BuildOptions) -> Iterator[Outcome]:
    if options.scheduler:
        if any(job.filled for job in jobs):
            raise UsageError("a handout filled for a patient is built on this machine "
                             "only: leave out --scheduler")
        return run_dask(jobs, options.scheduler)
    return run_local(jobs, options.jobs)


def build(options: BuildOptions = BuildOptions(), project: Project | None = None,
          progress: ProgressCallback | None = None) -> BuildResult:
    """Build the brochures ``options`` ask for; raise :class:`BrochureError` on bad input.

    Every input is checked before the first PDF is made, so broken content or
    a broken profile stops the build before any output changes. Unchanged
    PDFs are skipped (``options.force`` rebuilds them) and their files are
    not touched. Raises :class:`BuildFailed` after the other jobs are done if
    any job failed.
    """
    started = time.perf_counter()
    fingerprint.forget_files()
    project = project or Project()
    the_plan = plan(options, project)
    out = options.out
    # A build killed while writing leaves ".<name>.XXXX.part" files: tidy them.
    remove_stale_parts(out)
    manifest = Manifest.load(out)
    result = BuildResult(warnings=list(the_plan.warnings))
    # A broken catalog fails every job of its language with the same error: once.
    result.failures.extend({str(error): error for _, error in the_plan.failed}.values())
    fallbacks: set[TextKey] = set()

    to_run: list[Job] = []
    for job in the_plan.jobs:
        entry = None if options.force else manifest.unchanged(job, the_plan)
        if entry is None:
            to_run.append(job)
            continue
        recorded: list[TextKey] = [(key[0], key[1], key[2])
                                   for key in entry.get("fallbacks", [])]
        if options.strict and recorded:
            result.failures.append(_strict_failure(job, recorded, the_plan))
            continue
        fallbacks.update(recorded)
        result.skipped += 1
        result.unchanged.extend(out / name for name in job.outputs())

    # Every clinic's logo is drawn once, alone, before its brochures are: a logo
    # WeasyPrint cannot draw is one clear error, and nothing is written.
    for clinic in {job.clinic: LOADED.clinic(the_plan.project.root / job.clinic)
                   for job in to_run}.values():
        check_logo(clinic.logo, clinic.folder)
    if progress:
        progress(Progress(len(to_run), 0, "start"))
    done = 0
    finished = False
    try:
        for job, outcome in _run(to_run, options) if to_run else ():
            done += 1
            if isinstance(outcome, BrochureError):
                result.failures.append(outcome)
                if progress:
                    progress(Progress(len(to_run), done, "failed", job))
                continue
            paths = _write(outcome, out)
            manifest.record(outcome, the_plan)
            result.outputs.extend(paths)
            result.built += 1
            result.peak_memory = max(result.peak_memory, outcome.memory)
            fallbacks.update(outcome.fallbacks)
            result.warnings.extend(outcome.warnings)
            if progress:
                progress(Progress(len(to_run), done, "built", job, tuple(paths)))
        finished = True
    finally:
        # What was written stays recorded, even if the build was interrupted;
        # but a manifest that cannot be written must not hide the first error.
        try:
            manifest.save()
        except OutputError:
            if finished:
                raise

    for language, context, msgid in sorted(fallbacks, key=lambda k: (k[0], k[1] or "", k[2])):
        result.fallbacks.setdefault(language, []).append((context, msgid))
    for language, missing in result.fallbacks.items():
        result.warnings.append(str(Problem(fallback_message(language, missing),
                                           catalog_path(project, language))))
    result.warnings = list(dict.fromkeys(result.warnings))
    for warning in result.warnings:
        logger.warning("%s", warning)
    # The static library page, dist/index.html (never for a patient's handout).
    index_after_build(out, project, filled=bool(options.fields))
    result.seconds = time.perf_counter() - started
    if result.failures:
        error = BuildFailed.from_problems(result.problems)
        assert isinstance(error, BuildFailed)
        error.result = result
        raise error
    return result
