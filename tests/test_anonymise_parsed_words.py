"""A listed name that is a word: the model's parser keeps the word where its reading is clear.

Synthetic sentences. Where the parse is not clear the name is replaced (failing closed) and the
report explains why; a capitalised name is always replaced.
"""

from __future__ import annotations

import pytest

from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from pipeline.anonymise.wordsense import parsed_as_word
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (session fixture)

PEOPLE = IdentifierSet(
    "R",
    [
        KnownIdentifier("Bill Hartley", "person", "Child A", "people[0].names[0]", "R", "PERSON"),
        KnownIdentifier("Will Hartley", "person", "Father", "people[1].names[0]", "R", "PERSON"),
        KnownIdentifier("Robin Hartley", "person", "Mother", "people[2].names[0]", "R", "PERSON"),
    ],
)

KEPT = [
    ("There was an unpaid electricity bill at the flat.", "electricity bill"),
    ("The phone bill was paid late.", "phone bill"),
    ("Partners will want to read the review.", "will want"),
]
REPLACED = [
    ("She was seen by robin with a cough.", "robin"),
    ("bill said he was fine.", "bill"),
    ("Bill was seen at home.", "Bill"),
    ("Will told the teacher.", "Will"),
]


@pytest.mark.parametrize(("text", "kept"), KEPT)
def test_the_word_is_kept_where_the_parse_is_clear(anonymiser, text: str, kept: str) -> None:  # noqa: F811
    assert kept in anonymiser.redact(text, PEOPLE)


@pytest.mark.parametrize(("text", "name"), REPLACED)
def test_the_name_is_replaced_where_the_parse_is_not_clear(
    anonymiser,  # noqa: F811
    text: str,
    name: str,
) -> None:
    assert name not in anonymiser.redact(text, PEOPLE)


def test_the_parser_reads_only_the_sentence_around_the_word() -> None:
    text = "Robin was upset. There was an unpaid electricity bill. Then bill said no."
    first = text.index("bill")
    assert parsed_as_word(text, first, first + 4)
    last = text.rindex("bill")
    assert not parsed_as_word(text, last, last + 4)
