"""The build as jobs: the plan checks everything, a job is pure, --strict is judged per PDF."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from brochure import (
    LAYOUTS,
    BrochureError,
    BuildFailed,
    BuildOptions,
    FieldError,
    Layout,
    Project,
    UsageError,
    build,
    plan,
    render_job,
)
from brochure.i18n import po_path

from . import pdfcheck
from .synthetic import set_translation


def _options(project: Project, **kwargs: object) -> BuildOptions:
    kwargs.setdefault("out", project.root / "dist")
    kwargs.setdefault("jobs", 1)
    return BuildOptions(**kwargs)  # type: ignore[arg-type]


def test_a_job_is_small_frozen_and_picklable(small: Project) -> None:
    jobs = plan(_options(small), small).jobs
    assert len(jobs) == 3 * len(LAYOUTS)
    job = jobs[0]
    assert pickle.loads(pickle.dumps(job)) == job
    assert len(pickle.dumps(job)) < 1500
    with pytest.raises(AttributeError):
        job.language = "fr"  # type: ignore[misc]


def test_rendering_a_job_writes_nothing(small: Project) -> None:
    [job] = plan(_options(small, languages=("es",), layouts=("trifold",)), small).jobs
    before = sorted(small.root.rglob("*"))
    rendered = render_job(job)
    assert sorted(small.root.rglob("*")) == before
    [(name, data)] = rendered.files
    assert name == "demo/es/demo-trifold.pdf" and data.startswith(b"%PDF-")
    assert rendered.pages == 2 and rendered.fallbacks == ()
    assert "templates/trifold.css" in rendered.reads
    # A text of the booklet alone (its notes pages) is no text of the leaflet.
    assert ("es", "ui.notes", "My notes and questions") not in {
        key[:3] for key in rendered.texts}


@pytest.mark.parametrize(("options", "message"), [
    ({"layouts": ("poster",)}, "unknown layout 'poster'"),
    ({"clinics": ("nowhere",)}, "unknown clinic 'nowhere' (known: demo)"),
    ({"languages": ("xx-Nowhere-1",)}, "unknown language code 'xx-Nowhere-1'"),
    ({"fields": (("patinet", "Rosa"),)}, "handout field 'patinet': unknown field"),
    ({"fields": (("date", "2026-02-30"),), "languages": ("es",)},
     "handout field 'date': write the date as YYYY-MM-DD"),
    ({"fields": (("time", "7.30"),), "languages": ("es",)},
     "handout field 'time': write the time as HH:MM"),
    ({"fields": (("patient", "x" * 10_000),), "languages": ("es",)},
     "handout field 'patient': at most 80 characters (got 10000)"),
    ({"fields": (("patient", "Rosa"),)}, "handout fields are for one patient"),
    ({"fields": (("patient", "Rosa"),), "languages": ("es",), "layouts": ("booklet",)},
     "handout fields fill the handout: add --layout handout"),
    ({"jobs": 0}, "--jobs must be 1 or more"),
])
def test_options_are_checked_in_the_library(small: Project, options: dict[str, object],
                                            message: str) -> None:
    with pytest.raises(UsageError) as caught:
        build(_options(small, **options), small)
    assert message in str(caught.value)
    assert not (small.root / "dist").exists()


def test_a_field_error_names_its_field(small: Project) -> None:
    with pytest.raises(FieldError) as caught:
        plan(_options(small, languages=("es",), fields={"date": "tomorrow"}), small)
    assert caught.value.field == "date"


def test_fields_fill_only_the_one_handout_asked_for(small: Project) -> None:
    result = build(_options(small, clinics=("demo",), languages=("es",),
                            fields={"patient": "Rosa Delgado", "date": "2026-12-03"}), small)
    [path] = result.outputs
    assert path.name == "demo-handout-filled.pdf"
    assert "Rosa Delgado" in pdfcheck.text(path)
    manifest = (small.root / "dist" / ".brochure-manifest.json")
    assert not manifest.exists() or "Rosa" not in manifest.read_text()


def test_strict_fails_only_what_a_pdf_printed_in_english(small: Project) -> None:
    # A handout-only label, untranslated, does not fail the Spanish booklet.
    set_translation(small, "es", "ui.handout", "")
    build(_options(small, languages=("es",), layouts=("booklet",), strict=True), small)
    with pytest.raises(BuildFailed) as caught:
        build(_options(small, languages=("es",), layouts=("handout",), strict=True), small)
    assert "no usable es translation" in str(caught.value)
    assert "ui.handout: 'Name'" in str(caught.value)


def test_strict_fails_an_english_booklet_that_prints_a_notice_in_english(
        small: Project) -> None:
    set_translation(small, "es", "ui.assist", "")
    with pytest.raises(BuildFailed) as caught:
        build(_options(small, languages=("en",), layouts=("booklet", "handout"),
                       strict=True), small)
    failures = caught.value.result.failures
    assert [str(error) for error in failures] == [
        "locales/es/LC_MESSAGES/brochure.po: while building demo/en/booklet: 1 text(s) have "
        "no usable es translation and are shown in English: ui.assist: 'If you speak "
        "{language}, free help in…' (--strict)"]
    # The handout prints no notice: it was built, and no Spanish warning was given.
    assert [path.name for path in caught.value.result.outputs] == ["demo-handout.pdf"]


def test_an_english_handout_warns_about_no_other_catalog(small: Project) -> None:
    set_translation(small, "es", "ui.assist", "")
    result = build(_options(small, languages=("en",), layouts=("handout",)), small)
    assert result.warnings == [] and result.fallbacks == {}
    result = build(_options(small, languages=("en",), layouts=("booklet",)), small)
    assert list(result.fallbacks) == ["es"]
    [warning] = result.warnings
    assert warning.startswith("locales/es/LC_MESSAGES/brochure.po: 1 text(s)")


def test_one_failing_job_does_not_stop_the_others(small: Project) -> None:
    set_translation(small, "es", "recovery.rest", " ".join(["Una frase larga."] * 400))
    with pytest.raises(BuildFailed) as caught:
        build(_options(small, languages=("es", "ar"), jobs=2), small)
    result = caught.value.result
    [failure] = result.failures
    assert str(failure).startswith("content/demo.yaml:")
    assert "while building demo/es/trifold: panel \"recovery + risks\" overflows" in str(failure)
    assert len(result.outputs) == 7
    assert not (small.root / "dist" / "demo" / "es" / "demo-trifold.pdf").exists()


def test_an_unreadable_catalog_fails_only_its_own_language(small: Project) -> None:
    path = po_path(small.locales_dir, "ar")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n',
                    encoding="utf-8")
    with pytest.raises(BuildFailed) as caught:
        build(_options(small, jobs=2), small)
    result = caught.value.result
    # One error for the language, not one per layout.
    [failure] = result.failures
    assert str(failure).startswith("locales/ar/LC_MESSAGES/brochure.po:")
    assert "while building demo/ar: unterminated string" in str(failure)
    assert {path.parent.name for path in result.outputs} == {"en", "es"}
    # Other languages still print the Arabic notice, in English, with a warning.
    assert any("ar/LC_MESSAGES/brochure.po" in warning and "printed in English" in warning
               for warning in result.warnings)


def test_jobs_1_and_jobs_2_make_the_same_bytes(small: Project) -> None:
    one = build(_options(small, out=small.root / "one", jobs=1), small)
    two = build(_options(small, out=small.root / "two", jobs=2), small)
    names = sorted(path.relative_to(small.root / "one") for path in one.outputs)
    assert names == sorted(path.relative_to(small.root / "two") for path in two.outputs)
    for name in names:
        assert (small.root / "one" / name).read_bytes() == \
            (small.root / "two" / name).read_bytes(), name


def test_two_checkouts_in_other_folders_timezones_and_locales_agree(
        small: Project, tmp_path: Path) -> None:
    import shutil

    other = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(small.root, other)
    outputs = []
    for folder, env in ((small.root, {"TZ": "UTC", "LANG": "C.UTF-8"}),
                        (other, {"TZ": "Pacific/Auckland", "LANG": "fr_FR.UTF-8",
                                 "LC_ALL": "fr_FR.UTF-8"})):
        result = subprocess.run(
            [sys.executable, "-m", "brochure", "build", "--lang", "ar", "--out", "out"],
            cwd=folder, env={**os.environ, **env}, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append(folder / "out")
    for path in sorted(outputs[0].rglob("*.pdf")):
        twin = outputs[1] / path.relative_to(outputs[0])
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_a_layout_is_one_record_and_its_template(small: Project,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (small.templates_dir / "poster.html.j2").write_text(
        '<!DOCTYPE html><html lang="{{ lang }}" dir="{{ dir }}"><head>'
        '{% include "_head.html.j2" %}</head><body><h1>{{ title }}</h1></body></html>',
        encoding="utf-8")
    (small.templates_dir / "poster.css").write_text("h1 { font-size: 60pt; }\n")
    poster = Layout("poster", "one big page", page_limit=1, landscape=True)
    monkeypatch.setitem(LAYOUTS, "poster", poster)
    result = build(_options(small, languages=("es",), layouts=("poster",)), small)
    [path] = result.outputs
    assert path.name == "demo-poster.pdf"
    assert "[es] The demo procedure" in pdfcheck.text(path)


def test_a_worker_with_other_files_refuses_the_job(small: Project,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    import shutil

    from brochure.jobs import ROOT_ENV, InputMismatch

    [job] = plan(_options(small, languages=("es",), layouts=("handout",)), small).jobs
    copy = tmp_path / "worker-copy"
    shutil.copytree(small.root, copy)
    monkeypatch.setenv(ROOT_ENV, str(copy))
    render_job(job)  # the same files elsewhere: fine
    style = copy / "templates" / "handout.css"
    style.write_text(style.read_text() + "\nh1 { color: red; }\n")
    with pytest.raises(InputMismatch) as caught:
        render_job(job)
    assert "while building demo/es/handout" in str(caught.value)
    assert isinstance(caught.value, BrochureError)
