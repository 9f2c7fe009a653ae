"""The planner's rewrites, each a named pure function run in a declared order.

IR -> IR (single segments, before the plan is built; a batch computes each aggregate once
for every segment that uses it instead), first on the whole condition:
  first_windows    `L < min(t) <= U` as "a row inside, none before" (segdsl/plan/first_windows.py)
then node by node:
  years_form       `years_since(d) >= n` as `d <= B` for the date B it means (as-of known)
  exists_form      `min(R.x) < c` / `max(R.x) > c` as a filtered count of rows (`has R where x < c`)
  existence_form   a count only tested for 0 as RowsExist (a pass of keys, a semi/anti join)
Plan -> Plan (after it is built):
  shared_filters   the rows some aggregate reads as the pass's WHERE (pushed into the scan)
  inner_joins      a pass a member must have a row in joined INNER
  sequence_floors  every step of a sequence reads only rows from the first step's window
                   start on (segdsl/plan/sequence_floors.py)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeGuard

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.days import day_starts, is_fixed, shift, start_of
from segdsl.plan.first_windows import first_windows
from segdsl.plan.sequence_floors import sequence_floors
from segdsl.plan.truth import FLIP, empty_truth, map_nodes
from segdsl.types import DATE, INTEGER, Type


@dataclasses.dataclass(frozen=True)
class Context:
    """What rewrites may read besides what they rewrite."""

    timezone: str
    as_of: dt.date | None
    caps: pn.Capabilities = pn.Capabilities()
    # min/max aggregates the segment computes whatever exists_form does (see kept_extremes)
    kept: frozenset[Any] = frozenset()


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


# ---- IR -> IR -----------------------------------------------------------------------------


def exists_form(node: Any, ctx: Context) -> Any:
    """`min(R.x) < c` (or <=) and `max(R.x) > c` (or >=) for a c fixed for the query are
    `has R where x < c`: true exactly when some row has such an x, false over no rows
    or only missing values, like the comparison with a missing min/max. As a filtered
    count it lets the relation pass skip every other row (and, for a time column, the
    row groups outside the range)."""
    if not isinstance(node, ir.Cmp) or node.op == "=":
        return node
    op: ir.CmpOp  # not narrowed by the test above: FLIP gives any comparison
    op, left, right = node.op, node.left, node.right
    if not isinstance(_unwrap_local(left), ir.Agg):
        op, left, right = FLIP[op], right, left
    agg = _unwrap_local(left)
    if not (isinstance(agg, ir.Agg) and agg.column is not None and is_fixed(right, now=False)
            and (agg.function, op) in (("min", "<"), ("min", "<="), ("max", ">"), ("max", ">="))):
        return node
    if agg in ctx.kept:
        # the pass computes this min/max for another condition anyway: comparing it costs
        # nothing, where a filtered count would be one more aggregate over the same rows
        # (`first did "E" in last 30 days` is `min(t) > X and min(t) <= today`)
        return node
    column: ir.Value = agg.column
    if isinstance(left, ir.LocalDate):
        # the latest local date is the local date of the latest time only when local dates
        # never go backwards around the bound, which is when the bound is an instant
        if day_starts(right, (1,) if op == ">" else (0,), ctx.timezone, ctx.as_of) is None:
            return node
        column = ir.LocalDate(column)
    rows = ir.Cmp(op, column, right)
    count = ir.Agg("count", agg.relation, None, ir.and_(agg.filter, rows) if agg.filter else rows, INTEGER)
    return ir.Cmp(">=", count, ir.Lit(1, INTEGER))


def existence_form(node: Any, ctx: Context) -> Any:
    """A row count compared so that only whether it is 0 matters (`count(R where F) > 0`,
    `>= 1`, `= 0`, `< 1`, ...) as RowsExist (or its negation). When that is the only use of
    the count, its pass needs no aggregate: the keys of the rows F keeps, and the test
    whether the customer is among them (a semi/anti join, cheaper than counting and then
    comparing)."""
    if not isinstance(node, ir.Cmp):
        return node
    op, left, right = node.op, node.left, node.right
    if not isinstance(left, ir.Agg):
        op, left, right = FLIP.get(op, op), right, left
    if not (isinstance(left, ir.Agg) and left.function == "count" and left.column is None
            and isinstance(right, ir.Lit) and isinstance(right.value, (int, Decimal))
            and not isinstance(right.value, bool)):
        return node
    k, test = right.value, _COMPARE[op]
    # monotone in the count except `=`: equal at 1 and at any larger count means equal for
    # every count >= 1; `= k` is the same for every count >= 1 only when k < 1
    same_above_0 = k < 1 if op == "=" else test(1, k) == test(10**18, k)
    if not same_above_0 or test(0, k) == test(1, k):
        return node
    return pn.RowsExist(left) if test(1, k) else ir.Not(pn.RowsExist(left))  # type: ignore[arg-type]


def years_form(node: Any, ctx: Context) -> Any:
    """`years_since(d) >= n` (any comparison with a whole number) as a comparison of the date
    d with the last day that has completed n years by the reference date: completed years
    only fall as d grows, so each bound is one date. A plain date comparison lets the engine
    skip rows by the column's min/max, where the years formula reads every row."""
    if not isinstance(node, ir.Cmp) or ctx.as_of is None:
        return node
    op: ir.CmpOp
    op, left, right = node.op, node.left, node.right
    if not _is_years_since(left):
        op, left, right = FLIP.get(op, op), right, left
    if not (_is_years_since(left) and isinstance(right, ir.Lit) and type(right.value) is int):
        return node
    date, n = left.args[0], right.value
    # completed years >= k exactly when d <= last(k)
    def at_most(k: int) -> ir.Cond | None:
        last = _last_with_years(ctx.as_of, k)  # type: ignore[arg-type]
        return None if last is None else ir.Cmp("<=", date, ir.Lit(last, DATE))

    def above(k: int) -> ir.Cond | None:
        last = _last_with_years(ctx.as_of, k)  # type: ignore[arg-type]
        return None if last is None else ir.Cmp(">", date, ir.Lit(last, DATE))

    parts: tuple[ir.Cond | None, ...]
    if op == ">=":
        parts = (at_most(n),)
    elif op == ">":
        parts = (at_most(n + 1),)
    elif op == "<":
        parts = (above(n),)
    elif op == "<=":
        parts = (above(n + 1),)
    else:
        parts = (above(n + 1), at_most(n))
    if any(p is None for p in parts):
        return node
    return parts[0] if len(parts) == 1 else ir.and_(*parts)  # type: ignore[arg-type]


