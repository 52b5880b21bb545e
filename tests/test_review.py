"""The reviewer's workspace: the check list's flags and grouping, decisions written round trip into
review.yaml, the refusals of approve, and the review server's refusals."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner

from pipeline.anonymise.approval import approve, check_reviewer, read_approval
from pipeline.anonymise.results import AnonymisedDocument, Finding, Note
from pipeline.cli import main
from pipeline.content.project import load_project
from pipeline.errors import ApprovalError, PipelineError
from pipeline.review.app import ReviewApp, running
from pipeline.review.checklist import ALLOW, DENY, REPLACE, checklist
from pipeline.review.decisions import write_decision
from pipeline.review.workspace import decide, state_of
from tests.anonymise_fixtures import REVIEW_ID, TODAY, anonymiser, write_project  # noqa: F401


@dataclass
class Doc:
    fields: dict[str, str]

    def text_fields(self):
        return list(self.fields.items())


def finding(text: str, start: int, replacement: str, kind: str = "PERSON", layer: str = "known"):
    return Finding(start, start + len(text), text, kind, layer, "test", 1.0, replacement, "s")


def result_of(original: str, published: str, findings=(), notes=()) -> AnonymisedDocument:
    return AnonymisedDocument(
        Doc({"s": published}),
        Doc({"s": original}),
        {"s": list(findings)},
        {"s": list(notes)},
        "p",
        None,
    )


def kinds(items) -> dict[str, str]:
    return {i.kind: i.subject for i in items}


def test_a_listed_label_given_to_someone_else_is_flagged() -> None:
    original = (
        "His mother, Jay, said he was well. Her mother, Lily, came too. Ryan's brother, Ryan."
    )
    published = (
        "His mother, Child A, said he was well. Her mother, Maternal grandmother, came too. "
        "Father's brother, Father."
    )
    found = [
        finding("Jay", original.index("Jay"), "Child A"),
        finding("Lily", original.index("Lily"), "Maternal grandmother"),
        finding("Ryan", original.index("Ryan"), "Father"),
    ]
    items = checklist(result_of(original, published, found))
    # A grandmother is her mother; Father is not his own brother.
    assert [(i.kind, i.subject) for i in items] == [
        ("label given to someone else", "Jay"),
        ("label given to someone else", "Ryan"),
        ("doubled phrase", "Ryan"),  # "Father's brother, Father" is both
    ]
    assert "His mother, Child A" in items[0].context


def test_a_phrase_doubled_by_a_replacement_is_flagged_but_not_across_a_heading() -> None:
    original = "We met with the social worker as Olivia Grant.\n### Baby Z\nBaby Z was born."
    published = "We met with the social worker as the social worker.\n### Baby Z\nBaby Z was born."
    found = [finding("Olivia Grant", original.index("Olivia"), "the social worker")]
    assert kinds(checklist(result_of(original, published, found))) == {
        "doubled phrase": "Olivia Grant"
    }


def test_a_placeholder_after_a_and_swallowed_possessives_and_numbers_are_flagged() -> None:
    original = "Mo's bike was by a grey Fiesta in Flat 2 Oak House."
    published = "Sibling 2 bike was by a grey Person 4 in the family home."
    found = [
        finding("Mo's", 0, "Sibling 2"),
        finding("Fiesta", original.index("Fiesta"), "Person 4", layer="ner"),
        finding("Flat 2 Oak House", original.index("Flat"), "the family home", kind="LOCATION"),
    ]
    assert kinds(checklist(result_of(original, published, found))) == {
        "possessive swallowed": "Mo's",
        "placeholder after “a”": "Fiesta",
        "number swallowed": "Flat 2 Oak House",
    }


def test_an_address_that_became_a_street_after_at_is_flagged() -> None:
    original = "She stayed at 14 Elm Road for a week and walked down 14 Elm Road."
    published = "She stayed at the family's street for a week and walked down the family's street."
    found = [finding("14 Elm Road", original.index("14"), "the family's street", kind="ADDRESS")]
    items = checklist(result_of(original, published, found))
    assert kinds(items) == {"replacement does not read": "14 Elm Road"}
    assert items[0].count == 1 and "stayed [at the family's street]" in items[0].context


def test_a_kept_capitalised_word_that_is_a_name_is_flagged_not_a_month_or_language() -> None:
    text = "Later she met Harriet at the clinic in June and spoke English."
    assert kinds(checklist(result_of(text, text))) == {
        "kept word that looks like a name": "Harriet"
    }


def test_notes_become_one_item_per_string_dates_grouped_and_nothing_that_was_replaced() -> None:
    original = "In May 2024 and June 2024 the GP, the GP and the GP saw Mohamed (Mo)."
    replaced = finding("Mohamed (Mo)", original.index("Mohamed"), "Sibling 2")

    def note(text: str, kind: str, after: int = 0) -> Note:
        start = original.index(text, after)
        return Note("s", start, start + len(text), text, kind, "check")

    gps = [i for i in range(len(original)) if original.startswith("GP", i)]
    notes = [
        note("May 2024", "date"),
        note("June 2024", "date"),
        *(note("GP", "place", i) for i in gps),
        note("Mo", "name-like word", original.index("(Mo")),
    ]
    published = original.replace("Mohamed (Mo)", "Sibling 2")
    items = checklist(result_of(original, published, [replaced], notes))
    assert [(i.kind, i.texts, i.count) for i in items] == [
        ("date", ("May 2024", "June 2024"), 2),
        ("place", ("GP",), 3),
    ]


YAML_WITH_COMMENTS = """\
# The review's header comment stays.
id: X
anonymisation:
  # Words the Panel agreed to keep.
  allow: [Operation Encompass]  # agreed on 3 March
  replacements:
    "rare syndrome": "a rare condition"
