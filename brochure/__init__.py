"""brochure: clinic-branded, print-ready patient brochures in every language.

The public API is what this module exports; everything else may change.
Importing it does not import WeasyPrint: rendering does, when it first runs.
"""

from __future__ import annotations

__version__ = "0.2.0"

from .build import BuildFailed, BuildResult, Progress, build  # noqa: E402
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
from .handout import FieldError, check_fields  # noqa: E402
from .i18n import Catalog, load_catalog  # noqa: E402
from .jobs import Job, Plan, Rendered, check_project, plan, render_job  # noqa: E402
from .layouts import LAYOUTS, Layout  # noqa: E402
from .options import BuildOptions, RenderOptions  # noqa: E402
from .project import Project  # noqa: E402

__all__ = [
    "LAYOUTS", "BrochureError", "BuildFailed", "BuildOptions", "BuildResult", "Catalog",
    "Clinic", "ClinicError", "ContentError", "Document", "FieldError", "Job", "Layout",
    "OutputError", "Plan", "Progress", "Project", "RenderError", "RenderOptions", "Rendered",
    "TranslationError",
    "UsageError", "__version__", "build", "check_fields", "check_project", "load_catalog",
    "load_clinic", "load_document", "plan", "render_job",
]
