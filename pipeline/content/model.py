"""The content model: what authors write in `content/`, with a description on every field.

The JSON Schemas in `schema/` and the authors' reference in `docs/content-reference.md` are generated
from these classes (`bscp schema --write`), so the descriptions here are what authors read.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Markdown = Annotated[str, Field(description="Markdown text.")]


class Strict(BaseModel):
    """Base for every content block: unknown keys are refused, so a misspelt key is never ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, use_enum_values=False)


# ---------------------------------------------------------------------------------------------------
# Vocabularies


class ReviewType(StrEnum):
    RAPID_REVIEW = "rapid_review"
    LCSPR = "lcspr"

    @property
    def label(self) -> str:
        return {
            "rapid_review": "Rapid review",
            "lcspr": "Local child safeguarding practice review",
        }[self.value]


class ReviewStatus(StrEnum):
    """Where a review is in its life; the order of the members is the order of the process."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SUBMITTED = "submitted"
    PANEL_RESPONDED = "panel_responded"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def rank(self) -> int:
        return list(ReviewStatus).index(self)

    def at_least(self, other: ReviewStatus) -> bool:
        """Return True when this status is `other` or later (withdrawn is never later)."""
        return self is not ReviewStatus.WITHDRAWN and self.rank >= other.rank

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "in_review": "In review by the partners",
            "submitted": "Submitted to the Panel",
            "panel_responded": "Panel responded",
            "published": "Published",
            "withdrawn": "Withdrawn",
        }[self.value]


class IncidentOutcome(StrEnum):
    DEATH = "death"
    SERIOUS_HARM = "serious_harm"


class IncidentNature(StrEnum):
    NON_ACCIDENTAL_INJURY = "non_accidental_injury"
    SUDI = "sudi"
    NEGLECT = "neglect"
    SUICIDE = "suicide"
    HOMICIDE = "homicide"
    EXTRA_FAMILIAL_HARM = "extra_familial_harm"
    SEXUAL_ABUSE = "sexual_abuse"
    OTHER = "other"


class DecisionOutcome(StrEnum):
    LCSPR = "lcspr"
    NATIONAL_REVIEW_RECOMMENDED = "national_review_recommended"
    OTHER_LEARNING_REVIEW = "other_learning_review"
    NO_FURTHER_REVIEW = "no_further_review"

    @property
    def label(self) -> str:
        return {
            "lcspr": "A local child safeguarding practice review",
            "national_review_recommended": "A national review is recommended to the Panel",
            "other_learning_review": "Another form of learning review",
            "no_further_review": "No further review: the learning is already identified",
        }[self.value]


class Regulation11Criterion(StrEnum):
    """Regulation 11 of SI 2018/789: why a local review is appropriate."""

    IMPROVEMENTS_NEEDED = "improvements_needed"
    RECURRENT_THEMES = "recurrent_themes"
    AGENCIES_WORKING_TOGETHER = "agencies_working_together"
    PANEL_VIEW = "panel_view"


class PersonRole(StrEnum):
    CHILD = "child"
    SIBLING = "sibling"
    OTHER_CHILD = "other_child"
    PARENT = "parent"
    PARENTS_PARTNER = "parents_partner"
    RELATIVE = "relative"
    CARER = "carer"
    HOUSEHOLD_MEMBER = "household_member"
    OTHER_ADULT = "other_adult"
    PROFESSIONAL = "professional"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NOT_RECORDED = "not_recorded"


class LegalStatus(StrEnum):
    NONE = "none"
    EARLY_HELP = "early_help"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    LOOKED_AFTER = "looked_after"
    CARE_LEAVER = "care_leaver"


class PlaceKind(StrEnum):
    SCHOOL = "school"
    NURSERY = "nursery"
    GP_PRACTICE = "gp_practice"
    HOSPITAL = "hospital"
    STREET = "street"
    ESTATE = "estate"
    TOWN = "town"
    PLACEMENT = "placement"
    OTHER = "other"


class Deadline(StrEnum):
    SIN = "sin"
    RAPID_REVIEW = "rapid_review"
    PANEL_RESPONSE = "panel_response"
    LCSPR_PUBLICATION = "lcspr_publication"
    LCSPR_FINAL_REPORT = "lcspr_final_report"

    @property
    def label(self) -> str:
        return {
            "sin": "Serious incident notification",
            "rapid_review": "Rapid review to the Panel",
            "panel_response": "Panel response",
            "lcspr_publication": "LCSPR publication",
            "lcspr_final_report": "LCSPR final report to the Panel and the DfE",
        }[self.value]

    @property
    def short(self) -> str:
        """A label of at most 12 characters, for one-line summaries."""
        return {
            "sin": "Notification",
            "rapid_review": "Rapid review",
            "panel_response": "Panel reply",
            "lcspr_publication": "Publication",
            "lcspr_final_report": "Final report",
        }[self.value]


class PublicationScope(StrEnum):
    """What of an LCSPR is published (Working Together 2023: the report, unless inappropriate)."""

    FULL = "full"
    IMPROVEMENTS_ONLY = "improvements_only"


class ActionStatus(StrEnum):
    """Where an action stands, as its owner reports it; "overdue" is worked out from the due date."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {"open": "Open", "in_progress": "In progress", "complete": "Complete"}[self.value]


