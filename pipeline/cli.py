"""The `bscp` command: parse options, call the library, print. No logic lives here."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pipeline.errors import PipelineError, display_path


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from None


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a PipelineError into its problems on stderr and exit status 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PipelineError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            count = len(exc.problems)
            click.secho(
                f"\n{count} problem{'s' if count != 1 else ''} found; nothing was written for them.",
                err=True,
                fg="red",
            )
            sys.exit(1)

    return wrapper


GLOBAL_OPTIONS = ("--today", "--content")
"""Options of `bscp` itself that an author may also write after the subcommand."""


def hoist_global_options(args: list[str]) -> list[str]:
    """Move `--today D`/`--today=D` (and `--content`) before the subcommand, wherever written."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg in GLOBAL_OPTIONS and index + 1 < len(args):
            front += args[index : index + 2]
            index += 2
            continue
        (front if arg.startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS)) else rest).append(arg)
        index += 1
    return front + rest


class Bscp(click.Group):
    """The top-level group: global options are accepted before or after any subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))


class Context:
    """What every command needs: where the content is and what day it is."""

    def __init__(self, root: Path, content: Path, today: dt.date) -> None:
        self.root = root
        self.content = content
        self.today = today

    def load(self):
        from pipeline.slow_start import announce_if_slow

        with announce_if_slow(f"Reading and checking {display_path(self.content)}/..."):
            from pipeline.content.project import load_project

            project = load_project(
                self.content, self.today, parse_cache=self.root / "build" / "cache" / "content.json"
            )
        for warning in project.warnings:
            click.secho(f"warning: {warning}", err=True, fg="yellow")
        return project


pass_ctx = click.make_pass_decorator(Context)


def output_option(help_text: str) -> Callable[..., Any]:
    """The `-o/--output PATH` option of the commands that write a file."""
    return click.option(
        "-o", "--output", type=click.Path(path_type=Path), default=None, help=help_text
    )


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON for other programs instead of a table."
)
"""The `--json` flag of the commands that print a table."""


@click.group(
    cls=Bscp,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="--today and --content may also be written after the command, e.g. `bscp status --today 2026-12-02`.",
)
@click.option(
    "--content",
    "content",
    type=click.Path(path_type=Path),
    default=None,
    help="The content folder (default: ./content).",
)
@click.option(
    "--today",
    envvar="BSCP_TODAY",
    default=None,
    metavar="YYYY-MM-DD",
    help="Count deadlines as if today were this date.",
)
@click.version_option(package_name="bscp-pipeline")
@click.pass_context
def main(ctx: click.Context, content: Path | None, today: str | None) -> None:
    """Rapid reviews, LCSPRs and learning briefs: check, track, render, anonymise and publish."""
    root = Path.cwd()
    ctx.obj = Context(root, content or root / "content", _today(today))


@main.command()
@pass_ctx
@reports_errors
def check(ctx: Context) -> None:
    """Check every review and brief in content/ and list every problem found."""
    project = ctx.load()
    click.secho(
        f"{display_path(ctx.content)}/ is valid: {len(project.reviews)} reviews and {len(project.briefs)} learning briefs checked.",
        fg="green",
    )


@main.command()
@json_option
@click.option(
    "--long", "long", is_flag=True, help="Every deadline, the next action and the approval of each."
)
@pass_ctx
@reports_errors
def status(ctx: Context, as_json: bool, long: bool) -> None:
    """Show each review's next deadline (one line each; --long for every deadline and next action)."""
    project = ctx.load()  # first: it says what it is doing if the start is slow
    from pipeline.calendar.status import status_rows

    rows = status_rows(project, _approval_states(project))
    if as_json:
        _echo_json(project, "reviews", rows)
        return
    from pipeline.cli_output import print_status

    print_status(project, rows, long=long)


LOADING_MODEL = "(the first run loads the language model: a few seconds)..."


def _echo_json(project, key: str, rows: list, **extra: Any) -> None:
    """Print `{"today": ..., key: [row, ...], **extra}` for other programs."""
    data = {"today": project.today.isoformat(), key: [r.to_json() for r in rows], **extra}
    click.echo(json.dumps(data, indent=2))


def _approval_states(project) -> dict[str, str]:
    from pipeline.slow_start import announce_if_slow

    with announce_if_slow(f"Checking redaction approvals {LOADING_MODEL}"):
        try:
            from pipeline.anonymise.approval import approval_states
        except ImportError:
            return {}
        return approval_states(project)


