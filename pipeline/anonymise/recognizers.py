"""Layer two: the recognizers that find what nobody listed, all registered here and nowhere else.

Presidio's own UK recognizers are used where they are right (NHS checksum, NI number, postcode, GB
phone numbers through libphonenumber) and our own fill the gaps ANONYMISATION.md lists: NHS numbers that
fail the checksum, UK phone formats libphonenumber refuses (drama ranges), addresses, schools and
surgeries, ages, reference numbers, dates in every British form, and names in any case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from presidio_analyzer import (
    EntityRecognizer,
    LocalRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    NhsRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UkNinoRecognizer,
    UkPostcodeRecognizer,
)

from pipeline.anonymise.vocabulary import (
    MONTHS,
    STREET_TYPES,
    TITLES,
    first_names,
    is_ambiguous_name,
    is_ordinary_word,
    peoples,
    safeguarding_words,
    surnames,
)

# Bump when a recognizer, a pattern or a word list changes: approvals record it, so a change to
# detection makes every approval stale and the reviewer looks again.
RECOGNIZER_SET_VERSION = "2026.11-1"

# What each spaCy label becomes. No label is ignored: each is acted on, handed to a recognizer of
# ours that does it better, or kept for a stated reason.
NER_LABELS: dict[str, tuple[str, str, str]] = {
    # spaCy label: (Presidio entity, action, why)
    "PERSON": ("PERSON", "redact", "names of people"),
    "ORG": ("ORGANIZATION", "redact", "schools, surgeries and many names are tagged ORG"),
    "GPE": ("LOCATION", "redact", "towns and villages; the partnership's own are allowed"),
    "LOC": ("LOCATION", "redact", "areas, estates, rivers"),
    "FAC": ("FACILITY", "redact", "buildings and streets"),
    "NORP": (
        "NRP",
        "check",
        "ethnicity and religion: kept for the learning, listed for the reviewer",
    ),
    "EVENT": ("EVENT", "check", "named events can date a case: listed for the reviewer"),
    "PRODUCT": ("PRODUCT", "keep", "products (apps, medicines) identify nobody"),
    "WORK_OF_ART": ("WORK_OF_ART", "keep", "titles of guidance and reports"),
    "LAW": ("LAW", "keep", "legislation: Section 47, Children Act 1989"),
    "LANGUAGE": ("LANGUAGE", "check", "a rare home language can identify: listed for the reviewer"),
    "DATE": ("DATE_TIME", "defer", "our date recognizer parses dates to coarsen them"),
    "TIME": ("DATE_TIME", "defer", "times of day identify nobody without an exact date"),
    "PERCENT": ("PERCENT", "keep", "figures"),
    "MONEY": ("MONEY", "keep", "figures"),
    "QUANTITY": ("QUANTITY", "keep", "figures"),
    "ORDINAL": ("ORDINAL", "keep", "figures"),
    "CARDINAL": ("CARDINAL", "defer", "numbers: our number and age recognizers decide"),
}

MONTH_NAMES = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
WEEKDAYS = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
ORDINAL = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class Rule:
    """One regular expression of a recognizer: the group it reports, its score and entity."""

    pattern: re.Pattern[str]
    entity: str
    score: float
    group: int = 0
    validate: Callable[[re.Match[str]], bool] | None = None


class RegexRecognizer(LocalRecognizer):
    """A recognizer made of `Rule`s; lighter than PatternRecognizer and able to report a group."""

    rules: tuple[Rule, ...] = ()

    def __init__(self, rules: Iterable[Rule] | None = None, name: str | None = None) -> None:
        if rules is not None:
            self.rules = tuple(rules)
        entities = sorted({rule.entity for rule in self.rules})
        super().__init__(supported_entities=entities, name=name or type(self).__name__)

    def load(self) -> None:
        """Nothing to load: the rules are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for rule in self.rules:
            for match in rule.pattern.finditer(text):
                if rule.validate is not None and not rule.validate(match):
                    continue
                start, end = match.span(rule.group)
                if start < end:
                    out.append(self._result(rule.entity, start, end, rule.score))
        return out

    def _result(self, entity: str, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity,
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


class NhsFormatRecognizer(RegexRecognizer):
    """NHS numbers written 3-3-4, whether or not the checksum holds: a mistyped one is still one."""

    rules = (
        Rule(_c(r"(?<![\w/-])\d{3}[ -]\d{3}[ -]\d{4}(?![\w/-])"), "UK_NHS", 0.6),
        Rule(
            _c(r"(?i:\bNHS\s*(?:no\.?|number|num)?\s*[:#]?\s*)(\d[\d -]{8,12}\d)(?!\d)"),
            "UK_NHS",
            0.9,
            group=1,
        ),
    )


class UkPhoneRecognizer(RegexRecognizer):
    """UK phone numbers in any common layout, including Ofcom's drama ranges libphonenumber refuses."""

    rules = (
        Rule(
            _c(
                r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)"
                r"(?:\d[\s\-.)]{0,2}){8,9}\d(?!\d)"
            ),
            "PHONE_NUMBER",
            0.7,
        ),
    )


class AnyDomainEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail pattern without its domain check, which reaches for a public suffix list."""

    def validate_result(self, pattern_text: str) -> bool:
        return True


POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"


def _address_rules(upper: bool) -> list[Rule]:
    word = r"[A-Z][A-Z'’\-]+" if upper else r"[A-Z][a-z'’\-]+"
    street = STREET_TYPES.upper() if upper else STREET_TYPES
    number = r"(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
    if upper:
        number = number.replace("Flat|Apartment|Unit", "FLAT|APARTMENT|UNIT")
    tail = rf"(?:,?\s+{word}(?:\s+{word})?)?(?:,?\s+{POSTCODE})?"
    estate = "ESTATE" if upper else "Estate"
    no_number_types = (
        "ROAD|STREET|LANE|AVENUE|CLOSE|DRIVE|CRESCENT|GARDENS|TERRACE|GROVE|MEWS|PARADE"
        if upper
        else "Road|Street|Lane|Avenue|Close|Drive|Crescent|Gardens|Terrace|Grove|Mews|Parade"
    )
    return [
        Rule(_c(rf"\b{number}(?:{word}\s+){{1,3}}{street}\b{tail}"), "ADDRESS", 0.8),
        Rule(
            _c(
                rf"\b(?:Flat|FLAT|Room|ROOM|Apartment)\s+\d+[A-Za-z]?,\s+(?:{word}\s+){{1,3}}{word}\b{tail}"
            ),
            "ADDRESS",
            0.7,
        ),
        Rule(_c(rf"\b(?:{word}\s+){{1,2}}(?:{no_number_types})\b"), "STREET", 0.6),
        Rule(_c(rf"\b(?:{word}\s+){{1,2}}{estate}\b"), "ESTATE", 0.7),
    ]


class UkAddressRecognizer(RegexRecognizer):
    """House number and street ("12 Mill Lane, Brackenford BR4 7XY"), named streets and estates."""

    rules = (*_address_rules(upper=False), *_address_rules(upper=True))


SETTING_KINDS: tuple[tuple[str, str], ...] = (
    (
        "school",
        r"(?:(?:Primary|Infant|Junior|Secondary|High|Grammar|Community|Free)\s+)?(?:School|Academy)|College|Sixth\s+Form",
    ),
    ("nursery", r"(?:Day\s+)?Nursery|Pre-?[Ss]chool|Playgroup|Children'?s\s+Centre"),
    (
        "gp_practice",
        r"Surgery|Medical\s+(?:Centre|Practice|Group)|Health\s+Centre|GP\s+Practice|Family\s+Practice",
    ),
    ("hospital", r"(?:General\s+|Community\s+|Children'?s\s+)?(?:Hospital|Infirmary)"),
    ("childrens_home", r"Children'?s\s+Home|Residential\s+Home|Care\s+Home"),
)
SETTING_GENERIC_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "at",
        "to",
        "from",
        "our",
        "their",
        "his",
        "her",
        "local",
        "nearby",
        "new",
        "primary",
        "infant",
        "junior",
        "secondary",
        "high",
        "community",
        "general",
        "children's",
        "childrens",
        "day",
        "medical",
        "health",
        "family",
        "residential",
        "care",
        "st",
    ]
)


_SETTING_SUFFIX = re.compile(
    "|".join(rf"(?P<{kind}>\b(?:{suffix})\b)" for kind, suffix in SETTING_KINDS)
)
_SETTING_NAME = re.compile(r"(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w'’&.\-]*\s+){1,4}$")


def _named_setting(words: list[str]) -> bool:
    """Accept "Oakfield Primary School", refuse "The Primary School" (a generic phrase, no name)."""
    return any(w.lower() not in SETTING_GENERIC_WORDS for w in words)


class SettingRecognizer(RegexRecognizer):
    """Named schools, nurseries, GP practices and surgeries, hospitals and children's homes.

    It looks for the kind word first ("School", "Surgery") and then backwards for the capitalised
    name before it, which is far cheaper than trying a name pattern at every position.
    """

    rules = (Rule(_SETTING_SUFFIX, "SETTING_SCHOOL", 0.8),)

    def __init__(self) -> None:
        super().__init__(name="SettingRecognizer")
        self.supported_entities = [f"SETTING_{kind.upper()}" for kind, _ in SETTING_KINDS]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for match in _SETTING_SUFFIX.finditer(text):
            window_start = max(0, match.start() - 120)
            name = _SETTING_NAME.search(text, window_start, match.start())
            if name is None:
                continue
            words = re.findall(r"[\w'’]+", name.group())
            if not _named_setting(words):
                continue
            entity = f"SETTING_{match.lastgroup.upper()}" if match.lastgroup else "SETTING_SCHOOL"
            out.append(self._result(entity, name.start(), match.end(), 0.8))
        return out


NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})"


class AgeRecognizer(RegexRecognizer):
    """Ages: "aged 7 weeks", "a 15-year-old", "3 months old"."""

    rules = (
        Rule(
            _c(
                rf"\b(?:aged\s+|age\s+)?{NUMBER_WORDS}[\s\-](?:day|week|month|year)s?[\s\-]old\b",
                re.IGNORECASE,
            ),
            "AGE",
            0.9,
        ),
        Rule(
            _c(rf"\baged?\s+{NUMBER_WORDS}(?:\s+(?:day|week|month|year)s?)?\b", re.IGNORECASE),
            "AGE",
            0.8,
        ),
        Rule(
            _c(rf"\b{NUMBER_WORDS}\s+(?:day|week|month)s?\s+of\s+age\b", re.IGNORECASE), "AGE", 0.8
        ),
    )


REFERENCE_KEYWORDS = (
    r"(?:ref(?:erence)?|case|crime|incident|log|URN|CRN|court|claim|file|hospital|MRN|police"
    r"|occurrence|CAD|serial|docket)"
)


def _not_review_id(match: re.Match[str]) -> bool:
    text = match.group()
    return not re.fullmatch(r"[A-Z]{2,6}-(?:LB-)?\d{4}-\d{2}(?:-\d{2})?", text)


class ReferenceNumberRecognizer(RegexRecognizer):
    """Case, crime, court and hospital reference numbers."""

    rules = (
        Rule(
            _c(
                rf"(?i:\b{REFERENCE_KEYWORDS}\s*(?:no\.?|number|num|ref(?:erence)?)?\s*[:#]?\s*)"
                r"((?=[A-Za-z0-9/\-]*\d)[A-Za-z0-9][A-Za-z0-9/\-]{3,}[A-Za-z0-9])"
            ),
            "REFERENCE",
            0.85,
            group=1,
            validate=lambda m: sum(ch.isdigit() for ch in m.group(1)) >= 3,
        ),
        Rule(
            _c(
                r"(?<![\w/-])(?=[A-Z0-9/\-]*[A-Z])(?=(?:[A-Z/\-]*\d){4})"
                r"[A-Z]{1,5}[/\-]?\d[A-Z0-9/\-]{3,}[A-Z0-9](?![\w/-])"
            ),
            "REFERENCE",
            0.6,
            validate=_not_review_id,
        ),
        Rule(_c(r"(?<![\w/.-])\d{7,}(?![\w/-])"), "REFERENCE", 0.5),
    )


def _valid_numeric_date(match: re.Match[str]) -> bool:
    day, month = int(match.group("d")), int(match.group("m"))
    return 1 <= day <= 31 and 1 <= month <= 12


class BritishDateRecognizer(RegexRecognizer):
    """Exact dates in British forms: "2 April 2023", "2nd of April", "02/04/2023", "2023-04-02"."""

    rules = (
        Rule(
            _c(
                rf"\b{WEEKDAYS}(?:the\s+)?(?:\d{{1,2}}{ORDINAL}\s*(?:to|and|&|-|–)\s*)?"
                rf"(?P<d>\d{{1,2}}){ORDINAL}(?:\s+of)?[\s\-]+(?P<mon>{MONTH_NAMES})\.?"
                r"(?:,?[\s\-]+(?P<y>\d{4}|'?\d{2})(?!\d))?\b",
                re.IGNORECASE,
            ),
            "DATE",
            0.9,
        ),
        Rule(
            _c(
                rf"\b{WEEKDAYS}(?P<mon>{MONTH_NAMES})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}}){ORDINAL}(?!\d)"
                r"(?:,?\s+(?P<y>\d{4}))?\b",
                re.IGNORECASE,
            ),
            "DATE",
            0.85,
        ),
        Rule(
            _c(
                r"(?<![\w/.])(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})(?![\w/]|\.\d)"
            ),
            "DATE",
            0.8,
            validate=_valid_numeric_date,
        ),
        Rule(
            _c(r"(?<![\w/.])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/])"),
            "DATE",
            0.9,
            validate=_valid_numeric_date,
        ),
    )


class TitledNameRecognizer(RegexRecognizer):
    """A title and a capitalised name: "Mrs Okafor", "Dr P. Singh", "MR HOLLAND"."""

    rules = (
        Rule(
            _c(
                r"\b(?:" + "|".join(t.title() for t in TITLES) + r")\.?\s+"
                r"(?:[A-Z]\.\s*)?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?(?:\s+[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)?"
            ),
            "PERSON",
            0.9,
            validate=lambda m: m.group().split()[-1].lower() not in safeguarding_words(),
        ),
        Rule(
            _c(r"\b(?:" + "|".join(t.upper() for t in TITLES) + r")\.?\s+[A-Z][A-Z'’\-]+\b"),
            "PERSON",
            0.8,
        ),
    )


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_START = re.compile(
    r"(?:(?:^|\n)\s*(?:[-*+>#|]+\s*|\d+[.)]\s*)?[*_\"'“‘(]*|[.!?:;|]\s*[\"'“‘(*_]*)$"
)
_SCOTS_IRISH = re.compile(r"^(?:o['’]|mc|mac)", re.IGNORECASE)


def name_key(token: str) -> str:
    """Return the lower-case lookup form of a name token ("O'Neill's" -> "o'neill")."""
    return re.sub(r"['’]s$", "", token, flags=re.IGNORECASE).lower()


def is_listed_name(key: str) -> bool:
    if key in first_names() or key in surnames():
        return True
    bare = _SCOTS_IRISH.sub("", key).replace("’", "'")
    return (
        bool(bare) and bare != key and (bare in surnames() or bare.replace("'", "") in surnames())
    )


class NameListRecognizer(LocalRecognizer):
    """Names from the first-name and surname lists, in any case; capitalised unknown words too.

    A name that is also an ordinary word counts only when capitalised away from the start of a
    sentence, or next to another name. A capitalised word that is in no list and no dictionary, away
    from the start of a sentence, is most likely a name too: it is reported with a low score.
    """

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="NameListRecognizer")

    def load(self) -> None:
        first_names(), surnames()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = list(_TOKEN.finditer(text))
        letters = [ch for ch in text if ch.isalpha()]
        shouting = bool(letters) and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
        keys = [name_key(t.group()) for t in tokens]
        listed = [is_listed_name(k) for k in keys]
        out: list[RecognizerResult] = []
        for index, token in enumerate(tokens):
            word = token.group()
            key = keys[index]
            end = token.start() + len(re.sub(r"['’]s$", "", word, flags=re.IGNORECASE))
            if key in safeguarding_words() or key in peoples() or len(key) < 2:
                continue
            capitalised = word[0].isupper() and not (shouting and word.isupper())
            line_start = text.rfind("\n", 0, token.start()) + 1
            heading = text[line_start : line_start + 1] == "#"
            mid_sentence = not heading and not _SENTENCE_START.search(
                text[line_start : token.start()]
            )
            neighbour = self._named_neighbour(tokens, listed, index, text)
            if listed[index]:
                if not is_ambiguous_name(key):
                    out.append(self._result(token.start(), end, 0.75, "name list"))
                elif key in MONTHS and _next_is_number(text, token.end()):
                    continue
                elif (capitalised and (mid_sentence or neighbour)) or (
                    word[0].isupper() and neighbour
                ):
                    out.append(self._result(token.start(), end, 0.6, "name list, capitalised"))
            elif (
                capitalised
                and mid_sentence
                and len(key) >= 3
                and not word.isupper()
                and not is_ordinary_word(key)
                and not is_ordinary_word(key.rstrip("s"))
            ):
                out.append(
                    self._result(token.start(), end, 0.35, "capitalised word in no dictionary")
                )
        return out

    @staticmethod
    def _named_neighbour(
        tokens: list[re.Match[str]], listed: list[bool], index: int, text: str
    ) -> bool:
        """Return True when the next or previous word (same line, one space apart) is a name or title."""
        for other in (index - 1, index + 1):
            if not 0 <= other < len(tokens):
                continue
            a, b = sorted((tokens[index], tokens[other]), key=lambda t: t.start())
            gap = text[a.end() : b.start()]
            if gap not in (" ", "-"):
                continue
            word = tokens[other].group()
            if not word[0].isupper():
                continue
            key = name_key(word)
            own = name_key(tokens[index].group())
            # "Grace Okafor": a first name before a name; "Kim Brown": a surname after one.
            fits = own in first_names() if other > index else own in surnames()
            if key in TITLES and other < index:
                return True
            if fits and listed[other] and not is_ambiguous_name(key):
                return True
        return False

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name} ({why})",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _next_is_number(text: str, end: int) -> bool:
    return text[end : end + 3].lstrip()[:1].isdigit()


def build_registry() -> RecognizerRegistry:
    """Return the one registry of every recognizer the anonymisation pass runs."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        # Presidio's own, switched on and fixed
        NhsRecognizer(),
        UkNinoRecognizer(),
        UkPostcodeRecognizer(),
        PhoneRecognizer(supported_regions=["GB"], context=["phone", "mobile", "tel", "telephone"]),
        AnyDomainEmailRecognizer(),
        SpacyRecognizer(
            supported_entities=sorted({entity for entity, _, _ in NER_LABELS.values()}),
        ),
        # ours
        NhsFormatRecognizer(),
        UkPhoneRecognizer(),
        UkAddressRecognizer(),
        SettingRecognizer(),
        AgeRecognizer(),
        ReferenceNumberRecognizer(),
        BritishDateRecognizer(),
        TitledNameRecognizer(),
        NameListRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    return registry


def layer_of(recognizer_name: str) -> str:
    """Return the layer a recognizer belongs to: NER is the weakest, patterns and lists beat it."""
    return "ner" if recognizer_name.startswith("SpacyRecognizer") else "pattern"


__all__ = [
    "NER_LABELS",
    "RECOGNIZER_SET_VERSION",
    "EntityRecognizer",
    "build_registry",
    "layer_of",
]
