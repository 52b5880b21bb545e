"""What a Word template may use: the render contexts, built from the content model.

There are three kinds of context. `ReviewContext` (confidential documents for the Panel and partners)
is built from a review entry. `PublishedContext` and `BriefContext` are built from a
`PublishedDocument` alone, so nothing confidential can reach the documents made from them.

Every field carries its description in `Annotated[..., "description"]`: `templates/README.md`
lists the tags from these classes (`tag_reference()`), so the list cannot go stale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from pipeline.calendar.actions import ActionRow, ActionState, describe_due, review_actions
from pipeline.calendar.deadlines import DeadlineState, DeadlineStatus, schedule
from pipeline.calendar.status import describe_left
from pipeline.content.model import (
    Deadline,
    DecisionOutcome,
    IncidentNature,
    IncidentOutcome,
    LegalStatus,
    Person,
    PersonRole,
    Regulation11Criterion,
    Review,
    ReviewType,
    Sex,
)
from pipeline.content.project import Project, ReviewEntry
from pipeline.content.sections import SECTIONS, sections_for
from pipeline.published import PublishedDocument
from pipeline.render.markdown_docx import MarkdownBlock, WordTarget

MARKING = "OFFICIAL-SENSITIVE"
NOT_RECORDED = "Not recorded"

NATURE_LABELS = {
    IncidentNature.NON_ACCIDENTAL_INJURY: "Non-accidental injury",
    IncidentNature.SUDI: "Sudden unexpected death in infancy (SUDI)",
    IncidentNature.NEGLECT: "Neglect",
    IncidentNature.SUICIDE: "Suicide",
    IncidentNature.HOMICIDE: "Homicide",
    IncidentNature.EXTRA_FAMILIAL_HARM: "Extra-familial harm",
    IncidentNature.SEXUAL_ABUSE: "Sexual abuse",
    IncidentNature.OTHER: "Other",
}
OUTCOME_LABELS = {IncidentOutcome.DEATH: "Death", IncidentOutcome.SERIOUS_HARM: "Serious harm"}
LEGAL_STATUS_LABELS = {
    LegalStatus.NONE: "No statutory involvement",
    LegalStatus.EARLY_HELP: "Early help",
    LegalStatus.CHILD_IN_NEED: "Child in need",
    LegalStatus.CHILD_PROTECTION_PLAN: "Child protection plan",
    LegalStatus.LOOKED_AFTER: "Looked after",
    LegalStatus.CARE_LEAVER: "Care leaver",
}
ROLE_LABELS = {
    PersonRole.CHILD: "Child",
    PersonRole.SIBLING: "Sibling",
    PersonRole.PARENT: "Parent",
    PersonRole.PARENTS_PARTNER: "Parent's partner",
    PersonRole.RELATIVE: "Relative",
    PersonRole.CARER: "Carer",
    PersonRole.HOUSEHOLD_MEMBER: "Household member",
    PersonRole.OTHER_ADULT: "Other adult",
    PersonRole.PROFESSIONAL: "Professional",
}
SEX_LABELS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.NOT_RECORDED: NOT_RECORDED}
REGULATION_11 = {
    Regulation11Criterion.IMPROVEMENTS_NEEDED: "The case highlights, or may highlight, improvements needed to safeguard and promote the welfare of children.",
    Regulation11Criterion.RECURRENT_THEMES: "The case highlights, or may highlight, recurrent themes in the safeguarding and promotion of the welfare of children.",
    Regulation11Criterion.AGENCIES_WORKING_TOGETHER: "The case highlights, or may highlight, concerns about two or more organisations or agencies working together effectively to safeguard and promote the welfare of children.",
    Regulation11Criterion.PANEL_VIEW: "The Child Safeguarding Practice Review Panel has considered the case and concluded that a local review may be more appropriate.",
}
STATE_LABELS = {
    DeadlineState.MET: "Met",
    DeadlineState.MET_LATE: "Met late",
    DeadlineState.DUE: "Due",
    DeadlineState.OVERDUE: "Overdue",
    DeadlineState.OPEN: "Open",
    DeadlineState.NOT_STARTED: "Not started",
    DeadlineState.CLOSED: "Closed: decided not to notify",
}
HOUSEHOLD_ORDER = (
    PersonRole.PARENT,
    PersonRole.PARENTS_PARTNER,
    PersonRole.SIBLING,
    PersonRole.RELATIVE,
    PersonRole.CARER,
    PersonRole.HOUSEHOLD_MEMBER,
    PersonRole.OTHER_ADULT,
)
PARTNER_LABELS = {
    "local_authority": "Local authority",
    "health": "Integrated care board (health)",
    "police": "Police",
}


def long_date(value: dt.date | None, missing: str = "") -> str:
    return f"{value:%-d %B %Y}" if value else missing


def age_on(born: dt.date | None, on: dt.date) -> str:
    """Return an age as a person would say it: '4 months', '7 years'."""
    if born is None:
        return ""
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    if months < 0:
        return "Not yet born"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"


# ---------------------------------------------------------------------------------------------------
# Shared pieces


@dataclass(frozen=True)
class PartnershipInfo:
    """The partnership, from partnership.yaml."""

    name: Annotated[str, "Full name, e.g. 'Brackenford Safeguarding Children Partnership'."]
    abbreviation: Annotated[str, "Short name, e.g. 'BSCP'."]
    local_authority: Annotated[str, "The local authority partner."]
    health: Annotated[str, "The integrated care board partner."]
    police: Annotated[str, "The police force partner."]
    contact_email: Annotated[str, "Public contact address of the business unit (may be empty)."]
    site_url: Annotated[str, "Address of the partnership's website (may be empty)."]


@dataclass(frozen=True)
class DocumentInfo:
    """The document being made: also written into its properties."""

    title: Annotated[str, "The document's title, e.g. 'Rapid review BSCP-2024-25-03'."]
    subject: Annotated[str, "What the document is, e.g. 'Rapid review for the National Panel'."]
    marking: Annotated[
        str, "Protective marking: 'OFFICIAL-SENSITIVE' on confidential documents, else empty."
    ]
    date: Annotated[str, "The document's date, taken from the content (the latest recorded date)."]


def partnership_info(project: Project) -> PartnershipInfo:
    p = project.partnership
    return PartnershipInfo(
        name=p.name,
        abbreviation=p.abbreviation,
        local_authority=p.partners.local_authority,
        health=p.partners.health,
        police=p.partners.police,
        contact_email=p.publication.contact_email or "",
        site_url=p.publication.site_url or "",
    )


# ---------------------------------------------------------------------------------------------------
# Confidential: built from a review entry


@dataclass(frozen=True)
class ReviewInfo:
    """The review itself."""

    id: Annotated[str, "The review id, e.g. 'BSCP-2024-25-03'."]
    title: Annotated[str, "The published (anonymised) title."]
    type: Annotated[str, "'rapid_review' or 'lcspr'."]
    type_label: Annotated[str, "'Rapid review' or 'Local child safeguarding practice review'."]
    status: Annotated[
        str, "'draft', 'in_review', 'submitted', 'panel_responded', 'published', 'withdrawn'."
    ]
    status_label: Annotated[str, "The status in words, e.g. 'Submitted to the Panel'."]
    themes: Annotated[str, "Theme labels, separated by commas."]
    commissioned_by: Annotated[str, "LCSPRs: the id of the rapid review that commissioned it."]
    review_model: Annotated[str, "LCSPRs: how the review is done (may be empty)."]
    lead_reviewer: Annotated[str, "LCSPRs: the independent lead reviewer (may be empty)."]
    publication_hold: Annotated[str, "Why publication is held back (may be empty)."]


@dataclass(frozen=True)
class DeadlineRow:
    """One statutory deadline and where the review stands against it."""

    label: Annotated[str, "The deadline, e.g. 'Serious incident notification'."]
    counted_from: Annotated[str, "Day 0 of its clock, as a date."]
    due: Annotated[str, "When it is or was due."]
    done: Annotated[str, "When it was met (empty if not yet)."]
    state: Annotated[str, "'Met', 'Met late', 'Due', 'Overdue', 'Open' or 'Not started'."]
    summary: Annotated[str, "The state in a phrase, e.g. 'Met on 27 December 2024'."]


@dataclass(frozen=True)
class NotificationInfo:
    """The Serious Incident Notification."""

    reference: Annotated[str, "The SIN reference the Panel gave."]
    notified_by: Annotated[str, "Role of the person who notified."]
    criteria: Annotated[str, "Why the case met the notification criteria."]
    la_aware: Annotated[str, "When the local authority became aware (day 0)."]
    due: Annotated[str, "When the notification was due (5 working days later)."]
    submitted: Annotated[str, "When it was submitted."]
    partners_aware: Annotated[str, "When the other safeguarding partners were told."]
    deadline_met: Annotated[str, "'Yes', or 'No: ...' with how late, or 'Not yet submitted: ...'."]
    delay_reason: Annotated[str, "The recorded reason it was late (may be empty)."]


@dataclass(frozen=True)
class KeyDates:
    """The review's key dates, written out ('20 December 2024'); empty when not recorded."""

    incident: Annotated[str, "When the incident happened."]
    la_aware: Annotated[str, "When the local authority became aware."]
    sin_submitted: Annotated[str, "When the notification was submitted."]
    partners_aware: Annotated[str, "When the other partners were told."]
    meetings: Annotated[str, "Rapid review meeting dates, separated by commas."]
    rapid_review_due: Annotated[str, "When the rapid review is due with the Panel."]
    sent_to_panel: Annotated[str, "When the rapid review was sent to the Panel."]
    panel_response: Annotated[str, "When the Panel responded."]
    decision: Annotated[str, "When the partners made their decision."]
    published: Annotated[str, "When it was published."]


