"""Hints and fixes of the checker that need more than a did-you-mean: a misspelt
`relation.column`, a date written in quotes, an impossible date."""

from __future__ import annotations

import datetime as dt

from segdsl import ir
from segdsl.check.typed import Typed
from segdsl.diagnostics import Fix
from segdsl.syntax import ast


def dotted_fix(e: ast.Dotted, relation: str, column: str) -> tuple[Fix, ...]:
    """The fix of a misspelt `relation.column`: `relation` or `column` may be a did-you-mean
    hint ("did you mean `x`?") whose name replaces the misspelt part."""
    def name(part: str) -> str:
        return part.split("`")[1] if "`" in part else part
    if not relation or not column:
        return ()
    text = f"{name(relation)}.{name(column)}"
    return (Fix(e.span, text, f"replace with `{text}`"),)


def quoted_date(other: Typed, text: Typed) -> Typed | None:
    """`text` when it is a text literal holding a date (YYYY-MM-DD) compared with a date."""
    if not (other.type.temporal and isinstance(text.node, ir.Lit) and isinstance(text.node.value, str)):
        return None
    try:
        dt.date.fromisoformat(text.node.value)
    except ValueError:
        return None
    return text if len(text.node.value) == 10 else None


def date_hint(text: str) -> str:
    import calendar

    try:
        y, m, d = (int(x) for x in text.split("-"))
    except ValueError:
        return "write dates as YYYY-MM-DD"
    if not 1 <= m <= 12:
        return "months go from 01 to 12"
    last = calendar.monthrange(y, m)[1]
    return f"{calendar.month_name[m]} {y} has {last} days" if d > last or d < 1 else ""
