"""The value model of the reference evaluator (see tests/reference/evaluator.py): fixture
values read into it, and the comparisons, rounding and date arithmetic it defines."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, assert_never

from segdsl import ir

if TYPE_CHECKING:
    from segdsl.project.schema import Column

# A value of the evaluator's value model: deliberately dynamic, the way the engines' values are.
Val = Any
Row = dict[str, Val]
Tables = Mapping[str, Sequence[Mapping[str, Any]]]


# ------------------------------------------------------------------------------ input rows


def coerce(value: Any, kind: str, element: str | None) -> Val:
    """A fixture value in the evaluator's value model (see the module docstring)."""
    if value is None:
        return None
    if kind == "list":
        return [coerce(v, element or "string", None) for v in value]
    if kind == "number":
        return float(value)
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind == "timestamp":
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if not isinstance(value, dt.datetime):  # a plain date: its midnight
            return dt.datetime(value.year, value.month, value.day)
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def read_rows(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, Column]) -> list[Row]:
    out = []
    for row in rows:
        out.append({name: coerce(row.get(name), col.type.kind, col.type.element) for name, col in columns.items()})
    return out


# ------------------------------------------------------------------------------ helpers


def _numeric(v: Val) -> bool:
    return isinstance(v, (int, float, Fraction)) and not isinstance(v, bool)


def pair(a: Val, b: Val) -> tuple[Val, Val]:
    """Make two values comparable: numbers meet as floats when one of them is a float."""
    if _numeric(a) and _numeric(b):
        if isinstance(a, float) or isinstance(b, float):
            return float(a), float(b)
        return a, b
    if type(a) is not type(b) and not (_numeric(a) and _numeric(b)):
        raise TypeError(f"the IR compares {a!r} with {b!r}")
    return a, b


def compare(op: ir.CmpOp, a: Val, b: Val) -> bool:
    if a is None or b is None:  # a comparison with a missing value is false
        return False
    a, b = pair(a, b)
    match op:
        case "=":
            return bool(a == b)
        case "<":
            return bool(a < b)
        case "<=":
            return bool(a <= b)
        case ">":
            return bool(a > b)
        case ">=":
            return bool(a >= b)
        case _:
            assert_never(op)


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's last day
    (2024-03-31 - 1 month = 2024-02-29)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def start_of(d: dt.date | None, unit: ir.PeriodUnit) -> dt.date | None:
    """The first day of d's Monday week, month, quarter or year (Python's calendar)."""
    if d is None:
        return None
    match unit:
        case "week":
            return d - dt.timedelta(days=d.isoweekday() - 1)
        case "month":
            return d.replace(day=1)
        case "quarter":
            return d.replace(month=[1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10][d.month - 1], day=1)
        case "year":
            return d.replace(month=1, day=1)
        case _:
            assert_never(unit)


def exact(v: ir.LitValue) -> Val:
    """An exact number for a literal: ints stay ints, decimals become Fractions."""
    if isinstance(v, Decimal):
        return Fraction(v)
    return v


def round_half_away(x: int | float | Fraction, digits: int) -> Fraction:
    """Half away from zero on the decimal value of x: what the user sees, not the binary
    double below it (2.675 rounds to 2.68)."""
    d = Decimal(repr(x)) if isinstance(x, float) else (Decimal(x) if isinstance(x, int)
                                                       else Decimal(x.numerator) / Decimal(x.denominator))
    return Fraction(d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def sortable(x: Val) -> Val:
    """Numbers of mixed kinds sort together; dates and timestamps among themselves."""
    if _numeric(x):
        return float(x) if isinstance(x, float) else Fraction(x)
    return x
