"""Catalogs as translators use them: extraction, update, check, safety."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from brochure import BuildFailed, BuildOptions, Project, build, load_catalog
from brochure import catalogs as catalog_tools
from brochure.build import BuildResult
from brochure.cli import main
from brochure.i18n import direction, language_name, po_path, read_catalog_file

from . import pdfcheck

SHIPPED = ("es", "zh-Hans", "vi", "tl", "ar", "ko", "ru", "fr", "pt", "hi", "en-GB")


def _pybabel() -> str:
    return str(Path(sys.executable).with_name("pybabel"))


def test_pybabel_and_the_tool_extract_the_same_catalog(project: Project) -> None:
    subprocess.run([_pybabel(), "extract", "-F", "babel.cfg", "-o", "plain.pot", "."],
                   cwd=project.root, check=True, capture_output=True)
    project.pot_path.unlink()
    assert catalog_tools.extract(project).changed is True
    plain = read_catalog_file(project.root / "plain.pot")
    ours = read_catalog_file(project.pot_path)
    assert catalog_tools._signature(plain) == catalog_tools._signature(ours)
    # Extracting again changes nothing, not even the date.
    before = project.pot_path.read_bytes()
    assert catalog_tools.extract(project).changed is False
    assert project.pot_path.read_bytes() == before


def test_messages_carry_context_comment_and_line(repo: Project) -> None:
    template = read_catalog_file(repo.pot_path)
    messages = {message.context: message for message in template if message.id}
    answer = messages["faqs.older-still.answer"]
    assert answer.auto_comments and "answer" in " ".join(answer.auto_comments).lower()
    assert answer.locations[0][0] == "content/mild.yaml" and answer.locations[0][1] > 1
    assert "{phone} = the clinic's phone number" in " ".join(
        messages["recovery.call-us-if"].auto_comments)
    footer = messages["ui.footer"]
    assert "{page}" in footer.id and footer.auto_comments
    assert all(message.context for message in template if message.id)


def test_shipped_catalogs_are_complete_and_clean(repo: Project) -> None:
    assert catalog_tools.check(repo) == []
    rows = {row.language: row for row in catalog_tools.stats(repo)}
    for language in SHIPPED:
        row = rows[language]
        assert (row.percent, row.fuzzy, row.untranslated, row.problems) == (100.0, 0, 0, [])
        assert "qualified medical translator" in row.review


@pytest.mark.parametrize("language", SHIPPED)
def test_msgfmt_accepts_each_catalog(repo: Project, language: str) -> None:
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null",
         str(po_path(repo.locales_dir, language))], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


def _set_translation(project: Project, language: str, context: str, text: str) -> None:
    path = po_path(project.locales_dir, language)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.context == context]
    message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)


def test_changed_english_becomes_fuzzy_and_is_not_used(project: Project) -> None:
    content = project.content_dir / "mild.yaml"
    old = "Everyone heals in their own way."
    content.write_text(content.read_text().replace(old, "Each person heals in their own way."))
    catalog_tools.extract(project)
    catalog_tools.update(project)
    catalog = read_catalog_file(po_path(project.locales_dir, "es"))
    [message] = [m for m in catalog if m.context == "recovery.everyone-heals-own"]
    assert message.fuzzy and message.string
    assert message.previous_id and old in message.previous_id[0]
    loaded = load_catalog(project.locales_dir, "es")
    assert ("recovery.everyone-heals-own", message.id) not in loaded.messages
    text = po_path(project.locales_dir, "es").read_text()
    assert "#| msgid" in text


def test_a_translation_that_breaks_placeholders_falls_back_to_english(
        project: Project, tmp_path: Path) -> None:
    _set_translation(project, "es", "recovery.call-us-if",
                     "<img src=file:///etc/passwd> Llame a {__class__} al {telefono}.")
    problems = catalog_tools.check(project)
    assert any("placeholders differ" in p.message and p.line for p in problems)
    result = build(BuildOptions(clinics=("maple-hollow",), languages=("es",),
                                layouts=("booklet",), out=tmp_path / "out"), project)
    assert ("recovery.call-us-if" in dict(result.fallbacks["es"]))
    text = pdfcheck.text(_mild_booklet(result))
    assert "passwd" not in text and "{telefono}" not in text


def _mild_booklet(result: BuildResult) -> Path:
    """The mild booklet among what a build wrote (maple-hollow also has its own Your visit)."""
    [path] = [path for path in result.outputs if path.name == "mild-booklet.pdf"]
    return path


def test_html_in_a_translation_is_printed_as_text(project: Project, tmp_path: Path) -> None:
    hostile = '<b style="font-size:80pt">¿Dolerá?</b> <script>x()</script>'
    _set_translation(project, "es", "faqs.hurt.question", hostile)
    result = build(BuildOptions(clinics=("maple-hollow",), languages=("es",),
                                layouts=("booklet",), out=tmp_path / "out"), project)
    text = pdfcheck.text(_mild_booklet(result))
    assert '<b style="font-size:80pt">¿Dolerá?</b>' in text
    assert "<script>x()</script>" in text


def test_strict_turns_fallbacks_into_an_error(project: Project, tmp_path: Path) -> None:
    _set_translation(project, "es", "title", "")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--clinic", "maple-hollow", "--lang", "es",
                                  "--layout", "booklet", "--out", str(tmp_path), "--strict"])
    assert result.exit_code == 1
    assert "no usable es translation" in result.output
    assert "title: 'The mild® procedure'" in result.output
    # The mild booklet is not written; the clinic's own Your visit booklet, fully
    # translated, is (one failing PDF does not stop the others).
    assert not list(tmp_path.rglob("mild-*.pdf"))
    assert [path.name for path in tmp_path.rglob("*.pdf")] == ["your-visit-booklet.pdf"]


def test_a_character_no_font_covers_stops_the_build(project: Project, tmp_path: Path) -> None:
    _set_translation(project, "es", "title", "El procedimiento mild® \U000f0001")
    with pytest.raises(BuildFailed) as caught:
        build(BuildOptions(clinics=("maple-hollow",), languages=("es",),
                           layouts=("booklet",), out=tmp_path), project)
    message = str(caught.value)
    assert "es:" in message and "U+F0001" in message and "fix:" in message
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_new_language_in_a_new_script_needs_no_code(project: Project,
                                                      tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["i18n", "init", "he"])
    assert result.exit_code == 0, result.output
    _set_translation(project, "he", "title", "הליך mild®")
    _set_translation(project, "he", "overview.heading", "למה משמש ההליך הזה?")
    profile = project.clinics_dir / "maple-hollow.yaml"
    profile.write_text(profile.read_text().replace("languages: [en,", "languages: [en, he,"))
    result = runner.invoke(main, ["build", "--clinic", "maple-hollow", "--lang", "he",
                                  "--layout", "booklet", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "shown in English" in result.output  # the rest is not translated yet
    pdf = tmp_path / "maple-hollow" / "he" / "mild-booklet.pdf"
    assert any("Hebrew" in font["name"] for font in pdfcheck.fonts(pdf))
    assert "למה משמש ההליך הזה" in pdfcheck.text(pdf)  # pdftotext moves the ? of RTL text


def test_language_names_are_in_their_own_language() -> None:
    assert language_name("es") == "Español"
    assert language_name("zh-Hans") == "中文 (简体)"
    assert language_name("ar") == "العربية"
    assert language_name("vi") == "Tiếng Việt"
    # Region and script variants are named distinctly, in their own script.
    assert (language_name("pt"), language_name("pt-BR")) == ("Português", "Português (Brasil)")
    assert (language_name("en"), language_name("en-GB")) == ("English",
                                                             "English (United Kingdom)")
    assert language_name("sr") == "Српски"
    assert language_name("sr@latin") == language_name("sr-Latn") == "Srpski (latinica)"
    assert direction("sr@latin") == "ltr" and direction("ar") == "rtl"


def test_translators_name_their_language(repo: Project, project: Project) -> None:
    names = {language: language_name(language, load_catalog(repo.locales_dir, language))
             for language in SHIPPED}
    assert names["tl"] == "Tagalog" and names["zh-Hans"] == "简体中文"
    assert names["es"] == "Español" and names["hi"] == language_name("hi")
    # An empty (or fuzzy) entry leaves the name to CLDR.
    _set_translation(project, "zh-Hans", "ui.language", "")
    assert language_name("zh-Hans", load_catalog(project.locales_dir, "zh-Hans")) == "中文 (简体)"
    # Another language's catalog does not name this one.
    assert language_name("tl", load_catalog(repo.locales_dir, "es")) == language_name("tl")


def test_a_code_babel_does_not_know_says_what_to_do(project: Project) -> None:
    result = CliRunner().invoke(main, ["i18n", "init", "hmn"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: unknown language code 'hmn' (Hmong): Babel ")
    assert "hnj (Hmong Njua)" in result.output
    assert "TRANSLATING.md, 'A language the tool does not know'" in result.output
    assert not (project.locales_dir / "hmn").exists()


def test_stats_and_check_commands(repo: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(repo.root), "i18n", "stats"])
    assert result.exit_code == 0
    assert "Español" in result.output and "100%" in result.output
    assert "Tagalog" in result.output and "简体中文" in result.output
    result = runner.invoke(main, ["--project", str(repo.root), "i18n", "check"])
    assert result.exit_code == 0, result.output


def test_broken_po_names_file_and_line(project: Project) -> None:
    path = po_path(project.locales_dir, "fr")
    lines = path.read_text().splitlines()
    lines[30] = 'msgstr "unterminated'
    path.write_text("\n".join(lines) + "\n")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--clinic", "maple-hollow", "--lang", "fr"])
    assert result.exit_code == 1
    assert "locales/fr/LC_MESSAGES/brochure.po:" in result.output
    assert "Traceback" not in result.output


def test_template_strings_are_escaped_too(project: Project, tmp_path: Path) -> None:
    path = po_path(project.locales_dir, "es")
    # "ui.callout" has two messages; set the one for "Important".
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context == "ui.callout":
            message.string = f"<u>{message.id}</u>"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    result = build(BuildOptions(clinics=("maple-hollow",), languages=("es",),
                                layouts=("booklet",), out=tmp_path), project)
    assert "<u>important</u>" in pdfcheck.text(_mild_booklet(result)).lower()  # label is upper-case


#: pofilter findings that are right, and why (language, msgctxt, test).
EXPLAINED = {
    # Arabic writes "one day" and "two weeks" as words, as its grammar wants;
    # the values are the English ones.
    **{("ar", context, "numbers"): "1 and 2 written as words"
       for context in ("recovery.many-people-go", "recovery.no-heavy-lifting",
                       "recovery.relief-timing", "risks.large-study-called",
                       "faqs.when-feel-better.answer", "checklist.not-lift-heavy")},
    # "1.3%" is written with a decimal comma in these languages.
    **{(language, "risks.large-study-called", "numbers"): "decimal comma"
       for language in ("fr", "pt", "ru", "vi")},
}


@pytest.mark.parametrize("language", SHIPPED)
def test_pofilter_critical_checks(repo: Project, language: str, tmp_path: Path) -> None:
    out = tmp_path / "findings.po"
    pofilter = str(Path(sys.executable).with_name("pofilter"))
    subprocess.run([pofilter, "--progress=none", "-t", "variables", "-t",
                    "pythonbraceformat", "-t", "xmltags", "-t", "numbers", "-t", "urls",
                    str(po_path(repo.locales_dir, language)), "-o", str(out)],
                   check=True, capture_output=True)
    findings = set()
    if out.exists():
        for message in read_po(out.open("rb")):
            for comment in message.user_comments:
                if comment.startswith("(pofilter)"):
                    test = comment.split()[1].rstrip(":")
                    findings.add((language, message.context, test))
    assert findings <= set(EXPLAINED), sorted(findings - set(EXPLAINED))
