"""Gettext PO files as GNU msgfmt reads them, re-written part by part.

Babel 2.18's reader (pinned in constraints.txt) cannot read everything GNU
gettext, Poedit and Weblate write: a GNU ``#~|`` line (previous text of an
obsolete entry, python-babel/babel#566) is a syntax error, a header charset it
does not know is a traceback, and a UTF-8 byte-order mark is "syntax error"
with no hint. Its writer re-wraps every line at its own width and drops the
headers and ``#|`` lines it does not model. So the tool reads and writes
catalogs with this module, and hands Babel a :class:`babel.messages.catalog.
Catalog` built from what it read (:func:`brochure.i18n.read_catalog_file`).

Reading accepts what msgfmt accepts, plus a byte-order mark (with a warning):
CRLF line ends, ``#|`` and ``#~|`` lines, and the charset the header declares.
A header charset that is msginit's placeholder (``CHARSET``), unknown, or
contradicted by the bytes (UTF-8 bytes under an ISO-8859-1 header) is read as
UTF-8 with a warning when the bytes are valid UTF-8; otherwise it is one
:class:`TranslationError` naming the file and line. Every warning is a
:class:`Problem` in :attr:`PoFile.warnings`.

Writing keeps the file's own formatting: each part of an entry (comments,
references, flags, previous text, msgctxt, msgid, msgstr) that did not change
is written with its original lines, byte for byte; a changed part is written
in the file's own style, detected when it was read (GNU/Poedit wrapping at 79
columns, Weblate at 77, Babel at 76, or no wrapping; :mod:`brochure.powrap`),
with its line ends.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, TranslationError
from .powrap import (
    BABEL_STYLE,
    Style,
    comment_lines,
    detect_style,
    escape,
    reference_lines,
    string_lines,
)

BOM = b"\xef\xbb\xbf"

#: Part names of an entry, in the order GNU gettext and Babel write them.
PARTS = ("translator", "auto", "references", "flags", "previous",
         "msgctxt", "msgid", "msgid_plural", "msgstr")

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
            "v": "\v", "\\": "\\", '"': '"', "'": "'", "?": "?"}
_BROKEN = object()  # a recorded value no part ever has: its lines are not reused
_CHARSET = re.compile(r"charset\s*=\s*([^\s;\"\\]*)", re.IGNORECASE)


@dataclass(eq=False)
class Entry:
    """One message of a PO file, with the original lines of each of its parts."""

    msgid: str
    msgstr: tuple[str, ...] = ("",)
    context: str | None = None
    msgid_plural: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_context: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    #: Line of the ``msgid`` keyword (1-based), as msgfmt reports it.
    line: int = 0
    #: part name -> (value when read, original lines); see :meth:`part_value`.
    raw: dict[str, tuple[Any, list[str]]] = field(default_factory=dict, repr=False)
    raw_obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def string(self) -> str:
        """The (first) translation."""
        return self.msgstr[0] if self.msgstr else ""

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return any(self.msgstr) and all(self.msgstr)

    def set_fuzzy(self, fuzzy: bool) -> None:
        if fuzzy and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not fuzzy:
            self.flags = [flag for flag in self.flags if flag != "fuzzy"]

    def part_value(self, part: str) -> Any:
        """The current value of one part, comparable with the one recorded when read."""
        return {
            "translator": tuple(self.translator_comments),
            "auto": tuple(self.auto_comments),
            "references": tuple(self.references),
            "flags": tuple(self.flags),
            "previous": (self.previous_context, self.previous_msgid,
                         self.previous_msgid_plural),
            "msgctxt": self.context,
            "msgid": self.msgid,
            "msgid_plural": self.msgid_plural,
            "msgstr": self.msgstr,
        }[part]

    def snapshot(self, lines: dict[str, list[str]]) -> None:
        """Record the current values of the parts as those of the original lines."""
        self.raw = {part: (self.part_value(part), lines.get(part, [])) for part in PARTS}
        self.raw_obsolete = self.obsolete


@dataclass(eq=False)
class PoFile:
    """A parsed catalog: its entries in file order (header first) and how it is written."""

    path: Path | None
    entries: list[Entry]
    encoding: str = "utf-8"
    style: Style = BABEL_STYLE
    warnings: list[Problem] = field(default_factory=list)
    #: Comment lines after the last entry, kept as they are.
    tail: list[str] = field(default_factory=list)
    #: The charset was wrong or a placeholder: the header gets ``charset=UTF-8``.
    fix_charset: bool = False
    #: What follows the last line: Babel ends a file with a blank line, GNU does not.
    ending: str = "\n"

    @property
    def header(self) -> Entry | None:
        for entry in self.entries:
            if entry.msgid == "" and entry.context is None and not entry.obsolete:
                return entry
        return None

    def messages(self) -> Iterator[Entry]:
        """Every active entry except the header."""
        for entry in self.entries:
            if not entry.obsolete and (entry.msgid or entry.context is not None):
                yield entry

    def obsolete(self) -> Iterator[Entry]:
        for entry in self.entries:
            if entry.obsolete:
                yield entry

    def header_fields(self) -> list[tuple[str, str]]:
        header = self.header
        if header is None:
            return []
        found = []
        for line in header.string.split("\n"):
            name, colon, value = line.partition(":")
            if colon and name.strip():
                found.append((name.strip(), value.strip()))
        return found

    def header_field(self, name: str) -> str | None:
        for key, value in self.header_fields():
            if key.lower() == name.lower():
                return value
        return None

    def set_header_field(self, name: str, value: str) -> None:
        """Set one header field, keeping every other header line as it is."""
        header = self.header
        if header is None:
            return
        lines = header.string.split("\n")
        for number, line in enumerate(lines):
            key = line.partition(":")[0].strip()
            if key.lower() == name.lower():
                lines[number] = f"{key}: {value}"
                break
        else:
            insert = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
            lines.insert(insert, f"{name}: {value}")
        old = header.msgstr
        header.msgstr = ("\n".join(lines),) + header.msgstr[1:]
        # Keep the header's own lines: swap just the one line of this field.
        recorded = header.raw.get("msgstr")
        if recorded is None or recorded[0] != old:
            return
        old_lines = old[0].split("\n")
        if len(old_lines) != len(lines):
            return
        changed = [(f'"{escape(before)}\\n"', f'"{escape(after)}\\n"')
                   for before, after in zip(old_lines, lines) if before != after]
        raw_lines = list(recorded[1])
        for before, after in changed:
            matches = [index for index, line in enumerate(raw_lines) if line.strip() == before]
            if len(matches) != 1:
                return
            raw_lines[matches[0]] = after
        header.raw["msgstr"] = (header.msgstr, raw_lines)


# Reading ---------------------------------------------------------------------


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _declared_charset(data: bytes) -> tuple[str | None, int | None]:
    """The charset the header declares and the line it is on (read before decoding)."""
    text = data.decode("latin-1")
    # The header is the first entry; its msgstr ends at the first blank line.
    end = re.search(r"\n\s*\n", text)
    head = text[:end.start()] if end else text
    for number, line in enumerate(head.split("\n"), 1):
        if "content-type" in line.lower():
            found = _CHARSET.search(line)
            if found:
                return found.group(1), number
    return None, None


def _decode(data: bytes, path: Path | None, warnings: list[Problem]
            ) -> tuple[str, str, bool]:
    """Return the text, the codec to write it back with, and whether to fix the header."""
    if data.startswith(BOM):
        data = data[len(BOM):]
        warnings.append(Problem(
            "the file starts with a UTF-8 byte-order mark, which GNU msgfmt rejects; "
            "it is read as UTF-8 and written back without one", path, 1))
        return _utf8(data, path, "the file starts with a UTF-8 byte-order mark"), "utf-8", False
    declared, line = _declared_charset(data)
    if declared is None:
        return _utf8(data, path, "the header declares no charset"), "utf-8", False
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        codec = None
    if codec is None:
        placeholder = declared.upper() == "CHARSET"
        what = ("charset=CHARSET is msginit's placeholder" if placeholder
                else f"the header names an unknown charset {declared!r}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TranslationError(
                f"{what} and the file is not UTF-8 (line "
                f"{_line_of_offset(data, exc.start)}): set the header's charset to the "
                "file's real encoding, e.g. 'Content-Type: text/plain; charset=UTF-8'",
                path, line) from None
        warnings.append(Problem(
            f"{what}; the file is read as UTF-8: set 'Content-Type: text/plain; "
            "charset=UTF-8' in the header", path, line))
        return text, "utf-8", True
    if codec == "utf-8":
        return _utf8(data, path, "the header says charset=UTF-8"), "utf-8", False
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and not as_utf8.isascii() and _single_byte(codec):
        # UTF-8 bytes read as Latin-1 would print "Ã©" for "é": never do that.
        warnings.append(Problem(
            f"the header says charset={declared} but the file is UTF-8; it is read as "
            "UTF-8: set 'charset=UTF-8' in the header", path, line))
        return as_utf8, "utf-8", True
    try:
        return data.decode(codec), codec, False
    except UnicodeDecodeError as exc:
        raise TranslationError(
            f"the header says charset={declared}, but line "
            f"{_line_of_offset(data, exc.start)} is not {declared}: re-save the file "
            "in that encoding, or convert it with 'msgconv -t UTF-8' and fix the header",
            path, _line_of_offset(data, exc.start)) from None


def _single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(256)).decode(codec, errors="strict")) == 256
    except (UnicodeDecodeError, LookupError):
        return False


def _utf8(data: bytes, path: Path | None, why: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        raise TranslationError(
            f"{why}, but line {line} is not valid UTF-8: re-save the file as UTF-8 "
            "(or declare its real charset in the header)", path, line) from None


def _unescape(body: str, path: Path | None, line: int) -> str:
    if "\\" not in body:
        return body
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        following = body[index + 1:index + 2]
        if following in _ESCAPES:
            out.append(_ESCAPES[following])
            index += 2
        elif following in "01234567" and following:
            digits = re.match(r"[0-7]{1,3}", body[index + 1:])
            assert digits is not None
            out.append(chr(int(digits.group(), 8)))
            index += 1 + len(digits.group())
        elif following == "x" and re.match(r"[0-9A-Fa-f]", body[index + 2:index + 3]):
            digits = re.match(r"[0-9A-Fa-f]+", body[index + 2:])
            assert digits is not None
            out.append(chr(int(digits.group(), 16)))
            index += 2 + len(digits.group())
        else:
            raise TranslationError(
                f"invalid escape sequence '\\{following}' in a string: write '\\\\' "
                "for a backslash", path, line)
    return "".join(out)


def _strings(rest: str, path: Path | None, line: int) -> str:
    """Join the quoted strings of ``rest`` (what follows a keyword or a line start)."""
    parts = []
    position = 0
    rest = rest.rstrip()
    while position < len(rest):
        if rest[position] in " \t":
            position += 1
            continue
        found = _STRING.match(rest, position)
        if not found:
            if rest[position] == '"':
                raise TranslationError(
                    "unterminated string: close it with a '\"' on the same line", path, line)
            raise TranslationError(
                f"syntax error near {rest[position:position + 20]!r}: expected a string in "
                'double quotes', path, line)
        parts.append(_unescape(found.group(1), path, line))
        position = found.end()
    if not parts:
        raise TranslationError("a keyword needs a string in double quotes after it", path, line)
    return "".join(parts)


class _Builder:
    """Collects the lines of one entry while the parser walks the file."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}
        self.values: dict[str, Any] = {}
        self.comments: dict[str, list[str]] = {
            "translator": [], "auto": [], "references": [], "flags": []}
        self.previous: dict[str, str] = {}
        self.previous_last: str | None = None
        self.previous_lines: list[tuple[str, int]] = []
        self.previous_broken: TranslationError | None = None
        self.strings: dict[str, list[str]] = {}
        self.plural_strings: dict[int, list[str]] = {}
        self.last: tuple[str, int] | None = None
        self.obsolete: bool | None = None
        self.msgid_line = 0
        self.all_lines: list[str] = []

    @property
    def has_keywords(self) -> bool:
        return bool(self.strings) or bool(self.plural_strings)

    @property
    def has_msgstr(self) -> bool:
        return "msgstr" in self.strings or bool(self.plural_strings)

    def add_line(self, part: str, line: str, number: int) -> None:
        self.lines.setdefault(part, []).append(line)
        self.all_lines.append(line)


