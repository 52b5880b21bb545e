"""The narrative sections of a review: one Markdown file each, beside `review.yaml`."""

from __future__ import annotations

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
