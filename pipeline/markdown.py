"""The one Markdown dialect the pipeline accepts, and the checks every narrative passes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.errors import Problem

SAFE_LINK_SCHEMES = ("https:", "http:", "mailto:")
# Raw HTML and autolinks need "<", images "![", links "](" or a reference definition "]:".
_RISKY_MARKERS = ("<", "![", "](", "]:")


@cache
def parser() -> MarkdownIt:
    """Return the shared parser: CommonMark plus tables and strikethrough.

    HTML parsing is switched on only so that raw HTML is *found* and refused; it is never rendered.
    """
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def strip_comments(text: str) -> str:
    """Remove `<!-- guidance -->` comments, keeping line numbers: comments are never published."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def parse(text: str) -> list[Token]:
    """Return the block tokens of `text`."""
    return parser().parse(text)


@cache
def _checking_parser() -> MarkdownIt:
    """Return the parser `lint` uses: like `parser()`, but every link destination is accepted.

    markdown-it silently leaves a `javascript:`, `data:` or `vbscript:` link as plain text; here it
    is made a link, whatever its form (inline, `<...>`, reference, autolink, entities, any case), so
    that lint sees it and refuses it by name instead of publishing a link-shaped string.
    """
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def walk(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Yield every token with its 1-based source line, descending into inline children."""
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        yield token, line
        if token.children:
            offset = 0
            for child in token.children:
                yield child, line + offset
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1


def lint(text: str, display: str, field: str = "") -> list[Problem]:
    """Return every construct in `text` that the pipeline refuses to carry into a document.

    `text` should already have had its comments removed with `strip_comments`.
    """
    problems: list[Problem] = []
    if "<!--" in text:
        line = text.count("\n", 0, text.index("<!--")) + 1
        problems.append(
            Problem(
                display,
                line,
                field,
                "a comment is opened with <!-- but never closed with -->; close it, or everything after it is published",
            )
        )
    if not any(marker in text for marker in _RISKY_MARKERS):
        return problems  # nothing in it can be HTML, an image or a link: skip the parse
    for token, line in walk(_checking_parser().parse(text)):
        if token.type in ("html_block", "html_inline"):
            snippet = token.content.strip().splitlines()[0][:40] if token.content.strip() else ""
            problems.append(
                Problem(
                    display,
                    line,
                    field,
                    f"raw HTML is not allowed ({snippet!r}): write it in Markdown instead",
                )
            )
        elif token.type == "image":
            problems.append(
                Problem(
                    display,
                    line,
                    field,
                    "images are not allowed in narrative: they can identify people and cannot be anonymised; describe it in words",
                )
            )
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if ":" in href.split("/")[0] and not href.strip().lower().startswith(SAFE_LINK_SCHEMES):
                problems.append(
                    Problem(
                        display,
                        line,
                        field,
                        f"link to {href[:40]!r} is not allowed: only https, http and mailto links",
                    )
                )
        elif token.type == "text" and "](javascript:" in token.content.replace(" ", "").lower():
            problems.append(Problem(display, line, field, "javascript: links are not allowed"))
    return problems
