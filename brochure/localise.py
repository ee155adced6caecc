"""Turn a document into one page of HTML in one language, with Jinja2.

Everything a layout template needs is built here, as safe HTML in the page's
language: texts go through the markup renderer (escaped, then the small
inline markup), template strings through gettext callables that escape
them too. Every text looked up is recorded in the render's own
:class:`~brochure.i18n.Lookups`, so a render knows exactly which texts it
printed in English. This module does not import WeasyPrint: the planner
uses it to choose fonts without laying anything out.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import segno
from babel.dates import format_date
from markupsafe import Markup, escape

from . import fonts, markup
from .clinic import Clinic, darken_to, tel_url
from .content import Block, Document, Section, Text
from .errors import RenderError
from .handout import handout_fields
from .i18n import Catalog, Lookups, catalog_key, direction, language_name, locale_of
from .layouts import HALF_SHEET, Layout
from .notes import Note, Notes
from .options import RenderOptions
from .project import DOMAIN
from .strings import ASSISTANCE

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


#: Languages whose lines break between words only (CSS ``word-break: keep-all``).
KEEP_WORDS_LANGUAGES = ("ko",)


def keeps_words(language: str) -> bool:
    return language.split("-")[0] in KEEP_WORDS_LANGUAGES


def english(html: Markup) -> Markup:
    """Mark English text shown in another language's page, for direction and fonts."""
    return Markup('<span lang="en" dir="ltr">%s</span>') % html


def _phone_link(number: str) -> Markup:
    """A phone number as a ``tel:`` link that bidi reordering cannot scramble."""
    return Markup('<a href="%s" class="phone" dir="ltr">%s</a>') % (tel_url(number), number)


@dataclass(frozen=True)
class Page:
    """Everything one render reads: the document, the clinic, the language and layout."""

    document: Document
    clinic: Clinic
    language: str
    layout: Layout
    options: RenderOptions
    #: The catalogs of the page's language and of every other language it
    #: prints (the clinic's languages, for the language-help notices).
    catalogs: Mapping[str, Catalog]
    templates_dir: Path
    assets_dir: Path
    #: The clinic's own notes, printed at their places (none by default).
    notes: Notes = field(default_factory=Notes)
    #: Whose catalogs translate the document: the shared ones, or (for a clinic's
    #: own document) the clinic's (its id).
    domain: str = DOMAIN

    @property
    def allowed_folders(self) -> list[Path]:
        """The only folders WeasyPrint may read for this page."""
        return [self.templates_dir, self.assets_dir, self.clinic.folder]

    @property
    def rtl(self) -> bool:
        return direction(self.language) == "rtl"


class _Localiser:
    """Texts of one page in its language, as safe HTML, recorded in ``lookups``."""

    def __init__(self, page: Page, lookups: Lookups, domain: str = DOMAIN) -> None:
        self.page = page
        self.lookups = lookups
        #: Whose catalogs translate :meth:`html` and :meth:`plain` texts.
        self.domain = domain
        clinic = page.clinic
        self.values: dict[str, Markup | str] = {
            # A name is never hyphenated, and stays whole inside right-to-left text.
            "clinic_name": Markup('<span class="name">%s</span>') % Markup(
                markup.typeset(str(escape(clinic.name)), page.rtl)),
            "phone": _phone_link(clinic.phone),
            "website": Markup('<a href="%s" dir="ltr">%s</a>') % (
                clinic.website, markup.breakable_url(clinic.website_label)),
            "emergency_number": _phone_link(clinic.emergency_number),
            "after_hours_phone": _phone_link(clinic.out_of_hours_phone),
        }
        self.plain_values = {"clinic_name": clinic.name, "phone": clinic.phone,
                             "website": clinic.website_label,
                             "emergency_number": clinic.emergency_number,
                             "after_hours_phone": clinic.out_of_hours_phone}
        self.keep_words = keeps_words(page.language)

    def html(self, text: Text) -> Markup:
        translated, fallback = self.lookups.lookup(self.page.language, text.context,
                                                   text.msgid, self.domain)
        if fallback:
            # English standing in for a missing translation reads left to right.
            return english(markup.render(translated, self.values))
        return markup.render(translated, self.values, self.page.rtl, self.keep_words)

    def plain(self, text: Text) -> str:
        translated, _ = self.lookups.lookup(self.page.language, text.context, text.msgid,
                                            self.domain)
        return markup.plain(translated, self.plain_values)

    def template_text(self, context: str | None, message: str) -> Markup:
        """A template's own string, escaped: Jinja2 would treat it as safe HTML."""
        translated, fallback = self.lookups.lookup(self.page.language, context, message)
        if fallback:
            return english(escape(_literal_percent(message, message)))
        text = _literal_percent(translated, message)
        return Markup(markup.typeset(str(escape(text)), self.page.rtl, self.keep_words))

    def label(self, context: str, message: str) -> Markup:
        return self.template_text(context, message)


