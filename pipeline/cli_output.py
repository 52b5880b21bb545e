"""Tables and progress for people at a terminal (the CLI's presentation, kept out of the library)."""

from __future__ import annotations

import textwrap

import click
from rich.console import Console
from rich.table import Table

from pipeline.anonymise.approval import NOT_APPROVED
from pipeline.calendar.actions import ActionRow, ActionState, describe_due
from pipeline.calendar.deadlines import DeadlineState, DeadlineStatus
from pipeline.calendar.status import StatusRow, describe_left
from pipeline.content.model import ReviewStatus
from pipeline.content.project import Project
from pipeline.reporting.yearly import YearlyReport

WIDTH = 80
"""Every line `bscp status` prints fits a terminal this wide."""

STATE_STYLE = {
    DeadlineState.MET: {"fg": "green"},
    DeadlineState.MET_LATE: {"fg": "yellow"},
    DeadlineState.DUE: {"fg": "cyan"},
    DeadlineState.OVERDUE: {"fg": "red", "bold": True},
    DeadlineState.OPEN: {"fg": "cyan"},
    DeadlineState.NOT_STARTED: {"dim": True},
    DeadlineState.CLOSED: {"fg": "green"},
}

# Column widths of the one-line view: 15 + 12 + 13 + 11 + 21 and four gaps of 2 make 80.
COLUMNS = (("Review", 15), ("Stage", 12), ("Next deadline", 13), ("Due", 11), ("Working days", 21))


def where_it_stands(d: DeadlineStatus) -> str:
    """Return 'met (16 Jun 2023)', '3 working days left', 'overdue ...; held: trial' for a deadline."""
    where = (
        d.state.value
        if d.done or d.working_days_left is None
        else describe_left(d.working_days_left, d.state)
    )
    if d.done:
        where += f" ({d.done:%-d %b %Y})"
    if d.note:
        where += f"; {d.note}"
    if d.delay_reason and d.missed:
        where += "; delay reason on record" + (
            f", Panel told {d.panel_informed:%-d %b %Y}" if d.panel_informed else ""
        )
    return where


def _short_left(d: DeadlineStatus) -> str:
    """Return '3 left', '23 overdue', 'due today' or 'window open', and ', held' when held."""
    days = d.working_days_left
    if days is None:
        text = d.state.value
    elif days == 0:
        text = "due today"
    else:
        text = f"{days} left" if days > 0 else f"{-days} overdue"
    if d.note and d.note.startswith("held"):
        text += ", held"
    return text


def status_lines(project: Project, rows: list[StatusRow]) -> list[tuple[str, dict]]:
    """Return the one-line-per-review view as (line, style) pairs, each at most WIDTH columns."""
    out: list[tuple[str, dict]] = [
        (
            f"{project.partnership.abbreviation} reviews as of {project.today:%a %-d %b %Y}",
            {"bold": True},
        ),
        ("", {}),
        ("  ".join(f"{name:<{width}}" for name, width in COLUMNS).rstrip(), {"bold": True}),
    ]
    for row in rows:
        d = row.schedule.next_deadline
        cells = [row.review_id, row.stage, "-", "-", "-"]
        style: dict = {"dim": True}
        if d is not None and d.due is not None:
            cells[2:] = [d.deadline.short, f"{d.due:%-d %b %Y}", _short_left(d)]
            style = STATE_STYLE[d.state]
        line = "  ".join(
            f"{cell[:width]:<{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True)
        )
        out.append((line.rstrip(), style))
    steps = [row for row in rows if row.schedule.next_deadline is not None]
    if steps:
        out += [("", {}), ("Next steps:", {"bold": True})]
        for row in steps:
            out += [(line, {}) for line in _wrap(f"{row.review_id}: {row.schedule.next_action}")]
    out += [
        ("", {}),
        ("Every deadline, next action and approval: bscp status --long", {"dim": True}),
    ]
    return out


def long_lines(project: Project, rows: list[StatusRow]) -> list[tuple[str, dict]]:
    """Return the detailed view: every deadline of every review, wrapped at WIDTH columns."""
    out: list[tuple[str, dict]] = [
        (
            f"{project.partnership.abbreviation} reviews as of {project.today:%A %-d %B %Y}",
            {"bold": True},
        ),
    ]
    for row in rows:
        head = f"{row.review_id}  {row.type.replace('_', ' ')}, {row.status.label.lower()}"
        if row.stage in ("before SIN", "not notified", "held"):
            head += f" ({row.stage})"
        out += [("", {}), (head, {"bold": True})]
        if row.approval and (row.status is ReviewStatus.PUBLISHED or row.approval != NOT_APPROVED):
            out.append((f"  Redaction report: {row.approval}", {}))
        out += [(line, {}) for line in _wrap(f"Next: {row.schedule.next_action}")]
        for d in row.schedule.deadlines:
            text = f"- {d.deadline.label}: " + (
                f"due {d.due:%a %-d %b %Y}; {where_it_stands(d)}" if d.due else "not started"
            )
            out += [(line, STATE_STYLE[d.state]) for line in _wrap(text)]
    return out


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="    ")


def print_status(project: Project, rows: list[StatusRow], long: bool = False) -> None:
    """Print the status view (one line per review, or every deadline with `long`)."""
    for line, style in (long_lines if long else status_lines)(project, rows):
        click.secho(line, **style)


# The same colours as the deadlines: red overdue, cyan still running, green done.
ACTION_STYLE = {
    ActionState.OVERDUE: "bold red",
    ActionState.IN_PROGRESS: "cyan",
    ActionState.OPEN: "default",
    ActionState.COMPLETE: "green",
}


def print_actions(project: Project, rows: list[ActionRow], console: Console | None = None) -> None:
    """Print the actions still to do across reviews, overdue first; fits 80 columns."""
    from rich import box

    console = console or Console()
    overdue = sum(r.state is ActionState.OVERDUE for r in rows)
    title = (
        f"{project.partnership.abbreviation} actions still to do as of {project.today:%-d %B %Y}"
    )
    if not rows:
        console.print(f"{title}: none.")
        return
    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=True, pad_edge=False)
    table.add_column("Review", no_wrap=True)
    table.add_column("Owner", ratio=2)
    table.add_column("Due", width=16)
    table.add_column("Action", ratio=3)
    for row in rows:
        style = ACTION_STYLE[row.state]
        due = f"{row.action.due:%-d %b %Y}\n" if row.action.due else ""
        table.add_row(
            row.ref.replace(" ", "\n"),
            row.action.owner,
            f"{due}[{style}]{describe_due(row)}[/]",
            row.action.action,
        )
    console.print(table)
    console.print(
        f"{len(rows)} action{'s' if len(rows) != 1 else ''} still to do, {overdue} overdue."
    )


def print_yearly(report: YearlyReport, console: Console | None = None) -> None:
    """Print the year's figures, one table with a line between sections; fits 80 columns."""
    from rich import box

    console = console or Console()
    table = Table(
        title=f"{report.partnership}\n{report.year.label}: {report.period}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Section", no_wrap=True)
    table.add_column("Figure")
    table.add_column("Number", justify="right", no_wrap=True)
    for index, (section, figures) in enumerate(report.sections()):
        if index:
            table.add_section()
        for row, figure in enumerate(figures):
            measure = figure.measure if figure.measure[:1].isupper() else f"  {figure.measure}"
            table.add_row(section if row == 0 else "", measure, str(figure.value))
    console.print(table)
