"""Build every requested (clinic, language, layout) into a PDF."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from . import catalogs
from .clinic import Clinic, load_clinic
from .content import Document, load_document
from .errors import BrochureError, Problem, TranslationError, UsageError
from .i18n import SOURCE_LANGUAGE, Catalog, direction, load_catalog, po_path
from .imposition import impose_booklet
from .output import write_atomically
from .project import LAYOUTS, BuildOptions, Project
from .render import render_html, render_pdf

logger = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """What a build wrote, and the English fallbacks it had to use."""

    outputs: list[Path] = field(default_factory=list)
    #: language → sorted (msgctxt, msgid) pairs shown in English.
    fallbacks: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)


def output_path(out: Path, clinic: Clinic, language: str, document: Document,
                layout: str, suffix: str = "") -> Path:
    """``<out>/<clinic>/<lang>/<doc>-<layout>[-suffix].pdf``"""
    name = f"{document.id}-{layout}{'-' + suffix if suffix else ''}.pdf"
    return out / clinic.id / language / name


def _resolve_clinics(project: Project, wanted: tuple[str, ...] | None) -> list[Clinic]:
    if wanted is None:
        files = project.clinic_files()
        if not files:
            raise UsageError(f"no clinic profiles found in {project.clinics_dir}")
        return [load_clinic(path) for path in files]
    clinics = []
    for name in wanted:
        path = Path(name)
        if path.suffix not in (".yaml", ".yml"):
            path = project.clinics_dir / f"{name}.yaml"
        if not path.is_file():
            known = ", ".join(p.stem for p in project.clinic_files()) or "none"
            raise UsageError(f"unknown clinic {name!r} (known: {known})")
        clinics.append(load_clinic(path))
    return clinics


def _resolve_layouts(wanted: tuple[str, ...] | None) -> tuple[str, ...]:
    if wanted is None:
        return LAYOUTS
    for layout in wanted:
        if layout not in LAYOUTS:
            raise UsageError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
    return wanted


def _sorted_fallbacks(catalog: Catalog) -> list[tuple[str | None, str]]:
    return sorted(catalog.fallbacks, key=lambda pair: (pair[0] or "", pair[1]))


def _fallback_message(catalog: Catalog) -> str:
    missing = _sorted_fallbacks(catalog)
    listing = "; ".join(f"{context or '-'}: {msgid[:40]!r}" for context, msgid in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    return (f"{len(missing)} text(s) have no usable {catalog.language} translation "
            f"and are shown in English: {listing}{more}")


def build_one(project: Project, document: Document, clinic: Clinic, catalog: Catalog,
              layout: str, options: BuildOptions = BuildOptions(),
              catalogs: Mapping[str, Catalog] | None = None) -> list[Path]:
    """Render one layout in one language, write it atomically; return the paths written.

    With ``options.strict``, a text shown in English instead of the catalog's
    language is an error and no PDF is written. With ``options.print_ready``
    the PDF has bleed and crop marks (``-print``), and a booklet also gets an
    imposed copy for folding (``-imposed``). A handout with filled fields is
    written as ``-filled``, so the blank one stays as it is.
    """
    html = render_html(project, document, clinic, catalog, layout, catalogs, options)
    if options.strict and catalog.fallbacks:
        raise TranslationError(_fallback_message(catalog) + " (--strict)", catalog.path)
    pdf = render_pdf(project, html, clinic, layout, document.path)
    if options.print_ready and layout == "booklet":
        # A folded booklet needs a multiple of 4 pages: add notes pages before
        # the back cover, then lay it out again.
        notes = 0
        for _ in range(4):  # a notes page can itself move the back cover; re-check
            missing = -len(PdfReader(io.BytesIO(pdf)).pages) % 4
            if not missing:
                break
            notes += missing
            html = render_html(project, document, clinic, catalog, layout, catalogs, options,
                               notes_pages=notes)
            pdf = render_pdf(project, html, clinic, layout, document.path)
    suffix = "print" if options.print_ready else ""
    if layout == "handout" and options.fields:
        suffix = "-".join(filter(None, [suffix, "filled"]))
    outputs = [(output_path(options.out, clinic, catalog.language, document, layout, suffix),
                pdf)]
    if options.print_ready and layout == "booklet":
        outputs.append((output_path(options.out, clinic, catalog.language, document, layout,
                                    "imposed"),
                        impose_booklet(pdf, direction(catalog.language) == "rtl",
                                       clinic.paper)))
    for path, data in outputs:
        write_atomically(path, data)
        # Only the path: a filled handout's personal data never goes to a log.
        logger.info("wrote %s", path)
    return [path for path, _ in outputs]


def build(options: BuildOptions = BuildOptions(), project: Project | None = None
          ) -> BuildResult:
    """Build the brochures ``options`` ask for; raise :class:`BrochureError` on bad input.

    Everything is loaded and validated before the first PDF is written, so a
    broken profile or catalog stops the build before any output changes.
    """
    project = project or Project()
    documents = [load_document(path) for path in project.content_files()]
    if not documents:
        raise UsageError(f"no content files found in {project.content_dir}")
    clinics = _resolve_clinics(project, options.clinics)
    layouts = _resolve_layouts(options.layouts)
    catalogs: dict[str, Catalog] = {}
    plan: list[tuple[Clinic, str]] = []
    for clinic in clinics:
        languages = options.languages or clinic.languages
        if options.languages and options.clinics is None:
            # "--lang es" alone: every clinic that offers Spanish, not every clinic.
            languages = tuple(code for code in languages if code in clinic.languages)
        # The back cover speaks every language the clinic offers, so load them all.
        for language in dict.fromkeys([*languages, *clinic.languages]):
            if language not in catalogs:
                catalogs[language] = load_catalog(project.locales_dir, language)
                for problem in catalogs[language].problems:
                    logger.warning("%s (English is used instead)", problem)
        plan.extend((clinic, language) for language in languages)

    if not plan:
        wanted = ", ".join(options.languages or ())
        raise UsageError(f"no clinic offers {wanted}; name one with --clinic to preview "
                         "a language it does not offer yet")
    result = BuildResult()
    for clinic, language in plan:
        catalog = catalogs[language]
        for document in documents:
            for layout in layouts:
                try:
                    result.outputs.extend(
                        build_one(project, document, clinic, catalog, layout, options,
                                  catalogs))
                except BrochureError as exc:
                    raise exc.with_context(
                        f"while building {clinic.id}/{language}/{layout}") from None
    for language, catalog in catalogs.items():
        if catalog.fallbacks:
            result.fallbacks[language] = _sorted_fallbacks(catalog)
            logger.warning("%s: %s", catalog.path, _fallback_message(catalog))
    return result


def check_project(project: Project | None = None) -> list[Problem]:
    """Every problem in the content, the clinic profiles and the catalogs, without building."""
    project = project or Project()
    problems: list[Problem] = []
    for path in project.content_files():
        try:
            load_document(path)
        except BrochureError as exc:
            problems.extend(exc.problems)
    for path in project.clinic_files():
        try:
            clinic = load_clinic(path)
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