_FORMAT_NAME = re.compile(r"%\((\w+)\)s")


def _literal_percent(text: str, msgid: str) -> str:
    """Double every ``%`` of ``text`` except the ``%(name)s`` the English msgid uses.

    Jinja2 %-formats every template translation; a translator's own "%"
    ("50 %", "%d") must print as written, never crash the render.
    """
    wanted = set(_FORMAT_NAME.findall(msgid))
    parts = re.split(r"(%\(\w+\)s)", text)
    return "".join(
        part if (match := _FORMAT_NAME.fullmatch(part)) and match.group(1) in wanted
        else part.replace("%", "%%")
        for part in parts)


@dataclass
class OtherLanguage:
    """A language the clinic offers, as the page lists it; its notice is made on use."""

    code: str
    name: str
    dir: str
    _notice: Callable[[], Markup] = field(repr=False)

    @functools.cached_property
    def assistance(self) -> Markup:
        return self._notice()


def assistance_notice(lookups: Lookups, language: str, clinic: Clinic) -> Markup:
    """The language-help notice in ``language`` (US Section 1557 taglines)."""
    pattern, fallback = lookups.lookup(language, *ASSISTANCE)
    values = {"language": lookups.language_name(language), "phone": _phone_link(clinic.phone)}
    if fallback:
        return english(markup.render(pattern, values))
    return markup.render(pattern, values, direction(language) == "rtl", keeps_words(language))


class _Lazy:
    """A list made when a template first reads it: texts a layout never prints are
    never looked up, so they cannot count as its English fallbacks."""

    def __init__(self, make: Callable[[], list[Any]]) -> None:
        self._make = make

    @functools.cached_property
    def _items(self) -> list[Any]:
        return self._make()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class _LazyHtml:
    """Safe HTML made when a template first prints it (see :class:`_Lazy`)."""

    def __init__(self, make: Callable[[], Markup]) -> None:
        self._make = make

    @functools.cached_property
    def _html(self) -> Markup:
        return self._make()

    def __html__(self) -> Markup:
        return self._html

    def __str__(self) -> str:
        return str(self._html)


class _Section:
    """A section as a template sees it; its texts are looked up when first printed."""

    def __init__(self, section: Section, localiser: _Localiser, page: Page,
                 note_localiser: _Localiser,
                 figure_moves: Mapping[str, int] | None = None) -> None:
        self.id = section.id
        self._section = section
        self._localiser = localiser
        self._page = page
        self._note_localiser = note_localiser
        self._figure_moves = figure_moves or {}

    @functools.cached_property
    def heading(self) -> Markup:
        return markup.keep_end_together(self._localiser.html(self._section.heading))

    @functools.cached_property
    def blocks(self) -> list[dict[str, Any]]:
        shown = [block for block in self._section.blocks if _shows(block, self._page.layout)]
        # A figure may come a few blocks later than written (balance.py), so
        # that the text before it fills the page it would leave half empty.
        for block in [block for block in shown if block.src is not None]:
            moves = self._figure_moves.get(
                (self._page.assets_dir / str(block.src)).resolve().as_uri(), 0)
            if moves:
                index = shown.index(block)
                shown.insert(min(index + moves, len(shown) - 1), shown.pop(index))
        return [_block(block, self._localiser, self._page) for block in shown]

    @functools.cached_property
    def notes(self) -> list[dict[str, Any]]:
        """The clinic's notes that close this section (in its own catalogs)."""
        return _notes(self._page.notes.at_section(self.id, self._page.layout.name),
                      self._note_localiser, self._page)


