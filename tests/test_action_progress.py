"""Progress on a published review's action plan: off by default, and anonymised like the rest."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from pipeline.anonymise.gate import check_document
from pipeline.anonymise.identifiers import identifier_set
from pipeline.anonymise.run import anonymise_entry
from pipeline.content.project import load_project
from pipeline.errors import ContentError, LeakError
from pipeline.published import ACTION_PROGRESS, review_document
from tests.anonymise_fixtures import REVIEW_YAML, TODAY, anonymiser, write_project  # noqa: F401

PLAN = """actions:
  - action: Make sure Grace Okafor's health visitor, Siobhan Marsh, meets every adult at Oakfield.
    owner: Brackenford Community Health
    due: 2024-09-30
    status: complete
    completed: 2024-09-12
    evidence: Jayden's nursery (Oakfield Day Nursery) now records every adult | 14 of 15 files.
  - action: Audit the new birth visits.
    owner: Brackenford Borough Council
    due: 2025-03-31
    status: in_progress
"""


def make(tmp_path: Path, progress: bool | None, plan: str = PLAN):
    content = write_project(tmp_path, REVIEW_YAML + plan)
    partnership = content / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  action_progress:.*\n", "", text)
    if progress is not None:
        text = text.replace(
            "publication:\n", f"publication:\n  action_progress: {str(progress).lower()}\n"
        )
    partnership.write_text(text, encoding="utf-8")
    return load_project(content, TODAY)


@pytest.mark.parametrize("progress", [None, False])
def test_progress_is_not_published_unless_the_partnership_chooses(tmp_path, progress) -> None:
    project = make(tmp_path, progress)
    doc = review_document(project.reviews[0], project)
    assert ACTION_PROGRESS not in [s.key for s in doc.sections]
    assert "Audit the new birth visits" not in doc.dumps()


def test_published_progress_goes_through_the_anonymisation_pass(tmp_path, anonymiser) -> None:  # noqa: F811
    project = make(tmp_path, True)
    original = review_document(project.reviews[0], project)
    assert ACTION_PROGRESS in [name.split(".")[-1] for name, _ in original.text_fields()]
    result = anonymise_entry(project, project.reviews[0], use_cache=False)
    (section,) = [s for s in result.document.sections if s.key == ACTION_PROGRESS]
    text = section.markdown
    for forbidden in ("Grace", "Okafor", "Siobhan", "Marsh", "Oakfield", "Jayden", "12 September"):
        assert forbidden not in text
    assert "Mother's health visitor" in text and "Child A's nursery" in text
    # Month and year only; the recorded status, not one worked out from today.
    assert "| September 2024 | Complete (September 2024). Evidence of impact:" in text
    assert (
        "| 2 | Audit the new birth visits. | Brackenford Borough Council | March 2025 | In progress |"
        in text
    )
    assert "records every adult \\| 14 of 15 files" in text  # a pipe cannot break the table
    check_document(result.document, [result.identifiers])  # passes the gate


def test_the_leak_gate_refuses_an_action_left_unanonymised(tmp_path, anonymiser) -> None:  # noqa: F811
    project = make(tmp_path, True)
    entry = project.reviews[0]
    doc = anonymise_entry(project, entry, use_cache=False).document
    sections = tuple(
        dataclasses.replace(s, markdown=s.markdown + "\nSiobhan Marsh leads it.")
        if s.key == ACTION_PROGRESS
        else s
        for s in doc.sections
    )
    with pytest.raises(LeakError) as caught:
        check_document(
            dataclasses.replace(doc, sections=sections), [identifier_set(entry, project)]
        )
    assert any(p.field == f"sections.{ACTION_PROGRESS}" for p in caught.value.problems)


def test_raw_html_in_an_action_is_refused_with_its_line(tmp_path) -> None:
    plan = PLAN.replace("Audit the new birth visits.", "Audit <img src=x onerror=alert(1)> visits.")
    with pytest.raises(ContentError) as caught:
        make(tmp_path, True, plan)
    (problem,) = caught.value.problems
    assert problem.field == "actions[1].action"
    assert problem.line == REVIEW_YAML.count("\n") + 8
