"""Broken content: `bscp check` names the file, the line and the field, exits 1, never a traceback.

`tests/test_validation.py` holds the mistakes of ordinary editing (misspelt keys, wrong types, dates
out of order, tabs, duplicate keys, unclosed quotes) at the library level; here every one of them is
run through the command an author types, with what arrives from pastes, other editors and attackers:
impossible dates, odd encodings and line endings, control characters, symbolic links, folders and
references that climb out of `content/`, YAML bombs and a 50 MB narrative.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline.content import yamlfile
from pipeline.content.yamlfile import MAX_CHARACTERS, MAX_NODES
from tests.test_validation import MISTAKES, REVIEW, edit

FOLDER = "content/reviews/BSCP-2024-25-09"
SUMMARY = f"{FOLDER}/summary.md"
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"


def check(run_cli, project: Path) -> Result:
    return run_cli("check", cwd=project, today="2025-02-01")


def refused(result: Result) -> list[str]:
    """Return the problem lines of a refused check, after asserting how it was refused."""
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[-1].endswith("found; nothing was written for them."), lines[-1]
    return [line for line in lines if line.startswith("content/")]


@pytest.mark.parametrize(("what", "old", "new", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_every_validation_mistake_stops_bscp_check(
    minimal_project, run_cli, what, old, new, expected
):
    edit(minimal_project, old, new)
    assert expected in refused(check(run_cli, minimal_project))


# --- What arrives from pastes, other editors and other programs ---------------------------------


def replace(old: str, new: str, file: str = REVIEW) -> Callable[[Path], None]:
    return lambda project: edit(project, old, new, file)


def write_bytes(file: str, data: bytes | Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        path = project / file
        path.write_bytes(data(path.read_bytes()) if callable(data) else data)

    return mutate


def misspelt_with_line_ending(ending: bytes, bom: bytes = b"") -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        edit(project, "  outcome: death", "  outcom: death")
        path = project / REVIEW
        path.write_bytes(bom + path.read_bytes().replace(b"\n", ending))

    return mutate


def symlink(file: str, target: Callable[[Path], Path | str]) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        path = project / file
        points_to = target(project)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        path.symlink_to(points_to)

    return mutate


def outside_folder(project: Path) -> Path:
    outside = project.parent / "elsewhere"
    shutil.copytree(project / FOLDER, outside)
    return outside


def outside_file(project: Path) -> Path:
    outside = project.parent / "case-record.md"
    outside.write_text("Notes from the case record.\n", encoding="utf-8")
    return outside


def looping(project: Path) -> str:
    (project / FOLDER / "notes.txt").symlink_to("summary.md")
    return "notes.txt"


def copy_folder(to: str) -> Callable[[Path], None]:
    return lambda project: shutil.copytree(project / FOLDER, project / "content" / "reviews" / to)


def with_brief(brief_id: str, reviews: str, pattern: str | None = None) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        folder = project / "content" / "briefs" / brief_id
        folder.mkdir(parents=True)
        text = (BAD / "brief.yaml").read_text(encoding="utf-8")
        text = text.replace("id: BSCP-LB-2025-01", f"id: {brief_id}")
        text = text.replace("reviews: [BSCP-2024-25-09]", f"reviews: [{reviews}]")
        (folder / "brief.yaml").write_text(text, encoding="utf-8")
        if pattern:
            edit(
                project,
                r"brief_id_pattern: '^BSCP-LB-\d{4}-\d{2}$'",
                f"brief_id_pattern: '{pattern}'",
                "content/partnership.yaml",
            )

    return mutate


def write(file: str, text: str) -> Callable[[Path], None]:
    return lambda project: (project / file).write_text(text, encoding="utf-8")


def remove(file: str) -> Callable[[Path], None]:
    return lambda project: (project / file).unlink()


def cp1252(project: Path) -> None:
    edit(project, 'title: "Baby T: a rapid review"', 'title: "Baby T: a rapid review"\n# café')
    path = project / REVIEW
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))


TAG = 'title: !!python/object/apply:os.system ["touch pwned"]'
UNKNOWN_TOP = "unknown key; allowed here: actions, agencies, anonymisation, catalogue, dates"
NOT_UTF8 = "is not UTF-8 text"
SAVE_UTF8 = "save it as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8))"
CONTROL = "contains an invisible control character ({}), probably from a paste; delete it (retype the line if you cannot see it)"

# (what arrived, how, the line the author is shown)
BROKEN = [
    (
        "impossible date",
        replace("incident: 2024-12-18", "incident: 2024-02-30"),
        f"{REVIEW}:11: dates.incident: '2024-02-30' is not a date; write dates as YYYY-MM-DD, e.g. 2024-12-20",
    ),
    (
        "impossible month in a list of dates",
        replace("rapid_review_meetings: [2025-01-08]", "rapid_review_meetings: [2025-13-08]"),
        f"{REVIEW}:15: dates.rapid_review_meetings[0]: '2025-13-08' is not a date; write dates as YYYY-MM-DD, e.g. 2024-12-20",
    ),
    (
        "a number where text is expected",
        replace('title: "Baby T: a rapid review"', "title: 42"),
        f"{REVIEW}:4: title: must be text, not 42; put quotes around it",
    ),
    (
        "a list where a block is expected",
        replace(
            "period_covered: {start: 2024-03-01, end: 2024-12-18}",
            "period_covered: [2024-03-01, 2024-12-18]",
        ),
        f"{REVIEW}:22: period_covered: must be a block of keys and values, not [datetime.date(2024, 3, 1)",
    ),
    (
        "an unknown key at the top",
        replace("status: submitted", "status: submitted\ncolour: red"),
        f"{REVIEW}:6: colour: {UNKNOWN_TOP}",
    ),
    (
        "a key that is a list",
        replace("status: submitted", "status: submitted\n? [a, b]\n: c"),
        f"{REVIEW}:6: a key must be a plain word, not a list or block",
    ),
    (
        "a Python tag never runs",
        replace('title: "Baby T: a rapid review"', TAG),
        f"{REVIEW}:4: title: must be text, not ['touch pwned']; put quotes around it",
    ),
    (
        "only comments",
        write(REVIEW, "# to do: fill this in\n"),
        f"{REVIEW}:1: has no keys and values (only comments)",
    ),
    ("an empty file", write(REVIEW, "\n   \n"), f"{REVIEW}:1: is empty"),
    (
        "a list instead of keys",
        write(REVIEW, "- id\n- title\n"),
        f"{REVIEW}:1: must be a mapping of keys to values, not list",
    ),
    (
        "review.yaml missing",
        remove(REVIEW),
        f"{REVIEW}: is missing; every folder needs a review.yaml (bscp new creates one)",
    ),
    (
        "a stray file among the review folders",
        write("content/reviews/notes.txt", "Call the school.\n"),
        "content/reviews/notes.txt: is a file; reviews/ holds one folder per review",
    ),
    ("Windows-1252 text", cp1252, f"{REVIEW}:5: {NOT_UTF8}: {SAVE_UTF8}"),
    (
        "saved as UTF-16 (Word's 'Unicode')",
        write_bytes(REVIEW, lambda data: data.decode("utf-8").encode("utf-16")),
        f"{REVIEW}:1: {NOT_UTF8} (it is saved as UTF-16): {SAVE_UTF8}",
    ),
    (
        "not UTF-8 in a section",
        write_bytes(SUMMARY, "Seen at the café.\n".encode("cp1252")),
        f"{SUMMARY}:1: {NOT_UTF8}: {SAVE_UTF8}",
    ),
    (
        "CRLF line endings keep line numbers",
        misspelt_with_line_ending(b"\r\n"),
        f"{REVIEW}:19: incident.outcom: unknown key; did you mean 'outcome'?",
    ),
    (
        "old Mac CR line endings keep line numbers",
        misspelt_with_line_ending(b"\r"),
        f"{REVIEW}:19: incident.outcom: unknown key; did you mean 'outcome'?",
    ),
    (
        "a byte-order mark keeps line numbers",
        misspelt_with_line_ending(b"\n", bom=b"\xef\xbb\xbf"),
        f"{REVIEW}:19: incident.outcom: unknown key; did you mean 'outcome'?",
    ),
    (
        "a control character in a section",
        write(SUMMARY, "Baby T was seen.\nTomasz\x00 was asleep.\n"),
        f"{SUMMARY}:2: " + CONTROL.format("U+0000"),
    ),
    (
        "a control character in YAML",
        replace('title: "Baby T: a rapid review"', 'title: "Baby T: a rapid \x07review"'),
        f"{REVIEW}:4: " + CONTROL.format("U+0007"),
    ),
    (
        "a direction override",
        write(SUMMARY, "Seen by \u202eyppot\u202c on the ward.\n"),
        f"{SUMMARY}:1: contains an invisible direction-control character (U+202E) that makes text "
        "display differently from how it is stored; delete it (retype the line if you cannot see it)",
    ),
    (
        "too deeply nested",
        write(REVIEW, "id: " + "[" * 20_000 + "]" * 20_000 + "\n"),
        f"{REVIEW}:1: is not valid YAML: exceeded maximum nesting depth",
    ),
    (
        "a symbolic link to a file outside content/",
        symlink(SUMMARY, outside_file),
        f"{SUMMARY}: points outside content/ (a symbolic link?): only files inside content/ are read",
    ),
    (
        "a symbolic link that loops",
        symlink(SUMMARY, looping),
        f"{SUMMARY}: is a symbolic link that leads back to itself; replace it with the file",
    ),
    (
        "a review folder that links outside content/",
        symlink(FOLDER, outside_folder),
        f"{FOLDER}: is a symbolic link; review and brief folders must be real folders inside content/",
    ),
    (
        "a review id that climbs out, under a loose id pattern",
        lambda project: (
            edit(project, r"'^BSCP-\d{4}-\d{2}-\d{2}$'", "'^.*$'", "content/partnership.yaml"),
            edit(project, "id: BSCP-2024-25-09", "id: ../../../etc"),
        ),
        f"{REVIEW}:2: id: '../../../etc' differs from its folder name 'BSCP-2024-25-09'; rename one so they match",
    ),
    (
        "a place reference that climbs out",
        replace("gp_practice: elmgrove", "gp_practice: ../../places/elmgrove"),
        f"{REVIEW}:32: people[0].gp_practice: no place has the id '../../places/elmgrove'",
    ),
    (
        "a brief's review reference that climbs out",
        with_brief("BSCP-LB-2025-01", "../reviews/BSCP-2024-25-09"),
        "content/briefs/BSCP-LB-2025-01/brief.yaml:6: reviews[0]: no review has the id '../reviews/BSCP-2024-25-09'",
    ),
    (
        "duplicate review ids: a copied folder",
        copy_folder("BSCP-2024-25-10"),
        "content/reviews/BSCP-2024-25-10/review.yaml:2: id: 'BSCP-2024-25-09' differs from its folder name 'BSCP-2024-25-10'; rename one so they match",
    ),
    (
        "duplicate ids: a brief with a review's id",
        with_brief("BSCP-2024-25-09", "BSCP-2024-25-09", pattern="^BSCP-.*$"),
        "content/briefs/BSCP-2024-25-09/brief.yaml:2: id: 'BSCP-2024-25-09' is already the id of content/reviews/BSCP-2024-25-09/review.yaml; ids must be unique",
    ),
]

BY_NAME = {row[0]: row for row in BROKEN}


@pytest.mark.parametrize(("what", "mutate", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_content_stops_bscp_check_with_file_line_and_field(
    minimal_project, run_cli, what, mutate, expected
):
    mutate(minimal_project)
    problems = refused(check(run_cli, minimal_project))
    assert any(p.startswith(expected) for p in problems), "\n".join(problems)
    assert not (minimal_project / "pwned").exists(), "a YAML tag ran a command"


def test_every_problem_of_every_file_is_listed_in_one_run(minimal_project, run_cli):
    rows = [
        BY_NAME[name]
        for name in (
            "an unknown key at the top",
            "a control character in a section",
            "a brief's review reference that climbs out",
        )
    ]
    for _, mutate, _ in rows:
        mutate(minimal_project)
    problems = refused(check(run_cli, minimal_project))
    for _, _, expected in rows:
        assert any(p.startswith(expected) for p in problems), expected


def test_a_50_mb_narrative_is_refused_at_once_without_being_read(
    minimal_project, run_cli, monkeypatch
):
    huge = minimal_project / SUMMARY
    with huge.open("wb") as handle:
        block = (b"Tomasz was seen at home by the health visitor. " * 22_310)[:1_048_576]
        for _ in range(50):
            handle.write(block)
    read: list[Path] = []
    real_read_bytes = Path.read_bytes

    def spying_read_bytes(self: Path) -> bytes:
        read.append(self.resolve())
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spying_read_bytes)
    started = time.perf_counter()
    problems = refused(check(run_cli, minimal_project))
    assert (
        time.perf_counter() - started < 15
    )  # a refusal, not minutes of reading; loaded CI is slow
    assert problems == [
        f"{SUMMARY}: is 50.0 MB; files over 2 MB are refused. Is it a paste of a whole case record?"
    ]
    assert huge.resolve() not in read, "the 50 MB file was read"


def test_a_yaml_bomb_is_refused_at_once(minimal_project, run_cli):
    shutil.copyfile(BAD / "billion-laughs.yaml", minimal_project / REVIEW)
    started = time.perf_counter()
    problems = refused(check(run_cli, minimal_project))
    assert time.perf_counter() - started < 30  # expanding it would take minutes
    assert problems == [
        f"{REVIEW}:7: f[0][6][8][8][8][8]: expands to more than {MAX_NODES:,} values through & anchors "
        "and * aliases; refused. Write the values out, and keep to the review's own text"
    ]


def test_a_file_the_author_cannot_read_is_named(minimal_project, run_cli):
    if os.geteuid() == 0:
        # root reads anything: make it unreadable another way, a folder where the file should be
        (minimal_project / SUMMARY).unlink()
        (minimal_project / SUMMARY).mkdir()
        expected = f"{SUMMARY}: is not a file"
    else:
        os.chmod(minimal_project / SUMMARY, 0)
        expected = f"{SUMMARY}: cannot be read: Permission denied"
    assert expected in refused(check(run_cli, minimal_project))


def write_alias_bomb(project: Path, copies: int = 5_000, length: int = 18_000) -> int:
    """Add to the review a text of `length` characters repeated `copies` times through aliases (the
    issue's 93 KB file that expanded to 100 MB); return the line of the aliases."""
    review = project / REVIEW
    text = review.read_text(encoding="utf-8")
    long_text = ("Child K was seen at the clinic. " * (length // 32 + 1))[:length]
    aliases = ", ".join(["*long"] * copies)
    review.write_text(
        f'{text.rstrip()}\nnotes: &long "{long_text}"\ncopies: [{aliases}]\n', encoding="utf-8"
    )
    assert review.stat().st_size < 100_000  # a small file
    return text.rstrip().count("\n") + 3  # the last line, then `notes`, then `copies`


@pytest.mark.parametrize("command", ["check", "build"])
def test_aliases_that_expand_a_small_file_to_megabytes_are_refused_at_once(
    minimal_project, run_cli, command
):
    line = write_alias_bomb(minimal_project)
    started = time.perf_counter()
    result = run_cli(command, cwd=minimal_project, today="2025-02-01")
    assert time.perf_counter() - started < 30  # minutes before; seconds on a loaded machine
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert (
        f"{REVIEW}:{line}: copies[" in result.output
        and f"expands to more than {MAX_CHARACTERS:,} characters" in result.output
    ), result.output
    assert not (minimal_project / "build" / "site").exists()
    cache = minimal_project / "build" / "cache"
    written = (
        sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) if cache.is_dir() else 0
    )
    assert written < 1_000_000, "the expansion was written to the cache"


def test_expanding_for_too_long_is_refused_with_the_line(minimal_project, run_cli, monkeypatch):
    # However a file expands, no command spends more than a few seconds on it: with no time at all
    # allowed, a file of 2,000 aliases stops at the first check of the clock.
    monkeypatch.setattr(yamlfile, "MAX_SECONDS", 0.0)
    line = write_alias_bomb(minimal_project, copies=2_000, length=10)
    problems = refused(check(run_cli, minimal_project))
    assert len(problems) == 1
    assert problems[0].startswith(f"{REVIEW}:{line}: copies[")
    assert "expands to more than 0 seconds' work" in problems[0]
