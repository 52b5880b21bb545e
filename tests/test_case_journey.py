"""The whole journey of a case: before the notification, a decision not to notify, placeholders and
empty sections refused past draft, and an LCSPR's final report and publication choices."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from pipeline.content.project import load_project
from pipeline.errors import ContentError
from pipeline.published import review_document

CASE = "content/reviews/BSCP-2024-25-20"
REVIEW = "content/reviews/BSCP-2024-25-09/review.yaml"

EARLY_CASE = """\
id: BSCP-2024-25-20
type: rapid_review
title: "Child B: rapid review"
status: draft
dates:
  incident: 2024-12-19
  la_aware: 2024-12-20
incident:
  outcome: serious_harm
  nature: [non_accidental_injury]
  description: A fictional toddler was brought to hospital with an unexplained burn.
people:
  - label: Child B
    role: child
    names: [Bartholomew Quenby-Test]
"""

NOT_NOTIFIED = """\
not_notified:
  date: 2024-12-23
  reason: The burn was accidental; the child protection medical found no sign of abuse or neglect.
  agreed_by: [Head of Safeguarding (local authority), Designated Nurse (health), Detective Inspector (police)]
"""


def write_case(project: Path, text: str = EARLY_CASE, alone: bool = False) -> Path:
    """Write the case; `alone` removes the fixture's own review (its dates are later than the case's)."""
    if alone:
        shutil.rmtree(project / "content/reviews/BSCP-2024-25-09")
    folder = project / CASE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "review.yaml").write_text(text, encoding="utf-8")
    return folder


def problems(project: Path, today: dt.date) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_project(project / "content", today)
    return [str(p).replace(str(project) + "/", "") for p in caught.value.problems]


def status_line(run_cli, project: Path, today: str) -> str:
    """Return the case's line of `bscp status`, as an author reads it."""
    lines = run_cli("status", cwd=project, today=today).stdout.splitlines()
    return next(line for line in lines if line.startswith("BSCP-2024-25-20 "))


def edit(project: Path, old: str, new: str, file: str = REVIEW) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------------------------------------------
# 1. Before the notification


def test_a_case_opened_the_day_the_la_is_aware_counts_the_notification_clock_down(
    minimal_project: Path, run_cli
) -> None:
    write_case(minimal_project, alone=True)
    # LA aware Friday 20 Dec 2024: due Tuesday 31 Dec (25, 26 Dec are bank holidays).
    result = run_cli("status", "--json", cwd=minimal_project, today="2024-12-23")
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout)["reviews"] if r["id"] == "BSCP-2024-25-20")
    sin = next(d for d in row["deadlines"] if d["deadline"] == "sin")
    assert (sin["due"], sin["state"], sin["working_days_left"]) == ("2024-12-31", "due", 4)
    assert row["stage"] == "before SIN"
    assert row["next_action"] == (
        "Decide with the partners whether to notify; if so, notify the Panel, Ofsted and the DfE "
        "by Tue 31 Dec 2024 (4 working days left)"
    )
    assert status_line(run_cli, minimal_project, "2024-12-30") == (
        "BSCP-2024-25-20  before SIN    Notification   31 Dec 2024  1 left"
    )


def test_no_rapid_review_meeting_or_status_past_draft_without_a_notification(
    minimal_project: Path,
) -> None:
    write_case(
        minimal_project,
        EARLY_CASE.replace("status: draft", "status: in_review").replace(
            "  la_aware: 2024-12-20\n",
            "  la_aware: 2024-12-20\n  rapid_review_meetings: [2025-01-08]\n",
        ),
        alone=True,
    )
    found = problems(minimal_project, dt.date(2025, 1, 10))
    assert (
        f"{CASE}/review.yaml:5: dates.sin_submitted: a rapid review needs the date the Serious "
        "Incident Notification was submitted" in found
    )
    assert any(
        "notification: a rapid review needs the Serious Incident Notification" in p for p in found
    )


