"""Golden outputs: the fixture reviews rendered and compared by text and styles, not zip bytes.

When a change to the templates or the converter is intended, regenerate the expected files with

    BSCP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py

and review the diff of tests/golden/render/ before committing it.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from docx import Document

from pipeline.published import review_document
from pipeline.render import render_brief_docx, render_published, render_review
from pipeline.render.readback import outline
from tests.fixtures.render.support import EARLY, FULL, load

GOLDEN = Path(__file__).resolve().parent / "golden" / "render"
UPDATE = os.environ.get("BSCP_UPDATE_GOLDEN") == "1"


def _render_all(out: Path) -> dict[str, bytes]:
    project = load()
    paths = render_review(project, project.review(FULL), out)
    paths += render_review(project, project.review(EARLY), out)
    doc = review_document(project.review(FULL), project)
    paths.append(render_published(project, doc, out / f"{FULL}-published.docx"))
    paths.append(render_brief_docx(project, doc, out / f"{FULL}-learning-brief.docx"))
    return {p.stem: p.read_bytes() for p in paths}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, bytes]:
    return _render_all(tmp_path_factory.mktemp("golden"))


NAMES = [
    f"{FULL}-rapid-review",
    f"{FULL}-sin-record",
    f"{FULL}-terms-of-reference",
    f"{FULL}-published",
    f"{FULL}-learning-brief",
    f"{EARLY}-rapid-review",
    f"{EARLY}-sin-record",
]


def test_the_fixture_renders_exactly_these_documents(rendered):
    assert sorted(rendered) == sorted(NAMES)
    if not UPDATE:
        assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(NAMES), (
            "tests/golden/render/ holds other documents than the fixture renders"
        )


@pytest.mark.parametrize("name", NAMES)
def test_document_matches_its_golden_outline(rendered, name):
    actual = outline(rendered[name])
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, (
        f"{name} differs from {path.relative_to(GOLDEN.parents[2])}; if the change is intended, "
        "regenerate with BSCP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py"
    )


@pytest.mark.parametrize("name", NAMES)
def test_headings_and_lists_are_real_word_structure(rendered, name):
    document = Document(io.BytesIO(rendered[name]))
    paragraphs = list(document.paragraphs) + [
        p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs
    ]
    styles = {p.style.name for p in paragraphs}
    assert "Title" in styles
    assert "Heading 1" in styles or "Heading 2" in styles
    for paragraph in paragraphs:
        name_ = paragraph.style.name
        if name_.startswith(("Heading", "Title")):
            assert paragraph.style.style_id in {"Title", *(f"Heading{n}" for n in range(1, 7))}
        if "List" in name_:
            assert paragraph._p.pPr.numPr is not None, (name, paragraph.text)


def test_the_rapid_review_has_every_section_and_the_sign_off_table(rendered):
    document = Document(io.BytesIO(rendered[f"{FULL}-rapid-review"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Review details",
        "The child and household",
        "The incident",
        "Agencies involved and period covered",
        "Summary of circumstances",
        "Analysis",
        "Good practice",
        "Immediate actions and learning already shared",
        "Emerging learning",
        "Decision and rationale",
        "Key lines of enquiry",
        "Parallel processes",
        "Family involvement",
        "Questions from the Panel",
        "Sign-off by the safeguarding partners",
    ]
    sign_off = document.tables[-1]
    assert [c.text for c in sign_off.rows[0].cells] == ["Partner", "Name", "Role", "Date"]
    assert [r.cells[1].text for r in sign_off.rows[1:]] == [
        "Morgan Ellery",
        "Priya Nandakumar",
        "Sam Okonedo-Reed",
    ]
    assert sign_off.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_the_published_review_holds_nothing_confidential(rendered):
    project = load()
    review = project.review(FULL).review
    secrets = [n for p in review.people for n in p.names]
    secrets += [s.name for _, s in review.sign_offs if s]
    secrets += [
        review.notification.reference,
        "OFFICIAL-SENSITIVE",
        "White British",
        "3 August 2024",
    ]
    secrets += ["police investigation", "agreed to meet the lead reviewer"]  # confidential sections
    for name in (f"{FULL}-published", f"{FULL}-learning-brief"):
        text = json.dumps(outline(rendered[name]), ensure_ascii=False)
        leaked = [s for s in secrets if s in text]
        assert not leaked, (name, leaked)
