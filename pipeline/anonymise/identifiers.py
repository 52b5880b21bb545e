"""Layer one: every identifier the author listed, with the variants it may be written in.

`identifier_set(entry)` reads the people, places and numbers of a review (or a brief's deny list and
the reviews it draws on) and compiles every variant into two regular expressions shaped as tries: one
search per text, however many identifiers there are. A match maps back to the identifier it came from
through a canonical key (letters and digits only, lower case).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import ahocorasick

from pipeline.anonymise.textview import TextView, clean_view
from pipeline.anonymise.vocabulary import (
    ABBREVIATIONS_TOO,
    FUNCTION_WORDS,
    MONTHS,
    NAME_PARTICLES,
    NICKNAMES,
    SHORT_WORDS,
    STREET_TYPES,
    TITLE_PATTERN,
    first_names,
    is_acronym,
    is_ambiguous_name,
    is_dictionary_word,
    is_name_word,
    is_ordinary_word,
    is_role_abbreviation,
    is_work_abbreviation,
    mostly_capitals,
    safeguarding_words,
)
from pipeline.anonymise.wordsense import (
    is_abbreviation_use,
    is_rating,
    names_someone,
    person_stands,
)
from pipeline.content.model import PlaceKind, Review
from pipeline.content.project import BriefEntry, Project, ReviewEntry

# Separators a variant tolerates between its parts, by kind of part (searched in the clean view, where
# every dash, hyphen and minus sign is "-" and every space " "). Between the digits of a number or
# the parts of a date, any run of spaces and punctuation: thousands separators (`9,994,864,882`,
# `9'994'864'882`), dots, slashes, brackets, and whatever else a spreadsheet or a letter uses.
NAME_SEP = r"[\s.'’‘\-–]*"
NUMBER_SEP = r"[\W_]*"
ADDRESS_SEP = r"[\s.,'’‘\-–]*"
DATE_SEP_REQUIRED = r"[\W_]+"
DATE_SEP = r"[\W_]*"
WORD_START = r"(?<![^\W_])"
# Any form may follow a title or two ("Ms Smith", "MRS SMITH", "Dr. Okafor", "Det Sgt Evans"): the
# titles are part of the mention and replaced with it.
TITLE_PREFIX = rf"(?:{TITLE_PATTERN}\s+){{0,2}}"
_TITLE = re.compile(TITLE_PREFIX, re.IGNORECASE)
WORD_END = r"(?![^\W_])"

REMOVED_KINDS = frozenset(
    {"nhs_number", "ni_number", "phone", "email", "date_of_birth", "reference", "postcode", "deny"}
)
NUMBER_KINDS = frozenset({"nhs_number", "ni_number", "phone", "postcode", "reference"})
GENERIC_PLACE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """primary infant junior secondary high school academy college nursery pre-school preschool
    surgery medical centre center practice health hospital infirmary general district royal children's
    childrens home house road street lane avenue close drive way court estate park the of and st
    community unit ward group partnership church c of e ce rc catholic""",
    )
)


@dataclass(frozen=True)
class KnownIdentifier:
    """One listed identifier: what it is, where it was listed, and what replaces it."""

    text: str
    kind: str  # person, place, address, postcode, nhs_number, ni_number, phone, email, date_of_birth, reference, deny
    label: str
    source: str  # the field it was listed in, e.g. "people[0].names[0]"
    review_id: str
    entity_type: str  # PERSON, LOCATION, ADDRESS, ...
    sex: str = ""  # people: "female", "male" or "" (titles narrow down who "Ms Yusuf" is)
    role: str = ""  # people: their role in review.yaml ("child", "parent", "professional", ...)

    @property
    def adult(self) -> bool:
        """Return False for a child, whom titles do not name."""
        return self.role not in ("child", "sibling", "other_child")


@dataclass(frozen=True)
class Variant:
    """One written form of a known identifier, e.g. "Ms Smith" for "Jane Smith"."""

    form: str
    identifier: KnownIdentifier
    description: str
    case_sensitive: bool = False
    literal: bool = False  # match character for character (initials: "J.S." must keep its dots)


@dataclass(frozen=True)
class IdentifierMatch:
    """A known identifier found in a text (offsets in the original text)."""

    start: int
    end: int
    text: str
    variant: Variant
    shared_with: tuple[KnownIdentifier, ...] = ()  # others this form names (best fitting first)
    shared: bool = False  # True when the form fits several people equally well ("Yusuf")

    @property
    def identifier(self) -> KnownIdentifier:
        return self.variant.identifier

    @property
    def candidates(self) -> tuple[KnownIdentifier, ...]:
        """Return every identifier this form could name, the best fitting first."""
        return (self.identifier, *self.shared_with)


_NOT_ALNUM = re.compile(r"[\W_]+")


def canonical(text: str) -> str:
    """Return the key a variant and a match share: letters and digits only, lower case."""
    return _NOT_ALNUM.sub("", text.lower())  # `[\W_]` is exactly "not str.isalnum()"


@dataclass
class _Trie:
    children: dict[str, _Trie] = field(default_factory=dict)
    terminal: bool = False

    def add(self, atoms: list[str]) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie())
        node.terminal = True

    def pattern(self) -> str:
        if not self.children:
            return ""
        branches = [atom + child.pattern() for atom, child in sorted(self.children.items())]
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if self.terminal:
            return f"(?:{body})?"
        return body


def _atoms(form: str, kind: str, literal: bool = False) -> list[str]:
    """Split a variant into regex atoms joined by the separators its kind tolerates."""
    folded = clean_view(form, markdown=False).text
    if literal:
        return [r"\s+" if ch.isspace() else re.escape(ch) for ch in folded]
    if kind == "email":
        return [re.escape(ch) for ch in folded]
    if kind in NUMBER_KINDS:
        chars = [ch for ch in folded if ch.isalnum()]
        atoms: list[str] = [r"(?:\+\s?|\(\s?)?"] if kind == "phone" else []
        for index, ch in enumerate(chars):
            if index:
                atoms.append(NUMBER_SEP)
            atoms.append(re.escape(ch))
        return atoms
    tokens = re.findall(r"[^\W_]+", folded)
    atoms = []
    for index, token in enumerate(tokens):
        if index:
            previous = tokens[index - 1]
            if kind == "date_of_birth":
                both_digits = previous[-1].isdigit() and token[0].isdigit()
                atoms.append(DATE_SEP_REQUIRED if both_digits else DATE_SEP)
            elif kind in ("address", "place", "street", "town"):
                atoms.append(ADDRESS_SEP)
            else:
                atoms.append(NAME_SEP)
        atoms.extend(re.escape(ch) for ch in token)
    return atoms


@dataclass(frozen=True)
class PlacePhrases:
    """The phrases listed places get when a part of them is all that is written."""

    removed: str = "[removed]"
    family_home: str = "the family home"
    place: str = "[place]"


class IdentifierSet:
    """Every known identifier of a review (or brief) and one compiled search over all their variants."""

    def __init__(
        self,
        review_id: str,
        identifiers: Iterable[KnownIdentifier],
        allowed: Iterable[str] = (),
        phrases: PlacePhrases | None = None,
    ) -> None:
        self.review_id = review_id
        self.phrases = phrases or PlacePhrases()
        self.identifiers: tuple[KnownIdentifier, ...] = tuple(
            dict.fromkeys(
                part
                for i in identifiers
                for part in (address_identifiers(i, self.phrases) if i.kind == "address" else (i,))
            )
        )
        self.allowed = frozenset(canonical(a) for a in allowed)
        self.variants: tuple[Variant, ...] = tuple(
            _dedupe(
                v
                for i in self.identifiers
                for v in variants_of(i)
                if v.description == "as listed" or _canonical_form(v.form) not in self.allowed
            )
        )

    def __len__(self) -> int:
        return len(self.identifiers)

    @classmethod
    def combined(cls, review_id: str, sets: Iterable[IdentifierSet]) -> IdentifierSet:
        """Return one set searching every variant of `sets` at once (one compiled pattern)."""
        sets = list(sets)
        out = object.__new__(cls)
        out.review_id = review_id
        out.phrases = sets[0].phrases if sets else PlacePhrases()
        out.identifiers = tuple(i for s in sets for i in s.identifiers)
        out.allowed = frozenset().union(*(s.allowed for s in sets))
        out.variants = tuple(v for s in sets for v in s.variants)
        return out

    @cached_property
    def role_initials(self) -> dict[str, str]:
        """Return the listed people's bare initials that are a role's abbreviation ("GP"), by label:
        never matched ("told GP that" is the practice), so the report asks the reviewer instead."""
        out: dict[str, str] = {}
        for identifier in self.identifiers:
            if identifier.kind == "person":
                for chosen in _initials_choices(identifier.text.strip()):
                    if _bare_initials("".join(chosen)) is None:
                        out.setdefault("".join(chosen), identifier.label)
        return out

    @cached_property
    def abbreviation_initials(self) -> dict[str, str]:
        """Return the listed people's initials that are also an abbreviation ("LA", "MP"), by label:
        matched only where they read as the person, so where kept the report asks the reviewer."""
        out: dict[str, str] = {}
        for variant in self.variants:
            if variant.description in (_WORK_INITIALS, _ACRONYM_INITIALS):
                out.setdefault(variant.form, variant.identifier.label)
        return out

    @cached_property
    def fingerprint(self) -> str:
        """Return a hash of every form searched for: equal fingerprints find the same things."""
        digest = hashlib.sha256()
        for line in sorted(
            f"{v.form}\x1f{v.case_sensitive}\x1f{v.literal}\x1f{v.identifier.kind}\x1f"
            f"{v.identifier.label}\x1f{v.identifier.review_id}\x1f{v.description}"
            for v in self.variants
        ):
            digest.update(line.encode("utf-8") + b"\n")
        return digest.hexdigest()

    def without_bare_initials(self) -> IdentifierSet:
        """Return every form but bare capital initials ("GO", "WE", "SA").

        Detection and the document gate judge those in the author's own lines (a line in capitals
        makes "WE" a word); a site file's text has other lines, language tags ("ar-SA") and file
        sizes, so the site gate leaves them to the document gate.
        """
        return self._with_variants(
            v for v in self.variants if not (v.literal and "." not in v.form)
        )

    def distinctive(self) -> IdentifierSet:
        """Return the forms that identify someone wherever they appear, whichever review it is.

        Another review's page may say "35 KB", "Hope" or "2 April 2023" innocently; it may not say
        "Kasia Nowak", "Larkspur Close" or an NHS number. The site-wide gate looks for these forms
        of every review in every file, and for all forms of a review in that review's own files.
        """
        return self._with_variants(v for v in self.variants if _distinctive(v))

    def _with_variants(self, variants: Iterable[Variant]) -> IdentifierSet:
        """Return this set searching only `variants` (its identifiers shared, not copied)."""
        out = object.__new__(IdentifierSet)
        out.review_id, out.phrases = self.review_id, self.phrases
        out.identifiers, out.allowed = self.identifiers, self.allowed
        out.variants = tuple(variants)
        return out

    def __or__(self, other: IdentifierSet) -> IdentifierSet:
        return IdentifierSet(
            self.review_id,
            [*self.identifiers, *other.identifiers],
            self.allowed | other.allowed,
            self.phrases,
        )

    @cached_property
    def labels(self) -> frozenset[str]:
        """Return the published labels, which must never count as identifiers themselves."""
        return frozenset(i.label for i in self.identifiers)

    @cached_property
    def _by_key(self) -> dict[tuple[bool, str], list[Variant]]:
        table: dict[tuple[bool, str], list[Variant]] = {}
        for variant in self.variants:
            key = (variant.case_sensitive, _key(variant))
            table.setdefault(key, []).append(variant)
        for variants in table.values():  # a form shared by two people goes to the one it fits best
            variants.sort(key=_priority)
        return table

    @cached_property
    def _patterns(self) -> tuple[tuple[bool, str | None, re.Pattern[str]], ...]:
        """Return the compiled searches: by case sensitivity, and e-mail addresses apart.

        A regular expression's alternation takes the first branch that matches, not the longest, so
        a name written like the start of an e-mail address ("lotte.bakker") would hide the address;
        searching e-mail addresses on their own finds both. Each search comes with a character
        every form it finds contains ("@" for e-mail addresses), or None.
        """
        return self._compile(titles=True)

    @cached_property
    def _gate_patterns(self) -> tuple[tuple[bool, str | None, re.Pattern[str]], ...]:
        """Return the searches without the optional titles in front: the gate needs to know that
        a form is there, not where its mention starts ("Ms Smith" still holds "Smith"), and the
        titles make every word start slower to try."""
        return self._compile(titles=False)

    def _compile(self, titles: bool) -> tuple[tuple[bool, str | None, re.Pattern[str]], ...]:
        compiled: list[tuple[bool, str | None, re.Pattern[str]]] = []
        for sensitive in (False, True):
            for emails in (False, True):
                trie = _Trie()
                forms = []
                for variant in self.variants:
                    kind = variant.identifier.kind
                    if variant.case_sensitive is sensitive and (kind == "email") is emails:
                        form = variant.form if sensitive else variant.form.lower()
                        forms.append(clean_view(form, markdown=False).text)
                        trie.add(_atoms(form, kind, variant.literal))
                body = trie.pattern()
                if body:
                    flags = 0 if sensitive else re.IGNORECASE
                    prefix = TITLE_PREFIX if titles and not emails else ""
                    pattern = re.compile(f"{WORD_START}{prefix}(?:{body}){WORD_END}", flags)
                    needs = "@" if emails and all("@" in f for f in forms) else None
                    compiled.append((sensitive, needs, pattern))
        return tuple(compiled)

    def find(self, text: str) -> list[IdentifierMatch]:
        """Return every variant found in `text`, searched on its clean view and on the raw text."""
        found: dict[tuple[int, int], IdentifierMatch] = {}
        for view in _search_views(text):
            for match in self.find_in_view(view):
                found.setdefault((match.start, match.end), match)
        return sorted(found.values(), key=lambda m: (m.start, -m.end))

    _is_subset = False

    def narrowed(self, texts: Iterable[str]) -> IdentifierSet:
        """Return this set cut down to the forms that can occur in `texts`, for `find` on them.

        A form is kept when its letters and digits occur in order in one of the views `find` reads
        (every match's do, as in `find_in_view`'s gate), so the search compiled for a review holds
        only the forms it mentions, not every variant of every listed detail.
        """
        keys = {
            key for text in texts for view in _search_views(text) for key in self._keys_in(view)
        }
        return self._with_keys(keys)

    def _keys_in(self, view: TextView) -> frozenset[str]:
        """Return the keys (forms' letters and digits, lower case) that occur in `view`."""
        automaton = self._keys
        if not len(automaton):
            return frozenset()
        return frozenset(key for _, key in automaton.iter(_prefilter(view.text)))

    def _with_keys(self, keys: Iterable[str]) -> IdentifierSet:
        """Return this set searching only the forms with these keys."""
        table = self._by_prefilter
        indexes = sorted(i for key in keys for i in table[key])
        return self._with_variants(self.variants[i] for i in indexes)

    @cached_property
    def _by_prefilter(self) -> dict[str, list[int]]:
        """Return, for each form's letters and digits in lower case, where its variants are."""
        table: dict[str, list[int]] = {}
        for index, variant in enumerate(self.variants):
            table.setdefault(_form_prefilter_key(variant.form), []).append(index)
        return table

    @cached_property
    def _keys(self) -> Any:
        """Return an Aho-Corasick automaton of every form's letters and digits, lower case."""
        automaton = ahocorasick.Automaton()
        for key in self._by_prefilter:
            if key:
                automaton.add_word(key, key)
        if len(automaton):
            automaton.make_automaton()
        return automaton

    def for_gate(self, views: Iterable[TextView]) -> IdentifierSet | None:
        """Return this set cut down, for the gate, to the forms any of `views` can hold (None when
        none can): one search compiled for a whole document rather than one for each field."""
        if self._is_subset:
            return self
        keys = frozenset(key for view in views for key in self._keys_in(view))
        return self._subset(keys) if keys else None

    def _subset(self, keys: frozenset[str]) -> IdentifierSet:
        """Return this set cut down to the forms with these keys (a few kept, compiled once)."""
        cache: dict[frozenset[str], IdentifierSet] = self.__dict__.setdefault("_subsets", {})
        out = cache.get(keys)
        if out is None:
            out = self._with_keys(keys)
            out._is_subset = True
            if len(cache) >= 512:
                cache.clear()
            cache[keys] = out
        return out

    def find_in_view(self, view: TextView, *, gate: bool = False) -> Iterator[IdentifierMatch]:
        """Yield the matches in one view, with offsets mapped back to the original text.

        With `gate`, the matches start at the form itself, never at a title before it, and the
        search is first narrowed to the forms whose letters and digits occur in the view in that
        order (every match's do): a site's worth of reviews need not be compiled into one search.
        """
        if gate and not self._is_subset:
            keys = self._keys_in(view)
            if keys:
                yield from self._subset(keys).find_in_view(view, gate=True)
            return
        for sensitive, needs, pattern in self._gate_patterns if gate else self._patterns:
            if needs is not None and needs not in view.text:
                continue
            for m in pattern.finditer(view.text):
                candidates = None
                if gate:  # a form may itself start with a title word ("Nanny Pat")
                    candidates = self._by_key.get((sensitive, canonical(m.group())))
                if not candidates:
                    key = canonical(m.group()[_TITLE.match(m.group()).end() :])
                    candidates = self._by_key.get((sensitive, key)) if key else None
                if not candidates:
                    continue
                variant = candidates[0]
                if _is_month_use(variant, view.text, m.start(), m.end()):
                    continue
                if _is_another_year(variant, view.text, m.end()):
                    continue
                if _only_in_lower_case(candidates, m.group()) and not names_someone(
                    view.text, m.start() + _TITLE.match(m.group()).end(), m.end()
                ):
                    continue  # "her destiny", "he hung up": the word, not the name
                if _only_capitalised(candidates, m.group()) and is_rating(
                    view.text, m.start(), m.end()
                ):
                    continue  # "RAG rated Amber", "an Amber rating": the rating, not the name
                if (
                    "." not in m.group()
                    and any(c.description == _WORD_INITIALS for c in candidates)
                    and _in_capitals(view.text, m.start())
                ):
                    continue  # "DO" is a word in "HE SAID DO NOT CALL"
                if _only_as(_WORK_INITIALS, candidates, m.group()) and (
                    _in_capitals(view.text, m.start())
                    or not person_stands(view.text, m.start(), m.end())
                ):
                    continue  # "a history of DV", not "Ruaridh told DV that"
                if _only_as(_ACRONYM_INITIALS, candidates, m.group()) and (
                    _in_capitals(view.text, m.start())
                    or is_abbreviation_use(view.text, m.start(), m.end(), variant.identifier.text)
                ):
                    continue  # "the MP for the area", "her NI number", "35 KB"
                start, end = view.span(m.start(), m.end())
                others = tuple(
                    dict.fromkeys(
                        c.identifier
                        for c in candidates[1:]
                        if c.identifier.label != variant.identifier.label
                    )
                )
                best = _tier(variant)
                shared = any(
                    _tier(c) == best and c.identifier.label != variant.identifier.label
                    for c in candidates[1:]
                )
                yield IdentifierMatch(start, end, view.original[start:end], variant, others, shared)


def _search_views(text: str) -> list[TextView]:
    """Return the views `find` searches: the clean view, and the raw text when markup was cut."""
    clean = clean_view(text)
    return [clean] if clean.origin is None else [clean, clean_view(text, markdown=False)]


def _key(variant: Variant) -> str:
    return _form_key(variant.form)


# Forms repeat across the reviews of an archive (shared first names, towns, date patterns); their
# keys are computed once a process. Pure functions of the form, so nothing can go stale.
@lru_cache(maxsize=1 << 17)
def _form_key(form: str) -> str:
    return canonical(clean_view(form, markdown=False).text)


@lru_cache(maxsize=1 << 17)
def _form_prefilter_key(form: str) -> str:
    return _prefilter.__wrapped__(_form_key(form))


@lru_cache(maxsize=1 << 17)
def _canonical_form(form: str) -> str:
    return canonical(form)


@lru_cache(maxsize=8)  # one view is read for several identifier sets
def _prefilter(text: str) -> str:
    """Return `canonical(text)` (its letters and digits, lower case) with one final-sigma fold.

    A match's key is `canonical` of the match, and the letters and digits of a match are a run of
    those of the text, so a form found in a text has its key inside this. Lower-casing a whole
    text differs from lower-casing a part of it only in where a Greek sigma ends a word.
    """
    return canonical(text).replace("ς", "σ")


_PRIORITY = (
    "as listed",
    "first name and surname",
    "surname, first name",
    "title",
    "surname",
    "first name",
    "name without",
    "part of the address",
    "line of",
    "postcode",
    "street",
    "town",
    "part of the name",
    "common short form",
    "initials",
)
# Forms that fit their people equally well: a form one person is listed by and another's surname,
# or two people's surnames, name nobody in particular; a middle name loses to a first name.
_TIERS = {"surname, first name": 0, "first name and surname": 0, "title": 0, "first name": 1}


def _priority(variant: Variant) -> int:
    """Rank how directly a form names its identifier: a full name before a middle name."""
    for rank, start in enumerate(_PRIORITY):
        if variant.description.startswith(start):
            return rank
    return len(_PRIORITY)


def _tier(variant: Variant) -> int:
    """Return the tier of a form: forms of one tier fit their people equally well."""
    for start, tier in _TIERS.items():
        if variant.description.startswith(start):
            return tier
    rank = _priority(variant)
    return 0 if rank == 0 else 1 if variant.description.startswith("surname") else rank


def _dedupe(variants: Iterable[Variant]) -> Iterator[Variant]:
    seen: set[tuple[bool, str, str]] = set()
    for variant in variants:
        key = (variant.case_sensitive, variant.form, variant.identifier.label)
        if key not in seen:
            seen.add(key)
            yield variant


_WORD_INITIALS = "initials (a word too: not matched in a passage in capitals)"
_ACRONYM_INITIALS = "initials (an abbreviation too: not matched where they are the abbreviation)"
_WORK_INITIALS = "initials (an abbreviation of the work too: matched only where a person stands)"
_IN_LOWER_CASE = (
    "in lower case (a word too: taken for the name unless the words around it make it the word;"
    " if the word is meant here, reword the sentence: no allow list unmasks a listed name)"
)


_CAPITALISED_ONLY = "(capitalised only)"


def _lower_case_name(word: str, description: str) -> bool:
    """Return True for an ambiguous name matched in lower case where it stands as a name.

    First names only ("destiny", "hung", "bo", and "jun", which no name list has but the person's
    listing does): a surname that is a word ("ward", "police") and the little words prose is made
    of ("will", "so", "in", "van") stay capitalised-only.
    """
    lower = word.lower()
    return (
        lower.isalpha()
        and (lower in first_names() or description in ("first name", "common short form"))
        and lower not in FUNCTION_WORDS
        and lower not in NAME_PARTICLES
    )


_DAY_AND_MONTH = "day and month of birth"


_ALPHA_WORD = re.compile(r"[^\W\d_]+")


def _only_in_lower_case(candidates: list[Variant], found: str) -> bool:
    """Return True when a match in lower case is one only `_IN_LOWER_CASE` forms allow."""
    if not found.islower():
        return False
    bare = found[_TITLE.match(found).end() :]
    forms = [c for c in candidates if c.form == bare]
    return bool(forms) and all(c.description.endswith(_IN_LOWER_CASE) for c in forms)


def _only_capitalised(candidates: list[Variant], found: str) -> bool:
    """Return True when a capitalised word ("Amber") is matched only by forms of a name that is a
    word too (capitalised-only forms), with no title before it."""
    if not found[:1].isupper() or found.isupper() or not found.isalpha():
        return False
    forms = [c for c in candidates if c.form == found]
    return bool(forms) and all(c.description.endswith(_CAPITALISED_ONLY) for c in forms)


def _only_as(description: str, candidates: list[Variant], found: str) -> bool:
    """Return True when a match is one only forms of this kind allow ("MP" as `_ACRONYM_INITIALS`)."""
    forms = [c for c in candidates if c.form == found]
    return bool(forms) and all(c.description == description for c in forms)


def _in_capitals(text: str, at: int) -> bool:
    """Return True when the line around `at` is written in capitals ("HE SAID NO"): "HE" is a word there.

    Mostly capital letters, or (once anonymised: "CALL FROM Person 1 ON [removed]. LEFT IN FLAT ON
    the family's street") at least half its words, five or more, in capitals.
    """
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end != -1 else len(text)]
    if mostly_capitals(line):
        return True
    words = [w for w in _ALPHA_WORD.findall(line) if len(w) >= 2]  # "A&E", "Child P": no words
    capitals = sum(1 for w in words if w.isupper())
    return capitals >= 5 and capitals >= 0.5 * len(words)


