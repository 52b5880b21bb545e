"""Approval is recorded against the output and the policy, and goes stale when either changes."""

from __future__ import annotations

import pytest

from pipeline.anonymise.approval import approval_states, approve
from pipeline.content.project import load_project
from pipeline.errors import LeakError
from pipeline.review.workspace import state_of
from tests.anonymise_fixtures import REVIEW_ID, TODAY, anonymiser, write_project  # noqa: F401


def make_report(project, doc_id: str) -> None:
    """Make the redaction report a reviewer reads before approving."""
    state_of(project, doc_id)


def test_approval_goes_stale_when_output_or_policy_changes(tmp_path) -> None:
    content = write_project(tmp_path)
    project = load_project(content, TODAY)
    assert approval_states(project) == {REVIEW_ID: "not approved"}
    make_report(project, REVIEW_ID)
    path = approve(project, REVIEW_ID, "A. Reviewer", keep_rest=True)
    assert path == tmp_path / "approvals" / f"{REVIEW_ID}.yaml"
    assert approval_states(load_project(content, TODAY)) == {REVIEW_ID: "approved"}
    summary = content / "reviews" / REVIEW_ID / "analysis.md"
    summary.write_text(summary.read_text() + "\nA new sentence about practice.\n")
    assert approval_states(load_project(content, TODAY)) == {REVIEW_ID: "stale"}
    project = load_project(content, TODAY)
    make_report(project, REVIEW_ID)
    approve(project, REVIEW_ID, "A. Reviewer", keep_rest=True)
    partnership = content / "partnership.yaml"
    partnership.write_text(
        partnership.read_text().replace("    - Wyvern\n", "    - Wyvern\n    - Hillside\n")
    )
    assert approval_states(load_project(content, TODAY)) == {REVIEW_ID: "stale"}


def test_a_form_another_review_lists_is_refused_at_approval(tmp_path) -> None:
    """The site gate would stop the whole site for it; approval stops this one document."""
    content = write_project(tmp_path)
    other = content / "reviews" / "BSCP-2024-25-04"
    other.mkdir()
    yaml_text = (content / "reviews" / REVIEW_ID / "review.yaml").read_text()
    yaml_text = yaml_text.replace("BSCP-2024-25-03", "BSCP-2024-25-04").replace(
        "SIN-2024-0457", "SIN-2024-0458"
    )
    # Its own people are other names; its reviewer kept "Siobhan Marsh", whom 03 lists.
    for old, new in [
        ("Jayden Will Okafor-Reid", "Tobias Quill"),
        ("[Jay, JJ]", "[Toby]"),
        ("Grace Okafor", "Ines Quill"),
        ("[Gracie]", "[Nessa]"),
        ("grace.okafor@example.org", "ines.quill@example.org"),
        ("Siobhan Rose Marsh", "Petra Lund"),
        ("Jayden was seen by Ms Marsh", "Toby was seen"),
    ]:
        yaml_text = yaml_text.replace(old, new)
    yaml_text += "anonymisation:\n  allow: [Siobhan Marsh]\n"
    (other / "review.yaml").write_text(yaml_text, encoding="utf-8")
    (other / "analysis.md").write_text(
        "Toby was seen at home. A student nurse, Siobhan Marsh, noted his weight.\n",
        encoding="utf-8",
    )
    project = load_project(content, TODAY)
    with pytest.raises(LeakError) as caught:
        approve(project, "BSCP-2024-25-04", "A. Reviewer", keep_rest=True)
    report = caught.value.report()
    assert "'Siobhan Marsh' is listed in BSCP-2024-25-03" in report
    assert "sections.analysis" in report
    assert not (tmp_path / "approvals" / "BSCP-2024-25-04.yaml").exists()
    # The review that lists it is approved as before.
    make_report(project, REVIEW_ID)
    approve(project, REVIEW_ID, "A. Reviewer", keep_rest=True)
