"""XLIFF 1.2 export and import, for translators who work in memoQ, Trados and the like.

``export`` writes one ``<trans-unit>`` per message of a catalog: the English
``<source>``, the ``<target>`` (``state="translated"``, or
``state="needs-review-translation"`` for a fuzzy one), the msgctxt as the
unit's ``resname`` and as a ``x-po-msgctxt`` context (translate-toolkit's
name for it), the notes for translators (``from="developer"``), the
translator's own comments (``from="translator"``) and the source lines
(``location`` context groups). The file validates against the XLIFF 1.2
strict schema; that is why its context groups have no ``name`` (a name must
be unique in the whole file, which translate-toolkit's po2xliff ignores).

``import_xliff`` reads such a file back, or one made by another tool (e.g.
translate-toolkit's po2xliff, which writes no msgctxt), and puts each target
into the catalog: by context and English; without a context, by the English
where it is unique in the catalog. A unit whose English changed since it was
exported is imported as *fuzzy* (with the English it was translated from as
``#|``) into an entry that has no usable translation, and skipped otherwise.
Nothing else in the catalog changes (see :mod:`brochure.pofile`).
"""

from __future__ import annotations

import datetime
import hashlib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, pofile
from .catalogs import languages
from .errors import Problem, TranslationError, UsageError
from .i18n import SOURCE_LANGUAGE, po_path, read_po_file
from .output import write_atomically
from .pofile import Entry
from .project import Project

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
#: Namespaces read on import: 1.1 has the same elements (translate-toolkit's po2xliff
#: writes it).
READ_NAMESPACES = (NAMESPACE, "urn:oasis:names:tc:xliff:document:1.1")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: XLIFF 1.2 target states of a translation that is done (others need work).
_DONE_STATES = {"translated", "final", "signed-off"}
#: Notes the tool writes itself; they come back from the template, not from an import.
_OWN_NOTES = {"developer", "brochure"}


def _unit_id(entry: Entry) -> str:
    """A stable id for a message: the same context and English give the same id."""
    digest = hashlib.sha1(f"{entry.context or ''}\x04{entry.msgid}".encode()).hexdigest()
    return f"m{digest[:16]}"


def _sub(parent: ElementTree.Element, tag: str, text: str | None = None,
         **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def export(project: Project, language: str) -> bytes:
    """The catalog of ``language`` as an XLIFF 1.2 document (UTF-8 bytes)."""
    if language == SOURCE_LANGUAGE:
        raise UsageError("English is the source language and has no catalog to export")
    path = po_path(project.locales_dir, language)
    if not path.is_file():
        raise UsageError(f"{language} has no catalog (start one with: brochure i18n init "
                         f"{language})", path)
    po = read_po_file(path)
    ElementTree.register_namespace("", NAMESPACE)
    root = ElementTree.Element(f"{{{NAMESPACE}}}xliff", {"version": "1.2"})
    try:
        original = str(path.relative_to(project.root))
    except ValueError:
        original = str(path)
    file = _sub(root, "file", original=original, datatype="po",
                **{"source-language": SOURCE_LANGUAGE, "target-language": language,
                   "tool-id": "brochure"})
    header = _sub(file, "header")
    _sub(header, "tool", **{"tool-id": "brochure", "tool-name": "brochure",
                            "tool-version": __version__})
    body = _sub(file, "body")
    for entry in po.messages():
        if entry.msgid_plural is not None:
            continue  # the content has no plurals yet
        attributes = {"id": _unit_id(entry), _XML_SPACE: "preserve"}
        if entry.context is not None:
            attributes["resname"] = entry.context
        if entry.string:
            attributes["approved"] = "no" if entry.fuzzy else "yes"
        unit = _sub(body, "trans-unit", **attributes)
        _sub(unit, "source", entry.msgid)
        if entry.string:
            _sub(unit, "target", entry.string,
                 state="needs-review-translation" if entry.fuzzy else "translated")
        if entry.auto_comments:
            _sub(unit, "note", " ".join(entry.auto_comments), **{"from": "developer"})
        if entry.fuzzy and entry.previous_msgid is not None:
            _sub(unit, "note", "Needs review: the English changed. The translation was made "
                 f"for: {entry.previous_msgid}", **{"from": "brochure"})
        if entry.translator_comments:
            _sub(unit, "note", "\n".join(entry.translator_comments),
                 **{"from": "translator"})
        if entry.context is not None:
            group = _sub(unit, "context-group", purpose="information")
            _sub(group, "context", entry.context, **{"context-type": "x-po-msgctxt"})
        for reference in entry.references:
            filename, _, line = reference.rpartition(":")
            group = _sub(unit, "context-group", purpose="location")
            _sub(group, "context", filename if line.isdigit() else reference,
                 **{"context-type": "sourcefile"})
            if line.isdigit():
                _sub(group, "context", line, **{"context-type": "linenumber"})
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@dataclass
class Unit:
    """What an XLIFF trans-unit says about one message."""

    source: str
    target: str
    context: str | None
    fuzzy: bool
    notes: list[str]


@dataclass
class ImportReport:
    """What an import did to the catalog."""

    path: Path
    language: str
    #: Translations written (new or changed), of which ``fuzzy`` need review.
    imported: int = 0
    fuzzy: int = 0
    #: Units whose target was already the catalog's translation.
    unchanged: int = 0
    #: Units without a target: nothing to import.
    empty: int = 0
    #: Units that could not be placed, with the reason (file and line of the unit).
    skipped: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.imported} translation(s) imported ({self.fuzzy} fuzzy), "
                f"{self.unchanged} unchanged, {self.empty} empty, "
                f"{len(self.skipped)} skipped")


