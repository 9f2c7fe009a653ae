"""The reference evaluator (tests/reference/) against the hand-checked expectations.

The differential tests trust the evaluator as an oracle, so it must first reproduce every
member list that was derived by hand: all segments of examples/ and tests/cases/acme_extra/ on
tests/fixtures/acme_data.py, and the New York time-zone cases of tests/test_time_zones.py.
No engine is involved: this file runs in the fast tier.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import pytest

from segdsl import ir
from tests.expected import examples_members, extra_members
from tests.fixtures.acme_data import AS_OF, TABLES
from tests.projects import PROJECTS as CORPUS
from tests.projects import load
from tests.reference import Evaluator, unsupported_nodes
from tests.reference.evaluator import add_months
from tests.test_members import PROJECTS
from tests.test_time_zones import EXPECTED as NY_EXPECTED
from tests.test_time_zones import TABLES as NY_TABLES


@lru_cache(maxsize=None)
def _project(path):
    import segdsl

    return segdsl.load_project(path)


CASES = [pytest.param(p, s, id=f"{p}-{s}") for p, (_, exp) in PROJECTS.items() for s in exp]


def test_every_ir_node_is_handled():
    # A node added to segdsl/ir.py must be taught to the evaluator before it can be trusted.
    assert unsupported_nodes() == []


@pytest.mark.parametrize("project, segment", CASES)
def test_reference_reproduces_hand_checked_members(project, segment):
    path, expected = PROJECTS[project]
    p = _project(path)
    ev = Evaluator(p.schema, p.settings.timezone, TABLES, AS_OF)
    assert ev.members(p.segment_ir(segment)) == expected[segment]


@pytest.mark.parametrize("segment", sorted(NY_EXPECTED))
def test_reference_counts_days_in_the_project_time_zone(segment):
    ny = next(c for c in CORPUS if c.id == "new_york")
    p = load(ny)
    assert p.settings.timezone == "America/New_York"
    ev = Evaluator(p.schema, p.settings.timezone, NY_TABLES, AS_OF)
    assert ev.members(p.segment_ir(segment)) == NY_EXPECTED[segment]


def test_the_expectations_cover_every_segment():
    for project, (path, expected) in PROJECTS.items():
        assert sorted(_project(path).segment_names()) == sorted(expected), project
    assert len(examples_members.EXPECTED) + len(extra_members.EXPECTED) > 100


@pytest.mark.parametrize("start, months, end", [
    (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
    (dt.date(2024, 6, 30), -4, dt.date(2024, 2, 29)),
    (dt.date(2024, 6, 30), 8, dt.date(2025, 2, 28)),
    (dt.date(2024, 1, 31), -12, dt.date(2023, 1, 31)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2024, 12, 15), 1, dt.date(2025, 1, 15)),
])
def test_months_clamp_to_the_end_of_the_month(start, months, end):
    assert add_months(start, months) == end


def _ev(customers, orders=(), timezone="UTC"):
    p = _project(PROJECTS["acme_extra"][0])
    return Evaluator(p.schema, timezone, {"customers": customers, "orders": list(orders), "events": []}, AS_OF)


def test_rounding_is_half_away_from_zero_on_decimals():
    from tests.reference.evaluator import _round
    from fractions import Fraction

    assert _round(2.5, 0) == 3 and _round(-2.5, 0) == -3 and _round(99.5, 0) == 100
    assert _round(2.675, 2) == Fraction(268, 100)  # the double is 2.67499999...: decimal view wins
    assert _round(Fraction(-1, 8), 2) == Fraction(-13, 100)


def test_ntile_and_percentile_on_a_small_population():
    from segdsl.types import INTEGER, NUMBER

    ev = _ev([{"customer_id": k, "age": a} for k, a in [(1, 30), (2, None), (3, 10), (4, 30), (5, 20),
                                                        (6, 40), (7, 50)]])
    age = ir.Col("age", INTEGER)
    # 6 ranked (key 2 missing): ascending 3(10) 5(20) 1(30) 4(30) 6(40) 7(50); NTILE(4): 2,2,1,1
    assert ev.values(ir.Bucket(age, 4)) == {1: 2, 2: None, 3: 1, 4: 2, 5: 1, 6: 3, 7: 4}
    assert ev.values(ir.Percentile(age, NUMBER))[4] == 60  # r = 4 of 6: 100 * 3 / 5
    top = ir.Ranked("top", age, None, Decimal("34"))  # ceil(6 * 0.34) = 3
    assert ev.members(top) == [1, 6, 7]  # the 30s tie: lower key first
    assert ev.members(ir.Ranked("bottom", age, 2, None)) == [3, 5]


def test_first_and_last_ties_and_missing_values():
    from segdsl.types import STRING

    t = dt.datetime(2024, 6, 1, 12)
    orders = [
        {"order_id": 1, "customer_id": 1, "ordered_at": t, "channel": "web"},
        {"order_id": 2, "customer_id": 1, "ordered_at": t, "channel": None},
        {"order_id": 3, "customer_id": 1, "ordered_at": t, "channel": "store"},
        {"order_id": 4, "customer_id": 1, "ordered_at": None, "channel": "phone"},
        {"order_id": 5, "customer_id": 2, "ordered_at": t, "channel": None},
    ]
    ev = _ev([{"customer_id": 1}, {"customer_id": 2}, {"customer_id": 3}], orders)
    col = ir.RelCol("orders", "channel", STRING)
    assert ev.values(ir.Agg("last", "orders", col, None, STRING)) == {1: "web", 2: None, 3: None}
    assert ev.values(ir.Agg("first", "orders", col, None, STRING)) == {1: "store", 2: None, 3: None}
    assert ev.values(ir.Agg("count_distinct", "orders", col, None, STRING)) == {1: 3, 2: 0, 3: 0}


def test_reference_reads_stored_snapshots_like_the_hand_checked_cases(tmp_path):
    import shutil

    import segdsl
    from tests.projects import ROOT
    from tests.test_snapshot_lists import SEGMENTS, TABLES as SNAP_TABLES

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "lists.seg").write_text("\n".join(f"segment {n} where {c}" for n, (c, _) in SEGMENTS.items()))
    p = segdsl.load_project(tmp_path)
    ev = Evaluator(p.schema, p.settings.timezone, SNAP_TABLES, AS_OF, p.settings.snapshots_table)
    assert {n: ev.members(p.segment_ir(n)) for n in SEGMENTS} == {n: m for n, (_, m) in SEGMENTS.items()}
