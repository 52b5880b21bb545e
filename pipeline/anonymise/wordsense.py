"""Whether a listed name that is also a word stands as the name where it is written.

A listed first name spelt like a word ("hung", "destiny", "long") is matched in lower case except
where the words around it make it the word (failing closed: "seen by robin with a cough" is the
name, "her destiny" and "long periods" are words); a listed person's bare initials that are also an
abbreviation ("MP", "NI") are matched except where the words around them make them the abbreviation.
A capitalised listed name that is a word is always taken, except where the parse makes it a rating
("RAG rated Amber", "an Amber rating"). Detection and the leak gate both call these on the text they
search, so the gate refuses exactly the forms detection should have taken. The words next to the form
are read first; the model's tagger and parser run only where those leave it in doubt.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.anonymise.vocabulary import (
    DETERMINERS,
    is_dictionary_word,
    is_ordinary_word,
    is_role_noun,
    is_title,
    name_words,
)

# Words before which a word is an ordinary word, not a name: determiners and possessives ("her
# destiny", "a long time"), words of degree ("so precious"), subjects, auxiliaries and "to" before
# a verb ("he hung up", "was hung", "to long for").
_WORD_BEFORE = frozenset(
    [
        "a",
        "an",
        "the",
        "her",
        "his",
        "their",
        "its",
        "my",
        "your",
        "our",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "no",
        "each",
        "every",
        "such",
        "so",
        "too",
        "very",
        "how",
        "as",
        "more",
        "most",
        "less",
        "much",
        "quite",
        "all",
        "what",
        "whose",
        "own",
        "one",
        "another",
        "other",
        "either",
        "neither",
        "he",
        "she",
        "they",
        "it",
        "i",
        "we",
        "you",
        "who",
        "which",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "had",
        "has",
        "have",
        "having",
        "would",
        "could",
        "should",
        "must",
        "might",
        "can",
        "will",
        "shall",
        "may",
        "did",
        "does",
        "do",
        "not",
        "never",
        "also",
        "then",
        "just",
        "to",
    ]
)
# Words after which a word is someone doing something ("hung had", "long was admitted", "skye told").
_PERSON_AFTER = frozenset(
    [
        "was",
        "were",
        "is",
        "had",
        "has",
        "said",
        "says",
        "told",
        "tells",
        "asked",
        "asks",
        "reported",
        "reports",
        "agreed",
        "explained",
        "described",
        "disclosed",
        "denied",
        "felt",
        "went",
        "came",
        "attended",
        "called",
        "phoned",
        "texted",
        "left",
        "moved",
        "lived",
        "stayed",
        "did",
        "does",
        "could",
        "would",
        "didn't",
        "wasn't",
        "hadn't",
        "couldn't",
        "wouldn't",
    ]
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs after a name ("long lives with", "skye stays"): a name-word before one of these is the person.
_VERB_AFTER = _words(
    """lives stays says goes attends wants needs likes visits sees spends sleeps shares returns
    describes remembers recalls thinks knows became began spoke saw made gave took got ran will
    can should might may must also then later often never again alone today yesterday twice
    once"""
)
# Name-words that are verbs too: after "to" ("to hope", "to long for") or before what follows such a
# verb ("hope that", "hung up", "long for") they are the verb. Any other name-word after "to" is
# who something went to ("a letter to willow").
_VERB_NAMES = _words(
    """hope long love mark pat bill rob sue chase carry marry desire cherish grant lean free buck
    chuck wade drew hung sang rose do page chance trust miss star spring sparkle echo kit guy major
    ward bob dot jack lance man moon peg sally season see ping loan shin kip bud brook will may
    sky skye"""
)
_VERB_FOLLOWERS = _words(
    """that to for up down out off on back in it them him her his their the a an this these those
    what whether if"""
)
# Name-words that are adjectives too: before another word they describe it ("long periods", "rich
# tea", "precious time").
_ADJECTIVE_NAMES = _words(
    """long rich young free frank major junior golden tiny sunny windy rocky rusty misty sandy dusty
    merry noble royal lean coy wan earnest lower gay precious scarlet violet amber olive hazel ivory
    ebony coral ginger crystal velvet jade sterling stormy marine manual brown grey white green
    summer spring winter autumn easter"""
)
# Nouns of no number in their idioms ("in hope", "with grace", "by chance"): after these little
# words they are the word. After any other ("seen by hope with a cough") the listed name is taken.
_IDIOMS = {
    "hope": {"in", "with", "of", "without", "beyond", "little", "some", "new", "real", "false"},
    "faith": {"in", "with", "of", "good", "bad", "without", "religious"},
    "grace": {"with", "of", "without", "saving"},
    "joy": {"with", "of", "for", "without"},
    "love": {"with", "of", "in", "for", "without"},
    "charity": {"for", "of", "to"},
    "patience": {"with", "of", "without", "little"},
    "mercy": {"at", "of", "with", "without"},
    "harmony": {"in", "of", "with"},
    "liberty": {"at", "of"},
    "chance": {"by", "of", "no", "little"},
    "earnest": {"in"},
    "destiny": {"of"},
    "glory": {"of", "in"},
    "honey": {"with", "of"},
    "karma": {"of"},
}
# Seasons in a time: "during spring", "summer 2023" (not "seen by summer and her mother").
_SEASONS = frozenset(["spring", "summer", "autumn", "winter", "easter"])
_TIME_BEFORE = _words(
    """in during over until till since through before after early late last next each every
    following previous mid"""
)
# Little words no describing word stands before: a name-word before one of these describes nothing
# ("robin with", "willow at").
_LITTLE = _words(
    """a an the and or but nor of to in on at by for with from about into onto upon over under
    after before during since until as than that which who whom whose when where while because
    if though although so then there here not no is was were are be been has had have do did
    does will would could should can may might must shall her his their its my our your him them
    us me it he she they we i you this these those"""
)
# A full stop after these does not end a sentence ("e.g. faith groups").
_ABBREVIATIONS = frozenset({"eg", "ie", "etc", "approx", "no", "vs", "cf", "para", "p", "pp"})

_PREVIOUS = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)?([^\w]*)$")
_NEXT = re.compile(r"([^\w]*)([^\W\d_]+(?:['’][^\W\d_]+)*)?")
_EMPHASIS = re.compile(r"[\s*_`]*")  # what may stand between two words of one phrase
_MARKUP = " \t\"'“‘*_#>|([-•"  # what may stand between a line's start and its first word


def names_someone(text: str, start: int, end: int) -> bool:
    """Return True when the lower-case word at text[start:end] may stand as a name there.

    The word, not the name: joined by a hyphen ("long-term"); after a determiner, possessive,
    subject or auxiliary ("her destiny", "he hung up", "was hung"); "to" before a name-word that is
    a verb ("to hope"); such a verb before what follows it ("hope that", "hung up"); an adjective
    or noun before the word it describes ("long periods", "amber alert"); a noun of no number in
    its idiom ("in hope", "by chance"); a season in a time ("in summer 2023"). Anywhere else the
    listed name is taken: a name in lower case is a slip an author makes anywhere ("seen by robin
    with a cough", "a letter to willow at"), so where the words around it do not settle it the pass
    fails closed and replaces it (the report shows the replacement and why; where the word was
    meant, the author rewords the sentence, since no allow list unmasks a listed name).
    """
    word = text[start:end].lower()
    before = text[max(0, start - 80) : start]
    after = text[end : end + 40]
    if (after[:1] and after[:1] in "-–" and after[1:2].isalpha()) or (
        before[-1:] and before[-1:] in "-–" and before[-2:-1].isalpha()
    ):
        return False
    prev_match = _PREVIOUS.search(before)
    prev, gap = (prev_match.group(1) or ""), prev_match.group(2)
    next_match = _NEXT.match(after)
    gap_after, following = next_match.group(1), (next_match.group(2) or "")
    tight = bool(prev) and _EMPHASIS.fullmatch(gap) is not None and "\n" not in gap
    previous = prev.lower() if tight else ""
    if tight and is_title(prev):
        return True
    if tight and is_role_noun(prev):
        return True  # "family support worker robin", "her uncle skye": the role, then the name
    if previous == "to":
        if word not in _VERB_NAMES:
            return True  # "a letter to willow", not "to hope"
    elif previous in _WORD_BEFORE or re.search(r"['’]s$", previous):
        return False
    if _starts_sentence(before):
        return True
    if re.match(r"['’](?:s\b|(?=\s))", after):  # "destiny's", not "don't"
        return True
    adjacent = _EMPHASIS.fullmatch(gap_after) is not None and bool(following)
    nxt = following.lower() if adjacent else ""
    if nxt in _PERSON_AFTER or nxt in _VERB_AFTER or (len(nxt) >= 5 and nxt.endswith("ed")):
        # "hung had", "long lives with", "skye recognised"; but "the phone bill was paid"
        return not (is_ordinary_word(word) and parsed_as_word(text, start, end))
    if previous in _IDIOMS.get(word, ()):
        return False  # "in hope", "by chance"
    if word in _SEASONS and (previous in _TIME_BEFORE or re.match(r"[ \t]*\d{4}\b", after)):
        return False
    if previous in _TO_A_PERSON:
        return True  # "Nicolae told long that": who was told
    if word in _VERB_NAMES and nxt in _VERB_FOLLOWERS:
        return False  # "hope that", "hung up", "long for"
    # "long periods", "amber alert", "foster carers": a word describing the next one (a name no
    # list calls a word, as "jun" in "made jun subject to a plan", describes nothing)
    # ("bo sent": a name in no dictionary describes nothing either)
    describes = bool(nxt) and nxt not in _LITTLE and not nxt.endswith("ly")
    if (
        describes
        and (word in _ADJECTIVE_NAMES or word in name_words())
        and (word in _ADJECTIVE_NAMES or is_ordinary_word(nxt) or is_dictionary_word(nxt))
        and (word in _ADJECTIVE_NAMES or is_ordinary_word(word) or is_dictionary_word(word))
    ):
        return False
    # The words next to it do not settle it: the model's tagger and parser read the sentence
    # (only here, so only for these few words). A clear parse keeps the word; anything else is the
    # name (failing closed), and the report shows the replacement and why.
    return not (is_ordinary_word(word) and parsed_as_word(text, start, end))


_SENTENCE_EDGE = re.compile(r"[.!?\n]")
# Verbs that give a thing a rating or grade: a word the parser reads as what one of these made of
# its object ("rated amber", "RAG rated Amber", "triaged as amber") is the rating. They take a person
# only as their object ("the school rated Amber highly"), which the parse tells apart; verbs that
# name ("named Amber", "called her Amber") are not among them.
_BE = _words("be is are was were been being")
# What a rating is given to or shown as: a capitalised word describing one of these may be the
# rating ("an Amber rating", "two Amber flags"); describing anything else ("the Green family", "the
# Rose household") it is the listed name.
_RATING_NOUNS = _words(
    """rating ratings rag flag flags alert alerts status level levels category categories grade
    grades score scores risk warning warnings threshold zone"""
)
_RATING_VERBS = _words(
    """rated graded scored assessed classed classified categorised categorized flagged marked coded
    triaged"""
)


def is_rating(text: str, start: int, end: int) -> bool:
    """Return True when the capitalised word at text[start:end] is a rating, not a listed name.

    Only for a form the words around it leave in doubt: after a rating verb or "as" ("rated Amber",
    "rated as Amber"), or before a rating noun ("an Amber rating"); then the parse decides
    (`parsed_as_word`). "Amber said", "told Amber", "Amber's school", "the Green family", "Ms Amber"
    and a capitalised word starting a sentence are the name, with no parse at all.
    """
    before = text[max(0, start - 80) : start]
    prev_match = _PREVIOUS.search(before)
    prev, gap = (prev_match.group(1) or ""), prev_match.group(2)
    if not prev or "\n" in gap or _EMPHASIS.fullmatch(gap) is None or _starts_sentence(before):
        return False
    if re.match(r"['’]", text[end : end + 1]):
        return False  # "Amber's school"
    next_match = _NEXT.match(text[end : end + 40])
    following = next_match.group(2) or ""
    after_verb = prev.lower() in _RATING_VERBS or prev.lower() == "as"
    describes = _EMPHASIS.fullmatch(next_match.group(1)) is not None and following in _RATING_NOUNS
    return (after_verb or describes) and parsed_as_word(text, start, end)


def parsed_as_word(text: str, start: int, end: int) -> bool:
    """Return True when the parser clearly reads text[start:end] as an ordinary word in its sentence.

    Clear: an auxiliary ("Partners will want"), a common noun with a determiner, compound,
    adjective or possessive of its own ("an unpaid electricity bill"), what a rating verb made of its
    object ("rated amber", "rated as Amber"), or a word describing a common noun after it ("an Amber
    rating"). A bare noun ("seen by robin"), a subject, an object or a possessive is not clear.
    """
    sentence, offset = _sentence_around(text, start, end)
    return _parse_says_word(sentence, offset)


def _sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    """Return the sentence holding text[start:end] (at most 200 characters each side) and where
    the span starts in it."""
    left = max(
        (m.end() for m in _SENTENCE_EDGE.finditer(text, max(0, start - 200), start)),
        default=max(0, start - 200),
    )
    right_match = _SENTENCE_EDGE.search(text, end, end + 200)
    right = right_match.end() if right_match else min(len(text), end + 200)
    return text[left:right], start - left


def tagged_as_noun(text: str, start: int, end: int) -> bool:
    """Return True when the model's tagger reads text[start:end] as a noun or proper noun in its
    sentence: "gill" in "a report from priya gill", not "said" in "jayden said that"."""
    sentence, offset = _sentence_around(text, start, end)
    return _tag_of(sentence, offset) in ("NOUN", "PROPN")


@lru_cache(maxsize=4096)
def _tag_of(sentence: str, offset: int) -> str:
    token = next((t for t in _parser()(sentence) if t.idx == offset), None)
    return token.pos_ if token is not None else ""


@lru_cache(maxsize=4096)
def _parse_says_word(sentence: str, offset: int) -> bool:
    doc = _parser()(sentence)
    token = next((t for t in doc if t.idx == offset), None)
    if token is None:
        return False
    if token.pos_ == "AUX" and token.dep_ == "aux":
        return True
    if (
        token.pos_ == "NOUN"
        and token.tag_ in ("NN", "NNS")
        and any(_describes(c) for c in token.children)
    ):
        return True
    head = token.head
    if token.dep_ in ("oprd", "acomp", "xcomp") and _rates_a_thing(head, token):
        return True  # "the referral was rated amber", "RAG rated Amber"
    if token.dep_ == "pobj" and head.lower_ == "as" and _rates_a_thing(head.head, token):
        return True  # "the call was triaged as Amber"
    # "an Amber rating", "the amber flags": inside a noun phrase, describing the rating after it
    doc = token.doc
    return (
        token.dep_ in ("compound", "amod")
        and head.i == token.i + 1
        and head.pos_ == "NOUN"
        and head.text in _RATING_NOUNS
        and token.i > 0
        and doc[token.i - 1].head.i == head.i
        and doc[token.i - 1].dep_ in ("det", "amod", "nummod", "compound", "poss")
    )


def _describes(child) -> bool:  # type: ignore[no-untyped-def]
    """Return True for a determiner, possessive, number, adjective or noun that makes its head a
    common noun ("an unpaid electricity bill"); a verb the parser hung on it as an adjective does
    not ("a MARAC discussed summer": a misparse, not a season)."""
    if child.dep_ in ("det", "poss", "nummod"):
        return True
    if child.dep_ == "amod":
        return child.tag_.startswith("JJ")
    return child.dep_ == "compound" and child.pos_ in ("NOUN", "PROPN")


def _rates_a_thing(verb, token) -> bool:  # type: ignore[no-untyped-def]
    """Return True for a rating verb ("rated", "RAG-rated") whose object is something other than
    `token`: passive ("the referral was rated"), another object ("rated the referral amber") or a
    noun it describes ("a referral rated amber"). In "the social worker rated Amber highly" the
    object is the person, so it is not."""
    if verb.lower_.rsplit("-", 1)[-1] not in _RATING_VERBS:
        return False
    if verb.dep_ in ("acl", "amod"):
        return True
    if verb.dep_ in ("acomp", "ccomp", "xcomp") and verb.head.lower_ in _BE:
        return True  # the small model's reading of "was rated", "was RAG rated"
    return any(
        c.dep_ in ("nsubjpass", "auxpass", "agent") or (c.dep_ == "dobj" and c.i != token.i)
        for c in verb.children
    )


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    """Return a function that tags and parses a sentence with the model NER already loaded.

    The tagger and parser are loaded switched off (`engine.load_nlp`); they run here by hand, so
    only the few sentences that need them pay for them.
    """
    from pipeline.anonymise.engine import PARSE_COMPONENTS, load_nlp

    nlp = load_nlp()
    steps = [nlp.get_pipe(name) for name in PARSE_COMPONENTS]

    def parse(sentence: str):  # type: ignore[no-untyped-def]
        doc = nlp.make_doc(sentence)
        for step in steps:
            doc = step(doc)
        return doc

    return parse


def _starts_sentence(before: str) -> bool:
    """Return True when nothing but markup stands between a sentence's or line's start and here."""
    line = before[before.rfind("\n") + 1 :]
    stripped = line.rstrip(_MARKUP)
    if not stripped.strip():
        return True  # the start of a line, a bullet, a heading, a quotation or a table cell
    if stripped.endswith("|"):
        return True
    if stripped[-1] in ".!?" and stripped != line:
        word = re.search(r"([^\W_]+)\W*$", stripped[:-1])
        if word is None:
            return True
        token = word.group(1)
        return not (
            token.lower() in _ABBREVIATIONS
            or (len(token) == 1 and token.isalpha())
            or is_title(token)
        )
    return False


# Words before which capitals are the abbreviation, not someone's initials ("the MP", "her NI
# number", "a DA case"). Not "was" or "is": "it was MP who phoned" is the person.
_ABBREVIATION_BEFORE = DETERMINERS | {"per", "whose", "which", "local", "same"}
_ABBREVIATION_AFTER = frozenset(
    [
        "number",
        "numbers",
        "card",
        "cards",
        "case",
        "cases",
        "incident",
        "incidents",
        "service",
        "services",
        "team",
    ]
)


# Words a person stands after or before, and a thing does not: "Ruaridh told DV that", "a call
# from DV", "lived with LA", "DV said", "LA had a history" (not "a history of DV", "the impact of
# DV was").
_TO_A_PERSON = _words(
    """told asked contacted visited rang phoned emailed texted met informed advised warned
    reassured thanked said"""
)
_TO_A_PERSON_PAIRS = frozenset(
    [
        ("call", "from"),
        ("heard", "from"),
        ("spoke", "to"),
        ("spoke", "with"),
        ("seen", "by"),
        ("visited", "by"),
        ("told", "by"),
        ("described", "by"),
        ("lived", "with"),
        ("lives", "with"),
        ("living", "with"),
        ("stayed", "with"),
        ("staying", "with"),
        ("looked", "after"),
        ("care", "of"),
    ]
)
_A_PERSON_DID = _words(
    """said says told tells reported explained agreed described disclosed denied asked phoned
    rang called telephoned visited attended recalled recorded noticed had has was is lived lives
    stayed went left moved came arrived wanted felt knew did would could will"""
)
# Words after which the abbreviation is a thing, whatever follows: "the impact of DV was".
_THING_BEFORE = DETERMINERS | _words(
    """of about on into around regarding for and or with from to by in at as than"""
)


# Family members: capitals joined to one by "and" stand for a person too ("LA and the children").
_FAMILY_NOUNS = (
    r"(?:child|children|baby|babies|infant|sibling|siblings|brother|brothers|sister|sisters|twin"
    r"|twins|mother|father|parent|parents|son|sons|daughter|daughters|grandmother|grandfather"
    r"|grandparents|stepfather|stepmother|aunt|uncle|cousin|boyfriend|girlfriend)(?![\w'’-])"
)
_WITH_FAMILY_AFTER = re.compile(
    rf"\s*(?:,|and|or|&)\s+(?:(?:the|her|his|their|both|two|three|four|younger|older|elder"
    rf"|maternal|paternal)\s+){{0,2}}{_FAMILY_NOUNS}",
    re.IGNORECASE,
)
_WITH_FAMILY_BEFORE = re.compile(
    rf"\b(?:her|his|their|the)\s+(?:[\w-]+\s+)?{_FAMILY_NOUNS}\s*(?:,|and|or|&)\s*$",
    re.IGNORECASE,
)


def person_stands(text: str, start: int, end: int) -> bool:
    """Return True when the capitals at text[start:end] stand where a person would: after a verb
    of telling or meeting ("told DV that", "lived with LA"), before "'s", or before what a person
    does ("DV said", "LA had"), or beside a family member ("LA and the children", "her mother and
    LA"), unless a preposition or determiner makes them a thing ("of DV", "the LA and")."""
    window = text[max(0, start - 40) : start]
    before = re.findall(r"[^\W\d_]+", window.lower())[-2:]
    after = text[end : end + 30]
    if before and re.search(r"[^\W\d_]\s*$", window) is None:
        before = []  # punctuation stands between: "history of violence. DV said" reads afresh
    if before and before[-1] in _TO_A_PERSON:
        return True
    if len(before) == 2 and (before[0], before[1]) in _TO_A_PERSON_PAIRS:
        return True
    if re.match(r"['’]s\b", after):
        return True
    if before and before[-1] in DETERMINERS:
        return False  # "the LA and the children's services"
    if _WITH_FAMILY_AFTER.match(after) or _WITH_FAMILY_BEFORE.search(window):
        return True  # "care to LA and the children", "her mother and LA"
    if before and before[-1] in _THING_BEFORE:
        return False
    following = re.match(r"\s+([^\W\d_]+)", after)
    return following is not None and following.group(1).lower() in _A_PERSON_DID


def is_abbreviation_use(text: str, start: int, end: int, name: str = "") -> bool:
    """Return True when the capitals at text[start:end] are an abbreviation there, not initials.

    The abbreviation: after a determiner or possessive ("the MP for the area"), after a number
    ("35 KB", "10 AM"), before a noun it names a kind of ("NI number", "DA cases"), beside its
    expansion ("Member of Parliament (MP)", "MP (Member of Parliament)"), or a rank before a name
    ("PC Evans").
    """
    letters = text[start:end]
    before = text[max(0, start - 120) : start]
    after = text[end : end + 120]
    prev_match = _PREVIOUS.search(before)
    prev, gap = (prev_match.group(1) or ""), prev_match.group(2)
    if gap.strip() == "" and prev.lower() in _ABBREVIATION_BEFORE:
        return True
    number = re.search(r"(?<![\d./\-])(\d+)(?:[.,]\d+)?\s?$", before)
    if number and not re.fullmatch(r"(?:19|20)\d\d", number.group(1)):
        return True  # "35 KB"; not "On 3.1.24 MP", nor "On October 25, 2021 MA telephoned"
    following = _NEXT.match(after)
    word_after = following.group(2) or ""
    if following.group(1).strip() == "" and word_after.lower() in _ABBREVIATION_AFTER:
        return True
    if is_title(letters) and following.group(1) == " " and word_after[:1].isupper():
        return True
    return _expanded(letters, before, after, name)


_SMALL_WORDS = frozenset({"of", "and", "for", "the", "in", "on", "to", "&"})
_CAPITALISED_RUN = r"(?:[A-Z][^\W\d_]*|of|and|for|the|in|on|to|&)"


def _expanded(letters: str, before: str, after: str, name: str) -> bool:
    """Return True when capitalised words beside the capitals spell them out ("Member of Parliament
    (MP)", "MP (Member of Parliament)"), brackets or not (the gate reads a copy without them), and
    those words are not the listed person's own name ("Meera Pillai (MP)" introduces a person)."""
    own = {w.lower() for w in re.findall(r"[^\W\d_]+", name)}
    run_before = re.search(rf"((?:{_CAPITALISED_RUN}[ \t]+)+)\(?[ \t]*$", before)
    run_after = re.match(rf"[ \t]*\)?[ \t]*\(?[ \t]*((?:{_CAPITALISED_RUN}[ \t]*)+)", after)
    for run, last in ((run_before, True), (run_after, False)):
        if run is None:
            continue
        words = [w for w in run.group(1).split() if w.lower() not in _SMALL_WORDS]
        chosen = words[-len(letters) :] if last else words[: len(letters)]
        if (
            len(chosen) == len(letters)
            and "".join(w[0] for w in chosen).upper() == letters
            and not any(w.lower() in own for w in chosen)
        ):
            return True
    return False
