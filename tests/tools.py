"""Find the external programs some tests drive; fail (not skip) when CI=true and one is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Flags for Debian's Chromium driven by Playwright (no sandbox in containers, nothing phoning home).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(program: str, *candidates: str, install: str) -> str:
    """Return the path of `program`; skip the test without it, or fail it when CI=true."""
    for candidate in (*candidates, program):
        found = shutil.which(candidate) if os.sep not in candidate else candidate
        if found and Path(found).is_file() and os.access(found, os.X_OK):
            return found
    message = f"{program} is not installed; install it with: {install}"
    if in_ci():
        pytest.fail(f"CI=true and {message}")
    pytest.skip(message)


def chromium() -> str:
    """Return Debian's Chromium."""
    return require("chromium", "/usr/bin/chromium", install="apt-get install chromium")


def soffice() -> str:
    """Return LibreOffice's command-line converter."""
    return require(
        "soffice", "/usr/bin/soffice", install="apt-get install libreoffice-writer-nogui"
    )


def pdftotext() -> str:
    """Return poppler's pdftotext."""
    return require("pdftotext", install="apt-get install poppler-utils")
