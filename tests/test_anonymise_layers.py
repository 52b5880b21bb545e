"""Each detection layer, table-driven: what must be replaced, and what must be kept."""

from __future__ import annotations

import pytest

from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from pipeline.anonymise.textview import clean_view
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (session fixture)


def known(text: str, kind: str = "person", label: str = "Mother", entity: str = "PERSON"):
    return KnownIdentifier(text, kind, label, "people[0].names[0]", "R", entity)


IDENTIFIERS = IdentifierSet(
    "R",
    [
        known("Jane Ann Smith-Owusu"),
        known("Will Brown", label="Child A"),
        known("2023-04-02", "date_of_birth", "[removed]", "DATE_OF_BIRTH"),
        known("943 476 5919", "nhs_number", "[removed]", "NHS_NUMBER"),
        known("07700 900123", "phone", "[removed]", "PHONE_NUMBER"),
        known("12 Mill Lane, Brackenford, BR4 7XY", "address", "the family home", "ADDRESS"),
        known("Oakfield Primary School", "place", "the primary school", "SETTING"),
        known("Lotte Bakker", label="Maternal aunt"),
        known("lotte.bakker@example.net", "email", "[removed]", "EMAIL_ADDRESS"),
        known("Dawit Okonjo", label="the social worker"),
        known("11 Cinderhill Court, Brackenford BF3 3DR", "address", "Father's home", "ADDRESS"),
        known("Lee Ward", label="Stepfather"),
    ],
    allowed=["Brackenford"],
)

# (text, the substrings that must be found) — layer one, the listed identifiers.
KNOWN_ROWS = [
    ("Jane Ann Smith-Owusu came", ["Jane Ann Smith-Owusu"]),
    ("Ms Smith-Owusu said", ["Ms Smith-Owusu"]),
    ("MRS SMITH-OWUSU said", ["MRS SMITH-OWUSU"]),
    ("jane said", ["jane"]),
    ("Jane’s bag", ["Jane"]),
    ("J.O. visited", ["J.O."]),
    ("Jаne (a Cyrillic a)", ["Jаne"]),
    ("Ja\u200bne hid", ["Ja\u200bne"]),
    ("**Ja**ne", ["Ja**ne"]),
    ("Will was seen", ["Will"]),
    ("WILL BROWN was seen", ["WILL BROWN"]),
    ("Mr Brown phoned", ["Mr Brown"]),
    ("born 2nd April 2023", ["2nd April 2023"]),
    ("born 02/04/23", ["02/04/23"]),
    ("born 2.4.2023", ["2.4.2023"]),
    ("born April 2 2023", ["April 2 2023"]),
    ("born 2023-04-02", ["2023-04-02"]),
    ("her birthday, 2 April, passed", ["2 April"]),
    ("on April 2, 2023 she was born", ["April 2, 2023"]),
    ("NHS 9434765919", ["9434765919"]),
    ("NHS 943-476-5919", ["943-476-5919"]),
    ("call +44 (0)7700 900 123", ["+44 (0)7700 900 123"]),
    ("lives at 12 Mill Lane, Brackenford", ["12 Mill Lane, Brackenford"]),
    ("postcode br47xy", ["br47xy"]),
    ("at Oakfield today", ["Oakfield"]),
    # bare initials, e-mail addresses that start like a name, addresses without their postcode
    ("described by LB as a friend", ["LB"]),
    ("she met DO today", ["DO"]),
    ("an email from lotte.bakker@example.net to", ["lotte.bakker@example.net"]),
    ("at 11 Cinderhill Court, Brackenford on Saturdays", ["11 Cinderhill Court, Brackenford"]),
    ("at 11 Cinderhill Court on Saturdays", ["11 Cinderhill Court"]),
    ("the flat on Cinderhill Court", ["Cinderhill Court"]),
    ("at 11 Cinderhill Court, BF3 3DR then", ["11 Cinderhill Court, BF3 3DR"]),
    ("PC Smith-Owusu came", ["PC Smith-Owusu"]),
    # a first name that is a word too rare in prose to be one ("in the lee of the wall")
    ("adult services were involved with lee through probation", ["lee"]),
    ("Det Sgt Smith-Owusu came", ["Det Sgt Smith-Owusu"]),
]
# (text, what must NOT be found)
KNOWN_KEEP_ROWS = [
    ("she will brown the onions later", ["will", "brown"]),
    ("In May 2023 it rained", ["May"]),
    ("published on 2 April 2025", ["2 April"]),  # a day and month of birth in another year
    ("the meeting of April 2, 24 agreed", ["April 2"]),
    ("Brackenford council met", ["Brackenford"]),
    ("the GP practice", ["GP"]),
    ("a smith works iron", ["smith"]),
    ("the ward sister", ["ward"]),  # a surname that is a word: only capitalised
    ("The GP and the HV visited", ["GP", "HV"]),
    ("HE SAID DO NOT CALL", ["DO"]),  # initials that are a word: not in a passage in capitals
    ("a pc smith-owusu", ["a pc smith-owusu"]),  # a rank in lower case is no title
]


