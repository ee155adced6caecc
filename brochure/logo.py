"""Check a clinic's logo before any brochure uses it.

WeasyPrint draws what it can of a picture and only logs the rest (see
:mod:`brochure.weasylog`), so a broken logo used to give brochures without a
logo and no word. :func:`logo_problems` finds what is wrong, naming the logo
file and, where known, its line, in two steps:

1. an SVG is read with expat, refusing what a logo never needs and what could
   read other files: a DOCTYPE with entities (XXE, "billion laughs"), and
   references (``href``, ``@import``, ``url(...)``) to the network, to files
   outside the clinic's folder, or ``<use>`` of another file (WeasyPrint draws
   only ``<use href="#id">`` and would silently leave the rest out);
2. the logo is drawn once, alone, through the same sandboxed fetcher as the
   brochures (allowed: the clinic's folder only), and any warning or error
   WeasyPrint logs about it is a problem. Loading a profile does step 1 only
   (it must stay quick: a build that has nothing to do loads every profile);
   a build draws the logo of every clinic it renders for before it renders
   anything, and ``brochure check`` draws them all.

``data:`` pictures inside an SVG (what design tools export) are fine.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from .errors import ClinicError, Problem
from .paths import DATA_IMAGE_TYPES, short_url
from .weasylog import weasyprint_errors

#: A logo larger than this is surely not a logo (and slows every brochure).
MAX_LOGO_BYTES = 5 * 1024 * 1024

_SVG = "http://www.w3.org/2000/svg"
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]*)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)


class _Stop(Exception):
    """Stops expat at once: an entity is never worth expanding."""


class _SvgReader:
    """Collects what is unsafe or unusable in an SVG logo, with lines."""

    def __init__(self, logo: Path, folder: Path) -> None:
        self.logo = logo
        self.folder = folder
        self.problems: list[Problem] = []
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.entity
        self.parser.ExternalEntityRefHandler = self.external_entity
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.data
        self.parser.ProcessingInstructionHandler = self.instruction
        self.root: str | None = None
        self.style: list[str] | None = None

    def problem(self, message: str) -> None:
        self.problems.append(Problem(message, self.logo, self.parser.CurrentLineNumber))

    def doctype(self, name: str, system_id: str | None, public_id: str | None,
                has_internal_subset: bool) -> None:
        if system_id:
            self.problem(f"the logo refers to an external DTD ({system_id}); "
                         "remove its <!DOCTYPE>")

    def entity(self, name: str, *args: object) -> None:
        self.problem(f"the logo declares the XML entity {name!r}; entities can read other "
                     "files or hang the reader (remove the <!DOCTYPE> and its <!ENTITY>)")
        raise _Stop

    def external_entity(self, *args: object) -> int:
        self.problem("the logo uses an external XML entity; remove it")
        return 1

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.problem("the logo links a stylesheet (<?xml-stylesheet?>); put the styles "
                         "in the SVG itself")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, tag = name.rpartition(" ")
        if self.root is None:
            self.root = tag
            if (namespace, tag) != (_SVG, "svg"):
                self.problem(f"the logo's first element is <{tag}>, not an SVG <svg> "
                             f"in the {_SVG} namespace")
        for attribute, value in attributes.items():
            local = attribute.rpartition(" ")[2]
            if local == "href":
                self.reference(value, tag)
            elif local == "style" or value.lstrip().lower().startswith("url("):
                self.css(value)
        if tag == "style":
            self.style = []

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "style" and self.style is not None:
            self.css("".join(self.style))
            self.style = None

    def data(self, text: str) -> None:
        if self.style is not None:
            self.style.append(text)

    def css(self, text: str) -> None:
        for match in _CSS_IMPORT.finditer(text):
            self.problem(f"the logo imports a stylesheet ({short_url(match.group(2))}); put "
                         "the styles in the SVG itself")
        for match in _CSS_URL.finditer(_CSS_IMPORT.sub("", text)):
            if match.group(2):
                self.reference(match.group(2), "style")

    def reference(self, url: str, tag: str) -> None:
        url = url.strip()
        if not url or url.startswith("#") or tag == "a":
            return  # the same file, or a link (never fetched)
        if tag == "use":
            self.problem(f"<use> refers to {short_url(url)}; only #ids of the same file are "
                         "drawn, so put the shape in the logo itself")
            return
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            media_type = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
            if media_type not in DATA_IMAGE_TYPES:
                self.problem(f"the logo embeds {media_type or 'text/plain'} data; only "
                             f"pictures ({', '.join(DATA_IMAGE_TYPES)}) may be embedded")
            return
        if scheme not in ("", "file"):
            self.problem(f"the logo refers to {short_url(url)}; a logo must hold everything "
                         "it shows (no web addresses)")
            return
        if scheme == "file":
            target = Path(unquote(parts.path))
        else:
            target = self.logo.parent / unquote(parts.path)
        if not target.resolve().is_relative_to(self.folder):
            self.problem(f"the logo refers to {url}, outside the clinic's folder "
                         f"{self.folder.name}/")

    def read(self, data: bytes) -> list[Problem]:
        try:
            self.parser.Parse(data, True)
        except _Stop:
            pass
        except expat.ExpatError as exc:
            message = expat.ErrorString(exc.code) if exc.code else str(exc)
            self.problems.append(Problem(f"the logo is not a well-formed SVG file ({message} "
                                         f"at column {exc.offset + 1})", self.logo, exc.lineno))
        return self.problems


def _draw_alone(logo: Path, folder: Path) -> list[Problem]:
    """Draw the logo once, as the brochures do, and report what WeasyPrint says."""
    # Only when drawing: importing WeasyPrint takes a while.
    from weasyprint import HTML

    from .fetcher import ForbiddenURL, SandboxedFetcher

    fetcher = SandboxedFetcher([folder])
    html = ('<html lang="en"><body style="margin: 0"><img src="%s" alt="logo" '
            'style="height: 24mm"></body></html>' % logo.as_uri())
    try:
        with weasyprint_errors(ClinicError, logo, what="the logo cannot be drawn",
                               strict=True):
            HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    except ClinicError as exc:
        return list(exc.problems)
    except ForbiddenURL as exc:
        return [Problem(f"the logo cannot be drawn: {exc}", logo)]
    return []


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@functools.lru_cache(maxsize=256)
def _cached_problems(logo: Path, folder: Path, size: int, mtime_ns: int, draw: bool
                     ) -> tuple[Problem, ...]:
    if size > MAX_LOGO_BYTES:
        return (Problem(f"the logo file is {size / 2**20:.1f} MB; a logo must be smaller "
                        f"than {MAX_LOGO_BYTES // 2**20} MB", logo),)
    data = logo.read_bytes()
    if logo.suffix.lower() == ".svg":
        found = _SvgReader(logo, folder).read(data)
        if found:
            return tuple(found)
    elif not data.startswith(_PNG_SIGNATURE):
        return (Problem("the logo is not a PNG file (it does not start as one); save it "
                        "as PNG or SVG", logo),)
    return tuple(_draw_alone(logo, folder)) if draw else ()


def logo_problems(logo: Path, folder: Path, draw: bool = True) -> list[Problem]:
    """Everything wrong with the logo file ``logo`` of a clinic whose folder is ``folder``.

    Without ``draw``, only what can be seen without drawing it (step 1).
    Both paths must exist; the result is cached while the file is unchanged.
    """
    logo, folder = logo.resolve(), folder.resolve()
    stat = logo.stat()
    return list(_cached_problems(logo, folder, stat.st_size, stat.st_mtime_ns, draw))


def check_logo(logo: Path, folder: Path) -> None:
    """Raise :class:`ClinicError` with every problem of the logo (drawing it), if any."""
    problems = logo_problems(logo, folder)
    if problems:
        raise ClinicError.from_problems(problems)
