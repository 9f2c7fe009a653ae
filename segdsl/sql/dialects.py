"""How the engines differ, as small overridable methods (defaults follow DuckDB / ANSI).

Each method builds a sqlglot tree for one construct whose SQL differs between engines.
Everything else is shared by all dialects in segdsl.sql.values. A dialect that is not
one of the tested engines (run by the test suite on every corpus case) uses the defaults,
and the compiler warns about it.
"""

from __future__ import annotations

import datetime as dt
import functools

from sqlglot import exp

from segdsl.plan.nodes import Capabilities

TESTED = ("duckdb", "postgres", "bigquery", "spark", "databricks", "clickhouse")


@functools.cache
def _data_type(name: str) -> exp.DataType:
    return exp.DataType.build(name)


def _cast(e: exp.Expr, to: str | exp.DataType) -> exp.Cast:
    """CAST(e AS to) without copying e (the builders here never share a subtree)."""
    return exp.Cast(this=e, to=(_data_type(to) if isinstance(to, str) else to).copy())


def lit_date(d: dt.date) -> exp.Expr:
    return _cast(exp.Literal.string(d.isoformat()), _data_type("date"))


class Dialect:
    """The ANSI / DuckDB default of each construct; subclasses override what differs."""

    name = "duckdb"
    # Aggregates take `FILTER (WHERE ...)` (SQL:2003; DuckDB, Postgres). Without it a filtered
    # aggregate is written over `CASE WHEN ... THEN x END`, which costs an extra expression
    # per row and aggregates every row.
    aggregate_filter = True
    # A CTE read twice is computed once (DuckDB, Postgres 12+ materialise it). Then ranking
    # levels stay narrow and the final select joins the relation passes again; otherwise
    # (BigQuery may evaluate a CTE once per reference) the rankings carry the aggregates.
    # first/last, too: a second pass reads the first one to pick the value at the time it
    # found; otherwise the rows are numbered with a window function (a sort of the relation).
    materializes_ctes = True
    # COUNT(DISTINCT ...) in a pass of its own: DuckDB computes a grouped aggregate that has a
    # DISTINCT aggregate among others about twice as slowly as the two apart
    distinct_apart = False
    # The planner picks a nested loop for an input it estimates tiny, rescanning the other
    # side per row (Postgres; its estimate of a range join's rows is often 100x too small).
    nested_loops_by_estimate = False
    # A correlated EXISTS on the key is a hash semi/anti join built on the smaller side
    # (DuckDB): existence tests are written that way instead of as grouped passes of keys.
    exists_joins = False
    # The arguments of COALESCE must be cast to the result's type when they are numbers of
    # different types: ClickHouse has no common type of Int64 and Float64, nor of Int64 and
    # UInt64 (what its COUNT returns), and makes their COALESCE a Variant, which then equals
    # no number (`coalesce(income, customer_id) in [0]` would hold for nobody).
    coalesce_casts_numbers = False

    def __init__(self, sqlglot_name: str | None = None):
        if sqlglot_name:
            self.name = sqlglot_name

    @property
    def capabilities(self) -> Capabilities:
        """What the planner asks of the engine (it never asks for the dialect's name)."""
        return Capabilities(materializes_ctes=self.materializes_ctes, aggregate_filter=self.aggregate_filter,
                            distinct_apart=self.distinct_apart,
                            nested_loops_by_estimate=self.nested_loops_by_estimate,
                            exists_joins=self.exists_joins)

    @property
    def tested(self) -> bool:
        return self.name in TESTED

    # ---- lists ----
    def list_has(self, arr: exp.Expr, item: exp.Expr) -> exp.Expr:
        """True when the list has the item; may be NULL for a missing list."""
        return exp.ArrayContains(this=arr, expression=item)

    def list_size(self, arr: exp.Expr) -> exp.Expr:
        return exp.ArraySize(this=arr)

    # ---- text ----
    def starts_with(self, text: exp.Expr, prefix: exp.Expr) -> exp.Expr:
        return exp.StartsWith(this=text, expression=prefix)

    def ends_with(self, text: exp.Expr, suffix: exp.Expr) -> exp.Expr:
        return exp.EndsWith(this=text, expression=suffix)

    def contains(self, text: exp.Expr, part: exp.Expr) -> exp.Expr:
        return exp.GT(this=exp.StrPosition(this=text, substr=part), expression=exp.Literal.number(0))

    # ---- time ----
    def local_date(self, ts: exp.Expr, tz: str) -> exp.Expr:
        """The date of a timestamp (stored as UTC, without time zone) in time zone tz."""
        if tz == "UTC":
            return _cast(ts, _data_type("date"))
        utc = exp.AtTimeZone(this=ts, zone=exp.Literal.string("UTC"))
        return _cast(exp.AtTimeZone(this=utc, zone=exp.Literal.string(tz)), _data_type("date"))

    def current_date(self, tz: str) -> exp.Expr:
        return _cast(exp.AtTimeZone(this=exp.CurrentTimestamp(), zone=exp.Literal.string(tz)),
                        _data_type("date"))

    def current_instant(self) -> exp.Expr:
        """The warehouse's current instant, typed like the timestamp columns (UTC, no zone)."""
        return _cast(exp.AtTimeZone(this=exp.CurrentTimestamp(), zone=exp.Literal.string("UTC")),
                     _data_type("timestamp"))

    def lit_timestamp(self, t: dt.datetime) -> exp.Expr:
        """A UTC instant (naive datetime), typed like the timestamp columns (UTC, no zone)."""
        return _cast(exp.Literal.string(t.isoformat(sep=" ")), _data_type("timestamp"))

    def day_start_utc(self, date: exp.Expr) -> exp.Expr:
        """The instant a date starts in UTC, typed like the timestamp columns."""
        return _cast(date, _data_type("timestamp"))

    def add_seconds(self, ts: exp.Expr, seconds: int) -> exp.Expr:
        """An instant `seconds` later (exact elapsed time: `within` of sequences)."""
        return exp.Add(this=ts, expression=exp.Interval(this=exp.Literal.string(str(seconds)),
                                                        unit=exp.Var(this="SECOND")))

    def shift_date(self, date: exp.Expr, amount: int, unit: str) -> exp.Expr:
        cls = exp.DateAdd if amount >= 0 else exp.DateSub
        moved = cls(this=date, expression=exp.Literal.number(abs(amount)), unit=exp.Var(this=unit.upper()))
        return _cast(moved, _data_type("date"))

    def days_between(self, later: exp.Expr, earlier: exp.Expr) -> exp.Expr:
        """Whole days from earlier to later (both dates)."""
        return exp.Sub(this=later, expression=earlier)

    def date_part(self, name: str, date: exp.Expr) -> exp.Expr:
        """YEAR, MONTH or DAY of a date as a whole number (EXTRACT is numeric on Postgres:
        the cast makes it an integer everywhere)."""
        return _cast(exp.Extract(this=exp.Var(this=name), expression=date), _data_type("bigint"))

    def add_days(self, date: exp.Expr, days: exp.Expr) -> exp.Expr:
        """The date `days` (a whole number computed in SQL, maybe negative) after `date`."""
        return _cast(exp.DateAdd(this=date, expression=days, unit=exp.Var(this="DAY")), _data_type("date"))

    def local_hour(self, ts: exp.Expr, tz: str) -> exp.Expr:
        """The hour (0-23) of a timestamp (stored as UTC, without time zone) in time zone tz."""
        if tz != "UTC":
            ts = exp.AtTimeZone(this=exp.AtTimeZone(this=ts, zone=exp.Literal.string("UTC")),
                                zone=exp.Literal.string(tz))
        return exp.Extract(this=exp.Var(this="HOUR"), expression=ts)

    # ---- numbers ----
    def round(self, x: exp.Expr, digits: int) -> exp.Expr:
        rounded = exp.Round(this=_cast(x, _data_type("decimal(38, 9)")),
                            decimals=exp.Literal.number(digits))
        return _cast(rounded, _data_type("double"))

    def pick(self, value: exp.Expr, is_boolean: bool) -> exp.Expr:
        """The one non-NULL value of a group (first/last pick exactly one row)."""
        return exp.Max(this=value)

    def extreme(self, value: exp.Expr, greatest: bool, is_boolean: bool) -> exp.Expr:
        """The greatest (smallest) value of a group, missing values ignored (first/last)."""
        return (exp.Max if greatest else exp.Min)(this=value)

    # ---- split buckets (segdsl.sql.splits) ----
    # How each engine writes the three steps that differ:
    #
    # | engine     | key as text        | md5 as lowercase hex  | 15 hex digits as an integer          |
    # |------------|--------------------|-----------------------|--------------------------------------|
    # | DuckDB     | CAST(k AS TEXT)    | MD5(t)                | CAST('0x' || h AS BIGINT)            |
    # | Postgres   | CAST(k AS TEXT)    | MD5(t)                | CAST(CAST('x' || h AS BIT(60)) AS BIGINT) |
    # | BigQuery   | CAST(k AS STRING)  | TO_HEX(MD5(t))        | CAST(CONCAT('0x', h) AS INT64)       |
    # | Spark      | CAST(k AS STRING)  | MD5(t)                | CAST(CONV(h, 16, 10) AS BIGINT)      |
    # | ClickHouse | toString(k)        | LOWER(HEX(MD5(t)))    | reinterpretAsUInt64(reverse(unhex('0' || h))) |
    #
    # Integer keys print in plain decimal on all of them (a minus sign, no grouping, no
    # exponent); the md5 spelling is sqlglot's MD5 node, written per dialect by sqlglot.
    def key_text(self, key: exp.Expr) -> exp.Expr:
        """An integer key as plain decimal text."""
        return _cast(key, _data_type("text"))

    def md5_hex(self, text: exp.Expr) -> exp.Expr:
        """The md5 of the UTF-8 text as 32 lowercase hex digits."""
        return exp.MD5(this=text)

    def hex_to_bigint(self, digits: exp.Expr) -> exp.Expr:
        """Up to 15 lowercase hex digits as a non-negative BIGINT."""
        return _cast(exp.DPipe(this=exp.Literal.string("0x"), expression=digits), _data_type("bigint"))

    # ---- the whole statement ----
    def window_integer(self, e: exp.Expr) -> exp.Expr:
        """A ROW_NUMBER or COUNT window as a 64-bit integer (`top P%` multiplies it)."""
        return e

    def finish(self, select: exp.Select) -> exp.Select:
        """The finished query tree, for engines that need a last touch on the statement."""
        return select


