"""A clinic's own documents: built for it alone, in their layouts, from its own catalogs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from brochure import Project
from brochure import catalogs as catalog_tools
from brochure.build import build
from brochure.library import scan
from brochure.options import BuildOptions

from .pdfcheck import text as pdf_text
from .synthetic import make_project, set_translation

VISIT = """\
document: visit
title: "Your visit to us"
subtitle: "Where to park and how to check in"
disclaimer: "About your visit, not your care. Ask {clinic_name} at {phone}."
layouts: [booklet]
sections:
  - id: parking
    heading: "Parking"
    blocks:
      - id: garage
        paragraph: "Park in the garage behind the clinic."
"""


@pytest.fixture
def visit(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "project", languages=("es",))
    folder = project.clinics_dir / "demo" / "content"
    folder.mkdir()
    (folder / "visit.yaml").write_text(VISIT, encoding="utf-8")
    texts = project.clinic_texts("demo")
    catalog_tools.extract(texts)
    catalog_tools.init(texts, "es")
    set_translation(texts, "es", "parking.garage", "Estacione en el garaje detrás de la clínica.")
    set_translation(texts, "es", "title", "Su visita")
    return project


def test_a_clinic_document_is_built_in_its_layouts_from_its_catalog(visit: Project,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(BuildOptions(layouts=("booklet", "handout"), out=out), visit)
    names = sorted(path.relative_to(out).as_posix() for path in result.outputs)
    # The shared document in both layouts; the clinic's own in the booklet it declares.
    assert names == ["demo/en/demo-booklet.pdf", "demo/en/demo-handout.pdf",
                     "demo/en/visit-booklet.pdf", "demo/es/demo-booklet.pdf",
                     "demo/es/demo-handout.pdf", "demo/es/visit-booklet.pdf"]
    spanish = pdf_text(out / "demo/es/visit-booklet.pdf")
    assert "Estacione en el garaje" in spanish and "Su visita" in spanish
    # The untranslated heading printed in English, with the usual report.
    assert ("parking.heading", "Parking") in result.fallbacks["demo:es"], result.fallbacks
    assert "Garage" not in pdf_text(out / "demo/es/demo-booklet.pdf")
    # The clinic's template holds the document's texts; the shared one does not.
    assert 'msgctxt "parking.garage"' in visit.clinic_texts("demo").pot_path.read_text()
    assert "garage" not in visit.pot_path.read_text()
    # Listed in the library with the document's own title in each language.
    titles = {(entry.language, entry.document_id): entry.document_title
              for entry in scan(out, visit).entries() if entry.layout == "booklet"}
    assert titles[("es", "visit")] == "Su visita"
    assert titles[("en", "visit")] == "Your visit to us"
    assert titles[("es", "demo")] == "[es] The demo procedure"
    # Nothing changed: nothing is rebuilt.
    again = build(BuildOptions(layouts=("booklet", "handout"), out=out), visit)
    assert again.built == 0 and again.skipped == 6
    # An edited clinic translation rebuilds that document only.
    set_translation(visit.clinic_texts("demo"), "es", "parking.heading", "Estacionamiento")
    third = build(BuildOptions(layouts=("booklet",), out=out), visit)
    assert [path.relative_to(out).as_posix() for path in third.outputs] == [
        "demo/es/visit-booklet.pdf"]


def test_plain_pybabel_gives_the_clinic_template(visit: Project, tmp_path: Path) -> None:
    pot = tmp_path / "pybabel.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(visit.root / "babel.cfg"), "-o", str(pot), "clinics/demo"],
                   cwd=visit.root, check=True, capture_output=True)

    def messages(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith(("msgctxt", "msgid", "#:", "#."))]

    assert messages(pot) == messages(visit.clinic_texts("demo").pot_path)
    assert any("visit.yaml" in line for line in messages(pot))


def test_a_clinic_document_may_not_take_a_shared_documents_id(visit: Project) -> None:
    path = visit.clinics_dir / "demo" / "content" / "visit.yaml"
    path.write_text(VISIT.replace("document: visit", "document: demo"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "brochure", "--project", str(visit.root),
                             "build", "--out", str(visit.root / "dist")],
                            capture_output=True, text=True, timeout=600, cwd=visit.root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: clinics/demo/content/visit.yaml:1: document 'demo' is also the id of "
        "content/demo.yaml: choose another (it names the PDF files)"]
    assert not (visit.root / "dist").exists()
