"""Identifiers that hide: each is replaced by its label, or the review is refused, never published.

A name pasted from Word or a case record can hide from a plain search: invisible characters inside
it, look-alike letters from other alphabets, Markdown emphasis splitting it, a link, a table cell, a
heading, a footnote, character references (`J&#97;yden`), a number broken over two lines. Every such
form is tried twice:

- through the anonymisation stage (`anonymise_entry`): the output must show no form of the name a
  reader would recognise, or the review is refused with a LeakError;
- through the final gate of `bscp build`, with an anonymiser that changes nothing, so that the only
  protection left is the site-wide leak scan: every page or download holding it must fail the build.

What cannot get that far (an image's alt text, a file or folder named after a person) is refused
when the content is loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import shutil
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.anonymise.gate import LeakScanner, check_document
from pipeline.anonymise.identifiers import identifier_set
from pipeline.anonymise.run import anonymise_entry
from pipeline.content.project import load_project
from pipeline.errors import ContentError, LeakError
from pipeline.publish.leakscan import scan_site
from pipeline.published import review_document as entry_document
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (the spaCy model, loaded once)
from tests.site_support import build_fixture, copy_fixture, fake_stages

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
TODAY = dt.date(2025, 7, 1)
TEMPLATE_ID = "BSCP-2025-26-00"
CLEAN_ID = "BSCP-2025-26-99"  # a review with labels only: the gates must let it through

# Where a hiding identifier is written: a section file, or a published YAML field.
FIELD_LINES = {
    "title": 'title: "Child J: a rapid review"',
    "catalogue.summary": '  summary: "Child J, aged 4, was found alone at home."',
    "learning_brief.background": '  background: "Child J lived with Mother."',
}
CYRILLIC = str.maketrans("aeo", "\u0430\u0435\u043e")
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


@dataclass(frozen=True)
class Person:
    """Someone listed in a review (fictional): their name and NHS number."""

    first: str
    last: str
    nhs: str = "943 476 5919"

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def entity(ch: str, hexadecimal: bool = False) -> str:
    return f"&#x{ord(ch):X};" if hexadecimal else f"&#{ord(ch)};"


@dataclass(frozen=True)
class Case:
    """One way of writing a person's name (or number) that a plain search would miss."""

    name: str
    write: Callable[[Person], str]
    where: str = "summary.md"


def split(p: Person, left: str, right: str = "") -> str:
    return f"{left}{p.first[:3]}{right or left}{p.first[3:]} was seen at home."


# Gaps between the letters of a name spelt out: what case records, forms and pastes use.
SPELLING_GAPS = [
    ("hyphens", "-"),
    ("dots", "."),
    ("dots and spaces", ". "),
    ("double spaces", "  "),
    ("non-breaking spaces", "\u00a0"),
    ("en dashes", " \u2013 "),
    ("slashes", "/"),
]


def spelt(p: Person, gap: str) -> str:
    """Return the first name spelt out in capitals, letter by letter, `gap` between letters."""
    return gap.join(p.first.upper())


def spelt_mixed(p: Person) -> str:
    """Return the first name spelt out in capitals with a different gap after each letter, as a
    tired typist or a pasted record mixes them (`A-Y A.A  N`)."""
    gaps = ["-", " ", ".", "  ", "\u00a0", "/"]
    letters = p.first.upper()
    return "".join(c + gaps[i % len(gaps)] for i, c in enumerate(letters[:-1])) + letters[-1]


def thousands(number: str, separator: str = ",") -> str:
    """Return a number as a spreadsheet writes it: `9,434,765,919`."""
    return f"{int(number.replace(' ', '')):,}".replace(",", separator)


def percent(text: str) -> str:
    return "".join(f"%{ord(c):02X}" for c in text)


