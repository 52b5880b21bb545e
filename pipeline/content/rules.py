"""Validation beyond types: the statutory process, dates in order, references that resolve."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from pipeline.calendar.deadlines import OWNED_DEADLINES, schedule
from pipeline.calendar.workdays import WorkingCalendar
from pipeline.content.model import (
    ActionStatus,
    Brief,
    BriefStatus,
    Deadline,
    DecisionOutcome,
    Partnership,
    PersonRole,
    PublicationScope,
    Review,
    ReviewStatus,
    ReviewType,
)
from pipeline.content.yamlfile import Loc, Source
from pipeline.errors import Problem


@dataclass
class Findings:
    """Problems that stop the pipeline, and warnings it prints and carries on past."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _dated(review: Review) -> Iterable[tuple[Loc, dt.date]]:
    """Yield every date an author recorded as having happened (not planned), with its location."""
    for name in (
        "incident",
        "la_aware",
        "sin_submitted",
        "partners_aware",
        "sent_to_panel",
        "panel_response",
        "decision",
        "published",
    ):
        value = getattr(review.dates, name)
        if value is not None:
            yield ("dates", name), value
    if review.not_notified is not None:
        yield ("not_notified", "date"), review.not_notified.date
    for index, person in enumerate(review.people):
        if person.date_of_birth is not None:
            yield ("people", index, "date_of_birth"), person.date_of_birth
    for name, sign_off in review.sign_offs:
        if sign_off is not None:
            yield ("sign_offs", name, "date"), sign_off.date
    for index, question in enumerate(review.panel_questions):
        for name in ("asked", "answered"):
            if getattr(question, name) is not None:
                yield ("panel_questions", index, name), getattr(question, name)
    for index, action in enumerate(review.actions):
        if action.completed is not None:
            yield ("actions", index, "completed"), action.completed


