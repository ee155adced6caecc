"""Load and validate a clinic profile (``clinics/<id>.yaml``).

A profile brands the brochures: name, logo, colours, contacts, booking link,
paper size and languages. Every field is checked and every problem reported
with its line, so a clinic admin can fix the file in one go.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from .errors import ClinicError, Problem
from .logo import logo_problems
from .qrcode import booking_url_problem, booking_url_warning
from .yamlfile import LineDict, LineList, load_yaml

logger = logging.getLogger(__name__)

PAPER_SIZES = {"letter": "Letter", "a4": "A4"}
MIN_CONTRAST = 4.5
_KEYS = {"name", "logo", "colours", "phone", "address", "website", "booking_url",
         "paper", "languages", "country", "emergency_number", "after_hours_phone"}
#: Keys a profile may leave out (every other key of _KEYS is required).
_OPTIONAL_KEYS = {"emergency_number", "after_hours_phone"}
_COLOUR_KEYS = {"primary", "accent"}
_HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ()./-]{5,24}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_EMERGENCY_RE = re.compile(r"^[0-9]{2,6}$")
WHITE = "#ffffff"

#: The number that reaches an ambulance, by ISO 3166 country code. A clinic in a
#: country not listed here writes its ``emergency_number`` in its profile. (112
#: also works across the European Union; 999 and 112 both work in the UK.)
EMERGENCY_NUMBERS = {
    "US": "911", "CA": "911", "MX": "911", "PH": "911",
    "GB": "999", "IE": "112", "AU": "000", "NZ": "111",
    "DE": "112", "ES": "112", "FR": "112", "IT": "112", "NL": "112", "PT": "112",
}
#: CLDR territory codes that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@dataclass(frozen=True)
class Clinic:
    """A validated clinic profile."""

    id: str
    path: Path
    name: str
    logo: Path
    primary: str
    accent: str
    phone: str
    address: tuple[str, ...]
    website: str
    booking_url: str
    paper: str
    languages: tuple[str, ...]
    #: ISO 3166 alpha-2 code of the clinic's country (``US``, ``GB``).
    country: str
    #: The local emergency number, digits only (the profile's, else the country's).
    emergency_number: str
    #: The number to call when the clinic is closed; ``None``: the main ``phone``
    #: is answered then too (see :attr:`out_of_hours_phone`).
    after_hours_phone: str | None = None

    @property
    def folder(self) -> Path:
        """The clinic's own folder: its logo and any other files live here."""
        return self.path.parent / self.id

    @property
    def tel_url(self) -> str:
        return tel_url(self.phone)

    @property
    def out_of_hours_phone(self) -> str:
        """What ``{after_hours_phone}`` prints: the after-hours line, else the main phone.

        A clinic that lists no separate line is taken to answer its main number
        when it is closed (an on-call service, or a message saying whom to call).
        """
        return self.after_hours_phone or self.phone

    @property
    def website_label(self) -> str:
        """The website as people read it aloud: no scheme, no trailing slash."""
        parts = urlsplit(self.website)
        return (parts.netloc + parts.path).rstrip("/")


