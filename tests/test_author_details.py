"""The small things an author meets: --today anywhere, a status that fits 80 columns, progress on a
slow start, a section's own title not printed twice, and a calendar without alarms in the past."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import docx
import pytest
from icalendar import Calendar

from pipeline import slow_start
from pipeline.cli import hoist_global_options
from pipeline.content.project import load_project
from tests.conftest import EXAMPLE_TODAY, ROOT

REVIEW_DIR = "content/reviews/BSCP-2024-25-09"


@pytest.mark.parametrize(
    "args",
    [
        ["--today", "2025-01-14", "status", "--json"],
        ["status", "--today", "2025-01-14", "--json"],
        ["status", "--json", "--today=2025-01-14"],
    ],
)
def test_today_is_accepted_before_or_after_the_command(
    minimal_project: Path, run_cli, args: list[str]
) -> None:
    result = run_cli(*args, cwd=minimal_project)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["today"] == "2025-01-14"


def test_today_after_a_nested_command_reaches_it(minimal_project: Path, run_cli) -> None:
    result = run_cli("new", "review", "oops", "--today", "2025-06-02", cwd=minimal_project)
    assert "write one like BSCP-2025-26-01" in result.output  # counted from 2 June 2025


def test_only_global_options_move_and_nothing_after_a_double_dash() -> None:
    assert hoist_global_options(["render", "X", "--today", "2025-01-01", "--", "--today"]) == [
        "--today",
        "2025-01-01",
        "render",
        "X",
        "--",
        "--today",
    ]


def test_status_is_one_line_per_review_within_80_columns(run_cli) -> None:
    result = run_cli("status", cwd=ROOT, today=EXAMPLE_TODAY.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    ids = sorted(p.name for p in (ROOT / "content" / "reviews").iterdir())
    for review_id in ids:
        rows = [line for line in lines if line.startswith(review_id + " ")]
        assert len(rows) == 1, rows
    assert "…" not in result.stdout  # nothing is cut short
    assert any(line.startswith("BSCP-2026-27-13  before SIN") for line in lines)


def test_status_long_wraps_every_deadline_within_80_columns(run_cli) -> None:
    result = run_cli("status", "--long", cwd=ROOT, today=EXAMPLE_TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    flat = " ".join(result.stdout.split())
    assert (
        "LCSPR publication: due Fri 6 Nov 2026; 13 working days overdue; held: The criminal trial"
        in flat
    )
    assert (
        "LCSPR final report to the Panel and the DfE: due Mon 8 Feb 2027; met (30 Oct 2026)" in flat
    )


def test_a_slow_step_says_what_it_is_doing_within_a_second(monkeypatch, capsys) -> None:
    monkeypatch.setattr(slow_start, "interactive", lambda: True)
    started = time.monotonic()
    with slow_start.announce_if_slow("Loading the language model...", after=0.2):
        while "Loading" not in capsys.readouterr().err:
            assert time.monotonic() - started < 1, "nothing printed within a second"
            time.sleep(0.02)
    with slow_start.announce_if_slow("Never shown", after=0.2):
        pass
    time.sleep(0.3)
    assert "Never shown" not in capsys.readouterr().err


def test_a_slow_step_prints_nothing_for_programs(monkeypatch, capsys) -> None:
    monkeypatch.setattr(slow_start, "interactive", lambda: False)
    with slow_start.announce_if_slow("Loading...", after=0.0):
        time.sleep(0.1)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "start",
    [
        "## Analysis\n\n",
        "# analysis:\n",
        "Analysis\n========\n",
        "<!-- guidance -->\n### **Analysis**\n",
    ],
)
def test_a_section_starting_with_its_own_title_prints_it_once(
    minimal_project: Path, start: str
) -> None:
    path = minimal_project / REVIEW_DIR / "analysis.md"
    body = path.read_text(encoding="utf-8")
    path.write_text(start + body, encoding="utf-8")
    project = load_project(minimal_project / "content", dt.date(2025, 2, 1))
    text = project.review("BSCP-2024-25-09").section_text("analysis")
    assert "Analysis" not in text and text.strip() == body.strip()
    assert text.count("\n") == (start + body).count("\n")  # lines still match the file

    from pipeline.render import render_review

    out = minimal_project / "build"
    paths = render_review(project, project.review("BSCP-2024-25-09"), out)
    rapid = next(p for p in paths if p.name.endswith("rapid-review.docx"))
    texts = [p.text.strip() for p in docx.Document(str(rapid)).paragraphs]
    assert texts.count("Analysis") == 1


def test_a_heading_that_differs_from_the_title_is_kept(minimal_project: Path) -> None:
    path = minimal_project / REVIEW_DIR / "analysis.md"
    path.write_text("## Analysis of the health visits\n\n" + path.read_text("utf-8"), "utf-8")
    project = load_project(minimal_project / "content", dt.date(2025, 2, 1))
    assert "## Analysis of the health visits" in project.review("BSCP-2024-25-09").section_text(
        "analysis"
    )


def test_calendar_marks_overdue_and_sets_no_alarm_in_the_past(
    minimal_project: Path, run_cli
) -> None:
    # The Panel's response is due Thursday 6 February 2025: on 1 February its reminder is to come.
    run_cli("calendar", "-o", "ahead.ics", cwd=minimal_project, today="2025-02-01")
    ahead = Calendar.from_ical((minimal_project / "ahead.ics").read_bytes()).walk("VEVENT")
    deadlines = [
        e for e in ahead if "-action-" not in str(e["uid"])
    ]  # the action plan's own events
    assert [len(list(e.walk("VALARM"))) for e in deadlines] == [1]
    path = minimal_project / REVIEW_DIR / "review.yaml"
    text = path.read_text(encoding="utf-8").replace("status: submitted", "status: in_review")
    path.write_text(text.replace("  sent_to_panel: 2025-01-14\n", ""), encoding="utf-8")
    # The rapid review was due Thursday 16 January 2025; on 20 January it is 2 working days overdue.
    run_cli("calendar", "-o", "late.ics", cwd=minimal_project, today="2025-01-20")
    event = next(
        iter(Calendar.from_ical((minimal_project / "late.ics").read_bytes()).walk("VEVENT"))
    )
    assert str(event["summary"]) == "OVERDUE: BSCP-2024-25-09: Rapid review to the Panel due"
    assert str(event["description"]).startswith("Overdue: 2 working days overdue.")
    assert not list(event.walk("VALARM"))
    # Two days before the deadline is today: the reminder would fire at once, so there is none.
    run_cli("calendar", "-o", "close.ics", cwd=minimal_project, today="2025-01-14")
    event = next(
        iter(Calendar.from_ical((minimal_project / "close.ics").read_bytes()).walk("VEVENT"))
    )
    assert not str(event["summary"]).startswith("OVERDUE") and not list(event.walk("VALARM"))


def test_the_readme_shows_the_real_status_of_the_examples(run_cli) -> None:
    result = run_cli("status", "--today", "2026-11-25", cwd=ROOT)
    shown = "\n".join(("    " + line).rstrip() for line in result.stdout.splitlines())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert shown in readme, "regenerate the README's example: bscp status --today 2026-11-25"


def test_a_step_showing_its_own_progress_calls_the_announcement_off(monkeypatch, capsys) -> None:
    monkeypatch.setattr(slow_start, "interactive", lambda: True)
    with slow_start.announce_if_slow("Never shown", after=0.2) as quiet:
        quiet()  # e.g. the first review anonymised has printed its line
        time.sleep(0.3)
    assert "Never shown" not in capsys.readouterr().err
