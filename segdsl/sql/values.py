"""Lowering IR values and conditions to sqlglot expressions (shared by every dialect).

Conditions always lower to never-NULL booleans: a leaf that can be NULL is wrapped in
COALESCE(..., FALSE), so NOT is the exact complement and SQL's three-valued logic never
reaches the user. Values keep NULL for "missing".
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import Dialect, _cast, _data_type, lit_date

DOUBLE = "double"
BIGINT = "bigint"
_CMP = {"=": exp.EQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
_FLIP = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_ARITH = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul}
_ZERO_WHEN_EMPTY = {"count", "count_distinct", "sum"}


def shift(d: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=amount)
    months = d.year * 12 + d.month - 1 + amount
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


_UTC = dt.timezone.utc


@functools.lru_cache(maxsize=4096)
def day_start(tz: str, day: dt.date) -> dt.datetime | None:
    """The instant (naive UTC) at which local date `day` begins in zone `tz`: every instant
    before it has an earlier local date and every instant from it on a later or equal one.
    None when no such instant exists: a clock set back across midnight near that day makes
    the local date go backwards, and then only a per-row conversion is exact.

    Local midnight that falls in a gap (clocks jump from 00:00 to 01:00) maps, with fold=0,
    through the offset before the jump, i.e. to the instant the day actually starts."""
    if tz == "UTC":
        return dt.datetime(day.year, day.month, day.day)
    zone = zoneinfo.ZoneInfo(tz)
    start = dt.datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(_UTC)

    def right_side(t: dt.datetime) -> bool:
        return (t.astimezone(zone).date() >= day) == (t >= start)

    # Outside +-50 h the local date is on the right side whatever the offset. Inside, check
    # every hour; within an hour of constant offset local time runs forward, so the answer
    # cannot flip back and forth; an hour in which the offset changes is checked by minute.
    hours = [start + dt.timedelta(hours=h) for h in range(-50, 51)]
    offsets = [t.astimezone(zone).utcoffset() for t in hours]
    if not all(right_side(t) for t in hours):
        return None
    for t, a, b in zip(hours, offsets, offsets[1:]):
        if a != b and not all(right_side(t + dt.timedelta(minutes=m)) for m in range(1, 60)):
            return None
    if right_side(start - dt.timedelta(microseconds=1)) is False:
        return None
    return start.replace(tzinfo=None)


def balanced(items: list, combine):
    """Combine many conditions as a balanced tree: long `and` chains stay shallow."""
    if len(items) == 1:
        return items[0]
    mid = len(items) // 2
    return combine(balanced(items[:mid], combine), balanced(items[mid:], combine))


def fresh(ref: exp.Expression) -> exp.Expression:
    """A new copy of a reference to a computed column (a tree node has one parent); a plain
    column is rebuilt, which is much cheaper than sqlglot's generic deep copy."""
    if isinstance(ref, exp.Column):
        return exp.column(ref.name, table=ref.table, quoted=True)
    if isinstance(ref, exp.Not) and isinstance(ref.this, exp.Is) and isinstance(ref.this.this, exp.Column):
        return exp.Not(this=exp.Is(this=fresh(ref.this.this), expression=exp.Null()))
    return ref.copy()


def count_true(cond: exp.Expression) -> exp.Expression:
    """How many rows `cond` is true for: a BIGINT, 0 over no rows. sqlglot's COUNT_IF
    (COUNTIF on BigQuery, SUM(CASE ...) on Postgres): over many columns at once, DuckDB runs
    it far faster than COUNT(CASE ...) or FILTER (1,000 columns of 1,000,000 rows: 0.8 s,
    against 4.4 s and 73 s)."""
    return exp.Coalesce(this=_cast(exp.CountIf(this=cond), _data_type(BIGINT)), expressions=[exp.Literal.number(0)])


def paren(e: exp.Expression) -> exp.Expression:
    # sqlglot's And/Or are Func subclasses too: test for operators first
    if isinstance(e, (exp.Connector, exp.Binary, exp.Not)):
        return exp.Paren(this=e)
    return e if isinstance(e, (exp.Column, exp.Literal, exp.Paren, exp.Func, exp.Boolean, exp.Cast)) else exp.Paren(this=e)