def _notes(notes: list[Note], localiser: _Localiser, page: Page) -> list[dict[str, Any]]:
    """Clinic notes as a template sees them: an id, a heading (or None) and blocks."""
    found = []
    for note in notes:
        blocks = [_block(block, localiser, page) for block in note.blocks
                  if _shows(block, page.layout)]
        if blocks:
            found.append({"id": note.id, "blocks": blocks,
                          "heading": localiser.html(note.heading) if note.heading else None})
    return found


def page_texts(page: Page) -> dict[str, str]:
    """Every text the page may show, per language, to choose and check its fonts.

    The page's own language takes the whole catalog (any text may be shown);
    the other languages only their name and language-help notice. Nothing is
    recorded: this is not what the page printed.
    """
    document, clinic, language = page.document, page.clinic, page.language
    catalog = page.catalogs.get(language) or Catalog(language)
    own = page.catalogs.get(catalog_key(language, clinic.id)) or Catalog(language)
    texts = {language: " ".join([
        *(text.msgid for text in document.texts()), *catalog.messages.values(),
        *(text.msgid for text in page.notes.texts()), *own.messages.values(),
        clinic.name, clinic.phone, *clinic.address, language_name(language, catalog)])}
    for code in clinic.languages:
        if code != language:
            other = page.catalogs.get(code) or Catalog(code)
            texts[code] = language_name(code, other) + " " + other.lookup(*ASSISTANCE)[0]
    return texts


def font_stacks(page: Page) -> dict[str, list[str]]:
    """The font families of each language the page prints (cheap: no glyph check)."""
    return {code: fonts.font_stack(code, text) for code, text in page_texts(page).items()}


def _checked_stacks(page: Page) -> dict[str, list[str]]:
    """Font stacks, after checking that every character has a glyph in one of them."""
    stacks = {}
    for code, text in page_texts(page).items():
        stack = fonts.font_stack(code, text)
        missing = fonts.missing_characters(stack, text)
        if missing:
            catalog = page.catalogs.get(code)
            shown = " ".join(f"{char!r} (U+{ord(char):04X})" for char in missing[:12])
            hint = fonts.missing_glyph_hint(missing, stack)
            raise RenderError(
                f"{code}: no font used for this language has a glyph for {shown}; "
                f"fonts tried: {', '.join(stack)}; fix: {hint}",
                catalog.path if catalog else None)
        stacks[code] = stack
    return stacks


#: Side of one QR code module, in mm: phone cameras read 1.2 mm or more from
#: arm's length, even in a dim waiting room.
QR_MODULE_MM = 1.25
#: Clear space round the code, in modules (ISO/IEC 18004 asks for 4).
QR_QUIET_ZONE = 4


def _qr_svg(url: str, colour: str, title: str) -> Markup:
    """The booking code as inline SVG, sized in mm, its quiet zone inside its box."""
    qr = segno.make(url, error="m")
    # The <title> is the QR code's alternative text in the tagged PDF.
    return Markup(qr.svg_inline(dark=colour, light=None, border=QR_QUIET_ZONE,
                                scale=QR_MODULE_MM, unit="mm", title=title))


def _block(block: Block, localiser: _Localiser, page: Page) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind, "condensed": block.condensed}
    if block.text is not None:
        data["text"] = localiser.html(block.text)
        if block.kind in ("question", "subheading"):
            # A heading's last line is never one word alone.
            data["text"] = markup.keep_end_together(data["text"])
    data["items"] = [localiser.html(item) for item in block.items]
    if block.answer is not None:
        data["answer"] = localiser.html(block.answer)
    if block.kind == "figure":
        path = page.assets_dir / str(block.src)
        if not path.is_file():
            raise RenderError(f"figure file not found: assets/{block.src}",
                              page.document.path, block.line)
        data["src"] = path.resolve().as_uri()
        assert block.alt is not None and block.caption is not None
        data["alt"] = localiser.plain(block.alt)
        data["caption"] = localiser.html(block.caption)
    return data


def cover_caption(document: Document, localiser: _Localiser) -> Markup:
    """The caption of the cover art: that of the figure the document names for it
    (its ``cover: figure:``), else the title."""
    figure = document.figure(document.cover_figure) if document.cover_figure else None
    if figure is None or figure.caption is None:
        return localiser.html(document.title)
    return localiser.html(figure.caption)


