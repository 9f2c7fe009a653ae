"""Calendar periods (`in this|last|next week|month|quarter|year`, fiscal units) and the
`in last 1 week` warning.

A period is a range of whole days [first, last], given as IR date values computed from
today: `period_range` is the one place that knows where weeks, months, quarters, years and
fiscal periods start, so that any construct taking a period (windows on dates and relations,
anniversaries) reuses it. Week starts come from `ir.StartOf(.., "week")` (Monday weeks,
computed from a fixed Monday with a non-negative modulo, never an engine's week function); a
Sunday week is the Monday week of the next day, one day earlier. Fiscal periods are the
calendar quarter or year of the date moved back by the fiscal start, moved forward again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.diagnostics import Diagnostic, Fix, warning
from segdsl.project.calendar import Calendar
from segdsl.syntax import ast

if TYPE_CHECKING:
    from segdsl.check.exprs import ExprChecker

FISCAL_UNITS = ("fiscal_quarter", "fiscal_year")
PERIOD_WORDS = ("week", "month", "quarter", "year", *FISCAL_UNITS)
# how long each period is, as a shift of its first day
_LENGTH: dict[str, tuple[int, ir.Unit]] = {
    "week": (7, "day"), "month": (1, "month"), "quarter": (3, "month"), "year": (12, "month"),
    "fiscal_quarter": (3, "month"), "fiscal_year": (12, "month")}


def _shift(v: ir.Value, amount: int, unit: ir.Unit) -> ir.Value:
    if amount == 0:
        return v
    if isinstance(v, ir.ShiftDate) and v.unit == unit and unit == "day":
        total = v.amount + amount
        return ir.ShiftDate(v.base, total, unit) if total else v.base
    return ir.ShiftDate(v, amount, unit)


def period_start(calendar: Calendar, unit: str, day: ir.Value) -> ir.Value:
    """The first day of the period of kind `unit` that contains the date `day`."""
    if unit == "week":
        if calendar.week_start == "monday":
            return ir.StartOf(day, "week")
        return _shift(ir.StartOf(_shift(day, 1, "day"), "week"), -1, "day")
    if unit in FISCAL_UNITS:
        assert calendar.fiscal_year_start is not None  # the checker reports SEG0325 first
        months = calendar.fiscal_year_start - 1
        if unit == "fiscal_quarter":
            months %= 3  # fiscal quarters start every 3 months from the fiscal year's month
        kind: ir.PeriodUnit = "quarter" if unit == "fiscal_quarter" else "year"
        return _shift(ir.StartOf(_shift(day, -months, "month"), kind), months, "month")
    assert unit in ("month", "quarter", "year")
    return ir.StartOf(day, "month" if unit == "month" else "quarter" if unit == "quarter" else "year")


def period_range(calendar: Calendar, direction: str, unit: str,
                 today: ir.Value | None = None) -> tuple[ir.Value, ir.Value]:
    """The first and the last day (both included) of `this|last|next unit` as IR date values:
    the period containing today (`this`), the complete one before it (`last`) or after it
    (`next`). `unit` is one of PERIOD_WORDS (fiscal units need calendar.fiscal_year_start)."""
    start = period_start(calendar, unit, today if today is not None else ir.Today())
    n, step = _LENGTH[unit]
    offset = {"last": -1, "this": 0, "next": 1}[direction]
    first = _shift(start, offset * n, step)
    after = _shift(start, (offset + 1) * n, step)
    return first, _shift(after, -1, "day")


def checked_period(ck: ExprChecker, w: ast.PeriodWindow) -> tuple[ir.Value, ir.Value] | None:
    """The first and last day of `in this|last|next P`, or None when P is a fiscal unit and the
    project has no fiscal year (SEG0325)."""
    calendar = ck.schema.calendar
    if w.unit in FISCAL_UNITS and calendar.fiscal_year_start is None:
        ck.report("SEG0325", f"`{w.unit}` needs the month the fiscal year starts in", w.unit_span,
                  "add `fiscal_year_start = 4` (for April; any month number 1-12) to [project] in segdsl.toml",
                  f"or use the calendar `{w.unit.removeprefix('fiscal_')}`")
        return None
    return period_range(calendar, w.direction, w.unit)


def period_window(ck: ExprChecker, w: ast.PeriodWindow, date_value: ir.Value) -> ir.Cond | None:
    """`date_value in this|last|next P`: first <= date <= last."""
    found = checked_period(ck, w)
    if found is None:
        return None
    first, last = found
    return ir.And((ir.Cmp(">=", date_value, first), ir.Cmp("<=", date_value, last)))


# ---- SEG0612 ----------------------------------------------------------------------------------

def one_week_window(w: ast.Window) -> Diagnostic | None:
    """`in last 1 week` / `in next 1 week` are the 7 days ending (starting) today; a calendar
    week (`in last week`) is what is often meant. Months and years are not flagged: `in last
    1 month` is a common deliberate rolling window."""
    d = w.duration
    if d.unit != "week" or d.amount.text != "1":
        return None
    rolling = ("the 7 days ending today" if w.direction == "last" else "the 7 days starting today")
    calendar = "the previous calendar week" if w.direction == "last" else "the following calendar week"
    return warning("SEG0612", f"`in {w.direction} 1 week` is {rolling}, not a calendar week", w.span,
                   f"for {calendar} write `in {w.direction} week`; to keep the rolling window and "
                   f"silence this, write `in {w.direction} 7 days`",
                   fixes=[Fix(d.span, "week", f"use the calendar week (`in {w.direction} week`)"),
                          Fix(d.span, "7 days", f"keep the rolling 7 days (`in {w.direction} 7 days`)")])
