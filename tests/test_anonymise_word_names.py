"""Listed names that are also words, and listed initials that are also abbreviations.

Each row is read by detection (layer one) and by the leak gate: a form detection must take, the gate
must refuse when it survives; a word detection keeps, the gate must let through.
"""

from __future__ import annotations

import pytest

from pipeline.anonymise.gate import LeakScanner
from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier


def known(text: str, label: str, role: str = "professional") -> KnownIdentifier:
    return KnownIdentifier(text, "person", label, "people[0].names[0]", "R", "PERSON", "", role)


IDENTIFIERS = IdentifierSet(
    "R",
    [
        known("Ciara Byrne-Kelly", "the GP"),  # initials CB (and CBK)
    ],
)

# (text, what must be found) — every row fails without the rule it names.
TAKEN = [
    # initials of a double-barrelled surname, written from the two words of the name
    ("Antenatal care for Mother; community midwife CB.", "CB"),
    ("The midwife, CB, visited.", "CB"),
]


def _gate(text: str) -> list[str]:
    return [leak.text for leak in LeakScanner([IDENTIFIERS]).scan(text)]


@pytest.mark.parametrize(("text", "form"), TAKEN)
def test_a_name_that_is_a_word_is_taken_where_it_names_someone(text: str, form: str) -> None:
    assert any(form in m.text for m in IDENTIFIERS.find(text))
    assert form in _gate(text), "the gate must refuse what detection takes"
