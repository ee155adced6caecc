"""A clinic's own texts: its notes, its own template and catalogs, the same tools."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from brochure import BuildOptions, BuildResult, ContentError, Project, build
from brochure import catalogs as catalog_tools
from brochure.cli import main
from brochure.i18n import read_catalog_file
from brochure.notes import load_notes

from . import pdfcheck

NOTES = """\
notes:
  - id: parking
    section: preparation
    heading: "Parking and check-in"
    blocks:
      - id: garage
        paragraph: "Park in the garage on Test Street. Call {phone} if you need help."
      - list:
          - level-one: "Take the lift to level 1."
  - id: thanks
    place: back-cover
    blocks:
      - id: team
        paragraph: "Our team is glad to help you."
"""


@pytest.fixture
def with_notes(small: Project) -> Project:
    (small.clinics_dir / "demo" / "notes.yaml").write_text(NOTES, encoding="utf-8")
    return small


def test_notes_load_with_contexts_like_the_content(with_notes: Project) -> None:
    notes = load_notes(with_notes.clinics_dir / "demo" / "notes.yaml")
    assert [(note.id, note.section, note.place) for note in notes.notes] == [
        ("parking", "preparation", None), ("thanks", None, "back-cover")]
    assert [text.context for text in notes.texts()] == [
        "parking.heading", "parking.garage", "parking.level-one", "thanks.team"]


@pytest.mark.parametrize(("text", "message"), [
    ("notes:\n  - id: x\n    blocks: [{paragraph: Hi}]\n", "needs either 'section:"),
    ("notes:\n  - id: x\n    place: cover\n    blocks: [{paragraph: Hi}]\n",
     "unknown place 'cover' (known: back-cover)"),
    ("notes:\n  - id: x\n    section: preparation\n    blocks: []\n",
     "a note needs a non-empty list of blocks"),
    ("notes:\n  - id: x\n    section: preparation\n    blocks: [{paragraph: '{fax}'}]\n",
     "unknown placeholder {fax}"),
    ("note: []\n", "the file must hold one key, 'notes:'"),
])
def test_broken_notes_name_file_and_line(with_notes: Project, text: str, message: str) -> None:
    path = with_notes.clinics_dir / "demo" / "notes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_notes(path)
    assert message in str(caught.value) and caught.value.line


def test_a_clinic_has_its_own_template_the_same_as_pybabel_makes(with_notes: Project) -> None:
    texts = with_notes.clinic_texts("demo")
    assert catalog_tools.extract(texts).changed
    assert texts.pot_path == with_notes.root / "clinics/demo/locales/demo.pot"
    ours = {(m.context, m.id) for m in read_catalog_file(texts.pot_path) if m.id}
    assert ("parking.heading", "Parking and check-in") in ours and len(ours) == 4
    shared = {(m.context, m.id) for m in read_catalog_file(with_notes.pot_path) if m.id}
    assert not ours & shared  # the shared template never holds a clinic's text
    plain = with_notes.root / "plain.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F",
                    "babel.cfg", "-o", str(plain), "clinics/demo"], cwd=with_notes.root,
                   check=True, capture_output=True)
    assert catalog_tools._signature(read_catalog_file(plain)) == \
        catalog_tools._signature(read_catalog_file(texts.pot_path))


def test_the_i18n_commands_work_on_a_clinic(with_notes: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["i18n", "extract", "--clinic", "demo"])
    assert result.exit_code == 0, result.output
    assert "clinics/demo/locales/demo.pot: updated" in result.output
    result = runner.invoke(main, ["i18n", "init", "es", "--clinic", "demo"])
    assert result.exit_code == 0, result.output
    po = with_notes.root / "clinics/demo/locales/es/LC_MESSAGES/demo.po"
    assert po.is_file() and "texts of demo" in po.read_text()
    result = runner.invoke(main, ["i18n", "stats", "--clinic", "demo"])
    assert result.exit_code == 0 and "es " in result.output and "0%" in result.output
    # `i18n check` checks the shared texts and every clinic's own.
    (with_notes.clinics_dir / "demo" / "notes.yaml").write_text(
        NOTES.replace("glad to help", "happy to help"), encoding="utf-8")
    result = runner.invoke(main, ["i18n", "check"])
    assert result.exit_code == 1
    assert "clinics/demo/locales/demo.pot: the template is stale" in result.output
    assert "'brochure i18n extract --clinic demo'" in result.output
    result = runner.invoke(main, ["i18n", "extract"])  # every text set
    assert "clinics/demo/locales/demo.pot: updated" in result.output
    runner.invoke(main, ["i18n", "update"])
    assert "happy to help" in po.read_text()


HANDOUT_NOTE = """\
  - id: bring
    section: checklist
    blocks:
      - id: parking-ticket
        condensed: true
        paragraph: "Bring your parking ticket: we stamp it at the desk."
