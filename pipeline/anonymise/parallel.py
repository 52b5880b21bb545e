"""Anonymise many reviews at once: one worker process per core, each loading the model once.

Reviews are independent, so they are shared out whole between `fork`ed workers; the parent keeps
the order. A review that is refused (a leak, say) does not stop the others: its error comes back
in its `Outcome`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from pipeline.anonymise.run import (
    Outputs,
    anonymise_entry,
    entry_by_id,
    is_cached,
    write_outputs,
)
from pipeline.content.project import Project
from pipeline.errors import PipelineError
from pipeline.published import PublishedDocument


@dataclass(frozen=True)
class Outcome:
    """What anonymising one review or brief gave: its document, or the error that refused it."""

    id: str
    document: PublishedDocument | None = None
    output_hash: str | None = None
    replacements: int = 0
    outputs: Outputs | None = None
    error: PipelineError | None = None


def worker_count(requested: int | None, jobs: int) -> int:
    """Return how many processes to use: `requested`, else $BSCP_WORKERS, else one per core."""
    if requested is None:
        requested = int(os.environ.get("BSCP_WORKERS", "0") or 0) or (os.cpu_count() or 1)
    return max(1, min(requested, jobs))


# Set in the parent just before the workers fork, so each inherits the loaded project for free.
_PROJECT: Project | None = None
_WRITE = False
_USE_CACHE = True


def _anonymise_one(project: Project, doc_id: str, write: bool, use_cache: bool = True) -> Outcome:
    try:
        result = anonymise_entry(project, entry_by_id(project, doc_id), use_cache=use_cache)
        outputs = write_outputs(project, result) if write else None
        return Outcome(
            doc_id, result.document, result.output_hash, len(result.all_findings()), outputs
        )
    except PipelineError as exc:
        return Outcome(doc_id, error=exc)


def _work(doc_id: str) -> Outcome:
    assert _PROJECT is not None
    return _anonymise_one(_PROJECT, doc_id, _WRITE, _USE_CACHE)


def _size(project: Project, doc_id: str) -> int:
    entry = entry_by_id(project, doc_id)
    sections = getattr(entry, "sections", {})
    return sum(len(s.text) for s in sections.values())


def anonymise_many(
    project: Project,
    ids: list[str],
    *,
    workers: int | None = None,
    write: bool = False,
    use_cache: bool = True,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Anonymise every id (in parallel when there are several), returning outcomes in `ids` order."""
    global _PROJECT, _WRITE, _USE_CACHE
    count = worker_count(workers, len(ids))
    outcomes: dict[str, Outcome] = {}
    if count == 1:
        for doc_id in ids:
            outcomes[doc_id] = outcome = _anonymise_one(project, doc_id, write, use_cache)
            if progress:
                progress(outcome)
        return [outcomes[i] for i in ids]
    # Longest first, so no worker is left with a long review at the end while the other idles.
    ordered = sorted(ids, key=lambda i: _size(project, i), reverse=True)
    # Presidio and spaCy imported, and the model loaded, once here before the fork rather than in
    # every worker; frozen, so no worker's garbage collector walks (and copies) what they share.
    from pipeline.anonymise.engine import load_analyzer

    if not use_cache or not all(is_cached(project, entry_by_id(project, i)) for i in ids):
        load_analyzer()
    gc.freeze()
    _PROJECT, _WRITE, _USE_CACHE = project, write, use_cache
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            futures = [pool.submit(_work, doc_id) for doc_id in ordered]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.id] = outcome
                if progress:
                    progress(outcome)
    finally:
        _PROJECT = None
        gc.unfreeze()
    return [outcomes[i] for i in ids]
