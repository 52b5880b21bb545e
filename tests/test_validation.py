"""Validation: every mistake an author can make is reported at once, as `path:line: field: message`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.content.project import load_project
from pipeline.errors import ContentError

REVIEW = "content/reviews/BSCP-2024-25-09/review.yaml"
TODAY = dt.date(2025, 2, 1)


def edit(project: Path, old: str, new: str, file: str = REVIEW) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(project: Path, today: dt.date = TODAY) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_project(project / "content", today)
    return [str(p).replace(str(project) + "/", "") for p in caught.value.problems]


def test_the_fixture_is_valid(minimal_project: Path) -> None:
    project = load_project(minimal_project / "content", TODAY)
    assert [e.id for e in project.reviews] == ["BSCP-2024-25-09"]


# (what the author did, the text replaced, its replacement, the exact line the author is shown)
MISTAKES = [
    (
        "misspelt key",
        "  outcome: death",
        "  outcom: death",
        f"{REVIEW}:19: incident.outcom: unknown key; did you mean 'outcome'?",
    ),
    (
        "missing required field",
        "  outcome: death\n",
        "",
        f"{REVIEW}:18: incident.outcome: is required but missing",
    ),
    (
        "date not a date",
        "date_of_birth: 2024-10-02",
        "date_of_birth: 2/10/2024",
        f"{REVIEW}:28: people[0].date_of_birth: '2/10/2024' is not a date; write dates as YYYY-MM-DD, e.g. 2024-12-20",
    ),
    (
        "enum typo",
        "outcome: no_further_review",
        "outcome: no_futher_review",
        f"{REVIEW}:47: decision.outcome: 'no_futher_review' is not allowed; choose one of 'lcspr', 'national_review_recommended', 'other_learning_review' or 'no_further_review'; did you mean 'no_further_review'?",
    ),
    (
        "wrong type",
        "themes: [safe-sleep, neglect]",
        "themes: safe-sleep",
        f"{REVIEW}:6: themes: must be a list (one '- item' per line), not 'safe-sleep'",
    ),
    (
        "future date",
        "incident: 2024-12-18",
        "incident: 2025-03-18",
        f"{REVIEW}:11: dates.incident: 18 March 2025 is in the future (today is 1 February 2025)",
    ),
    (
        "dates out of order",
        "sin_submitted: 2024-12-23",
        "sin_submitted: 2024-12-19",
        f"{REVIEW}:13: dates.sin_submitted: 19 December 2024 is before la aware (20 December 2024); dates must follow the process order",
    ),
    (
        "no SIN",
        "  sin_submitted: 2024-12-23\n",
        "",
        f"{REVIEW}:10: dates.sin_submitted: a rapid review needs the date the Serious Incident Notification was submitted",
    ),
    (
        "submitted without a sign-off",
        "  police: {name: Delia Marchbank-Test, role: Detective Superintendent, date: 2025-01-14}\n",
        "",
        f"{REVIEW}:48: sign_offs.police: status is submitted but the police sign-off is missing",
    ),
    (
        "submitted without a decision",
        "decision:\n  outcome: no_further_review\n",
        "",
        f"{REVIEW}:1: decision: status is submitted but no decision is recorded",
    ),
    (
        "LCSPR without key lines of enquiry",
        "outcome: no_further_review",
        "outcome: lcspr\n  regulation_11: [improvements_needed]",
        f"{REVIEW}:47: decision.outcome: an LCSPR is commissioned, so key-lines-of-enquiry.md must set out the key lines of enquiry",
    ),
    (
        "deadline missed without a reason",
        "sent_to_panel: 2025-01-14",
        "sent_to_panel: 2025-01-20",
        f"{REVIEW}:10: dates: Rapid review to the Panel was due 16 January 2025 and met 20 January 2025: add a delay reason (`delay_reasons:` with deadline: rapid_review)",
    ),
    (
        "theme not in the vocabulary",
        "themes: [safe-sleep, neglect]",
        "themes: [safe-sleeping, neglect]",
        f"{REVIEW}:6: themes[0]: 'safe-sleeping' is not a theme in partnership.yaml; did you mean 'safe-sleep'?",
    ),
    (
        "duplicate label",
        "label: Mother",
        "label: Baby T",
        f"{REVIEW}:33: people[1].label: label 'Baby T' is already used at people[0]; labels must be unique in a review",
    ),
    (
        "unknown place reference",
        "gp_practice: elmgrove",
        "gp_practice: elmgrov",
        f"{REVIEW}:32: people[0].gp_practice: no place has the id 'elmgrov'; did you mean 'elmgrove'?",
    ),
    (
        "id does not match the folder",
        "id: BSCP-2024-25-09",
        "id: BSCP-2024-25-10",
        f"{REVIEW}:2: id: 'BSCP-2024-25-10' differs from its folder name 'BSCP-2024-25-09'; rename one so they match",
    ),
    (
        "id does not match the pattern",
        "id: BSCP-2024-25-09",
        "id: ../../etc",
        f"{REVIEW}:2: id: '../../etc' is not a review id of the partnership's form: write one like BSCP-2024-25-09, and name the folder the same (the form is review_id_pattern in partnership.yaml)",
    ),
    (
        "tab indentation",
        "  outcome: death",
        "\toutcome: death",
        f"{REVIEW}:19: is not valid YAML: a tab character is used for indentation; indent with spaces",
    ),
    (
        "duplicate key",
        "  outcome: death\n",
        "  outcome: death\n  outcome: serious_harm\n",
        f'{REVIEW}:20: is not valid YAML: found duplicate key "outcome" (each key may appear once)',
    ),
    (
        "unclosed quote",
        'title: "Baby T: a rapid review"',
        'title: "Baby T: a rapid review',
        f"{REVIEW}:4: is not valid YAML: a quotation mark is not closed",
    ),
    (
        "NHS number too short",
        '"943 476 5919"',
        '"943 476 591"',
        f"{REVIEW}:30: people[0].nhs_number: an NHS number has 10 digits",
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_named_with_file_line_and_field(
    minimal_project: Path, what: str, old: str, new: str, expected: str
) -> None:
    edit(minimal_project, old, new)
    assert expected in problems(minimal_project)


def test_every_mistake_is_reported_at_once(minimal_project: Path) -> None:
    # Type mistakes and process-rule mistakes together: the rules still run on what is valid.
    edit(minimal_project, "notified_by:", "notifed_by:")
    for _, old, new, _ in [MISTAKES[2], MISTAKES[6], MISTAKES[12], MISTAKES[14], MISTAKES[8]]:
        edit(minimal_project, old, new)
    found = problems(minimal_project)
    expected = [
        f"{REVIEW}:9: notification.notifed_by: unknown key; did you mean 'notified_by'?",
        f"{REVIEW}:28: people[0].date_of_birth: '2/10/2024' is not a date; write dates as YYYY-MM-DD, e.g. 2024-12-20",
        MISTAKES[6][3],
        MISTAKES[12][3],
        MISTAKES[14][3],
        MISTAKES[8][3],
    ]
    assert sorted(found) == sorted(expected)


def test_raw_html_in_a_section_is_refused_with_its_line(minimal_project: Path) -> None:
    path = minimal_project / "content/reviews/BSCP-2024-25-09/summary.md"
    path.write_text("First line.\n\nSecond <script>alert(1)</script> line.\n", encoding="utf-8")
    assert any(
        p.startswith(
            "content/reviews/BSCP-2024-25-09/summary.md:3: summary: raw HTML is not allowed"
        )
        for p in problems(minimal_project)
    )


def test_guidance_comments_are_allowed_and_dropped(minimal_project: Path) -> None:
    path = minimal_project / "content/reviews/BSCP-2024-25-09/summary.md"
    path.write_text(
        "<!-- guidance\n     on two lines -->\nBaby T was ten weeks old.\n", encoding="utf-8"
    )
    entry = load_project(minimal_project / "content", TODAY).reviews[0]
    assert entry.section_text("summary").strip() == "Baby T was ten weeks old."
    assert entry.section_text("summary").count("\n") == 3  # line numbers are kept


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("analysis.md.bak", None),
        ("analysys.md", "is not a section file of a review; did you mean 'analysis.md'?"),
        ("recommendations.md", "a rapid_review has no such section"),
    ],
)
def test_unknown_section_files_are_refused(
    minimal_project: Path, name: str, expected: str | None
) -> None:
    (minimal_project / "content/reviews/BSCP-2024-25-09" / name).write_text(
        "Text.\n", encoding="utf-8"
    )
    if expected is None:
        load_project(minimal_project / "content", TODAY)  # other files are not ours to judge
    else:
        assert any(expected in p for p in problems(minimal_project))


def test_duplicate_review_ids_are_refused(minimal_project: Path) -> None:
    import shutil

    reviews = minimal_project / "content/reviews"
    shutil.copytree(reviews / "BSCP-2024-25-09", reviews / "BSCP-2024-25-10")
    found = problems(minimal_project)
    assert any(
        "content/reviews/BSCP-2024-25-10/review.yaml:2: id: 'BSCP-2024-25-09' is already the id of"
        in p
        for p in found
    ) or any("differs from its folder name" in p for p in found)


def test_non_utf8_and_empty_files_are_refused(minimal_project: Path) -> None:
    (minimal_project / "content/reviews/BSCP-2024-25-09/summary.md").write_bytes(
        "Café in cp1252\n".encode("cp1252")
    )
    found = problems(minimal_project)
    assert (
        "content/reviews/BSCP-2024-25-09/summary.md:1: is not UTF-8 text: save it as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8))"
        in found
    )
    (minimal_project / REVIEW).write_text("", encoding="utf-8")
    assert f"{REVIEW}:1: is empty" in problems(minimal_project)


def test_byte_order_mark_and_crlf_line_endings_are_accepted(minimal_project: Path) -> None:
    path = minimal_project / REVIEW
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert (
        load_project(minimal_project / "content", TODAY).reviews[0].review.title
        == "Baby T: a rapid review"
    )


def test_symbolic_link_out_of_content_is_refused(minimal_project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("Secret.\n", encoding="utf-8")
    summary = minimal_project / "content/reviews/BSCP-2024-25-09/summary.md"
    summary.unlink()
    summary.symlink_to(outside)
    assert any("summary.md: points outside content/" in p for p in problems(minimal_project))


def test_overdue_without_reason_is_a_warning_not_an_error(minimal_project: Path) -> None:
    edit(minimal_project, "status: submitted", "status: in_review")
    edit(minimal_project, "  sent_to_panel: 2025-01-14\n", "")
    project = load_project(minimal_project / "content", dt.date(2025, 1, 21))
    assert any(
        "Rapid review to the Panel was due 16 January 2025 and is overdue" in str(w)
        for w in project.warnings
    )


def test_delay_reason_satisfies_a_missed_deadline(minimal_project: Path) -> None:
    edit(minimal_project, "sent_to_panel: 2025-01-14", "sent_to_panel: 2025-01-20")
    edit(
        minimal_project,
        "sign_offs:",
        "delay_reasons:\n  - deadline: rapid_review\n    reason: Awaiting the health chronology.\nsign_offs:",
    )
    load_project(minimal_project / "content", TODAY)


def test_adults_may_be_born_long_ago_but_process_dates_may_not_be(minimal_project: Path) -> None:
    edit(
        minimal_project,
        "    aliases: [Martusia]\n",
        "    aliases: [Martusia]\n    date_of_birth: 1961-05-04\n",
    )
    edit(
        minimal_project,
        "Detective Superintendent, date: 2025-01-14",
        "Detective Superintendent, date: 1925-01-14",
    )
    assert problems(minimal_project) == [
        f"{REVIEW}:52: sign_offs.police.date: 14 January 1925 is before 2000: is the year right?"
    ]


def test_signposting_and_quick_exit_mistakes_are_named_with_their_lines(
    minimal_project: Path,
) -> None:
    partnership = "content/partnership.yaml"
    old = "publication:\n  site_url: https://bscp.example.org/\n"
    start = (minimal_project / partnership).read_text(encoding="utf-8").split(old)[0].count(
        "\n"
    ) + 1
    edit(
        minimal_project,
        old,
        old
        + "  quick_exit_url: http://www.bbc.co.uk/weather\n"
        + "  national_repository_url: learning.nspcc.org.uk\n"
        + "  worried_about_a_child:\n"
        + "    contacts:\n"
        + "      - label: Front door\n"
        + "        phone: call us\n"
        + "      - label: Out of hours\n",
        file=partnership,
    )
    found = problems(minimal_project)
    line = start + 1  # the line after `site_url:`
    assert (
        f"{partnership}:{line + 1}: publication.quick_exit_url: 'http://www.bbc.co.uk/weather' "
        "is not a web address; write it in full, starting https://" in found
    ), found
    assert f"{partnership}:{line + 2}: publication.national_repository_url:" in "\n".join(found)
    assert any(
        p.startswith(
            f"{partnership}:{line + 6}: publication.worried_about_a_child.contacts[0].phone:"
        )
        for p in found
    ), found
    assert any(
        p.startswith(f"{partnership}:{line + 7}: publication.worried_about_a_child.contacts[1]")
        and "give a phone number, a url, or both" in p
        for p in found
    ), found
