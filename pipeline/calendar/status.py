"""`bscp status` and `bscp calendar`: every review's deadlines as a table, JSON or an .ics file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.calendar.actions import ActionRow, action_events, reminder
from pipeline.calendar.deadlines import DeadlineState, ReviewSchedule, schedule
from pipeline.content.model import ReviewStatus
from pipeline.content.project import Project


@dataclass(frozen=True)
class StatusRow:
    """One review's line in the status table."""

    review_id: str
    type: str
    status: ReviewStatus
    schedule: ReviewSchedule
    approval: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.review_id,
            "type": self.type,
            "status": self.status.value,
            "next_action": self.schedule.next_action,
            "approval": self.approval,
            "deadlines": [
                {
                    "deadline": d.deadline.value,
                    "label": d.deadline.label,
                    "anchor": _iso(d.anchor),
                    "window_opens": _iso(d.window_opens),
                    "due": _iso(d.due),
                    "done": _iso(d.done),
                    "state": d.state.value,
                    "working_days_left": d.working_days_left,
                    "delay_reason": d.delay_reason,
                    "panel_informed": _iso(d.panel_informed),
                }
                for d in self.schedule.deadlines
            ],
        }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def status_rows(project: Project, approvals: dict[str, str] | None = None) -> list[StatusRow]:
    """Return a row per review, in id order, as of the project's `today`."""
    calendar = project.calendar
    rows = []
    for entry in sorted(project.reviews, key=lambda e: e.id):
        review = entry.review
        plan = schedule(
            review, project.partnership, calendar, project.today, project.related(review)
        )
        rows.append(
            StatusRow(
                review.id, review.type.value, review.status, plan, (approvals or {}).get(review.id)
            )
        )
    return rows


def describe_left(days: int | None, state: DeadlineState) -> str:
    """Return '3 working days left', 'due today' or '4 working days overdue'."""
    if days is None:
        return state.value
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} working day{'s' if days != 1 else ''} left"
    return f"{-days} working day{'s' if days != -1 else ''} overdue"


def calendar_ics(
    project: Project, rows: list[StatusRow], actions: list[ActionRow] | None = None
) -> bytes:
    """Return an iCalendar file of every deadline still to meet, and every outstanding action with
    a due date, as all-day events with a reminder."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", f"-//{project.partnership.abbreviation}//bscp statutory deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{project.partnership.abbreviation} review deadlines")
    stamp = dt.datetime.combine(project.today, dt.time(0, 0), tzinfo=dt.UTC)
    for row in rows:
        for d in row.schedule.deadlines:
            if d.due is None or d.state not in (
                DeadlineState.DUE,
                DeadlineState.OVERDUE,
                DeadlineState.OPEN,
            ):
                continue
            event = Event()
            # Titles carry the review id and the deadline only: calendars are shared and synced.
            event.add(
                "uid",
                f"{row.review_id}-{d.deadline.value}@{project.partnership.abbreviation.lower()}.bscp",
            )
            event.add("summary", f"{row.review_id}: {d.deadline.label} due")
            event.add("dtstart", d.due)
            event.add("dtend", d.due + dt.timedelta(days=1))
            event.add("dtstamp", stamp)
            event.add("transp", "TRANSPARENT")
            lines = [
                f"Next action: {row.schedule.next_action}",
                f"Counted from {d.anchor:%-d %B %Y} (day 0).",
            ]
            if d.window_opens:
                lines.append(f"The Panel's response window opens {d.window_opens:%-d %B %Y}.")
            event.add("description", "\n".join(lines))
            event.add_component(reminder(f"{row.review_id}: {d.deadline.label} due in 2 days"))
            cal.add_component(event)
    for event in action_events(project, actions or []):
        cal.add_component(event)
    return cal.to_ical()
