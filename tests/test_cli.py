"""The command line: exact error messages, exit codes, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from brochure import Project
from brochure.cli import main


def test_bad_colour_is_one_clear_error(project: Project) -> None:
    profile = project.clinics_dir / "maple-hollow.yaml"
    profile.write_text(profile.read_text().replace('primary: "#1f4e79"', 'primary: "navy"'))
    result = CliRunner().invoke(main, ["build", "--clinic", "maple-hollow"])
    assert result.exit_code == 1
    assert result.output == ('Error: clinics/maple-hollow.yaml:7: colour primary must look '
                             'like "#1f4e79" (got \'navy\')\n')
    assert not (project.root / "dist").exists()


def test_broken_content_yaml(project: Project) -> None:
    content = project.content_dir / "mild.yaml"
    lines = content.read_text().splitlines()
    lines[3] = "review_date: [2026"
    content.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: content/mild.yaml:")
    assert "invalid YAML" in result.output
    assert "Traceback" not in result.output


def test_missing_logo(project: Project) -> None:
    (project.clinics_dir / "maple-hollow" / "logo.svg").unlink()
    result = CliRunner().invoke(main, ["build", "--clinic", "maple-hollow"])
    assert result.exit_code == 1
    assert result.output == ("Error: clinics/maple-hollow.yaml:5: logo file not found: "
                             "maple-hollow/logo.svg\n")


def test_unknown_clinic_and_layout(project: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--clinic", "nowhere"])
    assert result.exit_code == 1
    assert result.output == "Error: unknown clinic 'nowhere' (known: harbourview, maple-hollow)\n"
    result = runner.invoke(main, ["build", "--layout", "poster"])
    assert result.exit_code == 1
    assert "unknown layout 'poster'" in result.output


def test_bad_handout_field(project: Project) -> None:
    result = CliRunner().invoke(main, ["build", "--layout", "handout", "--field",
                                       "date=3 December"])
    assert result.exit_code == 1
    assert result.output == ("Error: handout field 'date': write the date as YYYY-MM-DD, "
                             "e.g. 2026-12-03\n")


def test_wrong_command_line_exits_2() -> None:
    result = CliRunner().invoke(main, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_check_command_passes_on_the_shipped_project(repo: Project) -> None:
    result = CliRunner().invoke(main, ["--project", str(repo.root), "check"])
    assert result.exit_code == 0, result.output


def test_real_process_prints_no_traceback(project: Project) -> None:
    profile = project.clinics_dir / "maple-hollow.yaml"
    profile.write_text(profile.read_text() + "fax: 1\n")
    result = subprocess.run([sys.executable, "-m", "brochure", "build"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: clinics/maple-hollow.yaml:")
    assert "unknown key 'fax'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not Path(project.root / "dist").exists()


def test_a_broken_template_is_a_clear_error(project: Project) -> None:
    template = project.templates_dir / "_back.html.j2"
    text = template.read_text()
    # The back cover prints the clinic's name through the name filter.
    assert "{{ clinic.name|name }}" in text
    template.write_text(text.replace("{{ clinic.name|name }}", "{{ clinic.nam|name }}", 1))
    result = CliRunner().invoke(main, ["build", "--clinic", "maple-hollow", "--lang", "en",
                                       "--layout", "booklet"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: templates/_back.html.j2:")
    assert "nam" in result.output and "Traceback" not in result.output
