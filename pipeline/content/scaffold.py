"""`bscp new`: a review or brief folder with every key and section present and explained."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipeline.content.model import Partnership, ReviewType
from pipeline.content.project import BRIEF_FILE, PARTNERSHIP_FILE, REVIEW_FILE, _load_model
from pipeline.content.sections import sections_for
from pipeline.errors import ContentError, Problem, display_path

REVIEW_TEMPLATE = """\
# yaml-language-server: $schema=../../../schema/review.schema.json
# A new {type_label}. Every key is explained in docs/content-reference.md.
# Replace the placeholders, then run `bscp check`. Nothing in this file is published except the
# title, themes, catalogue and learning brief, and those only after anonymisation and approval.

id: {id}
type: {type}
title: "Child A: {type_label}"      # published: never a name
status: draft                      # draft, in_review, submitted, panel_responded, published, withdrawn
{rapid_review_line}themes: []                         # ids from content/partnership.yaml, e.g. [neglect, safe-sleep]
{notification_block}
dates:
  incident: {today}                # when it happened
  la_aware: {today}                # when the local authority became aware: day 0 of the 5-working-day SIN clock
{sin_line}  # partners_aware: YYYY-MM-DD
  # rapid_review_meetings: [YYYY-MM-DD]
  # sent_to_panel: YYYY-MM-DD
  # panel_response: YYYY-MM-DD
  # decision: YYYY-MM-DD
  # published: YYYY-MM-DD
  # available_until: YYYY-MM-DD   # at least 12 months after publication

incident:
  outcome: serious_harm            # death or serious_harm
  nature: [other]                  # non_accidental_injury, sudi, neglect, suicide, homicide, extra_familial_harm, sexual_abuse, other
  description: Replace with one or two confidential sentences on what happened.

# period_covered: {{start: YYYY-MM-DD, end: YYYY-MM-DD}}

# Everyone the review mentions, with every identifier, so that anonymisation can find them.
# Never published: only each person's label appears in published text.
people:
  - label: Child A
    role: child                    # child, sibling, other_child, parent, parents_partner, relative, carer, household_member, other_adult, professional
    names: [Replace With Full Name]
    aliases: []                    # nicknames, short forms, previous names
    # date_of_birth: YYYY-MM-DD
    # sex: female                  # female, male, not_recorded
    # nhs_number: "000 000 0000"
    # addresses: ["1 Example Street, Town, AB1 2CD"]
    # phones: []
    # emails: []
    # settings: [place-id]         # schools and nurseries from `places:`
    # gp_practice: place-id

places: []
  # - id: example-primary
  #   name: Example Primary School
  #   kind: school                 # school, nursery, gp_practice, hospital, street, estate, town, placement, other
  #   label: the primary school

agencies: []
  # - name: Children's social care
  #   involvement: Assessment and child in need plan.

# decision:
#   outcome: no_further_review     # lcspr, national_review_recommended, other_learning_review, no_further_review
#   regulation_11: []              # improvements_needed, recurrent_themes, agencies_working_together, panel_view

panel_questions: []
  # - question: The Panel's question
  #   asked: YYYY-MM-DD
  #   answer: The partnership's answer
  #   answered: YYYY-MM-DD

actions: []                        # the action plan: how the learning is acted on
  # - action: What will be done, in a sentence.
  #   owner: Children's social care  # one of the agencies above, a partner, or the partnership
  #   due: YYYY-MM-DD
  #   status: open                 # open, in_progress, complete (overdue is worked out from the due date)
  #   completed: YYYY-MM-DD        # when complete
  #   evidence: How we know it made a difference.

sign_offs: {{}}
  # local_authority: {{name: , role: Director of Children's Services, date: YYYY-MM-DD}}
  # health: {{name: , role: Chief Nurse, date: YYYY-MM-DD}}
  # police: {{name: , role: Detective Superintendent, date: YYYY-MM-DD}}

delay_reasons: []
  # - deadline: rapid_review       # sin, rapid_review, lcspr_publication
  #   reason: Why
  #   panel_informed: YYYY-MM-DD