def _parse_lines(text: str, path: Path | None, warnings: list[Problem]
                 ) -> tuple[list[Entry], list[str]]:
    entries: list[Entry] = []
    builder = _Builder()

    def finish(number: int) -> _Builder:
        """End the entry being read, if any; return the builder of the next one."""
        nonlocal builder
        if not builder.has_keywords:
            return builder
        if "msgid" not in builder.strings:
            raise TranslationError("msgctxt without a msgid after it", path, number)
        if not builder.has_msgstr:
            raise TranslationError(
                "a msgid without a msgstr: add 'msgstr \"\"' after it", path,
                builder.msgid_line)
        repaired = builder.previous_broken is not None
        if repaired:
            warnings.append(_repair_previous(builder, path))
        entries.append(_entry_of(builder, path))
        if repaired:
            # Never write the broken lines back: they are formatted anew.
            entries[-1].raw["previous"] = (_BROKEN, [])
        builder = _Builder()
        return builder

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw_line in enumerate(lines, 1):
        line = raw_line.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#~"):
            body = stripped[2:]
            if not body.strip():
                continue
            if body.startswith("|"):
                _previous_line(builder, body[1:].strip(), line, number, path, obsolete=True,
                               finish=finish)
                continue
            _keyword_line(builder, body.strip(), line, number, path, True, finish)
            continue
        if stripped.startswith("#|"):
            _previous_line(builder, stripped[2:].strip(), line, number, path, obsolete=False,
                           finish=finish)
            continue
        if stripped.startswith("#"):
            if builder.has_keywords:
                finish(number)
            kind = stripped[1:2]
            part, value = {
                ".": ("auto", stripped[2:].strip()),
                ":": ("references", stripped[2:].strip()),
                ",": ("flags", stripped[2:].strip()),
            }.get(kind, ("translator", stripped[1:][1:] if stripped[1:2] == " "
                         else stripped[1:]))
            builder.add_line(part, line, number)
            if part == "auto":
                builder.comments["auto"].append(value)
            elif part == "references":
                builder.comments["references"].extend(_references(value))
            elif part == "flags":
                builder.comments["flags"].extend(
                    flag.strip() for flag in value.split(",") if flag.strip())
            else:
                builder.comments["translator"].append(value)
            continue
        _keyword_line(builder, stripped, line, number, path, False, finish)
    finish(len(lines) + 1)
    tail = builder.all_lines
    return entries, tail


