"""Type-checking function calls, aggregates over relations, `has`, `did` and ranking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from segdsl import ir
from segdsl.check.now import seen_rows, window_reaches_past_now
from segdsl.check.windows import range_window
from segdsl.check.pergroup import Failed, check_per, per_without_ranking
from segdsl.check.typed import MAX_BUCKETS, MAX_INT64, MAX_PERCENT_DECIMALS, Scope, Typed, as_date
from segdsl.diagnostics import Fix, Span, suggestion
from segdsl.project.schema import Column, Relation
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, INTEGER, NUMBER, STRING, Type, describe

if TYPE_CHECKING:  # the checker calls these functions; they only call back into it
    from segdsl.check.exprs import ExprChecker

AGGREGATES = ("count", "count_distinct", "sum", "avg", "min", "max", "first", "last")


@dataclass(frozen=True)
class Signature:
    """What a scalar function takes and gives. `arity` is (min, max) arguments (max None: any
    number); `first` says what the first argument must be (a Type predicate and the words
    for an error); `build` makes the IR from the checked arguments, or reports and returns
    None."""

    arity: tuple[int, int | None]
    first: tuple[Callable[[Type], bool], str] | None
    build: Build
    ranks: bool = False  # ranks customers: not allowed inside a relation's filter


Build = Callable[["ExprChecker", ast.Call, list[Typed]], Typed | None]


def _dates(name: ir.ScalarFunction) -> Build:
    def build(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
        return Typed(ir.Func(name, (as_date(args[0].value(), args[0].type),), INTEGER), INTEGER, e.span)
    return build


def _days_between(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    later = args[1]
    if not later.type.temporal:
        ck.report("SEG0301", f"`days_between` needs two dates, found {describe(later.type)}", later.span)
        return None
    dates = tuple(as_date(a.value(), a.type) for a in args)
    return Typed(ir.Func("days_between", dates, INTEGER), INTEGER, e.span)


def _hour(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    # the hour of the timestamp itself: the lowering reads it in the project time zone
    if args[0].type.kind != "timestamp":
        ck.report("SEG0326", f"`hour` needs a timestamp, found {describe(args[0].type)}", args[0].span,
                  "a date has no time of day; `hour` takes a timestamp column such as a relation's time")
        return None
    return Typed(ir.Func("hour", (args[0].value(),), INTEGER), INTEGER, e.span)


def _text_case(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    name = e.function
    assert name in ir.SCALAR_FUNCTIONS  # lower or upper: SIGNATURES builds only those here
    return Typed(ir.Func(name, (args[0].value(),), STRING), STRING, e.span)


def _abs(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    t = args[0].type.plain()
    return Typed(ir.Func("abs", (args[0].value(),), t), t, e.span)


def _round(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    digits = 0
    if len(args) == 2:
        d = args[1]
        value = d.node.value if isinstance(d.node, ir.Lit) else None
        if not (isinstance(value, int) and d.type == INTEGER and 0 <= value <= 9):
            ck.report("SEG0301", "the digits of `round` must be a whole number from 0 to 9", d.span)
            return None
        digits = value
    return Typed(ir.Func("round", (args[0].value(), ir.lit_int(digits)), NUMBER), NUMBER, e.span)


def _coalesce(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    first = args[0]
    for a in args[1:]:
        if a.type.family != first.type.family or first.type.kind == "list":
            ck.report("SEG0301", f"`coalesce` needs values of one type: {describe(first.type)} "
                      f"and {describe(a.type)}", a.span)
            return None
    kinds = {a.type.kind for a in args}
    t = NUMBER if kinds == {"integer", "number"} else first.type.plain()
    if t.temporal and len(kinds) > 1:
        vals = tuple(as_date(a.value(), a.type) for a in args)
        t = Type("date")
    else:
        vals = tuple(a.value() for a in args)
    return Typed(ir.Func("coalesce", vals, t), t, e.span)


def _percentile(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    per = check_per(ck, e.per, "percentile")
    if isinstance(per, Failed):
        return None
    return Typed(ir.Percentile(args[0].value(), per=per), NUMBER, e.span)


def _bucket(ck: ExprChecker, e: ast.Call, args: list[Typed]) -> Typed | None:
    n = args[1]
    count = n.node.value if isinstance(n.node, ir.Lit) else None
    if not (isinstance(count, int) and n.type == INTEGER):
        ck.report("SEG0306", "the number of buckets must be a whole number", n.span)
        return None
    if count < 1:
        ck.report("SEG0306", "the number of buckets must be at least 1", n.span)
        return None
    if count > MAX_BUCKETS:
        ck.report("SEG0306", f"the number of buckets must be at most {MAX_BUCKETS:,}", n.span)
        return None
    per = check_per(ck, e.per, "bucket")
    if isinstance(per, Failed):
        return None
    return Typed(ir.Bucket(args[0].value(), count, per=per), INTEGER, e.span)


_DATE = (lambda t: t.temporal, "a date")
_ORDERABLE = (lambda t: t.orderable, "a number or a date")
SIGNATURES: dict[str, Signature] = {
    "days_since": Signature((1, 1), _DATE, _dates("days_since")),
    "years_since": Signature((1, 1), _DATE, _dates("years_since")),
    "days_between": Signature((2, 2), _DATE, _days_between),
    "coalesce": Signature((2, None), None, _coalesce),
    "lower": Signature((1, 1), (lambda t: t.kind == "string", "text"), _text_case),
    "upper": Signature((1, 1), (lambda t: t.kind == "string", "text"), _text_case),
    "round": Signature((1, 2), (lambda t: t.numeric, "a number"), _round),
    "abs": Signature((1, 1), (lambda t: t.numeric, "a number"), _abs),
    "year": Signature((1, 1), _DATE, _dates("year")),
    "month": Signature((1, 1), _DATE, _dates("month")),
    "weekday": Signature((1, 1), _DATE, _dates("weekday")),
    "hour": Signature((1, 1), _DATE, _hour),
    "percentile": Signature((1, 1), _ORDERABLE, _percentile, ranks=True),
    "bucket": Signature((2, 2), _ORDERABLE, _bucket, ranks=True),
}
SCALAR_FUNCTIONS = tuple(SIGNATURES)


def check_call(ck: ExprChecker, e: ast.Call, scope: Scope) -> Typed | None:
    name = e.function
    sig = SIGNATURES.get(name)
    if sig is None:
        hint, fixes = suggestion(name, SCALAR_FUNCTIONS + AGGREGATES, e.name_span)
        ck.report("SEG0209", f"unknown function `{name}`", e.name_span, hint,
                  "functions: " + ", ".join(SCALAR_FUNCTIONS), fixes=fixes)
        return None
    if sig.ranks and scope.in_relation:
        ck.report("SEG0313", f"`{name}` ranks customers; it cannot be used inside a relation's filter", e.span)
        return None
    if e.per is not None and not sig.ranks:
        per_without_ranking(ck, e)
        return None
    checked = [ck.check(a, scope) for a in e.args]
    if any(a is None for a in checked):
        return None
    args = cast(list[Typed], checked)  # none of them is None
    low, high = sig.arity
    if not (low <= len(args) and (high is None or len(args) <= high)):
        want = f"{low}" if low == high else f"{low} to {high}" if high is not None else f"at least {low}"
        plural = "" if (low, high) == (1, 1) else "s"
        ck.report("SEG0310", f"`{name}` takes {want} argument{plural}, found {len(args)}", e.span)
        return None
    if sig.first is not None:
        ok, what = sig.first
        if not ok(args[0].type):
            ck.report("SEG0301", f"`{name}` needs {what}, found {describe(args[0].type)}", args[0].span)
            return None
    return sig.build(ck, e, args)


def _relation(ck: ExprChecker, name: str, span: Span, what: str) -> Relation | None:
    rel = ck.schema.relations.get(name)
    if rel is not None:
        return rel
    hint, fixes = suggestion(name, ck.schema.relations, span)
    hints = [hint]
    if name in ck.schema.entity.columns:
        hints.insert(0, f"`{name}` is a column of {ck.schema.entity.name}, not a relation; "
                        f"{what} works on relations: " + ", ".join(ck.schema.relations))
    else:
        hints.append("relations: " + ", ".join(ck.schema.relations) if ck.schema.relations else "the schema has no relations")
    ck.report("SEG0204" if name not in ck.schema.entity.columns else "SEG0308",
              f"unknown relation `{name}`" if name not in ck.schema.entity.columns
              else f"`{what}` needs a relation, found the column `{name}`", span, *hints, fixes=fixes)
    return None


def _rows_filter(ck: ExprChecker, rel: Relation, window: ast.RowsWindow | None, flt: ast.Expr | None,
                 span: Span, scope: Scope) -> tuple[ir.Cond | None, bool]:
    """The condition on a relation's rows: its window and its filter, or None on error."""
    if scope.in_relation:
        ck.report("SEG0313", "an aggregate cannot be used inside another relation's filter", span)
        return None, False
    w: ir.Cond | None = None
    reaches: bool | ir.Cond = False
    if window is not None:
        if rel.time is None:
            ck.report("SEG0301", f"{rel.name} has no time column, so it has no windows", window.span,
                      f"add `time = \"...\"` to [relations.{rel.name}] in segdsl.toml")
            return None, False
        time = rel.columns[rel.time]
        date_value = as_date(ir.RelCol(rel.name, time.name, time.type), time.type)
        if isinstance(window, ast.RangeWindow):
            found = range_window(ck, window, date_value)
            if found is None:
                return None, False
            w, reaches = found
        else:
            w = ck.window(window, date_value)
            if w is None:
                return None, False
            reaches = window_reaches_past_now(window)
    seen = seen_rows(rel, w, reaches)
    parts = [seen] if seen is not None else []
    if flt is not None:
        c = ck.condition(flt, Scope(rel))
        if c is None:
            return None, False
        parts.append(c)
    return (ir.and_(*parts) if parts else None), True


