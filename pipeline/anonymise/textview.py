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
from itertools import compress

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


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MARKUP_RUN = re.compile("[" + re.escape("".join(sorted(MARKUP))) + "]+")


def clean_view(text: str, *, markdown: bool = True) -> TextView:
    """Return the view detection reads: Unicode folded and, if `markdown`, emphasis markup removed."""
    ascii_only = text.isascii()
    if not markdown and ascii_only:
        return TextView(text, text, None)
    keep = bytearray(b"\x01") * len(text)
    if markdown:
        for pattern in (_MARKUP_RUN, _EMPHASIS_UNDERSCORE):
            for match in pattern.finditer(text):
                keep[match.start() : match.end()] = bytes(match.end() - match.start())
    if ascii_only:
        if keep.count(0) == 0:
            return TextView(text, text, None)
        # This runs on every text the pipeline reads: C-speed selection, not a loop per character.
        return TextView(text, "".join(compress(text, keep)), tuple(compress(range(len(text)), keep)))
    chars: list[str] = []
    origin: list[int] = []
    position = 0
    # ASCII runs are copied in bulk; only the (few) other characters are folded one by one.
    for match in _NON_ASCII.finditer(text):
        index = match.start()
        run = keep[position:index]
        chars.append("".join(compress(text[position:index], run)))
        origin.extend(compress(range(position, index), run))
        if keep[index]:
            folded = _fold_char(text[index])
            chars.append(folded)
            origin.extend([index] * len(folded))
        position = index + 1
    run = keep[position:]
    chars.append("".join(compress(text[position:], run)))
    origin.extend(compress(range(position, len(text)), run))
    return TextView(text, "".join(chars), tuple(origin))


_GAP = re.compile(r"[\s\[\]()|#>]+")


def collapsed_view(text: str, base: TextView | None = None) -> TextView:
    """Return the clean view with every run of whitespace and link/table punctuation made one space.

    A run that holds a line break becomes one line break, so what reads a line at a time (is this
    line in capitals?) reads the same lines as in the clean view.
    """
    base = base or clean_view(text)
    source = base.text
    chars: list[str] = []
    origin: list[int] = []
    position = 0
    for gap in _GAP.finditer(source):
        chars.append(source[position : gap.start()])
        origin.extend(range(position, gap.start()))
        chars.append("\n" if "\n" in gap.group() else " ")
        origin.append(gap.start())
        position = gap.end()
    chars.append(source[position:])
    origin.extend(range(position, len(source)))
    if base.origin is not None:
        origin = [base.origin[i] for i in origin]
    return TextView(text, "".join(chars), tuple(origin))
