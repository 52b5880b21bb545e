"""The word lists detection relies on, loaded once: names, ordinary English words, safeguarding terms."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "dame", "prof", "professor")
# Ranks and titles that are only titles when written so ("PC Jenkins", "Sgt Evans"); in lower case
# ("the nurse", "a pc") they are ordinary words.
RANKS = (
    "PC", "DC", "DS", "DI", "DCI", "DSI", "DSU", "PCSO", "Sgt", "Insp", "Supt", "Det", "Cllr",
    "Nurse", "Rev", "Revd", "Judge", "HHJ", "Cpl", "Pte", "Councillor", "Mayor",
)  # fmt: skip
_RANK_FORMS = sorted({f for r in RANKS for f in (r, r.upper())}, key=lambda f: (-len(f), f))
# One title, with its optional full stop: "Ms", "DR.", "PC". Longest first, so "Mrs" is not "Mr".
TITLE_PATTERN = (
    r"(?:(?i:"
    + "|".join(sorted(TITLES, key=lambda t: (-len(t), t)))
    + ")|(?-i:"
    + "|".join(_RANK_FORMS)
    + r"))\.?"
)
TITLE_WORDS = frozenset([*TITLES, *(r.lower() for r in RANKS)])
# Words that stand before a noun and never before a person's name: "the MP", "her key worker".
DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "her",
        "his",
        "their",
        "its",
        "my",
        "our",
        "your",
        "some",
        "any",
        "each",
        "every",
        "no",
        "another",
        "other",
    ]
)
# The little words inside surnames: "van der Berg", "dos Santos", "Ní Bhriain", "bin Salleh".
NAME_PARTICLES = frozenset(
    [
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "dos",
        "das",
        "di",
        "del",
        "della",
        "dei",
        "du",
        "le",
        "la",
        "ter",
        "ten",
        "op",
        "ap",
        "ni",
        "nic",
        "bin",
        "ibn",
        "al",
        "el",
    ]
)
# Prefixes written with a hyphen before a word ("pre-birth", "intra- and inter-agency",
# "Multi-Agency"): the prefixes of English word formation that the dictionaries list only inside
# whole words (after the Oxford Guide to English Usage's list of hyphenated prefixes).
HYPHEN_PREFIXES = frozenset(
    [
        "pre",
        "post",
        "non",
        "anti",
        "multi",
        "inter",
        "intra",
        "extra",
        "co",
        "sub",
        "self",
        "cross",
        "semi",
        "ex",
        "mid",
        "over",
        "under",
        "re",
        "un",
        "de",
        "bi",
        "tri",
        "mis",
        "neo",
        "pro",
        "counter",
        "socio",
        "psycho",
        "neuro",
        "para",
        "peri",
        "ante",
    ]
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Diminutives a listed name is also known by, so "William Jones" also catches "Billy". Keep it to
# the common ones: every extra form is also searched for in the published text.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "alexander": ("alex", "xander", "sasha"),
    "alexandra": ("alex", "lexi", "sasha"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant"),
    "benjamin": ("ben", "benji", "benny"),
    "catherine": ("cath", "cathy", "kate", "katie"),
    "charles": ("charlie", "chas"),
    "charlotte": ("charlie", "lottie"),
    "christopher": ("chris", "kit"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey"),
    "edward": ("ed", "eddie", "ted", "teddy"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby"),
    "frederick": ("fred", "freddie"),
    "gabriel": ("gabe",),
    "harrison": ("harry",),
    "henry": ("harry", "hal"),
    "isabella": ("bella", "izzy", "isla"),
    "isabelle": ("bella", "izzy"),
    "jacob": ("jake",),
    "james": ("jim", "jimmy", "jamie"),
    "jennifer": ("jen", "jenny"),
    "jessica": ("jess", "jessie"),
    "john": ("johnny", "jack"),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "katherine": ("kate", "katie", "kath", "kathy"),
    "kimberley": ("kim",),
    "leonard": ("leo", "len", "lenny"),
    "margaret": ("maggie", "meg", "peggy"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mikey", "mick"),
    "nathan": ("nate",),
    "nicholas": ("nick", "nicky"),
    "oliver": ("ollie", "olly"),
    "patricia": ("pat", "patty", "trish"),
    "rebecca": ("becky", "becca"),
    "richard": ("rich", "richie", "dick"),
    "robert": ("rob", "robbie", "bob", "bobby"),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "suzy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "victoria": ("vicky", "tori"),
    "william": ("will", "bill", "billy", "liam", "willy"),
    "zachary": ("zach", "zac"),
}


def _lines(name: str) -> frozenset[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def first_names() -> frozenset[str]:
    return _lines("first_names.txt")


@cache
def surnames() -> frozenset[str]:
    return _lines("surnames.txt")


@cache
def english_words() -> frozenset[str]:
    return _lines("english_words.txt")


@cache
def dictionary_words() -> frozenset[str]:
    """Return every word a large dictionary writes in lower case ("caseload", "sodden")."""
    return _lines("dictionary_words.txt") | english_words()


_CONTRACTION = re.compile(r"(?i)^([a-z]+)n['’]t$|^([a-z]+)['’](?:s|d|ll|ve|re|m|t)$")


def in_with_plural(word: str, words: frozenset[str]) -> bool:
    """Return True when `word` is in `words`, or is a plural the list lacks of a word in it
    ("concealments", "lockdowns"). A name in a name list is still read as one: the lists are
    consulted before any dictionary."""
    return word in words or (len(word) > 4 and word.endswith("s") and word[:-1] in words)


def is_dictionary_word(word: str) -> bool:
    """Return True for a word any dictionary has, in any inflection or contraction ("didn't")."""
    lower = word.lower()
    if in_with_plural(lower, dictionary_words()) or lower in MONTHS:
        return True
    contraction = _CONTRACTION.match(lower)
    if contraction:
        base = contraction.group(1) or contraction.group(2)
        return base in dictionary_words() or base in ("i", "won", "can", "shan", "ain")
    return False


@cache
def safeguarding_terms() -> tuple[str, ...]:
    """Return the built-in professional vocabulary that is never redacted."""
    return tuple(sorted(_lines("safeguarding_terms.txt")))


@cache
def safeguarding_words() -> frozenset[str]:
    """Return every single word of the safeguarding vocabulary, lower case."""
    return frozenset(
        word.lower().strip("'’") for term in safeguarding_terms() for word in term.split()
    )


@cache
def name_words() -> frozenset[str]:
    """Return the first names that are also ordinary words ("will", "rose", "grace")."""
    return _lines("name_words.txt")


def is_title(word: str) -> bool:
    """Return True for a title or rank as written before a name ("Mrs", "dr", "PC", "Sgt")."""
    return word.lower().rstrip(".") in TITLES or word.rstrip(".") in _RANK_FORMS


@cache
def peoples() -> frozenset[str]:
    """Return nationalities, peoples, languages and religions, lower case: never a person's name."""
    return frozenset(w.lower() for w in _lines("peoples_and_languages.txt"))


