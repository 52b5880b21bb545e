"""The narrative sections of a review: one Markdown file each, beside `review.yaml`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.content.model import ReviewType

RR = frozenset({ReviewType.RAPID_REVIEW})
LCSPR = frozenset({ReviewType.LCSPR})
BOTH = RR | LCSPR


@dataclass(frozen=True)
class SectionSpec:
    """A narrative section: its file, its heading, who sees it, and what it should say."""

    key: str
    filename: str
    title: str
    published: bool
    applies_to: frozenset[ReviewType]
    guidance: str


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "summary",
        "summary.md",
        "Summary of circumstances",
        True,
        BOTH,
        "A brief account of the child, the family and what happened.",
    ),
    SectionSpec(
        "agencies",
        "agencies.md",
        "Agencies involved and period covered",
        True,
        BOTH,
        "Which agencies knew the family, and the period the review looked at.",
    ),
    SectionSpec(
        "analysis",
        "analysis.md",
        "Analysis",
        True,
        BOTH,
        "Practice and system issues, and the child's lived experience and voice.",
    ),
    SectionSpec(
        "good_practice",
        "good-practice.md",
        "Good practice",
        True,
        BOTH,
        "What went well and should be repeated.",
    ),
    SectionSpec(
        "immediate_actions",
        "immediate-actions.md",
        "Immediate actions and learning already shared",
        True,
        RR,
        "What agencies have already done, and the learning already shared.",
    ),
    SectionSpec(
        "learning",
        "learning.md",
        "Learning",
        True,
        BOTH,
        "The emerging learning for the partnership.",
    ),
    SectionSpec(
        "recommendations",
        "recommendations.md",
        "Recommendations",
        True,
        LCSPR,
        "LCSPRs: the recommendations for the partnership and agencies.",
    ),
    SectionSpec(
        "decision",
        "decision.md",
        "Decision and rationale",
        True,
        RR,
        "The decision and why, against the Regulation 11 criteria.",
    ),
    SectionSpec(
        "key_lines_of_enquiry",
        "key-lines-of-enquiry.md",
        "Key lines of enquiry",
        True,
        RR,
        "When an LCSPR is commissioned: the key lines of enquiry and the questions it must answer.",
    ),
    SectionSpec(
        "parallel_processes",
        "parallel-processes.md",
        "Parallel processes",
        False,
        BOTH,
        "Police investigation, coroner, child death review, domestic homicide review, single-agency reviews. Confidential.",
    ),
    SectionSpec(
        "family_involvement",
        "family-involvement.md",
        "Family involvement",
        False,
        BOTH,
        "How the family were told about the review and involved in it. Confidential.",
    ),
)

SECTIONS_BY_KEY = {spec.key: spec for spec in SECTIONS}
SECTIONS_BY_FILENAME = {spec.filename: spec for spec in SECTIONS}


def sections_for(review_type: ReviewType) -> tuple[SectionSpec, ...]:
    """Return the sections a review of this type has, in document order."""
    return tuple(spec for spec in SECTIONS if review_type in spec.applies_to)


_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def _plain(heading: str) -> str:
    """Return a heading as words only: no emphasis marks, case or closing punctuation."""
    return " ".join(re.sub(r"[*_`]", "", heading).casefold().rstrip(" .:").split())


def without_own_title(text: str, title: str) -> str:
    """Blank a first heading that repeats the section's title: the documents print the title already.

    The line is emptied, not removed, so line numbers in problems still match the file.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return text
    atx = _ATX.match(lines[first])
    if atx and _plain(atx.group(1)) == _plain(title):
        lines[first] = ""
    elif (
        first + 1 < len(lines)
        and _SETEXT.match(lines[first + 1])
        and _plain(lines[first]) == _plain(title)
    ):
        lines[first] = lines[first + 1] = ""
    return "\n".join(lines)


def id_example(pattern: str, abbreviation: str, kind: str, known: list[str], today: dt.date) -> str:
    """Return an id that matches `pattern`, to show an author instead of the regular expression.

    The latest id already in use is the best example; otherwise one in the partnership's usual form
    (`BSCP-2026-27-01`, `BSCP-LB-2026-01`) when the pattern accepts it.
    """
    matching = sorted(i for i in known if re.fullmatch(pattern, i))
    if matching:
        return matching[-1]
    year = today.year if today.month >= 4 else today.year - 1  # the financial year starts in April
    for candidate in (
        f"{abbreviation}-LB-{year}-01"
        if kind == "brief"
        else f"{abbreviation}-{year}-{(year + 1) % 100:02d}-01",
        f"{abbreviation}-{year}-01",
    ):
        if re.fullmatch(pattern, candidate):
            return candidate
    return f"one matching {pattern}"
