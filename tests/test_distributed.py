"""Builds on a real Dask cluster (LocalCluster, worker processes) make the same bytes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from brochure import BuildFailed, BuildOptions, Project, UsageError, build
from brochure.jobs import ROOT_ENV


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=50) as running:
        yield running


def _pdfs(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*.pdf"))}


def test_dask_builds_the_same_bytes_as_a_local_build(small: Project,
                                                     cluster: LocalCluster) -> None:
    options = dict(languages=("es", "ar"), layouts=("trifold", "handout", "booklet"))
    local = build(BuildOptions(out=small.root / "local", jobs=1, **options), small)
    remote = build(BuildOptions(out=small.root / "remote",
                                scheduler=cluster.scheduler_address, **options), small)
    assert remote.built == local.built == 6
    assert _pdfs(small.root / "remote") == _pdfs(small.root / "local")
    # The manifest works the same: a second run skips everything.
    again = build(BuildOptions(out=small.root / "remote",
                               scheduler=cluster.scheduler_address, **options), small)
    assert again.built == 0 and again.skipped == 6


def test_a_worker_with_other_files_fails_the_job_instead_of_a_wrong_pdf(
        small: Project, tmp_path: Path) -> None:
    copy = tmp_path / "worker-checkout"
    shutil.copytree(small.root, copy)
    style = copy / "templates" / "trifold.css"
    style.write_text(style.read_text() + "\nh2 { color: red; }\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=50,
                      env={ROOT_ENV: str(copy)}) as other:
        with pytest.raises(BuildFailed) as caught:
            build(BuildOptions(out=small.root / "out", languages=("es",),
                               layouts=("trifold",), scheduler=other.scheduler_address),
                  small)
    assert "while building demo/es/trifold: the project files on this machine" in \
        str(caught.value)
    assert not (small.root / "out" / "demo").exists()


def test_a_patients_handout_never_goes_to_a_cluster(small: Project) -> None:
    with pytest.raises(UsageError) as caught:
        build(BuildOptions(out=small.root / "out", languages=("es",),
                           fields={"patient": "Rosa"}, scheduler="tcp://127.0.0.1:9"), small)
    assert "on this machine only" in str(caught.value)


def test_an_unreachable_scheduler_is_one_clear_error(small: Project,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("brochure.runner.CONNECT_TIMEOUT", 1.0)
    with pytest.raises(UsageError) as caught:
        build(BuildOptions(out=small.root / "out", languages=("es",), layouts=("handout",),
                           scheduler="tcp://127.0.0.1:9"), small)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in str(caught.value)
