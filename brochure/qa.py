"""Check built PDFs the way a QA person would: ``brochure check --pdf [DIR]``.

:func:`check_pdfs` reads every PDF under a folder written by ``brochure
build`` (``<clinic>/<lang>/<doc>-<layout>[-suffix].pdf``) and returns one
:class:`PdfProblem` per defect, naming the file and, where it has one, the
page:

* fonts: every font embedded and subset;
* text layer: every text of the catalog (``locales/brochure.pot`` in the
  file's language) that the layout shows is found verbatim, whitespace
  normalised, in ``pdftotext``'s output (poppler-utils); where poppler
  interleaves two blocks side by side, line by line in drawing order;
* languages: the document's ``/Lang`` is the folder's language, and every
  other language the page shows is tagged in the structure tree;
* PDF/UA: the machine-checkable PDF/UA-1 rules of the ``pdfua`` package,
  plus empty headings (which pdfua 0.1.3 cannot evaluate on WeasyPrint's
  files);
* links: one annotation per link;
* titles: present and different for every file of one language;
* sizes: small enough to email.

Imposed booklets (``-imposed``) are sheets for a printer: they get the font,
language, title and size checks only.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import tinyhtml5
from babel.messages.pofile import read_po

from . import markup, printqa
from .clinic import Clinic, load_clinic
from .content import Document, load_document
from .errors import BrochureError, Problem, _display_path
from .i18n import Catalog, language_name, load_catalog
from .layouts import LAYOUTS
from .options import RenderOptions
from .project import Project

#: Largest file, in KiB, a layout may be (the Chinese booklet is about 200 KiB).
SIZE_LIMITS_KIB = {"booklet": 300, "large-print": 300, "trifold": 250, "handout": 200,
                   "imposed": 400}
#: Elements whose text is checked against the text layer.
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "dt", "dd"}
_XHTML = "{http://www.w3.org/1999/xhtml}"
_SUFFIXES = ("print", "imposed", "imposed-office", "filled", "print-filled")
#: The running footer's page label (templates/_head.html.j2).
FOOTER = ("ui.footer", "Page {page} of {pages}")


@dataclass(frozen=True)
class PdfProblem(Problem):
    """A defect of one built PDF; ``page`` counts from 1 (None: the whole file)."""

    page: int | None = None

    def __str__(self) -> str:
        where = f"{_display_path(self.file)}: " if self.file is not None else ""
        if self.page is not None:
            where += f"page {self.page}: "
        return f"{where}{self.message}"


@dataclass(frozen=True)
class _Built:
    """What a file name says: which clinic, language, document and layout."""

    clinic: str
    language: str
    document: str
    layout: str
    suffix: str


def _parse_name(path: Path) -> _Built | None:
    parts = path.resolve().parts
    if len(parts) < 3:
        return None
    clinic, language, name = parts[-3], parts[-2], path.stem
    for layout in sorted(LAYOUTS, key=len, reverse=True):
        match = re.fullmatch(rf"(.+)-{re.escape(layout)}(?:-({'|'.join(_SUFFIXES)}))?", name)
        if match:
            return _Built(clinic, language, match.group(1), layout, match.group(2) or "")
    return None


#: Scripts written without spaces between words: CJK, Hangul, Thai, Lao, Khmer, Myanmar.
_UNSPACED = (r"\u0e00-\u0eff\u1000-\u109f\u1100-\u115f\u1780-\u17ff\u2e80-\ua4cf"
             r"\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef")
_UNSPACED_BREAK = re.compile(rf" (?=[{_UNSPACED}])|(?<=[{_UNSPACED}]) ")


_INVISIBLE = {0x2060: None, 0xAD: None, 0x200B: None, 0x200E: None, 0x200F: None,
              0x061C: None, **{code: None for code in range(0x202A, 0x202F)},
              **{code: None for code in range(0x2066, 0x206A)}}


def normalise(text: str) -> str:
    """Text as compared with the text layer: invisible marks gone, spaces folded.

    Invisible marks are soft hyphens, word joiners, zero-width spaces and the
    bidi controls and marks (U+200E, U+200F, U+061C, U+202A-U+202E,
    U+2066-U+2069) that pdftotext and the PDF layer's right-to-left text
    layer (:mod:`brochure.bidilayer`) add; a screen reader says none of them.

    Spaces next to a character of a script written without spaces between
    words (CJK, Thai, Lao, Khmer, Myanmar) are dropped: such a line breaks
    between any two words, and the text layer has a line break there.
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = " ".join(text.split())
    return _UNSPACED_BREAK.sub("", text)


