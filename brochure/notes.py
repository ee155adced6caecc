"""A clinic's own notes: blocks it adds at named places of every brochure it prints.

``clinics/<id>/notes.yaml`` holds a list of notes. Each note goes at the end
of a section of the documents (``section: preparation`` puts "Parking and
check-in" after the preparation texts; ``section: checklist`` on the
handout), or at a named place of the layouts (``place: back-cover``). A note
has an id, an optional heading, and blocks of the same kinds, inline markup
and placeholders as the main content, validated the same way (every problem
with its line). Its texts are translated in the clinic's own catalogs
(:meth:`brochure.project.Project.clinic_texts`), with contexts
``<note-id>.<block-id>`` like the main content's.

.. code-block:: yaml

    notes:
      - id: parking
        section: preparation
        heading: "Parking and check-in"
        blocks:
          - id: where-to-park
            paragraph: "Park in the garage on Orchard Lane; the first two hours are free."
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .content import _ID, Block, DerivedId, Document, Text, _Validator, load_document
from .errors import ContentError, Problem
from .layouts import read_layout_list
from .yamlfile import LineDict, LineList, load_yaml

#: Named places a note can go, besides the end of a section.
PLACES = ("back-cover",)
_NOTE_KEYS = {"id", "section", "place", "heading", "blocks", "layouts"}


@dataclass(frozen=True)
class Note:
    """One note of a clinic: where it goes and what it says."""

    id: str
    line: int
    blocks: tuple[Block, ...]
    heading: Text | None = None
    #: The section it closes, or None for a named place.
    section: str | None = None
    #: A named place of the layouts (:data:`PLACES`), or None for a section.
    place: str | None = None
    #: Layouts it is shown in; empty: every layout that shows its section or place.
    layouts: tuple[str, ...] = ()

    def shown_in(self, layout: str) -> bool:
        return layout in self.layouts if self.layouts else True

    def texts(self) -> list[Text]:
        found = [self.heading] if self.heading is not None else []
        for block in self.blocks:
            found.extend(block.texts())
        return found


@dataclass(frozen=True)
class Notes:
    """The validated notes of one clinic (an empty set when it has none)."""

    path: Path | None = None
    notes: tuple[Note, ...] = ()
    derived_ids: tuple[DerivedId, ...] = field(default=())

    def texts(self) -> list[Text]:
        """Every translatable text, in file order."""
        return [text for note in self.notes for text in note.texts()]

    def at_section(self, section: str, layout: str) -> list[Note]:
        return [note for note in self.notes
                if note.section == section and note.shown_in(layout)]

    def at_place(self, place: str, layout: str) -> list[Note]:
        return [note for note in self.notes if note.place == place and note.shown_in(layout)]


class _NotesValidator(_Validator):
    """The content validator, for a file of notes instead of a document."""

    def note(self, raw: Any, line: int, seen: set[str]) -> Note | None:
        if not isinstance(raw, LineDict):
            self.problem("a note must be a mapping with id, section (or place) and blocks",
                         line)
            return None
        self.unknown_keys(raw, _NOTE_KEYS, "a note")
        note_id = raw.get("id")
        if not isinstance(note_id, str) or not _ID.match(note_id):
            self.problem("a note's id must be lower-case words joined by hyphens, such as "
                         "'parking' or 'after-hours'",
                         raw.line_of("id"))
            return None
        if note_id in seen:
            self.problem(f"note id {note_id!r} is used twice", raw.line_of("id"))
        seen.add(note_id)
        section, place = raw.get("section"), raw.get("place")
        if (section is None) == (place is None):
            self.problem("a note needs either 'section: <section id>' (it goes at the end "
                         f"of that section) or 'place: {PLACES[0]}'", raw.line)
        elif section is not None and (not isinstance(section, str)
                                      or not section.isidentifier()):
            self.problem("section must be a section id such as 'preparation'",
                         raw.line_of("section"))
        elif place is not None and place not in PLACES:
            self.problem(f"unknown place {place!r} (known: {', '.join(PLACES)})",
                         raw.line_of("place"))
        heading = None
        if "heading" in raw:
            heading = self.text(raw, "heading", f"{note_id}.heading",
                                "Heading of a note the clinic adds to its brochures.")
        blocks = self.blocks(raw, note_id, "note")
        layouts = self.layouts(raw)
        return Note(note_id, raw.line, tuple(blocks), heading,
                    section if isinstance(section, str) else None,
                    place if isinstance(place, str) else None, layouts)

    def layouts(self, raw: LineDict) -> tuple[str, ...]:
        if "layouts" not in raw:
            return ()
        names, problems = read_layout_list(raw["layouts"])
        for problem in problems:
            self.problem(problem, raw.line_of("layouts"))
        return names

    def notes(self, raw: Any) -> Notes | None:
        if not isinstance(raw, LineDict) or set(raw) != {"notes"}:
            self.problem("the file must hold one key, 'notes:', with a list of notes", 1)
            return None
        raw_notes = raw["notes"]
        if not isinstance(raw_notes, LineList):
            self.problem("notes must be a list", raw.line_of("notes"))
            return None
        # Claim written ids first (notes hold blocks as sections do), then derive.
        self.claim_ids(raw_notes)
        seen: set[str] = set()
        found = [note for item, line in zip(raw_notes, raw_notes.item_lines)
                 if (note := self.note(item, line, seen)) is not None]
        return Notes(self.path, tuple(found), tuple(self.derived))


def load_notes(path: Path | str, text: str | None = None) -> Notes:
    """Load and validate a clinic's notes file; raise :class:`ContentError` with every problem."""
    path = Path(path)
    validator = _NotesValidator(path)
    notes = validator.notes(load_yaml(path, ContentError, validator.problems, text))
    if validator.problems or notes is None:
        raise ContentError.from_problems(
            validator.problems or [Problem("the notes are incomplete", path, 1)])
    return notes


def is_notes_file(path: Path) -> bool:
    return path.name == "notes.yaml"


def load_texts(path: Path | str, text: str | None = None) -> Document | Notes:
    """A content file (a document) or a clinic's notes file, by its name."""
    path = Path(path)
    return load_notes(path, text) if is_notes_file(path) else load_document(path, text)