CASES = [
    Case("zero-width space inside a name", lambda p: split(p, "", "\u200b")),
    Case("zero-width joiner inside a name", lambda p: split(p, "", "\u200d")),
    Case("word joiner inside a name", lambda p: split(p, "", "\u2060")),
    Case("soft hyphen inside a name", lambda p: split(p, "", "\u00ad")),
    Case("byte-order mark inside a name", lambda p: split(p, "", "\ufeff")),
    Case(
        "non-breaking space in a full name", lambda p: f"{p.first}\u00a0{p.last} was seen at home."
    ),
    Case(
        "narrow non-breaking spaces in an NHS number",
        lambda p: f"NHS number {p.nhs.replace(' ', chr(0x202F))}.",
    ),
    Case(
        "Cyrillic look-alike letters", lambda p: f"{p.first.translate(CYRILLIC)} was seen at home."
    ),
    Case("Greek look-alike letter", lambda p: f"Then {p.last.replace('o', chr(0x3BF))} was seen."),
    Case("full-width letters", lambda p: f"{p.first.translate(FULL_WIDTH)} was seen at home."),
    Case("a combining accent", lambda p: f"{p.first[:-1]}\u0301{p.first[-1]} was seen at home."),
    Case("letters spaced out", lambda p: f"Then {' '.join(p.first)} was seen at home."),
    Case("split by strong emphasis", lambda p: split(p, "**")),
    Case("split by emphasis", lambda p: split(p, "*")),
    Case("split by underscores", lambda p: split(p, "_")),
    Case("split by strikethrough", lambda p: split(p, "~~")),
    Case("split by a comment", lambda p: split(p, "", "<!-- checked -->")),
    Case(
        "in link text", lambda p: f"See [{p.first}'s health record](https://example.org/records)."
    ),
    Case(
        "in a link target",
        lambda p: f"See [the record](https://example.org/{p.first.lower()}-{p.last.lower()}).",
    ),
    Case(
        "in a link target without separators",
        lambda p: f"See [the record](https://example.org/{p.first.lower()}{p.last.lower()}).",
    ),
    Case("in an autolink", lambda p: f"See <https://example.org/people/{p.first.lower()}>."),
    Case(
        "an e-mail address in a mailto link",
        lambda p: f"[Write](mailto:{p.first.lower()}.{p.last.lower()}@example.org) to them.",
    ),
    Case("in a table cell", lambda p: f"| Who | Age |\n| --- | --- |\n| {p.first} | 4 |"),
    Case("in a heading", lambda p: f"## What happened to {p.first}\n\nChild J was alone."),
    Case("in a footnote", lambda p: f"Child J was alone.[^1]\n\n[^1]: {p.first} told the teacher."),
    Case("in a front-matter block", lambda p: f"---\nchild: {p.full}\n---\n\nChild J was alone."),
    Case("in inline code", lambda p: f"The file was named `{p.first}` on the system."),
    Case(
        "an NHS number split across lines",
        lambda p: f"His NHS number, {p.nhs[:7]}\n{p.nhs[8:]}, was on the letter.",
    ),
    Case(
        "an NHS number split across lines of a quotation",
        lambda p: f"> His NHS number, {p.nhs[:7]}\n> {p.nhs[8:]}, was on the letter.",
    ),
    Case(
        "decimal character reference",
        lambda p: f"{p.first[0]}{entity(p.first[1])}{p.first[2:]} was seen at home.",
    ),
    Case(
        "hexadecimal character reference",
        lambda p: f"{entity(p.first[0], True)}{p.first[1:]} was seen at home.",
    ),
    Case(
        "named character reference",
        lambda p: f"{p.first.replace('e', '&eacute;', 1)} was seen at home.",
    ),
    Case("character reference for a zero-width space", lambda p: split(p, "", "&#8203;")),
    Case(
        "title with look-alike letters",
        lambda p: f"{p.first.translate(CYRILLIC)}: a rapid review",
        "title",
    ),
    Case(
        "catalogue summary split by emphasis",
        lambda p: f"**{p.first[:3]}**{p.first[3:]}, aged 4, was found alone.",
        "catalogue.summary",
    ),
    Case(
        "learning brief with a zero-width space",
        lambda p: f"{p.first[:3]}\u200b{p.first[3:]} lived with Mother.",
        "learning_brief.background",
    ),
    # Separators that are not ASCII, as pasting from a letter, a PDF or a spreadsheet gives.
    Case(
        "an NHS number with en dashes", lambda p: f"NHS number {p.nhs.replace(' ', chr(0x2013))}."
    ),
    Case(
        "an NHS number with non-breaking hyphens",
        lambda p: f"NHS number {p.nhs.replace(' ', chr(0x2011))}.",
    ),
    Case(
        "an NHS number with minus signs", lambda p: f"NHS number {p.nhs.replace(' ', chr(0x2212))}."
    ),
    Case(
        "an NHS number with figure spaces",
        lambda p: f"NHS number {p.nhs.replace(' ', chr(0x2007))}.",
    ),
    Case("an NHS number in thousands format", lambda p: f"NHS number {thousands(p.nhs)}."),
    Case(
        "an NHS number with Swiss thousands separators",
        lambda p: f"NHS number {thousands(p.nhs, chr(39))}.",
    ),
    Case(
        "an NHS number with en dashes written as references",
        lambda p: f"NHS number {p.nhs.replace(' ', '&#8211;')}.",
    ),
    Case(
        "an NHS number in thousands format in the catalogue summary",
        lambda p: f"Child J, NHS number {thousands(p.nhs)}, was found alone.",
        "catalogue.summary",
    ),
    # A name spelt out letter by letter, the way case records spell names.
    *(
        Case(f"a name spelt out with {gaps}", lambda p, gap=gap: f"Then {spelt(p, gap)} was seen.")
        for gaps, gap in SPELLING_GAPS
    ),
    Case("a name spelt out with mixed gaps", lambda p: f"Then {spelt_mixed(p)} was seen."),
    Case(
        "a name spelt out in lower case before the word 'a'",
        lambda p: f"Then {' '.join(p.first.lower())} a dog was seen.",
    ),
    Case(
        "a name spelt out in a table cell",
        lambda p: f"| Who | Age |\n| --- | --- |\n| {spelt(p, '.')} | 4 |",
    ),
    Case(
        "a name spelt out in link text",
        lambda p: f"See [{spelt(p, '-')}](https://example.org/records).",
    ),
    Case("a name spelt out in a title", lambda p: f"{spelt(p, '-')}: a rapid review", "title"),
    Case(
        "a name spelt out in the learning brief",
        lambda p: f"{spelt(p, '.')}. lived with Mother.",
        "learning_brief.background",
    ),
    # A name split by a link that shows nothing.
    Case("split by an empty link", lambda p: split(p, "", "[](https://example.org/a)")),
    Case(
        "split by an empty reference link",
        lambda p: split(p, "", "[][1]") + "\n\n[1]: https://example.org/",
    ),
    # A name escaped inside a link's address or title: a browser shows it decoded.
    Case(
        "percent-encoded in a link target",
        lambda p: f"See [the record](https://example.org/{percent(p.first)}).",
    ),
    Case(
        "partly percent-encoded in a link target",
        lambda p: (
            f"See [the record](https://example.org/?who={p.first[0]}%{ord(p.first[1]):02X}{p.first[2:]})."
        ),
    ),
    Case(
        "percent-encoded twice in a link target",
        lambda p: f"See [the record](https://example.org/{percent(p.first).replace('%', '%25')}).",
    ),
    Case(
        "character references in a link target",
        lambda p: f"See [the record](https://example.org/{''.join(entity(c) for c in p.first)}).",
    ),
    Case(
        "percent-encoded in a link title",
        lambda p: f'See [the record](https://example.org/ "{percent(p.first)}").',
    ),
    Case(
        "percent-encoded in an autolink",
        lambda p: f"See <https://example.org/people/{percent(p.first)}>.",
    ),
]
IDS = [case.name for case in CASES]
REVIEW_IDS = {case.name: f"BSCP-2025-26-{index:02d}" for index, case in enumerate(CASES, start=1)}