@main.command()
@click.argument("doc_id", required=False, metavar="ID")
@click.option("--all", "all_", is_flag=True, help="Anonymise every review and brief.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to use (default: one per core, or $BSCP_WORKERS).",
)
@pass_ctx
@reports_errors
def anonymise(ctx: Context, doc_id: str | None, all_: bool, workers: int | None) -> None:
    """Anonymise a review or brief (or --all) into build/anonymised/, refusing any that leaks."""
    from pipeline.anonymise.parallel import anonymise_many
    from pipeline.anonymise.run import all_ids
    from pipeline.slow_start import announce_if_slow

    if bool(doc_id) == all_:
        raise click.UsageError("give one review or brief id, or --all")
    project = ctx.load()
    ids = all_ids(project) if all_ else [doc_id]
    done = 0

    def progress(outcome) -> None:
        nonlocal done
        quiet()  # the first result is its own sign of life
        done += 1
        prefix = f"[{done}/{len(ids)}] " if len(ids) > 1 else ""
        if outcome.error is None:
            click.echo(
                f"{prefix}{outcome.id}: {outcome.replacements} replacements; wrote {outcome.outputs.markdown}"
            )
        else:
            click.secho(f"{prefix}{outcome.id}: refused (see below)", fg="red", err=True)

    with announce_if_slow(f"Anonymising {LOADING_MODEL}") as quiet:
        outcomes = anonymise_many(project, ids, workers=workers, write=True, progress=progress)
    problems = [p for o in outcomes if o.error is not None for p in o.error.problems]
    if problems:
        raise PipelineError(problems)


@main.command()
@click.argument("doc_id", metavar="ID")
@pass_ctx
@reports_errors
def report(ctx: Context, doc_id: str) -> None:
    """Write the redaction report of a review or brief for the reviewer, and print where it is."""
    from pipeline.review.workspace import report_json_path, state_of
    from pipeline.slow_start import announce_if_slow

    project = ctx.load()
    with announce_if_slow(f"Anonymising {doc_id} for its report {LOADING_MODEL}"):
        state = state_of(project, doc_id)
    click.echo(str(report_json_path(project, doc_id).with_suffix(".html")))
    left = len(state.left)
    if left:
        click.echo(f"{left} item{'s' if left != 1 else ''} to decide: bscp review {doc_id}")


_SUMMARY_HELP = "Append the Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)."


@main.command("pr-reports")
@click.option(
    "--changed-from", "base", required=True, metavar="REF", help="The branch the change goes into."
)
@click.option("--summary", "summary_file", type=click.Path(path_type=Path), help=_SUMMARY_HELP)
@pass_ctx
@reports_errors
def pr_reports(ctx: Context, base: str, summary_file: Path | None) -> None:
    """Write the redaction reports of the reviews a change touches, and a summary (for CI)."""
    from pipeline.review.pull_request import changed_paths, report_touched, summary, touched_ids

    project = ctx.load()
    ids = touched_ids(project, changed_paths(str(ctx.root), base))
    outcomes = report_touched(project, ids)
    text = summary(outcomes)
    click.echo(text)
    if summary_file is not None:
        with summary_file.open("a", encoding="utf-8") as handle:
            handle.write(text)
    problems = [p for o in outcomes for p in o.problems]
    if problems:
        raise PipelineError(problems)


def _serve_until_stopped(server) -> None:
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()


@main.command()
@click.argument("doc_id", required=False, metavar="[ID]")
@click.option("--port", default=0, help="The port to listen on (default: a free one).")
@pass_ctx
@reports_errors
def review(ctx: Context, doc_id: str | None, port: int) -> None:
    """Check, decide and approve redactions in your browser (this computer only); Ctrl+C stops it."""
    from pipeline.review.app import ReviewApp, make_server

    ctx.load()  # a mistake in the content is reported here, not in the browser
    app = ReviewApp(ctx.load)
    server = make_server(app, port)
    click.echo(
        "The review workspace is running on this computer only. Open this address (it holds a "
        f"secret; do not share it):\n\n    {app.url(doc_id)}\n\nCtrl+C stops it."
    )
    _serve_until_stopped(server)


