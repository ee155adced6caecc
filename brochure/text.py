"""One normaliser for every text that reaches a page: YAML, catalogs, handout fields.

Text from the content, a clinic profile, a translation or the command line is
brought to one form before anything else looks at it:

* Unicode NFC, so that "é" typed as one character or as e + accent is the
  same msgid, the same catalog key and the same glyph;
* separators that WeasyPrint cannot lay out become a plain space (WeasyPrint
  70 fails with ``AssertionError: Got ' \\u2029' between two lines`` in its
  inline layout on U+2029; U+2028 and U+1680 are treated the same way);
* characters that cannot be printed at all are refused with a message that
  names the character and where it stands in the text: C0 and C1 control
  characters (a tab or a line break is fine: it is folded into a space), and
  lone surrogates, which is what Python makes of bytes that are not UTF-8.

Bidirectional marks (U+200E, U+2066..U+2069, ...), zero-width joiners, no-break
and thin spaces are kept: translators of Arabic, Persian or French need them.
"""

from __future__ import annotations

import unicodedata

#: Characters replaced by a plain space. Each is a line or word separator that
#: the layout folds anyway; WeasyPrint's inline layout asserts on U+2029, and
#: U+1680 (the Ogham space mark) is reported to do the same in some fonts.
_AS_SPACE = {
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
    "\u1680": "OGHAM SPACE MARK",
}
#: Control characters that are ordinary white space in a text file.
_WHITESPACE_CONTROLS = "\t\n\r"
_SPACE_TABLE = str.maketrans({char: " " for char in _AS_SPACE})


#: The usual abbreviations of the C0 control characters (Unicode gives them no name).
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 "
             "NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()


class UnusableText(ValueError):
    """A text holds a character that cannot be printed; the message says which."""


def _describe(char: str, where: str) -> str:
    """Say what ``char`` is and why it cannot be used; ``where`` is " at character N" or ""."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        # Python's surrogateescape turns each byte that is not UTF-8 into one of these.
        return (f"the byte 0x{code - 0xDC00:02X}{where} is not UTF-8 text (save the file as "
                "UTF-8, or set the terminal to UTF-8)")
    if 0xD800 <= code <= 0xDFFF:
        return f"the lone surrogate U+{code:04X}{where} is half of a character, not text"
    if unicodedata.category(char) != "Cc":
        name = unicodedata.name(char, "a noncharacter")
        return f"the character U+{code:04X} ({name}){where} cannot be used; remove it"
    label = _C0_NAMES[code] if code < 0x20 else "DEL" if code == 0x7F else "a C1 control"
    return (f"the control character U+{code:04X} ({label}){where} cannot be printed; "
            "remove it")


def _unusable(char: str) -> bool:
    code = ord(char)
    return 0xD800 <= code <= 0xDFFF or (
        unicodedata.category(char) == "Cc" and char not in _WHITESPACE_CONTROLS)


def describe_character(char: str) -> str:
    """The message for one unusable character, without its position."""
    return _describe(char, "")


def text_problems(value: str) -> list[str]:
    """What makes ``value`` unprintable, one message per distinct character; [] if fine.

    Positions count characters from 1, as an editor's column would.
    """
    found: dict[str, str] = {}
    for position, char in enumerate(value, 1):
        if _unusable(char) and char not in found:
            found[char] = _describe(char, f" at character {position}")
    return list(found.values())


def without_unusable(value: str) -> str:
    """``value`` cleaned, with the characters :func:`text_problems` names left out.

    For callers that report those problems and go on validating the rest.
    """
    return clean_text("".join(char for char in value if not _unusable(char)))


def clean_text(value: str) -> str:
    """Return ``value`` in NFC with unprintable separators made spaces.

    Raises :class:`UnusableText` (a ``ValueError``) naming the first bad
    character when ``value`` holds a control character or a lone surrogate;
    the caller adds the file and line. Call :func:`text_problems` first to
    collect every problem instead.
    """
    problems = text_problems(value)
    if problems:
        raise UnusableText("; ".join(problems))
    return unicodedata.normalize("NFC", value.translate(_SPACE_TABLE))
