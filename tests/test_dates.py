"""Anniversaries, years_since, days_between, `d ± N units` and `customer.<field>` on every
engine.

1. The reference evaluator reproduces the hand-derived members of
   tests/expected/time_members.py for the segments of tests/cases/v2_time/anniversaries.seg
   and dates.seg that this module covers (tests/test_v2_members.py runs both files on every
   engine).
2. Without --as-of the anniversary SQL computes the period's years in SQL (with --as-of they
   are folded when compiling): both forms give the same members, around today's real date,
   over periods in one year, across New Year and over several years.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from tests.expected import time_members
from tests.fixtures import time_data

CASES = Path(__file__).resolve().parent / "cases" / "v2_time"

SEGMENTS = {
    "anniversaries.seg": ("birthday_this_week", "birthday_month", "birthday_today", "signup_anniversary",
                          "birthday_last_week", "turned_21"),
    "dates.seg": ("renewed_early", "activated", "slow_second_order", "renews_a_month_after_signup"),
}

# Rows timed at or after "now" are still seen by conditions without a window until the now
# rule (LANGUAGE.md v2, "Now, and rows after it") is built: these expectations need it.
NEEDS_NOW_RULE: set[tuple[str, str]] = set()


@lru_cache(maxsize=None)
def _schema_text() -> str:
    return (CASES / "segdsl.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _project():
    import segdsl

    wanted = {n for names in SEGMENTS.values() for n in names}
    lines = []
    for file in SEGMENTS:
        for line in (CASES / file).read_text(encoding="utf-8").splitlines():
            m = re.match(r"segment\s+(\w+)", line)
            if m and m.group(1) in wanted:
                lines.append(line)
    assert len(lines) == len(wanted)
    return segdsl.Project.from_sources(_schema_text(), {"dates.seg": "\n".join(lines) + "\n"})


def _cases() -> list:
    out = []
    for names in SEGMENTS.values():
        for name in names:
            for as_of in time_members.EXPECTED[name]:
                marks = [pytest.mark.xfail(strict=True, reason="needs the now rule")] \
                    if (name, as_of) in NEEDS_NOW_RULE else []
                out.append(pytest.param(name, as_of, id=f"{name}-{as_of}", marks=marks))
    return out


def test_the_segments_check():
    assert [str(d) for d in _project().check()] == []


_LOADED: dict[str, object] = {}


def _load(engine, key: str, tables: dict) -> None:
    if _LOADED.get(engine.name) != key:
        engine.load(tomllib.loads(_schema_text()), tables)
        _LOADED[engine.name] = key


@pytest.mark.parametrize("name, as_of", _cases())
def test_reference_evaluator(name, as_of):
    from tests.reference.evaluator import members

    got = members(_project(), name, time_data.TABLES, dt.date.fromisoformat(as_of))
    assert got == time_members.EXPECTED[name][as_of]


# ---- without --as-of: the years of the period computed in SQL ------------------------------

_PERIODS = ("today", "in next 7 days", "in last 7 days", "in next 60 days", "in last 60 days",
            "in next 3 months", "in last 12 months", "in next 800 days", "in last 2 weeks")


def _around_today(today: dt.date) -> dict:
    """Customers whose signup and renewal dates fall near today's month-day, 29 February,
    1 March and New Year, in leap and other years."""
    days: list[dt.date] = [today + dt.timedelta(days=k) for k in range(-70, 71, 3)]
    days += [today + dt.timedelta(days=k) for k in (-1, 0, 1, 6, 7, 8, 59, 60, 61)]
    days += [dt.date(y, m, d) for y in (2000, 2019, 2020, 2023) for m, d in
             ((2, 28), (2, 29), (3, 1), (12, 31), (1, 1))
             if not (m == 2 and d == 29 and y % 4)]
    rows = []
    for i, day in enumerate(days, start=1):
        back = day.replace(year=day.year - 7) if (day.month, day.day) != (2, 29) else day.replace(year=day.year - 8)
        rows.append(time_data._customer(i, signup=back, renewal=day))
    rows.append(time_data._customer(len(days) + 1))  # no dates: in no anniversary
    return {**{t: [] for t in time_data.TABLES}, "customers": rows}


def test_anniversaries_without_as_of_equal_those_at_today(engine):
    import segdsl

    text = "".join(
        f"segment p{i}_{f} where {f} anniversary {p}\n"
        for i, p in enumerate(_PERIODS) for f in ("signup_date", "renewal_date"))
    text += "segment completed where years_since(signup_date) >= 7\n"
    project = segdsl.Project.from_sources(_schema_text(), {"a.seg": text})
    assert [str(d) for d in project.check()] == []
    today = dt.datetime.now(dt.UTC).date()
    tables = _around_today(today)
    _load(engine, f"around {today}", tables)
    names = re.findall(r"^segment (\w+)", text, re.MULTILINE)
    floating = engine.keys_many([project.compile(n, dialect=engine.dialect) for n in names])
    fixed = engine.keys_many([project.compile(n, dialect=engine.dialect, as_of=today.isoformat())
                              for n in names])
    from tests.reference.evaluator import members

    for name, a, b in zip(names, floating, fixed):
        assert a == b, name
        assert b == members(project, name, tables, today), name
    assert any(floating) and not all(len(x) == len(floating[0]) for x in floating)


# ---- customer.<field> in every kind of pass: grouped, keys only, first/last -------------------

_CUSTOMER_IN_FILTERS = """
segment c_count where count(orders where ordered_at before customer.signup_date + 30 days) >= 1
segment c_has where has orders where ordered_at after customer.signup_date - 1 month
segment c_has_no where has no orders where (customer.renewal_date is set and ordered_at on customer.renewal_date)
segment c_first where first(orders.order_id where ordered_at before customer.renewal_date) > 0
segment c_last_and_sum where last(orders.amount where customer.signup_date is set) >= 1 and sum(orders.amount) > 0
segment c_did where did "email_open" where occurred_at after customer.birth_date + 20 years
"""


def test_customer_values_inside_relation_filters(engine):
    import segdsl

    project = segdsl.Project.from_sources(_schema_text(), {"c.seg": _CUSTOMER_IN_FILTERS})
    assert [str(d) for d in project.check()] == []
    _load(engine, "time_data", time_data.TABLES)
    names = re.findall(r"^segment (\w+)", _CUSTOMER_IN_FILTERS, re.MULTILINE)
    from tests.reference.evaluator import members

    as_of = dt.date(2024, 7, 1)
    got = engine.keys_many([project.compile(n, dialect=engine.dialect, as_of=as_of.isoformat()) for n in names])
    for name, keys in zip(names, got):
        assert keys == members(project, name, time_data.TABLES, as_of), name
    assert all(got[:5]), "each segment has members on these rows"