def _text(element: ElementTree.Element | None) -> str:
    # Inline tags (<g>, <ph>, <mrk>) a CAT tool may add hold the text they mark.
    return "" if element is None else "".join(element.itertext())


def _units(data: bytes, path: Path) -> tuple[str | None, list[Unit]]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise TranslationError(f"not a valid XLIFF file: {exc}", path, line) from None
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if namespace not in READ_NAMESPACES or not root.tag.endswith("}xliff"):
        raise TranslationError("not an XLIFF 1.2 file (the root must be <xliff> in "
                               f"{NAMESPACE})", path, 1)
    names = {"x": namespace}
    files = root.findall("x:file", names)
    if len(files) != 1:
        raise TranslationError(f"an XLIFF file with {len(files)} <file> elements: export "
                               "one language at a time", path)
    units = []
    for element in files[0].iter(f"{{{namespace}}}trans-unit"):
        if element.get("restype") == "x-gettext-domain-header":
            continue  # translate-toolkit's copy of the PO header
        context = element.get("resname")
        for item in element.iterfind("x:context-group/x:context", names):
            if item.get("context-type") == "x-po-msgctxt":
                context = _text(item)
        target = element.find("x:target", names)
        state = target.get("state") if target is not None else None
        # A target without a state is done unless the unit says approved="no"
        # (translate-toolkit marks fuzzy units so).
        fuzzy = (state not in _DONE_STATES if state is not None
                 else element.get("approved") == "no")
        notes = [_text(note) for note in element.iterfind("x:note", names)
                 if (note.get("from") or "translator") not in _OWN_NOTES]
        units.append(Unit(_text(element.find("x:source", names)), _text(target), context,
                          fuzzy, [note for note in notes if note.strip()]))
    return files[0].get("target-language"), units


def _language_of(project: Project, declared: str | None, language: str | None,
                 path: Path) -> str:
    if language:
        return language
    if not declared:
        raise UsageError("the XLIFF file names no target-language: give one with --lang",
                         path)
    available = {code.lower(): code for code in languages(project)}
    code = declared.replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        if candidate.lower() in available:
            return available[candidate.lower()]
    raise UsageError(f"no catalog for the XLIFF's target-language {declared!r}: give the "
                     "language with --lang", path)


def _put(entry: Entry, unit: Unit, previous: str | None, report: ImportReport) -> None:
    fuzzy = unit.fuzzy or previous is not None
    notes = [line for note in unit.notes for line in note.splitlines()]
    if (entry.string, entry.fuzzy) == (unit.target, fuzzy) and (
            not notes or notes == entry.translator_comments):
        report.unchanged += 1
        return
    entry.msgstr = (unit.target,)
    entry.set_fuzzy(fuzzy)
    if previous is not None:
        entry.previous_context, entry.previous_msgid = entry.context, previous
    if notes:
        entry.translator_comments = notes
    report.imported += 1
    report.fuzzy += fuzzy


def import_xliff(project: Project, path: Path, language: str | None = None) -> ImportReport:
    """Put the translations of an XLIFF 1.2 file into its language's catalog."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the file ({exc.strerror})", path) from None
    declared, units = _units(data, path)
    language = _language_of(project, declared, language, path)
    catalog_path = po_path(project.locales_dir, language)
    if not catalog_path.is_file():
        raise UsageError(f"{language} has no catalog (start one with: brochure i18n init "
                         f"{language})", catalog_path)
    po = read_po_file(catalog_path)
    entries = [entry for entry in po.messages() if entry.msgid_plural is None]
    by_key = {entry.key: entry for entry in entries}
    by_context: dict[str | None, list[Entry]] = {}
    by_english: dict[str, list[Entry]] = {}
    for message in entries:
        by_context.setdefault(message.context, []).append(message)
        by_english.setdefault(message.msgid, []).append(message)
    report = ImportReport(catalog_path, language)
    # Units without a context that share their English must agree to be placed.
    agreed: dict[str, set[tuple[str, bool]]] = {}
    for unit in units:
        if unit.context is None and unit.target:
            agreed.setdefault(unit.source, set()).add((unit.target, unit.fuzzy))
    for unit in units:
        if not unit.target:
            report.empty += 1
            continue
        targets: list[Entry] = []
        previous = None
        same_english = by_english.get(unit.source, [])
        if (unit.context, unit.source) in by_key:
            targets = [by_key[(unit.context, unit.source)]]
        elif unit.context is None and (len(same_english) == 1 or (
                same_english and len(agreed[unit.source]) == 1)):
            targets = same_english
        elif unit.context is not None and len(by_context.get(unit.context, [])) == 1:
            # The English changed since the export: offer it as fuzzy, never as done.
            [entry] = by_context[unit.context]
            if entry.string and not entry.fuzzy:
                report.skipped.append(Problem(
                    f"msgctxt {unit.context!r}: the English changed since the export and "
                    "the catalog has a translation of the new English", path))
                continue
            targets, previous = [entry], unit.source
        if not targets:
            reason = ("its English is in several places with different translations and "
                      "the unit names no context" if same_english
                      else "no message of the catalog has this context and English")
            report.skipped.append(Problem(
                f"{unit.source[:40]!r} (msgctxt {unit.context!r}): {reason}", path))
            continue
        for entry in targets:
            _put(entry, unit, previous, report)
    if report.imported:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M+0000")
        po.set_header_field("PO-Revision-Date", stamp)
        write_atomically(catalog_path, pofile.dumps(po))
    return report
