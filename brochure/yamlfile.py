"""Read YAML files keeping the line of every key and item.

Content and clinic files are validated field by field, and every problem must
name its line. PyYAML's composer keeps a mark on each node; this module turns
the node tree into plain dicts, lists and scalars that remember those lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import BrochureError


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


def _construct(node: yaml.Node, loader: yaml.SafeLoader, path: Path,
               error: type[BrochureError]) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = LineDict()
        mapping.line = line
        mapping.column = node.start_mark.column
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, loader, path, error)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise error(f"keys must be text, not {key!r}", path, key_line)
            if key in mapping:
                raise error(f"key {key!r} appears twice", path, key_line)
            mapping[key] = _construct(value_node, loader, path, error)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = LineList(
            _construct(item, loader, path, error) for item in node.value)
        sequence.line = line
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        sequence.item_columns = [item.start_mark.column for item in node.value]
        return sequence
    return loader.construct_object(node, deep=True)


def load_yaml(path: Path, error: type[BrochureError] = BrochureError,
              text: str | None = None) -> Any:
    """Load ``path`` (or ``text`` standing for it) as YAML; errors name the file and line."""
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason})", path) from None
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror})", path) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise error("the file is empty", path, 1)
        return _construct(node, loader, path, error)
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
        loader.dispose()
