"""Content parsed before is not parsed again, and what comes back is exactly what a parse gives."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.content.project import load_project
from pipeline.errors import ContentError
from tests.conftest import EXAMPLE_TODAY as TODAY

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path / "content"


def _same(a, b) -> None:
    assert a.partnership == b.partnership
    assert [e.review for e in a.reviews] == [e.review for e in b.reviews]
    assert [e.brief for e in a.briefs] == [e.brief for e in b.briefs]
    assert [e.source.lines for e in a.reviews] == [e.source.lines for e in b.reviews]


def test_a_second_load_uses_what_the_first_parsed_and_gets_the_same_project(
    content, tmp_path, monkeypatch
):
    cache = tmp_path / "build" / "cache" / "content.json"
    plain = load_project(content, TODAY)
    first = load_project(content, TODAY, parse_cache=cache)
    _same(plain, first)
    assert cache.is_file()

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yaml, "compose", no_parsing)
    second = load_project(content, TODAY, parse_cache=cache)
    _same(plain, second)
    # Dates come back as dates, not as the text they were stored as.
    assert all(type(e.review.dates.incident) is dt.date for e in second.reviews)


def test_a_changed_file_is_parsed_again_and_its_mistakes_reported_every_time(content, tmp_path):
    cache = tmp_path / "cache.json"
    load_project(content, TODAY, parse_cache=cache)
    review = next((content / "reviews").iterdir()) / "review.yaml"
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace("type:", "tpye:", 1), encoding="utf-8")
    for _ in range(2):  # the mistake is not remembered as if it were good content
        with pytest.raises(ContentError) as caught:
            load_project(content, TODAY, parse_cache=cache)
        assert "tpye" in caught.value.report()
    review.write_text(text, encoding="utf-8")
    _same(load_project(content, TODAY), load_project(content, TODAY, parse_cache=cache))


@pytest.mark.parametrize("stored", ["not json", '{"version": "old", "files": {}}', "[]"])
def test_a_damaged_or_old_cache_is_ignored(content, tmp_path, stored):
    cache = tmp_path / "cache.json"
    cache.write_text(stored, encoding="utf-8")
    _same(load_project(content, TODAY), load_project(content, TODAY, parse_cache=cache))


def test_a_date_written_where_text_belongs_is_reported_from_a_remembered_parse_too(
    content, tmp_path
):
    cache = tmp_path / "cache.json"
    review = next((content / "reviews").iterdir()) / "review.yaml"
    text = review.read_text(encoding="utf-8")
    lines = [
        ("title: 2024-01-01" if line.startswith("title:") else line) for line in text.splitlines()
    ]
    review.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):  # parsed, then remembered: a date either way
        with pytest.raises(ContentError) as caught:
            load_project(content, TODAY, parse_cache=cache)
        assert "title: must be text, not datetime.date(2024, 1, 1)" in caught.value.report()
