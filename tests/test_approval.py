"""Approval is recorded against the output and the policy, and goes stale when either changes."""

from __future__ import annotations

from pipeline.anonymise.approval import approval_states, approve
from pipeline.content.project import load_project
from tests.anonymise_fixtures import REVIEW_ID, TODAY, anonymiser, write_project  # noqa: F401


def test_approval_goes_stale_when_output_or_policy_changes(tmp_path) -> None:
    content = write_project(tmp_path)
    project = load_project(content, TODAY)
    assert approval_states(project) == {REVIEW_ID: "not approved"}
    path = approve(project, REVIEW_ID, "A. Reviewer")
    assert path == tmp_path / "approvals" / f"{REVIEW_ID}.yaml"
    assert approval_states(load_project(content, TODAY)) == {REVIEW_ID: "approved"}
    summary = content / "reviews" / REVIEW_ID / "analysis.md"
    summary.write_text(summary.read_text() + "\nA new sentence about practice.\n")
    assert approval_states(load_project(content, TODAY)) == {REVIEW_ID: "stale"}
    approve(load_project(content, TODAY), REVIEW_ID, "A. Reviewer")
    partnership = content / "partnership.yaml"
    partnership.write_text(
        partnership.read_text().replace("    - Wyvern\n", "    - Wyvern\n    - Hillside\n")
    )
    assert approval_states(load_project(content, TODAY)) == {REVIEW_ID: "stale"}
