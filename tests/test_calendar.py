"""Working days and statutory deadlines, checked against GOV.UK's bank holiday list."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.calendar.deadlines import DeadlineState, schedule
from pipeline.calendar.workdays import WorkingCalendar, bank_holidays
from pipeline.content.model import Deadline, Partnership, RapidReviewAnchor
from pipeline.content.project import load_project

GOVUK = Path(__file__).parent / "data" / "govuk-bank-holidays-2018-2026.json"
D = dt.date


def govuk_dates() -> dict[int, set[dt.date]]:
    events = json.loads(GOVUK.read_text(encoding="utf-8"))["england-and-wales"]["events"]
    out: dict[int, set[dt.date]] = {}
    for event in events:
        day = dt.date.fromisoformat(event["date"])
        out.setdefault(day.year, set()).add(day)
    return out


@pytest.mark.parametrize("year", range(2018, 2027))
def test_non_working_weekdays_are_exactly_govuk_bank_holidays(year: int) -> None:
    calendar = WorkingCalendar()
    days = [
        D(year, 1, 1) + dt.timedelta(days=n)
        for n in range(366)
        if (D(year, 1, 1) + dt.timedelta(days=n)).year == year
    ]
    closed_weekdays = {d for d in days if d.weekday() < 5 and not calendar.is_working_day(d)}
    assert closed_weekdays == govuk_dates()[year]


@pytest.mark.parametrize(
    ("day", "name_part"),
    [
        (D(2022, 9, 19), "Funeral"),
        (D(2023, 5, 8), "Coronation"),
        (D(2022, 6, 3), "Jubilee"),
        (D(2020, 5, 8), "May"),
    ],
)
def test_one_off_and_moved_bank_holidays_are_not_working_days(day: dt.date, name_part: str) -> None:
    assert not WorkingCalendar().is_working_day(day)
    assert name_part in bank_holidays(day.year)[day]


@pytest.mark.parametrize(
    ("anchor", "days", "due"),
    [
        (
            D(2024, 12, 20),
            5,
            D(2024, 12, 31),
        ),  # the worked example in DOMAIN.md: Friday to Tuesday over Christmas
        (D(2024, 12, 20), 1, D(2024, 12, 23)),
        (D(2024, 12, 23), 2, D(2024, 12, 27)),  # 27 December is a working day
        (D(2024, 12, 23), 15, D(2025, 1, 16)),
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # the Queen's funeral
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # coronation Monday
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Boxing Day substitute on Monday 28 December 2026
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # Easter
        (D(2025, 6, 7), 1, D(2025, 6, 9)),  # a Saturday anchor: the first working day is Monday
        (D(2025, 6, 9), 0, D(2025, 6, 9)),
    ],
)
def test_nth_working_day_after_anchor(anchor: dt.date, days: int, due: dt.date) -> None:
    assert WorkingCalendar().add_working_days(anchor, days) == due


def test_partnership_closure_days_are_not_counted() -> None:
    calendar = WorkingCalendar([D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)])
    assert calendar.add_working_days(D(2024, 12, 20), 5) == D(2025, 1, 6)


def test_working_days_between_counts_forwards_and_backwards() -> None:
    calendar = WorkingCalendar()
    assert calendar.working_days_between(D(2024, 12, 20), D(2024, 12, 31)) == 5
    assert calendar.working_days_between(D(2024, 12, 31), D(2024, 12, 20)) == -5
    assert calendar.working_days_between(D(2025, 1, 6), D(2025, 1, 6)) == 0


def _fixture(minimal_project: Path, today: dt.date):
    project = load_project(minimal_project / "content", today)
    return project, project.reviews[0].review


def test_schedule_follows_the_statutory_rules(minimal_project: Path) -> None:
    project, review = _fixture(minimal_project, D(2025, 2, 1))
    plan = schedule(review, project.partnership, project.calendar, project.today)
    sin, rr, panel = (
        plan.get(d) for d in (Deadline.SIN, Deadline.RAPID_REVIEW, Deadline.PANEL_RESPONSE)
    )
    assert (sin.due, sin.state) == (D(2024, 12, 31), DeadlineState.MET)
    assert (rr.anchor, rr.due, rr.state) == (D(2024, 12, 23), D(2025, 1, 16), DeadlineState.MET)
    # Days 16 to 30 after the anchor are the Panel's response window.
    assert (panel.window_opens, panel.due, panel.state) == (
        D(2025, 1, 17),
        D(2025, 2, 6),
        DeadlineState.OPEN,
    )
    assert panel.working_days_left == 4
    assert plan.next_action == "Await the Panel's response"


def test_rapid_review_anchor_is_a_setting(minimal_project: Path) -> None:
    project, review = _fixture(minimal_project, D(2025, 2, 1))
    review = review.model_copy(
        update={"dates": review.dates.model_copy(update={"partners_aware": D(2024, 12, 27)})}
    )
    partners = project.partnership.model_copy(
        update={
            "working_days": project.partnership.working_days.model_copy(
                update={"rapid_review_anchor": RapidReviewAnchor.PARTNERS_AWARE}
            )
        }
    )
    assert isinstance(partners, Partnership)
    plan = schedule(review, partners, project.calendar, project.today)
    assert plan.get(Deadline.RAPID_REVIEW).anchor == D(2024, 12, 27)
    assert plan.get(Deadline.RAPID_REVIEW).due == D(2025, 1, 20)


def test_overdue_deadline_counts_working_days_overdue(minimal_project: Path) -> None:
    project, review = _fixture(minimal_project, D(2025, 1, 21))
    review = review.model_copy(
        update={"dates": review.dates.model_copy(update={"sent_to_panel": None})}
    )
    rr = schedule(review, project.partnership, project.calendar, project.today).get(
        Deadline.RAPID_REVIEW
    )
    assert rr.state is DeadlineState.OVERDUE
    assert rr.working_days_left == -3


def test_lcspr_publication_is_due_six_months_after_the_decision(minimal_project: Path) -> None:
    project, review = _fixture(minimal_project, D(2025, 2, 1))
    from pipeline.content.model import Decision, DecisionOutcome

    review = review.model_copy(
        update={"decision": Decision(outcome=DecisionOutcome.LCSPR, regulation_11=[])}
    )
    plan = schedule(review, project.partnership, project.calendar, project.today)
    assert plan.get(Deadline.LCSPR_PUBLICATION).due == D(2025, 7, 8)
