"""The real-text check: how much ordinary published language the pass changes.

    python -m benchmarks.realtext FOLDER            # every *.txt and *.md in FOLDER
    python -m benchmarks.realtext FOLDER --json build/realtext.json --list

FOLDER holds excerpts of text that safeguarding partnerships have already published (review
summaries, learning briefs): already anonymised by their publishers, so almost nothing in them should
change. The excerpts are public but not ours: keep them outside the repository (or in a folder git
ignores) and never commit them. Only this command and its figures are committed.

The pass runs as a new user would run it: the partnership's default policy and no people listed.
The figure reported is the share of words that a replacement changed. What the policy changes on
purpose does not count: an exact date coarsened to the month and year written in it, and an age
banded. A date replaced by a month or year that is not in the text (an invented year) does count.
Every counted change is listed with its recognizer, so the causes can be ranked. An excerpt's
last word is left out when no punctuation ends it: the excerpts are cut at a length, mid-word.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Change:
    file: str
    text: str
    replacement: str
    entity: str
    recognizer: str
    words: int
    context: str


def by_policy(finding: Any) -> bool:
    """Return True for a change the policy makes on purpose (a date coarsened, an age banded).

    The month may be written short in the text: "9 Jun 2025" coarsened to "June 2025" keeps it."""
    if finding.entity_type == "AGE":
        return True
    if finding.entity_type == "DATE":
        kept = WORD.findall(finding.replacement) + re.findall(r"\d{4}", finding.replacement)
        original = finding.text.lower()
        words = set(WORD.findall(original))
        return bool(kept) and all(
            w.lower() in original or (len(w) > 3 and w.lower()[:3] in words) for w in kept
        )
    return False


CUT_OFF = re.compile(r"[^\W\d_]+\Z")


def published_part(text: str) -> str:
    """Return the excerpt without its last word when no punctuation ends it ("...serious child
    safegu"): excerpts are cut at a length, and half a word is nothing a partnership published."""
    return CUT_OFF.sub("", text.rstrip())


def changes_in(name: str, text: str, findings: list[Any]) -> list[Change]:
    out = []
    for f in findings:
        if by_policy(f):
            continue
        words = len(WORD.findall(f.text))
        if words == 0:
            continue
        context = text[max(0, f.start - 40) : f.end + 40].replace("\n", " ")
        out.append(Change(name, f.text, f.replacement, f.entity_type, f.recognizer, words, context))
    return out


def run(folder: Path) -> dict[str, Any]:
    from pipeline.anonymise.engine import Anonymiser

    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md") and p.is_file())
    if not files:
        raise SystemExit(f"no .txt or .md files in {folder}")
    anonymiser = Anonymiser()
    total_words = 0
    changes: list[Change] = []
    for path in files:
        text = published_part(path.read_text(encoding="utf-8"))
        total_words += len(WORD.findall(text))
        findings = anonymiser.detect(text)
        changes.extend(changes_in(path.name, text, findings))
    changed = sum(c.words for c in changes)
    return {
        "files": len(files),
        "words": total_words,
        "changed_words": changed,
        "share": changed / total_words if total_words else 0.0,
        "changes": [c.__dict__ for c in changes],
    }


def report(result: dict[str, Any], listing: bool) -> str:
    lines = [
        f"{result['files']} excerpts, {result['words']} words: {result['changed_words']} words "
        f"changed ({result['share']:.2%}), {len(result['changes'])} replacements",
    ]
    causes = Counter()
    for c in result["changes"]:
        causes[(c["entity"], c["recognizer"])] += c["words"]
    people = sum(c["words"] for c in result["changes"] if c["entity"] == "PERSON")
    lines.append(
        f"of which read as people's names: {people} words ({people / result['words']:.2%}); "
        "these include the real names of chairs and authors and publishers' pseudonyms"
    )
    lines.append("words changed by entity and recognizer:")
    for (entity, recognizer), words in causes.most_common():
        lines.append(f"  {words:5d}  {entity:<14} {recognizer}")
    if listing:
        lines.append("every change:")
        for c in result["changes"]:
            lines.append(
                f"  {c['file']}: {c['text']!r} -> {c['replacement']!r} "
                f"[{c['entity']}, {c['recognizer']}]  …{c['context']}…"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    parser.add_argument("--list", action="store_true", help="list every change")
    args = parser.parse_args(argv)
    result = run(args.folder)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(report(result, args.list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
