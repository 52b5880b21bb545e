"""The pull-request workflow: pinned actions, read-only, reports for the reviews a change touches."""

from __future__ import annotations

import re
from types import SimpleNamespace

import yaml

from pipeline.review.pull_request import Outcome, summary, touched_ids
from tests.site_support import REPO

WORKFLOW = REPO / ".github" / "workflows" / "review.yml"


def test_the_workflow_runs_on_pull_requests_read_only_with_actions_pinned_by_sha() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["reports"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert {u.split("@")[0] for u in uses} == {
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
    }
    assert all(re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", u) for u in uses), uses
    runs = " ".join(s.get("run", "") for s in steps)
    assert "bscp check" in runs and "bscp pr-reports" in runs and "GITHUB_STEP_SUMMARY" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "build/reports/"
    # The base branch's name reaches the shell through the environment, never pasted into it.
    assert "${{ github.base_ref }}" not in runs


def project(*reviews: str, briefs: tuple[str, ...] = ()) -> SimpleNamespace:
    return SimpleNamespace(
        reviews=[SimpleNamespace(id=r) for r in reviews],
        briefs=[SimpleNamespace(id=b) for b in briefs],
    )


def test_the_reviews_a_change_touches() -> None:
    p = project("R-1", "R-2", briefs=("B-1",))
    assert touched_ids(p, ["content/reviews/R-2/analysis.md", "README.md"]) == ["R-2"]
    assert touched_ids(p, ["content/briefs/B-1/brief.yaml"]) == ["B-1"]
    assert touched_ids(p, ["content/partnership.yaml"]) == ["R-1", "R-2", "B-1"]
    assert touched_ids(p, ["pipeline/cli.py"]) == []


def test_the_summary_counts_items_and_refusals_without_any_text() -> None:
    text = summary([Outcome("R-1", 40, 12, 3), Outcome("R-2", problems=["leaks 'X'"])])
    assert "| R-1 | 40 | 12 | 3 | report written |" in text
    assert "| R-2 | 0 | 0 | 0 | refused: 1 problem(s) |" in text
    assert "### Refusals" in text and "leaks" not in text
