"""The built site in a real browser: Debian's Chromium through Playwright, one browser per session.

Every page type renders with its Content-Security-Policy on, navigation and theme browsing work by
clicking, search finds a review by a learning theme and ranks publications first, no request leaves
the machine, and pages fit a phone's width. Every page of the example site (the one `make site`
builds from content/) passes axe's WCAG 2.2 AA checks at 1280 and 390 pixels wide, its tables can
be scrolled from the keyboard, and the signposting and the quick exit work by keyboard. Screenshots
of the main pages at phone and desktop sizes are written to build/screenshots/ for people to look at.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.publish.serve import serving
from tests.site_support import (
    BRIEF,
    EXPIRED,
    REPO,
    SITE_SOURCE,
    build_fixture,
    copy_fixture,
    each_pdf,
    fake_to_pdf,
)

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
EXIT_URL = "https://www.bbc.co.uk/weather"  # quick_exit_url in the fixture's and example's settings
SCREENSHOTS = REPO / "build" / "screenshots"

# One page of every type, with the heading a reader should see.
PAGES = [
    ("", "Learning from reviews"),
    ("reviews/", "Reviews"),
    ("reviews/BSCP-2024-25-01/", "Baby S: a rapid review"),
    ("reviews/BSCP-2024-25-03/", "Baby S: local child safeguarding practice review"),
    (f"briefs/{BRIEF}/", "Safe sleep: every carer, every night"),
    ("briefs/", "Learning briefs"),
    ("themes/", "Browse by theme"),
    ("themes/safe-sleep/", "Safe sleep / SUDI"),
    ("years/2025/", "2025"),
    ("types/", "Browse by type"),
    ("age-groups/under-1/", "Under 1"),
    ("process/", "How reviews work"),
    ("accessibility/", "Accessibility statement"),
    (f"reviews/{EXPIRED}/", "This rapid review is no longer online"),
]


@pytest.fixture(scope="session")
def site_url(tmp_path_factory) -> Iterator[str]:
    root = copy_fixture(tmp_path_factory.mktemp("browser-project"))
    build_fixture(root)
    with serving(root / "build" / "site") as url:
        yield url


@pytest.fixture(scope="session")
def example_site(browser, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The example site from content/, built once with the real anonymiser and the approvals in
    approvals/ (PDFs by a stand-in: their accessibility is checked in tests/test_render_pdf.py)."""
    from pipeline.build import build
    from pipeline.content.project import load_project
    from pipeline.publish.stages import real_stages
    from tests.conftest import EXAMPLE_TODAY

    root = tmp_path_factory.mktemp("example-project")
    for name in ("content", "approvals", "templates"):
        shutil.copytree(REPO / name, root / name)
    project = load_project(root / "content", EXAMPLE_TODAY)
    stages = replace(real_stages(), to_pdfs=each_pdf(fake_to_pdf))
    result = build(project, root, stages=stages, site_source=SITE_SOURCE)
    assert result.left_out == [], "see tests/test_example_approvals.py"
    site = root / "build" / "site"
    with serving(site) as url:
        yield url, site


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as the path it is served at ('' for the home page)."""
    pages = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    return [*sorted(f"{p}/" if p != "." else "" for p in pages), "404.html"]


class Watch:
    """What a page did that it must not: requests off this machine, errors, policy violations."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def watched(browser, request) -> Iterator[tuple[object, Watch]]:
    """A fresh page (desktop size unless the test asks for a phone) that records misbehaviour."""
    viewport = getattr(request, "param", DESKTOP)
    context = browser.new_context(viewport=viewport)
    watch = Watch()

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            watch.external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            watch.errors.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    yield page, watch
    context.close()
    assert watch.external == [], f"requests left the machine: {watch.external}"
    assert watch.errors == [], "\n".join(watch.errors)


