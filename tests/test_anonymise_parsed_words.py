"""A listed name that is a word: the model's parser keeps the word where its reading is clear.

Synthetic sentences. Where the parse is not clear the name is replaced (failing closed) and the
report explains why; a capitalised name is always replaced unless the parse makes it a rating ("RAG
rated Amber": more rows in tests/test_anonymise_word_names.py). The parser runs only where the words
around the name leave it in doubt, to keep the pass fast.
"""

from __future__ import annotations

import pytest

from pipeline.anonymise import wordsense
from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from pipeline.anonymise.wordsense import is_rating, parsed_as_word
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


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Amber said she was fine.", False),  # starts the sentence
        ("The nurse told Amber about it.", False),  # nothing rates, "about" describes nothing
        ("Amber's school called.", False),
        ("On Monday Amber attended school.", False),  # what a person does
        ("Ms Amber phoned the school.", False),
        ("The referral was rated Amber.", True),  # after a rating verb: in doubt, parsed
        ("It was given an Amber rating.", True),  # before a noun: in doubt, parsed
    ],
)
def test_a_capitalised_name_is_parsed_only_where_it_may_be_a_rating(
    monkeypatch: pytest.MonkeyPatch, text: str, parsed: bool
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(wordsense, "parsed_as_word", lambda t, s, e: calls.append(t[s:e]) or True)
    at = text.index("Amber")
    assert is_rating(text, at, at + 5) == parsed
    assert calls == (["Amber"] if parsed else [])
