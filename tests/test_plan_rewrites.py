"""The planner's IR rewrites keep the meaning of what they rewrite.

`years_form` turns a comparison of `years_since(d)` with a whole number into date bounds: it is
checked here against the reference evaluator's `years_since` for every day of four years
around leap days, several reference dates (29 February among them) and every comparison.
`exists_form` leaves a min/max alone when the segment computes it anyway.
"""

from __future__ import annotations

import datetime as dt

import pytest

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.rewrites import Context, kept_extremes, rewrite_segment, years_form
from segdsl.types import DATE, INTEGER, TIMESTAMP
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
