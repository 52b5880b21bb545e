"""`bscp yearly`: the figures of a financial year for the partnership's yearly report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from pipeline.cli_output import print_yearly
from pipeline.content.project import load_project
from pipeline.errors import PipelineError
from pipeline.reporting.yearly import BAR_WIDTH, FinancialYear, chart_svg, yearly_report
from tests.test_validation import edit

REVIEW = "content/reviews/BSCP-2024-25-09/review.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def figures(project_root: Path, year: str, today: dt.date) -> dict[str, int]:
    project = load_project(project_root / "content", today)
    report = yearly_report(project, FinancialYear.parse(year))
    return {f"{f.section}: {f.measure}": f.value for f in report.figures}


@pytest.mark.parametrize("text", ["2024-25", "2024/25", " 2024-25 "])
def test_a_financial_year_runs_from_april_to_march(text: str) -> None:
    year = FinancialYear.parse(text)
    assert (year.start, year.end, year.label) == (
        dt.date(2024, 4, 1),
        dt.date(2025, 3, 31),
        "2024-25",
    )
    assert dt.date(2025, 3, 31) in year and dt.date(2025, 4, 1) not in year
    assert FinancialYear.parse("1999-00").end == dt.date(2000, 3, 31)


@pytest.mark.parametrize("text", ["2024-26", "24-25", "2024", "2024-2025", "April 2024"])
def test_a_year_that_is_not_a_financial_year_is_explained(text: str) -> None:
    with pytest.raises(PipelineError, match=r"not a financial year.*e\.g\. 2025-26"):
        FinancialYear.parse(text)


def test_the_year_counts_notifications_reviews_decisions_actions_and_themes(
    minimal_project: Path,
) -> None:
    got = figures(minimal_project, "2024-25", dt.date(2025, 6, 2))
    assert got["Notifications: Serious incidents notified to the Panel"] == 1
    assert got["Notifications: notified within the deadline"] == 1
    assert got["Rapid reviews: Rapid reviews sent to the Panel"] == 1
    assert got["Rapid reviews: sent within the deadline"] == 1
    assert got["Rapid reviews: notified but not yet sent at the end of the year"] == 0
    assert got["Decisions: Decided: no further review"] == 1
    assert got["Decisions: Decided: LCSPR"] == got["LCSPRs: LCSPRs commissioned"] == 0
    assert got["Actions: Actions due in the year"] == 1
    # Due on 31 March, the last day of the year: open then, not overdue.
    assert got["Actions: Actions open at the end of the year"] == 1
    assert got["Actions: Actions overdue at the end of the year"] == 0
    assert got["Themes: Neglect"] == got["Themes: Safe sleep / SUDI"] == 1
    # The next year has none of it, except the action still outstanding.
    later = figures(minimal_project, "2025-26", dt.date(2025, 6, 2))
    assert later["Notifications: Serious incidents notified to the Panel"] == 0
    assert later["Actions: Actions overdue on 2 June 2025"] == 1
    assert not any(key.startswith("Themes:") for key in later)


def test_a_late_notification_is_counted_but_not_as_on_time(minimal_project: Path) -> None:
    # LA aware Friday 20 December 2024: the notification was due Tuesday 31 December.
    edit(minimal_project, "sin_submitted: 2024-12-23", "sin_submitted: 2025-01-02")
    edit(
        minimal_project,
        "decision:\n",
        "delay_reasons:\n  - deadline: sin\n    reason: The duty manager was on leave.\ndecision:\n",
    )
    got = figures(minimal_project, "2024-25", dt.date(2025, 6, 2))
    assert got["Notifications: Serious incidents notified to the Panel"] == 1
    assert got["Notifications: notified within the deadline"] == 0


def test_an_action_completed_after_the_year_was_outstanding_at_its_end(
    minimal_project: Path,
) -> None:
    edit(
        minimal_project,
        "    due: 2025-03-31\n",
        "    due: 2025-03-14\n    status: complete\n    completed: 2025-04-09\n    evidence: Done.\n",
    )
    got = figures(minimal_project, "2024-25", dt.date(2025, 6, 2))
    assert got["Actions: Actions overdue at the end of the year"] == 1
    assert got["Actions: Actions completed in the year"] == 0
    assert (
        figures(minimal_project, "2025-26", dt.date(2025, 6, 2))[
            "Actions: Actions completed in the year"
        ]
        == 1
    )


def test_a_year_not_over_is_counted_to_today_and_says_so(minimal_project: Path) -> None:
    project = load_project(minimal_project / "content", dt.date(2025, 2, 1))
    report = yearly_report(project, FinancialYear.parse("2024-25"))
    assert report.period == "1 April 2024 to 1 February 2025 (the year is not over)"
    got = {f.measure: f.value for f in report.figures}
    assert got["Rapid reviews sent to the Panel"] == 1
    assert got["Actions open on 1 February 2025"] == 1
    with pytest.raises(PipelineError, match="2025-26 has not started yet"):
        yearly_report(project, FinancialYear.parse("2025-26"))


def test_the_chart_has_a_title_and_a_text_alternative_with_every_figure(
    minimal_project: Path,
) -> None:
    project = load_project(minimal_project / "content", dt.date(2025, 6, 2))
    report = yearly_report(project, FinancialYear.parse("2024-25"))
    root = ET.fromstring(chart_svg(report))
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert [ids[i].tag for i in labelled] == [f"{SVG}title", f"{SVG}desc"]
    assert (
        ids["chart-title"].text
        == "Brackenford Safeguarding Children Partnership: figures for 2024-25"
    )
    desc = ids["chart-desc"].text
    for f in report.figures:
        assert f"{f.measure} {f.value}" in desc
    # Bars are drawn to scale: the largest figure is the full width, a zero has no length.
    widths = [int(r.get("width")) for r in root.iter(f"{SVG}rect")][1:]  # after the background
    assert max(widths) == BAR_WIDTH and min(widths) == 0
    assert len(widths) == len(report.figures)


def test_yearly_prints_a_table_within_80_columns_and_writes_csv_and_svg(
    minimal_project: Path, run_cli
) -> None:
    result = run_cli("yearly", "2024-25", cwd=minimal_project, today="2025-06-02")
    assert result.exit_code == 0, result.output
    assert "Wrote build/yearly/BSCP-yearly-2024-25.csv" in result.output
    rows = list(
        csv.DictReader(
            (minimal_project / "build/yearly/BSCP-yearly-2024-25.csv").open(encoding="utf-8")
        )
    )
    assert rows[0] == {
        "year": "2024-25",
        "section": "Notifications",
        "measure": "Serious incidents notified to the Panel",
        "number": "1",
    }
    assert (minimal_project / "build/yearly/BSCP-yearly-2024-25.svg").read_text().startswith("<svg")
    project = load_project(minimal_project / "content", dt.date(2025, 6, 2))
    out = io.StringIO()
    print_yearly(
        yearly_report(project, FinancialYear.parse("2024-25")), Console(file=out, width=80)
    )
    assert max(len(line) for line in out.getvalue().splitlines()) <= 80
    assert "Serious incidents notified to the Panel" in out.getvalue()


def test_a_wrong_year_on_the_command_line_exits_1_without_a_traceback(
    minimal_project: Path, run_cli
) -> None:
    result = run_cli("yearly", "2024-26", cwd=minimal_project)
    assert result.exit_code == 1
    assert "'2024-26' is not a financial year" in result.output
    assert "Traceback" not in result.output


def test_a_rapid_review_not_sent_by_the_end_of_the_year_is_counted_as_such(
    minimal_project: Path,
) -> None:
    edit(minimal_project, "status: submitted", "status: in_review")
    edit(minimal_project, "  sent_to_panel: 2025-01-14\n", "")
    got = figures(minimal_project, "2024-25", dt.date(2025, 6, 2))
    assert got["Rapid reviews: Rapid reviews sent to the Panel"] == 0
    assert got["Rapid reviews: notified but not yet sent at the end of the year"] == 1
