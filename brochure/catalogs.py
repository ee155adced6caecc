"""Translator workflow: extract, init, update, stats and check.

These mirror pybabel so that translators' tools (Poedit, Weblate, a text
editor) and the tool agree on the files:

* ``extract`` runs Babel's own extraction with ``babel.cfg`` (the same code as
  ``pybabel extract -F babel.cfg``), and leaves the .pot untouched when only
  its creation date would change.
  Before extracting, ``extract`` writes ("freezes") the ids it derived for
  blocks and list items into the content files (:mod:`brochure.freeze`).
* ``update`` merges the .pot into every catalog (:func:`merge`) and changes
  nothing else: the file keeps its own wrapping, headers and comments.
* ``check`` fails on a stale .pot, content ids not frozen yet, a catalog that
  cannot be read (or is read with a warning), or a translation whose
  placeholders or markup differ from the English.
"""

from __future__ import annotations

import datetime
import difflib
import io
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from . import pofile
from .errors import BrochureError, Problem, TranslationError, UsageError
from .freeze import freeze_ids
from .i18n import (
    SOURCE_LANGUAGE,
    catalog_dir_name,
    catalog_of,
    default_language_name,
    language_name,
    load_catalog,
    locale_of,
    read_catalog_file,
    read_po_file,
)
from .notes import load_texts
from .output import write_atomically
from .pofile import Entry, PoFile
from .project import Project, TextSet

logger = logging.getLogger(__name__)

#: Line width of the template and of new catalogs: Babel's own default, so plain
#: ``pybabel extract``/``init`` produce the same wrapping. An existing catalog
#: keeps its own (see :mod:`brochure.pofile`).
WIDTH = 76
#: How alike two English texts must be for an old translation to be offered as
#: fuzzy: difflib's ratio, with the cutoff Babel's and difflib's fuzzy matching use.
SIMILARITY = 0.6
REVIEW_PREFIX = "Review-Status:"


Where = Project | TextSet


def _texts(where: Where) -> TextSet:
    """The set of texts to work on: a project means its shared content's."""
    return where.texts() if isinstance(where, Project) else where


def _extract_catalog(where: Where) -> BabelCatalog:
    texts = _texts(where)
    config = texts.config
    try:
        with config.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle, filename=str(config))
    except FileNotFoundError:
        raise UsageError("babel.cfg not found", config) from None
    catalog = BabelCatalog(fuzzy=True)
    # The same defaults as `pybabel extract` (keywords, no comment tags).
    # Places relative to the project, as `pybabel extract ... clinics/ID` run
    # from the project's folder writes them.
    prefix = Path(os.path.relpath(texts.root, texts.config.parent))
    for filename, lineno, message, comments, context in extract_from_dir(
            str(texts.root), method_map, options_map):
        catalog.add(message, None, [((prefix / filename).as_posix(), lineno)],
                    auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: BabelCatalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH)
    return buffer.getvalue()


def _signature(catalog: BabelCatalog) -> list[tuple[object, ...]]:
    """What matters in a template: every message, its comments, places and flags."""
    return [
        (message.context, message.id, " ".join(" ".join(message.auto_comments).split()),
         tuple(message.locations), tuple(sorted(message.flags)))
        for message in catalog if message.id
    ]


@dataclass
class Extracted:
    """What ``extract`` did: whether the template changed, and ids it wrote into content."""

    changed: bool
    frozen: dict[Path, int] = field(default_factory=dict)


def freeze(where: Where) -> dict[Path, int]:
    """Write derived ids into every content file; return how many went into each."""
    return {path: count for path in _texts(where).content_files()
            if (count := freeze_ids(path))}


def extract(where: Where) -> Extracted:
    """Freeze content ids, then write the template (``locales/brochure.pot``, or a
    clinic's ``clinics/<id>/locales/<id>.pot``) from the sources.

    The template is left untouched when only its creation date would change.
    """
    texts = _texts(where)
    frozen = freeze(texts)
    catalog = _extract_catalog(texts)
    pot = texts.pot_path
    if pot.is_file() and _signature(read_catalog_file(pot)) == _signature(catalog):
        return Extracted(False, frozen)
    write_atomically(pot, _po_bytes(catalog))
    return Extracted(True, frozen)


def _header_comment(language: str, texts: TextSet) -> str:
    name = default_language_name(language)
    what = "the brochure content" if texts.shared else f"the texts of {texts.domain}"
    return (
        f"# {name} ({language}) translation of {what}.\n"
        "# This file is distributed under the same license as the brochure project.\n"
        "#\n"
        "# Translation: describe how this translation was made.\n"
        f"# {REVIEW_PREFIX} not reviewed. A qualified medical translator should review\n"
        "# this translation before clinical use.")


