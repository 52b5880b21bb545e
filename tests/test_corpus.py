"""The benchmark corpus: deterministic, loadable, and labelled exactly where the text says."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.corpus import (
    MAX_REVIEWS,
    TODAY,
    generate,
    load_labels,
    main,
    narrative_words,
    plan_reviews,
    published_field,
    source_text,
    split_file,
)
from pipeline.content.model import Review
from pipeline.content.project import Project, load_project
from pipeline.published import review_document

ROOT = Path(__file__).resolve().parents[1]
WORDS_MIN, WORDS_MAX = 600, 1200
ID_PATTERN = re.compile(r"^BSCP-\d{4}-\d{2}-\d{2}$")
_DOTLESS = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L"} | dict(zip("аеорсхі", "aeopcxi", strict=True))
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, reviews=14, seed=3, words_min=WORDS_MIN, words_max=WORDS_MAX)
    return out


@pytest.fixture(scope="module")
def project(corpus: Path) -> Project:
    return load_project(corpus / "content", TODAY)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_same_seed_gives_byte_identical_output(corpus: Path, tmp_path: Path) -> None:
    # Another process with another string-hash seed: set iteration order must not leak into output.
    command = [sys.executable, "-m", "benchmarks.corpus", "--reviews", "14", "--seed", "3"]
    command += ["--out", str(tmp_path / "again"), "--words-min", str(WORDS_MIN)]
    command += ["--words-max", str(WORDS_MAX)]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True)
    generate(tmp_path / "other", reviews=14, seed=4, words_min=WORDS_MIN, words_max=WORDS_MAX)
    first, again = _files(corpus), _files(tmp_path / "again")
    assert first == again
    assert _files(tmp_path / "other")["labels.jsonl"] != first["labels.jsonl"]


def test_generated_content_loads_without_errors_or_warnings(project: Project) -> None:
    assert len(project.reviews) == 14
    assert project.warnings == []
    assert {e.review.status.value for e in project.reviews} <= {"published", "panel_responded"}
    assert sum(e.review.status.value == "published" for e in project.reviews) >= 10
    for entry in project.reviews:
        if entry.review.type.value == "lcspr":
            assert project.related(entry.review) is not None


def test_every_label_text_is_the_source_at_its_offsets(corpus: Path, project: Project) -> None:
    labels = load_labels(corpus / "labels.jsonl")
    assert len(labels) > 14 * 60
    sources: dict[str, str] = {}
    for label in labels:
        if label.file not in sources:
            sources[label.file] = source_text(project, label.file)
        assert sources[label.file][label.start : label.end] == label.text, label


def test_labels_in_one_text_never_overlap(corpus: Path) -> None:
    ends: dict[str, int] = {}
    for label in sorted(load_labels(corpus / "labels.jsonl"), key=lambda x: (x.file, x.start)):
        assert label.start >= ends.get(label.file, 0), label
        assert label.end > label.start
        ends[label.file] = label.end


def test_published_labels_index_the_published_document_fields(
    corpus: Path, project: Project
) -> None:
    labels = [label for label in load_labels(corpus / "labels.jsonl") if label.published]
    fields = {
        entry.id: dict(review_document(entry, project).text_fields()) for entry in project.reviews
    }
    checked = 0
    for label in labels:
        path = published_field(label.file)
        assert path is not None, label.file
        text = fields[label.review_id][path]
        assert text[label.start : label.end] == label.text
        checked += 1
    assert checked > 500


def test_every_name_and_number_of_a_person_says_whose_it_is(corpus: Path) -> None:
    """The people-identifiable score counts people: each name, nickname and number of a person is
    labelled with who it belongs to, one person per key, listed or not, within its own review."""
    labels = load_labels(corpus / "labels.jsonl")
    listed: dict[str, set[bool]] = {}
    for label in labels:  # unlisted numbers belong to nobody the generator knows
        names = label.kind in ("person_name", "professional_name", "nickname")
        if names or (label.listed and label.kind in ("nhs_number", "ni_number", "phone")):
            assert label.person is not None, label
        if label.person is not None:
            assert label.person.startswith(label.review_id + "/"), label
            if label.action == "redact" and label.kind != "age":
                listed.setdefault(label.person, set()).add(label.listed)
    assert all(len(flags) == 1 for flags in listed.values())  # nobody is half listed
    assert {True, False} == {flags.pop() for flags in listed.values()}
    whose: dict[tuple[str, str], set[str]] = {}
    for label in labels:  # one full name, one person; one person, one full name
        if label.form == "full" and label.kind in ("person_name", "professional_name"):
            whose.setdefault((label.review_id, label.text), set()).add(label.person)
    assert whose and all(len(people) == 1 for people in whose.values())
    full_names = Counter(person for people in whose.values() for person in people)
    assert max(full_names.values()) == 1


def test_labels_written_before_the_person_field_still_load(tmp_path: Path) -> None:
    line = (
        '{"review_id": "BSCP-2019-20-04", "file": "reviews/BSCP-2019-20-04/analysis.md", "start": 0,'
        ' "end": 5, "text": "Kasia", "kind": "person_name", "listed": true, "action": "redact",'
        ' "form": "first", "published": true}\n'
    )
    (tmp_path / "labels.jsonl").write_text(line, encoding="utf-8")
    [label] = load_labels(tmp_path / "labels.jsonl")
    assert label.person is None and label.text == "Kasia"


def test_confidential_sections_are_labelled_unpublished(corpus: Path) -> None:
    files = {label.file: label.published for label in load_labels(corpus / "labels.jsonl")}
    for file, published in files.items():
        _, name, _ = split_file(file)
        assert published == (name not in ("parallel-processes.md", "family-involvement.md"))
        assert (published_field(file) is not None) == published


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("reviews/BSCP-2019-20-04/analysis.md", "sections.analysis"),
        ("reviews/BSCP-2019-20-04/family-involvement.md", None),
        ("reviews/BSCP-2019-20-04/review.yaml#catalogue.summary", "summary"),
        (
            "reviews/BSCP-2019-20-04/review.yaml#catalogue.learning_includes[2]",
            "learning_includes[2]",
        ),
        ("reviews/BSCP-2019-20-04/review.yaml#learning_brief.findings", "brief_panels.findings"),
        ("reviews/BSCP-2019-20-04/review.yaml#title", "title"),
    ],
)
def test_published_field_maps_label_files_to_document_fields(
    file: str, expected: str | None
) -> None:
    assert published_field(file) == expected


def test_every_review_has_narrative_words_within_the_range(project: Project) -> None:
    for entry in project.reviews:
        words = sum(narrative_words(section.text) for section in entry.sections.values())
        assert WORDS_MIN <= words <= WORDS_MAX, (entry.id, words)


# ---------------------------------------------------------------------------------------------------
# Listed means derivable from review.yaml; unlisted means not


def _fold(text: str) -> str:
    """Fold case, spacing, accents (capitals lose them: 'Yılmaz'.upper() is 'YILMAZ'), invisible
    characters and look-alike letters, as pasted text carries them."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DOTLESS)
    text = unicodedata.normalize("NFKD", text).casefold()
    return re.sub(r"\s+", " ", "".join(c for c in text if not unicodedata.combining(c))).strip()


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _fold(text))


