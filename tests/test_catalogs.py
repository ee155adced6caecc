"""i18n update, with the English changing under the translators: what survives.

Every test edits the real content the way an author would, runs the real
tools (the tool's own extract and update, GNU msgmerge and msgcat, pybabel,
translate-toolkit) and asserts which translations are where afterwards.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from brochure import Project, load_catalog, pofile
from brochure import catalogs as catalog_tools
from brochure.i18n import po_path

from .test_i18n import SHIPPED

Translations = dict[tuple[str | None, str], tuple[str, bool]]


def _translations(path: Path) -> Translations:
    """(context, English) → (translation, fuzzy) of every active message."""
    return {entry.key: (entry.string, entry.fuzzy) for entry in pofile.read(path).messages()}


def _all(project: Project) -> dict[str, Translations]:
    return {language: _translations(po_path(project.locales_dir, language))
            for language in SHIPPED}


def _obsolete(path: Path) -> Translations:
    return {entry.key: (entry.string, entry.fuzzy) for entry in pofile.read(path).obsolete()}


def _edit(project: Project, old: str, new: str) -> None:
    content = project.content_dir / "mild.yaml"
    text = content.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    content.write_text(text.replace(old, new), encoding="utf-8")


def _extract_and_update(project: Project) -> list[catalog_tools.Updated]:
    catalog_tools.extract(project)
    return catalog_tools.update(project)


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


CANDIDACY = '  - id: candidacy\n    heading: "Could this be right for me?"\n    blocks:\n'
NEW_PARAGRAPH = "This page helps you and your doctor talk it all through."
REMOVED_ITEM = ('          - nothing-left-inside: "No implants are left in your body: no '
                'screws or plates."\n')


def _shipped_count() -> int:
    """Messages in a shipped catalog (the template's size): the reports count them."""
    root = Path(__file__).resolve().parent.parent
    return sum(1 for entry in pofile.read(root / "locales" / "brochure.pot").messages())


N = _shipped_count()


def test_inserting_a_paragraph_changes_no_other_translation(project: Project) -> None:
    before = _all(project)
    _edit(project, CANDIDACY, CANDIDACY + f'      - paragraph: "{NEW_PARAGRAPH}"\n')
    updated = _extract_and_update(project)
    assert {str(item.report) for item in updated} == {f"{N} kept, 1 new"}
    # extract wrote the derived id into the content, so the next edit keeps it.
    assert "      - id: page-helps-doctor\n        paragraph:" in (
        project.content_dir / "mild.yaml").read_text(encoding="utf-8")
    for language, old in before.items():
        new = _translations(po_path(project.locales_dir, language))
        assert {key: new[key] for key in old} == old, language
        assert new[("candidacy.page-helps-doctor", NEW_PARAGRAPH)] == ("", False)
        assert _obsolete(po_path(project.locales_dir, language)) == {}


def test_removing_a_list_item_changes_no_other_translation(project: Project) -> None:
    before = _all(project)
    _edit(project, REMOVED_ITEM, "")
    _extract_and_update(project)
    removed = ("overview.nothing-left-inside",
               "No implants are left in your body: no screws or plates.")
    for language, old in before.items():
        path = po_path(project.locales_dir, language)
        new = _translations(path)
        assert new == {key: value for key, value in old.items() if key != removed}
        # The case: this sentence keeps its own translation, not its neighbour's.
        stable = ("overview.spine-stays-stable", "Your spine stays as stable as it was before.")
        assert new[stable] == old[stable]
        assert _obsolete(path) == {removed: old[removed]}


TIP = ("Do you walk more easily when you lean on a shopping cart? That is a common clue. "
       "Bending forward opens up a little more room for the nerves.")


def test_moving_blocks_keeps_their_translations_untouched(project: Project) -> None:
    before = _all(project)
    tip = f'      - id: walk-more-easily\n        tip: "{TIP}"\n'
    _edit(project, tip, "")  # from "overview" to the end of "candidacy"
    _edit(project, "  - id: preparation\n", tip + "  - id: preparation\n")
    item = '          - spine-stays-stable: "Your spine stays as stable as it was before."\n'
    _edit(project, item, "")  # to the top of its list
    _edit(project, "          - cut-5-mm:", item + "          - cut-5-mm:")
    updated = _extract_and_update(project)
    assert {str(item.report) for item in updated} == {f"{N - 1} kept, 1 moved"}
    for language, old in before.items():
        new = _translations(po_path(project.locales_dir, language))
        moved = new.pop(("candidacy.walk-more-easily", TIP))
        assert moved == old.pop(("overview.walk-more-easily", TIP)) and not moved[1]
        assert new == old


def test_changed_english_is_fuzzy_with_the_previous_english(project: Project) -> None:
    old = "Everyone heals in their own way."
    _edit(project, old, "Each person heals in their own way.")
    updated = _extract_and_update(project)
    assert {str(item.report) for item in updated} == {f"{N - 1} kept, 1 fuzzy"}
    path = po_path(project.locales_dir, "es")
    [entry] = [entry for entry in pofile.read(path).messages()
               if entry.context == "recovery.everyone-heals-own"]
    assert entry.fuzzy and entry.string.startswith("Cada persona se recupera")
    assert entry.previous_context == "recovery.everyone-heals-own"
    assert entry.previous_msgid is not None and entry.previous_msgid.startswith(old)
    assert "\n#| msgid \"\"\n#| \"Everyone heals" in path.read_text(encoding="utf-8")
    # A build never prints a fuzzy translation.
    assert entry.key not in load_catalog(project.locales_dir, "es").messages
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_rewritten_text_is_not_offered_a_dissimilar_translation(project: Project) -> None:
    _edit(project, "Everyone heals in their own way. No one can promise how much better you "
          "will feel. Your doctor will tell you what to expect in your case.",
          "Ask your care team which signs of healing to watch for.")
    updated = _extract_and_update(project)
    assert {str(item.report) for item in updated} == {f"{N - 1} kept, 1 new, 1 obsolete"}


def test_text_that_comes_back_gets_its_translation_back(project: Project) -> None:
    before = _all(project)
    _edit(project, REMOVED_ITEM, "")
    _extract_and_update(project)
    assert catalog_tools.update(project) == []  # a second update changes nothing
    path = po_path(project.locales_dir, "es")
    assert len(_obsolete(path)) == 1  # obsolete entries are kept across updates
    stable = "          - spine-stays-stable:"
    _edit(project, stable, REMOVED_ITEM + stable)
    updated = _extract_and_update(project)
    assert {str(item.report) for item in updated} == {f"{N - 1} kept, 1 revived"}
    assert _all(project) == before
    assert _obsolete(path) == {}


def test_a_gnu_or_poedit_file_keeps_its_width_headers_and_lines(project: Project) -> None:
    path = po_path(project.locales_dir, "fr")
    gnu = subprocess.run(["msgcat", "--width=79", str(path)], capture_output=True,
                         check=True, text=True).stdout
    gnu = gnu.replace('"Generated-By: Babel 2.18.0\\n"\n', '"Generated-By: Babel 2.18.0\\n"\n'
                      '"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Basepath: ../../..\\n"\n')
    path.write_text(gnu, encoding="utf-8")
    assert catalog_tools.update(project) == []  # nothing to merge: not a byte changes
    assert path.read_text(encoding="utf-8") == gnu
    old = "Everyone heals in their own way."
    _edit(project, old, "Each person heals in their own way.")
    _extract_and_update(project)
    text = path.read_text(encoding="utf-8")
    assert "X-Generator: Poedit 3.4.2" in text and "X-Poedit-Basepath: ../../.." in text
    changed = [line for line in _diff(gnu, text) if not line.startswith(("+#:", "-#:"))]
    # Only the header's POT date and the one changed message: fuzzy, #| lines, new English.
    assert len(changed) <= 16, changed
    assert max(len(line) for line in text.splitlines() if line.startswith('"')) <= 79
    again = subprocess.run(["msgcat", "--width=79", str(path)], capture_output=True,
                           check=True, text=True).stdout
    assert again == text  # the changed message is wrapped exactly as msgcat wraps it


def _diff(before: str, after: str) -> list[str]:
    import difflib
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_gnu_msgmerge_previous_and_obsolete_previous_lines(project: Project) -> None:
    path = po_path(project.locales_dir, "ru")
    before = _translations(path)
    old = "Everyone heals in their own way."
    _edit(project, old, "Each person heals in their own way.")
    catalog_tools.extract(project)
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(path), str(path),
                    str(project.pot_path)], check=True)
    merged = _translations(path)
    assert sum(1 for _, fuzzy in merged.values() if fuzzy) == 1
    assert {key: value for key, value in merged.items() if not value[1]} == {
        key: value for key, value in before.items() if key[0] != "recovery.everyone-heals-own"}
    # Removing the fuzzy text makes msgmerge write '#~|' lines, which Babel cannot read.
    _edit(project, '      - id: everyone-heals-own\n        paragraph: "Each person heals in '
          "their own way. No one can promise how much better you will feel. Your doctor will "
          'tell you what to expect in your case."\n', "")
    catalog_tools.extract(project)
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(path), str(path),
                    str(project.pot_path)], check=True)
    assert "\n#~| msgid" in path.read_text(encoding="utf-8")
    catalog = load_catalog(project.locales_dir, "ru")
    assert catalog.translated == len(before) - 1 and catalog.fuzzy == 0
    [obsolete] = pofile.read(path).obsolete()
    assert obsolete.fuzzy and obsolete.previous_msgid is not None
    assert obsolete.previous_msgid.startswith(old)
    # Our update keeps the obsolete entry and its '#~|' lines, and no translation moves.
    catalog_tools.update(project)
    assert "\n#~| msgid" in path.read_text(encoding="utf-8")
    assert len(list(pofile.read(path).obsolete())) == 1
    assert load_catalog(project.locales_dir, "ru").messages == catalog.messages


