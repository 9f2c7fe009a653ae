"""The compiler's entry points for SQL: IR -> plan (segdsl.plan) -> sqlglot tree (emit).

`as_of` is the query's reference: an AsOf (a date, or an instant in the project time zone),
a plain date, or None (the warehouse's current date and instant when the query runs). Its
date is "today" for every date condition; its instant is "now" (`ir.Now`), bound into the IR
here before planning, so the planner and the emitter only ever see the date.

`ordered=False` leaves out the final ORDER BY, for callers that aggregate or join the rows
(the runner, the analysis commands) instead of editing a compiled tree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlglot import exp

from segdsl import ir
from segdsl.as_of import AsOf
from segdsl.plan.build import plan_batch, plan_segment, plan_values
from segdsl.check.now import is_seen_rule
from segdsl.plan.days import day_start, fixed_date
from segdsl.plan.truth import map_nodes
from segdsl.sql.dialects import Dialect
from segdsl.sql.emit import emit
from segdsl.sql.values import balanced

__all__ = ["balanced", "bind_now", "build_batch_query", "build_query", "build_values_query"]

Reference = AsOf | dt.date | None
N = TypeVar("N", bound=ir.Value | ir.Cond)


def _day(as_of: Reference) -> dt.date | None:
    return as_of.date if isinstance(as_of, AsOf) else as_of


def bind_now(node: N, as_of: Reference, timezone: str) -> N:
    """`node` with every `ir.Now()` fixed to the reference instant (unchanged without a
    reference: then now is the warehouse's current instant).

    With a date reference, now is the start of the next local day, so in a window that ends
    today or earlier (`local date of t <= today`, `< 30 days ago`, `= 2024-01-01`, ...) the
    rule's `t < now` says nothing more: it is left out (the SQL of such windows stays one
    range on t)."""
    if as_of is None:
        return node
    reference = as_of if isinstance(as_of, AsOf) else AsOf(as_of)
    bound = ir.Now(reference.now(timezone))
    redundant = reference.instant is None and day_start(timezone, reference.date + dt.timedelta(days=1)) == bound.at

    def each(n: object) -> object:
        if isinstance(n, ir.Now):
            return bound
        if isinstance(n, ir.And):
            ends = {c.left.value for c in n.items if isinstance(c, ir.Cmp) and isinstance(c.left, ir.LocalDate)
                    and _ends_by(c, reference.date)} if redundant else set()
            kept: list[ir.Cond] = []
            for c in n.items:
                reach = _fixed_reach(c, reference.date)
                if reach is not None:  # whether the window reaches past now is known: say it
                    if reach:
                        continue
                    assert isinstance(c, ir.Or)
                    c = c.items[0]  # the rule's Or without its reach: `t < now`
                if is_seen_rule(c) and _rule_column(c) in ends:
                    continue
                kept.append(c)
            if len(kept) != len(n.items) or any(a is not b for a, b in zip(kept, n.items)):
                return map_nodes(ir.and_(*kept), each)
        return n

    result: N = map_nodes(node, each)
    return result


def _ends_by(c: ir.Cond, today: dt.date) -> bool:
    """`local date of t` bounded from above by a fixed date no later than today."""
    if not (isinstance(c, ir.Cmp) and isinstance(c.left, ir.LocalDate) and c.op in ("<", "<=", "=")):
        return False
    day = fixed_date(c.right, today)
    return day is not None and day <= today


def _fixed_reach(c: ir.Cond, today: dt.date) -> bool | None:
    """For the rule's `t < now or D > today`, whether D > today, when D is fixed."""
    if not (isinstance(c, ir.Or) and len(c.items) == 2 and is_seen_rule(c)):
        return None
    reach = c.items[1]
    if not (isinstance(reach, ir.Cmp) and reach.op == ">"):
        return None
    left, right = fixed_date(reach.left, today), fixed_date(reach.right, today)
    return None if left is None or right is None else left > right


def _rule_column(c: ir.Cond) -> object:
    first = c.items[0] if isinstance(c, ir.Or) else c
    assert isinstance(first, ir.Cmp)
    return first.left


def build_query(cond: ir.Cond, schema: Any, dialect: Dialect, settings: Any, as_of: Reference,
                ordered: bool = True) -> exp.Select:
    """The member keys of one segment."""
    day, cond = _day(as_of), bind_now(cond, as_of, settings.timezone)
    plan = plan_segment(cond, schema, dialect.capabilities, settings, day, ordered)
    return dialect.finish(emit(plan, dialect, settings.timezone, day))


def build_batch_query(segments: dict[str, ir.Cond], schema: Any, dialect: Dialect, settings: Any,
                      as_of: Reference, ordered: bool = True) -> exp.Select:
    """One row per customer: the key and one never-NULL boolean column per segment."""
    day = _day(as_of)
    segments = {name: bind_now(c, as_of, settings.timezone) for name, c in segments.items()}
    plan = plan_batch(segments, schema, dialect.capabilities, settings, day, ordered)
    return dialect.finish(emit(plan, dialect, settings.timezone, day))


def build_values_query(values: dict[str, ir.Value], schema: Any, dialect: Dialect, settings: Any,
                       as_of: Reference, ordered: bool = True) -> exp.Select:
    """One row per customer: the key and one column per value (traits)."""
    day = _day(as_of)
    values = {name: bind_now(v, as_of, settings.timezone) for name, v in values.items()}
    plan = plan_values(values, schema, dialect.capabilities, settings, day, ordered)
    return dialect.finish(emit(plan, dialect, settings.timezone, day))