# The child of the fixture review, whose name every case hides in the anonymisation tests.
JAYDEN = Person("Jayden", "Okafor")
# For the site, one review lists a person per case, so that the report says which case was caught.
# (NHS numbers are published as "[removed]" whoever they belong to: the second NHS case gets a
# review of its own.)
SITE_PEOPLE = [
    Person(first, last, f"401 {index:03d} 2137")
    for index, (first, last) in enumerate(
        [
            ("Kaleb", "Brookman"),
            ("Soraya", "Castellow"),
            ("Marlen", "Dunmore"),
            ("Tamsin", "Eldonby"),
            ("Lucan", "Fosswick"),
            ("Perran", "Gorringe"),
            ("Idabel", "Holloway"),
            ("Ravena", "Ingoldby"),
            ("Oskar", "Jolliffe"),
            ("Delphine", "Kolbeck"),
            ("Casimir", "Lodsworth"),
            ("Ysolde", "Morland"),
            ("Bramwell", "Norbury"),
            ("Evander", "Oldcastle"),
            ("Hesper", "Pocklington"),
            ("Ottilie", "Rookwood"),
            ("Lazaro", "Stonehurst"),
            ("Mireille", "Thorogood"),
            ("Fenwick", "Uttoxby"),
            ("Aurelio", "Vossler"),
            ("Benedek", "Wolstenholme"),
            ("Calloway", "Yorath"),
            ("Damaris", "Zorbas"),
            ("Emrys", "Ashcombe"),
            ("Fabienne", "Bowditch"),
            ("Gideon", "Colquhoun"),
            ("Hollis", "Doddridge"),
            ("Isadora", "Elmore"),
            ("Jethro", "Foxcroft"),
            ("Kestrel", "Goodwood"),
            ("Leander", "Hobson"),
            ("Marisol", "Iremonger"),
            ("Nerys", "Jobling"),
            ("Orrin", "Knollys"),
            ("Perpetua", "Lockwood"),
            ("Quentin", "Marchbank"),
            ("Rosalind", "Nettleford"),
            ("Severin", "Oxenbury"),
            ("Thisbe", "Penhallow"),
            ("Ulric", "Quarmby"),
            ("Verena", "Rathbone"),
            ("Wystan", "Scarisbrick"),
            ("Xanthe", "Tregothnan"),
            ("Yannick", "Underhay"),
            ("Zenobia", "Vellacott"),
            ("Alaric", "Wetherall"),
            ("Briony", "Yelverton"),
            ("Cosmo", "Zouchbury"),
            ("Drusilla", "Abernethy"),
            ("Eamon", "Blanchflower"),
            ("Florian", "Cridland"),
            ("Gwendolen", "Dimbleby"),
            ("Horatio", "Eversleigh"),
            ("Ignatius", "Fairbrass"),
            ("Jocasta", "Gillanders"),
            ("Kasimir", "Hethersett"),
            ("Lucasta", "Inchbald"),
            ("Montague", "Jessamy"),
            ("Nanette", "Kittredge"),
            ("Octavian", "Langridge"),
            ("Philippa", "Mallinder"),
            ("Quillon", "Nankivell"),
            ("Roderick", "Ormerod"),
            ("Seraphina", "Pendlebury"),
            ("Tobiah", "Quilliam"),
            ("Ursula", "Ravenscroft"),
            ("Valentin", "Sowerbutts"),
            ("Winifred", "Thistlewood"),
            ("Zebedee", "Upcott"),
            ("Amabel", "Vandeleur"),
        ]
    )
]
SITE_REVIEW = "BSCP-2025-26-01"
# NHS numbers are published as "[removed]" whoever they belong to: every NHS case after the first
# gets a review of its own, so that the report still says which case was caught. So does every case
# written in a YAML field after the first there (a review has one title).
NHS_CASES = [case.name for case in CASES if "NHS number" in case.name]
FIELD_CASES = [
    case.name
    for index, case in enumerate(CASES)
    if case.where != "summary.md" and case.where in {c.where for c in CASES[:index]}
]
OWN_REVIEW = {
    name: f"BSCP-2025-26-{n:02d}" for n, name in enumerate(NHS_CASES[1:] + FIELD_CASES, start=2)
}


