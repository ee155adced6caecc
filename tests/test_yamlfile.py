"""The YAML reader: limits that stop hangs and crashes, each with file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from brochure import ContentError
from brochure.yamlfile import MAX_ALIAS_ITEMS, MAX_DEPTH, load_yaml


def _load(tmp_path: Path, text: str | bytes) -> object:
    path = tmp_path / "file.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return load_yaml(path, ContentError)


def _error(tmp_path: Path, text: str | bytes) -> ContentError:
    with pytest.raises(ContentError) as caught:
        _load(tmp_path, text)
    return caught.value


def test_billion_laughs_stops_at_once_naming_the_first_alias(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    started = time.monotonic()
    error = _error(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 5  # unbounded, this never returns
    assert error.line == 2
    assert f"expand to more than {MAX_ALIAS_ITEMS} items" in str(error)


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    assert _load(tmp_path, "a: &x {k: v}\nb: *x\n") == {"a": {"k": "v"}, "b": {"k": "v"}}


def test_an_alias_inside_its_own_anchor(tmp_path: Path) -> None:
    error = _error(tmp_path, "x: 1\na: &a [1, *a]\n")
    assert (error.line, error.problems[0].message) == (
        2, "an alias (*name) refers to the item that contains it")


def test_deep_nesting_is_an_error_not_a_recursion_error(tmp_path: Path) -> None:
    error = _error(tmp_path, "title: x\nitems: " + "[" * 20000 + "\n")
    assert error.line == 2
    assert f"nested more than {MAX_DEPTH} deep" in str(error)


def test_a_date_that_does_not_exist(tmp_path: Path) -> None:
    error = _error(tmp_path, "title: x\nreview_date: 2026-02-30\n")
    assert str(error).endswith(
        "file.yaml:2: '2026-02-30' is not a real date (day is out of range for month)")


def test_control_characters_are_reported_with_their_lines(tmp_path: Path) -> None:
    # Raw (the YAML reader refuses it) and escaped (it reaches the text).
    error = _error(tmp_path, 'a: fine\nb: "ring \\x07 bell"\nc: "x\\x1b[31m"\n')
    assert [(problem.line, problem.message) for problem in error.problems] == [
        (2, "the control character U+0007 (BEL) at character 6 cannot be printed; remove it"),
        (3, "the control character U+001B (ESC) at character 2 cannot be printed; remove it")]
    error = _error(tmp_path, "a: fine\nb: ring \x07 bell\n")
    assert (error.line, error.problems[0].message) == (
        2, "the control character U+0007 (BEL) cannot be printed; remove it")


def test_lone_surrogates_and_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    error = _error(tmp_path, 'a: "\\ud800"\n')
    assert error.problems[0].message == (
        "the lone surrogate U+D800 at character 1 is half of a character, not text")
    error = _error(tmp_path, "a: ok\nb: caf\xe9\n".encode("latin-1"))
    assert error.line == 2
    assert error.problems[0].message.startswith("not UTF-8 text (invalid continuation byte")


def test_texts_come_out_in_nfc_with_separators_as_spaces(tmp_path: Path) -> None:
    value = _load(tmp_path, 'a: "cafe\\u0301 one\\u2029two\\u1680three\\u2028four"\n')
    assert value == {"a": "caf\u00e9 one two three four"}
    # Marks translators need stay as they are.
    kept = "\u200f\u2066x\u2069\u00a0\u202f\u200d"
    assert _load(tmp_path, f'a: "{kept}"\n') == {"a": kept}
