"""Type-checking conditions and values: AST expression -> IR, with diagnostics.

Every method returns a Typed result or None when it reported an error (callers then
stay quiet about the same expression, so one mistake gives one message).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from segdsl import ir
from segdsl.check import calendar, dates, functions, lifecycle
from segdsl.check.filters import report_continuations
from segdsl.check.hints import date_hint, dotted_fix, quoted_date
from segdsl.check.windows import band_condition, is_band
from segdsl.check.typed import (ENTITY, MAX_DECIMAL_DIGITS, MAX_INT64, MAX_WINDOW,
                                MAX_WINDOW_YEARS, UNITS, Scope, Typed, as_date)
from segdsl.diagnostics import Diagnostic, Fix, Span, error, suggestion
from segdsl.operators import DATE_OPS
from segdsl.project.schema import Schema
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Type, describe

_ORDER_OPS = {"<", "<=", ">", ">=", "before", "after"}


class ExprChecker:
    def __init__(self, schema: Schema, names: Any, diagnostics: list[Diagnostic]) -> None:
        self.schema = schema
        self.names = names  # the project resolver: lookup(name, span), segment(name, span)
        self.diags = diagnostics

    def report(self, code: str, message: str, span: Span, *hints: str, fixes: Sequence[Fix] = ()) -> None:
        self.diags.append(error(code, message, span, *hints, fixes=fixes))

    # ---- entry points ----
    def condition(self, e: ast.Expr, scope: Scope = ENTITY) -> ir.Cond | None:
        t = self.check(e, scope)
        if t is None:
            return None
        if t.type != BOOLEAN:
            self.report("SEG0311", f"expected a condition, found {describe(t.type)}", t.span,
                        "compare it with something, e.g. `... > 0` or `... is set`")
            return None
        return t.cond()

    def check(self, e: ast.Expr, scope: Scope = ENTITY) -> Typed | None:
        checked: Typed | None = getattr(self, "c_" + type(e).__name__)(e, scope)
        return checked

    # ---- logic ----
    def c_Or(self, e: ast.Or, scope: Scope) -> Typed | None:
        return self._logic(e, scope, ir.Or)

    def c_And(self, e: ast.And, scope: Scope) -> Typed | None:
        return self._logic(e, scope, ir.And)

    def _logic(self, e: ast.And | ast.Or, scope: Scope, node: type[ir.And] | type[ir.Or]) -> Typed | None:
        skipped = report_continuations(self, e) if not scope.in_relation else set()
        items = [None if id(x) in skipped else self.condition(x, scope) for x in e.items]
        if any(i is None for i in items):
            return None
        flat: list[ir.Cond] = []
        for i in items:
            if isinstance(i, node):
                flat.extend(i.items)
            elif i is not None:
                flat.append(i)
        return Typed(node(tuple(flat)), BOOLEAN, e.span)

    def c_Not(self, e: ast.Not, scope: Scope) -> Typed | None:
        c = self.condition(e.operand, scope)
        return None if c is None else Typed(ir.not_(c), BOOLEAN, e.span)

    # ---- literals ----
    def c_Number(self, e: ast.Number, scope: Scope) -> Typed | None:
        if e.value == e.value.to_integral_value() and "." not in e.text:
            if abs(e.value) > MAX_INT64:
                self.report("SEG0318", f"`{e.text}` is too large for a whole number", e.span,
                            f"whole numbers go up to {MAX_INT64:,} (a 64-bit integer)")
                return None
            return Typed(ir.Lit(int(e.value), INTEGER), INTEGER, e.span)
        digits = len(e.text.replace(".", "").lstrip("0"))
        if digits > MAX_DECIMAL_DIGITS:
            self.report("SEG0318", f"`{e.text}` has more than {MAX_DECIMAL_DIGITS} digits", e.span,
                        "every engine stores a decimal number in at most 38 digits; round it")
            return None
        return Typed(ir.Lit(e.value, NUMBER), NUMBER, e.span)

    def c_String(self, e: ast.String, scope: Scope) -> Typed | None:
        return Typed(ir.Lit(e.value, STRING), STRING, e.span)

    def c_Bool(self, e: ast.Bool, scope: Scope) -> Typed | None:
        return Typed(ir.Lit(e.value, BOOLEAN), BOOLEAN, e.span)

    def c_DateLit(self, e: ast.DateLit, scope: Scope) -> Typed | None:
        if e.value is None:
            self.report("SEG0303", f"`{e.text}` is not a date", e.span, date_hint(e.text))
            return None
        return Typed(ir.Lit(e.value, DATE), DATE, e.span)

    def c_Today(self, e: ast.Today, scope: Scope) -> Typed | None:
        return Typed(ir.Today(), DATE, e.span)

    def c_Ago(self, e: ast.Ago, scope: Scope) -> Typed | None:
        shift = self.duration(e.duration)
        if shift is None:
            return None
        unit, n = shift
        return Typed(ir.ShiftDate(ir.Today(), -n, unit), DATE, e.span)

    def duration(self, d: ast.Duration) -> tuple[ir.Unit, int] | None:
        if d.param is not None:  # `in last n`: the length the parameter is bound to
            bound = self.names.duration_param(d.param, d.span)
            return None if bound is None else self.duration(bound)
        if d.unit not in UNITS:  # minutes and hours measure `within` only
            self.report("SEG0345", f"a window counts days, weeks, months or years, not {d.unit}", d.unit_span,
                        "minutes and hours measure the time between the steps of a sequence: `within 2 hours`")
            return None
        n = d.amount.value
        if n != n.to_integral_value() or "." in d.amount.text:
            self.report("SEG0307", f"`{d.amount.text} {d.unit}`: use a whole number of {d.unit}",
                        d.amount.span)
            return None
        singular = d.unit.rstrip("s")
        if abs(n) > MAX_WINDOW[singular]:
            self.report("SEG0318", f"`{d.amount.text} {d.unit}` is longer than {MAX_WINDOW_YEARS} years",
                        d.span, f"windows and `... ago` reach at most {MAX_WINDOW_YEARS} years: "
                        + ", ".join(f"{v:,} {u}s" for u, v in MAX_WINDOW.items()))
            return None
        unit, factor = UNITS[d.unit]
        return unit, int(n) * factor

    # ---- names ----
    def c_Ref(self, e: ast.Ref, scope: Scope) -> Typed | None:
        rel = scope.relation
        if rel is not None:
            if e.name in rel.columns:
                c = rel.columns[e.name]
                return Typed(ir.RelCol(rel.name, c.name, c.type), c.type, e.span)
            if dates.bare_customer_field(self, e, scope):
                return None
            hint, fixes = suggestion(e.name, rel.columns, e.span)
            self.report("SEG0205", f"{rel.name} has no column `{e.name}`", e.span, hint,
                        f"columns of {rel.name}: " + ", ".join(rel.columns), fixes=fixes)
            return None
        found: Typed | None = self.names.lookup(e.name, e.span)
        return found

    def c_Dotted(self, e: ast.Dotted, scope: Scope) -> Typed | None:
        if e.relation == self.schema.entity.name and e.relation not in self.schema.relations:
            return dates.check_customer(self, e, scope)
        if scope.relation is not None and e.relation == scope.relation.name:
            return self.c_Ref(ast.Ref(e.column, e.span), scope)
        rel = self.schema.relations.get(e.relation)
        if rel is None:
            best = suggestion(e.relation, self.schema.relations, e.span)[0]
            fixes = dotted_fix(e, best, e.column)
            self.report("SEG0204", f"unknown relation `{e.relation}`", e.span, best, fixes=fixes)
            return None
        if e.column not in rel.columns:
            best = suggestion(e.column, rel.columns, e.span)[0]
            self.report("SEG0205", f"{rel.name} has no column `{e.column}`", e.span, best,
                        f"columns of {rel.name}: " + ", ".join(rel.columns),
                        fixes=dotted_fix(e, e.relation, best))
            return None
        self.report("SEG0312", f"`{e.relation}.{e.column}` has one value per row of {e.relation}, "
                    "not one per customer", e.span,
                    f"aggregate it, e.g. `max({e.relation}.{e.column})` or `last({e.relation}.{e.column})`")
        return None

    def c_InSegment(self, e: ast.InSegment, scope: Scope) -> Typed | None:
        if scope.in_relation:
            self.report("SEG0313", "`in segment` cannot be used inside a filter of a relation", e.span)
            return None
        cond = self.names.segment(e.name, e.name_span, e.args)
        return None if cond is None else Typed(cond, BOOLEAN, e.span)

    def c_InSnapshot(self, e: ast.InSnapshot, scope: Scope) -> Typed | None:
        if scope.in_relation:
            self.report("SEG0313", "`in snapshot` cannot be used inside a filter of a relation", e.span)
            return None
        at: ir.Value = ir.Today()
        if e.at is not None:
            t = self.check(e.at, scope)
            if t is None:
                return None
            if t.type.kind != "date" or not _constant(t.node):
                self.report("SEG0301", "`in snapshot ... at` takes a date such as 2024-06-01 or "
                            "`30 days ago`", t.span)
                return None
            at = t.node
        self.names.snapshot_name(e.name, e.name_span)
        return Typed(ir.InSnapshot(e.name, at), BOOLEAN, e.span)

    # ---- arithmetic and functions ----
    def c_Arith(self, e: ast.Arith, scope: Scope) -> Typed | None:
        if isinstance(e.right, ast.Length):
            return dates.check_shift(self, e, scope)
        left, right = self.check(e.left, scope), self.check(e.right, scope)
        if left is None or right is None:
            return None
        for side in (left, right):
            if not side.type.numeric:
                self.report("SEG0301", f"`{e.op}` needs numbers, found {describe(side.type)}", side.span)
                return None
        integer = left.type.kind == right.type.kind == "integer" and e.op != "/"
        t = INTEGER if integer else NUMBER
        assert e.op in ir.ARITH_OPS  # the grammar spells only these
        return Typed(ir.Arith(e.op, left.value(), right.value(), t), t, e.span)

    def c_Negate(self, e: ast.Negate, scope: Scope) -> Typed | None:
        v = self.check(e.operand, scope)
        if v is None:
            return None
        if not v.type.numeric:
            self.report("SEG0301", f"`-` needs a number, found {describe(v.type)}", v.span)
            return None
        if isinstance(v.node, ir.Lit) and isinstance(v.node.value, (int, Decimal)):
            return Typed(ir.Lit(-v.node.value, v.type), v.type, e.span)
        return Typed(ir.Neg(v.value(), v.type.plain()), v.type.plain(), e.span)

    def c_Call(self, e: ast.Call, scope: Scope) -> Typed | None:
        return functions.check_call(self, e, scope)

    def c_Aggregate(self, e: ast.Aggregate, scope: Scope) -> Typed | None:
        return functions.check_aggregate(self, e, scope)

    def c_Length(self, e: ast.Length, scope: Scope) -> Typed | None:
        return dates.check_length(self, e, scope)

    def c_Anniversary(self, e: ast.Anniversary, scope: Scope) -> Typed | None:
        return dates.check_anniversary(self, e, scope)

    def c_HasRows(self, e: ast.HasRows, scope: Scope) -> Typed | None:
        return functions.check_has_rows(self, e, scope)

    def c_Did(self, e: ast.Did, scope: Scope) -> Typed | None:
        return functions.check_did(self, e, scope)

    def c_Lifecycle(self, e: ast.Lifecycle, scope: Scope) -> Typed | None:
        return lifecycle.check_lifecycle(self, e, scope)

    def c_Sequence(self, e: ast.Sequence, scope: Scope) -> Typed | None:
        from segdsl.check.sequences import check_sequence

        return check_sequence(self, e, scope)

    def c_Rank(self, e: ast.Rank, scope: Scope) -> Typed | None:
        return functions.check_rank(self, e, scope)

    # ---- comparisons ----
    def c_Compare(self, e: ast.Compare, scope: Scope) -> Typed | None:
        left, right = self.check(e.left, scope), self.check(e.right, scope)
        if left is None or right is None:
            return None
        op = e.op
        if op in DATE_OPS:
            for side in (left, right):
                if not side.type.temporal:
                    self.report("SEG0301", f"`{op}` compares dates, found {describe(side.type)}", side.span,
                                "use <, >, = for numbers" if side.type.numeric else "")
                    return None
        if not self.comparable(left, right, e.op_span, op):
            return None
        lv, rv = self.coerce_pair(left, right, force_date=op == "on")
        sql_op = DATE_OPS.get(op, op)
        if sql_op == "!=":
            return Typed(ir.Not(ir.Cmp("=", lv, rv)), BOOLEAN, e.span)
        assert sql_op in ir.CMP_OPS  # the grammar's operators but != once the dates are mapped
        return Typed(ir.Cmp(sql_op, lv, rv), BOOLEAN, e.span)

    def comparable(self, left: Typed, right: Typed, span: Span, op: str) -> bool:
        lt, rt = left.type, right.type
        if lt.kind == "list" or rt.kind == "list":
            lst = left if lt.kind == "list" else right
            self.report("SEG0301", f"a list cannot be compared with `{op}`", lst.span,
                        "use `has`, `has any [...]`, `has all [...]` or `has none [...]`")
            return False
        if lt.family != rt.family:
            in_quotes = quoted_date(left, right) or quoted_date(right, left)
            if in_quotes is not None:
                text = in_quotes.node.value
                self.report("SEG0301", f"cannot compare {describe(lt)} with {describe(rt)}: "
                            f"\"{text}\" is a text, not a date", in_quotes.span,
                            f"drop the quotes: dates are written as `{text}`",
                            fixes=(Fix(in_quotes.span, text, "drop the quotes"),))
                return False
            self.report("SEG0301", f"cannot compare {describe(lt)} with {describe(rt)}", span,
                        f"left side: {describe(lt)}; right side: {describe(rt)}")
            return False
        if op in _ORDER_OPS and not lt.orderable:
            what = "text has" if lt.kind == "string" else "true/false values have"
            self.report("SEG0315", f"`{op}` needs numbers or dates; {what} no order", span,
                        "use = or in [...]" if lt.kind == "string" else "")
            return False
        return self.check_enum(left, right) and self.check_enum(right, left)

    def check_enum(self, field: Typed, other: Typed) -> bool:
        values = field.type.values
        if not values or not isinstance(other.node, ir.Lit) or not isinstance(other.node.value, str):
            return True
        if other.node.value in values:
            return True
        hint, fixes = suggestion(other.node.value, values, other.span, quote=True)
        self.report("SEG0302", f"\"{other.node.value}\" is not one of the values of this field", other.span,
                    hint, "values: " + ", ".join(values), fixes=fixes)
        return False

    def coerce_pair(self, left: Typed, right: Typed, force_date: bool = False) -> tuple[Any, Any]:
        """Values to compare: a timestamp against a date counts by its local date."""
        lv, rv = left.value(), right.value()
        if left.type.temporal and right.type.temporal:
            if force_date or left.type.kind != right.type.kind:
                lv, rv = as_date(lv, left.type), as_date(rv, right.type)
        return lv, rv

    def c_InList(self, e: ast.InList, scope: Scope) -> Typed | None:
        value = self.check(e.value, scope)
        if value is None:
            return None
        if not e.items:
            self.report("SEG0304", "the list is empty", e.span, "an `in []` test is never true; list at least one value")
            return None
        items = []
        for item in e.items:
            t = self.check(item, scope)
            if t is None:
                return None
            if not isinstance(t.node, ir.Lit):
                self.report("SEG0301", "a list holds literal values (numbers, text, dates)", t.span)
                return None
            if not self.comparable(value, t, t.span, "in"):
                return None
            items.append(t)
        v = value.value()
        lits = tuple(as_date(t.node, t.type) if value.type.kind == "timestamp" else t.node for t in items)
        if value.type.kind == "timestamp":
            v = ir.LocalDate(v)
        cond: ir.Cond = ir.InSet(v, lits)
        return Typed(ir.Not(cond) if e.negated else cond, BOOLEAN, e.span)

    def c_Between(self, e: ast.Between, scope: Scope) -> Typed | None:
        if is_band(e):  # `x between 30 and 90 days ago`: a rolling band
            return band_condition(self, e, scope)
        value, low, high = (self.check(x, scope) for x in (e.value, e.low, e.high))
        if value is None or low is None or high is None:
            return None
        if not (self.comparable(value, low, low.span, "between") and self.comparable(value, high, high.span, "between")):
            return None
        v1, lo = self.coerce_pair(value, low)
        v2, hi = self.coerce_pair(value, high)
        return Typed(ir.And((ir.Cmp(">=", v1, lo), ir.Cmp("<=", v2, hi))), BOOLEAN, e.span)

    def c_IsSet(self, e: ast.IsSet, scope: Scope) -> Typed | None:
        value = self.check(e.value, scope)
        if value is None:
            return None
        cond = ir.Const(True) if value.is_cond else ir.IsSet(value.value())
        return Typed(ir.Not(cond) if e.negated else cond, BOOLEAN, e.span)

    def c_TextMatch(self, e: ast.TextMatch, scope: Scope) -> Typed | None:
        value = self.check(e.value, scope)
        pattern = self.check(e.pattern, scope)
        if value is None or pattern is None:
            return None
        word = e.kind.replace("_", " ")
        if value.type.kind != "string":
            self.report("SEG0301", f"`{word}` needs text, found {describe(value.type)}", value.span)
            return None
        text = pattern.node.value if isinstance(pattern.node, ir.Lit) else None
        if not (isinstance(text, str) and pattern.type.kind == "string"):
            self.report("SEG0314", f"`{word}` takes a text in quotes", pattern.span)
            return None
        if text == "":
            return Typed(ir.IsSet(value.value()), BOOLEAN, e.span)
        assert e.kind in ir.TEXT_KINDS  # the grammar spells only these
        return Typed(ir.Text(e.kind, value.value(), text), BOOLEAN, e.span)

    def c_ListHas(self, e: ast.ListHas, scope: Scope) -> Typed | None:
        value = self.check(e.value, scope)
        if value is None:
            return None
        if value.type.kind != "list":
            self.report("SEG0301", f"`has` needs a list field, found {describe(value.type)}", value.span,
                        "use = or in [...] for a single value")
            return None
        if not e.items:
            self.report("SEG0304", "the list is empty", e.span, "list at least one value")
            return None
        assert value.type.element is not None  # every list type names its element type
        element = Type(value.type.element, None, value.type.values)
        conds: list[ir.Cond] = []
        for item in e.items:
            t = self.check(item, scope)
            if t is None:
                return None
            if not isinstance(t.node, ir.Lit) or t.type.family != element.family:
                self.report("SEG0301", f"expected {describe(element)} value in quotes" if element.kind == "string"
                            else f"expected {describe(element)}", t.span)
                return None
            if not self.check_enum(Typed(None, element, value.span), t):
                return None
            conds.append(ir.ListHas(value.value(), t.node))
        cond: ir.Cond
        if e.quantifier in ("one", "any"):
            cond = conds[0] if len(conds) == 1 else ir.Or(tuple(conds))
        elif e.quantifier == "all":
            cond = ir.and_(*conds)
        else:  # none
            cond = ir.Not(conds[0] if len(conds) == 1 else ir.Or(tuple(conds)))
        return Typed(cond, BOOLEAN, e.span)

    def c_InWindow(self, e: ast.InWindow, scope: Scope) -> Typed | None:
        value = self.check(e.value, scope)
        if value is None:
            return None
        if not value.type.temporal:
            self.report("SEG0301", f"`in {e.window.direction} ...` needs a date, found {describe(value.type)}",
                        value.span)
            return None
        cond = self.window(e.window, as_date(value.value(), value.type))
        return None if cond is None else Typed(cond, BOOLEAN, e.span)

    def window_length(self, w: ast.Window) -> tuple[ir.Unit, int] | None:
        """The unit and number of `in last|next N units`, or None (reported) when N < 1."""
        shift = self.duration(w.duration)
        if shift is None:
            return None
        if shift[1] < 1:
            self.report("SEG0307", "a window needs at least 1 day", w.duration.span)
            return None
        return shift

    def window(self, w: ast.AnyWindow, date_value: ir.Value) -> ir.Cond | None:
        if isinstance(w, ast.PeriodWindow):
            return calendar.period_window(self, w, date_value)
        length = self.window_length(w)
        if length is None:
            return None
        unit, n = length
        today = ir.Today()
        if w.direction == "last":  # today - N < d <= today
            return ir.And((ir.Cmp(">", date_value, ir.ShiftDate(today, -n, unit)), ir.Cmp("<=", date_value, today)))
        return ir.And((ir.Cmp(">=", date_value, today), ir.Cmp("<", date_value, ir.ShiftDate(today, n, unit))))


def _constant(node: object) -> bool:
    """A date known before any row is read: a literal, today, or a shift of one."""
    if isinstance(node, ir.ShiftDate):
        return _constant(node.base)
    return isinstance(node, (ir.Lit, ir.Today))
