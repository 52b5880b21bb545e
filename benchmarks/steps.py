"""One step of `make bench`, run in its own process by `benchmarks.run`; prints a JSON line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus

REPO = Path(__file__).resolve().parent.parent


class TimingReporter:
    """A build reporter that records how long each stage took."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._current: str | None = None
        self._started = 0.0

    def _finish(self) -> None:
        if self._current is not None:
            self.stages[self._current] = (
                self.stages.get(self._current, 0.0) + time.perf_counter() - self._started
            )

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish()
        self._current, self._started = name, time.perf_counter()

    def advance(self, detail: str = "") -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        self._finish()
        self._current = None


def _project(root: Path):
    from pipeline.content.project import load_project

    return load_project(
        root / "content", corpus.TODAY, parse_cache=root / "build" / "cache" / "content.json"
    )


def _publishable_ids(project) -> list[str]:
    from pipeline.published import publishable

    return [entry.id for entry, _ in publishable(project)]


def _words(project, ids: list[str]) -> int:
    from pipeline.anonymise.run import entry_by_id
    from pipeline.published import brief_document, review_document

    total = 0
    for doc_id in ids:
        entry = entry_by_id(project, doc_id)
        doc = review_document(entry, project) if hasattr(entry, "review") else brief_document(entry)
        total += sum(len(text.split()) for _, text in doc.text_fields())
    return total


def anonymise(
    root: Path, use_cache: bool = True, ids: list[str] | None = None, workers: int | None = None
) -> dict[str, Any]:
    from pipeline.anonymise.parallel import anonymise_many, worker_count

    project = _project(root)
    ids = ids or _publishable_ids(project)
    started = time.perf_counter()
    outcomes = anonymise_many(project, ids, workers=workers, use_cache=use_cache)
    seconds = time.perf_counter() - started
    refused = [o.id for o in outcomes if o.error is not None]
    return {
        "seconds": seconds,
        "documents": len(ids),
        "words": _words(project, ids),
        "workers": worker_count(workers, len(ids)),
        "refused": refused,
    }


def approve(root: Path, ids: list[str] | None = None) -> dict[str, Any]:
    from pipeline.anonymise.approval import approve as record

    project = _project(root)
    ids = ids or _publishable_ids(project)
    from pipeline.errors import PipelineError

    started = time.perf_counter()
    refused = []
    for doc_id in ids:
        try:
            record(project, doc_id, "Benchmark Reviewer")
        except PipelineError:
            refused.append(
                doc_id
            )  # the gate refused it: it is left out of the site, as in real use
    return {"seconds": time.perf_counter() - started, "documents": len(ids), "refused": refused}


def build(root: Path) -> dict[str, Any]:
    from pipeline.build import build as run_build

    started = time.perf_counter()
    project = _project(root)
    loaded = time.perf_counter() - started
    reporter = TimingReporter()
    result = run_build(project, root, reporter=reporter, site_source=REPO / "site")
    reporter.close()
    return {
        "seconds": time.perf_counter() - started,
        "stages": {"Loading content": loaded, **reporter.stages},
        "published": len(result.published),
        "left_out": len(result.left_out),
        "files": result.files,
    }


def _still_available(entry, today) -> bool:
    until = entry.review.dates.available_until
    return until is None or until >= today


def edit_one(root: Path) -> dict[str, Any]:
    """Add a sentence to one review still on the site (as an author would), and name it."""
    project = _project(root)
    # A review still on the site with its downloads (not one whose page is a withdrawal notice).
    target = next(
        doc_id
        for doc_id in _publishable_ids(project)
        if doc_id.startswith("BSCP-20") and _still_available(project.review(doc_id), project.today)
    )
    summary = project.review(target).folder / "summary.md"
    with summary.open("a", encoding="utf-8") as handle:
        handle.write(f"\nThe partnership updated this summary at {time.time():.0f}.\n")
    return {"changed": target}


def cli(root: Path, *args: str) -> dict[str, Any]:
    """Run one `bscp` command in the corpus folder, as a person would (this process is fresh)."""
    import os

    from pipeline.cli import main

    os.chdir(root)
    started = time.perf_counter()
    try:
        main(["--today", corpus.TODAY.isoformat(), *args], standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise
    return {"command": ["bscp", *args], "seconds": time.perf_counter() - started}


def compare(root: Path, reviews: str) -> dict[str, Any]:
    """Our detection against plain Presidio on the same text; ours on one worker against all cores."""
    from benchmarks.evaluate import measure_speed
    from pipeline.anonymise.identifiers import identifier_set
    from pipeline.published import review_document

    project = _project(root)
    entries = project.reviews[: int(reviews)]
    jobs = []
    for entry in entries:
        doc = review_document(entry, project)
        jobs.append((entry, doc, list(doc.text_fields()), identifier_set(entry, project)))
    all_fields = [(f"{e.id}/{n}", t) for e, _, fields, _ in jobs for n, t in fields]
    words = sum(corpus.narrative_words(t) for _, t in all_fields)
    speed = measure_speed(project, jobs, all_fields, words)
    return {
        "words": words,
        "plain_words_per_second": speed["plain_presidio_words_per_second"],
        "ours_detection_words_per_second": speed["ours_words_per_second"],
        **_one_against_all_cores(root, [e.id for e in entries]),
    }


def _one_against_all_cores(root: Path, ids: list[str]) -> dict[str, Any]:
    one = anonymise(root, use_cache=False, ids=ids, workers=1)
    many = anonymise(root, use_cache=False, ids=ids)
    return {
        "ours_1_words_per_second": one["words"] / one["seconds"],
        "ours_n_words_per_second": many["words"] / many["seconds"],
        "workers": many["workers"],
    }


def workers(root: Path, reviews: str) -> dict[str, Any]:
    """Only our anonymisation on one worker against all cores (the noisiest ratio: repeat it)."""
    project = _project(root)
    ids = [e.id for e in project.reviews[: int(reviews)]]
    anonymise(root, use_cache=False, ids=ids, workers=1)  # warm up fully, as `compare` has
    result = _one_against_all_cores(root, ids)
    speed_up = result["ours_n_words_per_second"] / result["ours_1_words_per_second"]
    return {**result, "speed_up": speed_up}


STEPS = {
    "anonymise": anonymise,
    "approve": approve,
    "build": build,
    "edit-one": edit_one,
    "cli": cli,
    "compare": compare,
    "workers": workers,
}


if __name__ == "__main__":
    name, root, *rest = sys.argv[1:]
    print(json.dumps(STEPS[name](Path(root), *rest)))
