"""The reference meaning of anniversaries and completed years, written from the spec's
words with real dates (independent of the month-day arithmetic of segdsl/sql/anniversaries.py)."""

from __future__ import annotations

import datetime as dt


def anniversary_on(day: dt.date, year: int) -> dt.date:
    """The anniversary of `day` in `year`: 29 February falls on 1 March when there is none."""
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year that is not a leap year
        return dt.date(year, 3, 1)


def anniversary_in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    """Some day from `start` to `end` (both included) is an anniversary of `day`."""
    if day is None:
        return False
    return any(start <= anniversary_on(day, y) <= end for y in range(start.year, end.year + 1))


def years_since(day: dt.date | None, today: dt.date) -> int | None:
    """Completed years from `day` to `today`: a year is complete on its anniversary."""
    if day is None:
        return None
    years = today.year - day.year
    return years - 1 if anniversary_on(day, today.year) > today else years
