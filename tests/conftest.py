"""Shared fixtures: fixture content copied to a temporary folder, and the CLI run as a person runs it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from tests.tools import CHROMIUM_ARGS, chromium

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE_CONTENT = ROOT / "content"
EXAMPLE_TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project; returns the project root (content/ inside)."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "project")
    return tmp_path / "project"


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `bscp ARGS` in a folder, as an author would at a terminal."""

    def run(*args: str, cwd: Path, today: str | None = None) -> Result:
        monkeypatch.chdir(cwd)
        monkeypatch.delenv("BSCP_TODAY", raising=False)
        full = (["--today", today] if today else []) + list(args)
        return CliRunner().invoke(main, full, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole session (Playwright's synchronous API
    allows one at a time, so every browser test module shares this one)."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="chromium-home-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_ARGS,
            env={**os.environ, "HOME": home},
        )
        yield browser
        browser.close()
