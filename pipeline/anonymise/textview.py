"""Views of a text that detection reads, each with a map back to the original characters.

A name can hide from a plain search in many ways: full-width or look-alike letters, zero-width
characters, non-breaking spaces, accents, Markdown emphasis splitting it (`**Jay**den`), or its
letters spaced out (`J a y d e n`). Detection runs
on a *clean view* with all of that undone, and every span found there maps back to the original text so
the replacement lands on the characters the author wrote.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
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
    origin: Sequence[int] | None  # None: the view is the original, character for character

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
# Four or more single letters one space apart: a word written letter-spaced to dodge a search.
_LETTER_SPACED = re.compile(r"(?<![^\W\d_])[^\W\d_](?: [^\W\d_]){3,}(?![^\W\d_])")
_MARKUP_RUN = re.compile("[" + re.escape("".join(sorted(MARKUP))) + "]+")


@lru_cache(maxsize=16)  # the leak gate reads one text with every review's identifiers
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
    if " " in text:
        for match in _LETTER_SPACED.finditer(text):  # "J a y d e n" reads "Jayden"
            for index in range(match.start() + 1, match.end(), 2):
                keep[index] = 0
    if ascii_only:
        if keep.count(0) == 0:
            return TextView(text, text, None)
        # This runs on every text the pipeline reads: C-speed selection, not a loop per character.
        return TextView(
            text, "".join(compress(text, keep)), tuple(compress(range(len(text)), keep))
        )
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


def collapsed_view(text: str) -> TextView:
    """Return the view the leak gate reads: the clean view of `text` with its HTML character
    references decoded (`J&#97;yden` is what a browser and Word show as "Jayden"), underscores
    dropped (`_Jay_den`), and every run of whitespace and link/table punctuation made one space.

    The map back to `text` is made only if a span is asked for: the gate reads whole sites, and
    a clean file never needs it.
    """
    decoded, decoded_origin = _decode_entities(text)
    base = clean_view(decoded)
    # Each run of gap characters, in three C-speed passes: a run holding a line break becomes one
    # (what reads a line at a time, "is this line in capitals?", must read the lines detection
    # did); a run of underscores alone goes; any other run becomes a space.
    collapsed = _GAP_WITH_BREAK.sub("\n", base.text)
    collapsed = _GAP_SPACE.sub(" ", collapsed)
    collapsed = collapsed.replace("_", "")
    return TextView(text, collapsed, _LazyOrigin(lambda: _collapsed_origin(base, decoded_origin)))


def _collapsed_origin(base: TextView, decoded_origin: list[int] | None) -> list[int]:
    """Return, for each character of the collapsed view of `base`, its index in the original."""
    origin: list[int] = []
    last = 0
    for run in _GATE_GAP.finditer(base.text):
        origin.extend(range(last, run.start()))
        gap = run.group().replace("_", "")
        if gap:
            origin.append(run.start() + run.group().index(gap[0]))
        last = run.end()
    origin.extend(range(last, len(base.text)))
    for outer in (base.origin, decoded_origin):
        if outer is not None and origin:
            origin = [outer[i] for i in origin]
    return origin


class _LazyOrigin:
    """A view's map back to the original, made on first use."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], list[int]]) -> None:
        self._make: Callable[[], list[int]] | None = make
        self._value: list[int] = []

    def _get(self) -> list[int]:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value

    def __getitem__(self, index: int) -> int:
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())


_GATE_GAP = re.compile(r"[\s\[\]()|#>_]+")
_GAP_WITH_BREAK = re.compile(r"[\s\[\]()|#>_]*\n[\s\[\]()|#>_]*")
# Every character `\s` matches but the line break (all lie below U+3001).
_SPACES = re.escape("".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n"))
_GAP_SPACE = re.compile(rf"[{_SPACES}\[\]()|#>_]*[{_SPACES}\[\]()|#>][{_SPACES}\[\]()|#>_]*")


# Decimal, hexadecimal and named character references, as HTML (and Markdown) writes them.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")


def _decode_entities(text: str) -> tuple[str, list[int] | None]:
    """Return `text` with character references decoded and, for each character, its index in
    `text` (None when nothing was decoded)."""
    if "&" not in text:
        return text, None
    chars: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _ENTITY.finditer(text):
        decoded = html.unescape(match.group())
        if decoded == match.group():
            continue
        chars.append(text[last : match.start()])
        origin.extend(range(last, match.start()))
        chars.append(decoded)
        origin.extend([match.start()] * len(decoded))
        last = match.end()
    if not origin and last == 0:
        return text, None
    chars.append(text[last:])
    origin.extend(range(last, len(text)))
    return "".join(chars), origin
