"""A translator's live preview: one language's pages as PNG images, and what is left to do.

:func:`make_preview` plans the language's layouts for one clinic
(:func:`brochure.jobs.plan`, never strict: a mostly untranslated language
previews with English stand-ins), renders each through
:func:`brochure.jobs.render_job`, draws the pages with PDFium, and reads the
language's catalog into a :class:`Report` of untranslated, fuzzy and broken
entries (file:line, context, English). It is pure: it writes nothing, so the
web app runs it in its render pool and the CLI writes its pages with
:func:`write_pages`.

Speed after one saved change: ``jobs.LOADED`` reloads only the files that
changed, and a page whose drawing did not change is not encoded again (the
caller passes the digests of the pages it has: :meth:`Preview.digests`), so a
booklet preview costs about one booklet render. :func:`watch` re-runs the
preview each time the language's ``.po`` file is saved (watchfiles).

Nothing is opened or launched: the caller decides what to show.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import BrochureError, Problem, TranslationError, UsageError
from .i18n import (
    SOURCE_LANGUAGE,
    TextKey,
    catalog_of,
    default_language_name,
    direction,
    language_name,
    po_path,
    read_po_file,
)
from .jobs import LOADED, Job, plan, render_job
from .layouts import LAYOUT_NAMES, LAYOUTS
from .options import BuildOptions
from .output import write_if_changed
from .project import Project

logger = logging.getLogger(__name__)

#: Resolution of the page images: a Letter page is 816 pixels wide, readable on a screen.
DEFAULT_DPI = 96
#: Report entry kinds, worst first (the order a translator should fix them in).
KINDS = ("broken", "fuzzy", "untranslated", "missing")
_PAGE_NAME = re.compile(r"^(?P<layout>[a-z-]+)-(?P<number>\d{2,})\.png$")


# The report --------------------------------------------------------------------

@dataclass(frozen=True)
class ReportEntry:
    """One text a translator still has to look at."""

    #: ``broken`` (a translation the build cannot use: placeholders or markup
    #: differ), ``fuzzy``, ``untranslated``, or ``missing`` (in the template,
    #: not yet in the catalog: ``brochure i18n update``).
    kind: str
    file: Path
    line: int | None
    context: str | None
    english: str
    #: What is wrong with a broken translation.
    reason: str = ""

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.english

    def __str__(self) -> str:
        where = str(Problem("", self.file, self.line)).rstrip()
        reason = f" ({self.reason})" if self.reason else ""
        return f"{where} {self.kind}{reason}: {self.context or '-'}: {self.english!r}"


@dataclass(frozen=True)
class Report:
    """What is untranslated, fuzzy or broken in one language's catalog."""

    language: str
    #: The catalog (``locales/<lang>/LC_MESSAGES/brochure.po``).
    path: Path
    #: Texts in the template, and how many of them have a usable translation.
    total: int = 0
    translated: int = 0
    entries: tuple[ReportEntry, ...] = ()
    #: Problems with the file itself: it cannot be read, a byte-order mark, a bad charset.
    problems: tuple[Problem, ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for entry in self.entries if entry.kind == kind)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(kind)} {kind}" for kind in KINDS
                           if kind != "missing" or self.count(kind))
        return f"{self.translated} of {self.total} texts translated; {counts}"


def _template_entries(project: Project) -> dict[tuple[str | None, str], int]:
    """The template's texts and their lines in the .pot (empty without a template)."""
    if not project.pot_path.is_file():
        return {}
    return {entry.key: entry.line for entry in read_po_file(project.pot_path).messages()
            if entry.msgid_plural is None}