def _is_years_since(v: Any) -> TypeGuard[ir.Func]:
    return isinstance(v, ir.Func) and v.name == "years_since" and v.args[0].type == DATE


def _last_with_years(today: dt.date, k: int) -> dt.date | None:
    """The latest date with k completed years on `today`: today's month and day k years
    earlier, or the last day before it in that month (29 February in a year without one
    completes on 1 March, so 28 February is the last)."""
    year = today.year - k
    if not 1 <= year <= 9998:
        return None
    day = today.day
    while True:
        try:
            return dt.date(year, today.month, day)
        except ValueError:
            day -= 1


CONDITION_REWRITES: tuple[tuple[str, Callable[[Any, Context], Any]], ...] = (
    ("first_windows", first_windows),
)
SEGMENT_REWRITES: tuple[tuple[str, Callable[[Any, Context], Any]], ...] = (
    ("years_form", years_form),
    ("exists_form", exists_form),
    ("existence_form", existence_form),
)


def rewrite_segment(cond: ir.Cond, ctx: Context) -> pn.Cond:
    """A single segment's condition after the IR rewrites: in one top-down walk, each node
    goes through every rewrite in the declared order, and a node a rewrite replaced is not
    looked into. The condition rewrites run first, each on the whole condition."""
    for _, whole in CONDITION_REWRITES:
        cond = whole(cond, ctx)
    ctx = dataclasses.replace(ctx, kept=ctx.kept | kept_extremes(cond, ctx))

    def each(node: Any) -> Any:
        for _, rewrite in SEGMENT_REWRITES:
            node = rewrite(node, ctx)
        return node

    return map_nodes(cond, each)  # type: ignore[no-any-return]


