"""Incremental builds: unchanged PDFs are skipped and untouched; changed inputs rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brochure import BuildOptions, Project, build
from brochure.manifest import NAME

from .synthetic import set_translation


def _build(project: Project, **kwargs: object) -> tuple[set[str], set[str]]:
    """Build; return the built and the unchanged PDFs as clinic/lang/file names."""
    out = project.root / "dist"
    result = build(BuildOptions(out=out, **kwargs), project)  # type: ignore[arg-type]
    def names(paths: list[Path]) -> set[str]:
        return {path.relative_to(out).as_posix() for path in paths}
    return names(result.outputs), names(result.unchanged)


def _mtimes(project: Project) -> dict[str, int]:
    out = project.root / "dist"
    return {path.relative_to(out).as_posix(): path.stat().st_mtime_ns
            for path in out.rglob("*.pdf")}


@pytest.fixture
def built(small: Project) -> Project:
    built, unchanged = _build(small)
    assert len(built) == 12 and not unchanged
    return small


def test_a_second_build_skips_everything_and_touches_nothing(built: Project) -> None:
    before = _mtimes(built)
    manifest = (built.root / "dist" / NAME).stat().st_mtime_ns
    built_now, unchanged = _build(built)
    assert built_now == set() and len(unchanged) == 12
    assert _mtimes(built) == before
    assert (built.root / "dist" / NAME).stat().st_mtime_ns == manifest


def test_one_edited_msgstr_rebuilds_only_the_pdfs_that_print_it(built: Project) -> None:
    # A paragraph that only the full layouts show (it is not condensed).
    set_translation(built, "es", "overview.booklet-only", "[es] Un párrafo nuevo.")
    rebuilt, unchanged = _build(built)
    assert rebuilt == {"demo/es/demo-booklet.pdf", "demo/es/demo-large-print.pdf"}
    assert len(unchanged) == 10


def test_an_edited_notice_rebuilds_every_pdf_that_prints_it(built: Project) -> None:
    set_translation(built, "es", "ui.assist",
                    "[es] Si habla {language}, llame al {phone}.")
    rebuilt, _ = _build(built)
    # The booklets and leaflets of the other languages print the Spanish notice;
    # handouts print no notice, and a page does not print its own language's.
    assert rebuilt == {f"demo/{lang}/demo-{layout}.pdf" for lang in ("en", "ar")
                       for layout in ("booklet", "large-print", "trifold")}


def test_an_edited_stylesheet_rebuilds_the_layouts_that_read_it(built: Project) -> None:
    style = built.templates_dir / "handout.css"
    style.write_text(style.read_text() + "\nh1 { letter-spacing: 0.01em; }\n")
    rebuilt, _ = _build(built)
    assert rebuilt == {f"demo/{lang}/demo-handout.pdf" for lang in ("en", "es", "ar")}


def test_an_edited_profile_rebuilds_that_clinic(built: Project) -> None:
    profile = built.clinics_dir / "demo.yaml"
    profile.write_text(profile.read_text().replace("1 Test Street", "2 Test Street"))
    rebuilt, _ = _build(built)
    assert len(rebuilt) == 12


def test_a_missing_or_hand_edited_pdf_is_rebuilt(built: Project) -> None:
    out = built.root / "dist"
    (out / "demo" / "es" / "demo-handout.pdf").unlink()
    edited = out / "demo" / "ar" / "demo-trifold.pdf"
    edited.write_bytes(edited.read_bytes() + b"% edited by hand\n")
    rebuilt, _ = _build(built)
    assert rebuilt == {"demo/es/demo-handout.pdf", "demo/ar/demo-trifold.pdf"}
    assert not edited.read_bytes().endswith(b"% edited by hand\n")


def test_force_rebuilds_everything_but_keeps_identical_files_untouched(
        built: Project) -> None:
    before = _mtimes(built)
    rebuilt, unchanged = _build(built, force=True)
    assert len(rebuilt) == 12 and not unchanged
    assert _mtimes(built) == before  # the same bytes: not rewritten


@pytest.mark.parametrize("manifest", [
    b"\x00garbage{", b"[]", b'{"tool": "someone-else", "format": 1, "pdfs": {}}',
    b'{"tool": "brochure", "format": 99, "pdfs": {}}',
    b'{"tool": "brochure", "format": 1, "pdfs": {"demo/es/demo-booklet.pdf": {"code": 1}}}',
    b'{"tool": "brochure", "format": 1, "pdfs": {"demo/es/demo-booklet.pdf": []}}',
])
def test_a_corrupt_or_foreign_manifest_means_rebuild(built: Project, manifest: bytes) -> None:
    path = built.root / "dist" / NAME
    path.write_bytes(manifest)
    rebuilt, _ = _build(built)
    assert "demo/es/demo-booklet.pdf" in rebuilt
    data = json.loads(path.read_text())
    assert data["tool"] == "brochure" and len(data["pdfs"]) == 12


def test_strict_judges_skipped_pdfs_by_what_they_printed(built: Project) -> None:
    from brochure import BuildFailed

    set_translation(built, "es", "overview.booklet-only", "")
    _build(built)  # rebuilt with the English paragraph, a warning only
    with pytest.raises(BuildFailed) as caught:
        _build(built, strict=True)
    result = caught.value.result
    assert sorted(str(error).split(": while building ")[1].split(":")[0]
                  for error in result.failures) == ["demo/es/booklet", "demo/es/large-print"]
    assert result.built == 0 and result.skipped == 10


def test_a_filled_handout_is_never_recorded(built: Project) -> None:
    _build(built, languages=("es",), fields={"patient": "Rosa Delgado"})
    text = (built.root / "dist" / NAME).read_text()
    assert "filled" not in text and "Rosa" not in text
    rebuilt, _ = _build(built, languages=("es",), fields={"patient": "Rosa Delgado"})
    assert rebuilt == {"demo/es/demo-handout-filled.pdf"}
