from __future__ import annotations

from markupsafe import Markup

from brochure import markup


def test_text_is_escaped_before_markup_is_applied() -> None:
    html = markup.render('<img src="file:///etc/passwd"> **bold** and *soft*', {})
    assert "<img" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html


def test_only_known_placeholders_are_filled() -> None:
    values = {"phone": Markup('<a href="tel:5550100">555-0100</a>'), "clinic_name": "A & B"}
    html = markup.render("Call {clinic_name} at {phone}. {__class__} {0}", values)
    assert 'A &amp; B' in html
    assert '<a href="tel:5550100">555-0100</a>' in html
    assert "{__class__}" in html and "{0}" in html


def test_differences_find_lost_placeholders_and_markup() -> None:
    source = "**Call {clinic_name}** at {phone}."
    assert markup.differences(source, "**Llame a {clinic_name}** al {phone}.") == []
    found = markup.differences(source, "Llame a {clinic_name} al {telefono}.")
    assert any("placeholders differ" in item for item in found)
    assert any("markup differs" in item for item in found)


def test_problems_flag_stray_braces_and_stars() -> None:
    assert markup.problems("fine *em* text") == []
    assert any("brace" in item for item in markup.problems("a } b"))
    assert any("unmatched" in item for item in markup.problems("a ** b"))


def test_right_to_left_text_keeps_brand_names_in_order() -> None:
    html = markup.render("إجراء mild® بسيط", {}, rtl=True)
    assert '<span class="latin" dir="ltr">mild®</span>' in html
    assert "dir=" not in markup.render("The mild® procedure", {})


def test_korean_words_are_kept_whole() -> None:
    html = markup.render("척추관 협착증", {}, keep_words=True)
    assert html == "척\u2060추\u2060관 협\u2060착\u2060증"
    assert markup.plain(str(html)) == "척추관 협착증"


def test_css_strings_cannot_break_out_of_the_style_element() -> None:
    from brochure.localise import css_content

    hostile = 'Page {page}"; } body { display: none } </style><img src=x> {pages}'
    value = css_content(hostile, {"page": "counter(page)", "pages": "counter(pages)"})
    assert "</style>" not in value and "<img" not in value
    assert value.count('"') == 4  # two CSS strings, each opened and closed once
    assert value.startswith('"Page " counter(page) "')


def test_a_number_beside_latin_words_stays_in_their_run() -> None:
    """'Suite 300' and '14 Quayside Walk' in Arabic text: bidi would move the number."""
    def runs(text: str) -> list[str]:
        html = markup.typeset(text, rtl=True)
        return [part.split(">", 1)[1] for part in html.split("</span>")[:-1]]

    assert runs("الجناح Suite 300 في المبنى") == ["Suite 300"]
    assert runs("في المبنى 14 Quayside Walk.") == ["14 Quayside Walk"]
    assert runs("في Suite 300.") == ["Suite 300"]
    # Numbers among Arabic words, and Latin words with digits, are as before.
    assert runs("خلال 2 إلى 4 أسابيع") == []
    assert runs("تُسمّى L1 إلى L5.") == ["L1", "L5"]
