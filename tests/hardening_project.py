"""A small synthetic project for bad-input, fuzz and fault tests.

One short content file, one clinic offering two languages (en, es), a small
Spanish catalog; the real templates and assets. Every case breaks one file of
a fresh copy, so the files here are the known-good baseline: their line
numbers are what the expected messages in ``badinput/cases.yaml`` name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from brochure import Project

ROOT = Path(__file__).resolve().parent.parent

CONTENT = """\
document: demo
title: "Getting ready"
subtitle: "A short test brochure"
review_date: 2026-11-01
disclaimer: "General information only. Ask {clinic_name} at {phone}."
sources:
  - text: "A source."
    url: https://example.org/source
sections:
  - id: overview
    heading: "Overview"
    blocks:
      - condensed: true
        paragraph: "What the procedure is, in a few words."
      - figure: illustrations/lumbar-stenosis.svg
        alt: "A drawing of one bone of the lower spine."
        caption: "The spinal canal holds the nerves."
  - id: candidacy
    heading: "Is it for me?"
    blocks:
      - condensed: true
        paragraph: "Your doctor will decide with you."
  - id: preparation
    heading: "Before"
    blocks:
      - condensed: true
        list:
          - "Bring your medicine list."
          - "Find a driver."
  - id: recovery
    heading: "After"
    blocks:
      - condensed: true
        paragraph: "Rest today."
  - id: risks
    heading: "Risks"
    blocks:
      - condensed: true
        warning: "**Call {clinic_name} at {phone}** if you feel unwell."
  - id: faqs
    heading: "Questions"
    blocks:
      - condensed: true
        question: "Will it hurt?"
        answer: "Ask your care team what to expect."
  - id: checklist
    heading: "Your checklist"
    layouts: [handout]
    blocks:
      - id: tick
        paragraph: "Tick each box when it is done."
      - checklist:
          - give-list: "Give your doctor a list of your medicines."
          - write-down: "Write down when to stop eating."
      - id: call-fever
        warning: "**Call {clinic_name} at {phone}** if you have a fever."
cover:
  art: illustrations/lumbar-stenosis-cover.svg
required_sections: [overview, candidacy, preparation, recovery, risks, faqs]
handout: checklist
panels:
  flap: [overview]
  inside-1: [candidacy, preparation]
  inside-2: [recovery, risks]
  inside-3: [faqs]
"""

CLINIC = """\
name: Demo Clinic
logo: demo/logo.svg
colours:
  primary: "#1f4e79"
  accent: "#2e7d4f"
phone: "(555) 010-0000"
address:
  - 1 Test Street
  - Testville
website: https://demo.example/
booking_url: https://demo.example/book
paper: A4
languages: [en, es]
country: US
"""

LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60">
  <title>Demo Clinic</title>
  <rect x="2" y="2" width="56" height="56" rx="12" fill="#1f4e79"/>
  <text x="70" y="40" font-family="Noto Sans" font-size="24" fill="#1f4e79">Demo</text>
</svg>
"""

_HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: demo 1\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""

#: (msgctxt, msgid, msgstr) of the Spanish catalog, in file order.
SPANISH = [
    ("ui.assist", "If you speak {language}, free help in your language is available. "
     "Call {phone}.", "Si habla {language}, tiene ayuda gratuita en su idioma. "
     "Llame al {phone}."),
    ("title", "Getting ready", "Prepararse"),
    ("subtitle", "A short test brochure", "Un folleto corto de prueba"),
    ("checklist.heading", "Your checklist", "Su lista"),
    ("checklist.tick", "Tick each box when it is done.", "Marque cada casilla al terminar."),
    ("checklist.give-list", "Give your doctor a list of your medicines.",
     "Dé a su médico una lista de sus medicinas."),
    ("checklist.write-down", "Write down when to stop eating.",
     "Anote cuándo dejar de comer."),
    ("disclaimer", "General information only. Ask {clinic_name} at {phone}.",
     "Solo información general. Pregunte a {clinic_name} al {phone}."),
]


def po_escape(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def catalog_text(entries: list[tuple[str, str, str]] = SPANISH) -> str:
    """A .po file (UTF-8) with ``entries``, in the same layout as :data:`SPANISH`."""
    parts = [_HEADER]
    for context, msgid, msgstr in entries:
        parts.append(f"\nmsgctxt {po_escape(context)}\nmsgid {po_escape(msgid)}\n"
                     f"msgstr {po_escape(msgstr)}\n")
    return "".join(parts)


def make_project(root: Path) -> Project:
    """Write the synthetic project into ``root`` (which may exist) and return it."""
    for part in ("templates", "assets"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy2(ROOT / "babel.cfg", root / "babel.cfg")
    files = {
        "content/demo.yaml": CONTENT,
        "clinics/demo.yaml": CLINIC,
        "clinics/demo/logo.svg": LOGO,
        "locales/es/LC_MESSAGES/brochure.po": catalog_text(),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(root)
