"""Public language: what partnerships publish themselves, which a word inside is never a person.

The gazetteers in `data/public_language/` (with their sources) name places, public bodies, national
schemes, legislation, review vocabulary and clinical terms. Whole phrases are allowed outright
(`public_phrases`, part of the policy's allow list). Places need context, because many are also
names ("Chelsea", "Preston", "Devon"): a place is kept inside the name of a public body ("Bolton
Safeguarding Children Board", "London Borough of Bromley", "NHS Birmingham and Solihull"), and alone
only where it reads as a place (`reads_as_place`). The publisher's own labels ("Child A", "Baby F",
"Infant B", "Sibling 2", "Mr W") and acronyms a text defines in ordinary words ("neonatal unit (NNU)")
are kept too. A listed identifier is never affected: the known layer is applied whatever this says.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.anonymise.vocabulary import (
    DATA,
    HYPHEN_PREFIXES,
    NAME_PARTICLES,
    first_names,
    is_dictionary_word,
    is_name_word,
    is_ordinary_word,
    is_street_word,
    mostly_capitals,
    safeguarding_words,
    surnames,
)

PUBLIC = DATA / "public_language"
PHRASE_FILES = ("public_bodies.txt", "legislation.txt", "review_vocabulary.txt", "conditions.txt")


def _entries(name: str) -> list[str]:
    lines = (PUBLIC / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _acronym(phrase: str) -> bool:
    return " " not in phrase and sum(ch.isupper() for ch in phrase) >= 2


@cache
def public_phrases() -> tuple[str, ...]:
    """Return the public phrases never redacted (any case), with the plural of review vocabulary.

    Acronyms are not among them: "DA" must not keep "da" in "Rita da Silva" (see `public_acronyms`).
    """
    phrases = {p for name in PHRASE_FILES for p in _entries(name) if not _acronym(p)}
    vocabulary = _entries("review_vocabulary.txt")
    phrases |= {
        f"{p}s" for p in vocabulary if not _acronym(p) and p[-1:].isalpha() and p[-1] != "s"
    }
    return tuple(sorted(phrases))


@cache
def _acronyms() -> re.Pattern[str]:
    """Return the public acronyms as written ("LSCB", "IMRs", "ICB"), plural too.

    A two-letter acronym that is also a name ("ED", "DA", "LA" are names or particles) is left out.
    """
    found = {p for name in PHRASE_FILES for p in _entries(name) if _acronym(p)}
    found = {
        a
        for a in found
        if len(a) > 2 or a.lower() not in first_names() | surnames() | NAME_PARTICLES
    }
    forms = found | {f"{a}s" for a in found if not a.endswith("s")}
    return re.compile(rf"(?<![^\W_])(?:{trie_pattern(sorted(forms))})(?![^\W_])")


@cache
def _public_phrase_set() -> frozenset[str]:
    return frozenset(p.lower() for p in public_phrases())


def is_public_phrase(span: str) -> bool:
    """Return True for a whole public phrase, in any case ("Operation Encompass", "Early Help")."""
    return " ".join(span.split()).lower() in _public_phrase_set()


def is_public_acronym(word: str) -> bool:
    """Return True for an acronym the gazetteers name, plural too ("LSCB", "ICBs", "CAMHS")."""
    return _acronyms().fullmatch(word) is not None


@cache
def places() -> frozenset[str]:
    """Return the public place names, lower case."""
    return frozenset(p.lower() for p in _entries("places.txt"))


def trie_pattern(phrases: list[str]) -> str:
    """Return a regex alternation of `phrases` as a trie: one branch per first letter, fast to scan."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [_char(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _char(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch in "'’":
        return "['’]"
    if ch == "-":
        return r"[-\s]"
    return re.escape(ch)