@dataclass(frozen=True)
class PersonRow:
    """A person in the review (confidential)."""

    label: Annotated[str, "How published text refers to them, e.g. 'Child A', 'Mother'."]
    names: Annotated[str, "Their real names, separated by commas."]
    role: Annotated[str, "Their role in words, e.g. 'Parent'."]
    relationship: Annotated[str, "Relationship to the child, e.g. 'maternal grandmother'."]
    date_of_birth: Annotated[str, "Date of birth."]
    age: Annotated[
        str, "Age at the incident, e.g. '4 months', '7 years' (empty without a date of birth)."
    ]
    sex: Annotated[str, "'Female', 'Male' or 'Not recorded'."]
    ethnicity: Annotated[str, "Ethnicity as recorded."]
    disability_send: Annotated[str, "Disability or special educational needs."]
    legal_status: Annotated[str, "Children: legal status, e.g. 'Child protection plan'."]
    agency: Annotated[str, "Professionals: their agency."]


@dataclass(frozen=True)
class IncidentInfo:
    """What happened."""

    outcome: Annotated[str, "'Death' or 'Serious harm'."]
    nature: Annotated[str, "What kind of incident, e.g. 'Non-accidental injury'."]
    date: Annotated[str, "When it happened."]
    description: Annotated[str, "One or two sentences on what happened (confidential)."]


