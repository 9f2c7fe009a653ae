"""The syntax of parameterised segments: the parameters a segment declares and the
arguments a use gives (`segment regulars_in(r: region, min_orders: number = 3)`,
`in segment regulars_in("South", min_orders: 5)`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from segdsl.diagnostics import Span

if TYPE_CHECKING:
    from segdsl.syntax.ast import Expr


def _span() -> Span:
    return field(default=Span.none(), compare=False, repr=False)


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # number, integer, text, date, duration, boolean, or a field of the entity
    default: Expr | None  # a literal
    name_span: Span = _span()
    type_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class Arg:
    name: str | None  # None for a positional argument
    value: Expr  # a literal: Number, String, DateLit, Bool or Length
    name_span: Span = _span()
    span: Span = _span()
