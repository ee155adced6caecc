"""The write-in fields of the checklist handout, checked and formatted.

Staff may print a handout for one patient (``--field patient="…" --field
date=2026-12-03``, or the web form). Those values are personal data: they go
into the PDF and nowhere else (no log line, no cache, no file name, no
manifest). :func:`check_fields` is the one place they are validated.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from babel.dates import format_date, format_time
from markupsafe import Markup, escape

from .errors import UsageError
from .i18n import locale_of
from .strings import HANDOUT_LABELS
from .text import clean_text, text_problems

FIELDS = tuple(HANDOUT_LABELS)

#: Longest value of each field: a name must fit its write-in line in two lines.
MAX_LENGTH = {"patient": 80, "doctor": 80, "driver": 80, "contact": 120, "date": 10,
              "time": 5, "restart": 60, "checkup": 60}

#: A value that looks like a date (``restart`` may be a date or words).
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z")
#: Fields that are a date when they look like one, and free text otherwise: the
#: doctor may give a day ("2026-12-05", printed in the language's own format) or
#: a rule ("2 days after, if there is no bleeding"), which staff write in the
#: patient's language; a check-up visit may be "in 2 weeks".
_DATE_OR_TEXT = {"restart", "checkup"}

#: Fields with a fixed format: how to read them, and how to write them.
_FORMATS = {
    "date": (datetime.date.fromisoformat, "YYYY-MM-DD, e.g. 2026-12-03"),
    "time": (datetime.time.fromisoformat, "HH:MM, e.g. 07:30"),
}


class FieldError(UsageError):
    """A handout field's value cannot be used; ``field`` names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"handout field {field!r}: {message}")
        self.field = field
        self.reason = message


def check_fields(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Return the checked, tidied field values in :data:`FIELDS` order.

    Raise :class:`FieldError` for an unknown field, a field given twice, a
    date or time that is not one, or a value too long to print. ``restart``
    and ``checkup`` are dates when they look like one (YYYY-MM-DD, then it must
    exist), else free text. Empty values mean "leave the line blank" and are dropped.
    """
    values: dict[str, str] = {}
    for name, value in pairs:
        if name not in FIELDS:
            raise FieldError(name, f"unknown field (known: {', '.join(FIELDS)})")
        if name in values:
            raise FieldError(name, "given twice")
        # One normaliser for every text; the message never shows the value.
        if problems := text_problems(str(value)):
            raise FieldError(name, problems[0])
        value = " ".join(clean_text(str(value)).split())
        if not value:
            continue
        if len(value) > MAX_LENGTH[name]:
            raise FieldError(name, f"at most {MAX_LENGTH[name]} characters "
                                   f"(got {len(value)})")
        if name in _DATE_OR_TEXT and _ISO_DATE.match(value):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise FieldError(name, "looks like a date but is not one: write it as "
                                       "YYYY-MM-DD, e.g. 2026-12-05, or in words") from None
        if name in _FORMATS:
            parse, example = _FORMATS[name]
            try:
                parse(value)
            except ValueError:
                raise FieldError(name, f"write the {name} as {example}") from None
            if name == "time" and len(value) != 5:
                raise FieldError(name, f"write the {name} as {example}")
        values[name] = value
    return tuple((name, values[name]) for name in FIELDS if name in values)


def handout_fields(label: Callable[[str, str], Markup], language: str,
                   values: dict[str, str]) -> list[dict[str, Any]]:
    """Label and (formatted) value of every write-in field, in ``language``.

    ``label(context, msgid)`` translates a label (and records the lookup).
    """
    locale = locale_of(language)
    rows = []
    for name in FIELDS:
        value = values.get(name, "")
        if value and (name == "date" or (name in _DATE_OR_TEXT and _ISO_DATE.match(value))):
            value = format_date(datetime.date.fromisoformat(value), format="full",
                                locale=locale)
        elif value and name == "time":
            value = format_time(datetime.time.fromisoformat(value), format="short",
                                locale=locale)
        rows.append({"name": name, "label": label(*HANDOUT_LABELS[name]),
                     "value": Markup(escape(value)) if value else ""})
    return rows
