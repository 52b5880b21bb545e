"""Action plans: checked like the rest of a review, listed by `bscp actions`, and in the calendar."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from rich.console import Console

from pipeline.calendar.actions import ActionState, action_rows, action_state
from pipeline.cli_output import print_actions
from pipeline.content.model import Action, ActionStatus
from pipeline.content.project import load_project
from pipeline.errors import ContentError

REVIEW = "content/reviews/BSCP-2024-25-09/review.yaml"
TODAY = dt.date(2025, 2, 1)
ROOT = Path(__file__).resolve().parent.parent

PLAN = """actions:
  - action: Brief every health visitor on the learning about Tomasz.
    owner: Health visiting service
    due: 2025-01-24
    status: in_progress
  - action: Re-launch the safe sleep leaflet.
    owner: Brackenford Safeguarding Children Partnership
    due: 2025-02-28
  - action: Audit the new birth visits.
    owner: NHS Brackenford and Wyvern Integrated Care Board
    due: 2025-01-10
    status: complete
    completed: 2025-01-17
    evidence: 18 of 20 visits recorded every adult in the household.
"""


def write_plan(project: Path, plan: str) -> None:
    path = project / REVIEW
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("actions:")] if "actions:" in text else text
    path.write_text(head + plan, encoding="utf-8")


def problems(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_project(project / "content", TODAY)
    return [str(p).replace(str(project) + "/", "") for p in caught.value.problems]


def test_overdue_is_worked_out_from_the_due_date_not_written() -> None:
    action = Action(action="x", owner="Police", due=dt.date(2025, 1, 24), status="in_progress")
    assert action_state(action, dt.date(2025, 1, 24)) is ActionState.IN_PROGRESS
    assert action_state(action, dt.date(2025, 1, 27)) is ActionState.OVERDUE
    done = action.model_copy(
        update={"status": ActionStatus.COMPLETE, "completed": dt.date(2025, 2, 3)}
    )
    # Completed after the day asked about: it was still outstanding (overdue) then.
    assert action_state(done, dt.date(2025, 1, 31)) is ActionState.OVERDUE
    assert action_state(done, dt.date(2025, 2, 3)) is ActionState.COMPLETE
    undated = Action(action="x", owner="Police")
    assert action_state(undated, dt.date(2030, 1, 1)) is ActionState.OPEN


def test_every_mistake_in_a_plan_is_named_with_file_line_and_field(minimal_project: Path) -> None:
    write_plan(
        minimal_project,
        """actions:
  - action: Brief the health visitors.
    owner: Health visitng service
    due: 2025-02-30
  - action: Re-launch the leaflet.
    owner: Wyvern Constabulary
    status: complete
  - action: Audit the visits.
    owner: BSCP
    status: in_progress
    completed: 2025-03-10
  - owner: Brackenford Borough Council
    status: overdue
