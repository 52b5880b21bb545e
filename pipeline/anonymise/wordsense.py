"""Whether a listed name that is also a word stands as the name where it is written.

A listed first name spelt like a word ("hung", "destiny", "long") is matched in lower case only
where the words around it make it a name; a listed person's bare initials that are also an
abbreviation ("MP", "NI") are matched except where the words around them make them the abbreviation.
Detection and the leak gate both call these on the text they search, so the gate refuses exactly
the forms detection should have taken. Only the words next to the form are read: no tagger runs.
"""

from __future__ import annotations

import re

from pipeline.anonymise.vocabulary import is_title

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
# Words after which a word at the end of a clause is who the action was for ("a referral from
# destiny.", "saw precious and", "described hope as").
_OBJECT_BEFORE = frozenset(
    [
        "to",
        "from",
        "with",
        "by",
        "for",
        "about",
        "of",
        "at",
        "saw",
        "see",
        "sees",
        "seen",
        "told",
        "tell",
        "asked",
        "ask",
        "met",
        "meet",
        "visited",
        "visit",
        "called",
        "call",
        "phoned",
        "contacted",
        "supported",
        "helped",
        "referred",
        "gave",
        "give",
        "took",
        "take",
        "and",
        "including",
        "between",
    ]
)
_CLAUSE_END_AFTER = frozenset({"and", "or", "but", "who", "that", "when", "because", "as"})
# A full stop after these does not end a sentence ("e.g. faith groups").
_ABBREVIATIONS = frozenset({"eg", "ie", "etc", "approx", "no", "vs", "cf", "para", "p", "pp"})

_PREVIOUS = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)?([^\w]*)$")
_NEXT = re.compile(r"([^\w]*)([^\W\d_]+(?:['’][^\W\d_]+)*)?")
_EMPHASIS = re.compile(r"[\s*_`]*")  # what may stand between two words of one phrase
_MARKUP = " \t\"'“‘*_#>|([-•"  # what may stand between a line's start and its first word


def names_someone(text: str, start: int, end: int) -> bool:
    """Return True when the lower-case word at text[start:end] stands as a name there.

    A name: after a title ("Dr hung"); at the start of a sentence, line, bullet or table cell (an
    author who capitalises does so there); before "'s" or a verb of someone doing something ("hung
    had", "skye recognised"); at the end of a clause after a preposition or verb ("a referral from
    destiny."); or anywhere in a sentence written without capitals, where case says nothing. Not a
    name: joined by a hyphen ("long-term"), or after a determiner, possessive, subject or auxiliary.
    """
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
    tight = prev and _EMPHASIS.fullmatch(gap) and "\n" not in gap  # "her **destiny**" too
    if tight and is_title(prev):
        return True
    if tight and (prev.lower() in _WORD_BEFORE or re.search(r"['’]s$", prev.lower())):
        return False
    if _starts_sentence(before):
        return True
    if re.match(r"['’](?:s\b|(?=\s))", after):  # "destiny's", not "don't"
        return True
    between = _EMPHASIS.fullmatch(gap_after) is not None
    if between and following:
        word = following.lower()
        if word in _PERSON_AFTER or (len(word) >= 5 and word.endswith("ed")):
            return True
    clause_ends = gap_after.strip(" *_`")[:1] in tuple(".,;:!?)") or (
        between and following.lower() in _CLAUSE_END_AFTER
    )
    if clause_ends and tight:
        word = prev.lower()
        if word in _OBJECT_BEFORE or (len(word) >= 4 and word.endswith("ed")):
            return True
    return _sentence_uncapitalised(text, start, end)


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


def _sentence_uncapitalised(text: str, start: int, end: int) -> bool:
    """Return True when the sentence around text[start:end] has no capital letter and four words or more."""
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n")
    rights = [i for i in (text.find(ch, end) for ch in ".!?\n") if i != -1]
    sentence = text[left + 1 : min(rights) if rights else len(text)]
    return not any(ch.isupper() for ch in sentence) and len(sentence.split()) >= 4


# Words before which capitals are the abbreviation, not someone's initials ("the MP", "her NI
# number", "a DA case"). Not "was" or "is": "it was MP who phoned" is the person.
_ABBREVIATION_BEFORE = frozenset(
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
        "our",
        "your",
        "my",
        "any",
        "each",
        "every",
        "no",
        "per",
        "whose",
        "which",
        "local",
        "same",
    ]
)
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
    if re.search(r"(?<![\d./\-])\d+(?:[.,]\d+)?\s?$", before):  # "35 KB", not "On 3.1.24 MP"
        return True
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