def check_aggregate(ck: ExprChecker, e: ast.Aggregate, scope: Scope) -> Typed | None:
    rel = _relation(ck, e.relation, e.relation_span, e.function)
    if rel is None:
        return None
    fn = e.function
    column = None
    if e.column is not None:
        if e.column not in rel.columns:
            hint, fixes = suggestion(e.column, rel.columns, e.column_span)
            ck.report("SEG0205", f"{rel.name} has no column `{e.column}`", e.column_span, hint,
                      f"columns of {rel.name}: " + ", ".join(rel.columns), fixes=fixes)
            return None
        c = rel.columns[e.column]
        column = ir.RelCol(rel.name, c.name, c.type)
    elif fn != "count":
        ck.report("SEG0301", f"`{fn}` needs a column: `{fn}({rel.name}.<column>)`", e.span,
                  f"columns of {rel.name}: " + ", ".join(rel.columns))
        return None
    flt, ok = _rows_filter(ck, rel, e.window, e.filter, e.span, scope)
    if not ok:
        return None
    ct = column.type if column else None
    if ct is not None and ct.kind == "list":
        ck.report("SEG0301", f"`{fn}` cannot aggregate a list column", e.column_span)
        return None
    if fn in ("sum", "avg") and ct is not None and not ct.numeric:
        ck.report("SEG0301", f"`{fn}` needs a number column, found {describe(ct)}", e.column_span)
        return None
    if fn in ("min", "max") and ct is not None and not ct.orderable:
        ck.report("SEG0301", f"`{fn}` needs a number or date column, found {describe(ct)}", e.column_span,
                  "use first(...) or last(...) for the earliest or latest value")
        return None
    if fn in ("first", "last") and rel.time is None:
        ck.report("SEG0301", f"`{fn}` needs a time column on {rel.name}", e.span,
                  f"add `time = \"...\"` to [relations.{rel.name}] in segdsl.toml")
        return None
    # every function but count has a column (checked above), so ct is None only for count
    t = {"count": INTEGER, "count_distinct": INTEGER, "avg": NUMBER}.get(fn) or (
        ct.plain() if fn in ("sum", "min", "max") and ct is not None else ct)
    assert t is not None
    assert fn in ir.AGG_FUNCTIONS  # the grammar spells only these
    return Typed(ir.Agg(fn, rel.name, column, flt, t), t, e.span)