@cache
def common_peoples() -> frozenset[str]:
    """Return the peoples and languages too common to narrow anyone down (not on the check list)."""
    return frozenset(w.lower() for w in _lines("common_peoples.txt"))


# The words a street name ends with ("Mill Lane", "Cedar Rise"), as a regular expression.
STREET_TYPES = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl"
    r"|Gardens|Gdns|Terrace|Grove|Walk|Rise|Hill|View|Park|Square|Sq|Mews|Row|Parade|Green|Vale"
    r"|Fields|Meadows|Gate|Chase|Wharf|Croft|Heights|Boulevard|Yard)"
)

# Who a person is, written beside their name ("a locum GP, Yaw", "support worker robin", "Sem, a
# maternal uncle"): the last word of the role.
ROLE_NOUNS = (
    r"(?:uncle|aunt|auntie|cousin|friend|neighbour|neighbor|grandmother|grandfather|grandparent"
    r"|brother|sister|half-brother|half-sister|stepbrother|stepsister|partner|boyfriend|girlfriend"
    r"|lodger|childminder|nanny|babysitter|worker|visitor|midwife|paramedic|officer|nurse|manager"
    r"|assistant|teacher|headteacher|GP|doctor|consultant|paediatrician|practitioner|lead"
    r"|constable|sergeant|detective|therapist|counsellor|psychologist|psychiatrist|advocate"
    r"|interpreter|receptionist|landlord|landlady|carer|chaplain|imam|pastor|vicar|priest|coach"
    r"|tutor|mentor|volunteer|registrar|clinician|caseworker|co-?ordinator|PCSO|DSL|SENCO|IDVA)"
)
_ROLE_NOUN = re.compile(ROLE_NOUNS, re.IGNORECASE)
_STREET_TYPE = re.compile(STREET_TYPES, re.IGNORECASE)
DAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


