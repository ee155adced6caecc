"""Shared fixtures: the real project, a writable copy of it, and built PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from brochure import BuildOptions, Project, build

ROOT = Path(__file__).resolve().parent.parent
#: The project's inputs, and the package: babel.cfg extracts the code's own texts
#: from brochure/strings.py (a copy of the whole package, so that ``python -m
#: brochure`` run in the copy imports the package, not a folder of one file).
PROJECT_PARTS = ("content", "clinics", "templates", "assets", "locales", "babel.cfg",
                 "brochure")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A writable copy of the project in ``tmp_path``; the working folder is set there."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / part)
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


@pytest.fixture(scope="session")
def repo() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def english_booklet(tmp_path_factory: pytest.TempPathFactory, repo: Project) -> Path:
    """The English booklet of the example clinic, built once for the session."""
    out = tmp_path_factory.mktemp("dist")
    result = build(BuildOptions(clinics=("maple-hollow",), languages=("en",),
                                layouts=("booklet",), out=out), repo)
    [path] = result.outputs
    return path
