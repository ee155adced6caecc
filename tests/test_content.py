from __future__ import annotations

from pathlib import Path

import pytest

from brochure import ContentError, Project, load_document

#: The sections the mild® document declares it starts with (design.md's contract).
MILD_SECTIONS = ("overview", "candidacy", "preparation", "recovery", "risks", "faqs")


def test_shipped_content_has_the_required_sections_in_order(repo: Project) -> None:
    document = load_document(repo.content_dir / "mild.yaml")
    ids = [section.id for section in document.sections]
    assert document.required_sections == MILD_SECTIONS
    assert tuple(ids[:6]) == MILD_SECTIONS
    faqs = next(section for section in document.sections if section.id == "faqs")
    questions = [block for block in faqs.blocks if block.kind == "question"]
    assert len(questions) >= 8
    assert all(block.answer is not None for block in questions)
    kinds = {block.kind for section in document.sections for block in section.blocks}
    assert {"paragraph", "list", "steps", "tip", "warning", "question", "figure"} <= kinds
    assert document.sources and document.disclaimer.msgid


def test_contexts_are_unique_and_name_the_place(repo: Project) -> None:
    document = load_document(repo.content_dir / "mild.yaml")
    contexts = [text.context for text in document.texts()]
    assert len(contexts) == len(set(contexts))
    assert "faqs.older-still.answer" in contexts
    assert "recovery.heading" in contexts


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
document: doc
title: "Title"
subtitle: "Sub"
review_date: 2026-01-01
disclaimer: "General information only."
sources:
  - text: "A source."
sections:
  - id: overview
    heading: "Overview"
    blocks:
      - paragraph: "Text."
  - id: candidacy
    heading: "C"
    blocks: [{paragraph: "x"}]
  - id: preparation
    heading: "P"
    blocks: [{paragraph: "x"}]
  - id: recovery
    heading: "R"
    blocks: [{paragraph: "x"}]
  - id: risks
    heading: "R"
    blocks: [{warning: "Call {phone}."}]
  - id: faqs
    heading: "F"
    blocks:
      - question: "Q?"
        answer: "A."
"""


def test_minimal_document_loads(tmp_path: Path) -> None:
    document = load_document(_write(tmp_path, GOOD))
    assert document.id == "doc"
    assert document.sections[4].blocks[0].text is not None
    assert "{phone} = the clinic's phone number" in document.sections[4].blocks[0].text.comment


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('heading: "Overview"', 'heading: "Overview'))
    with pytest.raises(ContentError) as caught:
        load_document(path)
    assert caught.value.file == path
    assert caught.value.line is not None and caught.value.line >= 10
    assert "invalid YAML" in str(caught.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (GOOD.replace('      - paragraph: "Text."',
                         '      - paragraph: "Text."\n        colour: red')
            .replace('answer: "A."', 'answer: "Call {fax}."')
            .replace('subtitle: "Sub"', 'subtitel: "Sub"'))
    with pytest.raises(ContentError) as caught:
        load_document(_write(tmp_path, text))
    messages = [(problem.line, problem.message) for problem in caught.value.problems]
    assert any(line == 3 and "unknown key 'subtitel'" in message for line, message in messages)
    assert any(line == 13 and "unknown key 'colour'" in message for line, message in messages)
    assert any("unknown placeholder {fax}" in message for _, message in messages)
    assert any("missing 'subtitle'" in message for _, message in messages)


def test_sections_must_start_in_the_contract_order(tmp_path: Path) -> None:
    declared = GOOD + "required_sections: [overview, candidacy]\n"
    load_document(_write(tmp_path, declared))
    text = declared.replace("id: candidacy", "id: eligibility")
    with pytest.raises(ContentError, match="sections must start with overview, candidacy"):
        load_document(_write(tmp_path, text))
    # A rule of the document that declares it, not of every document.
    assert load_document(_write(tmp_path, GOOD.replace("id: candidacy", "id: eligibility")))


def test_a_document_declares_what_its_layouts_need(tmp_path: Path) -> None:
    plain = load_document(_write(tmp_path, GOOD))
    # Without a handout section or tri-fold panels, it is made for the booklets only.
    assert plain.layouts == ("booklet", "large-print")
    assert plain.cover_art is None and plain.credits == () and plain.handout is None
    declared = load_document(_write(tmp_path, GOOD + """\
cover:
  art: illustrations/lumbar-stenosis-cover.svg
credits:
  - maker: "Drawings by the demo team."
handout: faqs
panels:
  flap: [overview]
  inside-1: [candidacy, preparation]
"""))
    assert declared.layouts == ("booklet", "large-print", "trifold", "handout")
    assert declared.cover_art == "illustrations/lumbar-stenosis-cover.svg"
    assert [(text.context, text.msgid) for text in declared.credits] == [
        ("credits.maker", "Drawings by the demo team.")]
    assert declared.texts()[-1] == declared.credits[0]
    assert declared.panels == (("flap", ("overview",)),
                               ("inside-1", ("candidacy", "preparation")))


@pytest.mark.parametrize(("extra", "line", "message"), [
    ("layouts: [handout]\n", 30, "layout 'handout' needs 'handout: <section id>'"),
    ("layouts: [trifold]\n", 30, "layout 'trifold' needs 'panels:'"),
    ("layouts: [poster]\n", 30, "unknown layout 'poster'"),
    ("handout: nowhere\n", 30, "handout must name one of the document's sections"),
    ("panels:\n  flap: [overview]\n  back: [faqs]\n", 32, "unknown panel 'back'"),
    ("panels:\n  flap: [nowhere]\n", 31, "panel 'flap': no section 'nowhere'"),
    ("cover:\n  art: cover.gif\n", 31, "cover art must name an .svg or .png"),
    ("cover:\n  art: a.svg\n  figure: overview.none\n", 32,
     "cover figure 'overview.none' is not a figure"),
    ("credits:\n  - \"\"\n", 31, "credits item 1 must be non-empty text"),
])
def test_a_wrong_declaration_names_its_line(tmp_path: Path, extra: str, line: int,
                                            message: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_document(_write(tmp_path, GOOD + extra))
    assert [(problem.line, problem.message) for problem in caught.value.problems
            if message in problem.message] == [
        (line, next(problem.message for problem in caught.value.problems
                    if message in problem.message))], caught.value.problems


def test_unbalanced_markup_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"unmatched \*") as caught:
        load_document(_write(tmp_path, GOOD.replace('"Text."', '"**Text."')))
    assert caught.value.line == 12


def test_unknown_section_layout(tmp_path: Path) -> None:
    text = GOOD.replace('    heading: "Overview"', '    heading: "Overview"\n    layouts: [poster]')
    with pytest.raises(ContentError, match="unknown layout 'poster'") as caught:
        load_document(_write(tmp_path, text))
    assert caught.value.line == 11