def init(where: Where, language: str) -> Path:
    """Start ``locales/<lang>/LC_MESSAGES/brochure.po`` (or a clinic's) from the .pot."""
    texts = _texts(where)
    locale = locale_of(language)
    path = texts.po_path(language)
    if path.exists():
        raise UsageError(f"{language} already has a catalog; use 'brochure i18n update'", path)
    if language == SOURCE_LANGUAGE:
        raise UsageError("English is the source language and needs no catalog")
    if not texts.pot_path.is_file():
        raise UsageError("there is no template yet: run 'brochure i18n extract' first",
                         texts.pot_path)
    template = read_catalog_file(texts.pot_path)
    catalog = BabelCatalog(locale=locale, domain=texts.domain, project="brochure",
                           version="1", header_comment=_header_comment(language, texts),
                           fuzzy=False)
    catalog.language_team = f"{default_language_name(language)} <{catalog_dir_name(language)}>"
    catalog.last_translator = "not yet translated <translators@brochure.invalid>"
    catalog.revision_date = datetime.datetime.now(datetime.UTC)
    for message in template:
        if message.id:
            catalog.add(message.id, "", list(message.locations),
                        auto_comments=message.auto_comments, flags=message.flags,
                        context=message.context)
    write_atomically(path, _po_bytes(catalog))
    return path


def languages(where: Where) -> list[str]:
    """Every language with a catalog, as BCP 47 tags (``zh_Hans`` → ``zh-Hans``)."""
    texts = _texts(where)
    found = []
    for path in sorted(texts.locales_dir.glob(f"*/LC_MESSAGES/{texts.domain}.po")):
        found.append(path.parent.parent.name.replace("_", "-"))
    return found


@dataclass
class MergeReport:
    """How each message of the template found (or did not find) its translation."""

    #: Same context and English: the translation is kept as it was.
    kept: int = 0
    #: Same English under a new context (moved, id renamed, context lost): kept as it was.
    moved: int = 0
    #: The English changed under the same context: old translation kept as fuzzy.
    fuzzy: int = 0
    #: Came back: an obsolete translation is used again.
    revived: int = 0
    #: New English: an empty translation.
    new: int = 0
    #: Texts that left the template: kept at the end of the file as obsolete (``#~``).
    obsoleted: int = 0

    def __str__(self) -> str:
        parts = [f"{count} {name}" for name, count in (
            ("kept", self.kept), ("moved", self.moved), ("fuzzy", self.fuzzy),
            ("revived", self.revived), ("new", self.new), ("obsolete", self.obsoleted))
            if count]
        return ", ".join(parts) or "no messages"


def _similar(old: str, new: str) -> bool:
    matcher = difflib.SequenceMatcher(None, old.lower(), new.lower(), autojunk=False)
    return (matcher.real_quick_ratio() >= SIMILARITY and matcher.quick_ratio() >= SIMILARITY
            and matcher.ratio() >= SIMILARITY)


def _plurals(po: PoFile) -> int:
    forms = po.header_field("Plural-Forms") or ""
    for part in forms.split(";"):
        name, _, value = part.partition("=")
        if name.strip() == "nplurals" and value.strip().isdigit():
            return int(value.strip())
    return 2


def _merged(template: Entry, old: Entry | None, fuzzy: bool, plurals: int) -> Entry:
    """The catalog's entry for ``template``, with ``old``'s translation and comments."""
    template_flags = [flag for flag in template.flags if flag != "fuzzy"]
    entry = Entry(
        msgid=template.msgid, context=template.context, msgid_plural=template.msgid_plural,
        msgstr=("",) * (plurals if template.msgid_plural is not None else 1),
        auto_comments=list(template.auto_comments), references=list(template.references),
        flags=template_flags, line=template.line)
    if old is None:
        return entry
    entry.msgstr = old.msgstr
    entry.translator_comments = list(old.translator_comments)
    # The translator's own flags (e.g. no-wrap) stay; format flags come from the template.
    entry.flags = template_flags + [flag for flag in old.flags if flag != "fuzzy"
                                    and flag not in template_flags
                                    and not flag.endswith("-format")]
    entry.previous_context = old.previous_context
    entry.previous_msgid = old.previous_msgid
    entry.previous_msgid_plural = old.previous_msgid_plural
    if fuzzy and not (old.fuzzy and old.previous_msgid is not None):
        # Show the English the translation was written for (an entry already fuzzy
        # keeps the English it was first written for).
        entry.previous_context = old.context
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural
    entry.set_fuzzy(fuzzy or old.fuzzy)
    entry.raw, entry.raw_obsolete = old.raw, old.raw_obsolete
    return entry


