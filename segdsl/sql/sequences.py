"""A sequence pass as a CTE: the keys of the customers for whom `did "A" ... then ...` holds.

Each step's rows are filtered first (its event, its `where`, and the rows the now rule lets
it see: the first step's window, else a time before now), so every join reads only the rows
of one event. Steps are then chained by
range joins on (key, time): the rows of step i that follow some reached row of step i - 1
within its `within` (and `with same` columns), kept once each (DISTINCT), so a chain never
grows beyond the rows of one step.

    SELECT a.key FROM <reached rows of step n-2> AS a JOIN <rows of step n-1> AS b
      ON b.key = a.key AND a.t <= b.t AND b.t <= a.t + D [AND b.col = a.col] GROUP BY a.key

`then not` is decided on the latest reached row of the step before it, the wait over
(a.t + D <= now, the sequence's `ir.Now`; on a date column, a.t + D <= the local date of now),
and no B row following it: the latest time is (key, MAX(t)) per customer, and "no B" an anti
join (LEFT JOIN ... WHERE b.key IS NULL) that planners run as a hash anti join. With `with
same`, rows tied at the latest time carry different values and one of them finding its B is
enough: the latest time is anti-joined on (key, time) to the reached rows that found a B (the
reached rows are read twice, no window and no order among ties).
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.sql.dialects import Dialect
from segdsl.sql.naming import ENTITY, KEY, ROWS, col, cte, ident, table
from segdsl.sql.values import Lowerer, balanced

TIME = "__t"
A, B = "a", "b"


def sequence_pass(step: pn.SequencePass, d: Dialect, tz: str, as_of: dt.date | None) -> exp.CTE:
    seq = step.sequence
    low = Lowerer(d, tz, as_of, None, ENTITY, ROWS)
    last = len(seq.events) - 1
    dated = seq.time.type.kind == "date"  # a date column: waits in whole days
    # a wait a.t + D is over when it is <= now; a day is <= now when it is <= now's local date
    now = low.value(ir.LocalDate(seq.now) if dated else seq.now)

    def later_by(t: exp.Expr, seconds: int) -> exp.Expr:
        return d.shift_date(t, seconds // 86_400, "day") if dated else d.add_seconds(t, seconds)

    def rows(i: int) -> exp.Subquery:
        """Step i's rows (the now rule is in seq.rows): key, time and the columns `with same`
        compares."""
        wanted = [c.name for c in seq.same[i]] + ([c.name for c in seq.same[i + 1]] if i < last else [])
        columns: list[exp.Expr] = [exp.alias_(col(step.key, ROWS), KEY, quoted=True, copy=False),
                                   exp.alias_(col(seq.time.name, ROWS), TIME, quoted=True, copy=False)]
        columns += [exp.alias_(col(name, ROWS), name, quoted=True, copy=False) for name in dict.fromkeys(wanted)]
        select = exp.select(*columns, copy=False).from_(
            exp.Table(this=ident(step.table), alias=exp.TableAlias(this=ident(ROWS))), copy=False)
        if step.customer is not None and any(isinstance(n, ir.Col) for n in ir.walk(seq.rows[i])):
            # a filter reading the customer's own values (`customer.signup_date`): an inner
            # join, as a row of no customer belongs to no member
            entity_table, entity_key = step.customer
            on = exp.EQ(this=col(entity_key, ENTITY), expression=col(step.key, ROWS))
            select = select.join(exp.Join(this=table(entity_table, ENTITY), on=on), copy=False)
        return _sub(select.where(low.where(seq.rows[i]), copy=False), B)

    def follows(i: int) -> exp.Expr:
        """Row b of step i follows row a of step i - 1."""
        after = exp.GT if seq.later[i] else exp.GTE
        conds: list[exp.Expr] = [exp.EQ(this=col(KEY, B), expression=col(KEY, A)),
                                 after(this=col(TIME, B), expression=col(TIME, A))]
        within = seq.within[i]
        if within is not None:
            conds.append(exp.LTE(this=col(TIME, B), expression=later_by(col(TIME, A), within)))
        conds += [exp.EQ(this=col(c.name, B), expression=col(c.name, A)) for c in seq.same[i]]
        return balanced(conds, lambda x, y: exp.and_(x, y, copy=False))

    reached: exp.Subquery = rows(0)
    for i in range(1, last):
        # named, not just selected: ClickHouse names a selected column `b.x` after the expression
        carried = [exp.alias_(col(name, B), name, quoted=True, copy=False)
                   for name in [KEY, TIME] + [c.name for c in seq.same[i + 1]]]
        select = exp.select(*carried, copy=False).distinct(copy=False) \
            .from_(_alias(reached, A), copy=False).join(exp.Join(this=rows(i), on=follows(i)), copy=False)
        reached = _sub(select, A)
    reached = _alias(reached, A)
    if not seq.negated:
        select = exp.select(exp.alias_(col(KEY, A), KEY, quoted=True, copy=False), copy=False) \
            .from_(reached, copy=False).join(exp.Join(this=rows(last), on=follows(last)), copy=False)
        return cte(step.name, select.group_by(col(KEY, A), copy=False))
    within = seq.within[last]
    # the latest reached row of each customer: (key, MAX(t)), one per customer
    latest = exp.select(exp.alias_(col(KEY, A), KEY, quoted=True, copy=False),
                        exp.alias_(exp.Max(this=col(TIME, A)), TIME, quoted=True, copy=False), copy=False) \
        .from_(reached.copy(), copy=False).group_by(col(KEY, A), copy=False)
    if not seq.same[last]:
        # no B follows it: an anti join (a LEFT JOIN keeping the rows with no match), which
        # planners run as a hash anti join and estimate well
        missing, found = _sub(latest, A), rows(last)
        on = follows(last)
    else:
        # rows tied at the latest time carry different `with same` values, and one of them
        # finding its B is enough: the latest time is anti-joined to the reached rows that
        # found a B, on (key, time)
        hit = exp.select(exp.alias_(col(KEY, A), KEY, quoted=True, copy=False),
                         exp.alias_(col(TIME, A), TIME, quoted=True, copy=False), copy=False) \
            .from_(reached, copy=False).join(exp.Join(this=rows(last), on=follows(last)), copy=False)
        missing, found = _sub(latest, A), _sub(hit, B)
        on = exp.and_(exp.EQ(this=col(KEY, B), expression=col(KEY, A)),
                      exp.EQ(this=col(TIME, B), expression=col(TIME, A)), copy=False)
    conds: list[exp.Expr] = [exp.Is(this=col(KEY, B), expression=exp.Null())]
    if within is not None:  # the wait is over
        conds.append(exp.LTE(this=later_by(col(TIME, A), within), expression=now.copy()))
    select = exp.select(exp.alias_(col(KEY, A), KEY, quoted=True, copy=False), copy=False) \
        .from_(missing, copy=False).join(exp.Join(this=found, on=on, side="LEFT"), copy=False) \
        .where(balanced(conds, lambda x, y: exp.and_(x, y, copy=False)), copy=False)
    return cte(step.name, select)


def _sub(select: exp.Select, alias: str) -> exp.Subquery:
    return exp.Subquery(this=select, alias=exp.TableAlias(this=ident(alias)))


def _alias(sub: exp.Subquery, alias: str) -> exp.Subquery:
    return exp.Subquery(this=sub.this, alias=exp.TableAlias(this=ident(alias)))

