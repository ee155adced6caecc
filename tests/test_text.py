"""The one text normaliser: NFC, separators WeasyPrint cannot set, unprintable characters."""

from __future__ import annotations

import pytest
from weasyprint import HTML

from brochure.text import UnusableText, clean_text, text_problems


def test_nfc_and_separators() -> None:
    assert clean_text("Cafe\u0301\u2029Ogham\u1680space\u2028end") == "Caf\u00e9 Ogham space end"
    assert clean_text("tab\tnew\nline\r") == "tab\tnew\nline\r"  # folded later, not refused


@pytest.mark.parametrize(("value", "message"), [
    ("bell\x07", "the control character U+0007 (BEL) at character 5 cannot be printed; "
                 "remove it"),
    ("\x7f", "the control character U+007F (DEL) at character 1 cannot be printed; remove it"),
    ("a\x85b", "the control character U+0085 (a C1 control) at character 2 cannot be "
               "printed; remove it"),
    ("Jos\udce9", "the byte 0xE9 at character 4 is not UTF-8 text (save the file as UTF-8, "
                  "or set the terminal to UTF-8)"),
    ("\ud83d", "the lone surrogate U+D83D at character 1 is half of a character, not text"),
])
def test_unprintable_characters_are_named(value: str, message: str) -> None:
    assert text_problems(value) == [message]
    with pytest.raises(UnusableText, match="cannot|not"):
        clean_text(value)


def test_each_character_is_reported_once() -> None:
    assert len(text_problems("\x07\x07\x07\x01")) == 2


def test_weasyprint_still_fails_on_a_paragraph_separator() -> None:
    """Why U+2029 is replaced: WeasyPrint (pinned 70.0) asserts in its inline layout.

    When this test fails after an upgrade, WeasyPrint sets U+2029 itself and
    the replacement in brochure.text may go.
    """
    html = '<p style="width: 15px; text-align: justify">' + "a \u2029 b" * 3 + "</p>"
    with pytest.raises(AssertionError, match="between two lines"):
        HTML(string=html).write_pdf()
    HTML(string=html.replace("\u2029", clean_text("\u2029"))).write_pdf()
