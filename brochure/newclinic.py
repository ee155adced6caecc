"""A new clinic in one step (``brochure clinic new``), and every check of one clinic.

:func:`create_clinic` writes ``clinics/<id>.yaml`` (a valid profile),
``clinics/<id>/logo.svg`` (a placeholder the clinic replaces) and
``clinics/<id>/notes.yaml`` (no notes yet, with commented examples). The
files are made and validated in a temporary folder beside ``clinics/`` and
only then moved into place, so a failure leaves nothing behind; an existing
clinic is never overwritten.

:func:`clinic_problems` (``brochure clinic check``) reports everything wrong
with one clinic at once: its profile (fields, colour contrast), its logo
(format, size, that it draws), its notes and documents, and its catalogs.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from . import catalogs
from .clinic import _ID_RE, EMERGENCY_NUMBERS, load_clinic
from .errors import BrochureError, ClinicError, Problem, UsageError
from .i18n import SOURCE_LANGUAGE, po_path
from .logo import logo_problems
from .project import Project

#: Countries whose clinics print on US Letter by default; the rest on A4.
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR"})
#: Brand colours of a new clinic until it sets its own: both reach 4.5:1 on white.
DEFAULT_COLOURS = ("#1f4e79", "#2e7d4f")


@dataclass(frozen=True)
class NewClinic:
    """What ``brochure clinic new`` asks for."""

    id: str
    name: str
    phone: str
    address: tuple[str, ...]
    website: str
    booking_url: str
    country: str
    languages: tuple[str, ...]
    #: None: from the country (:func:`default_paper`).
    paper: str | None = None
    after_hours_phone: str | None = None
    #: None: the country's (:data:`brochure.clinic.EMERGENCY_NUMBERS`).
    emergency_number: str | None = None


def default_paper(country: str) -> str:
    return "Letter" if country.upper() in LETTER_COUNTRIES else "A4"


def default_languages(country: str) -> tuple[str, ...]:
    return ("en-GB",) if country.upper() == "GB" else (SOURCE_LANGUAGE,)


def check_id(clinic_id: str, project: Project) -> None:
    """Raise :class:`UsageError` for an id that is malformed or already a clinic's."""
    if not _ID_RE.match(clinic_id) or len(clinic_id) > 48:
        raise UsageError(f"clinic id {clinic_id!r} must be lower-case letters, digits and "
                         "hyphens, such as 'maple-hollow' (at most 48 characters)")
    for existing in (project.clinics_dir / f"{clinic_id}.yaml",
                     project.clinics_dir / clinic_id):
        if existing.exists():
            raise UsageError(f"clinic {clinic_id!r} exists already ({existing}); "
                             "nothing was changed")


def _quoted(value: str) -> str:
    # JSON strings are YAML strings: quoting cannot be broken by any text.
    return json.dumps(value, ensure_ascii=False)


def profile_text(new: NewClinic) -> str:
    """The profile's YAML, with a comment on each field."""
    paper = new.paper or default_paper(new.country)
    emergency = new.emergency_number
    lines = [
        f"# The profile of {new.name}. Edit it, then run: brochure clinic check {new.id}",
        "name: " + _quoted(new.name),
        "# Replace this placeholder logo with your own (SVG or PNG, in this clinic's folder).",
        f"logo: {new.id}/logo.svg",
        "colours:",
        f'  primary: "{DEFAULT_COLOURS[0]}"   # headings, cover band; 4.5:1 contrast with white',
        f'  accent: "{DEFAULT_COLOURS[1]}"    # rules, bullets, call-out labels; same rule',
        "phone: " + _quoted(new.phone),
    ]
    if new.after_hours_phone:
        lines.append("# The line patients call when the clinic is closed.")
        lines.append("after_hours_phone: " + _quoted(new.after_hours_phone))
    else:
        lines.append("# after_hours_phone: \"...\"   # if another number answers when you "
                     "are closed")
    lines.append(f"country: {new.country.upper()}")
    if emergency:
        lines.append("emergency_number: " + _quoted(emergency))
    else:
        default = EMERGENCY_NUMBERS.get(new.country.upper(), "?")
        lines.append(f"# emergency_number: \"{default}\"   # the country's default is used")
    lines.append("address:")
    lines.extend("  - " + _quoted(line) for line in new.address)
    lines.extend([
        "website: " + _quoted(new.website),
        "booking_url: " + _quoted(new.booking_url),
        f"paper: {paper}",
        "languages: [" + ", ".join(new.languages) + "]",
    ])
    return "\n".join(lines) + "\n"


def placeholder_logo(name: str) -> str:
    """A plain SVG logo with the clinic's name, to replace with the real one."""
    label = escape(name if len(name) <= 28 else name[:27] + "…")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 80" role="img">\n'
        f"  <title>{label}</title>\n"
        "  <!-- A placeholder: replace this file with the clinic's own logo. -->\n"
        f'  <rect x="3" y="3" width="74" height="74" rx="14" fill="{DEFAULT_COLOURS[0]}"/>\n'
        '  <path d="M40 20v40M20 40h40" stroke="#ffffff" stroke-width="10" '
        'stroke-linecap="round"/>\n'
        f'  <text x="92" y="50" font-family="Noto Sans" font-size="20" '
        f'fill="{DEFAULT_COLOURS[0]}">{label}</text>\n'
        "</svg>\n")


