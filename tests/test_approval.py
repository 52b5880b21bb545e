"""Approval is recorded against the output and the policy, and goes stale when either changes."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from pipeline.anonymise import approval
from pipeline.anonymise.approval import approval_states, approve
from pipeline.content.project import load_project
from pipeline.errors import LeakError
from pipeline.published import review_document
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


# What detection might miss, left in the text to approve: each form the site-wide check refuses.
MISSED = [
    "Then J-A-Y-D-E-N was seen.",
    "Then J\u00a0A\u00a0Y\u00a0D\u00a0E\u00a0N was seen.",
    "Then J  A  Y  D  E  N was seen.",
    "Then J.A.Y.D.E.N. was seen.",
    "Then Jay[](https://example.org/a)den was seen.",
    "See [the file](https://example.org/%4A%61%79%64%65%6E).",
    "See [the file](https://example.org/ 'Okafor&#8209;Reid').",
    "NHS number 943\u2013476\u20135919.",
    "NHS number 9,434,765,919.",
    "Born 02\u221204\u22122023.",
    "Mother's phone is 07700\u2011900\u2011123.",
    "Mother was \uff27\uff52\uff41\uff43\uff45 Okafor.",  # full-width letters, as NFKC reads them
]


@pytest.mark.parametrize("missed", MISSED)
def test_approval_refuses_what_the_site_wide_check_would(tmp_path, monkeypatch, missed) -> None:
    # Even if detection and its own check missed it, `bscp approve` runs the site gate's scanner
    # over the document first: nothing it approves can stop the site.
    content = write_project(tmp_path)
    project = load_project(content, TODAY)
    entry = project.review(REVIEW_ID)
    document = dataclasses.replace(review_document(entry, project), summary=missed)
    document = document.map_text(lambda name, text: text if name == "summary" else "Child A.")

    def missed_by_detection(project, entry):
        return SimpleNamespace(document=document, policy_hash="policy")

    monkeypatch.setattr(approval, "anonymise_entry", missed_by_detection)
    with pytest.raises(LeakError) as caught:
        approve(project, REVIEW_ID, "A. Reviewer")
    assert {p.field.split(" ")[0] for p in caught.value.problems} == {"summary"}
    assert not (tmp_path / "approvals" / f"{REVIEW_ID}.yaml").exists()
