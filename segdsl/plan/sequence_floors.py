"""The `sequence_floors` rewrite: every step of a sequence reads only rows at or after the
start of the first step's window.

A row of step i >= 1 follows a row of step i - 1 (t[i - 1] <= t[i]), which follows ... a row
of the first step, whose time is inside that step's window. So any lower bound the first
step puts on the time column (`occurred_at >= D`, or `local date of occurred_at > D`: both
non-decreasing in the time) holds for every later step's rows too. Without it, a later step
reads every row of its event before now, years of them, and the engine builds the range
join's hash table from all of those (measured on the benchmark: `did "checkout_started" in
last 7 days then not "order_completed" within 1 day` read every order ever completed and ran
10x slower than the hand-written query); with it, the scan skips everything older than the
window (and, on partitioned tables, whole partitions: the bound is on the bare column).

The bound is copied as written, so it lowers like the first step's own window (a raw
comparison of the time column; tests/test_partition_pruning.py). Members do not change:
the copied condition is implied for every row that could take part in a match.

`then not` sequences always get it: there the last step is the build side of an anti join,
read whole otherwise (10x and 5x on the benchmark's two abandoned-checkout segments). Positive
chains get it on every engine but those that join by row estimates into nested loops
(`Capabilities.nested_loops_by_estimate`, Postgres): there a chain's range joins, estimated
at a hundredth of their rows already, shrank with the floor to an estimate of one row, and
the customers were joined to it by a nested loop rescanning them per key
(tests/test_explain_plans.py). On DuckDB the floor made the three-step `browsed_then_bought`
6x faster.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.truth import time_floor


def floors(seq: ir.Sequence) -> tuple[ir.Cond, ...]:
    """The lower bounds the first step's rows put on the time column, as conditions."""
    first = seq.rows[0]
    items = first.items if isinstance(first, ir.And) else (first,)
    return tuple(f for c in items if (f := time_floor(c, seq.time.name)) is not None)


def floored(seq: ir.Sequence, chains: bool = True) -> ir.Sequence:
    """`seq` with the first step's floors added to every later step; positive chains only
    when `chains`."""
    bounds = floors(seq) if seq.negated or chains else ()
    if not bounds:
        return seq
    rows = [seq.rows[0]]
    for r in seq.rows[1:]:
        have = r.items if isinstance(r, ir.And) else (r,)
        extra = tuple(b for b in bounds if b not in have)
        rows.append(ir.And(have + extra) if extra else r)
    return dataclasses.replace(seq, rows=tuple(rows))


def sequence_floors(plan: pn.Plan, ctx: Any) -> pn.Plan:
    chains = not ctx.caps.nested_loops_by_estimate
    steps = tuple(dataclasses.replace(s, sequence=floored(s.sequence, chains)) if isinstance(s, pn.SequencePass)
                  else s for s in plan.steps)
    return dataclasses.replace(plan, steps=steps)
