"""The staff web app in a real browser: the real server on a free port, Debian's chromium.

One server (on a copy of the project, listing the session's full build) and
one browser serve every test of this module. Screenshots go to
``$BROCHURE_SCREENSHOTS`` when it is set (to look at them), else to a
temporary folder.
"""

from __future__ import annotations

import http.client
import io
import os
import random
import re
import string
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit

import pypdfium2
import pytest
from babel.dates import format_date
from playwright import sync_api as playwright_api
from pypdf import PdfReader

from brochure import qa
from brochure.handout import FIELDS, MAX_LENGTH
from brochure.i18n import direction, language_name, load_catalog
from brochure.library import scan

from .conftest import ROOT
from .webserver import Server, start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, everything: Path) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("web"), everything)
    yield running
    log = stop_server(running)
    assert running.process.returncode == 0, log
    assert log.rstrip().endswith("brochure serve: stopped."), log
    assert "Traceback" not in log, log


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: run scripts/setup-system.sh (make test does)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    made = browser.new_context(viewport={"width": 1280, "height": 900},
                               accept_downloads=True)
    yield made
    made.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("BROCHURE_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _patient() -> str:
    """A name no file on this machine can hold by chance (and no test source spells)."""
    letters = random.SystemRandom()
    return "Ilse " + "".join(letters.choice(string.ascii_lowercase) for _ in range(9)).title()


def _tab_to(page: Any, selector: str, limit: int = 120) -> int:
    """Press Tab until ``selector`` has the focus; return how many presses it took."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return count
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


def _pdf_text(data: bytes) -> str:
    """The PDF's text as PDFium extracts it (its characters in logical order)."""
    document = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def _holds(path: Path, needles: list[bytes], name: str, since: float) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if any(needle in data for needle in needles):
        return True
    if data.startswith(b"%PDF") and path.stat().st_mtime >= since:
        try:
            return name in _pdf_text(data)
        except pypdfium2.PdfiumError:  # not a PDF PDFium can read: the bytes were searched
            return False
    return False


def files_holding(name: str, folders: list[Path], since: float | None = None,
                  started: float = 0.0) -> list[Path]:
    """Files under ``folders`` whose bytes (UTF-8, UTF-16, form-encoded) or PDF text hold ``name``.

    With ``since``, only files changed since then are read (for the shared temp folder).
    """
    needles = [name.encode("utf-8"), name.encode("utf-16-le"), name.encode("utf-16-be"),
               quote_plus(name).encode()]
    found = []
    for folder in folders:
        for directory, _folders, files in os.walk(folder, onerror=lambda error: None):
            for file_name in files:
                path = Path(directory) / file_name
                try:
                    status = path.lstat()
                except OSError:
                    continue
                if not path.is_file() or path.is_symlink() or status.st_size > 200_000_000:
                    continue
                if since is not None and max(status.st_mtime, status.st_ctime) < since:
                    continue
                if _holds(path, needles, name, started):
                    found.append(path)
    return found


# The library ------------------------------------------------------------------------

def test_the_library_lists_every_language_by_its_own_name(server: Server, page: Any,
                                                          shots: Path) -> None:
    page.goto(server.url)
    shelf = scan(server.out, server.project)
    assert [clinic.id for clinic in shelf.clinics] == ["harbourview", "maple-hollow"]
    for clinic in shelf.clinics:
        codes = [group.code for group in clinic.languages]
        profile = server.project.clinics_dir / f"{clinic.id}.yaml"
        assert set(codes) == set(re.search(r"languages: \[(.*)\]", profile.read_text())
                                 .group(1).replace(" ", "").split(","))
        for code in codes:
            catalog = None if code == "en" else load_catalog(server.project.locales_dir, code)
            own = page.locator(
                f"section.clinic[data-clinic='{clinic.id}'] "
                f".languages li[data-language='{code}'] .own")
            assert own.text_content() == language_name(code, catalog)
            assert own.get_attribute("lang") == code
            assert own.get_attribute("dir") == direction(code)
    assert page.locator(".own[lang=ar]").first.get_attribute("dir") == "rtl"
    assert page.locator(".own[lang=zh-Hans]").first.text_content() == "简体中文"
    page.screenshot(path=str(shots / "library-desktop.png"), full_page=True)


@pytest.mark.parametrize("query", ["Spanish", "Español", "es", "espanol", "SPAN"])
def test_the_filter_finds_a_language_by_any_of_its_names(server: Server, page: Any,
                                                         query: str) -> None:
    page.goto(server.url + "#clinic-maple-hollow")
    page.fill("#filter", query)
    clinic = page.locator("section.clinic[data-clinic=maple-hollow]")
    visible = clinic.locator(".languages li:visible")
    assert [item.get_attribute("data-language") for item in visible.all()] == ["es"]
    assert clinic.locator("section.language:visible").get_attribute("data-language") == "es"
    assert page.locator("#filter-status").text_content() == "1 language matches."


def test_the_filter_says_when_nothing_matches_and_where(server: Server, page: Any) -> None:
    page.goto(server.url + "#clinic-harbourview")
    page.fill("#filter", "Tiếng Việt")
    status = page.locator("#filter-status").text_content()
    assert status == ("No language of Harbourview Pain Centre matches; Maple Hollow Spine & "
                      "Pain Clinic has 1.")


def test_with_the_keyboard_alone_staff_open_the_vietnamese_large_print_booklet(
        server: Server, context: Any, shots: Path) -> None:
    page = context.new_page()
    page.goto(server.url)
    _tab_to(page, "#filter")
    page.keyboard.type("viet")
    _tab_to(page, "a.choice[data-clinic=maple-hollow]")
    page.keyboard.press("Enter")
    section = page.locator("section#maple-hollow-vi")
    assert section.is_visible()
    page.screenshot(path=str(shots / "library-vietnamese.png"), full_page=True)
    _tab_to(page, "#maple-hollow-vi li[data-layout=large-print] a.button:not(.secondary)")
    with context.expect_page() as opened:
        page.keyboard.press("Enter")
    booklet = opened.value
    booklet.wait_for_load_state()
    assert urlsplit(booklet.url).path == "/files/maple-hollow/vi/mild-large-print.pdf"
    response = page.request.get(booklet.url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'inline; filename="maple-hollow-mild-large-print-vi-vietnamese.pdf"')
    reader = PdfReader(io.BytesIO(response.body()))
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    assert len(reader.pages) > 12


def test_a_download_is_a_valid_pdf_of_the_right_language(server: Server, page: Any) -> None:
    page.goto(server.url + "#maple-hollow-ar")
    # The clinic's own booklet (Your visit) is listed beside the mild one.
    button = page.locator(
        "#maple-hollow-ar li[data-document=mild][data-layout=booklet] a.button.secondary")
    with page.expect_download() as started:
        button.click()
    download = started.value
    assert download.suggested_filename == "maple-hollow-mild-booklet-ar-arabic.pdf"
    data = Path(download.path()).read_bytes()
    download.delete()
    assert data == (server.out / "maple-hollow/ar/mild-booklet.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert re.search("[\u0600-\u06ff]{4}", reader.pages[1].extract_text())


def test_the_static_page_works_from_a_folder(server: Server, page: Any, shots: Path) -> None:
    page.goto((server.out / "index.html").as_uri() + "#maple-hollow-ar")
    section = page.locator("section#maple-hollow-ar")
    assert section.is_visible()
    cover = section.locator("li[data-document=mild][data-layout=booklet] img.cover")
    assert page.evaluate("image => image.naturalWidth", cover.element_handle()) > 100
    page.fill("#filter", "Русский")
    assert page.locator("#filter-status").text_content() == "1 language matches."
    page.screenshot(path=str(shots / "static-index-russian.png"))


def test_the_library_on_a_phone(server: Server, browser: Any, shots: Path) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    try:
        page = phone.new_page()
        page.goto(server.url + "#maple-hollow-ar")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 18
        page.screenshot(path=str(shots / "library-phone-arabic.png"), full_page=True)
    finally:
        phone.close()


# The handout ------------------------------------------------------------------------

def _fill_handout(page: Any, server: Server, values: dict[str, str]) -> None:
    page.goto(server.url + "handout?clinic=maple-hollow&language=ar")
    for name, value in values.items():
        page.fill(f"#field-{name}", value)


def test_the_form_offers_every_handout_field_with_its_label(server: Server, page: Any,
                                                            shots: Path) -> None:
    page.goto(server.url + "handout?clinic=maple-hollow&language=es")
    inputs = page.locator("form.handout input:not([type=hidden])")
    assert [item.get_attribute("name") for item in inputs.all()] == list(FIELDS)
    for name in FIELDS:
        label = page.locator(f"label[for=field-{name}]")
        assert (label.text_content() or "").strip(), name
        assert page.locator(f"#field-{name}").get_attribute("maxlength") in (
            None, str(MAX_LENGTH[name]))
    assert page.locator("#field-date").get_attribute("type") == "date"
    assert page.locator("#field-time").get_attribute("type") == "time"
    # A date or the doctor's words: a text box that says so (a date picker takes no words).
    for name in ("restart", "checkup"):
        field = page.locator(f"#field-{name}")
        assert field.get_attribute("type") == "text"
        assert field.get_attribute("maxlength") == str(MAX_LENGTH[name])
        assert field.get_attribute("aria-describedby") == f"hint-{name}"
        assert "YYYY-MM-DD" in (page.locator(f"#hint-{name}").text_content() or "")
    assert "blood thinner" in (page.locator("label[for=field-restart]").text_content() or "")
    page.screenshot(path=str(shots / "handout-form.png"), full_page=True)


def test_a_handout_for_a_patient_and_nothing_of_them_remains(server: Server, browser: Any,
                                                            tmp_path: Path) -> None:
    patient, driver = _patient(), _patient()
    profile = tmp_path / "chromium-profile"
    # A browser profile on disk, as on the clinic's computer: autofill and session
    # restore must keep nothing either.
    staff = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=ARGS)
    try:
        page = staff.new_page()
        _fill_handout(page, server, {"patient": patient, "date": "2026-12-03", "time": "07:30",
                                     "doctor": "<b>Dr. Ruiz</b>", "driver": driver,
                                     "restart": "بعد يومين", "checkup": "2026-12-17"})
        # The browser sends the form; the PDF it gets back is kept here, in memory.
        answers: list[Any] = []

        def keep(route: Any) -> None:
            answers.append(route.fetch())
            route.fulfill(response=answers[-1])

        page.route("**/handout", lambda route: keep(route) if route.request.method == "POST"
                   else route.continue_())
        with page.expect_request_finished(lambda request: request.method == "POST"):
            page.click("button[type=submit]")
        [response] = answers
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-disposition"] == 'inline; filename="mild-handout-ar.pdf"'
        # The page's script sent the form with fetch() and shows the PDF from memory:
        # no POST page (whose body a browser keeps in its tab history), no name in a URL.
        page.wait_for_url("blob:**")
        assert page.url.startswith(f"blob:{server.url.rstrip('/')}/")
        text = _pdf_text(response.body())
        assert patient in text and driver in text
        # Markup prints as plain text: poppler reads it in written order, with
        # invisible direction marks around it (qa.normalise drops them). (PDFium reads
        # this line of neutrals in a right-to-left page backwards.) Read from a
        # pipe: the patient's PDF never touches the disk.
        poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.body(),
                                 capture_output=True, check=True).stdout.decode()
        assert re.search(r"<b>\s*Dr\. Ruiz\s*</b>", qa.normalise(poppler)), poppler
        assert "٢٠٢٦" in text or "2026" in text
        # The restart line in the doctor's words, the check-up as a date in Arabic's format.
        # (The text layer's invisible direction marks aside: qa.normalise.)
        assert "بعد يومين" in qa.normalise(text)
        assert qa.normalise(format_date(date(2026, 12, 17), format="full", locale="ar")) in \
            qa.normalise(text)
        page.goto(server.url)
    finally:
        staff.close()
    time.sleep(1)  # let every process finish what it was writing
    # Nothing under the project, the output folder, the server's temp folder, the
    # browser's profile, the server's log, or anything changed in the temp folder.
    assert files_holding(patient, [server.project.root, server.out, server.temp, profile,
                                   server.log], started=server.started) == []
    assert files_holding(patient, [Path(tempfile.gettempdir()), ROOT], since=server.started,
                         started=server.started) == []
    log = server.log.read_text()
    assert '"POST /handout" 200' in log and patient not in log