def _is_month_use(variant: Variant, text: str, start: int, end: int) -> bool:
    """Return True when a name spelt like a month ("May", "June") is used as a date here."""
    if variant.form.lower() not in MONTHS:
        return False
    after = text[end : end + 3].lstrip()
    before = text[max(0, start - 4) : start].rstrip()
    return bool(after[:1].isdigit() or before[-1:].isdigit() or before.lower().endswith("in"))


_YEAR_AFTER = re.compile(r"[\s,./\-]{1,3}(\d{4}|\d{2})(?!\d)")


def _is_another_year(variant: Variant, text: str, end: int) -> bool:
    """Return True when a day and month of birth is followed by a year that is not the birth year:
    "published on 9 June 2023" is not a birthday of 9 June 2018."""
    if variant.description != _DAY_AND_MONTH:
        return False
    year = _YEAR_AFTER.match(text, end)
    if year is None:
        return False
    born = variant.identifier.text[:4]
    return year.group(1) not in (born, born[2:])


# ---------------------------------------------------------------------------------------------------
# Variants


def _is_ambiguous(word: str) -> bool:
    """Return True for a name part that is also an ordinary word: matched only when capitalised."""
    lower = word.lower()
    return is_ambiguous_name(lower) or lower in safeguarding_words() or len(lower) <= 2