def write_review(
    content: Path,
    review_id: str,
    cases: list[tuple[Case, Person]] = (),
    people: list[tuple[str, Person]] = (),
) -> None:
    """Write the fixture review under `review_id` with each case written about its person, and
    `people` (label, person) listed besides the fixture's own."""
    folder = content / "reviews" / review_id
    folder.mkdir(parents=True)
    text = (BAD / "review.yaml").read_text(encoding="utf-8").replace(TEMPLATE_ID, review_id)
    listed = "".join(
        f'  - label: {label}\n    role: other_adult\n    names: [{p.full}]\n    nhs_number: "{p.nhs}"\n'
        for label, p in people
    )
    text = text.replace("agencies:\n", listed + "agencies:\n", 1)
    paragraphs = []
    for case, person in cases:
        if case.where == "summary.md":
            paragraphs.append(case.write(person))
        else:
            line = FIELD_LINES[case.where]
            text = text.replace(line, line.split(":")[0] + ": " + json.dumps(case.write(person)))
    summary = "\n\n".join(
        [*paragraphs, "Child J was found alone at home by a neighbour."]
        if paragraphs
        else ["Child J was found alone at home by a neighbour."]
    )
    (folder / "review.yaml").write_text(text, encoding="utf-8")
    (folder / "summary.md").write_text(summary + "\n", encoding="utf-8")
    (folder / "decision.md").write_text(
        "No further review: the learning is identified.\n", encoding="utf-8"
    )
    # A published rapid review says something in every section the Panel expects.
    for name, words in SECTIONS_THE_PANEL_EXPECTS.items():
        (folder / name).write_text(words + "\n", encoding="utf-8")


