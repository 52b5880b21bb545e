"""Tables and progress for people at a terminal (the CLI's presentation, kept out of the library)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.calendar.actions import ActionRow, ActionState, describe_due
from pipeline.calendar.deadlines import DeadlineState
from pipeline.calendar.status import StatusRow, describe_left
from pipeline.content.project import Project
from pipeline.reporting.yearly import YearlyReport

STATE_STYLE = {
    DeadlineState.MET: "green",
    DeadlineState.MET_LATE: "yellow",
    DeadlineState.DUE: "cyan",
    DeadlineState.OVERDUE: "bold red",
    DeadlineState.OPEN: "cyan",
    DeadlineState.NOT_STARTED: "dim",
}


def print_status(project: Project, rows: list[StatusRow], console: Console | None = None) -> None:
    """Print the status table: one row per deadline, grouped by review."""
    console = console or Console()
    table = Table(
        title=f"{project.partnership.abbreviation} reviews as of {project.today:%A %-d %B %Y}",
        show_lines=True,
    )
    table.add_column("Review", no_wrap=True)
    table.add_column("Status")
    table.add_column("Deadline")
    table.add_column("Due", no_wrap=True)
    table.add_column("Where it stands")
    table.add_column("Next action")
    for row in rows:
        deadlines = row.schedule.deadlines
        for index, d in enumerate(deadlines):
            style = STATE_STYLE[d.state]
            where = (
                d.state.value
                if d.done or d.working_days_left is None
                else describe_left(d.working_days_left, d.state)
            )
            if d.done:
                where += f" ({d.done:%-d %b %Y})"
            if d.delay_reason and d.missed:
                where += "; delay reason on record" + (
                    f", Panel told {d.panel_informed:%-d %b %Y}" if d.panel_informed else ""
                )
            status = row.status.label
            if row.approval and index == 0:
                status += f"\nRedaction: {row.approval}"
            table.add_row(
                row.review_id if index == 0 else "",
                status if index == 0 else "",
                d.deadline.label,
                f"{d.due:%a %-d %b %Y}" if d.due else "-",
                f"[{style}]{where}[/]",
                row.schedule.next_action if index == 0 else "",
            )
    console.print(table)


# The same colours as the deadlines: red overdue, cyan still running, green done.
ACTION_STYLE = {
    ActionState.OVERDUE: STATE_STYLE[DeadlineState.OVERDUE],
    ActionState.IN_PROGRESS: STATE_STYLE[DeadlineState.DUE],
    ActionState.OPEN: "default",
    ActionState.COMPLETE: STATE_STYLE[DeadlineState.MET],
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