""",
    )
    found = problems(minimal_project)
    start = next(
        i
        for i, line in enumerate((minimal_project / REVIEW).read_text().splitlines(), 1)
        if line == "actions:"
    )
    # Every problem at once, each on its own line of the file.
    expected = [
        (2, "actions[0].owner: 'Health visitng service' is not one of the review's agencies"),
        (3, "actions[0].due: '2025-02-30' is not a date"),
        (4, "actions[1].completed: the action is complete: add the date it was completed"),
        (9, "actions[2].status: is in_progress but a completed date is recorded"),
        (10, "actions[2].completed: 10 March 2025 is in the future"),
        (11, "actions[3].action: is required but missing"),
        (12, "actions[3].status: 'overdue' is not allowed"),
    ]
    for offset, text in expected:
        assert any(p.startswith(f"{REVIEW}:{start + offset}: {text}") for p in found), text
    # Partners, the partnership's name and abbreviation are owners too.
    assert not any(".owner" in p for p in found[1:]), found
    assert len(found) == len(expected), found


def test_an_owner_that_is_not_an_agency_is_refused_with_a_suggestion(
    minimal_project: Path,
) -> None:
    write_plan(
        minimal_project,
        "actions:\n  - action: Brief the health visitors.\n    owner: Health visitng service\n",
    )
    (found,) = problems(minimal_project)
    assert "actions[0].owner: 'Health visitng service' is not one of the review's agencies" in found
    assert "did you mean 'Health visiting service'?" in found


def test_actions_names_a_no_further_review_decision_without_a_plan(
    minimal_project: Path, run_cli
) -> None:
    path = minimal_project / REVIEW
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("actions:")], encoding="utf-8")
    result = run_cli("actions", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 0
    assert (
        "No action plan recorded for these reviews, which decided on no further review: "
        "BSCP-2024-25-09"
    ) in " ".join(result.output.split())
    data = json.loads(run_cli("actions", "--json", cwd=minimal_project, today="2025-02-01").output)
    assert data == {
        "today": "2025-02-01",
        "actions": [],
        "reviews_without_a_plan": ["BSCP-2024-25-09"],
    }
    write_plan(minimal_project, PLAN)
    data = json.loads(run_cli("actions", "--json", cwd=minimal_project, today="2025-02-01").output)
    assert data["reviews_without_a_plan"] == []


def test_a_complete_action_without_evidence_is_warned(minimal_project: Path) -> None:
    write_plan(
        minimal_project,
        "actions:\n  - action: Audit.\n    owner: Wyvern Constabulary\n    status: complete\n    completed: 2025-01-20\n",
    )
    project = load_project(minimal_project / "content", TODAY)
    assert any("actions[0].evidence" in str(w) for w in project.warnings)


def test_actions_lists_outstanding_actions_overdue_first_as_json(
    minimal_project: Path, run_cli
) -> None:
    write_plan(minimal_project, PLAN)
    result = run_cli("actions", "--json", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["today"] == "2025-02-01"
    assert [(a["number"], a["state"], a["working_days_left"]) for a in data["actions"]] == [
        (1, "overdue", -5),
        (2, "open", 20),
    ]
    everything = json.loads(
        run_cli("actions", "--json", "--all", cwd=minimal_project, today="2025-02-01").output
    )
    assert [a["state"] for a in everything["actions"]][-1] == "complete"
    assert everything["actions"][-1]["evidence"].startswith("18 of 20")


def test_an_open_action_becomes_overdue_after_its_due_date(minimal_project: Path, run_cli) -> None:
    write_plan(minimal_project, PLAN)
    later = json.loads(run_cli("actions", "--json", cwd=minimal_project, today="2025-03-04").output)
    assert [a["state"] for a in later["actions"]] == ["overdue", "overdue"]


def test_the_actions_table_fits_80_columns_and_counts_overdue(minimal_project: Path) -> None:
    write_plan(minimal_project, PLAN)
    project = load_project(minimal_project / "content", TODAY)
    out = io.StringIO()
    print_actions(project, action_rows(project), Console(file=out, width=80))
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "5 working days" in text and "overdue" in text
    assert "BSCP-2024-25-09" in text and "#1" in text
    assert "2 actions still to do, 1 overdue." in text
    assert "Audit the new birth visits" not in text  # complete


def test_outstanding_actions_with_a_due_date_are_in_the_calendar_without_their_text(
    minimal_project: Path, run_cli
) -> None:
    write_plan(minimal_project, PLAN)
    result = run_cli("calendar", "-o", "d.ics", cwd=minimal_project, today="2025-02-01")
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical((minimal_project / "d.ics").read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT") if "#" in str(e["summary"])}
    overdue = events["BSCP-2024-25-09 #1: action for Health visiting service overdue"]
    assert overdue.decoded("dtstart") == dt.date(2025, 1, 24)
    assert not list(overdue.walk("VALARM"))  # no reminder in the past
    due = events["BSCP-2024-25-09 #2: action for Brackenford Safeguarding Children Partnership due"]
    assert len(list(due.walk("VALARM"))) == 1
    assert len(events) == 2  # the complete action is not in the calendar
    assert b"Tomasz" not in (minimal_project / "d.ics").read_bytes()


def test_the_example_has_a_rapid_review_with_a_plan_and_no_lcspr() -> None:
    project = load_project(ROOT / "content", dt.date(2026, 12, 2))
    with_plans = [
        e.review
        for e in project.reviews
        if e.review.actions
        and e.review.type.value == "rapid_review"
        and e.review.decision is not None
        and e.review.decision.outcome.value == "no_further_review"
    ]
    assert with_plans
    states = {r.state for r in action_rows(project, include_complete=True)}
    assert states == set(ActionState)  # the README's output shows every state


def test_the_rapid_review_for_the_panel_carries_the_plan_as_a_styled_table(
    minimal_project: Path, tmp_path: Path
) -> None:
    from docx import Document

    from pipeline.render import render_review

    write_plan(minimal_project, PLAN)
    project = load_project(minimal_project / "content", TODAY)
    paths = render_review(project, project.review("BSCP-2024-25-09"), tmp_path)
    doc = Document(next(p for p in paths if p.name.endswith("rapid-review.docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Action plan" in headings
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "No."]
    assert table.style.name == "BSCP Table"
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header repeats on a new page
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[0][:5] == [
        "1",
        "Brief every health visitor on the learning about Tomasz.",
        "Health visiting service",
        "24 January 2025",
        "Overdue by 5 working days",
    ]
    assert rows[1][4] == "Open: 20 working days left"
    assert rows[2][4] == "Complete on 17 January 2025"
    assert rows[2][5] == "18 of 20 visits recorded every adult in the household."
    styles = {p.style.name for r in table.rows for c in r.cells for p in c.paragraphs}
    assert styles == {"Table Text"}