def report(project: Project, language: str) -> Report:
    """Read ``language``'s catalog as the build does and list what is left to do.

    Uses the build's own reader (:func:`brochure.i18n.catalog_of`), so "broken"
    means exactly "the build prints the English instead". A catalog that
    cannot be read gives a report with that one problem, never an exception;
    English, the source language, has nothing to report.
    """
    path = po_path(project.locales_dir, language)
    if language == SOURCE_LANGUAGE:
        return Report(language, path)
    template = _template_entries(project)
    if not path.is_file():
        return Report(language, path, total=len(template), problems=(Problem(
            f"there is no {language} catalog yet (start one with: brochure i18n init "
            f"{language})", path),))
    try:
        po = read_po_file(path)
        catalog = catalog_of(po, language)
    except TranslationError as exc:
        return Report(language, path, total=len(template), problems=tuple(exc.problems))
    broken: dict[int | None, list[str]] = {}
    for problem in catalog.problems:
        broken.setdefault(problem.line, []).append(problem.message)
    entries: list[ReportEntry] = []
    present = set()
    for entry in po.messages():
        if entry.msgid_plural is not None:
            continue
        present.add(entry.key)
        if template and entry.key not in template:
            continue  # not printed any more (update makes it obsolete)
        if entry.fuzzy:
            kind, reason = "fuzzy", ""
        elif not entry.string:
            kind, reason = "untranslated", ""
        elif entry.line in broken:
            # The reader names the context in its message; the entry shows it already.
            kind, reason = "broken", "; ".join(
                message.removesuffix(f" (msgctxt {entry.context!r})")
                for message in broken[entry.line])
        else:
            continue
        entries.append(ReportEntry(kind, path, entry.line, entry.context, entry.msgid, reason))
    for key, line in template.items():
        if key not in present:
            entries.append(ReportEntry("missing", project.pot_path, line, key[0], key[1],
                                       "run 'brochure i18n update'"))
    entries.sort(key=lambda item: (KINDS.index(item.kind), item.line or 0))
    total = len(template) or catalog.total
    translated = len(set(catalog.messages) & set(template)) if template else catalog.translated
    return Report(language, path, total, translated, tuple(entries), tuple(po.warnings))


# Rendering -------------------------------------------------------------------

@dataclass(frozen=True)
class PreviewRequest:
    """What to preview: a small picklable value (the web app sends it to its pool)."""

    root: str
    language: str
    #: A clinic id or profile path; None: the first clinic that offers the language.
    clinic: str | None = None
    layouts: tuple[str, ...] = ("booklet",)
    dpi: int = DEFAULT_DPI

    def __post_init__(self) -> None:
        if not 24 <= self.dpi <= 300:
            raise UsageError(f"--dpi must be between 24 and 300 (got {self.dpi})")
        unknown = [name for name in self.layouts if name not in LAYOUTS]
        if unknown or not self.layouts:
            raise UsageError(f"unknown layout {(unknown or [''])[0]!r} (known: "
                             f"{', '.join(LAYOUT_NAMES)})")


@dataclass(frozen=True)
class PageImage:
    """One page drawn as a PNG."""

    layout: str
    #: 1-based page number.
    number: int
    width: int
    height: int
    #: Digest of the drawn pixels: the same page looks the same.
    digest: str
    #: The PNG; None when the caller already has this exact page (see ``known``).
    png: bytes | None

    @property
    def name(self) -> str:
        """The file name :func:`write_pages` gives it: ``booklet-01.png``."""
        return f"{self.layout}-{self.number:02d}.png"


@dataclass(frozen=True)
class LayoutPreview:
    """One layout of the preview: its pages, or why it could not be made."""

    layout: str
    pages: tuple[PageImage, ...] = ()
    #: Texts printed in English on these pages: (language, context, msgid).
    fallbacks: tuple[TextKey, ...] = ()
    #: ``Error:``-style lines when the layout could not be rendered (e.g. text
    #: that does not fit); the translator fixes and saves again.
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Preview:
    """A language's layouts as page images, with the catalog's report. Nothing is written."""

    language: str
    language_name: str
    direction: str
    clinic_id: str
    layouts: tuple[LayoutPreview, ...]
    report: Report
    #: What the sources looked like when rendering started (see :func:`source_identity`).
    identity: tuple[tuple[str, int, int], ...] = ()
    seconds: float = 0.0

    @property
    def pages(self) -> list[PageImage]:
        return [page for layout in self.layouts for page in layout.pages]

    @property
    def errors(self) -> list[str]:
        return [error for layout in self.layouts for error in layout.errors]

    @property
    def fallbacks(self) -> set[tuple[str | None, str]]:
        """(context, msgid) of this language's texts printed in English on these pages."""
        return {(context, msgid) for layout in self.layouts
                for language, context, msgid in layout.fallbacks if language == self.language}

    def digests(self) -> dict[tuple[str, int], str]:
        """What to pass as ``known`` to the next :func:`make_preview`."""
        return {(page.layout, page.number): page.digest for page in self.pages}

    def filled_from(self, previous: Preview | None) -> Preview:
        """This preview with the PNGs of unchanged pages taken from ``previous``."""
        old = {(page.layout, page.number, page.digest): page.png
               for page in (previous.pages if previous else []) if page.png is not None}
        layouts = tuple(replace(layout, pages=tuple(
            page if page.png is not None
            else replace(page, png=old.get((page.layout, page.number, page.digest)))
            for page in layout.pages)) for layout in self.layouts)
        return replace(self, layouts=layouts)


