"""Read an author's YAML file into plain Python, remembering the line of every key and list item."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pipeline.errors import Problem, display_path

# A narrative or YAML file larger than this is almost certainly a paste gone wrong, and would make
# every later stage slow; it is refused rather than processed.
MAX_FILE_BYTES = 2 * 1024 * 1024

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Source:
    """A file an author wrote, and the line of each key inside it."""

    path: Path
    display: str
    lines: dict[Loc, int] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)  # fields already reported invalid and left out

    def line_of(self, loc: Loc) -> int | None:
        """Return the line of `loc`, or of its nearest enclosing key when `loc` itself is absent."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str) -> Problem:
        """Return a problem at `loc` in this file."""
        return Problem(self.display, self.line_of(loc), format_loc(loc), message)


def format_loc(loc: Loc) -> str:
    """Render a location as authors write it: `people[1].date_of_birth`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_text(path: Path, root: Path) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file inside `root`, refusing what would surprise a later stage."""
    shown = display_path(path, root.parent)
    try:
        resolved = path.resolve(strict=True)
    except OSError as exc:
        return None, [Problem(shown, None, "", f"cannot be read: {exc.strerror or exc}")]
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        return None, [
            Problem(
                shown,
                None,
                "",
                "points outside content/ (a symbolic link?): only files inside content/ are read",
            )
        ]
    if not resolved.is_file():
        return None, [Problem(shown, None, "", "is not a file")]
    size = resolved.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                shown,
                None,
                "",
                f"is {size / 1_048_576:.1f} MB; files over {MAX_FILE_BYTES // 1_048_576} MB are refused. Is it a paste of a whole case record?",
            )
        ]
    data = resolved.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                shown,
                line,
                "",
                "is not UTF-8 text: save it as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8))",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def load_yaml(path: Path, root: Path) -> tuple[Any, Source | None, list[Problem]]:
    """Parse a YAML file; return plain data, its line map, and any problems."""
    shown = display_path(path, root.parent)
    text, problems = read_text(path, root)
    if text is None:
        return None, None, problems
    source = Source(path, shown)
    if not text.strip():
        return None, source, [Problem(shown, 1, "", "is empty")]
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = _yaml_message(exc)
        opened = _unclosed_quote_line(text, line)
        if opened is not None:
            line, message = opened, "a quotation mark is not closed"
        return None, source, [Problem(shown, line, "", f"is not valid YAML: {message}")]
    except YAMLError as exc:
        return None, source, [Problem(shown, None, "", f"is not valid YAML: {exc}")]
    lines: dict[Loc, int] = {(): 1}
    data = _plain(tree, (), lines)
    return data, Source(path, shown, lines), []


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "syntax error").strip()
    if "found character '\\t'" in problem or "\\t" in problem:
        return "a tab character is used for indentation; indent with spaces"
    if "found duplicate key" in problem:
        return problem.split(" with value")[0] + " (each key may appear once)"
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(
        exc.context
    ):
        return "a quotation mark is not closed"
    return problem


_QUOTED_START = re.compile(r"""^\s*(?:-\s+)?(?:[^#'"\s][^:#]*:\s+)?(["'])""")


def _unclosed_quote_line(text: str, error_line: int | None) -> int | None:
    """Return the line of a value that opens a quotation mark and never closes it, if there is one."""
    for number, line in enumerate(text.splitlines()[: error_line or None], start=1):
        match = _QUOTED_START.match(line)
        if not match:
            continue
        quote, rest = match.group(1), line[match.end() :]
        if quote == '"':
            closed = re.search(r'(?<!\\)"', rest) is not None
        else:
            closed = "'" in rest.replace("''", "")
        if not closed:
            return number
    return None


def _plain(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key in node:
            child = (*loc, str(key))
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(node[key], child, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            child = (*loc, index)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.item(index)[0] + 1
            items.append(_plain(item, child, lines))
        return items
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool | int | float) or node is None:
        return node
    return node