@pytest.mark.parametrize(("text", "expected"), KNOWN_ROWS)
def test_known_identifiers_are_found_in_every_form(text: str, expected: list[str]) -> None:
    found = [m.text for m in IDENTIFIERS.find(text)]
    for item in expected:
        assert item in found, (found, item)


@pytest.mark.parametrize(("text", "kept"), KNOWN_KEEP_ROWS)
def test_known_identifiers_leave_ordinary_words(text: str, kept: list[str]) -> None:
    found = [m.text for m in IDENTIFIERS.find(text)]
    assert not [f for f in found if f in kept], found


def test_clean_view_maps_back_to_the_original_characters() -> None:
    view = clean_view("Zo\u00eb **Jay**den\u00a0Smith")
    start = view.text.index("Jayden")
    assert view.span(start, start + 6) == (6, 14)
    assert view.text.startswith("Zoe Jayden Smith")


# (text, entity type expected on the substring) — layer two, patterns and name lists.
PATTERN_ROWS = [
    ("NHS number 943 476 5918 (a mistyped one)", "943 476 5918", "UK_NHS"),
    ("ring 07700 900456 today", "07700 900456", "PHONE_NUMBER"),
    ("ring 020 7946 0321 today", "020 7946 0321", "PHONE_NUMBER"),
    ("ring +44 7700 900456 today", "+44 7700 900456", "PHONE_NUMBER"),
    ("NI number JG 10 37 38 A was", "JG 10 37 38 A", "UK_NINO"),
    ("postcode BF3 3DR is", "BF3 3DR", "UK_POSTCODE"),
    ("mail k.marsh@example.org now", "k.marsh@example.org", "EMAIL_ADDRESS"),
    (
        "moved to 7 Wren Street, Caverstone BF7 1FU last",
        "7 Wren Street, Caverstone BF7 1FU",
        "ADDRESS",
    ),
    ("attended Hazelwood High School daily", "Hazelwood High School", "SETTING_SCHOOL"),
    ("registered at Riverside Surgery in", "Riverside Surgery", "SETTING_GP_PRACTICE"),
    ("taken to St Mary's Hospital by", "St Mary's Hospital", "SETTING_HOSPITAL"),
    ("a 7-week-old baby", "7-week-old", "AGE"),
    ("crime reference 45/12345/23 was", "45/12345/23", "REFERENCE"),
    ("seen on 14th March 2024 by", "14th March 2024", "DATE"),
    ("seen on 14/03/2024 by", "14/03/2024", "DATE"),
    ("the visitor, Mrs Okafor, called", "Mrs Okafor", "PERSON"),
    ("then kayleigh said no", "kayleigh", "PERSON"),
    ("then SIOBHAN said no", "SIOBHAN", "PERSON"),
    ("she told Grace to wait", "Grace", "PERSON"),
    # names in no list, by their shape and their company
    ("- chinedu adeyemi, a cousin, stayed", "chinedu adeyemi", "PERSON"),
    ("BINIAM HAILE, the team manager, agreed", "BINIAM HAILE", "PERSON"),
    ("Ama was found by C.N. at the park", "C.N.", "PERSON"),
    ("On 7 May LS collected Hira from school", "LS", "PERSON"),
    ("Sunita had called the police twice.", "Sunita", "PERSON"),
    ("On Monday, Mr de Vries, a duty social worker, rang", "Mr de Vries", "PERSON"),
    ("Mamun, known as Tank, was known to police", "Tank", "PERSON"),
    ("Mason Frost, the team manager, agreed", "Mason Frost", "PERSON"),
    ("PC Jenkins attended", "PC Jenkins", "PERSON"),
    ("On Sunday Eline ter Horst agreed the plan", "Eline ter Horst", "PERSON"),
    ("Hill told the review that he often heard crying.", "Hill", "PERSON"),
    ("NANA FOUND BY PCSO COSTA AT THE PARK", "PCSO COSTA", "PERSON"),
    ("31 AUG 2018 CALL FROM MAAME OFORI ON THE PHONE", "MAAME OFORI", "PERSON"),
    (
        "A PREVIOUS ADDRESS, 41 BROOKSIDE TERRACE, WAS NOT CHECKED",
        "41 BROOKSIDE TERRACE",
        "ADDRESS",
    ),
    ("an NHS number of 999 2829592 for her", "999 2829592", "UK_NHS"),
    # pasted from a spreadsheet in its thousands format (issue 14)
    ("Her NHS number, 9,994,864,882, was on the letter", "9,994,864,882", "UK_NHS"),
    ("the letter gave 9 994 864 882 as hers", "9 994 864 882", "UK_NHS"),
    ("a National Insurance number of QQ 752505 B and", "QQ 752505 B", "UK_NINO"),
    # a name beside who the person is, in any case, in no name list
    ("On 27.11.24 a locum GP, Yaw, saw Mother.", "Yaw", "PERSON"),
    ("On 9.4.24 the paramedic, BR, recorded that the home was cold.", "BR", "PERSON"),
    ("The police officer in the case, HH, told the review.", "HH", "PERSON"),
    ("A duty social worker, El-Sayed, decided on the information.", "El-Sayed", "PERSON"),
    ("- TADHG, a maternal uncle, was not known to agencies.", "TADHG", "PERSON"),
    ("- Sem van der Berg, a cousin of Mother, stayed.", "Sem van der Berg", "PERSON"),
    ("Delroy told AS, a teaching assistant, that he was hungry.", "AS", "PERSON"),
    ("Kobby Ofori-Murphy, Child A's uncle, looked after them.", "Kobby Ofori-Murphy", "PERSON"),
    ("BÜŞRA ASLAN-SHAW, born 12.02.1994, was living at the flat.", "BÜŞRA ASLAN-SHAW", "PERSON"),
    ("- van Dijk, a cousin of Raluca, stayed overnight.", "van Dijk", "PERSON"),
    ("Ghost, a friend of Alasdair, told the school.", "Ghost", "PERSON"),
    ("The police officer in the case, hung, told the review.", "hung", "PERSON"),
    ("- jamal begum, a cousin of Mother, sometimes stayed.", "jamal begum", "PERSON"),
    ("Six weeks passed. poppy hart told the review that she heard crying.", "poppy hart", "PERSON"),
    # a name written in capitals inside ordinary text
    ("No follow-up. GÜL AYDIN lives at the flat.", "GÜL AYDIN", "PERSON"),
    ('"I rang SANNE VAN DER BERG and she said no."', "SANNE VAN DER BERG", "PERSON"),
]
# Text in which nothing may be replaced.
KEEP_ROWS = [
    "The health visitor made a Section 47 referral to Children's Social Care.",
    "CAMHS, MASH and the ICPC agreed an Early Help plan.",
    "She will grace us with a rose and mark the bill.",
    "Child A and Mother were seen by the designated safeguarding lead.",
    "In May 2024 the Panel asked about the Moses basket.",
    "The review looked at Working Together to Safeguard Children 2023.",
    "Section 11 audits and the strategy discussion were timely.",
    "He didn't attend the pre-birth assessment; the post-mortem followed.",
    "The caseload was high and the stairwell was unlit.",
    "Staff at the hospital followed the protocol over Christmas.",
    "- Record what the child says.",
    "She speaks Somali and Tigrinya.",
    "The GP, HV and SW met.",
    "Staff told the review that the plan was not shared.",
    # commas and roles with no name between them, capitals that are no name
    "In 2019, a social worker visited. Later, the GP said so. However, the school nurse agreed.",
    "Mother, a nurse, said she was tired. Child A, born in 2019, was small.",
    "The health visitor, however, did not visit. The plan, described by the GP as weak, stayed.",
    "The note said NOT SAFE TO VISIT ALONE and the MASH agreed.",
    "Later, a friend of the family said so. On Monday, a neighbour rang the police.",
    "Nevertheless, the social worker agreed. Her key worker said the young carer called.",
    # amounts and counts in thousands format are no NHS number
    "The partnership's budget of £1,234,567,890 and 1,234,567 residents.",
]


