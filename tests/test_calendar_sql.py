"""Calendar arithmetic computed in SQL, on every engine, against Python's own calendar.

The member tests pin `--as-of`, so their period bounds are folded to literals when compiling.
Here the same IR is computed per row instead (the period of each customer's own date, weekday
and hour of stored values), which is the SQL a segment gets without `--as-of`: week starts
from the fixed Monday with a non-negative modulo (dates before 1970 included), DATE_TRUNC for
months, quarters and years, Sunday weeks and fiscal periods composed from them, hours in the
project time zone across daylight-saving changes. Expected values come from Python's
`datetime`, not from segdsl.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache

import pytest

from segdsl import ir
from segdsl.check.calendar import period_range
from segdsl.project.calendar import Calendar
from segdsl.project.schema import Settings, read_config
from segdsl.sql.dialects import get_dialect
from segdsl.sql.query import build_query
from segdsl.sql.render import render
from segdsl.types import DATE, INTEGER, NUMBER, TIMESTAMP
from tests.projects import ROOT

D = dt.date
SCHEMA_PATH = ROOT / "tests" / "cases" / "v2_time" / "segdsl.toml"

# Dates around the edges: 1970-01-05 (the fixed Monday) and the days before it, leap days,
# New Year, quarter and month ends, the 1900 and 2100 non-leap centuries, a Sunday and a Monday.
DATES = sorted({
    *(D(1969, 12, 25) + dt.timedelta(days=i) for i in range(20)),
    D(1900, 2, 28), D(1900, 3, 1), D(1955, 7, 17), D(2000, 2, 29), D(2000, 3, 1),
    D(2023, 2, 28), D(2023, 3, 1), D(2023, 12, 31), D(2024, 1, 1), D(2024, 2, 29),
    *(D(2024, 6, 20) + dt.timedelta(days=i) for i in range(14)),
    D(2024, 9, 30), D(2024, 10, 1), D(2024, 12, 28), D(2024, 12, 29), D(2024, 12, 30),
    D(2024, 12, 31), D(2025, 1, 1), D(2025, 1, 5), D(2025, 1, 6), D(2100, 2, 28), D(2100, 3, 1),
})

# (calendar, direction, unit): every unit with both week starts and two fiscal starts
COMBOS = [
    *((Calendar(ws), d, "week") for ws in ("monday", "sunday") for d in ("this", "last", "next")),
    *((Calendar(), d, u) for u in ("month", "quarter", "year") for d in ("this", "last", "next")),
    *((Calendar("monday", m), d, u) for m in (2, 4, 11) for u in ("fiscal_quarter", "fiscal_year")
      for d in ("this", "last", "next")),
]


def _months(d: D) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> D:
    return D(index // 12, index % 12 + 1, 1)


def python_period(cal: Calendar, direction: str, unit: str, day: D) -> tuple[D, D]:
    """The period by Python's calendar: weeks by isoweekday, the rest by month numbers."""
    step = {"last": -1, "this": 0, "next": 1}[direction]
    if unit == "week":
        first_weekday = 1 if cal.week_start == "monday" else 7
        start = day - dt.timedelta(days=(day.isoweekday() - first_weekday) % 7) + dt.timedelta(days=7 * step)
        return start, start + dt.timedelta(days=6)
    length = {"month": 1, "quarter": 3, "year": 12, "fiscal_quarter": 3, "fiscal_year": 12}[unit]
    anchor = (cal.fiscal_year_start or 1) - 1 if unit.startswith("fiscal") else 0
    index = _months(day)
    start = index - (index - anchor) % length + step * length
    return _month_start(start), _month_start(start + length) - dt.timedelta(days=1)


@cache
def _schema_and_settings(timezone: str):
    with open(SCHEMA_PATH, "rb") as f:
        data = tomllib.load(f)
    schema, _, diags = read_config(data, str(SCHEMA_PATH))
    assert schema is not None, diags
    return schema, Settings(timezone=timezone)


def _sql(cond: ir.Cond, dialect: str, timezone: str = "UTC") -> str:
    schema, settings = _schema_and_settings(timezone)
    d = get_dialect(dialect)
    assert d is not None
    return render(build_query(cond, schema, d, settings, None), dialect)


_SIGNUP = ir.Col("signup_date", DATE)
_AGE = ir.Col("age", INTEGER)


# ClickHouse's DATE starts in 1970: a date cast to it before that saturates (the dialect
# casts every computed date, as for v1's shifted dates), so periods reaching before 1970 are
# an open limitation there.
EARLY = [d for d in DATES if d < D(1972, 1, 1)]
MODERN = [d for d in DATES if d >= D(1972, 1, 1)]


def _periods_data(dates: list[D]) -> tuple[dict, list[int]]:
    customers = []
    for i, (cal, direction, unit) in enumerate(COMBOS):
        for j, day in enumerate(dates):
            first, last = python_period(cal, direction, unit, day)
            customers.append({"customer_id": i * 1000 + j, "age": i, "signup_date": day,
                              "renewal_date": first, "birth_date": last})
    return {"customers": customers, "orders": [], "events": []}, sorted(c["customer_id"] for c in customers)


def _periods_cond() -> ir.Cond:
    """Per customer: the period of its kind (age) around its signup date is
    [renewal_date, birth_date]."""
    branches: list[ir.Cond] = []
    for i, (cal, direction, unit) in enumerate(COMBOS):
        first, last = period_range(cal, direction, unit, today=_SIGNUP)
        branches.append(ir.And((ir.Cmp("=", _AGE, ir.lit_int(i)),
                                ir.Cmp("=", first, ir.Col("renewal_date", DATE)),
                                ir.Cmp("=", last, ir.Col("birth_date", DATE)))))
    return ir.Or(tuple(branches))


