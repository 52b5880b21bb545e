"""The replacement policy: the partnership's settings merged with one review's (or brief's) decisions.

What replaces what:
- a listed person by their label ("Jane Smith", "Jane", "Ms Smith" -> "Mother"), possessives kept;
- a listed place by its label; an unlisted school, nursery, practice or hospital by a generic phrase;
- a name nobody listed by a numbered placeholder, the same number every time within a document;
- an exact date by its month and year ("2 April 2023" -> "April 2023"); a date of birth is removed;
- numbers, e-mail addresses, postcodes and references are removed;
- an age in days, weeks or months (an infant) by a band ("under 3 months"); ages in years are kept,
  as DOMAIN.md allows, and listed for the reviewer to check.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

from pipeline.anonymise.patterns import MONTH_NAMES, RECOGNIZER_SET_VERSION
from pipeline.anonymise.public import public_phrases, trie_pattern
from pipeline.anonymise.vocabulary import MONTHS, safeguarding_terms
from pipeline.content.model import AnonymisationPolicy, ReviewAnonymisation

_MONTH_INDEX = {name[:3]: index + 1 for index, name in enumerate(MONTHS)}
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        start=0,
    )
}
SETTING_KINDS = {
    "SETTING_SCHOOL": "school",
    "SETTING_NURSERY": "nursery",
    "SETTING_GP_PRACTICE": "gp_practice",
    "SETTING_HOSPITAL": "hospital",
}
_SETTING_WORDS = (
    ("hospital", r"\b(?:hospital|infirmary)\b"),
    ("gp_practice", r"\b(?:surgery|medical|health centre|practice)\b"),
    ("nursery", r"\b(?:nursery|pre-?school|playgroup|children'?s centre)\b"),
    ("school", r"\b(?:school|academy|college)\b"),
)


def _sorted_phrases(phrases: list[str]) -> tuple[str, ...]:
    return tuple(sorted({p.strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p)))


@cache
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return one whole-word, case-insensitive pattern for `phrases` (compiling it is the slow part)."""
    if not phrases:
        return None
    body = trie_pattern(sorted({" ".join(p.lower().split()) for p in phrases}))
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """Everything that decides what a published text becomes, for one review or brief."""

    base: AnonymisationPolicy = field(default_factory=AnonymisationPolicy)
    review: ReviewAnonymisation = field(default_factory=ReviewAnonymisation)
    # Phrases the document may keep: agencies it names, partners, themes, published labels.
    context_allow: tuple[str, ...] = ()

    @cached_property
    def allow(self) -> tuple[str, ...]:
        """Return every phrase detection must keep (matched case-insensitively, as whole words)."""
        phrases = [
            *safeguarding_terms(),
            *public_phrases(),
            *self.base.allow,
            *self.review.allow,
            *self.context_allow,
        ]
        return _sorted_phrases(phrases)

    @cached_property
    def allow_patterns(self) -> tuple[re.Pattern[str], ...]:
        """Return the patterns of `allow`: the partnership's, compiled once per process, and this document's."""
        shared = _sorted_phrases([*safeguarding_terms(), *public_phrases(), *self.base.allow])
        own = _sorted_phrases([*self.review.allow, *self.context_allow])
        return tuple(p for p in (_phrases_pattern(shared), _phrases_pattern(own)) if p is not None)

    @cached_property
    def deny(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.base.deny, *self.review.deny]))

    @cached_property
    def replacements(self) -> dict[str, str]:
        return dict(self.review.replacements)

    @cached_property
    def replacement_pattern(self) -> re.Pattern[str] | None:
        if not self.replacements:
            return None
        keys = sorted(self.replacements, key=len, reverse=True)
        body = "|".join(_phrase(k) for k in keys)
        return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)

    def replacement_for_phrase(self, text: str) -> str:
        folded = " ".join(text.split()).lower()
        for key, value in self.replacements.items():
            if " ".join(key.split()).lower() == folded:
                return value
        return self.base.removed

    @cached_property
    def hash(self) -> str:
        """Return a hash of everything that decides the output, with the recognizer set's version."""
        data = {
            "partnership": self.base.model_dump(mode="json"),
            "review": self.review.model_dump(mode="json"),
            "context_allow": sorted(self.context_allow),
            "recognizers": RECOGNIZER_SET_VERSION,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    # -----------------------------------------------------------------------------------------------
    # Replacements for what nobody listed

    def unlisted_person(self, number: int) -> str:
        return self.base.unlisted_person.replace("{n}", str(number))

    def place_phrase(self, kind: str) -> str:
        places = self.base.places
        return {
            "school": places.school,
            "nursery": places.nursery,
            "gp_practice": places.gp_practice,
            "hospital": places.hospital,
            "address": places.address,
            "childrens_home": "the children's home",
        }.get(kind, places.place)

    def setting_kind(self, entity: str, text: str) -> str | None:
        """Return the kind of setting a detected name is (from its entity or its words), if any."""
        if entity in SETTING_KINDS:
            return SETTING_KINDS[entity]
        if entity == "SETTING_CHILDRENS_HOME":
            return "childrens_home"
        lower = text.lower()
        for kind, pattern in _SETTING_WORDS:
            if re.search(pattern, lower):
                return kind
        return None

    def coarse_date(self, text: str) -> str | None:
        """Return "April 2023" for an exact date, or None when `text` is not one."""
        month, year = parse_month_year(text)
        if month is None:
            return None
        name = MONTHS[month - 1].title()
        return f"{name} {year}" if year else name

    def age_band(self, text: str) -> str | None:
        """Return the band that replaces an infant's exact age, or None for an age in years."""
        match = re.search(r"(\d+|[a-z]+)[\s\-]+(day|week|month|year)", text, re.IGNORECASE)
        if not match:
            return None
        raw, unit = match.group(1).lower(), match.group(2).lower()
        number = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
        if number is None or unit == "year":
            return None
        months = {"day": number / 30.4, "week": number / 4.35, "month": number}[unit]
        if months >= 12:
            years = int(months // 12)
            band = f"{years} year{'s' if years > 1 else ''}"
        elif months < 3:
            band = "under 3 months"
        elif months < 6:
            band = "3 to 6 months"
        else:
            band = "6 to 12 months"
        hyphenated = re.search(r"\d[\-]|[a-z]-(?:day|week|month)", text, re.IGNORECASE)
        if hyphenated:  # "a 7-week-old baby" -> "an under-3-month-old baby"
            return (
                re.sub(r"\s+", "-", band.replace("months", "month").replace("years", "year"))
                + "-old"
            )
        prefix = re.match(r"(aged?\s+)", text, re.IGNORECASE)
        suffix = " old" if re.search(r"old$", text, re.IGNORECASE) else ""
        of_age = " of age" if re.search(r"of age$", text, re.IGNORECASE) else ""
        return f"{prefix.group(1) if prefix else ''}{band}{suffix}{of_age}"


def _phrase(text: str) -> str:
    """Return a regex for a phrase: whitespace flexible, apostrophes either way."""
    words = [re.sub(r"['’]", "['’]", re.escape(w)) for w in text.split()]
    return r"\s+".join(words)


def parse_month_year(text: str) -> tuple[int | None, int | None]:
    """Return (month, year) of a date written in any form the date recognizer knows."""
    lower = text.lower()
    named = re.search(MONTH_NAMES, lower)
    year: int | None = None
    if named:
        month = _MONTH_INDEX[named.group()[:3]]
        after = lower[named.end() :]
        # A four-digit year, or "'23"; "23" after the month is a year only when a day came first
        # ("2 April 23"): in "July 20" it is the day (or a page number), and no year is invented.
        two_digits = r"'\d{2}|\d{2}" if re.search(r"\d", lower[: named.start()]) else r"'\d{2}"
        years = re.findall(rf"(?<!\d)(\d{{4}}|{two_digits})(?!\d)", after)
        if years:
            year = _year(years[-1])
        return month, year
    iso = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", lower)
    if iso:
        return int(iso.group(2)), int(iso.group(1))
    numeric = re.fullmatch(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\s*", lower)
    if numeric:
        return int(numeric.group(2)), _year(numeric.group(3))
    return None, None


def _year(text: str) -> int:
    digits = int(text.strip("'"))
    return digits if digits >= 100 else 2000 + digits


def policy_for(
    base: AnonymisationPolicy,
    review: ReviewAnonymisation | None = None,
    context_allow: Iterable[str] = (),
) -> Policy:
    """Return the policy for one document."""
    return Policy(base, review or ReviewAnonymisation(), tuple(context_allow))