def merge(po: PoFile, template: PoFile) -> MergeReport:
    """Merge ``template`` into ``po`` in place; no translation is ever lost.

    Each message of the template takes, in this order:

    1. the entry with the same context and English (also an obsolete one:
       text that comes back gets its translation back), untouched;
    2. else the entry with the same English whose context left the template
       (a block moved to another section, an id renamed, contexts lost in an
       XLIFF round trip), when the English is unambiguous: every such entry
       has the same translation. It stays untouched (fuzzy when fewer old
       entries than new places share that English);
    3. else the entry with the same context and similar English
       (:data:`SIMILARITY`): the English changed, so the old translation is
       kept as *fuzzy* with the previous English (``#|``), and never printed;
    4. else an empty translation.

    Entries left over are kept at the end as obsolete (``#~``) when they hold a
    translation or a translator's comment. The header, comments and every
    unchanged line stay as they are; the template's creation date is copied.
    """
    header = po.header
    old_entries = [entry for entry in po.entries if entry is not header]
    used: set[int] = set()
    by_key: dict[tuple[str | None, str, str | None], list[Entry]] = {}
    for entry in sorted(old_entries, key=lambda item: item.obsolete):
        by_key.setdefault((entry.context, entry.msgid, entry.msgid_plural), []).append(entry)
    plurals = _plurals(po)
    report = MergeReport()
    wanted = list(template.messages())
    result: dict[int, Entry] = {}

    def take(index: int, old: Entry | None, fuzzy: bool) -> None:
        if old is not None:
            used.add(id(old))
        result[index] = _merged(wanted[index], old, fuzzy, plurals)

    for index, message in enumerate(wanted):
        for old in by_key.get((message.context, message.msgid, message.msgid_plural), []):
            if id(old) not in used:
                if old.obsolete:
                    report.revived += 1
                else:
                    report.kept += 1
                take(index, old, False)
                break
    template_keys = {(message.context, message.msgid) for message in wanted}
    same_english: dict[tuple[str, str | None], list[int]] = {}
    for index, message in enumerate(wanted):
        if index not in result:
            same_english.setdefault((message.msgid, message.msgid_plural), []).append(index)
    for (msgid, plural), indexes in same_english.items():
        candidates = [old for old in old_entries if id(old) not in used
                      and old.msgid == msgid and old.msgid_plural == plural and old.translated
                      and (old.context, old.msgid) not in template_keys]
        if not candidates or len({(old.msgstr, old.fuzzy) for old in candidates}) != 1:
            continue
        candidates.sort(key=lambda old: old.obsolete)
        for number, index in enumerate(indexes):
            old = candidates[min(number, len(candidates) - 1)]
            take(index, old, number >= len(candidates))
            if number >= len(candidates):
                report.fuzzy += 1
            else:
                report.moved += 1
        used.update(id(old) for old in candidates)
    for index, message in enumerate(wanted):
        if index in result:
            continue
        similar = [old for old in old_entries
                   if id(old) not in used and old.context == message.context
                   and old.translated and (old.msgid_plural is None) == (
                       message.msgid_plural is None)
                   and _similar(old.msgid, message.msgid)]
        if similar:
            best = max(similar, key=lambda old: difflib.SequenceMatcher(
                None, old.msgid, message.msgid, autojunk=False).ratio())
            report.fuzzy += 1
            take(index, best, True)
        else:
            report.new += 1
            take(index, None, False)
    obsolete = []
    for old in old_entries:
        if id(old) in used or not (old.translated or old.translator_comments):
            continue
        if not old.obsolete:
            report.obsoleted += 1
        old.obsolete = True
        obsolete.append(old)
    po.entries = ([header] if header is not None else []) + [
        result[index] for index in range(len(wanted))] + obsolete
    created = template.header_field("POT-Creation-Date")
    if header is not None and created and po.header_field("POT-Creation-Date") != created:
        po.set_header_field("POT-Creation-Date", created)
    return report


@dataclass
class Updated:
    path: Path
    report: MergeReport


def update(where: Where) -> list[Updated]:
    """Merge the .pot into every catalog (see :func:`merge`); return the catalogs that changed.

    A catalog whose merge changes nothing is not written at all.
    """
    texts = _texts(where)
    template = read_po_file(texts.pot_path)
    changed = []
    for language in languages(texts):
        path = texts.po_path(language)
        before = path.read_bytes()
        # Two versions of a file merged by git may hold a message twice; keep
        # both here (the merge uses the first and makes the other obsolete).
        po = pofile.parse(before, path, duplicates=True)
        unchanged = pofile.dumps(pofile.parse(before, path, duplicates=True))
        report = merge(po, template)
        data = pofile.dumps(po)
        if data != unchanged or (po.warnings and data != before):
            write_atomically(path, data)
            changed.append(Updated(path, report))
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


