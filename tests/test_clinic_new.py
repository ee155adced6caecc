"""`brochure clinic new` scaffolds a clinic that builds at once; `clinic check` reports all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from brochure import Project
from brochure.build import build
from brochure.clinic import load_clinic
from brochure.errors import ClinicError, UsageError
from brochure.newclinic import NewClinic, clinic_problems, create_clinic
from brochure.options import BuildOptions

from .synthetic import make_project

OPTIONS = ["--name", "Lakeside Spine Centre", "--phone", "(555) 010-2200",
           "--address", "5 Lake Road", "--address", "Lakeside, WI 53000",
           "--website", "https://lakeside.example/", "--booking-url",
           "https://lakeside.example/book", "--country", "US", "--languages", "en,es"]


def _cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "brochure", "--project", str(project.root),
                           *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=600)


@pytest.fixture
def small(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project", languages=("es",))


def test_a_new_clinic_is_valid_and_builds_at_once(small: Project, tmp_path: Path) -> None:
    result = _cli(small, "clinic", "new", "lakeside", *OPTIONS)
    assert result.returncode == 0, result.stderr
    clinic = load_clinic(small.clinics_dir / "lakeside.yaml")
    assert clinic.name == "Lakeside Spine Centre"
    assert clinic.address == ("5 Lake Road", "Lakeside, WI 53000")
    assert clinic.paper == "Letter" and clinic.emergency_number == "911"
    assert clinic.languages == ("en", "es")
    assert (small.clinics_dir / "lakeside" / "logo.svg").is_file()
    assert "notes: []" in (small.clinics_dir / "lakeside" / "notes.yaml").read_text()
    checked = _cli(small, "clinic", "check", "lakeside")
    assert checked.returncode == 0, checked.stderr
    assert _cli(small, "i18n", "check").returncode == 0
    built = build(BuildOptions(clinics=("lakeside",), layouts=("handout",),
                               out=tmp_path / "out"), small)
    assert sorted(path.relative_to(tmp_path / "out").as_posix() for path in built.outputs) == [
        "lakeside/en/demo-handout.pdf", "lakeside/es/demo-handout.pdf"]


def test_new_refuses_an_existing_clinic_and_a_bad_id(small: Project) -> None:
    before = (small.clinics_dir / "demo.yaml").read_bytes()
    result = _cli(small, "clinic", "new", "demo", *OPTIONS)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: clinic 'demo' exists already")
    assert (small.clinics_dir / "demo.yaml").read_bytes() == before
    bad = _cli(small, "clinic", "new", "Bad_Id", *OPTIONS)
    assert bad.returncode == 1 and "must be lower-case letters" in bad.stderr
    assert "Traceback" not in bad.stderr + result.stderr


def test_a_bad_value_writes_nothing(small: Project) -> None:
    new = NewClinic("lake", "Lake", "call us", ("1 Road",), "http://lake.example/",
                    "https://lake.example/b", "US", ("en",))
    with pytest.raises(ClinicError) as caught:
        create_clinic(small, new)
    messages = [str(problem) for problem in caught.value.problems]
    # Named as the file it would have been, with its line.
    assert any(message.endswith("clinics/lake.yaml:8: phone must be digits with spaces, "
                                "dashes or brackets (got 'call us')") for message in messages)
    assert any("website must be an https://" in message for message in messages)
    assert sorted(path.name for path in small.clinics_dir.iterdir()) == ["demo", "demo.yaml"]
    with pytest.raises(UsageError, match="no catalog for language ko"):
        create_clinic(small, NewClinic("lake", "Lake", "(555) 010-0000", ("1 Road",),
                                       "https://lake.example/", "https://lake.example/b",
                                       "US", ("en", "ko")))


def test_without_a_terminal_a_missing_answer_is_a_usage_error(small: Project) -> None:
    result = _cli(small, "clinic", "new", "lake", "--name", "Lake")
    assert result.returncode == 2 and "missing --phone" in result.stderr
    assert not (small.clinics_dir / "lake.yaml").exists()


def test_check_reports_every_problem_at_once(small: Project) -> None:
    folder = small.clinics_dir / "demo"
    profile = small.clinics_dir / "demo.yaml"
    profile.write_text(profile.read_text().replace('primary: "#1f4e79"',
                                                   'primary: "#eeeeee"'))
    (folder / "logo.svg").write_text("<svg")
    (folder / "notes.yaml").write_text(
        "notes:\n  - id: where\n    section: nowhere\n    blocks:\n"
        "      - paragraph: \"Park behind the clinic.\"\n")
    result = _cli(small, "clinic", "check", "demo")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert all(line.startswith("Error: ") for line in lines), lines
    joined = "\n".join(lines)
    assert "demo.yaml:4: colour primary #eeeeee has a contrast of 1.2:1" in joined
    assert "demo/logo.svg:1: the logo is not a well-formed SVG file" in joined
    assert "demo/notes.yaml:2: note 'where': no document has a section 'nowhere'" in joined
    # The notes' template is missing too: every problem, not the first.
    assert "locales/demo.pot: the template is missing" in joined
    assert "Traceback" not in result.stderr
    assert len(clinic_problems(small, "demo")) == len(lines)
