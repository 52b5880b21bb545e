"""`bscp build`: what the published site holds, what it leaves out, and how a build fails safe."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import xml.etree.ElementTree as ET

import pytest

from pipeline.build import BuildPaths, build_lock
from pipeline.errors import PipelineError, PublishError
from pipeline.publish.pages import relative_url
from pipeline.publish.security import CONTENT_SECURITY_POLICY
from pipeline.publish.text import long_date, render_markdown
from tests.site_support import (
    BRIEF,
    DRAFT,
    EXPIRED,
    LIVE_REVIEWS,
    WITHDRAWN,
    FakeApprovals,
    build_fixture,
    copy_fixture,
    fake_stages,
    read_page,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_fixture(tmp_path_factory.mktemp("project"))
    result = build_fixture(root)
    return root / "build" / "site", result


def test_build_publishes_live_items_and_notices_for_the_rest(built):
    site, result = built
    assert sorted(result.published) == sorted([*LIVE_REVIEWS, BRIEF])
    assert sorted(result.withdrawn) == sorted([EXPIRED, WITHDRAWN])
    assert result.left_out == []
    assert not (site / "reviews" / DRAFT).exists()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("", "Learning from reviews"),
        ("reviews/", "Reviews"),
        ("briefs/", "Learning briefs"),
        ("reviews/BSCP-2024-25-01/", "Baby S: a rapid review"),
        ("reviews/BSCP-2024-25-03/", "Baby S: local child safeguarding practice review"),
        (f"briefs/{BRIEF}/", "Safe sleep: every carer, every night"),
        ("themes/", "Browse by theme"),
        ("themes/safe-sleep/", "Safe sleep / SUDI"),
        ("years/", "Browse by year"),
        ("years/2024/", "2024"),
        ("types/", "Browse by type"),
        ("types/lcspr/", "Local child safeguarding practice reviews"),
        ("age-groups/", "Browse by age group"),
        ("age-groups/under-1/", "Under 1"),
        ("process/", "How reviews work"),
        ("accessibility/", "Accessibility statement"),
        (f"reviews/{EXPIRED}/", "This rapid review is no longer online"),
    ],
)
def test_every_page_type_is_built_with_its_heading(built, path, heading):
    site, _ = built
    page = read_page(site, path)
    assert f">{heading}</h1>" in page.html.replace("&amp;", "&")


def test_review_page_reads_like_a_catalogue_entry(built):
    site, _ = built
    page = read_page(site, "reviews/BSCP-2024-25-01/")
    text = page.text
    for expected in (
        "Rapid review · 2024",
        "Published 10 June 2024",
        "Age group Under 1",
        "Baby S died aged 12 weeks after sleeping on a sofa with Father.",
        "Learning includes Safe sleep advice must reach every adult",
        "Recommendations include Health visitors record who received safe sleep advice",
        "Summary of circumstances Baby S was born at term",
        "Key lines of enquiry How is safe sleep advice given to fathers",
        "Seven-minute briefing",
    ):
        assert expected in text
    # Confidential sections never reach the page.
    assert "coroner" not in text and "told about the review by the chair" not in text
    assert page.link("Safe sleep / SUDI") == "../../themes/safe-sleep/"
    assert page.link("Under 1") == "../../age-groups/under-1/"
    assert page.link("Rapid review") == "../../types/rapid-review/"
    assert page.link("Baby S: local child safeguarding practice review") == (
        "../../reviews/BSCP-2024-25-03/"
    )


def test_review_page_offers_the_anonymised_word_and_pdf(built):
    site, _ = built
    page = read_page(site, "reviews/BSCP-2024-25-01/")
    hrefs = [href for href, text in page.links if text.startswith("Download the")]
    assert hrefs == [
        "../../downloads/BSCP-2024-25-01.docx",
        "../../downloads/BSCP-2024-25-01.pdf",
    ]
    assert (site / "downloads" / "BSCP-2024-25-01.docx").read_bytes()[:2] == b"PK"
    assert (site / "downloads" / "BSCP-2024-25-01.pdf").read_bytes()[:5] == b"%PDF-"
    # Copied from the anonymised outputs, byte for byte.
    anonymised = site.parent / "anonymised" / "BSCP-2024-25-01" / "BSCP-2024-25-01.docx"
    assert anonymised.read_bytes() == (site / "downloads" / "BSCP-2024-25-01.docx").read_bytes()


def test_brief_page_is_seven_numbered_panels_in_order(built):
    site, _ = built
    page = read_page(site, f"briefs/{BRIEF}/")
    titles = [
        "Background",
        "Why it matters",
        "What happened",
        "Key findings and learning",
        "What should change",
        "Questions for reflection",
        "Resources and contacts",
    ]
    positions = [page.text.index(f"{n} {title}") for n, title in enumerate(titles, start=1)]
    assert positions == sorted(positions)
    assert page.html.count('class="bscp-panel"') == 7
    assert '<ol class="bscp-panels">' in page.html


@pytest.mark.parametrize(
    ("path", "listed", "not_listed"),
    [
        ("themes/safe-sleep/", ["BSCP-2024-25-01", "BSCP-2024-25-03", BRIEF], ["BSCP-2024-25-05"]),
        ("years/2025/", ["BSCP-2024-25-05", BRIEF], ["BSCP-2024-25-01"]),
        ("years/2024/", ["BSCP-2024-25-01", "BSCP-2024-25-03"], [BRIEF]),
        ("types/rapid-review/", ["BSCP-2024-25-01", "BSCP-2024-25-05"], ["BSCP-2024-25-03"]),
        ("types/lcspr/", ["BSCP-2024-25-03"], ["BSCP-2024-25-01"]),
        ("types/learning-brief/", [BRIEF], ["BSCP-2024-25-01"]),
        ("age-groups/under-1/", ["BSCP-2024-25-01"], ["BSCP-2024-25-05"]),
        ("age-groups/15-to-17/", ["BSCP-2024-25-05"], ["BSCP-2024-25-01"]),
        ("reviews/", list(LIVE_REVIEWS), [BRIEF, EXPIRED, WITHDRAWN]),
        ("briefs/", [BRIEF], ["BSCP-2024-25-01"]),
        ("", [*LIVE_REVIEWS, BRIEF], [EXPIRED, WITHDRAWN]),
    ],
)
def test_browse_pages_list_exactly_their_publications(built, path, listed, not_listed):
    site, _ = built
    page = read_page(site, path)
    targets = {href.rstrip("/").rsplit("/", 1)[-1] for href, _ in page.links}
    for item in listed:
        assert item in targets, f"{path} should list {item}"
    for item in not_listed:
        assert item not in targets, f"{path} should not list {item}"


def test_listings_are_newest_first(built):
    site, _ = built
    page = read_page(site, "reviews/")
    order = [h for h, _ in page.links if h.startswith("../reviews/BSCP-")]
    assert order == [
        "../reviews/BSCP-2024-25-05/",
        "../reviews/BSCP-2024-25-03/",
        "../reviews/BSCP-2024-25-01/",
    ]


@pytest.mark.parametrize(
    ("item", "sentence"),
    [
        (
            EXPIRED,
            "This rapid review (BSCP-2022-23-04) was published in March 2023 and was available "
            "until March 2024, in line with our retention policy",
        ),
        (
            WITHDRAWN,
            "This rapid review (BSCP-2023-24-07) was published in January 2024 and has since been "
            "withdrawn by the partnership.",
        ),
    ],
)
def test_withdrawn_publications_keep_their_url_with_a_notice(built, item, sentence):
    site, _ = built
    page = read_page(site, f"reviews/{item}/")
    assert sentence in page.text
    assert '<meta name="robots" content="noindex">' in page.html
    # The notice holds nothing of the publication itself.
    assert "Child N" not in page.text and "Child M" not in page.text
    assert not (site / "downloads" / f"{item}.pdf").exists()


def test_withdrawn_publications_leave_search_sitemap_and_feed(built):
    site, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "reviews/BSCP-2024-25-01/" in locations
    for item in (EXPIRED, WITHDRAWN):
        assert f"reviews/{item}/" not in locations
        for sitemap in (
            (site / "sitemap.xml").read_text(encoding="utf-8"),
            gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode(),
        ):
            assert item not in sitemap
        assert item not in (site / "feed.xml").read_text(encoding="utf-8")
    assert "https://bscp.example.org/reviews/BSCP-2024-25-01/" in (site / "sitemap.xml").read_text(
        encoding="utf-8"
    )


def test_an_item_comes_down_the_day_after_available_until(tmp_path):
    root = copy_fixture(tmp_path)
    # BSCP-2024-25-01 is available until 31 December 2025.
    on_the_day = build_fixture(root, today=dt.date(2025, 12, 31))
    assert "BSCP-2024-25-01" in on_the_day.published
    after = build_fixture(root, today=dt.date(2026, 1, 1))
    assert "BSCP-2024-25-01" in after.withdrawn
    notice = read_page(root / "build" / "site", "reviews/BSCP-2024-25-01/")
    assert "was published in June 2024 and was available until December 2025" in notice.text


def test_feed_is_rss_2_with_absolute_links_newest_first(built):
    site, _ = built
    root = ET.fromstring((site / "feed.xml").read_bytes())
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("link") == "https://bscp.example.org/"
    items = channel.findall("item")
    assert [i.findtext("link") for i in items] == [
        f"https://bscp.example.org/briefs/{BRIEF}/",
        "https://bscp.example.org/reviews/BSCP-2024-25-05/",
        "https://bscp.example.org/reviews/BSCP-2024-25-03/",
        "https://bscp.example.org/reviews/BSCP-2024-25-01/",
    ]
    first = items[0]
    assert first.findtext("pubDate") == "Wed, 02 Apr 2025 09:00:00 +0000"
    assert first.findtext("guid") == first.findtext("link")
    assert [c.text for c in first.findall("category")] == [
        "Learning brief",
        "Safe sleep / SUDI",
        "Fathers and male carers",
    ]
    head = read_page(site, "").html
    assert 'rel="alternate" type="application/rss+xml"' in head


def test_search_index_holds_review_text(built):
    site, _ = built
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Safe sleep advice must reach every adult" in index


def test_every_page_carries_the_content_security_policy_before_any_script(built):
    site, _ = built
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 29
    for page in pages:
        source = page.read_text(encoding="utf-8")
        policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        assert policy in source.replace("&#39;", "'"), page
        assert source.index("Content-Security-Policy") < source.index("<script")


def test_nothing_but_the_site_is_published(built):
    site, _ = built
    root = site.parent
    assert not list(site.rglob("*.map"))
    assert not (site / "reports").exists() and not (site / "confidential").exists()
    assert not list(root.glob(".staging-*")), "the staging folder is removed after a build"
    downloads = sorted(p.name for p in (site / "downloads").iterdir())
    assert downloads == sorted(
        f"{item}{suffix}" for item in [*LIVE_REVIEWS, BRIEF] for suffix in (".docx", ".pdf")
    )


def test_text_from_content_is_escaped_on_every_page(tmp_path):
    root = copy_fixture(tmp_path)
    review = root / "content" / "reviews" / "BSCP-2024-25-05" / "review.yaml"
    text = review.read_text(encoding="utf-8")
    text = text.replace(
        'title: "Child T: a rapid review"', 'title: "Child T & <script>alert(1)</script> review"'
    )
    text = text.replace(
        "[Missing episodes are a sign of exploitation and must be shared.]",
        '["<img src=x onerror=alert(1)> missing episodes"]',
    )
    review.write_text(text, encoding="utf-8")
    build_fixture(root)
    site = root / "build" / "site"
    for path in ("reviews/BSCP-2024-25-05/", "reviews/", "", "themes/extra-familial-harm/"):
        source = read_page(site, path).html
        assert "<script>alert" not in source and "<img src=x" not in source, path
        assert "Child T &amp; &lt;script&gt;alert(1)&lt;/script&gt; review" in source, path
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "Child T &amp; &lt;script&gt;" in feed


def test_markdown_from_the_anonymiser_is_rendered_with_html_escaped(tmp_path):
    # Content is checked for raw HTML at load; the renderer escapes it as well (defence in depth).
    html = render_markdown("Hello <b onclick=x>bold</b>\n\n<script>alert(1)</script>")
    assert "<b" not in html and "<script" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("text", "below", "expected"),
    [
        ("# Top\n\n## Next", 2, ["<h3>Top</h3>", "<h4>Next</h4>"]),
        ("### Deep", 2, ["<h3>Deep</h3>"]),
        ("## A\n\n### B", 3, ["<h4>A</h4>", "<h5>B</h5>"]),
        ("# A\n## B\n### C\n#### D\n##### E", 3, ["<h4>A</h4>", "<h6>C</h6>", "<h6>E</h6>"]),
    ],
)
def test_author_headings_nest_under_the_page_heading(text, below, expected):
    html = render_markdown(text, below=below)
    for fragment in expected:
        assert fragment in html


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (dt.date(2024, 3, 5), "5 March 2024"),
        (dt.date(2024, 12, 25), "25 December 2024"),
        (dt.date(2025, 1, 1), "1 January 2025"),
    ],
)
def test_dates_read_as_people_write_them(date, shown):
    assert long_date(date) == shown


@pytest.mark.parametrize(
    ("here", "target", "page", "link"),
    [
        ("", "reviews", True, "reviews/"),
        ("", "", True, "./"),
        ("reviews/BSCP-2024-25-01", "themes/neglect", True, "../../themes/neglect/"),
        ("reviews/BSCP-2024-25-01", "", True, "../../"),
        ("reviews", "downloads/a.pdf", False, "../downloads/a.pdf"),
        ("process", "feed.xml", False, "../feed.xml"),
    ],
)
def test_links_between_pages_are_relative(here, target, page, link):
    assert relative_url(here, target, page) == link


# --- Approval -----------------------------------------------------------------------------------


def test_unapproved_review_is_left_out_with_a_reason(tmp_path):
    root = copy_fixture(tmp_path)
    result = build_fixture(root, stages=fake_stages(FakeApprovals(refused={"BSCP-2024-25-05"})))
    assert [item.id for item in result.left_out] == ["BSCP-2024-25-05"]
    assert "no current approval" in str(result.left_out[0])
    assert "BSCP-2024-25-05" not in result.published
    site = root / "build" / "site"
    assert not (site / "reviews" / "BSCP-2024-25-05").exists()
    assert "BSCP-2024-25-05" not in (site / "feed.xml").read_text(encoding="utf-8")
    assert not (site / "downloads" / "BSCP-2024-25-05.docx").exists()


def test_strict_build_fails_on_an_unapproved_review_and_names_its_file(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root)  # a good site to keep
    before = (root / "build" / "site" / "index.html").read_bytes()
    with pytest.raises(PublishError) as caught:
        build_fixture(
            root, stages=fake_stages(FakeApprovals(refused={"BSCP-2024-25-05"})), strict=True
        )
    report = caught.value.report()
    assert report.startswith(
        "content/reviews/BSCP-2024-25-05/review.yaml: status: is published but"
    )
    assert "no current approval" in report
    assert (root / "build" / "site" / "index.html").read_bytes() == before


def test_a_review_the_anonymiser_refuses_is_left_out(tmp_path):
    root = copy_fixture(tmp_path)
    stages = fake_stages()

    calls = []

    def refusing(project, entry):
        calls.append(entry.id)
        if entry.id == "BSCP-2024-25-03":
            raise PipelineError("a known identifier survived anonymisation")
        return stages.anonymise(project, entry)

    from dataclasses import replace

    result = build_fixture(root, stages=replace(stages, anonymise=refusing))
    assert [item.id for item in result.left_out] == ["BSCP-2024-25-03"]
    assert "anonymisation refused it" in str(result.left_out[0])
    # The same input is refused again on the next build without anonymising it again.
    calls.clear()
    again = build_fixture(root, stages=replace(stages, anonymise=refusing))
    assert calls == []
    assert [str(item) for item in again.left_out] == [str(item) for item in result.left_out]
    # The rapid review no longer links to an LCSPR that is not on the site.
    page = read_page(root / "build" / "site", "reviews/BSCP-2024-25-01/")
    assert "BSCP-2024-25-03" not in {h.rstrip("/").rsplit("/", 1)[-1] for h, _ in page.links}


# --- Caching, locking, failing safe ------------------------------------------------------------


def test_unchanged_reviews_reuse_cached_anonymisation_and_documents(tmp_path):
    root = copy_fixture(tmp_path)
    approvals = FakeApprovals()
    first = build_fixture(root, stages=fake_stages(approvals))
    assert first.anonymised_fresh == 4 and first.rendered_fresh == 4
    approvals.anonymised.clear()
    second = build_fixture(root, stages=fake_stages(approvals))
    assert approvals.anonymised == []
    assert (second.anonymised_cached, second.rendered_cached) == (4, 4)
    # Change one review: only it is anonymised and rendered again.
    learning = root / "content" / "reviews" / "BSCP-2024-25-05" / "summary.md"
    learning.write_text("Child T went missing twelve times.\n", encoding="utf-8")
    third = build_fixture(root, stages=fake_stages(approvals))
    assert approvals.anonymised == ["BSCP-2024-25-05"]
    assert (third.anonymised_fresh, third.rendered_fresh) == (1, 1)
    page = read_page(root / "build" / "site", "reviews/BSCP-2024-25-05/")
    assert "Child T went missing twelve times." in page.text


def test_a_second_build_while_one_runs_is_refused_clearly(tmp_path):
    root = copy_fixture(tmp_path)
    paths = BuildPaths(root, root / "site")
    with build_lock(paths.lock), pytest.raises(PublishError) as caught:
        build_fixture(root)
    message = caught.value.report()
    assert "another `bscp build` is running" in message
    assert "wait for it to finish" in message


def test_a_failed_build_leaves_the_last_good_site_untouched(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root)
    site = root / "build" / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def broken_renderer(project, doc, out_path):
        raise PublishError("the Word template is broken")

    (root / "content" / "reviews" / "BSCP-2024-25-05" / "summary.md").write_text(
        "Changed: the summary was rewritten after approval.\n", encoding="utf-8"
    )
    with pytest.raises(PublishError):
        build_fixture(root, stages=fake_stages(render_word=broken_renderer))
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list((root / "build").glob(".staging-*"))


def test_an_interrupted_swap_is_recovered_by_the_next_build(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root)
    build_dir = root / "build"
    # As if a build died between moving the old site aside and moving the new one in.
    (build_dir / "site").rename(build_dir / ".site-old-99999")
    (build_dir / ".staging-99999").mkdir()

    def failing_scanner(project):
        raise PublishError("scanner unavailable")

    with pytest.raises(PublishError):
        build_fixture(root, stages=fake_stages(leak_scanner=failing_scanner))
    assert (build_dir / "site" / "index.html").is_file()
    assert not list(build_dir.glob(".site-old-*")) and not list(build_dir.glob(".staging-*"))


def test_site_url_is_required_for_the_feed(tmp_path):
    root = copy_fixture(tmp_path)
    partnership = root / "content" / "partnership.yaml"
    partnership.write_text(
        partnership.read_text(encoding="utf-8").replace(
            "  site_url: https://bscp.example.org/\n", ""
        ),
        encoding="utf-8",
    )
    with pytest.raises(PublishError) as caught:
        build_fixture(root)
    assert caught.value.report().startswith(
        "content/partnership.yaml: publication.site_url: is needed for the RSS feed"
    )


def test_build_folder_layout_is_the_shared_one(built):
    site, _ = built
    root = site.parent
    for item in [*LIVE_REVIEWS, BRIEF]:
        folder = root / "anonymised" / item
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            ["document.json", f"{item}.docx", f"{item}.pdf"]
        )
        document = json.loads((folder / "document.json").read_text(encoding="utf-8"))
        assert document["id"] == item
    assert (root / "cache" / "anonymised").is_dir() and (root / "cache" / "render").is_dir()


def test_a_theme_with_no_publications_gets_no_page_and_no_link(built):
    site, _ = built
    # The fixture's vocabulary has 16 themes; neglect and online harm have no live publication.
    for theme in ("neglect", "online-harm"):
        assert not (site / "themes" / theme).exists()
        assert f"themes/{theme}/" not in read_page(site, "themes/").html
    browse = read_page(site, "themes/")
    assert "0 publications" not in browse.text
    assert (site / "themes" / "safe-sleep" / "index.html").is_file()


def test_the_home_page_names_the_three_partners_once(built):
    site, _ = built
    article = read_page(site, "").html.split("<article", 1)[1].split("</article>", 1)[0]
    for partner in (
        "Brackenford Borough Council",
        "NHS Brackenford and Wyvern Integrated Care Board",
        "Wyvern Constabulary",
    ):
        assert article.count(partner) == 1, partner


def test_feed_descriptions_are_the_summary_and_the_type_a_category(built):
    site, _ = built
    items = ET.fromstring((site / "feed.xml").read_bytes()).find("channel").findall("item")
    for item in items:
        description = item.findtext("description")
        kind = item.findall("category")[0].text
        assert not description.startswith(f"{kind}."), description
    lcspr = next(i for i in items if i.findtext("link").endswith("/BSCP-2024-25-03/"))
    assert "Local child safeguarding practice review" in [c.text for c in lcspr.findall("category")]


def test_search_indexes_publications_and_leaves_listing_pages_out(built):
    site, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {f"reviews/{r}/" for r in LIVE_REVIEWS} | {f"briefs/{BRIEF}/"} <= pages
    listing = ("", "reviews/", "briefs/", "themes/", "themes/safe-sleep/", "years/2024/")
    assert not pages & set(listing), pages & set(listing)
    assert not [p for p in pages if p.startswith(("themes/", "years/", "types/", "age-groups/"))]
    boosted = {doc["location"] for doc in index["docs"] if doc.get("boost")}
    assert f"reviews/{LIVE_REVIEWS[0]}/" in boosted


def test_signposting_and_quick_exit_come_from_partnership_yaml_escaped(tmp_path):
    root = copy_fixture(tmp_path)
    settings = root / "content" / "partnership.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace(
        "label: Wyvern Constabulary (not an emergency)", "label: 'Police <b>non-emergency</b>'"
    ).replace(
        "quick_exit_url: https://www.bbc.co.uk/weather", "quick_exit_url: https://example.net/"
    )
    settings.write_text(text, encoding="utf-8")
    build_fixture(root)
    for path in ("", "reviews/BSCP-2024-25-01/", "404.html"):
        page = read_page(root / "build" / "site", path)
        assert "Police &lt;b&gt;non-emergency&lt;/b&gt;" in page.html
        assert page.link("Leave this site (or press Esc twice)") == "https://example.net/"
        assert page.link("01632 960 199") == "tel:01632960199"
