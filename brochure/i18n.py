"""Translation catalogs: read the .po files translators edit, and look up text.

The build reads ``locales/<lang>/LC_MESSAGES/brochure.po`` directly with Babel
on every run, so no stale compiled file can ever be used. A message is used
only when it is translated, not fuzzy, and keeps the placeholders and inline
markup of its English msgid; otherwise the English text stands in, and the
render that printed it records the miss (:class:`Lookups`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.pofile import PoFileError, read_po, unescape

from . import markup
from .errors import Problem, TranslationError
from .paths import check_inside
from .text import clean_text, text_problems

logger = logging.getLogger(__name__)

_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
SOURCE_LANGUAGE = "en"
DOMAIN = "brochure"


@functools.cache
def locale_of(language: str) -> Locale:
    """Return Babel's locale for a BCP 47 tag such as ``zh-Hans`` or ``pt``."""
    try:
        return Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        raise TranslationError(f"unknown language code {language!r}") from None


def catalog_dir_name(language: str) -> str:
    """The folder name gettext tools use for a language: ``zh-Hans`` → ``zh_Hans``."""
    return language.replace("-", "_")


def po_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / catalog_dir_name(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def language_name(language: str) -> str:
    """The language's name in that language, as its speakers would look for it."""
    locale = locale_of(language)
    name = locale.get_display_name(locale) or language
    if locale.script is None or "(" not in name:
        name = locale.language_name or name
    return name[:1].upper() + name[1:]


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


#: (language, msgctxt, msgid): one text as a render looked it up.
TextKey = tuple[str, "str | None", str]


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

    def catalog(self, language: str) -> Catalog:
        return self.catalogs.get(language) or Catalog(language)

    def lookup(self, language: str, context: str | None, message: str) -> tuple[str, bool]:
        """The text to print in ``language`` and whether it is the English stand-in."""
        text, fallback = self.catalog(language).lookup(context, message)
        if language != SOURCE_LANGUAGE:
            self.used[(language, context, message)] = None if fallback else text
        return text, fallback

    @property
    def fallbacks(self) -> list[TextKey]:
        """Texts printed in English instead of their language, sorted."""
        return sorted((key for key, value in self.used.items() if value is None),
                      key=lambda key: (key[0], key[1] or "", key[2]))


def _shorten(text: str, width: int = 40) -> str:
    """``text`` cut at a word boundary to about ``width`` characters, with "…"."""
    if len(text) <= width:
        return text
    cut = text[:width + 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return (cut if len(cut) > width // 2 else text[:width]) + "…"


def fallback_message(language: str, missing: Sequence[tuple[str | None, str]]) -> str:
    """One sentence listing texts that had no usable translation in ``language``."""
    listing = "; ".join(f"{context or '-'}: {_shorten(msgid)!r}" for context, msgid in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    return (f"{len(missing)} text(s) have no usable {language} translation "
            f"and are shown in English: {listing}{more}")


_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _previous_from_comments(catalog: BabelCatalog) -> None:
    """Read GNU ``#| msgid`` lines, which Babel keeps as plain comments, as previous ids."""
    for message in catalog:
        previous = [comment[1:].strip() for comment in message.user_comments
                    if comment.startswith("|")]
        if not previous:
            continue
        message.user_comments = [comment for comment in message.user_comments
                                 if not comment.startswith("|")]
        text = " ".join(previous)
        start = text.find("msgid ")
        if start < 0:
            continue
        end = text.find("msgid_plural", start)
        literals = _LITERAL.findall(text[start:end if end > 0 else None])
        message.previous_id = [unescape(f'"{"".join(literals)}"')]


def read_catalog_file(path: Path) -> BabelCatalog:
    """Parse a .po or .pot file; a syntax error names the file and line."""
    try:
        with path.open("rb") as fileobj:
            catalog = read_po(fileobj, locale=None, domain=DOMAIN, abort_invalid=True,
                              ignore_obsolete=True)
        _previous_from_comments(catalog)
        return catalog
    except FileNotFoundError:
        raise TranslationError("catalog not found", path) from None
    except PoFileError as exc:
        message = str(exc).rsplit(" on ", 1)[0]
        raise TranslationError(f"broken catalog: {message}", path, exc.lineno + 1) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise TranslationError(f"broken catalog: {exc}", path) from None


def _check_syntax(path: Path) -> None:
    """Let GNU msgfmt (stricter than Babel's reader) find syntax errors, if it is installed."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return
    result = subprocess.run([msgfmt, "-o", os.devnull, str(path)], capture_output=True,
                            text=True, check=False)
    if result.returncode == 0:
        return
    for line in result.stderr.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].strip().isdigit():
            raise TranslationError(f"broken catalog: {parts[3].strip()}", path, int(parts[1]))
    raise TranslationError(f"broken catalog: {result.stderr.strip()}", path)


def load_catalog(locales_dir: Path, language: str) -> Catalog:
    """Load the catalog of ``language``; English needs none."""
    if language == SOURCE_LANGUAGE:
        return Catalog(language)
    locale_of(language)  # issue 14: an unknown code is not a catalog to start
    path = po_path(locales_dir, language)
    if not path.is_file():
        raise TranslationError(
            f"there is no {language} catalog yet (start one with: "
            f"brochure i18n init {language})", path)
    check_inside(path, locales_dir, TranslationError, "the catalog")  # issue 14
    _check_syntax(path)
    babel_catalog = read_catalog_file(path)
    messages: dict[tuple[str | None, str], str] = {}
    problems: list[Problem] = []
    total = fuzzy = untranslated = 0
    for message in babel_catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        total += 1
        translation = message.string if isinstance(message.string, str) else ""
        if message.fuzzy:
            fuzzy += 1
            continue
        if not translation:
            untranslated += 1
            continue
        found = markup.differences(message.id, translation) + text_problems(translation)
        if found:
            problems.extend(
                Problem(f"{problem} (msgctxt {message.context!r})", path, message.lineno)
                for problem in found)
            continue
        # Fold line breaks and runs of ASCII spaces only: no-break spaces (French
        # « », 10 mm) are the translator's choice and must stay.
        # One normaliser for all text (brochure/text.py).
        messages[(message.context, message.id)] = _ASCII_SPACE.sub(
            " ", clean_text(translation)).strip()
    return Catalog(language, path, messages, problems, fuzzy, untranslated, total)
