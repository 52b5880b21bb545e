"""A sign of life within a second when a command starts slowly (kept light: it is imported first)."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator

import click


def interactive() -> bool:
    """Return True when a person is watching stderr."""
    return sys.stderr.isatty()


@contextlib.contextmanager
def announce_if_slow(message: str, after: float = 0.3) -> Iterator[Callable[[], None]]:
    """Print `message` on stderr if the step inside takes longer than `after` seconds.

    A cold start (the language model loaded for the first time, an empty cache) can take seconds;
    a person at a terminal then sees what is happening within a second instead of nothing. Programs
    reading the output (stderr not a terminal) get nothing extra. It yields a function that calls the
    announcement off early (when the step starts showing its own progress).
    """
    if not interactive():
        yield lambda: None
        return
    timer = threading.Timer(after, lambda: click.echo(message, err=True))
    timer.daemon = True
    timer.start()
    try:
        yield timer.cancel
    finally:
        timer.cancel()
