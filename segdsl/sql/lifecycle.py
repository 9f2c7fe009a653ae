"""The row keys that the lifecycle counts count distinct: a customer's days with a row
(`count_days`), or the periods of one unit ending today that hold a row (`count_weeks`,
`count_months`). One index per row inside the relation's grouped pass: no join per day or
period, whatever P is.

Period i covers (today - (i+1) unit, today - i unit], every bound computed from today:
- weeks: i = (today - d) div 7; counted as (today - d) - (today - d) mod 7, which is 7i and
  needs no integer division (engines spell and round that differently);
- months: with k = 12 (year(today) - year(d)) + month(today) - month(d), the date d in the
  month k before today's is at most today - k months exactly when its day of the month is at
  most today's (the bound clamps to the month's last day only when today's day is larger
  than any day that month has), so i = k - [day(d) > day(today)].
"""

from __future__ import annotations

from sqlglot import exp

from segdsl import ir
from segdsl.sql.values import Lowerer, paren

LIFECYCLE_COUNTS = ("count_days", "count_weeks", "count_months")


def period_key(agg: ir.Agg, low: Lowerer) -> exp.Expr:
    """The value a lifecycle count counts distinct for one row of `agg`'s relation."""
    assert agg.column is not None and agg.function in LIFECYCLE_COUNTS
    column: ir.Value = agg.column
    day = low.value(ir.LocalDate(column) if column.type.kind == "timestamp" else column)
    if agg.function == "count_days":
        return day
    today = low.today()
    if agg.function == "count_weeks":
        days = paren(low.d.days_between(today, day))
        return exp.Sub(this=days, expression=paren(exp.Mod(this=days.copy(), expression=exp.Literal.number(7))))
    months = exp.Sub(
        this=exp.Mul(this=exp.Literal.number(12), expression=paren(exp.Sub(this=_today_part("YEAR", today, low), expression=low.d.date_part("YEAR", day)))),
        expression=paren(exp.Sub(this=low.d.date_part("MONTH", day.copy()), expression=_today_part("MONTH", today, low))))
    later_day = exp.GT(this=low.d.date_part("DAY", day.copy()), expression=_today_part("DAY", today, low))
    step_back = exp.Case(ifs=[exp.If(this=later_day, true=exp.Literal.number(1))], default=exp.Literal.number(0))
    return exp.Sub(this=months, expression=step_back)


def _today_part(name: str, today: exp.Expr, low: Lowerer) -> exp.Expr:
    """YEAR, MONTH or DAY of today: a number when --as-of fixes it."""
    if low.as_of is not None:
        return exp.Literal.number({"YEAR": low.as_of.year, "MONTH": low.as_of.month, "DAY": low.as_of.day}[name])
    return low.d.date_part(name, today.copy())
