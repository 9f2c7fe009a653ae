"""SEG0602: ranges that no value satisfies, found in the AST of one `and` chain.

Each comparison of a value with a constant is a bound on that value (the value compared by
AST equality, which ignores positions). Constants are numbers, dates, and dates relative
to today (`30 days ago`, windows); relative dates compare with each other when they count
in the same unit (days, or months) or one of them is today. Text and true/false constants
only take part through `=`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from segdsl.check.typed import UNITS
from segdsl.diagnostics import Diagnostic, Span
from segdsl.operators import DATE_OPS, FLIPPED
from segdsl.syntax import ast


# The source text of a span, or None when it is not one short line.
SpanText = Callable[[Span], str | None]


@dataclass(frozen=True)
class Const:
    kind: str  # num date rel str bool
    unit: str | None  # for rel: day | month
    value: Any  # Decimal, date, int (days or months from today), str or bool


@dataclass(frozen=True)
class Bound:
    lower: bool
    const: Const
    strict: bool
    span: Span  # the comparison it comes from


def const(node: ast.Expr) -> Const | None:
    if isinstance(node, ast.Number):
        return Const("num", None, node.value)
    if isinstance(node, ast.Negate) and isinstance(node.operand, ast.Number):
        return Const("num", None, -node.operand.value)
    if isinstance(node, ast.DateLit) and node.value is not None:
        return Const("date", None, node.value)
    if isinstance(node, ast.Today):
        return Const("rel", "day", 0)
    if isinstance(node, ast.Ago):
        shift = _days(node.duration)
        return None if shift is None else Const("rel", shift[0], -shift[1])
    if isinstance(node, ast.String):
        return Const("str", None, node.value)
    if isinstance(node, ast.Bool):
        return Const("bool", None, node.value)
    return None


def _days(d: ast.Duration) -> tuple[str, int] | None:
    n = d.amount.value
    if n != n.to_integral_value() or "." in d.amount.text:
        return None
    unit, factor = UNITS[d.unit]
    return unit, int(n) * factor


def bounds(leaf: ast.Expr) -> list[tuple[ast.Expr, Bound]]:
    """(value, bound) pairs that a comparison puts on a value."""
    if isinstance(leaf, ast.Compare):
        op = DATE_OPS.get(leaf.op, leaf.op)
        if op not in FLIPPED:
            return []
        left, right = const(leaf.left), const(leaf.right)
        if right is not None and left is None:
            return _pairs(leaf.left, op, right, leaf.span)
        if left is not None and right is None:
            return _pairs(leaf.right, FLIPPED[op], left, leaf.span)
        return []
    if isinstance(leaf, ast.Between):
        low, high = const(leaf.low), const(leaf.high)
        out = _pairs(leaf.value, ">=", low, leaf.span) if low else []
        return out + (_pairs(leaf.value, "<=", high, leaf.span) if high else [])
    if isinstance(leaf, ast.InWindow) and isinstance(leaf.window, ast.Window):
        shift = _days(leaf.window.duration)
        if shift is None:
            return []
        unit, n = shift
        today, other = Const("rel", "day", 0), Const("rel", unit, n if leaf.window.direction == "next" else -n)
        if leaf.window.direction == "last":  # today - N < x <= today
            return _pairs(leaf.value, ">", other, leaf.span) + _pairs(leaf.value, "<=", today, leaf.span)
        return _pairs(leaf.value, ">=", today, leaf.span) + _pairs(leaf.value, "<", other, leaf.span)
    return []


def _pairs(value: ast.Expr, op: str, c: Const, span: Span) -> list[tuple[ast.Expr, Bound]]:
    if c.kind in ("str", "bool") and op != "=":
        return []
    if op == "=":
        return [(value, Bound(True, c, False, span)), (value, Bound(False, c, False, span))]
    return [(value, Bound(op in (">", ">="), c, len(op) == 1, span))]


def comparable(a: Const, b: Const) -> bool:
    if a.kind != b.kind:
        return False
    return a.kind != "rel" or a.unit == b.unit or a.value == 0 or b.value == 0


def empty(low: Bound, high: Bound) -> bool:
    if not comparable(low.const, high.const):
        return False
    lo, hi = low.const.value, high.const.value
    if low.const.kind in ("str", "bool"):
        return bool(lo != hi)
    return bool(lo > hi or (lo == hi and (low.strict or high.strict)))


def leaves(node: ast.And) -> list[ast.Expr]:
    """The items of an `and` chain, with nested `and` chains (in parentheses) flattened."""
    out: list[ast.Expr] = []
    stack: list[ast.Expr] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.And):
            stack.extend(reversed(n.items))
        else:
            out.append(n)
    return out


def _tighter(new: Bound, old: Bound | None) -> bool:
    if old is None:
        return True
    a, b = new.const.value, old.const.value
    if new.const.kind in ("str", "bool"):
        return False  # equalities: the first one stands for all
    if a == b:
        return new.strict and not old.strict
    return bool(a > b if new.lower else a < b)


def contradictions(node: ast.And, text: SpanText) -> list[Diagnostic]:
    """One warning per value whose bounds in this chain leave no room. `text(span)` gives
    the source text of a span (or None). Only the tightest bound on each side is kept (per
    kind of constant), so a long chain costs linear time."""
    tightest: dict[tuple[Any, ...], Bound] = {}  # (value, kind, unit, lower) -> bound
    found: list[Diagnostic] = []
    reported: set[ast.Expr] = set()
    for leaf in leaves(node):
        for value, bound in bounds(leaf):
            if value in reported:
                continue
            c = bound.const
            other = tightest.get((value, c.kind, c.unit, not bound.lower))
            # a `between` against itself is between_reversed's to report
            if other is not None and other.span != bound.span and \
                    empty(*((bound, other) if bound.lower else (other, bound))):
                reported.add(value)
                found.append(_never_true(other.span, bound.span, text, c.kind in ("str", "bool")))
                continue
            key = (value, c.kind, c.unit, bound.lower)
            if _tighter(bound, tightest.get(key)):
                tightest[key] = bound
    return found


def _never_true(first: Span, second: Span, text: SpanText, equalities: bool) -> Diagnostic:
    a, b = text(first) or "the first condition", text(second) or "the second"
    message = f"`{a}` and `{b}` are never both true"
    hint = ("a value cannot be equal to both: did you mean `or`, or `in [...]`?" if equalities
            else "no value lies in this range: did you mean `or`, or the bounds the other way round?")
    if first.line == second.line:
        return Diagnostic("SEG0602", "warning", message, first.to(second), (hint,))
    return Diagnostic("SEG0602", "warning", message, second, (hint,),
                      ((first, "the other bound is here"),))


def between_reversed(node: ast.Between, text: SpanText) -> Diagnostic | None:
    low, high = const(node.low), const(node.high)
    if low is None or high is None or low.kind in ("str", "bool") or not comparable(low, high):
        return None
    if not low.value > high.value:
        return None
    lo, hi = text(node.low.span) or "A", text(node.high.span) or "B"
    whole = text(node.span) or f"between {lo} and {hi}"
    return Diagnostic("SEG0602", "warning", f"`{whole}` is never true: {lo} comes after {hi}",
                      node.span, (f"`between` takes the lower end first: `between {hi} and {lo}`",))
