"""The statutory deadlines of one review, where it stands against each, and what to do next."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from pipeline.calendar.workdays import WorkingCalendar
from pipeline.content.model import (
    Deadline,
    DecisionOutcome,
    Partnership,
    RapidReviewAnchor,
    Review,
    ReviewStatus,
    ReviewType,
)


class DeadlineState(StrEnum):
    MET = "met"
    MET_LATE = "met late"
    DUE = "due"
    OVERDUE = "overdue"
    OPEN = "open"  # a window that has not closed (the Panel's response)
    NOT_STARTED = "not started"
    CLOSED = "closed"  # the partners decided not to notify: no deadline to meet


@dataclass(frozen=True)
class DeadlineStatus:
    """One deadline of one review: its clock, its due date and whether it was met."""

    deadline: Deadline
    anchor: dt.date | None
    due: dt.date | None
    done: dt.date | None
    state: DeadlineState
    window_opens: dt.date | None = None
    working_days_left: int | None = None
    delay_reason: str | None = None
    panel_informed: dt.date | None = None
    note: str | None = None  # e.g. "decided not to notify", "held: criminal trial"

    @property
    def missed(self) -> bool:
        return self.state in (DeadlineState.MET_LATE, DeadlineState.OVERDUE)


@dataclass(frozen=True)
class ReviewSchedule:
    """Every deadline of a review and the next thing someone has to do."""

    review_id: str
    deadlines: tuple[DeadlineStatus, ...]
    next_action: str
    next_deadline: DeadlineStatus | None

    def get(self, deadline: Deadline) -> DeadlineStatus | None:
        return next((d for d in self.deadlines if d.deadline is deadline), None)


def _state(
    calendar: WorkingCalendar, due: dt.date | None, done: dt.date | None, today: dt.date
) -> tuple[DeadlineState, int | None]:
    if due is None:
        return DeadlineState.NOT_STARTED, None
    if done is not None:
        return (DeadlineState.MET if done <= due else DeadlineState.MET_LATE), None
    left = calendar.working_days_between(today, due)
    return (DeadlineState.DUE if today <= due else DeadlineState.OVERDUE), left


def rapid_review_anchor(review: Review, partnership: Partnership) -> dt.date | None:
    """Return day 0 of the rapid review clock, as the partnership counts it."""
    if partnership.working_days.rapid_review_anchor is RapidReviewAnchor.PARTNERS_AWARE:
        return review.dates.partners_aware or review.dates.sin_submitted
    return review.dates.sin_submitted


def lcspr_decision_date(review: Review, commissioning: Review | None) -> dt.date | None:
    """Return the date an LCSPR was commissioned: its own decision date or its rapid review's."""
    if review.dates.decision is not None:
        return review.dates.decision
    return commissioning.dates.decision if commissioning is not None else None


def lcspr_publication_target(
    review: Review, partnership: Partnership, decided: dt.date | None
) -> dt.date | None:
    """Return the day an LCSPR is (or is to be) published: published, planned, or the 6-month limit."""
    dates = review.dates
    if dates.published or dates.planned_publication:
        return dates.published or dates.planned_publication
    months = partnership.working_days.lcspr_publication_months
    return decided + relativedelta(months=months) if decided else None


OWNED_DEADLINES = {
    ReviewType.RAPID_REVIEW: frozenset({Deadline.SIN, Deadline.RAPID_REVIEW}),
    ReviewType.LCSPR: frozenset({Deadline.LCSPR_PUBLICATION, Deadline.LCSPR_FINAL_REPORT}),
}
"""The deadlines a review of each type answers for: a delay reason on it explains missing one."""


