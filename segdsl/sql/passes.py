"""Relation passes, passes of keys, pick passes and snapshot reads of a plan, as CTEs.

A relation pass computes every aggregate the query needs from one relation, grouped by the
customer key (`COUNT(*) FILTER (WHERE ...)`, ...); its WHERE keeps only the rows some
aggregate uses (segdsl.plan.rewrites.shared_filters), so engines can push it into the scan.
first/last pick one row: a pick pass joined to the relation pass on (key, time), or, where
the engine may compute a CTE twice, rows numbered inside the pass (a sort of the relation).
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.sql.dialects import Dialect, _cast, _data_type
from segdsl.sql.naming import ENTITY, KEY, ROWS, col, cte, ident, table
from segdsl.sql.lifecycle import LIFECYCLE_COUNTS, period_key
from segdsl.sql.values import DOUBLE, Lowerer, balanced, column_ref


def relation_pass(step: pn.RelationPass, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    """SELECT key, <every aggregate> FROM the relation [WHERE ...] GROUP BY key."""
    low = Lowerer(d, tz, as_of, None, ENTITY, ROWS)
    columns: list[exp.Expr] = [exp.alias_(col(step.key, ROWS), KEY, quoted=True, copy=False)]
    numbered = [a for a in step.aggregates if a.numbered is not None]
    for a in step.aggregates:
        expr = _pick(a, low, d) if a.numbered is not None else _aggregate(a.agg, a.residual, low, d)
        columns.append(exp.alias_(expr, a.alias, quoted=True, copy=False))
    source: exp.Expr = table(step.table, ROWS)
    where = step.where
    if numbered:
        # rows that the WHERE drops match no pick's filter: numbering without them gives
        # the same row 1 in every matching partition, and sorts fewer rows
        rows = Lowerer(d, tz, as_of, None, ENTITY, step.table)
        inner = exp.select(*([exp.Column(this=exp.Star(), table=ident(step.table))] +
                             [exp.alias_(_row_number(a, step, rows), a.numbered or "", quoted=True, copy=False)
                              for a in numbered]), copy=False) \
            .from_(exp.Table(this=ident(step.table)), copy=False)
        inner = _join_customer(inner, step.customer, step.table, step.key)
        if where is not None:
            inner = inner.where(rows.where(where), copy=False)
        source = exp.Subquery(this=inner, alias=exp.TableAlias(this=ident(ROWS)))
        where = None
    select = exp.select(*columns, copy=False).from_(source, copy=False)
    select = _join_customer(select, step.customer, ROWS, step.key)
    if where is not None:
        select = select.where(low.where(where), copy=False)
    return cte(step.name, select.group_by(col(step.key, ROWS), copy=False))


def key_pass(step: pn.KeyPass, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    """SELECT key FROM the relation WHERE <the count's filter> GROUP BY key."""
    low = Lowerer(d, tz, as_of, None, ENTITY, ROWS)
    select = exp.select(exp.alias_(col(step.key, ROWS), KEY, quoted=True, copy=False), copy=False) \
        .from_(table(step.table, ROWS), copy=False)
    select = _join_customer(select, step.customer, ROWS, step.key)
    if step.filter is not None:
        select = select.where(low.where(step.filter), copy=False)
    return cte(step.name, select.group_by(col(step.key, ROWS), copy=False))


