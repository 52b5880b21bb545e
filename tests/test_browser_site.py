"""The built site in a real browser: Debian's Chromium through Playwright, one browser per session.

Every page type renders with its Content-Security-Policy on, navigation and theme browsing work by
clicking, search finds a review by a learning theme, no request leaves the machine, axe finds no
WCAG 2.2 AA violation, and pages fit a phone's width. Screenshots of the main pages at phone and
desktop sizes are written to build/screenshots/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from pipeline.publish.serve import serving
from tests.site_support import BRIEF, EXPIRED, REPO, build_fixture, copy_fixture

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
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


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_renders_accessibly_with_nothing_leaving_the_machine(site_url, watched, path, heading):
    page, _ = watched
    response = page.goto(site_url + path)
    assert response is not None and response.ok
    assert page.locator("h1").first.inner_text().strip() == heading
    # The theme's scripts ran under the policy (they mark the page and wire up search).
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert axe_violations(page) == []


@pytest.mark.parametrize("watched", [PHONE], indirect=True)
@pytest.mark.parametrize(("path", "heading"), PAGES[:6])
def test_pages_fit_a_phone_screen_and_pass_axe(site_url, watched, path, heading):
    page, _ = watched
    page.goto(site_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"
    assert axe_violations(page) == []


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


def test_unknown_address_gets_the_sites_own_404_page(site_url, watched):
    page, watch = watched
    response = page.goto(site_url + "no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "404 - Not found"
    assert page.get_by_role("link", name="Reviews", exact=True).first.is_visible()
    watch.errors[:] = [e for e in watch.errors if "404" not in e]  # Chromium logs the 404 itself
