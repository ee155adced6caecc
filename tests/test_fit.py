"""The fit check: one layout pass when everything fits, a measuring pass only when cut."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import weasyprint
from weasyprint.layout import LayoutContext

from brochure import BuildFailed, BuildOptions, Project, build, fit

from .synthetic import set_translation


def test_weasyprint_still_reports_cut_boxes_the_way_fit_relies_on() -> None:
    # fit.watch_cut_boxes hooks this method; a new WeasyPrint must be checked again.
    assert weasyprint.__version__ == "70.0", "re-check brochure/fit.py for this WeasyPrint"
    assert fit._upstream_add_broken is not LayoutContext.add_broken_out_of_flow
    parameters = list(inspect.signature(fit._upstream_add_broken).parameters)
    assert parameters == ["self", "new_box", "box", "containing_block", "resume_at"]


@pytest.mark.parametrize(("sentences", "lines"), [(150, 34), (400, 141)])
def test_text_cut_from_a_panel_is_an_error_that_counts_lines(
        small: Project, sentences: int, lines: int) -> None:
    set_translation(small, "es", "recovery.rest", " ".join(["Una frase larga."] * sentences))
    with pytest.raises(BuildFailed) as caught:
        build(BuildOptions(out=small.root / "out", languages=("es",), layouts=("trifold",),
                           jobs=1), small)
    message = str(caught.value)
    assert message.startswith("content/demo.yaml:32: while building demo/es/trifold: "
                              "panel \"recovery + risks\" overflows by ")
    counted = int(message.split("overflows by ")[1].split(" ")[0])
    assert abs(counted - lines) <= 3, message
    assert not list((small.root / "out").rglob("*.pdf"))


def test_text_that_fits_needs_one_layout_pass(small: Project,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    passes = []
    upstream = fit.measured_overflows

    def counting(*args: object) -> object:
        passes.append(1)
        return upstream(*args)

    monkeypatch.setattr(fit, "measured_overflows", counting)
    set_translation(small, "es", "recovery.rest", " ".join(["Una frase larga."] * 60))
    result = build(BuildOptions(out=small.root / "out", languages=("es",),
                                layouts=("trifold",), jobs=1), small)
    assert result.built == 1 and passes == []  # no measuring pass
    assert Path(result.outputs[0]).is_file()


def test_an_overflow_names_the_texts_still_in_english(small: Project) -> None:
    set_translation(small, "es", "recovery.rest", " ".join(["Una frase larga."] * 150))
    set_translation(small, "es", "risks.call", "")
    with pytest.raises(BuildFailed) as caught:
        build(BuildOptions(out=small.root / "out", languages=("es",), layouts=("trifold",),
                           jobs=1), small)
    message = str(caught.value)
    assert "1 text(s) on it are in English because they have no es translation yet " \
           "(risks.call: '**Call {clinic_name} at…')" in message
    assert "translate them first" in message


def test_a_preview_is_made_even_when_text_does_not_fit(small: Project) -> None:
    from dataclasses import replace

    from brochure import plan, render_job

    set_translation(small, "es", "recovery.rest", " ".join(["Una frase larga."] * 150))
    [job] = plan(BuildOptions(languages=("es",), layouts=("trifold",)), small).jobs
    rendered = render_job(replace(job, lenient=True))
    assert rendered.files[0][1].startswith(b"%PDF")
    [warning] = rendered.warnings
    assert 'panel "recovery + risks" overflows by' in warning