def _references(value: str) -> list[str]:
    if "\u2068" not in value:
        return value.split()
    # gettext encloses file names with spaces in U+2068 ... U+2069.
    return [item for item in re.findall(r"\u2068[^\u2069]*\u2069\S*|\S+", value)]


def _previous_line(builder: _Builder, body: str, line: str, number: int,
                   path: Path | None, obsolete: bool, finish: Any) -> None:
    if builder.has_keywords:
        builder = finish(number)
    builder.add_line("previous", line, number)
    builder.previous_lines.append((body, number))
    if builder.previous_broken is not None:
        return
    try:
        keyword = _KEYWORD.match(body)
        if keyword and keyword.group(1) in ("msgctxt", "msgid", "msgid_plural"):
            name = keyword.group(1)
            builder.previous[name] = _strings(body[keyword.end():], path, number)
            builder.previous_last = name
        elif body.startswith('"') and builder.previous_last:
            builder.previous[builder.previous_last] += _strings(body, path, number)
        else:
            raise TranslationError(
                f"a '#{'~' if obsolete else ''}|' line must hold msgctxt, msgid or "
                "msgid_plural (the previous English) or continue its string", path, number)
    except TranslationError as exc:
        builder.previous_broken = exc


def _repair_previous(builder: _Builder, path: Path | None) -> Problem:
    """Read ``#|`` lines that wrap inside a string, as ``pybabel update --previous`` writes.

    Babel 2.18 wraps a long previous msgid like a comment, breaking lines inside
    its string literal, which GNU msgfmt rejects. The breaks are at spaces, so
    joining the lines with spaces gives the text back. Raises the first error if
    that does not work either.
    """
    assert builder.previous_broken is not None
    text = " ".join(body for body, _ in builder.previous_lines)
    found: dict[str, str] = {}
    position = 0
    for keyword in _KEYWORD.finditer(text):
        if keyword.start() < position or keyword.group(1) not in (
                "msgctxt", "msgid", "msgid_plural"):
            continue
        following = _KEYWORD.search(text, keyword.end())
        literals = text[keyword.end():following.start() if following else None]
        try:
            found[keyword.group(1)] = _strings(literals, path, builder.previous_lines[0][1])
        except TranslationError:
            raise builder.previous_broken from None
        position = following.start() if following else len(text)
    if "msgid" not in found:
        raise builder.previous_broken
    builder.previous = found
    return Problem(
        "the previous English ('#|' lines) wraps inside its string, as 'pybabel update "
        "--previous' writes it; GNU msgfmt rejects that: 'brochure i18n update' rewrites "
        "those lines", path, builder.previous_lines[0][1])


