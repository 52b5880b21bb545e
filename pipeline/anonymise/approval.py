"""The reviewer's approval: recorded against the anonymised output and the policy that made it.

`approvals/<id>.yaml` holds who approved, when, the hash of the anonymised `PublishedDocument` and the
policy hash (partnership policy, the document's overrides, the recognizer set's version). A change to
either makes the approval stale, and only a current approval lets a document be published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.anonymise.gate import SiteScanner, check_publication
from pipeline.anonymise.results import document_policy, output_hash
from pipeline.anonymise.run import anonymise_entry, entry_by_id, project_root
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.errors import AnonymisationError, ApprovalError, PipelineError

APPROVED = "approved"
STALE = "stale"
NOT_APPROVED = "not approved"


@dataclass(frozen=True)
class Approval:
    """One approval as recorded in `approvals/<id>.yaml`."""

    id: str
    reviewer: str
    date: dt.date
    output_hash: str
    policy_hash: str
    # What the reviewer saw and decided (recorded from issue 15 on; older approvals lack them).
    time: str = ""
    report_hash: str = ""
    counts: dict[str, int] | None = None

    def to_yaml(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "reviewer": self.reviewer,
            "date": self.date.isoformat(),
            "output_hash": self.output_hash,
            "policy_hash": self.policy_hash,
        }
        if self.time:
            data["time"] = self.time
        if self.report_hash:
            data["report_hash"] = self.report_hash
        if self.counts is not None:
            data["counts"] = dict(self.counts)
        return data


def approvals_dir(project: Project) -> Path:
    return project_root(project) / "approvals"


def read_approval(project: Project, doc_id: str) -> Approval | None:
    """Return the recorded approval of a document, or None; a damaged file is an ApprovalError."""
    path = approvals_dir(project) / f"{doc_id}.yaml"
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Approval(
            str(data["id"]),
            str(data["reviewer"]),
            dt.date.fromisoformat(str(data["date"])),
            str(data["output_hash"]),
            str(data["policy_hash"]),
            str(data.get("time", "")),
            str(data.get("report_hash", "")),
            {str(k): int(v) for k, v in (data.get("counts") or {}).items()},
        )
    except Exception as exc:  # any damage means the approval cannot be trusted
        raise ApprovalError(
            f"cannot read this approval ({type(exc).__name__}): approve again with `bscp approve {doc_id} --reviewer NAME`",
            path=path,
        ) from None


def current_approval(project: Project, doc_id: str, output_hash: str, policy_hash: str) -> bool:
    """Return True when `doc_id` has an approval of exactly this output under exactly this policy."""
    approval = read_approval(project, doc_id)
    return (
        approval is not None
        and approval.id == doc_id
        and approval.output_hash == output_hash
        and approval.policy_hash == policy_hash
    )


def approval_state(project: Project, entry: ReviewEntry | BriefEntry) -> str:
    """Return "approved", "stale" or "not approved" for one review or brief."""
    approval = read_approval(project, entry.id)
    if approval is None:
        return NOT_APPROVED
    if approval.policy_hash != document_policy(project, entry).hash:
        return STALE
    try:
        result = anonymise_entry(project, entry)
    except PipelineError:
        return STALE  # it leaks or cannot be anonymised now: whatever was approved no longer holds
    return APPROVED if approval.output_hash == result.output_hash else STALE


def approval_states(project: Project) -> dict[str, str]:
    """Return the approval state of every review and brief, for `bscp status`."""
    states: dict[str, str] = {}
    for entry in [*project.reviews, *project.briefs]:
        if read_approval(project, entry.id) is None:
            states[entry.id] = NOT_APPROVED
            continue
        try:
            states[entry.id] = approval_state(project, entry)
        except AnonymisationError:
            states[entry.id] = STALE
    return states


# Words that stand for a name rather than being one: the placeholder of a help text, a test.
_NOT_NAMES = {"name", "full name", "your full name", "reviewer", "test", "me", "admin", "user", "x"}


def check_reviewer(reviewer: str) -> str:
    """Return the reviewer's name tidied, or raise ApprovalError when it cannot be a person's name."""
    name = " ".join(reviewer.split())
    words = [
        w for w in name.replace("(", " ").replace(")", " ").split() if any(c.isalpha() for c in w)
    ]
    why = ""
    if not name:
        why = "give the reviewer's name"
    elif name.casefold().strip("'\"") in _NOT_NAMES:
        why = f"{name!r} is not a name"
    elif len(words) < 2 or len(name) > 100:
        why = f"{name!r} is not a full name (first name and surname)"
    elif any(c.isdigit() or c in "@<>/\\{}[]=;:" for c in name):
        why = f"{name!r} holds characters no name has"
    if why:
        raise ApprovalError(f"{why}: bscp approve ID --reviewer 'Full Name'", path="--reviewer")
    return name


def approve(
    project: Project,
    doc_id: str,
    reviewer: str,
    today: dt.date | None = None,
    *,
    seen_report: str | None = None,
    keep_rest: bool = False,
    now: dt.datetime | None = None,
) -> Path:
    """Record a reviewer's approval of a document's current anonymised output.

    Refused when it leaks, when no redaction report was made of this output, when the report the
    reviewer saw (`seen_report`, from the review page) is not the current one, or while an item of
    the check list has no decision (unless `keep_rest`)."""
    from pipeline.review.workspace import readiness

    reviewer = check_reviewer(reviewer)
    entry = entry_by_id(project, doc_id)
    result = anonymise_entry(project, entry)  # raises LeakError: nothing that leaks is approved
    # Whatever would stop the whole site at its gate is refused here, by the same scanner.
    check_publication(result.document, site_scanner(project))
    report_hash, counts = readiness(
        project, entry, result, seen_report=seen_report, keep_rest=keep_rest
    )
    moment = now or dt.datetime.now(dt.UTC)
    approval = Approval(
        doc_id,
        reviewer,
        today or project.today,
        output_hash(result.document),
        result.policy_hash,
        moment.replace(microsecond=0).isoformat(),
        report_hash,
        counts,
    )
    folder = approvals_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            "# Approval of the redaction report. Written by `bscp approve`; commit it.\n"
            "# It stops counting as soon as the anonymised output or the policy changes.\n"
        )
        yaml.safe_dump(approval.to_yaml(), handle, default_flow_style=False, sort_keys=False)
    return path


_SCANNERS: dict[int, tuple[Project, SiteScanner]] = {}


def site_scanner(project: Project) -> SiteScanner:
    """Return the site-wide gate's scanner for every review and brief (made once a project)."""
    cached = _SCANNERS.get(id(project))
    if cached is None or cached[0] is not project:
        _SCANNERS.clear()
        _SCANNERS[id(project)] = cached = (project, SiteScanner.for_project(project))
    return cached[1]


def require_approval(project: Project, entry: ReviewEntry | BriefEntry) -> None:
    """Raise ApprovalError unless the document has a current approval."""
    state = approval_state(project, entry)
    if state != APPROVED:
        hint = "the output or the policy changed since it was approved; " if state == STALE else ""
        raise ApprovalError(
            f"{entry.id} is {state}: {hint}check `bscp report {entry.id}` and run `bscp approve {entry.id} --reviewer NAME`",
            path=approvals_dir(project) / f"{entry.id}.yaml",
        )
