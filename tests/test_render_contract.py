"""Templates and the render context agree: every tag exists, rendering is strict, errors say where."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError

from pipeline.errors import TemplateError
from pipeline.published import review_document
from pipeline.render import render_brief_docx, render_published, render_review
from pipeline.render.context import (
    CONTEXTS,
    DocumentInfo,
    as_mapping,
    brief_context,
    published_context,
    review_context,
    tag_reference,
)
from pipeline.render.contract import template_problems
from pipeline.render.documents import STOCK_TEMPLATES, TEMPLATES
from pipeline.render.engine import _Template, environment, template_bytes
from pipeline.render.markdown_docx import WordTarget
from tests.fixtures.render.support import FULL, load, project_with_template

README = Path(__file__).resolve().parents[1] / "templates" / "README.md"


def _context(kind: str, target: WordTarget):
    project = load()
    entry = project.review(FULL)
    document = DocumentInfo("t", "s", "", "1 January 2025")
    if kind == "review":
        return review_context(project, entry, target, document)
    doc = review_document(entry, project)
    build = published_context if kind == "published" else brief_context
    return build(project, doc, target, document)


@pytest.mark.parametrize("spec", TEMPLATES.values(), ids=lambda s: s.key)
def test_every_tag_in_every_template_is_in_its_render_context(spec):
    path = STOCK_TEMPLATES / spec.filename
    tpl = _Template(io.BytesIO(template_bytes(path)))
    context = as_mapping(_context(spec.kind, WordTarget(tpl.get_docx(), spec.filename)))
    assert set(context) == {f for f in CONTEXTS[spec.kind].__dataclass_fields__}
    undeclared = tpl.get_undeclared_template_variables(jinja_env=environment(), context=context)
    assert undeclared == set()
    assert template_problems(path, spec.kind) == []


@pytest.mark.parametrize(
    ("filename", "tag", "message"),
    [
        (
            "rapid-review.docx",
            "{{ reviewer }}",
            "{{ reviewer }} is not a tag of a review template; did you mean 'review'?",
        ),
        (
            "rapid-review.docx",
            "{{ review.titel }}",
            "{{ review.titel }} is not a tag: review has no 'titel'; did you mean 'title'?",
        ),
        (
            "rapid-review.docx",
            "{% for c in children %}{{ c.nmes }}{% endfor %}",
            "c has no 'nmes'; did you mean 'names'?",
        ),
        (
            "rapid-review.docx",
            "{{ sections.sumary }}",
            "sections has no 'sumary'; did you mean 'summary'?",
        ),
        (
            "published-review.docx",
            "{{ review.id }}",
            "{{ review }} is not a tag of a published template",
        ),
        (
            "published-review.docx",
            "{{ children }}",
            "{{ children }} is not a tag of a published template",
        ),
        (
            "learning-brief.docx",
            "{{ panels[0].titel }}",
            "panels[...] has no 'titel'; did you mean 'title'?",
        ),
    ],
)
def test_a_tag_the_context_lacks_is_reported(tmp_path, filename, tag, message):
    project_with_template(tmp_path, filename, f"Extra: {tag}")
    problems = template_problems(
        tmp_path / "templates" / filename,
        next(s.kind for s in TEMPLATES.values() if s.filename == filename),
    )
    assert any(message in p.message for p in problems), problems
    assert all(p.path.endswith(f"templates/{filename}") for p in problems)


def test_rendering_refuses_a_template_with_an_unknown_tag(tmp_path):
    project = project_with_template(tmp_path, "rapid-review.docx", "Lead: {{ review.lead }}")
    with pytest.raises(TemplateError) as caught:
        render_review(project, project.review(FULL), tmp_path / "out")
    assert "templates/rapid-review.docx" in str(caught.value)
    assert "review has no 'lead'" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_broken_tag_names_the_template_and_the_text_around_it(tmp_path):
    project = project_with_template(
        tmp_path,
        "rapid-review.docx",
        "Before the tag.",
        "The broken one: {{ review.title } here.",
        "After.",
    )
    with pytest.raises(TemplateError) as caught:
        render_review(project, project.review(FULL), tmp_path / "out")
    text = str(caught.value)
    assert (
        text.startswith(f"{tmp_path.name}/templates/rapid-review.docx")
        or "templates/rapid-review.docx:" in text
    )
    assert "broken template tag" in text
    assert "The broken one: {{ review.title } here." in text


def test_a_broken_tag_in_the_footer_is_named_too(tmp_path):
    def edit(document):
        document.sections[0].footer.add_paragraph("Footer {% if %}")

    project = project_with_template(tmp_path, "sin-record.docx", edit=edit)
    with pytest.raises(TemplateError) as caught:
        render_review(project, project.review(FULL), tmp_path / "out")
    assert "templates/sin-record.docx" in str(caught.value)
    assert "Footer {% if %}" in str(caught.value)


def test_a_markdown_field_inside_a_line_of_text_is_refused(tmp_path):
    project = project_with_template(
        tmp_path, "rapid-review.docx", "Summary: {{ sections.summary }}"
    )
    with pytest.raises(TemplateError, match=r"put it alone in its own paragraph as \{\{p"):
        render_review(project, project.review(FULL), tmp_path / "out")


def test_the_environment_is_strict_sandboxed_and_escapes():
    env = environment()
    assert env.undefined is StrictUndefined
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="</w:t><w:p>&") == "&lt;/w:t&gt;&lt;w:p&gt;&amp;"
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="")


def test_xml_in_a_yaml_value_stays_text(tmp_path):
    project = load()
    entry = project.review(FULL)
    entry.review.incident.description = 'Hurt </w:t></w:r><w:r><w:t>"injected" & {{ 7*7 }}'
    paths = render_review(project, entry, tmp_path)
    from docx import Document

    text = "\n".join(c.text for t in Document(paths[0]).tables for r in t.rows for c in r.cells)
    assert 'Hurt </w:t></w:r><w:r><w:t>"injected" & {{ 7*7 }}' in text
    assert "49" not in text


def test_published_and_brief_render_from_the_document_alone(tmp_path):
    project = load()
    doc = review_document(project.review(FULL), project)
    assert render_published(project, doc, tmp_path / "p.docx").is_file()
    assert render_brief_docx(project, doc, tmp_path / "b.docx").is_file()


def test_readme_lists_the_tags_of_the_render_contexts():
    text = README.read_text(encoding="utf-8")
    generated = re.search(
        r"<!-- BEGIN TAG REFERENCE[^>]*-->\n\n(.*)\n<!-- END TAG REFERENCE -->", text, re.S
    )
    assert generated is not None, "templates/README.md lost its generated tag reference markers"
    assert generated.group(1) == tag_reference(), (
        "templates/README.md is out of date: run `.venv/bin/python templates/make_templates.py --readme`"
    )
