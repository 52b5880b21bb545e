"""The figures a partnership's yearly report needs, for one financial year (1 April to 31 March).

What is counted, and by which date (each review counts in the year its date falls in):

- notifications: rapid reviews whose Serious Incident Notification was submitted in the year, and
  how many of them within the notification deadline;
- rapid reviews: sent to the Panel in the year, how many within the rapid review deadline (15
  working days by default), and those notified but not yet sent at the end of the year;
- decisions: made in the year, by outcome; LCSPRs commissioned (decided) and published in the year,
  and how many of those published within the publication deadline;
- themes: reviews with any of those events in the year, by theme;
- actions: due and completed in the year, and those still to do at the end of the year (open or
  overdue). An action counts from its review's decision (an action plan follows a decision).

A year not yet over is counted to the project's `today`, and says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pipeline.calendar.actions import ActionState, action_state
from pipeline.calendar.deadlines import DeadlineState, lcspr_decision_date, schedule
from pipeline.content.model import Deadline, DecisionOutcome, Review, ReviewStatus, ReviewType
from pipeline.content.project import Project
from pipeline.errors import PipelineError

DECISION_LABELS = {
    DecisionOutcome.LCSPR: "Decided: LCSPR",
    DecisionOutcome.NATIONAL_REVIEW_RECOMMENDED: "Decided: national review recommended",
    DecisionOutcome.OTHER_LEARNING_REVIEW: "Decided: another learning review",
    DecisionOutcome.NO_FURTHER_REVIEW: "Decided: no further review",
}


@dataclass(frozen=True)
class FinancialYear:
    """1 April of `start_year` to 31 March of the year after."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read '2025-26' (or '2025/26'); refuse anything else with an example."""
        match = re.fullmatch(r"(\d{4})[-/](\d{2})", text.strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise PipelineError(
                f"{text!r} is not a financial year: write the year it starts and the next, e.g. 2025-26 (April 2025 to March 2026)"
            )
        return cls(int(match[1]))

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def __contains__(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(frozen=True)
class Figure:
    section: str
    measure: str
    value: int


@dataclass(frozen=True)
class YearlyReport:
    partnership: str
    year: FinancialYear
    as_of: dt.date  # the end of the year, or today when the year is not over
    figures: tuple[Figure, ...]

    @property
    def complete(self) -> bool:
        return self.as_of >= self.year.end

    @property
    def period(self) -> str:
        end = self.year.end if self.complete else self.as_of
        return f"{self.year.start:%-d %B %Y} to {end:%-d %B %Y}" + (
            "" if self.complete else " (the year is not over)"
        )

    def sections(self) -> list[tuple[str, list[Figure]]]:
        out: dict[str, list[Figure]] = {}
        for figure in self.figures:
            out.setdefault(figure.section, []).append(figure)
        return list(out.items())

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["year", "section", "measure", "number"])
        for f in self.figures:
            writer.writerow([self.year.label, f.section, f.measure, f.value])
        return buffer.getvalue()

    def text_alternative(self) -> str:
        """Every figure in a sentence per section: what a screen reader says for the chart."""
        parts = [f"{self.partnership}, {self.year.label}, {self.period}."]
        for section, figures in self.sections():
            parts.append(
                f"{section}: " + "; ".join(f"{f.measure} {f.value}" for f in figures) + "."
            )
        return " ".join(parts)


def _plan_start(review: Review, related: Review | None) -> dt.date | None:
    """The day an action plan exists from: the decision (the commissioning one, for an LCSPR)."""
    if review.type is ReviewType.LCSPR:
        return lcspr_decision_date(review, related) or review.dates.published
    return review.dates.decision


def yearly_report(project: Project, year: FinancialYear) -> YearlyReport:
    """Count the year's figures from every review (withdrawn ones left out)."""
    as_of = min(project.today, year.end)
    if as_of < year.start:
        raise PipelineError(
            f"{year.label} has not started yet (today is {project.today:%-d %B %Y}): nothing to count"
        )
    calendar = project.calendar
    counts: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    theme_labels = {t.id: t.label for t in project.partnership.themes}
    for entry in project.reviews:
        review = entry.review
        if review.status is ReviewStatus.WITHDRAWN:
            continue
        related = project.related(review)
        plan = schedule(review, project.partnership, calendar, as_of, related)
        dates = review.dates
        active = False
        if review.type is ReviewType.RAPID_REVIEW:
            if dates.sin_submitted in year:
                active = True
                counts["notified"] += 1
                counts["notified on time"] += plan.get(Deadline.SIN).state is DeadlineState.MET
            if dates.sent_to_panel in year:
                active = True
                counts["sent"] += 1
                counts["sent on time"] += plan.get(Deadline.RAPID_REVIEW).state is DeadlineState.MET
            elif (
                dates.sin_submitted is not None
                and dates.sin_submitted <= as_of
                and (dates.sent_to_panel is None or dates.sent_to_panel > as_of)
            ):
                counts["not yet sent"] += 1
            if dates.decision in year and review.decision is not None:
                active = True
                counts[DECISION_LABELS[review.decision.outcome]] += 1
            if dates.published in year:
                active = True
                counts["rapid reviews published"] += 1
        else:
            if dates.published in year:
                active = True
                counts["lcsprs published"] += 1
                publication = plan.get(Deadline.LCSPR_PUBLICATION)
                counts["lcsprs published on time"] += publication.state is DeadlineState.MET
        if active:
            for theme in review.themes:
                themes[theme_labels.get(theme, theme)] += 1
        start = _plan_start(review, related)
        for action in review.actions:
            if action.due in year:
                counts["actions due"] += 1
            if action.completed in year:
                counts["actions completed"] += 1
            if start is not None and start <= as_of:
                state = action_state(action, as_of)
                if state is ActionState.OVERDUE:
                    counts["actions overdue"] += 1
                elif state is not ActionState.COMPLETE:
                    counts["actions open"] += 1
    at = "at the end of the year" if as_of >= year.end else f"on {as_of:%-d %B %Y}"
    rows = [
        ("Notifications", "Serious incidents notified to the Panel", counts["notified"]),
        ("Notifications", "notified within the deadline", counts["notified on time"]),
        ("Rapid reviews", "Rapid reviews sent to the Panel", counts["sent"]),
        ("Rapid reviews", "sent within the deadline", counts["sent on time"]),
        ("Rapid reviews", f"notified but not yet sent {at}", counts["not yet sent"]),
        ("Rapid reviews", "Rapid reviews published", counts["rapid reviews published"]),
        *(("Decisions", label, counts[label]) for label in DECISION_LABELS.values()),
        ("LCSPRs", "LCSPRs commissioned", counts[DECISION_LABELS[DecisionOutcome.LCSPR]]),
        ("LCSPRs", "LCSPRs published", counts["lcsprs published"]),
        ("LCSPRs", "published within the deadline", counts["lcsprs published on time"]),
        ("Actions", "Actions due in the year", counts["actions due"]),
        ("Actions", "Actions completed in the year", counts["actions completed"]),
        ("Actions", f"Actions open {at}", counts["actions open"]),
        ("Actions", f"Actions overdue {at}", counts["actions overdue"]),
        *(
            ("Themes", label, n)
            for label, n in sorted(themes.items(), key=lambda item: (-item[1], item[0]))
        ),
    ]
    return YearlyReport(
        project.partnership.name,
        year,
        as_of,
        tuple(Figure(section, measure, value) for section, measure, value in rows),
    )


# ---------------------------------------------------------------------------------------------------
# The chart: an SVG written here, so its text is real text a screen reader and a search can read,
# it scales without blurring in a Word or web report, and it is the same bytes for the same figures.

WIDTH = 760
LABEL_WIDTH = 360
BAR_WIDTH = 320
ROW = 24
BAR_COLOUR = "#1d4f91"  # 8.6:1 against white
TEXT_COLOUR = "#1a1a1a"


def chart_svg(report: YearlyReport) -> str:
    """Return a horizontal bar chart of every figure, grouped by section, with a title and a
    text alternative (`<title>` and `<desc>`, referenced by `aria-labelledby`)."""
    largest = max((f.value for f in report.figures), default=0) or 1
    title = f"{report.partnership}: figures for {report.year.label}"
    lines: list[str] = []
    y = 64
    for section, figures in report.sections():
        y += 8
        lines.append(
            f'<text x="16" y="{y + 16}" font-weight="bold" font-size="15">{escape(section)}</text>'
        )
        y += ROW
        for f in figures:
            length = round(BAR_WIDTH * f.value / largest)
            indent = 32 if f.measure[:1].islower() else 16
            lines.append(
                f'<text x="{indent}" y="{y + 16}">{escape(f.measure)}</text>'
                f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 8}" fill="{BAR_COLOUR}"/>'
                f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}">{f.value}</text>'
            )
            y += ROW
    height = y + 24
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" xml:lang="en" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="13" fill="{TEXT_COLOUR}">\n'
        f'<title id="chart-title">{escape(title)}</title>\n'
        f'<desc id="chart-desc">{escape(report.text_alternative())}</desc>\n'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>\n'
        f'<text x="16" y="30" font-size="18" font-weight="bold">{escape(title)}</text>\n'
        f'<text x="16" y="52">{escape(report.period)}</text>\n' + "\n".join(lines) + "\n</svg>\n"
    )


def write_yearly(report: YearlyReport, folder, project: Project) -> list:
    """Write `<ABBR>-yearly-<year>.csv` and `.svg` into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{project.partnership.abbreviation}-yearly-{report.year.label}"
    csv_path, svg_path = folder / f"{stem}.csv", folder / f"{stem}.svg"
    csv_path.write_text(report.to_csv(), encoding="utf-8")
    svg_path.write_text(chart_svg(report), encoding="utf-8")
    return [csv_path, svg_path]