def test_the_python_calendar_of_this_test_knows_the_edges():
    # the expectations are right before any engine is asked
    assert python_period(Calendar(), "this", "week", D(2024, 6, 30)) == (D(2024, 6, 24), D(2024, 6, 30))
    assert python_period(Calendar("sunday"), "this", "week", D(2024, 6, 30)) == (D(2024, 6, 30), D(2024, 7, 6))
    assert python_period(Calendar(), "this", "week", D(1970, 1, 4)) == (D(1969, 12, 29), D(1970, 1, 4))
    assert python_period(Calendar(), "last", "quarter", D(2024, 6, 30)) == (D(2024, 1, 1), D(2024, 3, 31))
    assert python_period(Calendar("monday", 4), "last", "fiscal_quarter", D(2024, 6, 30)) == \
        (D(2024, 1, 1), D(2024, 3, 31))
    assert python_period(Calendar("monday", 4), "this", "fiscal_year", D(2024, 6, 30)) == \
        (D(2024, 4, 1), D(2025, 3, 31))
    assert python_period(Calendar("monday", 11), "this", "fiscal_quarter", D(2024, 1, 15)) == \
        (D(2023, 11, 1), D(2024, 1, 31))
    assert python_period(Calendar(), "next", "month", D(2024, 1, 31)) == (D(2024, 2, 1), D(2024, 2, 29))


@pytest.mark.parametrize("era", ["modern", "early"])
def test_periods_computed_per_row_in_sql(engine, era):
    tables, everyone = _periods_data(MODERN if era == "modern" else EARLY)
    engine.load(tomllib.loads(SCHEMA_PATH.read_text()), tables)
    assert engine.keys(_sql(_periods_cond(), engine.dialect)) == everyone


def test_weekday_in_sql(engine):
    customers = [{"customer_id": i, "signup_date": day, "income": day.isoweekday()}
                 for i, day in enumerate(DATES)]
    engine.load(tomllib.loads(SCHEMA_PATH.read_text()), {"customers": customers, "orders": [], "events": []})
    weekday = ir.Func("weekday", (_SIGNUP,), INTEGER)
    cond = ir.Cmp("=", weekday, ir.Col("income", NUMBER))
    assert engine.keys(_sql(cond, engine.dialect)) == list(range(len(DATES)))
    # and the count of Sundays, so that a constant answer cannot pass
    sundays = [i for i, day in enumerate(DATES) if day.isoweekday() == 7]
    assert engine.keys(_sql(ir.Cmp("=", weekday, ir.lit_int(7)), engine.dialect)) == sundays


# Instants (UTC) around New York's daylight-saving changes of 2024 and midnight.
_INSTANTS = [dt.datetime(2024, 3, 10, 6, 59, 59), dt.datetime(2024, 3, 10, 7, 0, 0),
             dt.datetime(2024, 11, 3, 5, 59, 59), dt.datetime(2024, 11, 3, 6, 0, 0),
             dt.datetime(2024, 7, 1, 3, 59, 59), dt.datetime(2024, 7, 1, 4, 0, 0),
             dt.datetime(2024, 6, 30, 23, 30), dt.datetime(2024, 6, 30, 3, 0), dt.datetime(2024, 6, 29, 12, 0),
             dt.datetime(1969, 12, 31, 23, 0), dt.datetime(2024, 1, 1, 0, 0)]


@pytest.mark.parametrize("timezone", ["UTC", "America/New_York"])
def test_hour_and_weekday_of_timestamps_in_the_project_zone(engine, timezone):
    import zoneinfo

    zone = zoneinfo.ZoneInfo(timezone)
    local = [t.replace(tzinfo=dt.UTC).astimezone(zone) for t in _INSTANTS]
    customers = [{"customer_id": i} for i in range(len(_INSTANTS))]
    orders = [{"order_id": i, "customer_id": i, "ordered_at": t, "amount": float(loc.hour)}
              for i, (t, loc) in enumerate(zip(_INSTANTS, local))]
    engine.load(tomllib.loads(SCHEMA_PATH.read_text()), {"customers": customers, "orders": orders, "events": []})
    at = ir.RelCol("orders", "ordered_at", TIMESTAMP)
    right_hour = ir.Cmp("=", ir.Func("hour", (at,), INTEGER), ir.RelCol("orders", "amount", NUMBER))
    has_right_hour = ir.Cmp(">=", ir.Agg("count", "orders", None, right_hour, INTEGER), ir.lit_int(1))
    assert engine.keys(_sql(has_right_hour, engine.dialect, timezone)) == list(range(len(_INSTANTS)))
    saturday = ir.Cmp("=", ir.Func("weekday", (ir.LocalDate(at),), INTEGER), ir.lit_int(6))
    has_saturday = ir.Cmp(">=", ir.Agg("count", "orders", None, saturday, INTEGER), ir.lit_int(1))
    expected = [i for i, loc in enumerate(local) if loc.isoweekday() == 6]
    # 2024-06-30 03:00 UTC is Saturday 23:00 in New York; 2024-06-29 12:00 a Saturday in both
    assert expected == ([7, 8] if timezone != "UTC" else [8])
    assert engine.keys(_sql(has_saturday, engine.dialect, timezone)) == expected