def tel_url(phone: str) -> str:
    """A ``tel:`` link for a phone number as printed: its digits (and a leading +)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start:start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darken_to(colour: str, ratio: float) -> str:
    """The same hue, darkened until it has at least ``ratio`` contrast with white."""
    red, green, blue = (int(colour[start:start + 2], 16) for start in (1, 3, 5))
    factor = 1.0
    candidate = colour.lower()
    while contrast_ratio(candidate, WHITE) < ratio and factor > 0:
        factor -= 0.02
        candidate = "#%02x%02x%02x" % tuple(
            max(0, int(channel * factor)) for channel in (red, green, blue))
    return candidate


def _web_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.netloc) and " " not in value


def load_clinic(path: Path | str) -> Clinic:
    """Load and validate a clinic profile; raise :class:`ClinicError` with every problem."""
    path = Path(path)
    problems: list[Problem] = []
    raw = load_yaml(path, ClinicError, problems)  # unprintable text: problems, with lines

    def problem(message: str, line: int) -> None:
        problems.append(Problem(message, path, line))

    if not isinstance(raw, LineDict):
        raise ClinicError("a clinic profile must be a mapping of fields", path, 1)
    clinic_id = path.stem
    if not _ID_RE.match(clinic_id):
        problem("the file name must be a lower-case id such as 'maple-hollow.yaml'", 1)
    for key in raw:
        if key not in _KEYS:
            problem(f"unknown key {key!r} (allowed: {', '.join(sorted(_KEYS))})",
                    raw.line_of(key))
    for key in sorted(_KEYS - _OPTIONAL_KEYS - set(raw)):
        problem(f"missing {key!r}", raw.line)

    def text(key: str) -> str:
        value = raw.get(key)
        if key in raw and (not isinstance(value, str) or not value.strip()):
            problem(f"{key} must be non-empty text", raw.line_of(key))
            return ""
        return " ".join(str(value or "").split())

    name = text("name")

    logo = path.parent
    logo_value = raw.get("logo")
    if "logo" in raw:
        folder = (path.parent / clinic_id).resolve()
        if not isinstance(logo_value, str) or not logo_value.endswith((".svg", ".png")):
            problem("logo must be the path of an .svg or .png file", raw.line_of("logo"))
        else:
            logo = (path.parent / logo_value).resolve()
            if not logo.is_relative_to(folder):
                problem(f"logo must be inside the clinic's folder {clinic_id}/ "
                        f"(got {logo_value})", raw.line_of("logo"))
            elif not logo.is_file():
                problem(f"logo file not found: {logo_value}", raw.line_of("logo"))
            else:  # issue 14: a logo WeasyPrint cannot draw is an error, not a blank
                # Drawing it waits for the build (see brochure/logo.py).
                problems.extend(logo_problems(logo, folder, draw=False))

    colours: dict[str, str] = {}
    raw_colours = raw.get("colours")
    if "colours" in raw and not isinstance(raw_colours, LineDict):
        problem("colours must be a mapping with primary and accent", raw.line_of("colours"))
    elif isinstance(raw_colours, LineDict):
        for key in raw_colours:
            if key not in _COLOUR_KEYS:
                problem(f"unknown colour {key!r} (allowed: primary, accent)",
                        raw_colours.line_of(key))
        for key in sorted(_COLOUR_KEYS):
            value = raw_colours.get(key)
            line = raw_colours.line_of(key)
            if value is None:
                problem(f"missing colour {key!r}", raw_colours.line)
            elif not isinstance(value, str) or not _HEX_RE.match(value):
                problem(f"colour {key} must look like \"#1f4e79\" (got {value!r})", line)
            else:
                ratio = contrast_ratio(value, WHITE)
                if ratio < MIN_CONTRAST:
                    problem(f"colour {key} {value} has a contrast of {ratio:.1f}:1 with "
                            f"white; text needs at least {MIN_CONTRAST}:1 (use a darker shade)",
                            line)
                colours[key] = value.lower()

    phone = text("phone")
    if phone and not _PHONE_RE.match(phone):
        problem(f"phone must be digits with spaces, dashes or brackets (got {phone!r})",
                raw.line_of("phone"))
    after_hours = text("after_hours_phone") if "after_hours_phone" in raw else ""
    if after_hours and not _PHONE_RE.match(after_hours):
        problem("after_hours_phone must be digits with spaces, dashes or brackets "
                f"(got {after_hours!r})", raw.line_of("after_hours_phone"))

    country = raw.get("country")
    if "country" in raw and not _is_country(country):
        problem("country must be a two-letter ISO 3166 country code in capitals, "
                f"such as US or GB (got {country!r})", raw.line_of("country"))
        country = None
    emergency = raw.get("emergency_number")
    if "emergency_number" in raw:
        # YAML reads 999 as a number and 000 as 0: accept a number only if no digit is lost.
        if isinstance(emergency, int) and not isinstance(emergency, bool):
            emergency = str(emergency)
        if not isinstance(emergency, str) or not _EMERGENCY_RE.match(emergency.strip()):
            problem("emergency_number must be the digits of the local emergency number "
                    f"in quotes, such as \"999\" (got {raw['emergency_number']!r})",
                    raw.line_of("emergency_number"))
            emergency = None
        else:
            emergency = emergency.strip()
    elif isinstance(country, str) and _is_country(country):
        emergency = EMERGENCY_NUMBERS.get(country)
        if emergency is None:
            problem(f"no emergency number is known for country {country}: add "
                    "emergency_number (the digits, in quotes, such as \"112\")",
                    raw.line_of("country"))

    address: tuple[str, ...] = ()
    raw_address = raw.get("address")
    if "address" in raw:
        if isinstance(raw_address, str):
            raw_address = [raw_address]
        if (not isinstance(raw_address, list) or not raw_address
                or not all(isinstance(part, str) and part.strip() for part in raw_address)):
            problem("address must be a list of lines", raw.line_of("address"))
        else:
            address = tuple(" ".join(part.split()) for part in raw_address)

    for key in ("website", "booking_url"):
        if key in raw and not _web_url(raw[key]):
            problem(f"{key} must be an https:// web address (got {raw[key]!r})",
                    raw.line_of(key))
    # issue 14: a link too long for a QR code is found here, not in the render.
    booking_url = raw.get("booking_url")
    if isinstance(booking_url, str) and _web_url(booking_url):
        if found := booking_url_problem(booking_url):
            problem(found, raw.line_of("booking_url"))
        elif warning := booking_url_warning(booking_url):
            logger.warning("%s", Problem(warning, path, raw.line_of("booking_url")))

    paper = raw.get("paper")
    if "paper" in raw and (not isinstance(paper, str) or paper.lower() not in PAPER_SIZES):
        problem(f"paper must be A4 or Letter (got {paper!r})", raw.line_of("paper"))
        paper = None

    languages: list[str] = []
    raw_languages = raw.get("languages")
    if "languages" in raw:
        if not isinstance(raw_languages, LineList) or not raw_languages:
            problem("languages must be a list of language codes such as [en, es]",
                    raw.line_of("languages"))
        else:
            for code, line in zip(raw_languages, raw_languages.item_lines):
                if not isinstance(code, str):
                    problem(f"language code must be text (got {code!r})", line)
                    continue
                try:
                    Locale.parse(code, sep="-")
                except (ValueError, UnknownLocaleError):
                    problem(f"unknown language code {code!r}", line)
                    continue
                if code in languages:
                    problem(f"language {code!r} is listed twice", line)
                languages.append(code)

    if problems:
        raise ClinicError.from_problems(problems)
    return Clinic(
        id=clinic_id, path=path, name=name, logo=logo,
        primary=colours["primary"], accent=colours["accent"], phone=phone,
        address=address, website=str(raw["website"]), booking_url=str(raw["booking_url"]),
        paper=PAPER_SIZES[str(paper).lower()], languages=tuple(languages),
        country=str(country), emergency_number=str(emergency),
        after_hours_phone=after_hours or None)


def _is_country(value: Any) -> bool:
    """Whether ``value`` is an ISO 3166 alpha-2 code that CLDR knows as a country."""
    return (isinstance(value, str) and len(value) == 2 and value.isalpha()
            and value.isupper() and value not in _NOT_COUNTRIES
            and value in Locale("en").territories)
