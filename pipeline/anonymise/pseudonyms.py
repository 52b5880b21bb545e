"""Pseudonyms a text declares: "a baby boy, who we shall call Stephen", "Jody (pseudonym)".

Published reviews name a child "by a letter or agreed pseudonym" (DOMAIN.md), and a first name
chosen for the review is declared as one in the text itself. Such a name is the publisher's label,
like "Child A": it is kept wherever it stands in the document, and every one goes on the reviewer's
check list, so nothing is published on the author's word alone (the approval waits for a decision).

Only a declaration in so many words counts: a clause whose subject is the review or its writer
("who we shall call", "referred to in this review as"), the word "pseudonym" beside the name, or
"not her real name". "Was given the name Tom" or "known as Tom" declare nothing: a baby is given
their real name, and "known as" introduces a nickname. A name a listed person bears is never kept
this way (`declared_pseudonyms` drops it, and the listed layer is applied whatever this says).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.anonymise.public import LITTLE_WORDS

# One capitalised name, quoted or not, after a label's word or not: "Stephen", "'Holly'",
# "Baby Mary-Jane", "O'Neill". In "the pseudonym 'Child J'" the name is "J", which is too short.
_NAME = (
    r"[\"“‘']?(?:(?:Child|Baby|Infant|Young\s+Person)\s+)?"
    r"([A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)*)[\"”’']?"
)
_WRITER = (
    r"(?:we|I|the\s+(?:review(?:er|ers)?|authors?|report|panel|partnership|author)"
    r"|this\s+(?:review|report|briefing|brief|summary))"
)
_HERE = (
    r"(?:here(?:after)?|hereafter|throughout|below"
    r"|(?:in|for|throughout)\s+(?:this|the)\s+(?:review|report|briefing|brief|summary|document"
    r"|learning\s+brief(?:ing)?|practice\s+review)"
    r"|for\s+the\s+purposes?\s+of\s+(?:this|the)\s+(?:review|report|briefing|brief|summary))"
)
_DECLARATIONS = (
    # "who we shall call Stephen", "whom the review will refer to as Holly", "which we have named Ava"
    re.compile(
        rf"\b(?:who|whom|which|that)\s+{_WRITER}\s+(?:(?:will|shall|have|has|had|would|'ll|’ll)\s+)?"
        rf"(?:(?:chosen|decided|agreed)\s+to\s+)?(?:call|calls|called|name|names|named"
        rf"|refer\s+to\s+as|refers\s+to\s+as|referred\s+to\s+as)\s+{_NAME}"
    ),
    # "referred to in this review as Ella", "called Ella for the purposes of this review"
    re.compile(rf"\b(?:referred\s+to|known|called|named)\s+{_HERE}\s+as\s+{_NAME}"),
    re.compile(rf"\b(?:referred\s+to\s+as|called|named)\s+{_NAME}\s+{_HERE}"),
    # "the pseudonym 'Holly'", "a pseudonym of Ava", "the pseudonym, Jack,"
    re.compile(rf"\bpseudonym,?\s+(?:of\s+)?{_NAME}"),
    # "Jody (pseudonym)", "Jody (not her real name)", "Jody* (a pseudonym)"
    re.compile(
        rf"{_NAME}\*?\s*\((?:a\s+|the\s+)?(?:pseudonym|not\s+(?:his|her|their|the\s+child['’]s)"
        rf"\s+real\s+name|name\s+changed)"
    ),
    # "Jody is a pseudonym", "Jody, not his real name,"
    re.compile(
        rf"{_NAME},?\s+(?:is\s+(?:a|the)\s+pseudonym|(?:is\s+)?not\s+(?:his|her|their)\s+real\s+name)"
    ),
)
# "Amy, Ben and Cal (pseudonyms)": every name of the list.
_LIST = re.compile(
    r"((?:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*,?\s+)+(?:and|&)\s+[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*)"
    r"\s*\((?:all\s+|are\s+)?pseudonyms\b"
)


def declared_pseudonyms(texts: Iterable[str], listed_words: Iterable[str] = ()) -> frozenset[str]:
    """Return the names the texts declare as pseudonyms, less any a listed person bears."""
    listed = {w.casefold() for w in listed_words}
    found: set[str] = set()
    for text in texts:
        for pattern in _DECLARATIONS:
            found.update(m.group(1) for m in pattern.finditer(text))
        for m in _LIST.finditer(text):
            found.update(re.findall(r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*", m.group(1)))
    return frozenset(
        name
        for name in found
        if len(name) > 1 and name.casefold() not in listed and name.lower() not in LITTLE_WORDS
    )


def pseudonym_spans(text: str, names: frozenset[str]) -> list[tuple[int, int]]:
    """Return where the declared pseudonyms stand in `text`, each a whole word as written."""
    if not names:
        return []
    pattern = r"(?<![^\W_])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return [m.span() for m in re.finditer(pattern + r")(?![^\W_])", text)]
