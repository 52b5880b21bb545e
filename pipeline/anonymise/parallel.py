"""Anonymise many reviews at once: one worker process per core, each loading the model once.

Reviews are independent, so they are shared out whole between `fork`ed workers; the parent keeps
the order. A review that is refused (a leak, say) does not stop the others: its error comes back
in its `Outcome`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
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


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while reviews are anonymised, then as before.

    spaCy and Presidio leave hundreds of thousands of long-lived objects (the model, the
    recognizers) that Python's collector would otherwise walk again and again; frozen, they are
    skipped (and a forked worker does not copy them by touching them), and rarer young-generation
    collections spare the many short-lived tokens. Measured on 25 reviews: about 5% less CPU.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


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
    count = worker_count(workers, len(ids))
    # Presidio and spaCy imported, the model and word lists loaded, once here (before any fork)
    # rather than in every worker; not at all when every result is in the cache.
    from pipeline.anonymise.engine import warm_up
    from pipeline.anonymise.policy import policy_for

    if not use_cache or not all(is_cached(project, entry_by_id(project, i)) for i in ids):
        warm_up(policy_for(project.partnership.anonymisation))
    with _fewer_collections():
        if count == 1:
            return _in_turn(project, ids, write, use_cache, progress)
        return _in_workers(project, ids, count, write, use_cache, progress)


def _in_turn(
    project: Project,
    ids: list[str],
    write: bool,
    use_cache: bool,
    progress: Callable[[Outcome], None] | None,
) -> list[Outcome]:
    outcomes = []
    for doc_id in ids:
        outcomes.append(outcome := _anonymise_one(project, doc_id, write, use_cache))
        if progress:
            progress(outcome)
    return outcomes


def _in_workers(
    project: Project,
    ids: list[str],
    count: int,
    write: bool,
    use_cache: bool,
    progress: Callable[[Outcome], None] | None,
) -> list[Outcome]:
    global _PROJECT, _WRITE, _USE_CACHE
    outcomes: dict[str, Outcome] = {}
    # Longest first, so no worker is left with a long review at the end while the other idles.
    ordered = sorted(ids, key=lambda i: _size(project, i), reverse=True)
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
    return [outcomes[i] for i in ids]
