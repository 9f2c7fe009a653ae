"""The syntax tree of a `.seg` file: frozen dataclasses, each with the span it came from.

The tree mirrors what the user wrote (no names resolved, no types); the checker turns it
into the typed IR. Equality ignores spans, so two parses of reformatted text compare equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from segdsl.diagnostics import Span
from segdsl.syntax.params import Arg, Param


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
    param: str | None = None  # `in last n`: the duration parameter n (amount and unit unused)


@dataclass(frozen=True)
class Ago:
    duration: Duration
    span: Span = _span()


@dataclass(frozen=True)
class Length:
    """A length of time as a value: `365 days` in `signup_date + 365 days`."""

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
    per: Ref | None = None  # `percentile(x per region)`: the group field


@dataclass(frozen=True)
class Window:
    direction: str  # "last" | "next"
    duration: Duration
    span: Span = _span()


@dataclass(frozen=True)
class PeriodWindow:
    """`in this|last|next P`: a whole calendar period (week, month, quarter, year, fiscal
    quarter or fiscal year) containing or next to today."""

    direction: str  # "this" | "last" | "next"
    unit: str  # week | month | quarter | year | fiscal_quarter | fiscal_year
    unit_span: Span = _span()
    span: Span = _span()


AnyWindow = Window | PeriodWindow


@dataclass(frozen=True)
class RangeWindow:
    """A relation's window written as a date condition on its time column: `before D`,
    `after D`, `on D` (`low` is D, `high` None), `between D1 and D2`, or the rolling band
    `between N and M units ago` (`low` a Number, `high` an Ago)."""

    kind: str  # before | after | on | between
    low: Expr
    high: Expr | None
    span: Span = _span()


RowsWindow = Window | PeriodWindow | RangeWindow


@dataclass(frozen=True)
class Aggregate:
    function: str  # count, count_distinct, sum, avg, min, max, first, last
    relation: str
    column: str | None
    window: RowsWindow | None
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
    window: AnyWindow
    span: Span = _span()


@dataclass(frozen=True)
class Anniversary:
    """`x anniversary in <window>`, or `x anniversary today` (window None)."""

    value: Expr
    window: AnyWindow | None
    span: Span = _span()


@dataclass(frozen=True)
class HasRows:
    negated: bool
    relation: str
    window: RowsWindow | None
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
    window: RowsWindow | None
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
    """`did "A" [window] [where F] then ...`: the first step's window is any window of a
    relation's rows (as for `did`)."""

    event: String
    window: "RowsWindow | None"
    filter: Expr | None
    steps: tuple[ThenStep, ...]
    span: Span = _span()


@dataclass(frozen=True)
class InSegment:
    name: str
    name_span: Span = _span()
    span: Span = _span()
    args: tuple[Arg, ...] | None = None  # `in segment f(...)`: the arguments of a parameterised one


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
    per: Ref | None = None  # `top 5% by x per region`: the group field


@dataclass(frozen=True)
class Lifecycle:
    """A lifecycle form over the rows of `did "E"` or `has R` (`rows`, written without a
    window or count of its own; its filter is the rows' filter):
    first/last  `first did "E" W`: the earliest (latest) row lies in `window`
    but_not     `did "E" but not W`: a row, and none in `window`
    gap         `did "E" W after a gap of G`: a row in `window`, none in the `length` before
                it, and one before that
    days        `did "E" on at least K days W`: `count` distinct local days (`unit` the word
                written, which must be days)
    periods     `did "E" in at least K of last P units`: `length` = P units"""

    form: str  # first | last | but_not | gap | days | periods
    rows: HasRows | Did
    window: RowsWindow | None  # `in last N units` for gap
    count: DidCount | None = None
    length: Duration | None = None
    unit: str | None = None
    unit_span: Span = _span()
    span: Span = _span()


Expr = (
    Number | String | DateLit | Bool | Today | Ago | Ref | Dotted | Call | Aggregate | Negate
    | Arith | Or | And | Not | Compare | InList | Between | IsSet | TextMatch | ListHas
    | InWindow | HasRows | Did | InSegment | InSnapshot | Rank | Length | Anniversary | Lifecycle
    | Sequence
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
    params: tuple[Param, ...] | None = None  # `segment f(...)`: declared parameters


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


@dataclass(frozen=True)
class FamilyRule:
    """One member of a family: `name where condition` (the `else` member has no condition)."""

    name: str
    where: Expr | None
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class FamilyDef:
    """`family NAME ["title"] { meta... rules... [else NAME] }`: each customer is in the first
    member whose condition holds, else in the `else` member (or in none)."""

    name: str
    title: str | None
    meta: tuple[Meta, ...]
    rules: tuple[FamilyRule, ...]
    otherwise: FamilyRule | None
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class SplitGroup:
    name: str
    share: Number  # the percentage as written, without its `%`
    name_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class SplitDef:
    """`split NAME [salt "S"] [where C] { group P% ... }`, or `holdout NAME P%` (holdout: one
    group named like the split, salted with its own name)."""

    name: str
    salt: String | None
    where: Expr | None
    groups: tuple[SplitGroup, ...]
    holdout: bool = False
    name_span: Span = _span()
    span: Span = _span()


Definition = SegmentDef | TraitDef | ScoreDef | FamilyDef | SplitDef


@dataclass(frozen=True)
class File:
    path: str
    definitions: tuple[Definition, ...]
    # names of definitions dropped for a syntax error: the checker stays quiet about their
    # uses, so that one mistake gives one message
    broken: tuple[str, ...] = ()
