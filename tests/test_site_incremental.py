"""A rebuild after a change renders only the changed pages, and publishes exactly what a full build
would: every file of the site, byte for byte, including the search index and the sitemap."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from tests.site_support import FakeApprovals, build_fixture, copy_fixture, fake_stages

LIVE = "BSCP-2024-25-05"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _from_scratch(root: Path, elsewhere: Path, **kwargs):
    """Build the same content again with no last site (but the same caches), elsewhere."""
    shutil.copytree(root, elsewhere)
    shutil.rmtree(elsewhere / "build" / "site")
    (elsewhere / "build" / "cache" / "site-state.json").unlink()
    (elsewhere / "build" / "cache" / "renderings.json").unlink()  # every text rendered afresh
    result = build_fixture(elsewhere, **kwargs)
    assert result.pages_rebuilt is None
    return _files(elsewhere / "build" / "site")


def _edit_summary(root: Path, text: str) -> None:
    summary = root / "content" / "reviews" / LIVE / "summary.md"
    summary.write_text(text, encoding="utf-8")


def test_one_changed_review_rebuilds_its_pages_only_and_matches_a_full_build(tmp_path):
    root = copy_fixture(tmp_path / "a")
    first = build_fixture(root)
    assert first.pages_rebuilt is None  # nothing to start from
    _edit_summary(root, "Child T went missing twelve times before anyone asked why.\n")
    second = build_fixture(root)
    # The review's page, and the listings and home page that quote its summary: not every page.
    assert second.pages_rebuilt is not None and 0 < second.pages_rebuilt < second.pages / 2
    site = _files(root / "build" / "site")
    assert site == _from_scratch(root, tmp_path / "b")
    index = json.loads(site["search/search_index.json"])
    texts = [doc["text"] for doc in index["docs"] if doc["location"].startswith(f"reviews/{LIVE}/")]
    assert any("went missing twelve times" in text for text in texts)
    # Every other page is still searchable: nothing was lost from the index.
    assert {d["location"].split("#")[0] for d in index["docs"]} >= {
        "process/",
        "reviews/BSCP-2024-25-01/",
        "reviews/BSCP-2024-25-03/",
        "briefs/BSCP-LB-2025-01/",
    }


def test_a_change_then_its_undoing_leaves_the_first_site(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root)
    before = _files(root / "build" / "site")
    summary = root / "content" / "reviews" / LIVE / "summary.md"
    original = summary.read_text(encoding="utf-8")
    _edit_summary(root, "A sentence that will be taken out again.\n")
    build_fixture(root)
    _edit_summary(root, original)
    again = build_fixture(root)
    assert again.pages_rebuilt is not None
    assert _files(root / "build" / "site") == before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("withdrawn", id="an item comes down: the sitemap changes"),
        pytest.param("unapproved", id="a review loses its approval: a page goes"),
    ],
)
def test_changes_beyond_pages_text_make_a_full_build(tmp_path, change):
    root = copy_fixture(tmp_path / "a")
    build_fixture(root, today=dt.date(2025, 12, 31))
    if change == "withdrawn":
        kwargs = {"today": dt.date(2026, 1, 1)}  # BSCP-2024-25-01 comes down
    else:
        kwargs = {"today": dt.date(2025, 12, 31), "stages": fake_stages(FakeApprovals({LIVE}))}
    result = build_fixture(root, **kwargs)
    assert result.pages_rebuilt is None
    assert _files(root / "build" / "site") == _from_scratch(root, tmp_path / "b", **kwargs)


def test_a_last_site_changed_by_hand_is_not_built_on(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root)
    site = root / "build" / "site"
    before = _files(site)
    page = site / "reviews" / LIVE / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    (site / "stray.html").write_text("<p>left here</p>", encoding="utf-8")
    result = build_fixture(root)
    assert result.pages_rebuilt is None
    assert _files(site) == before


def test_a_failed_build_does_not_confuse_the_next(tmp_path):
    root = copy_fixture(tmp_path / "a")
    build_fixture(root)

    def failing_scanner(project):
        raise RuntimeError("scanner unavailable")

    _edit_summary(root, "First wording of the summary, never published.\n")
    with pytest.raises(RuntimeError):
        build_fixture(root, stages=fake_stages(leak_scanner=failing_scanner))
    _edit_summary(root, "Second wording of the summary, published.\n")
    result = build_fixture(root)
    assert result.pages_rebuilt is not None
    site = _files(root / "build" / "site")
    assert site == _from_scratch(root, tmp_path / "b")
    assert b"First wording" not in site[f"reviews/{LIVE}/index.html"]


def test_renderings_are_remembered_between_builds_and_only_while_used(tmp_path, monkeypatch):
    from pipeline.publish import text

    cache_file = tmp_path / "renderings.json"
    with text.remembered_renderings(cache_file):
        first = text.render_markdown("# Learning\n\nA *short* summary.", below=2)
        text.excerpt("A *short* summary.")
    rendered = []
    real = text._render
    monkeypatch.setattr(
        text, "_render", lambda t, b, *title: rendered.append(t) or real(t, b, *title)
    )
    with text.remembered_renderings(cache_file):
        again = text.render_markdown("# Learning\n\nA *short* summary.", below=2)
        changed = text.render_markdown("A changed summary.", below=2)
    assert again == first and str(first) == "<h3>Learning</h3>\n<p>A <em>short</em> summary.</p>\n"
    assert rendered == ["A changed summary."]
    assert "<p>A changed summary.</p>" in changed
    # What the last build did not use is forgotten (the file does not grow with every edit).
    assert len(json.loads(cache_file.read_text(encoding="utf-8"))) == 2
    # Outside a build nothing is remembered.
    text.render_markdown("Outside.", below=2)
    assert rendered[-1] == "Outside."
