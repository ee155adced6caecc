"""Load and validate the English source content of a document.

A content file (``content/<doc>.yaml``) holds the document's metadata and its
sections, each a list of blocks. Every text that a reader sees becomes a
:class:`Text`: the English msgid, the msgctxt that says where it stands, the
YAML line it comes from and a comment for translators. Validation collects
every problem of the file and reports them all at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import markup
from .errors import ContentError, Problem
from .layouts import LAYOUT_NAMES
from .yamlfile import LineDict, LineList, load_yaml

#: Section ids every document starts with, in this order; more may follow.
REQUIRED_SECTIONS = ("overview", "candidacy", "preparation", "recovery", "risks", "faqs")

#: Block types and the keys each may carry besides its type key.
BLOCK_TYPES: dict[str, tuple[set[str], set[str]]] = {
    # type: (required extra keys, optional extra keys)
    "paragraph": (set(), set()),
    "list": (set(), set()),
    "steps": (set(), set()),
    "tip": (set(), set()),
    "warning": (set(), set()),
    "figure": ({"alt", "caption"}, {"legend"}),
    "question": ({"answer"}, set()),
    "subheading": (set(), set()),
    "checklist": (set(), set()),
}

#: Keys any block may carry: ``condensed: true`` puts it in condensed layouts
#: (the tri-fold leaflet) as well as the full ones.
BLOCK_FLAGS = {"condensed"}

_TOP_KEYS = {"document", "title", "subtitle", "review_date", "disclaimer", "sources", "sections"}
_SECTION_KEYS = {"id", "heading", "blocks", "layouts"}

_DESCRIPTIONS = {
    "paragraph": "Paragraph",
    "tip": "Call-out box 'Good to know'",
    "warning": "Call-out box 'Important' (a warning)",
    "subheading": "Small heading inside a section.",
}


@dataclass(frozen=True)
class Text:
    """One translatable string: English text, its context, line and comment."""

    msgid: str
    context: str
    line: int
    comment: str


@dataclass(frozen=True)
class Block:
    """One block of a section; which fields are set depends on ``kind``."""

    kind: str
    line: int
    text: Text | None = None
    items: tuple[Text, ...] = ()
    answer: Text | None = None
    src: str | None = None
    alt: Text | None = None
    caption: Text | None = None
    condensed: bool = False

    def texts(self) -> list[Text]:
        """Every translatable text of the block, in reading order."""
        found = [self.text, self.alt, self.caption, *self.items, self.answer]
        return [text for text in found if text is not None]


@dataclass(frozen=True)
class Section:
    id: str
    heading: Text
    blocks: tuple[Block, ...]
    line: int
    #: Layouts this section is made for (e.g. the handout's checklist); empty
    #: means every layout, which then shows all of it or its condensed blocks.
    layouts: tuple[str, ...] = ()

    def shown_in(self, layout: str) -> bool:
        """Whether the section belongs in ``layout``."""
        return layout in self.layouts if self.layouts else True


@dataclass(frozen=True)
class Source:
    text: str
    url: str | None


@dataclass(frozen=True)
class Document:
    """A validated content file, in English."""

    id: str
    path: Path
    title: Text
    subtitle: Text
    review_date: datetime.date
    disclaimer: Text
    sources: tuple[Source, ...]
    sections: tuple[Section, ...] = field(default=())

    def texts(self) -> list[Text]:
        """Every translatable text of the document, in reading order."""
        found = [self.title, self.subtitle]
        for section in self.sections:
            found.append(section.heading)
            for block in section.blocks:
                found.extend(block.texts())
        found.append(self.disclaimer)
        return found


class _Validator:
    """Walks a content file and collects problems instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, self.path, line))

    def unknown_keys(self, mapping: LineDict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem(f"unknown key {key!r} in {where} (allowed: {known})",
                             mapping.line_of(key))

    def text(self, mapping: LineDict, key: str, context: str, comment: str) -> Text | None:
        value = mapping.get(key)
        line = mapping.line_of(key)
        if key not in mapping:
            self.problem(f"missing {key!r}", mapping.line)
            return None
        return self.string(value, line, context, comment, key)

    def string(self, value: Any, line: int, context: str, comment: str,
               what: str) -> Text | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{what} must be non-empty text", line)
            return None
        text = " ".join(value.split())
        for message in markup.problems(text):
            self.problem(f"{what}: {message}", line)
        used = sorted(markup.placeholders(text))
        if used:
            comment += " Placeholders: " + "; ".join(
                f"{{{name}}} = {markup.PLACEHOLDERS.get(name, '?')}" for name in used) + "."
        if "*" in text:
            comment += " Keep **strong** and *em* marks around the matching words."
        return Text(text, context, line, comment)

    def text_list(self, value: Any, line: int, context: str, comment: str,
                  what: str) -> tuple[Text, ...]:
        if not isinstance(value, LineList) or not value:
            self.problem(f"{what} must be a non-empty list of texts", line)
            return ()
        found = []
        for number, (item, item_line) in enumerate(zip(value, value.item_lines), 1):
            text = self.string(item, item_line, f"{context}{number}",
                               f"{comment} {number} of {len(value)}.", f"{what} item {number}")
            if text:
                found.append(text)
        return tuple(found)

    def block(self, raw: Any, line: int, section_id: str, number: int,
              question_number: int) -> Block | None:
        if not isinstance(raw, LineDict):
            self.problem("a block must be a mapping such as 'paragraph: ...'", line)
            return None
        kinds = [key for key in raw if key in BLOCK_TYPES]
        if len(kinds) != 1:
            types = ", ".join(BLOCK_TYPES)
            self.problem(f"a block needs exactly one type key (one of: {types})", raw.line)
            return None
        kind = kinds[0]
        required, optional = BLOCK_TYPES[kind]
        self.unknown_keys(raw, {kind} | required | optional | BLOCK_FLAGS, f"a {kind} block")
        condensed = raw.get("condensed", False)
        if not isinstance(condensed, bool):
            self.problem("condensed must be true or false", raw.line_of("condensed"))
            condensed = False
        block = self._block(raw, kind, section_id, number, question_number)
        if block is not None and condensed:
            block = replace(block, condensed=True)
        return block

    def _block(self, raw: LineDict, kind: str, section_id: str, number: int,
               question_number: int) -> Block | None:
        required, _ = BLOCK_TYPES[kind]
        for key in sorted(required - set(raw)):
            self.problem(f"a {kind} block needs {key!r}", raw.line)
        context = f"{section_id}.b{number}"
        kind_line = raw.line_of(kind)
        if kind in ("paragraph", "tip", "warning", "subheading"):
            return Block(kind, raw.line, text=self.string(
                raw[kind], kind_line, context, _DESCRIPTIONS[kind] + ".", kind))
        if kind in ("list", "steps", "checklist"):
            what = {"list": "Bulleted list item", "steps": "Numbered step",
                    "checklist": "Checklist item (a box to tick in front)"}[kind]
            return Block(kind, raw.line, items=self.text_list(
                raw[kind], kind_line, f"{context}.i", what, kind))
        if kind == "question":
            context = f"{section_id}.q{question_number}"
            return Block(
                kind, raw.line,
                text=self.string(raw[kind], kind_line, f"{context}.question",
                                 "A question a patient asks (shown in bold).", "question"),
                answer=self.text(raw, "answer", f"{context}.answer",
                                 "The answer to the question above it."))
        # figure
        src = raw[kind]
        if not isinstance(src, str) or not src.endswith((".svg", ".png")):
            self.problem("figure must name an .svg or .png file under assets/", kind_line)
            src = None
        legend: tuple[Text, ...] = ()
        if "legend" in raw:
            legend = self.text_list(
                raw["legend"], raw.line_of("legend"), f"{context}.legend",
                "Short label for the numbered marker in the illustration; marker", "legend")
        return Block(
            kind, raw.line, src=src, items=legend,
            alt=self.text(raw, "alt", f"{context}.alt",
                          "Description of the illustration for people who cannot see it."),
            caption=self.text(raw, "caption", f"{context}.caption",
                              "Caption under the illustration."))

    def section(self, raw: Any, line: int, seen: set[str]) -> Section | None:
        if not isinstance(raw, LineDict):
            self.problem("a section must be a mapping with id, heading and blocks", line)
            return None
        self.unknown_keys(raw, _SECTION_KEYS, "a section")
        section_id = raw.get("id")
        if not isinstance(section_id, str) or not section_id.isidentifier():
            self.problem("section id must be a short name such as 'overview'",
                         raw.line_of("id"))
            return None
        if section_id in seen:
            self.problem(f"section id {section_id!r} is used twice", raw.line_of("id"))
        seen.add(section_id)
        heading = self.text(raw, "heading", f"{section_id}.heading",
                            "Section heading (short; also a PDF bookmark).")
        raw_blocks = raw.get("blocks")
        blocks = []
        if not isinstance(raw_blocks, LineList) or not raw_blocks:
            self.problem("a section needs a non-empty list of blocks", raw.line_of("blocks"))
        else:
            questions = 0
            for number, (item, item_line) in enumerate(
                    zip(raw_blocks, raw_blocks.item_lines), 1):
                if isinstance(item, LineDict) and "question" in item:
                    questions += 1
                block = self.block(item, item_line, section_id, number, questions)
                if block:
                    blocks.append(block)
        layouts: tuple[str, ...] = ()
        if "layouts" in raw:
            value = raw["layouts"]
            if (not isinstance(value, list) or not value
                    or not all(isinstance(item, str) for item in value)):
                self.problem("layouts must be a list of layout names such as [handout]",
                             raw.line_of("layouts"))
            else:
                layouts = tuple(value)
                for layout in layouts:
                    if layout not in LAYOUT_NAMES:
                        self.problem(f"unknown layout {layout!r} "
                                     f"(known: {', '.join(LAYOUT_NAMES)})",
                                     raw.line_of("layouts"))
        if heading is None:
            return None
        return Section(section_id, heading, tuple(blocks), raw.line, layouts)

    def sources(self, raw: Any, line: int) -> tuple[Source, ...]:
        if not isinstance(raw, LineList) or not raw:
            self.problem("sources must be a non-empty list", line)
            return ()
        found = []
        for item, item_line in zip(raw, raw.item_lines):
            if not isinstance(item, LineDict) or not isinstance(item.get("text"), str):
                self.problem("a source needs 'text' (and may have 'url')", item_line)
                continue
            self.unknown_keys(item, {"text", "url"}, "a source")
            url = item.get("url")
            if url is not None and (not isinstance(url, str)
                                    or not url.startswith("https://")):
                self.problem("a source url must start with https://", item.line_of("url"))
                url = None
            found.append(Source(" ".join(item["text"].split()), url))
        return tuple(found)

    def document(self, raw: Any) -> Document | None:
        if not isinstance(raw, LineDict):
            self.problem("the file must be a mapping with title, sections, ...", 1)
            return None
        self.unknown_keys(raw, _TOP_KEYS, "the document")
        for key in sorted(_TOP_KEYS - set(raw)):
            self.problem(f"missing {key!r}", 1)
        doc_id = raw.get("document", self.path.stem)
        if not isinstance(doc_id, str) or not doc_id.replace("-", "").isalnum():
            self.problem("document must be a short name (letters, digits, -)",
                         raw.line_of("document"))
        title = self.text(raw, "title", "title", "Title of the brochure (cover and PDF title).")
        subtitle = self.text(raw, "subtitle", "subtitle", "Subtitle on the cover.")
        disclaimer = self.text(raw, "disclaimer", "disclaimer",
                               "Disclaimer on the back cover.")
        review_date = raw.get("review_date")
        if "review_date" in raw and not isinstance(review_date, datetime.date):
            self.problem("review_date must be a date such as 2026-11-01",
                         raw.line_of("review_date"))
        sources = self.sources(raw.get("sources"), raw.line_of("sources"))
        sections: list[Section] = []
        raw_sections = raw.get("sections")
        if not isinstance(raw_sections, LineList):
            self.problem("sections must be a list", raw.line_of("sections"))
        else:
            seen: set[str] = set()
            for item, item_line in zip(raw_sections, raw_sections.item_lines):
                section = self.section(item, item_line, seen)
                if section:
                    sections.append(section)
            ids = tuple(section.id for section in sections)
            if ids[:len(REQUIRED_SECTIONS)] != REQUIRED_SECTIONS:
                self.problem("sections must start with " + ", ".join(REQUIRED_SECTIONS)
                             + " in that order; found " + ", ".join(ids),
                             raw.line_of("sections"))
        if (self.problems or title is None or subtitle is None or disclaimer is None
                or not isinstance(review_date, datetime.date)):
            return None
        return Document(str(doc_id), self.path, title, subtitle, review_date, disclaimer,
                        sources, tuple(sections))


def load_document(path: Path | str) -> Document:
    """Load and validate a content file; raise :class:`ContentError` with every problem."""
    path = Path(path)
    validator = _Validator(path)
    # Unprintable text goes to the validator's problems (issue 14), all reported at once.
    document = validator.document(load_yaml(path, ContentError, validator.problems))
    if validator.problems or document is None:
        raise ContentError.from_problems(
            validator.problems or [Problem("the content is incomplete", path, 1)])
    return document
