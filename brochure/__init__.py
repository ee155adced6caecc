"""brochure: clinic-branded, print-ready patient brochures in every language.

The public API is what this module exports; everything else may change.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildResult, build  # noqa: E402
from .clinic import Clinic, load_clinic  # noqa: E402
from .content import Document, load_document  # noqa: E402
from .errors import (  # noqa: E402
    BrochureError,
    ClinicError,
    ContentError,
    OutputError,
    RenderError,
    TranslationError,
    UsageError,
)
from .i18n import Catalog, load_catalog  # noqa: E402
from .project import LAYOUTS, BuildOptions, Project  # noqa: E402

__all__ = [
    "LAYOUTS", "BrochureError", "BuildOptions", "BuildResult", "Catalog", "Clinic",
    "ClinicError", "ContentError", "Document", "OutputError", "Project", "RenderError",
    "TranslationError", "UsageError", "__version__", "build", "load_catalog", "load_clinic",
    "load_document",
]