_NUMBER_KINDS = frozenset(
    {"nhs_number", "ni_number", "phone", "email", "postcode", "reference", "deny"}
)


def _distinctive(variant: Variant) -> bool:
    """Return True for a form that names someone in any text, not only in its own review's."""
    kind = variant.identifier.kind
    if kind in _NUMBER_KINDS:
        return True
    if kind in ("date_of_birth", "town") or variant.literal:
        return False  # dates, towns and initials are ordinary elsewhere
    words = re.findall(r"[^\W_]+", variant.form)
    if len(words) >= 2:
        return True  # a full name, a title and surname, a street, a place's name
    word = words[0].lower() if words else ""
    return (
        len(word) >= 5
        and not _is_ambiguous(word)
        and not is_ordinary_word(word)
        and not is_dictionary_word(word)
    )


def variants_of(identifier: KnownIdentifier) -> Iterator[Variant]:
    """Yield every form `identifier` may be written in."""
    kind = identifier.kind
    if kind == "person":
        yield from _name_variants(identifier)
    elif kind == "place":
        yield from _place_variants(identifier)
    elif kind == "address":
        yield from _address_variants(identifier)
    elif kind in ("street", "town", "postcode"):
        yield Variant(identifier.text, identifier, f"{kind} of the address")
    elif kind == "date_of_birth":
        yield from _date_variants(identifier)
    elif kind == "phone":
        yield from _phone_variants(identifier)
    else:
        yield Variant(identifier.text, identifier, "as listed")