def test_bad_input_gets_a_message_next_to_its_field_and_no_pdf(server: Server, page: Any,
                                                               shots: Path) -> None:
    _fill_handout(page, server, {"patient": "Ana Ortega"})
    # A browser without a date picker lets staff type anything.
    page.evaluate("document.getElementById('field-date').type = 'text'")
    page.fill("#field-date", "2026-02-31")
    page.evaluate("document.getElementById('field-doctor').value = 'D'.repeat(10000)")
    # restart and checkup take a date or words: a date that does not exist is refused.
    page.fill("#field-restart", "2026-02-31")
    page.fill("#field-checkup", "in 2 weeks")
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.click("button[type=submit]")
    assert sent.value.status == 422
    assert sent.value.headers["content-type"].startswith("text/html")
    assert page.locator("#error-date").text_content() == (
        "Write the date as YYYY-MM-DD, e.g. 2026-12-03.")
    assert page.locator("#field-date").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-doctor").text_content() == (
        "At most 80 characters (got 10000).")
    assert page.locator("#field-doctor").input_value() == ""
    assert page.locator("#error-restart").text_content() == (
        "Looks like a date but is not one: write it as YYYY-MM-DD, e.g. 2026-12-05, "
        "or in words.")
    assert page.locator("#field-restart").get_attribute("aria-invalid") == "true"
    assert page.locator("#field-restart").input_value() == "2026-02-31"
    assert page.locator("#field-patient").input_value() == "Ana Ortega"
    assert page.locator("#field-checkup").input_value() == "in 2 weeks"
    assert not page.locator("#error-patient").count()
    assert not page.locator("#error-checkup").count()
    page.screenshot(path=str(shots / "handout-errors.png"), full_page=True)


