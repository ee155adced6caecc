"""Fuzzed text through the markup, a catalog entry and the handout fields.

Hundreds of strings from a fixed seed (control characters, bidi marks, line
and paragraph separators, lone surrogates, combining stacks, huge words,
markup, braces and percent signs) each go through the inline markup, into a
Spanish catalog entry and into a handout field, and are rendered. Every one
must end in a PDF or in one clean :class:`BrochureError`; any other exception
(WeasyPrint's ``AssertionError: Got ' \\u2029' between two lines``, a
``UnicodeEncodeError`` ...) fails the test with the string that caused it.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from brochure import BrochureError, BuildOptions, Project, build, markup
from brochure.handout import FieldError, check_fields
from brochure.i18n import load_catalog

from .hardening_project import CONTENT, SPANISH, catalog_text, make_project

SEED = 20261414
COUNT = 320
FIELDS = ("patient", "doctor", "driver", "contact")
#: Strings per render: each is a checklist translation, and half a field value.
BATCH = 2 * len(FIELDS)
ITEMS = [f"Fuzz item {number}." for number in range(1, BATCH + 1)]

_POOLS: dict[str, list[str]] = {
    "words": ["care", "Ärztin", "façade", "día", "Москва", "مرحبا", "שלום", "नमस्ते",
              "手术", "수술", "ngày", "mild®", "10 mm", "2–4"],
    "bidi": ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
             "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"],
    "joiners": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"],
    "separators": ["\u2028", "\u2029", "\u1680", "\u2000", "\u2003", "\u2009", "\u200a",
                   "\u205f", "\u3000", "\u00a0", "\u202f", "\t", "\n", "\r", "  "],
    "controls": [chr(code) for code in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20),
                                        0x7f, 0x80, 0x85, 0x9b, 0x9f]],
    "surrogates": ["\ud800", "\udbff", "\udc00", "\udfff", "\udce9", "\ud83d"],
    "combining": ["e\u0301", "a" + "\u0300\u0301\u0302\u0303\u0308" * 6, "\u0301",
                  "\u0915\u094d\u200d"],
    "markup": ["**", "*", "{", "}", "{phone}", "{clinic_name}", "{website}", "{unknown}",
               "{{", "}}", "%", "%d", "%(fecha)s", "%%", "100%", "<script>", "</p>",
               "&amp;", "&", "\\", '"', "'", "`", "<img src=x onerror=alert(1)>"],
    "odd": ["\U0001f600", "\u2705", "\ue000", "\U000f0001", "\ufffd", "\uffff", "\u0378",
            "\U0001f1fa\U0001f1f8", "\u2603\ufe0f"],
}


#: How often each pool is drawn from: surrogates (undecodable bytes) and
#: characters no font has end the whole string, so they are rarer.
_WEIGHTS = {"words": 4, "bidi": 2, "joiners": 2, "separators": 3, "controls": 1,
            "surrogates": 0.06, "combining": 1, "markup": 3, "odd": 0.15}
_HUGE = {7: 300, 87: 3000, 167: 20000, 247: 3000}


def fuzz_strings(rng: random.Random, count: int) -> list[str]:
    """``count`` strings mixing the pools; a few are huge words."""
    strings = []
    pools, weights = list(_WEIGHTS), list(_WEIGHTS.values())
    for number in range(count):
        if number in _HUGE:
            strings.append(rng.choice("abcdéж") * _HUGE[number])
            continue
        parts = []
        for _ in range(rng.randint(1, 12)):
            pool = rng.choices(pools, weights)[0]
            parts.append(rng.choice(_POOLS[pool]))
            if rng.random() < 0.5:
                parts.append(" ")
        strings.append("".join(parts))
    return strings


def _project(root: Path) -> Project:
    project = make_project(root)
    checklist = ('          - give-list: "Give your doctor a list of your medicines."\n'
                 '          - write-down: "Write down when to stop eating."\n')
    assert checklist in CONTENT
    items = "".join(f'          - item{number}: "{item}"\n'
                    for number, item in enumerate(ITEMS, 1))
    (project.content_dir / "demo.yaml").write_text(CONTENT.replace(checklist, items),
                                                   encoding="utf-8")
    return project


def _write_catalog(project: Project, strings: list[str | None]) -> None:
    """The Spanish catalog with ``strings`` as the checklist translations."""
    items = ("checklist.give-list", "checklist.write-down")
    entries = [entry for entry in SPANISH if entry[0] not in items]
    entries += [(f"checklist.item{number}", item, text)
                for number, (item, text) in enumerate(zip(ITEMS, strings), 1)
                if text is not None]
    po = project.locales_dir / "es" / "LC_MESSAGES" / "brochure.po"
    # Lone surrogates become the bytes a broken editor would write.
    po.write_bytes(catalog_text(entries).encode("utf-8", "surrogatepass"))


def _field(name: str, text: str) -> dict[str, str] | None:
    """The field as the command line would take it, or None after a clean error."""
    try:
        return dict(check_fields(((name, text),)))
    except FieldError as exc:
        assert str(exc).startswith(f"handout field {name!r}: ")
        return None


def test_fuzzed_text_ends_in_a_pdf_or_one_clean_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    strings = fuzz_strings(random.Random(SEED), COUNT)
    monkeypatch.chdir(tmp_path)
    project = _project(tmp_path / "project")
    out = tmp_path / "out"
    outcomes: Counter[str] = Counter()

    def clean(path: str, exc: BrochureError) -> None:
        assert str(exc) and exc.problems
        outcomes[f"{path}: clean error"] += 1

    # 1. The markup is pure: no exception at all.
    for text in strings:
        markup.render(text, {"phone": "555", "clinic_name": "A & B"})
        markup.plain(text, {"phone": "555"})
        markup.differences(ITEMS[0], text)
        markup.problems(text, source=False)
    outcomes["markup"] = len(strings)

    # 2. Each string alone as a catalog entry and as a field: the cheap checks.
    in_catalog: list[str | None] = []
    in_field: list[str | None] = []
    for text in strings:
        _write_catalog(project, [text])
        try:
            load_catalog(project.locales_dir, "es")
            in_catalog.append(text)
        except BrochureError as exc:
            clean("catalog", exc)
            in_catalog.append(None)
        in_field.append(text if _field("patient", text) is not None else None)
        if in_field[-1] is None:
            outcomes["field: clean error"] += 1

    # 3. Rendered, BATCH at a time; a failing batch is halved until each is known.
    def render(batch: list[int]) -> None:
        _write_catalog(project, [in_catalog[index] for index in batch])
        fields: dict[str, str] = {}
        for name, index in zip(FIELDS * 2, batch):
            if in_field[index] is not None:
                value = " ".join(filter(None, [fields.get(name), in_field[index]]))
                fields.update(_field(name, value) or {})
        build(BuildOptions(clinics=("demo",), languages=("es",), layouts=("handout",),
                           out=out, fields=tuple(fields.items())), project)

    def settle(batch: list[int]) -> None:
        try:
            render(batch)
            outcomes["rendered"] += len(batch)
            return
        except BrochureError as exc:
            if len(batch) == 1:
                clean("render", exc)
                return
        except Exception as exc:
            raise AssertionError("not a clean error for one of "
                                 f"{[strings[index] for index in batch]!r}") from exc
        settle(batch[:len(batch) // 2])
        settle(batch[len(batch) // 2:])

    for start in range(0, COUNT, BATCH):
        settle(list(range(start, min(start + BATCH, COUNT))))
    print(dict(outcomes))

    assert outcomes["rendered"] + outcomes["render: clean error"] == COUNT
    # The mix really exercises both ends (a change that refused everything fails).
    assert outcomes["rendered"] > COUNT * 3 // 4
    assert outcomes["catalog: clean error"] > 2 and outcomes["field: clean error"] > 20