def text_layer(path: Path, furniture: tuple[re.Pattern[str], ...] = ()) -> str:
    """The PDF's text as ``pdftotext`` (poppler) extracts it, normalised.

    ``furniture`` matches the running footer (clinic name, page numbers):
    it is removed from the end of each page, so that a paragraph that goes
    on over a page break reads as one.
    """
    try:
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise BrochureError("pdftotext is not installed (Debian: apt-get install "
                            "poppler-utils); it reads the PDFs' text layer") from None
    except subprocess.CalledProcessError as exc:
        raise BrochureError(f"pdftotext cannot read this PDF: {exc.stderr.strip()}",
                            path) from None
    pages = []
    for page in result.stdout.split("\f"):
        text = normalise(page)
        for _ in furniture:
            for pattern in furniture:
                text = pattern.sub("", text).strip()
        pages.append(text)
    # Normalised again: a paragraph that goes on over a page break is joined
    # with a space, which must go where the script has no spaces (Korean,
    # Chinese), as at the end of a line.
    return normalise(" ".join(page for page in pages if page))


def _html_text_and_languages(html: str) -> tuple[str, set[str]]:
    """The normalised text of ``html``'s body, block by block, and the languages it tags."""
    root = tinyhtml5.parse(html)
    body = root.find(f"{_XHTML}body")
    parts = []
    languages = set()
    for element in (body if body is not None else root).iter():
        if element.get("lang"):
            languages.add(str(element.get("lang")))
        tag = str(element.tag).removeprefix(_XHTML)
        if tag in _BLOCKS and not any(
                str(inner.tag).removeprefix(_XHTML) in _BLOCKS for inner in element.iter()
                if inner is not element):
            parts.append(normalise("".join(element.itertext())))
    return " | ".join(parts), languages


class _Sources:
    """The project's documents, clinics and catalogs, loaded once for many PDFs."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.documents = {document.id: document for document in
                          (load_document(path) for path in project.content_files())}
        self.clinics: dict[str, Clinic] = {}
        self.clinic_documents: dict[str, Document | None] = {}
        self.catalogs: dict[str, Catalog] = {}
        self._messages: list[tuple[str | None, str]] | None = None

    def clinic(self, clinic_id: str) -> Clinic | None:
        if clinic_id not in self.clinics:
            path = self.project.clinics_dir / f"{clinic_id}.yaml"
            if not path.is_file():
                return None
            self.clinics[clinic_id] = load_clinic(path)
        return self.clinics[clinic_id]

    def catalog(self, language: str) -> Catalog:
        if language not in self.catalogs:
            self.catalogs[language] = load_catalog(self.project.locales_dir, language)
        return self.catalogs[language]

    def document(self, clinic_id: str, document_id: str) -> Document | None:
        """A shared document, or one of the clinic's own (``clinics/ID/content``)."""
        if document_id in self.documents:
            return self.documents[document_id]
        key = f"{clinic_id}:{document_id}"
        if key not in self.clinic_documents:
            found = None
            for path in self.project.clinic_content_files(clinic_id):
                document = load_document(path)
                if document.id == document_id:
                    found = document
            self.clinic_documents[key] = found
        return self.clinic_documents[key]

    def document_catalog(self, clinic_id: str, document_id: str, language: str) -> Catalog:
        """The catalog a document is translated in: the shared one, or the clinic's."""
        if document_id in self.documents:
            return self.catalog(language)
        key = f"{clinic_id}:{language}"
        if key not in self.catalogs:
            texts = self.project.clinic_texts(clinic_id)
            try:
                catalog = load_catalog(texts.locales_dir, language, texts.domain)
            except BrochureError:
                catalog = Catalog(language)  # not translated yet: English, as the build
            self.catalogs[key] = catalog
        return self.catalogs[key]

    def messages(self) -> list[tuple[str | None, str]]:
        """(msgctxt, msgid) of every translatable text (locales/brochure.pot)."""
        if self._messages is None:
            with open(self.project.pot_path, "rb") as file:
                template = read_po(file)
            self._messages = [(message.context, str(message.id)) for message in template
                              if message.id]
        return self._messages

    def texts(self, built: _Built, clinic: Clinic) -> list[str]:
        """The catalog's texts in ``built``'s language (English where it has none)."""
        catalog = self.catalog(built.language)
        values = {"clinic_name": clinic.name, "phone": clinic.phone,
                  "website": clinic.website_label,
                  "language": language_name(built.language, catalog)}
        texts = []
        for context, msgid in self.messages():
            translated = catalog.messages.get((context, msgid), msgid)
            text = normalise(markup.plain(translated, values))
            if text and "%(" not in text:
                texts.append(text)
        return texts

    def furniture(self, built: _Built, clinic: Clinic) -> tuple[re.Pattern[str], ...]:
        """Patterns of the running footer's texts at the end of a page."""
        label = self.catalog(built.language).messages.get(FOOTER, FOOTER[1])
        parts = [re.escape(part) for part in re.split(r"\{\w+\}", normalise(label))]
        return (re.compile(r"\s*" + r"\s*\d+\s*".join(parts) + r"\s*$"),
                re.compile(r"\s*" + re.escape(normalise(clinic.name)) + r"\s*$"))

    def html(self, built: _Built) -> str | None:
        """The HTML the build rendered for ``built`` (without any filled fields)."""
        from . import jobs
        from .localise import render_html

        clinic = self.clinic(built.clinic)
        document = self.document(built.clinic, built.document) if clinic else None
        if document is None or clinic is None or built.layout not in LAYOUTS:
            return None
        # The page as the build made it: the clinic's notes and own catalogs too.
        catalogs, _ = jobs._catalogs(self.project, clinic, built.language)
        options = RenderOptions(print_ready="print" in built.suffix or built.suffix == "imposed")
        page = jobs._page(self.project, document, clinic, built.language,
                          LAYOUTS[built.layout], options, catalogs)
        return render_html(page).text