def schedule(
    review: Review,
    partnership: Partnership,
    calendar: WorkingCalendar,
    today: dt.date,
    related: Review | None = None,
) -> ReviewSchedule:
    """Work out every deadline of `review` as of `today`.

    `related` is the other half of a case: for an LCSPR, the rapid review that commissioned it; for a
    rapid review that commissioned an LCSPR, the LCSPR (whose publication meets that deadline).
    """
    rules = partnership.working_days
    dates = review.dates
    out: list[DeadlineStatus] = []

    def add(
        deadline: Deadline,
        anchor: dt.date | None,
        due: dt.date | None,
        done: dt.date | None,
        opens: dt.date | None = None,
        note: str | None = None,
    ) -> None:
        state, left = _state(calendar, due, done, today)
        if deadline is Deadline.PANEL_RESPONSE and state is DeadlineState.DUE:
            state = DeadlineState.OPEN
        if deadline is Deadline.PANEL_RESPONSE and state is DeadlineState.MET_LATE:
            state = DeadlineState.MET  # the Panel's lateness is not the partnership's to explain
        reason = next((r for r in review.delay_reasons if r.deadline is deadline), None)
        out.append(
            DeadlineStatus(
                deadline,
                anchor,
                due,
                done,
                state,
                opens,
                left,
                reason.reason if reason else None,
                reason.panel_informed if reason else None,
                note,
            )
        )

    if review.type is ReviewType.RAPID_REVIEW:
        sin_due = calendar.add_working_days(dates.la_aware, rules.sin_working_days)
        if review.not_notified is not None:
            # A recorded decision not to notify closes the case: no rapid review clock starts.
            decided = review.not_notified.date
            add(Deadline.SIN, dates.la_aware, sin_due, decided, note="decided not to notify")
            out[-1] = dataclasses.replace(out[-1], state=DeadlineState.CLOSED)
            return ReviewSchedule(review.id, tuple(out), next_action(review, today, out), None)
        add(Deadline.SIN, dates.la_aware, sin_due, dates.sin_submitted)
        anchor = rapid_review_anchor(review, partnership)
        rr_due = (
            calendar.add_working_days(anchor, rules.rapid_review_working_days) if anchor else None
        )
        add(Deadline.RAPID_REVIEW, anchor, rr_due, dates.sent_to_panel)
        if anchor is not None and dates.sent_to_panel is not None:
            add(
                Deadline.PANEL_RESPONSE,
                anchor,
                calendar.add_working_days(anchor, rules.panel_response_last_day),
                dates.panel_response,
                calendar.add_working_days(anchor, rules.panel_response_first_day),
            )
        if (
            review.decision is not None
            and review.decision.outcome is DecisionOutcome.LCSPR
            and dates.decision
        ):
            due = dates.decision + relativedelta(months=rules.lcspr_publication_months)
            add(
                Deadline.LCSPR_PUBLICATION,
                dates.decision,
                due,
                related.dates.published if related else None,
                note=f"held: {related.publication_hold}"
                if related and related.publication_hold
                else None,
            )
    else:
        decided = lcspr_decision_date(review, related)
        due = decided + relativedelta(months=rules.lcspr_publication_months) if decided else None
        held = f"held: {review.publication_hold}" if review.publication_hold else None
        add(Deadline.LCSPR_PUBLICATION, decided, due, dates.published, note=held)
        target = lcspr_publication_target(review, partnership, decided)
        if target is not None:
            add(
                Deadline.LCSPR_FINAL_REPORT,
                target,
                calendar.subtract_working_days(target, rules.lcspr_final_report_working_days),
                dates.sent_to_panel,
                note=None
                if dates.published or dates.planned_publication
                else "publication not yet planned",
            )

    open_deadlines = [
        d for d in out if d.state in (DeadlineState.DUE, DeadlineState.OVERDUE, DeadlineState.OPEN)
    ]
    next_deadline = min(open_deadlines, key=lambda d: d.due) if open_deadlines else None
    return ReviewSchedule(
        review.id, tuple(out), next_action(review, today, out, related), next_deadline
    )


def describe_left(days: int | None, state: DeadlineState) -> str:
    """Return '3 working days left', 'due today' or '4 working days overdue'."""
    if days is None:
        return state.value
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} working day{'s' if days != 1 else ''} left"
    return f"{-days} working day{'s' if days != -1 else ''} overdue"


def _due_by(deadline: DeadlineStatus | None) -> str:
    """Return ' by Tue 31 Dec 2024 (3 working days left)' for an open deadline, or ''."""
    if deadline is None or deadline.due is None or deadline.done is not None:
        return ""
    return f" by {deadline.due:%a %-d %b %Y} ({describe_left(deadline.working_days_left, deadline.state)})"


def next_action(
    review: Review,
    today: dt.date,
    deadlines: list[DeadlineStatus] | None = None,
    related: Review | None = None,
) -> str:
    """Return the next thing someone must do for `review`, in a short imperative sentence."""
    dates = review.dates
    found = {d.deadline: d for d in deadlines or ()}
    if review.status is ReviewStatus.WITHDRAWN:
        return "None: the review is withdrawn"
    if review.not_notified is not None:
        return f"None: the partners decided on {review.not_notified.date:%-d %b %Y} not to notify"
    if review.status is ReviewStatus.PUBLISHED:
        if dates.available_until and today > dates.available_until:
            return "None: the publication has reached its available-until date and shows a withdrawal notice"
        return "None: published" + (
            f"; online until {dates.available_until:%-d %B %Y}" if dates.available_until else ""
        )
    if review.type is ReviewType.LCSPR:
        if review.publication_hold:
            return "Publication held: " + review.publication_hold
        if dates.sent_to_panel is None:
            return "Send the final report to the Panel and the DfE" + _due_by(
                found.get(Deadline.LCSPR_FINAL_REPORT)
            )
        if dates.planned_publication is None:
            return "Set the publication date (planned_publication)"
        return "Approve the redaction report and publish the LCSPR" + _due_by(
            found.get(Deadline.LCSPR_PUBLICATION)
        )
    if dates.sin_submitted is None:
        return (
            "Decide with the partners whether to notify; if so, notify the Panel, Ofsted and the DfE"
            + _due_by(found.get(Deadline.SIN))
        )
    if dates.sent_to_panel is None:
        if not any(m <= today for m in dates.rapid_review_meetings):
            planned = [m for m in dates.rapid_review_meetings if m > today]
            return "Hold the rapid review meeting" + (
                f" (planned for {min(planned):%-d %B %Y})" if planned else ""
            )
        missing = [name for name, s in review.sign_offs if s is None]
        if review.decision is None:
            return "Record the partners' decision and its rationale"
        if missing:
            return "Get sign-off from: " + ", ".join(m.replace("_", " ") for m in missing)
        return "Send the rapid review to the Panel"
    if dates.panel_response is None:
        return "Await the Panel's response"
    if any(q.answer is None for q in review.panel_questions):
        return "Answer the Panel's questions"
    if (
        review.decision is not None
        and review.decision.outcome is DecisionOutcome.LCSPR
        and review.status is not ReviewStatus.PUBLISHED
    ):
        return "Publish the rapid review" + (
            f"; the LCSPR is {related.id}" if related else "; commission the LCSPR"
        )
    return "Approve the redaction report and publish the rapid review"
