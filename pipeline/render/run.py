"""`bscp render`: every confidential document of the chosen reviews, skipped when nothing changed."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.cachefile import read_json, write_json
from pipeline.calendar.deadlines import schedule
from pipeline.content.project import Project, ReviewEntry
from pipeline.errors import PipelineError, Problem
from pipeline.render.documents import documents_for, output_name, render_review, template_path
from pipeline.render.engine import template_bytes
from pipeline.render.pdf import soffice, to_pdfs

CODE_DIR = Path(__file__).resolve().parent


@dataclass
class Rendered:
    """What `bscp render` did for one review."""

    review_id: str
    out_dir: Path
    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    unchanged: bool = False


def _code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(CODE_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(project: Project, entry: ReviewEntry) -> str:
    """Return a hash of everything a review's documents are made from."""
    review = entry.review
    digest = hashlib.sha256()
    digest.update(entry.fingerprint().encode())
    digest.update(project.partnership_source.path.read_bytes())
    related = project.related(review)
    if related is not None:
        digest.update(project.review(related.id).fingerprint().encode())
    # Deadline states are the only part of a document that depends on today's date.
    plan = schedule(review, project.partnership, project.calendar, project.today, related)
    for d in plan.deadlines:
        digest.update(f"{d.deadline}|{d.state}|{d.working_days_left}|{d.due}|{d.done}".encode())
    digest.update(str(project.today if plan.deadlines else "").encode())
    for spec in documents_for(entry):
        digest.update(template_bytes(template_path(project, spec)))
    digest.update(_code_hash().encode())
    return digest.hexdigest()


def _file_names(value: object) -> list[str]:
    """Return the names of the files an earlier render wrote, as its cache entry lists them: plain
    names only (a damaged or edited entry must not name a file elsewhere)."""
    if not isinstance(value, list):
        return []
    return [
        n for n in value if isinstance(n, str) and n == Path(n).name and n not in ("", ".", "..")
    ]


def _cache_file(build_dir: Path, review_id: str) -> Path:
    return build_dir / "cache" / "render" / f"{review_id}.json"


def render_reviews(
    project: Project,
    ids: list[str],
    build_dir: Path,
    *,
    pdf: bool = False,
    progress: Callable[[int, int, Rendered], None] | None = None,
) -> list[Rendered]:
    """Render the confidential documents of `ids` under `build_dir/confidential/<id>/`.

    A review whose inputs, templates and deadline states are unchanged since the last run is not
    rendered again. Every problem found is reported together at the end.
    """
    entries = [project.review(review_id) for review_id in ids]
    if pdf:
        soffice()  # before any work: say at once that LibreOffice is missing
    results: list[Rendered] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries, start=1):
        out_dir = build_dir / "confidential" / entry.id
        result = Rendered(entry.id, out_dir)
        cache = _cache_file(build_dir, entry.id)
        try:
            key = cache_key(project, entry)
            expected = [out_dir / output_name(entry.id, s) for s in documents_for(entry)]
            previous = read_json(cache, {})
            if previous.get("key") == key and all(p.is_file() for p in expected):
                result.documents, result.unchanged = expected, True
            else:
                for stale in _file_names(previous.get("files")):
                    if stale not in {p.name for p in expected}:
                        (out_dir / stale).unlink(missing_ok=True)
                        (out_dir / stale).with_suffix(".pdf").unlink(missing_ok=True)
                result.documents = render_review(project, entry, out_dir)
                write_json(cache, {"key": key, "files": [p.name for p in expected]})
        except PipelineError as exc:
            problems.extend(exc.problems)
            continue
        if progress is not None:
            progress(index, len(entries), result)
        results.append(result)
    if pdf and results:
        _convert(results)
    if problems:
        raise PipelineError(problems)
    return results


def _convert(results: list[Rendered]) -> None:
    """Convert new or changed documents to PDF in one LibreOffice run, beside their .docx."""
    todo = [
        doc
        for r in results
        for doc in r.documents
        if not r.unchanged or not doc.with_suffix(".pdf").is_file()
    ]
    for doc in todo:
        doc.with_suffix(".pdf").unlink(missing_ok=True)
    if todo:
        with tempfile.TemporaryDirectory(prefix="bscp-pdf-") as tmp:
            for doc, made in zip(todo, to_pdfs(todo, Path(tmp)), strict=True):
                shutil.move(made, doc.with_suffix(".pdf"))
    for r in results:
        r.pdfs = [doc.with_suffix(".pdf") for doc in r.documents]