def axe_violations(page, inject: bool = True) -> list[str]:
    """Run axe's WCAG 2.2 AA rules on the page as it is now (injecting axe unless it is there)."""
    import json

    from axe_playwright_python.sync_playwright import Axe

    if inject:
        page.evaluate(Axe().axe_script)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    response = page.evaluate(f"axe.run(document, {json.dumps(options)})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
    ]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_renders_with_nothing_leaving_the_machine(site_url, watched, path, heading):
    page, _ = watched
    response = page.goto(site_url + path)
    assert response is not None and response.ok
    assert page.locator("h1").first.inner_text().strip() == heading
    # The theme's scripts ran under the policy (they mark the page and wire up search).
    assert page.evaluate("document.documentElement.classList.contains('js')")


def test_every_page_of_the_example_site_passes_axe_at_1280_and_390_pixels(example_site, watched):
    """Each page is loaded once and checked at both widths (a page's layout follows its width)."""
    page, watch = watched
    url, site = example_site
    paths = site_pages(site)
    assert len(paths) >= 10
    found = {}
    for path in paths:
        page.set_viewport_size(DESKTOP)
        page.goto(url + path)
        problems = [f"1280px: {v}" for v in axe_violations(page)]
        page.set_viewport_size(PHONE)
        page.evaluate("new Promise(done => requestAnimationFrame(() => done()))")
        problems += [f"390px: {v}" for v in axe_violations(page, inject=False)]
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        if scrolled > PHONE["width"]:
            problems.append(f"390px: the page scrolls sideways ({scrolled}px wide)")
        if problems:
            found[path] = problems
    assert found == {}
    watch.errors[:] = [e for e in watch.errors if "404" not in e]  # Chromium logs the 404 itself
    # The accessibility statement says what this test does, no more.
    statement = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    for claim in (
        "every page is first checked automatically",
        f"({DESKTOP['width']} pixels)",
        f"({PHONE['width']} pixels)",
    ):
        assert claim in statement


@pytest.mark.parametrize("watched", [PHONE], indirect=True)
def test_a_wide_table_on_a_phone_scrolls_from_the_keyboard_to_its_last_column(
    example_site, watched
):
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page, _ = watched
    url, site = example_site
    with_tables = [p for p in site_pages(site) if 'class="bscp-table"' in _html(site, p)]
    assert with_tables, "the example has tables in reviews"
    wide = 0
    for path in with_tables:
        page.goto(url + path)
        for region in page.locator(".bscp-table").all():
            # A named region the keyboard reaches (axe: scrollable-region-focusable).
            assert region.get_attribute("role") == "region"
            assert region.get_attribute("tabindex") == "0"
            assert region.get_attribute("aria-label").startswith("Table")
            overflow = region.evaluate("r => r.scrollWidth - r.clientWidth")
            if overflow <= 0:
                continue
            wide += 1
            region.focus()
            for _ in range(40):
                page.keyboard.press("ArrowRight")
            # Arrow keys scroll smoothly: on a loaded machine the last presses may still be moving
            # it, so wait (a few seconds at most) for the scroll to come to its end before measuring.
            # A timeout is not the failure: the measurement below says how much is cut off.
            with contextlib.suppress(PlaywrightTimeoutError):
                page.wait_for_function(
                    "r => r.scrollWidth - r.clientWidth - r.scrollLeft <= 1",
                    arg=region.element_handle(),
                    timeout=5000,
                )
            # The last column is reachable and whole, not clipped.
            gap = region.evaluate(
                """r => {
                    const cells = r.querySelectorAll("tr > :last-child");
                    const right = Math.max(...[...cells].map(c => c.getBoundingClientRect().right));
                    return right - r.getBoundingClientRect().right;
                }"""
            )
            assert region.evaluate("r => r.scrollLeft") > 0, path
            assert gap <= 1, f"{path}: the last column is cut off by {gap}px"
    assert wide, "at least one example table is wider than a phone"


def _html(site: Path, path: str) -> str:
    return (
        site / path / "index.html" if path.endswith("/") or not path else site / path
    ).read_text(encoding="utf-8")


