"""Line wrapping of PO files the way GNU gettext and Babel do it.

:mod:`brochure.pofile` writes a changed part of an entry in the style of the
file it came from; this module knows the styles. Babel's (``pybabel``, 76
columns) is Babel's own code, ``babel.messages.pofile.normalize`` (pinned in
constraints.txt; tests/test_pofile.py fails if an upgrade changes its
output). GNU's (msgmerge, msgcat, Poedit: 79 columns; translate-toolkit and
Weblate: 77) is written here: strings break after spaces, after hyphens,
slashes and sentence punctuation before a letter, and between CJK
characters, at most ``width`` display columns a line (CJK characters count
two), close enough to GNU's use of UAX #14 that formatting every entry of
the ten shipped catalogs anew reproduces ``msgcat --width=79`` exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel.messages.pofile import normalize as babel_normalize
from babel.util import TextWrapper

_WRITE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
                  "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


@dataclass(frozen=True)
class Style:
    """How a file wraps its strings: ``gnu`` or ``babel``, at ``width`` (0: never)."""

    wrap: str = "babel"
    width: int = 76
    newline: str = "\n"


#: Babel's own style: what ``pybabel`` and the tool's ``i18n init`` write.
BABEL_STYLE = Style("babel", 76)



def detect_style(text: str, fields: dict[str, str]) -> Style:
    """Guess the tool that wrapped the file from the shape of its string lines.

    Babel breaks *before* a space (a continued line may start with ``" ``) and
    keeps lines under 76 characters; GNU gettext (msgmerge, msgcat, Poedit)
    breaks after spaces at up to 79 columns; translate-toolkit (Weblate) at
    77; a file whose long strings stay on one line is not wrapped at all.
    """
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    lines = [line.rstrip("\r") for line in text.split("\n")]
    babel_breaks = 0
    broken_chars = broken_columns = longest_single = 0
    open_string = False
    for number, line in enumerate(lines):
        body = line[3:] if line.startswith("#~ ") else line
        following = lines[number + 1] if number + 1 < len(lines) else ""
        following = following[3:] if following.startswith("#~ ") else following
        continued = following.startswith('"')
        if body.startswith('"'):
            if open_string and body.startswith('" ') and not body.startswith('"  '):
                babel_breaks += 1
            if continued and not body.endswith('\\n"'):
                broken_chars = max(broken_chars, len(body))
                broken_columns = max(broken_columns, columns(body))
            open_string = True
        else:
            open_string = body.startswith("msg") and continued
            if body.startswith("msg") and not continued:
                longest_single = max(longest_single, columns(body))
    generator = fields.get("x-generator", "").lower()
    if babel_breaks and "poedit" not in generator:
        return Style("babel", 76, newline)
    if broken_chars > 75:
        toolkit = "translate toolkit" in generator or "weblate" in generator
        return Style("gnu", 77 if toolkit and broken_columns <= 76 else 79, newline)
    if not broken_chars and longest_single > 80:
        return Style("gnu", 0, newline)
    if "babel" in fields.get("generated-by", "").lower() and not generator:
        return Style("babel", 76, newline)
    return Style("gnu", 79, newline)


def columns(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def escape(value: str) -> str:
    """The body of a PO string for ``value`` (without the quotes)."""
    return "".join(_WRITE_ESCAPES.get(char, char) if char in _WRITE_ESCAPES or ord(char) >= 32
                   else f"\\{ord(char):03o}" for char in value)


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF" and not unicodedata.category(
        char).startswith("P")


#: Characters GNU never puts at the start of a line (closing punctuation) and never
#: leaves at the end of one (opening punctuation).
_NO_BREAK_BEFORE = set(",.;:!?)]}>%’”»、。，．：；！？）」』】〉》〕・ー…‥")
_NO_BREAK_AFTER = set("([{<‘“«（「『【〈《〔")


def _break_points(value: str) -> set[int]:
    """Indexes before which a line may break, close to what GNU gettext's UAX #14 allows."""
    points = set()
    for index in range(1, len(value)):
        before, char = value[index - 1], value[index]
        if char in " \n" or before == "\n" or char in _NO_BREAK_BEFORE or (
                before in _NO_BREAK_AFTER):
            continue
        if before == " ":
            points.add(index)
        elif before in ".,:;!?" and not char.isdigit():
            points.add(index)
        elif before in "-/—" and index >= 2 and value[index - 2].isalnum() and (
                char.isalpha() or before == "—"):
            points.add(index)
        elif char == "—" or (_is_cjk(before) or _is_cjk(char)) and not (
                before.isascii() and before.isalnum() and char.isascii()):
            points.add(index)
    return points


def _gnu_pieces(value: str, room: int) -> list[str]:
    pieces: list[str] = []
    for segment in re.split(r"(?<=\n)", value):
        if not segment:
            continue
        points = sorted(_break_points(segment))
        start = 0
        while columns(escape(segment[start:])) > room:
            fitting = [point for point in points if point > start
                       and columns(escape(segment[start:point])) <= room]
            if not fitting:
                later = [point for point in points if point > start]
                if not later:
                    break
                fitting = [later[0]]
            pieces.append(segment[start:fitting[-1]])
            start = fitting[-1]
        pieces.append(segment[start:])
    return pieces


def string_lines(prefix: str, keyword: str, value: str, style: Style) -> list[str]:
    """``keyword "value"`` as lines in ``style``; ``prefix`` is ``#~ ``, ``#| `` or ``""``."""
    if style.wrap == "babel":
        if prefix.endswith("| "):
            # Babel writes no valid '#|' lines of its own (it wraps them like
            # comments); these follow its wrapping of the text beside them.
            width = style.width - len(prefix) if style.width > 0 else 0
            lines = babel_normalize(value, width=width).split("\n")
            return [f"{prefix}{keyword} {lines[0]}", *(prefix + line for line in lines[1:])]
        text = babel_normalize(value, prefix=prefix, width=style.width)
        lines = text.split("\n")
        return [f"{prefix}{keyword} {lines[0]}", *lines[1:]]
    one = f'{prefix}{keyword} "{escape(value)}"'
    newline_inside = "\n" in value[:-1]
    if not newline_inside and (style.width <= 0 or columns(one) <= style.width):
        return [one]
    room = style.width - len(prefix) - 2 if style.width > 0 else 10 ** 9
    if not newline_inside and not _break_points(value):
        return [one]  # nowhere to break: GNU keeps it on one line
    return [f'{prefix}{keyword} ""'] + [
        f'{prefix}"{escape(piece)}"' for piece in _gnu_pieces(value, room)]


def comment_lines(mark: str, comments: list[str], style: Style) -> list[str]:
    if style.wrap == "babel" and style.width > 0:
        wrapper = TextWrapper(width=style.width, break_long_words=False)
        return [f"#{mark} {line.strip()}".rstrip() for comment in comments
                for line in (wrapper.wrap(comment) or [""])]
    return [f"#{mark} {comment}".rstrip() if comment or mark else "#" for comment in comments]


def reference_lines(references: list[str], style: Style) -> list[str]:
    if not references:
        return []
    width = style.width if style.width > 0 else 10 ** 9
    lines: list[str] = []
    current = "#:"
    for reference in references:
        if current != "#:" and len(current) + 1 + len(reference) > width:
            lines.append(current)
            current = "#:"
        current += " " + reference
    lines.append(current)
    return lines


