"""Shared fixtures: the real project, a writable copy of it, and built PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from brochure import BuildOptions, BuildResult, Project, build

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
    # The clinic's own documents (its Your visit booklet) are built beside it.
    [path] = [path for path in result.outputs if path.name == "mild-booklet.pdf"]
    return path


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A small synthetic project (see tests/synthetic.py); the working folder is set there."""
    from .synthetic import make_project

    project = make_project(tmp_path / "project")
    monkeypatch.chdir(project.root)
    return project


@pytest.fixture(scope="session")
def everything_result(tmp_path_factory: pytest.TempPathFactory, repo: Project
                      ) -> tuple[Path, BuildResult]:
    """Every layout of every language of every clinic, as `make brochures` builds them."""
    out = tmp_path_factory.mktemp("all")
    return out, build(BuildOptions(out=out), repo)


@pytest.fixture(scope="session")
def everything(everything_result: tuple[Path, BuildResult]) -> Path:
    return everything_result[0]


@pytest.fixture(scope="session")
def matrix(everything: Path) -> Path:
    """The shipped matrix (both clinics, every layout and language), built once."""
    return everything


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The hardening tests' small project (tests/hardening_project.py), working folder set."""
    from .hardening_project import make_project

    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return make_project(root)
