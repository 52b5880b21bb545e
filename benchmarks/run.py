"""`make bench`: build N fictional reviews from scratch, change one, rebuild; print where the time goes.

    python -m benchmarks.run                       # 50 and 500 reviews
    python -m benchmarks.run --sizes 50 --json build/bench.json

For each size it generates the corpus (`benchmarks.corpus`, deterministic by seed), then runs, each
in a fresh process whose peak memory (the whole process tree) is sampled:

1. `anonymise`: every publishable review, in parallel (words per second through anonymisation);
2. `approve`: a reviewer's approval of each (reuses the cached anonymisation);
3. `build`: Word and PDF, pages, `mkdocs build --strict`, the site-wide leak gate, the swap;
4. `change one`: one sentence added to one review, then `bscp anonymise`, `bscp report`, `bscp approve` and the
   build again, each a process of its own (twice; the second is reported).

Then, side by side in one process on the same text, our engine against plain Presidio with the
same spaCy model, and our anonymisation on one worker against all cores. Timings are wall-clock on
whatever machine runs it: compare the ratios, which are measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = 2026


class PeakMemory:
    """Sample the resident memory of a process and all its descendants, keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(self.interval)

    def _tree_rss(self) -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
            rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(child for child, parent in parents.items() if parent == pid)
        return total


def run_step(name: str, root: Path, *args: str) -> dict[str, Any]:
    """Run one step in a fresh process; return its JSON result plus wall time and peak memory."""
    command = [sys.executable, "-m", "benchmarks.steps", name, str(root), *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"step {name} failed for {root} (exit {process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - started
    result["peak_memory_mb"] = memory.peak / 1_048_576
    return result


def change_one(root: Path) -> dict[str, Any]:
    """Change one review, then run `bscp anonymise`, `bscp approve` and the build, each a process
    of its own as in real use (an author, a reviewer, then CI), timing each from its start-up."""
    target = run_step("edit-one", root)["changed"]
    steps = {
        "bscp anonymise": run_step("cli", root, "anonymise", target),
        "bscp report": run_step("cli", root, "report", target),
        "bscp approve": run_step(
            "cli", root, "approve", target, "--reviewer", "Bench Reviewer", "--keep-the-rest"
        ),
        "build and publish": run_step("build", root),
    }
    return {
        "changed": target,
        "wall_seconds": sum(step["wall_seconds"] for step in steps.values()),
        "build_seconds": steps["build and publish"]["wall_seconds"],
        "steps": {name: step["wall_seconds"] for name, step in steps.items()},
        "stages": steps["build and publish"]["stages"],
        "peak_memory_mb": max(step["peak_memory_mb"] for step in steps.values()),
    }


def bench_size(size: int, workdir: Path) -> dict[str, Any]:
    from benchmarks import corpus

    root = workdir / f"n{size}"
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    stats = corpus.generate(root, size, SEED)
    generated = time.perf_counter() - started
    steps = {name: run_step(name, root) for name in ("anonymise", "approve", "build")}
    # Twice: the first rebuild after a from-scratch build may still fill caches.
    changed = [change_one(root) for _ in range(2)]
    scratch = sum(steps[n]["wall_seconds"] for n in steps)
    return {
        "reviews": size,
        "corpus_words": getattr(stats, "words", None),
        "generate_seconds": generated,
        "steps": steps,
        "from_scratch_seconds": scratch,
        "change_one": changed[-1],
        "change_one_first": changed[0],
        "peak_memory_mb": max(s["peak_memory_mb"] for s in [*steps.values(), *changed]),
    }


def print_size(result: dict[str, Any]) -> None:
    steps = result["steps"]
    anonymise = steps["anonymise"]
    print(f"\n== {result['reviews']} reviews ==")
    print(
        f"  anonymise   {anonymise['wall_seconds']:7.1f} s  {anonymise['words']:,} words, "
        f"{anonymise['words'] / anonymise['seconds']:,.0f} words/s on {anonymise['workers']} workers"
    )
    print(
        f"  approve     {steps['approve']['wall_seconds']:7.1f} s"
        f"  ({len(steps['approve']['refused'])} refused by the leak gate: {', '.join(steps['approve']['refused']) or 'none'})"
    )
    print(f"  build       {steps['build']['wall_seconds']:7.1f} s")
    for stage, seconds in steps["build"]["stages"].items():
        print(f"    {stage:<32} {seconds:7.1f} s")
    print(f"  from scratch {result['from_scratch_seconds']:6.1f} s  (target: under 600 s for 500)")
    print_change(result["change_one"])
    print(f"  peak memory {result['peak_memory_mb']:,.0f} MB (target: under 2,048 MB for 500)")


def print_change(change: dict[str, Any]) -> None:
    print(
        f"  one changed review ({change['changed']}), each command a fresh process: "
        f"{change['wall_seconds']:.1f} s in all"
    )
    for name, seconds in change["steps"].items():
        print(f"    {name:<32} {seconds:7.1f} s")
    print(
        f"  rebuilt and published (the build): {change['build_seconds']:.1f} s (target: under 20 s)"
    )
    for stage, seconds in change["stages"].items():
        print(f"      {stage:<30} {seconds:7.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50,500", help="comma-separated numbers of reviews")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument(
        "--compare-reviews", type=int, default=24, help="reviews timed side by side"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--change-one",
        type=Path,
        metavar="CORPUS",
        help="only change one review of an existing corpus (e.g. build/bench/n500) and rebuild",
    )
    args = parser.parse_args(argv)
    if args.change_one:
        change = change_one(args.change_one.resolve())
        print_change(change)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(change, indent=2), encoding="utf-8")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"bscp benchmark on {machine}")
    results: dict[str, Any] = {"machine": machine, "sizes": []}
    for size in sizes:
        result = bench_size(size, args.workdir)
        results["sizes"].append(result)
        print_size(result)
    compare_root = args.workdir / f"n{sizes[0]}"
    side = run_step("compare", compare_root, str(args.compare_reviews))
    results["side_by_side"] = side
    print(f"\n== side by side, one process, the same {side['words']:,} words ==")
    print(
        f"  plain Presidio, detection (same spaCy model)  {side['plain_words_per_second']:8,.0f} words/s"
    )
    ratio = side["ours_detection_words_per_second"] / side["plain_words_per_second"]
    print(
        f"  ours, detection                               {side['ours_detection_words_per_second']:8,.0f} words/s"
        f"  ({ratio:.2f}x plain; target 1.5x)"
    )
    print(
        f"  ours, whole anonymisation, 1 worker           {side['ours_1_words_per_second']:8,.0f} words/s"
    )
    speedup = side["ours_n_words_per_second"] / side["ours_1_words_per_second"]
    print(
        f"  ours, whole anonymisation, {side['workers']} workers          {side['ours_n_words_per_second']:8,.0f} words/s"
        f"  ({speedup:.2f}x one worker; target 1.7x)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
