"""The evaluation's people figures: who stays identifiable, and who is given someone else's label.

Synthetic labels and findings over a fictional sentence, so each rule is seen to count what it says.
"""

from __future__ import annotations

from benchmarks.corpus import Label
from benchmarks.evaluate import _listed_label_given, _names_left
from pipeline.anonymise.results import Finding

FILE = "reviews/BSCP-2019-20-04/analysis.md"
FIELD = "sections.analysis"
# The Mother is Adaeze Okafor (listed); Grace Okafor is an aunt nobody listed.
TEXT = "Grace Okafor visited Adaeze Okafor at home. Will the learning reach practitioners?"


def label(
    start: int, end: int, kind: str, listed: bool, person: str | None, action: str = "redact"
) -> Label:
    return Label(
        "BSCP-2019-20-04", FILE, start, end, TEXT[start:end], kind, listed, action,
        "full", True, f"BSCP-2019-20-04/{person}" if person else None,
    )  # fmt: skip


AUNT = label(0, 12, "person_name", False, "u.aunt")
MOTHER = label(21, 34, "person_name", True, "mother")
WILL = label(44, 48, "ordinary_word", False, None, "keep")
# Someone called Will is listed too: their name word "Will" is kept where the corpus says it is a word.
WILL_PERSON = Label("BSCP-2019-20-04", FILE, 0, 0, "Will Brown", "person_name", True, "redact", "full", True, "BSCP-2019-20-04/child")  # fmt: skip


def finding(start: int, end: int, replacement: str) -> Finding:
    return Finding(start, end, TEXT[start:end], "PERSON", "known", "test", 1.0, replacement, FIELD)


def test_an_unlisted_relative_given_the_listed_surname_s_label_is_counted() -> None:
    wrong = [finding(6, 12, "Mother"), finding(21, 34, "Mother")]  # "Grace Mother visited Mother"
    assert _listed_label_given(wrong, AUNT, {"Mother", "Child A"}) == "Mother"
    right = [finding(0, 12, "Person 1"), finding(21, 34, "Mother")]
    assert _listed_label_given(right, AUNT, {"Mother", "Child A"}) is None
    assert _listed_label_given([finding(0, 12, "Mother's")], AUNT, {"Mother"}) == "Mother's"


def test_a_name_word_left_anywhere_makes_its_people_identifiable() -> None:
    labels = [AUNT, MOTHER, WILL, WILL_PERSON]
    texts = {FIELD: TEXT}
    # "Grace Mother visited Mother": the aunt's first name is left, the Mother's surname is not.
    left = _names_left(
        labels, texts, {FIELD: [finding(6, 12, "Mother"), finding(21, 34, "Mother")]}
    )
    assert set(left) == {"BSCP-2019-20-04/u.aunt"}
    assert "'Grace'" in left["BSCP-2019-20-04/u.aunt"][0]
    # Only the aunt's first name replaced: "Okafor" is left, and it is both women's surname.
    left = _names_left(
        labels, texts, {FIELD: [finding(0, 5, "Person 1"), finding(21, 34, "Mother")]}
    )
    assert set(left) == {"BSCP-2019-20-04/u.aunt", "BSCP-2019-20-04/mother"}
    # Everything replaced: nobody is left, and "Will" (an ordinary word there) does not count.
    done = {FIELD: [finding(0, 12, "Person 1"), finding(21, 34, "Mother")]}
    assert _names_left(labels, texts, done) == {}
    unmarked = [label for label in labels if label is not WILL]
    assert set(_names_left(unmarked, texts, done)) == {"BSCP-2019-20-04/child"}
