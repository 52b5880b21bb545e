"""Views of a text that detection reads, each with a map back to the original characters.

A name can hide from a plain search in many ways: full-width or look-alike letters, zero-width
characters, non-breaking spaces, accents, Markdown emphasis or an empty link splitting it
(`**Jay**den`, `Jay[](x)den`), its letters spelt out (`J a y d e n`, `J-A-Y-D-E-N`, `J.A.Y.D.E.N.`),
or a number written with dashes that are not ASCII (`999–486–4882`). Detection runs on a *clean view*
with all of that undone, and every span found there maps back to the original text so the
replacement lands on the characters the author wrote. The leak gate (approval and the site-wide
check alike) also reads the *collapsed view*, which decodes what a browser decodes: HTML character
references, percent-encoding and punycode in link addresses.
"""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress, pairwise

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
    if category in ("Zs", "Zl", "Zp"):  # figure, thin and narrow no-break spaces among them
        return " "
    if _is_dash(ch, category):
        return "-"
    if ch in _SPACE_LIKE:
        return ch
    out = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.category(part) == "Mn":  # accents: "Zoë" and "Zoe" are one name
            continue
        out.append(HOMOGLYPHS.get(part, part))
    return "".join(out)


def _is_dash(ch: str, category: str) -> bool:
    """Return True for a dash, hyphen or minus sign: each reads as "-" (an NHS number pasted from a
    letter has en dashes, a spreadsheet's has minus signs). Unicode's own data decides: the dash
    punctuation category (Pd: en and em dashes, the non-breaking hyphen, ...) and the symbols and
    punctuation whose names say hyphen or minus (U+2212 MINUS SIGN is a maths symbol, Sm)."""
    if category == "Pd":
        return True
    if category[0] not in "PS":
        return False
    name = unicodedata.name(ch, "")
    return "HYPHEN" in name or "MINUS" in name


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Four or more single letters, each apart from the next by a run of spaces or punctuation: a word
# spelt out, as case records spell names (`A-Y-A-A-N`, `A.Y.A.A.N.`, `A  Y  A  A  N`), read as the
# word (see `_spelt_out`). The gaps are removed from the clean view.
_LETTER_RUN = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[\W_]+[^\W\d_]){3,}(?![^\W\d_])")
_LETTER = re.compile(r"[^\W\d_]")
_MARKUP_RUN = re.compile("[" + re.escape("".join(sorted(MARKUP))) + "]+")
# A link or reference with no text shows nothing: `Ru[](https://x)by` reads "Ruby" on the page.
_EMPTY_LINK = re.compile(r"\[\s*\](?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\[\]\n]*\])")


def _gap_kind(gap: str) -> tuple[str, bool]:
    """Return what tells one gap between spelt-out letters from another: its punctuation, and
    whether it has space (`"-"` and `" - "` are one kind; `"  "`, `" "` and a non-breaking space
    another; `"."` and `". "` two)."""
    return "".join(c for c in gap if not c.isspace()), any(c.isspace() for c in gap)


def _spelt_out(
    text: str, start: int, end: int, last_apart: bool = False
) -> Iterator[tuple[int, int]]:
    """Yield `(first letter, last letter)` of each word spelt out in a run of single letters: four
    letters or more. A change to or from a gap of punctuation and space ends a word, so the word
    after it stays apart ("A-Y-A-A-N: a review" reads "AYAAN: a review"); so does a lower-case
    letter at either end of capitals ("A Y A A N a" reads "AYAAN a")."""
    letters = [m.start() for m in _LETTER.finditer(text, start, end)]
    kinds = [_gap_kind(text[a + 1 : b]) for a, b in pairwise(letters)]

    def ends_word(i: int) -> bool:
        # Gap i ends a word where the gap changes and either side of the change is punctuation
        # with space (": ", ". "), as between sentences or before a title's rest. Other changes
        # ("A-Y A.A  N", a typist's or a paste's mix) stay inside the word: fail closed.
        strong = [bool(kinds[j][0]) and kinds[j][1] for j in (i - 1, i)]
        return kinds[i] != kinds[i - 1] and any(strong)

    first = 0
    while first < len(kinds):
        last = first  # letters first..last + 1 are a word
        while last + 1 < len(kinds) and not ends_word(last + 1):
            last += 1
        word = letters[first : last + 2]
        while len(word) > 4 and text[word[-1]].islower() and text[word[-2]].isupper():
            word = word[:-1]
        while len(word) > 4 and text[word[0]].islower() and text[word[1]].isupper():
            word = word[1:]
        if last_apart and len(word) > 4 and text[word[-1]].islower():
            word = word[:-1]  # "j a y d e n a dog": the last letter may be the word "a"
        if len(word) >= 4:
            yield word[0], word[-1]
        first = last + 1


