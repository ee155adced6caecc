"""Turn a localised document into HTML with Jinja2, then into PDF with WeasyPrint."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import segno
from babel.dates import format_date
from markupsafe import Markup, escape
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError

from . import fit, fonts, markup
from .clinic import Clinic, darken_to
from .content import Block, Document, Text
from .errors import RenderError
from .fetcher import ForbiddenURL, SandboxedFetcher
from .handout import handout_fields
from .i18n import Catalog, direction, language_name, locale_of
from .project import BuildOptions, Project
from .strings import ASSISTANCE

logger = logging.getLogger(__name__)

_CSS_UNSAFE = re.compile(r'[^\w .,:;!?()\'/\-\u00a0-\uffff]|[\u2028\u2029]')


def css_string(text: str) -> Markup:
    """Quote ``text`` as a CSS string that cannot end the string or the <style>."""
    escaped = _CSS_UNSAFE.sub(lambda match: "\\%x " % ord(match.group(0)), str(text))
    return Markup(f'"{escaped}"')


_FAMILY_LIST = re.compile(r'^[A-Za-z0-9 ",-]+$')


def css_family(families: str) -> Markup:
    """A font-family list built by :mod:`brochure.fonts`, checked to hold only names."""
    if not _FAMILY_LIST.match(families):
        raise RenderError(f"unexpected characters in a font family list: {families!r}")
    return Markup(families)


def css_content(pattern: str, counters: dict[str, str]) -> Markup:
    """Build a CSS ``content`` value from a translated pattern such as "Page {page} of {pages}"."""
    if isinstance(pattern, Markup):
        pattern = pattern.striptags()
    parts = re.split(r"(\{\w+\})", pattern)
    values = []
    for part in parts:
        name = part[1:-1] if part.startswith("{") else None
        if name in counters:
            values.append(counters[name])
        elif part:
            values.append(str(css_string(part)))
    return Markup(" ".join(values) or '""')


@dataclass
class _Localiser:
    catalog: Catalog
    values: dict[str, Markup | str]
    plain_values: dict[str, str]

    rtl: bool = False
    keep_words: bool = False

    def html(self, text: Text) -> Markup:
        translated, fallback = self.catalog.lookup(text.context, text.msgid)
        if fallback:
            # English standing in for a missing translation reads left to right.
            return english(markup.render(translated, self.values))
        return markup.render(translated, self.values, self.rtl, self.keep_words)

    def plain(self, text: Text) -> str:
        return markup.plain(self.catalog.pgettext(text.context, text.msgid), self.plain_values)


def _block(block: Block, localiser: _Localiser, project: Project, document: Document
           ) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind, "condensed": block.condensed}
    if block.text is not None:
        data["text"] = localiser.html(block.text)
    data["items"] = [localiser.html(item) for item in block.items]
    if block.answer is not None:
        data["answer"] = localiser.html(block.answer)
    if block.kind == "figure":
        path = project.assets_dir / str(block.src)
        if not path.is_file():
            raise RenderError(f"figure file not found: assets/{block.src}",
                              document.path, block.line)
        data["src"] = path.resolve().as_uri()
        assert block.alt is not None and block.caption is not None
        data["alt"] = localiser.plain(block.alt)
        data["caption"] = localiser.html(block.caption)
    return data


def english(html: Markup) -> Markup:
    """Mark English text shown in another language's page, for direction and fonts."""
    return Markup('<span lang="en" dir="ltr">%s</span>') % html


def assistance_notice(catalog: Catalog, clinic: Clinic) -> Markup:
    """The language-help notice in the catalog's language (US Section 1557 taglines)."""
    pattern, fallback = catalog.lookup(*ASSISTANCE)
    phone = Markup('<a href="%s" class="phone" dir="ltr">%s</a>') % (
        clinic.tel_url, clinic.phone)
    values = {"language": language_name(catalog.language, catalog), "phone": phone}
    if fallback:
        return english(markup.render(pattern, values))
    return markup.render(pattern, values, direction(catalog.language) == "rtl",
                         keeps_words(catalog.language))


def _checked_stack(language: str, text: str, catalog: Catalog) -> list[str]:
    """The font stack for ``text`` in ``language``; every character must have a glyph."""
    stack = fonts.font_stack(language, text)
    missing = fonts.missing_characters(stack, text)
    if missing:
        shown = " ".join(f"{char!r} (U+{ord(char):04X})" for char in missing[:12])
        absent = [family for family in stack if not fonts.installed(family)]
        hint = (f"install the font(s) {', '.join(absent)} (Debian: fonts-noto-core, "
                "fonts-noto-extra or fonts-noto-cjk)" if absent else
                "use characters of the language's usual script, or install a Noto font "
                "that covers them (Debian: fonts-noto-extra)")
        raise RenderError(
            f"{language}: no font used for this language has a glyph for {shown}; "
            f"fonts tried: {', '.join(stack)}; fix: {hint}", catalog.path)
    return stack


def _qr_svg(url: str, colour: str) -> Markup:
    qr = segno.make(url, error="m")
    # The <title> is the QR code's alternative text in the tagged PDF.
    return Markup(qr.svg_inline(dark=colour, light=None, border=0, omitsize=True,
                                title=url))


