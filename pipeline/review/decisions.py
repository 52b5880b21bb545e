"""A reviewer's decisions: written into the document's `anonymisation:` lists, comments and layout kept.

*Remove* adds the words to `anonymisation.deny`, *keep the word* to `anonymisation.allow`, *replace
with...* to `anonymisation.replacements`; each takes the words out of the other two lists, so the last
decision is the one that holds. *Keep as is* changes nothing the anonymisation reads: it is kept in
`build/review/<id>/kept.json`, against the item's key, for the check list and the approval.

review.yaml (or brief.yaml) is edited with ruamel.yaml, which reads and writes YAML round trip: the
author's comments, key order, quoting and flow lists (`allow: [A, B]`) stay as written.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from pipeline.anonymise.run import project_root
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.errors import ContentError
from pipeline.review.checklist import ALLOW, DECISIONS, DENY, KEEP, REPLACE, Item, item_key


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author wrote on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Lists:
    """The document's own anonymisation lists, as review.yaml holds them."""

    allow: tuple[str, ...]
    deny: tuple[str, ...]
    replacements: dict[str, str]

    def decision_for(self, texts: tuple[str, ...]) -> tuple[str, str] | None:
        """Return (decision, replacement) when the lists already decide every one of `texts`."""
        folded = [_fold(t) for t in texts]
        if all(t in {_fold(d) for d in self.deny} for t in folded):
            return DENY, ""
        allowed = {_fold(a) for a in self.allow}
        if all(t in allowed for t in folded):
            return ALLOW, ""
        replaced = {_fold(k): v for k, v in self.replacements.items()}
        if len(folded) == 1 and folded[0] in replaced:
            return REPLACE, replaced[folded[0]]
        return None


def source_path(entry: ReviewEntry | BriefEntry) -> Path:
    return entry.source.path


def document_lists(entry: ReviewEntry | BriefEntry) -> Lists:
    anonymisation = (
        entry.review.anonymisation if isinstance(entry, ReviewEntry) else entry.brief.anonymisation
    )
    return Lists(
        tuple(anonymisation.allow), tuple(anonymisation.deny), dict(anonymisation.replacements)
    )


def own_items(entry: ReviewEntry | BriefEntry) -> list[Item]:
    """Return an item for each word the document's own deny and replacements lists hold, so the
    reviewer can see and change an earlier decision ("keep the word" after a "remove")."""
    lists = document_lists(entry)
    reasons = [(t, "removed by a decision in the review's anonymisation.deny") for t in lists.deny]
    reasons += [
        (t, f"replaced by “{v}” (anonymisation.replacements)")
        for t, v in lists.replacements.items()
    ]
    return [
        Item(item_key("yours", [t]), "yours", "your decision", t, why, (t,), (), 0)
        for t, why in reasons
    ]


# ---------------------------------------------------------------------------------------------------
# Writing review.yaml


def _section(data: CommentedMap, name: str, flow: bool) -> CommentedSeq | CommentedMap:
    anonymisation = data.get("anonymisation")
    if anonymisation is None:
        anonymisation = CommentedMap()
        data["anonymisation"] = anonymisation
    value = anonymisation.get(name)
    if value is None:
        value = CommentedMap() if name == "replacements" else CommentedSeq()
        if flow and isinstance(value, CommentedSeq):
            value.fa.set_flow_style()
        anonymisation[name] = value
    return value


def _drop(container: CommentedSeq | CommentedMap | None, texts: set[str]) -> None:
    if container is None:
        return
    if isinstance(container, CommentedMap):
        for key in [k for k in container if _fold(k) in texts]:
            del container[key]
    else:
        for index in reversed(range(len(container))):
            if _fold(container[index]) in texts:
                del container[index]


def write_decision(path: Path, texts: tuple[str, ...], decision: str, value: str = "") -> str:
    """Write one decision about `texts` into the anonymisation lists of the YAML file at `path`;
    return the file's text as it was, so a caller can put it back."""
    if decision not in (DENY, ALLOW, REPLACE):
        raise ValueError(f"not a decision written to the lists: {decision}")
    value = " ".join(value.split())
    if decision == REPLACE and not value:
        raise ContentError(
            "give the words to replace it with", path=path, field="anonymisation.replacements"
        )
    before = path.read_text(encoding="utf-8")
    yaml = _yaml()
    data = yaml.load(before)
    if not isinstance(data, CommentedMap):
        raise ContentError("is not a YAML mapping", path=path)
    folded = {_fold(t) for t in texts}
    anonymisation = data.get("anonymisation") or {}
    for name in ("allow", "deny", "replacements"):
        _drop(anonymisation.get(name), folded)
    if decision == DENY:
        deny = _section(data, "deny", flow=True)
        deny.extend(texts)
    elif decision == ALLOW:
        allow = _section(data, "allow", flow=True)
        allow.extend(texts)
    else:
        for text in texts:
            _section(data, "replacements", flow=False)[text] = value
    for name in ("allow", "deny", "replacements"):
        if name in data["anonymisation"] and not data["anonymisation"][name]:
            del data["anonymisation"][name]
    if not data["anonymisation"]:
        del data["anonymisation"]
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return before


# ---------------------------------------------------------------------------------------------------
# "Keep as is", kept beside the build


def kept_path(project: Project, doc_id: str) -> Path:
    return project_root(project) / "build" / "review" / doc_id / "kept.json"


def read_kept(project: Project, doc_id: str) -> dict[str, str]:
    """Return {item key: subject} of every item kept as is."""
    path = kept_path(project, doc_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_kept(project: Project, doc_id: str, key: str, subject: str, kept: bool) -> None:
    data = read_kept(project, doc_id)
    if kept:
        data[key] = subject
    else:
        data.pop(key, None)
    path = kept_path(project, doc_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Decided:
    """An item and the decision that holds for it, if any."""

    item: Item
    decision: str = ""
    value: str = ""

    @property
    def label(self) -> str:
        return DECISIONS.get(self.decision, "")


def decide_all(items: list[Item], lists: Lists, kept: dict[str, str]) -> list[Decided]:
    """Return each item with its decision: from the lists first (they change the text), else kept."""
    out = []
    for item in items:
        found = lists.decision_for(item.texts)
        if found is not None:
            out.append(Decided(item, *found))
        elif item.key in kept:
            out.append(Decided(item, KEEP))
        else:
            out.append(Decided(item))
    return out


def counts(decided: list[Decided]) -> dict[str, int]:
    """Return how many items were decided each way and how many are left."""
    out = {name: 0 for name in ("kept", "removed", "allowed", "replaced", "left")}
    names = {KEEP: "kept", DENY: "removed", ALLOW: "allowed", REPLACE: "replaced"}
    for d in decided:
        if d.item.category == "yours":
            continue
        out[names.get(d.decision, "left")] += 1
    return out
