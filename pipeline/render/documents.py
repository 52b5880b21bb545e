"""Which documents exist, which template makes each, and the public rendering functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.content.model import DecisionOutcome, ReviewType
from pipeline.content.project import Project, ReviewEntry
from pipeline.errors import PipelineError
from pipeline.published import PublishedDocument
from pipeline.render import context as ctx
from pipeline.render.clean import Properties
from pipeline.render.contract import check_template
from pipeline.render.engine import render_docx
from pipeline.render.markdown_docx import WordTarget

STOCK_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class TemplateSpec:
    """A Word template: its file, the context it is filled from, and what it makes."""

    key: str
    filename: str
    kind: str  # a key of context.CONTEXTS
    title: str
    subject: str
    confidential: bool


TEMPLATES: dict[str, TemplateSpec] = {
    spec.key: spec
    for spec in (
        TemplateSpec(
            "rapid-review",
            "rapid-review.docx",
            "review",
            "Rapid review",
            "Rapid review for the Child Safeguarding Practice Review Panel",
            True,
        ),
        TemplateSpec(
            "sin-record",
            "sin-record.docx",
            "review",
            "Serious Incident Notification record",
            "Record of the Serious Incident Notification to the Child Safeguarding Practice Review Panel",
            True,
        ),
        TemplateSpec(
            "terms-of-reference",
            "terms-of-reference.docx",
            "review",
            "LCSPR terms of reference",
            "Terms of reference of a local child safeguarding practice review",
            True,
        ),
        TemplateSpec(
            "published-review",
            "published-review.docx",
            "published",
            "Published review",
            "Published review",
            False,
        ),
        TemplateSpec(
            "learning-brief",
            "learning-brief.docx",
            "brief",
            "7-minute briefing",
            "Learning brief: 7-minute briefing",
            False,
        ),
    )
}


def template_path(project: Project | None, spec: TemplateSpec) -> Path:
    """Return the partnership's own copy of a template (`templates/` beside `content/`), else the stock one."""
    if project is not None:
        own = project.content_dir.parent / "templates" / spec.filename
        if own.is_file():
            return own
    return STOCK_TEMPLATES / spec.filename


def documents_for(entry: ReviewEntry) -> list[TemplateSpec]:
    """Return the confidential documents a review has: the ones its stage of the process calls for."""
    review = entry.review
    if review.type is not ReviewType.RAPID_REVIEW:
        return []
    specs = [TEMPLATES["rapid-review"], TEMPLATES["sin-record"]]
    if review.decision is not None and review.decision.outcome is DecisionOutcome.LCSPR:
        specs.append(TEMPLATES["terms-of-reference"])
    return specs


def output_name(review_id: str, spec: TemplateSpec) -> str:
    return f"{review_id}-{spec.key}.docx"


def _props(
    project: Project, title: str, subject: str, date: dt.date | None, spec: TemplateSpec
) -> Properties:
    name = project.partnership.name
    return Properties(
        title=title,
        subject=subject,
        author=name,
        company=name,
        date=date,
        category=ctx.MARKING if spec.confidential else "",
    )


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _render(
    project: Project,
    spec: TemplateSpec,
    document: ctx.DocumentInfo,
    date: dt.date | None,
    build: Callable[[WordTarget, ctx.DocumentInfo], Any],
) -> bytes:
    props = _props(project, document.title, document.subject, date, spec)
    path = template_path(project, spec)
    check_template(path, spec.kind)
    return render_docx(
        path,
        lambda target: ctx.as_mapping(build(target, document)),
        props,
    )


def render_review(project: Project, entry: ReviewEntry, out_dir: Path) -> list[Path]:
    """Render a review's confidential documents into `out_dir`; return their paths."""
    review = entry.review
    date = ctx.document_date(review, project.today)
    written = []
    for spec in documents_for(entry):
        document = ctx.DocumentInfo(
            title=f"{spec.title}: {review.id}",
            subject=spec.subject,
            marking=ctx.MARKING,
            date=ctx.long_date(date),
        )
        data = _render(
            project,
            spec,
            document,
            date,
            lambda target, document: ctx.review_context(project, entry, target, document),
        )
        written.append(_write(Path(out_dir) / output_name(review.id, spec), data))
    return written


def render_published(project: Project, doc: PublishedDocument, out_path: Path) -> Path:
    """Render the published (anonymised) review from `doc` alone into `out_path`."""
    spec = TEMPLATES["published-review"]
    document = ctx.DocumentInfo(
        title=doc.title, subject=doc.type_label, marking="", date=ctx.long_date(doc.published)
    )
    data = _render(
        project,
        spec,
        document,
        doc.published,
        lambda target, document: ctx.published_context(project, doc, target, document),
    )
    return _write(Path(out_path), data)


def render_brief_docx(project: Project, doc: PublishedDocument, out_path: Path) -> Path:
    """Render `doc.brief_panels` as a one-page 7-minute briefing into `out_path`."""
    if len(doc.brief_panels) != 7:
        raise PipelineError(
            f"{doc.id} has {len(doc.brief_panels)} learning brief panels; a 7-minute briefing needs all seven"
        )
    spec = TEMPLATES["learning-brief"]
    document = ctx.DocumentInfo(
        title=f"7-minute briefing: {doc.title}",
        subject=spec.subject,
        marking="",
        date=ctx.long_date(doc.published),
    )
    data = _render(
        project,
        spec,
        document,
        doc.published,
        lambda target, document: ctx.brief_context(project, doc, target, document),
    )
    return _write(Path(out_path), data)
