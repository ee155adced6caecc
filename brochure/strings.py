"""Texts that the code itself prints, marked for translation.

Content texts come from content/*.yaml and template texts from templates/;
these few come from the code. They live in this small module so that their
extracted line numbers (the .pot's ``#:`` references) change only when a
text here changes. Callers look them up with ``catalog.lookup(*TEXT)``.
"""

from __future__ import annotations


def pgettext(context: str, message: str) -> tuple[str, str]:
    """Mark ``message`` for extraction (Babel's pgettext keyword); return the pair."""
    return context, message


# TRANSLATORS: Language-help notice, printed in every language the clinic
# offers. {language} is the name of your language in your language; {phone}
# is the clinic's phone number. Keep both exactly.
ASSISTANCE = pgettext(
    "ui.assist",
    "If you speak {language}, free help in your language is available. Call {phone}.")

#: The name of each layout, in its PDF's title (a viewer's window shows it).
LAYOUT_TITLES = {
    # TRANSLATORS: Name of a layout, in the PDF's title: the full brochure.
    "booklet": pgettext("ui.layout", "Booklet"),
    # TRANSLATORS: Name of a layout, in the PDF's title: the brochure in large type.
    "large-print": pgettext("ui.layout", "Large print"),
    # TRANSLATORS: Name of a layout, in the PDF's title: a sheet folded in three.
    "trifold": pgettext("ui.layout", "Tri-fold leaflet"),
    # TRANSLATORS: Name of a layout, in the PDF's title: the checklist to keep.
    "handout": pgettext("ui.layout", "Checklist handout"),
}

HANDOUT_LABELS = {
    # TRANSLATORS: Label of a write-in line on the checklist handout: the patient's name.
    "patient": pgettext("ui.handout", "Name"),
    # TRANSLATORS: Label of a write-in line on the checklist handout.
    "date": pgettext("ui.handout", "Date of my procedure"),
    # TRANSLATORS: Label of a write-in line on the checklist handout.
    "time": pgettext("ui.handout", "Time to arrive"),
    # TRANSLATORS: Label of a write-in line: the name of the patient's doctor.
    "doctor": pgettext("ui.handout", "My doctor"),
    # TRANSLATORS: Label of a write-in line: the adult who drives the patient home.
    "driver": pgettext("ui.handout", "My driver"),
    # TRANSLATORS: Label of a write-in line: a person or number to call with questions.
    "contact": pgettext("ui.handout", "Who to call with questions"),
    # TRANSLATORS: Label of a write-in line: the day the doctor said the patient may
    # take their blood thinner again (a date, or words such as "2 days after").
    "restart": pgettext("ui.handout", "Restart my blood thinner on"),
    # TRANSLATORS: Label of a write-in line: the date of the patient's check-up visit
    # after the procedure.
    "checkup": pgettext("ui.handout", "My check-up visit"),
}

# TRANSLATORS: The name of your language, written in your language, as
# its speakers look for it (e.g. "Español", "Tagalog", "简体中文"). It is
# printed on the back cover ("This brochure is available in") and in the
# language-help notice ({language}). If you leave it empty, the name
# comes from the Unicode CLDR (e.g. "中文 (简体)").
LANGUAGE_NAME = pgettext("ui.language", "Name of this language")