@dataclass(frozen=True)
class RowsExist:
    """A condition of the SQL planner only (segdsl.sql.plan.existence_form), never made by
    the checker: "the customer has a row counted by `agg`", for a count compared so that
    only whether it is 0 matters (`has R`, `did "E"`, `count(R) >= 1`). Lowered to the
    column its pass provides (a pass of keys only), else to the comparison of the count."""

    agg: ir.Agg


class Lowerer:
    """IR -> sqlglot for one query. `refs` maps aggregates and window nodes to the column
    that holds them; `entity_alias` and `relation_alias` name the tables in scope."""

    def __init__(self, dialect: Dialect, timezone: str, as_of: dt.date | None, refs=None,
                 entity_alias: str = "c", relation_alias: str = "r"):
        self.d = dialect
        self.tz = timezone
        self.as_of = as_of
        self.refs = refs or {}
        self.entity_alias = entity_alias
        self.relation_alias = relation_alias
        # In a WHERE, FILTER (WHERE ...) or CASE WHEN position NULL acts as FALSE, so the
        # leaves of and/or outside any `not` need no COALESCE guard (`where` sets this).
        self.loose = False

    # ---- values ----
    def value(self, v) -> exp.Expression:
        if self.loose:  # a condition used as a value must be TRUE or FALSE again
            return self._strict(lambda: self.value(v))
        return getattr(self, "v_" + type(v).__name__)(v)

    def _strict(self, build):
        saved, self.loose = self.loose, False
        try:
            return build()
        finally:
            self.loose = saved

    def v_Col(self, v):
        return exp.column(v.name, table=self.entity_alias, quoted=True)

    def v_RelCol(self, v):
        return exp.column(v.name, table=self.relation_alias, quoted=True)

    def v_Lit(self, v):
        x = v.value
        if isinstance(x, bool):
            return exp.true() if x else exp.false()
        if isinstance(x, (int, Decimal)):
            if x < 0:
                return exp.Neg(this=exp.Literal.number(str(-x)))
            return exp.Literal.number(str(x))
        if isinstance(x, dt.date):
            return lit_date(x)
        return exp.Literal.string(x)

    def v_Today(self, v):
        return lit_date(self.as_of) if self.as_of else self.d.current_date(self.tz)

    def v_ShiftDate(self, v):
        if self.as_of and isinstance(v.base, ir.Today):
            return lit_date(shift(self.as_of, v.amount, v.unit))
        if isinstance(v.base, ir.Lit):
            return lit_date(shift(v.base.value, v.amount, v.unit))
        return self.d.shift_date(self.value(v.base), v.amount, v.unit)

    def v_LocalDate(self, v):
        return self.d.local_date(self.value(v.value), self.tz)

    def v_Arith(self, v):
        left, right = self.value(v.left), self.value(v.right)
        if v.op == "/":
            num = _cast(left, _data_type(DOUBLE))
            den = exp.Nullif(this=_cast(right, _data_type(DOUBLE)), expression=exp.Literal.number(0))
            return exp.Div(this=num, expression=den)
        return _ARITH[v.op](this=paren(left), expression=paren(right))

    def v_Neg(self, v):
        return exp.Neg(this=paren(self.value(v.value)))

    def v_Func(self, v):
        args = [self.value(a) for a in v.args]
        name = v.name
        if name == "lower":
            return exp.Lower(this=args[0])
        if name == "upper":
            return exp.Upper(this=args[0])
        if name == "abs":
            return exp.Abs(this=args[0])
        if name == "coalesce":
            return exp.Coalesce(this=args[0], expressions=args[1:])
        if name == "round":
            return self.d.round(args[0], v.args[1].value)
        if name in ("year", "month"):
            part = exp.Extract(this=exp.Var(this=name.upper()), expression=args[0])
            return _cast(part, _data_type(BIGINT))
        if name == "days_since":
            return self.d.days_between(self.v_Today(ir.Today()), args[0])
        raise AssertionError(name)

    # references to computed columns are copied: a tree node has one parent
    def v_Agg(self, v):
        ref = fresh(self.refs[v])
        if v.function in _ZERO_WHEN_EMPTY:
            return exp.Coalesce(this=ref, expressions=[exp.Literal.number(0)])
        return ref

    def v_Percentile(self, v):
        return fresh(self.refs[v])

    def v_Bucket(self, v):
        return fresh(self.refs[v])

    def v_CondValue(self, v):
        return self.cond(v.cond)

    def v_ScoreValue(self, v):
        if not v.rules:
            return exp.Literal.number(0)
        terms = [exp.Case(ifs=[exp.If(this=self.cond(c), true=self.v_Lit(ir.Lit(p, v.type)))],
                          default=exp.Literal.number(0)) for c, p in v.rules]
        return balanced(terms, lambda a, b: exp.Add(this=a, expression=b))

    # ---- can a value be NULL? ----
    def nullable(self, v) -> bool:
        if isinstance(v, (ir.Lit, ir.Today, ir.CondValue, ir.ScoreValue)):
            return False
        if isinstance(v, ir.Agg):
            return v.function not in _ZERO_WHEN_EMPTY
        if isinstance(v, (ir.ShiftDate,)):
            return self.nullable(v.base)
        if isinstance(v, (ir.LocalDate, ir.Neg)):
            return self.nullable(v.value)
        if isinstance(v, ir.Arith):
            return v.op == "/" or self.nullable(v.left) or self.nullable(v.right)
        if isinstance(v, ir.Func):
            if v.name == "coalesce":
                return all(self.nullable(a) for a in v.args)
            return self.nullable(v.args[0])
        return True  # columns, percentile, bucket

    # ---- conditions (never NULL) ----
    def cond(self, c) -> exp.Expression:
        return getattr(self, "c_" + type(c).__name__)(c)

    def where(self, c) -> exp.Expression:
        """`c` for a WHERE, FILTER (WHERE ...) or CASE WHEN position, where a NULL result
        means the same as FALSE: only the leaves under a `not` keep their COALESCE guard, so
        plain comparisons stay visible to the engine's scan filters and zone maps."""
        saved, self.loose = self.loose, True
        try:
            return self.cond(c)
        finally:
            self.loose = saved

    def _guard(self, e, *values):
        if not self.loose and any(self.nullable(v) for v in values):
            return exp.Coalesce(this=e, expressions=[exp.false()])
        return e

    def c_Cmp(self, c):
        bound = self._local_date_bound(c)
        if bound is not None:
            return bound
        e = _CMP[c.op](this=paren(self.value(c.left)), expression=paren(self.value(c.right)))
        return self._guard(e, c.left, c.right)

    # ---- local dates of timestamps, compared on the raw timestamp ----
    def _local_date_bound(self, c):
        """`local date of ts <op> D` for a date D fixed for the whole query, as a comparison
        of ts itself with the instant D (or D + 1) starts in the project time zone: no
        per-row conversion, and a range the engine can use to skip row groups. None when
        that is not exactly equivalent (see day_start) or D is not fixed."""
        op, left, right = c.op, c.left, c.right
        if not isinstance(left, ir.LocalDate):
            op, left, right = _FLIP[op], right, left
        if not isinstance(left, ir.LocalDate) or isinstance(right, ir.LocalDate):
            return None
        starts = self._day_starts(right, (1,) if op in (">", "<=") else (0, 1) if op == "=" else (0,))
        if starts is None:
            return None
        ts = paren(self.value(left.value))
        if op == ">":
            e = exp.GTE(this=ts, expression=starts[1])
        elif op == ">=":
            e = exp.GTE(this=ts, expression=starts[0])
        elif op == "<":
            e = exp.LT(this=ts, expression=starts[0])
        elif op == "<=":
            e = exp.LT(this=ts, expression=starts[1])
        else:
            e = exp.and_(exp.GTE(this=ts, expression=starts[0]), exp.LT(this=ts.copy(), expression=starts[1]), copy=False)
        return self._guard(e, left.value)

    def _day_starts(self, date_value, offsets):
        """{k: the start of the local day `date_value` + k days} as timestamp expressions."""
        day = self._fixed_date(date_value)
        if day is not None:
            found = {k: day_start(self.tz, day + dt.timedelta(days=k)) for k in offsets}
            if any(v is None for v in found.values()):
                return None
            return {k: self.d.lit_timestamp(v) for k, v in found.items()}
        if self.tz != "UTC" or not _runtime_constant(date_value):
            return None  # other zones: the start of a day computed in SQL is not portable
        return {k: self.d.day_start_utc(self.value(_shift_days(date_value, k))) for k in offsets}

    def _fixed_date(self, v) -> dt.date | None:
        """The value of a date known when compiling (a literal, --as-of, or a shift of one)."""
        if isinstance(v, ir.Lit) and isinstance(v.value, dt.date) and not isinstance(v.value, dt.datetime):
            return v.value
        if isinstance(v, ir.Today):
            return self.as_of
        if isinstance(v, ir.ShiftDate):
            base = self._fixed_date(v.base)
            return None if base is None else shift(base, v.amount, v.unit)
        return None

    def c_InSet(self, c):
        value = self.value(c.value)
        if len(c.items) == 1:
            e = exp.EQ(this=paren(value), expression=self.value(c.items[0]))
        else:
            e = exp.In(this=paren(value), expressions=[self.value(i) for i in c.items])
        return self._guard(e, c.value)

    def c_IsSet(self, c):
        if c.value.type.kind == "list":
            size = exp.GT(this=self.d.list_size(self.value(c.value)), expression=exp.Literal.number(0))
            return size if self.loose else exp.Coalesce(this=size, expressions=[exp.false()])
        if not self.nullable(c.value):
            return exp.true()
        return exp.Not(this=exp.Is(this=paren(self.value(c.value)), expression=exp.Null()))

    def c_Text(self, c):
        text = exp.Lower(this=self.value(c.value))
        pattern = exp.Lower(this=exp.Literal.string(c.pattern))
        e = {"contains": self.d.contains, "starts_with": self.d.starts_with,
             "ends_with": self.d.ends_with}[c.kind](text, pattern)
        return self._guard(e, c.value)

    def c_ListHas(self, c):
        e = self.d.list_has(self.value(c.value), self.value(c.item))
        return e if self.loose else exp.Coalesce(this=e, expressions=[exp.false()])

    def c_Truthy(self, c):
        return self._guard(self.value(c.value), c.value)

    def c_Ranked(self, c):
        return fresh(self.refs[c])

    def c_InSnapshot(self, c):
        return fresh(self.refs[c])

    def c_RowsExist(self, c):
        ref = self.refs.get(c)
        return fresh(ref) if ref is not None else self.cond(ir.Cmp(">=", c.agg, ir.Lit(1, c.agg.type)))

    def c_SegmentRef(self, c):
        # in a batch query a referenced segment is a column computed once; alone, inline it
        ref = self.refs.get(c)
        return fresh(ref) if ref is not None else self.cond(c.cond)

    def c_And(self, c):
        return balanced([self.cond(i) for i in c.items], lambda a, b: exp.and_(a, b, copy=False))

    def c_Or(self, c):
        return balanced([self.cond(i) for i in c.items], lambda a, b: exp.or_(a, b, copy=False))

    def c_Not(self, c):
        item = self._strict(lambda: self.cond(c.item))
        if isinstance(item, exp.Not) and isinstance(item.this, exp.Is):
            return item.this  # `not (x is set)` for a key from a join: x IS NULL, never NULL
        return exp.Not(this=exp.Paren(this=item))

    def c_Const(self, c):
        return exp.true() if c.value else exp.false()


def _runtime_constant(v) -> bool:
    """A date fixed for the whole query but known only when it runs (today's date)."""
    if isinstance(v, ir.ShiftDate):
        return _runtime_constant(v.base)
    return isinstance(v, (ir.Today, ir.Lit))


def _shift_days(v, k: int):
    if k == 0:
        return v
    if isinstance(v, ir.ShiftDate) and v.unit == "day":
        return ir.ShiftDate(v.base, v.amount + k, "day") if v.amount + k else v.base
    return ir.ShiftDate(v, k, "day")
