"""`bscp new`: a review or brief folder with every key and section present and explained."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

from pipeline.content.completeness import BRIEF_SCAFFOLD_PANELS
from pipeline.content.model import Partnership, ReviewType
from pipeline.content.project import BRIEF_FILE, PARTNERSHIP_FILE, REVIEW_FILE, _load_model
from pipeline.content.sections import id_example, sections_for
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
dates:                             # write each date as YYYY-MM-DD
  incident:                        # when it happened
  la_aware:                        # when the local authority became aware: day 0 of the notification clock
{sin_line}  # partners_aware: YYYY-MM-DD
  # rapid_review_meetings: [YYYY-MM-DD]
  # sent_to_panel: YYYY-MM-DD
  # panel_response: YYYY-MM-DD
  # decision: YYYY-MM-DD
{planned_line}  # published: YYYY-MM-DD
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

NOTIFICATION_BLOCK = """\
# Before the notification, leave both blocks commented: `bscp status` counts the 5-working-day
# notification clock from la_aware. Then record one of them:
# notification:                    # the Panel's reference, once the notification is submitted
#   reference: SIN-...
#   notified_by: Director of Children's Services
# not_notified:                    # or the partners' decision not to notify, which closes the case
#   date: YYYY-MM-DD
#   reason: Why the notification criteria are not met
#   agreed_by: [role (local authority), role (health), role (police)]
"""

LCSPR_PUBLICATION_BLOCK = """\
# publication:                     # what is published: the report in full (the default) or only the improvements
#   scope: full                    # full or improvements_only
#   reason: Why publishing the report is inappropriate (required for improvements_only)
# publication_hold: Why publication waits (e.g. a criminal trial); the clock stays visible
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
{panels}"""


def _partnership(content: Path) -> Partnership:
    problems: list[Problem] = []
    partnership, _ = _load_model(content / PARTNERSHIP_FILE, content, Partnership, problems)
    if partnership is None:
        raise ContentError(problems)
    return partnership


def _target(
    content: Path, kind: str, new_id: str, partnership: Partnership, today: dt.date
) -> Path:
    single = kind[:-1]
    pattern = getattr(partnership, f"{single}_id_pattern")
    if not re.fullmatch(pattern, new_id):
        example = id_example(pattern, partnership.abbreviation, single, [], today)
        raise ContentError(
            f"{new_id!r} is not a {single} id of the partnership's form; write one like {example}, e.g. `bscp new {single} {example}` (the form is {single}_id_pattern in {display_path(content / PARTNERSHIP_FILE)})"
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
    folder = _target(content, "reviews", review_id, partnership, today)
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
        notification_block=NOTIFICATION_BLOCK if is_rr else LCSPR_PUBLICATION_BLOCK,
        sin_line="  # sin_submitted: YYYY-MM-DD    # when the notification was submitted\n"
        if is_rr
        else "",
        planned_line=""
        if is_rr
        else "  # planned_publication: YYYY-MM-DD   # the final report goes to the Panel and the DfE 7 working days before\n",
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
    folder = _target(content, "briefs", brief_id, partnership, today)
    folder.mkdir(parents=True)
    panels = "".join(
        f"  {key}: |\n" + textwrap.indent(text, "    ", lambda line: bool(line.strip())) + "\n"
        for key, text in BRIEF_SCAFFOLD_PANELS.items()
    )
    (folder / BRIEF_FILE).write_text(
        BRIEF_TEMPLATE.format(id=brief_id, panels=panels), encoding="utf-8"
    )
    return folder