@dataclass(frozen=True)
class AgencyRow:
    """An agency involved."""

    name: Annotated[str, "The agency."]
    involvement: Annotated[str, "What it did in the period covered."]


@dataclass(frozen=True)
class DecisionInfo:
    """The partners' decision."""

    made: Annotated[bool, "True once a decision is recorded."]
    outcome: Annotated[str, "The decision in words."]
    code: Annotated[
        str,
        "'lcspr', 'national_review_recommended', 'other_learning_review', 'no_further_review' or empty.",
    ]
    date: Annotated[str, "When it was made."]
    regulation_11: Annotated[list[str], "The Regulation 11 criteria met, each as a sentence."]


@dataclass(frozen=True)
class LcsprInfo:
    """The local child safeguarding practice review, when one is commissioned."""

    commissioned: Annotated[bool, "True when the decision is to commission an LCSPR."]
    decision_date: Annotated[str, "When it was commissioned."]
    publication_due: Annotated[str, "When it should be published (6 months after the decision)."]
    months: Annotated[int, "Months from the decision to publication (the partnership's setting)."]
    id: Annotated[str, "The LCSPR's review id, once it exists in content/."]
    review_model: Annotated[str, "How it is done (from the LCSPR entry; may be empty)."]
    lead_reviewer: Annotated[str, "The independent lead reviewer (may be empty)."]


@dataclass(frozen=True)
class QuestionRow:
    """A question the Panel asked, and the answer."""

    question: Annotated[str, "The Panel's question."]
    asked: Annotated[str, "When it was asked."]
    answer: Annotated[MarkdownBlock, "The answer (Markdown: use `{{p q.answer }}`)."]
    answered: Annotated[str, "When the answer was sent."]


