"""One grouped pass over a relation: every aggregate the query needs from it, computed
together (`COUNT(*) FILTER (WHERE ...)`, ...), grouped by the customer key and joined to the
entity once.

When every aggregate is filtered, a WHERE keeps only the rows some aggregate uses (see
shared_filter), so engines can push it into the scan and skip row groups by time.
first/last pick one row: as one aggregate where the dialect has one (DuckDB's MIN/MAX of a
struct), else by numbering the rows with a window function.
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import _cast, _data_type
from segdsl.sql.naming import ENTITY, KEY, ROWS, col as _col, ident as _id, table as _table
from segdsl.sql.values import DOUBLE, Lowerer


class RelationPasses:
    """QueryBuilder's relation passes (a mixin: it shares the builder's state)."""

    def _relation_pass(self, rel, aggs: list[ir.Agg]) -> None:
        """SELECT key, <every aggregate> FROM the relation [WHERE ...] GROUP BY key.

        When every aggregate has a filter, rows that match none cannot change any of them,
        so a WHERE keeps only the rows matching one (conjuncts common to all filters once,
        the rest as an OR). A customer left without rows gets no group: the LEFT JOIN gives
        NULL and counts and sums read it as 0, exactly as over an empty group."""
        name = f"__{rel.name}"
        low = self.lowerer()
        filters = [self._pick_filter(a, rel) if a.function in ("first", "last") else a.filter for a in aggs]
        where, filters = shared_filter(filters, self.as_of)
        picks = []  # first/last by row number (engines without pick_extreme)
        columns = [exp.alias_(_col(rel.key, ROWS), KEY, quoted=True, copy=False)]
        for i, (agg, flt) in enumerate(zip(aggs, filters), start=1):
            alias = f"a{i}"
            if agg.function in ("first", "last"):
                expr = self._pick_extreme(agg, flt, low, rel)
                if expr is None:
                    rn = f"__rn{i}"
                    picks.append((rn, agg))
                    expr = self._pick(agg, rn, low, rel)
            else:
                expr = self._aggregate(agg, flt, low)
            columns.append(exp.alias_(expr, alias, quoted=True, copy=False))
            self.refs[agg] = _col(alias, name)
            self.carry[agg] = f"__{rel.name}_{alias}"
        source: exp.Expression = _table(rel.table, ROWS)
        if picks:
            # rows that the WHERE drops match no pick's filter: numbering without them gives
            # the same row 1 in every matching partition, and sorts fewer rows
            inner = exp.select(*([exp.Column(this=exp.Star(), table=_id(rel.table))] +
                                 [exp.alias_(self._row_number(agg, rel), rn, quoted=True, copy=False) for rn, agg in picks]), copy=False) \
                .from_(exp.Table(this=_id(rel.table)), copy=False)
            if where is not None:
                inner = inner.where(Lowerer(self.d, self.tz, self.as_of, self.refs, ENTITY, rel.table).where(where), copy=False)
            source = exp.Subquery(this=inner, alias=exp.TableAlias(this=_id(ROWS)))
            where = None
        select = exp.select(*columns, copy=False).from_(source, copy=False)
        if where is not None:
            select = select.where(low.where(where), copy=False)
        select = select.group_by(_col(rel.key, ROWS), copy=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.joins.append(self._join_on_key(name))
        self.join_relation[id(self.joins[-1])] = rel.name
        self.join_nodes[id(self.joins[-1])] = set(aggs)

    def _filtered(self, agg_expr: exp.Expression, flt: exp.Expression | None) -> exp.Expression:
        return agg_expr if flt is None else exp.Filter(this=agg_expr, expression=exp.Where(this=flt))

    def _aggregate(self, agg: ir.Agg, flt_ir, low: Lowerer) -> exp.Expression:
        col = low.value(agg.column) if agg.column is not None else None
        flt = low.where(flt_ir) if flt_ir is not None else None
        fn = agg.function
        if self.d.aggregate_filter or flt is None:
            if fn == "count":
                e = exp.Count(this=exp.Star() if col is None else col)
            elif fn == "count_distinct":
                e = exp.Count(this=exp.Distinct(expressions=[col]))
            elif fn == "sum":
                e = exp.Sum(this=col)
            elif fn == "avg":
                e = exp.Avg(this=_cast(col, _data_type(DOUBLE)))
            else:
                e = (exp.Min if fn == "min" else exp.Max)(this=col)
            return self._filtered(e, flt)

        def when(value):
            return exp.Case(ifs=[exp.If(this=flt, true=value)])

        if fn == "count":
            return exp.Count(this=when(exp.Literal.number(1) if col is None else col))
        if fn == "count_distinct":
            return exp.Count(this=exp.Distinct(expressions=[when(col)]))
        if fn == "sum":
            return exp.Sum(this=when(col))
        if fn == "avg":
            return exp.Avg(this=_cast(when(col), _data_type(DOUBLE)))
        return (exp.Min if fn == "min" else exp.Max)(this=when(col))

    def _pick_filter(self, agg: ir.Agg, rel) -> ir.Cond:
        time = rel.columns[rel.time]
        has_time = ir.IsSet(ir.RelCol(rel.name, time.name, time.type))
        return ir.and_(agg.filter, has_time) if agg.filter is not None else has_time

    def _pick_extreme(self, agg: ir.Agg, flt_ir, low: Lowerer, rel) -> exp.Expression | None:
        time = rel.columns[rel.time]
        pick = self.d.pick_extreme(low.value(agg.column), low.value(ir.RelCol(rel.name, time.name, time.type)),
                                   agg.function == "last")
        if pick is None:
            return None
        if flt_ir is None:
            return pick
        agg_expr = pick.this
        pick.set("this", self._filtered(agg_expr, low.where(flt_ir)))
        return pick

    def _row_number(self, agg: ir.Agg, rel) -> exp.Expression:
        # Rows are numbered inside (customer, matches the filter); row 1 of the matching
        # partition is the earliest/latest row, ties broken by the value (missing last).
        low = Lowerer(self.d, self.tz, self.as_of, self.refs, ENTITY, rel.table)
        desc = agg.function == "last"
        order = exp.Order(expressions=[
            exp.Ordered(this=_col(rel.time, rel.table), desc=desc, nulls_first=False),
            exp.Ordered(this=low.value(agg.column), desc=desc, nulls_first=False)])
        partition = [_col(rel.key, rel.table), low.cond(self._pick_filter(agg, rel))]
        return exp.Window(this=exp.RowNumber(), partition_by=partition, order=order)

    def _pick(self, agg: ir.Agg, rn: str, low: Lowerer, rel) -> exp.Expression:
        chosen = exp.and_(low.cond(self._pick_filter(agg, rel)),
                          exp.EQ(this=_col(rn, ROWS), expression=exp.Literal.number(1)), copy=False)
        value = exp.Case(ifs=[exp.If(this=chosen, true=low.value(agg.column))])
        return self.d.pick(value, agg.type.kind == "boolean")


def _conjuncts(c) -> tuple:
    return c.items if isinstance(c, ir.And) else (c,)


def shared_filter(filters: list, as_of=None) -> tuple:
    """(WHERE for the relation pass or None, the filter each aggregate still needs).

    Only when every aggregate is filtered: the conjuncts common to all filters go to the
    WHERE once (and leave the aggregates), the rest of each filter join the WHERE in an OR.
    When every alternative of the OR bounds the same time column from below (or above),
    the loosest of those bounds is added as a plain conjunct: implied by the OR, but one
    the engine can use to skip row groups."""
    if not filters or any(f is None for f in filters):
        return None, filters
    parts = [_conjuncts(f) for f in filters]
    common = [c for c in parts[0] if all(c in p for p in parts[1:])]
    rests = [tuple(c for c in p if c not in common) for p in parts]
    left = [ir.and_(*r) if r else None for r in rests]
    where = list(common)
    if all(r is not None for r in left):
        alternatives = list(dict.fromkeys(left))
        if len(alternatives) == 1:
            where.append(alternatives[0])
        else:
            where += [b for b in (_loosest(rests, lower, as_of) for lower in (True, False)) if b is not None]
            where.append(ir.Or(tuple(alternatives)))
    return (ir.and_(*where) if where else None), left


def _loosest(rests: list[tuple], lower: bool, as_of):
    """The loosest of the bounds every alternative puts on one time column, or None."""
    found = []
    for conjuncts in rests:
        bounds = [(b, c) for c in conjuncts if (b := _time_bound(c, lower, as_of)) is not None]
        if not bounds:
            return None
        found.append(min(bounds, key=lambda x: x[0][1]) if not lower else max(bounds, key=lambda x: x[0][1]))
    columns = {b[0][0] for b in found}
    if len(columns) != 1 or len({type(b[0][1]) for b in found}) != 1:
        return None
    return (min if lower else max)(found, key=lambda x: x[0][1])[1]


def _time_bound(c, lower: bool, as_of):
    """(column, the first (last) day kept) for `local date of column >(=) D` (`<(=) D`)."""
    if not (isinstance(c, ir.Cmp) and isinstance(c.left, ir.LocalDate) and isinstance(c.left.value, ir.RelCol)):
        return None
    day = _day_number(c.right, as_of)
    if day is None:
        return None
    if lower and c.op in (">", ">="):
        return (c.left.value, day + (c.op == ">"))
    if not lower and c.op in ("<", "<="):
        return (c.left.value, day - (c.op == "<"))
    return None


def _day_number(v, as_of):
    """A date fixed for the query as a comparable number: an ordinal, or (for today without
    --as-of) a float offset from today, so that the two kinds never mix."""
    if isinstance(v, ir.Lit) and hasattr(v.value, "toordinal"):
        return v.value.toordinal()
    if isinstance(v, ir.Today):
        return as_of.toordinal() if as_of else 0.0
    if isinstance(v, ir.ShiftDate) and v.unit == "day":
        base = _day_number(v.base, as_of)
        return None if base is None else base + v.amount
    if isinstance(v, ir.ShiftDate) and as_of is not None:
        from segdsl.sql.values import shift

        base = _day_number(v.base, as_of)
        return None if base is None or isinstance(base, float) else \
            shift(dt.date.fromordinal(base), v.amount, v.unit).toordinal()
    return None