class DuckDB(Dialect):
    name = "duckdb"
    distinct_apart = True
    exists_joins = True

    def date_part(self, name: str, date: exp.Expr) -> exp.Expr:
        # YEAR(d), MONTH(d), DAY(d) are integers already; a filter on the month-day number
        # of `CAST(EXTRACT(...) AS BIGINT)` measured twice as slow (bench: signup_anniversary_week)
        return {"YEAR": exp.Year, "MONTH": exp.Month, "DAY": exp.Day}[name](this=date)


class Postgres(Dialect):
    name = "postgres"
    nested_loops_by_estimate = True

    def list_has(self, arr: exp.Expr, item: exp.Expr) -> exp.Expr:
        return exp.EQ(this=item, expression=exp.Any(this=exp.Paren(this=arr)))

    def list_size(self, arr: exp.Expr) -> exp.Expr:
        return exp.Anonymous(this="CARDINALITY", expressions=[arr])

    def ends_with(self, text: exp.Expr, suffix: exp.Expr) -> exp.Expr:
        length = exp.Length(this=suffix)
        return exp.EQ(this=exp.Right(this=text, expression=length), expression=suffix)

    def round(self, x: exp.Expr, digits: int) -> exp.Expr:
        rounded = exp.Round(this=_cast(x, _data_type("decimal")), decimals=exp.Literal.number(digits))
        return _cast(rounded, _data_type("double"))

    def pick(self, value: exp.Expr, is_boolean: bool) -> exp.Expr:
        return exp.Anonymous(this="BOOL_OR", expressions=[value]) if is_boolean else exp.Max(this=value)

    def hex_to_bigint(self, digits: exp.Expr) -> exp.Expr:
        # Postgres reads hex as a bit string only: 'x' || h is 60 bits for 15 digits
        bits = _cast(exp.DPipe(this=exp.Literal.string("x"), expression=digits), _data_type("bit(60)"))
        return _cast(bits, _data_type("bigint"))

    def extreme(self, value: exp.Expr, greatest: bool, is_boolean: bool) -> exp.Expr:
        # Postgres has no MAX/MIN of booleans: true is the greater value
        if is_boolean:
            return exp.Anonymous(this="BOOL_OR" if greatest else "BOOL_AND", expressions=[value])
        return super().extreme(value, greatest, is_boolean)