def is_role_noun(word: str) -> bool:
    """Return True for the last word of who someone is ("worker", "uncle", "GP"), any case."""
    return _ROLE_NOUN.fullmatch(word) is not None


def is_street_word(word: str) -> bool:
    """Return True for a street type ("Road", "Lane", "Close"), any case."""
    return _STREET_TYPE.fullmatch(word) is not None


# The head words of agency, team and service names: an organisation named with them and ordinary
# words only ("the Family Safeguarding Team") is professional vocabulary, kept.
AGENCY_WORDS = frozenset(
    [
        "team",
        "teams",
        "service",
        "services",
        "hub",
        "unit",
        "board",
        "council",
        "trust",
        "constabulary",
        "police",
        "nhs",
        "department",
        "directorate",
        "partnership",
        "panel",
        "agency",
        "authority",
        "office",
        "court",
        "courts",
        "commissioner",
        "network",
        "forum",
        "group",
        "programme",
        "project",
        "centre",
        "clinic",
        "ward",
        "practice",
        "icb",
        "ccg",
        "foundation",
        "safeguarding",
        "care",
        "justice",
        "probation",
        "health",
    ]
)


# Capitals that are an abbreviation before they are anyone's initials: "GP", "HV", "SW", "DV".
_ACRONYMS = frozenset(
    [
        "ae",
        "ams",
        "cp",
        "dc",
        "dv",
        "ds",
        "ed",
        "eh",
        "gp",
        "hv",
        "ie",
        "it",
        "ip",
        "kb",  # file sizes on every download link: "(DOCX, 35 KB)"
        "pdf",  # and the files' formats: "(PDF, 158 Kb)"
        "docx",
        "pptx",
        "ppt",
        "xlsx",
        "png",
        "jpg",
        "mb",
        "gb",
        "mp",
        "mr",
        "ms",  # Ms, multiple sclerosis, and the "MS" of Office's Japanese font names
        "nb",
        "ni",
        "pc",
        "pe",
        "re",
        "sw",
        "tv",
        "uk",
        "us",
        "id",
        "ok",
        "am",
        "pm",
        "ps",
        "qc",
        "ma",
        "ba",
        "jp",
        "dna",
        "dob",
        "dvd",
        "nfa",
        "cv",
        "faq",
        "usa",
        "eu",
        "un",
    ]
)
# Little words that are someone's initials only outside a passage written in capitals ("DO", "HE").
SHORT_WORDS = frozenset(
    [
        "am",
        "an",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "hi",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "oh",
        "on",
        "or",
        "so",
        "to",
        "up",
        "we",
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "all",
        "any",
        "can",
        "had",
        "her",
        "was",
        "one",
        "our",
        "out",
        "day",
        "get",
        "has",
        "him",
        "his",
        "how",
        "man",
        "new",
        "now",
        "old",
        "see",
        "two",
        "way",
        "who",
        "boy",
        "did",
        "its",
        "let",
        "put",
        "say",
        "she",
        "too",
        "use",
        "yes",
    ]
)

# Words prose is made of: a first name spelt like one ("Will", "May", "So") is a name only capitalised.
FUNCTION_WORDS = SHORT_WORDS | frozenset(
    [
        "in",
        "an",
        "so",
        "by",
        "my",
        "will",
        "may",
        "can",
        "must",
        "might",
        "shall",
        "else",
        "many",
        "much",
        "soon",
        "lower",
        "case",
        "numbers",
        "miss",
        "don",
        "ma",
        "mr",
        "ms",
    ]
)