def _word_variants(identifier: KnownIdentifier, word: str, description: str) -> Iterator[Variant]:
    """Yield a single-word form: any case, or only capitalised/capitals when it is ambiguous.

    An ambiguous first name ("Destiny", "Hung") is also matched in lower case where the words
    around it do not make it the word (`wordsense.names_someone`): "a referral from destiny", "seen
    by robin with", not "her destiny".
    """
    if len(canonical(word)) < 2:
        return
    if _is_ambiguous(word):
        for form in dict.fromkeys([word[:1].upper() + word[1:].lower(), word.upper(), word]):
            yield Variant(form, identifier, f"{description} {_CAPITALISED_ONLY}", True)
        if _lower_case_name(word, description):
            yield Variant(word.lower(), identifier, f"{description} {_IN_LOWER_CASE}", True)
    else:
        yield Variant(word, identifier, description)


_NAME_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _name_variants(identifier: KnownIdentifier) -> Iterator[Variant]:
    full = identifier.text.strip()
    parts = _NAME_PART.findall(full)
    yield Variant(full, identifier, "as listed")
    if not parts:
        return
    hyphen_parts = [p for p in re.split(r"\s+", full) if p]
    first, last = parts[0], parts[-1]
    particle = next((i for i, p in enumerate(parts[1:], 1) if p.lower() in NAME_PARTICLES), None)
    if particle is not None:
        yield Variant(" ".join(parts[particle:]), identifier, "surname")
    if "-" in hyphen_parts[0] and len(hyphen_parts) > 1:  # "Ana-Maria Popescu": "Ana-Maria"
        yield Variant(hyphen_parts[0], identifier, "first name")
    if len(parts) > 1:
        yield Variant(f"{first} {last}", identifier, "first name and surname")
        yield Variant(f"{last} {first}", identifier, "surname, first name")
        if len(hyphen_parts) > 1:
            surname = hyphen_parts[-1]
            surnames = {surname, *(p for p in re.split(r"[-–]", surname) if len(p) > 1)}
            for name in surnames - {surname}:
                yield from _word_variants(
                    identifier, name, "part of the name (double-barrelled surname)"
                )
            if not _is_ambiguous(surname):
                yield Variant(surname, identifier, "surname")
    double_barrelled = (
        set(re.split(r"[-–]", hyphen_parts[-1])) if "-" in hyphen_parts[-1] else set()
    )
    for index, part in enumerate(parts):
        if part.islower() and is_ordinary_word(part) and not is_name_word(part):
            continue  # "baby" in the alias "baby Luca": the whole alias is matched, not the word
        if index == 0:
            description = "first name"
        elif part in double_barrelled:
            description = "part of the name (double-barrelled surname)"
        elif index == len(parts) - 1:
            description = "surname"
        else:
            description = "part of the name"
        yield from _word_variants(identifier, part, description)
        if "'" in part or "’" in part:  # O'Brien: also "Brien"
            yield from _word_variants(identifier, re.split(r"['’]", part)[-1], "part of the name")
    for nickname in NICKNAMES.get(first.lower(), ()):
        yield from _word_variants(identifier, nickname.title(), "common short form")
    weak = _weak_initials(full)
    hyphenated = _hyphenated_initials(full)
    if hyphenated is not None:  # "R.P-B." and "RP-B" for "Robin Pope-Begum"
        yield Variant(".".join(hyphenated) + ".", identifier, "initials", True, literal=True)
        yield Variant(". ".join(hyphenated) + ".", identifier, "initials", True, literal=True)
        yield Variant("".join(hyphenated), identifier, "initials", True, literal=True)
    for chosen in _initials_choices(full):
        dotted = ".".join(chosen) + "."
        kind = WEAK_INITIALS if chosen == weak else "initials"
        yield Variant(dotted, identifier, kind, True, literal=True)
        yield Variant(". ".join(chosen) + ".", identifier, kind, True, literal=True)
        bare = "".join(chosen)
        description = WEAK_INITIALS if chosen == weak else _bare_initials(bare)
        if description is not None:
            yield Variant(bare, identifier, description, True, literal=True)


