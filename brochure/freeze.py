"""Write derived message ids into a content file ("freeze" them).

A block or list item without an id gets one derived from its English words
(see :mod:`brochure.content`). Once translations exist for it, the id must
not change when the English is edited, so ``brochure i18n extract`` writes
each derived id into the YAML file: ``id: <id>`` as the first key of a block,
``- <id>: "text"`` for a list item.

The edit is textual, so the author's comments, quoting, line breaks and key
order stay exactly as they were; it is checked before anything is written:
the edited file must load to the very same document (every text, context and
setting) with no id left to derive. If it does not, nothing is written and
the error says where to add the id by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .content import ITEM_LIST_KEYS, DerivedId, Document
from .errors import ContentError
from .notes import Notes, load_texts
from .output import write_atomically
from .yamlfile import LineDict, LineList, load_yaml


def _nodes(text: str, path: Path) -> dict[tuple[int, int], yaml.Node]:
    """Every node of the file by its 1-based line and 0-based column."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # load_document read it a moment ago
        raise ContentError(f"invalid YAML: {exc}", path) from None
    found: dict[tuple[int, int], yaml.Node] = {}
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        found.setdefault((node.start_mark.line + 1, node.start_mark.column), node)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def _insert(lines: list[str], derived: DerivedId, node: yaml.Node) -> None:
    row, column = derived.line - 1, derived.column
    line = lines[row]
    if derived.kind == "block":
        if getattr(node, "flow_style", False):  # {paragraph: "..."}
            lines[row] = f"{line[:column + 1]}id: {derived.id}, {line[column + 1:]}"
        else:
            lines[row] = f"{line[:column]}id: {derived.id}\n{' ' * column}{line[column:]}"
        return
    lines[row] = f"{line[:column]}{derived.id}: {line[column:]}"
    # The text is now a mapping value one key further in: its continuation lines
    # must be indented more than the key (YAML folds the extra spaces away).
    last = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
    following = [number for number in range(row + 1, last + 1) if lines[number].strip()]
    if following:
        indent = min(len(lines[number]) - len(lines[number].lstrip(" "))
                     for number in following)
        shift = max(0, column + 2 - indent)
        for number in range(row + 1, last + 1):
            if lines[number].strip():
                lines[number] = " " * shift + lines[number]


def _without_ids(raw: Any) -> Any:
    """The content's data with every written id taken out, to compare before and after."""
    if not isinstance(raw, LineDict):
        return raw
    plain = dict(raw)
    # A document's sections, or a clinic's notes: both hold blocks.
    for key in ("sections", "notes"):
        if key not in plain:
            continue
        parts = []
        for part in plain.get(key) or []:
            if isinstance(part, LineDict) and isinstance(part.get("blocks"), LineList):
                part = {**part, "blocks": [_block_without_id(block)
                                           for block in part["blocks"]]}
            parts.append(part)
        plain[key] = parts
    return plain


def _block_without_id(block: Any) -> Any:
    if not isinstance(block, LineDict):
        return block
    plain = {key: value for key, value in block.items() if key != "id"}
    for kind in ITEM_LIST_KEYS:
        if isinstance(plain.get(kind), list):
            plain[kind] = [next(iter(item.values())) if isinstance(item, dict) and len(item) == 1
                           else item for item in plain[kind]]
    return plain


def _same(before: Document | Notes, after: Document | Notes) -> bool:
    texts = [(text.context, text.msgid, text.comment) for text in before.texts()]
    return texts == [(text.context, text.msgid, text.comment) for text in after.texts()]


def freeze_ids(path: Path) -> int:
    """Write every derived id into ``path``; return how many were written.

    Raises :class:`ContentError` (nothing written) if the edit would change
    anything but the ids.
    """
    document = load_texts(path)
    if not document.derived_ids:
        return 0
    text = path.read_text(encoding="utf-8")
    nodes = _nodes(text, path)
    lines = text.splitlines(keepends=True)
    for derived in sorted(document.derived_ids, key=lambda item: (item.line, item.column),
                          reverse=True):
        node = nodes.get((derived.line, derived.column))
        if node is None:
            raise ContentError(f"cannot place the id {derived.id!r} here: add it by hand",
                               path, derived.line)
        _insert(lines, derived, node)
    edited = "".join(lines)
    try:
        after = load_texts(path, edited)
        same = (not after.derived_ids and _same(document, after)
                and _without_ids(load_yaml(path, ContentError, text=edited))
                == _without_ids(load_yaml(path, ContentError, text=text)))
    except ContentError:
        same = False
    if not same:
        first = min(document.derived_ids, key=lambda item: item.line)
        raise ContentError(
            "writing the derived ids into this file would change its content (an unusual "
            f"layout of a text?); nothing was written: add 'id: {first.id}' (or "
            f"'- {first.id}: ...' for a list item) by hand", path, first.line)
    write_atomically(path, edited.encode("utf-8"))
    return len(document.derived_ids)