def _keyword_line(builder: _Builder, body: str, line: str, number: int,
                  path: Path | None, obsolete: bool, finish: Any) -> None:
    if body.startswith('"'):
        if builder.last is None:
            raise TranslationError(
                "a string that follows no msgctxt, msgid or msgstr", path, number)
        name, index = builder.last
        value = _strings(body, path, number)
        if name == "msgstr[]":
            builder.plural_strings[index].append(value)
        else:
            builder.strings[name].append(value)
        builder.add_line("msgstr" if name == "msgstr[]" else name, line, number)
        return
    keyword = _KEYWORD.match(body)
    if not keyword:
        word = body.split()[0] if body.split() else body
        raise TranslationError(
            f"unknown keyword {word!r}: a line must start with msgctxt, msgid, "
            'msgid_plural, msgstr, a string in double quotes, or "#"', path, number)
    name = keyword.group(1)
    value = _strings(body[keyword.end():], path, number)
    if name in ("msgctxt", "msgid") and builder.has_msgstr:
        builder = finish(number)
    if builder.obsolete is not None and builder.has_keywords and builder.obsolete != obsolete:
        raise TranslationError(
            "an entry mixes obsolete ('#~') and active lines", path, number)
    builder.obsolete = obsolete
    if name == "msgctxt":
        if "msgid" in builder.strings or "msgctxt" in builder.strings:
            raise TranslationError(
                "msgctxt must come before the msgid of its entry", path, number)
        builder.strings["msgctxt"] = [value]
        builder.last = ("msgctxt", 0)
    elif name == "msgid":
        if "msgid" in builder.strings:
            raise TranslationError(
                "a msgid without a msgstr: add 'msgstr \"\"' after the previous msgid",
                path, builder.msgid_line)
        builder.strings["msgid"] = [value]
        builder.msgid_line = number
        builder.last = ("msgid", 0)
    elif name == "msgid_plural":
        if "msgid" not in builder.strings or builder.has_msgstr:
            raise TranslationError("msgid_plural must follow the msgid", path, number)
        builder.strings["msgid_plural"] = [value]
        builder.last = ("msgid_plural", 0)
    elif keyword.group(2) is not None:
        if "msgid_plural" not in builder.strings:
            raise TranslationError(
                "msgstr[N] needs a msgid_plural; use plain msgstr", path, number)
        index = int(keyword.group(2))
        if index != len(builder.plural_strings):
            raise TranslationError(
                f"msgstr[{index}] is out of order: expected msgstr"
                f"[{len(builder.plural_strings)}]", path, number)
        builder.plural_strings[index] = [value]
        builder.last = ("msgstr[]", index)
    else:
        if "msgid" not in builder.strings:
            raise TranslationError("msgstr without a msgid before it", path, number)
        if "msgid_plural" in builder.strings:
            raise TranslationError(
                "an entry with msgid_plural needs msgstr[0], msgstr[1], ...", path, number)
        if "msgstr" in builder.strings:
            raise TranslationError("a second msgstr in one entry", path, number)
        builder.strings["msgstr"] = [value]
        builder.last = ("msgstr", 0)
    builder.add_line("msgstr" if name.startswith("msgstr") else name, line, number)


