"""Message ids: derived from the English when missing, then written into the content."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure import ContentError, Project, load_document
from brochure import catalogs as catalog_tools
from brochure.content import slug
from brochure.freeze import freeze_ids

HEAD = """\
document: doc
title: "Title"
subtitle: "Sub"
review_date: 2026-11-01
disclaimer: "Ask your doctor."
sources:
  - text: "A source"
sections:
"""
SECTIONS = ["overview", "candidacy", "preparation", "recovery", "risks"]


def _document(tmp_path: Path, faqs: str, name: str = "doc.yaml") -> Path:
    text = HEAD + "".join(
        f'  - id: {section}\n    heading: "{section.title()}"\n    blocks:\n'
        f'      - id: {section}-text\n        paragraph: "About {section}."\n'
        for section in SECTIONS)
    path = tmp_path / name
    path.write_text(text + '  - id: faqs\n    heading: "Questions"\n    blocks:\n' + faqs,
                    encoding="utf-8")
    return path


FAQS = """\
      # A comment the author keeps.
      - condensed: true
        question: "Will it hurt?"
        answer: "A little."
      - {tip: "Bring your list of medicines."}
      - list:
          - "Your spine stays as stable as it was before."
          - 'Nothing is left inside you.'   # quoted the other way, with a comment
          - Plain text that goes on
            over two lines.
          - |
            A literal block
            of two lines.
          - named-item: "Has its id already."
      - checklist: ["Arrive on time.", "Arrive on time!"]
      - figure: illustrations/lumbar-stenosis.svg
        alt: "A drawing."
        caption: "A caption."
        legend: ["One", "Two"]
"""


def test_ids_are_derived_from_the_english_and_unique() -> None:
    assert slug("Will it hurt?") == "hurt"
    assert slug("Do you take a blood thinner, or a pain pill like ibuprofen?") == (
        "take-blood-thinner")
    assert slug("**Call {clinic_name} at {phone}** if you have a fever.") == "call-fever"
    assert slug("Can I still have it?") == "still"
    assert slug("It is.") == "it-is"  # only small words: keep them


def test_freezing_writes_the_derived_ids_and_keeps_everything_else(tmp_path: Path) -> None:
    path = _document(tmp_path, FAQS)
    before = load_document(path)
    contexts = [text.context for text in before.texts()]
    assert contexts[-16:-2] == [
        "faqs.heading", "faqs.hurt.question", "faqs.hurt.answer", "faqs.bring-list-medicines",
        "faqs.spine-stays-stable", "faqs.nothing-left-inside", "faqs.plain-text-goes",
        "faqs.literal-block-two", "faqs.named-item", "faqs.arrive-time", "faqs.arrive-time-2",
        "faqs.lumbar-stenosis.alt", "faqs.lumbar-stenosis.caption",
        "faqs.lumbar-stenosis.legend1"]
    assert len(before.derived_ids) == 9
    assert freeze_ids(path) == 9
    text = path.read_text(encoding="utf-8")
    assert ("      # A comment the author keeps.\n      - id: hurt\n        condensed: true\n"
            in text)
    assert "      - {id: bring-list-medicines, tip: " in text
    assert "          - nothing-left-inside: 'Nothing is left inside you.'   # quoted" in text
    assert "          - plain-text-goes: Plain text that goes on\n" in text
    assert "          - literal-block-two: |\n" in text
    assert '      - checklist: [arrive-time: "Arrive on time.", arrive-time-2: ' in text
    after = load_document(path)
    assert after.derived_ids == ()
    assert [(t.context, t.msgid) for t in after.texts()] == [
        (t.context, t.msgid) for t in before.texts()]
    assert freeze_ids(path) == 0 and path.read_text(encoding="utf-8") == text


def test_editing_the_english_after_freezing_keeps_the_context(tmp_path: Path) -> None:
    path = _document(tmp_path, FAQS)
    freeze_ids(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Will it hurt?",
                                                             "Does it hurt?"), encoding="utf-8")
    texts = {text.msgid: text.context for text in load_document(path).texts()}
    assert texts["Does it hurt?"] == "faqs.hurt.question"


@pytest.mark.parametrize(("faqs", "line", "words"), [
    ('      - id: same\n        tip: "A."\n      - id: same\n        tip: "B."\n', 39,
     "id 'same' is used twice in this file (also on line 37)"),
    ('      - id: Not_An_Id\n        tip: "A."\n', 37, "must be lower-case words"),
    ('      - id: heading\n        tip: "A."\n', 37, "reserved"),
    ('      - list:\n          - {a: "A.", b: "B."}\n', 38, "or 'some-id: \"text\"'"),
])
def test_bad_ids_name_their_line(tmp_path: Path, faqs: str, line: int, words: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_document(_document(tmp_path, faqs))
    assert any(problem.line == line and words in problem.message
               for problem in caught.value.problems), caught.value.problems


def test_an_edit_that_would_change_the_content_writes_nothing(tmp_path: Path) -> None:
    # An explicit indentation indicator cannot move one key further in.
    path = _document(tmp_path, '      - list:\n          - |2\n             two spaces kept\n')
    text = path.read_text(encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        freeze_ids(path)
    assert "nothing was written" in str(caught.value) and caught.value.line == 38
    assert path.read_text(encoding="utf-8") == text


def test_check_reports_ids_not_frozen(project: Project) -> None:
    content = project.content_dir / "mild.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace(
        "      - id: walk-more-easily\n        tip:", "      - tip:"), encoding="utf-8")
    problems = [problem for problem in catalog_tools.check(project)
                if problem.file == content]
    assert len(problems) == 1 and "1 text(s) have no frozen id" in problems[0].message
    assert "'walk-more-easily'" in problems[0].message
    assert catalog_tools.extract(project).frozen == {content: 1}
    assert [problem for problem in catalog_tools.check(project) if problem.file == content] == []
