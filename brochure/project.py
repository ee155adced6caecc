"""Where a project's folders are, and where each set of texts and its catalogs live."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: The gettext domain of the shared content: locales/brochure.pot and brochure.po.
DOMAIN = "brochure"


def catalog_dir_name(language: str) -> str:
    """The folder name gettext tools use for a language: ``zh-Hans`` → ``zh_Hans``."""
    return language.replace("-", "_")


@dataclass(frozen=True)
class TextSet:
    """The texts one set of catalogs translates: the shared content's, or one clinic's.

    The shared content's are ``content/*.yaml`` (and the templates and the
    code's own texts), translated in ``locales/<lang>/LC_MESSAGES/brochure.po``.
    A clinic's own texts are its notes (``clinics/<id>/notes.yaml``) and its
    documents (``clinics/<id>/content/*.yaml``), translated in
    ``clinics/<id>/locales/<lang>/LC_MESSAGES/<id>.po``, so one clinic's
    translator never sees another clinic's text. Both are extracted with the
    project's ``babel.cfg``, from their own folder.
    """

    #: The gettext domain, which names the template and catalog files.
    domain: str
    #: Where extraction starts: the project, or the clinic's folder.
    root: Path
    #: The project's ``babel.cfg``.
    config: Path

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def pot_path(self) -> Path:
        return self.locales_dir / f"{self.domain}.pot"

    def po_path(self, language: str) -> Path:
        return (self.locales_dir / catalog_dir_name(language) / "LC_MESSAGES"
                / f"{self.domain}.po")

    @property
    def shared(self) -> bool:
        """Whether these are the shared content's texts (not one clinic's)."""
        return self.domain == DOMAIN

    def content_files(self) -> list[Path]:
        """The YAML files whose texts this set holds (their ids are frozen into them)."""
        files = sorted((self.root / "content").glob("*.yaml"))
        notes = self.root / "notes.yaml"
        if not self.shared and notes.is_file():
            files.insert(0, notes)
        return files


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

    def texts(self) -> TextSet:
        """The shared content's texts and catalogs."""
        return TextSet(DOMAIN, self.root, self.root / "babel.cfg")

    def clinic_texts(self, clinic_id: str) -> TextSet:
        """A clinic's own texts (notes and documents) and their catalogs."""
        return TextSet(clinic_id, self.clinics_dir / clinic_id, self.root / "babel.cfg")

    def clinic_files(self) -> list[Path]:
        return sorted(self.clinics_dir.glob("*.yaml"))

    def clinic_content_files(self, clinic_id: str) -> list[Path]:
        """A clinic's own documents, ``clinics/<id>/content/*.yaml``: built for it alone."""
        return sorted((self.clinics_dir / clinic_id / "content").glob("*.yaml"))
