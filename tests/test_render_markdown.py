"""Narrative Markdown becomes the template's real Word styles, lists and links; nothing else gets in."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn

from pipeline.errors import ContentError
from pipeline.render.markdown_docx import to_xml_string
from tests.fixtures.render.support import convert

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(
    ("markdown", "options", "expected"),
    [
        ("Plain text.", {}, ["Normal | Plain text."]),
        (
            "# Top\n\n## Next\n\n### Third",
            {},
            ["Heading 2 | Top", "Heading 3 | Next", "Heading 4 | Third"],
        ),
        ("# Top", {"heading_base": 0}, ["Heading 1 | Top"]),
        ("# Top\n\n###### Deep", {"heading_base": 2}, ["Heading 3 | Top", "Heading 6 | Deep"]),
        (
            "- one\n  - two\n    - three\n- four",
            {},
            [
                "List Bullet #0 | one",
                "List Bullet #1 | two",
                "List Bullet #2 | three",
                "List Bullet #0 | four",
            ],
        ),
        (
            "1. one\n   1. inner\n2. two\n\n   more about two",
            {},
            [
                "List Number #0 | one",
                "List Number #1 | inner",
                "List Number #0 | two",
                "Normal | more about two",
            ],
        ),
        ("> quoted\n> still", {}, ["Quote | quoted still"]),
        ("```\nline {{ a }}\n  indented\n```", {}, ["Normal | line {{ a }}\n  indented"]),
        ("Inline `code` here", {}, ["Normal | Inline code here"]),
        ("one  \ntwo", {}, ["Normal | one\ntwo"]),
        ("", {}, ["Normal | Not recorded."]),
        ("", {"empty": "Not applicable."}, ["Normal | Not applicable."]),
        ("- item", {"cell": "Table"}, ["Table List Bullet #0 | item"]),
        ("text", {"cell": "Table"}, ["Table Text | text"]),
        (
            "1. item\n\n   more",
            {"cell": "Panel"},
            ["Panel List Number #0 | item", "Panel Text | more"],
        ),
        (
            "| A | B |\n|---|--:|\n| 1 | 2 |",
            {},
            [{"table": [["A", "B"], ["1", "2"]]}, "Normal | "],
        ),
        ("[relative](other.md) link", {}, ["Normal | relative link"]),
        (
            "Braces {{ 7*7 }} and {% for x in y %}{% endfor %} and {# c #}",
            {},
            ["Normal | Braces {{ 7*7 }} and {% for x in y %}{% endfor %} and {# c #}"],
        ),
    ],
)
def test_markdown_becomes_styled_paragraphs(markdown, options, expected):
    lines, _ = convert(markdown, **options)
    assert lines == expected


def _paragraphs(document):
    return document.element.body.findall(qn("w:p"))


def _num_ids(document):
    return [
        p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        for p in _paragraphs(document)
        if p.find(f"{W}pPr/{W}numPr") is not None
    ]


def test_every_list_is_its_own_numbering_instance_and_restarts():
    _, document = convert("1. a\n2. b\n\nBetween.\n\n1. c\n2. d\n\nAgain.\n\n7. seven\n")
    ids = _num_ids(document)
    assert ids[0] == ids[1] and ids[2] == ids[3] and len({ids[0], ids[2], ids[4]}) == 3
    numbering = document.part.numbering_part.element
    for num_id, start in ((ids[0], "1"), (ids[2], "1"), (ids[4], "7")):
        num = numbering.find(f'{W}num[@{W}numId="{num_id}"]')
        override = num.find(f'{W}lvlOverride[@{W}ilvl="0"]/{W}startOverride')
        assert override.get(f"{W}val") == start
        abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
        definition = numbering.find(f'{W}abstractNum[@{W}abstractNumId="{abstract}"]')
        assert definition.find(f'{W}lvl[@{W}ilvl="0"]/{W}numFmt').get(f"{W}val") == "decimal"


def test_bullets_use_the_templates_bullet_definition():
    _, document = convert("- a\n  - b")
    numbering = document.part.numbering_part.element
    for num_id in _num_ids(document):
        abstract = numbering.find(f'{W}num[@{W}numId="{num_id}"]/{W}abstractNumId').get(f"{W}val")
        definition = numbering.find(f'{W}abstractNum[@{W}abstractNumId="{abstract}"]')
        assert definition.find(f'{W}lvl[@{W}ilvl="1"]/{W}numFmt').get(f"{W}val") == "bullet"


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [("**bold**", "b"), ("*italic*", "i"), ("~~gone~~", "strike"), ("***both***", "b")],
)
def test_inline_formatting_is_run_properties(markdown, tag):
    _, document = convert(markdown)
    run = _paragraphs(document)[0].find(f"{W}r")
    assert run.find(f"{W}rPr/{W}{tag}") is not None


def test_links_are_real_hyperlinks_with_a_relationship():
    _, document = convert("See [the guidance](https://bscp.example.org/guidance).")
    link = _paragraphs(document)[0].find(f"{W}hyperlink")
    r_id = link.get(qn("r:id"))
    rel = document.part.rels[r_id]
    assert rel.is_external and rel.target_ref == "https://bscp.example.org/guidance"
    assert link.find(f"{W}r/{W}rPr/{W}rStyle").get(f"{W}val") == "Hyperlink"
    assert "".join(t.text for t in link.iter(f"{W}t")) == "the guidance"


def test_table_header_row_repeats_on_each_page():
    _, document = convert("| A | B |\n|---|---|\n| 1 | 2 |")
    table = document.element.body.find(qn("w:tbl"))
    rows = table.findall(qn("w:tr"))
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert rows[1].find(f"{W}trPr/{W}tblHeader") is None
    assert table.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "BSCPTable"


def test_block_xml_writes_braces_as_references():
    from pipeline.render.markdown_docx import MarkdownBlock
    from tests.fixtures.render.support import blank_document

    _, target = blank_document()
    xml = MarkdownBlock("{{ 7*7 }} {% if x %} {# c #}", target, "summary.md").__html__()
    assert "{" not in xml and "}" not in xml
    assert "&#123;&#123; 7*7 &#125;&#125;" in xml
    assert to_xml_string([]) == ""


@pytest.mark.parametrize(
    ("markdown", "line", "words"),
    [
        ("Fine.\n\n<div>raw</div>\n", 3, "raw HTML is not allowed ('<div>raw</div>')"),
        ("One\ntwo <b>bold</b>\n", 2, "raw HTML is not allowed ('<b>')"),
        ("![a photo](photo.jpg)", 1, "images are not allowed"),
    ],
)
def test_html_and_images_are_refused_naming_file_and_line(markdown, line, words):
    with pytest.raises(ContentError) as caught:
        convert(markdown, line=10)
    problem = caught.value.problems[0]
    assert problem.path == "content/reviews/X/summary.md"
    assert problem.line == 9 + line
    assert words in problem.message


def test_control_characters_cannot_break_the_xml():
    lines, _ = convert("bell\x07 and form\x0cfeed")
    assert lines == ["Normal | bell and formfeed"]