def check_has_rows(ck: ExprChecker, e: ast.HasRows, scope: Scope) -> Typed | None:
    rel = _relation(ck, e.relation, e.relation_span, "has")
    if rel is None:
        return None
    flt, ok = _rows_filter(ck, rel, e.window, e.filter, e.span, scope)
    if not ok:
        return None
    count = ir.Agg("count", rel.name, None, flt, INTEGER)
    cond = ir.Cmp(">", count, ir.lit_int(0))
    return Typed(ir.Not(cond) if e.negated else cond, BOOLEAN, e.span)


def _event_column(rel: Relation) -> Column:
    """The event column of a relation of Schema.event_relations() (which all have one)."""
    assert rel.event is not None
    return rel.columns[rel.event]


def check_did(ck: ExprChecker, e: ast.Did, scope: Scope) -> Typed | None:
    rels = ck.schema.event_relations()
    if not rels:
        ck.report("SEG0309", "`did` needs a relation with an event column, and the schema has none", e.span,
                  "add `event = \"<column>\"` to an events relation in segdsl.toml, or use `has R where ...`")
        return None
    name = e.event.value
    rel = rels[0]
    if len(rels) > 1:
        owners = [r for r in rels if name in (_event_column(r).type.values or ())]
        known = [v for r in rels for v in (_event_column(r).type.values or ())]
        if not owners and all(_event_column(r).type.values for r in rels):
            hint, fixes = suggestion(name, known, e.event.span, quote=True)
            ck.report("SEG0207", f"unknown event \"{name}\"", e.event.span, hint,
                      "events: " + ", ".join(known), fixes=fixes)
            return None
        if len(owners) != 1:
            ck.report("SEG0309", f"several relations have events; cannot tell which one has \"{name}\"", e.span,
                      "use `has <relation> where <event column> = \"...\"`")
            return None
        rel = owners[0]
    event_col = _event_column(rel)
    values = event_col.type.values
    if values and name not in values:
        hint, fixes = suggestion(name, values, e.event.span, quote=True)
        ck.report("SEG0207", f"unknown event \"{name}\"", e.event.span, hint,
                  "events: " + ", ".join(values), fixes=fixes)
        return None
    flt, ok = _rows_filter(ck, rel, e.window, e.filter, e.span, scope)
    if not ok:
        return None
    is_event = ir.Cmp("=", ir.RelCol(rel.name, event_col.name, event_col.type), ir.Lit(name, STRING))
    count = ir.Agg("count", rel.name, None, ir.and_(is_event, flt) if flt else is_event, INTEGER)
    kind, n = "at_least", 1
    if e.count is not None:
        amount = e.count.amount
        if amount.value != amount.value.to_integral_value() or "." in amount.text:
            ck.report("SEG0307", "the number of times must be a whole number", amount.span)
            return None
        if amount.value > MAX_INT64:
            ck.report("SEG0318", f"`{amount.text}` times is too large a count", amount.span,
                      f"counts go up to {MAX_INT64:,} (a 64-bit integer)")
            return None
        kind, n = e.count.kind, int(amount.value)
    op = {"at_least": ">=", "at_most": "<=", "exactly": "="}[kind]
    assert op in ir.CMP_OPS
    return Typed(ir.Cmp(op, count, ir.lit_int(n)), BOOLEAN, e.span)