def default_clinic(project: Project, language: str) -> str:
    """The first clinic (by id) that offers ``language``, else the first clinic."""
    files = project.clinic_files()
    if not files:
        raise UsageError(f"no clinic profiles found in {project.clinics_dir}")
    for path in files:
        try:
            if language in LOADED.clinic(path).languages:
                return path.stem
        except BrochureError:
            continue
    return files[0].stem


def source_files(project: Project, language: str, clinic: str | None = None) -> list[Path]:
    """The files whose change should refresh a preview of ``language``."""
    files = [po_path(project.locales_dir, language), project.pot_path,
             *project.content_files()]
    if clinic:
        texts = project.clinic_texts(clinic)
        files.extend([project.clinics_dir / f"{clinic}.yaml", texts.po_path(language),
                      *texts.content_files()])
    return files


def source_identity(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, modification time) of each file: it changes when a file is saved."""
    identity = []
    for path in paths:
        try:
            stat = path.stat()
            identity.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            identity.append((str(path), -1, 0))
    return tuple(identity)


def _draw(pdf: bytes, layout: str, dpi: int,
          known: Mapping[tuple[str, int], str]) -> tuple[PageImage, ...]:
    import pypdfium2

    images = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                picture = page.render(scale=dpi / 72).to_pil()
            finally:
                page.close()
            pixels = picture.tobytes()
            digest = hashlib.sha256(pixels).hexdigest()[:24]
            png = None
            if known.get((layout, index + 1)) != digest:
                buffer = io.BytesIO()
                # Level 1: five times faster than the default for a few % more bytes.
                picture.save(buffer, "PNG", compress_level=1)
                png = buffer.getvalue()
            images.append(PageImage(layout, index + 1, picture.width, picture.height,
                                    digest, png))
    finally:
        document.close()
    return tuple(images)


def make_preview(request: PreviewRequest,
                 known: Mapping[tuple[str, int], str] | None = None) -> Preview:
    """Render and draw ``request``'s layouts; pure (it writes nothing).

    ``known`` maps (layout, page number) to the digest of a page the caller
    already has: such a page comes back with ``png=None`` (use
    :meth:`Preview.filled_from`). A layout that cannot be rendered carries its
    error; only a bad request (unknown clinic, layout or language code)
    raises :class:`BrochureError`.
    """
    started = time.perf_counter()
    project = Project(Path(request.root))
    clinic = request.clinic or default_clinic(project, request.language)
    identity = source_identity(source_files(project, request.language,
                                            Path(clinic).stem))
    the_plan = plan(BuildOptions(clinics=(clinic,), languages=(request.language,),
                                 layouts=request.layouts), project)
    layouts: list[LayoutPreview] = []
    clinic_id = Path(clinic).stem
    shared = {path.resolve() for path in project.content_files()}

    def part(job: Job) -> str:
        """The layout's name, led by the document's id for a clinic's own document."""
        if (project.root / job.document).resolve() in shared:
            return job.layout
        return f"{job.document_id}-{job.layout}"

    for job, error in the_plan.failed:
        clinic_id = job.clinic_id
        layouts.append(LayoutPreview(part(job), errors=tuple(map(str, error.problems))))
    for job in the_plan.jobs:
        clinic_id = job.clinic_id
        layout_started = time.perf_counter()
        try:
            rendered = render_job(job)
        except BrochureError as exc:
            layouts.append(LayoutPreview(part(job), errors=tuple(map(str, exc.problems)),
                                         seconds=time.perf_counter() - layout_started))
            continue
        pages = _draw(rendered.files[0][1], part(job), request.dpi, known or {})
        layouts.append(LayoutPreview(part(job), pages, rendered.fallbacks,
                                     warnings=rendered.warnings,
                                     seconds=time.perf_counter() - layout_started))
    # The shared document's layouts in the order asked for, then the clinic's own.
    layouts.sort(key=lambda item: (item.layout not in LAYOUTS, request.layouts.index(
        next(name for name in request.layouts
             if item.layout == name or item.layout.endswith("-" + name)))))
    catalog = the_plan.catalogs.get(request.language)
    try:
        name = language_name(request.language, catalog)
    except BrochureError:
        name = default_language_name(request.language)
    return Preview(request.language, name, direction(request.language), clinic_id,
                   tuple(layouts), report(project, request.language), identity,
                   time.perf_counter() - started)