# Safe on a network ------------------------------------------------------------------

FOREIGN_FORM = """<!doctype html><title>Win a prize</title>
<form method="post" action="{url}handout">
<input name="clinic" value="maple-hollow"><input name="language" value="es">
<input name="patient" value="Mallory"><button>Send</button></form>"""


def test_a_cross_site_post_without_the_token_is_refused(server: Server, page: Any) -> None:
    page.route("http://evil.example/**", lambda route: route.fulfill(
        body=FOREIGN_FORM.format(url=server.url), content_type="text/html"))
    page.goto("http://evil.example/")
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.click("button")
    assert sent.value.status == 403
    assert sent.value.headers["content-type"].startswith("text/plain")
    # The app's own page, but without the form's token (a script, a stale form): refused too.
    page.goto(server.url + "handout")
    status = page.evaluate("""() => fetch('/handout', {method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
        body: 'clinic=maple-hollow&language=es&patient=Mallory'}).then(r => r.status)""")
    assert status == 403


def _request(server: Server, host: str, path: str = "/") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_a_foreign_host_header_is_refused(server: Server) -> None:
    assert _request(server, f"evil.example:{server.port}").status == 421
    assert _request(server, "evil.example").status == 421
    assert _request(server, f"localhost:{server.port}").status == 200
    response = _request(server, f"127.0.0.1:{server.port}")
    assert response.status == 200
    assert response.getheader("x-content-type-options") == "nosniff"
    assert response.getheader("x-frame-options") == "DENY"
    assert response.getheader("cache-control") == "no-store"
    assert "default-src 'none'" in (response.getheader("content-security-policy") or "")
    assert response.getheader("server") is None


