"""The published text of the example rapid review reads well and attributes every name right.

Each row is a sentence as an author wrote it in `content/reviews/BSCP-2024-25-03/` (the family: Child Q,
three siblings sharing the surname Yusuf, Mother, Mother's partner, Father, Maternal aunt and the
professionals) and what the public must read instead.
"""

from __future__ import annotations

import pytest

from pipeline.anonymise.engine import Anonymiser, apply, document_policy
from pipeline.anonymise.identifiers import identifier_set
from tests.anonymise_fixtures import ROOT, TODAY, anonymiser  # noqa: F401

REVIEW_ID = "BSCP-2024-25-03"


@pytest.fixture(scope="module")
def example():
    """The example project's rapid review: its identifiers and the engine under its policy."""
    from pipeline.content.project import load_project

    project = load_project(ROOT / "content", TODAY)
    entry = next(e for e in project.reviews if e.id == REVIEW_ID)
    return (
        project,
        entry,
        identifier_set(entry, project),
        Anonymiser(document_policy(project, entry)),
    )


def redact(example, text: str) -> str:
    _, _, identifiers, engine = example
    return apply(text, engine.detect(text, identifiers))


# (as written, as published): each row is a defect seen in this review's published text.
ROWS = [
    # A name, its quoted nickname and the surname three children share are one mention.
    ('| Mohamed ("Mo") Yusuf | 8 |', "| Sibling 2 | 8 |"),
    ('**Craig Pearson** ("Pez"), 38, had been', "**Mother's partner**, 38, had been"),
    ('sister **Faadumo** ("Auntie Fay"), who', "sister **Maternal aunt**, who"),
    ("| Sagal Yusuf | 11 |", "| Sibling 1 | 11 |"),
    # A shared surname alone names none of them; a title narrows it to the one man listed.
    ("Yusuf was not seen.", "[family name] was not seen."),
    ("The Yusuf family moved.", "The family moved."),
    ("Mr Yusuf rang the school.", "Father rang the school."),
    # A town is a place, never the family home; a listed address is its owner's home.
    ("separated in 2021 and moved to Leicester.", "separated in 2021 and moved to [place]."),
    ("who lives nearby at 31 Cedar Rise.", "who lives nearby at Maternal aunt's home."),
    ("lived at 7 Foxglove Walk, BF4 2NE, a house", "lived at the family home, a house"),
    (
        "his own tenancy at Flat 2, 58 Quarry Street, and",
        "his own tenancy at Mother's partner's home, and",
    ),
    ("the call-out to Foxglove Walk", "the call-out to the family's street"),
    # Languages and peoples are never people.
    (
        "Hodan speaks English well and prefers Somali.",
        "Mother speaks English well and prefers Somali.",
    ),
    # Agency teams are professional vocabulary.
    (
        "an assessment by the Family Safeguarding Team led to a plan",
        "an assessment by the Family Safeguarding Team led to a plan",
    ),
    # Titles and ranks are part of the mention.
    (
        "PC Stuart Jenkins and a colleague attended.",
        "The police officer who attended and a colleague attended.",
    ),
    (
        'Sagal told PC Jenkins, "I do the little ones."',
        'Sibling 1 told the police officer who attended, "I do the little ones."',
    ),
    ("The GP, Dr Kwame Mensah, saw Ayaan.", "The GP saw Child Q."),
    # An apposition of a role and the name it replaces reads once.
    ("the health visitor, Bernie Doyle, referred Ayaan", "the health visitor referred Child Q"),
    ("Bernie Doyle, the health visitor, referred Ayaan", "The health visitor referred Child Q"),
    (
        "Hodan missed appointments with her care coordinator, Nadia Khalil.",
        "Mother missed appointments with her care coordinator.",
    ),
    # A list of people is not an apposition.
    ("Sagal, Mo and Ayaan were seen.", "Sibling 1, Sibling 2 and Child Q were seen."),
]

# Text in which nothing may change.
KEEP_ROWS = [
    "| Child | Age | Setting |",
    "The officers found almost no food and he didn't eat.",
    "Over Christmas and the new year, no agency saw the children.",
    "- Record what the child says, in their own words.",
    "Young carers: the Young Carers service, via the Family Hubs.",
    "She used the perinatal mental health pathway after the post-mortem.",
    "The GP, HV and SW met in January.",
    "She speaks Tigrinya and Amharic at home.",
    "Contact the business unit at bscp.business.unit@example.org.",
    "The caseload of the Youth Justice Service was high.",
    "An EHCP. Hospital staff followed the protocol.",
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_published_text_reads_well(example, text: str, expected: str) -> None:
    assert redact(example, text) == expected


@pytest.mark.parametrize("text", KEEP_ROWS)
def test_ordinary_and_professional_text_is_unchanged(example, text: str) -> None:
    assert redact(example, text) == text


def test_every_name_review_yaml_records_is_a_known_identifier(example) -> None:
    from pipeline.content.project import load_project

    project = load_project(ROOT / "content", TODAY)
    lcspr = next(e for e in project.reviews if e.review.lead_reviewer)
    name = lcspr.review.lead_reviewer
    found = identifier_set(lcspr, project).find(f"written by {name}")
    assert [m.identifier.label for m in found if m.text == name] == ["the lead reviewer"]
    _, entry, identifiers, _ = example
    for sign_off in (entry.review.sign_offs.health, entry.review.sign_offs.police):
        assert identifiers.find(sign_off.name), sign_off.name


def test_a_notifier_written_as_a_name_is_known_and_a_role_is_not() -> None:
    from pipeline.anonymise.identifiers import _looks_like_a_name

    assert _looks_like_a_name("Jane Okafor")
    assert _looks_like_a_name("Dr J. Okafor")
    assert not _looks_like_a_name("Director of Children's Services")
    assert not _looks_like_a_name("Head of Service")


def test_shared_names_are_explained_in_the_report(example) -> None:
    _, _, identifiers, engine = example
    [finding] = engine.detect("Yusuf was not seen.", identifiers)
    assert "Child Q" in finding.explanation and "Sibling 1" in finding.explanation


def test_rare_peoples_are_on_the_check_list_and_common_ones_are_not(example) -> None:
    _, _, identifiers, engine = example
    _, notes = engine.detect_fields([("f", "She is Eritrean and speaks English.")], identifiers)
    assert [n.text for n in notes["f"] if n.kind == "detail"] == ["Eritrean"]
