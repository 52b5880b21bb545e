"""Layer two: the recognizers that find what nobody listed, all registered here and nowhere else.

Presidio's own UK recognizers are used where they are right (NHS checksum, NI number, postcode, GB
phone numbers through libphonenumber) and our own fill the gaps ANONYMISATION.md lists: NHS numbers that
fail the checksum, UK phone formats libphonenumber refuses (drama ranges), addresses, schools and
surgeries, ages, reference numbers, dates in every British form, and names in any case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

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

from pipeline.anonymise.patterns import MONTH_NAMES, RECOGNIZER_SET_VERSION
from pipeline.anonymise.public import DOCUMENT_WORDS, SETTING_WORDS
from pipeline.anonymise.vocabulary import (
    AGENCY_WORDS,
    DAYS,
    DETERMINERS,
    FUNCTION_WORDS,
    HYPHEN_PREFIXES,
    MONTHS,
    NAME_PARTICLES,
    SHORT_WORDS,
    STREET_TYPES,
    TITLE_PATTERN,
    TITLE_WORDS,
    first_names,
    in_with_plural,
    is_acronym,
    is_ambiguous_name,
    is_dictionary_word,
    is_ordinary_word,
    is_role_noun,
    is_street_word,
    is_title,
    mostly_capitals,
    peoples,
    safeguarding_words,
    surnames,
)
from pipeline.anonymise.vocabulary import (
    ROLE_NOUNS as _ROLE_NOUNS,
)
from pipeline.anonymise.wordsense import is_rating, tagged_as_noun

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

WEEKDAYS = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
ORDINAL = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class Rule:
    """One regular expression of a recognizer: the group it reports, its score and entity."""

    pattern: re.Pattern[str]
    entity: str
    score: float
    group: int | str = 0
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


def _nhs_like(match: re.Match[str]) -> bool:
    """Accept ten digits in at most three groups not starting 0 (phone numbers do): "999 2829592"."""
    text = match.group()
    return text[0] != "0" and len(re.split(r"[ -]", text)) <= 3


class NhsFormatRecognizer(RegexRecognizer):
    """NHS numbers in any layout of ten digits, whether or not the checksum holds."""

    rules = (
        Rule(
            _c(r"(?<![\w/.-])\d(?:[ -]?\d){9}(?![\w/-]|[ -]\d)"), "UK_NHS", 0.6, validate=_nhs_like
        ),
        Rule(
            _c(r"(?i:\bNHS\s*(?:no\.?|number|num)?\s*[:#]?\s*)(\d[\d -]{8,12}\d)(?!\d)"),
            "UK_NHS",
            0.9,
            group=1,
        ),
        # Ten digits in a spreadsheet's thousands format ("9,994,864,882", "9 994 864 882"), as a
        # number pasted from Excel reads: not money (no currency sign), one separator throughout.
        Rule(
            _c(
                r"(?<![\w£$€.,'/-])[1-9]([,.'\u00a0\u202f ])\d{3}\1\d{3}\1\d{3}"
                r"(?![\w/-]|[,.'\u00a0\u202f ]\d)"
            ),
            "UK_NHS",
            0.6,
        ),
    )


class NiFormatRecognizer(RegexRecognizer):
    """National Insurance numbers in any spacing ("QQ 752505 B"), which Presidio's pattern misses."""

    rules = (
        Rule(
            _c(r"(?i)\b[A-Z]{2}\s?(?:\d\s?){6}[A-D]\b"),
            "UK_NINO",
            0.7,
            validate=lambda m: (
                m.group()[:2].upper() not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ")
            ),
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


class UkPhoneNumbersRecognizer(PhoneRecognizer):
    """Presidio's phone recognizer (the `phonenumbers` library) for UK numbers, asked only when a
    text holds as many digits together as the shortest UK number: most paragraphs hold none, and
    the library's matcher costs about as much as all our patterns together."""

    REGIONS = ("GB",)

    def __init__(self) -> None:
        super().__init__(
            supported_regions=list(self.REGIONS),
            context=["phone", "mobile", "tel", "telephone"],
        )
        import phonenumbers

        self.min_digits = min(
            min(phonenumbers.PhoneMetadata.metadata_for_region(r).general_desc.possible_length)
            for r in self.REGIONS
        )
        # The digits of a number stand together, a few separators apart ("+44 (0)161 496 0000");
        # dates and counts spread through a paragraph are not asked about.
        self._digit_run = re.compile(rf"\d(?:[\s()+./-]{{0,3}}\d){{{self.min_digits - 1},}}")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if sum(ch.isdigit() for ch in text) < self.min_digits or not self._digit_run.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts)


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
    # the building or street, then the town: "Flat 13, Pinewood House, Fernhill Lane, Oldmere BF7 4QU"
    tail = rf"(?:,\s+{word}(?:\s+{word}){{0,2}}){{0,2}}(?:,?\s+{word}(?:\s+{word})?)?(?:,?\s+{POSTCODE})?"
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
            start = name.start()
            for stop in re.finditer(r"\b(\w+)\.\s+", name.group()):
                if len(stop.group(1)) > 1 and stop.group(1) != "St" and not is_title(stop.group(1)):
                    start = name.start() + stop.end()  # "an EHCP. Hospital staff": a new sentence
            words = re.findall(r"[\w'’]+", text[start : match.start()])
            if not _named_setting(words) or all(
                w.isupper() and w.lower() in safeguarding_words() for w in words
            ):
                continue
            entity = f"SETTING_{match.lastgroup.upper()}" if match.lastgroup else "SETTING_SCHOOL"
            out.append(self._result(entity, start, match.end(), 0.8))
        return out


NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})"