_SUFFIX = (
    r"(?:(?:Metropolitan\s+Borough|Metropolitan|County|Borough|City|District|Town|Unitary)\s+)?Council"
    r"|(?:(?:Borough|City|County)\s+)?(?:Local\s+)?Safeguarding\s+(?:Children(?:'s|’s)?\s+|Adults?\s+|People\s+)?"
    r"(?:Partnership|Board|Arrangements)s?"
    r"|L?SC[BP]s?|SCR|LSAB|SAB|ICB|CCG|Clinical\s+Commissioning\s+Group|Integrated\s+Care\s+(?:Board|System)"
    r"|Children(?:'s|’s)?\s+(?:Services|Social\s+Care|Trust|Partnership|Services\s+Department)"
    r"|Children\s+(?:and|&)\s+Families\s+(?:Service|Partnership)|Early\s+Help|Family\s+Hubs?"
    r"|Police|Constabulary|Youth\s+(?:Justice|Offending)\s+(?:Service|Team)|Learning\s+Trust"
    r"|Community\s+Safety\s+Partnership|Health\s+Board|University\s+Health\s+Board|Health\s+Visiting"
    r"|Community\s+Health\s*[Cc]are"
    r"|(?:(?:Local\s+)?(?:Child\s+)?Safeguarding\s+Practice|Serious\s+Case|Rapid|Child\s+Practice"
    r"|Learning|Thematic|Multi-Agency\s+Learning)\s+Reviews?|SCRs|CSPRs?|LCSPRs?|University"
    r"|(?:(?:Teaching|University|Children(?:'s|’s)?|Community|Healthcare|Partnership|Care)\s+)*"
    r"(?:Hospitals?\s+)?NHS\s+(?:Foundation\s+)?Trust|LA|local\s+authority|area|areas|[A-Z]{2,5}"
)
_LIST_GAP = r"(?:\s*,\s*|\s+(?:and|&)\s+|\s*[&/]\s*)"


@cache
def _institution() -> re.Pattern[str]:
    place = "(?:" + trie_pattern(sorted({p for p in _entries("places.txt")}, key=len)) + ")"
    places_run = rf"(?:(?:the\s+)?{place}(?:{_LIST_GAP}(?:the\s+)?{place})*)"
    return re.compile(
        rf"(?<![^\W_])(?:"
        rf"(?:(?:London|Royal|Metropolitan|County)\s+)?(?:Borough|City|County|Council|University)\s+of\s+{places_run}"
        rf"|NHS\s+{places_run}(?:\s+(?:ICB|CCG|Integrated\s+Care\s+Board|Clinical\s+Commissioning\s+Group))?"
        rf"|(?:Pan-)?{places_run}(?:\s+(?:and|&)\s+\w+)?\s+(?:{_SUFFIX})"
        rf"|[Pp]an[-\s]{places_run}"  # "Pan Essex", "pan-London": across a whole area
        rf")(?![^\W_])"
    )


@cache
def _places_only() -> re.Pattern[str]:
    place = trie_pattern(sorted({p for p in _entries("places.txt")}, key=len))
    return re.compile(rf"(?:the\s+)?(?:{place})(?:{_LIST_GAP}(?:the\s+)?(?:{place}))*(?![^\W_])")


@cache
def _multiword_places() -> re.Pattern[str]:
    """A place named in two or more words ("Isles of Scilly", "Milton Keynes", "Barking and
    Dagenham"): nobody's name, so public wherever it is written in its capitals."""
    several = {p for p in _entries("places.txt") if len(re.findall(r"[^\W\d_]+", p)) > 1}
    names = sorted(several | {p.replace(" and ", " & ") for p in several}, key=len)
    return re.compile(rf"(?<![^\W_])(?:[Tt]he\s+)?(?:{trie_pattern(names)})(?![^\W_])")