NOTES_TEXT = """\
# This clinic's own notes: blocks printed at the end of a section of every
# brochure (section: preparation, recovery, checklist for the handout, ...) or
# on the back cover (place: back-cover). Same blocks, **strong**, *em* and
# {placeholders} as content/*.yaml. After editing, run:
#   brochure clinic check ID
#   brochure i18n extract --clinic ID     (then translate clinics/ID/locales/)
# Blocks marked "condensed: true" are printed in the tri-fold leaflet too.
#
# notes:
#   - id: parking
#     section: preparation
#     heading: "Parking and check-in"
#     blocks:
#       - id: where-to-park
#         paragraph: "Park for free in the garage behind our building."
#   - id: after-hours
#     section: recovery
#     heading: "Our after-hours line"
#     blocks:
#       - id: when-closed
#         paragraph: "When we are closed, call {after_hours_phone}."
notes: []
"""


def create_clinic(project: Project, new: NewClinic) -> list[Path]:
    """Write a new clinic's profile, placeholder logo and notes file; return them.

    Raises :class:`UsageError` for a bad or taken id or a language without a
    catalog, :class:`ClinicError` (every problem, with lines) for values the
    profile does not accept. Nothing is written unless everything is valid.
    """
    check_id(new.id, project)
    missing = [code for code in new.languages if code != SOURCE_LANGUAGE
               and not po_path(project.locales_dir, code).is_file()]
    if missing:
        known = sorted(path.parent.parent.name.replace("_", "-")
                       for path in project.locales_dir.glob("*/LC_MESSAGES/*.po"))
        raise UsageError(f"no catalog for language {', '.join(missing)} (available: "
                         f"{', '.join([SOURCE_LANGUAGE, *known])})")
    project.clinics_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".new-{new.id}-", dir=project.clinics_dir))
    try:
        profile = staging / f"{new.id}.yaml"
        folder = staging / new.id
        folder.mkdir()
        (folder / "logo.svg").write_text(placeholder_logo(new.name), encoding="utf-8")
        (folder / "notes.yaml").write_text(NOTES_TEXT.replace("ID", new.id),
                                           encoding="utf-8")
        profile.write_text(profile_text(new), encoding="utf-8")
        try:
            clinic = load_clinic(profile)
        except ClinicError as exc:
            # Name the option, not the temporary file.
            raise ClinicError.from_problems([
                Problem(problem.message, project.clinics_dir / profile.name, problem.line)
                for problem in exc.problems]) from None
        problems = logo_problems(clinic.logo, clinic.folder)
        if problems:
            raise ClinicError.from_problems(problems)
        check_id(new.id, project)  # still free: nothing else made it meanwhile
        os.replace(folder, project.clinics_dir / new.id)
        os.replace(profile, project.clinics_dir / profile.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Its (empty) template, so that `brochure i18n check` passes from the start.
    texts = project.clinic_texts(new.id)
    catalogs.extract(texts)
    target = project.clinics_dir / new.id
    return [project.clinics_dir / f"{new.id}.yaml", target / "logo.svg", target / "notes.yaml",
            texts.pot_path]


def clinic_problems(project: Project, clinic_id: str) -> list[Problem]:
    """Every problem of one clinic: profile, logo, notes, documents and catalogs.

    A broken profile does not hide the rest: the notes, documents and catalogs
    in the clinic's folder are checked all the same.
    """
    from .jobs import LOADED, clinic_documents, note_problems
    from .notes import load_notes

    path = project.clinics_dir / f"{clinic_id}.yaml"
    if not path.is_file():
        known = ", ".join(p.stem for p in project.clinic_files()) or "none"
        raise UsageError(f"unknown clinic {clinic_id!r} (known: {known})")
    problems: list[Problem] = []
    try:
        clinic = load_clinic(path)
    except BrochureError as exc:
        problems.extend(exc.problems)
    else:
        # load_clinic checks that the logo exists; this draws it too.
        problems.extend(logo_problems(clinic.logo, clinic.folder))
        for code in clinic.languages:
            if code != SOURCE_LANGUAGE and not po_path(project.locales_dir, code).is_file():
                problems.append(Problem(f"language {code!r} has no shared catalog "
                                        f"(brochure i18n init {code})", path, None))
    documents = []
    for content in project.content_files():
        try:
            documents.append(LOADED.document(content))
        except BrochureError as exc:
            problems.extend(exc.problems)
    own = []
    try:
        own = clinic_documents(project, clinic_id, documents)
    except BrochureError as exc:
        problems.extend(exc.problems)
    notes_path = project.clinics_dir / clinic_id / "notes.yaml"
    if notes_path.is_file():
        try:
            problems.extend(note_problems(load_notes(notes_path), documents + own))
        except BrochureError as exc:
            problems.extend(exc.problems)
    texts = project.clinic_texts(clinic_id)
    if texts.content_files():
        try:
            found = catalogs.check(texts)
        except BrochureError as exc:
            found = exc.problems  # a text file that does not load: reported above
        problems.extend(problem for problem in found if problem not in problems)
    return problems
