"""`bscp render`: documents under build/confidential/<id>/, progress, the cache, and clear errors."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.fixtures.render.support import CONTENT, EARLY, FULL


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run `bscp` in a copy of the fixture project; the build folder carries over between calls."""
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)

    def invoke(*args, today="2025-03-31", env=None):
        return CliRunner().invoke(main, ["--today", today, *args], env=env)

    return invoke


def test_render_writes_the_confidential_documents(run, tmp_path):
    result = run("render", FULL)
    assert result.exit_code == 0, result.output
    assert result.output == f"{FULL}: 3 documents written in build/confidential/{FULL}/\n"
    folder = tmp_path / "build" / "confidential" / FULL
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{FULL}-rapid-review.docx",
        f"{FULL}-sin-record.docx",
        f"{FULL}-terms-of-reference.docx",
    ]


def test_an_unchanged_review_is_not_rendered_again(run, tmp_path):
    run("render", FULL)
    document = tmp_path / "build" / "confidential" / FULL / f"{FULL}-rapid-review.docx"
    before = document.stat().st_mtime_ns
    result = run("render", FULL)
    assert result.output == f"{FULL}: 3 documents unchanged in build/confidential/{FULL}/\n"
    assert document.stat().st_mtime_ns == before
    summary = tmp_path / "content" / "reviews" / FULL / "summary.md"
    summary.write_text(summary.read_text() + "\nA new sentence.\n")
    assert "written" in run("render", FULL).output


def test_a_new_day_renders_again_when_the_working_days_left_change(run):
    assert "written" in run("render", EARLY).output
    assert "unchanged" in run("render", EARLY).output
    # The rapid review is still due: the next working day, the days left in its table change.
    assert "written" in run("render", EARLY, today="2025-04-01").output


def test_render_all_shows_progress(run):
    result = run("render", "--all")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"[1/2] {FULL}: 3 documents written in build/confidential/{FULL}/",
        f"[2/2] {EARLY}: 2 documents written in build/confidential/{EARLY}/",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "give one review id, or --all"),
        ((FULL, "--all"), 2, "give one review id, or --all"),
        (
            ("BSCP-2024-25-9",),
            1,
            "no review has the id 'BSCP-2024-25-9'; did you mean 'BSCP-2024-25-92'?",
        ),
    ],
)
def test_render_usage_errors(run, args, code, message):
    result = run("render", *args)
    assert result.exit_code == code
    assert message in result.output


def test_render_pdf_without_libreoffice_says_what_to_install(run, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    result = run("render", FULL, "--pdf", env={"PATH": str(empty), "BSCP_SOFFICE": ""})
    assert result.exit_code == 1
    assert "libreoffice-writer-nogui" in result.output
    assert not (tmp_path / "build" / "confidential").exists()


def test_render_has_help():
    result = CliRunner().invoke(main, ["render", "--help"])
    assert result.exit_code == 0
    assert "build/confidential/<id>/" in result.output and "--pdf" in result.output


@pytest.mark.parametrize(
    "damaged",
    [b'{"key": "abc", "fi', b"\x00\xff\xfe" * 50, b'{"key": 7, "files": [3, {"a": 1}]}', b"[]"],
    ids=["cut short", "binary garbage", "of another shape", "a list"],
)
def test_a_damaged_render_cache_renders_again(run, tmp_path, damaged):
    run("render", FULL)
    cache = tmp_path / "build" / "cache" / "render" / f"{FULL}.json"
    cache.write_bytes(damaged)
    result = run("render", FULL)
    assert result.exit_code == 0, result.output
    assert result.output == f"{FULL}: 3 documents written in build/confidential/{FULL}/\n"
    assert "unchanged" in run("render", FULL).output  # the entry is whole again


def test_a_render_cache_entry_never_names_a_file_elsewhere(run, tmp_path):
    run("render", FULL)
    outside = tmp_path / "content" / "partnership.yaml"
    cache = tmp_path / "build" / "cache" / "render" / f"{FULL}.json"
    cache.write_text('{"key": "old", "files": ["../../../content/partnership.yaml"]}')
    assert run("render", FULL).exit_code == 0
    assert outside.is_file()
