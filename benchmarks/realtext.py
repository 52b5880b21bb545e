"""The real-text check: how much ordinary published language the pass changes.

    python -m benchmarks.realtext FOLDER            # every *.txt and *.md in FOLDER but *SOURCES.txt
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

A folder may also hold a list of the real people's names in its excerpts (a file whose name ends in
NAMES.tsv, with the columns file, text and kind, written by a person reading the excerpts, not from
the pass's output). Removing a real person's name is what the policy asks ("professionals by role
and agency, never by name"), so with such a list the report gives two figures: ordinary words
changed (the words of changes outside every listed name: the figure the target is about) and the
real names removed (each listed `person` occurrence wholly replaced), the recall on names nobody
here wrote. A listed `pseudonym` (the publisher's "Child Q", "Zac") is not a real name: changing it
counts as an ordinary word changed.
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

from pipeline.anonymise.vocabulary import TITLE_PATTERN, is_title

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
    start: int = 0
    end: int = 0


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
        out.append(
            Change(
                name,
                f.text,
                f.replacement,
                f.entity_type,
                f.recognizer,
                words,
                context,
                f.start,
                f.end,
            )
        )
    return out


def real_names(folder: Path) -> dict[str, set[str]] | None:
    """Return {file: the real people's names listed in it}, or None when the folder lists none."""
    lists = sorted(folder.glob("*NAMES.tsv"))
    if not lists:
        return None
    names: dict[str, set[str]] = {}
    for listing in lists:
        for line in listing.read_text(encoding="utf-8").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 3 and parts[2].strip() == "person" and parts[1].strip():
                names.setdefault(parts[0].strip(), set()).add(parts[1].strip())
    return names


_TITLES_BEFORE = re.compile(rf"(?:{TITLE_PATTERN}\s+){{1,2}}$")


def name_spans(text: str, names: set[str]) -> list[tuple[int, int]]:
    """Return where each listed name occurs in `text` as whole words, longest names first, with
    the titles before it ("Cllr", "Mr"): the pass replaces a title with the name it belongs to."""
    spans: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(s <= m.start() and m.end() <= e for s, e in spans):
                continue
            title = _TITLES_BEFORE.search(text, max(0, m.start() - 30), m.start())
            spans.append((title.start() if title else m.start(), m.end()))
    return spans


def _removed(text: str, start: int, end: int, found: list[Change]) -> bool:
    """Return True when every word of a listed name (its titles apart) was replaced."""
    return all(
        any(c.start <= m.start() and m.end() <= c.end for c in found)
        for m in WORD.finditer(text, start, end)
        if not is_title(m.group())
    )


def words_outside(change: Change, text: str, spans: list[tuple[int, int]]) -> int:
    """Return how many of a change's words lie outside every listed real name."""
    return sum(
        1
        for m in WORD.finditer(text, change.start, change.end)
        if not any(s <= m.start() and m.end() <= e for s, e in spans)
    )


def is_excerpt(path: Path) -> bool:
    """Return True for an excerpt file; a list of where the excerpts came from (a name ending in
    SOURCES.txt, holding addresses and titles) is not published prose and is left out."""
    return (
        path.is_file()
        and path.suffix in (".txt", ".md")
        and not path.stem.upper().endswith("SOURCES")
    )


def run(folder: Path) -> dict[str, Any]:
    from pipeline.anonymise.engine import Anonymiser

    files = sorted(p for p in folder.iterdir() if is_excerpt(p))
    if not files:
        raise SystemExit(f"no .txt or .md files in {folder}")
    anonymiser = Anonymiser()
    listed = real_names(folder)
    total_words = ordinary = 0
    names_found = names_removed = 0
    changes: list[Change] = []
    for path in files:
        text = published_part(path.read_text(encoding="utf-8"))
        total_words += len(WORD.findall(text))
        found = changes_in(path.name, text, anonymiser.detect(text))
        changes.extend(found)
        spans = name_spans(text, (listed or {}).get(path.name, set()))
        ordinary += sum(words_outside(c, text, spans) for c in found)
        names_found += len(spans)
        names_removed += sum(1 for s, e in spans if _removed(text, s, e, found))
    changed = sum(c.words for c in changes)
    result: dict[str, Any] = {
        "files": len(files),
        "words": total_words,
        "changed_words": changed,
        "share": changed / total_words if total_words else 0.0,
        "changes": [c.__dict__ for c in changes],
    }
    if listed is not None:
        result |= {
            "ordinary_changed_words": ordinary,
            "ordinary_share": ordinary / total_words if total_words else 0.0,
            "real_names": names_found,
            "real_names_removed": names_removed,
        }
    return result


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
    if "ordinary_share" in result:
        lines.append(
            f"ordinary words changed (outside the real names listed in *NAMES.tsv): "
            f"{result['ordinary_changed_words']} ({result['ordinary_share']:.2%}); real names "
            f"removed: {result['real_names_removed']} of {result['real_names']} occurrences"
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
