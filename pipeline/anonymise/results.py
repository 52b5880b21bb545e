"""What an anonymisation produces, and the policy it ran under: importable without Presidio or spaCy.

A command that only reads cached anonymisations (approving, building an unchanged site, the report)
should not pay for loading the NLP libraries; `pipeline.anonymise.engine` imports them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pipeline.anonymise.identifiers import IdentifierSet
from pipeline.anonymise.policy import Policy, policy_for


@dataclass(frozen=True)
class Finding:
    """One redaction and its provenance: where, what, which layer and recognizer, what replaced it."""

    start: int
    end: int
    text: str
    entity_type: str
    layer: str
    recognizer: str
    score: float
    replacement: str
    field: str = ""
    source: str = ""  # for a known identifier: the review.yaml field it was listed in
    explanation: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Note:
    """Something kept that a reviewer should look at: a name-like word, an age, a date, a rare detail."""

    field: str
    start: int
    end: int
    text: str
    kind: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class AnonymisedDocument:
    """The anonymised published document, what was found in the original, and the hashes approvals use."""

    document: Any  # PublishedDocument (anonymised)
    original: Any  # PublishedDocument (as written)
    findings: dict[str, list[Finding]]
    notes: dict[str, list[Note]]
    policy_hash: str
    identifiers: IdentifierSet

    @property
    def output_hash(self) -> str:
        return output_hash(self.document)

    def all_findings(self) -> list[Finding]:
        return [f for found in self.findings.values() for f in found]


def output_hash(document: Any) -> str:
    """Return the hash of an anonymised document, as approvals record it."""
    return hashlib.sha256(document.dumps().encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------------
# The policy of one document


def document_policy(project: Any, entry: Any) -> Policy:
    """Return the policy for a review or brief: the partnership's, the document's, what it may name."""
    partnership = project.partnership
    context = [
        partnership.name,
        partnership.abbreviation,
        partnership.partners.local_authority,
        partnership.partners.health,
        partnership.partners.police,
        partnership.publication.contact_email or "",
        *(t.label for t in partnership.themes),
    ]
    if hasattr(entry, "review"):
        review = entry.review
        context += [a.name for a in review.agencies]
        context += [p.label for p in review.people] + [p.label for p in review.places]
        context += [
            p.role
            for p in (
                review.sign_offs.local_authority,
                review.sign_offs.health,
                review.sign_offs.police,
            )
            if p
        ]
        overrides = review.anonymisation
    else:
        overrides = entry.brief.anonymisation
        for review_entry in project.reviews:
            if review_entry.id in entry.brief.reviews:
                context += [p.label for p in review_entry.review.people]
                context += [a.name for a in review_entry.review.agencies]
    return policy_for(partnership.anonymisation, overrides, context)
