from __future__ import annotations

from pathlib import Path

import pytest

from brochure import ClinicError, Project, load_clinic
from brochure.clinic import contrast_ratio


def test_example_clinic_loads(repo: Project) -> None:
    clinic = load_clinic(repo.clinics_dir / "maple-hollow.yaml")
    assert clinic.id == "maple-hollow"
    assert clinic.paper in ("Letter", "A4")
    assert clinic.logo.is_file() and clinic.logo.is_relative_to(clinic.folder.resolve())
    assert clinic.tel_url.startswith("tel:")
    assert "en" in clinic.languages


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _profile(project: Project, edit: tuple[str, str]) -> Path:
    path = project.clinics_dir / "maple-hollow.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(*edit), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.mark.parametrize(("edit", "needle", "message"), [
    (("primary: \"#1f4e79\"", "primary: \"#1f4e7\""), "primary:", "colour primary must look like"),
    (("primary: \"#1f4e79\"", "primary: \"#ffcc00\""), "primary:", "contrast of 1.5:1"),
    (("logo: maple-hollow/logo.svg", "logo: maple-hollow/missing.svg"), "logo:",
     "logo file not found: maple-hollow/missing.svg"),
    (("logo: maple-hollow/logo.svg", "logo: ../templates/base.css"), "logo:",
     "logo must be the path of an .svg or .png file"),
    (("logo: maple-hollow/logo.svg", "logo: ../assets/illustrations/lumbar-stenosis.svg"),
     "logo:", "logo must be inside the clinic's folder"),
    (("paper: Letter", "paper: A5"), "paper:", "paper must be A4 or Letter"),
    (("booking_url: https://", "booking_url: javascript:alert(1)//"), "booking_url:",
     "booking_url must be an https:// web address"),
    (("paper: Letter", "paper: Letter\nfax: 555"), "fax:", "unknown key 'fax'"),
    (("languages: [en", "languages: [en, xx-Nope"), "languages:", "unknown language code"),
])
def test_bad_profiles_name_file_line_and_field(project: Project, edit: tuple[str, str],
                                               needle: str, message: str) -> None:
    path = _profile(project, edit)
    with pytest.raises(ClinicError) as caught:
        load_clinic(path)
    problem = caught.value.problems[0]
    assert problem.file == path
    assert problem.line == _line_of(path, needle)
    assert message in problem.message


def test_all_problems_are_reported_together(project: Project) -> None:
    path = _profile(project, ("paper: Letter", "paper: A5\nfax: 1"))
    path.write_text(path.read_text().replace('accent: "#2e7d4f"', 'accent: "green"'))
    with pytest.raises(ClinicError) as caught:
        load_clinic(path)
    assert len(caught.value.problems) == 3
