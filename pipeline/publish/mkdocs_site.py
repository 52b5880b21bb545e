"""The MkDocs side: a config derived from `site/mkdocs.yml`, and `mkdocs build --strict` run in-process."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from pipeline.content.model import Partnership
from pipeline.errors import Problem, PublishError, display_path

# Keys the build sets from the content; `site/mkdocs.yml` must leave them alone.
SET_BY_BUILD = ("site_name", "site_url", "site_description", "nav", "docs_dir", "site_dir")
# Settings that would make the site or the build reach the network, or run code we do not check.
REFUSED = {
    "repo_url": "the theme would fetch repository facts from GitHub on every page",
    "hooks": "safety checks live in the pipeline, not in MkDocs hooks",
    "remote_branch": "publishing is done by the CI workflow",
}
# Plugins known to make no external requests and to need no network at build time.
ALLOWED_PLUGINS = {"search"}


def _problem(config_path: Path, field: str, message: str) -> Problem:
    return Problem(display_path(config_path), None, field, message)


def load_base_config(config_path: Path) -> dict[str, Any]:
    """Read `site/mkdocs.yml` and refuse anything that would break privacy or the build's control."""
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise PublishError(
            "is missing: the website's MkDocs settings live here", path=config_path
        ) from None
    except yaml.YAMLError as exc:
        raise PublishError(
            f"is not plain YAML ({exc}); python tags are not allowed here", path=config_path
        ) from None
    problems = []
    for key in SET_BY_BUILD:
        if key in data:
            problems.append(
                _problem(config_path, key, "is set by `bscp build` from the content; remove it")
            )
    for key, why in REFUSED.items():
        if key in data:
            problems.append(_problem(config_path, key, f"is not allowed: {why}"))
    theme = data.get("theme") or {}
    if not isinstance(theme, dict) or theme.get("name") != "material":
        problems.append(_problem(config_path, "theme.name", "must be material"))
    elif theme.get("font") is not False:
        problems.append(
            _problem(
                config_path,
                "theme.font",
                "must be false: web fonts would be fetched from Google on every page",
            )
        )
    for plugin in data.get("plugins") or []:
        name = plugin if isinstance(plugin, str) else next(iter(plugin), "")
        options = plugin.get(name) if isinstance(plugin, dict) else None
        if (
            name == "search"
            and isinstance(options, dict)
            and options.get("lang", "en") not in ("en", ["en"])
        ):
            problems.append(
                _problem(
                    config_path,
                    "plugins.search.lang",
                    "must be en: the site is in English and ships no other search languages",
                )
            )
        if name not in ALLOWED_PLUGINS:
            problems.append(
                _problem(
                    config_path,
                    "plugins",
                    f"{name!r} is not allowed; the site uses only {', '.join(sorted(ALLOWED_PLUGINS))}",
                )
            )
    if problems:
        raise PublishError(problems)
    return data


def site_config(
    base: dict[str, Any],
    base_dir: Path,
    partnership: Partnership,
    site_url: str,
    docs_dir: Path,
    site_dir: Path,
    nav: list[dict[str, Any]],
    csp: str,
    today: dt.date,
    unlisted: Sequence[str] = (),
    parts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return the full MkDocs config for one build: the base plus what the content decides."""
    config = json.loads(json.dumps(base))  # a deep copy of plain data
    theme = config["theme"]
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((base_dir / theme["custom_dir"]).resolve())
    email = partnership.publication.contact_email
    # The theme prints these unescaped, so they are escaped here.
    copyright_text = f"© {today.year} {html.escape(partnership.name)}"
    if email:
        copyright_text += f' · <a href="mailto:{html.escape(email)}">{html.escape(email)}</a>'
    config.update(
        site_name=html.escape(partnership.name),
        site_url=site_url,
        site_description=html.escape(partnership.publication.description),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=nav,
        strict=True,
        copyright=copyright_text,
    )
    extra = config.setdefault("extra", {})
    # Pages kept out of the sitemap (withdrawal notices), by source: named here rather than read
    # from each page, so that a build that rebuilds only changed pages still leaves them out.
    # `parts`: HTML rendered and escaped by `pipeline.publish.pages.site_parts` (the theme prints it).
    extra["bscp"] = {"csp": csp, "unlisted": sorted(unlisted), **(parts or {})}
    return config


def write_config(config: dict[str, Any], path: Path) -> None:
    """Write a generated config (JSON is YAML, and needs no quoting rules)."""
    path.write_text(
        "# Generated by `bscp build` from site/mkdocs.yml and content/partnership.yaml.\n"
        + json.dumps(config, indent=2, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )


# What `site/assets/` may hold: files the leak gate can read and MkDocs copies as they are. A page
# (.md, .html) put there would be published outside the pipeline's checks of what is published.
ASSET_SUFFIXES = (".css", ".js", ".svg", ".png")


def copy_assets(assets_dir: Path, docs_dir: Path) -> None:
    """Copy the site's own CSS, scripts and images into the docs folder; refuse anything else."""
    if not assets_dir.is_dir():
        return
    problems = []
    for path in sorted(assets_dir.rglob("*")):
        if path.is_symlink():
            why = "is a symbolic link; the site's assets must be real files"
        elif path.is_file() and path.suffix.lower() not in ASSET_SUFFIXES:
            why = (
                f"only style sheets, scripts and images ({', '.join(ASSET_SUFFIXES)}) belong in "
                "the site's assets; anything else there would be published unchecked"
            )
        else:
            continue
        problems.append(Problem(display_path(path), None, "", why))
    if problems:
        raise PublishError(problems)
    shutil.copytree(assets_dir, docs_dir / "assets", dirs_exist_ok=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_mkdocs_log() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old_propagate, old_level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
        logger.setLevel(old_level)


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning that a dirty build may have stale navigation: `pipeline.publish.incremental`
    runs that mode only when the navigation and everything else but the changed pages is unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def run_mkdocs(config_file: Path, dirty: bool = False) -> None:
    """Run `mkdocs build --strict` on a generated config; any warning fails the build.

    `dirty` renders only pages whose source is newer than their output in the site folder (see
    `pipeline.publish.incremental`, which alone decides when that is exact).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    notice = _DirtyNotice()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(notice)
    with _captured_mkdocs_log() as log:
        try:
            config = load_config(str(config_file), strict=True)
            build(config, dirty=dirty)
            failed = None
        except MkDocsException as exc:
            failed = str(exc)
        finally:
            build_log.removeFilter(notice)
    messages = [m for m in log.messages if m.strip()]
    if failed or messages:
        detail = messages or [failed or "failed"]
        raise PublishError([Problem(display_path(config_file), None, "mkdocs", m) for m in detail])
