"""The compiler's entry points for SQL: IR -> plan (segdsl.plan) -> sqlglot tree (emit).

`ordered=False` leaves out the final ORDER BY, for callers that aggregate or join the rows
(the runner, the analysis commands) instead of editing a compiled tree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlglot import exp

from segdsl import ir
from segdsl.plan.build import plan_batch, plan_segment, plan_values
from segdsl.sql.dialects import Dialect
from segdsl.sql.emit import emit
from segdsl.sql.values import balanced

__all__ = ["balanced", "build_batch_query", "build_query", "build_values_query"]


def build_query(cond: ir.Cond, schema: Any, dialect: Dialect, settings: Any, as_of: dt.date | None,
                ordered: bool = True) -> exp.Select:
    """The member keys of one segment."""
    plan = plan_segment(cond, schema, dialect.capabilities, settings, as_of, ordered)
    return dialect.finish(emit(plan, dialect, settings.timezone, as_of))


def build_batch_query(segments: dict[str, ir.Cond], schema: Any, dialect: Dialect, settings: Any,
                      as_of: dt.date | None, ordered: bool = True) -> exp.Select:
    """One row per customer: the key and one never-NULL boolean column per segment."""
    plan = plan_batch(segments, schema, dialect.capabilities, settings, as_of, ordered)
    return dialect.finish(emit(plan, dialect, settings.timezone, as_of))


def build_values_query(values: dict[str, ir.Value], schema: Any, dialect: Dialect, settings: Any,
                       as_of: dt.date | None, ordered: bool = True) -> exp.Select:
    """One row per customer: the key and one column per value (traits)."""
    plan = plan_values(values, schema, dialect.capabilities, settings, as_of, ordered)
    return dialect.finish(emit(plan, dialect, settings.timezone, as_of))
