"""Sequences (`did "A" then "B" within D`, `then not`, `with same`, chains): diagnostics that
need a schema of their own, the reference evaluator against the hand-derived members, the
shape of the SQL on every dialect, the formatter and explain.

The members on every engine are proven by tests/test_v2_members.py (project v2_sequences)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from tests.expected.sequence_members import EXPECTED
from tests.fixtures.sequence_data import DAY, TABLES

CASE = Path(__file__).resolve().parent / "cases" / "v2_sequences"
SEG = (CASE / "sequences.seg").read_text(encoding="utf-8")
SCHEMA = (CASE / "segdsl.toml").read_text(encoding="utf-8")


def _project(seg: str = SEG, schema: str = SCHEMA):
    import segdsl

    return segdsl.Project.from_sources(schema, {"s.seg": seg})


def _errors(seg: str, schema: str = SCHEMA) -> list[str]:
    return [f"{d.code} {d.message}" for d in _project(seg, schema).check() if d.is_error]


# ---- diagnostics that the acme schema of tests/diagnostics cannot show ----------------------

_DATED = SCHEMA.replace('occurred_at = "timestamp"', 'occurred_at = "date"')
_UNTIMED = SCHEMA.replace('time = "occurred_at"\nevent', 'event')
_TWO = SCHEMA + '\n[relations.visits]\ntable = "visits"\nkey = "customer_id"\ntime = "at"\nevent = "kind"\n' \
    '[relations.visits.columns]\nat = "timestamp"\nkind = { type = "string", values = ["store_visit"] }\n'


@pytest.mark.parametrize(("seg", "schema", "code"), [
    ('segment s where did "checkout_started" then "order_completed" within 2 hours', _DATED, "SEG0347"),
    ('segment s where did "checkout_started" then "order_completed" within 90 minutes', _DATED, "SEG0347"),
    ('segment s where did "checkout_started" then "order_completed" within 1 day', _UNTIMED, "SEG0350"),
    ('segment s where did "checkout_started" then "store_visit" within 1 day', _TWO, "SEG0352"),
    ('segment s where did "checkout_started" then "order_completed" within 1 year', SCHEMA, "SEG0346"),
    ('segment s where did "checkout_started" then "order_completed" within 99999999 weeks', SCHEMA, "SEG0351"),
    ('segment s where did "checkout_started" then "order_completed" with same product_id, cty within 1 day',
     SCHEMA, "SEG0349"),
    ('segment s where did "checkout_started" then "order_completed" with same interests within 1 day',
     SCHEMA.replace('product_id = "string"', 'interests = "list<string>"'), "SEG0349"),
    ('segment s where count(events where (did "checkout_started" then "order_completed")) > 0', SCHEMA,
     "SEG0313"),
])
def test_sequence_diagnostics(seg, schema, code):
    errors = _errors(seg, schema)
    assert [e.split()[0] for e in errors] == [code], errors


def test_a_date_time_column_takes_days_and_weeks():
    assert _errors('segment s where did "checkout_started" then not "order_completed" within 2 days', _DATED) == []


def test_hours_are_still_an_error_in_windows_but_not_in_within():
    assert [e.split()[0] for e in _errors('segment s where did "order_completed" in last 24 hours')] == ["SEG0345"]
    assert _errors('segment s where did "order_completed" in last 1 day then "order_completed" within 24 hours') == []


# ---- the reference evaluator on the hand-derived members -------------------------------------


def test_reference_evaluator_gives_the_hand_derived_members():
    from tests.reference.evaluator import Evaluator

    project = _project()
    ev = Evaluator(project.schema, "UTC", TABLES, dt.date.fromisoformat(DAY))
    got = {name: ev.members(project.segment_ir(name)) for name in EXPECTED}
    assert got == {name: by_as_of[DAY] for name, by_as_of in EXPECTED.items()}


# ---- the SQL's shape -----------------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "bigquery", "spark", "clickhouse", "databricks"])
def test_every_join_of_rows_is_on_the_key_and_a_time_range(dialect):
    """Each step's rows are filtered before any join, every join of two steps' rows has the
    key equality and a time bound (an order, or for `then not ... with same` the anti join of
    the latest time to the rows that found a B, an equality), and no window has a frame (ROWS frames over ties are not
    deterministic, EXCLUDE is not portable)."""
    project = _project()
    for name in EXPECTED:
        sql = project.compile(name, dialect=dialect, as_of=DAY)
        tree = sqlglot.parse_one(sql, read="databricks" if dialect == "databricks" else dialect)
        assert "EXCLUDE" not in sql.upper() and " ROWS " not in sql.upper(), name
        for window in tree.find_all(exp.Window):
            assert window.args.get("spec") is None and window.args.get("order") is None, (name, window.sql())
        seq = next(c for c in tree.find_all(exp.CTE) if c.alias.startswith("__sequence"))
        for join in seq.find_all(exp.Join):
            on = join.args["on"].sql(dialect="duckdb")
            assert re.search(r'"b"\."__key" = "a"\."__key"', on), (name, on)
            assert re.search(r'"b"\."__t" (>|>=|=) "a"\."__t"', on), (name, on)
            assert isinstance(join.this, exp.Subquery), (name, "a step's rows are filtered first")
        for table in seq.find_all(exp.Table):
            select = table.find_ancestor(exp.Select)
            assert select is not None and select.args.get("where") is not None, (name, "rows read unfiltered")


# ---- formatter and explain -----------------------------------------------------------------


def test_fmt_keeps_every_sequence_and_is_stable():
    from segdsl.format import format_source

    once = format_source(SEG, "s.seg")
    assert format_source(once, "s.seg") == once
    before, after = _project(), _project(once)
    for name in EXPECTED:
        assert after.segment_ir(name) == before.segment_ir(name), name


def test_explain_says_what_the_abandoned_checkout_means():
    from segdsl.explain import explain

    found = explain(_project(), "abandoned_checkout")
    assert found is not None
    assert found.summary() == (
        'Customers who did "checkout_started" in the last 7 days and did not do "order_completed" within 1 day '
        'of their latest "checkout_started" (once that wait is over).')


# ---- editor completion ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ('segment s where did "checkout_started" then ', '"order_completed"'),
    ('segment s where did "checkout_started" then not ', '"order_completed"'),
    ('segment s where did "checkout_started" then "order_completed" within 2 ', "hours"),
])
def test_completion_after_then_and_within(text, expected):
    from segdsl.lsp.complete import Completer

    labels = [i.label for i in Completer(_project().schema, {}, {}).complete(text, len(text))]
    assert expected in labels, labels
    if expected == "hours":
        assert "months" not in labels


def test_warnings_read_a_steps_filter_as_a_filter_on_events():
    seg = 'segment s where did "checkout_started" then "order_completed" where city != "y" within 1 day'
    messages = [d.message for d in _project(seg).check()]
    assert messages == ['`city != "y"` also matches events with no city'], messages


# ---- a time column of dates ----------------------------------------------------------------

_DATED_ROWS = {
    "customers": [{"customer_id": k} for k in range(1, 6)],
    "orders": [],
    "events": [
        {"customer_id": 1, "occurred_at": dt.date(2024, 6, 28), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 1, "occurred_at": dt.date(2024, 6, 29), "name": "order_completed", "product_id": "P1"},
        {"customer_id": 2, "occurred_at": dt.date(2024, 6, 28), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 2, "occurred_at": dt.date(2024, 6, 30), "name": "order_completed", "product_id": "P1"},
        {"customer_id": 3, "occurred_at": dt.date(2024, 6, 29), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 4, "occurred_at": dt.date(2024, 6, 30), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 5, "occurred_at": dt.date(2024, 7, 1), "name": "checkout_started", "product_id": "P1"},
    ],
}
_DATED_SEGMENTS = {
    # c1 (next day), not c2 (two days)
    "converted": ('did "checkout_started" then "order_completed" within 1 day', [1]),
    # a date is its first instant and now the end of 06-30 (07-01 00:00): the wait of a 06-30
    # checkout ends exactly at now, so it is over (c4); c2's order is 2 days later; c5's
    # checkout is after now
    "abandoned": ('did "checkout_started" then not "order_completed" within 1 day', [2, 3, 4]),
    # c2's order is inside 2 days; c4's wait ends 07-02, after now; c3's ends at now
    "abandoned_2_days": ('did "checkout_started" then not "order_completed" within 2 days', [3]),
}


@pytest.mark.parametrize("name", list(_DATED_SEGMENTS))
def test_a_time_column_of_dates_on_duckdb(duckdb_engine, name):
    import tomllib

    from tests.projects import with_snapshot_table
    from tests.reference.evaluator import Evaluator

    text, expected = _DATED_SEGMENTS[name]
    project = _project(f"segment {name} where {text}\n", _DATED)
    ev = Evaluator(project.schema, "UTC", _DATED_ROWS, dt.date(2024, 6, 30))
    assert ev.members(project.segment_ir(name)) == expected
    duckdb_engine.load(with_snapshot_table(tomllib.loads(_DATED)), _DATED_ROWS)
    assert duckdb_engine.keys(project.compile(name, dialect="duckdb", as_of=DAY)) == expected
    for dialect in ("postgres", "bigquery", "spark", "clickhouse"):
        assert sqlglot.parse_one(project.compile(name, dialect=dialect, as_of=DAY), read=dialect)


def test_a_wrong_last_within_is_reported_once_and_a_wrong_date_as_a_date():
    seg = 'segment s where did "product_viewed" then "added_to_cart" then "order_completed" within 1 month'
    assert [e.split()[0] for e in _errors(seg)] == ["SEG0346"]
    seg = 'segment s where did "checkout_started" on 2024-02-30 then "order_completed" within 1 day'
    assert [e.split()[0] for e in _errors(seg)] == ["SEG0303"]


def test_steps_without_within_take_the_last_steps():
    from segdsl import ir

    seq = _project().segment_ir("browsed_then_bought")
    assert isinstance(seq, ir.Sequence) and seq.within == (None, 3 * 86_400, 3 * 86_400)
    seq = _project().segment_ir("view_cart_fast_then_order")
    assert isinstance(seq, ir.Sequence) and seq.within == (None, 3_600, 86_400)
    seq = _project().segment_ir("never_bought_after_demo")
    assert isinstance(seq, ir.Sequence) and seq.within == (None, None) and seq.negated


# ---- the now rule: windows of a first step, an instant as-of --------------------------------

_NOW_ROWS = {
    "customers": [{"customer_id": k} for k in range(1, 5)],
    "orders": [],
    "events": [
        {"customer_id": 1, "occurred_at": dt.datetime(2024, 6, 28, 10), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 1, "occurred_at": dt.datetime(2024, 6, 30, 20), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 2, "occurred_at": dt.datetime(2024, 6, 28, 10), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 3, "occurred_at": dt.datetime(2024, 6, 30, 20), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 4, "occurred_at": dt.datetime(2024, 6, 26, 10), "name": "checkout_started", "product_id": "P1"},
        {"customer_id": 4, "occurred_at": dt.datetime(2024, 6, 26, 11), "name": "order_completed", "product_id": "P1"},
    ],
}
_ABANDONED = 'then not "order_completed" within 1 day'
# (first step, as-of) -> members, derived by hand from _NOW_ROWS (UTC)
_NOW_SEGMENTS = {
    # now = 06-30 14:00. `in this month` reaches past now: c1's and c3's 20:00 checkouts are
    # seen, their wait (to 07-01 20:00) is not over; c2's 06-28 checkout was abandoned
    ("in this month", "2024-06-30T14:00"): [2],
    # a window ending today does not reach past now: c1's latest seen checkout is 06-28's
    ("in last 7 days", "2024-06-30T14:00"): [1, 2],
    # now = 07-01 00:00: c1's and c3's 20:00 checkouts are seen either way, and pending
    ("in last 7 days", "2024-06-30"): [2],
    ("in this month", "2024-06-30"): [2],
    # between D1 and D2 with D2 after today reaches past now; before D does not
    ("between 2024-06-27 and 2024-07-31", "2024-06-30T14:00"): [2],
    ("before 2024-06-29", "2024-06-30T14:00"): [1, 2],
    # c4's checkout on 06-26 converted in an hour
    ("on 2024-06-26", "2024-06-30T14:00"): [],
}


@pytest.mark.parametrize(("window", "as_of"), list(_NOW_SEGMENTS))
@pytest.mark.parametrize("engine", ["duckdb", "postgres", "bigquery"], indirect=True)
def test_a_first_steps_window_follows_the_now_rule(engine, window, as_of):
    import tomllib

    from segdsl.as_of import parse
    from tests.projects import with_snapshot_table
    from tests.reference.evaluator import Evaluator

    expected = _NOW_SEGMENTS[(window, as_of)]
    project = _project(f'segment s where did "checkout_started" {window} {_ABANDONED}\n')
    assert _errors(f'segment s where did "checkout_started" {window} {_ABANDONED}\n') == []
    reference = parse(as_of)
    assert Evaluator(project.schema, "UTC", _NOW_ROWS, reference).members(project.segment_ir("s")) == expected
    engine.load(with_snapshot_table(tomllib.loads(SCHEMA)), _NOW_ROWS)
    assert engine.keys(project.compile("s", dialect=engine.dialect, as_of=as_of)) == expected


def test_a_date_time_column_under_an_instant_as_of(duckdb_engine):
    """now = 06-30 14:00, a date its first instant: c3's 06-29 checkout waited until 06-30
    00:00 (over), c4's 06-30 checkout until 07-01 00:00 (not over); c2's order is 2 days late."""
    import tomllib

    from segdsl.as_of import parse
    from tests.projects import with_snapshot_table
    from tests.reference.evaluator import Evaluator

    text = 'segment s where did "checkout_started" then not "order_completed" within 1 day\n'
    project = _project(text, _DATED)
    ev = Evaluator(project.schema, "UTC", _DATED_ROWS, parse("2024-06-30T14:00"))
    assert ev.members(project.segment_ir("s")) == [2, 3]
    duckdb_engine.load(with_snapshot_table(tomllib.loads(_DATED)), _DATED_ROWS)
    assert duckdb_engine.keys(project.compile("s", dialect="duckdb", as_of="2024-06-30T14:00")) == [2, 3]


@pytest.mark.parametrize("engine", ["duckdb", "postgres", "bigquery"], indirect=True)
def test_a_steps_filter_may_read_the_customer(engine):
    """c1 signed up on 06-29: only its 06-28 checkout is before that, and it was abandoned
    (its later checkout, still waiting, is not a step row); c2's and c4's checkouts are after
    their signup, c3 has no signup date."""
    import tomllib

    from tests.projects import with_snapshot_table
    from tests.reference.evaluator import Evaluator

    signups = {1: dt.date(2024, 6, 29), 2: dt.date(2024, 6, 1), 3: None, 4: dt.date(2024, 6, 1)}
    rows = {**_NOW_ROWS, "customers": [{"customer_id": k, "signup_date": d} for k, d in signups.items()]}
    project = _project('segment s where did "checkout_started" where occurred_at before customer.signup_date '
                       f'{_ABANDONED}\n')
    assert Evaluator(project.schema, "UTC", rows, dt.date(2024, 6, 30)).members(project.segment_ir("s")) == [1]
    engine.load(with_snapshot_table(tomllib.loads(SCHEMA)), rows)
    assert engine.keys(project.compile("s", dialect=engine.dialect, as_of=DAY)) == [1]