def check_review(
    review: Review,
    source: Source,
    sections: dict[str, str],
    partnership: Partnership,
    calendar: WorkingCalendar,
    today: dt.date,
    related: Review | None,
) -> Findings:
    """Check one review against the process rules; `sections` maps section keys to their text."""
    found = Findings()

    def error(loc: Loc, message: str) -> None:
        found.errors.append(source.problem(loc, message))

    dates = review.dates
    for loc, value in _dated(review):
        # Process dates before the Children Act 2004 reviews began are typos; people can be older.
        floor = dt.date(1900, 1, 1) if loc[-1] == "date_of_birth" else dt.date(2000, 1, 1)
        if value > today:
            error(loc, f"{value:%-d %B %Y} is in the future (today is {today:%-d %B %Y})")
        elif value < floor:
            error(loc, f"{value:%-d %B %Y} is before {floor.year}: is the year right?")

    # Dates in the order the process happens.
    first_meeting = min(dates.rapid_review_meetings, default=None)
    chain: list[tuple[str, dt.date | None]] = [
        ("incident", dates.incident),
        ("la_aware", dates.la_aware),
        ("sin_submitted", dates.sin_submitted),
        ("rapid_review_meetings", first_meeting),
        ("sent_to_panel", dates.sent_to_panel),
        ("panel_response", dates.panel_response),
    ]
    known = [(name, value) for name, value in chain if value is not None]
    for (before_name, before), (after_name, after) in itertools.pairwise(known):
        if after < before:
            error(
                ("dates", after_name),
                f"{after:%-d %B %Y} is before {before_name.replace('_', ' ')} ({before:%-d %B %Y}); dates must follow the process order",
            )
    if dates.partners_aware is not None and dates.partners_aware < dates.la_aware:
        error(("dates", "partners_aware"), "is before the local authority became aware (la_aware)")
    if (
        dates.decision is not None
        and first_meeting is not None
        and dates.decision < first_meeting
        and review.type is ReviewType.RAPID_REVIEW
    ):
        error(("dates", "decision"), "is before the first rapid review meeting")
    if (
        dates.published is not None
        and dates.decision is not None
        and dates.published < dates.decision
    ):
        error(("dates", "published"), "is before the decision")
    if review.period_covered and review.period_covered.end < review.period_covered.start:
        error(("period_covered", "end"), "is before the start of the period")
    for index, person in enumerate(review.people):
        if (
            person.date_of_birth
            and person.date_of_birth > dates.incident
            and person.role is not PersonRole.SIBLING
        ):
            error(("people", index, "date_of_birth"), "is after the incident")

    # Retention: material stays online at least the partnership's minimum.
    if dates.available_until is not None:
        if dates.published is None:
            error(("dates", "available_until"), "is set but the review has no published date")
        else:
            floor = dates.published + relativedelta(months=partnership.publication.retention_months)
            if dates.available_until < floor:
                error(
                    ("dates", "available_until"),
                    f"must be at least {partnership.publication.retention_months} months after publication (on or after {floor:%-d %B %Y})",
                )

    # The statutory process.
    if review.type is ReviewType.RAPID_REVIEW:
        _check_notification(review, today, error)
        if review.rapid_review is not None:
            error(("rapid_review",), "only an LCSPR names the rapid review that commissioned it")
    else:
        if review.rapid_review is None:
            error(
                ("type",),
                "an LCSPR must name the rapid review that commissioned it in `rapid_review:`",
            )
        elif related is None:
            error(("rapid_review",), f"no review has the id {review.rapid_review!r}")
        elif (
            related.type is not ReviewType.RAPID_REVIEW
            or related.decision is None
            or related.decision.outcome is not DecisionOutcome.LCSPR
        ):
            error(("rapid_review",), f"{review.rapid_review} did not decide to commission an LCSPR")

    if review.type is ReviewType.LCSPR:
        _check_lcspr_publication(review, error)
    if review.type is not ReviewType.RAPID_REVIEW and review.not_notified is not None:
        error(("not_notified",), "only a rapid review case records a decision not to notify")
    if review.type is not ReviewType.LCSPR and (
        review.publication.scope is not PublicationScope.FULL or review.publication.reason
    ):
        error(("publication",), "only an LCSPR chooses what of its report is published")

    if review.status.at_least(ReviewStatus.SUBMITTED) and review.type is ReviewType.RAPID_REVIEW:
        for name, sign_off in review.sign_offs:
            if sign_off is None:
                error(
                    ("sign_offs", name),
                    f"status is {review.status.value} but the {name.replace('_', ' ')} sign-off is missing",
                )
        if review.decision is None:
            error(("decision",), f"status is {review.status.value} but no decision is recorded")
        if dates.decision is None:
            error(
                ("dates", "decision"),
                f"status is {review.status.value} but the decision date is missing",
            )
        if dates.sent_to_panel is None:
            error(
                ("dates", "sent_to_panel"),
                f"status is {review.status.value} but the date it was sent to the Panel is missing",
            )
        if not sections.get("decision", "").strip():
            error(
                ("status",),
                f"status is {review.status.value} but decision.md (the decision and rationale) is empty",
            )
    if (
        review.status.at_least(ReviewStatus.PANEL_RESPONDED)
        and review.type is ReviewType.RAPID_REVIEW
        and dates.panel_response is None
    ):
        error(
            ("dates", "panel_response"),
            f"status is {review.status.value} but the Panel's response date is missing",
        )
    if review.status is ReviewStatus.PUBLISHED:
        if dates.published is None:
            error(("dates", "published"), "status is published but the publication date is missing")
        if review.catalogue is None:
            error(
                ("catalogue",),
                "status is published but the catalogue entry (summary, learning, recommendations) is missing",
            )
        if review.type is ReviewType.LCSPR:
            for name, sign_off in review.sign_offs:
                if sign_off is None:
                    error(
                        ("sign_offs", name),
                        f"an LCSPR is published only after the {name.replace('_', ' ')} sign-off",
                    )
        if review.publication_hold:
            error(
                ("publication_hold",),
                "status is published but publication is held; remove the hold or change the status",
            )
    if review.decision is not None and review.decision.outcome is DecisionOutcome.LCSPR:
        if not sections.get("key_lines_of_enquiry", "").strip():
            error(
                ("decision", "outcome"),
                "an LCSPR is commissioned, so key-lines-of-enquiry.md must set out the key lines of enquiry",
            )
        if not review.decision.regulation_11:
            error(
                ("decision", "regulation_11"),
                "an LCSPR is commissioned: say which Regulation 11 criteria apply",
            )
    for index, question in enumerate(review.panel_questions):
        if question.answered is not None and question.answer is None:
            error(("panel_questions", index, "answer"), "has an answered date but no answer")

    _check_actions(review, source, partnership, found)

    # Deadlines missed need a reason on record.
    plan = schedule(review, partnership, calendar, today, related)
    reasons = {r.deadline for r in review.delay_reasons}
    if review.publication_hold:  # a hold (e.g. a criminal trial) is the reason publication waits
        reasons.add(Deadline.LCSPR_PUBLICATION)
    for status in plan.deadlines:
        if (
            status.deadline not in OWNED_DEADLINES[review.type]
            or status.deadline in reasons
            or not status.missed
        ):
            continue
        message = (
            f"was due {status.due:%-d %B %Y} and met {status.done:%-d %B %Y}: add a delay reason (`delay_reasons:` with deadline: {status.deadline.value})"
            if status.done
            else f"was due {status.due:%-d %B %Y} and is overdue: add a delay reason (`delay_reasons:` with deadline: {status.deadline.value}) and tell the Panel"
        )
        problem = source.problem(
            ("delay_reasons",) if review.delay_reasons else ("dates",),
            f"{status.deadline.label} {message}",
        )
        (found.errors if status.done else found.warnings).append(problem)

    # Themes and labels.
    vocabulary = {t.id for t in partnership.themes}
    for index, theme in enumerate(review.themes):
        if theme not in vocabulary:
            error(
                ("themes", index),
                f"{theme!r} is not a theme in partnership.yaml{did_you_mean(theme, vocabulary)}",
            )
    seen: dict[str, Loc] = {}
    for kind, items in (("people", review.people), ("places", review.places)):
        for index, item in enumerate(items):
            key = item.label.casefold()
            if key in seen:
                error(
                    (kind, index, "label"),
                    f"label {item.label!r} is already used at {seen[key][0]}[{seen[key][1]}]; labels must be unique in a review",
                )
            seen[key] = (kind, index)
    place_ids: dict[str, int] = {}
    for index, place in enumerate(review.places):
        if place.id in place_ids:
            error(("places", index, "id"), f"place id {place.id!r} is used twice")
        place_ids[place.id] = index
    for index, person in enumerate(review.people):
        for j, ref in enumerate(person.settings):
            if ref not in place_ids:
                error(
                    ("people", index, "settings", j),
                    f"no place has the id {ref!r}{did_you_mean(ref, place_ids)}",
                )
        if person.gp_practice is not None and person.gp_practice not in place_ids:
            error(
                ("people", index, "gp_practice"),
                f"no place has the id {person.gp_practice!r}{did_you_mean(person.gp_practice, place_ids)}",
            )
        if person.nhs_number is not None and len(re.sub(r"\D", "", person.nhs_number)) != 10:
            error(("people", index, "nhs_number"), "an NHS number has 10 digits")
        if person.ni_number is not None and not re.fullmatch(
            r"[A-Za-z]{2}\s*\d{2}\s*\d{2}\s*\d{2}\s*[A-Da-d]?", person.ni_number.strip()
        ):
            error(
                ("people", index, "ni_number"),
                "a National Insurance number looks like 'QQ 12 34 56 C'",
            )
    if not any(p.role is PersonRole.CHILD for p in review.people):
        error(("people",), "at least one person must have role: child")
    return found