class RapidReviewAnchor(StrEnum):
    SIN_SUBMITTED = "sin_submitted"
    PARTNERS_AWARE = "partners_aware"


# ---------------------------------------------------------------------------------------------------
# partnership.yaml


class Theme(Strict):
    id: Annotated[
        str,
        StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
        Field(description="Short identifier used in `themes:` lists, e.g. `safe-sleep`."),
    ]
    label: NonEmptyStr = Field(description="The theme as readers see it, e.g. 'Safe sleep / SUDI'.")
    description: str | None = Field(None, description="One sentence shown on the theme's page.")


class Partners(Strict):
    local_authority: NonEmptyStr = Field(
        description="The local authority partner, e.g. 'Brackenford Borough Council'."
    )
    health: NonEmptyStr = Field(description="The integrated care board (ICB) partner.")
    police: NonEmptyStr = Field(description="The chief officer of police's force.")


class WorkingDaySettings(Strict):
    rapid_review_anchor: RapidReviewAnchor = Field(
        RapidReviewAnchor.SIN_SUBMITTED,
        description="Which date starts the rapid review clock (day 0): `sin_submitted` (the default) or `partners_aware`.",
    )
    sin_working_days: int = Field(
        5,
        ge=1,
        le=30,
        description="Working days from the LA becoming aware to the notification deadline.",
    )
    rapid_review_working_days: int = Field(
        15,
        ge=1,
        le=60,
        description="Working days from the anchor to the rapid review being sent to the Panel.",
    )
    panel_response_first_day: int = Field(
        16,
        ge=1,
        le=90,
        description="First working day of the Panel's response window, counted from the anchor.",
    )
    panel_response_last_day: int = Field(
        30,
        ge=1,
        le=90,
        description="Last working day of the Panel's response window, counted from the anchor.",
    )
    lcspr_publication_months: int = Field(
        6,
        ge=1,
        le=24,
        description="Calendar months from the decision to commission an LCSPR to its publication.",
    )
    lcspr_final_report_working_days: int = Field(
        7,
        ge=1,
        le=60,
        description="Working days before an LCSPR's publication by which its final report must reach the Panel and the Secretary of State (DfE).",
    )
    extra_closure_days: list[dt.date] = Field(
        default_factory=list,
        description="Extra days the partnership does not count as working days (local closures), on top of weekends and England and Wales bank holidays.",
    )


