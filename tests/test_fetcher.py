from __future__ import annotations

from pathlib import Path

import pytest

from brochure import Project
from brochure.fetcher import ForbiddenURL, SandboxedFetcher


@pytest.fixture
def fetcher(repo: Project) -> SandboxedFetcher:
    return SandboxedFetcher([repo.templates_dir, repo.assets_dir,
                             repo.clinics_dir / "maple-hollow"])


def test_reads_allowed_files(fetcher: SandboxedFetcher, repo: Project) -> None:
    response = fetcher((repo.templates_dir / "base.css").as_uri())
    assert response.content_type == "text/css"
    assert b"font-family" in response.read()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "https://example.com/logo.png",
    "http://127.0.0.1/x.css",
    "data:text/css,body{}",
    "ftp://example.com/x",
])
def test_refuses_everything_else(fetcher: SandboxedFetcher, url: str) -> None:
    with pytest.raises(ForbiddenURL) as caught:
        fetcher(url)
    assert url in str(caught.value)


def test_refuses_escapes_through_dot_dot(fetcher: SandboxedFetcher, repo: Project) -> None:
    sneaky = (repo.templates_dir / ".." / "pyproject.toml").as_uri()
    with pytest.raises(ForbiddenURL):
        fetcher(sneaky)


def test_refuses_other_clinics_folders(fetcher: SandboxedFetcher, repo: Project,
                                       tmp_path: Path) -> None:
    other = repo.clinics_dir / "harbourview" / "logo.svg"
    with pytest.raises(ForbiddenURL):
        fetcher(other.as_uri())