@dataclass(frozen=True)
class ActionPlanRow:
    """One action of the review's action plan, and where it stands on the document's date."""

    number: Annotated[int, "Its number in the plan, from 1."]
    action: Annotated[str, "What will be done."]
    owner: Annotated[str, "The agency that owns it."]
    due: Annotated[str, "When it is due (empty if no date is set)."]
    status: Annotated[str, "'Open', 'In progress', 'Overdue' or 'Complete'."]
    progress: Annotated[
        str,
        "Where it stands in words, e.g. 'Overdue by 3 working days', 'Complete on 15 September 2023'.",
    ]
    evidence: Annotated[MarkdownBlock, "Evidence of impact (Markdown: use `{{p a.evidence }}`)."]


@dataclass(frozen=True)
class DelayRow:
    """A deadline missed, and why."""

    deadline: Annotated[str, "The deadline, e.g. 'Rapid review to the Panel'."]
    reason: Annotated[str, "Why it was missed."]
    panel_informed: Annotated[str, "When the Panel secretariat was told."]


@dataclass(frozen=True)
class SignOffRow:
    """One partner's sign-off."""

    partner: Annotated[str, "'Local authority', 'Integrated care board (health)' or 'Police'."]
    organisation: Annotated[str, "The partner organisation, from partnership.yaml."]
    signed: Annotated[bool, "True once signed off."]
    name: Annotated[str, "The senior representative's name."]
    role: Annotated[str, "Their role."]
    date: Annotated[str, "When they signed off."]


Sections = dataclasses.make_dataclass(
    "Sections",
    [(spec.key, Annotated[MarkdownBlock, f"{spec.title} ({spec.filename})."]) for spec in SECTIONS],
    frozen=True,
)
Sections.__doc__ = (
    "The narrative sections, Markdown: use `{{p sections.summary }}` alone in a paragraph."
)


@dataclass(frozen=True)
class ReviewContext:
    """Confidential documents: the Rapid Review, the notification record, the terms of reference."""

    partnership: Annotated[PartnershipInfo, "The partnership."]
    document: Annotated[DocumentInfo, "This document."]
    review: Annotated[ReviewInfo, "The review."]
    notification: Annotated[NotificationInfo, "The Serious Incident Notification."]
    dates: Annotated[KeyDates, "Key dates."]
    deadlines: Annotated[list[DeadlineRow], "Every statutory deadline of the review."]
    children: Annotated[list[PersonRow], "The children the review is about."]
    household: Annotated[list[PersonRow], "Family and household members, ordered by role."]
    professionals: Annotated[list[PersonRow], "Professionals named in the review."]
    incident: Annotated[IncidentInfo, "The incident."]
    agencies: Annotated[list[AgencyRow], "Agencies involved."]
    period: Annotated[str, "The period covered, e.g. '1 March 2024 to 20 December 2024'."]
    sections: Annotated[Sections, "The narrative sections."]  # type: ignore[valid-type]
    decision: Annotated[DecisionInfo, "The decision."]
    lcspr: Annotated[LcsprInfo, "The LCSPR, when commissioned."]
    panel_questions: Annotated[list[QuestionRow], "The Panel's questions and the answers."]
    delay_reasons: Annotated[list[DelayRow], "Deadlines missed and why."]
    actions: Annotated[list[ActionPlanRow], "The action plan, in the review's order."]
    sign_offs: Annotated[list[SignOffRow], "Sign-off by the three partners, in a fixed order."]


def _person(person: Person, on: dt.date) -> PersonRow:
    return PersonRow(
        label=person.label,
        names=", ".join(person.names),
        role=ROLE_LABELS[person.role],
        relationship=person.relationship or "",
        date_of_birth=long_date(person.date_of_birth, NOT_RECORDED),
        age=age_on(person.date_of_birth, on),
        sex=SEX_LABELS[person.sex],
        ethnicity=person.ethnicity or NOT_RECORDED,
        disability_send=person.disability_send or "None recorded",
        legal_status=LEGAL_STATUS_LABELS[person.legal_status]
        if person.legal_status
        else NOT_RECORDED,
        agency=person.agency or "",
    )