@pytest.mark.parametrize(("text", "span", "entity"), PATTERN_ROWS)
def test_unlisted_details_are_found(anonymiser, text: str, span: str, entity: str) -> None:  # noqa: F811
    found = anonymiser.detect(text)
    start = text.index(span)
    covering = [f for f in found if f.start <= start and start + len(span) <= f.end]
    assert covering, [(f.text, f.entity_type) for f in found]
    assert covering[0].entity_type == entity


@pytest.mark.parametrize("text", KEEP_ROWS)
def test_professional_vocabulary_and_ordinary_words_are_kept(anonymiser, text: str) -> None:  # noqa: F811
    assert [(f.text, f.recognizer) for f in anonymiser.detect(text)] == []


def test_known_beats_pattern_beats_ner(anonymiser) -> None:  # noqa: F811
    found = anonymiser.detect("Jane Okafor-Reid rang.", IDENTIFIERS)
    assert next(f.layer for f in found) == "known"
    assert anonymiser.redact("Jane Okafor-Reid rang.", IDENTIFIERS) == "Mother rang."


@pytest.mark.parametrize("gap", [" ", "\u00a0", "\u202f", "\u200b "])
def test_the_parts_of_one_name_become_one_label_whatever_space_joins_them(anonymiser, gap) -> None:  # noqa: F811
    """ "Xiu Ying" with a non-breaking space is one mention: "Child Y", not "Child Y Child Y"."""
    ids = IdentifierSet(
        "R",
        [KnownIdentifier("Xiu Ying Liu", "person", "Child Y", "people[0].names[0]", "R", "PERSON")],
    )
    text = f"From the birth of Xiu{gap}Ying the health visitor saw her."
    assert anonymiser.redact(text, ids) == "From the birth of Child Y the health visitor saw her."


