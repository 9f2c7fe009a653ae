"""The planner's IR rewrites keep the meaning of what they rewrite.

`years_form` turns a comparison of `years_since(d)` with a whole number into date bounds: it is
checked here against the reference evaluator's `years_since` for every day of four years
around leap days, several reference dates (29 February among them) and every comparison.
`exists_form` leaves a min/max alone when the segment computes it anyway.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.rewrites import Context, kept_extremes, rewrite_segment, years_form
from segdsl.types import DATE, INTEGER, STRING, TIMESTAMP
from tests.reference.dates import years_since

OPS = ["=", "<", "<=", ">", ">="]
TODAYS = [dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2023, 3, 1), dt.date(2024, 6, 30),
          dt.date(2024, 12, 31), dt.date(2025, 1, 1)]


def _date_field() -> ir.Col:
    return ir.Col("birth_date", DATE)


def _holds(cond, day: dt.date) -> bool:
    """Evaluate a rewritten condition: And / Cmp of the column with a date literal."""
    if isinstance(cond, ir.And):
        return all(_holds(c, day) for c in cond.items)
    assert isinstance(cond, ir.Cmp) and isinstance(cond.right, ir.Lit), cond
    b = cond.right.value
    return {"=": day == b, "<": day < b, "<=": day <= b, ">": day > b, ">=": day >= b}[cond.op]


@pytest.mark.parametrize("today", TODAYS, ids=str)
@pytest.mark.parametrize("op", OPS)
def test_years_form_means_years_since(today, op):
    column = _date_field()
    days = [dt.date(today.year - 6, 1, 1) + dt.timedelta(days=i) for i in range(366 * 7)]
    for n in range(0, 7):
        for flipped in (False, True):
            ys = ir.Func("years_since", (column,), INTEGER)
            lit = ir.Lit(n, INTEGER)
            node = ir.Cmp(op, lit, ys) if flipped else ir.Cmp(op, ys, lit)
            out = years_form(node, Context("UTC", today))
            assert out is not node, "not rewritten"
            for day in days:
                y = years_since(day, today)
                if flipped:
                    want = {"=": n == y, "<": n < y, "<=": n <= y, ">": n > y, ">=": n >= y}[op]
                else:
                    want = {"=": y == n, "<": y < n, "<=": y <= n, ">": y > n, ">=": y >= n}[op]
                assert _holds(out, day) == want, (op, n, flipped, today, day, y)


def test_years_form_needs_a_known_reference_date_and_a_whole_number():
    ys = ir.Func("years_since", (_date_field(),), INTEGER)
    node = ir.Cmp(">=", ys, ir.Lit(18, INTEGER))
    assert years_form(node, Context("UTC", None)) is node
    from decimal import Decimal

    half = ir.Cmp(">=", ys, ir.Lit(Decimal("1.5"), INTEGER))
    assert years_form(half, Context("UTC", dt.date(2024, 6, 30))) is half


def _events_min(filter_=None):
    col = ir.RelCol("events", "occurred_at", TIMESTAMP)
    return ir.Agg("min", "events", col, filter_, TIMESTAMP)


def test_exists_form_keeps_a_min_the_segment_computes_anyway():
    today = dt.date(2024, 6, 30)
    first = _events_min()
    later = ir.Cmp(">", first, ir.Lit(dt.date(2024, 6, 1), DATE))
    before = ir.Cmp("<=", first, ir.Lit(dt.date(2024, 6, 30), DATE))
    ctx = Context("UTC", today)
    # alone, `min(t) <= c` becomes a test for a row with t <= c (a pass that can skip rows)
    alone = rewrite_segment(before, ctx)
    assert isinstance(alone, pn.RowsExist) and alone.agg.function == "count"
    # next to `min(t) > c'`, which needs the min anyway, it stays a comparison of that min
    assert kept_extremes(ir.And((later, before)), ctx) == frozenset({first})
    both = rewrite_segment(ir.And((later, before)), ctx)
    assert both == ir.And((later, before))


def _sequence(first_window: bool, negated: bool) -> ir.Sequence:
    time = ir.RelCol("events", "occurred_at", TIMESTAMP)
    name = ir.RelCol("events", "name", STRING)
    before_now = ir.Cmp("<", time, ir.Now())
    floor = ir.Cmp(">", ir.LocalDate(time), ir.ShiftDate(ir.Today(), -7, "day"))
    first = ir.And((ir.Cmp("=", name, ir.Lit("checkout_started", STRING)),)
                   + ((floor, ir.Cmp("<=", ir.LocalDate(time), ir.Today())) if first_window else ())
                   + (before_now,))
    then = ir.And((ir.Cmp("=", name, ir.Lit("order_completed", STRING)), before_now))
    return ir.Sequence("events", time, ("checkout_started", "order_completed"), (first, then),
                       (None, 86_400), ((), ()), (False, False), negated, ir.Now())


def test_sequence_floors_bound_the_later_steps_by_the_first_window_start():
    from segdsl.plan.sequence_floors import floored, floors

    seq = _sequence(first_window=True, negated=True)
    (bound,) = floors(seq)  # the window's start only: its end and "before now" bound from above
    assert bound.op == ">" and isinstance(bound.left, ir.LocalDate)
    out = floored(seq)
    assert out.rows[0] == seq.rows[0]
    assert isinstance(out.rows[1], ir.And) and out.rows[1].items == seq.rows[1].items + (bound,)
    assert floored(out) == out  # a bound already there is not added twice
    # no window on the first step: nothing to copy
    assert floored(_sequence(first_window=False, negated=True)) == _sequence(first_window=False, negated=True)
    # a positive chain gets the floor too, except for engines that pick nested loops by
    # estimate (the floor shrinks the chain's estimate there); `then not` always does
    chain = _sequence(first_window=True, negated=False)
    assert floored(chain).rows[1].items == chain.rows[1].items + (bound,)
    assert floored(chain, chains=False) == chain
    assert floored(seq, chains=False) == out
    # a one-day window (`on D`) bounds the later steps from its day on
    day = ir.Lit(dt.date(2024, 6, 19), DATE)
    on_day = dataclasses.replace(seq, rows=(ir.And((ir.Cmp("=", ir.LocalDate(seq.time), day),)), seq.rows[1]))
    assert floors(on_day) == (ir.Cmp(">=", ir.LocalDate(seq.time), day),)


def test_sequence_floors_follow_the_engine_capabilities():
    from segdsl.plan import nodes as pn
    from segdsl.plan.rewrites import Context
    from segdsl.plan.sequence_floors import sequence_floors

    chain = _sequence(first_window=True, negated=False)
    step = pn.SequencePass("__sequence1", "events", "customer_id", chain, None)
    plan = pn.Plan((step,), None, "customer_id")  # type: ignore[arg-type]
    floored_on = {caps: sequence_floors(plan, Context("UTC", None, caps)).steps[0].sequence != chain
                  for caps in (pn.Capabilities(), pn.Capabilities(nested_loops_by_estimate=True))}
    assert floored_on == {pn.Capabilities(): True, pn.Capabilities(nested_loops_by_estimate=True): False}
    from segdsl.sql.dialects import get_dialect

    assert [name for name in ("duckdb", "postgres", "bigquery", "spark", "clickhouse")
            if get_dialect(name).capabilities.nested_loops_by_estimate] == ["postgres"]
