"""The typed IR: what a checked segment means, independent of any SQL dialect.

A small closed set of values and conditions. Names are resolved (traits, scores and
segment references are inlined), every value has a type, windows are explicit date ranges
and `!=`, `not in`, `has none`, `did ... at most` are expressed with Not and the positive
forms. Conditions are two-valued by definition: every lowering must produce a never-NULL
boolean for them. Everything is frozen and hashable so equal sub-trees can be shared
(one aggregate computed once however often it is used).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

from segdsl.types import BOOLEAN, DATE, INTEGER, NUMBER, TIMESTAMP, Type

# ---- the closed vocabularies of node fields ---------------------------------------------------
# Plain strings at run time (code compares them with ==); Literal types so that mypy rejects a
# misspelt operator and a `match` over them can end in assert_never.

CmpOp = Literal["=", "<", "<=", ">", ">="]
ArithOp = Literal["+", "-", "*", "/"]
ScalarFunction = Literal["lower", "upper", "abs", "round", "coalesce", "year", "month", "days_since",
                         "years_since", "days_between", "weekday", "hour"]
# count_days: distinct local dates of the column; count_weeks / count_months: distinct periods
# of one unit ending today ((today - (i+1) unit, today - i unit]) holding the column's date
AggFunction = Literal["count", "count_distinct", "sum", "avg", "min", "max", "first", "last",
                      "count_days", "count_weeks", "count_months"]
Unit = Literal["day", "month"]
# calendar periods a date is truncated to (weeks from Monday; other week starts and fiscal
# periods are shifts around these, see segdsl/check/calendar.py)
PeriodUnit = Literal["week", "month", "quarter", "year"]
TextKind = Literal["contains", "starts_with", "ends_with"]
Direction = Literal["top", "bottom"]
LitValue = int | Decimal | str | bool | dt.date

# The same vocabularies as tuples, for membership tests and messages (one place for each list).
CMP_OPS: tuple[CmpOp, ...] = get_args(CmpOp)
ARITH_OPS: tuple[ArithOp, ...] = get_args(ArithOp)
SCALAR_FUNCTIONS: tuple[ScalarFunction, ...] = get_args(ScalarFunction)
AGG_FUNCTIONS: tuple[AggFunction, ...] = get_args(AggFunction)
UNITS: tuple[Unit, ...] = get_args(Unit)
PERIOD_UNITS: tuple[PeriodUnit, ...] = get_args(PeriodUnit)
TEXT_KINDS: tuple[TextKind, ...] = get_args(TextKind)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)

# ---- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column of the entity table."""

    name: str
    type: Type


@dataclass(frozen=True)
class RelCol:
    """A column of a relation's table (only inside that relation's aggregates)."""

    relation: str
    name: str
    type: Type


@dataclass(frozen=True)
class Lit:
    value: LitValue
    type: Type


@dataclass(frozen=True)
class Today:
    """The reference date: --as-of, or the current date in the project time zone."""

    type: Type = DATE


@dataclass(frozen=True)
class Now:
    """The reference instant: relation rows timed at or after it are not seen, except through
    windows that reach past it (segdsl/check/now.py). `at` is the instant as naive UTC once
    the query's reference is known (segdsl.sql.query binds it: a date as-of D gives the start
    of D + 1 in the project zone, an instant as-of that instant); None is the warehouse's
    current instant."""

    at: dt.datetime | None = None
    type: Type = TIMESTAMP


@dataclass(frozen=True)
class ShiftDate:
    """`base` moved by `amount` days or months (months clamp to the month's last day)."""

    base: Value
    amount: int
    unit: Unit
    type: Type = DATE


@dataclass(frozen=True)
class StartOf:
    """The first day of the calendar week (Monday), month, quarter or year that contains the
    date `value`."""

    value: Value
    unit: PeriodUnit
    type: Type = DATE


@dataclass(frozen=True)
class LocalDate:
    """The date of a timestamp in the project time zone."""

    value: Value
    type: Type = DATE


@dataclass(frozen=True)
class Arith:
    op: ArithOp  # / is float division; by zero gives missing
    left: Value
    right: Value
    type: Type


@dataclass(frozen=True)
class Neg:
    value: Value
    type: Type


@dataclass(frozen=True)
class Func:
    """A scalar function: lower upper abs round coalesce year month days_since; years_since
    (completed years from a date to today), days_between(a, b) (date b - date a in days),
    weekday (1 = Monday .. 7 = Sunday of a date) and hour (0-23 of a timestamp in the project
    time zone)."""

    name: ScalarFunction
    args: tuple[Value, ...]
    type: Type


@dataclass(frozen=True)
class Agg:
    """An aggregate of a relation per customer. `count`, `count_distinct` and `sum` are 0
    over no rows; the others are missing. `filter` already contains any time window."""

    function: AggFunction
    relation: str
    column: RelCol | None
    filter: Cond | None
    type: Type


@dataclass(frozen=True)
class Percentile:
    """`per`: the group value; each group of customers with the same one is ranked apart and
    a customer whose group is missing is not ranked (so are all windows with a `per`)."""

    value: Value
    type: Type = NUMBER
    per: Value | None = None


@dataclass(frozen=True)
class Bucket:
    value: Value
    buckets: int
    type: Type = INTEGER
    per: Value | None = None


@dataclass(frozen=True)
class CondValue:
    """A condition used as a boolean value (e.g. a boolean trait). Never missing."""

    cond: Cond
    type: Type = BOOLEAN


@dataclass(frozen=True)
class ScoreValue:
    """Sum of the points of the rules whose condition holds; 0 when none does."""

    rules: tuple[tuple[Cond, Decimal], ...]
    type: Type