SECTIONS_THE_PANEL_EXPECTS = {
    "analysis.md": "Nobody asked who else was caring for the child during the day.",
    "immediate-actions.md": "The school now checks on a child who misses two days without a call.",
    "learning.md": "Practitioners should ask who is caring for a child, and check it.",
}


def empty_project(root: Path) -> Path:
    """The site fixture's partnership and MkDocs site, without its reviews and briefs."""
    copy_fixture(root)
    shutil.rmtree(root / "content" / "reviews")
    shutil.rmtree(root / "content" / "briefs")
    return root


# --- What a reader would recognise: the test's own reading, independent of the pipeline's ------

LOOK_ALIKES = str.maketrans("\u0430\u0435\u043e\u0410\u0415\u041e\u039f\u03bf", "aeoAEOOo")


def as_read(text: str) -> str:
    """Return `text` as a reader sees it: references and URL escapes decoded, invisible marks,
    markup and empty links gone, letters spelt out (any gap between them) read as the word."""
    for _ in range(3):  # as a browser shows a link's address: escapes decoded
        text = urllib.parse.unquote(html.unescape(text))
    text = unicodedata.normalize("NFKD", text).translate(LOOK_ALIKES)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    text = re.sub(r"<!--.*?-->|[*_`~]|\[\]\([^)]*\)|\[\]\[[^]]*\]", "", text)
    text = re.sub(
        r"(?<!\w)\w(?:[^\w\n]+\w){3,}(?!\w)", lambda m: re.sub(r"\W", "", m.group()), text
    )
    return " ".join(text.split()).casefold()


