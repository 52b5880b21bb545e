"""Views of a text that detection reads, each with a map back to the original characters.

A name can hide from a plain search in many ways: full-width or look-alike letters, zero-width
characters, non-breaking spaces, accents, or Markdown emphasis splitting it (`**Jay**den`). Detection runs
on a *clean view* with all of that undone, and every span found there maps back to the original text so
the replacement lands on the characters the author wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# Cyrillic and Greek letters that look like Latin ones (the common confusables used to dodge filters).
HOMOGLYPHS: dict[str, str] = {
    **dict(zip("АВЕЅІЈКМНОРСТХУаеіјорсхуѕԁһӏ", "ABESIJKMHOPCTXYaeijopcxysdhl", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοιϲνυκ", "ABEZHIKMNOPTYXaoicvuk", strict=True)),
    "ı": "i",
    "ℓ": "l",
}
# Markdown characters that never belong to a word: removed from the clean view so `**Jay**den` reads
# "Jayden". `_` is removed only next to a word edge (emphasis), not inside `snake_case`.
MARKUP = frozenset("*`~\\")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
_SPACE_LIKE = frozenset("\t\n\r\f\v")


@dataclass(frozen=True)
class TextView:
    """A transformed copy of `original` and, for each of its characters, the original index."""

    original: str
    text: str
    origin: tuple[int, ...] | None  # None: the view is the original, character for character

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original `(start, end)` of the view's `[start, end)`."""
        if self.origin is None:
            return start, end
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


@cache
def _fold_char(ch: str) -> str:
    """Return what one character becomes in the clean view (possibly nothing or several)."""
    if ch in HOMOGLYPHS:
        return HOMOGLYPHS[ch]
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width spaces and joiners, soft hyphens, direction marks
        return ""
    if category in ("Zs", "Zl", "Zp"):
        return " "
    if ch in _SPACE_LIKE:
        return ch
    out = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.category(part) == "Mn":  # accents: "Zoë" and "Zoe" are one name
            continue
        out.append(HOMOGLYPHS.get(part, part))
    return "".join(out)


def clean_view(text: str, *, markdown: bool = True) -> TextView:
    """Return the view detection reads: Unicode folded and, if `markdown`, emphasis markup removed."""
    if not markdown and text.isascii():
        return TextView(text, text, None)
    dropped: set[int] = set()
    if markdown:
        dropped = {i for i, ch in enumerate(text) if ch in MARKUP}
        for match in _EMPHASIS_UNDERSCORE.finditer(text):
            dropped.update(range(match.start(), match.end()))
    if not dropped and text.isascii():
        return TextView(text, text, None)
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if index in dropped:
            continue
        folded = ch if ch.isascii() else _fold_char(ch)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return TextView(text, "".join(chars), tuple(origin))


def collapsed_view(text: str) -> TextView:
    """Return the clean view with every run of whitespace and link/table punctuation made one space."""
    base = clean_view(text)
    chars: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, ch in enumerate(base.text):
        is_space = ch.isspace() or ch in "[]()|#>"
        if is_space and previous_space:
            continue
        chars.append(" " if is_space else ch)
        origin.append(base.origin[index] if base.origin is not None else index)
        previous_space = is_space
    return TextView(text, "".join(chars), tuple(origin))