def _https_url(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", value):
        raise PydanticCustomError(
            "https_url",
            "'{value}' is not a web address; write it in full, starting https://",
            {"value": value},
        )
    return value


def _phone(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"\+?[0-9][0-9 ]{2,19}", value):
        raise PydanticCustomError(
            "phone",
            "'{value}' is not a telephone number; write the digits as people dial them, e.g. '01632 960 100'",
            {"value": value},
        )
    return value


HttpsUrl = Annotated[
    str,
    AfterValidator(_https_url),
    Field(
        description="A web address starting `https://`.",
        json_schema_extra={"pattern": "^https://", "format": "uri"},
    ),
]
Phone = Annotated[str, AfterValidator(_phone)]


class Contact(Strict):
    """One way to get help: a telephone number, a web page, or both."""

    label: NonEmptyStr = Field(
        description="Who answers and when, e.g. 'Children's Services front door (weekdays 9am to 5pm)'."
    )
    phone: Phone | None = Field(
        None, description="The number as people dial it, digits and spaces, e.g. '01632 960 100'."
    )
    url: HttpsUrl | None = Field(
        None, description="A web page, e.g. the online form to report a concern."
    )

    @model_validator(mode="after")
    def _phone_or_url(self) -> Contact:
        if self.phone is None and self.url is None:
            raise PydanticCustomError(
                "phone_or_url", "give a phone number, a url, or both, so that readers can get help"
            )
        return self


class Signposting(Strict):
    """The 'Worried about a child?' panel on every page of the website."""

    heading: NonEmptyStr = Field("Worried about a child?", description="The panel's heading.")
    text: NonEmptyStr = Field(
        "If a child is in immediate danger, call 999.",
        description="One or two sentences above the contacts.",
    )
    contacts: list[Contact] = Field(
        default_factory=list,
        description="Where to report a concern about a child: the local authority's front door, the out-of-hours team, the police.",
    )


class PublicationSettings(Strict):
    site_url: str | None = Field(
        None,
        description="Address the website is published at, e.g. 'https://example.org/bscp/'. Used in the RSS feed.",
    )
    retention_months: int = Field(
        12,
        ge=12,
        le=120,
        description="Minimum months a publication stays online; `available_until` may not be earlier.",
    )
    contact_email: str | None = Field(
        None, description="Public contact address for the partnership's business unit."
    )
    description: NonEmptyStr = Field(
        "We publish what we learn from reviews of serious incidents, so that practice improves.",
        description="One or two sentences about the partnership, shown on the home page.",
    )
    worried_about_a_child: Signposting = Field(
        default_factory=Signposting,
        description="The 'Worried about a child?' signposting shown on every page.",
    )
    quick_exit_url: HttpsUrl = Field(
        "https://www.bbc.co.uk/weather",
        description="Where the 'Leave this site' button (and pressing Escape twice) takes a reader who must hide what they are reading: a neutral site.",
    )
    national_repository_url: HttpsUrl = Field(
        "https://learning.nspcc.org.uk/case-reviews/national-case-review-repository",
        description="The NSPCC national case review repository, where withdrawal notices send readers for reviews no longer online here.",
    )
    action_progress: bool = Field(
        False,
        description="Publish each published review's action plan and the progress on it (anonymised like the rest of the text). Off by default.",
    )


class PlaceLabels(Strict):
    """Generic phrases used in published text for places nobody gave a label."""

    school: str = Field("the school", description="Replacement for an unlisted school.")
    nursery: str = Field("the nursery", description="Replacement for an unlisted nursery.")
    gp_practice: str = Field(
        "the GP practice", description="Replacement for an unlisted GP practice or surgery."
    )
    hospital: str = Field("the hospital", description="Replacement for an unlisted hospital.")
    address: str = Field("the family home", description="Replacement for an unlisted address.")
    place: str = Field("[place]", description="Replacement for any other unlisted place.")


class AnonymisationPolicy(Strict):
    """How published text is anonymised; a review may override parts of it."""

    unlisted_person: str = Field(
        "Person {n}",
        description="Placeholder for names nobody listed; `{n}` numbers them consistently within a review.",
    )
    unlisted_organisation: str = Field(
        "[organisation]",
        description="Placeholder for organisations that are neither listed nor allowed.",
    )
    places: PlaceLabels = Field(
        default_factory=PlaceLabels, description="Generic phrases for places nobody listed."
    )
    coarsen_dates: bool = Field(True, description="Replace exact dates with month and year.")
    removed: str = Field(
        "[removed]",
        description="What replaces a removed detail (numbers, dates of birth, contact details).",
    )
    allow: list[str] = Field(
        default_factory=list,
        description="Words and phrases that are never redacted, e.g. agency names that detection mistakes for people.",
    )
    deny: list[str] = Field(
        default_factory=list, description="Words and phrases that are always redacted."
    )
    min_score: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Lowest detection score acted on. Keep at 0: UK postcodes score only 0.1.",
    )


