"""The staff web app's pages (Starlette): library, patient handout, translator preview.

Every page is rendered from the templates in ``brochure/web/templates``
with Jinja2's autoescaping, so anything typed into a form or written in a
translation prints as text. Every render goes through the library
(:func:`brochure.jobs.render_job`, with its sandboxed URL fetcher) in the
bounded pool of :mod:`brochure.web.renders`.

A patient's details arrive in a POST body, are checked
(:func:`brochure.handout.check_fields`), sent to a render process and come
back as PDF bytes in the response: no file, log line, cache entry or URL
ever holds them (``Cache-Control: no-store``; the access log has no bodies).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .. import catalogs, library
from ..errors import BrochureError
from ..handout import FIELDS, MAX_LENGTH, FieldError, check_fields
from ..jobs import LOADED
from ..layouts import LAYOUT_NAMES
from ..preview import (
    KINDS,
    Preview,
    PreviewRequest,
    ReportEntry,
    make_preview,
    source_files,
    source_identity,
)
from ..project import Project
from .renders import Busy, RenderPool, WorkerLost, render_handout
from .security import CSRF_COOKIE, CSRF_FIELD, Csrf, cookie_header

logger = logging.getLogger(__name__)

#: Largest request body: a filled form is about 1 KB; a 10,000-character name
#: in Chinese, percent-encoded, is 90 KB and still gets its field message.
MAX_BODY = 128 * 1024
#: Screen resolution of the translator's page images.
PREVIEW_DPI = 80
#: Labels of the handout form (for staff, in English), in FIELDS order; the
#: handout prints each line's own translated label (brochure.strings.HANDOUT_LABELS).
FIELD_LABELS = {"patient": "Patient's name", "date": "Date of the procedure",
                "time": "Time to arrive", "doctor": "Doctor", "driver": "Driver (who takes "
                "the patient home)", "contact": "Who to call with questions",
                "restart": "Day to restart the blood thinner",
                "checkup": "Check-up visit"}
#: Input types; every other field is text. ``restart`` and ``checkup`` are text:
#: a date (YYYY-MM-DD) or the doctor's words, which a date picker would refuse.
FIELD_TYPES = {"date": "date", "time": "time"}
#: A hint under the label, where the field's format needs one.
FIELD_HINTS = {
    "date": "For example 3 December 2026.",
    "time": "The time the patient should arrive.",
    "restart": "What the doctor said: a date as YYYY-MM-DD (e.g. 2026-12-05), or words "
               "in the handout's language (e.g. 2 days after, if there is no bleeding).",
    "checkup": "A date as YYYY-MM-DD (e.g. 2026-12-17), or words in the handout's "
               "language (e.g. in 2 weeks).",
}
_STATIC_TYPES = {"site.css": "text/css; charset=utf-8",
                 "site.js": "text/javascript; charset=utf-8"}


# Translator previews ----------------------------------------------------------------

@dataclass
class Slot:
    """One previewed (language, clinic, layout), kept in memory while someone looks at it."""

    request: PreviewRequest
    preview: Preview | None = None
    version: int = 0
    task: asyncio.Task[None] | None = None
    error: list[str] = field(default_factory=list)
    #: What the sources looked like when the last render started (None: never rendered).
    identity: tuple[tuple[str, int, int], ...] | None = None
    used: float = field(default_factory=time.monotonic)

    @property
    def rendering(self) -> bool:
        return self.task is not None and not self.task.done()


class Previews:
    """The translator page's previews: re-rendered in the pool when their sources change."""

    def __init__(self, project: Project, pool: RenderPool, keep: int = 6) -> None:
        self.project = project
        self.pool = pool
        self.keep = keep
        self._slots: OrderedDict[tuple[str, str | None, str], Slot] = OrderedDict()

    def slot(self, language: str, clinic: str | None, layout: str) -> Slot:
        key = (language, clinic, layout)
        slot = self._slots.get(key)
        if slot is None:
            slot = Slot(PreviewRequest(str(self.project.root), language, clinic, (layout,),
                                       PREVIEW_DPI))
            self._slots[key] = slot
            while len(self._slots) > self.keep:
                _, old = self._slots.popitem(last=False)
                if old.task is not None:
                    old.task.cancel()
        self._slots.move_to_end(key)
        slot.used = time.monotonic()
        return slot

    def _identity(self, slot: Slot) -> tuple[tuple[str, int, int], ...]:
        clinic = slot.request.clinic or (slot.preview.clinic_id if slot.preview else None)
        return source_identity(source_files(self.project, slot.request.language, clinic))

    def refresh(self, slot: Slot) -> None:
        """Start a render if the sources changed since the last one (and none is running)."""
        if slot.rendering or slot.identity == self._identity(slot):
            return
        slot.task = asyncio.get_running_loop().create_task(self._render(slot))

    async def _render(self, slot: Slot) -> None:
        # What the files look like now: a save during the render starts another one.
        slot.identity = self._identity(slot)
        known = slot.preview.digests() if slot.preview else {}
        try:
            preview = await self.pool.run(make_preview, slot.request, known)
        except BrochureError as exc:
            slot.error = [str(problem) for problem in exc.problems]
            slot.version += 1
            return
        except (Busy, WorkerLost):
            slot.identity = None  # the next poll tries again
            return
        slot.preview = preview.filled_from(slot.preview)
        slot.error = []
        slot.version += 1

    async def ready(self, slot: Slot, timeout: float) -> None:
        """Refresh ``slot`` and wait (up to ``timeout`` seconds) for its render."""
        self.refresh(slot)
        if slot.task is not None and not slot.task.done():
            try:
                await asyncio.wait_for(asyncio.shield(slot.task), timeout)
            except TimeoutError:
                pass

    def close(self) -> None:
        for slot in self._slots.values():
            if slot.task is not None:
                slot.task.cancel()


