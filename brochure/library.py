"""The library page: every built brochure, by clinic, language and layout.

:func:`scan` lists the PDFs in an output folder (``<out>/<clinic>/<lang>/
<doc>-<layout>.pdf``) with what a person choosing one needs: the clinic's
name, the language's name in its own script (``lang`` and ``dir``), its
English name and code (the page's filter finds any of them), the layout,
page count, paper and size, a cover thumbnail, and a file name that says
clinic, language and layout. :func:`write_index` writes the same page the
web app shows as a static ``<out>/index.html``, with relative links, so that
``dist/`` works from a shared drive or any web server.

Thumbnails (``<out>/thumbnails/...png``) and page counts are remembered in
``<out>/thumbnails/library.json`` by each PDF's size and modification time,
so a build that changed nothing draws nothing and leaves every file as it
was. A handout filled for a patient is never listed and never drawn: a
build with patient fields writes no index at all.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale

from . import markup
from .clinic import Clinic
from .errors import BrochureError, OutputError
from .i18n import Catalog, direction, language_name, locale_of
from .jobs import LOADED
from .layouts import LAYOUT_NAMES, LAYOUTS
from .output import write_if_changed
from .project import Project
from .strings import LAYOUT_TITLES

logger = logging.getLogger(__name__)

INDEX = "index.html"
THUMBNAILS = "thumbnails"
CACHE = f"{THUMBNAILS}/library.json"
#: Width of a cover thumbnail in pixels (shown at half that on a sharp screen).
THUMBNAIL_WIDTH = 280
#: Names staff know the layouts by.
LAYOUT_LABELS = {"booklet": "Booklet", "large-print": "Large-print booklet",
                 "trifold": "Tri-fold leaflet", "handout": "Checklist handout"}
#: The copies a print shop needs, by file-name suffix.
VARIANT_LABELS = {"print": "Print-shop copy (bleed and crop marks)",
                  "imposed": "Print-shop sheets (imposed for folding)"}
_PAPERS = {(595, 842): "A4", (612, 792): "Letter", (420, 595): "A5",
           (396, 612): "Half letter"}
_NAME = re.compile(r"^(?P<doc>[\w.-]+?)-(?P<layout>%s)(?:-(?P<suffix>[a-z-]+))?\.pdf$"
                   % "|".join(re.escape(name) for name in
                              sorted(LAYOUT_NAMES, key=len, reverse=True)))
_TEMPLATES = Path(__file__).parent / "web" / "templates"
_STATIC = Path(__file__).parent / "web" / "static"


@dataclass(frozen=True)
class Variant:
    """A print-shop copy of a brochure."""

    suffix: str
    label: str
    path: str
    size: int

    @property
    def size_text(self) -> str:
        return human_size(self.size)


@dataclass(frozen=True)
class Entry:
    """One brochure: a (clinic, language, document, layout) PDF in the output folder."""

    clinic_id: str
    language: str
    document_id: str
    layout: str
    #: The PDF, relative to the output folder, with ``/``.
    path: str
    size: int
    pages: int
    paper: str
    #: The cover thumbnail relative to the output folder, if drawn, and its size in pixels.
    thumbnail: str | None
    thumbnail_size: tuple[int, int]
    #: A file name that says clinic, document, layout and language.
    download_name: str
    #: What staff call the layout, and its title in the brochure's language.
    label: str
    title: str
    variants: tuple[Variant, ...] = ()
    #: The document's own title in the brochure's language (a clinic may have its
    #: own documents beside the shared one), plain text; empty if unknown.
    document_title: str = ""

    @property
    def size_text(self) -> str:
        return human_size(self.size)


@dataclass(frozen=True)
class LanguageGroup:
    """One language of one clinic and its brochures."""

    code: str
    #: The name in the language itself, as its catalog gives it.
    name: str
    english: str
    direction: str
    entries: tuple[Entry, ...]

    @property
    def search(self) -> str:
        """What the filter box matches: the code and both names, folded."""
        return " ".join(dict.fromkeys([self.code.lower(), fold(self.name), fold(self.english)]))


@dataclass(frozen=True)
class ClinicGroup:
    id: str
    name: str
    languages: tuple[LanguageGroup, ...]


@dataclass(frozen=True)
class Library:
    """Every listed brochure of an output folder."""

    out: Path
    clinics: tuple[ClinicGroup, ...] = ()
    #: Every path a reader may fetch (PDFs, their variants, thumbnails), relative.
    files: frozenset[str] = field(default_factory=frozenset)

    def entries(self) -> list[Entry]:
        return [entry for clinic in self.clinics for group in clinic.languages
                for entry in group.entries]

    def entry(self, path: str) -> Entry | None:
        for entry in self.entries():
            if entry.path == path or any(variant.path == path for variant in entry.variants):
                return entry
        return None


def human_size(size: int) -> str:
    """``412 KB``, ``1.3 MB``: sizes as a person reads them."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