def test_a_decision_not_to_notify_closes_the_case(minimal_project: Path, run_cli) -> None:
    write_case(minimal_project, EARLY_CASE.replace("dates:\n", NOT_NOTIFIED + "dates:\n"))
    result = run_cli("status", "--json", cwd=minimal_project, today="2025-02-01")
    row = next(r for r in json.loads(result.stdout)["reviews"] if r["id"] == "BSCP-2024-25-20")
    assert row["stage"] == "not notified"
    assert row["next_action"] == "None: the partners decided on 23 Dec 2024 not to notify"
    assert [(d["deadline"], d["state"], d["note"]) for d in row["deadlines"]] == [
        ("sin", "closed", "decided not to notify")
    ]
    run_cli("calendar", "-o", "deadlines.ics", cwd=minimal_project, today="2025-02-01")
    cal = Calendar.from_ical((minimal_project / "deadlines.ics").read_bytes())
    assert not [e for e in cal.walk("VEVENT") if "BSCP-2024-25-20" in str(e["summary"])]


def test_a_decision_not_to_notify_cannot_sit_beside_a_notification(minimal_project: Path) -> None:
    text = EARLY_CASE.replace("dates:\n", NOT_NOTIFIED + "dates:\n").replace(
        "  la_aware: 2024-12-20\n", "  la_aware: 2024-12-20\n  sin_submitted: 2024-12-23\n"
    )
    write_case(minimal_project, text.replace("status: draft", "status: submitted"))
    found = "\n".join(problems(minimal_project, dt.date(2025, 2, 1)))
    assert "dates.sin_submitted: the partners decided not to notify (not_notified)" in found
    assert (
        "status: the partners decided not to notify (not_notified), so no rapid review follows"
        in found
    )


def test_bscp_new_leaves_the_dates_blank_so_nothing_shows_as_met(
    minimal_project: Path, run_cli
) -> None:
    run_cli("new", "review", "BSCP-2025-26-12", cwd=minimal_project, today="2025-06-02")
    text = (minimal_project / "content/reviews/BSCP-2025-26-12/review.yaml").read_text("utf-8")
    assert "2025-06-02" not in text  # no date is written for the author
    assert "REPLACE-WITH-SIN-REFERENCE" not in text  # no notification before there is one


# ---------------------------------------------------------------------------------------------------
# 2. Placeholders and empty sections


def test_placeholders_are_allowed_in_a_draft_and_refused_after_it(minimal_project: Path) -> None:
    write_case(
        minimal_project, EARLY_CASE.replace("[Bartholomew Quenby-Test]", "[Replace With Full Name]")
    )
    load_project(minimal_project / "content", dt.date(2025, 2, 1))  # a draft may hold them
    edit(minimal_project, "reference: SIN-2024-0999", "reference: REPLACE-WITH-SIN-REFERENCE")
    found = problems(minimal_project, dt.date(2025, 2, 1))
    assert (
        f"{REVIEW}:8: notification.reference: 'REPLACE-WITH-SIN-REFERENCE' is a placeholder, and "
        "status is submitted: write the real value (placeholders are allowed only in a draft)"
    ) in found
    assert not any("BSCP-2024-25-20" in p for p in found)


def test_a_placeholder_in_a_section_is_refused_with_its_file_and_line(
    minimal_project: Path,
) -> None:
    path = minimal_project / "content/reviews/BSCP-2024-25-09/learning.md"
    path.write_text(path.read_text("utf-8") + "\nTODO: add the health learning.\n", "utf-8")
    found = problems(minimal_project, dt.date(2025, 2, 1))
    assert found == [
        "content/reviews/BSCP-2024-25-09/learning.md:3: 'TODO' is a placeholder, and status is "
        "submitted: write the text (placeholders are allowed only in a draft)"
    ]


@pytest.mark.parametrize(
    "text", ["", "## Analysis\n", "Not recorded.\n", "<!-- guidance -->\nTBC\n"]
)
def test_a_submitted_review_needs_substance_in_the_sections_the_panel_expects(
    minimal_project: Path, text: str
) -> None:
    (minimal_project / "content/reviews/BSCP-2024-25-09/analysis.md").write_text(text, "utf-8")
    found = problems(minimal_project, dt.date(2025, 2, 1))
    assert (
        "content/reviews/BSCP-2024-25-09/analysis.md: status is submitted but analysis.md (Analysis) "
        "says nothing yet (at least 5 words besides headings): the Panel expects it"
    ) in found
    assert len(found) == (2 if "TBC" in text else 1)  # TBC is also named as a placeholder


