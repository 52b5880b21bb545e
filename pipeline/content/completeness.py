"""Is a review finished enough for its status? Placeholders past `draft`, empty sections at `submitted`.

`bscp new` writes placeholders (`REPLACE-WITH-SIN-REFERENCE`, `Replace With Full Name`) and empty
section files for the author to fill in. A draft may hold them; a review the partners are reviewing, or
one sent to the Panel or published, may not: the Panel would read "Replace with ..." or "Not recorded".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from pipeline.content.model import (
    Brief,
    BriefStatus,
    DecisionOutcome,
    Review,
    ReviewStatus,
    ReviewType,
)
from pipeline.content.sections import SECTIONS_BY_KEY
from pipeline.content.yamlfile import Loc, Source
from pipeline.errors import Problem, display_path

PLACEHOLDER = re.compile(
    r"REPLACE-WITH-[A-Z0-9-]*|\breplace with\b[^.\n]*|YYYY-MM-DD|\blorem ipsum\b|\bTODO\b|\bTBC\b",
    re.IGNORECASE,
)
"""What `bscp new` leaves for the author, and the usual marks of text still to write."""

BRIEF_SCAFFOLD_PANELS = {
    "background": "1. Background: the case or cases, anonymised.",
    "why_it_matters": "2. Why it matters.",
    "information": "3. What happened: the information practitioners need.",
    "findings": "4. Key findings and learning.",
    "what_should_change": "5. What should change.",
    "reflection": "6. Questions for reflection:\n\n- What are your key reflections?\n- How will the learning be embedded, and how will we know?",
    "resources": "7. Resources and contacts.",
}
"""The seven panels as `bscp new brief` writes them: left unchanged, they are scaffold, not a brief."""

MIN_WORDS = 5
"""A section with fewer words (headings aside) has no substance: 'None.', 'Not recorded', 'TBC'."""

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def expected_sections(review: Review) -> tuple[str, ...]:
    """Return the section keys the Panel expects written before a review is `submitted`."""
    if review.type is ReviewType.LCSPR:
        return ("summary", "analysis", "learning", "recommendations")
    keys = ["summary", "analysis", "learning", "immediate_actions", "decision"]
    if review.decision is not None and review.decision.outcome is DecisionOutcome.LCSPR:
        keys.append("key_lines_of_enquiry")
    return tuple(keys)


def has_substance(text: str) -> bool:
    """Return True when `text` says something: enough words outside headings and placeholders."""
    body = "\n".join(line for line in text.splitlines() if not _HEADING.match(line))
    return len(re.findall(r"\w+", PLACEHOLDER.sub(" ", body))) >= MIN_WORDS


def strings(value: object, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Yield every string in a content model, with where it is."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*loc, str(key)))
    elif isinstance(value, str):
        yield loc, value


def _placeholders_in_model(model: BaseModel, source: Source, status: str) -> list[Problem]:
    return [
        source.problem(
            loc,
            f"{found.group(0).strip()!r} is a placeholder, and status is {status}: write the real value (placeholders are allowed only in a draft)",
        )
        for loc, text in strings(model)
        if (found := PLACEHOLDER.search(text))
    ]


def review_completeness(
    review: Review, source: Source, folder: Path, sections: dict[str, tuple[str, str]]
) -> list[Problem]:
    """Check placeholders (past draft) and the expected sections (from submitted).

    `sections` maps a section key to (the file as shown to the author, its text without comments).
    """
    status = review.status
    if status in (ReviewStatus.DRAFT, ReviewStatus.WITHDRAWN):
        return []
    problems = _placeholders_in_model(review, source, status.value)
    for shown, text in sections.values():
        for number, line in enumerate(text.splitlines(), start=1):
            if found := PLACEHOLDER.search(line):
                problems.append(
                    Problem(
                        shown,
                        number,
                        "",
                        f"{found.group(0).strip()!r} is a placeholder, and status is {status.value}: write the text (placeholders are allowed only in a draft)",
                    )
                )
    if not status.at_least(ReviewStatus.SUBMITTED):
        return problems
    for key in expected_sections(review):
        shown, text = sections.get(key, (None, ""))
        spec = SECTIONS_BY_KEY[key]
        if has_substance(text) or (key not in sections and (folder / spec.filename).exists()):
            continue  # an unreadable file is reported already, by what stopped it being read
        where = shown or display_path(folder / spec.filename)
        problems.append(
            Problem(
                where,
                None,
                "",
                f"status is {status.value} but {spec.filename} ({spec.title}) says nothing yet (at least {MIN_WORDS} words besides headings): the Panel expects it",
            )
        )
    return problems


def brief_completeness(brief: Brief, source: Source) -> list[Problem]:
    """A published brief holds no placeholder and no panel left as `bscp new brief` wrote it."""
    if brief.status is not BriefStatus.PUBLISHED:
        return []
    problems = _placeholders_in_model(brief, source, brief.status.value)
    for key, text in brief.panels:
        if text.strip() == BRIEF_SCAFFOLD_PANELS[key]:
            problems.append(
                source.problem(
                    ("panels", key),
                    "is still the text `bscp new brief` wrote; write the panel before publishing",
                )
            )
    return problems
