"""Files under `build/cache/`: JSON read forgivingly, written whole or not at all, and values
remembered by key from one run to the next.

A cache file that is missing, damaged or of another shape is as if empty: the work is done again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


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

    def __init__(self, known: dict[str, Any] | None = None) -> None:
        self.known: dict[str, Any] = known if isinstance(known, dict) else {}
        self.now: dict[str, Any] = {}

    def recall(self, key: str) -> Any:
        """Return the value an earlier run kept for `key` (and keep it), or None."""
        value = self.known.get(key)
        if value is not None:
            self.now[key] = value
        return value

    def keep(self, key: str, value: Any) -> None:
        self.now[key] = value

    @property
    def changed(self) -> bool:
        return self.now != self.known
