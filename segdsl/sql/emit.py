"""Plan -> sqlglot tree: each step one CTE, then the final select. No state beyond the
arguments: the plan says what to compute and where every computed value is read, the
dialect how the engine writes it.

Shape (each part only when the plan has it):

    WITH "__orders" AS (            -- a relation pass: every aggregate of one relation
           SELECT key AS "__key", COUNT(*) FILTER (WHERE ...) AS "a1", ...
           FROM orders AS r WHERE <rows some aggregate uses> GROUP BY key),
         "__orders:picks" AS (...), -- first/last: the value at the time the pass found
         "__rank1" AS (             -- ranking level 1, narrow: key and windows
           SELECT c.key, ROW_NUMBER() OVER (...) ... AS "__w1"
           FROM customers AS c LEFT JOIN <the passes the rankings read>),
         "__rank2" AS (SELECT r.*, <windows over level 1> FROM "__rank1" AS r)
    SELECT c.key FROM customers AS c [INNER|LEFT] JOIN "__orders" ... JOIN "__rank2" AS r
    WHERE <condition> ORDER BY c.key
"""

from __future__ import annotations

import datetime as dt
from typing import assert_never

from sqlglot import exp

from segdsl.plan import nodes as pn
from segdsl.sql.dialects import Dialect
from segdsl.sql.naming import ENTITY, RANK, col, cte, ident, table
from segdsl.sql.passes import key_pass, pick_pass, relation_pass, snapshot_read
from segdsl.sql.sequences import sequence_pass
from segdsl.sql.values import Lowerer, column_ref
from segdsl.sql.windows import join_on_key, rank_level


def emit(plan: pn.Plan, d: Dialect, tz: str, as_of: dt.date | None) -> exp.Select:
    ctes = [_step(s, plan.entity_key, d, tz, as_of) for s in plan.steps]
    final = plan.select
    low = Lowerer(d, tz, as_of, dict(final.scope), exists={e.test: e for e in final.exists})
    columns: list[exp.Expr] = [column_ref(final.key)]
    for out in final.outputs:
        if out.cond is not None:
            columns.append(exp.alias_(low.cond(out.cond), out.name, quoted=True, copy=False))
        elif out.value is not None:
            columns.append(exp.alias_(low.value(out.value), out.name, quoted=True, copy=False))
    select = _select(columns, final.source, plan.entity_key)
    if final.where is not None:
        select = select.where(low.where(final.where), copy=False)
    if ctes:
        select.set("with_", exp.With(expressions=ctes))
    if final.ordered:
        select = select.order_by(column_ref(final.key), copy=False)
    return select


def _step(step: pn.Step, entity_key: str, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    match step:
        case pn.RelationPass():
            return relation_pass(step, d, tz, as_of)
        case pn.KeyPass():
            return key_pass(step, d, tz, as_of)
        case pn.PickPass():
            return pick_pass(step, d, tz, as_of)
        case pn.SnapshotRead():
            return snapshot_read(step, d, tz, as_of)
        case pn.SequencePass():
            return sequence_pass(step, d, tz, as_of)
        case pn.RankLevel():
            return rank_level(step, d, tz, as_of)
        case pn.SegmentLevel():
            return _segment_level(step, entity_key, d, tz, as_of)
        case _:
            assert_never(step)


def _segment_level(step: pn.SegmentLevel, entity_key: str, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    """The first level carries the key, the entity columns in use and every computed column
    later levels and the final select read; a later one all of the previous level."""
    low = Lowerer(d, tz, as_of, dict(step.scope))
    segments = [exp.alias_(low.cond(cond), alias, quoted=True, copy=False) for alias, _, cond in step.segments]
    if step.first:
        assert step.key is not None
        carried: list[exp.Expr] = [column_ref(step.key)] + [col(c, ENTITY) for c in step.columns] + \
            [exp.alias_(column_ref(c.ref), c.name, quoted=True, copy=False) for c in step.carried]
    else:
        carried = [exp.Column(this=exp.Star(), table=ident(ENTITY))]
    return cte(step.name, _select(carried + segments, step.source, entity_key))


def _select(columns: list[exp.Expr], source: pn.Source, entity_key: str) -> exp.Select:
    """SELECT columns FROM the last segment level (alias c), the last ranking level alone
    (alias r), or the entity (alias c) with its joins and the last ranking level."""
    match source:
        case pn.FromLevel():
            return exp.select(*columns, copy=False).from_(table(source.step, ENTITY), copy=False)
        case pn.FromRank():
            return exp.select(*columns, copy=False).from_(table(source.step, RANK), copy=False)
        case pn.FromEntity():
            select = exp.select(*columns, copy=False).from_(table(source.table, ENTITY), copy=False)
            for j in source.joins:
                select = select.join(join_on_key(j, entity_key), copy=False)
            if source.rank is not None:
                on = exp.EQ(this=col(entity_key, RANK), expression=col(entity_key, ENTITY))
                select = select.join(exp.Join(this=table(source.rank, RANK), on=on), copy=False)
            return select
        case _:
            assert_never(source)
