"""`--as-of` means "as the data stood then", on every engine.

A segment compiled with a reference (a date, or an instant in the project zone) must give the
same members on the full data as on a copy with every relation row timed at or after "now"
deleted (customer fields are current values either way), unless one of its windows reaches
past now (`in next N units`, `after D`, `between D1 and D2` ending after today): those are
left out by reading the segment's IR, not by name. Run over the examples/ project on the
acme fixture and over tests/cases/v2_time/windows.seg on its time fixture.

Also: the members of windows.seg (tests/expected/time_members.py) for every segment of it that
checks here (`in last month` in june_openers is a calendar period).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from segdsl import ir
from segdsl.as_of import AsOf
from segdsl.as_of import parse as parse_as_of
from segdsl.check.now import is_seen_rule
from tests.expected import time_members
from tests.fixtures import acme_data, time_data
from tests.projects import ROOT, with_snapshot_table

V2_TIME = ROOT / "tests" / "cases" / "v2_time"


@lru_cache(maxsize=None)
def _windows_project():
    import segdsl

    return segdsl.Project.from_sources((V2_TIME / "segdsl.toml").read_text(encoding="utf-8"),
                                       {"windows.seg": (V2_TIME / "windows.seg").read_text(encoding="utf-8")})


@lru_cache(maxsize=None)
def _examples_project():
    import segdsl

    return segdsl.load_project(ROOT / "examples")


def _checking(project) -> list[str]:
    return [n for n in project.segment_names() if project.segment_ir(n) is not None]


def _schema(path: Path) -> dict:
    return with_snapshot_table(tomllib.loads((path / "segdsl.toml").read_text(encoding="utf-8")))


def _truncated(tables: dict, schema: dict, reference: AsOf, tz: str) -> dict:
    """The tables with every relation row timed at or after now deleted (untimed rows stay)."""
    now = reference.now(tz)
    timed = {r["table"]: r["time"] for r in schema.get("relations", {}).values() if r.get("time")}
    out = {}
    for table, rows in tables.items():
        column = timed.get(table)
        if column is None:
            out[table] = rows
            continue
        kept = []
        for row in rows:
            t = row.get(column)
            if isinstance(t, str):
                t = dt.datetime.fromisoformat(t)
            if t is not None and not isinstance(t, dt.datetime):
                t = dt.datetime(t.year, t.month, t.day)
            if t is None or t < now:
                kept.append(row)
        out[table] = kept
    return out


def _reaches_past_now(cond: ir.Cond, today: dt.date) -> bool:
    """Whether some relation condition of the segment sees rows after now: an aggregate whose
    filter does not hold the now rule, or holds it with a reach that is true at `today`."""
    from segdsl.plan.days import fixed_date

    for node in ir.walk(cond):
        if not isinstance(node, ir.Agg):
            continue
        items = node.filter.items if isinstance(node.filter, ir.And) else (node.filter,)
        rules = [c for c in items if c is not None and is_seen_rule(c)]
        if not rules:
            return True
        for rule in rules:
            if isinstance(rule, ir.Or) and isinstance(rule.items[1], ir.Cmp):
                reach = rule.items[1]
                left, right = fixed_date(reach.left, today), fixed_date(reach.right, today)
                if left is not None and right is not None and left > right:
                    return True
    return False


CASES = [  # (project id, as-of text)
    ("examples", "2023-06-30"),
    ("examples", "2024-06-29"),
    ("windows", "2023-06-30"),
    ("windows", "2024-06-30"),
    ("windows", "2024-06-30T14:00"),
]


def _setup(which: str):
    if which == "examples":
        return _examples_project(), _schema(ROOT / "examples"), acme_data.TABLES
    return _windows_project(), _schema(V2_TIME), time_data.TABLES


def _members_of(engine, project, names: list[str], reference):
    """A function giving each segment's members on the engine's current data. Spark runs
    every segment in one batch query (one row per customer, a column per segment): there a
    job costs seconds whatever the data, and the per-segment queries would be a job per five
    segments. That the batch query and the per-segment queries agree on Spark is checked by
    the differential tests (tests/differential/harness.py) and tests/test_batch.py."""
    if engine.name != "spark":
        sqls = [project.compile(n, dialect=engine.dialect, as_of=reference) for n in names]
        return lambda: engine.keys_many(sqls)
    batch = project.compile_batch(names, dialect=engine.dialect, as_of=reference)

    def members():
        rows = engine.query(batch)
        return [sorted(r[0] for r in rows if r[i] is True) for i in range(1, len(names) + 1)]
    return members


@pytest.mark.parametrize(("which", "as_of"), CASES, ids=[f"{w}-{a}" for w, a in CASES])
def test_as_of_equals_the_data_cut_at_now(engine, which, as_of):
    project, schema, tables = _setup(which)
    tz = project.settings.timezone
    reference = parse_as_of(as_of, tz)
    names = [n for n in _checking(project) if not _reaches_past_now(project.segment_ir(n), reference.date)]
    assert len(names) >= 5, "too few segments to compare"
    members = _members_of(engine, project, names, reference)
    engine.load(schema, tables)
    full = members()
    engine.load(schema, _truncated(tables, schema, reference, tz))
    cut = members()
    differ = {n: (a, b) for n, a, b in zip(names, full, cut) if a != b}
    assert not differ, f"members differ on the data cut at now ({as_of}): {differ}"


def test_segments_reaching_past_now_are_found():
    project = _windows_project()
    today = dt.date(2024, 6, 30)
    reaching = {n for n in _checking(project) if _reaches_past_now(project.segment_ir(n), today)}
    assert reaching == {"bought_in_next_7_days", "ordered_after_jun29", "ordered_mid_june_to_mid_july"}


WINDOWS_CASES = [(name, as_of) for name in _checking(_windows_project())
                 for as_of in time_members.EXPECTED.get(name, {})]


def test_windows_segments_check_except_calendar_periods():
    # june_openers uses `in last month`, a calendar period; every other segment checks
    assert set(_checking(_windows_project())) >= {
        "q1_buyers", "lapsed_sessions", "mid_band_buyers", "has_any_order", "ordered_today",
        "bought_in_next_7_days", "ordered_after_jun29", "ordered_mid_june_to_mid_july",
        "signup_band", "orders_band_months"}


_RESULTS: dict = {}


@pytest.mark.parametrize(("name", "as_of"), WINDOWS_CASES, ids=[f"{n}-{a}" for n, a in WINDOWS_CASES])
def test_windows_members(engine, name, as_of):
    project = _windows_project()
    key = (engine.name, as_of)
    if key not in _RESULTS:
        names = [n for n, a in WINDOWS_CASES if a == as_of]
        engine.load(_schema(V2_TIME), time_data.TABLES)
        sqls = [project.compile(n, dialect=engine.dialect, as_of=as_of) for n in names]
        _RESULTS[key] = dict(zip(names, engine.keys_many(sqls)))
    assert _RESULTS[key][name] == time_members.EXPECTED[name][as_of], \
        project.compile(name, dialect=engine.dialect, as_of=as_of)


@pytest.mark.parametrize(("name", "as_of"), WINDOWS_CASES, ids=[f"{n}-{a}" for n, a in WINDOWS_CASES])
def test_reference_evaluator_reproduces_windows_members(name, as_of):
    from tests.reference.evaluator import Evaluator

    project = _windows_project()
    reference = parse_as_of(as_of, project.settings.timezone)
    ev = Evaluator(project.schema, project.settings.timezone, time_data.TABLES, reference)
    assert ev.members(project.segment_ir(name)) == time_members.EXPECTED[name][as_of]
