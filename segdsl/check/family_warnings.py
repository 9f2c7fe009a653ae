"""Warnings on families (a family that checked without errors):

- SEG0616 a family without `else`: customers in no rule are in no member, and the family's
  value is missing for them
- SEG0617 a rule that can never win: every customer it matches is matched by an earlier rule,
  decided statically on the ranges and value sets of the same fields (as check/ranges.py
  decides contradictions): the earlier rule is a chain of `and`ed comparisons of fields with
  constants (or an `or` of such chains), and the later rule puts at least as tight a bound on
  each of those fields, or repeats the comparison itself
"""

from __future__ import annotations

from typing import Any

from segdsl.check.ranges import Bound, SpanText, bounds, comparable, const, leaves
from segdsl.diagnostics import Diagnostic
from segdsl.syntax import ast


def family_warnings(d: ast.FamilyDef, text: SpanText) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if d.otherwise is None and d.rules:
        found.append(Diagnostic(
            "SEG0616", "warning", f"family `{d.name}` has no `else`: customers that match no rule are in "
            f"no member, and `{d.name}` is missing for them", d.name_span,
            (f"add a last line such as `else other` so that every customer is in one member "
             f"(or write `{d.name} is not set` where you mean them)",)))
    for i, rule in enumerate(d.rules):
        assert rule.where is not None
        for earlier in d.rules[:i]:
            assert earlier.where is not None
            if _covers(earlier.where, rule.where):
                found.append(Diagnostic(
                    "SEG0617", "warning", f"`{rule.name}` can never win: every customer it matches is "
                    f"matched by `{earlier.name}`, which comes first", rule.name_span,
                    (f"move `{rule.name}` above `{earlier.name}`, or narrow `{earlier.name}`",),
                    ((earlier.name_span, f"`{earlier.name}` is here"),)))
                break
    return found


def _covers(first: ast.Expr, later: ast.Expr) -> bool:
    """Whether every customer matching `later` certainly matches `first` (False when unsure)."""
    if isinstance(first, ast.Or):
        return any(_covers(item, later) for item in first.items)
    needed: list[ast.Expr] = leaves(first) if isinstance(first, ast.And) else [first]
    given: list[ast.Expr] = leaves(later) if isinstance(later, ast.And) else [later]
    return all(_implied(leaf, given) for leaf in needed)


def _implied(leaf: ast.Expr, given: list[ast.Expr]) -> bool:
    if leaf in given:  # the same comparison (syntax trees compare without positions)
        return True
    sets = _value_set(leaf)
    if sets is not None:
        value, allowed = sets
        return any((s := _value_set(g)) is not None and s[0] == value and s[1] <= allowed for g in given)
    needed = bounds(leaf)
    if not needed:
        return False  # not a comparison with a constant: undecided
    have = [pair for g in given for pair in bounds(g)]
    return all(any(v == value and _within(b, need) for v, b in have) for value, need in needed)


def _within(b: Bound, need: Bound) -> bool:
    """Whether bound `b` on a value is at least as tight as `need` on the same side."""
    if b.lower != need.lower or not comparable(b.const, need.const):
        return False
    if need.const.kind in ("str", "bool"):
        return bool(b.const.value == need.const.value)
    x, y = b.const.value, need.const.value
    if x == y:
        return b.strict or not need.strict
    return bool(x > y if need.lower else x < y)


def _value_set(leaf: ast.Expr) -> tuple[ast.Expr, frozenset[Any]] | None:
    """`x in [a, b]` or `x = a` with constant text (or yes/no) items: (x, {a, b})."""
    if isinstance(leaf, ast.InList) and not leaf.negated:
        items = [const(i) for i in leaf.items]
        if items and all(c is not None and c.kind in ("str", "bool") for c in items):
            return leaf.value, frozenset((c.kind, c.value) for c in items if c is not None)
        return None
    if isinstance(leaf, ast.Compare) and leaf.op == "=":
        left, right = const(leaf.left), const(leaf.right)
        if right is not None and left is None and right.kind in ("str", "bool"):
            return leaf.left, frozenset({(right.kind, right.value)})
    return None