def check_rank(ck: ExprChecker, e: ast.Rank, scope: Scope) -> Typed | None:
    if scope.in_relation:
        ck.report("SEG0313", f"`{e.direction}` ranks customers; it cannot be used inside a relation's filter", e.span)
        return None
    by = ck.check(e.by, scope)
    if by is None:
        return None
    if not by.type.orderable:
        ck.report("SEG0301", f"`{e.direction} ... by` needs a number or a date, found {describe(by.type)}", by.span)
        return None
    per = check_per(ck, e.per, e.direction)
    if isinstance(per, Failed):
        return None
    amount: Decimal = e.amount.value
    assert e.direction in ir.DIRECTIONS  # the grammar spells only these
    if e.percent:
        if not Decimal(0) <= amount <= Decimal(100):
            ck.report("SEG0305", f"{e.amount.text}% is not a percentage between 0 and 100", e.amount.span)
            return None
        decimals = len(e.amount.text.partition(".")[2])
        if decimals > MAX_PERCENT_DECIMALS:
            ck.report("SEG0305", f"{e.amount.text}% has more than {MAX_PERCENT_DECIMALS} decimals",
                      e.amount.span, "ranking compares shares exactly, in 64-bit integers; "
                      f"round the percentage to {MAX_PERCENT_DECIMALS} decimals")
            return None
        return Typed(ir.Ranked(e.direction, by.value(), None, amount, per), BOOLEAN, e.span)
    if amount != amount.to_integral_value() or "." in e.amount.text:
        ck.report("SEG0307", f"`{e.direction} N` needs a whole number of customers", e.amount.span,
                  f"write `{e.direction} {e.amount.text}%` for a share",
                  fixes=(Fix(e.amount.span, f"{e.amount.text}%", f"replace with `{e.amount.text}%`"),))
        return None
    if amount > MAX_INT64:
        ck.report("SEG0318", f"`{e.direction} {e.amount.text}` is too many customers to rank", e.amount.span,
                  f"`{e.direction} N` goes up to {MAX_INT64:,} (a 64-bit integer)")
        return None
    return Typed(ir.Ranked(e.direction, by.value(), int(amount), None, per), BOOLEAN, e.span)
