"""Files under `build/cache/`: JSON read forgivingly, written whole or not at all, and values
remembered by key from one run to the next.

A cache file that is missing, damaged or of another shape is as if empty: the work is done again.
So is an entry of a file whose values are not what its reader expects (cut short, hand-edited,
written by another version): each reader catches `DAMAGED` around what it makes of an entry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# What making something of a damaged entry can raise: JSON of the wrong shape read as the right one.
DAMAGED = (ValueError, TypeError, KeyError, AttributeError, IndexError)


def read_json(path: Path, default: T) -> T:
    """Return a cache file's data, or `default` when it is missing, unreadable or of another type."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return data if isinstance(data, type(default)) else default


def write_json(path: Path, data: Any) -> None:
    """Write `data` to `path` through a temporary file, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


class Remembered:
    """Values kept by key from an earlier run (`known`) and those this run used (`now`): saving
    `now` keeps only what was used, so the file does not grow with every edit."""

    def __init__(
        self, known: dict[str, Any] | None = None, valid: Callable[[Any], bool] = lambda _: True
    ) -> None:
        self.known: dict[str, Any] = known if isinstance(known, dict) else {}
        self.now: dict[str, Any] = {}
        self.valid = valid

    def recall(self, key: str) -> Any:
        """Return the value an earlier run kept for `key` (and keep it), or None; a value that is
        not `valid` (a damaged entry) is None, so that it is made again."""
        value = self.known.get(key)
        if value is None or not self.valid(value):
            return None
        self.now[key] = value
        return value

    def keep(self, key: str, value: Any) -> None:
        self.now[key] = value

    @property
    def changed(self) -> bool:
        return self.now != self.known


def strings(value: Any) -> bool:
    """Return True for a list of strings (the shape of many cache entries)."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