def pick_pass(step: pn.PickPass, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    """SELECT key, MAX(value) FILTER (WHERE <filter> AND time = latest) AS p1, ...
    FROM the relation JOIN the relation pass ON key [AND time = latest] GROUP BY key.

    Of the rows at the earliest/latest time, `last` takes the greatest value and `first`
    the smallest, a missing value losing the tie: exactly MAX/MIN over those rows. The
    join keeps only rows at a pick time, so this pass aggregates few rows; it is a hash
    join of the relation with one row per customer (no sort of the relation)."""
    low = Lowerer(d, tz, as_of, None, ENTITY, ROWS)

    def at(p: pn.Pick) -> exp.Expr:
        return exp.EQ(this=col(step.time, ROWS), expression=column_ref(p.time))

    on: exp.Expr = exp.EQ(this=col(KEY, step.base), expression=col(step.key, ROWS))
    if step.one_time:  # an equi-join on (key, time)
        on = exp.and_(on, at(step.picks[0]), copy=False)

    def kept(p: pn.Pick) -> exp.Expr | None:
        if step.one_time:
            return low.where(p.residual) if p.residual is not None else None
        return at(p) if p.residual is None else exp.and_(low.where(p.residual), at(p), copy=False)

    columns: list[exp.Expr] = [exp.alias_(col(step.key, ROWS), KEY, quoted=True, copy=False)]
    for p in step.picks:
        assert p.agg.column is not None
        value = d.extreme(low.value(p.agg.column), p.agg.function == "last", p.agg.type.kind == "boolean")
        columns.append(exp.alias_(_filtered(value, kept(p)), p.alias, quoted=True, copy=False))
    select = exp.select(*columns, copy=False).from_(table(step.table, ROWS), copy=False) \
        .join(exp.Join(this=exp.Table(this=ident(step.base)), on=on), copy=False)
    select = _join_customer(select, step.customer, ROWS, step.key)
    conditions = [low.where(step.where)] if step.where is not None else []
    if not step.one_time:
        # rows at one of the pick times (each with its own filter); picks at the same time
        # with the same filter keep the same rows: one alternative for them all
        first = {(p.time, p.residual): p for p in reversed(step.picks)}
        alternatives = [first[k] for k in dict.fromkeys((p.time, p.residual) for p in step.picks)]
        found = [e for p in alternatives if (e := kept(p)) is not None]
        conditions.append(balanced(found, lambda x, y: exp.or_(x, y, copy=False)))
    if conditions:
        select = select.where(balanced(conditions, lambda x, y: exp.and_(x, y, copy=False)), copy=False)
    return cte(step.name, select.group_by(col(step.key, ROWS), copy=False))


def snapshot_read(step: pn.SnapshotRead, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    """The members of the latest snapshot of the segment taken for a date <= `at`."""
    low = Lowerer(d, tz, as_of)
    segment = exp.Literal.string(step.segment)
    latest = exp.select(exp.Max(this=col("snapshot_id", "t")), copy=False).from_(table(step.table, "t"), copy=False).where(
        exp.and_(exp.EQ(this=col("segment", "t"), expression=segment.copy()),
                 exp.LTE(this=col("as_of", "t"), expression=low.value(step.at)), copy=False), copy=False)
    members = exp.select(exp.alias_(col("member_key", "s"), KEY, quoted=True, copy=False), copy=False) \
        .from_(table(step.table, "s"), copy=False).where(
            exp.and_(exp.EQ(this=col("segment", "s"), expression=segment),
                     exp.EQ(this=col("snapshot_id", "s"), expression=exp.Subquery(this=latest)), copy=False), copy=False)
    return cte(step.name, members)


def _join_customer(select: exp.Select, customer: tuple[str, str] | None, rows: str, key: str) -> exp.Select:
    """Join the entity table (alias c) to the relation's rows, for filters that read the
    customer's own values; an inner join, as a row of no customer belongs to no member."""
    if customer is None:
        return select
    entity_table, entity_key = customer
    on = exp.EQ(this=col(entity_key, ENTITY), expression=col(key, rows))
    return select.join(exp.Join(this=table(entity_table, ENTITY), on=on), copy=False)


def _filtered(agg_expr: exp.Expr, flt: exp.Expr | None) -> exp.Expr:
    return agg_expr if flt is None else exp.Filter(this=agg_expr, expression=exp.Where(this=flt))


def _aggregate(agg: ir.Agg, flt_ir: pn.Cond | None, low: Lowerer, d: Dialect) -> exp.Expr:
    fn = agg.function
    if fn in LIFECYCLE_COUNTS:  # distinct days or periods: a distinct count of a row key
        column: exp.Expr | None = period_key(agg, low)
        fn = "count_distinct"
    else:
        column = low.value(agg.column) if agg.column is not None else None
    flt = low.where(flt_ir) if flt_ir is not None else None
    if d.capabilities.aggregate_filter or flt is None:
        if fn == "count":
            e: exp.Expr = exp.Count(this=exp.Star() if column is None else column)
        elif fn == "count_distinct":
            e = exp.Count(this=exp.Distinct(expressions=[column]))
        elif fn == "sum":
            e = exp.Sum(this=column)
        elif fn == "avg":
            assert column is not None
            e = exp.Avg(this=_cast(column, _data_type(DOUBLE)))
        else:
            e = (exp.Min if fn == "min" else exp.Max)(this=column)
        return _filtered(e, flt)

    def when(value: exp.Expr | None) -> exp.Expr:
        return exp.Case(ifs=[exp.If(this=flt, true=value)])

    if fn == "count":
        return exp.Count(this=when(exp.Literal.number(1) if column is None else column))
    if fn == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[when(column)]))
    if fn == "sum":
        return exp.Sum(this=when(column))
    if fn == "avg":
        return exp.Avg(this=_cast(when(column), _data_type(DOUBLE)))
    return (exp.Min if fn == "min" else exp.Max)(this=when(column))


def _row_number(a: pn.Aggregate, step: pn.RelationPass, rows: Lowerer) -> exp.Expr:
    # Rows are numbered inside (customer, matches the filter); row 1 of the matching
    # partition is the earliest/latest row, ties broken by the value (missing last).
    assert a.agg.column is not None and a.filter is not None and step.time is not None
    desc = a.agg.function == "last"
    order = exp.Order(expressions=[
        exp.Ordered(this=col(step.time, step.table), desc=desc, nulls_first=False),
        exp.Ordered(this=rows.value(a.agg.column), desc=desc, nulls_first=False)])
    partition = [col(step.key, step.table), rows.cond(a.filter)]
    return exp.Window(this=exp.RowNumber(), partition_by=partition, order=order)


def _pick(a: pn.Aggregate, low: Lowerer, d: Dialect) -> exp.Expr:
    assert a.agg.column is not None and a.filter is not None and a.numbered is not None
    chosen = exp.and_(low.cond(a.filter), exp.EQ(this=col(a.numbered, ROWS), expression=exp.Literal.number(1)), copy=False)
    value = exp.Case(ifs=[exp.If(this=chosen, true=low.value(a.agg.column))])
    return d.pick(value, a.agg.type.kind == "boolean")