@main.command()
@click.argument("doc_id", metavar="ID")
@click.option("--reviewer", required=True, help="Full name of the person approving the report.")
@click.option(
    "--keep-the-rest",
    is_flag=True,
    help="Keep as is every item of the check list not decided in `bscp review` (you read them).",
)
@pass_ctx
@reports_errors
def approve(ctx: Context, doc_id: str, reviewer: str, keep_the_rest: bool) -> None:
    """Record that REVIEWER checked the redaction report of ID and approves its anonymised output."""
    from pipeline.anonymise.approval import approve as record
    from pipeline.anonymise.approval import read_approval
    from pipeline.slow_start import announce_if_slow

    project = ctx.load()
    with announce_if_slow(f"Checking {doc_id}'s anonymised output {LOADING_MODEL}"):
        path = record(project, doc_id, reviewer, ctx.today, keep_rest=keep_the_rest)
    approval = read_approval(project, doc_id)
    click.echo(f"Approved {doc_id} as {approval.reviewer}, {approval.time} UTC:")
    click.echo(
        f"  output {approval.output_hash[:16]}  policy {approval.policy_hash[:16]}  report {approval.report_hash[:16]}"
    )
    for name, count in (approval.counts or {}).items():
        click.echo(f"  {name}: {count}")
    click.echo(f"Wrote {path}. Commit it; any change to the output makes it stale.")


@main.command()
@output_option("Where to write the .ics file (default: build/deadlines.ics).")
@pass_ctx
@reports_errors
def calendar(ctx: Context, output: Path | None) -> None:
    """Write the deadlines still to meet, and actions due, as an .ics file for Outlook or Google Calendar."""
    from pipeline.calendar.actions import action_rows
    from pipeline.calendar.status import calendar_ics, status_rows

    project = ctx.load()
    output = output or ctx.root / "build" / "deadlines.ics"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(calendar_ics(project, status_rows(project), action_rows(project)))
    click.echo(
        f"Wrote {output}: import it into Outlook (File > Open > Import) or Google Calendar (Settings > Import)."
    )


@main.command()
@json_option
@click.option(
    "--all", "include_complete", is_flag=True, help="Include the actions already complete."
)
@pass_ctx
@reports_errors
def actions(ctx: Context, as_json: bool, include_complete: bool) -> None:
    """List the open and overdue actions of every review's action plan, overdue first."""
    from pipeline.calendar.actions import action_rows, reviews_without_a_plan

    project = ctx.load()
    rows = action_rows(project, include_complete=include_complete)
    missing = reviews_without_a_plan(project)
    if as_json:
        _echo_json(project, "actions", rows, reviews_without_a_plan=missing)
        return
    from pipeline.cli_output import print_actions

    print_actions(project, rows)
    if missing:
        click.secho(
            "No action plan recorded for these reviews, which decided on no further review: "
            + ", ".join(missing),
            fg="yellow",
        )


@main.command()
@click.argument("year", metavar="YEAR")
@output_option("The folder for the CSV file and the chart (default: build/yearly).")
@pass_ctx
@reports_errors
def yearly(ctx: Context, year: str, output: Path | None) -> None:
    """The figures for the yearly report of financial YEAR (e.g. 2025-26): a table, CSV and chart."""
    from pipeline.cli_output import print_yearly
    from pipeline.reporting.yearly import FinancialYear, write_yearly, yearly_report

    fy = FinancialYear.parse(year)
    project = ctx.load()
    report = yearly_report(project, fy)
    print_yearly(report)
    for path in write_yearly(report, output or ctx.root / "build" / "yearly", project):
        click.echo(f"Wrote {display_path(path)}")


@main.group()
def new() -> None:
    """Start a new review or learning brief from a template with every section."""


@new.command("review")
@click.argument("review_id")
@click.option(
    "--type",
    "review_type",
    type=click.Choice(["rapid_review", "lcspr"]),
    default="rapid_review",
    show_default=True,
)
@pass_ctx
@reports_errors
def new_review(ctx: Context, review_id: str, review_type: str) -> None:
    """Create content/reviews/REVIEW_ID with review.yaml and every section file."""
    from pipeline.content.scaffold import scaffold_review

    folder = scaffold_review(ctx.content, review_id, review_type, ctx.today)
    click.echo(f"Created {folder}. Fill in review.yaml and the section files, then run: bscp check")


@new.command("brief")
@click.argument("brief_id")
@pass_ctx
@reports_errors
def new_brief(ctx: Context, brief_id: str) -> None:
    """Create content/briefs/BRIEF_ID with a brief.yaml of seven panels."""
    from pipeline.content.scaffold import scaffold_brief

    folder = scaffold_brief(ctx.content, brief_id, ctx.today)
    click.echo(f"Created {folder}. Fill in brief.yaml, then run: bscp check")


