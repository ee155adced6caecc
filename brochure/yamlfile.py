"""Read YAML files keeping the line of every key and item.

Content and clinic files are validated field by field, and every problem must
name its line. PyYAML's composer keeps a mark on each node; this module turns
the node tree into plain dicts, lists and scalars that remember those lines.

The files are written by people, not generated, so the reader refuses what no
such file needs and what would make it hang or crash, each with the line:
aliases that expand to more than a few hundred items (a "billion laughs"
file), nesting deeper than :data:`MAX_DEPTH`, an alias inside its own anchor,
dates that do not exist, and text that cannot be printed (see
:mod:`brochure.text`, which also brings every text to NFC).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import BrochureError, Problem
from .text import clean_text, describe_character, text_problems, without_unusable

#: Deepest nesting of lists and mappings a file may have (the content needs 5).
MAX_DEPTH = 40
#: Items that aliases (``*name``) may add to a file in all; more is refused.
MAX_ALIAS_ITEMS = 500


class LineDict(dict[str, Any]):
    """A mapping that knows the line (and column) of itself and the line of each key."""

    line: int
    column: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows the line of itself and the line and column of each item."""

    line: int
    item_lines: list[int]
    item_columns: list[int]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with a depth limit, remembering where aliases are."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.alias_lines: list[int] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        # The composer recurses once per level: 20,000 "[" would end in a
        # RecursionError traceback. Stop long before, at the offending line.
        if self.check_event(yaml.AliasEvent):
            self.alias_lines.append(self.peek_event().start_mark.line + 1)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"lists and mappings nested more than {MAX_DEPTH} deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Builder:
    """Turns composed nodes into Line* values, expanding aliases within limits."""

    def __init__(self, loader: _Loader, path: Path, error: type[BrochureError]) -> None:
        self.loader = loader
        self.path = path
        self.error = error
        self.seen: set[int] = set()
        self.open: set[int] = set()
        self.alias_items = 0
        self.text_problems: list[Problem] = []

    def fail(self, message: str, line: int | None) -> BrochureError:
        return self.error(message, self.path, line)

    def build(self, node: yaml.Node) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.open:
            raise self.fail("an alias (*name) refers to the item that contains it", line)
        if id(node) in self.seen:
            # Each node reached a second time is a copy made by an alias.
            self.alias_items += 1
            if self.alias_items > MAX_ALIAS_ITEMS:
                first = self.loader.alias_lines[0] if self.loader.alias_lines else line
                raise self.fail(f"aliases (*name) expand to more than {MAX_ALIAS_ITEMS} "
                                "items; write the text out instead", first)
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, line)
        self.open.add(id(node))
        try:
            return self.collection(node, line)
        finally:
            self.open.discard(id(node))

    def collection(self, node: yaml.Node, line: int) -> Any:
        if isinstance(node, yaml.MappingNode):
            mapping = LineDict()
            mapping.line = line
            mapping.column = node.start_mark.column
            mapping.key_lines = {}
            for key_node, value_node in node.value:
                key = self.build(key_node)
                key_line = key_node.start_mark.line + 1
                if not isinstance(key, str):
                    raise self.fail(f"keys must be text, not {key!r}", key_line)
                if key in mapping:
                    raise self.fail(f"key {key!r} appears twice", key_line)
                mapping[key] = self.build(value_node)
                mapping.key_lines[key] = key_line
            return mapping
        sequence = LineList(self.build(item) for item in node.value)
        sequence.line = line
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        sequence.item_columns = [item.start_mark.column for item in node.value]
        return sequence

    def scalar(self, node: yaml.ScalarNode, line: int) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            # PyYAML checks a date's form, not that it exists: 2026-02-30.
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise self.fail(f"{node.value!r} is not a real date ({exc})", line) from None
            raise self.fail(f"cannot read {node.value!r} ({exc})", line) from None
        if isinstance(value, str):
            problems = text_problems(value)
            if problems:
                self.text_problems.extend(Problem(message, self.path, line)
                                          for message in problems)
                return without_unusable(value)
            return clean_text(value)
        return value


def _reader_line(text: str, exc: yaml.reader.ReaderError) -> int:
    return text.count("\n", 0, exc.position) + 1


def load_yaml(path: Path, error: type[BrochureError] = BrochureError,
              problems: list[Problem] | None = None, text: str | None = None) -> Any:
    """Load ``path`` (or ``text`` standing for it) as YAML; errors name the file and line.

    Every text comes out in NFC with unprintable separators made spaces. Texts
    holding a control character or invalid UTF-8 are all reported at once:
    raised, or added to ``problems`` when given: the caller goes on validating
    and raises them with its own problems, and those texts come out without
    the characters that cannot be used.
    """
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason} at byte {exc.start + 1}); save the file "
                    "as UTF-8", path, exc.object[:exc.start].count(b"\n") + 1) from None
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror})", path) from None
    loader: _Loader | None = None
    try:
        # The reader checks every character when it is made: inside the try.
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise error("the file is empty", path, 1)
        builder = _Builder(loader, path, error)
        value = builder.build(node)
        if builder.text_problems:
            if problems is None:
                raise error.from_problems(builder.text_problems)
            problems.extend(builder.text_problems)
        return value
    except yaml.reader.ReaderError as exc:
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise error(describe_character(char), path, _reader_line(text, exc)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{exc.context}: {message}"
        raise error(f"invalid YAML: {message}", path, line) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path) from None
    finally:
        if loader is not None:
            loader.dispose()
