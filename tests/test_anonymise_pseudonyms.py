"""A pseudonym the text declares ("who we shall call Stephen") is the publisher's label: kept
wherever it stands, and put to the reviewer, who must decide before approval. A listed name is never
kept this way, and wording that only names someone ("was given the name", "known as") declares
nothing. Every name here is fictional."""

from __future__ import annotations

import pytest

from pipeline.anonymise.engine import apply
from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from pipeline.anonymise.results import AnonymisedDocument
from pipeline.review.checklist import checklist
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (session fixture)

MOTHER = IdentifierSet(
    "R",
    [
        KnownIdentifier(
            "Perpetua Quillfeather", "person", "Mother", "people[0].names[0]", "R", "PERSON"
        )
    ],
)

DECLARED = [
    ("This review concerns a baby boy, who we shall call Stephen.", "Stephen"),
    ("The older child, whom the review will refer to as Tobias, was six.", "Tobias"),
    ("The child, referred to in this review as Ella, was four.", "Ella"),
    ("Child Jody (pseudonym) lived with her grandmother.", "Jody"),
    ("Marnie (not her real name) was fourteen.", "Marnie"),
    ("The panel agreed to use the pseudonym 'Rosalind' for the young person.", "Rosalind"),
    ("The children, Amy, Benedict and Calla (pseudonyms), were at home.", "Benedict"),
]


@pytest.mark.parametrize(("declaration", "pseudonym"), DECLARED)
def test_a_declared_pseudonym_is_kept_everywhere_and_asked_about(
    anonymiser,  # noqa: F811
    declaration: str,
    pseudonym: str,
) -> None:
    later = f"{pseudonym} told a teacher. Later {pseudonym}'s father met Perpetua Quillfeather."
    findings, notes = anonymiser.detect_fields([("a", declaration), ("b", later)], MOTHER)
    assert apply(later, findings["b"]) == (
        f"{pseudonym} told a teacher. Later {pseudonym}'s father met Mother."
    )
    assert pseudonym in apply(declaration, findings["a"])
    asked = [n.text for n in notes["a"] + notes["b"] if n.kind == "pseudonym"]
    assert asked.count(pseudonym) == 3


@pytest.mark.parametrize(
    "text",
    [
        "The baby was given the name Tobias Wrenfield. Tobias was seen by the health visitor.",
        "Her friend, known as Tobias, was older. Tobias was twenty.",
        "A man who is called Tobias Wrenfield visited. Tobias stayed the night.",
        "The review could not find out who Tobias Wrenfield was. Tobias was never seen.",
    ],
)
def test_naming_someone_is_not_declaring_a_pseudonym(anonymiser, text: str) -> None:  # noqa: F811
    findings, notes = anonymiser.detect_fields([("a", text)])
    assert "Tobias" not in apply(text, findings["a"])
    assert not [n for n in notes["a"] if n.kind == "pseudonym"]


def test_a_listed_name_declared_a_pseudonym_is_still_replaced(anonymiser) -> None:  # noqa: F811
    text = "The mother, who we shall call Perpetua, was 19. Perpetua (pseudonym) moved in May."
    findings, notes = anonymiser.detect_fields([("a", text)], MOTHER)
    assert "Perpetua" not in apply(text, findings["a"])
    assert not [n for n in notes["a"] if n.kind == "pseudonym"]


def test_the_reviewer_gets_one_item_per_pseudonym_and_remove_takes_it_out(anonymiser) -> None:  # noqa: F811
    text = "A girl, who we shall call Ottilie, lived with her father. Ottilie was seen twice."
    findings, notes = anonymiser.detect_fields([("a", text)])

    class Doc:
        def __init__(self, text: str) -> None:
            self.text = text

        def text_fields(self):
            return [("a", self.text)]

    published = apply(text, findings["a"])
    result = AnonymisedDocument(Doc(published), Doc(text), findings, notes, "p", None)
    items = [i for i in checklist(result) if i.kind == "pseudonym"]
    assert [(i.subject, i.count) for i in items] == [("Ottilie", 2)]
    assert "real name" in items[0].reason

    # Remove writes the word to the review's `anonymisation.deny`, which is read as listed.
    deny = KnownIdentifier("Ottilie", "deny", "[removed]", "anonymisation.deny[0]", "R", "DENY")
    findings, notes = anonymiser.detect_fields([("a", text)], IdentifierSet("R", [deny]))
    assert "Ottilie" not in apply(text, findings["a"])
    assert not [n for n in notes["a"] if n.kind == "pseudonym"]
