"""The write-in fields of the checklist handout, and filling them from the command line.

Staff may print a handout for one patient (``--field patient="…" --field
date=2026-12-03``). Those values are personal data: they go into the PDF and
nowhere else (no log line, no cache, no file name).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date, format_time
from markupsafe import Markup, escape

from .errors import UsageError
from .i18n import Catalog, locale_of
from .strings import HANDOUT_LABELS
from .text import clean_text, text_problems

FIELDS = tuple(HANDOUT_LABELS)


#: Fields with a fixed format: how to read them, and an example for the error message.
_FORMATS = {
    "date": (datetime.date.fromisoformat, "YYYY-MM-DD, e.g. date=2026-12-03"),
    "time": (datetime.time.fromisoformat, "HH:MM, e.g. time=07:30"),
}


def parse_fields(pairs: tuple[str, ...]) -> dict[str, str]:
    """Turn ``name=value`` pairs from the command line into checked field values."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in FIELDS:
            raise UsageError(f"--field {pair.split('=')[0]!r}: use NAME=VALUE with NAME one "
                             f"of {', '.join(FIELDS)}")
        # issue 14: one normaliser for every text; the message never shows the value.
        if problems := text_problems(value):
            raise UsageError(f"--field {name}: {problems[0]}")
        value = " ".join(clean_text(value).split())
        if name in _FORMATS:
            parse, example = _FORMATS[name]
            try:
                parse(value)
            except ValueError:
                raise UsageError(f"--field {name}: write the {name} as {example}") from None
        values[name] = value
    return values


def handout_fields(catalog: Catalog, values: Mapping[str, str]) -> list[dict[str, Any]]:
    """Label and (formatted) value of every write-in field, in the catalog's language."""
    locale = locale_of(catalog.language)
    rows = []
    for name in FIELDS:
        value = values.get(name, "")
        if value and name == "date":
            value = format_date(datetime.date.fromisoformat(value), format="full",
                                locale=locale)
        elif value and name == "time":
            value = format_time(datetime.time.fromisoformat(value), format="short",
                                locale=locale)
        rows.append({"name": name, "label": catalog.pgettext(*HANDOUT_LABELS[name]),
                     "value": Markup(escape(value)) if value else ""})
    return rows
