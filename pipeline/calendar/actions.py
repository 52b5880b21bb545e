"""Action plans across reviews: where each action stands on a day, for `bscp actions` and the calendar.

An action's owner reports `open`, `in_progress` or `complete`; whether it is overdue is worked out
here from its due date, so nobody has to remember to write it and it is never out of date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pipeline.calendar.deadlines import describe_left
from pipeline.content.model import Action, ActionStatus, DecisionOutcome, Review, ReviewStatus
from pipeline.content.project import Project


class ActionState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    OVERDUE = "overdue"
    COMPLETE = "complete"


def action_state(action: Action, on: dt.date) -> ActionState:
    """Return where `action` stands on day `on`: complete by then, overdue, in progress or open.

    An action completed after `on` was still outstanding on `on`, so the yearly figures can ask how
    things stood at the end of a year.
    """
    if action.status is ActionStatus.COMPLETE and (
        action.completed is None or action.completed <= on
    ):
        return ActionState.COMPLETE
    if action.due is not None and action.due < on:
        return ActionState.OVERDUE
    if action.status is ActionStatus.IN_PROGRESS:
        return ActionState.IN_PROGRESS
    return ActionState.OPEN


@dataclass(frozen=True)
class ActionRow:
    """One action of one review, with its state on the project's `today`."""

    review_id: str
    number: int  # from 1, in the order of the review's `actions:`
    action: Action
    state: ActionState
    working_days_left: int | None

    @property
    def ref(self) -> str:
        """A short reference that stays the same while the plan's order does: 'BSCP-2023-24-02 #2'."""
        return f"{self.review_id} #{self.number}"

    @property
    def outstanding(self) -> bool:
        return self.state is not ActionState.COMPLETE

    def to_json(self) -> dict:
        a = self.action
        return {
            "review": self.review_id,
            "number": self.number,
            "action": a.action,
            "owner": a.owner,
            "due": a.due.isoformat() if a.due else None,
            "status": a.status.value,
            "state": self.state.value,
            "working_days_left": self.working_days_left,
            "completed": a.completed.isoformat() if a.completed else None,
            "evidence": a.evidence,
        }


def review_actions(review: Review, project: Project, on: dt.date | None = None) -> list[ActionRow]:
    """Return the rows of one review's action plan as of `on` (default: the project's today)."""
    on = on or project.today
    calendar = project.calendar
    rows = []
    for number, action in enumerate(review.actions, start=1):
        state = action_state(action, on)
        left = (
            calendar.working_days_between(on, action.due)
            if action.due is not None and state is not ActionState.COMPLETE
            else None
        )
        rows.append(ActionRow(review.id, number, action, state, left))
    return rows


def action_rows(project: Project, *, include_complete: bool = False) -> list[ActionRow]:
    """Return every action across reviews (withdrawn reviews left out), overdue first, then by due date.

    Without `include_complete`, only the actions still to do: open, in progress or overdue.
    """
    rows = [
        row
        for entry in project.reviews
        if entry.review.status is not ReviewStatus.WITHDRAWN
        for row in review_actions(entry.review, project)
        if include_complete or row.outstanding
    ]
    order = [ActionState.OVERDUE, ActionState.IN_PROGRESS, ActionState.OPEN, ActionState.COMPLETE]
    return sorted(
        rows,
        key=lambda r: (
            order.index(r.state),
            r.action.due or dt.date.max,
            r.review_id,
            r.number,
        ),
    )


def reviews_without_a_plan(project: Project) -> list[str]:
    """Return the ids of reviews that decided on no further review and record no action plan.

    Working Together: where no further review follows, an action plan shows how the learning is
    disseminated and acted on. Listed by `bscp actions` rather than warned on every command: older
    reviews may keep their plan elsewhere, and a warning everywhere would bury the others.
    """
    return sorted(
        entry.id
        for entry in project.reviews
        if entry.review.decision is not None
        and entry.review.decision.outcome is DecisionOutcome.NO_FURTHER_REVIEW
        and entry.review.status.at_least(ReviewStatus.SUBMITTED)
        and not entry.review.actions
    )


def describe_due(row: ActionRow) -> str:
    """Return '3 working days left', 'due today', '12 working days overdue', or 'no due date'."""
    if row.state is ActionState.COMPLETE:
        done = row.action.completed
        return f"completed {done:%-d %b %Y}" if done else "complete"
    if row.working_days_left is None:
        return "no due date"
    return describe_left(row.working_days_left, row.state)


def add_reminder(event, text: str, due: dt.date, today: dt.date, days_before: int = 2) -> None:
    """Give `event` an alarm showing `text` `days_before` days before `due`, only when that moment
    is still to come: a calendar fires every past alarm at once on import."""
    from icalendar import Alarm

    if due - dt.timedelta(days=days_before) <= today:
        return
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", dt.timedelta(days=-days_before))
    event.add_component(alarm)


def action_events(project: Project, rows: list[ActionRow]) -> list:
    """Return an all-day calendar event for each outstanding action with a due date.

    Like the deadlines, an event names the review, the action's number and its owner only: calendars
    are shared and synced, and the action's text may name the family. An overdue action says so, and
    no reminder is set for a time already past.
    """
    from icalendar import Event

    stamp = dt.datetime.combine(project.today, dt.time(0, 0), tzinfo=dt.UTC)
    domain = f"{project.partnership.abbreviation.lower()}.bscp"
    events = []
    for row in rows:
        due = row.action.due
        if due is None or not row.outstanding:
            continue
        event = Event()
        event.add("uid", f"{row.review_id}-action-{row.number}@{domain}")
        overdue = row.state is ActionState.OVERDUE
        event.add(
            "summary",
            f"{row.ref}: action for {row.action.owner} {'overdue' if overdue else 'due'}",
        )
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("transp", "TRANSPARENT")
        event.add(
            "description",
            f"{row.ref} ({row.state.value}, {describe_due(row)}). "
            f"Run `bscp actions` for the action plan.",
        )
        add_reminder(event, f"{row.ref}: action due in 2 days", due, project.today)
        events.append(event)
    return events
