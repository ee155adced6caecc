"""How long the slow parts take: layout and font subsetting, per script.

Run with `make benchmark`. Not part of `make test`: timings are measured
here and compared by people, never asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure import Project, load_catalog, load_clinic, load_document
from brochure.render import render_html, render_pdf

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("language", ["en", "zh-Hans", "ar", "hi"])
@pytest.mark.parametrize("layout", ["booklet", "trifold"])
def test_render(benchmark, language: str, layout: str) -> None:
    project = Project(ROOT)
    document = load_document(project.content_dir / "mild.yaml")
    clinic = load_clinic(project.clinics_dir / "maple-hollow.yaml")
    catalog = load_catalog(project.locales_dir, language)

    def render() -> bytes:
        html = render_html(project, document, clinic, catalog, layout)
        return render_pdf(project, html, clinic, layout, document.path)

    pdf = benchmark.pedantic(render, rounds=3, iterations=1, warmup_rounds=1)
    benchmark.extra_info["pdf_bytes"] = len(pdf)