def recognisable(texts: list[str], person: Person = JAYDEN) -> set[str]:
    """Return which of `person`'s identifiers a reader could recognise in `texts`."""
    read = as_read(" \n ".join(texts))
    found = {name for name in (person.first.casefold(), person.last.casefold()) if name in read}
    if re.sub(r"\D", "", person.nhs) in re.sub(r"\D", "", read):
        found.add("the NHS number")
    return found


@pytest.fixture(scope="module")
def hiding_project(tmp_path_factory):
    """One review per case, each hiding the fixture child's name (or number) one way."""
    root = empty_project(tmp_path_factory.mktemp("hiding"))
    for case in CASES:
        write_review(root / "content", REVIEW_IDS[case.name], [(case, JAYDEN)])
    write_review(root / "content", CLEAN_ID)
    return load_project(root / "content", TODAY)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_hiding_identifier_is_replaced_or_the_review_refused(hiding_project, anonymiser, case):  # noqa: F811
    entry = hiding_project.review(REVIEW_IDS[case.name])
    original = [text for _, text in entry_document(entry, hiding_project).text_fields()]
    assert recognisable(original), "the case no longer holds an identifier to hide"
    try:
        result = anonymise_entry(hiding_project, entry, use_cache=False)
    except LeakError as refused:
        # Refused: the author is told which field, and what to do.
        assert refused.problems and all("survived" in p.message for p in refused.problems)
        return
    published = [text for _, text in result.document.text_fields()]
    assert recognisable(published) == set(), published


def test_the_clean_review_passes_the_anonymisation_gate(hiding_project, anonymiser):  # noqa: F811
    result = anonymise_entry(hiding_project, hiding_project.review(CLEAN_ID), use_cache=False)
    assert recognisable([text for _, text in result.document.text_fields()]) == set()


@pytest.fixture(scope="module")
def site_refusal(tmp_path_factory):
    """Build every case with an anonymiser that changes nothing: only the site's leak gate is left."""
    root = empty_project(tmp_path_factory.mktemp("hiding-site"))
    placed = [(case, SITE_PEOPLE[index]) for index, case in enumerate(CASES)]
    write_review(
        root / "content",
        SITE_REVIEW,
        [(case, person) for case, person in placed if case.name not in OWN_REVIEW],
        [(site_label(case), person) for case, person in placed],
    )
    for case, person in placed:
        if case.name in OWN_REVIEW:
            write_review(
                root / "content",
                OWN_REVIEW[case.name],
                [(case, person)],
                [(site_label(case), person)],
            )
    write_review(root / "content", CLEAN_ID)
    scanned = (SITE_REVIEW, *OWN_REVIEW.values(), CLEAN_ID)

    def leak_scanner(project):
        return LeakScanner([identifier_set(project.review(i), project) for i in scanned])

    with pytest.raises(LeakError) as caught:
        build_fixture(root, stages=fake_stages(leak_scanner=leak_scanner), today=TODAY)
    assert not (root / "build" / "site").exists(), "a site was published"
    return caught.value.report()


def site_label(case: Case) -> str:
    return f"Adult {IDS.index(case.name) + 1:02d}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_site_leak_gate_refuses_every_hiding_identifier(site_refusal, case):
    review = OWN_REVIEW.get(case.name, SITE_REVIEW)
    label = "[removed]" if "NHS" in case.name else site_label(case)
    files = (f"build/site/reviews/{review}/", f"build/site/downloads/{review}.")
    mine = [
        line
        for line in site_refusal.splitlines()
        if line.startswith(files) and f"published as '{label}')" in line
    ]
    assert mine, f"{case.name}: nothing published as {label!r} was refused in {review}"


def test_the_site_leak_gate_lets_the_clean_review_through_and_never_prints_a_name(site_refusal):
    assert f"build/site/reviews/{CLEAN_ID}/" not in site_refusal
    for person in SITE_PEOPLE:
        assert recognisable([site_refusal], person) == set()