def fold(text: str) -> str:
    """Lower case without accents, so "espanol" finds "Español" (site.js folds alike)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def english_name(language: str) -> str:
    """The language's name in English: "Spanish", "Simplified Chinese", "Tagalog"."""
    english = Locale("en")
    tag = language.replace("-", "_")
    base = tag.split("_")[0].split("@")[0].lower()
    name = english.languages.get(tag) or english.languages.get(base)
    if name is None:
        try:
            name = locale_of(language).get_display_name("en")
        except BrochureError:
            name = None
    return name or language


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _paper(width: float, height: float) -> str:
    short, long = sorted((round(width), round(height)))
    for (paper_short, paper_long), name in _PAPERS.items():
        if abs(short - paper_short) <= 3 and abs(long - paper_long) <= 3:
            return f"{name} landscape" if width > height else name
    return f"{width / 72 * 25.4:.0f} × {height / 72 * 25.4:.0f} mm"


def _pdf_facts(path: Path) -> tuple[int, str]:
    """Page count and paper of a PDF (PDFium opens it without drawing)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        width, height = document.get_page_size(0)
        return len(document), _paper(width, height)
    finally:
        document.close()


def _draw_cover(pdf: Path, thumbnail: Path) -> tuple[int, int] | None:
    """Draw the PDF's first page into ``thumbnail``; return its size in pixels.

    A PDF that PDFium cannot draw gets no thumbnail (None), with a warning.
    """
    import io

    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            page = document[0]
            try:
                picture = page.render(scale=THUMBNAIL_WIDTH / page.get_width()).to_pil()
            finally:
                page.close()
        finally:
            document.close()
    except pypdfium2.PdfiumError as exc:
        logger.warning("%s: cannot draw its thumbnail (%s)", pdf, exc)
        return None
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    write_if_changed(thumbnail, buffer.getvalue())
    return picture.width, picture.height


def _identity(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _read_cache(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def language_names(project: Project, code: str) -> tuple[str, str, str]:
    """(own name, English name, direction) of a language; never raises."""
    try:
        catalog = LOADED.catalog(project, code)
    except BrochureError:
        catalog = None
    try:
        own = language_name(code, catalog)
        writing = direction(code)
    except BrochureError:
        return code, english_name(code), "ltr"
    return own, english_name(code), writing


def _layout_title(project: Project, code: str, layout: str) -> str:
    try:
        catalog = LOADED.catalog(project, code)
    except BrochureError:
        return LAYOUT_TITLES[layout][1]
    return catalog.pgettext(*LAYOUT_TITLES[layout])


def _document_title(project: Project, clinic: Clinic, code: str, document_id: str) -> str:
    """The title of ``document_id`` (shared, or the clinic's own) in ``code``, plain."""
    own = project.clinic_content_files(clinic.id)
    for path in [*project.content_files(), *own]:
        try:
            document = LOADED.document(path)
        except BrochureError:
            continue
        if document.id != document_id:
            continue
        try:
            catalog = (LOADED.own_catalog(project, clinic, code) if path in own
                       else LOADED.catalog(project, code))
        except BrochureError:
            catalog = Catalog(code)
        title = catalog.pgettext(document.title.context, document.title.msgid)
        return markup.plain(title, {"clinic_name": clinic.name})
    return ""


def _found_pdfs(out: Path, clinic_id: str) -> dict[str, dict[tuple[str, str], dict[str, Path]]]:
    """language → (document, layout) → suffix ("" for the main PDF) → path."""
    found: dict[str, dict[tuple[str, str], dict[str, Path]]] = {}
    folder = out / clinic_id
    if not folder.is_dir():
        return found
    for language_folder in sorted(folder.iterdir()):
        if not language_folder.is_dir() or language_folder.name.startswith("."):
            continue
        for pdf in sorted(language_folder.glob("*.pdf")):
            match = _NAME.match(pdf.name)
            if not match:
                continue
            suffix = match.group("suffix") or ""
            if "filled" in suffix.split("-"):
                continue  # a patient's handout: never listed, never drawn
            if suffix and suffix not in VARIANT_LABELS:
                continue
            key = (match.group("doc"), match.group("layout"))
            found.setdefault(language_folder.name, {}).setdefault(key, {})[suffix] = pdf
    return found


def _scan(out: Path, project: Project, cache: dict[str, Any],
          draw: Callable[[Path, Path], tuple[int, int] | None] | None) -> Library:
    import pypdfium2

    clinics = []
    files: set[str] = set()
    for profile in project.clinic_files():
        try:
            clinic = LOADED.clinic(profile)
        except BrochureError:
            continue
        by_language = _found_pdfs(out, clinic.id)
        # The clinic's own order of languages first, then any others found.
        order = list(clinic.languages)
        folders = sorted(by_language, key=lambda name: (
            order.index(name) if name in order else len(order), name))
        groups = []
        for folder in folders:
            code = folder
            own, english, writing = language_names(project, code)
            entries = []
            for (document_id, layout), copies in sorted(
                    by_language[folder].items(),
                    key=lambda item: (item[0][0], LAYOUT_NAMES.index(item[0][1]))):
                main = copies.get("") or copies.get("print")
                if main is None:
                    continue
                relative = main.relative_to(out).as_posix()
                identity = _identity(main)
                cached = cache.get(relative)
                if not (isinstance(cached, dict) and cached.get("identity") == identity):
                    try:
                        pages, paper = _pdf_facts(main)
                    except pypdfium2.PdfiumError as exc:
                        logger.warning("%s: cannot read the PDF for the library page (%s)",
                                       main, exc)
                        continue
                    cached = {"identity": identity, "pages": pages, "paper": paper}
                    cache[relative] = cached
                thumbnail = f"{THUMBNAILS}/{Path(relative).with_suffix('.png').as_posix()}"
                if draw is not None and (not (out / thumbnail).is_file()
                                         or cached.get("drawn") != identity):
                    cached["thumbnail"] = draw(main, out / thumbnail)
                    cached["drawn"] = identity
                size = cached.get("thumbnail")
                has_thumbnail = bool(size) and (out / thumbnail).is_file()
                variants = tuple(
                    Variant(suffix, VARIANT_LABELS[suffix], path.relative_to(out).as_posix(),
                            path.stat().st_size)
                    for suffix, path in sorted(copies.items()) if suffix and path != main)
                files.update([relative, *(variant.path for variant in variants)])
                if has_thumbnail:
                    files.add(thumbnail)
                entries.append(Entry(
                    clinic.id, code, document_id, layout, relative, main.stat().st_size,
                    int(cached["pages"]), str(cached["paper"]),
                    thumbnail if has_thumbnail else None,
                    (int(size[0]), int(size[1])) if size and has_thumbnail else (0, 0),
                    f"{clinic.id}-{document_id}-{layout}-{code}-{_slug(english)}.pdf",
                    LAYOUT_LABELS.get(layout, LAYOUTS[layout].description),
                    _layout_title(project, code, layout), variants,
                    _document_title(project, clinic, code, document_id)))
            if entries:
                groups.append(LanguageGroup(code, own, english, writing, tuple(entries)))
        if groups:
            clinics.append(ClinicGroup(clinic.id, clinic.name, tuple(groups)))
    return Library(out, tuple(clinics), frozenset(files))


def scan(out: Path, project: Project | None = None) -> Library:
    """List the brochures in ``out`` (reads only; thumbnails not yet drawn are left out)."""
    project = project or Project()
    return _scan(out, project, _read_cache(out), draw=None)


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the library page and the web app's pages (autoescaped)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def static_text(name: str) -> str:
    """One of the pages' stylesheet or script files (``site.css``, ``site.js``)."""
    return (_STATIC / name).read_text(encoding="utf-8")


def render_page(library: Library, *, static: bool, file_url: Callable[[str], str],
                download_url: Callable[[str], str], **context: Any) -> str:
    """The library page as HTML: ``static`` inlines its stylesheet and script."""
    template = environment().get_template("library.html.j2")
    return str(template.render(
        library=library, static=static, file_url=file_url, download_url=download_url,
        css=static_text("site.css") if static else "",
        js=static_text("site.js") if static else "", **context))


def write_index(out: Path, project: Project | None = None) -> Path:
    """Draw missing or outdated thumbnails and write ``<out>/index.html``; return its path.

    Only PDFs that changed since the last time are opened and drawn, and
    files whose bytes would not change are not rewritten, so calling this
    after a build that changed nothing costs a few milliseconds.
    """
    project = project or Project()
    cache = _read_cache(out)
    before = json.dumps(cache, sort_keys=True)
    library = _scan(out, project, cache, draw=_draw_cover)
    listed = {entry.path for entry in library.entries()}
    cache = {path: value for path, value in cache.items() if path in listed}
    if json.dumps(cache, sort_keys=True) != before:
        write_if_changed(out / CACHE, json.dumps(cache, sort_keys=True, indent=1).encode())
    page = render_page(library, static=True, file_url=lambda path: path,
                       download_url=lambda path: path)
    path = out / INDEX
    write_if_changed(path, page.encode("utf-8"))
    return path


def is_library_file(relative: Path) -> bool:
    """True for the files :func:`write_index` writes (``index.html``, ``thumbnails/...``)."""
    return relative.parts[:1] in ((INDEX,), (THUMBNAILS,))


def index_after_build(out: Path, project: Project, filled: bool) -> Path | None:
    """What :func:`brochure.build.build` calls last: refresh the static library page.

    A build of a handout filled for a patient writes no index and no
    thumbnail (the page must never show a patient's handout). The PDFs are
    what a build is for: an index that cannot be written (a full disk) is a
    warning naming the file, not a failed build.
    """
    if filled or not out.is_dir():
        return None
    try:
        return write_index(out, project)
    except OutputError as exc:
        for problem in exc.problems:
            logger.warning("%s (the library page index.html was not updated)", problem)
        return None
