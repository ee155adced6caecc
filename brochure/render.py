"""Lay out a page's HTML with WeasyPrint, check that it fits, and make the PDF.

:func:`render` is the whole way from a :class:`~brochure.localise.Page` to PDF
bytes: HTML (localise.py), layout, the fit check, the balance of the last
pages (balance.py: figures that fit, notes lines and pages up to a multiple
of 4), and the PDF. It writes nothing; it returns the bytes with what the
render printed in English and what it read.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError

from . import fit, linebreak, pdflayer, prepress
from .balance import Balance, balance
from .errors import RenderError, TranslationError
from .fetcher import ForbiddenURL, SandboxedFetcher
from .i18n import Lookups, fallback_message, shorten, split_key
from .localise import Html, Page, render_html
from .weasylog import weasyprint_errors

logger = logging.getLogger(__name__)


def _fit_problems(document: Any, page: Page, lookups: Lookups, html: HTML,
                  fetcher: SandboxedFetcher, cut: set[str]) -> RenderError | None:
    """What does not fit, said so that an author, a translator or staff can act on it."""
    layout = page.layout
    problems = []
    overflows = fit.overflows(document)
    if layout.measured and cut:
        # WeasyPrint cut a fixed box short: lay it out again, without an end,
        # to say how many lines do not fit (only on this error path).
        def render_again(source: HTML, css: str) -> Any:
            return source.render(stylesheets=[CSS(string=css, url_fetcher=fetcher)])
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
    limit = layout.page_limit
    fields = dict(page.options.fields)
    if limit and len(document.pages) > limit:
        problems.append(f"takes {len(document.pages)} pages; {layout.name} allows {limit}")
    wide = fit.too_wide(document)
    source: Path | str | None = page.document.path
    for item in wide:
        field_name, text_line = _text_source(item.text, page, lookups)
        shown = item.text if len(item.text) <= 30 else item.text[:27] + "…"
        if field_name:
            problems.insert(0, f"handout field {field_name!r} has a word too long for its "
                               f"line ({shown!r}); shorten it or add spaces")
            source, line = None, None
        else:
            problems.append(f"the text {shown!r} on page {item.page} is wider than its "
                            "column (a word too long to break)")
            line = line or text_line
    if not problems:
        return None
    if source is None:  # it is a handout field's fault, said in the problem itself
        return RenderError("; ".join(problems))
    hints = [layout.fit_hint]
    english = [key for key in lookups.fallbacks if split_key(key[0])[1] == page.language]
    if english and not wide:
        listing = "; ".join(f"{context}: {shorten(msgid, 30)!r}"
                            for _, context, msgid in english[:5])
        more = f" and {len(english) - 5} more" if len(english) > 5 else ""
        hints.insert(0, f"{len(english)} text(s) on it are in English because they have "
                        f"no {page.language} translation yet ({listing}{more}): translate "
                        "them first, then see whether it still does not fit")
    if fields and limit and len(document.pages) > limit and not wide:
        hints = ["the filled-in handout fields may be too long: shorten them"]
        source, line = None, None
    return RenderError("; ".join(problems) + f" ({'; '.join(hints)})", source, line)


def _text_source(text: str, page: Page, lookups: Lookups) -> tuple[str | None, int | None]:
    """Where a printed text comes from: (handout field, None) or (None, content line)."""
    needle = text.strip()[:40]
    for name, field_value in page.options.fields:
        if needle and needle in field_value:
            return name, None
    lines: dict[tuple[str | None, str], int] = {
        (item.context, item.msgid): item.line for item in page.document.texts()}
    for (_, context, msgid), value in lookups.used.items():
        if needle in (value or msgid) and (context, msgid) in lines:
            return None, lines[(context, msgid)]
    for (_, msgid), number in lines.items():
        if needle in msgid:
            return None, number
    return None, None


def _identifier(html: str, page: Page) -> bytes:
    """A PDF /ID from the input alone, the same whichever folder the project is in."""
    stable = html
    for name, folder in (("clinic:", page.clinic.folder), ("assets:", page.assets_dir),
                         ("templates:", page.templates_dir)):
        stable = stable.replace(folder.resolve().as_uri(), name)
    return hashlib.sha256(stable.encode()).hexdigest()[:32].encode()


def _lay_out(html: str, page: Page, fetcher: SandboxedFetcher, css: str = ""
             ) -> tuple[HTML, Any]:
    linebreak.install()  # a word no longer stands alone before <strong> (linebreak.py)
    source = HTML(string=html, base_url=page.templates_dir.resolve().as_uri() + "/",
                  url_fetcher=fetcher)
    stylesheets = [CSS(string=css, url_fetcher=fetcher)] if css else None
    return source, source.render(pdf_variant="pdf/ua-1", stylesheets=stylesheets)


@dataclass
class Rendering:
    """What :func:`render` made: the PDF and everything it read to make it."""

    pdf: bytes
    pages: int
    lookups: Lookups
    #: Template, stylesheet and image files read.
    files: set[Path]
    #: What does not fit, in a lenient render.
    warnings: list[str] = field(default_factory=list)


def render(page: Page, strict: bool = False, lenient: bool = False) -> Rendering:
    """Render one page to PDF bytes; raise :class:`~brochure.errors.BrochureError` on failure.

    With ``strict``, a text printed in English instead of its language (the
    page's own or another language's notice) is an error, found before any
    layout. Text that overflows a fixed box, or a layout longer than its page
    limit, is an error too. Nothing is written anywhere.
    """
    layout = page.layout
    html = render_html(page)
    if strict and html.lookups.fallbacks:
        raise TranslationError(_strict_message(html.lookups) + " (--strict)",
                               _fallback_file(page, html.lookups))
    fetcher = SandboxedFetcher(page.allowed_folders)
    try:
        # WeasyPrint only logs a picture it cannot draw, and swallows Ctrl-C and
        # our fetcher's refusal while it draws an SVG: weasylog.py hears it all.
        with weasyprint_errors():
            with fit.watch_cut_boxes() as cut:
                source, document = _lay_out(html.text, page, fetcher)
            problem = _fit_problems(document, page, html.lookups, source, fetcher, cut)
            if problem is not None and not lenient:
                raise problem
            warnings = [str(problem)] if problem is not None else []
            # Figures that fit where they stand; notes lines and pages that fill
            # the last pages up to a multiple of ``pad`` (see balance.py).
            laid_out: dict[Balance, tuple[Html, HTML]] = {}

            def lay_out_with(wanted: Balance) -> Any:
                text = render_html(page, wanted.notes_pages, wanted.notes_rules,
                                   wanted.notes_page_rules, dict(wanted.figure_moves))
                again, result = _lay_out(text.text, page, fetcher, wanted.stylesheet())
                laid_out[wanted] = (text, again)
                return result

            document, balanced = balance(document, layout, layout.pad_to(
                page.options.print_ready), lay_out_with)
            if balanced in laid_out:
                html, source = laid_out[balanced]
                if problem is None:
                    problem = _fit_problems(document, page, html.lookups, source, fetcher,
                                            set())
                    if problem is not None and not lenient:
                        raise problem
                    warnings = [str(problem)] if problem is not None else []
            # The PDF layer (text layer, language tags, fonts): see pdflayer.py.
            pdf = pdflayer.write_pdf(document, _identifier(html.text, page),
                                     spreads=layout.spreads)
            # Crop and fold marks outside the bleed, on a larger sheet; fold
            # ticks on a leaflet for the office printer (see prepress.py).
            folds = prepress.fold_lines(document)
            if page.options.print_ready:
                pdf = prepress.add_marks(pdf, folds)
            elif any(folds):
                pdf = prepress.add_fold_ticks(pdf, folds)
    except ForbiddenURL as exc:
        raise RenderError(f"refused to read {exc.url}: {exc.reason}") from None
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from None
    assert isinstance(pdf, bytes)
    return Rendering(pdf, len(document.pages), html.lookups, html.templates | fetcher.served,
                     warnings)


def _strict_message(lookups: Lookups) -> str:
    by_language: dict[str, list[tuple[str | None, str]]] = {}
    for language, context, msgid in lookups.fallbacks:
        by_language.setdefault(language, []).append((context, msgid))
    return "; ".join(fallback_message(language, missing)
                     for language, missing in by_language.items())


def _fallback_file(page: Page, lookups: Lookups) -> Path | None:
    language = lookups.fallbacks[0][0]
    catalog = page.catalogs.get(language)
    return catalog.path if catalog else None
