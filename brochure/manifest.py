"""What the last build of each PDF was made from, so unchanged PDFs are skipped.

The manifest (``<out>/.brochure-manifest.json``) holds one entry per PDF:
digests of every file its job read (content, profile, templates, styles,
images), the fonts it used, the code that made it, and every translated text
it printed, by key, with a digest of their values. A job is skipped only when
all of these are unchanged and its PDFs are still the ones written; editing
one ``msgstr`` therefore rebuilds exactly the PDFs that print it. A missing,
corrupt or foreign manifest means "rebuild", never a crash or a wrong skip.
Filled handouts (a patient's details) are never recorded.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import fingerprint, fonts
from .i18n import Catalog
from .jobs import Job, Plan, Rendered
from .output import write_atomically

logger = logging.getLogger(__name__)

NAME = ".brochure-manifest.json"
_FORMAT = 1
_TOOL = "brochure"


def _texts_by_language(texts: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, list[tuple[str, str | None]]] = {}
    for language, context, msgid, value in texts:
        found.setdefault(language, []).append((fingerprint.text_key(context, msgid), value))
    return {language: {"keys": [key for key, _ in pairs],
                       "values": fingerprint.digest([value for _, value in pairs])}
            for language, pairs in found.items()}


class Manifest:
    """The entries of one output folder; see the module's docstring."""

    def __init__(self, out: Path, entries: dict[str, dict[str, Any]] | None = None) -> None:
        self.out = out
        self.entries = entries or {}
        self.changed = False
        self._values: dict[str, dict[str, str]] = {}

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """Read ``out``'s manifest; anything unreadable or foreign gives an empty one."""
        path = out / NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(out)
        except (OSError, ValueError) as exc:
            logger.info("ignoring the unreadable manifest %s (%s); rebuilding", path, exc)
            return cls(out)
        if (not isinstance(data, dict) or data.get("tool") != _TOOL
                or data.get("format") != _FORMAT or not isinstance(data.get("pdfs"), dict)):
            logger.info("ignoring the manifest %s: not one this version wrote", path)
            return cls(out)
        entries = {key: value for key, value in data["pdfs"].items()
                   if isinstance(key, str) and isinstance(value, dict)}
        return cls(out, entries)

    def save(self) -> None:
        if not self.changed:
            return
        data = {"tool": _TOOL, "format": _FORMAT,
                "pdfs": dict(sorted(self.entries.items()))}
        write_atomically(self.out / NAME,
                         (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())
        self.changed = False

    # -------------------------------------------------------------------------

    def entry(self, job: Job) -> dict[str, Any] | None:
        return self.entries.get(job.outputs()[0])

    def unchanged(self, job: Job, plan: Plan) -> dict[str, Any] | None:
        """The entry of ``job`` if its PDFs are current, else None."""
        if job.filled:
            return None
        entry = self.entry(job)
        try:
            return entry if entry is not None and self._current(job, plan, entry) else None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # an entry of the wrong shape: rebuild

    def _current(self, job: Job, plan: Plan, entry: dict[str, Any]) -> bool:
        if entry["options"] != fingerprint.digest(asdict(job.options)):
            return False
        if entry["code"] != fingerprint.code_digest():
            return False
        outputs = entry["outputs"]
        if sorted(outputs) != sorted(job.outputs()):
            return False
        for name, digest in outputs.items():
            if fingerprint.file_digest(self.out / name) != digest:
                return False  # missing, or edited by hand
        root = plan.project.root
        for name, digest in entry["reads"].items():
            if fingerprint.file_digest(root / name) != digest:
                return False
        stacks = plan.fonts.get(job, {})
        if entry["fonts"] != {code: [fonts.identity(family) for family in stack]
                              for code, stack in stacks.items()}:
            return False
        for language, texts in entry["texts"].items():
            catalog = plan.catalogs.get(language)
            if catalog is None:
                return False
            now = fingerprint.file_digest(catalog.path) if catalog.path else ""
            if now == texts["catalog"]:
                continue  # the same catalog file: the same texts
            values = self._catalog_values(language, catalog)
            current = [values.get(key) for key in texts["keys"]]
            if fingerprint.digest(current) != texts["values"]:
                return False
        return True

    def _catalog_values(self, language: str, catalog: Catalog) -> dict[str, str]:
        if language not in self._values:
            self._values[language] = {
                fingerprint.text_key(context, msgid): value
                for (context, msgid), value in catalog.messages.items()}
        return self._values[language]

    def record(self, rendered: Rendered, plan: Plan) -> None:
        """Remember what ``rendered``'s PDFs were made from (never a filled handout)."""
        job = rendered.job
        if job.filled:
            return
        root = plan.project.root
        texts = _texts_by_language(rendered.texts)
        for language, entry in texts.items():
            catalog = plan.catalogs.get(language)
            entry["catalog"] = (fingerprint.file_digest(catalog.path)
                                if catalog is not None and catalog.path else "")
        self.entries[job.outputs()[0]] = {
            "job": job.name,
            "options": fingerprint.digest(asdict(job.options)),
            "code": fingerprint.code_digest(),
            "outputs": {name: fingerprint.sha256(data) for name, data in rendered.files},
            "reads": {name: fingerprint.file_digest(root / name) for name in rendered.reads},
            "fonts": {code: [fonts.identity(family) for family in stack]
                      for code, stack in rendered.fonts},
            "texts": texts,
            "fallbacks": [list(key) for key in rendered.fallbacks],
            "pages": rendered.pages,
        }
        self.changed = True
