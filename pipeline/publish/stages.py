"""The stages `bscp build` borrows from other parts of the pipeline, passed in as plain functions.

The build orchestrator (`pipeline.build`) takes a `Stages` value instead of importing anonymisation,
approval, Word rendering and leak scanning directly, so each can be swapped for a small stand-in in
tests. `real_stages()` wires the real implementations, imported only when a stage first runs (so a
build whose reviews are all cached never loads spaCy).
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.errors import PublishError
from pipeline.published import PublishedDocument

Entry = ReviewEntry | BriefEntry


class Anonymised(Protocol):
    """What the anonymisation stage returns: the public document and the hash reviewers approve."""

    @property
    def document(self) -> PublishedDocument: ...

    @property
    def output_hash(self) -> str: ...


class Leak(Protocol):
    """A known identifier found in some text (never printed: only its label and kind are)."""

    start: int
    end: int
    text: str
    label: str
    kind: str
    review_id: str


class Scanner(Protocol):
    def scan(self, text: str) -> list[Any]: ...


@dataclass(frozen=True)
class Stages:
    """The functions a build calls for the work other parts of the pipeline own."""

    anonymise: Callable[[Project, Entry], Anonymised]
    policy_hash: Callable[[Project, Entry], str]  # the policy one document was anonymised under
    is_approved: Callable[[Project, str, str, str], bool]  # (project, id, output_hash, policy_hash)
    render_word: Callable[[Project, PublishedDocument, Path], Path]
    to_pdfs: Callable[[list[Path], Path], list[Path]]  # many Word files into one folder of PDFs
    leak_scanner: Callable[[Project], Scanner]
    # Part of every cache key: change it (or the code it fingerprints) and caches are rebuilt.
    anonymise_version: str
    render_version: str
    # Anonymise several at once (in parallel), calling back `(id, result or error)` as each finishes.
    anonymise_many: Callable[[Project, list[Entry], Callable[[str, Any], None]], None] | None = None


def code_fingerprint(packages: Iterable[str]) -> str:
    """Return a hash of every file in these packages, so a code change invalidates cached output."""
    digest = hashlib.sha256()
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None:
            digest.update(f"missing:{name}".encode())
            continue
        if spec.submodule_search_locations:
            folders = [Path(f) for f in spec.submodule_search_locations]
            files = [(f, p) for f in folders for p in sorted(f.rglob("*"))]
        else:
            origin = Path(str(spec.origin))
            files = [(origin.parent, origin)]
        for folder, path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _missing(module: str, exc: ImportError) -> PublishError:
    return PublishError(
        f"is not available ({exc}); reinstall with `make .venv/.installed-stamp`",
        path=module.replace(".", "/"),
    )


def real_stages() -> Stages:
    """Return the stages wired to `pipeline.anonymise` and `pipeline.render`."""

    def anonymise(project: Project, entry: Entry) -> Anonymised:
        try:
            from pipeline.anonymise.run import anonymise_entry
        except ImportError as exc:
            raise _missing("pipeline.anonymise", exc) from None

        return anonymise_entry(project, entry)

    def anonymise_many(
        project: Project, entries: list[Entry], done: Callable[[str, Any], None]
    ) -> None:
        try:
            from pipeline.anonymise.parallel import anonymise_many as run_many
        except ImportError as exc:
            raise _missing("pipeline.anonymise", exc) from None

        def report(outcome: Any) -> None:
            done(outcome.id, outcome.error if outcome.error is not None else outcome)

        run_many(project, [e.id for e in entries], progress=report)

    def policy_hash(project: Project, entry: Entry) -> str:
        try:
            from pipeline.anonymise.results import document_policy
        except ImportError as exc:
            raise _missing("pipeline.anonymise", exc) from None

        return document_policy(project, entry).hash

    def is_approved(project: Project, item_id: str, output_hash: str, policy: str) -> bool:
        from pipeline.anonymise.approval import current_approval

        return current_approval(project, item_id, output_hash, policy)

    def render_word(project: Project, doc: PublishedDocument, out_path: Path) -> Path:
        try:
            from pipeline.render import render_brief_docx, render_published
        except ImportError as exc:
            raise _missing("pipeline.render", exc) from None

        render = render_brief_docx if doc.kind == "brief" else render_published
        return render(project, doc, out_path)

    def to_pdfs(docx_paths: list[Path], out_dir: Path) -> list[Path]:
        from pipeline.render.pdf import to_pdfs_parallel

        return to_pdfs_parallel(docx_paths, out_dir)

    def leak_scanner(project: Project) -> Scanner:
        try:
            from pipeline.anonymise.gate import SiteScanner
        except ImportError as exc:
            raise _missing("pipeline.anonymise", exc) from None

        return SiteScanner.for_project(project)

    return Stages(
        anonymise=anonymise,
        anonymise_many=anonymise_many,
        policy_hash=policy_hash,
        is_approved=is_approved,
        render_word=render_word,
        to_pdfs=to_pdfs,
        leak_scanner=leak_scanner,
        anonymise_version=code_fingerprint(["pipeline.anonymise", "pipeline.published"]),
        render_version=code_fingerprint(["pipeline.render"]),
    )
