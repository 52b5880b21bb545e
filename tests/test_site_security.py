"""Security and privacy checks of a built site, and the site config that keeps it private."""

from __future__ import annotations

import shutil

import pytest

from pipeline.build import build
from pipeline.content.project import load_project
from pipeline.errors import PublishError
from pipeline.publish.mkdocs_site import load_base_config
from pipeline.publish.security import (
    CONTENT_SECURITY_POLICY,
    Findings,
    css_problems,
    page_problems,
    script_problems,
    site_problems,
)
from tests.site_support import SITE_SOURCE, TODAY, build_fixture, copy_fixture, fake_stages

CSP = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'


def page(body: str, head: str = "") -> str:
    return f"<html><head>{CSP}{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        (page('<img src="https://tracker.example/p.gif">'), "<img src> fetches"),
        (page('<img srcset="a.png 1x, //cdn.example/b.png 2x">'), "<img srcset> fetches"),
        (
            page("", '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'),
            "<link href>",
        ),
        (page("", '<link rel="preconnect" href="https://fonts.gstatic.com">'), "<link href>"),
        (page('<script src="https://cdn.example/x.js"></script>'), "<script src> fetches"),
        (page('<iframe src="https://video.example/embed"></iframe>'), "<iframe src> fetches"),
        (page("<script>alert(1)</script>"), "inline <script>"),
        (page('<a href="#" onclick="steal()">x</a>'), "inline event handler (onclick)"),
        (page('<a href="javascript:alert(1)">x</a>'), "runs a script URL"),
        (page('<div style="background: url(https://t.example/x.png)">x</div>'), "inline style"),
        (page("<style>@import 'https://t.example/x.css';</style>"), "<style>"),
        (
            page('<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">'),
            "refreshes",
        ),
        ("<html><head></head><body></body></html>", "has no Content-Security-Policy"),
        (
            page("").replace(CONTENT_SECURITY_POLICY, "default-src *"),
            "a Content-Security-Policy other than the site's",
        ),
        (
            f'<html><head><script src="a.js"></script>{CSP}</head></html>',
            "loads a script before its Content-Security-Policy",
        ),
        (page('<div class="mermaid">graph</div>'), "Mermaid"),
    ],
)
def test_page_problems_are_found(html, problem):
    problems, _ = page_problems(html)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    "html",
    [
        page('<a href="https://www.gov.uk/">a link people click is not a request</a>'),
        page('<a href="mailto:unit@example.org">mail</a>'),
        page('<script id="__config" type="application/json">{"base": "."}</script>'),
        page('<script src="../assets/x.js"></script>'),
        page('<img src="data:image/png;base64,AAAA">'),
        page('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0"/></svg>'),
        page("", '<link rel="alternate" type="application/rss+xml" href="feed.xml">'),
    ],
)
def test_pages_that_stay_on_the_machine_pass(html):
    problems, _ = page_problems(html)
    assert problems == []


@pytest.mark.parametrize(
    ("css", "bad"),
    [
        ("body { background: url(https://t.example/a.png) }", True),
        ("@import url('//cdn.example/a.css');", True),
        ('@import "https://cdn.example/a.css";', True),
        (
            "a { mask-image: url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>\") }",
            False,
        ),
        ("a { background: url(../images/x.png) }", False),
    ],
)
def test_style_sheets_may_not_load_from_elsewhere(css, bad):
    assert bool(css_problems(css)) is bad


def test_unknown_urls_in_scripts_fail_until_someone_says_why_they_are_inert():
    assert script_problems('fetch("https://analytics.example/collect")')
    assert script_problems('x="https://unpkg.com/mermaid@11/dist/mermaid.min.js"') == []
    assert script_problems('x="http://www.w3.org/2000/svg"') == []


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    root = copy_fixture(tmp_path_factory.mktemp("security"))
    build_fixture(root)
    return root / "build" / "site"


def copy_of(site, tmp_path):
    shutil.copytree(site, tmp_path / "build" / "site")
    return tmp_path / "build" / "site"


