"""Existence tests written as EXISTS (engines with `Capabilities.exists_joins`, DuckDB): the
`first_windows` rewrite and the planner's rule for when a relation's tests leave their pass.
Members are the corpus's and the differential tests' business; here, which shape each
segment gets, and that its members stay those of the pass it replaced (on DuckDB data)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
import sqlglot
from sqlglot import exp

import segdsl
from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.first_windows import first_windows
from segdsl.plan.rewrites import Context
from segdsl.sql import dialects
from segdsl.types import DATE, TIMESTAMP
from tests.projects import ROOT

AS_OF = dt.date(2024, 6, 30)
SEGMENTS = {
    # the shape: a window's rows (semi join), none before it (anti join)
    "first_buyers": ('first did "order_completed" in last 30 days', 2),
    "new_and_never_before": ('did "order_completed" in last 30 days and not did "order_completed" '
                             'before 2024-06-01', 2),
    # not the shape: the positive test reads the whole history too; the negated one a window;
    # a lone test; a test reading the customer's own columns; a max (last did) in a window
    "opened_never_bought": ('did "email_open" and not did "order_completed"', 0),
    "active_not_buying": ('did "session_start" in last 7 days and not did "order_completed" in last 30 days', 0),
    "bought_recently": ('did "order_completed" in last 30 days', 0),
    "first_in_home_city": ('first did "session_start" in last 30 days where city = customer.city', 0),
    "last_seen_band": ('last did "session_start" between 30 and 90 days ago', 0),
}


@pytest.fixture(scope="module")
def project():
    schema = (ROOT / "examples" / "segdsl.toml").read_text(encoding="utf-8")
    source = "".join(f"segment {name} where {cond}\n" for name, (cond, _) in SEGMENTS.items())
    return segdsl.Project.from_sources(schema, {"s.seg": source})


def _exists_count(sql: str, dialect: str) -> int:
    return len(list(sqlglot.parse_one(sql, read=dialect).find_all(exp.Exists)))


@pytest.mark.parametrize("name", sorted(SEGMENTS))
def test_which_segments_get_exists(project, name):
    sql = project.compile(name, dialect="duckdb", as_of=AS_OF)
    assert _exists_count(sql, "duckdb") == SEGMENTS[name][1], sql
    # engines without the capability keep their passes, and `first did` its minimum
    for other in ("postgres", "bigquery", "spark", "clickhouse"):
        assert _exists_count(project.compile(name, dialect=other, as_of=AS_OF), other) == 0, other


def test_exists_and_passes_give_the_same_members(project, monkeypatch):
    """Both shapes on DuckDB, on data with every edge of the rule: rows inside the window,
    rows before it, rows after now, rows without a time, a customer with only older rows."""
    con = duckdb.connect()
    con.execute("CREATE TABLE customers (customer_id BIGINT, city VARCHAR)")
    con.execute("CREATE TABLE events (customer_id BIGINT, occurred_at TIMESTAMP, name VARCHAR, city VARCHAR,"
                " product_id VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'Boston'), (2, 'Boston'), (3, NULL), (4, 'Paris'), (5, NULL),"
                " (6, 'Paris'), (NULL, 'Boston')")
    rows = [(1, "2024-06-10 10:00", "order_completed"), (2, "2024-05-31 23:59:59", "order_completed"),
            (2, "2024-06-15 00:00", "order_completed"), (3, "2024-06-01 00:00", "order_completed"),
            (3, None, "order_completed"), (4, "2024-07-01 00:00", "order_completed"),
            (5, "2024-06-30 23:59:59", "order_completed"), (5, "2024-06-20 10:00", "email_open"),
            (6, "2024-04-01 10:00", "order_completed"), (None, "2024-06-10 10:00", "order_completed")]
    con.executemany("INSERT INTO events VALUES (?, ?, ?, NULL, NULL)", rows)
    shapes = {}
    for flag in (True, False):
        monkeypatch.setattr(dialects.DuckDB, "exists_joins", flag)
        shapes[flag] = {n: sorted(r[0] for r in con.execute(project.compile(n, dialect="duckdb", as_of=AS_OF))
                                  .fetchall()) for n in ("first_buyers", "new_and_never_before")}
    assert shapes[True] == shapes[False] == {"first_buyers": [1, 3, 5], "new_and_never_before": [1, 3, 5]}


TIME = ir.RelCol("events", "occurred_at", TIMESTAMP)
FIRST = ir.Agg("min", "events", TIME, ir.Cmp("<", TIME, ir.Now()), TIMESTAMP)
LOW = ir.Cmp(">", ir.LocalDate(FIRST), ir.ShiftDate(ir.Today(), -30, "day"))
HIGH = ir.Cmp("<=", ir.LocalDate(FIRST), ir.Today())
CAPS = pn.Capabilities(exists_joins=True)


def test_first_windows_turns_the_pair_into_a_row_inside_and_none_before():
    out = first_windows(ir.And((LOW, HIGH)), Context("UTC", AS_OF, CAPS))
    inside, none_before = out.items
    assert isinstance(inside, ir.Cmp) and inside.op == ">=" and inside.left.function == "count"
    assert isinstance(none_before, ir.Not) and none_before.item.left.function == "count"
    day = ir.LocalDate(TIME)
    assert inside.left.filter == ir.and_(FIRST.filter, ir.and_(ir.Cmp(">", day, LOW.right), ir.Cmp("<=", day, HIGH.right)))
    assert none_before.item.left.filter == ir.and_(FIRST.filter, ir.Cmp("<=", day, LOW.right))


def test_first_windows_leaves_what_it_cannot_prove_or_would_not_speed_up():
    pair = ir.And((LOW, HIGH))
    assert first_windows(pair, Context("UTC", AS_OF)) == pair  # no EXISTS on the engine
    used_again = ir.And((LOW, HIGH, ir.Cmp("<", FIRST, ir.Lit(dt.date(2024, 6, 29), DATE))))
    assert first_windows(used_again, Context("UTC", AS_OF, CAPS)) == used_again  # the min is needed anyway
    lower_only = ir.And((LOW, ir.Const(True)))
    assert first_windows(lower_only, Context("UTC", AS_OF, CAPS)) == lower_only
    last = ir.Agg("max", "events", TIME, FIRST.filter, TIMESTAMP)
    band = ir.And((ir.Cmp(">", ir.LocalDate(last), LOW.right), ir.Cmp("<=", ir.LocalDate(last), HIGH.right)))
    assert first_windows(band, Context("UTC", AS_OF, CAPS)) == band
    # local dates outside UTC with the day known only when the query runs (no --as-of): the
    # start of the bound's day is not written portably, so the rows' local dates are not
    # compared with a range of instants; the pair is left to the minimum
    assert first_windows(pair, Context("America/New_York", None, CAPS)) == pair
    assert first_windows(pair, Context("America/New_York", AS_OF, CAPS)) != pair
    assert first_windows(pair, Context("UTC", None, CAPS)) != pair