def _initials_choices(full: str) -> list[tuple[str, ...]]:
    """Return the initials a name may be written as: every part's, the first and last, and the same
    by words, since a double-barrelled surname gives one initial too ("Ciara Byrne-Kelly" is "CBK",
    "CK" and "CB")."""
    initials = [p[0].upper() for p in _NAME_PART.findall(full) if p[0].isalpha()]
    if len(initials) < 2:
        return []
    words = [w[0].upper() for w in full.split() if w[0].isalpha()]
    choices = [tuple(initials), (initials[0], initials[-1])]
    if len(words) >= 2:
        choices += [tuple(words), (words[0], words[-1])]
    return list(dict.fromkeys(choices))


# The first and last initials of a name whose surname is double-barrelled ("R.B." for "Robin
# Pope-Begum"): a way to write them, but as much another person's. Replaced by a neutral
# placeholder, never the listed person's label, and the reviewer is asked who is meant.
WEAK_INITIALS = "initials (first and last of a double-barrelled name: may be someone else's)"


def _hyphenated_initials(full: str) -> tuple[str, ...] | None:
    """Return a name's initials word by word with a double-barrelled word's joined by a hyphen
    ("R", "P-B" for "Robin Pope-Begum"), or None when no word is double-barrelled."""
    words = [w for w in full.split() if w[:1].isalpha()]
    parts = ["-".join(p[0].upper() for p in w.split("-") if p[:1].isalpha()) for w in words]
    return tuple(parts) if len(parts) >= 2 and any("-" in p for p in parts) else None