def _deadline_summary(status: DeadlineStatus) -> str:
    if status.state is DeadlineState.MET:
        return f"Met on {long_date(status.done)}"
    if status.state is DeadlineState.MET_LATE:
        return f"Met late, on {long_date(status.done)}"
    if status.state is DeadlineState.NOT_STARTED:
        return "Not started"
    if status.state is DeadlineState.CLOSED:
        return f"Closed on {long_date(status.done)}: {status.note}"
    if status.state is DeadlineState.OPEN:
        return f"Open until {long_date(status.due)}"
    return describe_left(status.working_days_left, status.state).capitalize()


def review_dates(review: Review) -> list[dt.date]:
    """Return every date recorded in the review, the ones that make its documents' date."""
    dates = [v for _, v in review.dates if isinstance(v, dt.date)]
    dates += review.dates.rapid_review_meetings
    dates += [s.date for _, s in review.sign_offs if s is not None]
    for q in review.panel_questions:
        dates += [d for d in (q.asked, q.answered) if d]
    dates += [r.panel_informed for r in review.delay_reasons if r.panel_informed]
    return dates


def document_date(review: Review, today: dt.date) -> dt.date:
    """Return the latest date recorded in the review that is not in the future."""
    return max((d for d in review_dates(review) if d <= today), default=review.dates.la_aware)


def _action_progress(row: ActionRow) -> str:
    """Where an action stands, in words: 'Complete on 15 September 2023', 'Overdue by 3 working
    days', 'In progress: 12 working days left'."""
    left = row.working_days_left
    if row.state is ActionState.COMPLETE:
        return (
            f"Complete on {long_date(row.action.completed)}" if row.action.completed else "Complete"
        )
    if row.state is ActionState.OVERDUE and left is not None:
        return f"Overdue by {-left} working day{'s' if left != -1 else ''}"
    return f"{row.state.value.capitalize()}: {describe_due(row)}"


