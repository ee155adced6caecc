"""A small synthetic project for fast tests: a short document, one clinic, three languages.

The tool's own templates and assets are copied from the repository; the
content, the clinic and the catalogs are made here, with fake translations
("[es] ..."), so that a test renders in a fraction of the time the shipped
content takes and says exactly what it depends on.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from brochure import Project
from brochure import catalogs as catalog_tools
from brochure.project import TextSet

ROOT = Path(__file__).resolve().parent.parent

CONTENT = """\
document: demo
title: "The demo procedure"
subtitle: "A short test document"
review_date: 2026-11-01
disclaimer: "General information only. Ask {clinic_name} at {phone}."
sources:
  - text: "A study of demos. J Demo 2026;1:1-2."
    url: https://example.org/demo
sections:
  - id: overview
    heading: "What is it?"
    blocks:
      - id: short
        condensed: true
        paragraph: "A **short** paragraph about the demo."
      - id: booklet-only
        paragraph: "A paragraph only the booklet shows."
  - id: candidacy
    heading: "Is it for me?"
    blocks:
      - condensed: true
        list:
          - first: "First reason"
          - second: "Second reason"
  - id: preparation
    heading: "Getting ready"
    blocks:
      - condensed: true
        steps:
          - do-first: "Do this first."
          - then: "Then this."
  - id: recovery
    heading: "Afterwards"
    blocks:
      - id: rest
        condensed: true
        tip: "Rest a little."
  - id: risks
    heading: "Risks"
    blocks:
      - id: call
        condensed: true
        warning: "**Call {clinic_name} at {phone}** if something is wrong."
  - id: faqs
    heading: "Questions"
    blocks:
      - id: hurt
        condensed: true
        question: "Will it hurt?"
        answer: "A little, for a day or two."
  - id: checklist
    heading: "Getting ready for your demo"
    layouts: [handout]
    blocks:
      - checklist:
          - bring-list: "Bring your list of medicines."
      - id: call-us
        warning: "Call us if you feel unwell."
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
website: https://demo.example/
booking_url: https://demo.example/book
paper: A4
languages: [{languages}]
country: US
"""

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" role="img">
<title>Demo Clinic</title><rect x="2" y="2" width="56" height="56" rx="8" fill="#1f4e79"/>
<text x="70" y="38" font-family="Noto Sans" font-size="22" fill="#1f4e79">Demo</text></svg>
"""

#: A fake translation per language: recognisable, and with the English's markup.
PREFIXES = {"es": "[es] ", "ar": "[عربي] ", "fr": "[fr] "}


def fake_translation(language: str, msgid: str) -> str:
    return PREFIXES.get(language, f"[{language}] ") + msgid


def make_project(root: Path, languages: tuple[str, ...] = ("es", "ar"),
                 translate: Callable[[str, str], str] = fake_translation) -> Project:
    """Write a small project under ``root``: content, one clinic, catalogs for ``languages``."""
    root.mkdir(parents=True, exist_ok=True)
    for part in ("templates", "assets"):
        shutil.copytree(ROOT / part, root / part)
    # The code's own texts, under another folder name: a folder called
    # "brochure" here would shadow the package for `python -m brochure`.
    (root / "code").mkdir()
    shutil.copy2(ROOT / "brochure" / "strings.py", root / "code" / "strings.py")
    (root / "babel.cfg").write_text(
        (ROOT / "babel.cfg").read_text(encoding="utf-8").replace(
            "brochure/strings.py", "code/strings.py"), encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "demo.yaml").write_text(CONTENT, encoding="utf-8")
    (root / "clinics" / "demo").mkdir(parents=True)
    (root / "clinics" / "demo.yaml").write_text(
        CLINIC.format(languages=", ".join(("en", *languages))), encoding="utf-8")
    (root / "clinics" / "demo" / "logo.svg").write_text(LOGO, encoding="utf-8")
    project = Project(root)
    catalog_tools.extract(project)
    for language in languages:
        catalog_tools.init(project, language)
        edit_catalog(project, language,
                     lambda message, language=language: translate(language, message.id))
    return project


def edit_catalog(project: Project | TextSet, language: str,
                 change: Callable[..., str | None], context: str | None = None) -> None:
    """Set every message's (or ``context``'s messages') msgstr to ``change(message)``.

    ``change`` returning None leaves a message as it is.
    """
    texts = project.texts() if isinstance(project, Project) else project
    path = texts.po_path(language)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or (context is not None and message.context != context):
            continue
        value = change(message)
        if value is not None:
            message.string = value
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)


def set_translation(project: Project | TextSet, language: str, context: str,
                    text: str) -> None:
    edit_catalog(project, language, lambda message: text, context)
