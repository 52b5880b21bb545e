"""Load everything in `content/`, validate it, and report every problem at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.calendar.workdays import WorkingCalendar
from pipeline.content.completeness import brief_completeness, review_completeness
from pipeline.content.model import Brief, Partnership, Review, ReviewType
from pipeline.content.rules import check_brief, check_review, did_you_mean
from pipeline.content.sections import (
    SECTIONS_BY_FILENAME,
    SectionSpec,
    id_example,
    sections_for,
    without_own_title,
)
from pipeline.content.yamlfile import (
    Loc,
    Source,
    format_loc,
    load_yaml,
    read_text,
    remembered_parses,
)
from pipeline.errors import ContentError, Problem, display_path
from pipeline.markdown import lint, strip_comments

M = TypeVar("M", bound=BaseModel)

REVIEW_FILE = "review.yaml"
BRIEF_FILE = "brief.yaml"
PARTNERSHIP_FILE = "partnership.yaml"


@dataclass(frozen=True)
class Section:
    """One narrative section of a review, as written."""

    spec: SectionSpec
    path: Path
    display: str
    text: str

    @property
    def key(self) -> str:
        return self.spec.key


@dataclass
class ReviewEntry:
    """A validated review, where it came from, and its narrative."""

    review: Review
    folder: Path
    source: Source
    sections: dict[str, Section]

    @property
    def id(self) -> str:
        return self.review.id

    def section_text(self, key: str) -> str:
        section = self.sections.get(key)
        return section.text if section else ""

    def fingerprint(self) -> str:
        """Return a hash of everything the author wrote for this review (YAML and sections)."""
        digest = hashlib.sha256()
        for path in sorted([self.source.path, *(s.path for s in self.sections.values())]):
            digest.update(path.name.encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
        return digest.hexdigest()


@dataclass
class BriefEntry:
    """A validated stand-alone learning brief and where it came from."""

    brief: Brief
    folder: Path
    source: Source

    @property
    def id(self) -> str:
        return self.brief.id


@dataclass
class Project:
    """The whole of `content/`, validated."""

    content_dir: Path
    partnership: Partnership
    partnership_source: Source
    reviews: list[ReviewEntry]
    briefs: list[BriefEntry]
    today: dt.date
    warnings: list[Problem] = field(default_factory=list)

    @property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.partnership.working_days.extra_closure_days)

    def review(self, review_id: str) -> ReviewEntry:
        """Return the review with this id, or raise a ContentError that suggests the nearest."""
        for entry in self.reviews:
            if entry.id == review_id:
                return entry
        ids = [e.id for e in self.reviews]
        raise ContentError(
            f"no review has the id {review_id!r}{did_you_mean(review_id, ids)}",
            path=self.content_dir / "reviews",
        )

    def brief(self, brief_id: str) -> BriefEntry:
        for entry in self.briefs:
            if entry.id == brief_id:
                return entry
        ids = [e.id for e in self.briefs]
        raise ContentError(
            f"no brief has the id {brief_id!r}{did_you_mean(brief_id, ids)}",
            path=self.content_dir / "briefs",
        )

    def related(self, review: Review) -> Review | None:
        """Return the other half of a case: an LCSPR's rapid review, or a rapid review's LCSPR."""
        if review.type is ReviewType.LCSPR:
            return next((e.review for e in self.reviews if e.id == review.rapid_review), None)
        return next((e.review for e in self.reviews if e.review.rapid_review == review.id), None)


def load_project(
    content_dir: Path, today: dt.date | None = None, parse_cache: Path | None = None
) -> Project:
    """Load and validate `content_dir`; raise ContentError listing every problem found.

    With `parse_cache` (a file under build/cache/), YAML files parsed before are not parsed again;
    everything is still validated.
    """
    if parse_cache is None:
        return _load_project(content_dir, today)
    with remembered_parses(parse_cache):
        return _load_project(content_dir, today)


def _load_project(content_dir: Path, today: dt.date | None) -> Project:
    today = today or dt.date.today()
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if not content_dir.is_dir():
        raise ContentError(
            f"no content folder here; run bscp from the project folder or pass --content (looked for {display_path(content_dir)})",
            path=content_dir,
        )

    partnership, partnership_source = _load_model(
        content_dir / PARTNERSHIP_FILE, content_dir, Partnership, problems
    )
    if partnership is None or partnership_source is None:
        raise ContentError(problems)
    try:
        id_pattern = re.compile(partnership.review_id_pattern)
        brief_pattern = re.compile(partnership.brief_id_pattern)
    except re.error as exc:
        raise ContentError(
            [
                partnership_source.problem(
                    ("review_id_pattern",), f"is not a valid regular expression: {exc}"
                )
            ]
        ) from None

    reviews: list[ReviewEntry] = []
    for folder in _folders(content_dir / "reviews", content_dir, problems):
        entry = _load_review(
            folder, content_dir, id_pattern, problems, partnership.abbreviation, today
        )
        if entry is not None:
            reviews.append(entry)
    briefs: list[BriefEntry] = []
    for folder in _folders(content_dir / "briefs", content_dir, problems):
        review, source = _load_model(folder / BRIEF_FILE, content_dir, Brief, problems)
        if review is None or source is None:
            continue
        _check_id(
            review.id,
            folder,
            source,
            brief_pattern,
            problems,
            "brief",
            partnership.abbreviation,
            today,
        )
        briefs.append(BriefEntry(review, folder, source))

    seen: dict[str, Source] = {}
    for entry in [*reviews, *briefs]:
        if entry.id in seen:
            problems.append(
                entry.source.problem(
                    ("id",),
                    f"{entry.id!r} is already the id of {seen[entry.id].display}; ids must be unique",
                )
            )
        seen[entry.id] = entry.source

    project = Project(content_dir, partnership, partnership_source, reviews, briefs, today)
    calendar = project.calendar
    review_ids = {e.id for e in reviews}
    for entry in reviews:
        found = check_review(
            entry.review,
            entry.source,
            {key: s.text for key, s in entry.sections.items()},
            partnership,
            calendar,
            today,
            project.related(entry.review),
        )
        problems.extend(p for p in found.errors if not _touches(p.field, entry.source.dropped))
        project.warnings.extend(found.warnings)
        problems.extend(
            review_completeness(
                entry.review,
                entry.source,
                entry.folder,
                {key: (s.display, s.text) for key, s in entry.sections.items()},
            )
        )
    for entry in briefs:
        found = check_brief(entry.brief, entry.source, partnership, review_ids, today)
        problems.extend(found.errors)
        problems.extend(brief_completeness(entry.brief, entry.source))
        project.warnings.extend(found.warnings)
        for key, text in entry.brief.panels:
            problems.extend(_lint_field(text, entry.source, ("panels", key)))
    if problems:
        raise ContentError(
            sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message))
        )
    return project


def _touches(field_name: str, dropped: set[str]) -> bool:
    """Return True when a rule's complaint is about a value already reported as invalid."""
    return any(field_name == d or field_name.startswith((d + ".", d + "[")) for d in dropped)