def is_acronym(capitals: str) -> bool:
    """Return True for capitals read as an abbreviation ("GP", "CAMHS"), never as initials."""
    lower = capitals.lower()
    return lower in _ACRONYMS or lower in _vocabulary_acronyms()


# The abbreviations a review writes for its own work ("the GP", "GP practice", "CP plan", "HV
# visit"). Those of a role are never someone's bare initials; those of a thing are a listed
# person's only where a person stands (see `is_role_abbreviation`). Other acronyms ("MP", "NI",
# "KB") are that person's initials in their own review wherever the words around them do not make
# them the abbreviation.
_WORK_ABBREVIATIONS = frozenset(
    [
        "gp",
        "hv",
        "sw",
        "cp",
        "dv",
        "pc",
        "dc",
        "ds",
        "di",
        "eh",
        "ae",
        "ed",
        "ip",
        "mr",
        "ms",
        "dr",
        "ok",
        "uk",
        "la",
        "dob",
        "nfa",
        "dna",
    ]
)


# Initials that are also an abbreviation of the work though no word list reads them as one: "a DA
# case" (domestic abuse) is kept where a listed D.A. is not meant, "a cousin of DA" is still theirs.
ABBREVIATIONS_TOO = frozenset(["da"])


# Work abbreviations that name a role: "told GP that" is the practice, "seen by HV" the health
# visitor, so these are never read as a listed person's bare initials (the report asks the reviewer
# to check them instead). The others name things ("DV", "CP", "NFA"): where a person stands ("told
# DV that", "DV said") they are that person's initials.
_ROLE_ABBREVIATIONS = frozenset(["gp", "hv", "sw", "pc", "dc", "ds", "di", "dr", "mr", "ms"])


def is_role_abbreviation(capitals: str) -> bool:
    """Return True for an abbreviation of a role ("GP", "HV"): never read as anyone's initials."""
    return capitals.lower() in _ROLE_ABBREVIATIONS


def is_work_abbreviation(capitals: str) -> bool:
    """Return True for an abbreviation of safeguarding work ("GP", "DV", "MASH")."""
    lower = capitals.lower()
    return lower in _WORK_ABBREVIATIONS or lower in _vocabulary_acronyms()


@cache
def _vocabulary_acronyms() -> frozenset[str]:
    return frozenset(
        word.lower()
        for term in safeguarding_terms()
        for word in term.replace("&", "").split()
        if word.isupper()
    )


def is_ambiguous_name(word: str) -> bool:
    """Return True for a name that ordinary prose also uses as a word, so only its capitalised form counts.

    A first name counts only if it is in the hand-written `name_words.txt` (dictionaries list "jane" and
    "emma" as words, but prose does not use them); any other name when it is an ordinary word.
    """
    lower = word.lower()
    if lower in first_names():
        short_word = len(lower) <= 2 and lower in english_words()  # "an", "so", "do"
        return lower in name_words() or lower in MONTHS or short_word
    return lower in dictionary_words()  # a surname that is a word: "shin", "ward", "brown"


@lru_cache(maxsize=64)
def _letters_and_capitals(text: str) -> tuple[int, int]:
    return sum(map(str.isalpha, text)), sum(map(str.isupper, text))


def mostly_capitals(text: str, least: int = 1) -> bool:
    """Return True for a text with at least `least` letters, over 60% of them capitals ("SEEN BY
    THE GP"). Counted once per text, though the engine and two recognizers ask of each paragraph."""
    letters, capitals = _letters_and_capitals(text)
    return letters >= least and capitals > 0.6 * letters


def is_ordinary_word(word: str) -> bool:
    """Return True for a word ordinary English prose uses (so a name spelt like it is ambiguous)."""
    lower = word.lower()
    return lower in english_words() or lower in MONTHS


def is_name_word(word: str) -> bool:
    lower = word.lower()
    return lower in first_names() or lower in surnames()