def test_a_too_large_form_is_refused(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("POST", "/handout", body=b"patient=" + b"x" * 200_000, headers={
        "Host": f"127.0.0.1:{server.port}",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert connection.getresponse().status == 413
    connection.close()


# The translator page -------------------------------------------------------------------

def test_the_translator_page_redraws_after_the_catalog_is_saved(server: Server, page: Any,
                                                                shots: Path) -> None:
    page.goto(server.url + "translate/es?clinic=maple-hollow&layout=handout")
    panel = page.locator(".panel")
    version = panel.get_attribute("data-version")
    image = page.locator(".page img").first
    before = page.request.get(server.url.rstrip("/") + image.get_attribute("src")).body()
    assert not page.locator(".todo li").count()
    catalog = server.project.locales_dir / "es" / "LC_MESSAGES" / "brochure.po"
    text = catalog.read_text(encoding="utf-8")
    edited = text.replace('msgctxt "ui.handout"\nmsgid "Name"\nmsgstr "Nombre"',
                          'msgctxt "ui.handout"\nmsgid "Name"\nmsgstr ""')
    assert edited != text
    catalog.write_text(edited, encoding="utf-8")
    page.wait_for_function(
        "v => document.querySelector('.panel').dataset.version !== v", arg=version,
        timeout=60_000)
    [entry] = page.locator(".todo li").all()
    assert entry.get_attribute("data-kind") == "untranslated"
    assert "locales/es/LC_MESSAGES/brochure.po:" in entry.text_content()
    assert "ui.handout" in entry.text_content() and "Name" in entry.text_content()
    assert "shown in English on these pages" in entry.text_content()
    after = page.request.get(
        server.url.rstrip("/") + page.locator(".page img").first.get_attribute("src")).body()
    assert after.startswith(b"\x89PNG") and after != before
    page.screenshot(path=str(shots / "translator-spanish.png"))


def test_the_translator_page_of_arabic(server: Server, page: Any, shots: Path) -> None:
    page.goto(server.url + "translate")
    page.click("text=العربية")
    assert urlsplit(page.url).path == "/translate/ar"
    assert page.locator("h1 [lang=ar]").get_attribute("dir") == "rtl"
    pages = page.locator(".page img")
    assert pages.count() >= 8
    assert page.evaluate("image => image.naturalWidth", pages.first.element_handle()) > 500
    page.screenshot(path=str(shots / "translator-arabic.png"))
