"""Fill one Word template: strict Jinja, clear errors that name the template and the tag, clean output."""

from __future__ import annotations

import hashlib
import io
import re
import traceback
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from pipeline.errors import Problem, TemplateError, display_path
from pipeline.render.clean import Properties, clean, to_bytes
from pipeline.render.markdown_docx import WordTarget, w

_TAGS = re.compile(r"<[^>]+>")


@cache
def environment() -> jinja2.Environment:
    """Return the one Jinja environment: undefined names fail, values are escaped, no Python reach."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


@cache
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def template_bytes(path: Path) -> bytes:
    """Return a template's bytes, read once per process (and again only if the file changes)."""
    try:
        return _template_bytes(path, path.stat().st_mtime_ns)
    except OSError as exc:
        raise TemplateError(
            f"cannot be read: {exc.strerror or exc}; run `python templates/make_templates.py` to recreate the stock templates",
            path=path,
        ) from None


_COMPILED: dict[str, jinja2.Template] = {}


def _near(src_xml: str, lineno: int | None) -> str:
    """Return the document text around Jinja line `lineno`, without XML, for an error message."""
    lines = src_xml.splitlines()
    if lineno is None or not lines:
        return ""
    start = max(lineno - 2, 0)
    text = " ".join(_TAGS.sub("", line) for line in lines[start : lineno + 1])
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= 160 else text[:157] + "..."


def _template_line(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno
    return None


def template_error(
    display: str, part: str, exc: jinja2.TemplateError, src_xml: str
) -> TemplateError:
    """Translate a Jinja error into one that names the template, the part and the text around the tag."""
    near = _near(src_xml, _template_line(exc))
    message = exc.message or str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        message += "; templates/README.md lists the tags a template may use"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        message = f"broken template tag: {message}"
    return TemplateError([Problem(display, None, part, f"{message} (near: «{near}»)")])


class _Template(DocxTemplate):
    """docxtpl with cached compilation, named errors, and no rewrite of content after Jinja."""

    display = ""

    def render_xml_part(self, src_xml, part, context, jinja_env=None):  # type: ignore[override]
        env = jinja_env or environment()
        src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        name = getattr(part, "partname", "/word/document.xml")
        part_label = {"/word/document.xml": "document body"}.get(
            str(name), str(name).rsplit("/", 1)[-1]
        )
        key = hashlib.sha1(src_xml.encode()).hexdigest()
        self.current_rendering_part = part
        try:
            template = _COMPILED.get(key)
            if template is None:
                template = _COMPILED[key] = env.from_string(src_xml)
            dst_xml = template.render(context)
        except jinja2.TemplateError as exc:
            raise template_error(self.display, part_label, exc, src_xml) from None
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        return self.resolve_listing(dst_xml)

    def render_properties(self, context, jinja_env=None):  # type: ignore[override]
        """Properties are written by `clean`, never rendered from whatever the template holds."""


def template_source(path: Path) -> str:
    """Return the Jinja source docxtpl makes of a template: its body, headers and footers."""
    tpl = _Template(io.BytesIO(template_bytes(path)))
    document = tpl.get_docx()
    parts = [tpl.patch_xml(tpl.xml_to_string(document._element.body))]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            parts.append(tpl.patch_xml(tpl.get_part_xml(part)))
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", "".join(parts))


def parse_template(path: Path) -> jinja2.nodes.Template:
    """Return a template's Jinja syntax tree, or raise a TemplateError naming the broken tag."""
    source = template_source(path)
    try:
        return environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(display_path(path), "document", exc, source) from None


def render_docx(
    path: Path,
    build: Callable[[WordTarget], dict[str, Any]],
    props: Properties,
) -> bytes:
    """Render the template at `path` with the context `build` returns; return the cleaned .docx bytes."""
    display = display_path(path)
    tpl = _Template(io.BytesIO(template_bytes(path)))
    tpl.display = display
    document = tpl.get_docx()
    context = build(WordTarget(document, display))
    tpl.render(context, jinja_env=environment())
    body = document.element.body
    if body.xpath(".//w:p//w:p") or body.xpath(".//w:r//w:tbl"):
        raise TemplateError(
            [
                Problem(
                    display,
                    None,
                    "document body",
                    "a Markdown field (a section, answer, panel or summary) sits inside a line of text; put it alone in its own paragraph as {{p ... }}",
                )
            ]
        )
    for cell in body.iter(w("tc")):
        if len(cell) and cell[-1].tag != w("p"):
            cell.append(etree.SubElement(cell, w("p")))
    clean(document, props)
    return to_bytes(document, props.date)