def review_context(
    project: Project, entry: ReviewEntry, target: WordTarget, document: DocumentInfo
) -> ReviewContext:
    """Return the confidential render context of one review."""
    review = entry.review
    partnership = project.partnership
    calendar = project.calendar
    related = project.related(review)
    plan = schedule(review, partnership, calendar, project.today, related)
    on = review.dates.incident
    themes = {t.id: t.label for t in partnership.themes}

    def block(key: str) -> MarkdownBlock:
        section = entry.sections.get(key)
        source = section.display if section else f"{entry.folder.name}/{key}"
        return MarkdownBlock(section.text if section else "", target, source, heading_base=1)

    applicable = {spec.key for spec in sections_for(review.type)}
    sections = Sections(
        **{
            spec.key: block(spec.key)
            if spec.key in applicable
            else MarkdownBlock("", target, spec.filename, empty="Not applicable.")
            for spec in SECTIONS
        }
    )

    reasons = {r.deadline: r for r in review.delay_reasons}
    sin = plan.get(Deadline.SIN)
    note = review.notification
    if review.not_notified is not None:
        decided = review.not_notified
        met = f"Not notified: on {long_date(decided.date)} the partners decided not to notify ({decided.reason.strip()} Agreed by {'; '.join(decided.agreed_by)}.)"
    elif sin is None or sin.due is None:
        met = "Not applicable"
    elif sin.state is DeadlineState.MET:
        met = "Yes"
    elif sin.state is DeadlineState.MET_LATE:
        late = calendar.working_days_between(sin.due, sin.done) if sin.done else 0
        met = f"No: submitted {late} working day{'s' if late != 1 else ''} after the deadline"
    else:
        met = f"Not yet submitted: {describe_left(sin.working_days_left, sin.state)}"
    notification = NotificationInfo(
        reference=note.reference if note else NOT_RECORDED,
        notified_by=(note.notified_by if note else None) or NOT_RECORDED,
        criteria=(note.criteria if note else None) or NOT_RECORDED,
        la_aware=long_date(review.dates.la_aware),
        due=long_date(sin.due if sin else None),
        submitted=long_date(
            review.dates.sin_submitted,
            "Not submitted: decided not to notify" if review.not_notified else "Not yet submitted",
        ),
        partners_aware=long_date(review.dates.partners_aware, NOT_RECORDED),
        deadline_met=met,
        delay_reason=reasons[Deadline.SIN].reason if Deadline.SIN in reasons else "",
    )
    rr = plan.get(Deadline.RAPID_REVIEW)
    dates = review.dates
    key_dates = KeyDates(
        incident=long_date(dates.incident),
        la_aware=long_date(dates.la_aware),
        sin_submitted=long_date(dates.sin_submitted),
        partners_aware=long_date(dates.partners_aware),
        meetings=", ".join(long_date(d) for d in sorted(dates.rapid_review_meetings)),
        rapid_review_due=long_date(rr.due if rr else None),
        sent_to_panel=long_date(dates.sent_to_panel),
        panel_response=long_date(dates.panel_response),
        decision=long_date(dates.decision),
        published=long_date(dates.published),
    )
    deadlines = [
        DeadlineRow(
            label=d.deadline.label,
            counted_from=long_date(d.anchor),
            due=long_date(d.due),
            done=long_date(d.done),
            state=STATE_LABELS[d.state],
            summary=_deadline_summary(d),
        )
        for d in plan.deadlines
    ]
    people = review.people
    household = sorted(
        (p for p in people if p.role in HOUSEHOLD_ORDER),
        key=lambda p: HOUSEHOLD_ORDER.index(p.role),
    )
    decision = review.decision
    lcspr_commissioned = decision is not None and decision.outcome is DecisionOutcome.LCSPR
    months = partnership.working_days.lcspr_publication_months
    publication = plan.get(Deadline.LCSPR_PUBLICATION)
    lcspr_entry = related if related is not None and related.type is ReviewType.LCSPR else None
    commissioning = related if review.type is ReviewType.LCSPR else None

    def question_block(index: int, text: str | None) -> MarkdownBlock:
        line = entry.source.line_of(("panel_questions", index, "answer")) or 1
        return MarkdownBlock(
            text or "",
            target,
            entry.source.display,
            line,
            heading_base=2,
            empty="Not yet answered.",
        )

    return ReviewContext(
        partnership=partnership_info(project),
        document=document,
        review=ReviewInfo(
            id=review.id,
            title=review.title,
            type=review.type.value,
            type_label=review.type.label,
            status=review.status.value,
            status_label=review.status.label,
            themes=", ".join(themes.get(t, t) for t in review.themes),
            commissioned_by=review.rapid_review or "",
            review_model=review.review_model or "",
            lead_reviewer=review.lead_reviewer or "",
            publication_hold=review.publication_hold or "",
        ),
        notification=notification,
        dates=key_dates,
        deadlines=deadlines,
        children=[_person(p, on) for p in people if p.role is PersonRole.CHILD],
        household=[_person(p, on) for p in household],
        professionals=[_person(p, on) for p in people if p.role is PersonRole.PROFESSIONAL],
        incident=IncidentInfo(
            outcome=OUTCOME_LABELS[review.incident.outcome],
            nature=", ".join(NATURE_LABELS[n] for n in review.incident.nature),
            date=long_date(review.dates.incident),
            description=review.incident.description.strip(),
        ),
        agencies=[AgencyRow(a.name, a.involvement or "") for a in review.agencies],
        period=(
            f"{long_date(review.period_covered.start)} to {long_date(review.period_covered.end)}"
            if review.period_covered
            else NOT_RECORDED
        ),
        sections=sections,
        decision=DecisionInfo(
            made=decision is not None,
            outcome=decision.outcome.label if decision else "No decision is recorded yet.",
            code=decision.outcome.value if decision else "",
            date=long_date(review.dates.decision, NOT_RECORDED),
            regulation_11=[REGULATION_11[c] for c in decision.regulation_11] if decision else [],
        ),
        lcspr=LcsprInfo(
            commissioned=lcspr_commissioned or review.type is ReviewType.LCSPR,
            decision_date=long_date(
                review.dates.decision or (commissioning.dates.decision if commissioning else None),
                NOT_RECORDED,
            ),
            publication_due=long_date(publication.due if publication else None, NOT_RECORDED),
            months=months,
            id=lcspr_entry.id if lcspr_entry else (review.id if commissioning else ""),
            review_model=(lcspr_entry.review_model if lcspr_entry else review.review_model) or "",
            lead_reviewer=(lcspr_entry.lead_reviewer if lcspr_entry else review.lead_reviewer)
            or "",
        ),
        panel_questions=[
            QuestionRow(
                q.question, long_date(q.asked), question_block(i, q.answer), long_date(q.answered)
            )
            for i, q in enumerate(review.panel_questions)
        ],
        delay_reasons=[
            DelayRow(r.deadline.label, r.reason, long_date(r.panel_informed, "Not yet told"))
            for r in review.delay_reasons
        ],
        actions=[
            ActionPlanRow(
                number=row.number,
                action=row.action.action,
                owner=row.action.owner,
                due=long_date(row.action.due),
                status=row.state.value.capitalize(),
                progress=_action_progress(row),
                evidence=MarkdownBlock(
                    row.action.evidence or "",
                    target,
                    entry.source.display,
                    entry.source.line_of(("actions", row.number - 1, "evidence")) or 1,
                    heading_base=3,
                    empty="",
                    cell="Table",
                ),
            )
            for row in review_actions(review, project)
        ],
        sign_offs=[
            SignOffRow(
                partner=PARTNER_LABELS[key],
                organisation=getattr(partnership.partners, key),
                signed=sign_off is not None,
                name=sign_off.name if sign_off else "",
                role=sign_off.role if sign_off else "",
                date=long_date(sign_off.date if sign_off else None),
            )
            for key, sign_off in review.sign_offs
        ],
    )


