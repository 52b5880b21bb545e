"""Speed end to end, as a user runs it: `bscp anonymise --all` from a cold cache against plain Presidio.

    python -m benchmarks.endtoend                      # 25 fictional reviews (about 58,000 words)
    python -m benchmarks.endtoend --reviews 25 --rounds 3 --json build/endtoend.json

Each side is a whole process, started fresh, so model loading and start-up count: ours is the CLI
(`bscp anonymise --all`, its worker processes included) with the build folder removed first; plain
Presidio is a process that loads Presidio's default analyzer over the same spaCy model, analyses
every published text field of the same documents and replaces what it found with Presidio's
anonymizer (`benchmarks.plain_presidio.anonymize_all`). The two alternate, round after round; the
figures are the medians. CPU time is user plus system time of the process and every child it waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def published_texts(root: Path) -> list[str]:
    """Return every published text field of every document `bscp anonymise --all` anonymises."""
    from pipeline.content.project import load_project
    from pipeline.published import publishable

    project = load_project(root / "content", corpus.TODAY)
    return [text for _, doc in publishable(project) for _, text in doc.text_fields()]


def timed(command: list[str], cwd: Path) -> dict[str, float]:
    """Run one whole process; return its wall time and the CPU time of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def measure(root: Path, rounds: int) -> dict[str, Any]:
    texts = published_texts(root)
    words = sum(len(t.split()) for t in texts)
    text_file = root / "published-texts.json"
    text_file.write_text(json.dumps(texts), encoding="utf-8")
    ours_cmd = [str(BIN / "bscp"), "--today", corpus.TODAY.isoformat(), "anonymise", "--all"]
    plain_cmd = [sys.executable, "-m", "benchmarks.plain_presidio", str(text_file)]
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "plain": []}
    for _ in range(rounds):
        shutil.rmtree(root / "build", ignore_errors=True)  # a cold cache each time
        runs["ours"].append(timed(ours_cmd, root))
        runs["plain"].append(timed(plain_cmd, REPO))
    median = {
        side: {k: statistics.median(r[k] for r in results) for k in ("wall", "cpu")}
        for side, results in runs.items()
    }
    return {
        "words": words,
        "rounds": rounds,
        "runs": runs,
        "median": median,
        "wall_ratio": median["plain"]["wall"] / median["ours"]["wall"],
        "cpu_ratio": median["ours"]["cpu"] / median["plain"]["cpu"],
        "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", type=Path, default=REPO / "build" / "endtoend")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    corpus.generate(args.root, args.reviews, args.seed, words_min=1500, words_max=3000)
    result = measure(args.root, args.rounds)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    ours, plain = result["median"]["ours"], result["median"]["plain"]
    print(f"{result['words']:,} published words, {result['rounds']} alternating rounds, medians:")
    print(f"  bscp anonymise --all (cold)  wall {ours['wall']:6.1f} s  CPU {ours['cpu']:6.1f} s")
    print(f"  plain Presidio               wall {plain['wall']:6.1f} s  CPU {plain['cpu']:6.1f} s")
    print(f"  wall: ours {result['wall_ratio']:.2f}x faster (target >= 1.5x)")
    print(f"  CPU per word: ours {result['cpu_ratio']:.2f}x Presidio's (target <= 0.8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