#: Half-sheet page sizes of a booklet printed for folding (imposed 2-up).
HALF_SHEET = {"A4": "A5", "Letter": "5.5in 8.5in"}
#: Pages a layout may take at most; more is a fit error.
PAGE_LIMITS = {"handout": 2, "trifold": 2}
#: Contrast the large-print layout needs between its colours and white.
LARGE_PRINT_CONTRAST = 7.0


def page_size(layout: str, clinic: Clinic, print_ready: bool) -> str:
    """The CSS page size of ``layout`` for the clinic's paper."""
    if layout == "trifold":
        return f"{clinic.paper} landscape"
    if layout == "booklet" and print_ready:
        return HALF_SHEET[clinic.paper]
    return clinic.paper


def template_context(project: Project, document: Document, clinic: Clinic,
                     catalog: Catalog, layout: str,
                     catalogs: Mapping[str, Catalog] | None = None,
                     options: BuildOptions | None = None) -> dict[str, Any]:
    """Everything a layout template needs, in the catalog's language, as safe HTML.

    ``catalogs`` holds the catalogs of the clinic's other languages, for the
    language-help notices printed in each of them.
    """
    catalogs = catalogs or {}
    options = options or BuildOptions()
    language = catalog.language
    locale = locale_of(language)
    values: dict[str, Markup | str] = {
        "clinic_name": clinic.name,
        "phone": Markup('<a href="%s" class="phone" dir="ltr">%s</a>') % (
            clinic.tel_url, clinic.phone),
        "website": Markup('<a href="%s" dir="ltr">%s</a>') % (
            clinic.website, clinic.website_label),
    }
    plain_values = {"clinic_name": clinic.name, "phone": clinic.phone,
                    "website": clinic.website_label}
    localiser = _Localiser(catalog, values, plain_values, direction(language) == "rtl",
                           keeps_words(language))
    sections: list[dict[str, Any]] = [
        {"id": section.id,
         "heading": localiser.html(section.heading),
         "heading_plain": localiser.plain(section.heading),
         "blocks": [_block(block, localiser, project, document) for block in section.blocks]}
        for section in document.sections
        if section.shown_in(layout)
    ]
    other_languages: list[dict[str, Any]] = [
        {"code": code, "name": language_name(code, catalogs.get(code, catalog)),
         "dir": direction(code),
         "assistance": assistance_notice(
             catalog if code == language else catalogs.get(code, Catalog(code)), clinic)}
        for code in clinic.languages
    ]
    colours = {"primary": clinic.primary, "accent": clinic.accent}
    if layout == "large-print":
        colours = {name: darken_to(value, LARGE_PRINT_CONTRAST)
                   for name, value in colours.items()}
    # Every text the page may show in its own language, to choose and check fonts.
    page_text = " ".join([
        *(text.msgid for text in document.texts()), *catalog.messages.values(),
        clinic.name, clinic.phone, *clinic.address, language_name(language, catalog)])
    font_stacks = {language: _checked_stack(language, page_text, catalog)}
    for other in other_languages:
        if other["code"] != language:
            font_stacks[other["code"]] = _checked_stack(
                other["code"], other["name"] + " " + other["assistance"].striptags(),
                catalogs.get(other["code"], catalog))
    return {
        "lang": language,
        "dir": direction(language),
        "layout": layout,
        "language_name": language_name(language, catalog),
        "title": localiser.html(document.title),
        "title_plain": localiser.plain(document.title),
        "subtitle": localiser.html(document.subtitle),
        "subtitle_plain": localiser.plain(document.subtitle),
        "disclaimer": localiser.html(document.disclaimer),
        "review_date": format_date(document.review_date, format="long", locale=locale),
        "review_date_iso": document.review_date.isoformat(),
        "sources": document.sources,
        "cover_alt": next((block["caption"].striptags() for section in sections
                           for block in section["blocks"] if block["kind"] == "figure"), ""),
        "sections": sections,
        "languages": other_languages,
        "clinic": clinic,
        "logo_url": clinic.logo.as_uri(),
        "qr_svg": _qr_svg(clinic.booking_url, clinic.primary),
        "paper": clinic.paper,
        "page_size": page_size(layout, clinic, options.print_ready),
        "print_ready": options.print_ready,
        "html_class": " ".join(
            name for name, wanted in (
                ("print-ready", options.print_ready),
                ("half-sheet", page_size(layout, clinic, options.print_ready)
                 in HALF_SHEET.values())) if wanted),
        "colours": colours,
        "handout_fields": handout_fields(catalog, dict(options.fields)),
        "title_line": document.title.line,
        "disclaimer_line": document.disclaimer.line,
        "panel_lines": {
            name: section.line
            for name, section_id in (("flap", "overview"), ("inside-1", "candidacy"),
                                     ("inside-2", "recovery"), ("inside-3", "faqs"))
            for section in document.sections if section.id == section_id},
        "font_family": fonts.css_family(font_stacks[language]),
        "font_families": {code: fonts.css_family(stack) for code, stack in font_stacks.items()},
    }


