"""The leak gate refuses any output that still holds a listed identifier, in any field."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.anonymise.gate import LeakScanner, check_document
from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier, identifier_set
from pipeline.anonymise.run import anonymise_entry
from pipeline.errors import LeakError
from tests.anonymise_fixtures import ROOT, anonymiser, project  # noqa: F401

SURVIVORS = [
    "Jayden",
    "JAYDEN",
    "Ja\u200byden",
    "**Jay**den",
    "943 476 5919",
    "9434765919",
    "BR4 7XY",
    "Oakfield",
]


@pytest.mark.parametrize("survivor", SURVIVORS)
@pytest.mark.parametrize("field", ["title", "summary", "sections", "learning_includes", "period"])
def test_a_surviving_identifier_in_any_field_is_refused(project, field: str, survivor: str) -> None:  # noqa: F811
    entry = project.reviews[0]
    result = anonymise_entry(project, entry, use_cache=False)
    doc = result.document
    if field == "sections":
        section = dataclasses.replace(
            doc.sections[0], markdown=doc.sections[0].markdown + f"\nand {survivor}."
        )
        doc = dataclasses.replace(doc, sections=(section, *doc.sections[1:]))
    elif field == "learning_includes":
        doc = dataclasses.replace(doc, learning_includes=(f"see {survivor}",))
    else:
        doc = dataclasses.replace(doc, **{field: f"About {survivor} here"})
    with pytest.raises(LeakError) as caught:
        check_document(doc, [identifier_set(entry, project)])
    assert any(p.field.startswith(field) for p in caught.value.problems)


def test_clean_output_passes_and_scanner_reports_where(project) -> None:  # noqa: F811
    entry = project.reviews[0]
    result = anonymise_entry(project, entry, use_cache=False)
    check_document(result.document, [result.identifiers])  # no exception
    leaks = LeakScanner([result.identifiers]).scan_fields([("x", "ok\nthen Gracie\nrang")])
    assert [(leak.text, leak.line, leak.label) for leak in leaks] == [("Gracie", 2, "Mother")]


def test_nothing_listed_survives_in_any_output(project) -> None:  # noqa: F811
    result = anonymise_entry(project, project.reviews[0], use_cache=False)
    published = result.document.dumps()
    for forbidden in (
        "Jayden",
        "Okafor",
        "Siobhan",
        "Marsh",
        "Oakfield",
        "07700",
        "Elm Road",
        "2 April 2023",
    ):
        assert forbidden not in published


def test_the_engine_never_touches_the_network(monkeypatch, anonymiser) -> None:  # noqa: F811
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert (
        anonymiser.redact("Mail k.marsh@example.org or ring 07700 900456.")
        == "Mail [removed] or ring [removed]."
    )


def test_a_missing_model_is_an_error_that_names_the_fix(monkeypatch) -> None:
    import importlib.util

    from pipeline.anonymise import engine
    from pipeline.errors import AnonymisationError

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(AnonymisationError, match=r"make \.venv/\.installed-stamp"):
        engine.model_path()


def test_initials_that_are_a_word_in_a_line_of_capitals_do_not_refuse_the_review(tmp_path) -> None:
    """Grace Okafor's initials spell GO: a pasted e-mail in capitals says GO, and the gate agrees with detection."""
    from tests.anonymise_fixtures import SECTIONS, TODAY, write_project

    sections = dict(SECTIONS)
    sections["analysis.md"] = (
        "The review read the family's messages.\n\n"
        "> 22/10/2011 EMAIL FROM GRACE.OKAFOR@EXAMPLE.ORG: PLEASE LET US GO, WE ARE FINE.\n\n"
        "Nobody followed it up.\n"
    )
    from pipeline.content.project import load_project

    loaded = load_project(write_project(tmp_path, sections=sections), TODAY)
    result = anonymise_entry(loaded, loaded.reviews[0], use_cache=False)
    analysis = dict(result.document.text_fields())["sections.analysis"]
    assert "PLEASE LET US GO, WE ARE FINE." in analysis and "GRACE" not in analysis
    # The same initials in ordinary text are still a leak.
    assert [
        leak.text for leak in LeakScanner([result.identifiers]).scan("Seen by G.O. on the ward.")
    ] == ["G.O."]


