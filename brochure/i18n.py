"""Translation catalogs: read the .po files translators edit, and look up text.

The build reads ``locales/<lang>/LC_MESSAGES/brochure.po`` directly on every
run (with :mod:`brochure.pofile`, which reads what GNU msgfmt reads), so no
stale compiled file can ever be used. A message is used only when it is
translated, not fuzzy, and keeps the placeholders and inline markup of its
English msgid; otherwise the English text stands in, and the render that
printed it records the miss (:class:`Lookups`). A catalog that cannot be read raises one
:class:`TranslationError` naming the file and line and saying what to do.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import __version__ as babel_version
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.catalog import Message

from . import markup, pofile
from .errors import Problem, TranslationError
from .paths import check_inside
from .project import DOMAIN, catalog_dir_name
from .strings import LANGUAGE_NAME
from .text import clean_text, text_problems

logger = logging.getLogger(__name__)

_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
SOURCE_LANGUAGE = "en"

#: gettext's ``@modifier`` spellings of scripts (``sr@latin``) as BCP 47 script subtags.
_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab",
                     "devanagari": "Deva", "hebrew": "Hebr", "greek": "Grek"}


def _parts(language: str) -> tuple[str, str | None, str | None, str | None]:
    """Language, script, territory and variant of a tag such as ``sr-Latn`` or ``sr@latin``."""
    tag, _, modifier = language.partition("@")
    pieces = tag.replace("_", "-").split("-")
    code, script, territory, variant = pieces[0].lower(), None, None, None
    for piece in pieces[1:]:
        if len(piece) == 4 and piece.isalpha():
            script = piece.title()
        elif (len(piece) == 2 and piece.isalpha()) or (len(piece) == 3 and piece.isdigit()):
            territory = piece.upper()
        elif piece:
            variant = piece.upper()
    if modifier:
        if modifier.lower() in _SCRIPT_MODIFIERS:
            script = _SCRIPT_MODIFIERS[modifier.lower()]
        else:
            variant = modifier.upper()
    return code, script, territory, variant


@functools.cache
def locale_of(language: str) -> Locale:
    """Return Babel's locale for a tag such as ``zh-Hans``, ``pt-BR`` or ``sr@latin``."""
    code, script, territory, _variant = _parts(language)
    identifier = "_".join(part for part in (code, script, territory) if part)
    try:
        return Locale.parse(identifier)
    except (ValueError, UnknownLocaleError):
        raise TranslationError(_unknown_language(language, code)) from None


def _unknown_language(language: str, code: str) -> str:
    english = Locale("en")
    name = english.languages.get(code)
    related = sorted(
        other for other, other_name in english.languages.items()
        if name and other != code and name.lower() in other_name.lower()
        and _known(other))[:5]
    hint = ""
    if related:
        hint = " Babel knows " + ", ".join(
            f"{other} ({english.languages[other]})" for other in related) + "."
    named = f" ({name})" if name else ""
    return (f"unknown language code {language!r}{named}: Babel {babel_version} has no "
            "locale data for it, and the tool takes the writing direction, dates and "
            f"default name of a language from that data.{hint} Check the code (BCP 47, "
            "e.g. 'pt-BR', 'zh-Hans', 'sr-Latn'); TRANSLATING.md, 'A language the tool "
            "does not know', says what to do")


