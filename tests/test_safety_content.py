"""Issue 11: boxed warning lists, emergency and after-hours numbers, the restart field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from brochure import (
    BuildOptions,
    ClinicError,
    ContentError,
    Project,
    build,
    load_clinic,
)
from brochure import catalogs as catalog_tools
from brochure.clinic import tel_url
from brochure.content import load_document
from brochure.freeze import freeze_ids
from brochure.handout import FieldError, check_fields, handout_fields

from . import pdfcheck
from .test_content import GOOD, _write

BOXES = """\
  - id: recovery
    heading: "R"
    blocks:
      - id: call-us
        call_us: "Call {phone} if you have any of these; when closed, {after_hours_phone}."
        items:
          - fever: "a fever"
          - "a red cut"
      - id: emergency
        emergency: "Call {emergency_number} if:"
        items:
          - bladder: "you cannot control your bladder"
      - id: key
        key_points: "In short:"
        items: [first-point: "It may help."]
"""


def _with_boxes(tmp_path: Path) -> Path:
    text = GOOD.replace('  - id: recovery\n    heading: "R"\n    blocks: [{paragraph: "x"}]\n',
                        BOXES)
    assert text != GOOD
    return _write(tmp_path, text)


def test_boxed_lists_have_a_lead_and_named_items(tmp_path: Path) -> None:
    document = load_document(_with_boxes(tmp_path))
    recovery = document.sections[3]
    call, emergency, key = recovery.blocks
    assert (call.kind, emergency.kind, key.kind) == ("call_us", "emergency", "key_points")
    assert call.text is not None and call.text.context == "recovery.call-us"
    assert [item.context for item in call.items] == [
        "recovery.call-us.fever", "recovery.call-us.red-cut"]
    assert emergency.items[0].context == "recovery.emergency.bladder"
    assert key.items[0].context == "recovery.key.first-point"
    comment = call.text.comment
    assert "'Call us'" in comment and "{after_hours_phone} = the number to call" in comment
    assert "{emergency_number} = the local emergency number" in emergency.text.comment
    assert "'Emergency'" in emergency.items[0].comment and "1 of 1" in emergency.items[0].comment
    # The item without an id got one derived from its words, and freezing writes it.
    path = tmp_path / "doc.yaml"
    assert ("red-cut", "item") in {(derived.id, derived.kind)
                                   for derived in document.derived_ids}
    assert freeze_ids(path) == len(document.derived_ids)
    assert '- red-cut: "a red cut"' in path.read_text(encoding="utf-8")
    assert not load_document(path).derived_ids


@pytest.mark.parametrize(("edit", "message"), [
    (('        items:\n          - bladder: "you cannot control your bladder"\n', ""),
     "a emergency block needs 'items'"),
    (("items: [first-point: \"It may help.\"]", "items: []"), "items must be a non-empty list"),
    (('call_us: "Call {phone}', 'call_us: "Call {fax}'), "unknown placeholder {fax}"),
])
def test_bad_boxed_lists_name_their_line(tmp_path: Path, edit: tuple[str, str],
                                         message: str) -> None:
    path = _with_boxes(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_document(path)
    assert any(message in problem.message and problem.line for problem in caught.value.problems)


def test_items_belong_only_to_boxed_lists(tmp_path: Path) -> None:
    text = GOOD.replace('      - paragraph: "Text."', '      - paragraph: "Text."\n'
                        '        items: ["x"]')
    with pytest.raises(ContentError, match="unknown key 'items' in a paragraph block"):
        load_document(_write(tmp_path, text))


def _profile(project: Project, old: str, new: str) -> Path:
    path = project.clinics_dir / "maple-hollow.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_shipped_profiles_have_their_countries_numbers(repo: Project) -> None:
    maple = load_clinic(repo.clinics_dir / "maple-hollow.yaml")
    harbour = load_clinic(repo.clinics_dir / "harbourview.yaml")
    assert (maple.country, maple.emergency_number) == ("US", "911")
    assert (harbour.country, harbour.emergency_number) == ("GB", "999")
    assert maple.after_hours_phone and maple.out_of_hours_phone == maple.after_hours_phone
    # No after-hours line: the main phone is printed for "when we are closed".
    assert harbour.after_hours_phone is None and harbour.out_of_hours_phone == harbour.phone
    assert "en-GB" in harbour.languages and "en" not in harbour.languages


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("country: US", "country: USA", "country:", "country must be a two-letter ISO 3166"),
    ("country: US", "country: gb", "country:", "country must be a two-letter ISO 3166"),
    ("country: US", "country: EU", "country:", "country must be a two-letter ISO 3166"),
    ("country: US", "country: BR", "country:",
     "no emergency number is known for country BR: add emergency_number"),
    ("# emergency_number: \"911\"", "emergency_number: \"9-1-1\"", "emergency_number:",
     "emergency_number must be the digits of the local emergency number"),
    ("# emergency_number: \"911\"", "emergency_number: 000", "emergency_number:",
     "in quotes"),
    ('after_hours_phone: "(555) 010-4499"', 'after_hours_phone: "call us"',
     "after_hours_phone:", "after_hours_phone must be digits"),
    ("country: US", "", "name:", "missing 'country'"),
])
def test_bad_country_and_numbers_name_file_and_line(project: Project, old: str, new: str,
                                                    needle: str, message: str) -> None:
    path = _profile(project, old, new)
    with pytest.raises(ClinicError) as caught:
        load_clinic(path)
    [problem] = caught.value.problems
    assert problem.file == path and message in problem.message
    assert problem.line == _line_of(path, needle)


def test_a_written_emergency_number_wins_over_the_country(project: Project) -> None:
    path = _profile(project, "country: US", "country: BR\nemergency_number: \"192\"")
    clinic = load_clinic(path)
    assert (clinic.country, clinic.emergency_number) == ("BR", "192")
    path = _profile(project, "emergency_number: \"192\"", "emergency_number: 192")
    assert load_clinic(path).emergency_number == "192"  # unquoted, no digit lost


def test_the_numbers_print_as_phone_links(small: Project, tmp_path: Path) -> None:
    content = small.content_dir / "demo.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace(
        '        warning: "Call us if you feel unwell."',
        '        call_us: "Call {phone}; when we are closed, {after_hours_phone}:"\n'
        '        items: [unwell: "you feel unwell"]\n'
        '      - id: emergency\n'
        '        emergency: "Call {emergency_number} if:"\n'
        '        items: [bladder: "you cannot control your bladder"]'), encoding="utf-8")
    profile = small.clinics_dir / "demo.yaml"
    result = build(BuildOptions(languages=("en",), layouts=("handout",), out=tmp_path / "a"),
                   small)
    [pdf] = result.outputs
    text = " ".join(pdfcheck.text(pdf).split())
    # No after-hours line: the main number stands in, and reads as a sentence.
    assert "Call (555) 010-0000; when we are closed, (555) 010-0000:" in text
    assert "Call 911 if:" in text and "CALL US" in text and "EMERGENCY" in text
    assert {"tel:5550100000", "tel:911"} <= pdfcheck.link_uris(PdfReader(pdf))
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "country: US", 'country: GB\nafter_hours_phone: "020 7946 0999"'), encoding="utf-8")
    [pdf] = build(BuildOptions(languages=("en",), layouts=("handout",), out=tmp_path / "b"),
                  small).outputs
    text = " ".join(pdfcheck.text(pdf).split())
    assert "when we are closed, 020 7946 0999:" in text and "Call 999 if:" in text
    assert "tel:02079460999" in pdfcheck.link_uris(PdfReader(pdf))


def test_the_template_tells_translators_what_the_numbers_are(repo: Project) -> None:
    template = catalog_tools.read_catalog_file(repo.pot_path)
    comments = {message.context: " ".join(message.auto_comments)
                for message in template if message.id}
    assert "{emergency_number} = the local emergency number" in comments[
        "recovery.emergency-if"]
    assert "{after_hours_phone} = the number to call when the clinic is closed" in comments[
        "recovery.call-us-if"]


@pytest.mark.parametrize("field", ["restart", "checkup"])
@pytest.mark.parametrize(("value", "kept"), [
    ("2026-12-05", "2026-12-05"),
    ("  2 days after,   if no bleeding ", "2 days after, if no bleeding"),
    ("", None),
])
def test_restart_and_checkup_are_a_date_or_words(field: str, value: str,
                                                 kept: str | None) -> None:
    assert dict(check_fields([(field, value)])).get(field) == kept


@pytest.mark.parametrize(("value", "message"), [
    ("2026-02-30", "looks like a date but is not one"),
    ("2026-2-3", "looks like a date but is not one"),
    ("x" * 61, "at most 60 characters"),
])
def test_a_bad_restart_value_is_one_clean_error(value: str, message: str) -> None:
    with pytest.raises(FieldError, match=message) as caught:
        check_fields([("restart", value)])
    assert caught.value.field == "restart" and value not in str(caught.value)


def test_restart_dates_print_in_the_language(tmp_path: Path) -> None:
    from markupsafe import Markup

    def label(context: str, msgid: str) -> Markup:
        return Markup(msgid)

    rows = {row["name"]: row for row in handout_fields(label, "en-GB", {
        "restart": "2026-12-05", "date": "2026-12-03", "checkup": "2026-12-17"})}
    assert str(rows["restart"]["value"]) == "Saturday, 5 December 2026"
    assert str(rows["checkup"]["value"]) == "Thursday, 17 December 2026"
    assert str(rows["restart"]["label"]) == "Restart my blood thinner on"
    rows = {row["name"]: row for row in handout_fields(label, "es", {
        "restart": "dos días después"})}
    assert str(rows["restart"]["value"]) == "dos días después"



def _pages() -> list[tuple[str, str, str]]:
    from brochure.layouts import LAYOUT_NAMES

    from .conftest import ROOT
    cases = []
    for profile in sorted((ROOT / "clinics").glob("*.yaml")):
        clinic = load_clinic(profile)
        cases.extend((clinic.id, language, layout) for language in clinic.languages
                     for layout in LAYOUT_NAMES)
    return cases


#: What every layout must tell the patient (issue 11), as the texts that say it.
MUST_SAY = {
    "stop and restart blood thinners only as the doctor says": {
        "preparation.blood-thinners", "checklist.handout-key-points.kp-medicines-handout"},
    "a summary first": {"overview.key-points", "checklist.handout-key-points"},
    "an adult drives you home": {"preparation.ask-adult-drive", "checklist.find-adult-who"},
    "fasting, water included": {"preparation.stop-eating-drinking",
                                "checklist.stop-eating-on-the-day"},
    "when to call the clinic": {"recovery.call-us-if", "checklist.call-us-after"},
    "when to call the emergency number": {"recovery.emergency-if",
                                          "checklist.emergency-after"},
    "the disclaimer": {"disclaimer"},
}


@pytest.mark.parametrize(("clinic_id", "language", "layout"), _pages())
def test_every_layout_carries_the_safety_messages_and_end_matter(
        repo: Project, clinic_id: str, language: str, layout: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from brochure import localise
    from brochure.i18n import Lookups
    from brochure.jobs import LOADED
    from brochure.layouts import LAYOUTS
    from brochure.options import RenderOptions
    from brochure.project import DOMAIN

    class Recording(Lookups):
        """Every text the page looked up, English too (Lookups skips the source)."""

        printed: set[str | None] = set()

        def lookup(self, language: str, context: str | None, message: str,
                   domain: str = DOMAIN) -> tuple[str, bool]:
            self.printed.add(context)
            return super().lookup(language, context, message, domain)

    monkeypatch.setattr(localise, "Lookups", Recording)
    Recording.printed = set()
    clinic = LOADED.clinic(repo.clinics_dir / f"{clinic_id}.yaml")
    document = LOADED.document(repo.content_dir / "mild.yaml")
    catalogs = {code: LOADED.catalog(repo, code)
                for code in dict.fromkeys([language, *clinic.languages])}
    html = localise.render_html(localise.Page(
        document, clinic, language, LAYOUTS[layout], RenderOptions(), catalogs,
        repo.templates_dir, repo.assets_dir))
    missing = [what for what, contexts in MUST_SAY.items()
               if not contexts & Recording.printed]
    assert not missing, missing
    assert not html.lookups.fallbacks
    text = html.text
    assert 'class="callout call-us"' in text and 'class="callout emergency"' in text
    # The clinic's numbers, as phone links: main, when closed, emergency.
    for number in (clinic.phone, clinic.out_of_hours_phone, clinic.emergency_number):
        assert f'href="{tel_url(number)}"' in text
    # End matter: review date, sources (cited in English), the legal note.
    assert "Staats PS" in text and "https://doi.org/10.2147/JPR.S312573" in text
    assert "Vertos Medical" in text and 'class="reviewed"' in text


def test_the_cover_drawing_is_described_by_its_own_figure(repo: Project) -> None:
    from brochure.i18n import Lookups
    from brochure.jobs import LOADED
    from brochure.layouts import LAYOUTS
    from brochure.localise import Page, template_context
    from brochure.options import RenderOptions

    clinic = LOADED.clinic(repo.clinics_dir / "maple-hollow.yaml")
    document = LOADED.document(repo.content_dir / "mild.yaml")
    figures = [block for section in document.sections for block in section.blocks
               if block.kind == "figure"]
    # The side view comes first; the document names the top-down drawing for its cover.
    assert document.cover_figure is not None
    cover = document.figure(document.cover_figure)
    assert cover is not None and cover.src == "illustrations/lumbar-stenosis.svg"
    assert figures[0] is not cover
    assert cover.caption is not None
    catalogs = {"en": LOADED.catalog(repo, "en")}
    context = template_context(Page(document, clinic, "en", LAYOUTS["trifold"],
                                    RenderOptions(), catalogs, repo.templates_dir,
                                    repo.assets_dir), Lookups(catalogs))
    assert str(context["cover_alt"]) == cover.caption.msgid
    assert str(context["cover_caption"]) == cover.caption.msgid
    assert (repo.templates_dir / "trifold.html.j2").read_text().count("cover_caption") == 1
