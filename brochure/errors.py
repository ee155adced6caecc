"""The one exception hierarchy of the library.

Every error a user can cause (bad YAML, an unknown key, a missing logo, a
broken translation, a forbidden URL) is a :class:`BrochureError` carrying the
file and line where it was found. The CLI prints it as ``Error: FILE:LINE:
message``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file."""

    message: str
    file: Path | str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{_display_path(self.file)}:"
            if self.line is not None:
                where += f"{self.line}:"
            where += " "
        return f"{where}{self.message}"


def _display_path(path: Path | str) -> str:
    path = Path(path)
    # The path as the user named it first: resolving would follow a symbolic
    # link and name its target instead of the file the user knows.
    for candidate, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(Path.cwd()))),
                            (path.resolve(), Path.cwd().resolve())):
        try:
            return str(candidate.relative_to(base))
        except ValueError:
            continue
    return str(path)


class BrochureError(Exception):
    """A problem with the user's input; never a bug in the tool."""

    def __init__(
        self,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.problems = problems or [Problem(message, file, line)]
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def file(self) -> Path | str | None:
        return self.problems[0].file

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> BrochureError:
        """Gather every problem of one file into a single error (each one once)."""
        return _rebuild(cls, list(dict.fromkeys(problems)), {})

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel from worker processes back to the build: keep every
        # problem with its file and line (the default pickles only the text).
        state = {key: value for key, value in self.__dict__.items() if key != "problems"}
        return (_rebuild, (type(self), self.problems, state))

    def with_context(self, context: str) -> BrochureError:
        """Return the same error with ``context`` put before each message."""
        problems = [
            Problem(f"{context}: {problem.message}", problem.file, problem.line)
            for problem in self.problems
        ]
        return _rebuild(type(self), problems, {key: value for key, value in
                                               self.__dict__.items() if key != "problems"})


def _rebuild(cls: type[BrochureError], problems: list[Problem],
             state: dict[str, object]) -> BrochureError:
    """Make an error of ``cls`` from its problems, whatever its own constructor takes."""
    error = cls.__new__(cls)
    BrochureError.__init__(error, problems[0].message, problems=problems)
    error.__dict__.update(state)
    return error


class ContentError(BrochureError):
    """The content YAML is broken or does not follow the schema."""


class ClinicError(BrochureError):
    """A clinic profile is broken, incomplete or unsafe."""


class TranslationError(BrochureError):
    """A translation catalog is broken or a string cannot be used."""


class RenderError(BrochureError):
    """Rendering failed: a forbidden URL, a missing glyph, text that does not fit."""


class UsageError(BrochureError):
    """The command line asks for something that does not exist."""


class OutputError(BrochureError):
    """An output file cannot be written: a read-only or full disk, a file in the way."""
