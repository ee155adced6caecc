"""Fonts per script, and the check that every character has a glyph.

The font stack of a language is the Noto family of each script its text
uses, found from the text itself, so a new language in a new script needs no
code: only its Noto font installed. Han characters need the regional face of
the language (SC for Simplified Chinese, KR for Korean...), which the
language tag decides. WeasyPrint silently draws boxes for a character no
font covers; :func:`missing_characters` finds them before that happens.
"""

from __future__ import annotations

import functools
import os
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from fontTools.ttLib import TTCollection, TTFont

BASE_FAMILY = "Noto Sans"

#: Han characters take the regional CJK face of the language.
_CJK_FACES = {
    "zh-hans": "Noto Sans CJK SC", "zh-cn": "Noto Sans CJK SC", "zh-sg": "Noto Sans CJK SC",
    "zh": "Noto Sans CJK SC", "zh-hant": "Noto Sans CJK TC", "zh-tw": "Noto Sans CJK TC",
    "zh-hk": "Noto Sans CJK HK", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR",
}
#: Scripts whose best reading face is not "Noto Sans <Script>".
_SCRIPT_FAMILIES = {
    "Arabic": ("Noto Naskh Arabic", "Noto Sans Arabic"),
    "CJK": ("Noto Sans CJK SC",),
    "Hangul": ("Noto Sans CJK KR",),
    "Hiragana": ("Noto Sans CJK JP",),
    "Katakana": ("Noto Sans CJK JP",),
}
#: The "script" of symbols (arrows, check marks, currency, pictographs), and its faces.
SYMBOLS = "Symbols"
SYMBOL_FAMILIES = ("Noto Sans Symbols", "Noto Sans Symbols2", "Noto Sans Math")
#: Unicode name prefixes that are not a script's name.
_NAME_ALIASES = {"HANGUL": "Hangul", "CJK": "CJK", "IDEOGRAPHIC": "CJK", "FULLWIDTH": "CJK",
                 "HALFWIDTH": "CJK", "KATAKANA-HIRAGANA": "Katakana"}
#: Common characters any font of the stack may draw (punctuation, digits...).
_NEUTRAL_PREFIXES = ("LATIN", "DIGIT", "SPACE", "NO-BREAK", "COMMA", "FULL STOP", "HYPHEN",
                     "LEFT", "RIGHT", "QUOTATION", "APOSTROPHE", "COLON", "SEMICOLON",
                     "QUESTION", "EXCLAMATION", "PERCENT", "REGISTERED", "EN DASH", "EM DASH",
                     "NUMBER", "AMPERSAND", "SOLIDUS", "PLUS", "EQUALS", "MIDDLE DOT",
                     "BULLET", "HORIZONTAL ELLIPSIS", "COMMERCIAL AT", "LOW LINE", "ASTERISK",
                     "NARROW NO-BREAK", "ZERO WIDTH", "GREEK", "CYRILLIC", "MULTIPLICATION",
                     "DEGREE", "MICRO", "COPYRIGHT", "SECTION", "DOLLAR", "EURO", "POUND")


def script_of(char: str) -> str | None:
    """A script name such as ``Arabic`` or ``Devanagari``; None for Latin and neutral."""
    name = unicodedata.name(char, "")
    if not name or char.isascii() or name.startswith(_NEUTRAL_PREFIXES):
        return None
    first = name.split(" ")[0]
    if first in _NAME_ALIASES:
        return _NAME_ALIASES[first]
    if name.startswith("SYRIAC"):
        return "Syriac"
    category = unicodedata.category(char)
    if not category.startswith("L") and not installed(f"Noto Sans {first.title()}"):
        # Only a letter's name starts with its script. A symbol's, a mark's or a
        # digit's may not ("GRINNING FACE", "COMBINING ACUTE ACCENT", "VARIATION
        # SELECTOR-16"), unless that script has a font ("THAI CURRENCY SYMBOL
        # BAHT"): symbols take the symbol faces, the rest the text faces.
        return SYMBOLS if category.startswith("S") else None
    return first.title()