def check_pdfs(folder: Path, project: Project | None = None) -> list[PdfProblem]:
    """Every defect of the PDFs under ``folder``, one :class:`PdfProblem` each.

    ``project`` holds the content and catalogs the PDFs were built from (the
    text layer is checked against them). A folder with no PDF is an error.
    """
    project = project or Project()
    folder = Path(folder)
    paths = sorted(folder.rglob("*.pdf")) if folder.is_dir() else []
    if not paths:
        raise BrochureError(f"no PDF files found in {folder} (build them first: "
                            "brochure build --out DIR)")
    sources = _Sources(project)
    problems: list[PdfProblem] = []
    titles: dict[tuple[Path, str], list[Path]] = {}
    for path in paths:
        built = _parse_name(path)
        try:
            pdf = pikepdf.open(path)
        except pikepdf.PdfError as exc:
            problems.append(PdfProblem(f"not a readable PDF: {exc}", path))
            continue
        with pdf:
            problems.extend(_check_one(path, pdf, built, sources, titles))
        problems.extend(PdfProblem(message, path, page=page) for message, page in printqa.problems(path, built, sources))  # noqa: E501 (print checks, printqa.py)
    for (_, title), same in titles.items():
        if len(same) > 1:
            names = ", ".join(other.name for other in same)
            for path in same:
                problems.append(PdfProblem(
                    f"title {title!r} is shared by {names}: a viewer's windows cannot be "
                    "told apart", path))
    return problems


def _check_one(path: Path, pdf: pikepdf.Pdf, built: _Built | None, sources: _Sources,
               titles: dict[tuple[Path, str], list[Path]]) -> Iterator[PdfProblem]:
    imposed = built is not None and built.suffix.startswith("imposed")
    yield from _check_fonts(path, pdf)
    yield from _check_size(path, built)
    title = str(pdf.docinfo.get("/Title", "")).strip()
    if not title:
        yield PdfProblem("no /Title: a screen reader announces the file name instead", path)
    elif not imposed:
        titles.setdefault((path.parent, title), []).append(path)
    lang = str(pdf.Root.get("/Lang", "")).strip()
    if built is not None and lang.lower() != built.language.lower():
        yield PdfProblem(f"document language (/Lang) is {lang or 'missing'!r}, "
                         f"not {built.language!r}", path)
    if imposed:
        return
    yield from _check_links(path, pdf)
    yield from _check_pdfua(path)
    yield from _check_headings(path, pdf)
    if built is None:
        yield PdfProblem("the file name does not say which clinic, language and layout "
                         "it is (<clinic>/<lang>/<doc>-<layout>.pdf): text layer and "
                         "language tags not checked", path)
        return
    html = sources.html(built)
    if html is None:
        yield PdfProblem(f"no clinic {built.clinic!r} or document {built.document!r} in "
                         "the project: text layer and language tags not checked", path)
        return
    _, languages = _html_text_and_languages(html)
    for text in _missing_texts(path, built, sources, html)[1]:
        shown_text = text if len(text) <= 70 else text[:67] + "..."
        yield PdfProblem(f"text layer lacks {shown_text!r} (copy-paste and screen "
                         "readers get other text)", path)
    tagged = {language.lower() for language in _struct_languages(pdf)}
    for language in sorted(languages - {built.language}):
        if language.lower() not in tagged:
            yield PdfProblem(f"text in {language!r} is not tagged with its language "
                             "(/Lang): a screen reader reads it in the wrong voice", path)