def test_the_site_scanner_reads_every_file_for_distinctive_forms_and_own_files_for_all(
    project,  # noqa: F811
) -> None:
    """Fixture review: Jayden Will Okafor-Reid, born 2 April 2023, NHS 943 476 5919."""
    from pipeline.anonymise.gate import SiteScanner

    scanner = SiteScanner({"BSCP-2024-25-03": identifier_set(project.reviews[0], project)})
    elsewhere = scanner.for_file("themes/neglect/index.html")
    own = scanner.for_file("reviews/BSCP-2024-25-03/index.html")
    assert scanner.for_file("downloads/BSCP-2024-25-03.pdf") is own
    # Anywhere on the site: full names, numbers, streets.
    for text in ("Jayden Okafor-Reid", "NHS 9434765919", "14 Elm Road", "grace.okafor@example.org"):
        assert elsewhere.scan(text), text
    # Another publication may innocently hold a date, a first name that is a word, a file size.
    for text in ("Published 2 April 2023.", "Will the learning last?", "(DOCX, 35 KB)"):
        assert not elsewhere.scan(text), text
    # The review's own page and downloads: every form of its own people.
    assert [leak.text for leak in own.scan("Published 2 April 2023.")] == ["2 April 2023"]
    assert [leak.text for leak in own.scan("Jayden was seen.")] == ["Jayden"]
    # Bare capitals are judged by the document gate in the author's lines, not in a site file's
    # chrome ("LET US GO" in a pasted e-mail; language tags); dotted initials are caught everywhere.
    assert not own.scan("PLEASE LET US GO. (DOCX, 35 KB)")
    assert [leak.text for leak in own.scan("Seen by G.O. on the ward.")] == ["G.O."]


def test_the_site_gate_rereads_only_what_changed(project, tmp_path, monkeypatch) -> None:  # noqa: F811
    """A file clean before, unchanged, checked for unchanged identifiers, is not read again."""
    from pipeline.publish import leakscan

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>Child A was seen.</p>", encoding="utf-8")
    (site / "b.html").write_text("<p>Mother rang.</p>", encoding="utf-8")
    scanner = LeakScanner([identifier_set(project.reviews[0], project)])
    reads: list[str] = []
    real = leakscan.file_texts
    monkeypatch.setattr(
        leakscan, "file_texts", lambda path, *a: (reads.append(path.name), real(path, *a))[1]
    )

    first = leakscan.CleanFiles()
    assert leakscan.scan_site(site, scanner, verified=first) == ([], [])
    assert sorted(reads) == ["b.html", "index.html"]
    reads.clear()
    second = leakscan.CleanFiles(first.now)
    (site / "b.html").write_text("<p>Mother rang Jayden.</p>", encoding="utf-8")
    leaks, _ = leakscan.scan_site(site, scanner, verified=second)
    assert reads == ["b.html"] and {leak.label for leak in leaks} == {"Child A"}
    # Other identifiers looked for: everything is read again.
    reads.clear()
    other = LeakScanner([identifier_set(project.reviews[0], project).distinctive()])
    leakscan.scan_site(site, other, verified=leakscan.CleanFiles(first.now))
    assert sorted(reads) == ["b.html", "index.html"]


