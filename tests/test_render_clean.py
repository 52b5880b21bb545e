"""Rendered files are clean: the pipeline's properties, no comments, no tracked changes, no names."""

from __future__ import annotations

import getpass
import io
import re
import zipfile

import pytest
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.published import review_document
from pipeline.render import render_brief_docx, render_published, render_review
from tests.fixtures.render.support import EARLY, FULL, load, project_with_template

EDITOR = "Jane Templateeditor"
LITERAL_CONTENT = ("{{ 7*7 }}", "{% for x in y %}", "{% endfor %}", "{# note #}", "{{ not_a_tag }}")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("clean")
    project = load()
    paths = render_review(project, project.review(FULL), out)
    paths += render_review(project, project.review(EARLY), out)
    doc = review_document(project.review(FULL), project)
    paths.append(render_published(project, doc, out / "published.docx"))
    paths.append(render_brief_docx(project, doc, out / "brief.docx"))
    return {p.name: p.read_bytes() for p in paths}


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def test_every_document_is_rendered(rendered):
    assert sorted(rendered) == sorted(
        [
            f"{FULL}-rapid-review.docx",
            f"{FULL}-sin-record.docx",
            f"{FULL}-terms-of-reference.docx",
            f"{EARLY}-rapid-review.docx",
            f"{EARLY}-sin-record.docx",
            "published.docx",
            "brief.docx",
        ]
    )


def test_properties_are_the_pipelines_and_dated_from_content(rendered):
    for name, data in rendered.items():
        core = Document(io.BytesIO(data)).core_properties
        assert core.author == "Brackenford Safeguarding Children Partnership", name
        assert core.last_modified_by == core.author
        assert core.revision == 1
        assert core.language == "en-GB"
        assert core.title and core.subject
        assert core.comments == "" and core.last_printed is None
        app = _parts(data)["docProps/app.xml"]
        assert "<Company>Brackenford Safeguarding Children Partnership</Company>" in app
        assert "<Application>bscp pipeline</Application>" in app
    full = Document(io.BytesIO(rendered[f"{FULL}-rapid-review.docx"])).core_properties
    # The latest date recorded in the review (the Panel's question was answered on 12 February).
    assert full.created.date().isoformat() == full.modified.date().isoformat() == "2025-02-12"
    assert full.title == f"Rapid review: {FULL}"


def test_no_machine_user_name_in_the_properties(rendered):
    user = getpass.getuser()
    for data in rendered.values():
        parts = _parts(data)
        for name in ("docProps/core.xml", "docProps/app.xml"):
            assert not re.search(rf"\b{re.escape(user)}\b", parts[name]), (name, user)


def test_no_comments_tracked_changes_or_custom_xml(rendered):
    for name, data in rendered.items():
        parts = _parts(data)
        assert not [
            p for p in parts if re.search(r"comments|people|customXml|custom\.xml|thumbnail", p)
        ], name
        for part, xml in parts.items():
            assert not re.search(
                r"<w:(ins|del|moveFrom|moveTo|commentReference|commentRangeStart)\b", xml
            ), (name, part)


def test_no_template_tags_remain_except_literal_content(rendered):
    for name, data in rendered.items():
        for part, xml in _parts(data).items():
            if not part.startswith("word/"):
                continue
            text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
            for literal in LITERAL_CONTENT:
                text = text.replace(literal, "")
            assert not re.search(r"\{\{|\{%|\{#|%\}", text), (name, part, text[:200])


def test_confidential_documents_carry_the_marking_in_header_and_footer(rendered):
    for name, data in rendered.items():
        document = Document(io.BytesIO(data))
        section = document.sections[0]
        header = "\n".join(p.text for p in section.header.paragraphs)
        footer = "\n".join(p.text for p in section.footer.paragraphs)
        marked = name.startswith("BSCP-")
        assert ("OFFICIAL-SENSITIVE" in header) is marked, name
        assert ("OFFICIAL-SENSITIVE" in footer) is marked, name
        assert "Brackenford Safeguarding Children Partnership" in header
        assert "Page 1 of 1" in footer  # PAGE and NUMPAGES fields, updated when opened
        assert section.page_width.mm == pytest.approx(
            210, abs=0.1
        ) and section.page_height.mm == pytest.approx(297, abs=0.1)
        xml = _parts(data)["word/" + section.footer.part.partname.rsplit("/", 1)[-1]]
        assert "PAGE" in xml and "NUMPAGES" in xml


def _dirty(document) -> None:
    """Do to a template what a person editing it in Word with tracking on would leave behind."""
    document.core_properties.author = EDITOR
    document.core_properties.last_modified_by = EDITOR
    document.core_properties.comments = f"Checked by {EDITOR}"
    paragraph = document.add_paragraph("Reviewed wording.")
    document.add_comment(paragraph.runs, text="Is this right?", author=EDITOR, initials="JT")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="901" w:author="{EDITOR}" w:date="2025-01-01T00:00:00Z">'
            "<w:r><w:t>Inserted and accepted.</w:t></w:r></w:ins>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="902" w:author="{EDITOR}" w:date="2025-01-01T00:00:00Z">'
            "<w:r><w:delText>Deleted words.</w:delText></w:r></w:del>"
        )
    )
    package = document.part.package
    custom = Part(
        PackURI("/docProps/custom.xml"),
        CT.OFC_CUSTOM_PROPERTIES,
        (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Editor">'
            f"<vt:lpwstr>{EDITOR}</vt:lpwstr></property></Properties>"
        ).encode(),
        package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    item = Part(
        PackURI("/customXml/item9.xml"),
        "application/xml",
        f"<user>{EDITOR}</user>".encode(),
        package,
    )
    document.part.relate_to(item, RT.CUSTOM_XML)
    settings = document.settings.element
    settings.append(parse_xml(f"<w:trackRevisions {nsdecls('w')}/>"))


def test_a_template_edited_in_word_leaves_no_trace_in_the_output(tmp_path):
    project = project_with_template(tmp_path, "rapid-review.docx", edit=_dirty)
    template = (tmp_path / "templates" / "rapid-review.docx").read_bytes()
    assert EDITOR.encode() in b"".join(_parts(template)[n].encode() for n in _parts(template))
    rendered = render_review(project, project.review(FULL), tmp_path / "out")[0]
    parts = _parts(rendered.read_bytes())
    assert not [name for name, xml in parts.items() if "Templateeditor" in xml]
    assert "comments" not in " ".join(parts)
    assert "<w:trackRevisions" not in parts["word/settings.xml"]
    text = "\n".join(p.text for p in Document(rendered).paragraphs)
    assert "Inserted and accepted." in text
    assert "Deleted words." not in text


def test_equal_content_gives_equal_bytes(tmp_path):
    project = load()
    first = render_review(project, project.review(FULL), tmp_path / "a")
    second = render_review(project, project.review(FULL), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
