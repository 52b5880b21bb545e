"""The published site, checked from outside: what a browser would load and run, and what it holds.

`tests/test_site_security.py` tests the security checks one rule at a time; here the built site is
read with this file's own parser (so a check removed from `pipeline/publish/security.py` is still
noticed), the checks added for this suite get their rows, and text that got past every check at
load (as if a stage had a bug) must come out escaped or stop the build.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.content.project import load_project
from pipeline.errors import LeakError, PublishError
from pipeline.publish.security import CONTENT_SECURITY_POLICY, page_problems, site_problems
from pipeline.published import PublishedSection
from tests.site_support import (
    DRAFT,
    SITE_SOURCE,
    TODAY,
    build_fixture,
    copy_fixture,
    fake_stages,
    identity_anonymise,
)
from tests.test_site_security import CSP, page


class _Audit(HTMLParser):
    """What a browser would run or fetch on one page, read independently of the pipeline's check."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.policies: list[tuple[str, bool]] = []  # (policy, inside <head>)
        self.inline_scripts = 0
        self.head = False

    def handle_starttag(self, tag, attrs):
        self.head = tag == "head" or (self.head and tag != "body")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if value and "".join(value.split()).lower().startswith(("javascript:", "vbscript:")):
                self.script_urls.append(f"<{tag} {name}>")
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append((values.get("content") or "", self.head))
        if tag == "script" and "src" not in values and values.get("type") != "application/json":
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "head":
            self.head = False


def audit(source: str) -> _Audit:
    parser = _Audit()
    parser.feed(source)
    return parser


def policy_sources(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.split()}


def every_text(site: Path) -> dict[str, str]:
    """Return the text of every file of the site, unpacking what is compressed or zipped."""
    texts = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"\n".join(archive.read(name) for name in archive.namelist())
        texts[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace")
    return texts


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_fixture(tmp_path_factory.mktemp("hardening"))
    # The draft is ready in every way but its status: that alone must keep it off the site.
    draft = root / "content" / "reviews" / DRAFT / "review.yaml"
    text = draft.read_text(encoding="utf-8").replace(
        "  sin_submitted: 2025-06-04\n", "  sin_submitted: 2025-06-04\n  published: 2025-06-10\n"
    )
    draft.write_text(text + 'catalogue:\n  summary: "Draft catalogue entry."\n', encoding="utf-8")
    build_fixture(root)
    return root / "build" / "site"


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) >= 29
    return found


def test_every_page_carries_a_policy_in_its_head_that_forbids_loading_from_elsewhere(site):
    for path in pages(site):
        policies = audit(path.read_text(encoding="utf-8")).policies
        assert len(policies) == 1, path
        policy, in_head = policies[0]
        assert in_head, f"{path}: a policy outside <head> is ignored by browsers"
        sources = policy_sources(policy)
        assert sources["default-src"] == ["'self'"] and sources["object-src"] == ["'none'"]
        for directive, allowed in sources.items():
            extra = {"data:"} if directive == "img-src" else set()
            assert set(allowed) <= {"'self'", "'none'"} | extra, (path, directive, allowed)


def test_no_page_runs_anything_inline_or_from_a_script_link(site):
    for path in pages(site):
        found = audit(path.read_text(encoding="utf-8"))
        assert found.handlers == [] and found.script_urls == [] and found.inline_scripts == 0, path


def test_no_source_maps_are_published(site):
    assert [p for p in site.rglob("*") if p.suffix == ".map"] == []


def test_a_draft_never_appears_anywhere_in_the_site(site):
    root = site.parent.parent
    draft = load_project(root / "content", TODAY).review(DRAFT)
    assert draft.review.status.value == "draft"
    marks = [DRAFT, draft.review.title, draft.section_text("summary").strip(), "Draft catalogue"]
    assert all(marks)
    for name, text in every_text(site).items():
        for mark in marks:
            assert mark not in text, f"{name} shows the draft ({mark!r})"


def test_nothing_from_content_reports_or_confidential_folders_is_in_the_site(site):
    root = site.parent.parent
    private = {
        hashlib.sha256(p.read_bytes()).hexdigest(): p
        for folder in (
            root / "content",
            root / "build" / "reports",
            root / "build" / "confidential",
        )
        if folder.is_dir()
        for p in folder.rglob("*")
        if p.is_file()
    }
    assert len(private) > 10
    for path in site.rglob("*"):
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in private, path
            assert path.suffix not in (".yaml", ".yml", ".md"), path


# --- The checks added for this suite, one row each ------------------------------------------------


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        (
            f"<html><head></head><body>{CSP}</body></html>",
            "has its Content-Security-Policy outside <head>, where browsers ignore it",
        ),
        (page('<a href="java&#x09;script:alert(1)">x</a>'), "<a href> runs a script URL"),
        (page('<a href="&#x01; javascript:alert(1)">x</a>'), "<a href> runs a script URL"),
        (page('<a href="JaVa\nScRiPt:alert(1)">x</a>'), "<a href> runs a script URL"),
        (page('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'), "<a href> opens a data: URL"),
        (page('<iframe src="../report.html"></iframe>'), "<iframe> embeds another document"),
        (
            page('<iframe srcdoc="<p>x</p>"></iframe>'),
            "<iframe> embeds a document of its own (srcdoc)",
        ),
        (page('<object data="x.pdf"></object>'), "<object> embeds another document"),
        (page('<embed src="x.pdf">'), "<embed> embeds another document"),
        (page("", '<base href="https://elsewhere.example/">'), "<base> changes where every link"),
        (
            page("").replace("default-src 'self'", "default-src *"),
            "its Content-Security-Policy must start from default-src 'self'",
        ),
    ],
)
def test_the_added_page_checks(html, problem):
    problems, _ = page_problems(
        html,
        html.split('content="')[1].split('"')[0] if "content=" in html else CONTENT_SECURITY_POLICY,
    )
    assert any(problem in p for p in problems), problems