def test_phone_library_asked_only_where_a_uk_number_could_be():
    """The `phonenumbers` matcher is skipped on texts with fewer digits than the shortest UK
    number; every kind of UK number the library knows still has enough digits to be asked."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    from pipeline.anonymise.recognizers import UkPhoneNumbersRecognizer

    recognizer = UkPhoneNumbersRecognizer()
    numbers = [
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        for kind in vars(PhoneNumberType).values()
        if isinstance(kind, int)
        and (example := phonenumbers.example_number_for_type("GB", kind)) is not None
    ]
    assert len(numbers) >= 5
    for number in [*numbers, "0800 1111"]:
        text = f"She rang {number} on the Monday."
        found = [text[r.start : r.end] for r in recognizer.analyze(text, ["PHONE_NUMBER"])]
        assert found == [number], number
    assert recognizer.analyze("Seen on 12 March, aged 3.", ["PHONE_NUMBER"]) == []


@pytest.mark.parametrize(("text", "_expected"), KNOWN_ROWS)
def test_search_narrowed_to_a_text_finds_what_the_whole_set_finds(text, _expected):
    """Each review's search is compiled from only the forms its text can hold: it must find
    exactly what the search of every listed form finds."""
    narrowed = IDENTIFIERS.narrowed([text])
    assert len(narrowed.variants) < len(IDENTIFIERS.variants)
    assert [(m.start, m.end, m.identifier.label) for m in narrowed.find(text)] == [
        (m.start, m.end, m.identifier.label) for m in IDENTIFIERS.find(text)
    ]


def test_repeated_texts_are_read_by_the_model_once_and_found_the_same(anonymiser):  # noqa: F811
    """A heading or table row repeated across fields (and reviews) is read once; what is found in
    each copy is the same as in a text read on its own."""
    from pipeline.anonymise import engine

    row = "| Kayden Marsh-Oduya | the school nurse |"
    fields = [("a", row), ("b", f"Intro.\n{row}"), ("c", row)]
    calls = []
    real = anonymiser.analyzer.nlp_engine.process_batch

    def counting(texts, *args, **kwargs):
        calls.append(list(texts))
        return real(texts, *args, **kwargs)

    anonymiser.analyzer.nlp_engine.process_batch = counting
    try:
        engine._READ.pop(row, None)
        findings, _ = anonymiser.detect_fields(fields)
    finally:
        del anonymiser.analyzer.nlp_engine.process_batch
    assert [t for batch in calls for t in batch].count(row) == 1
    alone = anonymiser.detect(row)
    for name, offset in (("a", 0), ("b", len("Intro.\n")), ("c", 0)):
        assert [(f.start - offset, f.text) for f in findings[name]] == [
            (f.start, f.text) for f in alone
        ]
    assert any(f.text == "Kayden Marsh-Oduya" for f in alone)


def test_initials_kept_as_an_abbreviation_are_put_to_the_reviewer(anonymiser):  # noqa: F811
    """A listed person's initials that are also an abbreviation ("LA") are kept where the words
    around them read as the abbreviation; every such keep goes on the reviewer's check list."""
    people = IdentifierSet(
        "R",
        [KnownIdentifier("Lucy Adams", "person", "Mother", "people[0].names[0]", "R", "PERSON")],
    )
    text = "The GP provided care to LA and the children. LA told the review."
    findings, notes = anonymiser.detect_fields([("x", text)], people)
    replaced = {(f.start, f.text) for f in findings["x"]}
    asked = {(n.start, n.text) for n in notes["x"] if "Mother's initials" in n.reason}
    second = text.rindex("LA")
    assert (second, "LA") in replaced and (second, "LA") not in asked
    first = text.index("LA")
    assert (first, "LA") in asked or (first, "LA") in replaced
    assert asked | replaced >= {(first, "LA"), (second, "LA")}


