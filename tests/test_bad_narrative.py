"""Hostile or messy narrative: refused by `bscp check` with its line, or shown literally, never run.

Raw HTML, scripts, images and links to anything but https, http and mailto are refused wherever
published Markdown is written: a section file, the catalogue summary, a learning brief's panels.
What passes (template syntax, escaped markup) reaches the website and the Word document as the
literal text the author typed: no template engine (MkDocs' Jinja, docxtpl's Jinja) evaluates it, and
titles are escaped in the page's <title>, headings, the RSS feed, the search index and Word's
properties. The site's own checks are in tests/test_site_security.py and tests/test_site_hardening.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest

from pipeline.content.project import load_project
from pipeline.errors import ContentError
from pipeline.publish.security import site_problems
from pipeline.publish.stages import real_stages
from pipeline.publish.text import render_markdown
from tests.site_support import BRIEF, build_fixture, copy_fixture, fake_stages, read_page

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
FOLDER = "content/reviews/BSCP-2024-25-09"
REVIEW = f"{FOLDER}/review.yaml"
TODAY = dt.date(2025, 2, 1)

RAW_HTML = "raw HTML is not allowed"
IMAGES = "images are not allowed in narrative: they can identify people and cannot be anonymised; describe it in words"


def link(href: str) -> str:
    return f"link to {href[:40]!r} is not allowed: only https, http and mailto links"


# (the attack, as an author or a paste could write it, and what `bscp check` says about it)
ATTACKS = [
    ("raw HTML block", "<div class='x'>Seen at home</div>", f"{RAW_HTML} (\"<div class='x'>"),
    ("a script", "Seen <script>alert(1)</script> at home.", f"{RAW_HTML} ('<script>')"),
    (
        "an inline event handler",
        "Seen <img src=x onerror=alert(1)> at home.",
        f"{RAW_HTML} ('<img src=x onerror=alert(1)>')",
    ),
    ("an iframe", "<iframe src='https://video.example/'></iframe>", RAW_HTML),
    (
        "an unclosed comment",
        "Seen at home. <!-- guidance that is published",
        "a comment is opened with <!-- but never closed with -->",
    ),
    ("javascript: link", "[the plan](javascript:alert(1))", link("javascript:alert(1)")),
    ("mixed-case javascript: link", "[the plan](JaVaScRiPt:alert(1))", link("JaVaScRiPt:alert(1)")),
    (
        "entity-encoded javascript: link",
        "[the plan](&#106;avascript&#58;alert(1))",
        link("javascript:alert(1)"),
    ),
    (
        "hex-entity javascript: link",
        "[the plan](&#x6A;&#x61;vascript:alert(1))",
        link("javascript:alert(1)"),
    ),
    (
        "javascript: link in angle brackets",
        "[the plan](<javascript:alert(1)>)",
        link("javascript:alert(1)"),
    ),
    (
        "javascript: link with a tab",
        "[the plan](<java\tscript:alert(1)>)",
        link("java%09script:alert(1)"),
    ),
    (
        "reference-style javascript: link",
        "[the plan][1]\n\n[1]: javascript:alert(1)",
        link("javascript:alert(1)"),
    ),
    ("javascript: autolink", "<javascript:alert(1)>", link("javascript:alert(1)")),
    ("mixed-case javascript: autolink", "<JaVaScRiPt:alert(1)>", link("JaVaScRiPt:alert(1)")),
    ("vbscript: link", "[the plan](vbscript:msgbox(1))", link("vbscript:msgbox(1)")),
    (
        "data: link",
        "[the plan](data:text/html;base64,PHNjcmlwdD4=)",
        link("data:text/html;base64,PHNjcmlwdD4="),
    ),
    ("data: autolink", "<data:text/html,hi>", link("data:text/html,hi")),
    ("file: link", "[the plan](file:///etc/passwd)", link("file:///etc/passwd")),
    ("an image from another site", "![the home](https://tracker.example/pixel.gif)", IMAGES),
    ("a reference-style image", "![the home][i]\n\n[i]: https://tracker.example/pixel.gif", IMAGES),
    ("a data: image", "![the home](data:image/png;base64,iVBORw0KGgo=)", IMAGES),
    (
        "an image inside a link",
        "[![the home](https://t.example/a.png)](https://example.org/)",
        IMAGES,
    ),
]
IDS = [attack[0] for attack in ATTACKS]


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_project(project / "content", TODAY)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(start))


@pytest.mark.parametrize(("what", "attack", "message"), ATTACKS, ids=IDS)
def test_hostile_markdown_in_a_section_is_refused_on_its_line(
    minimal_project, what, attack, message
):
    summary = minimal_project / FOLDER / "summary.md"
    summary.write_text(
        f"Baby T lived with his mother.\n\n{attack}\n\nMore text.\n", encoding="utf-8"
    )
    found = problems_of(minimal_project)
    assert any(p.startswith(f"{FOLDER}/summary.md:3: summary: {message}") for p in found), found


def _quoted(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar on one line


def _review_with(project: Path, catalogue_summary: str, findings: str) -> Path:
    path = project / REVIEW
    panels = "\n".join(
        f"  {key}: {_quoted(findings if key == 'findings' else 'Text.')}"
        for key in (
            "background",
            "why_it_matters",
            "information",
            "findings",
            "what_should_change",
            "reflection",
            "resources",
        )
    )
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"catalogue:\n  summary: {_quoted(catalogue_summary)}\nlearning_brief:\n{panels}\n",
        encoding="utf-8",
    )
    return path


# A reference definition needs a line of its own: the one-line YAML values below take the rest.
ONE_LINE = [attack for attack in ATTACKS if "\n" not in attack[1]]


@pytest.mark.parametrize(("what", "attack", "message"), ONE_LINE, ids=[a[0] for a in ONE_LINE])
def test_hostile_markdown_in_published_yaml_fields_is_refused(
    minimal_project, what, attack, message
):
    path = _review_with(minimal_project, f"Baby T died. {attack}", f"Findings: {attack}")
    brief = minimal_project / "content" / "briefs" / "BSCP-LB-2025-01" / "brief.yaml"
    brief.parent.mkdir(parents=True)
    text = (BAD / "brief.yaml").read_text(encoding="utf-8")
    brief.write_text(
        re.sub(r"  information: .*", f"  information: {_quoted(attack)}", text), encoding="utf-8"
    )
    found = problems_of(minimal_project)
    expected = [
        f"{REVIEW}:{line_of(path, '  summary:')}: catalogue.summary: {message}",
        f"{REVIEW}:{line_of(path, '  findings:')}: learning_brief.findings: {message}",
        f"content/briefs/BSCP-LB-2025-01/brief.yaml:{line_of(brief, '  information:')}: panels.information: {message}",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in found), (line, found)


# --- What passes is shown literally, on the web and in Word ------------------------------------

TITLE = 'Child T {{ 7*7 }} {% if true %}yes{% endif %} "quoted" & </title><script>alert(1)</script>'
SUMMARY = "Child T {% for x in y %}{{ x }}{% endfor %} {# hidden #} was seriously injured."
POINT = "<img src=x onerror=alert(3)> and {{ 7*7 }} are written here as text"
PANEL = "A panel that says {{ 7*7 }} and {% include 'secret' %}."
LITERALS = [
    "Child T was {{ 7*7 }} years old, the template said.",
    "The plan read {% for x in y %}{{ x }}{% endfor %} in the chronology.",
    "A note {# never shown #} stayed in the text.",
    "Someone typed {{ config.items() }} and ${7*7} and {%raw%} into the record.",
    "An e-mail quoted <script>alert(1)</script> and <img src=x onerror=alert(2)> as text.",
    "{{ 7*7 }} in a code block",
]
CHILD_T = "reviews/BSCP-2024-25-05/"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The site fixture with hostile text in every published field of one review and one brief."""
    root = copy_fixture(tmp_path_factory.mktemp("hostile"))
    folder = root / "content" / "reviews" / "BSCP-2024-25-05"
    review = folder / "review.yaml"
    text = review.read_text(encoding="utf-8")
    text = text.replace('title: "Child T: a rapid review"', f"title: {_quoted(TITLE)}")
    text = re.sub(r"  summary: >-\n(    .*\n)+", f"  summary: {_quoted(SUMMARY)}\n", text)
    text = text.replace("learning_includes: [", f"learning_includes: [{_quoted(POINT)}, ")
    review.write_text(text, encoding="utf-8")
    shutil.copyfile(BAD / "hostile.md", folder / "summary.md")
    brief = root / "content" / "briefs" / BRIEF / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(
        text.replace("  why_it_matters: |\n", f"  why_it_matters: |\n    {PANEL}\n"),
        encoding="utf-8",
    )
    # The real Word templates (docxtpl, Jinja) make the published documents.
    build_fixture(root, stages=fake_stages(render_word=real_stages().render_word))
    return root / "build" / "site"