class Partnership(Strict):
    name: NonEmptyStr = Field(
        description="Full name, e.g. 'Brackenford Safeguarding Children Partnership'."
    )
    abbreviation: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,11}$")] = Field(
        description="Short name in capitals, e.g. 'BSCP'; it starts every review id."
    )
    review_id_pattern: NonEmptyStr = Field(
        description=r"Regular expression every review and brief id must match in full, e.g. '^BSCP-\d{4}-\d{2}-\d{2}$'."
    )
    brief_id_pattern: NonEmptyStr = Field(
        r"^[A-Z]+-LB-\d{4}-\d{2}$",
        description=r"Regular expression every learning brief id must match in full, e.g. '^BSCP-LB-\d{4}-\d{2}$'.",
    )
    partners: Partners = Field(description="The three statutory safeguarding partners.")
    themes: list[Theme] = Field(
        min_length=1,
        description="The controlled vocabulary of themes reviews and briefs are tagged with.",
    )
    working_days: WorkingDaySettings = Field(
        default_factory=WorkingDaySettings, description="How statutory deadlines are counted."
    )
    publication: PublicationSettings = Field(
        default_factory=PublicationSettings, description="Website settings."
    )
    anonymisation: AnonymisationPolicy = Field(
        default_factory=AnonymisationPolicy,
        description="The anonymisation policy for every review.",
    )


# ---------------------------------------------------------------------------------------------------
# review.yaml


class Person(Strict):
    label: NonEmptyStr = Field(
        description="How published text refers to this person, e.g. 'Child A', 'Mother', 'the health visitor'. Unique within the review."
    )
    role: PersonRole = Field(description="The person's part in the child's life.")
    relationship: str | None = Field(
        None,
        description="Relationship to the child in plain words, e.g. 'maternal grandmother'. Confidential.",
    )
    names: list[NonEmptyStr] = Field(
        min_length=1,
        description="Real full names, as written in records (include previous names). Never published.",
    )
    aliases: list[NonEmptyStr] = Field(
        default_factory=list,
        description="Nicknames, short forms and other names the person is known by. Never published.",
    )
    date_of_birth: dt.date | None = Field(
        None, description="Date of birth (YYYY-MM-DD). Never published."
    )
    sex: Sex = Field(Sex.NOT_RECORDED, description="Sex as recorded.")
    ethnicity: str | None = Field(None, description="Ethnicity as recorded. Confidential.")
    disability_send: str | None = Field(
        None, description="Disability or special educational needs. Confidential."
    )
    legal_status: LegalStatus | None = Field(
        None, description="Children only: legal status at the time of the incident."
    )
    agency: str | None = Field(None, description="Professionals only: the agency they worked for.")
    nhs_number: str | None = Field(
        None, description="NHS number (10 digits, spaces allowed). Never published."
    )
    ni_number: str | None = Field(None, description="National Insurance number. Never published.")
    addresses: list[NonEmptyStr] = Field(
        default_factory=list,
        description="Addresses, one per entry, with postcode. Never published.",
    )
    phones: list[NonEmptyStr] = Field(
        default_factory=list, description="Telephone numbers. Never published."
    )
    emails: list[NonEmptyStr] = Field(
        default_factory=list, description="E-mail addresses. Never published."
    )
    settings: list[NonEmptyStr] = Field(
        default_factory=list,
        description="Ids of the places in `places:` this person attends (schools, nurseries).",
    )
    gp_practice: str | None = Field(
        None, description="Id of the person's GP practice in `places:`."
    )
    other_identifiers: list[NonEmptyStr] = Field(
        default_factory=list,
        description="Case, court, police or hospital reference numbers. Never published.",
    )