def test_a_weakened_policy_is_refused_even_when_every_page_carries_it():
    weak = CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline' https://cdn.example"
    )
    problems, _ = page_problems(page("").replace(CONTENT_SECURITY_POLICY, weak), weak)
    assert "its Content-Security-Policy allows 'unsafe-inline' in script-src" in problems
    assert "its Content-Security-Policy allows https://cdn.example in script-src" in problems


# --- Text that got past the checks at load ----------------------------------------------------------

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '<a href="javascript:alert(3)">x</a>',
    "[click](javascript:alert(4))",
    "<javascript:alert(5)>",
    "<svg onload=alert(6)>",
]


def injecting(*extra: str):
    """An anonymiser with a bug: it adds hostile Markdown to every review it returns."""

    def anonymise(project, entry):
        out = identity_anonymise(project, entry)
        if out.document.kind != "review":
            return out
        added = PublishedSection(
            "summary", "Summary of circumstances", "\n\n".join([*HOSTILE, *extra])
        )
        return dataclasses.replace(
            out,
            document=dataclasses.replace(
                out.document, sections=(added, *out.document.sections[1:])
            ),
        )

    return anonymise


def test_hostile_markup_past_the_checks_is_published_as_text(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root, stages=fake_stages(anonymise=injecting()))
    for path in pages(root / "build" / "site"):
        found = audit(path.read_text(encoding="utf-8"))
        assert found.handlers == [] and found.script_urls == [] and found.inline_scripts == 0, path
    text = (root / "build/site/reviews/BSCP-2024-25-05/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_an_image_from_another_site_past_the_checks_stops_the_build(tmp_path):
    root = copy_fixture(tmp_path)
    with pytest.raises(PublishError) as caught:
        build_fixture(
            root, stages=fake_stages(anonymise=injecting("![x](https://tracker.example/p.gif)"))
        )
    assert (
        "build/site/reviews/BSCP-2024-25-05/index.html: <img src> fetches "
        "'https://tracker.example/p.gif' from another site"
    ) in caught.value.report()
    assert not (root / "build" / "site").exists()


# --- What must never be copied into the site --------------------------------------------------------


def site_source_with(tmp_path: Path, name: str, data: bytes) -> Path:
    source = tmp_path / "site-source"
    shutil.copytree(SITE_SOURCE, source)
    (source / "assets" / name).write_bytes(data)
    return source


@pytest.mark.parametrize(
    ("name", "copied"),
    [
        ("report.html", "build/reports/BSCP-2024-25-05.html"),
        ("notes.md", "content/reviews/BSCP-2024-25-01/parallel-processes.md"),
        ("review.yaml", "content/reviews/BSCP-2024-25-05/review.yaml"),
    ],
    ids=["a redaction report", "a confidential section", "a review's facts"],
)
def test_a_private_file_put_in_the_site_assets_stops_the_build(tmp_path, name, copied):
    root = copy_fixture(tmp_path / "project")
    reports = root / "build" / "reports"
    reports.mkdir(parents=True)
    (reports / "BSCP-2024-25-05.html").write_text(
        "<html><body>Redaction report: Tyrese Okonkwo-Bramley became Child T.</body></html>",
        encoding="utf-8",
    )
    source = site_source_with(tmp_path, name, (root / copied).read_bytes())
    project = load_project(root / "content", TODAY)
    from pipeline.build import build

    with pytest.raises((PublishError, LeakError)) as caught:
        build(project, root, stages=fake_stages(), site_source=source)
    assert f"assets/{name}" in caught.value.report()
    assert not (root / "build" / "site").exists()


def test_a_source_map_in_the_site_is_refused(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "bundle.js.map").write_text('{"version": 3}', encoding="utf-8")
    assert site_problems(tmp_path) == [("assets/bundle.js.map", "source maps are not published")]


def test_partnership_text_is_shown_as_text_not_read_as_markdown(tmp_path):
    # The partnership's name and address reach pages the content does not: they are text too.
    root = copy_fixture(tmp_path)
    partnership = root / "content" / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    name = "Brackenford [SCP](javascript:alert(1)){: onclick=alert(2) } Partnership"
    email = "unit@example.org){: onclick=alert(3) }"
    text = re.sub(r"^name: .*$", f"name: '{name}'", text, flags=re.M)
    text = re.sub(r"contact_email: .*", f"contact_email: '{email}'", text)
    partnership.write_text(text, encoding="utf-8")
    build_fixture(root)
    site = root / "build" / "site"
    for path in pages(site):
        found = audit(path.read_text(encoding="utf-8"))
        assert found.handlers == [] and found.script_urls == [], path
    statement = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert f"This website is run by {name}." in statement
    assert f">{email}</a>" in statement
