"""Rebuild only the pages whose Markdown changed, when nothing else about the site did.

MkDocs renders every page on every build (about 18 s for 500 reviews), although one changed review
changes one page. Its `dirty` mode renders only pages whose source is newer than their output, but
it trusts file times, keeps no search index for the pages it skips, and warns that navigation may be
wrong. This module makes that mode exact for the case it is safe in, and otherwise asks for a full
build:

- The last good site (`build/site`) is used only when it is byte for byte the site the last build
  recorded (a digest of every file), and only when everything but the pages' own text is the same:
  the generated MkDocs settings (navigation, which pages are withdrawn, the site's name...), the
  theme overrides, the versions of MkDocs and its theme, and this package's code. The set of pages
  must be the same too: a page added or removed is a full build.
- The staged site starts as a copy of the last good one; every page source then gets a file time
  that says exactly whether its text changed since (far past: unchanged; far future: changed), so
  MkDocs' comparison of times decides as the recorded hashes do, whatever the clock did.
- The search index MkDocs writes in this mode holds only the rebuilt pages; `merge_search_index`
  puts back every other page's entries from the last good site, in their places.

Every file of the staged site still goes through the leak gate and the security checks before it is
published, whichever way it was built.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.cachefile import read_json, write_json

STATE_VERSION = 1
_PAST, _FUTURE = 1, 4_102_444_800  # 1970 and 2100: before and after any build's output
# Config keys that name this build's own folders (they change every build, not the site).
_PER_BUILD_KEYS = ("docs_dir", "site_dir")
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
SEARCH_INDEX = "search/search_index.json"


@dataclass(frozen=True)
class Plan:
    """How this build runs MkDocs: everything, or only the pages in `rebuilt` (docs paths)."""

    settings: str
    sources: dict[str, str]  # docs path -> sha256 of its text
    rebuilt: frozenset[str] | None = None  # None: a full build

    @property
    def dirty(self) -> bool:
        return self.rebuilt is not None


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def tree_hashes(folder: Path) -> dict[str, str]:
    """Return `{relative path: sha256}` of every file under `folder`."""
    return {
        path.relative_to(folder).as_posix(): _sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _tree_digest(hashes: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


def settings_hash(config: dict[str, Any], code_version: str) -> str:
    """Return a hash of everything a page's output depends on besides its own text."""
    digest = hashlib.sha256()
    stable = {k: v for k, v in config.items() if k not in _PER_BUILD_KEYS}
    digest.update(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode())
    custom = (config.get("theme") or {}).get("custom_dir")
    if custom and Path(custom).is_dir():
        digest.update(json.dumps(tree_hashes(Path(custom)), sort_keys=True).encode())
    for name in _PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "missing"
        digest.update(f"{name}={version}\0".encode())
    digest.update(code_version.encode())
    return digest.hexdigest()


def plan(
    state_file: Path,
    last_site: Path,
    docs: Path,
    settings: str,
    staged_site: Path,
) -> Plan:
    """Decide how to build; for a partial build, copy the last good site into `staged_site` and
    give each page source in `docs` the file time that makes MkDocs rebuild exactly the changed."""
    sources = tree_hashes(docs)
    full = Plan(settings, sources)
    state = _read_state(state_file)
    if (
        state is None
        or state.get("settings") != settings
        or set(state.get("sources", {})) != set(sources)
        or not last_site.is_dir()
    ):
        return full
    if _tree_digest(tree_hashes(last_site)) != state.get("site"):
        return full  # the last good site is not the one recorded (restored, edited, replaced)
    shutil.copytree(last_site, staged_site, copy_function=shutil.copy2)
    previous = state["sources"]
    rebuilt = frozenset(path for path, sha in sources.items() if previous[path] != sha)
    for path in sources:
        when = _FUTURE if path in rebuilt else _PAST
        os.utime(docs / path, (when, when))
    return Plan(settings, sources, rebuilt)


def record(state_file: Path, site_hashes: dict[str, str], done: Plan) -> None:
    """Remember what the site just swapped in was built from (`site_hashes`: `tree_hashes` of it)."""
    state = {
        "version": STATE_VERSION,
        "settings": done.settings,
        "sources": done.sources,
        "site": _tree_digest(site_hashes),
    }
    write_json(state_file, state)


def forget(state_file: Path) -> None:
    """Drop the record (before the site it describes is replaced)."""
    with contextlib.suppress(FileNotFoundError):
        state_file.unlink()


def _read_state(state_file: Path) -> dict[str, Any] | None:
    """Return the record of the last build, or None if there is none or it is damaged."""
    state = read_json(state_file, {})
    sources = state.get("sources")
    whole = (
        isinstance(sources, dict)
        and all(isinstance(sha, str) for sha in sources.values())
        and isinstance(state.get("site"), str)
    )
    return state if whole and state.get("version") == STATE_VERSION else None


def page_url(source: str) -> str | None:
    """Return the URL (as the search index writes it) of a Markdown page, or None for other files."""
    if not source.endswith(".md"):
        return None
    stem = source[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def merge_search_index(last_site: Path, staged_site: Path, rebuilt: frozenset[str]) -> None:
    """Put the entries of the pages MkDocs did not rebuild back into the staged search index."""
    new_path = staged_site / SEARCH_INDEX
    old = json.loads((last_site / SEARCH_INDEX).read_text(encoding="utf-8"))
    new = json.loads(new_path.read_text(encoding="utf-8"))
    rebuilt_urls = {url for url in map(page_url, rebuilt) if url is not None}
    fresh: dict[str, list[dict[str, Any]]] = {}
    for entry in new["docs"]:
        fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    merged: list[dict[str, Any]] = []
    for entry in old["docs"]:
        url = entry["location"].split("#", 1)[0]
        if url not in rebuilt_urls:
            merged.append(entry)
        elif url in fresh:
            merged.extend(fresh.pop(url))  # the page's new entries, where its old ones were
    for entries in fresh.values():  # a rebuilt page that had no entries before
        merged.extend(entries)
    data = {"config": new["config"], "docs": merged}
    # Written as the theme writes it, so a partial build's index is the full build's.
    new_path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
