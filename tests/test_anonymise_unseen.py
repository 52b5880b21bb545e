"""Run on fictional reviews it has never seen, nothing listed survives in any published output."""

from __future__ import annotations

import re

import pytest

from benchmarks import corpus
from pipeline.anonymise.parallel import anonymise_many
from pipeline.content.project import load_project
from pipeline.published import publishable
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (loads the model once)


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    root = tmp_path_factory.mktemp("unseen")
    corpus.generate(root, 12, seed=424242, words_min=1200, words_max=1800)
    project = load_project(root / "content", corpus.TODAY)
    labels = [
        label
        for label in corpus.load_labels(root / "labels.jsonl")
        if label.listed and label.action == "redact" and label.published
    ]
    return project, labels


def test_no_listed_identifier_survives_in_any_published_output(unseen, anonymiser) -> None:  # noqa: F811
    project, labels = unseen
    ids = [entry.id for entry, _ in publishable(project)]
    assert ids, "the corpus published nothing"
    outcomes = {o.id: o for o in anonymise_many(project, ids, workers=1, use_cache=False)}
    checked = 0
    for label in labels:
        outcome = outcomes.get(label.review_id)
        if outcome is None:
            continue
        assert outcome.error is None, outcome.error.report()
        published = outcome.document.dumps()
        pattern = r"(?<![^\W_])" + re.escape(label.text) + r"(?![^\W_])"
        assert not re.search(pattern, published), (
            f"{label.text!r} ({label.kind}) survived in {label.review_id}"
        )
        checked += 1
    assert checked > 100
