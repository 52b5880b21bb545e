"""The anonymisation stage: one review or brief in, its anonymised document and findings out, cached.

Outputs (see HELPERS.md): `build/anonymised/<id>/document.json` and `<id>.md`. The cache under
`build/cache/anonymise/` is keyed by the content's fingerprint, the policy hash and the code of this
package, so an unchanged review is not analysed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.anonymise.gate import check_document
from pipeline.anonymise.identifiers import identifier_set
from pipeline.anonymise.results import AnonymisedDocument, Finding, Note, document_policy
from pipeline.cachefile import DAMAGED, read_json, write_json
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.errors import ContentError
from pipeline.published import PublishedDocument

PACKAGE = Path(__file__).parent


@dataclass(frozen=True)
class Outputs:
    document_json: Path
    markdown: Path
    docx: Path | None = None


@cache
def code_version() -> str:
    """Return a hash of this package's code and word lists: a change to either invalidates caches."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.glob("*.py"), *(PACKAGE / "data").glob("*.txt")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def project_root(project: Project) -> Path:
    return project.content_dir.resolve().parent


def entry_by_id(project: Project, doc_id: str) -> ReviewEntry | BriefEntry:
    """Return the review or brief with this id, or raise a ContentError naming the nearest."""
    for entry in [*project.reviews, *project.briefs]:
        if entry.id == doc_id:
            return entry
    return project.review(doc_id)  # raises, suggesting the nearest id


def fingerprint(project: Project, entry: ReviewEntry | BriefEntry) -> str:
    """Return a hash of everything the author wrote that a document is built from."""
    digest = hashlib.sha256()
    digest.update(project.partnership_source.path.read_bytes())
    if isinstance(entry, ReviewEntry):
        digest.update(entry.fingerprint().encode())
        related = project.related(entry.review)
        digest.update((related.id if related else "").encode())
    else:
        digest.update(entry.source.path.read_bytes())
        for review in project.reviews:
            if review.id in entry.brief.reviews:
                digest.update(review.fingerprint().encode())
    return digest.hexdigest()


def cache_key(project: Project, entry: ReviewEntry | BriefEntry) -> str:
    policy = document_policy(project, entry)
    raw = f"{fingerprint(project, entry)}:{policy.hash}:{code_version()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _cache_file(project: Project, entry: ReviewEntry | BriefEntry) -> Path:
    root = project_root(project) / "build" / "cache" / "anonymise"
    return root / f"{cache_key(project, entry)}.json"


def is_cached(project: Project, entry: ReviewEntry | BriefEntry) -> bool:
    """Return True when `entry` has a cached result (which is still checked when it is read)."""
    return _cache_file(project, entry).is_file()


def anonymise_entry(
    project: Project, entry: ReviewEntry | BriefEntry, *, use_cache: bool = True
) -> AnonymisedDocument:
    """Return the anonymised document of `entry`, from the cache when nothing it depends on changed."""
    cache_file = _cache_file(project, entry)
    if use_cache and cache_file.is_file():
        cached = _load(cache_file, project, entry)
        if cached is not None:
            return cached
    from pipeline.anonymise.engine import Anonymiser  # Presidio and spaCy: only when needed

    result = Anonymiser(document_policy(project, entry)).anonymise(project, entry)
    write_json(cache_file, _dump(result))  # whole or not at all: a killed run leaves no half
    return result


def _dump(result: AnonymisedDocument) -> dict[str, Any]:
    return {
        "document": result.document.to_json(),
        "original": result.original.to_json(),
        "findings": {k: [f.to_json() for f in v] for k, v in result.findings.items()},
        "notes": {k: [n.to_json() for n in v] for k, v in result.notes.items()},
        "policy_hash": result.policy_hash,
    }


def _load(
    path: Path, project: Project, entry: ReviewEntry | BriefEntry
) -> AnonymisedDocument | None:
    data = read_json(path, {})
    try:
        identifiers = identifier_set(entry, project)
        result = AnonymisedDocument(
            PublishedDocument.from_json(data["document"]),
            PublishedDocument.from_json(data["original"]),
            {k: [Finding(**f) for f in v] for k, v in data["findings"].items()},
            {k: [Note(**n) for n in v] for k, v in data["notes"].items()},
            data["policy_hash"],
            identifiers,
        )
    except DAMAGED:
        return None  # cut short or of another shape: anonymised again
    check_document(result.document, [result.identifiers])  # the gate runs on cached output too
    return result


def to_markdown(document: PublishedDocument) -> str:
    """Return the published document as one Markdown file."""
    lines = [f"# {document.title}", "", f"*{document.type_label}*", ""]
    if document.summary and document.kind == "review":
        lines += [document.summary, ""]
    for name, heading in (
        ("learning_includes", "Learning includes"),
        ("recommendations_include", "Recommendations include"),
    ):
        items = getattr(document, name)
        if items:
            lines += [f"## {heading}", "", *(f"- {item}" for item in items), ""]
    for section in [*document.sections, *document.brief_panels]:
        lines += [f"## {section.title}", "", section.markdown.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_outputs(project: Project, result: AnonymisedDocument) -> Outputs:
    """Write the anonymised document's JSON and Markdown under build/anonymised/<id>/."""
    doc = result.document
    folder = project_root(project) / "build" / "anonymised" / doc.id
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "document.json"
    json_path.write_text(doc.dumps(), encoding="utf-8")
    md_path = folder / f"{doc.id}.md"
    md_path.write_text(to_markdown(doc), encoding="utf-8")
    docx = None
    try:
        from pipeline.render import render_published  # type: ignore[attr-defined]
    except ImportError:
        render_published = None
    if render_published is not None:
        docx = render_published(project, doc, folder / f"{doc.id}.docx")
    return Outputs(json_path, md_path, docx)


def anonymise_ids(
    project: Project, ids: list[str], progress: Callable[[int, int, str], None] | None = None
) -> Iterator[tuple[AnonymisedDocument, Outputs]]:
    """Anonymise and write each document in turn, reporting progress."""
    for index, doc_id in enumerate(ids, start=1):
        if progress:
            progress(index, len(ids), doc_id)
        entry = entry_by_id(project, doc_id)
        result = anonymise_entry(project, entry)
        yield result, write_outputs(project, result)


def all_ids(project: Project) -> list[str]:
    if not project.reviews and not project.briefs:
        raise ContentError(
            "there are no reviews or briefs in content/ to anonymise", path=project.content_dir
        )
    return [e.id for e in project.reviews] + [b.id for b in project.briefs]
