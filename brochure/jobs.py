"""The build as a plan of pure jobs.

A :class:`Job` is one (document, clinic, language, layout, render options)
unit: a small frozen value that names its inputs by path, so a process pool
or a Dask cluster can carry it. :func:`plan` checks every input and option
first and returns the jobs; :func:`render_job` turns one job into a
:class:`Rendered` result (PDF bytes, page count, what it printed in English,
warnings, what it read) and writes nothing.

Each process keeps what it loaded (documents, profiles, catalogs) keyed by
the file's identity, so a worker pays for loading once, and a long-lived
process (the web app, the translator preview) sees edited files at once.
"""

from __future__ import annotations

import logging
import os
import resource
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from . import fingerprint, fonts
from .clinic import Clinic, load_clinic
from .content import Document, load_document
from .errors import BrochureError, ContentError, Problem, TranslationError, UsageError
from .handout import check_fields
from .i18n import (
    SOURCE_LANGUAGE,
    Catalog,
    TextKey,
    catalog_key,
    direction,
    load_catalog,
    locale_of,
    po_path,
)
from .layouts import LAYOUT_NAMES, LAYOUTS, Layout
from .localise import Page, font_stacks
from .logo import check_logo
from .notes import Notes, load_notes
from .options import BuildOptions, RenderOptions
from .project import DOMAIN, Project

logger = logging.getLogger(__name__)

#: Environment variable a Dask worker may set when its checkout is elsewhere.
ROOT_ENV = "BROCHURE_PROJECT_ROOT"


@dataclass(frozen=True)
class Job:
    """One PDF (and its imposed copy, if any) to make. Small, frozen, picklable."""

    #: The project folder, as the planner saw it.
    root: str
    #: The content file and the clinic profile, relative to ``root`` when inside it.
    document: str
    clinic: str
    document_id: str
    clinic_id: str
    language: str
    layout: str
    options: RenderOptions = RenderOptions()
    #: Fail the job when it would print a text in English instead of its language.
    strict: bool = False
    #: The planner's digest of every input file; a worker whose files differ refuses.
    inputs: str = ""
    #: A translator's preview: make the PDF even if text does not fit (a warning).
    lenient: bool = False

    @property
    def name(self) -> str:
        """``clinic/lang/layout``, as messages name a job."""
        return f"{self.clinic_id}/{self.language}/{self.layout}"

    @property
    def filled(self) -> bool:
        return bool(self.options.fields)

    def outputs(self) -> list[str]:
        """Paths of the files this job makes, relative to the output folder."""
        layout = LAYOUTS[self.layout]
        base = f"{self.clinic_id}/{self.language}/{self.document_id}-{self.layout}"
        suffix = layout.suffix(self.options.print_ready, self.filled)
        names = [f"{base}-{suffix}.pdf" if suffix else f"{base}.pdf"]
        names.extend(f"{base}-{extra}.pdf"
                     for extra in layout.extra_outputs(self.options.print_ready))
        return names

    @property
    def cost(self) -> float:
        """A rough relative cost, to start the longest jobs first."""
        weight = {"booklet": 3.0, "large-print": 3.2, "trifold": 1.6, "handout": 0.8}
        cjk = 1.3 if self.language.split("-")[0] in ("zh", "ja", "ko") else 1.0
        return weight.get(self.layout, 2.0) * cjk * (2 if self.options.print_ready else 1)


@dataclass(frozen=True)
class Rendered:
    """What rendering one job made. Nothing of it has been written yet."""

    job: Job
    #: (output path relative to the output folder, PDF bytes).
    files: tuple[tuple[str, bytes], ...]
    pages: int
    #: Texts printed in English instead of their language: (language, context, msgid).
    fallbacks: tuple[TextKey, ...]
    warnings: tuple[str, ...]
    #: Every translated text looked up: (language, context, msgid, text or None).
    texts: tuple[tuple[str, str | None, str, str | None], ...]
    #: Files read (templates, stylesheets, images, content, profile).
    reads: tuple[str, ...]
    #: Font families per language, as chosen.
    fonts: tuple[tuple[str, tuple[str, ...]], ...]
    #: Peak memory of the process that rendered it so far, in KiB.
    memory: int = 0


