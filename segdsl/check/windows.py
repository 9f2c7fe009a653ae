"""The window grammar beyond `in last|next N units`: `before D`, `after D`, `on D`,
`between D1 and D2` and the rolling band `between N and M units ago`, as the window of a
relation (any date condition on its time column) and, for the band, on a date field.

A window's dates are fixed for the whole query (a date, `today`, `N units ago`), so each
window is a range of local dates of the time column, and whether it reaches past now is
known when the query runs (segdsl/check/now.py: a window with a later end than today sees
the relation's rows after now).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.check.typed import Scope, Typed, as_date
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, describe

if TYPE_CHECKING:
    from segdsl.check.exprs import ExprChecker


def _fixed(node: ir.Value) -> bool:
    if isinstance(node, ir.ShiftDate):
        return _fixed(node.base)
    return isinstance(node, ir.Today) or (isinstance(node, ir.Lit) and node.type.kind == "date")


def _date(ck: ExprChecker, e: ast.Expr, what: str) -> ir.Value | None:
    """A window's date: a date literal, `today` or `N units ago` (SEG0320 otherwise)."""
    t = ck.check(e, Scope())
    if t is None:
        return None
    node = t.node
    if not (t.type.kind == "date" and not t.is_cond and isinstance(node, (ir.Lit, ir.Today, ir.ShiftDate))
            and _fixed(node)):
        ck.report("SEG0320", f"the date of a relation's `{what}` window must be fixed: a date, "
                  "`today` or `N units ago`", e.span,
                  "a window's dates are the same for every customer: write a date (2024-01-01), "
                  "`today` or `30 days ago`")
        return None
    return node


def band(ck: ExprChecker, low: ast.Number, high: ast.Ago, date_value: ir.Value) -> ir.Cond | None:
    """`between N and M units ago` (either order): today − max ≤ date ≤ today − min, both
    ends included; months and years move the calendar date, clamped as everywhere."""
    if low.value != low.value.to_integral_value() or "." in low.text:
        ck.report("SEG0321", f"`between {low.text} and {high.duration.amount.text} {high.duration.unit} ago`: "
                  "the numbers of a band must be whole", low.span, "write e.g. `between 30 and 90 days ago`")
        return None
    # the first number takes the unit written after the second (and its limits)
    first = ck.duration(ast.Duration(low, high.duration.unit, high.duration.unit_span, low.span))
    second = ck.duration(high.duration)
    if first is None or second is None:
        return None
    unit, n = first
    m = second[1]
    near, far = min(n, m), max(n, m)
    today = ir.Today()
    return ir.And((ir.Cmp(">=", date_value, ir.ShiftDate(today, -far, unit) if far else today),
                   ir.Cmp("<=", date_value, ir.ShiftDate(today, -near, unit) if near else today)))


def is_band(w: ast.RangeWindow | ast.Between) -> bool:
    low = w.low
    return isinstance(low, ast.Number) and isinstance(w.high, ast.Ago)


def range_window(ck: ExprChecker, w: ast.RangeWindow, date_value: ir.Value) -> tuple[ir.Cond, bool | ir.Cond] | None:
    """(the window's condition on `date_value`, whether it reaches past now) or None on error."""
    if w.kind == "between" and is_band(w):
        assert isinstance(w.low, ast.Number) and isinstance(w.high, ast.Ago)
        cond = band(ck, w.low, w.high, date_value)
        return None if cond is None else (cond, False)  # a band ends today at the latest
    low = _date(ck, w.low, w.kind)
    if low is None:
        return None
    today = ir.Today()
    if w.kind == "before":
        return ir.Cmp("<", date_value, low), False
    if w.kind == "after":
        return ir.Cmp(">", date_value, low), True  # no end: every later row, after now too
    if w.kind == "on":
        return ir.Cmp("=", date_value, low), ir.Cmp(">", low, today)
    assert w.kind == "between" and w.high is not None
    high = _date(ck, w.high, "between")
    if high is None:
        return None
    cond = ir.And((ir.Cmp(">=", date_value, low), ir.Cmp("<=", date_value, high)))
    return cond, ir.Cmp(">", high, today)


def band_condition(ck: ExprChecker, e: ast.Between, scope: Scope) -> Typed | None:
    """`x between N and M units ago` on a date (or timestamp) value."""
    value = ck.check(e.value, scope)
    if value is None:
        return None
    if not value.type.temporal:
        ck.report("SEG0301", f"`between ... ago` needs a date, found {describe(value.type)}", value.span)
        return None
    assert isinstance(e.low, ast.Number) and isinstance(e.high, ast.Ago)
    cond = band(ck, e.low, e.high, as_date(value.value(), value.type))
    return None if cond is None else Typed(cond, BOOLEAN, e.span)