def _entry_of(builder: _Builder, path: Path | None) -> Entry:
    strings = {name: "".join(parts) for name, parts in builder.strings.items()}
    if builder.plural_strings:
        msgstr = tuple("".join(builder.plural_strings[index])
                       for index in sorted(builder.plural_strings))
    else:
        msgstr = (strings.get("msgstr", ""),)
    entry = Entry(
        msgid=strings["msgid"], msgstr=msgstr, context=strings.get("msgctxt"),
        msgid_plural=strings.get("msgid_plural"),
        translator_comments=builder.comments["translator"],
        auto_comments=builder.comments["auto"],
        references=builder.comments["references"], flags=builder.comments["flags"],
        previous_context=builder.previous.get("msgctxt"),
        previous_msgid=builder.previous.get("msgid"),
        previous_msgid_plural=builder.previous.get("msgid_plural"),
        obsolete=bool(builder.obsolete), line=builder.msgid_line)
    entry.snapshot(builder.lines)
    return entry


def parse(data: bytes, path: Path | None = None, duplicates: bool = False) -> PoFile:
    """Parse a PO or POT file; raise :class:`TranslationError` naming the file and line.

    A message defined twice is an error (as for msgfmt) unless ``duplicates``.
    """
    warnings: list[Problem] = []
    text, encoding, fix_charset = _decode(data, path, warnings)
    entries, tail = _parse_lines(text, path, warnings)
    if not duplicates:
        seen: dict[tuple[bool, str | None, str], int] = {}
        for entry in entries:
            key = (entry.obsolete, entry.context, entry.msgid)
            if key in seen:
                raise TranslationError(
                    f"message defined twice (first on line {seen[key]}; msgctxt "
                    f"{entry.context!r}): remove one of them; a merge of two versions "
                    "of the file often does this", path, entry.line)
            seen[key] = entry.line
    stripped = text.replace("\r\n", "\n")
    ending = "\n\n" if stripped.endswith("\n\n") else "\n"
    po = PoFile(path, entries, encoding, warnings=warnings, tail=tail,
                fix_charset=fix_charset, ending=ending)
    po.style = detect_style(text, {name.lower(): value for name, value in po.header_fields()})
    return po