# The publisher's labels: "Child A", "Baby F", "Infant B", "Sibling 2", "Adult 1", "Child LA", "Mr W",
# and reviews by their letter: "SCR G", "DHR Q".
_LABEL = re.compile(
    r"(?<![^\W_])(?:Child|Children|Baby|Infant|Sibling|Half[\s-]Sibling|Adult|Young\s+Persons?|Parent"
    r"|Family|Case|Cases|Subject|Hospital|Address|School|Mother|Father|Carer|Partner"
    r"|SCR|CSPR|LCSPR|DHR|SAR)"
    r"(?:\(s\))?\s+(?:[A-Z]{1,3}\d?|\d{1,2})"
    r"(?:\s*(?:[,;]\s*(?:and\s+|&\s*)?|and\s+|&\s*)(?:[A-Z]{1,3}\d?|\d{1,2}))*(?![^\W_]|-)"
)
# "Mr W", but not "Mr W. Smith" or "Mr W Smith": a title and one capital is a pseudonym.
_TITLE_LETTER = re.compile(
    r"(?<![^\W_])(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z](?![^\W_]|\.?\s*[A-Z][a-z]|-)"
)
# A partnership's or board's own acronym: "BSCB", "SLSCB", "ESSCP", "LSCBs"; and its code for a
# review, the acronym with the year and a number ("BSCP2020-21-01", "LSCB 2019/20-3"). A metropolitan
# borough council's acronym ("RMBC") is as public.
_COUNCIL_ACRONYM = re.compile(r"(?<![^\W_])[A-Z]{1,3}MBC(?![^\W_])")
# A police operation is named in public ("Operation Encompass", "Operation Retriever").
_OPERATION = re.compile(r"(?<![^\W_])Operation\s+[A-Z][a-z]+(?![^\W_])")
_BOARD_ACRONYM = re.compile(
    r"(?<![^\W_])[A-Z]{0,4}(?:SCB|SCP|SCR|SAB|SCPR|CSPR|CSP)s?"
    r"(?:[ -]?(?:19|20)\d\d[-/](?:\d\d){1,2}(?:[-/]\d{1,3})?)?(?![^\W_])"
)
# Words that make an organisation-like phrase a document, process or heading, not a business:
# "Liaison and Exchange of Information", "Criminal Proceedings", "Local Documents".
DOCUMENT_WORDS = frozenset(
    [
        "information",
        "proceedings",
        "framework",
        "frameworks",
        "review",
        "reviews",
        "document",
        "documents",
        "incident",
        "incidents",
        "report",
        "reports",
        "guidance",
        "procedure",
        "procedures",
        "protocol",
        "protocols",
        "policy",
        "policies",
        "process",
        "processes",
        "learning",
        "improvement",
        "summary",
        "strategy",
        "standards",
        "assessment",
        "practice",
        "management",
        "masterclass",
        "resources",
        "statement",
        "introduction",
        "foreword",
        "contents",
        "bulletin",
        "flowchart",
        "toolkit",
        "handbook",
        "manual",
        "leaflet",
        "newsletter",
        "checklist",
        "template",
        "briefing",
        "briefings",
        "methodology",
        "findings",
        "recommendations",
        "conclusions",
        "analysis",
        "chronology",
        "background",
        "composition",
        "involvement",
        "interest",
        "reference",
        "references",
        "appendix",
        "principles",
        "systematic",
        "research",
        "evidence",
        "outcomes",
        "notification",
        "notifications",
        "criteria",
        "arrangements",
        "functions",
        "role",
        "roles",
    ]
)


# The title of an Act or regulations by its shape: capitalised words, an optional "(Wales)", "Act"
# or "Regulations" and a year ("the Social Services and Well-being (Wales) Act 2014").
_ACT_YEAR = re.compile(r"\b(?:Act|Regulations|Order|Rules|Bill)\s+\d{4}(?![^\W_])")
_TITLE_BEFORE = re.compile(
    r"(?<![^\W_])(?:[A-Z][\w'’-]*\s+(?:(?:and|of|for|to|the|in|on|&)\s+)*){1,10}"
    r"(?:\((?:England|Wales|England\s+and\s+Wales|Scotland|Functions\s+and\s+Procedures)\)\s+)*$"
)


def _legislation(text: str) -> list[tuple[int, int]]:
    """Return the titles of Acts and regulations by their shape: capitalised words, an optional
    "(Wales)", then "Act" or "Regulations" and a year ("the Social Services and Well-being (Wales)
    Act 2014"). The cheap anchor is found first; only the words before it are read."""
    out = []
    for m in _ACT_YEAR.finditer(text):
        window = max(0, m.start() - 160)
        title = _TITLE_BEFORE.search(text, window, m.start())
        out.append((title.start() if title else m.start(), m.end()))
    return out


def is_label(span: str) -> bool:
    """Return True for a publisher's label or pseudonym ("Baby F", "Child LA", "Mr W")."""
    span = span.strip().rstrip(".")
    return bool(_LABEL.fullmatch(span) or _TITLE_LETTER.fullmatch(span))