def _cover_art(page: Page) -> str | None:
    """The URL of the document's cover picture, or None when it has none."""
    art = page.document.cover_art
    if art is None:
        return None
    path = page.assets_dir / art
    if not path.is_file():
        raise RenderError(f"cover art not found: assets/{art}", page.document.path,
                          None)
    return path.resolve().as_uri()


def _shows(block: Block, layout: Layout) -> bool:
    return layout.blocks == "all" or block.condensed


def template_context(page: Page, lookups: Lookups,
                     figure_moves: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Everything a layout template needs, in the page's language, as safe HTML.

    ``figure_moves``: figures (by the URL of their picture) set that many
    blocks later than written (brochure/balance.py).
    """
    document, clinic, language, layout = page.document, page.clinic, page.language, page.layout
    options = page.options
    localiser = _Localiser(page, lookups, page.domain)
    # The clinic's own notes are translated in the clinic's own catalogs.
    note_localiser = _Localiser(page, lookups, clinic.id)
    sections = [_Section(section, localiser, page, note_localiser, figure_moves)
                for section in document.sections if section.shown_in(layout.name)]
    other_languages = [
        OtherLanguage(code, lookups.language_name(code), direction(code),
                      functools.partial(assistance_notice, lookups, code, clinic))
        for code in clinic.languages]
    colours = {"primary": clinic.primary, "accent": clinic.accent}
    if layout.min_contrast > 4.5:
        colours = {name: darken_to(value, layout.min_contrast)
                   for name, value in colours.items()}
    stacks = _checked_stacks(page)
    page_size = layout.page_size(clinic.paper, options.print_ready)
    return {
        "lang": language,
        "dir": direction(language),
        "layout": layout.name,
        "layout_title": localiser.template_text(*layout.title),
        # The clinic's notes for the back cover (notes that close a section come
        # with the section: ``section.notes``).
        "back_notes": _Lazy(lambda: _notes(page.notes.at_place("back-cover", layout.name),
                                           note_localiser, page)),
        "language_name": lookups.language_name(language),
        "title": markup.keep_end_together(localiser.html(document.title)),
        "title_plain": localiser.plain(document.title),
        "subtitle": markup.keep_end_together(localiser.html(document.subtitle)),
        "subtitle_plain": localiser.plain(document.subtitle),
        "disclaimer": localiser.html(document.disclaimer),
        "review_date": format_date(document.review_date, format="long",
                                   locale=locale_of(language))
        if document.review_date else None,
        # No date in the PDF's metadata when the document has none (not today's:
        # the same inputs give the same PDF).
        "review_date_iso": document.review_date.isoformat() if document.review_date
        else None,
        "sources": document.sources,
        # Trademark or credit lines the document names (its ``credits:``).
        "credits": _Lazy(lambda: [localiser.html(text) for text in document.credits]),
        "cover_art": _cover_art(page),
        # The cover art's alternative text and caption: those of the figure it is
        # drawn from (see cover_caption), else the title.
        "cover_alt": _LazyHtml(lambda: Markup(escape(
            cover_caption(document, localiser).striptags()))),
        "cover_caption": _LazyHtml(lambda: cover_caption(document, localiser)),
        "sections": sections,
        "languages": other_languages,
        "clinic": clinic,
        "logo_url": clinic.logo.as_uri(),
        # Called by the templates with the translated alternative text.
        "qr_svg": functools.partial(_qr_svg, clinic.booking_url, clinic.primary),
        "paper": clinic.paper,
        "page_size": page_size,
        "print_ready": options.print_ready,
        "html_class": " ".join(
            name for name, wanted in (
                ("print-ready", options.print_ready),
                ("half-sheet", page_size in HALF_SHEET.values())) if wanted),
        "colours": colours,
        "handout_fields": _Lazy(lambda: handout_fields(localiser.label, language,
                                                       dict(options.fields))),
        "title_line": document.title.line,
        "disclaimer_line": document.disclaimer.line,
        # The section the handout shows, as the document names it (``handout:``).
        "handout_section": next((section for section in sections
                                 if section.id == document.handout), None),
        "panels": {name: list(ids) for name, ids in document.panels
                   if name in layout.panels},
        "panel_lines": {
            name: section.line
            for name, ids in document.panels if ids
            for section in document.sections if section.id == ids[0]},
        "font_family": fonts.css_family(stacks[language]),
        "font_families": {code: fonts.css_family(stack) for code, stack in stacks.items()},
    }


#: The localiser of the render in progress (in this thread): the template
#: gettext functions of the shared environment ask it. A context variable, not
#: Jinja2's context, because macros imported without context must see it too.
_current: contextvars.ContextVar[_Localiser] = contextvars.ContextVar("localiser")


def _gettext(message: str) -> Markup:
    return _current.get().template_text(None, message)


def _pgettext(msgctxt: str, message: str) -> Markup:
    return _current.get().template_text(msgctxt, message)


def _ngettext(singular: str, plural: str, n: int) -> Markup:
    return _gettext(singular if n == 1 else plural)


def _npgettext(msgctxt: str, singular: str, plural: str, n: int) -> Markup:
    return _pgettext(msgctxt, singular if n == 1 else plural)


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path) -> jinja2.Environment:
    """One Jinja2 environment per templates folder and process: templates compile once.

    Its gettext functions ask the render's own localiser (``_localiser`` in
    the render's context), so one environment serves every language and
    render; Jinja2 reloads a template whose file changed.
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    # Template translations are escaped as text (see _Localiser.template_text).
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext,
        newstyle=True)
    environment.filters["css_string"] = css_string
    environment.filters["css_family"] = css_family
    environment.filters["ltr"] = markup.isolate_ltr
    environment.filters["url"] = markup.breakable_url
    # A heading or a name whose last line is never one word (text is escaped first).
    environment.filters["keep_end"] = lambda text: markup.keep_end_together(escape(text))
    # The clinic's name: its own direction, its last line never one word.
    environment.filters["name"] = markup.isolated_name
    environment.globals["css_content"] = css_content
    return environment