def has_spelt_out(text: str) -> bool:
    """Return True when `text` holds a run of four or more single letters (a word spelt out)."""
    return _LETTER_RUN.search(text) is not None


@lru_cache(maxsize=16)  # the leak gate reads one text with every review's identifiers
def clean_view(text: str, *, markdown: bool = True, last_apart: bool = False) -> TextView:
    """Return the view detection reads: Unicode folded and, if `markdown`, emphasis markup removed.

    With `last_apart`, a word spelt out in lower case leaves its last letter apart: in
    "j a y d e n a dog" that letter may be the word "a", so the leak gate reads it both ways."""
    ascii_only = text.isascii()
    if not markdown and ascii_only:
        return TextView(text, text, None)
    keep = bytearray(b"\x01") * len(text)
    if markdown:
        for pattern in (_MARKUP_RUN, _EMPHASIS_UNDERSCORE, _EMPTY_LINK):
            for match in pattern.finditer(text):
                keep[match.start() : match.end()] = bytes(match.end() - match.start())
    for match in _LETTER_RUN.finditer(text):  # "J a y d e n", "J-A-Y-D-E-N" read "Jayden"
        for first, last in _spelt_out(text, match.start(), match.end(), last_apart):
            for index in range(first + 1, last):
                if not text[index].isalpha():
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


def page_reading(text: str) -> str:
    """Return `text` as the site's leak gate reads a page's text: ligatures and odd spaces folded
    (NFKC) and every run of whitespace one space, so split names still match."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text))


_WHITESPACE = re.compile(r"\s+")


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


# Decimal, hexadecimal and named character references, as HTML (and Markdown) writes them; runs of
# percent-escapes, as URLs write them; punycode host names (`xn--...`), as IDNA writes them.
_ESCAPE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"
    r"|(?:%[0-9A-Fa-f]{2})+"
    r"|(?<![\w-])xn--[A-Za-z0-9-]+"
)
_MAY_ESCAPE = re.compile(r"[&%]|xn--", re.IGNORECASE)
# `%2541` is `%41` decoded once and "A" twice; a reader (or a server) may decode more than once.
_DECODE_ROUNDS = 4


def _decode_one(escape: str) -> str:
    if escape[0] == "&":
        return html.unescape(escape)
    if escape[0] == "%":
        return urllib.parse.unquote(escape, errors="replace")
    try:
        return escape.encode("ascii").decode("idna")
    except UnicodeError:
        return escape


def _decode_entities(text: str) -> tuple[str, list[int] | None]:
    """Return `text` with what a browser decodes decoded (character references, percent-escapes,
    punycode), again until nothing changes, and for each character its index in `text` (None when
    nothing was decoded)."""
    origin: list[int] | None = None
    for _ in range(_DECODE_ROUNDS):
        decoded, step = _decode_round(text)
        if step is None:
            break
        origin = step if origin is None else [origin[i] for i in step]
        text = decoded
    return text, origin


def _decode_round(text: str) -> tuple[str, list[int] | None]:
    if _MAY_ESCAPE.search(text) is None:
        return text, None
    chars: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _ESCAPE.finditer(text):
        decoded = _decode_one(match.group())
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