# catalogue:                       # published, after anonymisation and approval
#   summary: One paragraph.
#   learning_includes: []
#   recommendations_include: []

# learning_brief:                  # the seven panels of a 7-minute briefing, each Markdown
#   background: ...
#   why_it_matters: ...
#   information: ...
#   findings: ...
#   what_should_change: ...
#   reflection: ...
#   resources: ...
"""

BRIEF_TEMPLATE = """\
# yaml-language-server: $schema=../../../schema/brief.schema.json
# A stand-alone 7-minute learning brief. Every key is explained in docs/content-reference.md.

id: {id}
title: Replace with the brief's title
status: draft                      # draft, published, withdrawn
themes: []                         # ids from content/partnership.yaml
reviews: []                        # ids of the reviews it draws on
# published: YYYY-MM-DD
# available_until: YYYY-MM-DD

panels:
  background: |
    1. Background: the case or cases, anonymised.
  why_it_matters: |
    2. Why it matters.
  information: |
    3. What happened: the information practitioners need.
  findings: |
    4. Key findings and learning.
  what_should_change: |
    5. What should change.
  reflection: |
    6. Questions for reflection:

    - What are your key reflections?
    - How will the learning be embedded, and how will we know?
  resources: |
    7. Resources and contacts.
"""


def _partnership(content: Path) -> Partnership:
    problems: list[Problem] = []
    partnership, _ = _load_model(content / PARTNERSHIP_FILE, content, Partnership, problems)
    if partnership is None:
        raise ContentError(problems)
    return partnership


def _target(content: Path, kind: str, new_id: str, pattern: str, field: str) -> Path:
    if not re.fullmatch(pattern, new_id):
        raise ContentError(
            f"{new_id!r} does not match the id pattern '{pattern}' in partnership.yaml",
            path=content / PARTNERSHIP_FILE,
            field=field,
        )
    folder = content / kind / new_id
    if folder.exists():
        raise ContentError(
            f"already exists; choose another id or edit it ({display_path(folder)})", path=folder
        )
    return folder


def scaffold_review(content: Path, review_id: str, review_type: str, today: dt.date) -> Path:
    """Create a review folder with a commented review.yaml and every section file; return it."""
    partnership = _partnership(content)
    folder = _target(
        content, "reviews", review_id, partnership.review_id_pattern, "review_id_pattern"
    )
    kind = ReviewType(review_type)
    is_rr = kind is ReviewType.RAPID_REVIEW
    text = REVIEW_TEMPLATE.format(
        id=review_id,
        type=kind.value,
        type_label=kind.label.lower(),
        today=today.isoformat(),
        rapid_review_line=""
        if is_rr
        else "rapid_review: REPLACE-WITH-RAPID-REVIEW-ID   # the rapid review that commissioned this LCSPR\n",
        notification_block=(
            "notification:\n  reference: REPLACE-WITH-SIN-REFERENCE   # the Panel's reference for the notification\n  # notified_by: Director of Children's Services\n"
            if is_rr
            else ""
        ),
        sin_line=f"  sin_submitted: {today.isoformat()}           # when the notification was submitted\n"
        if is_rr
        else "",
    )
    folder.mkdir(parents=True)
    (folder / REVIEW_FILE).write_text(text, encoding="utf-8")
    for spec in sections_for(kind):
        visibility = (
            "Published after anonymisation and approval."
            if spec.published
            else "Confidential: never published."
        )
        (folder / spec.filename).write_text(
            f"<!-- {spec.title}. {spec.guidance}\n     {visibility} You may write names as in the case record: list every person and place in\n     review.yaml and the published version replaces them. This comment is never published. -->\n",
            encoding="utf-8",
        )
    return folder


def scaffold_brief(content: Path, brief_id: str, today: dt.date) -> Path:
    """Create a learning brief folder with a brief.yaml of seven panels; return it."""
    partnership = _partnership(content)
    folder = _target(content, "briefs", brief_id, partnership.brief_id_pattern, "brief_id_pattern")
    folder.mkdir(parents=True)
    (folder / BRIEF_FILE).write_text(BRIEF_TEMPLATE.format(id=brief_id), encoding="utf-8")
    return folder
