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
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from . import markup
from .clinic import Clinic
from .content import Block, Document, Text
from .errors import RenderError
from .fetcher import ForbiddenURL, SandboxedFetcher
from .i18n import Catalog, direction, language_name, locale_of
from .project import FULL_LAYOUTS, Project

logger = logging.getLogger(__name__)

_CSS_UNSAFE = re.compile(r'[^\w .,:;!?()\'/\-\u00a0-\uffff]|[\u2028\u2029]')


def css_string(text: str) -> Markup:
    """Quote ``text`` as a CSS string that cannot end the string or the <style>."""
    escaped = _CSS_UNSAFE.sub(lambda match: "\\%x " % ord(match.group(0)), str(text))
    return Markup(f'"{escaped}"')


def css_content(pattern: str, counters: dict[str, str]) -> Markup:
    """Build a CSS ``content`` value from a translated pattern such as "Page {page} of {pages}"."""
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

    def html(self, text: Text) -> Markup:
        return markup.render(self.catalog.pgettext(text.context, text.msgid), self.values)

    def plain(self, text: Text) -> str:
        return markup.plain(self.catalog.pgettext(text.context, text.msgid), self.plain_values)


def _block(block: Block, localiser: _Localiser, project: Project, document: Document
           ) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind}
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


def assistance_notice(catalog: Catalog, phone: str) -> str:
    """The language-help notice in the catalog's language (US Section 1557 taglines)."""
    # TRANSLATORS: Language-help notice, printed on the back cover in every
    # language the clinic offers. {language} is the name of your language in your
    # language; {phone} is the clinic's phone number. Keep both exactly.
    pattern = catalog.pgettext(
        "ui.assist",
        "If you speak {language}, free help in your language is available. Call {phone}.")
    return markup.plain(pattern, {"language": language_name(catalog.language), "phone": phone})


def _qr_svg(url: str, colour: str) -> Markup:
    qr = segno.make(url, error="m")
    # The <title> is the QR code's alternative text in the tagged PDF.
    return Markup(qr.svg_inline(dark=colour, light=None, border=0, omitsize=True,
                                title=url))


def template_context(project: Project, document: Document, clinic: Clinic,
                     catalog: Catalog, layout: str,
                     catalogs: Mapping[str, Catalog] | None = None) -> dict[str, Any]:
    """Everything a layout template needs, in the catalog's language, as safe HTML.

    ``catalogs`` holds the catalogs of the clinic's other languages, for the
    language-help notices printed in each of them.
    """
    catalogs = catalogs or {}
    language = catalog.language
    locale = locale_of(language)
    values: dict[str, Markup | str] = {
        "clinic_name": clinic.name,
        "phone": Markup('<a href="%s" class="phone">%s</a>') % (clinic.tel_url, clinic.phone),
        "website": Markup('<a href="%s">%s</a>') % (clinic.website, clinic.website_label),
    }
    plain_values = {"clinic_name": clinic.name, "phone": clinic.phone,
                    "website": clinic.website_label}
    localiser = _Localiser(catalog, values, plain_values)
    sections = [
        {"id": section.id,
         "heading": localiser.html(section.heading),
         "heading_plain": localiser.plain(section.heading),
         "blocks": [_block(block, localiser, project, document) for block in section.blocks]}
        for section in document.sections
        if section.shown_in(layout, full=layout in FULL_LAYOUTS)
    ]
    other_languages = [
        {"code": code, "name": language_name(code), "dir": direction(code),
         "assistance": assistance_notice(
             catalog if code == language else catalogs.get(code, Catalog(code)), clinic.phone)}
        for code in clinic.languages
    ]
    return {
        "lang": language,
        "dir": direction(language),
        "layout": layout,
        "language_name": language_name(language),
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
    environment.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    environment.filters["css_string"] = css_string
    environment.globals["css_content"] = css_content
    return environment


def render_html(project: Project, document: Document, clinic: Clinic, catalog: Catalog,
                layout: str, catalogs: Mapping[str, Catalog] | None = None) -> str:
    """Render ``templates/<layout>.html.j2`` for one clinic and language."""
    environment = _environment(project, catalog)
    try:
        template = environment.get_template(f"{layout}.html.j2")
    except jinja2.TemplateNotFound:
        raise RenderError(f"no template for layout {layout!r}",
                          project.templates_dir / f"{layout}.html.j2") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename, exc.lineno) from None
    context = template_context(project, document, clinic, catalog, layout, catalogs)
    return template.render(context)


def render_pdf(project: Project, html: str, clinic: Clinic) -> bytes:
    """Lay out ``html`` with WeasyPrint, reading only allowed folders, and return PDF bytes."""
    fetcher = SandboxedFetcher(
        [project.templates_dir, project.assets_dir, clinic.folder])
    try:
        document = HTML(string=html, base_url=project.templates_dir.resolve().as_uri() + "/",
                        url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
        # A fixed identifier derived from the input keeps builds byte-identical.
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    except ForbiddenURL as exc:
        raise RenderError(f"refused to read {exc.url}: {exc.reason}") from None
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from None
    assert isinstance(pdf, bytes)
    return pdf


__all__ = ["css_content", "css_string", "escape", "render_html", "render_pdf",
           "template_context"]
