"""Listed names that are also words, and listed initials that are also abbreviations.

Each row is read by detection (layer one) and by the leak gate: a form detection must take, the gate
must refuse when it survives; a word detection keeps, the gate must let through.
"""

from __future__ import annotations

import re

import pytest

from pipeline.anonymise.engine import apply
from pipeline.anonymise.gate import LeakScanner
from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (session fixture)


def known(text: str, label: str, role: str = "professional") -> KnownIdentifier:
    return KnownIdentifier(text, "person", label, "people[0].names[0]", "R", "PERSON", "", role)


IDENTIFIERS = IdentifierSet(
    "R",
    [
        known("Destiny Okafor", "the health visitor"),
        known("Hung Tran", "the social worker"),
        known("Long Nguyen", "Child A", "child"),
        known("Precious Mensah", "Mother", "parent"),
        known("Bo Li", "Child B", "child"),
        known("Will Brown", "Father", "parent"),
        known("Meera Pillai-Asante", "the midwife"),  # initials MP, an abbreviation too
        known("Ciara Byrne-Kelly", "the GP"),  # initials CB (and CBK)
        known("Nnamdi Ibrahim", "the youth worker"),  # initials NI, an abbreviation too
        known("Grace Patel", "the school nurse"),  # initials GP: the work's own abbreviation
        known("Deborah Ansell-Grey", "the Director"),  # initials DA: domestic abuse too
        known("Jun Cheung", "Child C", "child"),  # a first name in no name list
        known("Hope Boateng", "Aunt", "other"),
        known("Robin Okoro", "Child D", "child"),
        known("Willow Adeyemi", "Child E", "child"),
        known("Summer Kowalski", "Sibling", "child"),
        known("Dana Vickers", "the family support worker"),  # initials DV: domestic violence too
        known("Kamal Bashir", "the police officer"),  # initials KB: kilobytes too
        known("Amber Clarke", "Child F", "child"),  # a colour and a RAG rating too
        known("Bill Hayes", "Stepfather", "parent"),
    ],
)

# (text, what must be found) — every row fails without the rule it names.
TAKEN = [
    # a listed first name that is a word, in lower case, where it stands as a name
    ("Assessment of Abena after a referral from destiny.", "destiny"),
    ("The pattern was not seen. hung had good knowledge of the family.", "hung"),
    ("- hung recognised signs of low mood", "hung"),
    ("| hung | social worker |", "hung"),
    ("On 18th April 2019 long was admitted to hospital.", "long"),
    ("A locum GP saw precious and prescribed antidepressants.", "precious"),
    ("On 19 February 2016, bo was seen at the hospital.", "bo"),
    ("Mother phoned destiny's office twice.", "destiny"),
    ("he said destiny will come round later tonight", "destiny"),  # no capitals anywhere
    ("Dr hung saw the baby.", "hung"),
    # a person's bare initials that are an abbreviation too, in their own review
    ("On 3.1.24 MP missed the 6-8 week review.", "MP"),
    ("MP used a new e-mail address to contact the team.", "MP"),
    ("Austėja told NI that she had been self-harming.", "NI"),
    ("It was MP who phoned the practice.", "MP"),
    # initials of a double-barrelled surname, written from the two words of the name
    ("Antenatal care for Mother; community midwife CB.", "CB"),
    ("The midwife, CB, visited.", "CB"),
    ("J.W., a friend of DA, was staying at the flat.", "DA"),
    ("exploitation. jun told the review that no one asked.", "jun"),
    ('The records described hope as "a difficult mother".', "hope"),
    ("Meera Pillai-Asante (MP) was the midwife.", "MP"),  # her own name spells it: the person
    # where the words around it do not settle it, the name is taken (fails closed)
    ("She was seen by robin with a cough.", "robin"),
    ("A letter to willow at the flat was returned.", "willow"),
    ("The nurse saw hope with her baby.", "hope"),
    ("It was seen by summer and her mother.", "summer"),
    ("The referral about precious was not followed up.", "precious"),
    ("On the ward long lives with an aunt.", "long"),
    # initials that are also the work's abbreviation of a thing, where a person stands
    ("Ruaridh told DV that he had been self-harming.", "DV"),
    ("DV said the home was cold.", "DV"),
    ("There was a call from DV about the flat.", "DV"),
    ("On October 25, 2021 KB telephoned the school.", "KB"),  # a year, not a size
    ("The friend said DV was unwell.", "DV"),
    ("Child A lived with DV in a rented flat.", "DV"),
    ("DV had a history of domestic abuse.", "DV"),
    ("Ruaridh told long that he had been self-harming.", "long"),
    ("The conference made jun subject to a child protection plan.", "jun"),
    # a name that is a rating too, where the parse does not make it the rating
    ("Amber said she was fine.", "Amber"),
    ("The nurse told Amber about it.", "Amber"),
    ("Amber's school called twice.", "Amber"),
    ("The teacher told amber to wait.", "amber"),
    ("The social worker rated Amber highly.", "Amber"),  # rated her: she is the object
    ("The baby was named Amber.", "Amber"),
    ("The teacher marked Amber absent.", "Amber"),
    ("On Monday Amber was seen at school.", "Amber"),
    ("Bill said he would come.", "Bill"),
    ("They visited the Brown family twice.", "Brown"),  # describes a family, not a rating
    ("The Brown family was rated amber.", "Brown"),
]