def _weak_initials(full: str) -> tuple[str, ...] | None:
    """Return the first and last initials of every part when no word-by-word choice gives them."""
    initials = [p[0].upper() for p in _NAME_PART.findall(full) if p[0].isalpha()]
    words = [w[0].upper() for w in full.split() if w[0].isalpha()]
    if len(initials) < 2 or len(initials) == len(words):
        return None
    chosen = (initials[0], initials[-1])
    return None if chosen in (tuple(words), (words[0], words[-1])) else chosen


def _bare_initials(bare: str) -> str | None:
    """Return how bare initials ("MP", "KT") are matched, or None for a role's abbreviation ("GP"),
    which is the work's own in every review and never read as initials (the report asks instead)."""
    if bare.lower() in SHORT_WORDS:
        return _WORD_INITIALS
    if is_acronym(bare) or bare.lower() in ABBREVIATIONS_TOO:
        if is_role_abbreviation(bare):
            return None
        return _WORK_INITIALS if is_work_abbreviation(bare) else _ACRONYM_INITIALS  # "DV"; "MP"
    return "initials"


def _place_variants(identifier: KnownIdentifier) -> Iterator[Variant]:
    yield Variant(identifier.text, identifier, "as listed")
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)?", identifier.text)
    distinctive = [w for w in words if w.lower() not in GENERIC_PLACE_WORDS]
    if distinctive and len(distinctive) < len(words):
        short = " ".join(distinctive)
        if len(distinctive) > 1 or not _is_ambiguous(short):
            yield Variant(short, identifier, "name without 'school', 'surgery'...")
        elif short[:1].isupper():
            yield Variant(
                short, identifier, "name without 'school', 'surgery'... (capitalised only)", True
            )