@main.command()
@click.option(
    "--strict/--no-strict",
    default=None,
    help="Fail if any publication is left out for want of approval, or if LibreOffice is missing "
    "and no PDF can be made (the default when CI=true).",
)
@pass_ctx
@reports_errors
def build(ctx: Context, strict: bool | None) -> None:
    """Build the website in build/site from approved, anonymised content, checked for leaks."""
    import os

    from pipeline.build import build as build_site
    from pipeline.build import describe
    from pipeline.publish.progress import RichReporter

    project = ctx.load()
    if strict is None:
        strict = os.environ.get("CI", "").lower() == "true"
    reporter = RichReporter()
    try:
        result = build_site(project, ctx.root, strict=strict, reporter=reporter)
    finally:
        reporter.close()
    click.secho(describe(result, ctx.root), fg="green")
    if result.pdf_missing:
        from pipeline.build import NO_PDF_WARNING

        click.secho(f"Warning: {NO_PDF_WARNING}.", fg="yellow", err=True)
    if result.left_out:
        click.secho(
            f"{len(result.left_out)} left out (listed above); the site does not include them.",
            fg="yellow",
            err=True,
        )


@main.command()
@click.option("--port", default=8000, show_default=True, help="The port to listen on.")
@click.option(
    "--build/--no-build", "rebuild", default=True, help="Build the site first (the default)."
)
@pass_ctx
@reports_errors
def serve(ctx: Context, port: int, rebuild: bool) -> None:
    """Preview the website at http://127.0.0.1:PORT/ (this computer only); Ctrl+C stops it."""
    from pipeline.publish.serve import make_server

    if rebuild:
        ctx_click = click.get_current_context()
        ctx_click.invoke(build, strict=False)
    server = make_server(ctx.root / "build" / "site", port)
    click.echo(f"Serving build/site at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)")
    _serve_until_stopped(server)


@main.command()
@click.option(
    "--write",
    "mode",
    flag_value="write",
    help="Regenerate schema/*.json and docs/content-reference.md.",
)
@click.option(
    "--check",
    "mode",
    flag_value="check",
    default=True,
    help="Fail if they are out of date (the default).",
)
@pass_ctx
@reports_errors
def schema(ctx: Context, mode: str) -> None:
    """Regenerate or check the JSON Schemas and the authors' reference page."""
    from pipeline.content.schema import generated_files

    stale = []
    for path, text in generated_files(ctx.root).items():
        if mode == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            click.echo(f"Wrote {path.relative_to(ctx.root)}")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.relative_to(ctx.root))
    if stale:
        raise PipelineError(
            f"out of date: {', '.join(map(str, stale))}; run `bscp schema --write` (or `make schema`) and commit them"
        )
    if mode == "check":
        click.echo("Schemas and reference page are up to date.")


@main.command()
@click.argument("review_id", required=False)
@click.option("--all", "all_reviews", is_flag=True, help="Render every review in content/.")
@click.option("--pdf", is_flag=True, help="Also convert the documents to PDF with LibreOffice.")
@pass_ctx
@reports_errors
def render(ctx: Context, review_id: str | None, all_reviews: bool, pdf: bool) -> None:
    """Write a review's Word documents for the Panel and partners under build/confidential/<id>/."""
    from pipeline.render.run import render_reviews

    if bool(review_id) == all_reviews:
        raise click.UsageError("give one review id, or --all")
    project = ctx.load()
    ids = sorted(e.id for e in project.reviews) if all_reviews else [review_id]

    def progress(index: int, total: int, result) -> None:
        where = (
            result.out_dir.relative_to(ctx.root)
            if result.out_dir.is_relative_to(ctx.root)
            else result.out_dir
        )
        count = len(result.documents)
        done = "unchanged" if result.unchanged else "written"
        prefix = f"[{index}/{total}] " if all_reviews else ""
        if count:
            click.echo(
                f"{prefix}{result.review_id}: {count} document{'s' if count != 1 else ''} {done} in {where}/"
            )
        else:
            click.echo(
                f"{prefix}{result.review_id}: no confidential documents for an LCSPR (its terms of reference come with its rapid review)"
            )

    if pdf:
        click.echo(
            "PDFs are made with LibreOffice after the Word documents; this takes a few seconds."
        )
    results = render_reviews(project, ids, ctx.root / "build", pdf=pdf, progress=progress)
    if pdf:
        made = sum(len(r.pdfs) for r in results)
        click.echo(f"{made} PDF{'s' if made != 1 else ''} beside the Word documents.")


if __name__ == "__main__":  # pragma: no cover
    main()