def test_template_syntax_is_shown_literally_on_the_web(hostile):
    page = read_page(hostile, CHILD_T)
    for literal in [TITLE, SUMMARY, POINT, *LITERALS]:
        assert literal in page.text, literal
    assert "49" not in page.text
    panel = read_page(hostile, f"briefs/{BRIEF}/")
    assert PANEL in panel.text and "49" not in panel.text
    index = json.loads((hostile / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "{% for x in y %}" in texts and "49" not in texts


def test_template_syntax_is_shown_literally_in_word(hostile):
    document = docx.Document(str(hostile / "downloads" / "BSCP-2024-25-05.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    for literal in [TITLE, SUMMARY, POINT, *LITERALS]:
        assert literal in text, literal
    assert "49" not in text
    assert document.core_properties.title == TITLE
    brief = docx.Document(str(hostile / "downloads" / f"{BRIEF}.docx"))
    cells = "\n".join(c.text for t in brief.tables for r in t.rows for c in r.cells)
    assert PANEL in "\n".join(p.text for p in brief.paragraphs) + cells
    assert "49" not in cells


def test_the_title_is_escaped_in_title_heading_feed_and_search_index(hostile):
    source = read_page(hostile, CHILD_T).html
    escaped = "Child T {{ 7*7 }} {% if true %}yes{% endif %} &quot;quoted&quot; &amp; &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    title = re.search(r"<title>(.*?)</title>", source, re.S)
    assert title is not None and title.group(1).startswith(escaped)
    heading = re.search(r'<h1 id="bscp-2024-25-05">(.*?)</h1>', source, re.S)
    assert heading is not None and heading.group(1) == escaped.replace("&quot;", "&#34;")
    feed = ET.parse(hostile / "feed.xml")
    assert TITLE in [item.findtext("title") for item in feed.iter("item")]
    index = json.loads((hostile / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = [doc["title"] for doc in index["docs"] if doc["location"].startswith(CHILD_T)]
    assert titles and all("<script" not in t and "</title" not in t for t in titles)


def test_hostile_text_never_becomes_markup_anywhere_in_the_site(hostile):
    for path in hostile.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "<script>alert" not in source, path
        assert "onerror=" not in source.replace("onerror=alert(2)&gt;", "").replace(
            "onerror=alert(3)&gt;", ""
        ), path
        assert "<img src=x" not in source and '<img src="x"' not in source, path
    assert site_problems(hostile) == []


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](<JaVaScRiPt:alert(1)>)",
        "<javascript:alert(1)>",
        "[x][1]\n\n[1]: javascript:alert(1)",
        "[x](data:text/html,hi)",
        "<script>alert(1)</script>",
        "<a href='javascript:alert(1)'>x</a>",
    ],
)
def test_the_web_renderer_never_makes_a_script_link_or_tag(markdown):
    # Defence in depth: `bscp check` refuses all of these before they get here.
    html = str(render_markdown(markdown)).lower()
    assert "<script" not in html and '<a href="javascript' not in html and 'href="data:' not in html
    assert "<a href='javascript" not in html