# The site ------------------------------------------------------------------------

@dataclass
class Site:
    project: Project
    out: Path
    pool: RenderPool
    csrf: Csrf = field(default_factory=Csrf)
    previews: Previews = field(init=False)
    _shelf: tuple[float, library.Library] | None = None

    def __post_init__(self) -> None:
        self.previews = Previews(self.project, self.pool)

    async def library(self) -> library.Library:
        """The output folder's brochures, looked at again at most every two seconds."""
        now = time.monotonic()
        if self._shelf is None or now - self._shelf[0] > 2.0:
            shelf = await asyncio.to_thread(library.scan, self.out, self.project)
            self._shelf = (now, shelf)
        return self._shelf[1]

    def page(self, template: str, status: int = 200, headers: dict[str, str] | None = None,
             **context: Any) -> HTMLResponse:
        html = library.environment().get_template(template).render(
            static=False, css="", js="", **context)
        return HTMLResponse(html, status_code=status, headers=headers)

    def clinics(self) -> list[dict[str, Any]]:
        """Every clinic with the languages it offers, by name in their own script."""
        found = []
        for path in self.project.clinic_files():
            try:
                clinic = LOADED.clinic(path)
            except BrochureError:
                continue
            languages = []
            for code in clinic.languages:
                own, english, writing = library.language_names(self.project, code)
                languages.append({"code": code, "name": own, "english": english,
                                  "dir": writing})
            found.append({"id": clinic.id, "name": clinic.name, "languages": languages})
        return found


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _file_url(path: str) -> str:
    return "/files/" + quote(path)


def _download_url(path: str) -> str:
    return "/files/" + quote(path) + "?download=1"


async def library_page(request: Request) -> Response:
    site = _site(request)
    shelf = await site.library()
    html = library.render_page(shelf, static=False, file_url=_file_url,
                               download_url=_download_url, active="library",
                               out=str(site.out))
    return HTMLResponse(html)


async def library_file(request: Request) -> Response:
    site = _site(request)
    path = request.path_params["path"]
    shelf = await site.library()
    if path not in shelf.files:
        return site.page("message.html.j2", 404, title="Not found",
                         message="There is no such brochure. Go back to the library page.")
    entry = shelf.entry(path)
    download = request.query_params.get("download") == "1"
    name = None
    if entry is not None and path.endswith(".pdf"):
        name = entry.download_name if path == entry.path else Path(path).name
    return FileResponse(site.out / path, filename=name,
                        content_disposition_type="attachment" if download else "inline",
                        headers={"cache-control": "no-cache"})


async def static_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _STATIC_TYPES:
        return Response("Not found", 404, media_type="text/plain")
    return Response(library.static_text(name), media_type=_STATIC_TYPES[name],
                    headers={"cache-control": "no-cache"})


# The handout form ---------------------------------------------------------------