def kept_extremes(cond: Any, ctx: Context) -> frozenset[Any]:
    """The min/max aggregates of `cond` that stay aggregates after exists_form: those not
    compared in a way it rewrites."""
    found: set[Any] = set()

    def visit(node: Any) -> Any:
        if isinstance(node, ir.Agg) and node.function in ("min", "max"):
            found.add(node)
        elif isinstance(node, ir.Cmp) and exists_form(node, ctx) is not node:
            # rewritten as a count: its aggregate's own filter can hold no min/max, and the
            # bound it is compared with is fixed for the query
            return node
        return None

    def walk(node: Any) -> None:
        if visit(node) is not None:
            return
        for name in getattr(node, "__dataclass_fields__", ()):
            v = getattr(node, name)
            for item in v if isinstance(v, tuple) else (v,):
                if dataclasses.is_dataclass(item) and not isinstance(item, (type, Type)):
                    walk(item)

    walk(cond)
    return frozenset(found)


def _unwrap_local(v: Any) -> Any:
    return v.value if isinstance(v, ir.LocalDate) else v


# ---- Plan -> Plan -------------------------------------------------------------------------


def shared_filters(plan: pn.Plan, ctx: Context) -> pn.Plan:
    """Every relation and pick pass whose aggregates are all filtered reads only the rows one
    of them uses: a WHERE the engine pushes into the scan (see shared_filter)."""
    steps: list[pn.Step] = []
    for step in plan.steps:
        if isinstance(step, pn.RelationPass):
            where, rests = shared_filter([a.filter for a in step.aggregates], ctx.as_of)
            aggs = tuple(dataclasses.replace(a, residual=r) for a, r in zip(step.aggregates, rests))
            step = dataclasses.replace(step, aggregates=aggs, where=where)
        elif isinstance(step, pn.PickPass):
            where, rests = shared_filter([p.filter for p in step.picks], ctx.as_of)
            picks = tuple(dataclasses.replace(p, residual=r) for p, r in zip(step.picks, rests))
            step = dataclasses.replace(step, picks=picks, where=where)
        steps.append(step)
    return dataclasses.replace(plan, steps=tuple(steps))


def inner_joins(plan: pn.Plan, ctx: Context) -> pn.Plan:
    """A customer without a row in a relation pass that the segment is false for without
    one is never a member: the final select joins that pass INNER, so the engine never
    produces (and then drops) those customers. Ranking levels keep their own LEFT joins:
    they rank every customer."""
    select = plan.select
    if select.kind != "segment" or not isinstance(select.source, pn.FromEntity) or select.where is None:
        return plan
    where = select.where
    joins = tuple(dataclasses.replace(j, inner=True) if j.relation is not None
                  and empty_truth(where, j.relation, j.only) is False else j for j in select.source.joins)
    source = dataclasses.replace(select.source, joins=joins)
    return dataclasses.replace(plan, select=dataclasses.replace(select, source=source))


PLAN_REWRITES: tuple[tuple[str, Callable[[pn.Plan, Context], pn.Plan]], ...] = (
    ("shared_filters", shared_filters),
    ("inner_joins", inner_joins),
    ("sequence_floors", sequence_floors),
)


def rewrite_plan(plan: pn.Plan, ctx: Context) -> pn.Plan:
    for _, rewrite in PLAN_REWRITES:
        plan = rewrite(plan, ctx)
    return plan


# ---- shared filters -----------------------------------------------------------------------


