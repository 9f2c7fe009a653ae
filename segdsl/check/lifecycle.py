"""Type-checking the lifecycle forms (`first did`, `last has`, `but not`, `after a gap of`,
`on K days`, `in K of last P weeks|months`) into the IR's relation aggregates.

Each form is a statement about the customer's seen rows of `did "E" [where F]` or
`has R [where F]`: rows timed before now (segdsl/check/now.py; a row with a missing time
never counts, whatever the window). The rows are checked by the `did`/`has` checker itself (event names,
the relation, the filter), and the forms become plain aggregates over them, so that the
plan computes them in the relation's one grouped pass:

- `first`/`last`: MIN/MAX of the time over the seen rows, whose local date lies in W (no
  row: the extreme is missing and the window false);
- `but not W`: a seen row, and no seen row in W;
- `in last S after a gap of G`: a seen row in the last S, none in the G just before the
  window's first day, and one before that gap;
- `on K days W`: COUNT(DISTINCT local date) of the seen rows in W (`count_days`);
- `in K of last P weeks|months`: the number of distinct periods (period i covers
  (today - (i+1) unit, today - i unit], every bound from today) holding a seen row of the
  last P units (`count_weeks`, `count_months`: an index per row, no join per period).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.check.now import before_now, is_seen_rule
from segdsl.check.typed import MAX_WINDOW, Scope, Typed, as_date
from segdsl.check.windows import range_window
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, INTEGER

if TYPE_CHECKING:
    from segdsl.check.exprs import ExprChecker

MAX_PERIODS = 104  # `in K of last P weeks|months`: two years of weeks
_PERIOD_FUNCTIONS: dict[str, ir.AggFunction] = {"week": "count_weeks", "weeks": "count_weeks",
                                                 "month": "count_months", "months": "count_months"}
_OPS: dict[str, ir.CmpOp] = {"at_least": ">=", "at_most": "<=", "exactly": "="}
RowsIn = Callable[[ir.Cond | None, bool], ir.Cond]  # the seen rows, in a window when one is given
Some = Callable[[ir.Cond], ir.Cond]  # some of the rows matching a filter


def check_lifecycle(ck: ExprChecker, e: ast.Lifecycle, scope: Scope) -> Typed | None:
    base = ck.check(e.rows, scope)  # the `did`/`has` checker: events, relation and filter
    if base is None:
        return None
    assert isinstance(base.node, ir.Cmp) and isinstance(base.node.left, ir.Agg)  # a count of the rows > 0
    count = base.node.left
    rel = ck.schema.relations[count.relation]
    if rel.time is None:
        ck.report("SEG0335", f"{rel.name} has no time column, so it has no first, last or recent rows", e.span,
                  f"add `time = \"...\"` to [relations.{rel.name}] in segdsl.toml")
        return None
    column = rel.columns[rel.time]
    time = ir.RelCol(rel.name, column.name, column.type)
    day = as_date(time, column.type)
    # the rows' own filter (the event and `where F`) without the general rule, under which a
    # window-less `did`/`has` also sees untimed rows: a lifecycle form sees rows timed
    # before now only
    own = [c for c in (count.filter.items if isinstance(count.filter, ir.And) else (count.filter,))
           if c is not None and not is_seen_rule(c)]
    filter_ = ir.and_(*own) if own else None
    seen = before_now(rel)
    rows = ir.and_(filter_, seen) if filter_ is not None else seen
    test = base.node

    def rows_in(window: ir.Cond | None, before_today: bool = False) -> ir.Cond:
        """The seen rows in `window`; `before_today`: the window ends before today, so every
        row in it is seen."""
        if window is None:
            return rows
        if before_today:
            return ir.and_(filter_, window) if filter_ is not None else window
        return ir.and_(*([filter_] if filter_ is not None else []), window, seen)

    def some(flt: ir.Cond) -> ir.Cond:  # the count test of `did`/`has` itself, on other rows
        return ir.Cmp(test.op, ir.Agg("count", rel.name, None, flt, INTEGER), test.right)

    cond: ir.Cond | None
    match e.form:
        case "first" | "last":
            assert e.window is not None
            extreme = ir.Agg("min" if e.form == "first" else "max", rel.name, time, rows, column.type.plain())
            cond = _window(ck, e.window, as_date(extreme, column.type))
        case "but_not":
            assert e.window is not None
            window = _window(ck, e.window, day)
            cond = None if window is None else ir.and_(some(rows), ir.Not(some(rows_in(window, False))))
        case "gap":
            cond = _gap(ck, e, day, rows_in, some)
        case "days":
            cond = _days(ck, e, day, rel.name, time, rows_in)
        case "periods":
            cond = _periods(ck, e, day, rel.name, time, rows_in)
        case _:
            raise AssertionError(f"unknown lifecycle form {e.form}")
    return None if cond is None else Typed(cond, BOOLEAN, e.span)


def _gap(ck: ExprChecker, e: ast.Lifecycle, day: ir.Value, rows_in: RowsIn, some: Some) -> ir.Cond | None:
    assert isinstance(e.window, ast.Window) and e.length is not None  # the grammar's `in last|next`
    if e.window.direction != "last":
        ck.report("SEG0336", "`after a gap of` needs an `in last N units` window before it",
                  e.window.span, f"write `in last {e.window.duration.amount.text} {e.window.duration.unit} "
                  f"after a gap of {e.length.amount.text} {e.length.unit}`")
        return None
    window = ck.window(e.window, day)
    shift, gap = ck.duration(e.window.duration), ck.duration(e.length)
    if window is None or shift is None or gap is None:
        return None
    if gap[1] < 1:
        ck.report("SEG0336", "a gap needs at least 1 day", e.length.span,
                  "`after a gap of 30 days`: no row in the 30 days before the window")
        return None
    # the window's first day is start + 1; the gap is the G units up to `start`, both ends
    # counted the way `in last G units` counts them from `start`
    start = _shift(ir.Today(), -shift[1], shift[0])
    gap_start = _shift(start, -gap[1], gap[0])
    in_gap = ir.And((ir.Cmp(">", day, gap_start), ir.Cmp("<=", day, start)))
    before = ir.Cmp("<=", day, gap_start)
    return ir.and_(some(rows_in(window, False)), ir.Not(some(rows_in(in_gap, True))), some(rows_in(before, True)))


def _window(ck: ExprChecker, w: ast.RowsWindow, date_value: ir.Value) -> ir.Cond | None:
    """Window W on a date: any window a relation takes (the rows are before now already)."""
    if isinstance(w, ast.RangeWindow):
        found = range_window(ck, w, date_value)
        return None if found is None else found[0]
    return ck.window(w, date_value)


def _shift(base: ir.Value, amount: int, unit: ir.Unit) -> ir.Value:
    if isinstance(base, ir.ShiftDate) and base.unit == unit == "day":
        return ir.ShiftDate(base.base, base.amount + amount, "day")
    return ir.ShiftDate(base, amount, unit)


def _whole(ck: ExprChecker, count: ast.DidCount, code: str) -> int | None:
    n = count.amount.value
    if n != n.to_integral_value() or "." in count.amount.text:
        ck.report(code, "the number of days or periods must be a whole number", count.amount.span,
                  f"e.g. `{_kind(count)} {count.amount.value.to_integral_value()}`: a day or period holds a row or not")
        return None
    return int(n)


def _days(ck: ExprChecker, e: ast.Lifecycle, day: ir.Value, relation: str, time: ir.RelCol,
          rows_in: RowsIn) -> ir.Cond | None:
    assert e.count is not None and e.unit is not None
    if e.unit not in ("day", "days"):
        ck.report("SEG0337", f"`on ... {e.unit}` counts days: write `on {_kind(e.count)} "
                  f"{e.count.amount.text} days`", e.unit_span,
                  f"to count {e.unit.rstrip('s')}s: `in {_kind(e.count)} {e.count.amount.text} of last P "
                  f"{e.unit.rstrip('s')}s` (P {e.unit.rstrip('s')}s counted back from today)")
        return None
    k = _whole(ck, e.count, "SEG0337")
    if k is None:
        return None
    if k > MAX_WINDOW["day"]:
        ck.report("SEG0337", f"`on {_kind(e.count)} {e.count.amount.text} days` is more days than a window holds",
                  e.count.amount.span, f"windows reach at most {MAX_WINDOW['day']:,} days")
        return None
    window = _window(ck, e.window, day) if e.window is not None else None
    if e.window is not None and window is None:
        return None
    days = ir.Agg("count_days", relation, time, rows_in(window, False), INTEGER)
    return ir.Cmp(_OPS[e.count.kind], days, ir.lit_int(k))


def _kind(count: ast.DidCount) -> str:
    return count.kind.replace("_", " ")


def _periods(ck: ExprChecker, e: ast.Lifecycle, day: ir.Value, relation: str, time: ir.RelCol,
             rows_in: RowsIn) -> ir.Cond | None:
    assert e.count is not None and e.length is not None
    d = e.length
    function = _PERIOD_FUNCTIONS.get(d.unit)
    if function is None:
        ck.report("SEG0338", f"`in K of last P {d.unit}` counts weeks or months", d.unit_span,
                  f"for days: `on {_kind(e.count)} {e.count.amount.text} days in last {d.amount.text} days`"
                  if d.unit.startswith("day") else "write weeks or months (a year is 12 months)")
        return None
    k = _whole(ck, e.count, "SEG0339")
    if k is None:
        return None
    p = d.amount.value
    if p != p.to_integral_value() or "." in d.amount.text:
        ck.report("SEG0339", f"`last {d.amount.text} {d.unit}`: use a whole number of {d.unit}", d.amount.span,
                  "periods are whole weeks or months counted back from today")
        return None
    if not 1 <= k <= p <= MAX_PERIODS:
        unit_words = f"{d.unit.rstrip('s')}s"
        why = (f"P is at most {MAX_PERIODS}" if p > MAX_PERIODS else "P is at least 1" if p < 1 else
               "K is at least 1 (for none at all: `not did ... in last P units`)" if k < 1 else
               f"K is at most P: there are only {p} {unit_words} to count")
        ck.report("SEG0339", f"`in {_kind(e.count)} {e.count.amount.text} of last {d.amount.text} {d.unit}` "
                  f"needs 1 <= K <= P <= {MAX_PERIODS}", e.span, why)
        return None
    unit: ir.Unit = "day" if function == "count_weeks" else "month"
    length = int(p) * (7 if unit == "day" else 1)
    window = ir.And((ir.Cmp(">", day, ir.ShiftDate(ir.Today(), -length, unit)), ir.Cmp("<=", day, ir.Today())))
    periods = ir.Agg(function, relation, time, rows_in(window, False), INTEGER)
    return ir.Cmp(_OPS[e.count.kind], periods, ir.lit_int(k))