def test_a_publications_own_files_are_reread_when_its_identifiers_change(
    project,  # noqa: F811
    tmp_path,
    monkeypatch,
) -> None:
    """Each publication's own files are searched for all its identifiers: they are read again when
    those change, and no other publication's files are."""
    from pipeline.anonymise.gate import SiteScanner
    from pipeline.publish import leakscan

    site = tmp_path / "site"
    for item in ("BSCP-0001", "BSCP-0002"):
        (site / "reviews" / item).mkdir(parents=True)
        (site / "reviews" / item / "index.html").write_text(
            f"<p>{item}: Child A was seen.</p>", encoding="utf-8"
        )
    full = identifier_set(project.reviews[0], project)
    reads: list[str] = []
    real = leakscan.file_texts
    monkeypatch.setattr(
        leakscan, "file_texts", lambda path, *a: (reads.append(path.parent.name), real(path, *a))[1]
    )
    first = leakscan.CleanFiles()
    before = SiteScanner({"BSCP-0001": full, "BSCP-0002": full})
    assert leakscan.scan_site(site, before, verified=first) == ([], [])
    assert sorted(reads) == ["BSCP-0001", "BSCP-0002"]
    reads.clear()
    after = SiteScanner({"BSCP-0001": full, "BSCP-0002": full.distinctive()})
    assert after.common.fingerprint == before.common.fingerprint
    leakscan.scan_site(site, after, verified=leakscan.CleanFiles(first.now))
    assert reads == ["BSCP-0002"]


def test_the_site_gate_rereads_only_the_changed_pages_of_the_search_index(
    project,  # noqa: F811
    tmp_path,
    monkeypatch,
) -> None:
    """The search index changes with every review; only its changed pages are read again."""
    import json

    from pipeline.publish import leakscan

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    index = site / "search" / "search_index.json"
    docs = [{"location": f"reviews/{n}/", "text": f"Page {n}: Child A was seen."} for n in range(3)]
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}), encoding="utf-8")
    scanner = LeakScanner([identifier_set(project.reviews[0], project)])
    scanned: list[str] = []
    real = scanner.scan
    monkeypatch.setattr(scanner, "scan", lambda text: (scanned.append(text), real(text))[1])

    first = leakscan.CleanFiles()
    assert leakscan.scan_site(site, scanner, verified=first) == ([], [])
    assert sum("Child A was seen" in text for text in scanned) == 3
    scanned.clear()
    docs[1]["text"] = "Page 1: Jayden was seen."
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}), encoding="utf-8")
    leaks, _ = leakscan.scan_site(site, scanner, verified=leakscan.CleanFiles(first.now))
    assert [text for text in scanned if "was seen" in text] == [
        "location reviews/1/ text Page 1: Jayden was seen."
    ]
    assert [(leak.part, leak.label) for leak in leaks] == [("values of docs[1]", "Child A")]