def test_pybabel_update_then_our_update(project: Project) -> None:
    before = _all(project)
    _edit(project, "Everyone heals in their own way.", "Each person heals in their own way.")
    catalog_tools.extract(project)
    subprocess.run([_tool("pybabel"), "update", "--previous", "-i", str(project.pot_path),
                    "-d", str(project.locales_dir), "-D", "brochure"], check=True,
                   capture_output=True)
    for language, old in before.items():
        catalog = load_catalog(project.locales_dir, language)  # reads Babel's broken '#|'
        assert (catalog.translated, catalog.fuzzy) == (len(old) - 1, 1), language
    updated = catalog_tools.update(project)  # and rewrites those lines so msgfmt reads them
    assert len(updated) == len(SHIPPED)
    for language, old in before.items():
        path = po_path(project.locales_dir, language)
        new = _translations(path)
        assert {key: value for key, value in new.items() if not value[1]} == {
            key: value for key, value in old.items()
            if key[0] != "recovery.everyone-heals-own"}
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]
                              ).returncode == 0


def test_translate_toolkit_round_trip_loses_contexts_and_update_recovers_them(
        project: Project, tmp_path: Path) -> None:
    path = po_path(project.locales_dir, "ko")
    before = _translations(path)
    xlf = tmp_path / "ko.xlf"
    subprocess.run([_tool("po2xliff"), "--progress=none", str(path), str(xlf)], check=True)
    subprocess.run([_tool("xliff2po"), "--progress=none", str(xlf), str(path)], check=True)
    lost = pofile.read(path)
    # translate/translate#268: no msgctxt survives; the texts whose English is in
    # several places get their source lines as msgctxt. A build would use none of them.
    english = Counter(entry.msgid for entry in pofile.read(project.pot_path).messages())
    shared = sum(count for count in english.values() if count > 1)
    assert shared >= 2
    assert sum(1 for entry in lost.messages() if entry.context) == shared
    wanted = set(before)
    assert not wanted & set(load_catalog(project.locales_dir, "ko").messages)
    [updated] = catalog_tools.update(project)
    assert str(updated.report) == f"{len(before)} moved"
    assert _translations(path) == before
    assert wanted <= set(load_catalog(project.locales_dir, "ko").messages)
