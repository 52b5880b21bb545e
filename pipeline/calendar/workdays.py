"""Working days in England and Wales: weekends and bank holidays (one-offs included) are not counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> dict[dt.date, str]:
    # The `holidays` package ships the rules and the announced one-off days (19 Sep 2022, 8 May 2023)
    # in the wheel: nothing is fetched.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(year: int) -> dict[dt.date, str]:
    """Return England and Wales bank holidays in `year`, with their names (weekend dates included)."""
    return dict(_bank_holidays(year))


class WorkingCalendar:
    """Count working days: Monday to Friday, less bank holidays and the partnership's closure days."""

    def __init__(self, extra_closures: Iterable[dt.date] = ()) -> None:
        self.extra_closures = frozenset(extra_closures)

    def is_working_day(self, day: dt.date) -> bool:
        """Return True when `day` counts towards a deadline."""
        return (
            day.weekday() < 5
            and day not in _bank_holidays(day.year)
            and day not in self.extra_closures
        )

    def add_working_days(self, anchor: dt.date, days: int) -> dt.date:
        """Return the `days`-th working day after `anchor` (the anchor is day 0)."""
        return self._step(anchor, days, dt.timedelta(days=1))

    def subtract_working_days(self, anchor: dt.date, days: int) -> dt.date:
        """Return the `days`-th working day before `anchor` (for "at least N working days before")."""
        return self._step(anchor, days, dt.timedelta(days=-1))

    def _step(self, anchor: dt.date, days: int, step: dt.timedelta) -> dt.date:
        if days < 0:
            raise ValueError("days must not be negative")
        day, counted = anchor, 0
        while counted < days:
            day += step
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Return the working days after `start` up to and including `end`; negative when `end` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
