"""How the engines differ, as small overridable methods (defaults follow DuckDB / ANSI).

Each method builds a sqlglot tree for one construct whose SQL differs between engines.
Everything else is shared by all dialects in segdsl.sql.values. A dialect that is not
one of the three tested engines uses the defaults, and the compiler warns about it.
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

TESTED = ("duckdb", "postgres", "bigquery")


def lit_date(d: dt.date) -> exp.Expression:
    return exp.cast(exp.Literal.string(d.isoformat()), exp.DataType.build("date"))


class Dialect:
    name = "duckdb"

    def __init__(self, sqlglot_name: str | None = None):
        if sqlglot_name:
            self.name = sqlglot_name

    @property
    def tested(self) -> bool:
        return self.name in TESTED

    # ---- lists ----
    def list_has(self, arr, item):
        """True when the list has the item; may be NULL for a missing list."""
        return exp.ArrayContains(this=arr, expression=item)

    def list_size(self, arr):
        return exp.ArraySize(this=arr)

    # ---- text ----
    def starts_with(self, text, prefix):
        return exp.StartsWith(this=text, expression=prefix)

    def ends_with(self, text, suffix):
        return exp.EndsWith(this=text, expression=suffix)

    def contains(self, text, part):
        return exp.GT(this=exp.StrPosition(this=text, substr=part), expression=exp.Literal.number(0))

    # ---- time ----
    def local_date(self, ts, tz: str):
        """The date of a timestamp (stored as UTC, without time zone) in time zone tz."""
        if tz == "UTC":
            return exp.cast(ts, exp.DataType.build("date"))
        utc = exp.AtTimeZone(this=ts, zone=exp.Literal.string("UTC"))
        return exp.cast(exp.AtTimeZone(this=utc, zone=exp.Literal.string(tz)), exp.DataType.build("date"))

    def current_date(self, tz: str):
        return exp.cast(exp.AtTimeZone(this=exp.CurrentTimestamp(), zone=exp.Literal.string(tz)),
                        exp.DataType.build("date"))

    def shift_date(self, date, amount: int, unit: str):
        cls = exp.DateAdd if amount >= 0 else exp.DateSub
        moved = cls(this=date, expression=exp.Literal.number(abs(amount)), unit=exp.Var(this=unit.upper()))
        return exp.cast(moved, exp.DataType.build("date"))

    def days_between(self, later, earlier):
        """Whole days from earlier to later (both dates)."""
        return exp.Sub(this=later, expression=earlier)

    # ---- numbers ----
    def round(self, x, digits: int):
        rounded = exp.Round(this=exp.cast(x, exp.DataType.build("decimal(38, 9)")),
                            decimals=exp.Literal.number(digits))
        return exp.cast(rounded, exp.DataType.build("double"))

    def pick(self, value, is_boolean: bool):
        """The one non-NULL value of a group (first/last pick exactly one row)."""
        return exp.Max(this=value)


class Postgres(Dialect):
    name = "postgres"

    def list_has(self, arr, item):
        return exp.EQ(this=item, expression=exp.Any(this=exp.Paren(this=arr)))

    def list_size(self, arr):
        return exp.Anonymous(this="CARDINALITY", expressions=[arr])

    def ends_with(self, text, suffix):
        length = exp.Length(this=suffix)
        return exp.EQ(this=exp.Right(this=text, expression=length), expression=suffix)

    def round(self, x, digits: int):
        rounded = exp.Round(this=exp.cast(x, exp.DataType.build("decimal")), decimals=exp.Literal.number(digits))
        return exp.cast(rounded, exp.DataType.build("double"))

    def pick(self, value, is_boolean: bool):
        return exp.Anonymous(this="BOOL_OR", expressions=[value]) if is_boolean else exp.Max(this=value)


class BigQuery(Dialect):
    name = "bigquery"

    def list_has(self, arr, item):
        return exp.In(this=item, unnest=exp.Unnest(expressions=[arr]))

    def local_date(self, ts, tz: str):
        if tz == "UTC":
            return exp.cast(ts, exp.DataType.build("date"))
        return exp.Anonymous(this="DATE", expressions=[ts, exp.Literal.string(tz)])

    def current_date(self, tz: str):
        return exp.CurrentDate(this=exp.Literal.string(tz))

    def shift_date(self, date, amount: int, unit: str):
        cls = exp.DateAdd if amount >= 0 else exp.DateSub
        return cls(this=date, expression=exp.Literal.number(abs(amount)), unit=exp.Var(this=unit.upper()))

    def days_between(self, later, earlier):
        return exp.DateDiff(this=later, expression=earlier, unit=exp.Var(this="DAY"))

    def round(self, x, digits: int):
        rounded = exp.Round(this=exp.cast(x, exp.DataType.build("decimal")), decimals=exp.Literal.number(digits))
        return exp.cast(rounded, exp.DataType.build("double"))


_DIALECTS = {"duckdb": Dialect, "postgres": Postgres, "bigquery": BigQuery}


def get_dialect(name: str) -> Dialect | None:
    """The dialect called `name`, or None if sqlglot does not know it either."""
    if name in _DIALECTS:
        return _DIALECTS[name]()
    from sqlglot.dialects.dialect import Dialect as SqlglotDialect

    try:
        SqlglotDialect.get_or_raise(name)
    except Exception:
        return None
    return Dialect(name)


def known_dialects() -> list[str]:
    from sqlglot.dialects.dialect import Dialects

    return sorted(d.value for d in Dialects if d.value)
