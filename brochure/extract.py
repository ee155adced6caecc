"""Babel extractor for content YAML (registered as ``brochure_yaml``).

``pybabel extract -F babel.cfg`` and ``brochure i18n extract`` both find the
content's texts through this function: each comes out with its msgctxt (where
it stands, e.g. ``faqs.older-still.answer``), a comment for the translator, and the
YAML line as its source reference.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from .notes import load_texts


def extract_yaml(fileobj: IO[bytes], keywords: Mapping[str, Any],
                 comment_tags: Collection[str], options: Mapping[str, Any]
                 ) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield ``(line, "pgettext", (msgctxt, msgid), [comment])`` for every text.

    The file is validated exactly as the build validates it, so a broken
    content file stops extraction with the same file:line message.
    """
    name = getattr(fileobj, "name", None)
    if isinstance(name, str) and Path(name).is_file():
        document = load_texts(Path(name))
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / (Path(name).name if isinstance(name, str) else "content.yaml")
            path.write_bytes(fileobj.read())
            document = load_texts(path)
    for text in document.texts():
        yield text.line, "pgettext", (text.context, text.msgid), [text.comment]


#: Comments for translators start with this tag in templates and Python code.
COMMENT_TAGS = ("TRANSLATORS:",)


def extract_jinja(fileobj: Any, keywords: Any, comment_tags: Collection[str], options: Any
                  ) -> Iterator[tuple[int, Any, Any, list[str]]]:
    """Jinja2's extractor, always keeping ``{# TRANSLATORS: ... #}`` comments.

    Registered as ``brochure_jinja`` so that plain ``pybabel extract -F
    babel.cfg`` keeps translator comments without a ``-c`` option.
    """
    from jinja2.ext import babel_extract

    tags = tuple(comment_tags) or COMMENT_TAGS
    for lineno, funcname, message, comments in babel_extract(
            fileobj, keywords, tags, options):
        yield lineno, funcname, message, [_strip_tag(comment) for comment in comments]


def extract_python(fileobj: Any, keywords: Any, comment_tags: Collection[str], options: Any
                   ) -> Iterator[tuple[int, Any, Any, list[str]]]:
    """Babel's Python extractor, always keeping ``# TRANSLATORS:`` comments."""
    from babel.messages.extract import extract_python as babel_extract_python

    tags = tuple(comment_tags) or COMMENT_TAGS
    for lineno, funcname, message, comments in babel_extract_python(
            fileobj, keywords, tags, options):
        yield lineno, funcname, message, [_strip_tag(comment) for comment in comments or ()]


def _strip_tag(comment: str) -> str:
    for tag in COMMENT_TAGS:
        if comment.startswith(tag):
            return comment[len(tag):].strip()
    return comment
