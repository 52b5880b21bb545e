"""What a reviewer must decide about one anonymised document: fewer, better items.

Two sources:
- the engine's "please check" notes (words kept that look like names, ages, dates, rare details),
  one item per distinct string, every date in one item, and none for a word that was in fact replaced;
- flags raised here on the *published* text, where a replacement made it wrong or unreadable:
  a listed label given to someone else ("His mother, Child A"), a phrase doubled by a replacement
  ("the social worker as the social worker"), a placeholder for a person after "a" ("a grey Person 4"),
  a replacement that swallowed a possessive or a number, and a capitalised word kept that is a
  first name or surname.

Each item has a stable key (its kind and its words), so a decision survives a re-anonymisation for as
long as the item itself is there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.anonymise.results import AnonymisedDocument, Finding, Note

# The decisions a reviewer can take, as the page and review.yaml name them.
KEEP = "keep"  # keep as is: the published text is right
DENY = "deny"  # remove: add the words to anonymisation.deny
ALLOW = "allow"  # keep the word: add it to anonymisation.allow
REPLACE = "replace"  # replace with...: add it to anonymisation.replacements
DECISIONS = {
    KEEP: "Keep as is",
    DENY: "Remove",
    ALLOW: "Keep the word",
    REPLACE: "Replace with…",
}

RELATIONS = (
    "mother|father|mum|dad|brother|sister|sibling|half-brother|half-sister|grandmother|grandfather|"
    "grandma|grandad|nan|stepfather|stepmother|step-father|step-mother|partner|boyfriend|girlfriend|"
    "aunt|uncle|cousin|son|daughter|baby|child|carer|friend|neighbour"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
# Entity types whose replacement may rightly drop digits: the digits are what is removed.
_NUMBER_TYPES = {
    "DATE",
    "DATE_TIME",
    "DATE_OF_BIRTH",
    "AGE",
    "PHONE_NUMBER",
    "UK_NHS",
    "NHS_NUMBER",
    "UK_NINO",
    "NI_NUMBER",
    "POSTCODE",
    "UK_POSTCODE",
    "ADDRESS",
    "EMAIL_ADDRESS",
    "REFERENCE",
    "ID",
    "DENY",
    "REPLACEMENT",
}


@dataclass(frozen=True)
class Item:
    """One thing the reviewer decides: the words it is about, why, and where they are."""

    key: str
    category: str  # "check" (kept, to look at) or "flag" (a replacement that reads wrong)
    kind: str  # e.g. "date", "name-like word", "label given to someone else"
    subject: str  # the words a decision is about (what deny/allow/replace would list)
    reason: str
    texts: tuple[str, ...]  # every distinct string the item covers (several for dates)
    fields: tuple[str, ...]
    count: int
    context: str = ""  # the published words around it, for a flag
    finding: dict[str, Any] = field(default_factory=dict)  # the replacement it is about, if any

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["texts"] = list(self.texts)
        data["fields"] = list(self.fields)
        return data


def item_key(kind: str, texts: Iterable[str]) -> str:
    words = "\n".join(sorted({" ".join(t.split()).casefold() for t in texts}))
    return hashlib.sha256(f"{kind}\n{words}".encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------------
# Notes, grouped


def _overlaps(note: Note, findings: list[Finding]) -> bool:
    return any(f.start < note.end and note.start < f.end for f in findings)


def note_items(result: AnonymisedDocument) -> list[Item]:
    """Return one item per distinct kept string, every date in one item; nothing that was replaced."""
    replaced = {" ".join(f.text.split()).casefold() for f in result.all_findings()}
    groups: dict[tuple[str, str], list[Note]] = {}
    for name, notes in result.notes.items():
        found = result.findings.get(name, [])
        for note in notes:
            folded = " ".join(note.text.split()).casefold()
            if _overlaps(note, found) or folded in replaced:
                continue  # "Mo" is not kept where "Mohamed ("Mo") Yusuf" became "Sibling 2"
            key = ("date", "") if note.kind == "date" else (note.kind, folded)
            groups.setdefault(key, []).append(note)
    items = []
    for (kind, _), notes in groups.items():
        texts = tuple(dict.fromkeys(n.text for n in notes))
        fields = tuple(dict.fromkeys(n.field for n in notes))
        if kind == "date":
            subject = ", ".join(texts)
            reason = (
                f"{len(texts)} month{'s' if len(texts) != 1 else ''} and year kept: check that "
                "together they do not date events a reader could recognise"
            )
        else:
            subject, reason = texts[0], notes[0].reason
        items.append(
            Item(item_key(kind, texts), "check", kind, subject, reason, texts, fields, len(notes))
        )
    return items


# ---------------------------------------------------------------------------------------------------
# Flags on the published text


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return " ".join(f"…{before}[{text[start:end]}]{after}…".split())


def _labels(result: AnonymisedDocument) -> set[str]:
    return {
        f.replacement
        for f in result.all_findings()
        if f.entity_type == "PERSON" and f.layer == "known" and f.replacement
    }


_CHILDREN = {"son", "daughter", "child", "baby", "brother", "sister", "sibling"}
_CHILD_LABELS = {"child", "baby", "sibling", "young"}


def _fits(relation: str, label: str) -> bool:
    """Return True when a label can be that relation: "her mother, Maternal grandmother" (the
    grandmother is her mother), "her son, Child B"; not "his mother, Child A"."""
    words = {w.lower() for w in _WORD.findall(label)}
    relation = relation.replace("-", "").replace("half", "")
    if relation in _CHILDREN and words & _CHILD_LABELS:
        return True
    return any(relation in w.replace("-", "") for w in words)


def label_misuse(text: str, labels: set[str]) -> list[tuple[int, int, str, str]]:
    """Return (start, end, label, relation) where a label stands in apposition to another relation:
    "his mother, Child A", "Father's brother, Father" or "Child A, her brother"."""
    if not labels:
        return []
    names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    out = []
    patterns = (
        rf"\b(?:his|her|their|the|\w+['’]s)\s+(?P<rel>{RELATIONS})\s*,?\s+(?P<label>{names})\b",
        rf"\b(?P<label>{names})\s*,\s*(?:his|her|their)\s+(?P<rel>{RELATIONS})\b",
    )
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            label, relation = m.group("label"), m.group("rel").lower()
            if not _fits(relation, label):
                out.append((m.start(), m.end(), label, relation))
    return out


def doubled_phrases(text: str, original: str, replacements: set[str]) -> list[tuple[int, int, str]]:
    """Return (start, end, phrase) where a replacement stands twice within a few words ("the
    social worker as the social worker"), or a word is doubled that the author did not double."""
    out = []
    for phrase in sorted(replacements, key=len, reverse=True):
        if len(phrase) < 3:
            continue
        escaped = re.escape(phrase)
        # Within one sentence of one line: a heading and the paragraph under it may both name Baby Z.
        pattern = rf"(?<!\w){escaped}(?:[^\w.\n]+\w+){{0,3}}?[^\w.\n]+{escaped}(?!\w)"
        for m in re.finditer(pattern, text):
            out.append((m.start(), m.end(), phrase))
    authored = {m.group(1).lower() for m in re.finditer(r"\b(\w+)\s+\1\b", original, re.I)}
    for m in re.finditer(r"\b(\w+)\s+\1\b", text, re.IGNORECASE):
        if m.group(1).lower() not in authored:
            out.append((m.start(), m.end(), m.group(1)))
    return out


# A capitalised word after a lower-case word or a comma, not followed by another capitalised word
# ("Brackenford Homes" is a name of an organisation; "met Grace at" is worth a look).
_MID_SENTENCE_CAPITAL = re.compile(r"(?:\b[a-z][a-z'’]*|,) +([A-Z][a-z]{2,})\b(?! +[A-Z])")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def street_after_at(text: str, replacements: set[str]) -> list[tuple[int, int, str]]:
    """Return (start, end, replacement) where an address became a street after "at": "stayed at
    the family's street" (the street was all that was left of "14 Elm Road")."""
    out = []
    for phrase in replacements:
        if phrase.lower().endswith("street"):
            for m in re.finditer(rf"\bat\s+{re.escape(phrase)}\b", text):
                out.append((m.start(), m.end(), phrase))
    return out


_PLACEHOLDER_AFTER_ARTICLE = re.compile(r"\b(?:a|an)\s+(?:[a-z]+\s+)?Person\s+\d+\b")


def _flag(
    kind: str,
    subject: str,
    reason: str,
    where: str,
    context: str,
    finding: Finding | None = None,
) -> Item:
    return Item(
        item_key(kind, [subject]),
        "flag",
        kind,
        subject,
        reason,
        (subject,),
        (where,),
        1,
        context,
        finding.to_json() if finding else {},
    )


def _finding_for(findings: list[Finding], replacement: str) -> Finding | None:
    return next((f for f in findings if f.replacement == replacement), None)


def flag_items(result: AnonymisedDocument, policy_words: Iterable[str] = ()) -> list[Item]:
    """Return the flags raised on the published text, one per distinct string and kind."""
    from pipeline.anonymise.vocabulary import MONTHS, first_names, peoples, surnames

    labels = _labels(result)
    published = dict(result.document.text_fields())
    originals = dict(result.original.text_fields())
    kept_ok = {w.casefold() for p in policy_words for w in _WORD.findall(p)}
    kept_ok |= {
        w.casefold()
        for r in {f.replacement for f in result.all_findings()}
        for w in _WORD.findall(r)
    }
    names = first_names() | surnames()
    common = {m.lower() for m in MONTHS} | set(peoples()) | _WEEKDAYS
    items: dict[str, Item] = {}

    def add(item: Item) -> None:
        if item.key in items:
            old = items[item.key]
            items[item.key] = Item(
                old.key,
                old.category,
                old.kind,
                old.subject,
                old.reason,
                old.texts,
                tuple(dict.fromkeys([*old.fields, *item.fields])),
                old.count + 1,
                old.context,
                old.finding,
            )
        else:
            items[item.key] = item

    for name, text in published.items():
        found = result.findings.get(name, [])
        original = originals.get(name, "")
        replacements = {f.replacement for f in found if f.replacement}
        # (kind, start, end, the replacement it is about, why): flags found on the published text.
        spotted = [
            (
                "label given to someone else",
                start,
                end,
                label,
                f"“{label}” stands for someone the text calls “{relation}”: check who is meant, "
                "and replace it with the right label",
            )
            for start, end, label, relation in label_misuse(text, labels)
        ]
        spotted += [
            (
                "doubled phrase",
                start,
                end,
                phrase,
                f"“{phrase}” is doubled by a replacement and no longer reads: replace it with "
                "words that do",
            )
            for start, end, phrase in doubled_phrases(text, original, replacements)
        ]
        spotted += [
            (
                "replacement does not read",
                start,
                end,
                phrase,
                f"“at {phrase}” does not read (one stays at a home, not at a street): "
                "replace it with words that do, such as “at a relative's home”",
            )
            for start, end, phrase in street_after_at(text, replacements)
        ]
        spotted += [
            (
                "placeholder after “a”",
                m.start(),
                m.end(),
                re.search(r"Person\s+\d+", m.group()).group(),
                "a name placeholder after “a”: this was probably a thing (a car, a brand, a "
                "breed), not a person; keep the word, or replace it",
            )
            for m in _PLACEHOLDER_AFTER_ARTICLE.finditer(text)
        ]
        for kind, start, end, phrase, why in spotted:
            finding = _finding_for(found, phrase)
            subject = finding.text if finding else phrase
            add(_flag(kind, subject, why, name, _context(text, start, end), finding))
        for f in found:
            if _POSSESSIVE.search(f.text) and not _POSSESSIVE.search(f.replacement):
                add(
                    _flag(
                        "possessive swallowed",
                        f.text,
                        f"“{f.text}” became “{f.replacement}”: the possessive is lost, so the "
                        "sentence no longer reads",
                        name,
                        _context(original, f.start, f.end),
                        f,
                    )
                )
            elif (
                re.search(r"\d", f.text)
                and not re.search(r"\d", f.replacement)
                and f.entity_type not in _NUMBER_TYPES
            ):
                add(
                    _flag(
                        "number swallowed",
                        f.text,
                        f"“{f.text}” became “{f.replacement}”: a number went with the name; check "
                        "the sentence still says what it should",
                        name,
                        _context(original, f.start, f.end),
                        f,
                    )
                )
        for m in _MID_SENTENCE_CAPITAL.finditer(text):
            word = m.group(1)
            if word.casefold() in kept_ok or word.lower() not in names or word.lower() in common:
                continue
            add(
                _flag(
                    "kept word that looks like a name",
                    word,
                    f"“{word}” was kept, capitalised in mid-sentence, and is a first name or "
                    "surname: check it is not someone's name",
                    name,
                    _context(text, m.start(), m.end()),
                )
            )
    return list(items.values())


def checklist(result: AnonymisedDocument, policy_words: Iterable[str] = ()) -> list[Item]:
    """Return every item the reviewer decides: flags first (they change the text), then checks."""
    return [*flag_items(result, policy_words), *note_items(result)]
