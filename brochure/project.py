"""Where a project's folders are, and the options every build shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Layouts the tool can render, in the order ``--layout all`` builds them.
LAYOUTS = ("booklet", "large-print", "trifold", "handout")


@dataclass(frozen=True)
class Project:
    """A brochure project: content, clinics, locales, templates and assets."""

    root: Path = field(default_factory=Path.cwd)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def clinics_dir(self) -> Path:
        return self.root / "clinics"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def pot_path(self) -> Path:
        return self.locales_dir / "brochure.pot"

    def content_files(self) -> list[Path]:
        return sorted(self.content_dir.glob("*.yaml"))

    def clinic_files(self) -> list[Path]:
        return sorted(self.clinics_dir.glob("*.yaml"))


@dataclass(frozen=True)
class BuildOptions:
    """What to build; shared by the CLI and the library API.

    ``None`` for clinics, languages or layouts means all of them.
    """

    clinics: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    layouts: tuple[str, ...] | None = None
    out: Path = Path("dist")
    strict: bool = False
    #: Add 3 mm bleed and crop marks, and write imposed booklets for a print shop.
    print_ready: bool = False
    #: Handout write-in fields filled for one patient (personal data: PDF only).
    fields: tuple[tuple[str, str], ...] = ()
