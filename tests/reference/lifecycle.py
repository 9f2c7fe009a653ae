"""The lifecycle counts of the reference evaluator, from the definitions in the language
reference rather than from the SQL's arithmetic: a period is found by testing its bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tests.reference.values import Val, add_months


def distinct_periods(function: str, dates: Iterable[Val], today: dt.date) -> int:
    """How many distinct days (`count_days`) or periods of one week / month ending today
    (`count_weeks`, `count_months`) hold one of `dates` (missing dates hold none)."""
    found = [d for d in dates if isinstance(d, dt.date)]
    if function == "count_days":
        return len(set(found))
    return len({period(function, d, today) for d in found})


def period(function: str, d: dt.date, today: dt.date) -> int:
    """The i with bound(i + 1) < d <= bound(i), bound(i) = today - i units (months clamp
    from today's day of the month: 30 June - 4 months = 28 February)."""
    if function == "count_weeks":
        def bound(i: int) -> dt.date:
            return today - dt.timedelta(days=7 * i)
        guess = (today - d).days // 7
    else:
        def bound(i: int) -> dt.date:
            return add_months(today, -i)
        guess = (today.year - d.year) * 12 + today.month - d.month
    for i in range(guess - 2, guess + 3):
        if bound(i + 1) < d <= bound(i):
            return i
    raise AssertionError(f"no period of {d} from {today}")