def _check_notification(review: Review, today: dt.date, error: Callable[[Loc, str], None]) -> None:
    """A case exists from the day the LA is aware; a rapid review needs the notification first."""
    dates = review.dates
    held = [m for m in dates.rapid_review_meetings if m <= today]
    begun = review.status.at_least(ReviewStatus.IN_REVIEW) or bool(held) or dates.sent_to_panel
    if review.not_notified is not None:
        decided = review.not_notified.date
        if decided < dates.la_aware:
            error(("not_notified", "date"), "is before the local authority became aware (la_aware)")
        for loc, value in (
            (("notification",), review.notification),
            (("dates", "sin_submitted"), dates.sin_submitted),
        ):
            if value is not None:
                error(
                    loc,
                    "the partners decided not to notify (not_notified), so there is no notification; remove one of the two",
                )
        if begun:
            error(
                ("status",),
                "the partners decided not to notify (not_notified), so no rapid review follows: keep status: draft and record no meetings or submission",
            )
        return
    if dates.sin_submitted is None and (begun or review.notification is not None):
        error(
            ("dates", "sin_submitted"),
            "a rapid review needs the date the Serious Incident Notification was submitted",
        )
    if review.notification is None and (begun or dates.sin_submitted is not None):
        error(
            ("notification",),
            "a rapid review needs the Serious Incident Notification: add `notification: {reference: ...}`",
        )


