"""Names a review introduces, names found once, relatives sharing a surname, and replacements that read.

Every sentence is synthetic. Each class is one the issue found surviving, or garbled, on reviews
written independently of this repository.
"""

from __future__ import annotations

import pytest

from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (session fixture)


def person(text: str, label: str, index: int) -> KnownIdentifier:
    return KnownIdentifier(text, "person", label, f"people[{index}].names[0]", "R", "PERSON")


PEOPLE = IdentifierSet(
    "R",
    [
        person("Ngozi Okafor", "Mother", 0),
        person("Dawit Okonjo", "the social worker", 1),
        person("Tobi Okafor", "Child A", 2),
    ],
)

INTRODUCED = [
    ('Her boyfriend, known locally as "Pixie", was 19. Pixie sold drugs.', "Pixie"),
    ("a man whom the family call “Smudge” visited. Smudge was 30.", "Smudge"),
    ('"Bubba", the name used in police intelligence, was seen. Bubba left.', "Bubba"),
    ("She was known under her previous surname, Wainwright, to the school.", "Wainwright"),
    ("The midwife recorded her as Kerry Dunmore, née Bexfield.", "Bexfield"),
]


@pytest.mark.parametrize(("text", "name"), INTRODUCED)
def test_an_introduced_name_is_removed_everywhere(anonymiser, text: str, name: str) -> None:  # noqa: F811
    out = anonymiser.redact(text, PEOPLE)
    assert name not in out, out


def test_a_name_found_once_is_removed_in_every_field_of_the_review(anonymiser) -> None:  # noqa: F811
    fields = [
        ("summary", 'A neighbour known as "Moth" often visited the flat.'),
        ("analysis", "Moth was never spoken to by any agency."),
    ]
    findings, _ = anonymiser.detect_fields(fields, PEOPLE)
    replaced = {f.text for name in findings for f in findings[name]}
    assert "Moth" in replaced
    assert [f.replacement for f in findings["analysis"]] == [
        f.replacement for f in findings["summary"]
    ]


def test_an_unlisted_relative_never_gets_the_listed_persons_label(anonymiser) -> None:  # noqa: F811
    text = "Grace Okafor, an aunt, looked after Tobi while Ngozi Okafor was in hospital."
    findings, notes = anonymiser.detect_fields([("text", text)], PEOPLE)
    by_text = {f.text: f.replacement for f in findings["text"]}
    assert by_text["Grace Okafor"] not in ("Mother", "Child A")
    assert by_text["Grace Okafor"].startswith("Person")
    assert by_text["Ngozi Okafor"] == "Mother"
    assert any(n.text == "Grace Okafor" for n in notes["text"]), "the reviewer must be asked"


def test_a_listed_persons_own_first_name_with_the_surname_keeps_their_label(anonymiser) -> None:  # noqa: F811
    out = anonymiser.redact("Tobi Okafor was seen at school.", PEOPLE)
    assert out.startswith("Child A was seen")


READABLE = [
    ("Dawit Okonjo as the social worker was clear.", "The social worker was clear."),
    ("The social worker, Dawit Okonjo, visited.", "The social worker visited."),
    ("In mid July 20 the family moved.", "In mid July the family moved."),  # 20: a page
    ("3.3 July - August 2013", "3.3 July - August 2013"),  # a section number, not a day
    ("Ngozi Okafor's flat was cold.", "Mother's flat was cold."),
]


@pytest.mark.parametrize(("text", "expected"), READABLE)
def test_replacements_read_as_english(anonymiser, text: str, expected: str) -> None:  # noqa: F811
    assert anonymiser.redact(text, PEOPLE) == expected


def test_an_exact_date_with_its_year_is_still_coarsened(anonymiser) -> None:  # noqa: F811
    assert anonymiser.redact("On 20 July 2021 she moved.", PEOPLE) == "In July 2021 she moved."
    assert anonymiser.redact("Seen on 2 April 23.", PEOPLE) == "Seen in April 2023."


def test_a_listed_surname_after_an_allowed_town_is_still_removed(anonymiser) -> None:  # noqa: F811
    from pipeline.anonymise.engine import Anonymiser
    from pipeline.anonymise.policy import Policy
    from pipeline.content.model import AnonymisationPolicy

    town = Anonymiser(Policy(base=AnonymisationPolicy(allow=["Wyvern"])))
    officer = IdentifierSet("R", [person("Kai Cross", "the police officer", 0)])
    out = town.redact("The records went to Wyvern Cross. PC Cross visited.", officer)
    assert "Cross" not in out, out