"""


def test_decisions_are_written_round_trip_keeping_comments(tmp_path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(YAML_WITH_COMMENTS)
    write_decision(path, ("Somali",), DENY)
    text = path.read_text()
    for comment in (
        "# The review's header comment stays.",
        "# Words the Panel",
        "# agreed on 3 March",
    ):
        assert comment in text
    assert "allow: [Operation Encompass]" in text
    assert yaml.safe_load(text)["anonymisation"]["deny"] == ["Somali"]
    write_decision(path, ("somali",), ALLOW)  # the last decision holds: out of deny, into allow
    data = yaml.safe_load(path.read_text())["anonymisation"]
    assert data["allow"] == ["Operation Encompass", "somali"] and "deny" not in data
    write_decision(path, ("Somali",), REPLACE, "a community language")
    data = yaml.safe_load(path.read_text())["anonymisation"]
    assert data["allow"] == ["Operation Encompass"]
    assert data["replacements"]["Somali"] == "a community language"
    assert "# The review's header comment stays." in path.read_text()


SECTIONS = {
    "summary.md": "His mother, Jay Okafor-Reid, said he was well.\n",
    "analysis.md": "Gracie's GP was told in June 2024. A Somali interpreter helped.\n",
}


@pytest.mark.parametrize(
    "name", ["", "   ", "NAME", "Your Full Name", "Bob", "x1 y2", "a@b.org c", "<b>Al</b> Ng"]
)
def test_an_implausible_reviewer_name_is_refused(name) -> None:
    with pytest.raises(ApprovalError):
        check_reviewer(name)
    assert check_reviewer(" Example  Reviewer (fictional) ") == "Example Reviewer (fictional)"


def test_approve_refuses_without_report_with_undecided_items_and_on_stale_output(
    tmp_path,
    anonymiser,  # noqa: F811
) -> None:
    content = write_project(tmp_path, sections=SECTIONS)
    project = load_project(content, TODAY)
    approval = tmp_path / "approvals" / f"{REVIEW_ID}.yaml"
    with pytest.raises(ApprovalError, match="no redaction report has been made"):
        approve(project, REVIEW_ID, "Ada Reviewer")
    state = state_of(project, REVIEW_ID)
    assert len(state.left) == 4  # the label, the date, the GP, the people named
    with pytest.raises(ApprovalError, match="4 items of the check list have no decision"):
        approve(project, REVIEW_ID, "Ada Reviewer")
    for d in state.left:
        decide(project, REVIEW_ID, d.item.key, "keep")
    # The text changes after the report was made: the report no longer describes the output.
    summary = content / "reviews" / REVIEW_ID / "analysis.md"
    summary.write_text(summary.read_text() + "A new sentence about practice.\n")
    changed = load_project(content, TODAY)
    with pytest.raises(ApprovalError, match="report is of an earlier output"):
        approve(changed, REVIEW_ID, "Ada Reviewer")
    assert not approval.exists()
    state_of(changed, REVIEW_ID)
    # The page the reviewer approves from showed an earlier report: refused.
    with pytest.raises(ApprovalError, match="changed since this page was shown"):
        approve(changed, REVIEW_ID, "Ada Reviewer", seen_report="0" * 64)
    result = CliRunner().invoke(
        main,
        [
            "--content",
            str(content),
            "--today",
            TODAY.isoformat(),
            "approve",
            REVIEW_ID,
            "--reviewer",
            "Ada Reviewer",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Approved BSCP-2024-25-03 as Ada Reviewer" in result.output
    assert "kept as is: 4" in result.output
    recorded = read_approval(changed, REVIEW_ID)
    assert recorded.report_hash and recorded.time.endswith("+00:00")
    assert recorded.counts["items checked"] == 4


def test_cli_approve_refuses_a_placeholder_name_and_without_a_report(tmp_path, monkeypatch) -> None:
    content = write_project(tmp_path, sections=SECTIONS)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["--content", str(content), "--today", TODAY.isoformat(), "approve", REVIEW_ID]
    placeholder = runner.invoke(main, [*args, "--reviewer", "Your Full Name"])
    assert placeholder.exit_code == 1 and "'Your Full Name' is not a name" in placeholder.output
    assert not (tmp_path / "approvals").exists()


# ---------------------------------------------------------------------------------------------------
# The server's refusals (answered before any content is read)


def request(url: str, method: str = "GET", body: str = "", headers: dict | None = None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    connection.request(method, parts.path, body=body.encode(), headers=sent)
    response = connection.getresponse()
    return response.status, response.read().decode(), dict(response.getheaders())


@pytest.fixture
def server(tmp_path):
    content = write_project(tmp_path, sections=SECTIONS)
    app = ReviewApp(lambda: load_project(content, TODAY))
    with running(app) as url:
        yield app, url


def test_the_server_listens_on_127_0_0_1_only_and_refuses_a_foreign_host(server) -> None:
    _app, url = server
    assert urlsplit(url).hostname == "127.0.0.1"
    status, body, _ = request(url + "static/review.css", headers={"Host": "review.example.org"})
    assert status == 421 and "127.0.0.1" in body
    status, _, headers = request(url + "static/review.css")
    assert status == 200
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_the_server_refuses_an_address_without_its_token(server) -> None:
    app, _url = server
    status, _, _ = request(f"http://127.0.0.1:{app.port}/static/review.css")
    assert status == 404


def test_the_server_refuses_a_post_without_the_form_token_or_from_another_origin(
    server, tmp_path
) -> None:
    app, url = server
    review_yaml = tmp_path / "content" / "reviews" / REVIEW_ID / "review.yaml"
    before = review_yaml.read_text()
    decide_url = f"{url}doc/{REVIEW_ID}/decide"
    status, body, _ = request(decide_url, "POST", "key=abc&decision=deny")
    assert status == 403 and "token" in body
    status, _, _ = request(decide_url, "POST", "csrf=wrong&key=abc&decision=deny")
    assert status == 403
    status, _, _ = request(
        decide_url,
        "POST",
        f"csrf={app.csrf}&key=abc&decision=deny",
        {"Origin": "http://evil.example"},
    )
    assert status == 403
    status, _, _ = request(f"{url}doc/{REVIEW_ID}/decide")  # a GET changes nothing
    assert status == 405
    assert review_yaml.read_text() == before
    assert not (tmp_path / "approvals").exists()


def test_a_decision_that_would_leak_is_refused_and_review_yaml_put_back(
    tmp_path,
    anonymiser,  # noqa: F811
) -> None:
    content = write_project(tmp_path, sections=SECTIONS)
    review_yaml = content / "reviews" / REVIEW_ID / "review.yaml"
    before = review_yaml.read_text()
    app = ReviewApp(lambda: load_project(content, TODAY))
    somali = next(
        d.item for d in state_of(app.load(), REVIEW_ID).left if d.item.subject == "Somali"
    )
    with pytest.raises(PipelineError) as caught:
        app.decide(REVIEW_ID, {"key": somali.key, "decision": "replace", "value": "Grace Okafor's"})
    assert "Grace Okafor" in caught.value.report()
    assert review_yaml.read_text() == before


def test_pr_reports_writes_the_reports_of_the_reviews_a_change_touches(
    tmp_path,
    monkeypatch,
    anonymiser,  # noqa: F811
) -> None:
    content = write_project(tmp_path, sections=SECTIONS)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    subprocess.run([*git, "checkout", "-qb", "change"], check=True)
    analysis = content / "reviews" / REVIEW_ID / "analysis.md"
    analysis.write_text(analysis.read_text() + "Harriet Quill visited in May 2024.\n")
    subprocess.run([*git, "commit", "-qam", "change"], check=True)
    monkeypatch.chdir(tmp_path)
    summary_file = tmp_path / "summary.md"
    result = CliRunner().invoke(
        main,
        [
            "--today",
            TODAY.isoformat(),
            "pr-reports",
            "--changed-from",
            "main",
            "--summary",
            str(summary_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "reports" / f"{REVIEW_ID}.html").is_file()
    text = summary_file.read_text()
    assert f"| {REVIEW_ID} |" in text and "report written" in text
    assert "Harriet" not in text and "Okafor" not in text  # counts only, never the text


def test_bscp_review_prints_a_local_address_with_a_token(tmp_path) -> None:
    content = write_project(tmp_path, sections=SECTIONS)
    bscp = Path(sys.executable).with_name("bscp")
    process = subprocess.Popen(
        [str(bscp), "--content", str(content), "--today", TODAY.isoformat(), "review", REVIEW_ID],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = ""
        for line in process.stdout:
            if line.strip().startswith("http://"):
                url = line.strip()
                break
        parts = urlsplit(url)
        assert parts.hostname == "127.0.0.1" and parts.path.endswith(f"/doc/{REVIEW_ID}")
        token = parts.path.split("/")[1]
        assert len(token) >= 32
        base = f"http://127.0.0.1:{parts.port}/{token}/"
        assert request(base + "static/review.css")[0] == 200
        assert request(base + "static/review.css", headers={"Host": "attacker.example"})[0] == 421
        assert request(f"http://127.0.0.1:{parts.port}/static/review.css")[0] == 404
    finally:
        process.terminate()
        process.wait(timeout=10)