# --- Refused before anything is published -------------------------------------------------------


def refusal(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_project(root / "content", TODAY)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def one_review(tmp_path):
    root = empty_project(tmp_path)
    write_review(root / "content", "BSCP-2025-26-01")
    load_project(root / "content", TODAY)  # valid as written
    return root


def test_a_name_in_image_alt_text_is_refused_because_images_are(one_review):
    summary = one_review / "content" / "reviews" / "BSCP-2025-26-01" / "summary.md"
    summary.write_text("Child J was alone.\n\n![Jayden at home](photo.png)\n", encoding="utf-8")
    assert refusal(one_review) == [
        "content/reviews/BSCP-2025-26-01/summary.md:3: summary: images are not allowed in narrative: "
        "they can identify people and cannot be anonymised; describe it in words"
    ]


def test_a_review_folder_named_after_a_person_is_refused(one_review):
    # Ids follow the partnership's pattern and must equal the folder's name, so a folder (and so a
    # page address or download name, which are made from the id) cannot carry a name.
    reviews = one_review / "content" / "reviews"
    (reviews / "BSCP-2025-26-01").rename(reviews / "Jayden-Okafor")
    assert refusal(one_review) == [
        "content/reviews/Jayden-Okafor/review.yaml:3: id: 'BSCP-2025-26-01' differs from its folder "
        "name 'Jayden-Okafor'; rename one so they match"
    ]
    review = reviews / "Jayden-Okafor" / "review.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace("id: BSCP-2025-26-01", "id: Jayden-Okafor"),
        encoding="utf-8",
    )
    assert refusal(one_review) == [
        "content/reviews/Jayden-Okafor/review.yaml:3: id: 'Jayden-Okafor' is not a review id of the "
        "partnership's form: write one like BSCP-2025-26-01, and name the folder the same (the form "
        "is review_id_pattern in partnership.yaml)"
    ]


def test_a_section_file_named_after_a_person_is_refused(one_review):
    folder = one_review / "content" / "reviews" / "BSCP-2025-26-01"
    (folder / "jayden-okafor.md").write_text("Notes.\n", encoding="utf-8")
    (folder / "grace.yaml").write_text("notes: x\n", encoding="utf-8")
    found = refusal(one_review)
    assert len(found) == 2
    assert found[0].startswith(
        "content/reviews/BSCP-2025-26-01/grace.yaml: is not a section file of a review"
    )
    assert found[1].startswith(
        "content/reviews/BSCP-2025-26-01/jayden-okafor.md: is not a section file of a review"
    )


# --- Approval refuses first what the site-wide check would refuse --------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_approval_refuses_every_hiding_identifier_left_in_the_text(hiding_project, case):
    # The text as written, had detection missed it: the gate that `bscp approve` runs (through
    # `anonymise_entry`) reads it as the site-wide check reads the page, and refuses it first.
    entry = hiding_project.review(REVIEW_IDS[case.name])
    with pytest.raises(LeakError) as refused:
        check_document(
            entry_document(entry, hiding_project), [identifier_set(entry, hiding_project)]
        )
    assert all("survived" in p.message for p in refused.value.problems)


def test_approval_lets_the_clean_review_through(hiding_project):
    entry = hiding_project.review(CLEAN_ID)
    check_document(entry_document(entry, hiding_project), [identifier_set(entry, hiding_project)])


@pytest.mark.parametrize(
    "review_id", ["BSCP-2025-26-JAYDEN", "BSCP-J-A-Y-D-E-N-01", "BSCP-2025-26-%4Aayden"]
)
def test_approval_refuses_a_review_id_that_spells_a_listed_name(hiding_project, review_id):
    # An id names the page's address and the downloads; a partnership's pattern may allow letters.
    entry = hiding_project.review(CLEAN_ID)
    document = dataclasses.replace(entry_document(entry, hiding_project), id=review_id)
    with pytest.raises(LeakError) as refused:
        check_document(document, [identifier_set(entry, hiding_project)])
    assert [p.field for p in refused.value.problems] == ["id"]


