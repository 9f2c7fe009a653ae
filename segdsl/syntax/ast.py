"""The syntax tree of a `.seg` file: frozen dataclasses, each with the span it came from.

The tree mirrors what the user wrote (no names resolved, no types); the checker turns it
into the typed IR. Equality ignores spans, so two parses of reformatted text compare equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from segdsl.diagnostics import Span


def _span() -> Span:
    return field(default=Span.none(), compare=False, repr=False)


# ---- values and conditions ------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal
    text: str
    span: Span = _span()


@dataclass(frozen=True)
class String:
    value: str
    span: Span = _span()


@dataclass(frozen=True)
class DateLit:
    value: dt.date | None  # None when the text is not a real date (reported by the checker)
    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Bool:
    value: bool
    span: Span = _span()


@dataclass(frozen=True)
class Today:
    span: Span = _span()


@dataclass(frozen=True)
class Duration:
    amount: Number  # may be negative or fractional: the checker reports it
    unit: str
    unit_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class Ago:
    duration: Duration
    span: Span = _span()


@dataclass(frozen=True)
class Ref:
    name: str
    span: Span = _span()


@dataclass(frozen=True)
class Dotted:
    relation: str
    column: str
    span: Span = _span()


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Expr, ...]
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class Window:
    direction: str  # "last" | "next"
    duration: Duration
    span: Span = _span()


@dataclass(frozen=True)
class Aggregate:
    function: str  # count, count_distinct, sum, avg, min, max, first, last
    relation: str
    column: str | None
    window: Window | None
    filter: Expr | None
    relation_span: Span = _span()
    column_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class Negate:
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: Expr
    right: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Not:
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Compare:
    op: str  # = != < <= > >= before after on
    left: Expr
    right: Expr
    op_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class InList:
    value: Expr
    items: tuple[Expr, ...]
    negated: bool
    span: Span = _span()


@dataclass(frozen=True)
class Between:
    value: Expr
    low: Expr
    high: Expr
    span: Span = _span()


@dataclass(frozen=True)
class IsSet:
    value: Expr
    negated: bool
    span: Span = _span()


@dataclass(frozen=True)
class TextMatch:
    kind: str  # contains | starts_with | ends_with
    value: Expr
    pattern: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ListHas:
    value: Expr
    quantifier: str  # one | any | all | none
    items: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True)
class InWindow:
    value: Expr
    window: Window
    span: Span = _span()


@dataclass(frozen=True)
class HasRows:
    negated: bool
    relation: str
    window: Window | None
    filter: Expr | None
    relation_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class DidCount:
    kind: str  # at_least | at_most | exactly
    amount: Number
    span: Span = _span()


@dataclass(frozen=True)
class Did:
    event: String
    count: DidCount | None
    window: Window | None
    filter: Expr | None
    span: Span = _span()


@dataclass(frozen=True)
class Within:
    """`within N unit` of a sequence step (minutes, hours, days or weeks; others reported)."""

    amount: Number
    unit: str
    unit_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class ThenStep:
    """`then [not] "E" [where F] [with same c, ...] [within D]` of a sequence."""

    negated: bool
    event: String
    filter: Expr | None
    same: tuple[Ref, ...]
    within: Within | None
    span: Span = _span()


@dataclass(frozen=True)
class Sequence:
    """`did "A" [window | on DATE] [where F] then ...`: `window` is a Window or the DateLit of
    `on DATE`."""

    event: String
    window: "Window | DateLit | None"
    filter: Expr | None
    steps: tuple[ThenStep, ...]
    span: Span = _span()


@dataclass(frozen=True)
class InSegment:
    name: str
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class InSnapshot:
    name: str
    at: "Expr | None"
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class Rank:
    direction: str  # top | bottom
    amount: Number
    percent: bool
    by: Expr
    span: Span = _span()


Expr = (
    Number | String | DateLit | Bool | Today | Ago | Ref | Dotted | Call | Aggregate | Negate
    | Arith | Or | And | Not | Compare | InList | Between | IsSet | TextMatch | ListHas
    | InWindow | HasRows | Did | Sequence | InSegment | InSnapshot | Rank
)


# ---- definitions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Meta:
    key: str
    value: str | tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True)
class SegmentDef:
    name: str
    title: str | None
    meta: tuple[Meta, ...]
    where: Expr | None  # None only in a block that forgot its `where` (reported)
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class TraitDef:
    name: str
    expr: Expr
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class ScoreRule:
    points: Decimal
    condition: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ScoreDef:
    name: str
    rules: tuple[ScoreRule, ...]
    name_span: Span = _span()
    span: Span = _span()


Definition = SegmentDef | TraitDef | ScoreDef


@dataclass(frozen=True)
class File:
    path: str
    definitions: tuple[Definition, ...]
    # names of definitions dropped for a syntax error: the checker stays quiet about their
    # uses, so that one mistake gives one message
    broken: tuple[str, ...] = ()
