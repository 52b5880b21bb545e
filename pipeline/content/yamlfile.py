"""Read an author's YAML file into plain Python, remembering the line of every key and list item."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.cachefile import DAMAGED, Remembered, read_json, write_json
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


def _real_folder(folder: str) -> str:
    """Return the real path of a folder, ending in a separator (for prefix tests)."""
    return os.path.join(os.path.realpath(folder), "")


def _link_loop(shown: str) -> Problem:
    return Problem(
        shown, None, "", "is a symbolic link that leads back to itself; replace it with the file"
    )


def read_text(path: Path, root: Path, shown: str | None = None) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file inside `root`, refusing what would surprise a later stage.

    `shown` is how problems name the file (by default, relative to the folder above `root`).
    """
    shown = shown or display_path(path, root.parent)
    try:
        # os.path rather than pathlib: an archive of 500 reviews reads over 5,000 files.
        resolved = os.path.realpath(path, strict=True)
    except RuntimeError:  # Python 3.11 reports a symbolic link loop this way
        return None, [_link_loop(shown)]
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [_link_loop(shown)]
        return None, [Problem(shown, None, "", f"cannot be read: {exc.strerror or exc}")]
    if not resolved.startswith(_real_folder(os.fspath(root))):
        return None, [
            Problem(
                shown,
                None,
                "",
                "points outside content/ (a symbolic link?): only files inside content/ are read",
            )
        ]
    status = os.stat(resolved)
    if not stat.S_ISREG(status.st_mode):
        return None, [Problem(shown, None, "", "is not a file")]
    size = status.st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                shown,
                None,
                "",
                f"is {size / 1_048_576:.1f} MB; files over {MAX_FILE_BYTES // 1_048_576} MB are refused. Is it a paste of a whole case record?",
            )
        ]
    with open(resolved, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        saved_as = " (it is saved as UTF-16)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        return None, [
            Problem(
                shown,
                line,
                "",
                f"is not UTF-8 text{saved_as}: save it as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8))",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    hidden = _HIDDEN_CONTROL.search(text)
    if hidden is not None:
        line = text.count("\n", 0, hidden.start()) + 1
        return None, [Problem(shown, line, "", _hidden_control_message(hidden.group()))]
    return text, []


# Characters that are invisible on screen yet change what text is: control characters (which Word
# drops, so "Jay\x00den" would print as a name no search found), and the bidirectional overrides and
# isolates that make text display in another order than it is stored ("Trojan Source").
_HIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hidden_control_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if ord(char) >= 0x202A:
        return (
            f"contains an invisible direction-control character ({code}) that makes text display "
            "differently from how it is stored; delete it (retype the line if you cannot see it)"
        )
    return (
        f"contains an invisible control character ({code}), probably from a paste; delete it "
        "(retype the line if you cannot see it)"
    )


def load_yaml(path: Path, root: Path) -> tuple[Any, Source | None, list[Problem]]:
    """Parse a YAML file; return plain data, its line map, and any problems."""
    shown = display_path(path, root.parent)
    text, problems = read_text(path, root, shown)
    if text is None:
        return None, None, problems
    source = Source(path, shown)
    if not text.strip():
        return None, source, [Problem(shown, 1, "", "is empty")]
    key = _parse_key(text)
    if key is not None:
        remembered = _recall(key)
        if remembered is not None:
            return remembered[0], Source(path, shown, remembered[1]), []
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return None, source, [Problem(shown, 1, "", "has no keys and values (only comments)")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = _yaml_message(exc)
        if mark is not None and "\t" in text.splitlines()[mark.line][: mark.column + 1 or None]:
            message = "a tab character is used for indentation; indent with spaces"
        opened = _unclosed_quote_line(text, line)
        if opened is not None:
            line, message = opened, "a quotation mark is not closed"
        return None, source, [Problem(shown, line, "", f"is not valid YAML: {message}")]
    except yaml.YAMLError as exc:
        return None, source, [Problem(shown, None, "", f"is not valid YAML: {exc}")]
    lines: dict[Loc, int] = {(): 1}
    problems = []
    data = _Builder(shown, lines, problems).build(node, ())
    if problems:
        return None, source, problems
    if key is not None:
        _remember(key, data, lines)
    return data, Source(path, shown, lines), []


# Files parsed cleanly before, by the hash of their text, while `remembered_parses` is open: a
# project of 500 reviews spends over a second composing YAML nodes in Python on every command
# otherwise. Stored as JSON (never pickle: the file is data, not code), with the place of every date
# so that dates come back as dates; the whole file is dropped when this module or PyYAML changes.
_parsed: Remembered | None = None


def _parse_key(text: str) -> str | None:
    if _parsed is None:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _recall(key: str) -> tuple[Any, dict[Loc, int]] | None:
    assert _parsed is not None
    stored = _parsed.recall(key)
    if stored is None:
        return None
    try:
        data = json.loads(stored["data"])
        for loc, iso, kind in stored["dates"]:
            value = (
                dt.datetime.fromisoformat(iso) if kind == "datetime" else dt.date.fromisoformat(iso)
            )
            data = _put(data, loc, value)
        return data, {tuple(loc): line for loc, line in stored["lines"]}
    except DAMAGED:
        return None  # a damaged entry: parsed again


def _remember(key: str, data: Any, lines: dict[Loc, int]) -> None:
    assert _parsed is not None
    dates: list[tuple[list[str | int], str, str]] = []
    _find_dates(data, [], dates)
    _parsed.keep(
        key,
        {
            "data": json.dumps(data, default=lambda value: value.isoformat(), ensure_ascii=False),
            "dates": dates,
            "lines": [[list(loc), line] for loc, line in lines.items()],
        },
    )


def _find_dates(value: Any, loc: list[str | int], out: list) -> None:
    if isinstance(value, dt.date):
        out.append(
            (list(loc), value.isoformat(), "datetime" if isinstance(value, dt.datetime) else "date")
        )
    elif isinstance(value, dict):
        for key, item in value.items():
            _find_dates(item, [*loc, key], out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _find_dates(item, [*loc, index], out)


def _put(data: Any, loc: list[str | int], value: Any) -> Any:
    if not loc:
        return value
    holder = data
    for part in loc[:-1]:
        holder = holder[part]
    holder[loc[-1]] = value
    return data


_PARSE_VERSION = hashlib.sha256(
    Path(__file__).read_bytes() + yaml.__version__.encode()
).hexdigest()[:16]


@contextlib.contextmanager
def remembered_parses(cache_file: Path) -> Iterator[None]:
    """Within the block, reuse what earlier runs parsed from the same YAML text (see `_parsed`)."""
    global _parsed
    stored = read_json(cache_file, {})
    _parsed = parsed = Remembered(
        stored.get("files") if stored.get("version") == _PARSE_VERSION else None
    )
    try:
        yield
    finally:
        # Also when the content has mistakes: files that parsed cleanly are remembered all the same.
        if parsed.changed:
            with contextlib.suppress(OSError):  # a folder that may not be written: no memory
                write_json(cache_file, {"version": _PARSE_VERSION, "files": parsed.now})
        _parsed = None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
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


# libyaml's C parser (through PyYAML) composes the node tree fast and keeps every node's line; the
# scalars are resolved here with YAML 1.2's core schema, so `no`, `on` and `010` stay as written.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?\s*(?:Z|[-+]\d{1,2}(?::?\d{2})?)?$"
)
# Anchors (`&`) and aliases (`*`) can make a small file expand enormously: a 93 KB file that repeats
# one long text 5,000 times is 100 MB of content, which every later stage would read. What a file
# expands to is limited in values, in characters (no more than the largest file may hold written
# out) and in the time taken to expand it; past any limit the file is refused, at the line where
# the limit was reached.
MAX_NODES = 200_000
MAX_CHARACTERS = MAX_FILE_BYTES
MAX_SECONDS = 5.0


class _Builder:
    """Turn a composed node tree into plain data, recording lines and refusing duplicate keys."""

    def __init__(self, shown: str, lines: dict[Loc, int], problems: list[Problem]) -> None:
        self.shown, self.lines, self.problems, self.count = shown, lines, problems, 0
        self.characters = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.too_big = False

    def _over_limit(self, node: yaml.Node) -> str | None:
        """Return why the file expands too far once this node is counted, or None."""
        self.count += 1
        if isinstance(node, yaml.ScalarNode):
            self.characters += len(node.value)
        if self.count > MAX_NODES:
            return f"more than {MAX_NODES:,} values"
        if self.characters > MAX_CHARACTERS:
            return f"more than {MAX_CHARACTERS:,} characters"
        if self.count % 1024 == 0 and time.monotonic() > self.deadline:
            return f"more than {MAX_SECONDS:g} seconds' work"
        return None

    def _line_written(self, loc: Loc, node: yaml.Node) -> int:
        """Return the line of the key `loc` is under: an alias has the line of its anchor, yet the
        author needs the line where the alias is used."""
        for end in range(len(loc), 0, -1):
            if isinstance(loc[end - 1], str) and loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return node.start_mark.line + 1

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if self.too_big:
            return None
        reason = self._over_limit(node)
        if reason is not None:
            self.too_big = True
            self.problems.append(
                Problem(
                    self.shown,
                    self._line_written(loc, node),
                    format_loc(loc),
                    f"expands to {reason} through & anchors and * aliases; refused. "
                    "Write the values out, and keep to the review's own text",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(
                        Problem(
                            self.shown,
                            line,
                            format_loc(loc),
                            "a key must be a plain word, not a list or block",
                        )
                    )
                    continue
                key = str(self.scalar(key_node))
                if key in out:
                    self.problems.append(
                        Problem(
                            self.shown,
                            line,
                            "",
                            f'is not valid YAML: found duplicate key "{key}" (each key may appear once)',
                        )
                    )
                    continue
                self.lines[(*loc, key)] = line
                out[key] = self.build(value_node, (*loc, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*loc, index)] = item.start_mark.line + 1
                items.append(self.build(item, (*loc, index)))
            return items
        return self.scalar(node)

    @staticmethod
    def scalar(node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.style or node.tag == "tag:yaml.org,2002:str":
            return value  # quoted or block text is always text
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value)
        if _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value  # "2024-02-30": the model reports it as not a date
        if _DATETIME.match(value):
            try:
                return dt.datetime.fromisoformat(value.replace("t", "T").replace("Z", "+00:00"))
            except ValueError:
                return value
        return value