# Writing and watching ----------------------------------------------------------

def default_folder(language: str, clinic_id: str) -> Path:
    """Where the CLI writes pages unless told: ``<temp>/brochure-preview/<clinic>-<lang>``."""
    return Path(tempfile.gettempdir()) / "brochure-preview" / f"{clinic_id}-{language}"


def write_pages(preview: Preview, folder: Path) -> list[Path]:
    """Write the preview's pages into ``folder`` as ``<layout>-NN.png``; return every page.

    Pages that did not change are not rewritten (an image viewer that watches
    the folder reloads only what changed); pages of these layouts left over
    from a longer earlier preview are removed. Writes are atomic.
    """
    paths = []
    for page in preview.pages:
        path = folder / page.name
        if page.png is not None:
            write_if_changed(path, page.png)
        paths.append(path)
    wanted = {path.name for path in paths}
    shown = {layout.layout for layout in preview.layouts if layout.pages}
    if folder.is_dir():
        for old in folder.iterdir():
            match = _PAGE_NAME.match(old.name)
            if match and match.group("layout") in shown and old.name not in wanted:
                old.unlink(missing_ok=True)
    return paths


def watch(request: PreviewRequest, on_preview: Callable[[Preview], None],
          stop: threading.Event | None = None) -> None:
    """Preview now, then again each time the language's catalog is saved, until ``stop``.

    Watches the catalog's folder (editors such as Poedit save by replacing the
    file, and write a ``.mo`` beside it, which is ignored); for English, the
    content files. Each new preview is passed to ``on_preview``; pages that
    did not change come back with ``png=None``. Ctrl-C raises
    :exc:`KeyboardInterrupt` as usual.
    """
    import watchfiles

    project = Project(Path(request.root))
    preview = make_preview(request)
    on_preview(preview)
    catalog = po_path(project.locales_dir, request.language)
    if request.language == SOURCE_LANGUAGE or not catalog.is_file():
        watched = {path.resolve() for path in project.content_files()}
        folders = [project.content_dir]
    else:
        watched = {catalog.resolve()}
        folders = [catalog.parent]

    def wanted(change: watchfiles.Change, path: str) -> bool:
        return Path(path).resolve() in watched

    for _changes in watchfiles.watch(*folders, watch_filter=wanted, stop_event=stop,
                                     debounce=200, step=50):
        current = _settled(source_files(project, request.language, preview.clinic_id))
        if current == preview.identity:
            continue  # saved without a change that matters (same size and time)
        preview = make_preview(request, preview.digests())
        on_preview(preview)


def _settled(paths: list[Path], quiet: float = 0.25,
             longest: float = 5.0) -> tuple[tuple[str, int, int], ...]:
    """The files' identity once it has not changed for ``quiet`` seconds.

    An editor that writes the file in place (not by renaming a new one over
    it) is seen half-way; reading then would preview a truncated catalog.
    """
    identity = source_identity(paths)
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = source_identity(paths)
        if now == identity:
            break
        identity = now
    return identity


__all__ = ["DEFAULT_DPI", "KINDS", "LayoutPreview", "PageImage", "Preview", "PreviewRequest",
           "Report", "ReportEntry", "default_clinic", "default_folder", "make_preview",
           "report", "source_files", "source_identity", "watch", "write_pages"]