def test_browse_by_theme_by_clicking(site_url, watched):
    page, _ = watched
    page.goto(site_url)
    page.get_by_role("link", name="Browse", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Browse by theme"
    page.get_by_role("link", name="Fathers and male carers", exact=True).click()
    assert page.locator("h1").inner_text() == "Fathers and male carers"
    assert page.get_by_text("3 publications").is_visible()
    page.get_by_role("link", name="Baby S: local child safeguarding practice review").click()
    assert page.locator("h1").inner_text() == "Baby S: local child safeguarding practice review"
    page.get_by_role("link", name="Professional curiosity").first.click()
    assert page.url.endswith("/themes/professional-curiosity/")
    page.get_by_role("link", name="Browse by theme").click()
    page.get_by_role("link", name="by year").click()
    assert page.locator("h1").inner_text() == "Browse by year"


def test_downloads_are_served(site_url, watched):
    page, _ = watched
    page.goto(site_url + "reviews/BSCP-2024-25-01/")
    for name in ("Download the Word document", "Download the PDF"):
        href = page.get_by_role("link", name=name).get_attribute("href")
        response = page.request.get(page.url + href)
        assert response.ok and len(response.body()) > 500


@pytest.mark.parametrize("watched", [PHONE], indirect=True)
def test_phone_menu_leads_to_every_section(site_url, watched):
    page, _ = watched
    page.goto(site_url + f"briefs/{BRIEF}/")
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator("nav.md-nav--primary")
    drawer.get_by_role("link", name="Reviews", exact=True).click()
    assert page.locator("h1").inner_text() == "Reviews"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("parental mental health", "Baby S: a rapid review"),
        ("criminal exploitation", "Child T: a rapid review"),
    ],
)
def test_search_finds_a_review_by_a_learning_theme(site_url, watched, query, expected):
    page, _ = watched
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.press_sequentially(query, delay=10)  # the theme searches as people type
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    titles = page.locator(".md-search-result__article h1").all_inner_texts()
    assert expected in titles
    # A withdrawn review is never found, though its notice page exists.
    search.fill("")
    search.press_sequentially("malnourished", delay=10)
    page.locator(".md-search-result__meta").get_by_text("No matching documents").wait_for()


@pytest.mark.parametrize("watched", [PHONE, DESKTOP], indirect=True)
def test_screenshots_of_the_main_pages(site_url, watched):
    page, _ = watched
    size = "phone" if page.viewport_size["width"] < 500 else "desktop"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in (
        ("", "home"),
        ("reviews/BSCP-2024-25-01/", "review"),
        (f"briefs/{BRIEF}/", "brief"),
    ):
        page.goto(site_url + path)
        page.wait_for_timeout(300)  # the header's tabs fade in
        target = SCREENSHOTS / f"{size}-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000


def test_withdrawal_notice_is_served_at_the_old_url(site_url, watched):
    page, _ = watched
    response = page.goto(site_url + f"reviews/{EXPIRED}/")
    assert response.status == 200
    assert "was available until March 2024" in page.locator("article").inner_text()


