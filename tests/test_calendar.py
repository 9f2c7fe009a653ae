"""Calendar periods, weekday() and hour() outside the engines: the period bounds against
Python's calendar for every day of several years, the `[project]` settings and their errors,
the diagnostics and the `in last 1 week` fix, the formatter, explain, and the reference
evaluator on the hand-derived v2 members. Fast tier (no engine)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import segdsl
from segdsl.check.calendar import PERIOD_WORDS, period_range
from segdsl.format import format_source
from segdsl.plan.days import fixed_date
from segdsl.project.calendar import Calendar
from tests.expected import time_members
from tests.fixtures import time_data
from tests.projects import ROOT
from tests.reference import Evaluator
from tests.test_calendar_sql import python_period

CASES = ROOT / "tests" / "cases"
ACME = (ROOT / "examples" / "segdsl.toml").read_text(encoding="utf-8")


def _project(seg: str, project_extra: str = "") -> segdsl.Project:
    schema = ACME.replace("[project]\n", "[project]\n" + project_extra, 1) if project_extra else ACME
    return segdsl.Project.from_sources(schema, {"a.seg": seg})


def _codes(p: segdsl.Project) -> list[str]:
    return [d.code for d in p.check()]


# ---- the period bounds -----------------------------------------------------------------------

CALENDARS = [Calendar("monday"), Calendar("sunday"), *(Calendar("monday", m) for m in range(1, 13))]
DAYS = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(3 * 366)]


@pytest.mark.parametrize("cal", CALENDARS, ids=lambda c: f"{c.week_start}-{c.fiscal_year_start}")
def test_every_period_of_every_day_matches_the_calendar(cal):
    units = [u for u in PERIOD_WORDS if u.startswith("fiscal") == (cal.fiscal_year_start is not None)]
    for unit in units:
        for direction in ("this", "last", "next"):
            first, last = period_range(cal, direction, unit)
            for day in DAYS:
                got = (fixed_date(first, day), fixed_date(last, day))
                assert got == python_period(cal, direction, unit, day), (cal, direction, unit, day)


def test_a_fiscal_year_is_named_by_the_year_it_ends_in():
    # FY2025 with April starts: 2024-04-01 .. 2025-03-31 (the year `this fiscal_year` covers)
    first, last = period_range(Calendar("monday", 4), "this", "fiscal_year")
    assert (fixed_date(first, dt.date(2024, 6, 30)), fixed_date(last, dt.date(2024, 6, 30))) == \
        (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    # a fiscal year starting in January is the calendar year
    first, last = period_range(Calendar("monday", 1), "last", "fiscal_year")
    assert (fixed_date(first, dt.date(2024, 6, 30)), fixed_date(last, dt.date(2024, 6, 30))) == \
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


# ---- settings ----------------------------------------------------------------------------------

def test_the_settings_reach_the_schema():
    p = _project("segment s where signup_date in this week", 'week_start = "sunday"\nfiscal_year_start = 7\n')
    assert p.check() == []
    assert p.schema is not None and p.schema.calendar == Calendar("sunday", 7)
    assert p.settings.calendar == Calendar("sunday", 7)


@pytest.mark.parametrize("setting, message", [
    ('week_start = "saturday"', 'week_start must be "monday" or "sunday"'),
    ('week_start = "Sunday"', "did you mean `sunday`?"),
    ("fiscal_year_start = 13", "fiscal_year_start must be a month number from 1 to 12"),
    ("fiscal_year_start = 0", "fiscal_year_start must be a month number from 1 to 12"),
    ('fiscal_year_start = "april"', "fiscal_year_start must be a month number from 1 to 12"),
    ("fiscal_year_start = true", "fiscal_year_start must be a month number from 1 to 12"),
])
def test_bad_settings_are_configuration_errors(setting, message):
    p = _project("segment s where age > 1", setting + "\n")
    diags = p.check()
    assert [d.code for d in diags] == ["SEG0403"]
    d = diags[0]
    assert message in d.message + " ".join(d.hints)
    assert d.hints  # every one says what to write
    assert d.span.line > 1  # at the setting's own line


# ---- diagnostics -----------------------------------------------------------------------------

def test_a_fiscal_unit_needs_the_fiscal_year_start():
    p = _project("segment s where has orders in last fiscal_quarter")
    (d,) = p.check()
    assert d.code == "SEG0325" and d.is_error
    assert (d.span.line, d.span.col) == (1, 36)
    assert "fiscal_year_start = 4" in d.hints[0] and "`quarter`" in d.hints[1]
    assert _codes(_project("segment s where has orders in last fiscal_quarter", "fiscal_year_start = 4\n")) == []


def test_hour_needs_a_timestamp_and_weekday_a_date():
    assert _codes(_project("segment s where hour(signup_date) = 3")) == ["SEG0326"]
    assert _codes(_project("segment s where weekday(age) = 3")) == ["SEG0301"]
    assert _codes(_project("segment s where weekday(signup_date) = 3 and count(orders where hour(ordered_at) > 20) > 1"
                           " and count(orders where weekday(ordered_at) >= 6) > 1")) == []


def test_a_period_on_a_non_date_is_a_type_error():
    assert _codes(_project("segment s where age in this month")) == ["SEG0301"]


def test_the_period_words_stay_usable_as_names():
    p = _project("trait week = 1\nsegment s where week = 1 and month(signup_date) = 6 and signup_date in last 2 weeks")
    assert _codes(p) == []


@pytest.mark.parametrize("text", ["in this 2 weeks", "in last weeks", "in this days"])
def test_a_period_takes_no_number_and_is_singular(text):
    assert _codes(_project(f"segment s where signup_date {text}")) == ["SEG0101"]


def test_in_last_1_week_warns_with_two_fixes():
    seg = "segment s where signup_date in last 1 week or has orders in next 1 week"
    diags = _project(seg).check()
    assert [(d.code, d.severity) for d in diags] == [("SEG0612", "warning")] * 2
    first = diags[0]
    assert first.message == "`in last 1 week` is the 7 days ending today, not a calendar week"
    assert [f.replacement for f in first.fixes] == ["week", "7 days"]
    fixed = seg[:first.fixes[0].span.col - 1] + "week" + seg[first.fixes[0].span.end_col - 1:]
    assert fixed == "segment s where signup_date in last week or has orders in next 1 week"
    for quiet in ("in last 7 days", "in last 2 weeks", "in last week", "in last 1 month", "in last 1 day"):
        assert _codes(_project(f"segment s where signup_date {quiet}")) == []


# ---- formatter and explain ---------------------------------------------------------------------

@pytest.mark.parametrize("loose, canonical", [
    ("segment s where signup_date in  this   month", "segment s where signup_date in this month"),
    ("segment s where has orders in last fiscal_year where amount>1",
     "segment s where has orders in last fiscal_year where amount > 1"),
    ('trait t = count(events in next quarter where name="x")', 'trait t = count(events in next quarter where name = "x")'),
    ("segment s where weekday( signup_date )>=6", "segment s where weekday(signup_date) >= 6"),
])
def test_fmt_writes_periods_canonically_and_round_trips(loose, canonical):
    assert format_source(loose + "\n") == canonical + "\n"
    assert format_source(canonical + "\n") == canonical + "\n"


@pytest.mark.parametrize("seg, words", [
    ("signup_date in this month", "whose signup date is in this month"),
    ("has orders in last week", "who have orders in last week (Monday to Sunday)"),
    ("signup_date in next fiscal_year", "in next fiscal year (fiscal years start in April)"),
    ("weekday(signup_date) = 7", "day of the week of signup date (1 Monday to 7 Sunday)"),
])
def test_explain_names_the_period(seg, words):
    from segdsl.explain import explain

    p = _project(f"segment s where {seg}", "fiscal_year_start = 4\n")
    assert p.check() == []
    found = explain(p, "s")
    assert found is not None and words in found.summary()


# ---- the reference evaluator reproduces the hand-derived members ----------------------------

def _reference_cases() -> list:
    out = []
    for project, file, expected in [("v2_time", "calendar.seg", time_members.EXPECTED),
                                    ("v2_time_ny", "ny_calendar.seg", time_members.NY_EXPECTED)]:
        text = (CASES / project / file).read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("segment "):
                name = line.split()[1]
                out += [pytest.param(project, file, name, a, expected[name][a], id=f"{name}-{a}")
                        for a in expected[name]]
    return out


@pytest.mark.parametrize("project, file, segment, as_of, members", _reference_cases())
def test_reference_reproduces_the_calendar_members(project, file, segment, as_of, members):
    root = CASES / project
    p = segdsl.Project.from_sources((root / "segdsl.toml").read_text(encoding="utf-8"),
                                    {file: (root / file).read_text(encoding="utf-8")})
    tables = time_data.TABLES if project == "v2_time" else time_data.NY_TABLES
    ev = Evaluator(p.schema, p.settings.timezone, tables, dt.date.fromisoformat(as_of))
    assert ev.members(p.segment_ir(segment)) == members


def test_the_calendar_files_are_all_in_the_reference_cases():
    names = {c.values[2] for c in _reference_cases()}
    assert {"active_this_week", "ny_bought_last_fiscal_year", "ny_weekend_shoppers"} <= names
    assert Path(CASES / "v2_time" / "calendar.seg").exists()


# ---- every dialect compiles them, with and without --as-of ----------------------------------

@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "bigquery", "spark", "databricks", "clickhouse"])
def test_every_dialect_compiles_the_calendar_segments(dialect):
    import re

    import sqlglot

    for project, file in [("v2_time", "calendar.seg"), ("v2_time_ny", "ny_calendar.seg")]:
        root = CASES / project
        p = segdsl.Project.from_sources((root / "segdsl.toml").read_text(encoding="utf-8"),
                                        {file: (root / file).read_text(encoding="utf-8")})
        for name in p.segment_names():
            for as_of in (None, "2024-06-30"):
                sql = p.compile(name, dialect=dialect, as_of=as_of)
                assert sqlglot.parse_one(sql, read=dialect) is not None
                # no engine week or day-of-week function: weeks come from the fixed Monday
                assert not re.search(r"\b(DAYOFWEEK|DOW|ISODOW|WEEKDAY|TOSTARTOFWEEK|TOMONDAY|TODAYOFWEEK)\b|'WEEK'",
                                     sql, re.IGNORECASE), sql
