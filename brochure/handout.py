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

FIELDS = tuple(HANDOUT_LABELS)


def parse_fields(pairs: tuple[str, ...]) -> dict[str, str]:
    """Turn ``name=value`` pairs from the command line into checked field values."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in FIELDS:
            raise UsageError(f"--field {pair.split('=')[0]!r}: use NAME=VALUE with NAME one "
                             f"of {', '.join(FIELDS)}")
        value = " ".join(value.split())
        if name == "date":
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise UsageError("--field date: write the date as YYYY-MM-DD, "
                                 "e.g. date=2026-12-03") from None
        if name == "time":
            try:
                datetime.time.fromisoformat(value)
            except ValueError:
                raise UsageError("--field time: write the time as HH:MM, "
                                 "e.g. time=07:30") from None
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