_BARE_ACRONYM = re.compile(r"(?<![\w&/'’-])[A-Z]{3,5}(?![\w&/-])")
# The shape of a hospital's acronym: "... Hospital" (SJUH, LGH, QEH), "... Infirmary" (BRI, LGI).
_HOSPITAL_SHAPE = re.compile(r"[A-Z]{2,4}H|[A-Z]{2,3}I")
SETTING_AFTER = re.compile(
    r"\s+(?:A&E|ED|ward|wards|maternity|NICU|SCBU|PICU|hospital|emergency\s+department|paediatric"
    r"|children['’]s\s+ward|neonatal|outpatients?|clinic)\b",
    re.IGNORECASE,
)
_SETTING_BEFORE = re.compile(
    r"\b(?:admitted\s+to|transferred\s+to|taken\s+to|attended|attending|discharged\s+from"
    r"|born\s+at|seen\s+at|conveyed\s+to|presented\s+(?:at|to)|ambulance\s+to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _kept_acronym(word: str) -> bool:
    """Return True for capitals that are never a setting's acronym: a public acronym (the
    gazetteers), the vocabulary's, the safeguarding vocabulary or a name in the name lists."""
    from pipeline.anonymise.public import is_public_acronym

    key = word.lower()
    return (
        is_public_acronym(word)
        or is_acronym(word)
        or key in safeguarding_words()
        or is_listed_name(key)
    )


def _hospital_shaped(word: str) -> bool:
    """Return True for capitals shaped like a hospital's acronym: "...H" or "...I", at most one
    vowel (so no name such as "NOAH" or "LEIGH"), and no ordinary word."""
    return (
        _HOSPITAL_SHAPE.fullmatch(word) is not None
        and len(_VOWELS.findall(word)) <= 1
        and not is_ordinary_word(word.lower())
    )


def hospital_acronym(word: str) -> bool:
    """Return True for capitals shaped like a hospital's acronym ("SJUH", "BRI", "LGI") that are
    no name, word or public acronym."""
    return _hospital_shaped(word) and not _kept_acronym(word)


def _setting_acronym(match: re.Match[str]) -> bool:
    """Accept capitals shaped like a hospital's acronym, or where a setting stands ("admitted to
    ABC", "ABC ward"), when they are no public acronym, vocabulary, name or word."""
    word, text = match.group(), match.string
    if _kept_acronym(word):
        return False
    return bool(
        _hospital_shaped(word)
        or SETTING_AFTER.match(text, match.end())
        or _SETTING_BEFORE.search(text, max(0, match.start() - 40), match.start())
    )  # "seen at MPH": where a setting stands, capitals that spell a word still name one


class SettingAcronymRecognizer(RegexRecognizer):
    """A hospital or setting by an acronym the text never defines: "seen at SJUH", "the BRI".

    A setting's acronym names where a family was seen as surely as its name. An acronym of public
    language (the gazetteers, the safeguarding vocabulary: MASH, CAMHS, NHS) is never one; an acronym
    the text defines in ordinary words is kept by the engine. Of the rest, one shaped like a
    hospital's ("...H", "...RI") or written where a setting stands ("admitted to ABC", "ABC ward")
    is reported.
    """

    rules = (Rule(_BARE_ACRONYM, "SETTING_HOSPITAL", 0.7, validate=_setting_acronym),)


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
        # A contact or log number in any case ("MOS-316578", "Mos-316578" where a record in capitals
        # was read in ordinary case): letters, a separator, five or more digits. "S47", "section 47",
        # "COVID-19" and years have fewer digits or no separator, and are kept.
        Rule(
            _c(r"(?<![\w/.-])[A-Za-z]{2,5}[-/]\d{5,}(?![\w/-])"),
            "REFERENCE",
            0.6,
            validate=_not_review_id,
        ),
    )


# The age identifier of a current registration: 02-25 (March) or 51-75 (September), 2002 to 2025.
_PLATE_AGE = r"(?:0[2-9]|1\d|2[0-5]|5[1-9]|6\d|7[0-5])"
# Words that make an older registration's shape a vehicle's ("reg Y123 ABC", "a car, K456 XYZ").
_VEHICLE_BEFORE = re.compile(
    r"(?i:\b(?:car|cars|vehicle|vehicles|van|taxi|moped|motorbike|motorcycle|scooter|lorry|plate"
    r"|plates|registration|registered|reg|VRM|index)\b)[^.\n]{0,40}$"
)


def _vehicle_context(match: re.Match[str]) -> bool:
    text = match.string
    return bool(_VEHICLE_BEFORE.search(text, max(0, match.start() - 60), match.start()))


class VehicleRegistrationRecognizer(RegexRecognizer):
    """UK vehicle registrations written in the narrative: "BD51 SMR", "bd51smr", "reg Y123 ABC".

    The current format (two letters, the age identifier, three letters) is distinctive enough alone,
    in any case and spacing; the older prefix ("Y123 ABC") and suffix ("ABC 123Y") formats need a
    vehicle word before them. A registration is a reference to one family's car: it is removed.
    """

    rules = (
        Rule(
            _c(rf"(?i)(?<![\w/-])[A-Z]{{2}}{_PLATE_AGE}[ \u00a0]?[A-Z]{{3}}(?![\w/-])"),
            "REFERENCE",
            0.8,
        ),
        Rule(
            _c(
                r"(?i)(?<![\w/-])(?:[A-Z]\d{1,3}[ \u00a0]?[A-Z]{3}|[A-Z]{3}[ \u00a0]?\d{1,3}[A-Z])(?![\w/-])"
            ),
            "REFERENCE",
            0.7,
            validate=_vehicle_context,
        ),
    )


def _valid_numeric_date(match: re.Match[str]) -> bool:
    day, month = int(match.group("d")), int(match.group("m"))
    return 1 <= day <= 31 and 1 <= month <= 12


