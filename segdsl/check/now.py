"""Which rows of a relation a condition sees: the "now" rule (LANGUAGE.md, "Now, and rows
after it").

A relation row is seen when its time is before now (`ir.Now`, the reference instant), so that
`--as-of D` answers "as the data stood then". Only a window, the date form written right after
the relation or event name, can reach past now (`in next N days`, `after D`, ...); a `where`
filter on the time column never does, because it is added to what this function returns.

    seen_rows(rel, None, False)           no window: time < now, or the time is missing (an
                                          untimed row still counts, as in v1)
    seen_rows(rel, window, False)         a window ending today: window and time < now
    seen_rows(rel, window, True)          a window that reaches past now: the whole window
    seen_rows(rel, window, cond)          reaches past now when `cond` holds (a condition on
                                          dates fixed for the query, e.g. D2 > today for
                                          `between D1 and D2`): window and (time < now or cond)

A window compares the time column, so it never holds for a row whose time is missing:
windows (and first/last, which pick by time) ignore untimed rows. Every checker of a
relation condition (aggregates, has, did, lifecycle forms, sequences) builds its row filter
from this function, then adds its own `where` filter.
"""

from __future__ import annotations

from segdsl import ir
from segdsl.project.schema import Relation
from segdsl.syntax import ast


def time_column(rel: Relation) -> ir.RelCol | None:
    """The relation's time column as an IR value (None when the schema names none)."""
    if rel.time is None:
        return None
    column = rel.columns[rel.time]
    return ir.RelCol(rel.name, column.name, column.type)


def before_now(rel: Relation) -> ir.Cond:
    """The row is timed before now (false for a missing time). A date stands for the first
    instant of its day, so a time column of dates is seen up to today (the reference's date)."""
    time = time_column(rel)
    assert time is not None, f"{rel.name} has no time column"
    if time.type.kind == "date":
        return ir.Cmp("<=", time, ir.Today())
    return ir.Cmp("<", time, ir.Now())


def seen_rows(rel: Relation, window: ir.Cond | None, reaches_past_now: bool | ir.Cond) -> ir.Cond | None:
    """The rows of `rel` a condition with `window` (None: no window) sees; None when every
    row is seen (a relation without a time column has no "after now")."""
    time = time_column(rel)
    if time is None:
        return window
    before = before_now(rel)
    if window is None:
        return ir.Or((before, ir.Not(ir.IsSet(time))))
    if reaches_past_now is True:
        return window
    if reaches_past_now is False:
        return ir.and_(window, before)
    return ir.and_(window, ir.Or((before, reaches_past_now)))


def window_reaches_past_now(window: ast.AnyWindow) -> bool | ir.Cond:
    """Whether a relation's window sees its rows after now: `in next N units` does, `in last
    N units` (ending today) does not; of the calendar periods, `in this P` (its later days)
    and `in next P` do, `in last P` (ending before today) does not."""
    if isinstance(window, ast.PeriodWindow):
        return window.direction in ("this", "next")
    return window.direction == "next"


def is_seen_rule(c: ir.Cond) -> bool:
    """Whether `c` is a conjunct seen_rows added (explanations leave the rule unsaid: it holds
    for every relation condition)."""
    if isinstance(c, ir.Or) and c.items:
        c = c.items[0]
    if not (isinstance(c, ir.Cmp) and isinstance(c.left, ir.RelCol)):
        return False
    if c.left.type.kind == "date":
        return c.op == "<=" and isinstance(c.right, ir.Today)
    return c.op == "<" and isinstance(c.right, ir.Now)