def _csrf(request: Request) -> tuple[str, dict[str, str]]:
    """This browser's CSRF cookie (a new one if it has none) and the header to set it."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(cookie) <= 100:
        return cookie, {}
    cookie = Csrf.new_cookie()
    return cookie, {"set-cookie": cookie_header(cookie)}


def _form(request: Request, values: dict[str, str], errors: dict[str, str],
          status: int = 200, problem: str = "") -> HTMLResponse:
    site = _site(request)
    cookie, headers = _csrf(request)
    return site.page("handout.html.j2", status, headers, active="handout",
                     clinics=site.clinics(), values=values, errors=errors, problem=problem,
                     fields=[(name, FIELD_LABELS[name], FIELD_TYPES.get(name, "text"),
                              MAX_LENGTH[name], FIELD_HINTS.get(name, ""))
                             for name in FIELDS],
                     labels={"clinic": "Clinic", "language": "Language", **FIELD_LABELS},
                     csrf_field=CSRF_FIELD, csrf_token=site.csrf.token(cookie))


async def handout_form(request: Request) -> Response:
    # Only the clinic and language may come in the URL (from the library page).
    values = {name: request.query_params.get(name, "")[:100] for name in ("clinic", "language")}
    return _form(request, values, {})


def _read_form(body: bytes) -> dict[str, str]:
    pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=False,
                      encoding="utf-8", errors="strict", max_num_fields=20)
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise ValueError("a field was given twice")
        form[name] = value
    return form


def _redisplay(form: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """The values to show again in the form: what was typed, unless far too long to be one."""
    return {name: value for name, value in form.items()
            if name != CSRF_FIELD and len(value) <= 2 * MAX_LENGTH.get(name, 100)}


async def handout_submit(request: Request) -> Response:
    site = _site(request)
    try:
        form = _read_form(await request.body())
    except (ValueError, UnicodeError):
        return _form(request, {}, {}, 400, "The form could not be read. Reload the page and "
                                           "fill it in again.")
    if not site.csrf.valid(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD)):
        return _form(request, {}, {}, 403, "This form has expired (or came from another web "
                                           "site). Fill it in again and press the button once.")
    unexpected = sorted(set(form) - {CSRF_FIELD, "clinic", "language", *FIELDS})
    if unexpected:
        return _form(request, {}, {}, 400, "The form had fields it does not know. Reload "
                                           "the page and fill it in again.")
    errors: dict[str, str] = {}
    clinics = {clinic["id"]: clinic for clinic in site.clinics()}
    clinic = clinics.get(form.get("clinic", ""))
    if clinic is None:
        errors["clinic"] = "Choose the clinic."
    language = form.get("language", "")
    if clinic is not None and language not in [item["code"] for item in clinic["languages"]]:
        errors["language"] = "Choose one of the languages this clinic offers."
    for name in FIELDS:
        try:
            check_fields([(name, form.get(name, ""))])
        except FieldError as exc:
            errors[exc.field] = exc.reason[:1].upper() + exc.reason[1:] + "."
    if errors:
        return _form(request, _redisplay(form, errors), errors, 422)
    assert clinic is not None
    fields = check_fields((name, form.get(name, "")) for name in FIELDS)
    try:
        name, pdf = await site.pool.run(render_handout, str(site.project.root), clinic["id"],
                                        language, fields)
    except (Busy, WorkerLost):
        return _form(request, _redisplay(form, {}), {}, 503,
                     "The app is busy making other handouts. Press the button again in a "
                     "minute.")
    except BrochureError as exc:
        # The messages name files and lines, never a field's value; only its class is logged.
        logger.warning("a handout for %s/%s could not be made (%s)", clinic["id"], language,
                       type(exc).__name__)
        return _form(request, _redisplay(form, {}), {}, 500,
                     "The handout could not be made: "
                     + "; ".join(problem.message for problem in exc.problems))
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="{name}"', "cache-control": "no-store"})


# The translator page ---------------------------------------------------------------

def _choice(request: Request, site: Site) -> tuple[str | None, str]:
    clinic = request.query_params.get("clinic") or None
    known = {path.stem for path in site.project.clinic_files()}
    if clinic not in known:
        clinic = None
    layout = request.query_params.get("layout", "booklet")
    return clinic, layout if layout in LAYOUT_NAMES else "booklet"


def _languages(site: Site) -> list[str]:
    return catalogs.languages(site.project)


async def translate_index(request: Request) -> Response:
    site = _site(request)
    rows = []
    try:
        stats = await asyncio.to_thread(catalogs.stats, site.project)
    except BrochureError:
        stats = []
    by_code = {row.language: row for row in stats}
    for code in _languages(site):
        own, english, writing = library.language_names(site.project, code)
        row = by_code.get(code)
        rows.append({"code": code, "name": own, "english": english, "dir": writing,
                     "percent": f"{row.percent:.0f}%" if row else "unreadable",
                     "fuzzy": row.fuzzy if row else 0,
                     "untranslated": row.untranslated if row else 0})
    return site.page("translate_index.html.j2", active="translate", languages=rows)


def _panel_context(site: Site, slot: Slot, language: str, clinic: str | None,
                   layout: str) -> dict[str, Any]:
    preview = slot.preview
    query = urlencode({key: value for key, value in
                       (("clinic", clinic or ""), ("layout", layout)) if value})
    shown = preview.fallbacks if preview else set()
    entries = preview.report.entries if preview else ()
    def where(entry: ReportEntry) -> str:
        try:
            path = entry.file.relative_to(site.project.root).as_posix()
        except ValueError:
            path = str(entry.file)
        return f"{path}:{entry.line}" if entry.line else path

    return {"slot": slot, "preview": preview, "language": language, "query": query,
            "kinds": KINDS, "entries": entries, "shown": shown, "where": where,
            "report": preview.report if preview else None}


async def translate_page(request: Request) -> Response:
    site = _site(request)
    language = request.path_params["language"]
    if language not in _languages(site) and language != "en":
        return site.page("message.html.j2", 404, title="Not found",
                         message="There is no catalog for that language.")
    clinic, layout = _choice(request, site)
    slot = site.previews.slot(language, clinic, layout)
    await site.previews.ready(slot, timeout=60)
    own, english, writing = library.language_names(site.project, language)
    return site.page("translate.html.j2", active="translate", name=own, english=english,
                     dir=writing, clinics=site.clinics(), clinic=clinic or "",
                     layout=layout, layouts=LAYOUT_NAMES,
                     **_panel_context(site, slot, language, clinic, layout))


async def translate_state(request: Request) -> Response:
    site = _site(request)
    language = request.path_params["language"]
    if language not in _languages(site) and language != "en":
        return JSONResponse({"error": "unknown language"}, 404)
    clinic, layout = _choice(request, site)
    slot = site.previews.slot(language, clinic, layout)
    site.previews.refresh(slot)
    return JSONResponse({"version": slot.version, "rendering": slot.rendering})


async def translate_panel(request: Request) -> Response:
    site = _site(request)
    language = request.path_params["language"]
    if language not in _languages(site) and language != "en":
        return Response("Not found", 404, media_type="text/plain")
    clinic, layout = _choice(request, site)
    slot = site.previews.slot(language, clinic, layout)
    html = library.environment().get_template("_translate_panel.html.j2").render(
        **_panel_context(site, slot, language, clinic, layout))
    return HTMLResponse(html)


async def translate_image(request: Request) -> Response:
    site = _site(request)
    language = request.path_params["language"]
    clinic, layout = _choice(request, site)
    slot = site.previews.slot(language, clinic, layout)
    wanted = request.path_params["name"]
    for page in slot.preview.pages if slot.preview else []:
        if page.name == wanted and page.png is not None:
            return Response(page.png, media_type="image/png")
    return Response("Not found", 404, media_type="text/plain")


def create_app(project: Project, out: Path, pool: RenderPool) -> Starlette:
    """The app's pages; wrap it in :class:`brochure.web.security.Guard` to serve it."""
    app = Starlette(routes=[
        Route("/", library_page),
        Route("/files/{path:path}", library_file),
        Route("/static/{name}", static_file),
        Route("/handout", handout_form, methods=["GET"]),
        Route("/handout", handout_submit, methods=["POST"]),
        Route("/translate", translate_index),
        Route("/translate/{language}", translate_page),
        Route("/translate/{language}/state", translate_state),
        Route("/translate/{language}/panel", translate_panel),
        Route("/translate/{language}/pages/{version:int}/{name}", translate_image),
    ], max_body_size=MAX_BODY)
    app.state.site = Site(project, out, pool)
    return app
