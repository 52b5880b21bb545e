"""The authors' command line, run as an author runs it: exit status and the exact text they see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from pipeline.cli import main
from tests.conftest import EXAMPLE_TODAY, ROOT

REVIEW = "content/reviews/BSCP-2024-25-09/review.yaml"


def test_check_passes_valid_content(minimal_project: Path, run_cli) -> None:
    result = run_cli("check", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 0
    assert "content/ is valid: 1 reviews and 0 learning briefs checked." in result.output


def test_check_lists_every_mistake_and_exits_1_without_a_traceback(
    minimal_project: Path, run_cli
) -> None:
    path = minimal_project / REVIEW
    text = path.read_text(encoding="utf-8")
    text = text.replace("  outcome: death", "  outcome: deaht").replace(
        "themes: [safe-sleep, neglect]", "themes: [safe-sleep, neglekt]"
    )
    text = text.replace("    sex: male", "    sex: male\n    shoe_size: 3")
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        f"{REVIEW}:6: themes[1]: 'neglekt' is not a theme in partnership.yaml; did you mean 'neglect'?"
        in lines
    )
    assert (
        f"{REVIEW}:19: incident.outcome: 'deaht' is not allowed; choose one of 'death' or 'serious_harm'; did you mean 'death'?"
        in lines
    )
    assert any(
        line.startswith(f"{REVIEW}:30: people[0].shoe_size: unknown key; allowed here:")
        for line in lines
    )
    assert "3 problems found; nothing was written for them." in result.output
    assert "Traceback" not in result.output


def test_status_json_gives_statutory_due_dates(minimal_project: Path, run_cli) -> None:
    result = run_cli("status", "--json", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 0
    data = json.loads(result.output)
    deadlines = {d["deadline"]: d for d in data["reviews"][0]["deadlines"]}
    # LA aware on Friday 20 December 2024: the SIN is due Tuesday 31 December 2024.
    assert deadlines["sin"]["anchor"] == "2024-12-20"
    assert deadlines["sin"]["due"] == "2024-12-31"
    assert deadlines["rapid_review"]["due"] == "2025-01-16"
    assert deadlines["panel_response"]["window_opens"] == "2025-01-17"
    assert deadlines["panel_response"]["due"] == "2025-02-06"


def test_status_table_shows_working_days_left_and_next_action(
    minimal_project: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    path = minimal_project / REVIEW
    text = (
        path.read_text(encoding="utf-8")
        .replace("status: submitted", "status: in_review")
        .replace("  sent_to_panel: 2025-01-14\n", "")
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli("status", cwd=minimal_project, today="2025-01-14")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "BSCP-2024-25-09 in review Rapid review 16 Jan 2025 2 left" in flat
    assert "BSCP-2024-25-09: Send the rapid review to the Panel" in flat


def test_calendar_writes_an_ics_file_that_calendars_import(minimal_project: Path, run_cli) -> None:
    result = run_cli("calendar", "-o", "deadlines.ics", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 0
    cal = Calendar.from_ical((minimal_project / "deadlines.ics").read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        "BSCP-2024-25-09: Panel response due",
        "BSCP-2024-25-09 #1: action for Health visiting service due",
    }
    event = events["BSCP-2024-25-09: Panel response due"]
    assert event.decoded("dtstart").isoformat() == "2025-02-06"
    assert str(event["uid"]) == "BSCP-2024-25-09-panel_response@bscp.bscp"
    assert len(list(event.walk("VALARM"))) == 1
    raw = (minimal_project / "deadlines.ics").read_bytes()
    assert (
        b"\r\n" in raw and b"Tomasz" not in raw and b"Zielinsk" not in raw
    )  # no names in shared calendars


def test_new_review_scaffolds_every_section_and_asks_for_the_dates(
    minimal_project: Path, run_cli
) -> None:
    result = run_cli("new", "review", "BSCP-2025-26-11", cwd=minimal_project, today="2025-06-02")
    assert result.exit_code == 0, result.output
    folder = minimal_project / "content/reviews/BSCP-2025-26-11"
    from pipeline.content.model import ReviewType
    from pipeline.content.sections import sections_for

    for spec in sections_for(ReviewType.RAPID_REVIEW):
        assert (folder / spec.filename).read_text(encoding="utf-8").startswith("<!--")
    assert "# yaml-language-server: $schema=" in (folder / "review.yaml").read_text(
        encoding="utf-8"
    )
    # The dates are the author's to write: an untouched scaffold never shows a deadline as met.
    checked = run_cli("check", cwd=minimal_project, today="2025-06-02")
    assert checked.exit_code == 1
    assert (
        "review.yaml:22: dates.incident: is empty; write the date as YYYY-MM-DD" in checked.output
    )
    assert "dates.la_aware: is empty" in checked.output
    yaml_path = folder / "review.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    text = text.replace("  incident:  ", "  incident: 2025-05-29", 1)
    yaml_path.write_text(
        text.replace("  la_aware:  ", "  la_aware: 2025-05-30", 1), encoding="utf-8"
    )
    assert run_cli("check", cwd=minimal_project, today="2025-06-02").exit_code == 0
    shown = run_cli("status", "--long", cwd=minimal_project, today="2025-06-02").output
    assert "Serious incident notification: due Fri 6 Jun 2025; 4 working days left" in shown
    assert "met" not in shown.split("BSCP-2025-26-11")[1]
    again = run_cli("new", "review", "BSCP-2025-26-11", cwd=minimal_project, today="2025-06-02")
    assert again.exit_code == 1 and "already exists" in again.output


def test_new_refuses_an_id_that_breaks_the_pattern(minimal_project: Path, run_cli) -> None:
    result = run_cli("new", "review", "../escape", cwd=minimal_project, today="2025-06-02")
    assert result.exit_code == 1
    assert (
        "'../escape' is not a review id of the partnership's form; write one like BSCP-2025-26-01"
        in result.output
    )
    assert "^BSCP" not in result.output  # an example, not a regular expression
    assert not (minimal_project / "escape").exists()


def test_new_brief_scaffolds_seven_panels(minimal_project: Path, run_cli) -> None:
    assert run_cli("new", "brief", "BSCP-LB-2025-02", cwd=minimal_project).exit_code == 0
    text = (minimal_project / "content/briefs/BSCP-LB-2025-02/brief.yaml").read_text(
        encoding="utf-8"
    )
    for n in range(1, 8):
        assert f"    {n}. " in text
    assert run_cli("check", cwd=minimal_project, today="2025-02-01").exit_code == 0


def test_missing_content_folder_is_explained(tmp_path: Path, run_cli) -> None:
    result = run_cli("check", cwd=tmp_path)
    assert result.exit_code == 1
    assert "no content folder here" in result.output


def test_committed_schemas_and_reference_are_up_to_date(run_cli) -> None:
    result = run_cli("schema", "--check", cwd=ROOT)
    assert result.exit_code == 0, result.output


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(main)], ids=lambda p: " ".join(p))
def test_every_command_has_help_and_is_in_the_readme(path: tuple[str, ...]) -> None:
    command = dict(_commands(main))[path]
    assert command.help and len(command.help.strip()) > 10
    assert f"bscp {' '.join(path)}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_example_content_is_valid_and_covers_every_state(run_cli) -> None:
    result = run_cli("status", "--json", cwd=ROOT, today=EXAMPLE_TODAY.isoformat())
    assert result.exit_code == 0, result.output
    reviews = json.loads(result.output)["reviews"]
    assert len(reviews) >= 4
    states = {(r["type"], r["status"]) for r in reviews}
    assert ("rapid_review", "submitted") in states
    assert ("lcspr", "published") in states
    by_state = {
        d["state"] for r in reviews for d in r["deadlines"] if d["deadline"] == "rapid_review"
    }
    assert {"due", "overdue"} <= by_state
    briefs = list((ROOT / "content" / "briefs").glob("*/brief.yaml"))
    assert len(briefs) >= 2
