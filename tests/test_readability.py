"""Reading level of the English content, per section (issue 11's targets).

textstat 0.7.4 counts syllables with pyphen's hyphenation dictionary and needs
no download (newer textstat wants NLTK's CMU dictionary, which CI cannot
fetch), so the numbers are those of that version, pinned in constraints.txt.
A section's text is its heading and every text it holds, placeholders filled,
each list item read as a sentence.
"""

from __future__ import annotations

from importlib.metadata import version

import textstat

from brochure import Project, load_document, markup

#: Issue 11's targets: US grade 6 by Flesch–Kincaid, 8 by SMOG, for every section.
MAX_FLESCH_KINCAID = 6.0
MAX_SMOG = 8.0
#: Sample clinic values, so that placeholders read as words and numbers.
VALUES = {"clinic_name": "the clinic", "phone": "555 0100", "website": "the website",
          "emergency_number": "911", "after_hours_phone": "555 0101"}


def section_texts(project: Project) -> dict[str, str]:
    document = load_document(project.content_dir / "mild.yaml")
    found = {}
    for section in document.sections:
        sentences = []
        for text in [section.heading] + [text for block in section.blocks
                                         for text in block.texts()]:
            plain = markup.plain(text.msgid, VALUES).strip()
            sentences.append(plain if plain[-1:] in ".?!:" else plain + ".")
        found[section.id] = " ".join(sentences)
    return found


def test_textstat_is_the_pinned_pyphen_version() -> None:
    # The targets were set with 0.7.4's pyphen syllables: another version counts otherwise.
    assert version("textstat") == "0.7.4"
    assert textstat.syllable_count("procedure") == 3


def test_every_section_reads_at_grade_6_fk_and_8_smog(repo: Project) -> None:
    levels = {section: (textstat.flesch_kincaid_grade(text), textstat.smog_index(text))
              for section, text in section_texts(repo).items()}
    assert {"overview", "risks", "alternatives", "glossary"} <= set(levels)
    too_hard = {section: level for section, level in levels.items()
                if level[0] > MAX_FLESCH_KINCAID or level[1] > MAX_SMOG}
    assert not too_hard, f"(Flesch-Kincaid, SMOG) above {MAX_FLESCH_KINCAID}/{MAX_SMOG}: {too_hard}"


def test_the_measure_can_fail() -> None:
    hard = ("Neurogenic claudication necessitates comprehensive interdisciplinary "
            "evaluation. Decompression alternatives include laminectomy. Anticoagulant "
            "discontinuation requires authorization. ")
    assert textstat.smog_index(hard) > MAX_SMOG
    assert textstat.flesch_kincaid_grade(hard) > MAX_FLESCH_KINCAID
