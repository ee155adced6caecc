"""Load and validate the English source content of a document.

A content file (``content/<doc>.yaml``) holds the document's metadata and its
sections, each a list of blocks. Every text that a reader sees becomes a
:class:`Text`: the English msgid, the msgctxt that names it, the YAML line it
comes from and a comment for translators. Validation collects every problem
of the file and reports them all at once.

A text's msgctxt is a stable id, never its position, so that adding, removing
or moving a block changes no other text's context or translation:

* a block may carry ``id: some-words`` and a list item may be written
  ``- some-words: "text"``; the context is ``<section>.<id>`` (a question's
  are ``<section>.<id>.question`` and ``.answer``, a figure's ``.alt``,
  ``.caption`` and ``.legend1`` ...: legend labels are numbered like the
  markers in the picture);
* a block or item without an id gets one derived from its English words
  (:func:`slug`), unique in the document, so extraction works on any file;
  ``brochure i18n extract`` then writes ("freezes") these ids into the file
  (:mod:`brochure.freeze`), so that editing the English later keeps the id.
  :attr:`Document.derived_ids` lists the ids not frozen yet.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import markup
from .errors import ContentError, Problem
from .layouts import LAYOUTS, read_layout_list
from .yamlfile import LineDict, LineList, load_yaml

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
    # A boxed list: a lead text above its ``items`` (see BOXED_LISTS).
    "call_us": ({"items"}, set()),
    "emergency": ({"items"}, set()),
    "key_points": ({"items"}, set()),
}

#: Keys any block may carry: ``condensed: true`` puts it in condensed layouts
#: (the tri-fold leaflet) as well as the full ones; ``id`` names its texts.
BLOCK_FLAGS = {"condensed", "id"}

#: Block types whose texts are named by the block's id (a list's items have their own).
NAMED_BLOCKS = ("paragraph", "tip", "warning", "subheading", "question", "figure",
                "call_us", "emergency", "key_points")
LIST_BLOCKS = ("list", "steps", "checklist")
#: Boxes of a lead text and a list (``items``): what each is, for translators. The lead
#: is named ``<section>.<id>``, an item ``<section>.<id>.<item-id>``.
BOXED_LISTS = {
    "call_us": "Call-out box 'Call us': when to phone the clinic after the procedure",
    "emergency": "Call-out box 'Emergency': when to call the emergency number or go to "
                 "the emergency department",
    "key_points": "Call-out box 'Key points': the most important points, at the start",
}
#: Keys whose value is a list of texts that may be named ``- item-id: "text"``.
ITEM_LIST_KEYS = (*LIST_BLOCKS, "items")

#: An id: lower-case letters and digits, words joined by single hyphens.
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ID_MAX_LENGTH = 48
#: Ids no block or item may take: ``<section>.heading`` is the section's heading.
RESERVED_IDS = frozenset({"heading"})
#: Words a derived id leaves out, so that it keeps the words that say what the text is.
_STOPWORDS = frozenset("""
    a an the and or but of to in on at for with by from as into about than then so
    is are am be been being was were do does did can could will would shall should
    may might must have has had it its this that these those there here
    i me my mine you your yours we us our they them their he him his she her
    if also too very just only some any each every all""".split())

#: Keys every content file has.
_REQUIRED_TOP_KEYS = {"document", "title", "subtitle", "disclaimer", "sections"}
#: Keys a document may add to describe itself (what its layouts need of it):
#: ``review_date`` and ``sources`` (a medical document's: printed at the end),
#: ``cover`` (``art``: a picture under assets/; ``figure``: ``<section>.<block-id>``
#: of the figure whose alt text and caption describe the art), ``credits``
#: (trademark or credit lines on every layout, named ``- id: "text"``),
#: ``required_sections`` (ids the sections must start with, in that order),
#: ``handout`` (the section the handout shows), ``panels`` (the tri-fold's
#: panels, each a list of section ids) and ``layouts`` (the layouts it is built in).
_OPTIONAL_TOP_KEYS = {"review_date", "sources", "cover", "credits", "required_sections",
                      "handout", "panels", "layouts"}
_TOP_KEYS = _REQUIRED_TOP_KEYS | _OPTIONAL_TOP_KEYS
_COVER_KEYS = {"art", "figure"}
_SOURCE_KEYS = {"text", "short", "url"}
_SECTION_KEYS = {"id", "heading", "blocks", "layouts"}

_DESCRIPTIONS = {
    "paragraph": "Paragraph",
    "tip": "Call-out box 'Good to know'",
    "warning": "Call-out box 'Important' (a warning)",
    "subheading": "Small heading inside a section.",
}


def slug(text: str, words: int = 3) -> str:
    """A short readable id from English words: ``"Will it hurt?"`` → ``hurt``.

    Placeholders and markup are left out, letters are folded to ASCII, and
    small words (articles, pronouns, auxiliaries) are dropped unless nothing
    else is left; the first ``words`` words remain.
    """
    plain = re.sub(r"\{[^{}]*\}", " ", text)
    plain = re.sub(r"['\u2019]", "", plain)
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().lower()
    found = re.findall(r"[a-z0-9]+", plain)
    kept = [word for word in found if word not in _STOPWORDS] or found
    result = "-".join(kept[:words])[:ID_MAX_LENGTH].strip("-")
    return result or "text"


@dataclass(frozen=True)
class DerivedId:
    """An id the tool derived because the file has none there yet (not frozen)."""

    id: str
    line: int
    column: int
    #: ``block``: goes in as an ``id:`` key; ``item``: as ``- id: text``.
    kind: str


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
    """A study the content rests on; printed in English, as cited."""

    text: str
    url: str | None
    #: A short citation (authors, journal, year) for layouts too small for ``text``.
    short: str | None = None

    @property
    def brief(self) -> str:
        return self.short or self.text


@dataclass(frozen=True)
class Document:
    """A validated content file, in English, with what its layouts need of it."""

    id: str
    path: Path
    title: Text
    subtitle: Text
    #: When the medical content was last checked (printed), or None.
    review_date: datetime.date | None
    disclaimer: Text
    sources: tuple[Source, ...]
    sections: tuple[Section, ...] = field(default=())
    #: Ids derived from the English because the file does not name them yet.
    derived_ids: tuple[DerivedId, ...] = ()
    #: The layouts it is built in (by default: booklet and large print, and the
    #: tri-fold and handout when it names their panels and section).
    layouts: tuple[str, ...] = ()
    #: The cover picture, relative to assets/, or None for a cover without one.
    cover_art: str | None = None
    #: ``<section>.<block-id>`` of the figure whose texts describe the cover art.
    cover_figure: str | None = None
    #: Trademark or credit lines printed on every layout.
    credits: tuple[Text, ...] = ()
    #: Section ids the document declares it must start with.
    required_sections: tuple[str, ...] = ()
    #: The section the handout shows.
    handout: str | None = None
    #: Tri-fold panel name → the ids of the sections it shows.
    panels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The line of the ``document:`` key (its id), for messages about the id.
    id_line: int = 1

    def texts(self) -> list[Text]:
        """Every translatable text of the document, in reading order."""
        found = [self.title, self.subtitle]
        for section in self.sections:
            found.append(section.heading)
            for block in section.blocks:
                found.extend(block.texts())
        found.append(self.disclaimer)
        found.extend(self.credits)
        return found

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections if section.id == section_id), None)

    def figure(self, reference: str) -> Block | None:
        """The figure named ``<section>.<block-id>``, or None."""
        return next((block for section in self.sections for block in section.blocks
                     if block.alt is not None and block.alt.context == f"{reference}.alt"),
                    None)


class _Validator:
    """Walks a content file and collects problems instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        #: Every id in use (written or derived) and the line it is on.
        self.taken: dict[str, int] = {}
        self.derived: list[DerivedId] = []

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
                  what: str, named: bool) -> tuple[Text, ...]:
        """The texts of a list; ``named`` items get ``<context><id>``, others a number."""
        if not isinstance(value, LineList) or not value:
            self.problem(f"{what} must be a non-empty list of texts", line)
            return ()
        found = []
        for number, (item, item_line, column) in enumerate(
                zip(value, value.item_lines, value.item_columns), 1):
            item_comment = f"{comment} {number} of {len(value)}."
            label = f"{what} item {number}"
            if not named:
                if isinstance(item, LineDict):
                    self.problem(f"{label}: a legend label is plain text (its number is the "
                                 "marker's number in the picture)", item_line)
                    continue
                text = self.string(item, item_line, f"{context}{number}", item_comment, label)
            elif isinstance(item, LineDict):
                if len(item) != 1 or not isinstance(next(iter(item.values())), str):
                    self.problem(f"{label} must be text, or 'some-id: \"text\"' to name it",
                                 item_line)
                    continue
                [(item_id, item_text)] = item.items()
                text = self.string(item_text, item.line_of(item_id),
                                   f"{context}{item_id}", item_comment, label)
            else:
                item_id = self.derive(slug(item) if isinstance(item, str) else "item",
                                      item_line, column, "item")
                text = self.string(item, item_line, f"{context}{item_id}", item_comment, label)
            if text:
                found.append(text)
        return tuple(found)

    def check_id(self, value: Any, line: int) -> str | None:
        """Validate a written id and claim it; report a bad or repeated one."""
        if not isinstance(value, str) or not _ID.match(value):
            self.problem(f"id {value!r} must be lower-case words joined by hyphens, "
                         "such as 'blood-thinners'", line)
            return None
        if len(value) > ID_MAX_LENGTH:
            self.problem(f"id {value!r} is longer than {ID_MAX_LENGTH} characters", line)
            return None
        if value in RESERVED_IDS:
            self.problem(f"id {value!r} is reserved (it names the section heading)", line)
            return None
        if value in self.taken:
            self.problem(f"id {value!r} is used twice in this file (also on line "
                         f"{self.taken[value]})", line)
            return None
        self.taken[value] = line
        return value

    def claim_ids(self, raw_sections: Any) -> None:
        """Claim every id the file writes, before any is derived, so none collides."""
        if not isinstance(raw_sections, LineList):
            return
        for section in raw_sections:
            blocks = section.get("blocks") if isinstance(section, LineDict) else None
            if not isinstance(blocks, LineList):
                continue
            for block in blocks:
                if not isinstance(block, LineDict):
                    continue
                if "id" in block:
                    self.check_id(block["id"], block.line_of("id"))
                for kind in ITEM_LIST_KEYS:
                    items = block.get(kind)
                    if not isinstance(items, LineList):
                        continue
                    for item in items:
                        if isinstance(item, LineDict) and len(item) == 1:
                            [key] = item
                            self.check_id(key, item.line_of(key))

    def derive(self, base: str, line: int, column: int, kind: str) -> str:
        """A derived id, unique in the document: ``base``, else ``base-2``, ``base-3`` ..."""
        candidate, number = base, 2
        while candidate in self.taken or candidate in RESERVED_IDS:
            candidate, number = f"{base}-{number}", number + 1
        self.taken[candidate] = line
        self.derived.append(DerivedId(candidate, line, column, kind))
        return candidate

    def block_id(self, raw: LineDict, kind: str) -> str:
        """The block's written id, or one derived from its first text (a figure: its file)."""
        written = raw.get("id")
        if isinstance(written, str) and self.taken.get(written) == raw.line_of("id"):
            return written
        value = raw.get(kind)
        if kind == "figure":
            base = slug(Path(value).stem.replace("_", "-"), words=6) if isinstance(
                value, str) else "figure"
        else:
            base = slug(value) if isinstance(value, str) else kind
        return self.derive(base, raw.line, raw.column, "block")

    def blocks(self, raw: LineDict, owner: str, what: str) -> list[Block]:
        """The checked ``blocks:`` of a section or a note (``what`` names it in messages)."""
        raw_blocks = raw.get("blocks")
        if not isinstance(raw_blocks, LineList) or not raw_blocks:
            self.problem(f"a {what} needs a non-empty list of blocks", raw.line_of("blocks"))
            return []
        blocks = []
        for item, item_line in zip(raw_blocks, raw_blocks.item_lines):
            block = self.block(item, item_line, owner)
            if block:
                blocks.append(block)
        return blocks

    def block(self, raw: Any, line: int, section_id: str) -> Block | None:
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
        block = self._block(raw, kind, section_id)
        if block is not None and condensed:
            block = replace(block, condensed=True)
        return block

    def _block(self, raw: LineDict, kind: str, section_id: str) -> Block | None:
        required, _ = BLOCK_TYPES[kind]
        for key in sorted(required - set(raw)):
            self.problem(f"a {kind} block needs {key!r}", raw.line)
        kind_line = raw.line_of(kind)
        if kind in LIST_BLOCKS:
            what = {"list": "Bulleted list item", "steps": "Numbered step",
                    "checklist": "Checklist item (a box to tick in front)"}[kind]
            return Block(kind, raw.line, items=self.text_list(
                raw[kind], kind_line, f"{section_id}.", what, kind, named=True))
        context = f"{section_id}.{self.block_id(raw, kind)}"
        if kind in BOXED_LISTS:
            what = BOXED_LISTS[kind]
            return Block(
                kind, raw.line,
                text=self.string(raw[kind], kind_line, context,
                                 f"{what}. The lead text above its list.", kind),
                items=self.text_list(raw["items"], raw.line_of("items"), f"{context}.",
                                     f"{what}. List item", "items", named=True)
                if "items" in raw else ())
        if kind in ("paragraph", "tip", "warning", "subheading"):
            return Block(kind, raw.line, text=self.string(
                raw[kind], kind_line, context, _DESCRIPTIONS[kind] + ".", kind))
        if kind == "question":
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
                "Short label for the numbered marker in the illustration; marker", "legend",
                named=False)
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
        blocks = self.blocks(raw, section_id, "section")
        layouts: tuple[str, ...] = ()
        if "layouts" in raw:
            layouts, problems = read_layout_list(raw["layouts"], "[handout]")
            for problem in problems:
                self.problem(problem, raw.line_of("layouts"))
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
                self.problem("a source needs 'text' (and may have 'short' and 'url')",
                             item_line)
                continue
            self.unknown_keys(item, _SOURCE_KEYS, "a source")
            short = item.get("short")
            if short is not None and (not isinstance(short, str) or not short.strip()):
                self.problem("a source's short citation must be non-empty text",
                             item.line_of("short"))
                short = None
            url = item.get("url")
            if url is not None and (not isinstance(url, str)
                                    or not url.startswith("https://")):
                self.problem("a source url must start with https://", item.line_of("url"))
                url = None
            found.append(Source(" ".join(item["text"].split()), url,
                                " ".join(short.split()) if short else None))
        return tuple(found)

    def document(self, raw: Any) -> Document | None:
        if not isinstance(raw, LineDict):
            self.problem("the file must be a mapping with title, sections, ...", 1)
            return None
        self.unknown_keys(raw, _TOP_KEYS, "the document")
        for key in sorted(_REQUIRED_TOP_KEYS - set(raw)):
            self.problem(f"missing {key!r}", 1)
        doc_id = raw.get("document", self.path.stem)
        if not isinstance(doc_id, str) or not _ID.match(doc_id):
            self.problem("document must be a short name (lower-case letters, digits, -)",
                         raw.line_of("document"))
        title = self.text(raw, "title", "title", "Title of the brochure (cover and PDF title).")
        subtitle = self.text(raw, "subtitle", "subtitle", "Subtitle on the cover.")
        disclaimer = self.text(raw, "disclaimer", "disclaimer",
                               "Disclaimer on the back cover.")
        review_date = raw.get("review_date")
        if "review_date" in raw and not isinstance(review_date, datetime.date):
            self.problem("review_date must be a date such as 2026-11-01",
                         raw.line_of("review_date"))
        sources = (self.sources(raw.get("sources"), raw.line_of("sources"))
                   if "sources" in raw else ())
        sections: list[Section] = []
        raw_sections = raw.get("sections")
        self.claim_ids(raw_sections)
        if "credits" in raw:
            self.claim_item_ids(raw["credits"])
        if not isinstance(raw_sections, LineList):
            self.problem("sections must be a list", raw.line_of("sections"))
        else:
            seen: set[str] = set()
            for item, item_line in zip(raw_sections, raw_sections.item_lines):
                section = self.section(item, item_line, seen)
                if section:
                    sections.append(section)
        ids = tuple(section.id for section in sections)
        required = self.id_list(raw, "required_sections")
        if required and ids[:len(required)] != required:
            self.problem("sections must start with " + ", ".join(required)
                         + " in that order; found " + ", ".join(ids),
                         raw.line_of("sections"))
        credits: tuple[Text, ...] = ()
        if "credits" in raw:
            credits = self.text_list(
                raw["credits"], raw.line_of("credits"), "credits.",
                "Trademark or credit line, in the small print of every layout. Keep "
                "names of products and companies as they are. Line", "credits", named=True)
        cover_art, cover_figure = self.cover(raw, sections)
        handout = self.named_section(raw, "handout", ids)
        panels = self.panels(raw, ids)
        layouts = self.document_layouts(raw, handout, panels)
        if (self.problems or title is None or subtitle is None or disclaimer is None
                or (review_date is not None and not isinstance(review_date, datetime.date))):
            return None
        return Document(str(doc_id), self.path, title, subtitle, review_date, disclaimer,
                        sources, tuple(sections), tuple(self.derived), layouts, cover_art,
                        cover_figure, credits, required, handout, panels,
                        raw.line_of("document") if "document" in raw else 1)

    def claim_item_ids(self, items: Any) -> None:
        """Claim the ids of a top-level list of named texts (the credits)."""
        if not isinstance(items, LineList):
            return
        for item in items:
            if isinstance(item, LineDict) and len(item) == 1:
                [key] = item
                self.check_id(key, item.line_of(key))

    def id_list(self, raw: LineDict, key: str) -> tuple[str, ...]:
        """A list of section ids (``required_sections``, a panel's sections)."""
        value = raw.get(key)
        if value is None:
            return ()
        if (not isinstance(value, list) or not value
                or not all(isinstance(item, str) and item.isidentifier() for item in value)):
            self.problem(f"{key} must be a list of section ids such as [overview, faqs]",
                         raw.line_of(key))
            return ()
        return tuple(value)

    def named_section(self, raw: LineDict, key: str, ids: tuple[str, ...]) -> str | None:
        if key not in raw:
            return None
        value = raw[key]
        if not isinstance(value, str) or value not in ids:
            self.problem(f"{key} must name one of the document's sections "
                         f"({', '.join(ids)}); found {value!r}", raw.line_of(key))
            return None
        return value

    def cover(self, raw: LineDict, sections: list[Section]) -> tuple[str | None, str | None]:
        value = raw.get("cover")
        if value is None:
            return None, None
        if not isinstance(value, LineDict):
            self.problem("cover must be a mapping with 'art' (a picture under assets/) and "
                         "optionally 'figure' (<section>.<block-id>)", raw.line_of("cover"))
            return None, None
        self.unknown_keys(value, _COVER_KEYS, "the cover")
        art = value.get("art")
        if not isinstance(art, str) or not art.endswith((".svg", ".png")):
            self.problem("cover art must name an .svg or .png file under assets/",
                         value.line_of("art") if "art" in value else value.line)
            art = None
        figure = value.get("figure")
        if figure is not None:
            figures = {block.alt.context[:-len(".alt")] for section in sections
                       for block in section.blocks if block.alt is not None}
            if not isinstance(figure, str) or figure not in figures:
                self.problem(f"cover figure {figure!r} is not a figure of the document "
                             f"(figures: {', '.join(sorted(figures)) or 'none'})",
                             value.line_of("figure"))
                figure = None
        return art, figure

    def panels(self, raw: LineDict, ids: tuple[str, ...]
               ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        value = raw.get("panels")
        if value is None:
            return ()
        names = [name for layout in LAYOUTS.values() for name in layout.panels]
        if not isinstance(value, LineDict):
            self.problem(f"panels must map panel names ({', '.join(names)}) to lists of "
                         "section ids", raw.line_of("panels"))
            return ()
        found = []
        for name in value:
            if name not in names:
                self.problem(f"unknown panel {name!r} (known: {', '.join(names)})",
                             value.line_of(name))
                continue
            shown = self.id_list(value, name)
            for section_id in shown:
                if section_id not in ids:
                    self.problem(f"panel {name!r}: no section {section_id!r} "
                                 f"(sections: {', '.join(ids)})", value.line_of(name))
            found.append((name, shown))
        return tuple(found)

    def document_layouts(self, raw: LineDict, handout: str | None,
                         panels: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
        """The layouts named (default: those whose needs the document meets), checked."""
        if "layouts" not in raw:
            return tuple(name for name, layout in LAYOUTS.items()
                         if not (layout.panels and not panels)
                         and not (layout.one_section and handout is None))
        names, problems = read_layout_list(raw["layouts"])
        for problem in problems:
            self.problem(problem, raw.line_of("layouts"))
        for name in names:
            layout = LAYOUTS.get(name)
            if layout is None:
                continue
            if layout.panels and not panels:
                self.problem(f"layout {name!r} needs 'panels:' (which sections each of its "
                             f"panels {', '.join(layout.panels)} shows)",
                             raw.line_of("layouts"))
            elif layout.one_section and handout is None:
                self.problem(f"layout {name!r} needs 'handout: <section id>' (the section "
                             "it shows)", raw.line_of("layouts"))
        return names


def load_document(path: Path | str, text: str | None = None) -> Document:
    """Load and validate a content file; raise :class:`ContentError` with every problem.

    ``text`` stands for the file's content when given (to check an edit before
    writing it).
    """
    path = Path(path)
    validator = _Validator(path)
    # Unprintable text goes to the validator's problems, all reported at once.
    document = validator.document(load_yaml(path, ContentError, validator.problems, text))
    if validator.problems or document is None:
        raise ContentError.from_problems(
            validator.problems or [Problem("the content is incomplete", path, 1)])
    return document