def _check_lcspr_publication(review: Review, error: Callable[[Loc, str], None]) -> None:
    """An LCSPR's final report precedes publication; publishing only the improvements needs a reason."""
    dates = review.dates
    choice = review.publication
    if choice.scope is PublicationScope.IMPROVEMENTS_ONLY and not (choice.reason or "").strip():
        error(
            ("publication", "reason"),
            "the partners chose to publish only the improvements: record why (Working Together 2023 asks for it)",
        )
    if dates.planned_publication and dates.decision and dates.planned_publication < dates.decision:
        error(("dates", "planned_publication"), "is before the decision")
    if review.status is ReviewStatus.PUBLISHED and dates.sent_to_panel is None:
        error(
            ("dates", "sent_to_panel"),
            "an LCSPR is published only after its final report went to the Panel and the DfE: add the date it was sent",
        )


def _check_actions(
    review: Review, source: Source, partnership: Partnership, found: Findings
) -> None:
    """Check the action plan: owners that exist, complete actions with a date and their evidence."""
    owners = {a.name for a in review.agencies} | {
        partnership.name,
        partnership.abbreviation,
        *partnership.partners.model_dump().values(),
    }
    for index, action in enumerate(review.actions):
        if action.owner not in owners:
            found.errors.append(
                source.problem(
                    ("actions", index, "owner"),
                    f"{action.owner!r} is not one of the review's agencies, a partner or the partnership{did_you_mean(action.owner, owners)}",
                )
            )
        if action.status is ActionStatus.COMPLETE and action.completed is None:
            found.errors.append(
                source.problem(
                    ("actions", index, "completed"),
                    "the action is complete: add the date it was completed (`completed: YYYY-MM-DD`)",
                )
            )
        if action.completed is not None and action.status is not ActionStatus.COMPLETE:
            found.errors.append(
                source.problem(
                    ("actions", index, "status"),
                    f"is {action.status.value} but a completed date is recorded; set `status: complete` or remove the date",
                )
            )
        if action.status is ActionStatus.COMPLETE and not (action.evidence or "").strip():
            found.warnings.append(
                source.problem(
                    ("actions", index, "evidence"),
                    "the action is complete: record the evidence of its impact",
                )
            )


def check_brief(
    brief: Brief, source: Source, partnership: Partnership, review_ids: set[str], today: dt.date
) -> Findings:
    """Check one learning brief's references, themes and dates."""
    found = Findings()
    vocabulary = {t.id for t in partnership.themes}
    for index, theme in enumerate(brief.themes):
        if theme not in vocabulary:
            found.errors.append(
                source.problem(
                    ("themes", index),
                    f"{theme!r} is not a theme in partnership.yaml{did_you_mean(theme, vocabulary)}",
                )
            )
    for index, ref in enumerate(brief.reviews):
        if ref not in review_ids:
            found.errors.append(
                source.problem(
                    ("reviews", index),
                    f"no review has the id {ref!r}{did_you_mean(ref, review_ids)}",
                )
            )
    if brief.status is BriefStatus.PUBLISHED and brief.published is None:
        found.errors.append(
            source.problem(
                ("published",), "status is published but the publication date is missing"
            )
        )
    if brief.published is not None and brief.published > today:
        found.errors.append(
            source.problem(("published",), f"{brief.published:%-d %B %Y} is in the future")
        )
    if brief.available_until is not None and brief.published is not None:
        floor = brief.published + relativedelta(months=partnership.publication.retention_months)
        if brief.available_until < floor:
            found.errors.append(
                source.problem(
                    ("available_until",),
                    f"must be at least {partnership.publication.retention_months} months after publication (on or after {floor:%-d %B %Y})",
                )
            )
    return found


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return "; did you mean 'x'?" for the closest choice, or an empty string."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
