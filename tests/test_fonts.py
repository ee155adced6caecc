"""Font stacks and the missing-glyph hint: symbols and marks are not scripts."""

from __future__ import annotations

import pytest

from brochure import fonts


@pytest.mark.parametrize(("char", "script"), [
    ("\U0001f600", fonts.SYMBOLS),  # GRINNING FACE, not "Noto Sans Grinning"
    ("\u20b9", fonts.SYMBOLS),      # INDIAN RUPEE SIGN, not "Noto Sans Indian"
    ("\u2713", fonts.SYMBOLS),      # CHECK MARK
    ("\u0301", None),               # COMBINING ACUTE ACCENT, not "Noto Sans Combining"
    ("\ufe0f", None),               # VARIATION SELECTOR-16
    ("~", None),                    # ASCII is the text face's
    ("\u0964", "Devanagari"),       # DEVANAGARI DANDA: punctuation of a script
    ("\u0e3f", "Thai"),             # THAI CURRENCY SYMBOL BAHT
    ("\u0628", "Arabic"),
])
def test_script_of(char: str, script: str | None) -> None:
    assert fonts.script_of(char) == script


def test_every_family_of_a_stack_exists() -> None:
    text = "Hola \U0001f600 \u2713 \u20b9 e\u0301 \ufe0f"
    stack = fonts.font_stack("es", text)
    assert stack[0] == fonts.BASE_FAMILY and all(fonts.installed(family) for family in stack)
    assert stack[-len(fonts.SYMBOL_FAMILIES):] == list(fonts.SYMBOL_FAMILIES)


def test_the_hint_for_an_emoji_says_it_cannot_be_printed() -> None:
    stack = fonts.font_stack("en", "Hello \U0001f600")
    missing = fonts.missing_characters(stack, "Hello \U0001f600 \u2713")
    assert missing == ["\U0001f600"]  # the check mark is in Noto Sans Symbols2
    hint = fonts.missing_glyph_hint(missing, stack)
    assert hint == ("emoji and pictographs cannot be printed in the brochures (\U0001f600): "
                    "remove them or say it in words")
    assert "Grinning" not in hint
