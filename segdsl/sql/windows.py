"""Ranking levels of a plan (`top`, `bottom`, `percentile`, `bucket`): window functions over
every customer, or each group of customers with `per` (PARTITION BY the group value).
Customers with a missing value or group are ranked apart (partitioned by IS NULL) and never
selected; ties are broken by the key; `top P%` is exact integer arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlglot import exp

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.sql.dialects import Dialect, _cast, _data_type
from segdsl.sql.naming import ENTITY, RANK, ROWS, col, cte, ident, table
from segdsl.sql.values import DOUBLE, Lowerer, column_ref


def rank_level(step: pn.RankLevel, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    """The first level reads the entity, the joins of the passes its rankings read, and
    carries what later levels read; a later one reads the previous level (alias r)."""
    source = ENTITY if step.previous is None else RANK  # where this level reads values
    low = Lowerer(d, tz, as_of, dict(step.scope), source, ROWS)
    windows = [exp.alias_(window(w, low, step.key, source), alias, quoted=True, copy=False)
               for alias, w in step.windows]
    if step.previous is None:
        carried = [col(step.key, ENTITY)] + [col(c, ENTITY) for c in step.columns] + \
            [exp.alias_(column_ref(c.ref), c.name, quoted=True, copy=False) for c in step.carried]
        select = exp.select(*carried, *windows, copy=False).from_(table(step.entity, ENTITY), copy=False)
        for j in step.joins:
            select = select.join(join_on_key(j, step.key), copy=False)
    else:
        select = exp.select(exp.Column(this=exp.Star(), table=ident(RANK)), *windows, copy=False) \
            .from_(table(step.previous, RANK), copy=False)
    return cte(step.name, select)


def join_on_key(j: pn.Join, entity_key: str) -> exp.Join:
    on = exp.EQ(this=col("__key", j.step), expression=col(entity_key, ENTITY))
    join = exp.Join(this=exp.Table(this=ident(j.step)), kind="LEFT", on=on)
    if j.inner:
        join.set("kind", None)
    return join


def window(w: pn.Window, low: Lowerer, key: str, source: str) -> exp.Expr:
    # the value is lowered afresh wherever it appears (cheaper than copying a tree)
    nullable = low.nullable(w.value)
    desc = isinstance(w, ir.Ranked) and w.direction == "top"
    per = w.per

    def value() -> exp.Expr:
        return low.value(w.value)

    def is_null() -> exp.Expr:
        return exp.Is(this=value(), expression=exp.Null())

    def groups() -> list[exp.Expr]:
        # `per`: each group is ranked apart (a missing group is a group of its own, never selected)
        return [low.value(per)] if per is not None else []

    def missing() -> list[exp.Expr]:
        """The reasons a customer is not ranked: a missing value, a missing group."""
        out = [is_null()] if nullable else []
        if per is not None and low.nullable(per):
            out.append(exp.Is(this=low.value(per), expression=exp.Null()))
        return out

    def over(fn: exp.Expr) -> exp.Expr:
        spec: dict[str, object] = {"this": fn}
        partition = groups() + ([is_null()] if nullable else [])
        if partition:
            spec["partition_by"] = partition
        spec["order"] = exp.Order(expressions=[exp.Ordered(this=value(), desc=desc, nulls_first=False),
                                               exp.Ordered(this=col(key, source), desc=False, nulls_first=False)])
        return exp.Window(**spec)

    def n() -> exp.Expr:
        spec: dict[str, object] = {"this": exp.Count(this=value())}
        if per is not None:
            spec["partition_by"] = groups()
        return low.d.window_integer(exp.Window(**spec))

    def unranked() -> exp.Expr:
        found = missing()
        return found[0] if len(found) == 1 else exp.or_(*found, copy=False)

    row = low.d.window_integer(over(exp.RowNumber()))
    if isinstance(w, ir.Bucket):
        ntile = over(exp.Ntile(this=exp.Literal.number(w.buckets)))
        return exp.Case(ifs=[exp.If(this=unranked(), true=exp.Null())], default=ntile) if missing() else ntile
    if isinstance(w, ir.Percentile):
        share = exp.Div(
            this=_cast(exp.Mul(this=exp.Literal.number(100), expression=exp.Paren(
                this=exp.Sub(this=row, expression=exp.Literal.number(1)))), _data_type(DOUBLE)),
            expression=_cast(exp.Sub(this=n(), expression=exp.Literal.number(1)), _data_type(DOUBLE)))
        ifs = [exp.If(this=exp.EQ(this=n(), expression=exp.Literal.number(1)),
                      true=_cast(exp.Literal.number(100), _data_type(DOUBLE)))]
        if missing():
            ifs.insert(0, exp.If(this=unranked(), true=exp.Null()))
        return exp.Case(ifs=ifs, default=share)
    # Ranked: the first `limit` rows, or the first ceil(n * P / 100): with P = a / 10^k,
    # row r is in when (r - 1) * 100 * 10^k < n * a (exact integer arithmetic).
    inside: exp.Expr
    if w.limit is not None:
        inside = exp.LTE(this=row, expression=exp.Literal.number(w.limit))
    else:
        assert w.percent is not None
        a, scale = _ratio(w.percent)
        inside = exp.LT(this=exp.Mul(this=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1))),
                                     expression=exp.Literal.number(100 * scale)),
                        expression=exp.Mul(this=n(), expression=exp.Literal.number(a)))
    if missing():
        inside = exp.and_(*(exp.Not(this=m) for m in missing()), inside, copy=False)
    return inside


def _ratio(percent: Decimal) -> tuple[int, int]:
    scale = 1
    while percent * scale != (percent * scale).to_integral_value():
        scale *= 10
    return int(percent * scale), scale
