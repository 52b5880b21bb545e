"""`bscp review` in Debian's Chromium: a review walked from "waiting" to "approved" in the browser.

A *remove* changes the published text, a *keep the word* changes it back, review.yaml keeps its
comments, one decision is taken with the keyboard alone, the page fits a 390 px phone, axe finds no
violation, and no request leaves the machine.
"""

from __future__ import annotations

import pytest
import yaml

from pipeline.anonymise.approval import read_approval
from pipeline.content.project import load_project
from pipeline.review.app import ReviewApp, running
from pipeline.review.workspace import state_of
from tests.anonymise_fixtures import REVIEW_ID, REVIEW_YAML, TODAY, anonymiser, write_project  # noqa: F401
from tests.test_browser_site import PHONE, axe_violations, watched  # noqa: F401

pytestmark = pytest.mark.browser

COMMENT = "# Author's note: the Panel agreed these labels on 3 March (fictional)."
SECTIONS = {
    "summary.md": "His mother, Jay Okafor-Reid, said he was well.\n",
    "analysis.md": "Gracie's GP was told in June 2024. A Somali interpreter helped.\n",
}


def published(page) -> str:
    return " ".join(page.locator(".published").all_inner_texts())


def decide(page, subject: str, decision: str) -> None:
    form = page.locator("form.decide").filter(
        has=page.get_by_role("group", name=f"Decision on “{subject}”")
    )
    form.get_by_label(decision, exact=True).check()
    form.get_by_role("button", name=f"Save the decision on “{subject}”").click()
    page.get_by_role("status").wait_for()


@pytest.mark.parametrize("watched", [PHONE], indirect=True)
def test_a_review_from_waiting_to_approved_in_the_browser(
    tmp_path,
    watched,  # noqa: F811
    anonymiser,  # noqa: F811
) -> None:
    page, _ = watched
    content = write_project(tmp_path, f"{COMMENT}\n{REVIEW_YAML}", SECTIONS)
    review_yaml = content / "reviews" / REVIEW_ID / "review.yaml"
    app = ReviewApp(lambda: load_project(content, TODAY))
    with running(app) as url:
        page.goto(url)
        assert page.locator("h1").inner_text() == "Reviews waiting for approval"
        assert axe_violations(page) == []
        page.get_by_role("link", name=f"{REVIEW_ID}: Child A: a rapid review").click()
        assert page.locator("h1").inner_text().startswith(f"Review {REVIEW_ID}")
        assert "4 left to decide" in page.locator("#counter").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert axe_violations(page) == []
        # The flagged label shows what replaced what, and why.
        flag = page.locator("li.item", has_text="Label given to someone else")
        assert "His mother, Child A" in flag.inner_text()

        # Remove: the word leaves the published text and goes into anonymisation.deny.
        assert "Somali" in published(page)
        decide(page, "Somali", "Remove")
        assert "Somali" not in published(page)
        assert "3 left to decide" in page.locator("#counter").inner_text()
        assert yaml.safe_load(review_yaml.read_text())["anonymisation"]["deny"] == ["Somali"]
        # Keep the word: it comes back, from the list of the reviewer's own decisions.
        decide(page, "Somali", "Keep the word")
        assert "Somali" in published(page)
        lists = yaml.safe_load(review_yaml.read_text())["anonymisation"]
        assert lists == {"allow": ["Somali"]}
        assert review_yaml.read_text().startswith(COMMENT + "\n")

        # One decision with the keyboard alone: Tab to the choice, Space, Tab to the button, Enter.
        first = page.locator("form.decide").first
        first.get_by_label("Keep as is", exact=True).focus()
        page.keyboard.press("Space")
        first.get_by_role("button").focus()
        page.keyboard.press("Enter")
        page.get_by_role("status").wait_for()
        assert "2 left to decide" in page.locator("#counter").inner_text()

        assert page.get_by_role("button", name=f"Approve {REVIEW_ID}").count() == 0
        while page.locator("li.item.open").count():
            subject = page.locator("li.item.open legend").first.inner_text()
            decide(page, subject.removeprefix("Decision on “").removesuffix("”"), "Keep as is")
        assert "0 left to decide" in page.locator("#counter").inner_text()
        assert axe_violations(page) == []

        page.get_by_label("Your full name").fill("Ada Reviewer (fictional)")
        page.get_by_role("button", name=f"Approve {REVIEW_ID}").click()
        assert "Approved BSCP-2024-25-03" in page.get_by_role("status").inner_text()
        assert "Approval: approved by Ada Reviewer (fictional)" in page.locator("main").inner_text()
    approval = read_approval(load_project(content, TODAY), REVIEW_ID)
    assert approval.reviewer == "Ada Reviewer (fictional)"
    assert approval.counts["kept as is"] == 3 and approval.counts["words kept (allow)"] == 1
    assert not (tmp_path / "build" / "site").exists()


@pytest.mark.parametrize("watched", [PHONE], indirect=True)
def test_the_static_report_fits_a_phone_keeps_tips_on_screen_and_ends_with_the_command(
    tmp_path,
    watched,  # noqa: F811
    anonymiser,  # noqa: F811
) -> None:
    page, _ = watched
    content = write_project(tmp_path, sections=SECTIONS)
    project = load_project(content, TODAY)
    state_of(project, REVIEW_ID)
    html = (tmp_path / "build" / "reports" / f"{REVIEW_ID}.html").read_text(encoding="utf-8")
    page.set_content(html)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    # Tab to the last marked replacement: its explanation shows, inside the screen.
    marks = page.locator("mark.finding")
    marks.last.focus()
    box = marks.last.locator(".tip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    last = page.locator("main > section").last
    assert last.locator("h2").inner_text() == "Approve"
    assert f'bscp approve {REVIEW_ID} --reviewer "Your Full Name"' in last.inner_text()