# ---------------------------------------------------------------------------------------------------
# Public: built from a PublishedDocument only


@dataclass(frozen=True)
class PublishedInfo:
    """The published (anonymised) review."""

    id: Annotated[str, "The review id."]
    title: Annotated[str, "The anonymised title."]
    type_label: Annotated[
        str, "'Rapid review', 'Local child safeguarding practice review' or 'Learning brief'."
    ]
    published: Annotated[str, "Month and year of publication, e.g. 'March 2025' (may be empty)."]
    period: Annotated[str, "The period covered, month and year (may be empty)."]
    review_model: Annotated[str, "How the review was done (may be empty)."]
    themes: Annotated[str, "Theme labels, separated by commas."]
    age_groups: Annotated[str, "Age bands of the children, e.g. 'Under 1'."]
    incident: Annotated[str, "Outcome and nature, e.g. 'Serious harm: non-accidental injury'."]
    summary: Annotated[MarkdownBlock, "The catalogue summary (use `{{p doc.summary }}`)."]
    learning_includes: Annotated[list[str], "'Learning includes' points."]
    recommendations_include: Annotated[list[str], "'Recommendations include' points."]
    agencies: Annotated[list[str], "Agencies involved."]


@dataclass(frozen=True)
class SectionBlock:
    """A titled block of Markdown."""

    number: Annotated[int, "Its number, from 1."]
    title: Annotated[str, "Its heading."]
    body: Annotated[MarkdownBlock, "Its text (use `{{p section.body }}` alone in a paragraph)."]


@dataclass(frozen=True)
class PublishedContext:
    """The published rapid review or LCSPR, for the website: from the anonymised document only."""

    partnership: Annotated[PartnershipInfo, "The partnership."]
    document: Annotated[DocumentInfo, "This document (no protective marking)."]
    doc: Annotated[PublishedInfo, "The published review."]
    sections: Annotated[list[SectionBlock], "The published sections, in order."]


@dataclass(frozen=True)
class BriefContext:
    """The learning brief: a one-page 7-minute briefing of seven numbered panels."""

    partnership: Annotated[PartnershipInfo, "The partnership."]
    document: Annotated[DocumentInfo, "This document (no protective marking)."]
    doc: Annotated[PublishedInfo, "The review or brief the briefing comes from."]
    panels: Annotated[
        list[SectionBlock], "The seven panels in order: `panels[0]` is 1. Background."
    ]


def _nature(doc: PublishedDocument) -> str:
    natures = [NATURE_LABELS[IncidentNature(n)] for n in doc.incident_nature]
    outcome = (doc.incident_outcome or "").capitalize()
    if outcome and natures:
        return f"{outcome}: {', '.join(natures).lower() if len(natures) > 1 else natures[0][0].lower() + natures[0][1:]}"
    return outcome or ", ".join(natures)


