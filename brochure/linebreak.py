"""A fix to WeasyPrint 70's line breaking: text that fits once its trailing space hangs.

Upstream ``split_first_line`` (weasyprint/text/line_break.py) measures a
line with its trailing space. A text node that ends with a space (because
``<strong>`` or ``<em>`` follows it) and fits the line only without that
space is laid out by Pango on one line, as it should be; WeasyPrint then
finds it wider than the line, takes the path for a first word that cannot
fit ("Step #3 ... try to hyphenate the first word") and keeps only the
first word on the line. So a word stood alone on a line inside a paragraph:
"…нужно" / "ли" / "прервать…", "…a band of" / "tough" / "tissue in the
canal…" (issue 9).

:func:`install` wraps the function once for the process: where upstream
broke a text that Pango had kept whole, and the text fits without its
trailing spaces (which collapse at the end of a line), the whole text
stays on the line. Everything else is upstream's result, unchanged.
``tests/test_linebreak.py`` fails when an upgrade changes what this relies on.
"""

from __future__ import annotations

import threading
from typing import Any

import weasyprint
import weasyprint.layout.inline as wp_inline
import weasyprint.layout.preferred as wp_preferred
import weasyprint.text.line_break as wp_line_break

#: The WeasyPrint release whose line breaking this module was written against.
WEASYPRINT_VERSION = "70.0"

# Upstream: split_first_line(text, style, context, max_width, justification_spacing,
# is_line_start=True, minimum=False) -> (layout, length, resume_index, width, height,
# baseline); imported by name into weasyprint.layout.inline and .preferred.
_upstream_split_first_line = wp_line_break.split_first_line


def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                     justification_spacing: float, is_line_start: bool = True,
                     minimum: bool = False) -> Any:
    """Upstream ``split_first_line``, keeping a text whole that fits but for its trailing space."""
    result = _upstream_split_first_line(text, style, context, max_width,
                                        justification_spacing, is_line_start, minimum)
    resume_index = result[2]
    if (resume_index is None or max_width is None or not text.endswith(" ")
            or style["white_space"] not in ("normal", "pre-line")):
        return result
    layout = wp_line_break.create_layout(text, style, context, max_width,
                                         justification_spacing)
    first_line, index = layout.get_first_line()
    if index is None:
        # Pango kept the text on one line: measure it without its trailing spaces.
        bare = wp_line_break.create_layout(text.rstrip(" "), style, context, None,
                                           justification_spacing)
        bare_line, _ = bare.get_first_line()
        bare_width, _ = wp_line_break.line_size(bare_line, style)
        bare.deactivate()
        if bare_width <= max_width:
            # The line ends after this text: whatever follows starts past the
            # trailing space, past the line's end. Resuming at the text's end
            # strips that space here (first_line_metrics), as upstream does
            # for a line it breaks; left for later, in a right-to-left
            # justified line its removal would shift the line out of its box.
            return wp_line_break.first_line_metrics(first_line, text, layout,
                                                    len(text.encode()), True, style)
    layout.deactivate()
    return result


_installed = False
_lock = threading.Lock()


def install() -> None:
    """Put :func:`split_first_line` in WeasyPrint's place (once per process)."""
    global _installed
    with _lock:
        if _installed:
            return
        if weasyprint.__version__ != WEASYPRINT_VERSION:
            raise RuntimeError(
                f"brochure.linebreak was written for WeasyPrint {WEASYPRINT_VERSION}, not "
                f"{weasyprint.__version__}: check whether upstream still breaks a text "
                "that fits but for its trailing space, then update WEASYPRINT_VERSION")
        wp_line_break.split_first_line = split_first_line
        wp_inline.split_first_line = split_first_line
        wp_preferred.split_first_line = split_first_line
        _installed = True