class BigQuery(Dialect):
    name = "bigquery"
    aggregate_filter = False
    materializes_ctes = False

    def list_has(self, arr: exp.Expr, item: exp.Expr) -> exp.Expr:
        return exp.In(this=item, unnest=exp.Unnest(expressions=[arr]))

    def local_date(self, ts: exp.Expr, tz: str) -> exp.Expr:
        if tz == "UTC":
            return _cast(ts, _data_type("date"))
        return exp.Anonymous(this="DATE", expressions=[ts, exp.Literal.string(tz)])

    def current_date(self, tz: str) -> exp.Expr:
        return exp.CurrentDate(this=exp.Literal.string(tz))

    def current_instant(self) -> exp.Expr:
        return exp.CurrentTimestamp()

    # BigQuery's TIMESTAMP is an instant (sqlglot's "timestamp" is BigQuery's DATETIME)
    def lit_timestamp(self, t: dt.datetime) -> exp.Expr:
        return _cast(exp.Literal.string(t.isoformat(sep=" ") + "+00"), _data_type("timestamptz"))

    def day_start_utc(self, date: exp.Expr) -> exp.Expr:
        return _cast(date, _data_type("timestamptz"))

    def add_seconds(self, ts: exp.Expr, seconds: int) -> exp.Expr:
        return exp.TimestampAdd(this=ts, expression=exp.Literal.number(seconds), unit=exp.Var(this="SECOND"))

    def shift_date(self, date: exp.Expr, amount: int, unit: str) -> exp.Expr:
        cls = exp.DateAdd if amount >= 0 else exp.DateSub
        return cls(this=date, expression=exp.Literal.number(abs(amount)), unit=exp.Var(this=unit.upper()))

    def days_between(self, later: exp.Expr, earlier: exp.Expr) -> exp.Expr:
        return exp.DateDiff(this=later, expression=earlier, unit=exp.Var(this="DAY"))

    def add_days(self, date: exp.Expr, days: exp.Expr) -> exp.Expr:
        return exp.DateAdd(this=date, expression=days, unit=exp.Var(this="DAY"))

    def local_hour(self, ts: exp.Expr, tz: str) -> exp.Expr:
        # a TIMESTAMP is an instant: DATETIME(ts, tz) is its wall clock in tz
        if tz != "UTC":
            ts = exp.Anonymous(this="DATETIME", expressions=[ts, exp.Literal.string(tz)])
        return exp.Extract(this=exp.Var(this="HOUR"), expression=ts)

    def round(self, x: exp.Expr, digits: int) -> exp.Expr:
        rounded = exp.Round(this=_cast(x, _data_type("decimal")), decimals=exp.Literal.number(digits))
        return _cast(rounded, _data_type("double"))

    def hex_to_bigint(self, digits: exp.Expr) -> exp.Expr:
        return _cast(exp.Concat(expressions=[exp.Literal.string("0x"), digits]), _data_type("bigint"))