def test_unknown_address_gets_a_useful_404_page(site_url, watched):
    page, watch = watched
    response = page.goto(site_url + "reviews/no-such-review/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    article = page.locator("article")
    assert "search box at the top of this page" in article.inner_text()
    # The latest publications, and the way home, work from any address.
    article.get_by_role("link", name="Baby S: a rapid review").click()
    assert page.locator("h1").inner_text() == "Baby S: a rapid review"
    page.goto(site_url + "a/b/c/no-such-page/")
    page.locator("article").get_by_role("link", name="home page").click()
    assert page.locator("h1").inner_text() == "Learning from reviews"
    page.goto(site_url + "no-such-page/")
    page.locator("article").get_by_role("link", name="Worried about a child?").click()
    assert page.locator("#worried-about-a-child").is_visible()
    watch.errors[:] = [e for e in watch.errors if "404" not in e]  # Chromium logs the 404 itself


def test_a_withdrawal_notice_points_to_the_national_repository(site_url, watched):
    page, _ = watched
    page.goto(site_url + f"reviews/{EXPIRED}/")
    link = page.locator("article").get_by_role("link", name="NSPCC national case review repository")
    assert link.get_attribute("href") == (
        "https://learning.nspcc.org.uk/case-reviews/national-case-review-repository"
    )


def neutral_site(page) -> None:
    """Answer for the quick exit's neutral site here (nothing leaves the machine)."""
    page.route(
        EXIT_URL,
        lambda route: route.fulfill(
            body="<!doctype html><title>Weather</title><h1>Weather</h1>", content_type="text/html"
        ),
    )


@pytest.mark.parametrize("path", ["", "reviews/BSCP-2024-25-03/", f"briefs/{BRIEF}/", "no-such/"])
def test_every_page_signposts_help_with_the_partnerships_numbers(site_url, watched, path):
    page, watch = watched
    page.goto(site_url + path)
    panel = page.locator("#worried-about-a-child")
    assert panel.get_by_role("heading", name="Worried about a child?").is_visible()
    assert "If a child is in immediate danger, call 999." in panel.inner_text()
    call = panel.get_by_role("link", name="01632 960 100")
    assert call.get_attribute("href") == "tel:01632960100"
    assert panel.get_by_role("link", name="101").get_attribute("href") == "tel:101"
    online = panel.get_by_role(
        "link", name=re.compile(r"^Contact them online\W+Children's Services front door")
    )
    assert online.get_attribute("href") == "https://www.brackenford.example.org/report-a-concern"
    exit_link = page.get_by_role("link", name="Leave this site")
    assert exit_link.is_visible() and exit_link.get_attribute("href") == EXIT_URL
    watch.errors[:] = [e for e in watch.errors if "404" not in e]


@pytest.mark.parametrize("watched", [PHONE, DESKTOP], indirect=True, ids=["390px", "1280px"])
def test_quick_exit_is_reached_and_used_by_keyboard(site_url, watched):
    page, _ = watched
    neutral_site(page)
    page.goto(site_url + "reviews/BSCP-2024-25-03/")
    for _ in range(4):  # after at most the skip link and the signpost link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-bscp-exit')"):
            break
    else:
        pytest.fail("the quick exit is not among the first tab stops")
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    assert page.locator("h1").inner_text() == "Weather"


def test_pressing_escape_twice_leaves_and_back_does_not_return(site_url, watched):
    page, _ = watched
    neutral_site(page)
    page.goto(site_url)
    page.goto(site_url + "reviews/BSCP-2024-25-03/")
    page.keyboard.press("Escape")
    assert page.url.endswith("/reviews/BSCP-2024-25-03/"), "one Escape (closing search) stays"
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert not page.url.endswith("/reviews/BSCP-2024-25-03/"), "the review was replaced in history"


def test_the_signpost_link_takes_the_keyboard_to_the_numbers(site_url, watched):
    page, _ = watched
    page.goto(site_url + "reviews/BSCP-2024-25-01/")
    link = page.locator(".bscp-safety").get_by_role("link", name="Worried about a child?")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "worried-about-a-child"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "tel:01632960100"


def test_search_puts_the_publication_first_and_lists_no_listing_pages(site_url, watched):
    page, _ = watched
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("safe sleep", delay=10)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    links = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    assert links, "search found nothing"
    assert links[0].startswith(("/reviews/BSCP-", "/briefs/BSCP-")), links
    listing = ("/themes/", "/years/", "/types/", "/age-groups/")
    assert not [
        p for p in links if p == "/" or p.startswith(listing) or p in ("/reviews/", "/briefs/")
    ]
    # Each result shows a short excerpt (a brief's seven panels are sections of their own), so
    # one publication does not fill the list.
    shown = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => [new URL(a.href).pathname, a.innerText])"
    )
    excerpts = [text for path, text in shown if path.startswith(("/reviews/", "/briefs/"))]
    assert excerpts and max(len(text) for text in excerpts) < 600, max(excerpts, key=len)