def is_place_led_phrase(span: str) -> bool:
    """Return True for a public place followed by ordinary words: "Surrey Healthy Schools"."""
    lead = _places_only().match(span)
    if lead is None or lead.end() == len(span):
        return False
    rest = [
        w for w in re.findall(r"[^\W\d_]+", span[lead.end() :]) if w.lower() not in LITTLE_WORDS
    ]
    if lead.group().lower().removeprefix("the ").strip() in first_names() and is_name_word(rest[0]):
        return False  # "Devon Spencer": a first name and a surname, though both are also words
    return bool(rest) and all(
        is_ordinary_word(w) or w.lower() in safeguarding_words() for w in rest
    )


def is_document_phrase(span: str) -> bool:
    """Return True for a title-case phrase of ordinary words naming a document or process."""
    words = [w for w in re.findall(r"[^\W\d_]+", span) if w.lower() not in LITTLE_WORDS]
    return (
        bool(words)
        and any(w.lower() in DOCUMENT_WORDS for w in words)
        and all(_document_word(w) for w in words)
    )


def _document_word(word: str) -> bool:
    """A word of a document's title: ordinary, professional, a prefix ("Pre Birth Assessment"),
    or in the dictionary and in no name list ("Triennial Analysis", "Learning Masterclass")."""
    lower = word.lower()
    return (
        is_ordinary_word(word)
        or lower in safeguarding_words()
        or lower in HYPHEN_PREFIXES
        or (is_dictionary_word(word) and not is_name_word(word))
    )


# "neonatal unit (NNU)": an acronym defined by the words before it.
_DEFINED_ACRONYM = re.compile(r"\(([A-Z]{2,7})s?\)")
_WORDS_BEFORE = re.compile(r"(?:[A-Za-z][\w'’&-]*,?\s+){1,12}\Z")
# A setting's acronym ("Bristol Royal Infirmary (BRI)") names where a family was seen: never kept.
_SETTINGS = frozenset(
    [
        "hospital",
        "hospitals",
        "infirmary",
        "school",
        "academy",
        "college",
        "nursery",
        "surgery",
        "practice",
        "centre",
        "clinic",
        "home",
        "church",
        "club",
    ]
)
# Where a family can be found: a setting, a building, a street. An organisation named with one of
# these ("Little Acorns Nursery", "Hope House", "Mill Lane") is never kept for its ordinary words.
SETTING_WORDS = _SETTINGS | frozenset(
    {
        "house",
        "lodge",
        "hall",
        "hospice",
        "refuge",
        "hostel",
        "farm",
        "ward",
        "surgeries",
        "schools",
    }
)


def is_plain_words_organisation(span: str) -> bool:
    """Return True for two or more title-case words NER read as an organisation that are all
    ordinary words, none a name and none a setting, building or street: a team, process or
    programme ("Business Unit", "Youth Cabinet", "Professional Challenge and Escalation").

    Kept with a note asking the reviewer to check it names no small local service; "Little Acorns
    Nursery", "Grace Brown" and "Mill Lane" stay redacted."""
    words = [w for w in re.findall(r"[^\W\d_]+", span) if w.lower() not in LITTLE_WORDS]
    return (
        len(words) >= 2
        and all(_document_word(w) and not is_name_word(w) for w in words)
        and not any(w.lower() in SETTING_WORDS or is_street_word(w) for w in words)
    )


# The little words of a name ("London Borough of Bromley"), written in lower case inside it.
LITTLE_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "&", "with", "a"})


# Research cited in the two forms nobody writes of a family member: "Barlow et al (2014)",
# "Brandon et al., 2020", and in brackets "(Sidebotham, 2016)", "(Brandon and Belderson, 2020)".
# "Okonjo (2019) said" could be either, so it is not taken.
_AUTHOR = r"[A-Z][\w'’-]+"
_CITATION = re.compile(
    rf"(?<![^\W_]){_AUTHOR}(?:,?\s+(?:and|&)\s+{_AUTHOR})?(?:,?\s+(?:[A-Z]\.\s*)+)?\s+et\s+al\b\.?"
    r"(?:,?\s+\(?(?:19|20)\d\d[a-z]?\)?)?"
    rf"|\({_AUTHOR}(?:,?\s+(?:and|&)\s+{_AUTHOR})?(?:\s+et\s+al\b\.?)?,?\s+(?:19|20)\d\d[a-z]?"
    rf"(?:\s*[;,]\s*{_AUTHOR}(?:,?\s+(?:and|&)\s+{_AUTHOR})?(?:\s+et\s+al\b\.?)?,?\s+(?:19|20)\d\d[a-z]?)*\)"
)