def published_info(project: Project, doc: PublishedDocument, target: WordTarget) -> PublishedInfo:
    themes = {t.id: t.label for t in project.partnership.themes}
    return PublishedInfo(
        id=doc.id,
        title=doc.title,
        type_label=doc.type_label,
        published=f"{doc.published:%B %Y}" if doc.published else "",
        period=doc.period or "",
        review_model=doc.review_model or "",
        themes=", ".join(themes.get(t, t) for t in doc.themes),
        age_groups=", ".join(doc.age_groups),
        incident=_nature(doc),
        summary=MarkdownBlock(doc.summary, target, doc.id, field="summary", empty=""),
        learning_includes=list(doc.learning_includes),
        recommendations_include=list(doc.recommendations_include),
        agencies=list(doc.agencies),
    )


def _blocks(doc: PublishedDocument, name: str, target: WordTarget, **kw: Any) -> list[SectionBlock]:
    return [
        SectionBlock(
            number,
            s.title,
            MarkdownBlock(s.markdown, target, doc.id, field=f"{name}.{s.key}", **kw),
        )
        for number, s in enumerate(getattr(doc, name), start=1)
    ]


def published_context(
    project: Project, doc: PublishedDocument, target: WordTarget, document: DocumentInfo
) -> PublishedContext:
    """Return the render context of a published review: `doc` is the only source of its text."""
    return PublishedContext(
        partnership=partnership_info(project),
        document=document,
        doc=published_info(project, doc, target),
        sections=_blocks(doc, "sections", target, heading_base=1),
    )


def brief_context(
    project: Project, doc: PublishedDocument, target: WordTarget, document: DocumentInfo
) -> BriefContext:
    """Return the render context of a 7-minute briefing built from `doc.brief_panels`."""
    return BriefContext(
        partnership=partnership_info(project),
        document=document,
        doc=published_info(project, doc, target),
        panels=_blocks(doc, "brief_panels", target, heading_base=2, cell="Panel"),
    )


# ---------------------------------------------------------------------------------------------------
# Documentation of the tags


def as_mapping(context: Any) -> dict[str, Any]:
    """Return the top-level names a template sees."""
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}


def _describe(tp: Any) -> tuple[str, type | None]:
    """Return a short type name and the dataclass to expand, if any."""
    origin = typing.get_origin(tp)
    if origin is list:
        (inner,) = typing.get_args(tp)
        name, nested = _describe(inner)
        return f"list of {name}", nested
    if tp is MarkdownBlock:
        return "Markdown", None
    if dataclasses.is_dataclass(tp):
        return tp.__name__, tp
    return getattr(tp, "__name__", str(tp)), None


def fields_of(cls: type) -> Iterable[tuple[str, str, str, type | None]]:
    """Yield (name, type, description, nested dataclass) for every field of a context class."""
    hints = typing.get_type_hints(cls, include_extras=True)
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = typing.get_args(hint)
        tp, description = (args[0], args[1]) if typing.get_origin(hint) is Annotated else (hint, "")
        name, nested = _describe(tp)
        yield f.name, name, description, nested


CONTEXTS: dict[str, type] = {
    "review": ReviewContext,
    "published": PublishedContext,
    "brief": BriefContext,
}


def tag_reference() -> str:
    """Return the Markdown reference of every tag each kind of template may use."""
    lines: list[str] = []
    for kind, cls in CONTEXTS.items():
        lines += [f"### `{kind}` templates", "", cls.__doc__.strip(), ""]
        described: dict[type, str] = {}
        queue: list[tuple[str, type]] = [("", cls)]
        while queue:
            prefix, current = queue.pop(0)
            if prefix:
                heading = f"`{prefix}`: {(current.__doc__ or '').strip()}"
                if current in described:
                    lines += [f"{heading} The same tags as `{described[current]}`.", ""]
                    continue
                described[current] = prefix
                lines += [heading, ""]
            lines += ["| Tag | Type | What it holds |", "| --- | --- | --- |"]
            for name, type_name, description, nested in fields_of(current):
                tag = f"{prefix}.{name}" if prefix else name
                lines.append(f"| `{tag}` | {type_name} | {description} |")
                if nested is not None:
                    queue.append((f"{tag}[i]" if type_name.startswith("list of") else tag, nested))
            lines.append("")
    return "\n".join(lines)
