"""How a build reports progress: silently for the library and tests, with rich bars at a terminal."""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    """Receives a build's progress: stages with a count of steps, and messages for people."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, detail: str = "") -> None: ...

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...


class SilentReporter:
    """Collects messages and shows nothing."""

    def __init__(self) -> None:
        self.stages: list[str] = []
        self.notes: list[str] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append(name)

    def advance(self, detail: str = "") -> None:
        pass

    def note(self, message: str) -> None:
        self.notes.append(message)

    def close(self) -> None:
        pass


class RichReporter:
    """A progress bar per stage on stderr, with messages printed above the bars."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[detail]}"),
            console=self.console,
            transient=False,
        )
        self.progress.start()
        self.task = None

    def _finish(self) -> None:
        if self.task is not None:
            task = self.progress.tasks[-1]
            self.progress.update(
                self.task, completed=task.total or 1, total=task.total or 1, detail=""
            )

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish()
        self.task = self.progress.add_task(name, total=total, detail="")

    def advance(self, detail: str = "") -> None:
        if self.task is not None:
            self.progress.update(self.task, advance=1, detail=detail)

    def note(self, message: str) -> None:
        self.progress.console.print(
            message, style="yellow", highlight=False, markup=False, soft_wrap=True
        )

    def close(self) -> None:
        self._finish()
        self.progress.stop()
