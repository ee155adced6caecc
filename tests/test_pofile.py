"""Reading catalogs as msgfmt does, and writing them back in their own style."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import PoFileError, read_po
from click.testing import CliRunner

from brochure import Project, load_catalog, pofile
from brochure.catalogs import check
from brochure.cli import main
from brochure.errors import TranslationError
from brochure.i18n import po_path

from .test_i18n import SHIPPED

HEADER = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n'
          '"Content-Type: text/plain; charset={charset}\\n"\n\n')
BODY = ('msgctxt "faqs.hurt.question"\nmsgid "Will it hurt?"\nmsgstr "¿Dolerá?"\n\n'
        '#, fuzzy\n#~| msgctxt "faqs.old"\n#~| msgid "Does it hurt?"\n'
        '#~ msgctxt "faqs.old"\n#~ msgid "Will it really hurt?"\n#~ msgstr "¿De verdad?"\n')


def _catalog(charset: str = "UTF-8", encoding: str = "utf-8") -> bytes:
    return (HEADER.format(charset=charset) + BODY).encode(encoding)


def _reformatted(po: pofile.PoFile) -> bytes:
    """The file written with every part formatted anew (no original line reused)."""
    for entry in po.entries:
        entry.raw = {}
    return pofile.dumps(po)


def _catalog_path(repo: Project, language: str) -> Path:
    return po_path(repo.locales_dir, language)


@pytest.mark.parametrize("language", SHIPPED)
def test_an_unchanged_catalog_is_written_back_byte_for_byte(repo: Project,
                                                            language: str) -> None:
    data = _catalog_path(repo, language).read_bytes()
    assert pofile.dumps(pofile.parse(data)) == data


@pytest.mark.parametrize("language", SHIPPED)
def test_babel_style_is_babel_exactly(repo: Project, language: str) -> None:
    # Relies on Babel 2.18's wrapping (pofile.normalize, util.TextWrapper): if an
    # upgrade changes it, this fails and new entries would no longer match the file.
    data = _catalog_path(repo, language).read_bytes()
    po = pofile.parse(data)
    assert po.style == pofile.Style("babel", 76)
    assert _reformatted(po) == data


@pytest.mark.parametrize("language", SHIPPED)
def test_gnu_style_is_msgcat_exactly(repo: Project, language: str) -> None:
    gnu = subprocess.run(["msgcat", "--width=79", str(_catalog_path(repo, language))],
                         capture_output=True, check=True).stdout
    po = pofile.parse(gnu)
    assert po.style == pofile.Style("gnu", 79)
    assert pofile.dumps(po) == gnu
    assert _reformatted(po) == gnu


def test_obsolete_previous_lines_that_babel_cannot_read() -> None:
    data = _catalog()
    # python-babel/babel#566: if Babel learns to read "#~|", pofile's reader may go.
    with pytest.raises(PoFileError):
        read_po(iter(data.splitlines(keepends=True)), abort_invalid=True)
    po = pofile.parse(data)
    [obsolete] = po.obsolete()
    assert (obsolete.previous_context, obsolete.previous_msgid) == ("faqs.old", "Does it hurt?")
    assert obsolete.fuzzy and obsolete.string == "¿De verdad?"
    assert pofile.dumps(po) == data
    assert _reformatted(po) == data


def test_byte_order_mark_is_read_with_a_warning() -> None:
    po = pofile.parse(pofile.BOM + _catalog(), Path("es.po"))
    [entry] = po.messages()
    assert entry.string == "¿Dolerá?"
    [warning] = po.warnings
    assert warning.line == 1 and "byte-order mark" in warning.message
    assert pofile.dumps(po) == _catalog()  # written back without it


def test_crlf_line_ends_are_read_and_kept() -> None:
    data = _catalog().replace(b"\n", b"\r\n")
    po = pofile.parse(data)
    [entry] = po.messages()
    assert entry.msgid == "Will it hurt?" and entry.string == "¿Dolerá?"
    assert po.style.newline == "\r\n"
    assert pofile.dumps(po) == data
    entry.msgstr = ("¿Me dolerá?",)
    assert b'msgstr "\xc2\xbfMe doler\xc3\xa1?"\r\n' in pofile.dumps(po)


def test_a_latin1_catalog_is_read_and_written_in_latin1() -> None:
    data = _catalog("ISO-8859-1", "latin-1")
    po = pofile.parse(data)
    assert next(po.messages()).string == "¿Dolerá?"
    assert po.warnings == []
    assert pofile.dumps(po) == data


def test_utf8_under_a_latin1_header_is_read_as_utf8_never_as_mojibake() -> None:
    po = pofile.parse(_catalog("ISO-8859-1"), Path("es.po"))
    assert next(po.messages()).string == "¿Dolerá?"
    [warning] = po.warnings
    assert warning.line == 4 and "charset=ISO-8859-1 but the file is UTF-8" in warning.message
    assert b"charset=UTF-8" in pofile.dumps(po)


@pytest.mark.parametrize("charset", ["CHARSET", "foo"])
def test_a_placeholder_or_unknown_charset(charset: str) -> None:
    po = pofile.parse(_catalog(charset), Path("es.po"))
    assert next(po.messages()).string == "¿Dolerá?"
    [warning] = po.warnings
    assert warning.line == 4 and "read as UTF-8" in warning.message
    with pytest.raises(TranslationError) as caught:
        pofile.parse(_catalog(charset, "latin-1"), Path("es.po"))
    assert caught.value.line == 4 and "not UTF-8" in str(caught.value)
    assert "charset=UTF-8" in str(caught.value)


@pytest.mark.parametrize(("text", "line", "words"), [
    ('msgid "a"\nmsgstr "b\n', 2, "unterminated string"),
    ('msgid "a"\nmsgstr "b"\nmsgid "c"\n', 3, "without a msgstr"),
    ('msgid "a"\nmsgtxt "b"\n', 2, "unknown keyword 'msgtxt'"),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "defined twice"),
    ('msgid "a\\q"\nmsgstr ""\n', 1, "invalid escape"),
    ('"a"\n', 1, "follows no msgctxt"),
])
def test_syntax_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(TranslationError) as caught:
        pofile.parse(text.encode(), Path("x.po"))
    assert caught.value.line == line and words in str(caught.value)


def _write(project: Project, language: str, data: bytes) -> Path:
    path = po_path(project.locales_dir, language)
    path.write_bytes(data)
    return path


def test_a_bom_catalog_builds_and_check_reports_it(project: Project,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    path = po_path(project.locales_dir, "fr")
    _write(project, "fr", pofile.BOM + path.read_bytes())
    with caplog.at_level(logging.WARNING, logger="brochure"):
        catalog = load_catalog(project.locales_dir, "fr")
    assert catalog.translated == catalog.total - catalog.untranslated
    assert "byte-order mark" in caplog.text
    problems = check(project)
    assert [problem.line for problem in problems if problem.file == path] == [1]


def test_an_unreadable_catalog_is_one_clear_error(project: Project, tmp_path: Path) -> None:
    path = po_path(project.locales_dir, "fr")
    text = path.read_text(encoding="utf-8").replace("charset=utf-8", "charset=CHARSET")
    _write(project, "fr", text.encode("latin-1", errors="replace"))
    result = CliRunner().invoke(main, ["build", "--clinic", "maple-hollow", "--lang", "fr",
                                       "--layout", "booklet", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    header = next(number for number, text in enumerate(path.read_text("latin-1").splitlines(), 1)
                  if "charset=CHARSET" in text)  # the Content-Type line of the header
    assert line.startswith(f"Error: locales/fr/LC_MESSAGES/brochure.po:{header}: while building "
                           "maple-hollow/fr: charset=CHARSET")
    assert "set the header's charset" in line