"""


def _build(project: Project, **kwargs: object) -> BuildResult:
    return build(BuildOptions(out=project.root / "dist", jobs=1, **kwargs), project)  # type: ignore[arg-type]


def test_notes_print_at_their_places_in_the_clinics_language(with_notes: Project) -> None:
    path = with_notes.clinics_dir / "demo" / "notes.yaml"
    path.write_text(NOTES + HANDOUT_NOTE, encoding="utf-8")
    texts = with_notes.clinic_texts("demo")
    catalog_tools.extract(texts)
    catalog_tools.init(texts, "es")
    from .synthetic import edit_catalog

    edit_catalog(texts, "es", lambda message: "[es-demo] " + message.id)
    result = _build(with_notes, languages=("en", "es"),
                    layouts=("booklet", "handout", "trifold"))
    out = with_notes.root / "dist" / "demo"
    booklet = pdfcheck.text(out / "es" / "demo-booklet.pdf")
    assert "[es-demo] Parking and check-in" in booklet
    assert booklet.index("[es] Then this.") < booklet.index("[es-demo] Parking and check-in")
    assert "[es-demo] Our team is glad to help you." in booklet  # the back cover
    english = pdfcheck.text(out / "en" / "demo-booklet.pdf")
    assert "Parking and check-in" in english and "[es-demo]" not in english
    handout = pdfcheck.text(out / "es" / "demo-handout.pdf")
    assert "[es-demo] Bring your parking ticket" in handout and "Parking and check" not in handout
    assert result.fallbacks == {}


def test_untranslated_clinic_texts_fall_back_to_english_with_the_usual_report(
        with_notes: Project) -> None:
    catalog_tools.extract(with_notes.clinic_texts("demo"))
    result = _build(with_notes, languages=("es",), layouts=("booklet",))
    assert list(result.fallbacks) == ["demo:es"]
    [warning] = result.warnings
    assert warning.startswith("clinics/demo/locales/es/LC_MESSAGES/demo.po: 4 text(s) have "
                              "no usable es translation")
    assert "Parking and check-in" in pdfcheck.text(result.outputs[0])
    from brochure import BuildFailed

    with pytest.raises(BuildFailed) as caught:
        _build(with_notes, languages=("es",), layouts=("booklet",), strict=True)
    assert str(caught.value).startswith("clinics/demo/locales/es/LC_MESSAGES/demo.po:")


def test_a_note_for_a_section_no_document_has_is_an_error(with_notes: Project) -> None:
    path = with_notes.clinics_dir / "demo" / "notes.yaml"
    path.write_text(NOTES.replace("section: preparation", "section: parking"),
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        _build(with_notes, languages=("es",), layouts=("booklet",))
    assert str(caught.value).startswith(
        "clinics/demo/notes.yaml:2: note 'parking': no document has a section 'parking'")
    assert not (with_notes.root / "dist").exists()


def test_an_edited_clinic_translation_rebuilds_only_what_prints_it(with_notes: Project) -> None:
    texts = with_notes.clinic_texts("demo")
    catalog_tools.extract(texts)
    catalog_tools.init(texts, "es")
    from .synthetic import edit_catalog, set_translation

    edit_catalog(texts, "es", lambda message: "[es-demo] " + message.id)
    first = _build(with_notes)
    assert first.built == 12
    set_translation(texts, "es", "thanks.team", "[es-demo] Con mucho gusto.")
    again = _build(with_notes)
    rebuilt = sorted(path.name for path in again.outputs)
    # Only the Spanish booklets print the back cover's note.
    assert rebuilt == ["demo-booklet.pdf", "demo-large-print.pdf"]
    assert all(path.parent.name == "es" for path in again.outputs)
