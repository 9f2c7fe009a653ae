"""Dates fixed for a query and the instants local days start: shared by the planner (which
decides whether a comparison of local dates can become a range of instants) and the SQL
lowering (which writes it)."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import zoneinfo

from segdsl import ir


def shift(d: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=amount)
    months = d.year * 12 + d.month - 1 + amount
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def start_of(d: dt.date, unit: str) -> dt.date:
    """The first day of the calendar week (from Monday), month, quarter or year of `d`."""
    if unit == "week":
        return d - dt.timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    if unit == "quarter":
        return dt.date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    assert unit == "year"
    return dt.date(d.year, 1, 1)


_UTC = dt.UTC


@functools.lru_cache(maxsize=4096)
def day_start(tz: str, day: dt.date) -> dt.datetime | None:
    """The instant (naive UTC) at which local date `day` begins in zone `tz`: every instant
    before it has an earlier local date and every instant from it on a later or equal one.
    None when no such instant exists: a clock set back across midnight near that day makes
    the local date go backwards, and then only a per-row conversion is exact.

    Local midnight that falls in a gap (clocks jump from 00:00 to 01:00) maps, with fold=0,
    through the offset before the jump, i.e. to the instant the day actually starts."""
    if tz == "UTC":
        return dt.datetime(day.year, day.month, day.day)
    zone = zoneinfo.ZoneInfo(tz)
    start = dt.datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(_UTC)

    def right_side(t: dt.datetime) -> bool:
        return (t.astimezone(zone).date() >= day) == (t >= start)

    # Outside +-50 h the local date is on the right side whatever the offset. Inside, check
    # every hour; within an hour of constant offset local time runs forward, so the answer
    # cannot flip back and forth; an hour in which the offset changes is checked by minute.
    hours = [start + dt.timedelta(hours=h) for h in range(-50, 51)]
    offsets = [t.astimezone(zone).utcoffset() for t in hours]
    if not all(right_side(t) for t in hours):
        return None
    for t, a, b in zip(hours, offsets, offsets[1:]):
        if a != b and not all(right_side(t + dt.timedelta(minutes=m)) for m in range(1, 60)):
            return None
    if right_side(start - dt.timedelta(microseconds=1)) is False:
        return None
    return start.replace(tzinfo=None)


def fixed_date(v: ir.Value, as_of: dt.date | None) -> dt.date | None:
    """The value of a date known when compiling (a literal, --as-of, or a shift of one)."""
    if isinstance(v, ir.Lit) and isinstance(v.value, dt.date) and not isinstance(v.value, dt.datetime):
        return v.value
    if isinstance(v, ir.Today):
        return as_of
    if isinstance(v, ir.ShiftDate):
        base = fixed_date(v.base, as_of)
        return None if base is None else shift(base, v.amount, v.unit)
    if isinstance(v, ir.StartOf):
        day = fixed_date(v.value, as_of)
        return None if day is None else start_of(day, v.unit)
    return None


def shift_days(v: ir.Value, k: int) -> ir.Value:
    if k == 0:
        return v
    if isinstance(v, ir.ShiftDate) and v.unit == "day":
        return ir.ShiftDate(v.base, v.amount + k, "day") if v.amount + k else v.base
    return ir.ShiftDate(v, k, "day")


def day_starts(date_value: ir.Value, offsets: tuple[int, ...], tz: str,
               as_of: dt.date | None) -> dict[int, dt.datetime] | None | bool:
    """For the local days `date_value` + k (k in offsets): their starting instants when the
    date is fixed when compiling; True when the start is computed in SQL: in UTC a day
    starts at its midnight, whether the date is known only when the query runs (today) or
    differs per customer (`customer.signup_date + 30 days`); None when no exact start exists."""
    day = fixed_date(date_value, as_of)
    if day is not None:
        found = {k: day_start(tz, day + dt.timedelta(days=k)) for k in offsets}
        if any(v is None for v in found.values()):
            return None
        return {k: v for k, v in found.items() if v is not None}
    if tz != "UTC":
        return None  # other zones: the start of a day computed in SQL is not portable
    return True


def is_fixed(v: ir.Value, now: bool = True) -> bool:
    """A value fixed for the whole query, never a column, so a bound that is the same for
    every row: a literal, today, now (unless `now` is False), or a shift or start of one."""
    if isinstance(v, ir.ShiftDate):
        return is_fixed(v.base, now)
    if isinstance(v, ir.StartOf):
        return is_fixed(v.value, now)
    return isinstance(v, (ir.Lit, ir.Today, ir.Now) if now else (ir.Lit, ir.Today))
