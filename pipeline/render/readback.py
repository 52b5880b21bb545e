"""Read a rendered Word document back as text and styles: what golden tests compare, not zip bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

PLAIN_CELL_STYLE = "Table Text"


def paragraph_level(paragraph: Paragraph) -> int | None:
    """Return the list level of a paragraph (from its own numbering or its style's), else None."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        num_id = ppr.numPr.numId
        if num_id is not None and num_id.val == 0:
            return None
        return ilvl.val if ilvl is not None else 0
    style = paragraph.style
    while style is not None:
        if style.element.xpath("./w:pPr/w:numPr"):
            return 0
        style = style.base_style
    return None


def _text(paragraph: Paragraph) -> str:
    """Return the paragraph's text with line breaks as newlines and field results included."""
    out = []
    for node in paragraph._p.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:br"):
            out.append("\n")
        else:
            out.append("\t")
    return "".join(out)


def line(paragraph: Paragraph) -> str:
    """Return `Style #level | text` for one paragraph."""
    level = paragraph_level(paragraph)
    style = paragraph.style.name if paragraph.style is not None else "Normal"
    marker = f" #{level}" if level is not None else ""
    return f"{style}{marker} | {_text(paragraph)}"


def _cell(cell) -> Any:
    paragraphs = cell.paragraphs
    if not cell.tables and len(paragraphs) == 1:
        only = paragraphs[0]
        if only.style.name == PLAIN_CELL_STYLE and paragraph_level(only) is None:
            return _text(only)
    return blocks(cell)


def blocks(container) -> list[Any]:
    out: list[Any] = []
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            out.append({"table": [[_cell(c) for c in row.cells] for row in item.rows]})
        else:
            out.append(line(item))
    return out


def outline(source: Path | bytes) -> dict[str, Any]:
    """Return the document as JSON-ready data: body, header, footer and properties."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    core = document.core_properties
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        app = etree.fromstring(archive.read("docProps/app.xml"))
    ns = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
    return {
        "properties": {
            "title": core.title,
            "subject": core.subject,
            "author": core.author,
            "last_modified_by": core.last_modified_by,
            "language": core.language,
            "category": core.category,
            "revision": core.revision,
            "created": core.created.isoformat() if core.created else None,
            "modified": core.modified.isoformat() if core.modified else None,
            "company": app.findtext("ep:Company", namespaces=ns),
        },
        "header": [line(p) for p in section.header.paragraphs],
        "footer": [line(p) for p in section.footer.paragraphs],
        "body": blocks(document),
    }
