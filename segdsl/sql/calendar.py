"""Calendar arithmetic in SQL: the start of a week, month, quarter or year, the day of the
week, the hour of a timestamp in the project time zone.

Engines number weekdays and start weeks differently (Sunday or Monday first, 0 or 1 based,
ISO or not), so weeks and weekdays never use their week or day-of-week functions: the days
since the fixed Monday 1970-01-05, taken modulo 7 with a result that is never negative
(before 1970 the engines' `%` gives negative remainders), say how far a date is from the
start of its Monday week. Months, quarters and years start where DATE_TRUNC says, which every
engine agrees on.
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from segdsl.sql.dialects import Dialect, _cast, _data_type, lit_date

# a Monday: every week start is a whole number of weeks from it
EPOCH_MONDAY = dt.date(1970, 1, 5)


def nonneg_mod(x: exp.Expr, n: int) -> exp.Expr:
    """x mod n in 0..n-1 for any whole x: ((x % n) + n) % n."""
    inner = exp.Mod(this=exp.Paren(this=x), expression=exp.Literal.number(n))
    shifted = exp.Add(this=inner, expression=exp.Literal.number(n))
    return exp.Paren(this=exp.Mod(this=exp.Paren(this=shifted), expression=exp.Literal.number(n)))


def days_into_week(d: Dialect, date: exp.Expr) -> exp.Expr:
    """0 for a Monday .. 6 for a Sunday."""
    return nonneg_mod(d.days_between(date, lit_date(EPOCH_MONDAY)), 7)


def weekday(d: Dialect, date: exp.Expr) -> exp.Expr:
    """1 (Monday) .. 7 (Sunday)."""
    return _cast(exp.Add(this=days_into_week(d, date), expression=exp.Literal.number(1)), _data_type("bigint"))


def start_of(d: Dialect, date: exp.Expr, unit: str) -> exp.Expr:
    """The first day of the Monday week, month, quarter or year of `date` (a DATE)."""
    if unit == "week":
        return d.add_days(date, exp.Neg(this=days_into_week(d, date.copy())))
    truncated = exp.DateTrunc(this=date, unit=exp.Var(this=unit.upper()))  # type: ignore[no-untyped-call]
    return _cast(truncated, _data_type("date"))


def hour(d: Dialect, ts: exp.Expr, tz: str) -> exp.Expr:
    """0..23: the hour of the timestamp `ts` (an instant stored as UTC) in time zone tz."""
    return _cast(d.local_hour(ts, tz), _data_type("bigint"))