def test_the_model_reads_only_sentences_it_can_find_something_in(anonymiser) -> None:  # noqa: F811
    """Sentences whose capitals after an ordinary first word name nobody (none, or only the
    safeguarding vocabulary, months, days and family labels) are blanked, at the same length, in
    the copy the model reads (a third of the words, none of them a name); every name around them
    is still found, and initials or a title's full stop do not end a sentence."""
    from pipeline.anonymise.engine import for_ner

    text = (
        "The family moved twice. Chinedu Obi told the school. it was cold. "
        "M.A. gave a statement. Dr. Yusuf saw her. Grace was quiet. Mother said no. "
        "The GP told MASH and Child A's school in May. The GP told Hexley MASH."
    )
    read = for_ner(text)
    assert len(read) == len(text)
    assert "The family moved twice." not in read and "it was cold." not in read
    assert "Mother said no." not in read
    assert "The GP told MASH and Child A's school in May." not in read
    assert "The GP told Hexley MASH." in read  # a word no vocabulary has: a place, maybe a name
    for kept in ("Chinedu Obi told the school.", "M.A. gave a statement.", "Dr. Yusuf saw her."):
        assert kept in read
    assert "Grace was quiet." in read  # "Grace" is a first name as well as a word
    out = anonymiser.redact(text)
    for name in ("Chinedu", "Obi", "M.A.", "Yusuf", "Grace"):
        assert name not in out, out
    assert "The family moved twice." in out and "it was cold." in out
