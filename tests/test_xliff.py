"""XLIFF 1.2 export and import: contexts, states and notes survive the round trip."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from click.testing import CliRunner

from brochure import Project, catalogs, pofile, xliff
from brochure.cli import main
from brochure.i18n import po_path

NS = {"x": xliff.NAMESPACE}


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _clear(path: Path) -> None:
    """Empty every translation and translator comment (a catalog before an import)."""
    po = pofile.read(path)
    for entry in po.messages():
        entry.msgstr = ("",)
        entry.translator_comments = []
        entry.set_fuzzy(False)
    path.write_bytes(pofile.dumps(po))


def _without_revision_date(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.startswith('"PO-Revision-Date:'))


def test_export_then_import_gives_the_catalog_back(project: Project, tmp_path: Path) -> None:
    path = po_path(project.locales_dir, "es")
    po = pofile.read(path)
    entries = {entry.context: entry for entry in po.messages()}
    entries["faqs.hurt.question"].translator_comments = ["Checked with Dr. Ruiz, 2026-11-30."]
    entries["risks.bleeding"].set_fuzzy(True)
    path.write_bytes(pofile.dumps(po))
    original = _without_revision_date(path)
    xlf = tmp_path / "es.xlf"
    runner = CliRunner()
    result = runner.invoke(main, ["i18n", "export", "es", "--format", "xliff", "-o", str(xlf)])
    assert result.exit_code == 0, result.output
    root = ElementTree.parse(xlf).getroot()
    units = root.findall(".//x:trans-unit", NS)
    assert len(units) == len(list(po.messages()))
    hurt = next(unit for unit in units if unit.get("resname") == "faqs.hurt.question")
    assert hurt.find("x:target", NS).get("state") == "translated"  # type: ignore[union-attr]
    assert [note.text for note in hurt.findall("x:note", NS) if note.get("from") ==
            "translator"] == ["Checked with Dr. Ruiz, 2026-11-30."]
    bleeding = next(unit for unit in units if unit.get("resname") == "risks.bleeding")
    assert bleeding.find("x:target", NS).get("state") == "needs-review-translation"  # type: ignore[union-attr]
    _clear(path)
    result = runner.invoke(main, ["i18n", "import", str(xlf)])
    assert result.exit_code == 0, result.output
    assert f"{len(units)} translation(s) imported (1 fuzzy), 0 unchanged" in result.output
    assert _without_revision_date(path) == original


def test_translate_toolkit_reads_our_xliff(project: Project, tmp_path: Path) -> None:
    xlf = tmp_path / "fr.xlf"
    xlf.write_bytes(xliff.export(project, "fr"))
    out = tmp_path / "fr-from-xliff.po"
    subprocess.run([_tool("xliff2po"), "--progress=none", str(xlf), str(out)], check=True)
    ours = {entry.msgid: entry.string for entry in
            pofile.read(po_path(project.locales_dir, "fr")).messages()}
    theirs = {entry.msgid: entry.string for entry in pofile.read(out).messages()}
    assert theirs == ours  # every translation; translate-toolkit itself drops msgctxt


def test_importing_po2xliff_output_places_texts_by_their_english(project: Project,
                                                                  tmp_path: Path) -> None:
    path = po_path(project.locales_dir, "vi")
    original = _without_revision_date(path)
    xlf = tmp_path / "vi.xlf"
    subprocess.run([_tool("po2xliff"), "--progress=none", str(path), str(xlf)], check=True)
    assert b"resname" not in xlf.read_bytes()  # no contexts: XLIFF 1.1 by translate-toolkit
    _clear(path)
    report = xliff.import_xliff(project, xlf)
    assert report.skipped == [] and report.language == "vi"
    assert _without_revision_date(path) == original


def test_a_unit_whose_english_changed_since_export_comes_back_fuzzy(
        project: Project, tmp_path: Path) -> None:
    xlf = tmp_path / "pt.xlf"
    xlf.write_bytes(xliff.export(project, "pt"))
    content = project.content_dir / "mild.yaml"
    old = "Everyone heals in their own way."
    content.write_text(content.read_text(encoding="utf-8").replace(
        old, "Each person heals in their own way."), encoding="utf-8")
    catalogs.extract(project)
    catalogs.update(project)
    path = po_path(project.locales_dir, "pt")
    _clear(path)
    report = xliff.import_xliff(project, xlf)
    assert report.fuzzy == 1 and report.skipped == []
    [entry] = [entry for entry in pofile.read(path).messages()
               if entry.context == "recovery.everyone-heals-own"]
    assert entry.fuzzy and entry.string and entry.previous_msgid
    assert entry.previous_msgid.startswith(old)


def test_a_broken_xliff_file_is_one_clear_error(project: Project, tmp_path: Path) -> None:
    xlf = tmp_path / "broken.xlf"
    xlf.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["i18n", "import", "--lang", "es", str(xlf)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: broken.xlf:4: not a valid XLIFF file")
