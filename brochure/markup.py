"""The small inline markup and the placeholders that text may carry.

Content and translations are data. Text is HTML-escaped first; only then are
``**strong**``, ``*em*`` and the known ``{placeholders}`` turned into HTML.
Nothing a translator writes can become a tag, an attribute or a file to load.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from babel.messages.catalog import PYTHON_FORMAT
from markupsafe import Markup, escape

#: Placeholders a text may use, and what a translator should know of each.
PLACEHOLDERS: dict[str, str] = {
    "clinic_name": "the clinic's name",
    "phone": "the clinic's phone number",
    "website": "the clinic's website address",
    "emergency_number": "the local emergency number, digits only (911 in the US, 999 in "
                        "the UK)",
    "after_hours_phone": "the number to call when the clinic is closed (the clinic's main "
                         "phone number if it has no other line)",
}

_LATIN_BRAND_RE = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*®")

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BRACE_RE = re.compile(r"[{}]")
_STRONG_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM_RE = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


def placeholders(text: str) -> Counter[str]:
    """Return how often each ``{name}`` appears in ``text``."""
    return Counter(PLACEHOLDER_RE.findall(text))


def markup_signature(text: str) -> tuple[int, int]:
    """Return the number of ``**strong**`` and ``*em*`` spans in ``text``."""
    strong = len(_STRONG_RE.findall(text))
    em = len(_EM_RE.findall(_STRONG_RE.sub(r"\1", text)))
    return strong, em


def problems(text: str, source: bool = True) -> list[str]:
    """Return what is wrong with the markup and placeholders of ``text``.

    ``source``: ``text`` is English source text, where a ``%`` before a letter
    would make gettext tools treat the message as a Python format string.
    """
    found = []
    unknown = sorted(set(placeholders(text)) - set(PLACEHOLDERS))
    if unknown:
        known = ", ".join("{%s}" % name for name in PLACEHOLDERS)
        found.append(
            "unknown placeholder "
            + ", ".join("{%s}" % name for name in unknown)
            + f" (known: {known})")
    stray_braces = _BRACE_RE.findall(PLACEHOLDER_RE.sub("", text))
    if stray_braces:
        found.append("a brace { or } that is not part of a {placeholder}")
    if source and PYTHON_FORMAT.search(text):
        found.append("a % sign right before a letter (like '1.3% of') looks like a format "
                     "code to gettext tools; write it another way, e.g. '(1.3%)'")
    without_spans = _EM_RE.sub(r"\1", _STRONG_RE.sub(r"\1", text))
    if "*" in without_spans:
        found.append("an unmatched * (use **strong** or *em*)")
    return found


def differences(source: str, translation: str) -> list[str]:
    """Return how the placeholders or markup of a translation differ from the source."""
    found = []
    if placeholders(source) != placeholders(translation):
        wanted = ", ".join(sorted("{%s}" % n for n in placeholders(source).elements()))
        got = ", ".join(sorted("{%s}" % n for n in placeholders(translation).elements()))
        found.append(f"placeholders differ: English has [{wanted}], translation has [{got}]")
    if markup_signature(source) != markup_signature(translation):
        strong, em = markup_signature(source)
        t_strong, t_em = markup_signature(translation)
        found.append(
            f"markup differs: English has {strong} **strong** and {em} *em*, "
            f"translation has {t_strong} and {t_em}")
    found.extend(p for p in problems(translation, source=False)
                 if p not in problems(source, source=False))
    return found


def isolate_ltr(text: str) -> str:
    """Wrap ``text`` so bidi reordering cannot scramble it (``+44 20`` → ``20 44+``)."""
    return Markup('<span dir="ltr">%s</span>') % text


_HANGUL_PAIR = re.compile(r"(?<=[\uac00-\ud7a3])(?=[\uac00-\ud7a3])")
#: Word joiner: no line break here (CSS word-break: keep-all, which WeasyPrint lacks).
WJ = "\u2060"


def typeset(html: str, rtl: bool = False, keep_words: bool = False) -> str:
    """Adjust escaped ``html`` so WeasyPrint sets it as its readers expect.

    ``rtl``: a Latin brand name such as "mild®" keeps its ® on the right.
    ``keep_words``: Korean breaks lines between words, never inside one.
    """
    text = html
    if rtl:
        text = _LATIN_BRAND_RE.sub(lambda match: str(isolate_ltr(match.group(0))), text)
    if keep_words:
        text = _HANGUL_PAIR.sub(WJ, text)
    return text


def render(text: str, values: Mapping[str, Markup | str], rtl: bool = False,
           keep_words: bool = False) -> Markup:
    """Escape ``text``, then apply the inline markup and fill the placeholders.

    ``values`` maps placeholder names to text (escaped here) or to
    :class:`Markup` the caller built itself (a ``tel:`` link, say).
    """
    html = typeset(str(escape(text)), rtl, keep_words)
    html = _STRONG_RE.sub(r"<strong>\1</strong>", html)
    html = _EM_RE.sub(r"<em>\1</em>", html)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return str(escape(values[name]))
        return match.group(0)

    return Markup(PLACEHOLDER_RE.sub(fill, html))


def plain(text: str, values: Mapping[str, str] | None = None) -> str:
    """Return ``text`` without markup, placeholders filled (for metadata and checks)."""
    text = _EM_RE.sub(r"\1", _STRONG_RE.sub(r"\1", text))
    text = text.replace(WJ, "")
    if values is not None:
        text = PLACEHOLDER_RE.sub(
            lambda match: str(values.get(match.group(1), match.group(0))), text)
    return text