# (text, the word that must be kept)
KEPT = [
    ("He hung up the phone.", "hung"),
    ("Mother hung up the phone.", "hung"),
    ("The pictures were hung in the hall.", "hung"),
    ("She said it was her destiny to care for him.", "destiny"),
    ("The child was not seen for long periods.", "long"),
    ("It took a long time.", "long"),
    ("a long-term plan", "long"),
    ("Every child is precious to the family.", "precious"),
    ("There was hope among professionals that the birth would help.", "hope"),
    ("She lived in hope as long as the case stayed open.", "hope"),
    ("the school will call back tomorrow", "will"),  # a little word: capitalised-only, even here
    ("The MP for the area wrote to the partnership.", "MP"),
    ("She wrote to her MP about the housing.", "MP"),
    ("Her NI number was recorded.", "NI"),
    ("NI number not recorded.", "NI"),
    ("The letter from the Member of Parliament (MP) arrived.", "MP"),
    ("MP (Member of Parliament) visits are recorded.", "MP"),
    ("MP Member of Parliament visits are recorded.", "MP"),  # what the gate reads
    ("THE MP FOR THE AREA WROTE TO THE PARTNERSHIP", "MP"),
    ("| GP practice | Registered with a locum GP |", "GP"),  # never anyone's initials
    ('It was seen as a neglect case, not "a DA case".', "DA"),
    ('It was "for dirty houses, not for DA cases".', "DA"),
    ("The school raised an amber alert.", "amber"),
    ("The family moved in summer 2023.", "summer"),
    ("Nothing changed during summer.", "summer"),
    ("Professionals continued to hope that things would improve.", "hope"),
    ("The family hope that the review helps others.", "hope"),
    ("The mother spoke with grace about her son.", "grace"),
    ("Her mother hung up on the social worker.", "hung"),
    ("There was a history of DV in the family.", "DV"),
    ("The referral was only 35 KB and would not open.", "KB"),
    ("The impact of DV was not recognised.", "DV"),
    ("Mother told the GP that she was low.", "GP"),  # Grace Patel's initials: a role, never hers
    # a RAG rating: what a rating verb made of a thing, or a word describing the noun after it
    ("The referral was rated amber.", "amber"),
    ("The referral was RAG rated amber by the MASH.", "amber"),
    ("The referral was rated Amber and passed to early help.", "Amber"),
    ("The referral was RAG rated Amber.", "Amber"),
    ("The call was triaged as Amber.", "Amber"),
    ("The MASH gave it an Amber rating and closed it.", "Amber"),
    ("There were two Amber flags on the file.", "Amber"),
    ("It was given an amber rating.", "amber"),
    ("The family had an unpaid electricity bill.", "bill"),
    ("Partners will want to know what changed.", "will"),
]


