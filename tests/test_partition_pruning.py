"""Partitioned event tables: every filter on a relation's time column compares the bare column
(`"r"."occurred_at" >= TIMESTAMP '...'`), never a function, cast or arithmetic around it, so
BigQuery and Spark prune the partitions (or skip the files) outside the window. docs/sql.md,
"Partitioned event tables", says the same to users.

Every segment of every project under examples/, tests/corpus/ and tests/cases/, and each
project's batch query, is compiled for BigQuery and Spark, with --as-of and without it (windows
on the warehouse's clock), and each comparison in a WHERE that reads a relation's time column
is checked. The column may be
wrapped only by the constructs in ALLOWED, which read a part of each row's time (its weekday,
its hour) or compare a local date whose start the SQL cannot compute portably.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import segdsl
from segdsl.sql import calendar
from segdsl.sql.dialects import Dialect, get_dialect
from tests.projects import AS_OF, ROOT

DIALECTS = ("bigquery", "spark")
FOLDERS = [ROOT / "examples", *sorted((ROOT / "tests" / "corpus").iterdir()),
           *sorted((ROOT / "tests" / "cases").iterdir())]
PROJECT_DIRS = [f for f in FOLDERS if (f / "segdsl.toml").is_file()]
_CMP = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def _same(a: exp.Expr, b: exp.Expr, dialect: str) -> bool:
    """The same SQL once both went through the dialect's parser (how the test reads SQL)."""
    return a.sql(dialect) == sqlglot.parse_one(b.sql(dialect), read=dialect).sql(dialect)


def _runtime(e: exp.Expr) -> bool:
    """A value known only when the query runs: a column (per customer) or the clock."""
    return e.find(exp.Column, exp.CurrentDate, exp.CurrentTimestamp) is not None


# The only constructs that may wrap a relation's time column in a WHERE. Each gets the
# dialect, the project time zone, the column, the side of the comparison holding it and the
# other side; its reason is what docs/sql.md says.
Allowed = Callable[[Dialect, str, exp.Column, exp.Expr, exp.Expr, str], bool]
ALLOWED: dict[str, tuple[str, Allowed]] = {
    "weekday(t)": (
        "the day of the week is not a range of time: every partition may hold any weekday",
        lambda d, tz, c, side, other, sql: _same(side, calendar.weekday(d, d.local_date(c.copy(), tz)), sql)),
    "hour(t)": (
        "the hour of the day is not a range of time either",
        lambda d, tz, c, side, other, sql: _same(side, calendar.hour(d, c.copy(), tz), sql)),
    "local date, zone not UTC, bound computed in SQL": (
        "in a time zone other than UTC, the instant a day starts is computed when compiling "
        "(DST gaps and repeats are checked there), not in SQL: a window on the warehouse's "
        "clock (no --as-of) or a per-customer date compares each row's local date. With "
        "--as-of (or [project] as_of) the window's bounds are instants and the column is bare",
        lambda d, tz, c, side, other, sql: tz != "UTC" and _runtime(other)
        and _same(side, d.local_date(c.copy(), tz), sql)),
}


def time_filters(sql: str, dialect: str, times: dict[str, str]) -> list[tuple[exp.Expr, exp.Column]]:
    """(comparison, column) for each comparison in a WHERE of a SELECT reading a relation
    table (FROM or JOIN) that mentions that relation's time column."""
    found = []
    for select in sqlglot.parse_one(sql, read=dialect).find_all(exp.Select):
        aliases = {t.alias_or_name: times[t.name] for t in select.find_all(exp.Table)
                   if t.parent_select is select and t.name in times}
        where = select.args.get("where")
        if where is None or not aliases:
            continue
        for cmp in where.find_all(*_CMP, exp.Between, exp.In):
            for column in cmp.find_all(exp.Column):
                if aliases.get(column.table) == column.name:
                    found.append((cmp, column))
                    break
    return found


def wrapped(cmp: exp.Expr, column: exp.Column, d: Dialect, tz: str, dialect: str) -> str | None:
    """None when the column is bare on one side, else the ALLOWED construct wrapping it, else
    the comparison's SQL (a failure)."""
    sides = [cmp.this, cmp.args.get("expression")] if isinstance(cmp, _CMP) else [cmp.this]
    for i, side in enumerate(sides):
        if side is column:
            return None
        if side is not None and column in side.find_all(exp.Column) and isinstance(cmp, _CMP):
            other = sides[1 - i]
            for name, (_reason, allowed) in ALLOWED.items():
                if allowed(d, tz, column, side, other, dialect):
                    return name
    return f"wraps the time column: {cmp.sql(dialect)}"


def check_project(folder: Path, dialect: str, as_of: object) -> tuple[int, set[str], list[str]]:
    """(bare comparisons, allowed constructs met, failures) over the project's segments."""
    config = tomllib.loads((folder / "segdsl.toml").read_text())
    times = {r["table"].rpartition(".")[2]: r["time"] for r in config.get("relations", {}).values()
             if r.get("time")}
    tz = config.get("project", {}).get("timezone", "UTC")
    d = get_dialect(dialect)
    assert d is not None
    project = segdsl.load_project(folder)
    bare, met, failures = 0, set(), []
    queries = [(name, project.compile(name, dialect=dialect, as_of=as_of)) for name in project.segment_names()]
    queries.append(("(batch)", project.compile_batch(None, dialect=dialect, as_of=as_of)))
    for name, sql in queries:
        for cmp, column in time_filters(sql, dialect, times):
            verdict = wrapped(cmp, column, d, tz, dialect)
            if verdict is None:
                bare += 1
            elif verdict in ALLOWED:
                met.add(verdict)
            else:
                failures.append(f"{folder.name}/{name}: {verdict}")
    return bare, met, failures


@pytest.mark.parametrize("dialect", DIALECTS)
def test_relation_windows_filter_the_bare_time_column(dialect):
    bare, met, failures = 0, set(), []
    for folder in PROJECT_DIRS:
        for as_of in (AS_OF, None):
            b, m, f = check_project(folder, dialect, as_of)
            bare, met, failures = bare + b, met | m, failures + f
    assert not failures, "\n".join(failures)
    assert bare > 300  # the corpus has windows: the walk found them
    assert met == set(ALLOWED), "an allowed construct the corpus never needs: drop it"


SCHEMA = """
[entity]
name = "customer"
table = "customers"
key = "id"
[entity.columns]
id = "integer"
signup = "date"
[relations.visits]
table = "visits"
key = "id"
time = "visited_on"
[relations.visits.columns]
visited_on = "date"
page = "string"
"""

SEGMENTS = """
segment recent where has visits in last 30 days
segment q1 where count(visits between 2024-01-01 and 2024-03-31) >= 2
segment this_month where has visits in this month
segment band where has visits between 30 and 90 days ago
segment lapsed where has visits before 60 days ago and not has visits in last 60 days
segment early where count(visits where visited_on before customer.signup + 30 days) >= 1
"""


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_date_time_column_is_filtered_bare(tmp_path, dialect):
    (tmp_path / "segdsl.toml").write_text(SCHEMA)
    (tmp_path / "visits.seg").write_text(SEGMENTS)
    for as_of in (AS_OF, None):
        bare, met, failures = check_project(tmp_path, dialect, as_of)
        assert not failures and not met, failures
        assert bare >= 8
