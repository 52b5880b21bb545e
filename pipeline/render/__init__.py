"""Word documents merged from the review inputs: confidential ones for the Panel, public ones for the site."""

from pipeline.render.documents import (
    TEMPLATES,
    documents_for,
    render_brief_docx,
    render_published,
    render_review,
)

__all__ = [
    "TEMPLATES",
    "documents_for",
    "render_brief_docx",
    "render_published",
    "render_review",
]
