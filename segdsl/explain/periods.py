"""Calendar periods in plain English: the date range a `this|last|next P` window checks to,
read back as the words of the window."""

from __future__ import annotations

import functools

from segdsl import ir
from segdsl.check.calendar import PERIOD_WORDS, period_range
from segdsl.project.calendar import Calendar

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@functools.cache
def _ranges() -> dict[tuple[ir.Value, ir.Value], str]:
    """(first, last) -> `this month`, `last fiscal year (from April)`, ... for every calendar."""
    out: dict[tuple[ir.Value, ir.Value], str] = {}
    calendars = [Calendar("monday"), Calendar("sunday"), *(Calendar("monday", m) for m in range(1, 13))]
    for cal in calendars:
        for unit in PERIOD_WORDS:
            if unit.startswith("fiscal") != (cal.fiscal_year_start is not None):
                continue
            if unit == "week" and cal.week_start == "sunday":
                name = "week (Sunday to Saturday)"
            elif unit == "week":
                name = "week (Monday to Sunday)"
            elif cal.fiscal_year_start is not None:
                name = f"{unit.replace('_', ' ')} (fiscal years start in {_MONTHS[cal.fiscal_year_start - 1]})"
            else:
                name = unit
            for direction in ("this", "last", "next"):
                out.setdefault(period_range(cal, direction, unit), f"in {direction} {name}")
    return out


def period_text(first: ir.Value, last: ir.Value) -> str | None:
    """`in this month` when [first, last] is a calendar period's range, else None."""
    return _ranges().get((first, last))


def start_text(unit: str) -> str:
    return {"week": "the Monday that starts the week", "month": "the first day of the month",
            "quarter": "the first day of the quarter", "year": "the first day of the year"}[unit]