def test_an_lcspr_decision_needs_key_lines_of_enquiry_with_substance(minimal_project: Path) -> None:
    edit(
        minimal_project,
        "outcome: no_further_review",
        "outcome: lcspr\n  regulation_11: [improvements_needed]",
    )
    folder = minimal_project / "content/reviews/BSCP-2024-25-09"
    (folder / "key-lines-of-enquiry.md").write_text("# Key lines of enquiry\n\nTBC\n", "utf-8")
    found = problems(minimal_project, dt.date(2025, 2, 1))
    assert any(
        p.startswith(f"{CASE[:-2]}09/key-lines-of-enquiry.md: status is submitted") for p in found
    )


def test_a_published_brief_left_as_scaffolded_is_refused(minimal_project: Path, run_cli) -> None:
    run_cli("new", "brief", "BSCP-LB-2025-02", cwd=minimal_project, today="2025-02-01")
    path = minimal_project / "content/briefs/BSCP-LB-2025-02/brief.yaml"
    text = (
        path.read_text("utf-8")
        .replace("status: draft ", "status: published")
        .replace("# published: YYYY-MM-DD", "published: 2025-01-30")
    )
    path.write_text(text, "utf-8")
    found = "\n".join(problems(minimal_project, dt.date(2025, 2, 1)))
    assert 'brief.yaml:5: title: "Replace with the brief\'s title" is a placeholder' in found
    assert "panels.why_it_matters: is still the text `bscp new brief` wrote" in found


# ---------------------------------------------------------------------------------------------------
# 4. LCSPR publication

RAPID_WITH_LCSPR = (
    "outcome: no_further_review",
    "outcome: lcspr\n  regulation_11: [improvements_needed]",
)

LCSPR = """\
id: BSCP-2024-25-20
type: lcspr
title: "Baby T: local child safeguarding practice review"
status: submitted
rapid_review: BSCP-2024-25-09
dates:
  incident: 2024-12-18
  la_aware: 2024-12-20
{dates}
incident:
  outcome: death
  nature: [sudi]
  description: A fictional infant died while co-sleeping on a sofa.
people:
  - label: Baby T
    role: child
    names: [Tomasz Zielinski-Hart]
{extra}
"""

SECTIONS = {
    "summary.md": "Baby T died at ten weeks old while sharing a sofa with a parent.",
    "analysis.md": "Safe sleep advice was not repeated when the family's circumstances changed.",
    "learning.md": "Safe sleep advice must be repeated whenever a family's circumstances change.",
    "recommendations.md": "The partnership should audit how safe sleep advice is repeated at visits.",
}


def write_lcspr(project: Path, dates: str = "", extra: str = "") -> None:
    edit(project, *RAPID_WITH_LCSPR)
    (project / "content/reviews/BSCP-2024-25-09/key-lines-of-enquiry.md").write_text(
        "How was safe sleep advice given, repeated and checked after the family moved?", "utf-8"
    )
    folder = write_case(project, LCSPR.format(dates=dates, extra=extra))
    for name, text in SECTIONS.items():
        (folder / name).write_text(text, "utf-8")


def lcspr_row(run_cli, project: Path, today: str) -> dict:
    result = run_cli("status", "--json", cwd=project, today=today)
    assert result.exit_code == 0, result.output
    return next(r for r in json.loads(result.stdout)["reviews"] if r["id"] == "BSCP-2024-25-20")


def test_the_final_report_is_due_seven_working_days_before_the_planned_publication(
    minimal_project: Path, run_cli
) -> None:
    # Publication planned for Wednesday 2 July 2025: the report is due by Monday 23 June.
    write_lcspr(minimal_project, "  planned_publication: 2025-07-02")
    row = lcspr_row(run_cli, minimal_project, "2025-06-18")
    final = next(d for d in row["deadlines"] if d["deadline"] == "lcspr_final_report")
    assert (final["due"], final["state"], final["working_days_left"]) == ("2025-06-23", "due", 3)
    assert row["next_action"] == (
        "Send the final report to the Panel and the DfE by Mon 23 Jun 2025 (3 working days left)"
    )


