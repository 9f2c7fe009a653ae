"""The reference evaluator (tests/reference/) against the hand-checked expectations.

The differential tests trust the evaluator as an oracle, so it must first reproduce every
member list that was derived by hand: all segments of examples/ and tests/cases/acme_extra/ on
tests/fixtures/acme_data.py, and the New York time-zone cases of tests/test_time_zones.py.
No engine is involved: this file runs in the fast tier.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import get_args

import pytest

from segdsl import ir
from tests.expected import examples_members, extra_members
from tests.fixtures.acme_data import AS_OF, TABLES
from tests.projects import PROJECTS as CORPUS
from tests.projects import load
from segdsl.types import BOOLEAN, DATE, INTEGER, NUMBER, STRING, TIMESTAMP, Type
from tests.reference import Evaluator
from tests.reference.evaluator import add_months
from tests.test_members import PROJECTS
from tests.test_time_zones import EXPECTED as NY_EXPECTED
from tests.test_time_zones import TABLES as NY_TABLES


@cache
def _project(path):
    import segdsl

    return segdsl.load_project(path)


CASES = [pytest.param(p, s, id=f"{p}-{s}") for p, (_, exp) in PROJECTS.items() for s in exp]


# ---- every IR node type: a sample of each, evaluated on three customers --------------------
# A node added to segdsl/ir.py must be taught to the evaluator before it can be trusted: mypy
# names the `match` that lacks it (assert_never), and this table fails until it has a sample.

_AGE = ir.Col("age", INTEGER)
_SUBSCRIBED = ir.Truthy(ir.Col("is_subscribed", BOOLEAN))
_AMOUNT = ir.RelCol("orders", "amount", NUMBER)
_ORDERED_AT = ir.RelCol("orders", "ordered_at", TIMESTAMP)
_SAMPLE_AS_OF = dt.date(2024, 6, 30)
_SAMPLE_TABLES = {
    "customers": [
        {"customer_id": 1, "age": 30, "email": "Ann@Example.com", "is_subscribed": True,
         "signup_date": "2024-05-01", "interests": ["hiking"]},
        {"customer_id": 2},  # every value missing
        {"customer_id": 3, "age": 40, "email": "bob@test.org", "is_subscribed": False,
         "signup_date": "2023-01-31", "interests": ["golf", "hiking"]},
    ],
    "orders": [
        {"order_id": 1, "customer_id": 1, "amount": 10.0, "ordered_at": "2024-06-01T12:00:00"},
        {"order_id": 2, "customer_id": 1, "amount": 30.0, "ordered_at": "2024-06-10T12:00:00"},
        # 22:00 on Dec 31 in New York
        {"order_id": 3, "customer_id": 3, "amount": 5.0, "ordered_at": "2024-01-01T03:00:00"},
    ],
    "events": [],
    "segdsl_snapshots": [
        {"segment": "vips", "snapshot_id": 1, "as_of": "2024-06-01", "member_key": 1},
        {"segment": "vips", "snapshot_id": 2, "as_of": "2024-06-20", "member_key": 3},
        {"segment": "vips", "snapshot_id": 3, "as_of": "2024-07-15", "member_key": 2},  # after as-of
    ],
}

# node type -> (an IR tree using it, its value per customer key, or the members of a condition)
VALUE_SAMPLES: dict[type, tuple[ir.Value, dict[int, object]]] = {
    ir.Col: (_AGE, {1: 30, 2: None, 3: 40}),
    ir.RelCol: (ir.Agg("max", "orders", _AMOUNT, None, NUMBER), {1: 30.0, 2: None, 3: 5.0}),
    ir.Lit: (ir.Lit(Decimal("2.5"), NUMBER), dict.fromkeys((1, 2, 3), Fraction(5, 2))),
    ir.Today: (ir.Today(), dict.fromkeys((1, 2, 3), _SAMPLE_AS_OF)),
    # the next midnight in New York (EDT, UTC-4), as naive UTC
    ir.Now: (ir.Now(), dict.fromkeys((1, 2, 3), dt.datetime(2024, 7, 1, 4, 0))),
    ir.ShiftDate: (ir.ShiftDate(ir.Col("signup_date", DATE), -1, "month"),
                   {1: dt.date(2024, 4, 1), 2: None, 3: dt.date(2022, 12, 31)}),
    ir.StartOf: (ir.StartOf(ir.Col("signup_date", DATE), "quarter"),
                 {1: dt.date(2024, 4, 1), 2: None, 3: dt.date(2023, 1, 1)}),
    ir.LocalDate: (ir.LocalDate(ir.Agg("max", "orders", _ORDERED_AT, None, TIMESTAMP)),
                   {1: dt.date(2024, 6, 10), 2: None, 3: dt.date(2023, 12, 31)}),
    ir.Arith: (ir.Arith("-", _AGE, ir.lit_int(10), INTEGER), {1: 20, 2: None, 3: 30}),
    ir.Neg: (ir.Neg(_AGE, INTEGER), {1: -30, 2: None, 3: -40}),
    ir.Func: (ir.Func("year", (ir.Col("signup_date", DATE),), INTEGER), {1: 2024, 2: None, 3: 2023}),
    ir.Agg: (ir.Agg("count", "orders", None, None, INTEGER), {1: 2, 2: 0, 3: 1}),
    ir.Percentile: (ir.Percentile(_AGE), {1: 0, 2: None, 3: 100}),
    ir.Bucket: (ir.Bucket(_AGE, 2), {1: 1, 2: None, 3: 2}),
    ir.CondValue: (ir.CondValue(_SUBSCRIBED), {1: True, 2: False, 3: False}),
    ir.ScoreValue: (ir.ScoreValue(((_SUBSCRIBED, Decimal(10)), (ir.IsSet(_AGE), Decimal("2.5"))), NUMBER),
                    {1: Fraction(25, 2), 2: 0, 3: Fraction(5, 2)}),
    # the first rule that holds: key 1 is subscribed (and over 35? no: 30), key 3 is over 35
    ir.FamilyValue: (ir.FamilyValue("stage", ((_SUBSCRIBED, "subscribed"), (ir.Cmp(">", _AGE, ir.lit_int(35)), "older")),
                                    None, STRING), {1: "subscribed", 2: None, 3: "older"}),
    # buckets of keys 1, 2, 3 in tests/expected/split_members.py (computed with md5sum)
    ir.HashBucket: (ir.HashBucket("spring_campaign", "", ir.Col("customer_id", INTEGER)),
                    {1: 8536, 2: 2459, 3: 9473}),
    ir.FirstMatch: (ir.FirstMatch(((ir.Cmp(">", _AGE, ir.lit_int(35)), "old"), (ir.IsSet(_AGE), "young")),
                                  STRING), {1: "young", 2: None, 3: "old"}),
}
COND_SAMPLES: dict[type, tuple[ir.Cond, list[int]]] = {
    ir.Cmp: (ir.Cmp(">", _AGE, ir.lit_int(35)), [3]),
    ir.InSet: (ir.InSet(_AGE, (ir.lit_int(30), ir.lit_int(50))), [1]),
    ir.IsSet: (ir.IsSet(ir.Col("interests", Type("list", "string"))), [1, 3]),
    ir.Text: (ir.Text("ends_with", ir.Col("email", STRING), "EXAMPLE.COM"), [1]),
    ir.ListHas: (ir.ListHas(ir.Col("interests", Type("list", "string")), ir.Lit("golf", STRING)), [3]),
    ir.Truthy: (_SUBSCRIBED, [1]),
    ir.Ranked: (ir.Ranked("top", _AGE, 1, None), [3]),
    ir.SegmentRef: (ir.SegmentRef("adults", ir.Cmp(">=", _AGE, ir.lit_int(18))), [1, 3]),
    ir.InSnapshot: (ir.InSnapshot("vips", ir.Today()), [3]),
    ir.And: (ir.And((_SUBSCRIBED, ir.Cmp(">", _AGE, ir.lit_int(20)))), [1]),
    ir.Or: (ir.Or((_SUBSCRIBED, ir.Cmp(">", _AGE, ir.lit_int(35)))), [1, 3]),
    ir.Not: (ir.Not(_SUBSCRIBED), [2, 3]),
    ir.Const: (ir.Const(False), []),
    # 04-30..06-30 holds 1 May (c1), not 31 January (c3); c2 has no signup date
    ir.Anniversary: (ir.Anniversary(ir.Col("signup_date", DATE), ir.ShiftDate(ir.Today(), -61, "day"), ir.Today()),
                     [1]),
}


def _sample_evaluator() -> Evaluator:
    p = _project(PROJECTS["examples"][0])
    return Evaluator(p.schema, "America/New_York", _SAMPLE_TABLES, _SAMPLE_AS_OF)


def test_the_samples_cover_every_ir_node_type():
    ir_classes = {c for c in vars(ir).values()
                  if isinstance(c, type) and c.__module__ == ir.__name__ and hasattr(c, "__dataclass_fields__")}
    values, conds = set(get_args(ir.Value)), set(get_args(ir.Cond))
    assert ir_classes == values | conds, "every IR node is a Value or a Cond"
    assert set(VALUE_SAMPLES) == values
    assert set(COND_SAMPLES) == conds
    for cls, (tree, _) in [*VALUE_SAMPLES.items(), *COND_SAMPLES.items()]:
        assert any(type(n) is cls for n in ir.walk(tree)), cls


@pytest.mark.parametrize("cls", list(VALUE_SAMPLES), ids=lambda c: c.__name__)
def test_the_evaluator_handles_every_value_node(cls):
    tree, expected = VALUE_SAMPLES[cls]
    assert _sample_evaluator().values(tree) == expected


@pytest.mark.parametrize("cls", list(COND_SAMPLES), ids=lambda c: c.__name__)
def test_the_evaluator_handles_every_condition_node(cls):
    tree, expected = COND_SAMPLES[cls]
    ev = _sample_evaluator()
    assert ev.members(tree) == expected
    # two-valued: a condition is True or False for every customer, never missing
    assert all(type(ev.cond(tree, c, None)) is bool for c in ev.customers)


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
    from tests.reference.values import round_half_away as _round
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