class Place(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")] = Field(
        description="Short identifier used by `settings:` and `gp_practice:`, e.g. `oakfield-primary`."
    )
    name: NonEmptyStr = Field(
        description="The real name, e.g. 'Oakfield Primary School'. Never published."
    )
    kind: PlaceKind = Field(description="What sort of place it is.")
    label: NonEmptyStr = Field(
        description="How published text refers to it, e.g. 'the primary school'. Unique within the review."
    )
    aliases: list[NonEmptyStr] = Field(
        default_factory=list, description="Other names and short forms, e.g. 'Oakfield'."
    )
    address: str | None = Field(None, description="Address with postcode. Never published.")


class Agency(Strict):
    name: NonEmptyStr = Field(description="The agency as published, e.g. 'Children's social care'.")
    involvement: str | None = Field(
        None, description="One line on what the agency did in the period covered."
    )


class Notification(Strict):
    reference: NonEmptyStr = Field(
        description="The Serious Incident Notification reference the Panel gave."
    )
    notified_by: str | None = Field(
        None, description="Role of the person who notified, e.g. 'Director of Children's Services'."
    )
    criteria: str | None = Field(
        None, description="Why the case met the notification criteria, in a sentence."
    )


class Incident(Strict):
    outcome: IncidentOutcome = Field(description="`death` or `serious_harm`.")
    nature: list[IncidentNature] = Field(min_length=1, description="What kind of incident it was.")
    description: NonEmptyStr = Field(
        description="One or two sentences on what happened. Confidential: the published text comes from the sections."
    )


class KeyDates(Strict):
    incident: dt.date = Field(description="When the incident happened.")
    la_aware: dt.date = Field(
        description="When the local authority became aware: day 0 of the notification clock."
    )
    sin_submitted: dt.date | None = Field(
        None, description="When the Serious Incident Notification was submitted."
    )
    partners_aware: dt.date | None = Field(
        None, description="When the other safeguarding partners were told."
    )
    rapid_review_meetings: list[dt.date] = Field(
        default_factory=list,
        description="Dates of the rapid review meeting(s); future dates are planned meetings.",
    )
    sent_to_panel: dt.date | None = Field(
        None,
        description="When the rapid review was sent to the Panel; for an LCSPR, when the final report went to the Panel and the Secretary of State (DfE).",
    )
    panel_response: dt.date | None = Field(None, description="When the Panel responded.")
    decision: dt.date | None = Field(
        None, description="When the partners decided whether to commission a further review."
    )
    planned_publication: dt.date | None = Field(
        None,
        description="LCSPRs: the date the partners plan to publish (may be in the future). The final report goes to the Panel and the DfE at least 7 working days before it.",
    )
    published: dt.date | None = Field(None, description="When it was published on the website.")
    available_until: dt.date | None = Field(
        None,
        description="When it comes off the website (at least 12 months after publication). Empty means it stays.",
    )


class Period(Strict):
    start: dt.date = Field(description="Start of the period the review looked at.")
    end: dt.date = Field(description="End of the period the review looked at.")


class NotNotified(Strict):
    """A decision not to notify the Panel: it closes the notification clock."""

    date: dt.date = Field(description="When the decision not to notify was made.")
    reason: NonEmptyStr = Field(
        description="Why the case does not meet the notification criteria, in a sentence or two."
    )
    agreed_by: list[NonEmptyStr] = Field(
        min_length=1,
        description="Who agreed, by role and partner, e.g. 'Director of Children's Services (local authority)'. Never published.",
    )


class Publication(Strict):
    """LCSPRs: the partners' choice of what to publish."""

    scope: PublicationScope = Field(
        PublicationScope.FULL,
        description="`full` (the default) or `improvements_only`: the partners decided publishing the report is inappropriate, so only the learning, the recommendations and the catalogue entry are published.",
    )
    reason: str | None = Field(
        None, description="Why only the improvements are published (required for that choice)."
    )