def _review_status(po: PoFile) -> str:
    header = po.header
    for line in header.translator_comments if header is not None else []:
        line = line.strip()
        if line.startswith(REVIEW_PREFIX):
            return line[len(REVIEW_PREFIX):].strip().split(".")[0]
    return "not stated"


def stats(where: Where) -> list[LanguageStats]:
    """Translation progress of every catalog, against the current .pot."""
    texts = _texts(where)
    template = read_catalog_file(texts.pot_path)
    wanted = {(message.context, message.id) for message in template if message.id}
    rows = []
    for language in languages(texts):
        catalog = load_catalog(texts.locales_dir, language, texts.domain)
        translated = len(wanted & set(catalog.messages))
        fuzzy_or_empty = len(wanted) - translated - len(catalog.problems)
        assert catalog.path is not None
        rows.append(LanguageStats(
            language, language_name(language, catalog), len(wanted), translated,
            min(catalog.fuzzy, fuzzy_or_empty), max(0, fuzzy_or_empty - catalog.fuzzy),
            catalog.problems, _review_status(read_po_file(catalog.path))))
    return rows


def _msgfmt_problems(path: Path) -> list[Problem]:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    data = path.read_bytes()
    # A byte-order mark is reported once, by the reader, not again as msgfmt's
    # "syntax error" at line 1 (removing it moves no line).
    data = data.removeprefix(pofile.BOM)
    result = subprocess.run(
        [msgfmt, "--check-format", "--check-header", "-o", "/dev/null", "-"],
        input=data, capture_output=True, check=False)
    found = []
    for line in result.stderr.decode("utf-8", "replace").splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].strip().isdigit():
            found.append(Problem(f"msgfmt: {parts[3].strip()}", path, int(parts[1])))
        elif "fatal" not in line and line.strip():
            found.append(Problem(f"msgfmt: {line.strip()}", path))
    return found


def _unfrozen(texts: TextSet) -> list[Problem]:
    found = []
    for path in texts.content_files():
        try:
            document = load_texts(path)
        except BrochureError as exc:
            found.extend(exc.problems)
            continue
        if document.derived_ids:
            first = min(document.derived_ids, key=lambda item: item.line)
            found.append(Problem(
                f"{len(document.derived_ids)} text(s) have no frozen id (the first would be "
                f"{first.id!r}): run 'brochure i18n extract', which writes them into the "
                "file, so that later edits of the English keep each text's translation",
                path, first.line))
    return found


def text_sets(project: Project) -> list[TextSet]:
    """The shared content's texts, then every clinic's own that has any."""
    sets = [project.texts()]
    for profile in project.clinic_files():
        texts = project.clinic_texts(profile.stem)
        if texts.content_files() or texts.pot_path.is_file():
            sets.append(texts)
    return sets


def check(where: Where) -> list[Problem]:
    """Every problem that should fail CI: a stale .pot, ids not frozen, broken or unsafe
    catalogs; for a project, of the shared texts and of every clinic's own."""
    if isinstance(where, Project):
        return [problem for texts in text_sets(where) for problem in check(texts)]
    texts = where
    found: list[Problem] = []
    pot = texts.pot_path
    hint = "" if texts.shared else f" --clinic {texts.domain}"
    if not pot.is_file():
        return [Problem(f"the template is missing: run 'brochure i18n extract{hint}'", pot)]
    found.extend(_unfrozen(texts))
    template = read_catalog_file(pot)
    if _signature(template) != _signature(_extract_catalog(texts)):
        found.append(Problem(
            "the template is stale: the content or templates changed; run "
            f"'brochure i18n extract{hint}' and 'brochure i18n update{hint}'", pot))
    wanted = {(message.context, message.id) for message in template if message.id}
    for language in languages(texts):
        path = texts.po_path(language)
        try:
            po = read_po_file(path)
            catalog = catalog_of(po, language)
        except TranslationError as exc:
            found.extend(exc.problems)
            continue
        found.extend(po.warnings)
        found.extend(catalog.problems)
        found.extend(_msgfmt_problems(path))
        have = {entry.key for entry in po.messages()}
        if wanted - have:
            found.append(Problem(
                f"{len(wanted - have)} message(s) of the template are missing: run "
                f"'brochure i18n update{hint}'", path))
    return found