def _gate(text: str) -> list[str]:
    return [leak.text for leak in LeakScanner([IDENTIFIERS]).scan(text)]


@pytest.mark.parametrize(("text", "form"), TAKEN)
def test_a_name_that_is_a_word_is_taken_where_it_names_someone(text: str, form: str) -> None:
    assert any(form in m.text for m in IDENTIFIERS.find(text))
    assert form in _gate(text), "the gate must refuse what detection takes"


@pytest.mark.parametrize(("text", "word"), KEPT)
def test_the_word_is_kept_and_the_gate_lets_it_through(text: str, word: str) -> None:
    assert not any(word in m.text for m in IDENTIFIERS.find(text))
    assert not any(word in found for found in _gate(text))


def test_a_number_holding_someone_s_initials_goes_whole(anonymiser) -> None:  # noqa: F811
    """Marta Nowak-Malik is also "MN": an unlisted NI number starting "MN" must still go whole."""
    ids = IdentifierSet("R", [known("Marta Nowak-Malik", "Mother", "parent")])
    text = "Abdi gave a National Insurance number of MN 118460 B and an address."
    out = apply(text, anonymiser.detect(text, ids))
    assert "118460" not in out, out


def test_nothing_listed_survives_the_engine_in_these_rows(anonymiser) -> None:  # noqa: F811
    """The whole engine on every row: the taken forms are replaced, the words stay, the gate is clean."""
    for text, form in TAKEN:
        out = apply(text, anonymiser.detect(text, IDENTIFIERS))
        assert _gate(out) == [] and not re.search(rf"\b{form}\b", out), (text, out)
    for text, word in KEPT:
        out = apply(text, anonymiser.detect(text, IDENTIFIERS))
        assert word in out, (text, out)


def test_initials_that_name_a_role_are_kept_and_put_on_the_check_list(anonymiser) -> None:  # noqa: F811
    """Grace Patel is "GP": "told GP that" is the practice, so it stays, and the reviewer is asked."""
    text = "Mother told GP that she was low."
    findings, notes = anonymiser.detect_fields([("text", text)], IDENTIFIERS)
    assert apply(text, findings["text"]) == text
    [note] = [n for n in notes["text"] if n.kind == "listed name"]
    assert note.text == "GP" and "the school nurse's initials" in note.reason


def test_a_rating_spelt_like_a_listed_name_is_kept_and_put_on_the_check_list(anonymiser) -> None:  # noqa: F811
    """Amber Clarke is listed: "rated Amber" keeps the rating, and the reviewer is asked to check it."""
    text = "The referral was RAG rated Amber. Amber said she was fine."
    findings, notes = anonymiser.detect_fields([("text", text)], IDENTIFIERS)
    assert (
        apply(text, findings["text"])
        == "The referral was RAG rated Amber. Child F said she was fine."
    )
    [note] = [n for n in notes["text"] if n.kind == "listed name"]
    assert (note.start, note.text) == (text.index("Amber"), "Amber")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The referral was rated Amber by the MASH.", True),
        ("The MASH gave it an Amber rating.", True),
        ("The nurse told Amber about it.", False),
        ("It was the social worker who rated Amber highly.", False),
    ],
)
def test_a_rating_is_not_taken_for_an_unlisted_name_either(
    anonymiser,  # noqa: F811
    text: str,
    kept: bool,
) -> None:
    """Nobody listed: the name list still finds a capitalised "Amber" as a name, except as a rating."""
    out = apply(text, anonymiser.detect(text, IdentifierSet("R", [])))
    assert ("Amber" in out) == kept, out
