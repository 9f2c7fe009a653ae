"""Plain-English phrases for anniversaries."""

from __future__ import annotations

from collections.abc import Callable

from segdsl import ir
from segdsl.explain.periods import period_text
from segdsl.explain.values import shift_text

LEAP_NOTE = " (a 29 February counts on 1 March in years that are not leap years)"


def anniversary_phrase(c: ir.Anniversary, whose: str, value: Callable[[ir.Value], str]) -> str:
    """`whose birth date has its anniversary (same month and day) in the next 7 days ...`"""
    today = ir.Today()
    head = f"{whose} has its anniversary (same month and day, any year)"
    if c.start == today and c.end == today:
        return f"{head} today{LEAP_NOTE}"
    end, start = c.end, c.start
    if (c.start == today and isinstance(end, ir.ShiftDate) and end.amount == -1 and end.unit == "day"
            and isinstance(end.base, ir.ShiftDate) and end.base.base == today and end.base.amount > 0):
        return f"{head} in the next {shift_text(end.base.amount, end.base.unit)}, today included{LEAP_NOTE}"
    if (c.end == today and isinstance(start, ir.ShiftDate) and start.amount == 1 and start.unit == "day"
            and isinstance(start.base, ir.ShiftDate) and start.base.base == today and start.base.amount < 0):
        return f"{head} in the last {shift_text(start.base.amount, start.base.unit)}, today included{LEAP_NOTE}"
    period = period_text(c.start, c.end)
    if period is not None:
        return f"{head} {period}{LEAP_NOTE}"
    return f"{head} between {value(c.start)} and {value(c.end)}, both included{LEAP_NOTE}"
