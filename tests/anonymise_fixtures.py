"""Shared fixtures of the anonymisation tests: one fictional review project, the engine loaded once."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
REVIEW_ID = "BSCP-2024-25-03"

REVIEW_YAML = """\
id: BSCP-2024-25-03
type: rapid_review
title: "Child A: a rapid review"
status: draft
themes: [neglect]
notification:
  reference: SIN-2024-0457
dates:
  incident: 2024-05-02
  la_aware: 2024-05-03
  sin_submitted: 2024-05-08
incident:
  outcome: serious_harm
  nature: [neglect]
  description: Confidential description.
people:
  - label: Child A
    role: child
    names: [Jayden Will Okafor-Reid]
    aliases: [Jay, JJ]
    date_of_birth: 2023-04-02
    nhs_number: "943 476 5919"
    addresses: ["14 Elm Road, Brackenford, BR4 7XY"]
  - label: Mother
    role: parent
    names: [Grace Okafor]
    aliases: [Gracie]
    phones: ["07700 900123"]
    emails: [grace.okafor@example.org]
    ni_number: QQ 12 34 56 C
  - label: the health visitor
    role: professional
    agency: Brackenford Community Health
    names: [Siobhan Rose Marsh]
places:
  - id: oakfield-nursery
    name: Oakfield Day Nursery
    kind: nursery
    label: the nursery
    aliases: [Oakfield]
agencies:
  - name: Brackenford Community Health
catalogue:
  summary: Jayden was seen by Ms Marsh at Oakfield Day Nursery.
"""

SECTIONS = {
    "summary.md": """\
**Jay**den lived with his mother, Grace, at 14 Elm Road. Ms Okafor-Reid's phone (07700 900 123)
was often off. On 2 April 2023 the health visitor, Siobhan Marsh, saw JAYDEN at [Oakfield](https://example.org/oakfield).
| Who | Where |
| --- | --- |
| Grace | Oakfield Day Nursery |
""",
    "analysis.md": "Children's Social Care held a Section 47 strategy discussion. Gracie's GP was told.\n",
}


def write_project(
    root: Path, review_yaml: str = REVIEW_YAML, sections: dict[str, str] | None = None
) -> Path:
    """Write a project folder with the example partnership and one review; return its content dir."""
    content = root / "content"
    folder = content / "reviews" / REVIEW_ID
    folder.mkdir(parents=True)
    shutil.copyfile(ROOT / "content" / "partnership.yaml", content / "partnership.yaml")
    (folder / "review.yaml").write_text(review_yaml, encoding="utf-8")
    for name, text in (SECTIONS if sections is None else sections).items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return content


@pytest.fixture(scope="session")
def anonymiser():
    """The engine with the spaCy model, loaded once for the whole session."""
    from pipeline.anonymise.engine import Anonymiser

    return Anonymiser()


@pytest.fixture
def project(tmp_path):
    from pipeline.content.project import load_project

    return load_project(write_project(tmp_path), TODAY)
