"""Anniversaries and completed years, without ever building a date in SQL.

A date is compared by its month-day number m * 100 + d (29 February = 229), so no engine is
asked for a date that may not exist (29 February 2023 is an error on Postgres and Spark;
sqlglot writes DuckDB's MAKE_DATE as DATE_FROM_PARTS on Postgres, which has none).

The anniversary of x in year Y is x's month-day, except that 229 becomes 301 when Y is not
a leap year. A period of days [s, e] contains an anniversary of x exactly when:
- it touches three calendar years or more (it holds a whole year): always;
- s and e are in one year Y: k(s) <= anniversary in Y <= k(e);
- s in Y and e in Y + 1: anniversary in Y >= k(s), or anniversary in Y + 1 <= k(e).
When --as-of fixes the period, the years are known when compiling and the SQL holds only
the comparisons of the case that applies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

from sqlglot import exp

from segdsl import ir
from segdsl.plan.days import fixed_date

if TYPE_CHECKING:
    from segdsl.sql.dialects import Dialect
    from segdsl.sql.values import Lowerer

_LEAP_DAY = 229
_MARCH_FIRST = 301


def _num(n: int) -> exp.Expr:
    return exp.Literal.number(n)


def month_day(d: Dialect, date: exp.Expr) -> exp.Expr:
    """m * 100 + d of a date, as an integer."""
    hundreds = exp.Mul(this=d.date_part("MONTH", date), expression=_num(100))
    return exp.Paren(this=exp.Add(this=hundreds, expression=d.date_part("DAY", date.copy())))


def _leap_sql(year: exp.Expr) -> exp.Expr:
    def divisible(n: int) -> exp.Expr:
        return exp.EQ(this=exp.Mod(this=year.copy(), expression=_num(n)), expression=_num(0))

    four_not_hundred = exp.and_(divisible(4), exp.NEQ(this=exp.Mod(this=year.copy(), expression=_num(100)),
                                                      expression=_num(0)), copy=False)
    return exp.Paren(this=exp.or_(four_not_hundred, divisible(400), copy=False))


def _in_year(k: exp.Expr, leap: bool | exp.Expr) -> exp.Expr:
    """The month-day on which the anniversary of month-day `k` falls in a (leap) year."""
    if leap is True:
        return k.copy()
    moved: exp.Expr = exp.EQ(this=k.copy(), expression=_num(_LEAP_DAY))
    if leap is not False:
        moved = exp.and_(moved, exp.Not(this=leap), copy=False)
    return exp.Case(ifs=[exp.If(this=moved, true=_num(_MARCH_FIRST))], default=k.copy())


def anniversary(low: Lowerer, c: ir.Anniversary, loose: bool) -> exp.Expr:
    date = low.value(c.value)
    k = month_day(low.d, date)
    start, end = fixed_date(c.start, low.as_of), fixed_date(c.end, low.as_of)
    if start is not None and end is not None:
        return _fixed(low, c, k, start, end, loose)
    s, e = low.value(c.start), low.value(c.end)
    ys, ye = low.d.date_part("YEAR", s), low.d.date_part("YEAR", e)
    ks, ke = month_day(low.d, s.copy()), month_day(low.d, e.copy())
    same_year = exp.and_(exp.GTE(this=_in_year(k, _leap_sql(ys)), expression=ks),
                         exp.LTE(this=_in_year(k, _leap_sql(ys)), expression=ke), copy=False)
    across = exp.or_(exp.GTE(this=_in_year(k, _leap_sql(ys)), expression=ks.copy()),
                     exp.LTE(this=_in_year(k, _leap_sql(ye)), expression=ke.copy()), copy=False)
    years = exp.Paren(this=exp.Sub(this=ye.copy(), expression=ys.copy()))
    inside = exp.Case(ifs=[exp.If(this=exp.GTE(this=years, expression=_num(2)), true=exp.true()),
                           exp.If(this=exp.EQ(this=ye.copy(), expression=ys.copy()), true=same_year)],
                      default=across)
    # x missing: FALSE (the CASE is never NULL once x is set)
    is_set = exp.Not(this=exp.Is(this=date.copy(), expression=exp.Null()))
    return exp.and_(is_set, exp.Paren(this=inside), copy=False)


def _fixed(low: Lowerer, c: ir.Anniversary, k: exp.Expr, start: dt.date, end: dt.date,
           loose: bool) -> exp.Expr:
    def md(d: dt.date) -> exp.Expr:
        return _num(d.month * 100 + d.day)

    if end < start:
        return exp.false()
    if end.year - start.year >= 2:
        return low.cond(ir.IsSet(c.value), loose)
    first = _in_year(k, calendar.isleap(start.year))
    if start.year == end.year:
        found: exp.Expr = exp.and_(exp.GTE(this=first, expression=md(start)),
                                   exp.LTE(this=first.copy(), expression=md(end)), copy=False)
    else:
        found = exp.or_(exp.GTE(this=first, expression=md(start)),
                        exp.LTE(this=_in_year(k, calendar.isleap(end.year)), expression=md(end)), copy=False)
    if loose or not low.nullable(c.value):
        return found
    return exp.Coalesce(this=exp.Paren(this=found), expressions=[exp.false()])


def years_since(low: Lowerer, date_value: ir.Value) -> exp.Expr:
    """Completed years from the date to today: the difference of the years, less one when
    today's month-day comes before the date's (a 29 February completes on 1 March in years
    that are not leap years, as 301 > 229 > 228)."""
    date = low.value(date_value)
    if low.as_of is not None:
        year: exp.Expr = _num(low.as_of.year)
        today_md: exp.Expr = _num(low.as_of.month * 100 + low.as_of.day)
    else:
        today = low.today()
        year, today_md = low.d.date_part("YEAR", today), month_day(low.d, today.copy())
    early = exp.LT(this=today_md, expression=month_day(low.d, date))
    less = exp.Case(ifs=[exp.If(this=early, true=_num(1))], default=_num(0))
    return exp.Sub(this=exp.Sub(this=year, expression=low.d.date_part("YEAR", date.copy())), expression=less)