def font_stack(language: str, text: str) -> list[str]:
    """Font families for text in ``language``, best first, ending with Noto Sans."""
    scripts = sorted({script for char in set(text) if (script := script_of(char))})
    stack: list[str] = []
    cjk_face = _CJK_FACES.get(language.lower()) or _CJK_FACES.get(language.split("-")[0].lower())
    for script in scripts:
        if script == SYMBOLS:
            continue  # after every text face, below
        if script in ("CJK", "Hangul", "Hiragana", "Katakana") and cjk_face:
            families: tuple[str, ...] = (cjk_face,)
        else:
            families = _SCRIPT_FAMILIES.get(script, (f"Noto Sans {script}",))
        for family in families:
            if family not in stack:
                stack.append(family)
    # Latin, digits and punctuation come from Noto Sans; put it first unless the
    # language's own script has a face with its own matching Latin (Arabic, Indic).
    if any(family.startswith("Noto Sans CJK") for family in stack) or not stack:
        stack = [BASE_FAMILY, *stack]
    else:
        stack = [*stack, BASE_FAMILY]
    if SYMBOLS in scripts:
        # Last, so that letters, digits and punctuation keep their text face.
        stack.extend(SYMBOL_FAMILIES)
    return stack


def css_family(stack: Iterable[str]) -> str:
    return ", ".join(f'"{family}"' for family in stack) + ", sans-serif"


@dataclass(frozen=True)
class _Face:
    family: str
    file: str
    index: int


@functools.cache
def _find(family: str) -> _Face | None:
    """The installed file of ``family`` (fontconfig), or None if it is not installed."""
    try:
        result = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}\n%{family}", f"{family}:style=Regular"],
            capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    lines = result.stdout.split("\n")
    if len(lines) < 3:
        return None
    names = [name.strip() for name in lines[2].split(",")]
    if family not in names:
        return None
    return _Face(family, lines[0], int(lines[1] or 0))


@functools.cache
def _coverage(family: str) -> frozenset[int]:
    face = _find(family)
    if face is None:
        return frozenset()
    if face.file.lower().endswith((".ttc", ".otc")):
        font = TTCollection(face.file, lazy=True).fonts[face.index]
    else:
        font = TTFont(face.file, lazy=True)
    cmap = font.getBestCmap() or {}
    return frozenset(cmap)


def identity(family: str) -> str:
    """What a build depends on when it uses ``family``: its file's name, face and size."""
    face = _find(family)
    if face is None:
        return f"{family}: not installed"
    try:
        size = os.path.getsize(face.file)
    except OSError:
        size = -1
    return f"{family}: {os.path.basename(face.file)}#{face.index} {size}"


def installed(family: str) -> bool:
    return _find(family) is not None


def missing_characters(stack: Iterable[str], text: str) -> list[str]:
    """Characters of ``text`` that no family of ``stack`` has a glyph for."""
    covered: set[int] = set()
    for family in stack:
        covered |= _coverage(family)
    return sorted(char for char in set(text)
                  if not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc")
                  and ord(char) not in covered)


#: Blocks of emoji and pictographs (with the regional-indicator flags).
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0xFE00, 0xFE0F),
                 (0x1F1E6, 0x1F1FF))


def is_emoji(char: str) -> bool:
    """Whether ``char`` is in a block of emoji or pictographs."""
    return any(start <= ord(char) <= end for start, end in _EMOJI_RANGES)


def missing_glyph_hint(missing: Iterable[str], stack: Iterable[str]) -> str:
    """How to fix characters that no font of ``stack`` can draw."""
    missing = list(missing)
    emoji = [char for char in missing if is_emoji(char)]
    if emoji:
        return ("emoji and pictographs cannot be printed in the brochures (" + " ".join(emoji)
                + "): remove them or say it in words")
    absent = [family for family in stack if not installed(family)]
    if absent:
        return (f"install the font(s) {', '.join(absent)} (Debian: fonts-noto-core, "
                "fonts-noto-extra or fonts-noto-cjk)")
    return ("use characters of the language's usual script, or install a Noto font "
            "that covers them (Debian: fonts-noto-extra)")