@pytest.mark.parametrize(
    "written",
    [
        "born 14\u201303\u20132021",  # en dashes
        "born 2021\u201103\u201114",  # non-breaking hyphens
        "born 14\u221203\u22122021",  # minus signs
        "born 14\u2007/\u200703\u2007/\u20072021",  # figure spaces
        "born 14&#8211;03&#8211;2021",  # en dashes as character references
        "born 14\u00b703\u00b72021",  # middle dots
    ],
)
def test_a_date_of_birth_with_other_separators_is_refused(hiding_project, written):
    entry = hiding_project.review(CLEAN_ID)
    document = entry_document(entry, hiding_project)
    document = dataclasses.replace(document, summary=f"Child J was {written}.")
    with pytest.raises(LeakError) as refused:
        check_document(document, [identifier_set(entry, hiding_project)])
    assert [p.field for p in refused.value.problems] == ["summary"]


@pytest.mark.parametrize(
    "name",
    ["jayden-okafor.html", "J-A-Y-D-E-N.pdf", "%4A%61%79%64%65%6E.html", "okafor/index.html"],
)
def test_the_site_leak_gate_reads_file_names(hiding_project, tmp_path, name):
    # A page's address and a download's name are published as surely as its text.
    page = tmp_path / "site" / "reviews" / CLEAN_ID / name
    page.parent.mkdir(parents=True)
    page.write_text("<p>Child J was alone.</p>" if name.endswith(".html") else "", encoding="utf-8")
    scanner = LeakScanner([identifier_set(hiding_project.review(CLEAN_ID), hiding_project)])
    leaks, _ = scan_site(tmp_path / "site", scanner)
    assert {(leak.part, leak.label) for leak in leaks} == {("file name", "Child J")}


def test_a_name_spelt_out_in_a_title_is_refused_in_every_output(site_refusal):
    # A title reaches the most files: its page, the home page and listings, the search index, the
    # feed, and the Word and PDF downloads. The gate reads each as a reader would.
    name = "a name spelt out in a title"
    review, label = OWN_REVIEW[name], site_label(next(c for c in CASES if c.name == name))
    refused = {
        line.split(":")[0]
        for line in site_refusal.splitlines()
        if f"published as '{label}')" in line  # listed in its review and in SITE_REVIEW
    }
    site = "build/site"
    assert {
        f"{site}/index.html",
        f"{site}/reviews/index.html",
        f"{site}/reviews/{review}/index.html",
        f"{site}/search/search_index.json",
        f"{site}/feed.xml",
        f"{site}/downloads/{review}.docx",
        f"{site}/downloads/{review}.pdf",
    } <= refused


@pytest.mark.parametrize(
    "address", ["https://example.org/%4A%61%79%64%65%6E", "mailto:J-A-Y-D-E-N"]
)
def test_the_site_leak_gate_reads_a_pdfs_link_addresses(hiding_project, tmp_path, address):
    # A PDF's link is not on the page, yet a click or a hover shows where it goes.
    from pypdf import PdfWriter
    from pypdf.annotations import Link

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_annotation(page_number=0, annotation=Link(rect=(0, 0, 50, 50), url=address))
    pdf = tmp_path / "site" / "downloads" / f"{CLEAN_ID}.pdf"
    pdf.parent.mkdir(parents=True)
    writer.write(pdf)
    scanner = LeakScanner([identifier_set(hiding_project.review(CLEAN_ID), hiding_project)])
    leaks, unreadable = scan_site(tmp_path / "site", scanner)
    assert unreadable == []
    assert {(leak.part, leak.label) for leak in leaks} == {("links and annotations", "Child J")}
