"""Headings and the sentences that introduce a table stay on the page of what follows them in Word."""

from __future__ import annotations

import io
import itertools

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from pipeline.render import render_review
from pipeline.render.documents import STOCK_TEMPLATES
from tests.fixtures.render.support import FULL, convert, load

TEMPLATES = sorted(p.name for p in STOCK_TEMPLATES.glob("*.docx"))


def keeps_with_next(paragraph: Paragraph) -> bool:
    """Return True when Word keeps this paragraph with the next (directly or by its style)."""
    style = paragraph.style
    while style is not None:
        if paragraph.paragraph_format.keep_with_next or style.paragraph_format.keep_with_next:
            return True
        style = style.base_style
    return False


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_heading_style_keeps_with_the_next_paragraph(template: str) -> None:
    document = Document(str(STOCK_TEMPLATES / template))
    for level in range(1, 7):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next, level


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list:
    project = load()
    out = tmp_path_factory.mktemp("keep")
    return [Document(str(p)) for p in render_review(project, project.review(FULL), out)]


def _before_tables(document) -> list[Paragraph]:
    body = list(document.element.body.iterchildren())
    return [
        Paragraph(element, document)
        for element, following in itertools.pairwise(body)
        if element.tag == qn("w:p") and following.tag == qn("w:tbl")
    ]


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_sentence_that_introduces_a_table_in_a_template_keeps_with_it(template: str) -> None:
    document = Document(str(STOCK_TEMPLATES / template))
    for paragraph in _before_tables(document):
        text = paragraph.text.strip()
        if text and not text.startswith("{%"):
            assert keeps_with_next(paragraph), text[:60]


def test_no_heading_is_left_alone_at_the_foot_of_a_page_before_its_table(rendered) -> None:
    headings = [
        p
        for document in rendered
        for p in _before_tables(document)
        if p.style.name.startswith("Heading")
    ]
    assert len(headings) >= 10
    assert all(keeps_with_next(p) for p in headings)


def test_a_table_header_row_keeps_with_its_first_row(rendered) -> None:
    headers = [
        row
        for document in rendered
        for table in document.tables
        for row in table.rows
        if row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    ]
    assert headers
    for row in headers:
        for cell in row.cells:
            assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)


@pytest.mark.parametrize(
    ("markdown", "kept"),
    [
        ("The agencies involved were:\n\n- Police\n- Health visiting\n", True),
        ("**Health visiting**\n\nThree visits were missed.\n", True),
        ("Three visits were missed.\n\nThe next was not booked.\n", False),
    ],
)
def test_a_lead_in_sentence_keeps_with_what_it_introduces(markdown: str, kept: bool) -> None:
    _, document = convert(markdown)
    first = document.paragraphs[0]
    assert first.paragraph_format.keep_with_next is (True if kept else None)


def test_templates_are_regenerated_with_the_keep_settings() -> None:
    # The stock templates in git are what make_templates.py writes (the renderer's tests read them).
    data = (STOCK_TEMPLATES / "rapid-review.docx").read_bytes()
    document = Document(io.BytesIO(data))
    facts = document.tables[0]
    assert all(
        p.paragraph_format.keep_with_next
        for row in facts.rows[:-1]
        for c in row.cells
        for p in c.paragraphs
    )