def _address_variants(identifier: KnownIdentifier) -> Iterator[Variant]:
    """Yield the full address and every run of its parts ("7 Foxglove Walk, Brackenford")."""
    yield Variant(identifier.text, identifier, "as listed")
    parts, postcode = address_parts(identifier.text)
    runs = [", ".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)]
    for run in runs:
        yield Variant(run, identifier, "part of the address")
    if postcode:
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                yield Variant(
                    f"{', '.join(parts[i:j])} {postcode}", identifier, "part of the address"
                )
    for index, part in enumerate(parts):
        if re.fullmatch(r"(?i:flat|apartment|unit|room)\s*\d+[a-z]?", part):
            continue  # "Flat 2" alone is in every other address
        if any(ch.isdigit() for ch in part) or (
            index < len(parts) - 1 and not _STREET.search(part)
        ):
            yield Variant(part, identifier, "line of the address")


def address_parts(text: str) -> tuple[list[str], str | None]:
    """Return the lines of an address (split at commas and line breaks) and its postcode."""
    parts: list[str] = []
    postcode = None
    for part in re.split(r"[,\n]", text):
        found = _POSTCODE.search(part)
        if found:
            postcode = found.group()
            part = part[: found.start()] + part[found.end() :]
        if part.strip():
            parts.append(part.strip())
    return parts, postcode


def address_identifiers(
    address: KnownIdentifier, phrases: PlacePhrases
) -> Iterator[KnownIdentifier]:
    """Yield a listed address and its parts that name less than the home: street, town, postcode.

    The street alone is the owner's street ("the family's street", "Father's street"), the town a
    neutral place ("[place]", never "the family home"), the postcode alone is removed.
    """
    yield address
    label = address.label
    if label == phrases.family_home:
        street_label = "the family's street"
    elif label.endswith("'s home"):
        street_label = label.removesuffix(" home") + " street"
    else:  # the address of a listed place
        street_label = phrases.place
    town_label, removed = phrases.place, phrases.removed
    parts, postcode = address_parts(address.text)

    def part(text: str, kind: str, label: str, entity: str) -> KnownIdentifier:
        return KnownIdentifier(
            text, kind, label, address.source, address.review_id, entity, address.sex, address.role
        )

    if postcode:
        yield part(postcode, "postcode", removed, "POSTCODE")
    for index, line in enumerate(parts):
        street = re.sub(r"^(?:(?i:flat|apartment|unit)\s*\d+[a-z]?\s*,?\s*)?\d+[a-z]?\s+", "", line)
        if _STREET.search(street) and not _is_ambiguous(street):
            yield part(street, "street", street_label, "ADDRESS")
        elif index == len(parts) - 1 and index and not any(ch.isdigit() for ch in line):
            yield part(line, "town", town_label, "LOCATION")


_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = re.compile(rf"\b{STREET_TYPES}\.?$", re.IGNORECASE)


def _phone_variants(identifier: KnownIdentifier) -> Iterator[Variant]:
    digits = "".join(ch for ch in identifier.text if ch.isdigit())
    yield Variant(identifier.text, identifier, "as listed")
    national = digits
    if digits.startswith("44"):
        national = "0" + digits[2:]
    elif digits.startswith("0044"):
        national = "0" + digits[4:]
    if national.startswith("0"):
        yield Variant(national, identifier, "national format")
        yield Variant("44" + national[1:], identifier, "international format")
        yield Variant("440" + national[1:], identifier, "international format with (0)")
        yield Variant("0044" + national[1:], identifier, "international format with 00")


_ORDINALS = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def _date_variants(identifier: KnownIdentifier) -> Iterator[Variant]:
    date = dt.date.fromisoformat(identifier.text)
    days = {str(date.day), f"{date.day:02d}"}
    day_words = days | {f"{date.day}{_ORDINALS.get(date.day, 'th')}"}
    months = {str(date.month), f"{date.month:02d}"}
    month_name = MONTHS[date.month - 1]
    month_words = {month_name, month_name[:3]} | ({"sept"} if date.month == 9 else set())
    years = {str(date.year), f"{date.year % 100:02d}"}
    # In a fixed order: where two renderings coincide (4/4/23), the first description is kept.
    for d in sorted(days):
        for m in sorted(months):
            for y in sorted(years):
                yield Variant(f"{d}/{m}/{y}", identifier, "date of birth (day/month/year)")
                yield Variant(f"{m}/{d}/{y}", identifier, "date of birth (month/day/year)")
            yield Variant(f"{date.year}-{m}-{d}", identifier, "date of birth (ISO)")
    for d in sorted(day_words):
        for m in sorted(month_words):
            for y in sorted(years):
                yield Variant(f"{d} {m} {y}", identifier, "date of birth (written)")
                yield Variant(f"{d} of {m} {y}", identifier, "date of birth (written)")
                yield Variant(f"{m} {d} {y}", identifier, "date of birth (written, US order)")
            yield Variant(f"{d} {m}", identifier, _DAY_AND_MONTH)
            yield Variant(f"{m} {d}", identifier, _DAY_AND_MONTH)


# ---------------------------------------------------------------------------------------------------
# Building a set from the content


def possessive(label: str) -> str:
    """Return "Mother's", "the health visitor's", "the Yusufs'" for a label."""
    return f"{label}'" if label.endswith("s") and not label.endswith("'s") else f"{label}'s"


def _family_addresses(review: Review) -> set[str]:
    """Return the child's addresses (canonical): everyone listed there lives in "the family home"."""
    for roles in (("child",), ("sibling", "other_child")):
        found = {canonical(a) for p in review.people if p.role.value in roles for a in p.addresses}
        if found:
            return found
    return set()