# Loaded inputs, per process ---------------------------------------------------

T = TypeVar("T")


class _Loaded:
    """Documents, profiles and catalogs loaded by this process, by file identity."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], Any] = {}

    def get(self, kind: str, path: Path, load: Callable[[], T]) -> T:
        try:
            stat = path.stat()
            identity: tuple[Any, ...] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            identity = ("missing",)
        key = (kind, str(path), *identity)
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            try:
                self._cache[key] = (load(), None)
            except BrochureError as exc:
                self._cache[key] = (None, exc)
        value, error = self._cache[key]
        if error is not None:
            raise error
        return value

    def document(self, path: Path) -> Document:
        return self.get("document", path, lambda: load_document(path))

    def clinic(self, path: Path) -> Clinic:
        return self.get("clinic", path, lambda: load_clinic(path))

    def catalog(self, project: Project, language: str) -> Catalog:
        if language == SOURCE_LANGUAGE:
            return Catalog(language)
        return self.get("catalog", po_path(project.locales_dir, language),
                        lambda: load_catalog(project.locales_dir, language))

    def notes(self, project: Project, clinic: Clinic) -> Notes:
        path = clinic.folder / "notes.yaml"
        if not path.is_file():
            return Notes()
        return self.get("notes", path, lambda: load_notes(path))

    def own_catalog(self, project: Project, clinic: Clinic, language: str) -> Catalog:
        """The clinic's own catalog of ``language``; an empty one when there is none yet
        (its texts then print in English, with the usual report)."""
        texts = project.clinic_texts(clinic.id)
        path = texts.po_path(language)
        if language == SOURCE_LANGUAGE:
            return Catalog(language)
        if not path.is_file():
            return Catalog(language, path)
        return self.get("catalog", path,
                        lambda: load_catalog(texts.locales_dir, language, texts.domain))


LOADED = _Loaded()


def _has_own_texts(project: Project, clinic: Clinic) -> bool:
    return bool(project.clinic_texts(clinic.id).content_files())


def _catalogs(project: Project, clinic: Clinic, language: str
              ) -> tuple[dict[str, Catalog], list[str]]:
    """The catalogs a page prints from; an unreadable other language gives a warning.

    Keyed by :func:`~brochure.i18n.catalog_key`: the shared catalogs by
    language, the clinic's own (its notes and documents) as ``<clinic>:<lang>``.
    """
    catalogs = {language: LOADED.catalog(project, language)}
    if _has_own_texts(project, clinic):
        catalogs[catalog_key(language, clinic.id)] = LOADED.own_catalog(project, clinic,
                                                                       language)
    warnings = []
    for code in clinic.languages:
        if code in catalogs:
            continue
        try:
            catalogs[code] = LOADED.catalog(project, code)
        except BrochureError as exc:
            catalogs[code] = Catalog(code)
            warnings.append(f"{exc.problems[0]} (its language-help notice is printed "
                            "in English)")
    return catalogs, warnings


def _page(project: Project, document: Document, clinic: Clinic, language: str,
          layout: Layout, options: RenderOptions, catalogs: dict[str, Catalog]) -> Page:
    # A clinic's own document is translated in the clinic's catalogs.
    own = document.path.resolve().is_relative_to(clinic.folder.resolve())
    return Page(document, clinic, language, layout, options, catalogs,
                project.templates_dir, project.assets_dir, LOADED.notes(project, clinic),
                clinic.id if own else DOMAIN)


def _input_files(project: Project, document: Document, clinic: Clinic,
                 language: str) -> list[Path]:
    """Every file a job may read, for the digest a worker checks."""
    files = [document.path, clinic.path, *fingerprint.folder_files(clinic.folder),
             *fingerprint.folder_files(project.templates_dir),
             *fingerprint.folder_files(project.assets_dir)]
    for code in dict.fromkeys([language, *clinic.languages]):
        if code != SOURCE_LANGUAGE:
            files.append(po_path(project.locales_dir, code))
    return files


def input_digest(project: Project, document: Document, clinic: Clinic, language: str,
                 stacks: dict[str, list[str]]) -> str:
    """Digest of the code, files and fonts a job depends on (see :attr:`Job.inputs`)."""
    return fingerprint.digest({
        "code": fingerprint.code_digest(),
        "files": fingerprint.files_digest(
            _input_files(project, document, clinic, language), project.root),
        "fonts": {code: [fonts.identity(family) for family in stack]
                  for code, stack in sorted(stacks.items())},
    })


class InputMismatch(BrochureError):
    """A worker's project files differ from the planner's."""


def render_job(job: Job) -> Rendered:
    """Render one job; raise :class:`BrochureError` (naming the job) on failure.

    Pure: it writes nothing and changes no shared object. A worker whose
    files do not match the job's digest raises :class:`InputMismatch` rather
    than making a PDF from other inputs.
    """
    from .imposition import impose_booklet
    from .render import render

    try:
        project = Project(Path(os.environ.get(ROOT_ENV) or job.root))
        document = LOADED.document(project.root / job.document)
        clinic = LOADED.clinic(project.root / job.clinic)
        catalogs, warnings = _catalogs(project, clinic, job.language)
        layout = LAYOUTS[job.layout]
        page = _page(project, document, clinic, job.language, layout, job.options, catalogs)
        stacks = font_stacks(page)
        if job.inputs and input_digest(project, document, clinic, job.language,
                                       stacks) != job.inputs:
            raise InputMismatch(
                f"the project files on this machine ({project.root}) differ from the "
                "planner's: give every worker the same checkout (or a shared folder)")
        rendering = render(page, strict=job.strict, lenient=job.lenient)
        paths = job.outputs()
        files = [(paths[0], rendering.pdf)]
        # The imposed sheets: one file per kind (print shop, office printer).
        for path, kind in zip(paths[1:], layout.extra_outputs(job.options.print_ready)):
            files.append((path, impose_booklet(
                rendering.pdf, direction(job.language) == "rtl", clinic.paper, kind)))
    except BrochureError as exc:
        raise exc.with_context(f"while building {job.name}") from None
    reads = {document.path, clinic.path, *rendering.files}
    if page.notes.path is not None:
        reads.add(page.notes.path)
    return Rendered(
        job=job, files=tuple(files), pages=rendering.pages,
        fallbacks=tuple(rendering.lookups.fallbacks),
        warnings=tuple(warnings + rendering.warnings),
        texts=tuple((language, context, msgid, value)
                    for (language, context, msgid), value in rendering.lookups.used.items()),
        reads=tuple(sorted(fingerprint.relative(path, project.root) for path in reads)),
        fonts=tuple((code, tuple(stack)) for code, stack in sorted(stacks.items())),
        memory=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# The plan ---------------------------------------------------------------------

@dataclass
class Plan:
    """The jobs a build runs, and what the planner learnt while checking the inputs."""

    project: Project
    options: BuildOptions
    jobs: list[Job] = field(default_factory=list)
    #: Jobs that cannot run (their language's catalog is unreadable), with why.
    failed: list[tuple[Job, BrochureError]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Every catalog read, by language (an unreadable one is absent).
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    #: Font families of each job's languages, by job.
    fonts: dict[Job, dict[str, list[str]]] = field(default_factory=dict)


def _resolve_clinics(project: Project, wanted: tuple[str, ...] | None) -> list[Clinic]:
    if wanted is None:
        files = project.clinic_files()
        if not files:
            raise UsageError(f"no clinic profiles found in {project.clinics_dir}")
        return [LOADED.clinic(path) for path in files]
    clinics = []
    for name in wanted:
        path = Path(name)
        if path.suffix not in (".yaml", ".yml"):
            path = project.clinics_dir / f"{name}.yaml"
        elif not path.is_absolute():
            path = Path.cwd() / path
        if not path.is_file():
            known = ", ".join(p.stem for p in project.clinic_files()) or "none"
            raise UsageError(f"unknown clinic {name!r} (known: {known})")
        clinics.append(LOADED.clinic(path))
    return clinics


def _resolve_layouts(options: BuildOptions) -> tuple[str, ...]:
    wanted = options.layouts
    if wanted is None:
        # A patient's details fill the handout; they do not ask for every layout.
        return ("handout",) if options.fields else LAYOUT_NAMES
    for name in wanted:
        if name not in LAYOUTS:
            raise UsageError(f"unknown layout {name!r} (known: {', '.join(LAYOUT_NAMES)})")
    if options.fields and not any(LAYOUTS[name].fill_in for name in wanted):
        raise UsageError("handout fields fill the handout: add --layout handout")
    return tuple(dict.fromkeys(wanted))


def _check_languages(wanted: tuple[str, ...] | None) -> None:
    for code in wanted or ():
        try:
            locale_of(code)
        except TranslationError:
            raise UsageError(f"unknown language code {code!r} (use a code such as es, "
                             "zh-Hans or pt-BR)") from None


def plan(options: BuildOptions, project: Project | None = None) -> Plan:
    """Check every input and option, then return the jobs to run.

    Broken content, a broken profile or a bad option raises
    :class:`BrochureError` before anything is built. A catalog that cannot be
    read fails only its own language's jobs (:attr:`Plan.failed`).
    """
    project = project or Project()
    if options.jobs is not None and options.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more (got {options.jobs})")
    layouts = _resolve_layouts(options)
    _check_languages(options.languages)
    fields = check_fields(options.fields)
    documents = [LOADED.document(path) for path in project.content_files()]
    if not documents:
        raise UsageError(f"no content files found in {project.content_dir}")
    clinics = _resolve_clinics(project, options.clinics)
    result = Plan(project, options)
    pairs: list[tuple[Clinic, str]] = []
    for clinic in clinics:
        languages = options.languages or clinic.languages
        if options.languages and options.clinics is None:
            # "--lang es" alone: every clinic that offers Spanish, not every clinic.
            languages = tuple(code for code in languages if code in clinic.languages)
        pairs.extend((clinic, language) for language in dict.fromkeys(languages))
    if not pairs:
        wanted = ", ".join(options.languages or ())
        raise UsageError(f"no clinic offers {wanted}; name one with --clinic to preview "
                         "a language it does not offer yet")
    if fields and len(pairs) != 1:
        raise UsageError("handout fields are for one patient: choose one clinic "
                         "(--clinic) and one language (--lang)")

    broken: dict[str, BrochureError] = {}
    for clinic, language in pairs:
        for code in dict.fromkeys([language, *clinic.languages]):
            if code in result.catalogs or code in broken:
                continue
            try:
                result.catalogs[code] = LOADED.catalog(project, code)
            except BrochureError as exc:
                broken[code] = exc
                continue
            for problem in result.catalogs[code].problems:
                result.warnings.append(f"{problem} (English is used instead)")
        if _has_own_texts(project, clinic):
            key = catalog_key(language, clinic.id)
            try:
                result.catalogs[key] = LOADED.own_catalog(project, clinic, language)
            except BrochureError as exc:
                broken[key] = exc
                continue
            for problem in result.catalogs[key].problems:
                result.warnings.append(f"{problem} (English is used instead)")

    own_documents = {clinic.id: clinic_documents(project, clinic, documents)
                     for clinic in clinics}
    for clinic in clinics:
        _check_notes(project, clinic, documents + own_documents[clinic.id])

    for clinic, language in pairs:
        own = catalog_key(language, clinic.id)
        for document in documents + own_documents[clinic.id]:
            stacks: dict[str, list[str]] = {}
            digest = ""
            for name in layouts:
                if name not in document.layouts:
                    continue  # the document is not made for this layout
                layout = LAYOUTS[name]
                render_options = RenderOptions(options.print_ready,
                                               fields if layout.fill_in else ())
                job = Job(str(project.root), fingerprint.relative(document.path, project.root),
                          fingerprint.relative(clinic.path, project.root), document.id,
                          clinic.id, language, name, render_options, options.strict)
                if language in broken or own in broken:
                    # One error for the language, whichever layouts were asked for.
                    error = broken.get(language) or broken[own]
                    result.failed.append((job, error.with_context(
                        f"while building {clinic.id}/{language}")))
                    continue
                if not digest:
                    # The same for every layout: fonts follow the texts, not the layout.
                    catalogs = {code: result.catalogs.get(code) or Catalog(code)
                                for code in dict.fromkeys([language, *clinic.languages])}
                    if own in result.catalogs:
                        catalogs[own] = result.catalogs[own]
                    stacks = font_stacks(_page(project, document, clinic, language, layout,
                                               render_options, catalogs))
                    digest = input_digest(project, document, clinic, language, stacks)
                job = replace(job, inputs=digest)
                result.jobs.append(job)
                result.fonts[job] = stacks
    return result


def clinic_documents(project: Project, clinic: Clinic | str,
                     shared: list[Document]) -> list[Document]:
    """A clinic's own documents (``clinics/<id>/content/*.yaml``), checked.

    Their PDFs go beside the shared documents' (``<clinic>/<lang>/<doc>-<layout>.pdf``),
    so a document id the shared content uses, or another of the clinic's, is an error.
    """
    clinic_id = clinic if isinstance(clinic, str) else clinic.id
    found: list[Document] = []
    problems: list[Problem] = []
    taken = {document.id: document for document in shared}
    for path in project.clinic_content_files(clinic_id):
        try:
            document = LOADED.document(path)
        except BrochureError as exc:
            problems.extend(exc.problems)
            continue
        if document.id in taken:
            other = fingerprint.relative(taken[document.id].path, project.root)
            problems.append(Problem(
                f"document {document.id!r} is also the id of {other}: choose another "
                "(it names the PDF files)", path, document.id_line))
            continue
        taken[document.id] = document
        found.append(document)
    if problems:
        raise ContentError.from_problems(problems)
    return found


def note_problems(notes: Notes, documents: list[Document]) -> list[Problem]:
    """Notes that close a section no document has."""
    sections = {section.id for document in documents for section in document.sections}
    return [
        Problem(f"note {note.id!r}: no document has a section {note.section!r} "
                f"(sections: {', '.join(sorted(sections))})", notes.path, note.line)
        for note in notes.notes if note.section is not None and note.section not in sections]


def _check_notes(project: Project, clinic: Clinic, documents: list[Document]) -> None:
    """A clinic's notes must load, and each must close a section some document has."""
    problems = note_problems(LOADED.notes(project, clinic), documents)
    if problems:
        raise ContentError.from_problems(problems)


def check_project(project: Project | None = None) -> list[Problem]:
    """Every problem in the content, the clinic profiles and the catalogs, without building."""
    from . import catalogs

    project = project or Project()
    problems: list[Problem] = []
    for path in project.content_files():
        try:
            load_document(path)
        except BrochureError as exc:
            problems.extend(exc.problems)
    documents = []
    for path in project.content_files():
        try:
            documents.append(load_document(path))
        except BrochureError:
            pass  # reported above
    for path in project.clinic_files():
        try:
            clinic = load_clinic(path)
            check_logo(clinic.logo, clinic.folder)
            _check_notes(project, clinic,
                         documents + clinic_documents(project, clinic, documents))
        except BrochureError as exc:
            problems.extend(exc.problems)
            continue
        for language in clinic.languages:
            if language != SOURCE_LANGUAGE and not po_path(project.locales_dir,
                                                           language).is_file():
                problems.append(Problem(
                    f"language {language!r} has no catalog (brochure i18n init {language})",
                    path, None))
    problems.extend(catalogs.check(project))
    return problems
