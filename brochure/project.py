"""Where a project's folders are."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
