"""The allow-list of what reaches the public: a published document holds these fields and no others.

Everything else in `content/` (people, places, dates of birth, sign-off names, Panel questions,
confidential sections) never leaves it. The anonymisation pass maps every free-text field of a
`PublishedDocument` through its replacements; the Word and website stages read only these documents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.content.model import (
    ActionStatus,
    Brief,
    BriefStatus,
    IncidentOutcome,
    LearningBrief,
    PersonRole,
    PublicationScope,
    Review,
    ReviewStatus,
    ReviewType,
)
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.content.sections import sections_for

BRIEF_PANEL_TITLES: dict[str, str] = {
    "background": "Background",
    "why_it_matters": "Why it matters",
    "information": "What happened",
    "findings": "Key findings and learning",
    "what_should_change": "What should change",
    "reflection": "Questions for reflection",
    "resources": "Resources and contacts",
}

AGE_GROUPS: tuple[tuple[int, str], ...] = (
    (1, "Under 1"),
    (5, "1 to 4"),
    (10, "5 to 9"),
    (15, "10 to 14"),
    (18, "15 to 17"),
    (200, "18 and over"),
)


@dataclass(frozen=True)
class PublishedSection:
    """A titled block of Markdown: a review section or a briefing panel."""

    key: str
    title: str
    markdown: str


@dataclass(frozen=True)
class PublishedDocument:
    """Everything the public may see of one review or learning brief, and nothing else."""

    id: str
    kind: str  # "review" or "brief"
    type_label: str
    review_type: str | None
    title: str
    published: dt.date | None
    available_until: dt.date | None
    themes: tuple[str, ...]
    age_groups: tuple[str, ...]
    incident_outcome: str | None
    incident_nature: tuple[str, ...]
    period: str | None
    review_model: str | None
    summary: str
    learning_includes: tuple[str, ...]
    recommendations_include: tuple[str, ...]
    agencies: tuple[str, ...]
    sections: tuple[PublishedSection, ...]
    brief_panels: tuple[PublishedSection, ...]
    related: tuple[str, ...] = field(default=())

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None

    def text_fields(self) -> Iterator[tuple[str, str]]:
        """Yield `(field path, text)` for every free-text field, the ones anonymisation must read."""
        yield "title", self.title
        yield "summary", self.summary
        if self.review_model:
            yield "review_model", self.review_model
        for name in ("learning_includes", "recommendations_include", "agencies"):
            for index, text in enumerate(getattr(self, name)):
                yield f"{name}[{index}]", text
        for name in ("sections", "brief_panels"):
            for section in getattr(self, name):
                yield f"{name}.{section.key}", section.markdown

    def map_text(self, replace: Callable[[str, str], str]) -> PublishedDocument:
        """Return a copy with `replace(field path, text)` applied to every free-text field."""

        def tuple_of(name: str) -> tuple[str, ...]:
            return tuple(replace(f"{name}[{i}]", t) for i, t in enumerate(getattr(self, name)))

        def sections_of(name: str) -> tuple[PublishedSection, ...]:
            return tuple(
                PublishedSection(s.key, s.title, replace(f"{name}.{s.key}", s.markdown))
                for s in getattr(self, name)
            )

        return dataclasses.replace(
            self,
            title=replace("title", self.title),
            summary=replace("summary", self.summary),
            review_model=replace("review_model", self.review_model) if self.review_model else None,
            learning_includes=tuple_of("learning_includes"),
            recommendations_include=tuple_of("recommendations_include"),
            agencies=tuple_of("agencies"),
            sections=sections_of("sections"),
            brief_panels=sections_of("brief_panels"),
        )

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict (dates as ISO strings)."""

        def plain(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, tuple | list):
                return [plain(v) for v in value]
            if dataclasses.is_dataclass(value):
                return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return value

        return plain(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PublishedDocument:
        """Rebuild a document written by `to_json`."""
        values = dict(data)
        for name in ("published", "available_until"):
            values[name] = dt.date.fromisoformat(values[name]) if values.get(name) else None
        for name in (
            "themes",
            "age_groups",
            "incident_nature",
            "learning_includes",
            "recommendations_include",
            "agencies",
            "related",
        ):
            values[name] = tuple(values.get(name) or ())
        for name in ("sections", "brief_panels"):
            values[name] = tuple(PublishedSection(**s) for s in values.get(name) or ())
        return cls(**values)

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def age_group(date_of_birth: dt.date, on: dt.date) -> str:
    """Return the published age band of someone born on `date_of_birth`, as of `on`."""
    years = (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )
    return next(label for limit, label in AGE_GROUPS if years < limit)


def month_year(value: dt.date) -> str:
    return f"{value:%B %Y}"


def _panels(brief: LearningBrief | None) -> tuple[PublishedSection, ...]:
    if brief is None:
        return ()
    return tuple(PublishedSection(key, BRIEF_PANEL_TITLES[key], text) for key, text in brief)


ACTION_PROGRESS = "action_progress"


def _cell(text: str) -> str:
    """One line of text for a Markdown table cell: whitespace folded, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def action_progress(review: Review) -> PublishedSection | None:
    """Return the review's action plan and the progress recorded on it, as a published section.

    It is a section like the others, so the anonymisation pass reads it, the redaction report
    shows it and the leak gate scans it: an action's text never reaches the public unanonymised.
    Only what authors record is shown (the status as written, month and year), never "overdue"
    worked out from today: the published text changes when the plan does, not with the date, so
    a reviewer's approval does not go stale overnight.
    """
    if not review.actions:
        return None
    lines = [
        "The partnership's action plan, and the progress recorded on it.",
        "",
        "| No. | Action | Lead | Due | Progress |",
        "| --- | --- | --- | --- | --- |",
    ]
    for number, action in enumerate(review.actions, start=1):
        progress = action.status.label
        if action.status is ActionStatus.COMPLETE and action.completed:
            progress += f" ({month_year(action.completed)})"
        if action.evidence and action.evidence.strip():
            progress += f". Evidence of impact: {_cell(action.evidence)}"
        due = month_year(action.due) if action.due else "Not set"
        lines.append(
            f"| {number} | {_cell(action.action)} | {_cell(action.owner)} | {due} | {progress} |"
        )
    return PublishedSection(ACTION_PROGRESS, "Progress on the action plan", "\n".join(lines) + "\n")


def is_published(review: Review) -> bool:
    """Return True for a review the partnership has marked for publication."""
    return review.status is ReviewStatus.PUBLISHED


IMPROVEMENTS = frozenset({"learning", "recommendations"})
"""What an LCSPR publishes when the partners decide publishing the report is inappropriate."""


def review_document(entry: ReviewEntry, project: Project) -> PublishedDocument:
    """Return the allow-listed, not yet anonymised, public view of a review."""
    review = entry.review
    children = [p for p in review.people if p.role is PersonRole.CHILD]
    groups = sorted(
        {age_group(p.date_of_birth, review.dates.incident) for p in children if p.date_of_birth},
        key=[label for _, label in AGE_GROUPS].index,
    )
    period = None
    if review.period_covered:
        period = (
            f"{month_year(review.period_covered.start)} to {month_year(review.period_covered.end)}"
        )
    sections = tuple(
        PublishedSection(spec.key, spec.title, entry.section_text(spec.key))
        for spec in sections_for(review.type)
        if spec.published
        and entry.section_text(spec.key).strip()
        and (spec.key in IMPROVEMENTS or review.publication.scope is PublicationScope.FULL)
    )
    if project.partnership.publication.action_progress:
        progress = action_progress(review)
        sections += (progress,) if progress else ()
    catalogue = review.catalogue
    related = project.related(review)
    return PublishedDocument(
        id=review.id,
        kind="review",
        type_label="Rapid review"
        if review.type is ReviewType.RAPID_REVIEW
        else "Local child safeguarding practice review",
        review_type=review.type.value,
        title=review.title,
        published=review.dates.published,
        available_until=review.dates.available_until,
        themes=tuple(review.themes),
        age_groups=tuple(groups),
        incident_outcome="death"
        if review.incident.outcome is IncidentOutcome.DEATH
        else "serious harm",
        incident_nature=tuple(n.value for n in review.incident.nature),
        period=period,
        review_model=review.review_model or (catalogue.review_model if catalogue else None),
        summary=catalogue.summary if catalogue else "",
        learning_includes=tuple(catalogue.learning_includes) if catalogue else (),
        recommendations_include=tuple(catalogue.recommendations_include) if catalogue else (),
        agencies=tuple(a.name for a in review.agencies),
        sections=sections,
        brief_panels=_panels(review.learning_brief),
        related=(related.id,) if related is not None and is_published(related) else (),
    )


def brief_document(entry: BriefEntry) -> PublishedDocument:
    """Return the allow-listed, not yet anonymised, public view of a stand-alone learning brief."""
    brief: Brief = entry.brief
    return PublishedDocument(
        id=brief.id,
        kind="brief",
        type_label="Learning brief",
        review_type=None,
        title=brief.title,
        published=brief.published,
        available_until=brief.available_until,
        themes=tuple(brief.themes),
        age_groups=(),
        incident_outcome=None,
        incident_nature=(),
        period=None,
        review_model=None,
        summary=brief.panels.background,
        learning_includes=(),
        recommendations_include=(),
        agencies=(),
        sections=(),
        brief_panels=_panels(brief.panels),
        related=tuple(brief.reviews),
    )


def publishable(project: Project) -> list[tuple[ReviewEntry | BriefEntry, PublishedDocument]]:
    """Return every review and brief marked for publication, with its public view."""
    out: list[tuple[ReviewEntry | BriefEntry, PublishedDocument]] = []
    for entry in project.reviews:
        if is_published(entry.review):
            out.append((entry, review_document(entry, project)))
    for brief in project.briefs:
        if brief.brief.status is BriefStatus.PUBLISHED:
            out.append((brief, brief_document(brief)))
    return out
