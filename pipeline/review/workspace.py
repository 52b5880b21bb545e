"""One document under review: its anonymisation, report, check list and decisions, and whether it may
be approved. The web app and `bscp approve` both ask this module; neither decides on its own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.anonymise.report import write_report
from pipeline.anonymise.results import AnonymisedDocument, document_policy
from pipeline.anonymise.run import anonymise_entry, entry_by_id, project_root
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.errors import ApprovalError
from pipeline.review.checklist import KEEP, Item, checklist
from pipeline.review.decisions import (
    Decided,
    counts,
    decide_all,
    document_lists,
    own_items,
    read_kept,
    source_path,
    write_decision,
    write_kept,
)


def report_json_path(project: Project, doc_id: str) -> Path:
    return project_root(project) / "build" / "reports" / f"{doc_id}.json"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def items_of(
    project: Project, entry: ReviewEntry | BriefEntry, result: AnonymisedDocument
) -> list[Item]:
    """Return the check list of one anonymised document (flags, checks, then the reviewer's own)."""
    policy = document_policy(project, entry)
    return [*checklist(result, [*policy.allow, *policy.context_allow]), *own_items(entry)]


@dataclass(frozen=True)
class State:
    """What the reviewer sees of one document now."""

    entry: ReviewEntry | BriefEntry
    result: AnonymisedDocument
    decided: list[Decided]
    report_hash: str

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.decided)

    @property
    def left(self) -> list[Decided]:
        return [d for d in self.decided if not d.decision]


def state_of(project: Project, doc_id: str, *, write: bool = True) -> State:
    """Anonymise the document (cached), write its report when `write`, and return its state."""
    entry = entry_by_id(project, doc_id)
    result = anonymise_entry(project, entry)
    items = items_of(project, entry, result)
    if write:
        write_report(project, result, items)
    path = report_json_path(project, doc_id)
    report_hash = file_hash(path) if path.is_file() else ""
    decided = decide_all(items, document_lists(entry), read_kept(project, doc_id))
    return State(entry, result, decided, report_hash)


def decide(project: Project, doc_id: str, key: str, decision: str, value: str = "") -> Path | None:
    """Record one decision about the item `key`; return the YAML file changed, if one was."""
    entry = entry_by_id(project, doc_id)
    result = anonymise_entry(project, entry)
    item = next((i for i in items_of(project, entry, result) if i.key == key), None)
    if item is None:
        raise ApprovalError(
            "that item is no longer on the check list (the text changed); reload the page",
            path=source_path(entry),
        )
    if decision == KEEP:
        write_kept(project, doc_id, key, item.subject, True)
        return None
    write_kept(project, doc_id, key, item.subject, False)
    texts = item.texts
    write_decision(source_path(entry), texts, decision, value)
    return source_path(entry)


def readiness(
    project: Project,
    entry: ReviewEntry | BriefEntry,
    result: AnonymisedDocument,
    *,
    seen_report: str | None = None,
    keep_rest: bool = False,
) -> tuple[str, dict[str, int]]:
    """Return (report hash, counts) when `result` may be approved; raise ApprovalError otherwise.

    Refused when no redaction report was made of this exact output under this policy, when the
    report the reviewer saw (`seen_report`) is not the current one, or while an item is undecided
    (unless `keep_rest`: the reviewer read the report and keeps every item left as it is)."""
    path = report_json_path(project, entry.id)
    doc_id = entry.id
    if not path.is_file():
        raise ApprovalError(
            f"no redaction report has been made of {doc_id}: run `bscp review {doc_id}` (or "
            f"`bscp report {doc_id}`) and read it before approving",
            path=path,
        )
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        report = {}
    if (report.get("output_hash"), report.get("policy_hash")) != (
        result.output_hash,
        result.policy_hash,
    ):
        raise ApprovalError(
            f"the redaction report is of an earlier output of {doc_id}: the text or the policy "
            f"changed since; run `bscp review {doc_id}` (or `bscp report {doc_id}`) and read it again",
            path=path,
        )
    report_hash = file_hash(path)
    if seen_report is not None and seen_report != report_hash:
        raise ApprovalError(
            "the output changed since this page was shown: read the report again, then approve",
            path=path,
        )
    decided = decide_all(
        items_of(project, entry, result), document_lists(entry), read_kept(project, doc_id)
    )
    left = [d.item for d in decided if not d.decision]
    if left and not keep_rest:
        shown = "; ".join(f"{i.kind}: {i.subject}" for i in left[:8])
        more = f" and {len(left) - 8} more" if len(left) > 8 else ""
        raise ApprovalError(
            f"{len(left)} item{'s' if len(left) != 1 else ''} of the check list "
            f"{'have' if len(left) != 1 else 'has'} no decision ({shown}{more}): decide each in "
            f"`bscp review {doc_id}`, or add --keep-the-rest to keep them all as they are",
            path=path,
        )
    found = counts(decided)
    found["kept"] += found.pop("left")
    lists = document_lists(entry)
    return report_hash, {
        "replacements": len(result.all_findings()),
        "items checked": sum(1 for d in decided if d.item.category != "yours"),
        "kept as is": found["kept"],
        "words removed (deny)": len(lists.deny),
        "words kept (allow)": len(lists.allow),
        "phrases replaced": len(lists.replacements),
    }