def _phone_digits(text: str) -> str:
    digits = re.sub(r"[^0-9]", "", text)
    if digits.startswith("44"):
        digits = digits[2:]
        digits = digits if digits.startswith("0") else "0" + digits
    return digits


def _name_variants(review: Review) -> set[str]:
    out: set[str] = set()
    for person in review.people:
        for name in [*person.names, *person.aliases]:
            tokens = name.split()
            for i in range(len(tokens)):
                for j in range(i + 1, len(tokens) + 1):
                    out.add(_fold(" ".join(tokens[i:j])))
            initials = [t[0] for t in tokens]
            out |= {_fold("".join(initials)), _fold(".".join(initials) + ".")}
    return out


def _parse_date(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DOTLESS)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.IGNORECASE)
    for fmt in ("%d/%m/%Y", "%d %B %Y", "%d.%m.%y", "%B %d, %Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(cleaned.title(), fmt).date()
        except ValueError:
            continue
    return None


def _derivable(kind: str, text: str, review: Review) -> bool:
    people, places = review.people, review.places
    if kind in ("person_name", "professional_name", "nickname"):  # "Ms Okafor": one mention
        return _fold(
            re.sub(r"^(?i:mrs?|ms|miss|mx|dr|pcso|dci|pc|dc|ds|di)\.?\s+", "", text)
        ) in _name_variants(review)
    if kind == "date_of_birth":
        return _parse_date(text) in {p.date_of_birth for p in people}
    if kind == "nhs_number":
        return re.sub(r"\D", "", text) in {re.sub(r"\D", "", p.nhs_number or "") for p in people}
    if kind == "ni_number":
        return _alnum(text) in {_alnum(p.ni_number or "") for p in people}
    if kind == "phone":
        return _phone_digits(text) in {_phone_digits(n) for p in people for n in p.phones}
    if kind == "email":
        return _fold(text) in {_fold(e) for p in people for e in p.emails}
    addresses = [a for p in people for a in p.addresses] + [p.address for p in places if p.address]
    if kind == "address":
        return any(_fold(text) in _fold(a) for a in addresses)
    if kind == "postcode":
        codes = {_alnum(m) for a in addresses for m in re.findall(r"[A-Z]{2}\d \d[A-Z]{2}", a)}
        return _alnum(text) in codes
    if kind == "reference_number":
        return _fold(text) in {_fold(ref) for p in people for ref in p.other_identifiers}
    names = {_fold(n) for p in places if p.kind.value == kind for n in [p.name, *p.aliases]}
    return _fold(text) in names or _fold(text).removesuffix(" estate") in names


def test_every_listed_label_is_derivable_from_review_yaml(corpus: Path, project: Project) -> None:
    reviews = {entry.id: entry.review for entry in project.reviews}
    listed = [label for label in load_labels(corpus / "labels.jsonl") if label.listed]
    kinds = Counter(label.kind for label in listed)
    assert {"person_name", "professional_name", "address", "phone", "nhs_number"} <= set(kinds)
    for label in listed:
        assert label.action == "redact"
        assert _derivable(label.kind, label.text, reviews[label.review_id]), label


def test_no_unlisted_label_is_derivable_from_review_yaml(corpus: Path, project: Project) -> None:
    reviews = {entry.id: entry.review for entry in project.reviews}
    unlisted = [
        label
        for label in load_labels(corpus / "labels.jsonl")
        if label.action == "redact" and not label.listed
    ]
    assert {"person_name", "professional_name", "date", "address"} <= {x.kind for x in unlisted}
    for label in unlisted:
        assert not _derivable(label.kind, label.text, reviews[label.review_id]), label


def test_unlisted_names_share_no_token_with_listed_names(corpus: Path, project: Project) -> None:
    reviews = {entry.id: entry.review for entry in project.reviews}
    unlisted = [
        label
        for label in load_labels(corpus / "labels.jsonl")
        if not label.listed and label.kind in ("person_name", "professional_name")
    ]
    assert unlisted
    for label in unlisted:
        listed_tokens = {
            _fold(t) for p in reviews[label.review_id].people for n in p.names for t in n.split()
        }
        tokens = {_fold(t) for t in label.text.split() if len(t.strip(".")) > 2}
        if label.form == "shared_surname":  # an unlisted aunt: the surname, and only it, is shared
            first, surname = label.text.split(" ", 1)
            assert _fold(first) not in listed_tokens, label
            assert tokens & listed_tokens <= {_fold(t) for t in surname.split()}, label
            continue
        assert not tokens & listed_tokens, label


def test_about_a_fifth_of_person_name_mentions_are_unlisted(corpus: Path) -> None:
    names = [
        label
        for label in load_labels(corpus / "labels.jsonl")
        if label.kind in ("person_name", "professional_name", "nickname")
    ]
    share = sum(not label.listed for label in names) / len(names)
    assert 0.12 <= share <= 0.35, share


# ---------------------------------------------------------------------------------------------------
# Ids and the command


def test_600_reviews_get_unique_ids_matching_the_partnership_pattern() -> None:
    plans = plan_reviews(600, seed=11)
    ids = [p.id for p in plans]
    assert len(ids) == len(set(ids)) == 600
    assert all(ID_PATTERN.fullmatch(i) for i in ids)
    seen: set[str] = set()
    for plan in plans:
        if plan.rapid_review is not None:
            assert plan.rapid_review in seen
        seen.add(plan.id)
    assert len({i[5:12] for i in ids}) >= 10  # spread over many financial years


def test_more_reviews_than_ids_is_refused() -> None:
    with pytest.raises(ValueError, match="99 ids per financial year"):
        plan_reviews(MAX_REVIEWS + 1, seed=1)


def test_the_command_writes_a_corpus_and_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench"
    args = ["--reviews", "2", "--seed", "5", "--out", str(out), "--words-min", "400"]
    assert main([*args, "--words-max", "700"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("wrote 2 reviews")
    assert "person_name" in printed
    assert (out / "content" / "partnership.yaml").is_file()
    assert len(list((out / "content" / "reviews").iterdir())) == 2
    # Running again over its own output replaces it.
    assert main([*args, "--words-max", "700"]) == 0


def test_the_command_refuses_a_folder_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").mkdir()
    assert main(["--reviews", "1", "--out", str(tmp_path)]) == 2
    assert "was not written by the corpus generator" in capsys.readouterr().err
