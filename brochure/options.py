"""What to build and how: one set of options for the CLI, the library and the web app.

The CLI only converts its arguments into :class:`BuildOptions`; every check
(unknown layouts, clinics, handout fields, dates and times) happens in the
library, in :func:`brochure.jobs.plan`, so every caller gets the same errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Environment variable naming a Dask scheduler, as ``--scheduler`` does.
SCHEDULER_ENV = "BROCHURE_SCHEDULER"


@dataclass(frozen=True)
class RenderOptions:
    """Options that change what one PDF looks like (part of every job)."""

    #: Add 3 mm bleed and crop marks, and write imposed booklets for a print shop.
    print_ready: bool = False
    #: Handout write-in fields filled for one patient (personal data: PDF only).
    #: Checked values, in the order of :data:`brochure.handout.FIELDS`.
    fields: tuple[tuple[str, str], ...] = ()


def _pairs(fields: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = fields.items() if isinstance(fields, Mapping) else fields
    return tuple((str(name), str(value)) for name, value in items)


@dataclass(frozen=True)
class BuildOptions:
    """What to build; shared by the CLI, the web app and the library API.

    ``None`` for clinics, languages or layouts means all of them.
    """

    clinics: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    layouts: tuple[str, ...] | None = None
    out: Path = Path("dist")
    #: Fail every PDF that would print a text in English instead of its language.
    strict: bool = False
    print_ready: bool = False
    #: Handout write-in fields for one patient, as given (checked by the plan).
    fields: tuple[tuple[str, str], ...] = field(default=())
    #: Worker processes; None means one per CPU.
    jobs: int | None = None
    #: Rebuild every PDF, even those whose inputs did not change.
    force: bool = False
    #: A Dask scheduler address (``tcp://host:8786``) to send the jobs to.
    scheduler: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _pairs(self.fields))
        object.__setattr__(self, "out", Path(self.out))
