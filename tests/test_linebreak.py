"""brochure.linebreak: the fix to WeasyPrint's line breaking, and what it relies on.

If an upgrade of WeasyPrint changes the function this module wraps, or fixes
the defect upstream, these tests say so loudly.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import weasyprint
import weasyprint.text.line_break as wp_line_break

from brochure import linebreak

# Lines of a paragraph whose first text node ("alpha beta gamma ") fits the
# line only without its trailing space, and is followed by <strong>.
_LINES = r"""
import sys
from weasyprint import HTML
if sys.argv[1] == "fixed":
    from brochure import linebreak
    linebreak.install()
STYLE = "font: 20px DejaVu Sans; margin: 0"
def boxes(html):
    return HTML(string=html).render().pages[0]._page_box.descendants()
span = f'<span style="{STYLE}; white-space: nowrap">alpha beta gamma</span>'
width = next(box.width for box in boxes(span) if type(box).__name__ == "InlineBox")
for extra in (0.2, 1, 3):
    page = (f'<p style="{STYLE}; width: {width + extra}px">'
            'alpha beta gamma <strong>delta</strong> end</p>')
    for box in boxes(page):
        if type(box).__name__ == "LineBox":
            print(repr("".join(text.text for text in box.descendants() if hasattr(text, "text"))))
    print("--")
"""


def _lines(mode: str) -> list[list[str]]:
    result = subprocess.run([sys.executable, "-c", _LINES, mode], capture_output=True,
                            text=True, check=True)
    return [[eval(line) for line in group.split("\n") if line]  # noqa: S307 - repr() above
            for group in result.stdout.split("--\n") if group.strip()]


def test_written_for_the_pinned_weasyprint() -> None:
    assert weasyprint.__version__ == linebreak.WEASYPRINT_VERSION


def test_the_wrapped_function_keeps_its_signature() -> None:
    upstream = inspect.signature(linebreak._upstream_split_first_line)
    assert list(upstream.parameters) == [
        "text", "style", "context", "max_width", "justification_spacing",
        "is_line_start", "minimum"]
    assert list(inspect.signature(linebreak.split_first_line).parameters) == list(
        upstream.parameters)
    # The helpers the fix calls are still there.
    for name in ("create_layout", "line_size", "first_line_metrics"):
        assert callable(getattr(wp_line_break, name)), name


def test_upstream_still_leaves_one_word_alone() -> None:
    """The defect: when this fails, upstream fixed it and linebreak.py can go."""
    for lines in _lines("upstream"):
        assert lines[0] == "alpha"


def test_the_fix_keeps_the_text_on_its_line() -> None:
    for lines in _lines("fixed"):
        assert lines[0] == "alpha beta gamma"
        assert "".join(lines).replace(" ", "") == "alphabetagammadeltaend"


_RTL = r"""
import sys
from weasyprint import HTML
from brochure import fit, linebreak
linebreak.install()
STYLE = "font: 20px 'Noto Sans Arabic'; margin: 0; text-align: justify"
WORDS = "العمود الفقري القطني الجزء"
def render(html):
    return HTML(string=html).render()
span = f'<span style="{STYLE}; white-space: nowrap">{WORDS}</span>'
box = next(box for box in render(span).pages[0]._page_box.descendants()
           if type(box).__name__ == "InlineBox")
for extra in (0.2, 1, 3):
    page = (f'<p dir="rtl" style="{STYLE}; width: {box.width + extra}px">{WORDS} '
            '<strong>السفلي</strong> من ظهرك فيه خمس فقرات</p>')
    print(len(fit.too_wide(render(page))))
"""


def test_a_right_to_left_justified_line_stays_in_its_box() -> None:
    """The kept text ends its line without its space, so nothing shifts out of the box."""
    result = subprocess.run([sys.executable, "-c", _RTL], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["0", "0", "0"]
