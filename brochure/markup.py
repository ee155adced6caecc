"""The small inline markup and the placeholders that text may carry.

Content and translations are data. Text is HTML-escaped first; only then are
``**strong**``, ``*em*`` and the known ``{placeholders}`` turned into HTML.
Nothing a translator writes can become a tag, an attribute or a file to load.
"""

from __future__ import annotations

import re
import unicodedata
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

#: A Latin word as it stands in escaped text: letters, then more after an inner
#: dot, apostrophe or hyphen ("e.g", "X-ray", "phone's"), and an optional ®.
#: Escaped, an apostrophe is "&#39;" (markupsafe.escape).
_LATIN_WORD = (r"(?<!\w)[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f]*"
               r"(?:(?:[.'’\-]|&#39;)[A-Za-z0-9\u00c0-\u024f]+)*®?")
#: A run of Latin words, joined by spaces or "&". Up to six are a clinic's
#: name, a Latin term (*ligamentum flavum*), a brand ("mild®"); more are a
#: sentence (English left in a translation), see :func:`typeset`. Placeholders
#: ({phone}, %(date)s) and entities (&amp;) are matched first, to be kept.
#: A number beside Latin words belongs to their run ("Suite 300", "14 Quayside
#: Walk"): left outside, bidi reordering would set it on the run's other side.
_NUMBER = r"(?<![\w.,])\d+(?:[.,\-/]\d+)*(?!\w)(?![.,\-/]\d)"
_LATIN_RUN_RE = re.compile(
    r"(?P<keep>%\(\w+\)s|\{\w+\}|&#?\w+;)"
    rf"|(?P<run>(?:{_NUMBER} )?{_LATIN_WORD}"
    rf"(?:(?: | &amp; )(?:{_LATIN_WORD}|{_NUMBER}))*)")
#: The most Latin words a run kept whole on one line may have.
_NAME_WORDS = 6
_RUN_SEPARATOR = re.compile(r" (?:&amp; )?")
_NUMBER_RE = re.compile(_NUMBER)


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


def isolated_name(text: str) -> Markup:
    """A name (the clinic's) in its own direction, its last line never one word.

    Isolated from the page's direction, so a Latin name on a right-to-left
    page wraps in its own order: "Maple Hollow Spine &" / "Pain Clinic", not
    with its "&" sent to the other end of the line.
    """
    direction = "ltr"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            direction = "ltr" if kind == "L" else "rtl"
            break
    return Markup('<span class="name" dir="%s">%s</span>') % (
        direction, keep_end_together(escape(text)))


def latin_run(html: str) -> str:
    """Wrap escaped Latin ``html`` inside right-to-left text so it stays whole and in order.

    The span (class ``latin``) sets the run left to right and keeps it on one
    line (base.css): "Maple Hollow Spine & Pain Clinic" never wraps with its
    "&" sent to the other end, nor *ligamentum flavum* split over two lines.
    """
    return f'<span class="latin" dir="ltr">{html}</span>'


#: Characters after which a web address may break: after a dot or a slash only.
_URL_BREAK = re.compile(r"(?<=[./])(?=[^./])")


def breakable_url(text: str) -> Markup:
    """A web address as HTML that can break only after a dot or a slash (``<wbr>``).

    Set left to right; it is never hyphenated (base.css, class ``url``).
    """
    escaped = str(escape(text))
    return Markup('<span class="url" dir="ltr">%s</span>') % Markup(
        _URL_BREAK.sub("<wbr>", escaped))


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
#: Han, kana, Hangul: scripts whose lines may break between any two characters.
_UNSPACED = re.compile(r"[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff]")


def keep_end_together(html: str) -> Markup:
    """Join the last two words of a heading or a cover line, so its last line has two.

    A word joiner after the last space forbids a line break there ("...lumbar
    spinal" / "stenosis" becomes "...lumbar" / "spinal stenosis"); where the
    text ends in a script written without spaces (Chinese, Japanese), a word
    joiner binds its last two characters instead. (Not a no-break space: in
    right-to-left text poppler reads the words on either side of one as two
    runs, in the wrong order.) Texts of fewer than four words are left as they
    are (joining two of three would leave the first one alone). Tags in
    ``html`` are left as they are.
    """
    parts = _TAG_OR_TEXT.split(str(html))
    plain = "".join(part for part in parts if not part.startswith("<")).strip()
    if len(plain.split()) < 4 and not (len(plain) >= 4 and _UNSPACED.match(plain[-1])):
        # Two or three words: joining two would leave the first alone.
        return Markup(html)
    texts = [index for index, part in enumerate(parts) if part and not part.startswith("<")]
    # (part index, character index) of every character, last first.
    positions = [(index, offset) for index in reversed(texts)
                 for offset in range(len(parts[index]) - 1, -1, -1)]
    visible = [(index, offset) for index, offset in positions
               if not parts[index][offset].isspace()]
    if len(visible) < 2:
        return Markup(html)
    last, before = visible[0], visible[1]
    if _UNSPACED.match(parts[last[0]][last[1]]) and _UNSPACED.match(parts[before[0]][before[1]]):
        index, offset = before
        parts[index] = parts[index][:offset + 1] + WJ + parts[index][offset + 1:]
        return Markup("".join(parts))
    seen_word = False
    for index, offset in positions:
        char = parts[index][offset]
        if not char.isspace():
            seen_word = True
        elif seen_word and char in " \n":
            parts[index] = parts[index][:offset + 1] + WJ + parts[index][offset + 1:]
            break
    return Markup("".join(parts))


#: Letters of right-to-left scripts; Latin letters.
_RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HANGUL_PAIR = re.compile(r"(?<=[\uac00-\ud7a3])(?=[\uac00-\ud7a3])")
#: Word joiner: no line break here (CSS word-break: keep-all, which WeasyPrint lacks).
WJ = "\u2060"


def typeset(html: str, rtl: bool = False, keep_words: bool = False) -> str:
    """Adjust escaped ``html`` so WeasyPrint sets it as its readers expect.

    ``rtl``: a run of Latin words (a brand such as "mild®", a name, a Latin
    term) is set left to right and kept on one line (:func:`latin_run`).
    ``keep_words``: Korean breaks lines between words, never inside one.
    """
    text = html
    if rtl and _RTL_LETTER.search(text):
        text = _LATIN_RUN_RE.sub(_latin_run_of, text)
    elif rtl and _LATIN_LETTER.search(text):
        # A text with no right-to-left letter at all (English where the
        # translation is missing): left to right as a whole, free to wrap.
        text = f'<span dir="ltr">{text}</span>'
    if keep_words:
        text = _HANGUL_PAIR.sub(WJ, text)
    return text


def _latin_run_of(match: re.Match[str]) -> str:
    """A placeholder or entity as it is; a run of Latin words set left to right.

    A name or term (up to six words) stays whole on its line; a longer run is a
    sentence, set left to right as a whole but free to wrap: kept on one line,
    or cut into six-word pieces that each are, it would run out of a narrow
    column (a booking code's caption) and its pieces leave their order.
    """
    if match.group("keep"):
        return match.group("keep")
    run = match.group("run")
    words = [part for part in _RUN_SEPARATOR.split(run) if not _NUMBER_RE.fullmatch(part)]
    if len(words) > _NAME_WORDS:
        return f'<span dir="ltr">{run}</span>'
    return latin_run(run)


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