def _missing_texts(path: Path, built: _Built, sources: _Sources, html: str
                   ) -> tuple[list[str], list[str]]:
    """The catalog texts ``built``'s layout shows, and those its text layer lacks."""
    shown, _ = _html_text_and_languages(html)
    clinic = sources.clinic(built.clinic)
    assert clinic is not None
    furniture = sources.furniture(built, clinic)
    layer = text_layer(path, furniture).casefold()
    # Only the texts this layout shows; case as CSS may change it (text-transform).
    expected = [text for text in dict.fromkeys(sources.texts(built, clinic)) if text in shown]
    missing = [text for text in expected if text.casefold() not in layer]
    if missing:
        drawn, read = _lines(path, raw=True), _lines(path)
        missing = [text for text in missing if not _reads_in_pieces(text, drawn, layer)
                   and not _reads_in_lines(text, read)]
    return expected, missing


def _lines(path: Path, raw: bool = False) -> list[str]:
    """The PDF's lines of text as pdftotext reads them (``raw``: in drawing order), normalised."""
    command = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return [line for line in (normalise(line).casefold()
                              for line in result.stdout.replace("\f", "\n").splitlines())
            if line]


#: How many lines of another block poppler may read between two lines of one text.
_BETWEEN = 2


def _reads_in_lines(text: str, lines: list[str]) -> bool:
    """Whether ``text`` is whole lines of poppler's reading, in order, with a line or two of
    another block between them (a caption beside a web address: poppler reads the address
    between the caption's two lines). Each line must read right, whole.
    """
    text = text.casefold()

    def rest_after(rest: str, line: str) -> str | None:
        """What is left of ``rest`` after the whole ``line``, or None."""
        if not rest.startswith(line):
            return None
        left = rest[len(line):]
        if not left or left.startswith(" "):
            return left.lstrip(" ")
        # No space between the lines where normalise drops it (Chinese, Korean).
        return left if normalise(f"{line[-1]} {left[0]}") == line[-1] + left[0] else None

    for index, line in enumerate(lines):
        for cut in [0, *(at + 1 for at, char in enumerate(line) if char == " ")]:
            rest = rest_after(text, line[cut:])
            if rest is None or rest == text:
                continue
            following = index + 1
            while rest:
                for skip in range(_BETWEEN + 1):
                    candidate = lines[following + skip] if following + skip < len(lines) else ""
                    after = rest_after(rest, candidate) if candidate else None
                    if after is None and candidate.startswith(rest) and (
                            candidate[len(rest):len(rest) + 1] in ("", " ")):
                        after = ""  # the text ends inside this line
                    if after is not None:
                        rest, following = after, following + skip + 1
                        break
                else:
                    break
            if not rest:
                return True
    return False


def _reads_in_pieces(text: str, lines: list[str], layer: str) -> bool:
    """Whether ``text`` is in the drawn ``lines`` and each of its lines reads right in ``layer``.

    poppler's reading order interleaves the lines of two narrow blocks side
    by side (a footnote beside the sources), though each line reads right:
    the text is then found line by line. A line that reads wrong (a word
    split, a letter lost) is still missing.
    """
    text = text.casefold()
    joined = " ".join(lines)
    start = joined.find(text)
    if start < 0:
        return False
    end = start + len(text)
    offset = 0
    for line in lines:
        piece = joined[max(start, offset):min(end, offset + len(line))]
        if piece.strip() and piece.strip() not in layer:
            return False
        offset += len(line) + 1
    return True


