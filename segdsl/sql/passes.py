"""One grouped pass over a relation: every aggregate the query needs from it, computed
together (`COUNT(*) FILTER (WHERE ...)`, ...), grouped by the customer key and joined to the
entity once.

When every aggregate is filtered, a WHERE keeps only the rows some aggregate uses (see
shared_filter), so engines can push it into the scan and skip row groups by time.
first/last pick one row: where the engine computes a CTE read twice once (DuckDB, Postgres),
the pass finds the earliest/latest time and a second pass over the relation, joined to it,
takes the value at that time; elsewhere (BigQuery) the rows are numbered with a window
function, which sorts the relation.
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import _cast, _data_type
from segdsl.sql.naming import ENTITY, KEY, ROWS, col as _col, ident as _id, table as _table
from segdsl.sql.values import DOUBLE, Lowerer, balanced, fresh


class RelationPasses:
    """QueryBuilder's relation passes (a mixin: it shares the builder's state)."""

    def _relation_pass(self, rel, aggs: list[ir.Agg]) -> None:
        """SELECT key, <every aggregate> FROM the relation [WHERE ...] GROUP BY key.

        When every aggregate has a filter, rows that match none cannot change any of them,
        so a WHERE keeps only the rows matching one (conjuncts common to all filters once,
        the rest as an OR). A customer left without rows gets no group: the LEFT JOIN gives
        NULL and counts and sums read it as 0, exactly as over an empty group.

        first/last, where the engine computes a CTE read twice once: this pass finds the
        earliest/latest time (one MIN/MAX, shared with an equal `min`/`max` aggregate), and
        a second pass picks the value at that time (see _pick_pass)."""
        name = f"__{rel.name}"
        low = self.lowerer()
        pick = [a for a in aggs if a.function in ("first", "last")] if self.d.materializes_ctes else []
        times = {a: self._pick_time(a, rel) for a in pick}
        own = [a for a in aggs if a not in times]  # what the query reads from this pass
        computed = list(dict.fromkeys(own + list(times.values())))
        filters = [self._pick_filter(a, rel) if a.function in ("first", "last") else a.filter for a in computed]
        where, filters = shared_filter(filters, self.as_of)
        numbered = []  # first/last by row number (engines that may compute a CTE twice)
        columns = [exp.alias_(_col(rel.key, ROWS), KEY, quoted=True, copy=False)]
        for i, (agg, flt) in enumerate(zip(computed, filters), start=1):
            alias = f"a{i}"
            if agg.function in ("first", "last"):
                rn = f"__rn{i}"
                numbered.append((rn, agg))
                expr = self._pick(agg, rn, low, rel)
            else:
                expr = self._aggregate(agg, flt, low)
            columns.append(exp.alias_(expr, alias, quoted=True, copy=False))
            self.refs[agg] = _col(alias, name)
            if agg in own:
                self.carry[agg] = f"__{rel.name}_{alias}"
        source: exp.Expression = _table(rel.table, ROWS)
        if numbered:
            # rows that the WHERE drops match no pick's filter: numbering without them gives
            # the same row 1 in every matching partition, and sorts fewer rows
            inner = exp.select(*([exp.Column(this=exp.Star(), table=_id(rel.table))] +
                                 [exp.alias_(self._row_number(agg, rel), rn, quoted=True, copy=False) for rn, agg in numbered]), copy=False) \
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
        if own:  # a pass that only finds pick times is read by the pick pass alone
            self._join_pass(name, rel.name, set(own))
        if pick:
            self._pick_pass(rel, pick, times)

    def _keys_pass(self, rel, test) -> None:
        """SELECT key FROM the relation WHERE <the count's filter> GROUP BY key: the customers
        with a row it counts. `test` (a RowsExist) is whether the customer is among them."""
        name = f"__{rel.name}"
        low = self.lowerer()
        select = exp.select(exp.alias_(_col(rel.key, ROWS), KEY, quoted=True, copy=False), copy=False) \
            .from_(_table(rel.table, ROWS), copy=False)
        if test.agg.filter is not None:
            select = select.where(low.where(test.agg.filter), copy=False)
        select = select.group_by(_col(rel.key, ROWS), copy=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.refs[test] = exp.Not(this=exp.Is(this=_col(KEY, name), expression=exp.Null()))
        self.carry[test] = f"__{rel.name}_rows"
        self._join_pass(name, rel.name, {test.agg, test})

    def _join_pass(self, name: str, relation: str, provides: set, only: set | None = None) -> None:
        """Join a pass onto the entity; `only`: the aggregates a customer without a row in
        it is missing (None: all of the relation's, as for a customer without rows)."""
        join = self._join_on_key(name)
        self.joins.append(join)
        self.join_relation[id(join)] = relation
        self.join_nodes[id(join)] = provides
        if only is not None:
            self.join_only[id(join)] = only

    def _pick_time(self, agg: ir.Agg, rel) -> ir.Agg:
        """The time first/last pick at: MIN/MAX of the time column over the same rows (a
        missing time is never the earliest or latest)."""
        time = rel.columns[rel.time]
        column = ir.RelCol(rel.name, time.name, time.type)
        return ir.Agg("max" if agg.function == "last" else "min", rel.name, column, agg.filter, time.type)

    def _pick_pass(self, rel, pick: list[ir.Agg], times: dict) -> None:
        """SELECT key, MAX(value) FILTER (WHERE <filter> AND time = latest) AS p1, ...
        FROM the relation JOIN the first pass ON key [AND time = latest] GROUP BY key.

        Of the rows at the earliest/latest time, `last` takes the greatest value and `first`
        the smallest, a missing value losing the tie: exactly MAX/MIN over those rows. The
        join keeps only rows at a pick time, so this pass aggregates few rows; it is a hash
        join of the relation with one row per customer (no sort of the relation)."""
        name, base = f"__{rel.name}:picks", f"__{rel.name}"
        low = self.lowerer()
        where, rests = shared_filter([a.filter for a in pick], self.as_of)

        def at(agg):
            return exp.EQ(this=_col(rel.time, ROWS), expression=fresh(self.refs[times[agg]]))

        on = exp.EQ(this=_col(KEY, base), expression=_col(rel.key, ROWS))
        one_time = len(set(times.values())) == 1
        if one_time:  # an equi-join on (key, time)
            on = exp.and_(on, at(pick[0]), copy=False)

        def kept(agg, rest):
            if one_time:
                return low.where(rest) if rest is not None else None
            return at(agg) if rest is None else exp.and_(low.where(rest), at(agg), copy=False)

        columns = [exp.alias_(_col(rel.key, ROWS), KEY, quoted=True, copy=False)]
        for i, (agg, rest) in enumerate(zip(pick, rests), start=1):
            value = self.d.extreme(low.value(agg.column), agg.function == "last", agg.type.kind == "boolean")
            columns.append(exp.alias_(self._filtered(value, kept(agg, rest)), f"p{i}", quoted=True, copy=False))
            self.refs[agg] = _col(f"p{i}", name)
            self.carry[agg] = f"__{rel.name}:p{i}"
        select = exp.select(*columns, copy=False).from_(_table(rel.table, ROWS), copy=False) \
            .join(exp.Join(this=exp.Table(this=_id(base)), on=on), copy=False)
        conditions = [low.where(where)] if where is not None else []
        if not one_time:  # rows at one of the pick times (each with its own filter)
            alternatives = list(dict.fromkeys((a, r) for a, r in zip(pick, rests)))
            conditions.append(balanced([kept(a, r) for a, r in alternatives], lambda x, y: exp.or_(x, y, copy=False)))
        if conditions:
            select = select.where(balanced(conditions, lambda x, y: exp.and_(x, y, copy=False)), copy=False)
        select = select.group_by(_col(rel.key, ROWS), copy=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self._join_pass(name, rel.name, set(pick), only=set(pick))

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

