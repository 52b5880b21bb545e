"""Redaction reports for a pull request: which reviews a change touches, and a summary for GitHub.

`.github/workflows/review.yml` runs `bscp pr-reports --changed-from BASE`: the reviews and briefs
whose folders the change touches (every one when `partnership.yaml` changed) are anonymised and
their reports written, and a Markdown summary (items to check per review, refusals) is printed for
the job summary. A refusal fails the run, so a leaking change is seen before it merges.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.content.project import Project
from pipeline.errors import PipelineError


def changed_paths(root: str, base: str) -> list[str]:
    """Return the paths a change touches since its merge base with `base` (git diff)."""
    out = subprocess.run(
        ["git", "diff", "--name-only", f"{base}...HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in out.stdout.splitlines() if line.strip()]


def touched_ids(project: Project, paths: list[str], content: str = "content") -> list[str]:
    """Return the ids of the reviews and briefs a change to `paths` touches, in project order."""
    ids = [e.id for e in project.reviews] + [b.id for b in project.briefs]
    parts = [PurePosixPath(p).parts for p in paths]
    if any(p[:2] == (content, "partnership.yaml") for p in parts):
        return ids
    folders = {
        p[2] for p in parts if len(p) > 3 and p[0] == content and p[1] in ("reviews", "briefs")
    }
    return [i for i in ids if i in folders]


@dataclass
class Outcome:
    id: str
    replacements: int = 0
    to_check: int = 0
    flags: int = 0
    problems: list[str] = field(default_factory=list)


def report_touched(project: Project, ids: list[str]) -> list[Outcome]:
    """Anonymise each document and write its report; a refusal is recorded, not raised."""
    from pipeline.review.workspace import state_of

    outcomes = []
    for doc_id in ids:
        outcome = Outcome(doc_id)
        try:
            state = state_of(project, doc_id)
        except PipelineError as exc:
            outcome.problems = [str(p) for p in exc.problems]
        else:
            items = [d.item for d in state.decided if d.item.category != "yours"]
            outcome.replacements = len(state.result.all_findings())
            outcome.to_check = len(items)
            outcome.flags = sum(1 for i in items if i.category == "flag")
        outcomes.append(outcome)
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    """Return the job summary in Markdown: counts only, never a word of the original text."""
    if not outcomes:
        return "## Redaction reports\n\nThis change touches no review or brief.\n"
    lines = [
        "## Redaction reports",
        "",
        "Download the `redaction-reports` artifact to read them (they hold the real names: keep "
        "them inside the partnership). Decide each item with `bscp review ID` before approving.",
        "",
        "| Review | Replacements | Items to check | Of which flags | Result |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for o in outcomes:
        result = f"refused: {len(o.problems)} problem(s)" if o.problems else "report written"
        lines.append(f"| {o.id} | {o.replacements} | {o.to_check} | {o.flags} | {result} |")
    refused = [o for o in outcomes if o.problems]
    if refused:
        lines += ["", "### Refusals", ""]
        for o in refused:
            lines.append(f"- **{o.id}**: see the job log for where (`bscp anonymise {o.id}`).")
    return "\n".join(lines) + "\n"
