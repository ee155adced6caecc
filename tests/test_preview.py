"""The translator's preview: pages as images, the to-do report, redraw on save."""

from __future__ import annotations

import io
import queue
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from brochure import Project, UsageError
from brochure import catalogs as catalog_tools
from brochure.cli import main
from brochure.i18n import po_path
from brochure.preview import Preview, PreviewRequest, make_preview, report, watch, write_pages

from .synthetic import edit_catalog, set_translation


def _spoil(project: Project) -> None:
    """One broken (markup lost), one fuzzy and one untranslated Spanish text."""
    def change(message: object) -> str | None:
        context = message.context
        if context == "overview.short":
            return "[es] A short paragraph about the demo."
        if context == "overview.booklet-only":
            return ""
        if context == "faqs.hurt.question":
            message.flags.add("fuzzy")
        return None

    edit_catalog(project, "es", change)


def _line_of(path: Path, msgid: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


def test_the_report_names_file_line_context_and_english(small: Project) -> None:
    _spoil(small)
    found = report(small, "es")
    path = po_path(small.locales_dir, "es")
    assert [(entry.kind, entry.context, entry.english) for entry in found.entries] == [
        ("broken", "overview.short", "A **short** paragraph about the demo."),
        ("fuzzy", "faqs.hurt.question", "Will it hurt?"),
        ("untranslated", "overview.booklet-only", "A paragraph only the booklet shows."),
    ]
    for entry in found.entries:
        assert entry.file == path
        assert entry.line == _line_of(path, entry.english)
    assert "markup differs" in found.entries[0].reason
    assert "msgctxt" not in found.entries[0].reason  # the entry shows its context already
    assert found.translated == found.total - 3
    assert str(found.entries[1]) == (f"locales/es/LC_MESSAGES/brochure.po:"
                                     f"{found.entries[1].line}: fuzzy: faqs.hurt.question: "
                                     "'Will it hurt?'")


def test_a_text_missing_from_the_catalog_points_at_the_template(small: Project) -> None:
    content = small.content_dir / "demo.yaml"
    content.write_text(content.read_text().replace(
        '        paragraph: "A paragraph only the booklet shows."',
        '        paragraph: "A paragraph only the booklet shows."\n'
        '      - id: brand-new\n        paragraph: "A brand new paragraph."'))
    catalog_tools.extract(small)
    [missing] = [entry for entry in report(small, "es").entries if entry.kind == "missing"]
    assert (missing.context, missing.english) == ("overview.brand-new", "A brand new paragraph.")
    assert missing.file == small.pot_path and missing.line == _line_of(
        small.pot_path, "A brand new paragraph.")


def test_a_preview_is_pages_as_pngs_and_writes_nothing(small: Project, tmp_path: Path) -> None:
    _spoil(small)
    before = sorted(small.root.rglob("*"))
    preview = make_preview(PreviewRequest(str(small.root), "es", layouts=("booklet", "handout"),
                                          dpi=50))
    assert sorted(small.root.rglob("*")) == before
    assert preview.clinic_id == "demo" and preview.direction == "ltr"
    assert [(part.layout, len(part.pages)) for part in preview.layouts] == [
        ("booklet", 4), ("handout", 1)]
    first = preview.pages[0]
    picture = Image.open(io.BytesIO(first.png or b""))
    assert picture.size == (first.width, first.height)
    width, height = picture.size  # A4 at 50 dpi: 210 x 297 mm
    assert abs(width - 210 / 25.4 * 50) <= 1 and abs(height - 297 / 25.4 * 50) <= 1
    # What the pages print in English is what the report calls broken, fuzzy or empty.
    assert {key for key in preview.fallbacks} == {
        (entry.context, entry.english) for entry in preview.report.entries}
    paths = write_pages(preview, tmp_path / "pages")
    assert [path.name for path in paths] == [
        "booklet-01.png", "booklet-02.png", "booklet-03.png", "booklet-04.png",
        "handout-01.png"]


def test_a_mostly_untranslated_language_still_previews(small: Project) -> None:
    catalog_tools.init(small, "fr")  # no translation at all, not offered by the clinic
    preview = make_preview(PreviewRequest(str(small.root), "fr", "demo", ("trifold",), 40))
    assert preview.errors == [] and len(preview.pages) == 2
    assert preview.report.translated == 0
    assert preview.report.count("untranslated") == preview.report.total
    assert len(preview.fallbacks) > 10


def test_only_changed_pages_are_drawn_again(small: Project, tmp_path: Path) -> None:
    request = PreviewRequest(str(small.root), "es", layouts=("booklet",), dpi=40)
    first = make_preview(request)
    folder = tmp_path / "pages"
    write_pages(first, folder)
    times = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    set_translation(small, "es", "faqs.hurt.answer", "[es] Un poco, durante uno o dos días.")
    second = make_preview(request, first.digests())
    redrawn = [page.name for page in second.pages if page.png is not None]
    assert redrawn and len(redrawn) < len(second.pages)
    write_pages(second, folder)
    for path in folder.iterdir():
        assert (path.stat().st_mtime_ns == times[path.name]) == (path.name not in redrawn)
    filled = second.filled_from(first)
    assert all(page.png for page in filled.pages)


def test_a_broken_catalog_is_reported_not_raised(small: Project) -> None:
    po_path(small.locales_dir, "es").write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    preview = make_preview(PreviewRequest(str(small.root), "es", layouts=("handout",), dpi=40))
    assert preview.pages == []
    [error] = preview.errors
    assert error.startswith("locales/es/LC_MESSAGES/brochure.po:2: while building demo/es:")
    assert [str(problem) for problem in preview.report.problems] == [error.replace(
        "while building demo/es: ", "")]


def test_a_bad_request_is_one_usage_error(small: Project) -> None:
    with pytest.raises(UsageError, match="unknown layout 'poster'"):
        PreviewRequest(str(small.root), "es", layouts=("poster",))
    with pytest.raises(UsageError, match="unknown clinic 'nowhere'"):
        make_preview(PreviewRequest(str(small.root), "es", "nowhere"))


def test_the_command_prints_the_report_and_where_the_pages_are(small: Project,
                                                              tmp_path: Path) -> None:
    _spoil(small)
    out = tmp_path / "pages"
    result = CliRunner().invoke(main, ["preview", "es", "--layout", "handout", "--dpi", "40",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"[es] Name of this language (es) for demo: handout 1 page "
                               f"in {out} (1 of 1 redrawn, ")
    assert lines[1] == (f"locales/es/LC_MESSAGES/brochure.po: {report(small, 'es').total - 3} "
                        f"of {report(small, 'es').total} texts translated; 1 broken, 1 fuzzy, "
                        "1 untranslated")
    assert lines[2].startswith("  locales/es/LC_MESSAGES/brochure.po:")
    assert sorted(path.name for path in out.iterdir()) == ["handout-01.png"]
    bad = CliRunner().invoke(main, ["preview", "es", "--layout", "poster"])
    assert bad.exit_code == 1
    assert bad.output == ("Error: unknown layout 'poster' (known: booklet, large-print, "
                          "trifold, handout)\n")


def test_watch_draws_again_when_the_catalog_is_saved(small: Project) -> None:
    request = PreviewRequest(str(small.root), "es", layouts=("trifold",), dpi=40)
    previews: queue.Queue[Preview] = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(request, previews.put, stop), daemon=True)
    watcher.start()
    try:
        first = previews.get(timeout=120)
        assert first.report.count("fuzzy") == 0
        # An unrelated file in the folder (Poedit writes a .mo) draws nothing.
        (po_path(small.locales_dir, "es").parent / "brochure.mo").write_bytes(b"")
        time.sleep(1.5)
        assert previews.empty()
        _spoil(small)
        second = previews.get(timeout=120)
        assert second.report.count("fuzzy") == 1
        assert any(page.png is not None for page in second.pages)
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()