def test_a_final_report_sent_too_close_to_publication_needs_a_reason(
    minimal_project: Path,
) -> None:
    write_lcspr(minimal_project, "  sent_to_panel: 2025-06-25\n  planned_publication: 2025-07-02")
    found = problems(minimal_project, dt.date(2025, 6, 30))
    assert any(
        "LCSPR final report to the Panel and the DfE was due 23 June 2025 and met 25 June 2025" in p
        for p in found
    )


def test_without_a_planned_date_the_final_report_counts_back_from_the_six_month_limit(
    minimal_project: Path, run_cli
) -> None:
    write_lcspr(minimal_project)
    row = lcspr_row(run_cli, minimal_project, "2025-02-03")
    final = next(d for d in row["deadlines"] if d["deadline"] == "lcspr_final_report")
    # Decision 8 January 2025 + 6 months = 8 July 2025; 7 working days before is 27 June.
    assert (final["anchor"], final["due"]) == ("2025-07-08", "2025-06-27")
    assert final["note"] == "publication not yet planned"


def test_a_held_publication_keeps_its_clock_visible(minimal_project: Path, run_cli) -> None:
    write_lcspr(
        minimal_project,
        "  sent_to_panel: 2025-06-02",
        "publication_hold: A criminal trial is listed.",
    )
    row = lcspr_row(run_cli, minimal_project, "2025-07-10")
    publication = next(d for d in row["deadlines"] if d["deadline"] == "lcspr_publication")
    assert (publication["due"], publication["state"]) == ("2025-07-08", "overdue")
    assert publication["working_days_left"] == -2
    assert publication["note"] == "held: A criminal trial is listed."
    assert row["stage"] == "held"
    assert status_line(run_cli, minimal_project, "2025-07-10") == (
        "BSCP-2024-25-20  held          Publication    8 Jul 2025   2 overdue, held"
    )


def test_publishing_only_the_improvements_needs_a_reason_and_publishes_only_them(
    minimal_project: Path,
) -> None:
    write_lcspr(
        minimal_project, "  sent_to_panel: 2025-06-02", "publication:\n  scope: improvements_only"
    )
    found = problems(minimal_project, dt.date(2025, 6, 10))
    assert (
        f"{CASE}/review.yaml:18: publication.reason: the partners chose to publish only the improvements: record why (Working Together 2023 asks for it)"
        in found
    )
    path = minimal_project / CASE / "review.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "scope: improvements_only", "scope: improvements_only\n  reason: The family asked."
        ),
        "utf-8",
    )
    project = load_project(minimal_project / "content", dt.date(2025, 6, 10))
    document = review_document(project.review("BSCP-2024-25-20"), project)
    assert [s.key for s in document.sections] == ["learning", "recommendations"]


def test_a_published_lcspr_needs_its_final_report_date(minimal_project: Path) -> None:
    write_lcspr(minimal_project, "  published: 2025-06-02")
    edit(minimal_project, "status: submitted", "status: published", f"{CASE}/review.yaml")
    found = problems(minimal_project, dt.date(2025, 6, 10))
    assert any(
        "dates.sent_to_panel: an LCSPR is published only after its final report went to the Panel"
        in p
        for p in found
    )


def test_the_sin_record_of_a_case_not_notified_gives_the_reason_and_who_agreed(
    minimal_project: Path,
) -> None:
    import docx

    from pipeline.render import render_review

    write_case(minimal_project, EARLY_CASE.replace("dates:\n", NOT_NOTIFIED + "dates:\n"))
    project = load_project(minimal_project / "content", dt.date(2025, 2, 1))
    paths = render_review(project, project.review("BSCP-2024-25-20"), minimal_project / "build")
    record = next(p for p in paths if p.name.endswith("sin-record.docx"))
    cells = [c.text for t in docx.Document(str(record)).tables for r in t.rows for c in r.cells]
    met = cells[cells.index("Deadline met") + 1]
    assert met.startswith("Not notified: on 23 December 2024 the partners decided not to notify")
    assert "the child protection medical found no sign of abuse or neglect" in met
    assert "Designated Nurse (health)" in met
    assert cells[cells.index("Submitted") + 1] == "Not submitted: decided not to notify"
