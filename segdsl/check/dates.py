"""Type-checking dates against dates: anniversaries, `d ± N units`, and the customer's own
values inside a relation's filter (`customer.signup_date`).

Anniversaries become an explicit range of days (ir.Anniversary), like every window: `in
next N units` is [today, today + N units), `in last N units` is (today - N units, today],
`today` the one day, a calendar period its first to its last day (segdsl.check.calendar).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.check import calendar
from segdsl.check.typed import Scope, Typed, as_date
from segdsl.diagnostics import Fix, Span
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, DATE, describe

if TYPE_CHECKING:
    from segdsl.check.exprs import ExprChecker

# nodes a customer's value computed per customer (not per row) is made of: they cannot be
# read inside a relation's filter, which is evaluated row by row before any grouping
_PER_CUSTOMER = (ir.Agg, ir.Percentile, ir.Bucket, ir.Ranked, ir.InSnapshot, ir.SegmentRef)


def period_days(ck: ExprChecker, window: ast.AnyWindow | None) -> tuple[ir.Value, ir.Value] | None:
    """The first and last day (both included) of an anniversary's period."""
    today = ir.Today()
    if window is None:
        return today, today
    if isinstance(window, ast.PeriodWindow):  # `in this|last|next week|month|...`
        return calendar.checked_period(ck, window)
    length = ck.window_length(window)
    if length is None:
        return None
    unit, n = length
    if window.direction == "next":  # [today, today + N units)
        return today, ir.ShiftDate(ir.ShiftDate(today, n, unit), -1, "day")
    return ir.ShiftDate(ir.ShiftDate(today, -n, unit), 1, "day"), today  # (today - N units, today]


def check_anniversary(ck: ExprChecker, e: ast.Anniversary, scope: Scope) -> Typed | None:
    value = ck.check(e.value, scope)
    if value is None:
        return None
    if not value.type.temporal:
        ck.report("SEG0330", f"`anniversary` needs a date, found {describe(value.type)}", value.span,
                  "an anniversary is the month and day of a date field, e.g. "
                  "`birth_date anniversary in next 7 days`")
        return None
    days = period_days(ck, e.window)
    if days is None:
        return None
    start, end = days
    return Typed(ir.Anniversary(as_date(value.value(), value.type), start, end), BOOLEAN, e.span)


def check_length(ck: ExprChecker, e: ast.Length, scope: Scope) -> Typed | None:
    """A length of time standing alone: only `date + N units` and `date - N units` take one."""
    text = f"{e.duration.amount.text} {e.duration.unit}"
    ck.report("SEG0331", f"`{text}` is a length of time, not a value", e.span,
              f"add it to a date or take it from one (`signup_date + {text}`), "
              f"or count back from today with `{text} ago`",
              fixes=(Fix(e.span, f"{text} ago", f"replace with `{text} ago`"),))
    return None


def check_shift(ck: ExprChecker, e: ast.Arith, scope: Scope) -> Typed | None:
    """`d + N units` / `d - N units`: the date d moved (months and years clamp to the month's
    last day); a timestamp moves by its date in the project time zone."""
    assert isinstance(e.right, ast.Length)
    base = ck.check(e.left, scope)
    if base is None:
        return None
    text = f"{e.right.duration.amount.text} {e.right.duration.unit}"
    if not base.type.temporal or e.op not in ("+", "-"):
        found = describe(base.type) if e.op in ("+", "-") else f"used with `{e.op}`"
        ck.report("SEG0331", f"`{text}` can only be added to or taken from a date, not {found}",
                  e.right.span, "write `<date> + N units` or `<date> - N units`, "
                  "e.g. `signup_date + 30 days`")
        return None
    shift = ck.duration(e.right.duration)
    if shift is None:
        return None
    unit, n = shift
    amount = n if e.op == "+" else -n
    moved = as_date(base.value(), base.type)
    return Typed(ir.ShiftDate(moved, amount, unit) if amount else moved, DATE, e.span)


def check_customer(ck: ExprChecker, e: ast.Dotted, scope: Scope) -> Typed | None:
    """`customer.<name>`: the customer's field, trait or score, also inside a relation's
    filter (where a bare name is a column of the relation)."""
    s = e.span
    column_span = s
    if s.line == s.end_line and s.end_col - s.col == len(e.relation) + 1 + len(e.column):
        # `customer.name` written without spaces: did-you-mean replaces only the name
        column_span = Span(s.path, s.line, s.end_col - len(e.column), s.end_line, s.end_col)
    looked: Typed | None = ck.names.lookup(e.column, column_span)
    found = None if looked is None else Typed(looked.node, looked.type, e.span)
    if found is None or not scope.in_relation:
        return found
    if any(isinstance(n, _PER_CUSTOMER) for n in ir.walk(found.node)):
        ck.report("SEG0333", f"`{e.relation}.{e.column}` is computed over relations or rankings; "
                  "a relation's filter can read only the customer's own fields "
                  "(and traits and scores built on them)", e.span,
                  "compare outside the filter, or filter on the fields it is built from")
        return None
    return found


def bare_customer_field(ck: ExprChecker, e: ast.Ref, scope: Scope) -> bool:
    """Report a bare name inside a relation's filter that is a value of the customer, not a
    column of the relation; False when the name is neither (the caller reports it)."""
    assert scope.relation is not None
    if not ck.names.is_field(e.name):
        return False
    entity = ck.schema.entity.name
    written = f"{entity}.{e.name}"
    ck.report("SEG0332", f"`{e.name}` is a field of {entity}, not a column of {scope.relation.name}",
              e.span, f"inside a filter of {scope.relation.name} a bare name is a column of "
              f"{scope.relation.name}; write `{written}` for the {entity}'s own value",
              f"columns of {scope.relation.name}: " + ", ".join(scope.relation.columns),
              fixes=(Fix(e.span, written, f"replace with `{written}`"),))
    return True