def _known(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def po_path(locales_dir: Path, language: str, domain: str = DOMAIN) -> Path:
    return locales_dir / catalog_dir_name(language) / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def default_language_name(language: str) -> str:
    """The language's name in that language from CLDR (Babel), with script and region.

    Only the parts the tag names are shown: ``pt`` is "Português", ``pt-BR``
    "Português (Brasil)", ``sr@latin`` "Srpski (latinica)", ``ca@valencia``
    "Català (valencià)"; ``tl`` (which CLDR files under Filipino) is the name
    the Filipino data gives it, "Tagalog".
    """
    code, script, territory, variant = _parts(language)
    locale = locale_of(language)
    name = locale.languages.get(code) or locale.language_name or language
    details = [detail for detail in (
        locale.scripts.get(script) if script else None,
        locale.territories.get(territory) if territory else None,
        locale.variants.get(variant) if variant else None) if detail]
    if details:
        name = f"{name} ({', '.join(details)})"
    return name[:1].upper() + name[1:]


def language_name(language: str, catalog: Catalog | None = None) -> str:
    """The language's name in that language, as its speakers would look for it.

    The translators own it: the catalog's ``ui.language`` entry (when
    translated and not fuzzy), else :func:`default_language_name`. Pass the
    language's own catalog; without one, the default is returned.
    """
    if catalog is not None and catalog.language == language:
        name = catalog.messages.get(LANGUAGE_NAME)
        if name:
            return name
    return default_language_name(language)


@functools.cache
def direction(language: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    return "rtl" if locale_of(language).character_order == "right-to-left" else "ltr"


@dataclass(frozen=True)
class Catalog:
    """The usable translations of one language, plus what was wrong with the rest.

    A catalog never changes once loaded: what a render printed from it is
    recorded by that render's own :class:`Lookups`, so one catalog can serve
    many renders (and processes) at once.
    """

    language: str
    path: Path | None = None
    messages: dict[tuple[str | None, str], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fuzzy: int = 0
    untranslated: int = 0
    total: int = 0

    def lookup(self, context: str | None, message: str) -> tuple[str, bool]:
        """Return the text to print and whether it is English standing in for a translation."""
        if self.language == SOURCE_LANGUAGE:
            return message, False
        found = self.messages.get((context, message))
        if found is None:
            return message, True
        return found, False

    def pgettext(self, context: str | None, message: str) -> str:
        """Return the translation of ``message`` in ``context``, or the English text."""
        return self.lookup(context, message)[0]

    def gettext(self, message: str) -> str:
        return self.pgettext(None, message)

    @property
    def translated(self) -> int:
        return len(self.messages)


#: (catalog key, msgctxt, msgid): one text as a render looked it up; the key is
#: the language, or ``<clinic>:<language>`` for a clinic's own texts.
TextKey = tuple[str, "str | None", str]


def catalog_key(language: str, domain: str = DOMAIN) -> str:
    """How a page's catalogs are keyed: the language for the shared texts, or
    ``<clinic>:<language>`` for a clinic's own (its notes and documents)."""
    return language if domain == DOMAIN else f"{domain}:{language}"


def split_key(key: str) -> tuple[str, str]:
    """``(domain, language)`` of a :func:`catalog_key`."""
    domain, _, language = key.rpartition(":")
    return domain or DOMAIN, language


class Lookups:
    """Every text one render looked up, in every language, and which were English.

    The renderer asks this object, never a catalog directly, so a render's
    English fallbacks are exactly the texts it printed in English: a booklet
    is not blamed for a handout-only label, and an English booklet is blamed
    for the Spanish language-help notice it printed in English.
    """

    def __init__(self, catalogs: Mapping[str, Catalog]) -> None:
        self.catalogs = catalogs
        #: Each key looked up, and the translation used (None: English was printed).
        self.used: dict[TextKey, str | None] = {}

    def catalog(self, language: str, domain: str = DOMAIN) -> Catalog:
        return self.catalogs.get(catalog_key(language, domain)) or Catalog(language)

    def lookup(self, language: str, context: str | None, message: str,
               domain: str = DOMAIN) -> tuple[str, bool]:
        """The text to print in ``language`` and whether it is the English stand-in.

        ``domain`` is a clinic's id for the clinic's own texts (its catalogs).
        """
        text, fallback = self.catalog(language, domain).lookup(context, message)
        if language != SOURCE_LANGUAGE:
            key = catalog_key(language, domain)
            self.used[(key, context, message)] = None if fallback else text
        return text, fallback

    def language_name(self, language: str) -> str:
        """The name of ``language`` in itself, as its own catalog gives it (recorded)."""
        catalog = self.catalog(language)
        if catalog.language != SOURCE_LANGUAGE and catalog.path is not None:
            # A name the translator left out is no fallback: Babel's stands in.
            self.used[(language, *LANGUAGE_NAME)] = catalog.messages.get(LANGUAGE_NAME)
        return language_name(language, catalog)

    @property
    def fallbacks(self) -> list[TextKey]:
        """Texts printed in English instead of their language, sorted."""
        return sorted((key for key, value in self.used.items()
                       if value is None and key[1:] != LANGUAGE_NAME),
                      key=lambda key: (key[0], key[1] or "", key[2]))


def shorten(text: str, width: int = 40) -> str:
    """``text`` cut at a word boundary to about ``width`` characters, with "…"."""
    if len(text) <= width:
        return text
    cut = text[:width + 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return (cut if len(cut) > width // 2 else text[:width]) + "…"


def fallback_message(language: str, missing: Sequence[tuple[str | None, str]]) -> str:
    """One sentence listing texts that had no usable translation in ``language`` (a
    language or a :func:`catalog_key`)."""
    language = split_key(language)[1]
    listing = "; ".join(f"{context or '-'}: {shorten(msgid)!r}" for context, msgid in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    return (f"{len(missing)} text(s) have no usable {language} translation "
            f"and are shown in English: {listing}{more}")


def read_po_file(path: Path) -> pofile.PoFile:
    """Parse a .po or .pot file (see :mod:`brochure.pofile`); errors name file and line."""
    return pofile.read(path)


def _location(reference: str) -> tuple[str, int | None]:
    filename, colon, line = reference.rpartition(":")
    if colon and line.isdigit():
        return filename, int(line)
    return reference, None


def babel_catalog(po: pofile.PoFile) -> BabelCatalog:
    """The parsed file as a Babel catalog, for code that works with Babel's model."""
    catalog = BabelCatalog(locale=None, domain=DOMAIN, fuzzy=False)
    header = po.header
    if header is not None:
        try:
            catalog[""] = Message("", header.string, flags=header.flags,
                                  user_comments=header.translator_comments)
        except (ValueError, TypeError, LookupError) as exc:
            raise TranslationError(
                f"the header is malformed ({exc}): compare it with the header of "
                "locales/brochure.pot", po.path, header.line) from None
        # pofile decoded the text already; Babel must not re-encode with a bad charset.
        catalog.charset = "utf-8"
    for entry in po.entries:
        if entry is header:
            continue
        msgid: str | tuple[str, str] = entry.msgid
        string: str | tuple[str, ...] = entry.string
        if entry.msgid_plural is not None:
            msgid, string = (entry.msgid, entry.msgid_plural), entry.msgstr
        previous = [text for text in (entry.previous_msgid, entry.previous_msgid_plural)
                    if text is not None]
        # Babel allows a location without a line, though its type hints do not.
        locations: list[Any] = [_location(reference) for reference in entry.references]
        message = Message(msgid, string, locations,
                          entry.flags, entry.auto_comments, entry.translator_comments,
                          previous, lineno=entry.line, context=entry.context)
        if entry.obsolete:
            key = (entry.msgid, entry.context) if entry.context is not None else entry.msgid
            catalog.obsolete[key] = message
        else:
            catalog[msgid] = message
    return catalog


def read_catalog_file(path: Path) -> BabelCatalog:
    """Parse a .po or .pot file into a Babel catalog; a syntax error names the file and line."""
    return babel_catalog(read_po_file(path))


def load_catalog(locales_dir: Path, language: str, domain: str = DOMAIN) -> Catalog:
    """Load the catalog of ``language`` (of the shared texts, or of a clinic's
    ``domain``); English needs none.

    Raises :class:`TranslationError` (file, line, what to do) when the file is
    missing or cannot be read; logs a warning for what it could read but is
    not right (a byte-order mark, a wrong charset in the header).
    """
    if language == SOURCE_LANGUAGE:
        return Catalog(language)
    locale_of(language)  # an unknown code is not a catalog to start
    path = po_path(locales_dir, language, domain)
    if not path.is_file():
        clinic = "" if domain == DOMAIN else f" --clinic {domain}"
        raise TranslationError(
            f"there is no {language} catalog yet (start one with: "
            f"brochure i18n init {language}{clinic})", path)
    check_inside(path, locales_dir, TranslationError, "the catalog")
    po = read_po_file(path)
    for warning in po.warnings:
        logger.warning("%s", warning)
    return catalog_of(po, language)


def catalog_of(po: pofile.PoFile, language: str) -> Catalog:
    """The usable translations of a parsed catalog (see :func:`load_catalog`)."""
    path = po.path
    messages: dict[tuple[str | None, str], str] = {}
    problems: list[Problem] = []
    total = fuzzy = untranslated = 0
    for entry in po.messages():
        if entry.msgid_plural is not None:
            continue  # the content has no plurals yet
        total += 1
        translation = entry.string
        if entry.fuzzy:
            fuzzy += 1
            continue
        if not translation:
            untranslated += 1
            continue
        found = markup.differences(entry.msgid, translation) + text_problems(translation)
        if found:
            problems.extend(
                Problem(f"{problem} (msgctxt {entry.context!r})", path, entry.line)
                for problem in found)
            continue
        # Fold line breaks and runs of ASCII spaces only: no-break spaces (French
        # « », 10 mm) are the translator's choice and must stay. One normaliser
        # for all text (brochure/text.py).
        messages[(entry.context, entry.msgid)] = _ASCII_SPACE.sub(
            " ", clean_text(translation)).strip()
    return Catalog(language, path, messages, problems, fuzzy, untranslated, total)