def test_plain_presidio_in_the_benchmark_never_touches_the_network(tmp_path) -> None:
    """Run in a fresh process with an empty cache: tldextract fetches its list at first use."""
    import subprocess
    import sys

    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise SystemExit('network access attempted')\n"
        "socket.socket.connect = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from benchmarks.plain_presidio import analyse, plain_analyzer\n"
        "r = analyse(plain_analyzer(), ['Write to grace.okafor@example.org about it.'])\n"
        "assert any(x.entity_type == 'EMAIL_ADDRESS' for x in r[0]), r\n"
        "print('offline')\n"
    )
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "TLDEXTRACT_CACHE": str(tmp_path / "tld"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "offline" in done.stdout, done.stdout + done.stderr[-2000:]


def test_initials_that_are_a_word_beside_capitals_survive_replacements_in_the_line(
    tmp_path,
) -> None:
    """Olu Nwosu's initials spell ON. After replacement a pasted line in capitals holds lower-case
    labels ("Person 1", "the family home"), so it is no longer mostly capitals; 'ON' beside 'FLAT'
    is still a word, as detection judged it in the author's line."""
    from pipeline.content.project import load_project
    from tests.anonymise_fixtures import REVIEW_YAML, SECTIONS, TODAY, write_project

    review = REVIEW_YAML.replace(
        "places:",
        "  - label: the team manager\n    role: professional\n    names: [Olu Nwosu]\nplaces:",
    )
    sections = dict(SECTIONS)
    sections["analysis.md"] = (
        "> 12.2.08 CALL FROM THUY TRAN ON 07700 900123. CHILDREN LEFT ALONE IN FLAT ON 14 ELM ROAD.\n"
    )
    loaded = load_project(write_project(tmp_path, review, sections), TODAY)
    result = anonymise_entry(loaded, loaded.reviews[0], use_cache=False)
    analysis = dict(result.document.text_fields())["sections.analysis"]
    assert (
        "CHILDREN LEFT ALONE IN FLAT ON" in analysis
        and "ELM" not in analysis
        and "07700" not in analysis
    )
    assert [
        leak.text for leak in LeakScanner([result.identifiers]).scan("Seen by ON on Monday.")
    ] == ["ON"]


def test_the_gate_narrowing_its_search_finds_what_the_whole_search_finds() -> None:
    """The gate first keeps the forms whose letters and digits occur in the text; that must never
    lose a match the search over every form would make."""
    from tests.test_anonymise_layers import IDENTIFIERS, KNOWN_KEEP_ROWS, KNOWN_ROWS

    greek = IdentifierSet(
        "G", [KnownIdentifier("Νικόλαος Σοφιανός", "person", "Father", "x", "G", "PERSON")]
    )
    whole = IdentifierSet.combined("R", [IDENTIFIERS, greek])
    whole._is_subset = True  # searches every form, as the gate did before narrowing
    texts = [text for text, _ in [*KNOWN_ROWS, *KNOWN_KEEP_ROWS]] + [
        "ΝΙΚΟΛΑΟΣ ΣΟΦΙΑΝΟΣ called; Σοφιανός again",
        "Mrs Smith-Owusu and Mr  Brown met J . O . at 12  Mill\nLane",
    ]
    narrowed = LeakScanner([IdentifierSet.combined("R", [IDENTIFIERS, greek])])
    found_any = False
    for text in texts:
        expected = [(leak.start, leak.end, leak.label) for leak in LeakScanner([whole]).scan(text)]
        assert [(leak.start, leak.end, leak.label) for leak in narrowed.scan(text)] == expected
        found_any = found_any or bool(expected)
    assert found_any


def test_the_forms_searched_for_do_not_depend_on_the_process(tmp_path) -> None:
    """Python orders sets differently in every process; the forms (and their descriptions, which
    rank a form shared by two people) must not change with it, or clean files are read again and
    approvals go stale at random."""
    import os
    import subprocess
    import sys

    from tests.anonymise_fixtures import ROOT

    script = (
        "from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier as K\n"
        "s = IdentifierSet('R', [K('Anna Ann Ng', 'person', 'Mother', 'x', 'R', 'PERSON'),"
        " K('2023-04-04', 'date_of_birth', '[removed]', 'y', 'R', 'DATE_OF_BIRTH'),"
        " K('2021-09-09', 'date_of_birth', '[removed]', 'z', 'R', 'DATE_OF_BIRTH')])\n"
        "print(s.fingerprint)\n"
    )
    prints = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(prints) == 1, prints


def test_a_record_in_capitals_stays_one_after_replacement() -> None:
    """Seed 251: "SEEN AT ST ANNE'S A&E" kept "AT" as the word, but once the hospital became "the
    hospital" the gate no longer read the line as capitals and refused the review for a listed
    child's initials. Words of one letter ("A&E", "Child P") no longer count against the record."""
    child = IdentifierSet(
        "R",
        [KnownIdentifier("Amara Thomas", "person", "Child P", "people[0].names[0]", "R", "PERSON")],
    )
    record = "> May 2017 MASH CONTACT [removed]: Child P SEEN AT the hospital A&E WITH MOTHER."
    assert LeakScanner([child]).scan(record) == []
    assert [leak.text for leak in LeakScanner([child]).scan("Later AT told the nurse.")] == ["AT"]