def _folders(parent: Path, content_dir: Path, problems: list[Problem]) -> list[Path]:
    if not parent.is_dir():
        return []
    folders = []
    for child in sorted(parent.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_symlink():
            problems.append(
                Problem(
                    display_path(child, content_dir.parent),
                    None,
                    "",
                    "is a symbolic link; review and brief folders must be real folders inside content/",
                )
            )
        elif child.is_dir():
            folders.append(child)
        else:
            problems.append(
                Problem(
                    display_path(child, content_dir.parent),
                    None,
                    "",
                    f"is a file; {parent.name}/ holds one folder per {parent.name[:-1]}",
                )
            )
    return folders


def _check_id(
    entry_id: str,
    folder: Path,
    source: Source,
    pattern: re.Pattern[str],
    problems: list[Problem],
    kind: str,
    abbreviation: str,
    today: dt.date,
) -> None:
    if not pattern.fullmatch(entry_id):
        siblings = [f.name for f in folder.parent.iterdir()]
        example = id_example(pattern.pattern, abbreviation, kind, siblings, today)
        problems.append(
            source.problem(
                ("id",),
                f"{entry_id!r} is not a {kind} id of the partnership's form: write one like {example}, and name the folder the same (the form is {kind}_id_pattern in partnership.yaml)",
            )
        )
    elif entry_id != folder.name:
        problems.append(
            source.problem(
                ("id",),
                f"{entry_id!r} differs from its folder name {folder.name!r}; rename one so they match",
            )
        )


def _load_review(
    folder: Path,
    content_dir: Path,
    pattern: re.Pattern[str],
    problems: list[Problem],
    abbreviation: str,
    today: dt.date,
) -> ReviewEntry | None:
    review, source = _load_model(folder / REVIEW_FILE, content_dir, Review, problems)
    if review is None or source is None:
        return None
    _check_id(review.id, folder, source, pattern, problems, "review", abbreviation, today)
    allowed = {spec.filename: spec for spec in sections_for(review.type)}
    sections: dict[str, Section] = {}
    for path in sorted(folder.iterdir()):
        if path.name == REVIEW_FILE or path.name.startswith("."):
            continue
        shown = display_path(path, content_dir.parent)
        if path.suffix.lower() in (".yaml", ".yml") or path.suffix.lower() == ".md":
            if path.name not in allowed:
                hint = did_you_mean(path.name, allowed)
                if path.name in SECTIONS_BY_FILENAME:
                    hint = f"; a {review.type.value} has no such section"
                problems.append(
                    Problem(
                        shown,
                        None,
                        "",
                        f"is not a section file of a review{hint}. Sections: {', '.join(allowed)}",
                    )
                )
                continue
            text, read_problems = read_text(path, content_dir, shown)
            problems.extend(read_problems)
            if text is None:
                continue
            spec = allowed[path.name]
            text = without_own_title(strip_comments(text), spec.title)
            problems.extend(lint(text, shown, spec.key))
            sections[spec.key] = Section(spec, path, shown, text)
    if review.catalogue is not None:  # published, and rendered as Markdown on the site and in Word
        problems.extend(_lint_field(review.catalogue.summary, source, ("catalogue", "summary")))
    for key, text in review.learning_brief or ():
        problems.extend(_lint_field(text, source, ("learning_brief", key)))
    for index, question in enumerate(review.panel_questions):
        if question.answer:
            problems.extend(
                _lint_field(question.answer, source, ("panel_questions", index, "answer"))
            )
    for index, action in enumerate(review.actions):  # published when progress is, and in Word
        for name in ("action", "evidence"):
            if getattr(action, name):
                problems.extend(
                    _lint_field(getattr(action, name), source, ("actions", index, name))
                )
    return ReviewEntry(review, folder, source, sections)


def _lint_field(text: str, source: Source, loc: Loc) -> list[Problem]:
    base = source.line_of(loc) or 1
    return [
        Problem(p.path, base + (p.line or 1) - 1, format_loc(loc), p.message)
        for p in lint(text, source.display)
    ]


def _load_model(
    path: Path, content_dir: Path, model: type[M], problems: list[Problem]
) -> tuple[M | None, Source | None]:
    if not path.exists():
        problems.append(
            Problem(
                display_path(path, content_dir.parent),
                None,
                "",
                f"is missing; every folder needs a {path.name} (bscp new creates one)",
            )
        )
        return None, None
    data, source, found = load_yaml(path, content_dir)
    problems.extend(found)
    if source is None or found:
        return None, source
    if not isinstance(data, dict):
        problems.append(
            Problem(
                source.display,
                1,
                "",
                f"must be a mapping of keys to values, not {type(data).__name__}",
            )
        )
        return None, source
    try:
        return model.model_validate(data), source
    except ValidationError as exc:
        problems.extend(_explain(exc, source, model))
        # Drop what is wrong and try again, so the process rules can still run and every problem is
        # reported in one pass. The load still fails: `problems` is not empty.
        return _validate_without_errors(data, exc, model, source), source


def _validate_without_errors(
    data: dict[str, Any], exc: ValidationError, model: type[M], source: Source
) -> M | None:
    for _ in range(8):
        locs, filled = [], False
        for err in exc.errors():
            loc = tuple(err["loc"])
            if err["type"] != "missing":
                locs.append(loc)
            elif _fill_placeholder(data, loc, model):
                source.dropped.add(format_loc(loc))
                filled = True
            else:
                # A missing date or block cannot be made up: drop the block that lacks it.
                locs.append(loc[:-1])
        if any(not loc for loc in locs):
            return None
        # Deepest and last first, so removing a list item does not shift the ones still to remove.
        removed = [
            loc
            for loc in sorted(
                set(locs), key=lambda found: [str(p).zfill(6) for p in found], reverse=True
            )
            if _drop(data, loc)
        ]
        if not removed and not filled:
            return None
        source.dropped.update(format_loc(loc) for loc in removed)
        try:
            return model.model_validate(data)
        except ValidationError as again:
            exc = again
    return None


def _fill_placeholder(data: Any, loc: Loc, model: type[BaseModel]) -> bool:
    """Put a stand-in value where a required text, choice or list is missing; return True if done.

    The stand-in only lets the process rules run; the field is already reported and rules about it
    are suppressed.
    """
    *path, last = loc
    owner = _model_at(model, tuple(path))
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    if owner is None or not isinstance(node, dict) or str(last) not in owner.model_fields:
        return False
    annotation = owner.model_fields[str(last)].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            node[last] = next(iter(candidate)).value
            return True
        if candidate is str:
            node[last] = "(missing)"
            return True
        if typing.get_origin(candidate) is list:
            node[last] = []
            return True
    return False


def _drop(data: Any, loc: Loc) -> bool:
    """Remove the value at `loc` (a key, or a list item) from `data`; return True if removed."""
    *path, last = loc
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node.pop(last)
        return True
    return False


def _explain(exc: ValidationError, source: Source, model: type[BaseModel]) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc[:-1])
            message = f"unknown key{did_you_mean(str(loc[-1]), allowed)}"
            if allowed and "did you mean" not in message:
                message += f"; allowed here: {', '.join(sorted(allowed))}"
        elif kind == "missing":
            message = "is required but missing"
        elif kind in (
            "date_from_datetime_parsing",
            "date_parsing",
            "date_type",
            "date_from_datetime_inexact",
        ):
            message = (
                "is empty; write the date as YYYY-MM-DD, e.g. 2024-12-20"
                if err.get("input") is None
                else f"{_shown(err.get('input'))} is not a date; write dates as YYYY-MM-DD, e.g. 2024-12-20"
            )
        elif kind == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{_shown(err.get('input'))} is not allowed; choose one of {expected}"
            options = re.findall(r"'([^']+)'", expected)
            message += did_you_mean(str(err.get("input")), options)
        elif kind == "string_pattern_mismatch":
            message = f"{_shown(err.get('input'))} does not have the expected form ({err.get('ctx', {}).get('pattern')})"
        elif kind in ("list_type",):
            message = f"must be a list (one '- item' per line), not {_shown(err.get('input'))}"
        elif kind in ("model_type", "dict_type"):
            message = f"must be a block of keys and values, not {_shown(err.get('input'))}"
        elif kind == "too_short":
            message = "must have at least one entry"
        elif kind in ("string_type",):
            message = f"must be text, not {_shown(err.get('input'))}; put quotes around it"
        else:
            message = err["msg"][0].lower() + err["msg"][1:]
        out.append(source.problem(loc, message))
    return out


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """Return the model class that describes the block at `loc`, or None when it is not a block."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        current = _model_in(current)
        if current is None or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
    return _model_in(current)


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """Return the keys allowed at `loc` inside `model`, or an empty set when it is not a model."""
    found = _model_at(model, loc)
    return set(found.model_fields) if found is not None else set()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
