"""The one error root: every problem a person sees names the file, the line and the field."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, and where: `path:line: field: message`."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        # A problem of the machine (no file to name) is just its message, not ": message".
        return ": ".join(part for part in (where, self.field, self.message) if part)


def display_path(path: Path | str, root: Path | None = None) -> str:
    """Return `path` relative to `root` (or the working directory) when it lies inside it."""
    absolute = os.path.abspath(path)
    # As written first (a symbolic link is named where it is, and one that loops still has a
    # name), the common case in plain string work; then resolved (reached through a linked folder).
    if root is not None:
        inside = _inside(absolute, os.path.abspath(root))
        if inside is not None:
            return inside
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        inside = _inside(absolute, os.path.abspath(base))
        if inside is not None:
            return inside
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, RuntimeError, OSError):
            continue
    return path.as_posix()


def _inside(path: str, base: str) -> str | None:
    """Return absolute `path` relative to absolute `base` (posix), or None if it is not inside."""
    if path == base:
        return "."
    prefix = os.path.join(base, "")
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


class PipelineError(Exception):
    """Root of every error the pipeline reports to a person; carries one or more problems."""

    def __init__(
        self,
        problems: Iterable[Problem] | str,
        *,
        path: Path | str = "",
        line: int | None = None,
        field: str = "",
    ) -> None:
        if isinstance(problems, str):
            problems = [Problem(display_path(path) if path else "", line, field, problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.report())

    def __reduce__(self) -> tuple:
        # Keep every problem when an error crosses from a worker process to the parent.
        return (self.__class__, (list(self.problems),))

    def report(self) -> str:
        """Return every problem, one per line."""
        return "\n".join(str(p) for p in self.problems)


class ContentError(PipelineError):
    """The content in `content/` is not valid; every problem found is listed."""


class TemplateError(PipelineError):
    """A Word template is broken or asks for something the content model does not have."""


class ConversionError(PipelineError):
    """A document could not be converted (for example LibreOffice is missing)."""


class ConverterMissing(ConversionError):
    """LibreOffice is not installed: no PDF can be made (a build may go on with Word files only)."""


class AnonymisationError(PipelineError):
    """The anonymisation pass could not run (for example the spaCy model is missing)."""


class LeakError(PipelineError):
    """A known identifier survived into an output: the review is refused."""


class ApprovalError(PipelineError):
    """A review has no current approval of its redaction report."""


class PublishError(PipelineError):
    """The website could not be built; the last good site is untouched."""