class Decision(Strict):
    outcome: DecisionOutcome = Field(description="What the partners decided.")
    regulation_11: list[Regulation11Criterion] = Field(
        default_factory=list,
        description="Which Regulation 11 criteria the case meets (for an LCSPR).",
    )


class PanelQuestion(Strict):
    question: NonEmptyStr = Field(description="The Panel's question, as asked.")
    asked: dt.date | None = Field(None, description="When the Panel asked it.")
    answer: str | None = Field(None, description="The partnership's answer (Markdown).")
    answered: dt.date | None = Field(None, description="When the answer was sent.")


class SignOff(Strict):
    name: NonEmptyStr = Field(description="Name of the senior representative. Never published.")
    role: NonEmptyStr = Field(description="Their role, e.g. 'Director of Children's Services'.")
    date: dt.date = Field(description="When they signed off.")


class SignOffs(Strict):
    local_authority: SignOff | None = Field(None, description="Sign-off for the local authority.")
    health: SignOff | None = Field(None, description="Sign-off for the integrated care board.")
    police: SignOff | None = Field(None, description="Sign-off for the police.")


class DelayReason(Strict):
    deadline: Deadline = Field(description="Which deadline was or will be missed.")
    reason: NonEmptyStr = Field(description="Why, in a sentence or two.")
    panel_informed: dt.date | None = Field(None, description="When the Panel secretariat was told.")


class Action(Strict):
    """One action of the review's action plan: how the learning is acted on, and by whom."""

    action: NonEmptyStr = Field(
        description="What will be done, in a sentence. Published only when the partnership publishes progress, and then anonymised."
    )
    owner: NonEmptyStr = Field(
        description="The agency that owns it: one of the review's `agencies`, a partner in `partnership.yaml`, or the partnership itself."
    )
    due: dt.date | None = Field(None, description="When it is due (YYYY-MM-DD).")
    status: ActionStatus = Field(
        ActionStatus.OPEN,
        description="`open`, `in_progress` or `complete`; an action not complete after its due date is shown as overdue.",
    )
    completed: dt.date | None = Field(
        None, description="When it was completed; required when the status is `complete`."
    )
    evidence: str | None = Field(
        None,
        description="Evidence of impact: how the partnership knows the action made a difference (Markdown).",
    )


class LearningBrief(Strict):
    """The seven panels of a 7-minute briefing, each Markdown."""

    background: Markdown = Field(description="1. Background (anonymised).")
    why_it_matters: Markdown = Field(description="2. Why it matters.")
    information: Markdown = Field(description="3. What happened / information.")
    findings: Markdown = Field(description="4. Key findings and learning.")
    what_should_change: Markdown = Field(description="5. What should change.")
    reflection: Markdown = Field(description="6. Questions for reflection.")
    resources: Markdown = Field(description="7. Resources and contacts.")


class Catalogue(Strict):
    """The catalogue entry, in the style of the national case review repository. Published."""

    summary: NonEmptyStr = Field(description="One paragraph summarising the case and the review.")
    learning_includes: list[NonEmptyStr] = Field(
        default_factory=list, description="'Learning includes': short points."
    )
    recommendations_include: list[NonEmptyStr] = Field(
        default_factory=list, description="'Recommendations include': short points."
    )
    review_model: str | None = Field(
        None, description="The review model, e.g. 'systems methodology'."
    )


class ReviewAnonymisation(Strict):
    """Per-review additions to the partnership's anonymisation policy, decided by the reviewer."""

    allow: list[str] = Field(
        default_factory=list, description="Words kept in this review even if detection flags them."
    )
    deny: list[str] = Field(
        default_factory=list, description="Words always redacted in this review."
    )
    replacements: dict[str, str] = Field(
        default_factory=dict,
        description="Exact phrases and what replaces them, e.g. a rare condition → 'a rare condition'.",
    )