def _citations(text: str) -> list[tuple[int, int]]:
    """Return research cited by author and year ("Barlow et al (2014)", "(Sidebotham, 2016)")."""
    if " et al" not in text and "(" not in text:
        return []
    return [m.span() for m in _CITATION.finditer(text)]


def public_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of public names in `text`: public bodies with their places, labels, and
    research cited by author and year."""
    patterns = (
        _institution(),
        _multiword_places(),
        _LABEL,
        _TITLE_LETTER,
        _BOARD_ACRONYM,
        _COUNCIL_ACRONYM,
        _OPERATION,
    )
    spans = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    spans += _legislation(text)
    spans += _citations(text)
    for line in re.finditer(r"[^\n]+", text):  # in a record in capitals, "ICON" may be a name
        if not mostly_capitals(line.group(), least=9):
            spans += [m.span() for m in _acronyms().finditer(text, line.start(), line.end())]
    return spans


def defined_acronyms(text: str) -> set[str]:
    """Return the acronyms `text` defines in ordinary words ("Case Review Group (CRG)" -> CRG).

    The words must spell the acronym by their initials and be ordinary or professional words; an
    acronym of a name ("Bristol Royal Infirmary (BRI)") is not defined in ordinary words.
    """
    out = set()
    for m in _DEFINED_ACRONYM.finditer(text):  # the bracket first; then only the words before it
        before = _WORDS_BEFORE.search(text, max(0, m.start() - 240), m.start())
        if before is None:
            continue
        acronym = m.group(1)
        words = re.findall(r"[\w'’&]+(?:-[\w'’]+)*", before.group())
        for size in range(
            1, len(words) + 1
        ):  # "Learning and Inquiry Group (LIG)": little words too
            tail = words[-size:]
            meaningful = [w for w in tail if w.lower() not in LITTLE_WORDS]
            if len(meaningful) > len(acronym):
                break
            initials = "".join(part[0] for w in meaningful for part in w.split("-") if part).upper()
            settings = (
                tail[-1].lower() in _SETTINGS
            )  # "...Infirmary (BRI)", not "Practice Review Group"
            if initials == acronym and not settings and all(_plain(w) for w in tail):
                out.add(acronym)
                break
    return out


def _plain(word: str) -> bool:
    parts = [p for p in re.split(r"[-'’]", word) if p]
    return all(
        p.lower() in LITTLE_WORDS
        or is_ordinary_word(p)
        or (p[:1].isupper() and p.lower() in places())
        or p.lower() in safeguarding_words()
        or p.isdigit()
        for p in parts
    )


_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|across|within|throughout|outside|near|around|between|into)\s+(?:the\s+)?|"
    r"\b(?:from|at|of)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_STRONG_BEFORE = re.compile(
    r"\b(?:in|across|within|throughout|outside|around|into)\s+(?:the\s+)?$", re.IGNORECASE
)


def reads_as_place(text: str, start: int, end: int, entity: str) -> bool:
    """Return True when the detected span is only public place names and reads as a place here.

    NER's own LOCATION reading is enough; so is a place nobody is named after ("Kirklees"), a list
    of places ("Bradford, Calderdale and Wakefield"), or a preposition of place before it. A place
    that is also a first name ("Chelsea") needs "in", "across", "within"... before it.
    """
    span = text[start:end]
    bare = re.sub(r"^the\s+", "", span)  # "the Isle of Wight", "the Wirral"
    if not bare[:1].isupper() or _places_only().fullmatch(span) is None:
        return False
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", span) if w.lower() not in LITTLE_WORDS]
    if entity == "LOCATION":
        return True
    before = text[max(0, start - 30) : start]
    if any(w in first_names() for w in words):
        return bool(_STRONG_BEFORE.search(before)) or len(words) > 1
    if len(words) > 1 or not any(w in surnames() for w in words):
        return True
    if _PLACE_BEFORE.search(before):
        return True
    gap = re.compile(rf"{_LIST_GAP}(?:the\s+)?").match(text, end)
    if gap and _places_only().match(text, gap.end()):
        return True  # "Bradford, Calderdale": a list of places
    gap_before = re.search(rf"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?){_LIST_GAP}$", before)
    return bool(gap_before and _places_only().fullmatch(gap_before.group(1)))
