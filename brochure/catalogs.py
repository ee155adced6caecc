"""Translator workflow: extract, init, update, stats and check.

These mirror pybabel so that translators' tools (Poedit, Weblate, a text
editor) and the tool agree on the files:

* ``extract`` runs Babel's own extraction with ``babel.cfg`` (the same code as
  ``pybabel extract -F babel.cfg``), and leaves the .pot untouched when only
  its creation date would change.
* ``update`` merges the .pot into every catalog. A message whose English
  changed keeps its old translation as *fuzzy* (never used by a build) with
  the previous English shown (``#|``); unrelated strings are never guessed.
* ``check`` fails on a stale .pot, a broken catalog, or a translation whose
  placeholders or markup differ from the English.
"""

from __future__ import annotations

import datetime
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import escape, write_po

from .errors import Problem, TranslationError, UsageError
from .i18n import (
    DOMAIN,
    SOURCE_LANGUAGE,
    catalog_dir_name,
    language_name,
    load_catalog,
    locale_of,
    po_path,
    read_catalog_file,
)
from .output import write_atomically
from .project import Project

logger = logging.getLogger(__name__)

#: Line width of every catalog the tool writes: Babel's own default, so plain
#: ``pybabel extract``/``update`` produce the same wrapping.
WIDTH = 76
REVIEW_PREFIX = "Review-Status:"


def _extract_catalog(project: Project) -> BabelCatalog:
    config = project.root / "babel.cfg"
    try:
        with config.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle, filename=str(config))
    except FileNotFoundError:
        raise UsageError("babel.cfg not found", config) from None
    catalog = BabelCatalog(fuzzy=True)
    # The same defaults as `pybabel extract` (keywords, no comment tags).
    for filename, lineno, message, comments, context in extract_from_dir(
            str(project.root), method_map, options_map):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _po_bytes(catalog: BabelCatalog, include_previous: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH)
    data = buffer.getvalue()
    if include_previous:
        data = _add_previous(data, catalog)
    return data


def _add_previous(data: bytes, catalog: BabelCatalog) -> bytes:
    """Write each fuzzy message's previous English as GNU ``#|`` lines.

    Babel wraps a multi-line previous msgid into a comment that GNU tools
    cannot read, so the tool writes these lines itself, one string each.
    """
    text = data.decode(catalog.charset or "utf-8")
    for message in catalog:
        if not message.id or not message.previous_id or not message.context:
            continue
        marker = f'\nmsgctxt {escape(message.context)}\n'
        # Only the msgid: Babel reads "#| msgctxt" back as a plain comment.
        previous = f'\n#| msgid {escape(message.previous_id[0])}'
        text = text.replace(marker, previous + marker, 1)
    return text.encode(catalog.charset or "utf-8")


def _signature(catalog: BabelCatalog) -> list[tuple[object, ...]]:
    """What matters in a template: every message, its comments, places and flags."""
    return [
        (message.context, message.id, " ".join(" ".join(message.auto_comments).split()),
         tuple(message.locations), tuple(sorted(message.flags)))
        for message in catalog if message.id
    ]


def extract(project: Project) -> bool:
    """Write ``locales/brochure.pot`` from the sources; return whether it changed."""
    catalog = _extract_catalog(project)
    pot = project.pot_path
    if pot.is_file() and _signature(read_catalog_file(pot)) == _signature(catalog):
        return False
    write_atomically(pot, _po_bytes(catalog))
    return True


def _header_comment(language: str) -> str:
    name = language_name(language)
    return (
        f"# {name} ({language}) translation of the brochure content.\n"
        "# This file is distributed under the same license as the brochure project.\n"
        "#\n"
        "# Translation: describe how this translation was made.\n"
        f"# {REVIEW_PREFIX} not reviewed. A qualified medical translator should review\n"
        "# this translation before clinical use.")


def init(project: Project, language: str) -> Path:
    """Start ``locales/<lang>/LC_MESSAGES/brochure.po`` from the .pot."""
    locale = locale_of(language)
    path = po_path(project.locales_dir, language)
    if path.exists():
        raise UsageError(f"{language} already has a catalog; use 'brochure i18n update'", path)
    if language == SOURCE_LANGUAGE:
        raise UsageError("English is the source language and needs no catalog")
    template = read_catalog_file(project.pot_path)
    catalog = BabelCatalog(locale=locale, domain=DOMAIN, project="brochure",
                           version="1", header_comment=_header_comment(language),
                           fuzzy=False)
    catalog.language_team = f"{language_name(language)} <{catalog_dir_name(language)}>"
    catalog.last_translator = "not yet translated <translators@brochure.invalid>"
    catalog.revision_date = datetime.datetime.now(datetime.UTC)
    for message in template:
        if message.id:
            catalog.add(message.id, "", list(message.locations),
                        auto_comments=message.auto_comments, flags=message.flags,
                        context=message.context)
    write_atomically(path, _po_bytes(catalog))
    return path


