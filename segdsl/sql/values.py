"""Lowering IR values and conditions to sqlglot expressions (shared by every dialect).

Conditions always lower to never-NULL booleans: a leaf that can be NULL is wrapped in
COALESCE(..., FALSE), so NOT is the exact complement and SQL's three-valued logic never
reaches the user. Values keep NULL for "missing".
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import Dialect, lit_date

DOUBLE = "double"
BIGINT = "bigint"
_CMP = {"=": exp.EQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
_ARITH = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul}
_ZERO_WHEN_EMPTY = {"count", "count_distinct", "sum"}


def shift(d: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=amount)
    months = d.year * 12 + d.month - 1 + amount
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def balanced(items: list, combine):
    """Combine many conditions as a balanced tree: long `and` chains stay shallow."""
    if len(items) == 1:
        return items[0]
    mid = len(items) // 2
    return combine(balanced(items[:mid], combine), balanced(items[mid:], combine))


def paren(e: exp.Expression) -> exp.Expression:
    # sqlglot's And/Or are Func subclasses too: test for operators first
    if isinstance(e, (exp.Connector, exp.Binary, exp.Not)):
        return exp.Paren(this=e)
    return e if isinstance(e, (exp.Column, exp.Literal, exp.Paren, exp.Func, exp.Boolean, exp.Cast)) else exp.Paren(this=e)


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

    # ---- values ----
    def value(self, v) -> exp.Expression:
        return getattr(self, "v_" + type(v).__name__)(v)

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
            num = exp.cast(left, exp.DataType.build(DOUBLE))
            den = exp.Nullif(this=exp.cast(right, exp.DataType.build(DOUBLE)), expression=exp.Literal.number(0))
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
            return exp.cast(part, exp.DataType.build(BIGINT))
        if name == "days_since":
            return self.d.days_between(self.v_Today(ir.Today()), args[0])
        raise AssertionError(name)

    def v_Agg(self, v):
        ref = self.refs[v]
        if v.function in _ZERO_WHEN_EMPTY:
            return exp.Coalesce(this=ref, expressions=[exp.Literal.number(0)])
        return ref

    def v_Percentile(self, v):
        return self.refs[v]

    def v_Bucket(self, v):
        return self.refs[v]

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

    def _guard(self, e, *values):
        if any(self.nullable(v) for v in values):
            return exp.Coalesce(this=e, expressions=[exp.false()])
        return e

    def c_Cmp(self, c):
        e = _CMP[c.op](this=paren(self.value(c.left)), expression=paren(self.value(c.right)))
        return self._guard(e, c.left, c.right)

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
            return exp.Coalesce(this=size, expressions=[exp.false()])
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
        return exp.Coalesce(this=e, expressions=[exp.false()])

    def c_Truthy(self, c):
        return self._guard(self.value(c.value), c.value)

    def c_Ranked(self, c):
        return self.refs[c]

    def c_InSnapshot(self, c):
        return self.refs[c]

    def c_SegmentRef(self, c):
        # in a batch query a referenced segment is a column computed once; alone, inline it
        return self.refs.get(c) or self.cond(c.cond)

    def c_And(self, c):
        return balanced([self.cond(i) for i in c.items], lambda a, b: exp.and_(a, b, copy=False))

    def c_Or(self, c):
        return balanced([self.cond(i) for i in c.items], lambda a, b: exp.or_(a, b, copy=False))

    def c_Not(self, c):
        return exp.Not(this=exp.Paren(this=self.cond(c.item)))

    def c_Const(self, c):
        return exp.true() if c.value else exp.false()
