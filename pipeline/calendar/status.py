"""`bscp status` and `bscp calendar`: every review's deadlines as a table, JSON or an .ics file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.calendar.actions import ActionRow, action_events, add_reminder
from pipeline.calendar.deadlines import (
    DeadlineState,
    ReviewSchedule,
    describe_left,
    schedule,
)
from pipeline.content.model import Review, ReviewStatus, ReviewType
from pipeline.content.project import Project


@dataclass(frozen=True)
class StatusRow:
    """One review's line in the status table."""

    review_id: str
    type: str
    status: ReviewStatus
    schedule: ReviewSchedule
    approval: str | None = None
    stage: str = ""

    def to_json(self) -> dict:
        return {
            "id": self.review_id,
            "type": self.type,
            "status": self.status.value,
            "stage": self.stage,
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
                    "note": d.note,
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
                review.id,
                review.type.value,
                review.status,
                plan,
                (approvals or {}).get(review.id),
                stage(review),
            )
        )
    return rows


def stage(review: Review) -> str:
    """Return where a case is, in at most 12 characters: 'before SIN', 'not notified', 'held', ..."""
    if review.not_notified is not None:
        return "not notified"
    if review.status is ReviewStatus.WITHDRAWN:
        return "withdrawn"
    if review.type is ReviewType.RAPID_REVIEW and review.dates.sin_submitted is None:
        return "before SIN"
    if review.type is ReviewType.LCSPR and review.publication_hold:
        return "held"
    return {
        ReviewStatus.DRAFT: "draft",
        ReviewStatus.IN_REVIEW: "in review",
        ReviewStatus.SUBMITTED: "submitted",
        ReviewStatus.PANEL_RESPONDED: "responded",
        ReviewStatus.PUBLISHED: "published",
    }[review.status]


def calendar_ics(
    project: Project, rows: list[StatusRow], actions: list[ActionRow] | None = None
) -> bytes:
    """Return an iCalendar file of every deadline still to meet, and every outstanding action with
    a due date, as all-day events.

    An overdue deadline says so in its title and description; a reminder two days before is set
    only when that moment is still to come (a calendar would otherwise fire every past alarm at once).
    """
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
            overdue = d.state is DeadlineState.OVERDUE
            event.add(
                "summary",
                f"{'OVERDUE: ' if overdue else ''}{row.review_id}: {d.deadline.label} due",
            )
            event.add("dtstart", d.due)
            event.add("dtend", d.due + dt.timedelta(days=1))
            event.add("dtstamp", stamp)
            event.add("transp", "TRANSPARENT")
            lines = [
                *([f"Overdue: {describe_left(d.working_days_left, d.state)}."] if overdue else []),
                *([f"Note: {d.note}."] if d.note else []),
                f"Next action: {row.schedule.next_action}",
                f"Counted from {d.anchor:%-d %B %Y} (day 0).",
            ]
            if d.window_opens:
                lines.append(f"The Panel's response window opens {d.window_opens:%-d %B %Y}.")
            event.add("description", "\n".join(lines))
            if overdue:
                event.add("categories", ["Overdue"])
            add_reminder(
                event, f"{row.review_id}: {d.deadline.label} due in 2 days", d.due, project.today
            )
            cal.add_component(event)
    for event in action_events(project, actions or []):
        cal.add_component(event)
    return cal.to_ical()
