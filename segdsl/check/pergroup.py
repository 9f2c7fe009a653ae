"""Checking `per FIELD` on a ranking (`top 5% by x per region`, `percentile(x per plan)`,
`bucket(x, 5 per region)`): the group is a customer field or trait with one value per
customer that engines can group by exactly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.check.typed import ENTITY
from segdsl.syntax import ast

if TYPE_CHECKING:  # the checker calls these functions; they only call back into it
    from segdsl.check.exprs import ExprChecker

# `per` needs exact equality: a fractional number (a float on some engines, which BigQuery
# refuses to partition by) would make groups of one customer each anyway.
_GROUPABLE = ("integer", "string", "boolean", "date", "timestamp")

_BAND_HINT = "to rank within ranges of a number, group by its bucket: `trait {0}_band = bucket({0}, 5)`, then `per {0}_band`"


class Failed:
    """`per` was written but is wrong (reported): the ranking is not built."""


FAILED = Failed()


def check_per(ck: ExprChecker, per: ast.Ref | None, ranking: str) -> ir.Value | None | Failed:
    """The IR of the group value, None without `per`, FAILED after a reported mistake.
    `ranking`: `top`, `bottom` or the function's name, for messages."""
    if per is None:
        return None
    form = f"{ranking} ... per {per.name}" if ranking in ir.DIRECTIONS else f"{ranking}(... per {per.name})"
    group = ck.check(per, ENTITY)
    if group is None:
        return FAILED
    if group.type.kind == "list":
        ck.report("SEG0340", f"`{form}` needs one value per customer; "
                  f"`{per.name}` is a list", per.span,
                  "group by a field with one value per customer (a text, a whole number, yes/no or a date), "
                  f"or keep the customers you want first: `{per.name} has \"...\" and ...`")
        return FAILED
    if group.type.kind not in _GROUPABLE:
        ck.report("SEG0341", f"`{form}` groups customers by equal values; "
                  f"`{per.name}` is a fractional number", per.span,
                  "group by a text, a whole number, yes/no or a date", _BAND_HINT.format(per.name))
        return FAILED
    return group.value()


def per_without_ranking(ck: ExprChecker, e: ast.Call) -> None:
    """`per` inside a function that ranks nothing (`lower(x per region)`)."""
    assert e.per is not None
    ck.report("SEG0342", f"`{e.function}` does not rank customers, so it takes no `per`", e.per.span,
              "`per FIELD` goes with `top`, `bottom`, `percentile(x per FIELD)` and `bucket(x, N per FIELD)`")