def text_coverage(path: Path, project: Project | None = None) -> tuple[int, list[str]]:
    """How many catalog texts a built PDF shows, and which its text layer lacks."""
    built = _parse_name(Path(path))
    if built is None:
        raise BrochureError("not a built brochure (<clinic>/<lang>/<doc>-<layout>.pdf)", path)
    sources = _Sources(project or Project())
    html = sources.html(built)
    if html is None:
        raise BrochureError("no such clinic or document in the project", path)
    expected, missing = _missing_texts(Path(path), built, sources, html)
    return len(expected), missing


def _pages(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}


def _fonts_of(resources: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    if resources is None:
        return
    for font in (resources.get("/Font") or {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts_of(xobject.get("/Resources"), seen)


def _check_fonts(path: Path, pdf: pikepdf.Pdf) -> Iterator[PdfProblem]:
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in _fonts_of(page.obj.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is None or not any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                yield PdfProblem(f"font {name} is not embedded", path, page=number)
            elif not re.match(r"^[A-Z]{6}\+", name):
                yield PdfProblem(f"font {name} is embedded whole, not subset", path,
                                 page=number)


def _check_size(path: Path, built: _Built | None) -> Iterator[PdfProblem]:
    kind = "imposed" if built is not None and built.suffix.startswith("imposed") else (
        built.layout if built is not None else "booklet")
    limit = SIZE_LIMITS_KIB[kind]
    size = path.stat().st_size / 1024
    if size > limit:
        yield PdfProblem(f"{size:.0f} KiB is more than the {limit} KiB a {kind} PDF "
                         "should take to email", path)


def _check_links(path: Path, pdf: pikepdf.Pdf) -> Iterator[PdfProblem]:
    for number, page in enumerate(pdf.pages, start=1):
        seen: list[tuple[str, list[float]]] = []
        for annotation in page.obj.get("/Annots") or []:
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            target = str(action.get("/URI")) if action is not None and "/URI" in action \
                else str(annotation.get("/Dest", ""))
            rect = [float(value) for value in annotation.Rect]
            if any(target == other and _overlap(rect, other_rect)
                   for other, other_rect in seen):
                yield PdfProblem(f"link to {target} has more than one annotation (each "
                                 "is a tab stop)", path, page=number)
            seen.append((target, rect))


def _overlap(a: list[float], b: list[float]) -> bool:
    ax1, ax2 = sorted((a[0], a[2]))
    ay1, ay2 = sorted((a[1], a[3]))
    bx1, bx2 = sorted((b[0], b[2]))
    by1, by2 = sorted((b[1], b[3]))
    return ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2


def _check_pdfua(path: Path) -> Iterator[PdfProblem]:
    import pdfua

    report = pdfua.validate(str(path))
    for outcome in report.outcomes:
        for finding in outcome.findings:
            if finding.severity >= pdfua.Severity.WARNING:
                yield PdfProblem(f"PDF/UA {finding.rule_id}: {finding.message}", path,
                                 page=finding.location.page)


def _struct_elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", "/StructElem") \
                    == "/StructElem" and "/S" in kid:
                if kid.objgen in seen and kid.objgen != (0, 0):
                    continue
                seen.add(kid.objgen)
                yield kid
                stack.append(kid)


def _struct_languages(pdf: pikepdf.Pdf) -> set[str]:
    return {str(element.Lang) for element in _struct_elements(pdf) if "/Lang" in element}


def _marks_content(element: pikepdf.Dictionary) -> bool:
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Object)
                                    and kid._type_code == pikepdf.ObjectType.integer):
            return True
        if isinstance(kid, pikepdf.Dictionary) and (kid.get("/Type") == "/MCR"
                                                    or _marks_content(kid)):
            return True
    return False


def _check_headings(path: Path, pdf: pikepdf.Pdf) -> Iterator[PdfProblem]:
    """PDF/UA-1 7.4: headings are not empty (pdfua's UA-14-001, which skips these files)."""
    pages = _pages(pdf)
    for element in _struct_elements(pdf):
        role = str(element.S)
        if re.fullmatch(r"/H[1-6]?", role) and not _marks_content(element):
            page = element.get("/Pg")
            yield PdfProblem(f"empty heading {role}", path,
                             page=None if page is None else pages.get(page.objgen))
