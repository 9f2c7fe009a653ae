"""The plan stage: every IR node type handled by each visitor of it, every kind of step
reached by the corpus and written by the emitter, and the `ordered` switch."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal

import sqlglot
from sqlglot import exp

from segdsl import ir
from segdsl.ir_dump import ir_text
from segdsl.plan import nodes as pn
from segdsl.plan.build import node_role, plan_batch, plan_segment, plan_values
from segdsl.plan.dump import dump_plan
from segdsl.plan.rewrites import CONDITION_REWRITES, PLAN_REWRITES, SEGMENT_REWRITES
from segdsl.sql.dialects import get_dialect
from segdsl.sql.values import Lowerer
from segdsl.types import BOOLEAN, DATE, INTEGER, NUMBER, TIMESTAMP, Type
from tests.projects import AS_OF, PROJECTS, load

TEXT = Type("string")
LIST = Type("list", "string")
COUNT = ir.Agg("count", "orders", None, None, INTEGER)
AMOUNT = ir.RelCol("orders", "amount", NUMBER)


def samples() -> dict[type, object]:
    """One instance of every IR node type (a new node type needs one here)."""
    age = ir.Col("age", INTEGER)
    return {
        ir.Col: age,
        ir.RelCol: AMOUNT,
        ir.Lit: ir.Lit(Decimal("1.5"), NUMBER),
        ir.Today: ir.Today(),
        ir.Now: ir.Now(),
        ir.ShiftDate: ir.ShiftDate(ir.Today(), -3, "month"),
        ir.StartOf: ir.StartOf(ir.Today(), "week"),
        ir.LocalDate: ir.LocalDate(ir.Col("seen_at", TIMESTAMP)),
        ir.Arith: ir.Arith("/", age, ir.Lit(2, INTEGER), NUMBER),
        ir.Neg: ir.Neg(age, INTEGER),
        ir.Func: ir.Func("abs", (age,), INTEGER),
        ir.Agg: ir.Agg("sum", "orders", AMOUNT, ir.Cmp(">", AMOUNT, ir.Lit(0, INTEGER)), NUMBER),
        ir.Percentile: ir.Percentile(age),
        ir.Bucket: ir.Bucket(age, 4),
        ir.CondValue: ir.CondValue(ir.Const(True)),
        ir.ScoreValue: ir.ScoreValue(((ir.Const(True), Decimal(5)),), NUMBER),
        ir.FamilyValue: ir.FamilyValue("stage", ((ir.Cmp(">=", age, ir.Lit(18, INTEGER)), "adult"),), None,
                                       TEXT),
        ir.HashBucket: ir.HashBucket("ab_test", "2024", ir.Col("customer_id", INTEGER)),
        ir.FirstMatch: ir.FirstMatch(((ir.Cmp(">=", age, ir.Lit(18, INTEGER)), "adult"),), TEXT),
        ir.Cmp: ir.Cmp(">=", age, ir.Lit(18, INTEGER)),
        ir.InSet: ir.InSet(ir.Col("plan", TEXT), (ir.Lit("pro", TEXT), ir.Lit("free", TEXT))),
        ir.IsSet: ir.IsSet(ir.Col("email", TEXT)),
        ir.Text: ir.Text("ends_with", ir.Col("email", TEXT), "@x.com"),
        ir.ListHas: ir.ListHas(ir.Col("apps", LIST), ir.Lit("ios", TEXT)),
        ir.Truthy: ir.Truthy(ir.Col("vip", BOOLEAN)),
        ir.Ranked: ir.Ranked("top", age, None, Decimal("12.5")),
        ir.SegmentRef: ir.SegmentRef("adults", ir.Cmp(">=", age, ir.Lit(18, INTEGER))),
        ir.InSnapshot: ir.InSnapshot("adults", ir.Lit(dt.date(2024, 1, 1), DATE)),
        ir.Sequence: ir.Sequence("orders", ir.RelCol("orders", "ordered_at", TIMESTAMP), ("paid", "refunded"),
                                 (ir.Cmp(">", AMOUNT, ir.Lit(0, INTEGER)), ir.Const(True)), (None, 3_600),
                                 ((), (AMOUNT,)), (False, False), True, ir.Now()),
        ir.And: ir.And((ir.Const(True), ir.Const(False))),
        ir.Or: ir.Or((ir.Const(True), ir.Const(False))),
        ir.Not: ir.Not(ir.Const(True)),
        ir.Const: ir.Const(False),
        ir.Anniversary: ir.Anniversary(ir.Col("birth_date", DATE), ir.Today(), ir.ShiftDate(ir.Today(), 6, "day")),
        pn.RowsExist: pn.RowsExist(COUNT),
    }


def test_every_ir_node_type_has_a_sample():
    declared = set(typing.get_args(ir.Value)) | set(typing.get_args(ir.Cond)) | {pn.RowsExist}
    assert declared == set(samples())


def test_every_ir_node_type_is_handled_by_each_visitor():
    """The plan builder's roles, the lowering to SQL and the one-line text each handle every
    node type (an unhandled one reaches assert_never)."""
    nodes = samples()
    computed = {n: pn.ColumnRef("t", f"x{i}") for i, n in enumerate(nodes.values())}
    computed[ir.InSnapshot("adults", ir.Lit(dt.date(2024, 1, 1), DATE))] = pn.ColumnRef("s", "__key", present=True)
    for dialect in ("duckdb", "postgres", "bigquery"):
        low = Lowerer(get_dialect(dialect), "Europe/Paris", AS_OF, computed)
        for cls, node in nodes.items():
            role = node_role(node)
            assert role in _roles(), cls
            lowered = low.value(node) if cls in typing.get_args(ir.Value) else low.cond(node)
            assert isinstance(lowered, exp.Expr) and lowered.sql(dialect=dialect)
            if cls not in typing.get_args(ir.Value):
                assert low.where(node).sql(dialect=dialect)
            else:
                assert isinstance(low.nullable(node), bool)
            assert ir_text(node) and ir_text(node, {n: "col" for n in computed})


def _roles() -> tuple[str, ...]:
    from segdsl.plan.build import Role

    return typing.get_args(Role)


def test_every_step_kind_is_reached_by_the_corpus_and_emitted():
    """Each kind of step occurs in some corpus plan on each kind of engine, and the SQL of
    those plans parses (the emitter and the dump handle every kind)."""
    from segdsl.sql.emit import emit

    kinds = typing.get_args(pn.Step)
    for dialect in ("duckdb", "bigquery"):
        d = get_dialect(dialect)
        seen: set[type] = set()
        for p in PROJECTS:
            project = load(p)
            conds = {n: project.segment_ir(n) for n in project.segment_names()}
            plans = [plan_segment(c, project.schema, d.capabilities, project.settings, AS_OF) for c in conds.values()]
            plans.append(plan_batch(conds, project.schema, d.capabilities, project.settings, AS_OF))
            for plan in plans:
                seen |= {type(s) for s in plan.steps}
                assert dump_plan(plan)
                sql = emit(plan, d, project.settings.timezone, AS_OF).sql(dialect=dialect)
                assert sqlglot.parse_one(sql, read=dialect)
        expected = set(kinds) - ({pn.PickPass} if not d.capabilities.materializes_ctes else set())
        assert seen == expected, (dialect, set(kinds) - seen)


def test_rewrites_are_declared_in_order():
    assert [name for name, _ in CONDITION_REWRITES] == ["first_windows"]
    assert [name for name, _ in SEGMENT_REWRITES] == ["years_form", "exists_form", "existence_form"]
    assert [name for name, _ in PLAN_REWRITES] == ["shared_filters", "inner_joins", "sequence_floors"]


def test_plans_are_frozen_data_without_sql():
    project = load(next(p for p in PROJECTS if p.id == "examples"))
    caps = get_dialect("duckdb").capabilities
    plan = plan_segment(project.segment_ir("west_coast_vips"), project.schema, caps, project.settings, AS_OF)
    assert hash(plan.steps) is not None  # every part hashable, hence immutable all the way down
    assert not any(isinstance(v, exp.Expr) for s in plan.steps for v in vars(s).values())
    again = plan_segment(project.segment_ir("west_coast_vips"), project.schema, caps, project.settings, AS_OF)
    assert plan == again  # a pure function of its inputs


def test_ordered_false_leaves_out_only_the_order_by():
    from segdsl.sql.query import build_batch_query, build_query, build_values_query

    project = load(next(p for p in PROJECTS if p.id == "examples"))
    d, s = get_dialect("duckdb"), project.settings
    cond = project.segment_ir("west_coast_vips")
    conds = {n: project.segment_ir(n) for n in project.segment_names()}
    values = {n: t.value() for n, t in project.resolved[0].traits.items()}
    pairs = [(build_query(cond, project.schema, d, s, AS_OF), build_query(cond, project.schema, d, s, AS_OF, ordered=False)),
             (build_batch_query(conds, project.schema, d, s, AS_OF),
              build_batch_query(conds, project.schema, d, s, AS_OF, ordered=False)),
             (build_values_query(values, project.schema, d, s, AS_OF),
              build_values_query(values, project.schema, d, s, AS_OF, ordered=False))]
    for ordered, unordered in pairs:
        assert ordered.args.get("order") is not None and unordered.args.get("order") is None
        ordered.set("order", None)
        assert ordered.sql() == unordered.sql()
    assert plan_values(values, project.schema, d.capabilities, s, AS_OF, ordered=False).select.ordered is False