class BritishDateRecognizer(RegexRecognizer):
    """Exact dates in British forms: "2 April 2023", "2nd of April", "02/04/2023", "2023-04-02"."""

    rules = (
        Rule(
            _c(
                rf"\b(?<!\d\.){WEEKDAYS}(?:the\s+)?(?:\d{{1,2}}{ORDINAL}\s*(?:to|and|&|-|–)\s*)?"
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


_NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]+(?:-(?:Mc|Mac|O['’])?[A-Z][a-z'’]+)?"
_NAME_PARTICLES = (
    r"(?:(?:de|van|von|der|den|da|dos|das|di|del|della|du|le|la|ter|ten|ap|bin|ibn|al|el)\s+){0,2}"
)


def _name_after_title(word: str) -> bool:
    """Accept "Christmas" in "PCSO Christmas" (a surname), refuse "Dr Service" (vocabulary only)."""
    key = word.lower()
    return key not in safeguarding_words() or is_listed_name(key)


class TitledNameRecognizer(RegexRecognizer):
    """A title and a capitalised name: "Mrs Okafor", "Dr P. Singh", "Mr J Smith", "PC de Vries",
    "MR HOLLAND"."""

    rules = (
        Rule(
            _c(
                rf"\b(?:{TITLE_PATTERN}\s+){{1,2}}(?:[A-Z](?:\.\s*|\s+)){{0,2}}{_NAME_PARTICLES}{_NAME_WORD}"
                rf"(?:\s+{_NAME_PARTICLES}{_NAME_WORD})?"
            ),
            "PERSON",
            0.9,
            validate=lambda m: _name_after_title(m.group().split()[-1]),
        ),
        Rule(
            _c(rf"\b(?:{TITLE_PATTERN}\s+){{1,2}}[A-Z][A-Z'’\-]+\b"),
            "PERSON",
            0.8,
            validate=lambda m: not is_title(m.group().split()[-1]),
        ),
    )


# Words that follow a person's name: "Obinna, a maternal uncle", "Gift told the review".
PERSON_AFTER = re.compile(
    r"(?:,\s*(?:a|an|the|his|her|their|who|whose|described|aged|[A-Z]\w*['’]s)\b"
    r"|\s+(?:told|said|says|reported|rang|phoned|called|visited|saw|emailed|texted|agreed"
    r"|explained|described|recalled|noticed|asked|collected|gave|took|had|was|is|has|lives"
    r"|lived|stayed|attended|completed|confirmed|recorded|raised|spoke|left|moved|arrived|came"
    r"|went|refused|declined|disclosed|admitted|denied|made|arrested|raised|found|drove|sent|picked"
    r"|and\s+(?:Mother|Father|Child)\b))"
)
# A surname with its particle: "ter Horst", "de Vries", "dos Santos" (the particle in lower case).
_PARTICLE_NAME = re.compile(
    r"(?<![\w-])(?:de|van|von|der|den|ter|ten|dos|da|du|di|del|della|ap|bin|ibn|al|el)"
    r"(?:\s+(?:der|den|de|la|los|las))?\s+[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?"
)
# Collective nouns that take a verb the way a name does ("Staff told the review").
NOT_NAMES = frozenset(
    [
        "staff",
        "officers",
        "practitioners",
        "professionals",
        "managers",
        "agencies",
        "partners",
        "services",
        "teams",
        "parents",
        "families",
        "carers",
        "children",
        "schools",
        "nurses",
        "doctors",
        "everyone",
        "nobody",
        "someone",
        "both",
        "neither",
        "mum",
        "dad",
        "mummy",
        "daddy",
        "mam",
        "nan",
        "nanny",
        "grandma",
        "gran",
        "grandad",
        "grandpa",
        "auntie",
    ]
)
_KNOWN_AS = re.compile(r"\b(?:known as|nicknamed|called himself|called herself|aka)\s+[\"“‘']?$")
_DOTTED_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){2,3}(?![\w])")
_COMMON_DOTTED = frozenset({"UK", "US", "EG", "IE", "NB", "AM", "PM", "PS", "BA", "MA", "RIP"})
_VOWELS = re.compile(r"[AEIOUYaeiouy]")
# Endings of English derived words ("perinatal", "hypothermic", "safeguarded"): a lower-case word in
# no dictionary that ends so is jargon or a typo, not a name.
_JARGON = re.compile(
    r"(?:al|ic|ics|ous|ive|ion|ions|ity|ism|ist|ology|itis|osis|ment|ness|able|ible|ing|ed|er|ers"
    r"|ly|ise|ize|ised|ized|ate|ary|ory|ance|ence|ship|less|ful|ward|wise)$"
)


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_START = re.compile(
    r"(?:(?:^|\n)\s*(?:[-*+>#|]+\s*|\d+[.)]\s*)?[*_\"'“‘(]*|[.!?:;|]\s*[\"'“‘(*_]*)$"
)
_SCOTS_IRISH = re.compile(r"^(?:o['’]|mc|mac)", re.IGNORECASE)


_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def name_key(token: str) -> str:
    """Return the lower-case lookup form of a name token ("O'Neill's" -> "o'neill")."""
    return _POSSESSIVE.sub("", token).lower()


@lru_cache(maxsize=65536)
def _plain_word(key: str) -> bool:
    """Return True for a lower-case word no rule takes for a name: a word, and no unambiguous name."""
    if is_listed_name(key) and not is_ambiguous_name(key):
        return False
    return is_ordinary_word(key) or is_dictionary_word(key)


@lru_cache(maxsize=65536)
def is_listed_name(key: str) -> bool:
    if key in first_names() or key in surnames():
        return True
    bare = _SCOTS_IRISH.sub("", key).replace("’", "'")
    if _CONTRACTION_END.search(bare):
        return False  # "aren’t" is not "Arent" with an apostrophe
    return (
        bool(bare) and bare != key and (bare in surnames() or bare.replace("'", "") in surnames())
    )


_CONTRACTION_END = re.compile(r"n't$|'(?:ll|ve|re|d|m)$")


def person_result(
    recognizer: EntityRecognizer, start: int, end: int, score: float, why: str
) -> RecognizerResult:
    """Return a PERSON result that names its recognizer and the reason ("... (initials)")."""
    return RecognizerResult(
        "PERSON",
        start,
        end,
        score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: f"{recognizer.name} ({why})",
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


_POSSESSIVE_END = re.compile(r"['’]s$", re.IGNORECASE)


class NameListRecognizer(LocalRecognizer):
    """Names from the first-name and surname lists, in any case, and words shaped like names.

    A name that is also an ordinary word counts only when capitalised away from the start of a
    sentence, next to another name, or at the start of a sentence when what follows is what follows
    a person ("Gift told the review", "Jun, a cousin"). A word in no list and no dictionary is most
    likely a name too: capitalised ("Sunita"), in capitals with vowels ("EFUA OFORI"), or in lower
    case ("chinedu") outside e-mail addresses and links; these are reported with a low score. So are
    initials: dotted ("C.N.") anywhere, bare ("LS") where a person's name would stand.
    """

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="NameListRecognizer")

    def load(self) -> None:
        first_names(), surnames()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = list(_TOKEN.finditer(text))
        shouting = mostly_capitals(text)
        keys = [name_key(t.group()) for t in tokens]
        listed = [is_listed_name(k) for k in keys]
        out: list[RecognizerResult] = []
        for index, token in enumerate(tokens):
            word = token.group()
            key = keys[index]
            if in_with_plural(key, safeguarding_words()) or key in peoples() or len(key) < 2:
                continue
            if word.islower() and _plain_word(key):
                continue  # the fast path: most words are lower-case words, nobody's name
            if (
                token.start() >= 2
                and text[token.start() - 1] == "("
                and (text[token.start() - 2].isalpha())
            ):
                continue  # "Child(ren)", "parent(s)": an ending in brackets
            if _in_address_or_link(text, token.start(), token.end()):
                continue
            end = token.start() + len(_POSSESSIVE_END.sub("", word))
            capitalised = word[0].isupper() and not (shouting and word.isupper())
            line_start = text.rfind("\n", 0, token.start()) + 1
            heading = text[line_start : line_start + 1] == "#"
            window = max(line_start, token.start() - 40)
            before = ("x" if window > line_start else "") + text[window : token.start()]
            mid_sentence = not heading and not _SENTENCE_START.search(before)
            neighbour = self._named_neighbour(tokens, listed, index, text)
            person_next = bool(PERSON_AFTER.match(text, token.end()))
            ordinary = (
                is_ordinary_word(key)
                or is_dictionary_word(word)
                or key in HYPHEN_PREFIXES  # "Pre Birth Assessment": nobody's name
                or _joined_to_a_word(text, token.start(), token.end())
            )
            if (
                word.isupper()
                and 2 <= len(word) <= 3
                and not shouting
                and not is_acronym(word)
                and word.lower() not in SHORT_WORDS
                and (person_next or _person_before(text, token.start()))
            ):
                out.append(self._result(token.start(), end, 0.4, "initials where a name stands"))
                continue
            if _KNOWN_AS.search(text, max(0, token.start() - 20), token.start()) and capitalised:
                out.append(self._result(token.start(), end, 0.6, "a name someone is known by"))
                continue
            if listed[index]:
                if (key in MONTHS or _MONTH_SHORT.fullmatch(key)) and _next_is_number(
                    text, token.end()
                ):
                    continue  # "in May 2021", "report Jan 2021": a date
                if word.isupper() and len(word) <= 3 and not neighbour:
                    continue  # "PA", "HE": capitals this short are initials or abbreviations
                if (
                    (key in MONTHS or (len(key) <= 3 and is_ordinary_word(key)))
                    and not neighbour
                    and not (  # "Jun sent", "Bo told": a short name, then what a person does
                        capitalised
                        and person_next
                        and key not in MONTHS
                        and key not in SHORT_WORDS
                        and key not in FUNCTION_WORDS
                        and not PERSON_AFTER.match(text, token.end()).group().startswith(",")
                    )
                ):
                    continue  # "in January", "He said": a month or a little word, not a name
                if not is_ambiguous_name(key):
                    out.append(self._result(token.start(), end, 0.75, "name list"))
                elif (
                    capitalised
                    and mid_sentence
                    and (
                        key in first_names()
                        or person_next  # "Homes", "Staff": a word
                        or (
                            word.isupper() and len(word) > 3 and _person_before(text, token.start())
                        )
                    )  # "reviewed by SHARP": a surname in capitals where a person stands
                    and not is_rating(text, token.start(), end)  # "rated Amber", "an Amber rating"
                ) or (word[0].isupper() and neighbour):
                    out.append(self._result(token.start(), end, 0.6, "name list, capitalised"))
                elif (
                    capitalised
                    and not heading
                    and person_next
                    and key not in NOT_NAMES
                    and key not in NOT_A_NAME
                    and key not in TITLE_WORDS
                ):
                    out.append(self._result(token.start(), end, 0.5, "a name, then a verb"))
            elif capitalised and mid_sentence and _BIRTH_AFTER.match(text, end):
                out.append(self._result(token.start(), end, 0.5, "a name, then a date of birth"))
            elif len(key) < 3 or ordinary or is_title(word) or _ACRONYM_PLURAL.fullmatch(word):
                continue  # "SPRs", "LSPs": acronyms in the plural, nobody's name
            elif word.isupper() and not shouting:
                if len(_VOWELS.findall(word)) >= 2 and not is_acronym(word):
                    out.append(self._result(token.start(), end, 0.35, "capitals in no dictionary"))
                elif len(word) >= 4 and not is_acronym(word) and _after_a_call(text, token.start()):
                    out.append(
                        self._result(token.start(), end, 0.35, "capitals where a name stands")
                    )
            elif capitalised and not heading and not word.isupper():
                out.append(
                    self._result(token.start(), end, 0.35, "capitalised word in no dictionary")
                )
            elif word.islower() and _VOWELS.search(word) and not _JARGON.search(word):
                out.append(
                    self._result(token.start(), end, 0.3, "lower-case word in no dictionary")
                )
        for match in _PARTICLE_NAME.finditer(text):
            if name_key(match.group().split()[-1]) not in safeguarding_words():
                out.append(self._result(match.start(), match.end(), 0.5, "a particle and a name"))
        out += self._beside_names(tokens, keys, listed, {r.start for r in out}, text)
        for match in _DOTTED_INITIALS.finditer(text):
            letters_only = re.sub(r"[.\s]", "", match.group())
            if letters_only not in _COMMON_DOTTED:
                out.append(self._result(match.start(), match.end(), 0.5, "initials"))
        return out

    def _beside_names(
        self,
        tokens: list[re.Match[str]],
        keys: list[str],
        listed: list[bool],
        found: set[int],
        text: str,
    ) -> list[RecognizerResult]:
        """Return the capitalised listed names right beside a name found ("Mason" in "Mason Frost")."""
        out = []
        flagged = {i for i, t in enumerate(tokens) if t.start() in found}
        for index in sorted(flagged):
            for other in (index - 1, index + 1):
                if other in flagged or not 0 <= other < len(tokens):
                    continue
                other_word = tokens[other].group()
                if other == index + 1 and _initial_after(tokens, index, text):
                    start = tokens[other].start()
                    out.append(self._result(start, start + 1, 0.5, "an initial after a name"))
                    continue  # "Lil T", "Jane S."
                if self._lower_case_name_part(tokens, keys, index, other, text):
                    start = tokens[other].start()
                    out.append(self._result(start, tokens[other].end(), 0.4, "beside a name"))
                    continue  # "priya gill", "ffion evans": a whole name in lower case
                if (
                    is_dictionary_word(other_word)
                    and keys[other] not in first_names()
                    and not (
                        other == index + 1
                        and _starts_a_name(tokens, index, text)
                        and _surname_after(keys[index], other_word)
                    )
                ):
                    continue  # "Brackenford Homes": a word beside a place the lists call a name
                if other_word.isupper() and (
                    is_acronym(other_word) or len(_VOWELS.findall(other_word)) < 2
                ):
                    continue  # "ADHD"
                a, b = sorted((tokens[index], tokens[other]), key=lambda t: t.start())
                word, key = tokens[other].group(), keys[other]
                if (
                    text[a.end() : b.start()] == " "
                    and word[:1].isupper()
                    and key not in TITLE_WORDS
                    and key not in safeguarding_words()
                    and key not in MONTHS
                    and len(key) > 2
                ):
                    end = tokens[other].start() + len(re.sub(r"['’]s$", "", word))
                    out.append(self._result(tokens[other].start(), end, 0.5, "beside a name"))
        return out

    @staticmethod
    def _lower_case_name_part(
        tokens: list[re.Match[str]], keys: list[str], index: int, other: int, text: str
    ) -> bool:
        """Return True for the rest of a name written in lower case beside a part found: a surname
        after it ("priya gill"), a word in no dictionary before it ("ffion evans")."""
        word, other_word = tokens[index].group(), tokens[other].group()
        if not (word.islower() and other_word.islower()) or len(keys[other]) < 3:
            return False
        a, b = sorted((tokens[index], tokens[other]), key=lambda t: t.start())
        if text[a.end() : b.start()] != " " or keys[other] in FUNCTION_WORDS:
            return False
        unknown = not is_dictionary_word(word)  # "nuno", "nwachukwu": in no dictionary
        if other > index:  # the tagger tells "priya gill" from "jayden said", only here
            return (
                (keys[index] in first_names() or unknown)
                and keys[other] in surnames()
                and tagged_as_noun(text, tokens[other].start(), tokens[other].end())
            )  # "priya gill", "nuno martins"
        if not is_dictionary_word(other_word):
            return keys[index] in surnames()  # "ffion evans"
        role = other > 0 and is_role_noun(tokens[other - 1].group())
        return (  # "favour nwachukwu", "cousin precious taylor": a first name before a surname
            unknown
            and keys[other] in first_names()
            and (role or tagged_as_noun(text, tokens[other].start(), tokens[other].end()))
        )

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
            if key in TITLE_WORDS and other < index:
                return True
            if fits and listed[other] and not is_ambiguous_name(key):
                return True
            if (
                other < index
                and fits
                and _unknown_capitalised(word)
                and PERSON_AFTER.match(text, tokens[index].end())
            ):
                return True  # "Chinedu Obi told": a surname after a word no list or dictionary
                # has, then what a person does (not "Brackenford Homes (housing association)")
        return False

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return person_result(self, start, end, score, why)


_PERSON_BEFORE = re.compile(
    r"(?:\b(?:by|to|from|with|and|told|asked|called|contacted|visited|uncle|aunt|cousin|friend"
    r"|neighbour|partner|boyfriend|girlfriend|brother|sister)\s+|^\s*(?:[-*+]\s+)?)$",
    re.IGNORECASE,
)


_TIME_WORDS = DAYS | frozenset(
    {"today", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening", "night"}
    | {"weekend"}
)


def _initial_after(tokens: list[re.Match[str]], index: int, text: str) -> bool:
    """Return True when a single capital (not "I") follows the name at `index` after one space,
    and no word goes on from it: the initial of a surname ("Lil T outside", "Jane S. said")."""
    if index + 1 >= len(tokens):
        return False
    name, letter = tokens[index], tokens[index + 1]
    return (
        text[name.end() : letter.start()] == " "
        and re.fullmatch(r"[A-HJ-Z]", letter.group()) is not None
        and not text[letter.end() : letter.end() + 1].isalpha()
        and name.group()[:1].isupper()
        and not name.group().isupper()  # "SCR G": a review's label, not "Lil T"
    )


def _starts_a_name(tokens: list[re.Match[str]], index: int, text: str) -> bool:
    """Return True when the word at `index` is not the second part of a name: nothing capitalised
    or joined by a hyphen right before it ("by Dominic", not "MARSH-WILLIAMS" or "Ann Kay")."""
    if index == 0:
        return True
    before = tokens[index - 1]
    gap = text[before.end() : tokens[index].start()]
    return not (gap in ("-", "") or (gap == " " and before.group()[:1].isupper()))


def _surname_after(first: str, word: str) -> bool:
    """Return True for a capitalised word that is the surname of the first name before it: a
    surname of the lists though also a word ("Hope Sharp"), or after a first name nobody writes as
    a word, any word ("Dominic Clout", "Ayesha Fairweather"); not a team, document, setting, time
    or street named after someone ("Olivia Report", "Hope Street", "Summer Term")."""
    key = word.lower()
    return (
        first in first_names()
        and (key in surnames() or (not is_ambiguous_name(first) and not is_ordinary_word(first)))
        and key not in AGENCY_WORDS
        and key not in DOCUMENT_WORDS
        and key not in SETTING_WORDS
        and key not in _TIME_WORDS
        and key not in MONTHS
        and not is_street_word(word)
    )


def _person_before(text: str, start: int) -> bool:
    """Return True when the words before `start` are what comes before a person ("told by")."""
    return bool(_PERSON_BEFORE.search(text, max(0, start - 30), start))


_CALLED = re.compile(r"\b(?:rang|phoned|called|telephoned|emailed|texted|told|asked|met)\s+$", re.I)


def _after_a_call(text: str, start: int) -> bool:
    """Return True after a verb of calling or telling a person ("I rang BRAM and she said")."""
    return bool(_CALLED.search(text, max(0, start - 16), start))


def _unknown_capitalised(word: str) -> bool:
    """Return True for a capitalised word in no name list and no dictionary ("Chinedu")."""
    key = name_key(word)
    return (
        len(key) >= 3
        and not word.isupper()
        and not is_listed_name(key)
        and not is_dictionary_word(word)
        and key not in safeguarding_words()
        and key not in HYPHEN_PREFIXES
    )


def _joined_to_a_word(text: str, start: int, end: int) -> bool:
    """Return True for "pre" in "pre-birth", "mortem" in "post-mortem": part of a hyphenated word;
    a prefix before its hyphen in any case ("Pre-Birth", "intra- and inter-agency")."""
    if text[start:end].lower() in HYPHEN_PREFIXES and text[end : end + 1] == "-":
        return True
    before = re.search(r"([^\W\d_]+)-$", text[max(0, start - 30) : start])
    after = re.match(r"-([^\W\d_]+)", text[end : end + 30])
    return any(
        m is not None and is_dictionary_word(m.group(1)) and m.group(1).islower()
        for m in (before, after)
    )


def _in_address_or_link(text: str, start: int, end: int) -> bool:
    """Return True for a word inside an e-mail address, a web address or a file name."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    run = text[left : right if right != -1 else len(text)]
    return "@" in run or "://" in run or "www." in run or "/" in run or "](" in run


_MONTH_SHORT = re.compile(MONTH_NAMES)
# A person's date of birth or age in brackets after their name: "Smokey (date of birth 22.02.2003)".
_BIRTH_AFTER = re.compile(r"\s*\((?:date\s+of\s+birth|dob|d\.o\.b|born|aged?)\b", re.IGNORECASE)
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,6}s")


def _next_is_number(text: str, end: int) -> bool:
    return text[end : end + 3].lstrip()[:1].isdigit()


# Who a person is, written beside their name: "a locum GP, Yaw, saw", "- Sem, a maternal uncle,",
# "told AS, a teaching assistant". The last word of the role is one of these.
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Hh]er|[Hh]is|[Tt]heir)"
_ROLE = rf"{_DETERMINER}\s+(?:[\w-]+\s+){{0,3}}?{_ROLE_NOUNS}\b"
_NAME_TOKEN = r"(?:(?:[A-Z]\.){1,3}|[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*)"
_NAME_RUN = rf"(?<![\w'’.-]){_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,3}}"
# "a locum GP, Yaw, saw": the role, then the name between commas.
_ROLE_THEN_NAME = re.compile(
    rf"\b{_ROLE}(?:\s+(?:in|for|on|from)\s+(?:the|a|her|his)\s+[\w-]+)?\s*,[ \t]*({_NAME_RUN}),"
)
# "Sem, a maternal uncle,": the name, then who they are (or "described by", "born 12.02.1994").
# ...read from each comma that a role follows, back to the name before it (cheaper than trying a
# name at every word).
_ROLE_AFTER_COMMA = re.compile(
    rf",[ \t]*(?:{_ROLE}|(?:[A-Z][\w-]*\s+){{0,2}}[A-Z]\w*['’]s\s+(?:[\w-]+\s+)?"
    rf"{_ROLE_NOUNS}\b|described\s+by\b|born\s+\d|aged\s+\d)"
)
_NAME_BEFORE_COMMA = re.compile(rf"({_NAME_RUN})[ \t]*\Z")
# One word alone at the start of a list item or line, then the comma: "- lei, a maternal uncle".
_ITEM_NAME_BEFORE_COMMA = re.compile(
    r"(?:\A|\n)[ \t]*(?:[-*+•]|\d{1,2}[.)])?[ \t]*([^\W\d_][\w'’-]*)[ \t]*\Z"
)
# Words that stand where a name would but are who someone is, not their name ("Mother, a nurse").
_ROLE_WORDS = frozenset(
    [
        "mother",
        "father",
        "child",
        "sibling",
        "baby",
        "stepfather",
        "stepmother",
        "grandmother",
        "grandfather",
        "grandparent",
        "aunt",
        "uncle",
        "cousin",
        "partner",
        "person",
        "brother",
        "sister",
        "mum",
        "dad",
        "carer",
        "adult",
        "boyfriend",
        "girlfriend",
        "friend",
        "neighbour",
        "professional",
        "practitioner",
    ]
)


def _name_like(word: str, first: bool, *, capitalised: bool = False, placed: bool = False) -> bool:
    """Return True for a word that may be part of a name written beside the person's role.

    With `capitalised`, a capitalised word counts even when it is also a word ("a locum GP, Yaw,",
    "Ghost, a friend of"), and a lower-case one when a name list has it ("the officer, hung,"):
    the place makes it a name. With `placed`, the word stands alone where only a name or a role
    can ("- lei, a maternal uncle", "- MB, a cousin"): any word but a role, title or vocabulary.
    """
    key = word.lower()
    if re.fullmatch(r"(?:[A-Z]\.){1,3}", word):
        return True  # "A.M."
    if len(key) < 2 or key in _ROLE_WORDS or key in TITLE_WORDS or key in MONTHS:
        return False
    if key in peoples() or key in NOT_A_NAME or key.endswith("ly"):
        return False
    if placed:
        return key not in safeguarding_words() and key not in SHORT_WORDS and key not in DETERMINERS
    if word.isupper() and len(word) <= 3:
        return not is_acronym(word) and key not in safeguarding_words()  # "HH", "BR", "AS"
    if key in SHORT_WORDS or (key in safeguarding_words() and not word.isupper()):
        return False
    if key in NAME_PARTICLES:
        return not first
    if word[:1].isupper():
        ordinary = is_ordinary_word(key) and not is_listed_name(key)
        return not is_acronym(word) and (capitalised or not ordinary)
    if is_listed_name(key) and (capitalised or not is_ordinary_word(key)):
        return True  # "jamal begum, a cousin"; between a role's commas even "hung"
    return not (is_ordinary_word(key) or is_dictionary_word(key))  # "guled", "tadhg"


# Words that start a sentence before a comma or a verb ("Later, the social worker", "Then the GP
# said") and that the name lists also hold: never a name there.
NOT_A_NAME = frozenset(
    [
        "later",
        "then",
        "overall",
        "here",
        "there",
        "now",
        "so",
        "also",
        "however",
        "meanwhile",
        "afterwards",
        "subsequently",
        "finally",
        "sadly",
        "today",
        "yesterday",
        "tomorrow",
        "again",
        "instead",
        "initially",
        "previously",
        "separately",
        "together",
        "otherwise",
        "still",
        "yet",
        "thus",
        "therefore",
        "hence",
        "next",
        "first",
        "second",
        "third",
        "soon",
        "once",
        "often",
        "twice",
        "sometimes",
        "indeed",
        "moreover",
        "furthermore",
        "nevertheless",
        "nonetheless",
        "besides",
        "anyway",
        "overnight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def _surname_after_a_first_name(word: str, previous: str) -> bool:
    """Return True for a listed surname spelt like a word after a first name that is no word
    ("priya gill", "jamal begum")."""
    key, first = word.lower(), previous.lower()
    return (
        key in surnames()
        and first in first_names()
        and not is_ordinary_word(first)
        and _name_like(previous, False)
    )


# A first name and a surname in lower case before what a person does: "poppy hart told the review".
_LOWER_NAME_THEN_VERB = re.compile(
    r"(?<![\w'’-])([a-z]+)[ \t]+([a-z]+)(?=[ \t]+(?:told|said|reported|agreed|explained|disclosed"
    r"|denied|rang|phoned|called|visited|noticed|raised|recalled|had called|had told)\b)"
)


# Two or more words of letters that are not lower-case ASCII, a space apart: where a run of
# capitals may be ("GÜL AYDIN"); each word is checked for capitals after.
_CAPITALS_CANDIDATE = re.compile(
    r"(?<![^\W_])[^\W\d_a-z]{2,}(?:['’-][^\W\d_a-z]+)*"
    r"(?:[ \t]+[^\W\d_a-z]{2,}(?:['’-][^\W\d_a-z]+)*)+(?![^\W_])"
)
# Above spaCy's 0.85: Presidio keeps the higher of two results on one span, and NER's "Yaw" or
# "poppy hart" alone would be dropped later as ordinary words.
_ABOVE_NER = 0.9


class RoleRecognizer(LocalRecognizer):
    """A name written beside who the person is ("a locum GP, Yaw, saw", "- BRAM, a maternal uncle").

    Also a run of two or more words in capitals inside ordinary text that are not acronyms or
    ordinary words ("GÜL AYDIN lives at", "DAAN VAN DER BERG"): a name written in capitals.
    """

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="RoleRecognizer")

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for match in _ROLE_THEN_NAME.finditer(text):
            span = self._name_span(text, *match.span(1), trim_left=False)
            if span:
                out.append(self._result(*span, _ABOVE_NER, "a name beside a role"))
        for comma in _ROLE_AFTER_COMMA.finditer(text):
            item = _ITEM_NAME_BEFORE_COMMA.search(text, max(0, comma.start() - 40), comma.start())
            if item and _name_like(item.group(1), True, placed=True):
                start = item.start(1)  # "- lei, a maternal uncle": all an item's start can be
                out.append(self._result(start, item.end(1), _ABOVE_NER, "a name beside a role"))
                continue
            match = _NAME_BEFORE_COMMA.search(text, max(0, comma.start() - 80), comma.start())
            span = match and self._name_span(text, *match.span(1), trim_left=True)
            if span:
                out.append(self._result(*span, _ABOVE_NER, "a name beside a role"))
        for match in _LOWER_NAME_THEN_VERB.finditer(text):
            first, surname = match.group(1), match.group(2)
            before = re.search(r"([^\W\d_]+)\W*$", text[max(0, match.start() - 30) : match.start()])
            if (
                first in first_names()
                and surname in surnames()
                and not {first, surname} & (safeguarding_words() | FUNCTION_WORDS | NOT_A_NAME)
                and (before is None or before.group(1).lower() not in DETERMINERS)
            ):
                out.append(
                    self._result(match.start(), match.end(), _ABOVE_NER, "a name, then a verb")
                )
        out += self._capitals(text)
        return out

    @staticmethod
    def _name_span(text: str, start: int, end: int, *, trim_left: bool) -> tuple[int, int] | None:
        """Return the name in text[start:end]: between a role's commas every word must be a name's;
        before a role, the name-like words nearest it (the run may start "told priya gill")."""
        words = list(re.finditer(r"\S+", text[start:end]))
        if not trim_left:
            if not all(
                _name_like(w.group(), i == 0, capitalised=True) for i, w in enumerate(words)
            ):
                return None
            keep = words
        else:
            keep = []
            for index in range(len(words) - 1, -1, -1):
                word = words[index].group()
                named = any(k.group().lower() not in NAME_PARTICLES for k in keep)
                if not (
                    _name_like(word, False, capitalised=named or word[:1].isupper())
                    or _surname_after_a_first_name(word, words[index - 1].group() if index else "")
                ):
                    break
                keep.insert(0, words[index])
        # a particle starts a name only before a capitalised word ("van Dijk, a cousin")
        while (
            keep
            and keep[0].group().lower() in NAME_PARTICLES
            and not (len(keep) > 1 and keep[1].group()[:1].isupper())
        ):
            keep.pop(0)
        if not keep:
            return None
        return start + keep[0].start(), start + keep[-1].end()

    def _capitals(self, text: str) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        candidates = list(_CAPITALS_CANDIDATE.finditer(text))
        if not candidates:
            return out
        if mostly_capitals(text):
            return out  # a text in capitals is read in ordinary case by NER instead
        for candidate in candidates:
            out += self._capitals_in(text, *candidate.span())
        return out

    def _capitals_in(self, text: str, start: int, end: int) -> list[RecognizerResult]:
        out = []
        run: list[re.Match[str]] = []
        for token in [*_TOKEN.finditer(text, start, end), None]:
            joined = (
                token is not None
                and token.group().isupper()
                and len(token.group()) >= 2
                and (not run or text[run[-1].end() : token.start()] in (" ", "\t"))
            )
            if joined:
                run.append(token)
                continue
            if len(run) >= 2 and named_in_capitals([t.group() for t in run]):
                out.append(self._result(run[0].start(), run[-1].end(), 0.45, "a name in capitals"))
            run = [token] if token is not None and token.group().isupper() else []
            if run and len(run[0].group()) < 2:
                run = []
        return out

    @staticmethod
    def _after_a_name(
        tokens: list[re.Match[str]], listed: list[bool], index: int, text: str
    ) -> bool:
        """Return True when the word before (same line, one space apart) is a first name, or a
        capitalised word in no dictionary ("Chinedu"): what follows it is a surname."""
        if index == 0 or text[tokens[index - 1].end() : tokens[index].start()] != " ":
            return False
        before = tokens[index - 1].group()
        key = name_key(before)
        if not before[0].isupper() or before.isupper() or len(key) < 3:
            return False
        if listed[index - 1]:
            return key in first_names()
        return not is_dictionary_word(before) and not is_title(before)

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return person_result(self, start, end, score, why)


def named_in_capitals(words: list[str]) -> bool:
    """Return True for capitals that are no acronym, no vocabulary and not only ordinary words."""
    keys = [w.lower() for w in words]
    if any(is_acronym(w) or k in safeguarding_words() for w, k in zip(words, keys, strict=True)):
        return False
    names = [w for w, k in zip(words, keys, strict=True) if k not in NAME_PARTICLES]
    if not names or all(is_ordinary_word(k) for k in keys if k not in NAME_PARTICLES):
        return False
    return all(_VOWELS.search(unicodedata.normalize("NFD", w)) for w in names)


_OPEN_QUOTE = "[\"“‘']"
_CLOSE_QUOTE = "[\"”’']"
_INTRODUCED = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"


def _nickname(span: str) -> bool:
    """Return True for a capitalised name after "known locally as", "nicknamed", "whom they call"
    written without quotation marks, when it is no public language: not a label ("Child A"), a
    role ("Mother"), a title, an acronym, the safeguarding vocabulary or a public place or phrase."""
    from pipeline.anonymise.public import is_label, is_public_acronym, is_public_phrase, places

    if is_label(span) or is_public_phrase(span):
        return False
    for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", span):
        key = name_key(word)
        if (
            key in FUNCTION_WORDS
            or key in DETERMINERS
            or key in _ROLE_WORDS
            or key in NOT_NAMES
            or key in NOT_A_NAME
            or key in MONTHS
            or is_title(word)
            or key in safeguarding_words()
            or key in peoples()
            or key in places()
            or is_public_acronym(word)
            or (word.isupper() and is_acronym(word))
        ):
            return False
    return True


def _nickname_owner(span: str) -> bool:
    """Return True for the name of someone a nickname is given to: no public language, label, role
    or title, and at least one word a name list has or no dictionary has ("Brandon Christmas",
    "Sem de Vries"; not "Operation Encompass", "Mother", "Child A")."""
    from pipeline.anonymise.public import is_label, is_public_phrase

    if is_label(span) or is_public_phrase(span):
        return False
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", span)
    keys = [name_key(w) for w in words if w[0].isupper()]
    if any(k in _ROLE_WORDS or k in DETERMINERS or k in TITLE_WORDS for k in keys):
        return False
    return any(
        (is_listed_name(k) or not is_dictionary_word(k)) and k not in safeguarding_words()
        for k in keys
    )


def _unquoted(pattern: str) -> Rule:
    """Return the rule of a name introduced without quotation marks: group "n", if no public language."""
    return Rule(_c(pattern), "PERSON", 0.9, "n", validate=lambda m: _nickname(m.group("n")))


class IntroducedNameRecognizer(RegexRecognizer):
    """Names a text introduces: nicknames in quotation marks and previous surnames.

    `known locally as "Pixie"`, `whom the family call "Smudge"`, `"Bubba", the name used in police
    intelligence`, `under her previous surname, Wainwright`, `née Hartley`. NER misses these because
    a nickname is often an ordinary word; once found, the engine removes it everywhere in the review.
    """

    rules = (
        Rule(
            _c(
                r"(?i:\b(?:known(?:\s+locally|\s+(?:to|by)(?:\s+[\w-]+){1,3}?)?\s+as|nicknamed|call(?:s|ed)?"
                r"(?:\s+(?:him|her|them|me|himself|herself|themselves))?|go(?:es)?\s+by|went\s+by"
                r"|referred\s+to\s+as|(?:nick|street|pet)\s*name(?:\s+(?:was|is|of))?|alias))\s+"
                rf"{_OPEN_QUOTE}(?P<n>{_INTRODUCED}){_CLOSE_QUOTE}"
            ),
            "PERSON",
            0.9,
            "n",
        ),
        Rule(
            _c(
                rf"{_OPEN_QUOTE}(?P<n>{_INTRODUCED}){_CLOSE_QUOTE},?\s+(?i:the\s+name\s+(?:used|given)"
                r"|as\s+(?:he|she|they)\s+(?:was|were|is|are)\s+known|(?:his|her|their)\s+(?:nick|street)\s*name)"
            ),
            "PERSON",
            0.9,
            "n",
        ),
        _unquoted(
            r"(?i:\b(?:known(?:\s+locally|\s+(?:to|by)(?:\s+[\w-]+){1,3}?)?\s+as|nicknamed"
            r"|(?:who|whom)\s+(?:[\w-]+\s+){1,3}?call(?:s|ed)?|call(?:s|ed)?\s+(?:him|her|them)"
            r"(?:self|selves)?|go(?:es)?\s+by|went\s+by|(?:nick|street|pet)\s*name(?:\s+(?:was|is))?))"
            rf"\s+(?P<n>{_INTRODUCED})(?![\w'’-])"
        ),
        _unquoted(
            rf"(?<![\w'’-])(?P<n>{_INTRODUCED}),\s+(?i:the\s+name\s+(?:used|given)"
            r"|as\s+(?:he|she|they)\s+(?:was|were|is|are)\s+known)"
        ),
        Rule(
            _c(
                r"(?i:\b(?:previous|former|maiden|birth|old|married)\s+(?:sur)?name)\s*,?\s*"
                rf"(?i:(?:was|of|is)\s+)?{_OPEN_QUOTE}?(?P<n>{_INTRODUCED}){_CLOSE_QUOTE}?"
            ),
            "PERSON",
            0.9,
            "n",
        ),
        Rule(
            _c(
                r"(?i:\bn[ée]e|\bformerly|\bpreviously\s+known\s+as)\s+"
                rf"{_OPEN_QUOTE}?(?P<n>{_INTRODUCED}){_CLOSE_QUOTE}?"
            ),
            "PERSON",
            0.9,
            "n",
        ),
    )


class NicknameOwnerRecognizer(RegexRecognizer):
    """The person a nickname is given to, named just before it: "Brandon Christmas, known locally
    as Ghost", "Sem de Vries, known to the police as". NER misses a name made of a first name and a
    word, or of a rare first name and a particle; the text itself says it is a name, so the engine
    takes it whole, allowed words and all (see `engine._outside_allowed`)."""

    rules = (
        Rule(
            _c(
                r"(?<![\w'’-])(?P<n>[A-Z][\w'’-]+(?:\s+(?:de|van|von|der|den|da|dos|du|le|la|al|el"
                r"|bin|ap)){0,2}(?:\s+[A-Z][\w'’-]+){0,2}),\s+(?:(?:(?:also|better|locally)\s+)?known"
                r"(?:\s+locally|\s+(?:to|by)(?:\s+[\w-]+){1,3}?)?\s+as|nicknamed|also\s+called)\b"
            ),
            "PERSON",
            0.9,  # above NER's 0.85: Presidio keeps one of two equal spans, the higher score
            "n",
            validate=lambda m: _nickname_owner(m.group("n")),
        ),
    )


def build_registry() -> RecognizerRegistry:
    """Return the one registry of every recognizer the anonymisation pass runs."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        # Presidio's own, switched on and fixed
        NhsRecognizer(),
        UkNinoRecognizer(),
        UkPostcodeRecognizer(),
        UkPhoneNumbersRecognizer(),
        AnyDomainEmailRecognizer(),
        SpacyRecognizer(
            supported_entities=sorted({entity for entity, _, _ in NER_LABELS.values()}),
        ),
        # ours
        NhsFormatRecognizer(),
        NiFormatRecognizer(),
        UkPhoneRecognizer(),
        UkAddressRecognizer(),
        SettingRecognizer(),
        SettingAcronymRecognizer(),
        VehicleRegistrationRecognizer(),
        AgeRecognizer(),
        ReferenceNumberRecognizer(),
        BritishDateRecognizer(),
        TitledNameRecognizer(),
        NameListRecognizer(),
        RoleRecognizer(),
        IntroducedNameRecognizer(),
        NicknameOwnerRecognizer(),
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