@dataclass(frozen=True)
class FamilyValue:
    """A family as a text value: the name of the first member whose condition holds, else
    `otherwise` (missing when the family has no `else`). One CASE in SQL."""

    family: str
    rules: tuple[tuple[Cond, str], ...]
    otherwise: str | None
    type: Type


@dataclass(frozen=True)
class HashBucket:
    """A split's bucket of the key, 0..9999: the first 15 hex digits of the md5 of the UTF-8
    text `segdsl|<split>|<salt>|<key as text>` read as an integer, mod 10000 (an integer key
    in plain decimal). Missing when the key is."""

    split: str
    salt: str
    key: Value
    type: Type = INTEGER


@dataclass(frozen=True)
class FirstMatch:
    """The label of the first rule whose condition holds (a split's group); missing when
    none does."""

    rules: tuple[tuple[Cond, str], ...]
    type: Type


Value = (Col | RelCol | Lit | Today | Now | ShiftDate | StartOf | LocalDate | Arith | Neg | Func | Agg
         | Percentile | Bucket | CondValue | ScoreValue | FamilyValue | HashBucket | FirstMatch)

# ---- conditions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cmp:
    op: CmpOp
    left: Value
    right: Value


@dataclass(frozen=True)
class InSet:
    value: Value
    items: tuple[Lit, ...]


@dataclass(frozen=True)
class IsSet:
    """The value is not missing; for a list: it has at least one element."""

    value: Value


@dataclass(frozen=True)
class Text:
    kind: TextKind  # case-insensitive, the pattern taken literally
    value: Value
    pattern: str


@dataclass(frozen=True)
class ListHas:
    value: Value
    item: Lit


@dataclass(frozen=True)
class Truthy:
    """A boolean value that is true (missing counts as false)."""

    value: Value


@dataclass(frozen=True)
class Ranked:
    """The customer is among the first `limit` (or `percent`%) by `value`, from the top or the
    bottom; ties broken by the entity key ascending; customers with a missing value never."""

    direction: Direction
    value: Value
    limit: int | None
    percent: Decimal | None
    per: Value | None = None


@dataclass(frozen=True)
class SegmentRef:
    """`in segment name`: the referenced segment's condition, kept with its name so that a
    batch query computes it once and reuses the column."""

    name: str
    cond: Cond


@dataclass(frozen=True)
class InSnapshot:
    """Member of the latest stored snapshot of segment `name` taken for a date on or before
    `at` (a static list); nobody when there is no such snapshot."""

    name: str
    at: Value


@dataclass(frozen=True)
class Anniversary:
    """A day from `start` to `end` (dates, both included) has the month and day of the date
    `value`, in any year; a 29 February falls on 1 March in years that are not leap years.
    False when `value` is missing."""

    value: Value
    start: Value
    end: Value


@dataclass(frozen=True)
class Sequence:
    """`did "A" ... then "B" ... [then not "C" ...]` on one relation (LANGUAGE.md, Sequences).

    Step i reads the relation's rows that match `rows[i]`: its event, its `where`, and the
    rows the now rule lets it see (segdsl/check/now.py: for the first step its window, for
    the others the rows before now). Step i >= 1 follows a row of step i - 1
    at a time t[i - 1] <= t[i] <= t[i - 1] + `within[i]` seconds (None: any later time), with
    `same[i]` columns equal to that row's (a missing value equals nothing) and, when
    `later[i]`, strictly after it (the same event: another row). `negated`: the last step is
    `then not`, decided on the latest row of the step before it; its wait must be over by
    `now` (an `ir.Now`, bound to the reference like every other). `within[0]`, `same[0]` and
    `later[0]` are unused (None, (), False)."""

    relation: str
    time: RelCol
    events: tuple[str, ...]
    rows: tuple[Cond, ...]
    within: tuple[int | None, ...]
    same: tuple[tuple[RelCol, ...], ...]
    later: tuple[bool, ...]
    negated: bool
    now: Value


@dataclass(frozen=True)
class And:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class Not:
    item: Cond


@dataclass(frozen=True)
class Const:
    value: bool


Cond = (Cmp | InSet | IsSet | Text | ListHas | Truthy | Ranked | SegmentRef | InSnapshot | And | Or
        | Not | Const | Anniversary | Sequence)


def lit_int(n: int) -> Lit:
    return Lit(n, INTEGER)


def and_(*items: Cond) -> Cond:
    flat: list[Cond] = []
    for item in items:
        flat.extend(item.items if isinstance(item, And) else (item,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def not_(item: Cond) -> Cond:
    return item.item if isinstance(item, Not) else Not(item)


Node = Value | Cond


def children(node: Node) -> tuple[Node, ...]:
    """The IR nodes directly inside `node` (for walks that collect aggregates, windows...).

    Generic over the dataclass fields, so it also serves nodes the SQL planner adds to the IR
    (they are dataclasses holding IR nodes too); types and literals' values are not nodes."""
    out: list[Node] = []
    for name in _fields(type(node)):
        v = getattr(node, name)
        if type(v) is tuple:
            for x in v:
                if type(x) is tuple:  # ScoreValue/FirstMatch rules: (condition, x) pairs
                    out.extend(y for y in x if _is_node(y))
                elif _is_node(x):
                    out.append(x)
        elif _is_node(v):
            out.append(v)
    return tuple(out)


_FIELDS: dict[type, tuple[str, ...]] = {}
_NODE_CLASSES: dict[type, bool] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    return names


def _is_node(x: object) -> bool:
    cls = type(x)
    known = _NODE_CLASSES.get(cls)
    if known is None:
        known = _NODE_CLASSES[cls] = hasattr(cls, "__dataclass_fields__") and not issubclass(cls, Type)
    return known


def walk(node: Node) -> Iterator[Node]:
    """All nodes below and including `node`, parents before children, without recursion."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))