def test_a_copy_of_a_redaction_report_in_the_site_is_found(good_site, tmp_path):
    root = tmp_path
    site = copy_of(good_site, tmp_path)
    reports = root / "build" / "reports"
    reports.mkdir()
    (reports / "BSCP-2024-25-01.json").write_text('{"findings": []}', encoding="utf-8")
    shutil.copyfile(reports / "BSCP-2024-25-01.json", site / "assets" / "data.json")
    (site / "confidential").mkdir()
    (site / "confidential" / "note.txt").write_text("x", encoding="utf-8")
    problems = dict(site_problems(site, [reports, root / "build" / "confidential"]))
    assert problems["assets/data.json"].startswith("is a copy of a confidential document")
    assert problems["confidential/note.txt"] == "a confidential or report folder is in the site"


def test_broken_internal_links_are_found(good_site, tmp_path):
    site = copy_of(good_site, tmp_path)
    shutil.rmtree(site / "years" / "2024")
    problems = site_problems(site)
    assert problems == [("years/index.html", "links to '../years/2024/', which is not in the site")]


def test_findings_remembered_from_the_last_build_still_catch_what_changed(good_site, tmp_path):
    site = copy_of(good_site, tmp_path)
    remembered = Findings()
    assert site_problems(site, findings=remembered) == []
    again = Findings(remembered.now)
    # A page that changed is read again; a page that did not still has its links checked.
    page = site / "reviews" / "BSCP-2024-25-01" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"),
        encoding="utf-8",
    )
    shutil.rmtree(site / "years" / "2024")
    problems = site_problems(site, findings=again)
    assert (
        "reviews/BSCP-2024-25-01/index.html",
        "has an inline <script> (not allowed by the policy)",
    ) in problems
    assert (
        "years/index.html",
        "links to '../years/2024/', which is not in the site",
    ) in problems
    # Only what is in the site now is remembered for the next build: the changed page's new text
    # (with its problem) and not its old text.
    assert len(set(again.now) - set(remembered.now)) == 1
    assert len(set(remembered.now) - set(again.now)) >= 1


def test_the_built_fixture_site_passes_every_check(good_site):
    assert site_problems(good_site, base_path="/") == []


# --- The site config ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("  font: false\n", "  font:\n    text: Roboto\n"), "theme.font", "must be false"),
        (("  - search:\n", "  - privacy\n  - search:\n"), "plugins", "'privacy' is not allowed"),
        (("use_directory_urls: true\n", "use_directory_urls: true\nnav: []\n"), "nav", "is set by"),
        (
            (
                "use_directory_urls: true\n",
                "use_directory_urls: true\nrepo_url: https://x.example\n",
            ),
            "repo_url",
            "fetch repository facts",
        ),
        (
            ("use_directory_urls: true\n", "use_directory_urls: true\nhooks: [x.py]\n"),
            "hooks",
            "safety checks live in the pipeline",
        ),
        (("      lang: en\n", "      lang: fr\n"), "plugins.search.lang", "must be en"),
    ],
)
def test_site_config_refuses_what_would_break_privacy(tmp_path, change, field, message):
    text = (SITE_SOURCE / "mkdocs.yml").read_text(encoding="utf-8")
    assert change[0] in text
    config = tmp_path / "mkdocs.yml"
    config.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        load_base_config(config)
    problems = [p for p in caught.value.problems if p.field == field]
    assert problems and message in problems[0].message


def test_site_config_is_plain_yaml(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("theme: !!python/name:os.system\n", encoding="utf-8")
    with pytest.raises(PublishError, match="python tags are not allowed"):
        load_base_config(config)


def _build_with_site_config(tmp_path, old: str, new: str) -> str:
    root = copy_fixture(tmp_path)
    site_source = tmp_path / "site-source"
    shutil.copytree(SITE_SOURCE, site_source)
    config = site_source / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")
    project = load_project(root / "content", TODAY)
    with pytest.raises(PublishError) as caught:
        build(project, root, stages=fake_stages(), site_source=site_source)
    return caught.value.report()


def test_an_error_from_mkdocs_fails_the_build_with_its_message(tmp_path):
    report = _build_with_site_config(
        tmp_path, "  - attr_list\n", "  - attr_list\n  - no_such_extension\n"
    )
    assert "mkdocs.yml: mkdocs:" in report
    assert "no_such_extension" in report


def test_a_stylesheet_missing_from_the_site_fails_the_build(tmp_path):
    report = _build_with_site_config(tmp_path, "extra_css:\n", "extra_css:\n  - missing.css\n")
    assert "build/site/index.html: links to 'missing.css', which is not in the site" in report