_references: dict[tuple[str, int], set[str]] = {}


def _template_files(environment: jinja2.Environment, name: str) -> set[Path]:
    """The template file ``name`` and every template it includes or imports, transitively."""
    found: set[Path] = set()
    waiting = [name]
    seen: set[str] = set()
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        assert environment.loader is not None
        try:
            source, filename, _ = environment.loader.get_source(environment, current)
        except jinja2.TemplateNotFound:
            if current == name:
                raise
            continue  # rendering says where the missing one is asked for
        path = Path(filename or current)
        found.add(path)
        key = (str(path), path.stat().st_mtime_ns)
        if key not in _references:
            _references[key] = {
                reference for reference in
                jinja2.meta.find_referenced_templates(environment.parse(source))
                if reference is not None}
        waiting.extend(_references[key])
    return found


@dataclass
class Html:
    """A page's HTML and what making it read."""

    text: str
    lookups: Lookups
    #: Template files read.
    templates: set[Path]


def render_html(page: Page, notes_pages: int = 0, notes_rules: int = 0,
                notes_page_rules: int = 0, figure_moves: Mapping[str, int] | None = None
                ) -> Html:
    """Render ``templates/<layout>.html.j2`` for one clinic and language.

    ``notes_rules`` lines for the reader's notes follow the text, then
    ``notes_pages`` notes pages of ``notes_page_rules`` lines each come before
    the back cover; ``figure_moves`` sets figures later than written
    (brochure/balance.py chooses them).
    """
    lookups = Lookups(page.catalogs)
    localiser = _Localiser(page, lookups)
    environment = _environment(page.templates_dir)
    try:
        template = environment.get_template(page.layout.template)
        templates = _template_files(environment, page.layout.template)
    except jinja2.TemplateNotFound as exc:
        missing = page.templates_dir / (exc.name or page.layout.template)
        raise RenderError(f"no template {missing.name!r} for layout {page.layout.name!r}",
                          missing) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename, exc.lineno) from None
    context = template_context(page, lookups, figure_moves)
    context["notes_pages"] = notes_pages
    context["notes_rules"] = notes_rules
    context["notes_page_rules"] = notes_page_rules
    token = _current.set(localiser)
    try:
        text = template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename, exc.lineno) from None
    except jinja2.TemplateError as exc:
        # Templates are the project's files, editable by a clinic: name the place.
        place = _template_frame(exc.__traceback__)
        raise RenderError(f"template error: {exc}", *place) from None
    finally:
        _current.reset(token)
    return Html(text, lookups, templates)


def _template_frame(trace: Any) -> tuple[str | None, int | None]:
    """The innermost template file and line of a Jinja2 traceback."""
    found: tuple[str | None, int | None] = (None, None)
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found