def _conjuncts(c: Any) -> tuple[Any, ...]:
    return c.items if isinstance(c, ir.And) else (c,)


def shared_filter(filters: list[Any], as_of: dt.date | None = None) -> tuple[Any, list[Any]]:
    """(WHERE for the pass or None, the filter each aggregate still needs).

    Only when every aggregate is filtered: rows that match none cannot change any of them.
    The conjuncts common to all filters go to the WHERE once (and leave the aggregates), the
    rest of each filter join the WHERE in an OR. When every alternative of the OR bounds the
    same time column from below (or above), the loosest of those bounds is added as a plain
    conjunct: implied by the OR, but one the engine can use to skip row groups. A customer
    left without rows gets no group: the LEFT JOIN gives NULL and counts and sums read it as
    0, exactly as over an empty group."""
    if not filters or any(f is None for f in filters):
        return None, filters
    parts = [_conjuncts(f) for f in filters]
    common = [c for c in parts[0] if all(c in p for p in parts[1:])]
    rests = [tuple(c for c in p if c not in common) for p in parts]
    left = [ir.and_(*r) if r else None for r in rests]
    where = list(common)
    if all(r is not None for r in left):
        alternatives = list(dict.fromkeys(left))
        if len(alternatives) == 1:
            where.append(alternatives[0])
        else:
            where += [b for b in (_loosest(rests, lower, as_of) for lower in (True, False)) if b is not None]
            where.append(ir.Or(tuple(alternatives)))  # type: ignore[arg-type]
    return (ir.and_(*where) if where else None), left


def _loosest(rests: list[tuple[Any, ...]], lower: bool, as_of: dt.date | None) -> Any:
    """The loosest of the bounds every alternative puts on one time column, or None."""
    found = []
    for conjuncts in rests:
        bounds = [(b, c) for c in conjuncts if (b := _time_bound(c, lower, as_of)) is not None]
        if not bounds:
            return None
        found.append(min(bounds, key=lambda x: x[0][1]) if not lower else max(bounds, key=lambda x: x[0][1]))
    columns = {b[0][0] for b in found}
    if len(columns) != 1 or len({type(b[0][1]) for b in found}) != 1:
        return None
    return (min if lower else max)(found, key=lambda x: x[0][1])[1]


def _time_bound(c: Any, lower: bool, as_of: dt.date | None) -> tuple[Any, Any] | None:
    """(column, the first (last) day kept) for `local date of column >(=) D` (`<(=) D`)."""
    if not (isinstance(c, ir.Cmp) and isinstance(c.left, ir.LocalDate) and isinstance(c.left.value, ir.RelCol)):
        return None
    day = _day_number(c.right, as_of)
    if day is None:
        return None
    if lower and c.op in (">", ">="):
        return (c.left.value, day + (c.op == ">"))
    if not lower and c.op in ("<", "<="):
        return (c.left.value, day - (c.op == "<"))
    return None


def _day_number(v: Any, as_of: dt.date | None) -> int | float | None:
    """A date fixed for the query as a comparable number: an ordinal, or (for today without
    --as-of) a float offset from today, so that the two kinds never mix."""
    if isinstance(v, ir.Lit) and isinstance(v.value, dt.date):
        return v.value.toordinal()
    if isinstance(v, ir.Today):
        return as_of.toordinal() if as_of else 0.0
    if isinstance(v, ir.ShiftDate) and v.unit == "day":
        base = _day_number(v.base, as_of)
        return None if base is None else base + v.amount
    if isinstance(v, ir.ShiftDate) and as_of is not None:
        base = _day_number(v.base, as_of)
        return None if base is None or isinstance(base, float) else \
            shift(dt.date.fromordinal(base), v.amount, v.unit).toordinal()
    if isinstance(v, ir.StartOf) and as_of is not None:
        base = _day_number(v.value, as_of)
        return None if base is None or isinstance(base, float) else \
            start_of(dt.date.fromordinal(base), v.unit).toordinal()
    return None