def _person_identifiers(review: Review, phrases: PlacePhrases) -> Iterator[KnownIdentifier]:
    rid = review.id
    family = _family_addresses(review)
    for index, person in enumerate(review.people):
        where = f"people[{index}]"
        sex = person.sex.value if person.sex.value != "not_recorded" else ""
        role = person.role.value

        def known(
            text: str,
            kind: str,
            source: str,
            entity: str,
            label: str | None = None,
            where: str = where,
            sex: str = sex,
            role: str = role,
        ) -> KnownIdentifier:
            return KnownIdentifier(
                text, kind, label or phrases.removed, f"{where}.{source}", rid, entity, sex, role
            )

        for n, name in enumerate(person.names):
            yield known(name, "person", f"names[{n}]", "PERSON", person.label)
        for n, alias in enumerate(person.aliases):
            yield known(alias, "person", f"aliases[{n}]", "PERSON", person.label)
        if person.date_of_birth:
            yield known(
                person.date_of_birth.isoformat(), "date_of_birth", "date_of_birth", "DATE_OF_BIRTH"
            )
        if person.nhs_number:
            yield known(person.nhs_number, "nhs_number", "nhs_number", "NHS_NUMBER")
        if person.ni_number:
            yield known(person.ni_number, "ni_number", "ni_number", "NI_NUMBER")
        for n, address in enumerate(person.addresses):
            home = canonical(address) in family
            label = phrases.family_home if home else f"{possessive(person.label)} home"
            yield known(address, "address", f"addresses[{n}]", "ADDRESS", label)
        for n, phone in enumerate(person.phones):
            yield known(phone, "phone", f"phones[{n}]", "PHONE_NUMBER")
        for n, email in enumerate(person.emails):
            yield known(email, "email", f"emails[{n}]", "EMAIL_ADDRESS")
        for n, ref in enumerate(person.other_identifiers):
            yield known(ref, "reference", f"other_identifiers[{n}]", "REFERENCE")


PLACE_ENTITY = {
    PlaceKind.SCHOOL: "SETTING",
    PlaceKind.NURSERY: "SETTING",
    PlaceKind.GP_PRACTICE: "SETTING",
    PlaceKind.HOSPITAL: "SETTING",
    PlaceKind.PLACEMENT: "SETTING",
    PlaceKind.STREET: "ADDRESS",
    PlaceKind.ESTATE: "ADDRESS",
    PlaceKind.TOWN: "LOCATION",
    PlaceKind.OTHER: "LOCATION",
}


def review_identifiers(
    review: Review, phrases: PlacePhrases | None = None
) -> list[KnownIdentifier]:
    """Return every identifier `review.yaml` lists, each tied to its published label."""
    phrases = phrases or PlacePhrases()
    removed = phrases.removed
    out = list(_person_identifiers(review, phrases))
    rid = review.id
    for index, place in enumerate(review.places):
        where = f"places[{index}]"
        entity = PLACE_ENTITY[place.kind]
        out.append(KnownIdentifier(place.name, "place", place.label, f"{where}.name", rid, entity))
        for n, alias in enumerate(place.aliases):
            out.append(
                KnownIdentifier(alias, "place", place.label, f"{where}.aliases[{n}]", rid, entity)
            )
        if place.address:
            out.append(
                KnownIdentifier(
                    place.address, "address", place.label, f"{where}.address", rid, "ADDRESS"
                )
            )
    if review.notification:
        out.append(
            KnownIdentifier(
                review.notification.reference,
                "reference",
                removed,
                "notification.reference",
                rid,
                "REFERENCE",
            )
        )
        notified_by = review.notification.notified_by
        if notified_by and _looks_like_a_name(notified_by):
            out.append(
                KnownIdentifier(
                    notified_by, "person", "the notifier", "notification.notified_by", rid, "PERSON"
                )
            )
    for partner in ("local_authority", "health", "police"):
        sign_off = getattr(review.sign_offs, partner)
        if sign_off:
            out.append(
                KnownIdentifier(
                    sign_off.name,
                    "person",
                    sign_off.role,
                    f"sign_offs.{partner}.name",
                    rid,
                    "PERSON",
                )
            )
    if review.lead_reviewer:
        out.append(
            KnownIdentifier(
                review.lead_reviewer, "person", "the lead reviewer", "lead_reviewer", rid, "PERSON"
            )
        )
    for n, phrase in enumerate(review.anonymisation.deny):
        out.append(
            KnownIdentifier(phrase, "deny", removed, f"anonymisation.deny[{n}]", rid, "DENY")
        )
    return out


def _looks_like_a_name(text: str) -> bool:
    """Return True for "Jane Smith" or "Dr J. Okafor", False for "Director of Children's Services"."""
    words = re.findall(r"[^\W\d_]+", _TITLE.sub("", text.strip()))
    return (
        bool(words)
        and all(w[:1].isupper() and w.lower() not in safeguarding_words() for w in words)
        and any(is_name_word(w) or not is_ordinary_word(w) for w in words if len(w) > 1)
    )


def identifier_set(
    entry: ReviewEntry | BriefEntry, project: Project | None = None
) -> IdentifierSet:
    """Return the known identifiers of a review, or of a brief and the reviews it draws on."""
    policy = project.partnership.anonymisation if project else None
    phrases = (
        PlacePhrases(policy.removed, policy.places.address, policy.places.place)
        if policy
        else PlacePhrases()
    )
    # The partnership's own town and county may be a line of an address without every mention of
    # them being redacted; the full address is still matched as listed.
    allowed = policy.allow if policy else ()
    if isinstance(entry, ReviewEntry):
        return IdentifierSet(entry.id, review_identifiers(entry.review, phrases), allowed, phrases)
    brief = entry.brief
    identifiers = [
        KnownIdentifier(
            phrase, "deny", phrases.removed, f"anonymisation.deny[{n}]", brief.id, "DENY"
        )
        for n, phrase in enumerate(brief.anonymisation.deny)
    ]
    if project is not None:
        for review_entry in project.reviews:
            if review_entry.id in brief.reviews:
                identifiers += review_identifiers(review_entry.review, phrases)
    return IdentifierSet(brief.id, identifiers, allowed, phrases)