def read(path: Path, duplicates: bool = False) -> PoFile:
    """Read and parse ``path``; a missing or unreadable file is a :class:`TranslationError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TranslationError("catalog not found", path) from None
    except OSError as exc:
        raise TranslationError(f"cannot read the catalog ({exc.strerror})", path) from None
    return parse(data, path, duplicates)


# Writing ---------------------------------------------------------------------


def _part_lines(entry: Entry, part: str, style: Style) -> list[str]:
    prefix = "#~ " if entry.obsolete else ""
    if part == "translator":
        return [f"# {comment}".rstrip() if comment else "#"
                for comment in entry.translator_comments]
    if part == "auto":
        return comment_lines(".", entry.auto_comments, style)
    if part == "references":
        return reference_lines(entry.references, style)
    if part == "flags":
        return [f"#, {', '.join(entry.flags)}"] if entry.flags else []
    if part == "previous":
        mark = "#~| " if entry.obsolete else "#| "
        lines = []
        for keyword, value in (("msgctxt", entry.previous_context),
                               ("msgid", entry.previous_msgid),
                               ("msgid_plural", entry.previous_msgid_plural)):
            if value is not None:
                lines.extend(string_lines(mark, keyword, value, style))
        return lines
    if part == "msgctxt":
        return [] if entry.context is None else string_lines(
            prefix, "msgctxt", entry.context, style)
    if part == "msgid":
        return string_lines(prefix, "msgid", entry.msgid, style)
    if part == "msgid_plural":
        return [] if entry.msgid_plural is None else string_lines(
            prefix, "msgid_plural", entry.msgid_plural, style)
    if entry.msgid_plural is None:
        return string_lines(prefix, "msgstr", entry.string, style)
    return [line for index, value in enumerate(entry.msgstr)
            for line in string_lines(prefix, f"msgstr[{index}]", value, style)]


def entry_lines(entry: Entry, style: Style) -> list[str]:
    """The lines of one entry: original lines for unchanged parts, new ones otherwise."""
    lines = []
    for part in PARTS:
        recorded = entry.raw.get(part)
        if (recorded is not None and entry.raw_obsolete == entry.obsolete
                and recorded[0] == entry.part_value(part)):
            lines.extend(recorded[1])
        else:
            lines.extend(_part_lines(entry, part, style))
    return lines


def dumps(po: PoFile) -> bytes:
    """The file's bytes, in its own encoding, line ends and wrapping."""
    if po.fix_charset and po.header is not None:
        content_type = po.header_field("Content-Type") or "text/plain"
        po.set_header_field("Content-Type", _CHARSET.sub("charset=UTF-8", content_type)
                            if _CHARSET.search(content_type) else "text/plain; charset=UTF-8")
        po.encoding = "utf-8"
        po.fix_charset = False
    blocks = ["\n".join(line.rstrip("\r") for line in entry_lines(entry, po.style))
              for entry in po.entries]
    if po.tail:
        blocks.append("\n".join(line.rstrip("\r") for line in po.tail))
    text = "\n\n".join(blocks) + po.ending
    if po.style.newline != "\n":
        text = text.replace("\n", po.style.newline)
    try:
        return text.encode(po.encoding)
    except UnicodeEncodeError as exc:
        raise TranslationError(
            f"a translation has {exc.object[exc.start]!r}, which {po.encoding} cannot hold: "
            "convert the catalog to UTF-8 ('msgconv -t UTF-8') and set charset=UTF-8",
            po.path) from None