#: Languages whose lines break between words only (CSS ``word-break: keep-all``).
KEEP_WORDS_LANGUAGES = ("ko",)


def keeps_words(language: str) -> bool:
    return language.split("-")[0] in KEEP_WORDS_LANGUAGES


def _gettext_callables(catalog: Catalog) -> dict[str, Any]:
    """Template gettext functions that treat translations as text, never as HTML.

    Jinja2 marks a translated template string as safe HTML; these escape it
    first, so a translation like ``<img src=...>`` prints as it is written.
    """
    rtl = direction(catalog.language) == "rtl"
    keep = keeps_words(catalog.language)

    def text(context: str | None, message: str) -> Markup:
        translated, fallback = catalog.lookup(context, message)
        if fallback:
            return english(escape(translated))
        return Markup(markup.typeset(str(escape(translated)), rtl, keep))

    def plural(context: str | None, singular: str, plural_form: str, n: int) -> Markup:
        return text(context, singular if n == 1 else plural_form)

    return {
        "gettext": lambda message: text(None, message),
        "ngettext": lambda singular, plural_form, n: plural(None, singular, plural_form, n),
        "pgettext": text,
        "npgettext": plural,
    }


def _environment(project: Project, catalog: Catalog) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        **_gettext_callables(catalog), newstyle=True)
    environment.filters["css_string"] = css_string
    environment.filters["css_family"] = css_family
    environment.filters["ltr"] = markup.isolate_ltr
    environment.globals["css_content"] = css_content
    return environment


def render_html(project: Project, document: Document, clinic: Clinic, catalog: Catalog,
                layout: str, catalogs: Mapping[str, Catalog] | None = None,
                options: BuildOptions | None = None, notes_pages: int = 0) -> str:
    """Render ``templates/<layout>.html.j2`` for one clinic and language."""
    environment = _environment(project, catalog)
    try:
        template = environment.get_template(f"{layout}.html.j2")
    except jinja2.TemplateNotFound:
        raise RenderError(f"no template for layout {layout!r}",
                          project.templates_dir / f"{layout}.html.j2") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename, exc.lineno) from None
    context = template_context(project, document, clinic, catalog, layout, catalogs,
                               options)
    context["notes_pages"] = notes_pages
    try:
        return template.render(context)
    except jinja2.TemplateError as exc:
        # Templates are the project's files, editable by a clinic: name the place.
        place = _template_frame(exc.__traceback__)
        raise RenderError(f"template error: {exc}", *place) from None


def _template_frame(trace: Any) -> tuple[str | None, int | None]:
    """The innermost template file and line of a Jinja2 traceback."""
    found: tuple[str | None, int | None] = (None, None)
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


#: Layouts whose fixed boxes are measured in a second layout pass (see fit.py).
MEASURED_LAYOUTS = ("trifold",)


def _check_fit(document: Any, layout: str, source: Path | None,
               html: HTML, fetcher: SandboxedFetcher) -> None:
    problems = []
    overflows = fit.overflows(document)
    if layout in MEASURED_LAYOUTS:
        def render_again(page: HTML, css: str) -> Any:
            return page.render(stylesheets=[CSS(string=css, url_fetcher=fetcher)])
        measured = fit.measured_overflows(document, html, render_again)
        seen = {overflow.name for overflow in measured}
        overflows = measured + [item for item in overflows if item.name not in seen]
    line = None
    for overflow in overflows:
        line = line or overflow.line
        if overflow.lines:
            problems.append(f"panel \"{overflow.name}\" overflows by {overflow.lines} "
                            f"line{'s' if overflow.lines > 1 else ''}")
        else:
            problems.append(f"\"{overflow.name}\" does not fit on one page")
    limit = PAGE_LIMITS.get(layout)
    if limit and len(document.pages) > limit:
        problems.append(f"takes {len(document.pages)} pages; {layout} allows {limit}")
    if problems:
        hint = ("shorten the texts it shows in this language, or mark fewer blocks "
                "'condensed: true'" if layout == "trifold" else
                "shorten the texts it shows in this language")
        raise RenderError("; ".join(problems) + f" ({hint})", source, line)


def render_pdf(project: Project, html: str, clinic: Clinic, layout: str = "booklet",
               source: Path | None = None) -> bytes:
    """Lay out ``html`` with WeasyPrint, reading only allowed folders, and return PDF bytes.

    Text that overflows a fixed box, or a layout longer than its page limit,
    raises :class:`RenderError` before any PDF is made.
    """
    fetcher = SandboxedFetcher(
        [project.templates_dir, project.assets_dir, clinic.folder])
    try:
        page = HTML(string=html, base_url=project.templates_dir.resolve().as_uri() + "/",
                    url_fetcher=fetcher)
        document = page.render(pdf_variant="pdf/ua-1")
        _check_fit(document, layout, source, page, fetcher)
        # A fixed identifier derived from the input keeps builds byte-identical.
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    except ForbiddenURL as exc:
        raise RenderError(f"refused to read {exc.url}: {exc.reason}") from None
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from None
    assert isinstance(pdf, bytes)
    return pdf

