"""How published text reads: dates, slugs, and authors' Markdown rendered to escaped HTML."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import metadata
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.token import Token
from markupsafe import Markup

from pipeline.cachefile import Remembered, read_json, write_json


def long_date(value: dt.date) -> str:
    """Return a date as people write it: '5 March 2024'."""
    return f"{value.day} {value:%B %Y}"


def month_year(value: dt.date) -> str:
    """Return 'March 2024'."""
    return f"{value:%B %Y}"


def slug(text: str) -> str:
    """Return a URL-safe lower-case slug: 'Under 1' -> 'under-1'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def file_size(size: int) -> str:
    """Return a size as people read it: '24 KB', '1.2 MB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@cache
def _renderer() -> MarkdownIt:
    # The content dialect (CommonMark + tables + strikethrough) with raw HTML *escaped*, never
    # passed through: content is checked for raw HTML at load, and this is the second line.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


def _table_open(self, tokens, idx, options, env) -> str:
    # A region the keyboard can reach and scroll on a phone, named after the heading it is under
    # (see `_render`), so that a screen reader says what the table is.
    label = escape_html(tokens[idx].meta.get("label", "Table"))
    return (
        f'<div class="bscp-table" role="region" tabindex="0" aria-label="{label}">\n'
        + self.renderToken(tokens, idx, options, env)
    )


def _table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


# What earlier builds rendered, while a build writes its pages (see `remembered_renderings`).
_memory: Remembered | None = None


@cache
def _version() -> str:
    code = Path(__file__).read_bytes() + metadata.version("markdown-it-py").encode()
    return hashlib.sha256(code).hexdigest()[:16]


def _remembered(kind: str, text: str, arg: int, compute: Callable[[], str]) -> str:
    if _memory is None:
        return compute()
    key = hashlib.sha256(f"{_version()}\0{kind}\0{arg}\0{text}".encode()).hexdigest()
    value = _memory.recall(key)
    if value is None:
        value = compute()
        _memory.keep(key, value)
    return value


@contextlib.contextmanager
def remembered_renderings(cache_file: Path) -> Iterator[None]:
    """Within the block, reuse the HTML and excerpts earlier builds rendered from the same text.

    Rendering every review's narrative is most of the time it takes to write 500 reviews' pages;
    one changed review changes a few texts. The file keeps only what the last build used.
    """
    global _memory
    _memory = memory = Remembered(read_json(cache_file, {}), lambda value: isinstance(value, str))
    try:
        yield
        if memory.changed:
            write_json(cache_file, memory.now)
    finally:
        _memory = None


def render_markdown(text: str, below: int = 2, title: str = "") -> Markup:
    """Render an author's Markdown to HTML, its headings nested under the page's level `below`.

    Authors start their headings at whatever level they like (#, ## or ###); the highest one
    becomes the level under the page's heading, and the rest keep their relative depth. A table
    is named after the heading above it, or the section's `title`.
    """
    return Markup(_remembered(f"html\0{title}", text, below, lambda: _render(text, below, title)))


def _render(text: str, below: int, title: str = "") -> str:
    md = _renderer()
    tokens = md.parse(text)
    levels = [int(t.tag[1:]) for t in tokens if t.type == "heading_open"]
    shift = below + 1 - min(levels, default=below + 1)
    heading = title
    tables = sum(t.type == "table_open" for t in tokens)
    number = 0
    for at, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1:]) + shift, 6)}"
        if token.type == "heading_open":
            heading = plain_text(tokens[at + 1].content)
        if token.type == "table_open":
            number += 1
            name = f"Table {number}" if tables > 1 else "Table"
            token.meta["label"] = f"{name}: {heading}" if heading else name
    return md.renderer.render(tokens, md.options, {})


def plain_text(text: str) -> str:
    """Return the words of some Markdown without its markup, on one line."""
    words: list[str] = []

    def collect(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak") or token.type in (
                "paragraph_close",
                "list_item_close",
                "heading_close",
            ):
                words.append(" ")
            if token.children:
                collect(token.children)

    collect(_renderer().parse(text))
    return re.sub(r"\s+", " ", "".join(words)).strip()


def excerpt(text: str, limit: int = 240) -> str:
    """Return the start of some Markdown as plain text, cut at a word near `limit` characters."""
    return _remembered("excerpt", text, limit, lambda: _excerpt(text, limit))


def _excerpt(text: str, limit: int) -> str:
    words = plain_text(text)
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