def languages(project: Project) -> list[str]:
    """Every language with a catalog, as BCP 47 tags (``zh_Hans`` → ``zh-Hans``)."""
    found = []
    for path in sorted(project.locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        found.append(path.parent.parent.name.replace("_", "-"))
    return found


def update(project: Project) -> list[Path]:
    """Merge the .pot into every catalog; return the catalogs that changed."""
    changed = []
    for language in languages(project):
        path = po_path(project.locales_dir, language)
        catalog = read_catalog_file(path)
        before = path.read_bytes()
        # Babel puts the template's own message objects into the catalog, so
        # each language needs a fresh template: the edits below must not leak.
        template = read_catalog_file(project.pot_path)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        # English changed at the same place: keep the old translation as fuzzy so the
        # translator sees it (with the previous English), but a build never uses it.
        by_context = {message.context: key for key, message in catalog.obsolete.items()
                      if message.context}
        for message in catalog:
            if not message.id or message.string or message.context not in by_context:
                continue
            old = catalog.obsolete.pop(by_context.pop(message.context))
            message.string = old.string
            message.flags.add("fuzzy")
            message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)
        data = _po_bytes(catalog, include_previous=True)
        if data != before:
            write_atomically(path, data)
            changed.append(path)
    return changed


@dataclass
class LanguageStats:
    language: str
    name: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    problems: list[Problem] = field(default_factory=list)
    review: str = ""

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0


def _review_status(path: Path) -> str:
    for line in read_catalog_file(path).header_comment.splitlines():
        line = line.lstrip("# ").strip()
        if line.startswith(REVIEW_PREFIX):
            return line[len(REVIEW_PREFIX):].strip().split(".")[0]
    return "not stated"


def stats(project: Project) -> list[LanguageStats]:
    """Translation progress of every catalog, against the current .pot."""
    template = read_catalog_file(project.pot_path)
    wanted = {(message.context, message.id) for message in template if message.id}
    rows = []
    for language in languages(project):
        catalog = load_catalog(project.locales_dir, language)
        translated = len(wanted & set(catalog.messages))
        fuzzy_or_empty = len(wanted) - translated - len(catalog.problems)
        assert catalog.path is not None
        rows.append(LanguageStats(
            language, language_name(language), len(wanted), translated,
            min(catalog.fuzzy, fuzzy_or_empty), max(0, fuzzy_or_empty - catalog.fuzzy),
            catalog.problems, _review_status(catalog.path)))
    return rows


def _msgfmt_problems(path: Path) -> list[Problem]:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    result = subprocess.run(
        [msgfmt, "--check-format", "--check-header", "-o", "/dev/null", str(path)],
        capture_output=True, text=True, check=False)
    found = []
    for line in result.stderr.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].strip().isdigit():
            found.append(Problem(f"msgfmt: {parts[3].strip()}", path, int(parts[1])))
        elif "fatal" not in line and line.strip():
            found.append(Problem(f"msgfmt: {line.strip()}", path))
    return found


def check(project: Project) -> list[Problem]:
    """Every problem that should fail CI: a stale .pot, broken or unsafe catalogs."""
    found: list[Problem] = []
    pot = project.pot_path
    if not pot.is_file():
        return [Problem("the template is missing: run 'brochure i18n extract'", pot)]
    template = read_catalog_file(pot)
    if _signature(template) != _signature(_extract_catalog(project)):
        found.append(Problem(
            "the template is stale: the content or templates changed; run "
            "'brochure i18n extract' and 'brochure i18n update'", pot))
    wanted = {(message.context, message.id) for message in template if message.id}
    for language in languages(project):
        path = po_path(project.locales_dir, language)
        try:
            catalog = load_catalog(project.locales_dir, language)
        except TranslationError as exc:
            found.extend(exc.problems)
            continue
        found.extend(catalog.problems)
        found.extend(_msgfmt_problems(path))
        have = {(message.context, message.id) for message in read_catalog_file(path)
                if message.id}
        if wanted - have:
            found.append(Problem(
                f"{len(wanted - have)} message(s) of the template are missing: run "
                "'brochure i18n update'", path))
    return found