class Review(Strict):
    id: NonEmptyStr = Field(
        description="The review id; must match the partnership's pattern and the folder name."
    )
    type: ReviewType = Field(description="`rapid_review` or `lcspr`.")
    title: NonEmptyStr = Field(
        description="Published title, anonymised, e.g. 'Child A: a rapid review'."
    )
    status: ReviewStatus = Field(
        description="Where the review is: draft, in_review, submitted, panel_responded, published, withdrawn."
    )
    rapid_review: str | None = Field(
        None, description="LCSPRs only: the id of the rapid review that commissioned it."
    )
    themes: list[str] = Field(
        default_factory=list, description="Theme ids from `partnership.yaml`."
    )
    notification: Notification | None = Field(
        None, description="The Serious Incident Notification. Required for a rapid review."
    )
    not_notified: NotNotified | None = Field(
        None,
        description="A rapid review case the partners decided not to notify: the date, the reason and who agreed. Closes the case.",
    )
    dates: KeyDates = Field(description="The key dates of the review.")
    incident: Incident = Field(description="What happened.")
    period_covered: Period | None = Field(None, description="The period the review looked at.")
    people: list[Person] = Field(
        min_length=1,
        description="Every child and adult the review mentions, with every identifier. Never published.",
    )
    places: list[Place] = Field(
        default_factory=list,
        description="Settings, hospitals, streets and estates the review mentions. Never published.",
    )
    agencies: list[Agency] = Field(default_factory=list, description="Agencies involved.")
    decision: Decision | None = Field(
        None,
        description="The decision and the criteria it rests on; the rationale is in `decision.md`.",
    )
    panel_questions: list[PanelQuestion] = Field(
        default_factory=list, description="The Panel's questions and the answers."
    )
    actions: list[Action] = Field(
        default_factory=list,
        description="The action plan: what will be done, by which agency, by when, and the evidence of its impact.",
    )
    sign_offs: SignOffs = Field(
        default_factory=SignOffs, description="Sign-off by the three safeguarding partners."
    )
    delay_reasons: list[DelayReason] = Field(
        default_factory=list, description="Why a deadline was or will be missed."
    )
    review_model: str | None = Field(
        None,
        description="LCSPRs: how the review was done, e.g. 'systems methodology with practitioner events'.",
    )
    lead_reviewer: str | None = Field(
        None, description="LCSPRs: the independent reviewer. Never published."
    )
    publication_hold: str | None = Field(
        None, description="Why publication is held back (e.g. a criminal trial), if it is."
    )
    publication: Publication = Field(
        default_factory=Publication,
        description="LCSPRs: publish the report in full or only the improvements.",
    )
    catalogue: Catalogue | None = Field(
        None, description="The published catalogue entry. Required before publication."
    )
    learning_brief: LearningBrief | None = Field(
        None, description="The 7-minute briefing drawn from this review."
    )
    anonymisation: ReviewAnonymisation = Field(
        default_factory=ReviewAnonymisation, description="The reviewer's per-review decisions."
    )


# ---------------------------------------------------------------------------------------------------
# briefs/<id>/brief.yaml


class BriefStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Brief(Strict):
    id: NonEmptyStr = Field(
        description="The brief id; must match the partnership's brief pattern and the folder name."
    )
    title: NonEmptyStr = Field(description="Published title.")
    status: BriefStatus = Field(description="`draft`, `published` or `withdrawn`.")
    themes: list[str] = Field(
        default_factory=list, description="Theme ids from `partnership.yaml`."
    )
    reviews: list[str] = Field(
        default_factory=list, description="Ids of the reviews the brief draws on."
    )
    published: dt.date | None = Field(None, description="When it was published.")
    available_until: dt.date | None = Field(
        None, description="When it comes off the website. Empty means it stays."
    )
    panels: LearningBrief = Field(description="The seven panels.")
    anonymisation: ReviewAnonymisation = Field(
        default_factory=ReviewAnonymisation, description="The reviewer's decisions for this brief."
    )