def _fn(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


class Spark(Dialect):
    """Spark SQL 4 (Databricks SQL speaks the same): ANSI mode on, as by default, so a bad cast
    or a division by zero raises instead of giving NULL (divisions go through NULLIF).

    Spark's TIMESTAMP is an instant shown in the session time zone, and casts between dates,
    timestamps and text use that zone. So that the SQL means the same whatever the session's
    zone, instants are written with an explicit UTC offset and dates are taken from the
    instant's microseconds, never through a cast (TIMESTAMP_NTZ columns, which hold a wall
    clock, are read as UTC only when the session time zone is UTC)."""

    name = "spark"
    # Spark inlines a CTE wherever it is read (no materialisation).
    materializes_ctes = False

    def _unix_date(self, instant: exp.Expr) -> exp.Expr:
        micros = _fn("UNIX_MICROS", instant)
        days = exp.Floor(this=exp.Div(this=micros, expression=exp.Literal.number(86_400_000_000)))
        return _fn("DATE_FROM_UNIX_DATE", _cast(days, _data_type("int")))

    def local_date(self, ts: exp.Expr, tz: str) -> exp.Expr:
        # FROM_UTC_TIMESTAMP moves the instant by the zone's offset at that instant:
        # its UTC date is then the local date (no session time zone involved)
        return self._unix_date(ts if tz == "UTC" else _fn("FROM_UTC_TIMESTAMP", ts, exp.Literal.string(tz)))

    def current_date(self, tz: str) -> exp.Expr:
        return self.local_date(exp.CurrentTimestamp(), tz)

    def current_instant(self) -> exp.Expr:
        return exp.CurrentTimestamp()

    def lit_timestamp(self, t: dt.datetime) -> exp.Expr:
        # sqlglot's "timestamptz" is Spark's TIMESTAMP; its "timestamp" is TIMESTAMP_NTZ
        return _cast(exp.Literal.string(t.isoformat(sep=" ") + "+00:00"), _data_type("timestamptz"))

    def day_start_utc(self, date: exp.Expr) -> exp.Expr:
        seconds = exp.Mul(this=_cast(_fn("UNIX_DATE", date), _data_type("bigint")),
                          expression=exp.Literal.number(86400))
        return _fn("TIMESTAMP_SECONDS", seconds)

    def days_between(self, later: exp.Expr, earlier: exp.Expr) -> exp.Expr:
        # DATE - DATE is an INTERVAL DAY in Spark, which does not compare with numbers
        return _fn("DATEDIFF", later, earlier)

    def local_hour(self, ts: exp.Expr, tz: str) -> exp.Expr:
        # from the instant's microseconds, as for dates: HOUR() would read the session zone
        local = ts if tz == "UTC" else _fn("FROM_UTC_TIMESTAMP", ts, exp.Literal.string(tz))
        hours = exp.Floor(this=exp.Div(this=_fn("UNIX_MICROS", local), expression=exp.Literal.number(3_600_000_000)))
        return _fn("PMOD", _cast(hours, _data_type("bigint")), exp.Literal.number(24))

    def hex_to_bigint(self, digits: exp.Expr) -> exp.Expr:
        return _cast(_fn("CONV", digits, exp.Literal.number(16), exp.Literal.number(10)), _data_type("bigint"))

    def window_integer(self, e: exp.Expr) -> exp.Expr:
        # ROW_NUMBER is a 32-bit INT in Spark, and ANSI mode raises on overflow: `top P%`
        # with 6 decimals multiplies it by 10^8
        return _cast(e, _data_type("bigint"))


class ClickHouse(Dialect):
    """ClickHouse, written so that the SQL does not depend on server settings it may not have:
    no FILTER aggregates (they become -If combinators, which give 0 instead of NULL over no
    rows unless aggregate_functions_null_for_empty is set) and `join_use_nulls = 1` attached
    to the statement (without it an unmatched LEFT JOIN gives 0 or '' instead of NULL).
    Timestamps are DateTime64 instants; text case is mapped with lowerUTF8/upperUTF8 (plain
    lower/upper map ASCII only). Dates are Date32 (1900-01-01 … 2299-12-31): ClickHouse's
    Date starts in 1970, and every date a segment computes lies in 1800 … 2300 at most."""

    name = "clickhouse"
    aggregate_filter = False
    coalesce_casts_numbers = True
    # ClickHouse substitutes a CTE's query wherever it is read.
    materializes_ctes = False

    def local_date(self, ts: exp.Expr, tz: str) -> exp.Expr:
        return _fn("toDate32", ts, exp.Literal.string(tz))

    def current_date(self, tz: str) -> exp.Expr:
        return _fn("toDate32", _fn("now"), exp.Literal.string(tz))

    def current_instant(self) -> exp.Expr:
        return _fn("now64", exp.Literal.number(6), exp.Literal.string("UTC"))

    def lit_timestamp(self, t: dt.datetime) -> exp.Expr:
        return _fn("toDateTime64", exp.Literal.string(t.isoformat(sep=" ")), exp.Literal.number(6),
                   exp.Literal.string("UTC"))

    def day_start_utc(self, date: exp.Expr) -> exp.Expr:
        return _fn("toDateTime64", date, exp.Literal.number(6), exp.Literal.string("UTC"))

    def add_seconds(self, ts: exp.Expr, seconds: int) -> exp.Expr:
        return exp.Add(this=ts, expression=exp.Interval(this=exp.Literal.number(seconds), unit=exp.Var(this="SECOND")))

    def days_between(self, later: exp.Expr, earlier: exp.Expr) -> exp.Expr:
        return _fn("dateDiff", exp.Literal.string("day"), earlier, later)

    def add_days(self, date: exp.Expr, days: exp.Expr) -> exp.Expr:
        return _fn("addDays", date, days)

    def local_hour(self, ts: exp.Expr, tz: str) -> exp.Expr:
        return _fn("toHour", ts, exp.Literal.string(tz))

    def key_text(self, key: exp.Expr) -> exp.Expr:
        return _fn("toString", key)

    def hex_to_bigint(self, digits: exp.Expr) -> exp.Expr:
        # no hex-to-integer cast: the digits, padded to 8 bytes, read as a big-endian UInt64
        padded = _fn("unhex", exp.DPipe(this=exp.Literal.string("0"), expression=digits))
        return _fn("reinterpretAsUInt64", _fn("reverse", padded))

    def finish(self, select: exp.Select) -> exp.Select:
        for dtype in list(select.find_all(exp.DataType)):
            if dtype.this == exp.DataType.Type.DATE:
                dtype.set("this", exp.DataType.Type.DATE32)  # keeps the Nullable wrapping of casts
        for node in list(select.find_all(exp.Lower, exp.Upper)):
            name = "lowerUTF8" if isinstance(node, exp.Lower) else "upperUTF8"
            node.replace(_fn(name, node.this))
        setting = exp.EQ(this=exp.column("join_use_nulls"), expression=exp.Literal.number(1))
        select.set("settings", [setting])
        return select


_DIALECTS = {"duckdb": DuckDB, "postgres": Postgres, "bigquery": BigQuery, "spark": Spark,
             "databricks": Spark, "clickhouse": ClickHouse}


def get_dialect(name: str) -> Dialect | None:
    """The dialect called `name`, or None if sqlglot does not know it either."""
    if name in _DIALECTS:
        return _DIALECTS[name](name)
    from sqlglot.dialects.dialect import Dialect as SqlglotDialect

    try:
        SqlglotDialect.get_or_raise(name)
    except (ValueError, TypeError, KeyError):  # unknown name, or bad `name, key=value` settings
        return None
    return Dialect(name)


def known_dialects() -> list[str]:
    from sqlglot.dialects.dialect import Dialects

    return sorted(d.value for d in Dialects if d.value)
