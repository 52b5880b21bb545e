"""Replacements: labels, consistency, grammar, dates and ages."""

from __future__ import annotations

import pytest

from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from pipeline.anonymise.policy import Policy
from tests.anonymise_fixtures import anonymiser  # noqa: F401

IDS = IdentifierSet(
    "R",
    [
        KnownIdentifier("Jane Smith", "person", "Mother", "people[1].names[0]", "R", "PERSON"),
        KnownIdentifier("James Lee", "person", "Child A", "people[0].names[0]", "R", "PERSON"),
        KnownIdentifier(
            "Oakfield Primary School",
            "place",
            "the primary school",
            "places[0].name",
            "R",
            "SETTING",
        ),
    ],
)

ROWS = [
    ("Jane Smith, Jane and Ms Smith agreed.", "Mother, Mother and Mother agreed."),
    ("Jane's phone", "Mother's phone"),
    ("James' coat", "Child A's coat"),
    ("He went to the Oakfield Primary School.", "He went to the primary school."),
    ("Oakfield Primary School called.", "The primary school called."),
    ("We met on 2 April 2023.", "We met in April 2023."),
    ("On 14/03/2024 we met.", "In March 2024 we met."),
    ("a 7-week-old baby", "an under-3-month-old baby"),
    ("aged 15 years", "aged 15 years"),
    (
        "See [James](https://example.org/james-lee).",
        "See [Child A](https://example.org/Child-A).",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_replacements_read_as_english(anonymiser, text: str, expected: str) -> None:  # noqa: F811
    assert anonymiser.redact(text, IDS) == expected


def test_unlisted_people_get_consistent_numbers_across_fields(anonymiser) -> None:  # noqa: F811
    fields = [
        ("a", "Mrs Kayleigh Marsh visited. Later, Kayleigh phoned. Then Tadhg Byrne came."),
        ("b", "Ms Marsh and Mr Byrne spoke."),
    ]
    found, _ = anonymiser.detect_fields(fields, IDS)
    by_text = {f.text: f.replacement for name in found for f in found[name]}
    assert by_text["Mrs Kayleigh Marsh"] == by_text["Kayleigh"] == by_text["Ms Marsh"] == "Person 1"
    assert by_text["Mr Byrne"] == "Person 2"


def test_policy_hash_changes_with_any_override() -> None:
    from pipeline.content.model import AnonymisationPolicy, ReviewAnonymisation

    base = Policy(AnonymisationPolicy(), ReviewAnonymisation())
    other = Policy(AnonymisationPolicy(), ReviewAnonymisation(allow=["Hillside"]))
    assert base.hash != other.hash
    assert base.hash == Policy(AnonymisationPolicy(), ReviewAnonymisation()).hash


def test_review_allow_deny_and_replacements_apply() -> None:
    from pipeline.anonymise.engine import Anonymiser
    from pipeline.content.model import AnonymisationPolicy, ReviewAnonymisation

    policy = Policy(
        AnonymisationPolicy(),
        ReviewAnonymisation(
            allow=["Hillside Pharmacy"], replacements={"Moyamoya disease": "a rare condition"}
        ),
    )
    text = "She had Moyamoya disease and used Hillside Pharmacy."
    assert Anonymiser(policy).redact(text) == "She had a rare condition and used Hillside Pharmacy."
