"""Assembling one segment's query: relation passes, ranking levels, the final filter.

Shape (each part only when needed):

    WITH "__orders" AS (            -- one grouped pass per relation, every aggregate in it
           SELECT key AS "__key", COUNT(*) FILTER (WHERE ...) AS "a1", ...
           FROM orders AS r
           WHERE <rows some aggregate uses>   -- only when every aggregate is filtered
           GROUP BY key),
         "__rank1" AS (             -- ranking level 1, narrow: key and windows
           SELECT c.key, ROW_NUMBER() OVER (...) ... AS "__w1"
           FROM customers AS c LEFT JOIN <the passes the rankings read>),
         "__rank2" AS (SELECT r.*, <windows over level 1> FROM "__rank1" AS r)
    SELECT c.key FROM customers AS c [INNER|LEFT] JOIN "__orders" ... JOIN "__rank2" AS r
    WHERE <condition> ORDER BY c.key

- A pass is joined INNER when the condition is false for customers without rows in it.
- Window operators sort every column they carry, so ranking levels stay narrow and the
  final select joins the passes it reads itself: a pass is then read twice, which DuckDB
  and Postgres compute once (dialect.materializes_ctes). For BigQuery the first ranking
  level carries the aggregates instead and the final select reads them from it.
- Rankings whose value uses another ranking get a later level, so windows never nest.
- In a batch, segments that others use are computed once, in levels `__segments1`, ...
  (a chain: each reads the previous one; the final select reads the last).

Dates of timestamps compared with a date fixed for the query become comparisons of the raw
timestamp with the instant that day starts (values.Lowerer._local_date_bound); conditions
in WHERE / FILTER positions drop the COALESCE guards that NULL-as-false makes unnecessary
(Lowerer.where), so engines can push them into scans; `min(x) < c` / `max(x) > c` become
`has ... where x < c` for single segments (QueryBuilder._exists_form).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import Dialect, _cast, _data_type
from segdsl.types import INTEGER, Type
from segdsl.sql.values import DOUBLE, Lowerer, balanced, fresh, paren

KEY = "__key"
ENTITY = "c"
ROWS = "r"  # a relation's rows, inside its pass
RANK = "r"  # the last ranking level, in the final select
_WINDOW_NODES = (ir.Percentile, ir.Bucket, ir.Ranked)


def _id(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _col(name: str, table: str) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _table(name: str, alias: str) -> exp.Table:
    return exp.Table(this=_id(name), alias=exp.TableAlias(this=_id(alias)))


SNAPSHOT_COLUMNS = {"snapshot_id": "bigint", "segment": "text", "as_of": "date",
                    "taken_at": "timestamp"}  # + member_key, of the entity key's type


class QueryBuilder:
    def __init__(self, schema, dialect: Dialect, timezone: str, as_of,
                 snapshots_table: str = "segdsl_snapshots"):
        self.schema = schema
        self.snapshots_table = snapshots_table
        self.d = dialect
        self.tz = timezone
        self.as_of = as_of
        self.refs: dict = {}
        self.ctes: list[exp.CTE] = []
        self.joins: list[exp.Join] = []  # joins onto the entity, in dependency order
        self.join_relation: dict[int, str] = {}  # id(join) -> the relation whose pass it joins
        self.join_nodes: dict[int, set] = {}  # id(join) -> the aggregates / snapshot it provides
        self.outside_nodes: set = set()  # aggregates / snapshots read outside ranking values
        self.late_nodes: set = set()  # aggregates / snapshots read by rankings after level 1
        self.rank: str | None = None  # the last ranking level CTE (read as "r")
        self.level: str | None = None  # the last segment level CTE (read as "c")
        self.window_columns: list[str] = []  # entity columns ranking values read
        self.outside_columns: list[str] = []  # entity columns read outside ranking values
        self.carry: dict = {}  # aggregate / snapshot / window -> its column's name in a level
        self.windows = 0
        self.segments = 0

    def lowerer(self, relation_alias=ROWS) -> Lowerer:
        return Lowerer(self.d, self.tz, self.as_of, self.refs, ENTITY, relation_alias)

    def _key(self) -> exp.Column:
        """The entity key in the final select (see _select)."""
        alone = self.level is None and self.rank is not None and not self._needs_entity()
        return _col(self.schema.entity.key, RANK if alone else ENTITY)

    def build(self, cond: ir.Cond) -> exp.Select:
        cond = _map(cond, self._exists_form)
        self._shared_passes([cond])
        # a customer without a group in a relation pass cannot be a member: join it as
        # INNER, so the engine never produces (and then drops) those customers (ranking
        # levels joined their own copies, as LEFT: they rank every customer)
        for join in self.joins:
            relation = self.join_relation.get(id(join))
            if relation is not None and _empty_truth(cond, relation) is False:
                join.set("kind", None)
        where = self.lowerer().where(cond)
        key = self._key()
        return self._select([key]).where(where, copy=False).order_by(fresh(key), copy=False)

    def build_batch(self, segments: dict[str, ir.Cond]) -> exp.Select:
        """One row per customer, one boolean column per segment, every relation pass and
        ranking shared; a segment that others use is computed once, in an earlier level."""
        self._shared_passes(list(segments.values()))
        conds = dict(segments)
        used: set[str] = set()
        for c in segments.values():
            for n in ir.walk(c):
                if isinstance(n, ir.SegmentRef):
                    conds.setdefault(n.name, n.cond)
                    used.add(n.name)
        levels = _segment_levels(conds)
        for level in range(1, max((levels[n] for n in used), default=0) + 1):
            names = [n for n in conds if levels[n] == level and n in used]
            if names:
                self._segment_level(level, names, conds)
        low = self.lowerer()
        key = self._key()
        columns = [key]
        for name, cond in segments.items():
            ref = self.refs.get(ir.SegmentRef(name, cond))
            columns.append(exp.alias_(fresh(ref) if ref is not None else low.cond(cond), name, quoted=True, copy=False))
        return self._select(columns).order_by(fresh(key), copy=False)

    def _exists_form(self, node):
        """`min(R.x) < c` (or <=) and `max(R.x) > c` (or >=) for a c fixed for the query are
        `has R where x < c`: true exactly when some row has such an x, false over no rows
        or only missing values, like the comparison with a missing min/max. As a filtered
        count it lets the relation pass skip every other row (and, for a time column, the
        row groups outside the range). Used for single segments: a batch computes the
        min/max once for all the segments that use it."""
        if not isinstance(node, ir.Cmp) or node.op == "=":
            return node
        op, left, right = node.op, node.left, node.right
        if not isinstance(_unwrap_local(left), ir.Agg):
            op, left, right = _FLIP[op], right, left
        agg = _unwrap_local(left)
        if not (isinstance(agg, ir.Agg) and agg.column is not None and _fixed(right)
                and (agg.function, op) in (("min", "<"), ("min", "<="), ("max", ">"), ("max", ">="))):
            return node
        column = agg.column
        if isinstance(left, ir.LocalDate):
            # the latest local date is the local date of the latest time only when local dates
            # never go backwards around the bound, which is when the bound is an instant
            if self.lowerer()._day_starts(right, (1,) if op == ">" else (0,)) is None:
                return node
            column = ir.LocalDate(column)
        rows = ir.Cmp(op, column, right)
        count = ir.Agg("count", agg.relation, None, ir.and_(agg.filter, rows) if agg.filter else rows, INTEGER)
        return ir.Cmp(">=", count, ir.Lit(1, INTEGER))

    def _segment_level(self, level: int, names: list[str], conds: dict) -> None:
        low = self.lowerer()
        columns, aliases = [], []
        for name in names:
            self.segments += 1
            aliases.append(f"__s{self.segments}")
            columns.append(exp.alias_(low.cond(conds[name]), aliases[-1], quoted=True, copy=False))
        self._segment_cte(f"__segments{level}", columns)
        for name, alias in zip(names, aliases):
            self.refs[ir.SegmentRef(name, conds[name])] = _col(alias, ENTITY)

    def _shared_passes(self, roots: list) -> None:
        nodes = [n for r in roots for n in ir.walk(r)]
        key = self.schema.entity.key
        self.window_columns = list(dict.fromkeys(
            c.name for w in nodes if isinstance(w, _WINDOW_NODES)
            for c in ir.walk(w.value) if isinstance(c, ir.Col) and c.name != key))
        outside = list(_walk_outside_windows(roots))
        self.outside_columns = list(dict.fromkeys(c.name for c in outside if isinstance(c, ir.Col) and c.name != key))
        self.outside_nodes = {n for n in outside if isinstance(n, (ir.Agg, ir.InSnapshot))}
        for windows in _window_levels(nodes)[1:]:
            self.late_nodes |= {n for w in windows for n in ir.walk(w.value) if isinstance(n, (ir.Agg, ir.InSnapshot))}
        aggs = list(dict.fromkeys(n for n in nodes if isinstance(n, ir.Agg)))
        by_relation: dict[str, list[ir.Agg]] = {}
        for a in aggs:
            by_relation.setdefault(a.relation, []).append(a)
        for name, group in by_relation.items():
            self._relation_pass(self.schema.relations[name], group)
        for i, snap in enumerate(dict.fromkeys(n for n in nodes if isinstance(n, ir.InSnapshot)), start=1):
            self._snapshot(i, snap)
        levels = _window_levels(nodes)
        self._all_windows = [w for ws in levels for w in ws]
        for level, windows in enumerate(levels, start=1):
            self._ranking_level(level, windows)

    def _snapshot(self, i: int, snap: ir.InSnapshot) -> None:
        # the members of the latest snapshot of the segment taken for a date <= `at`
        name, table = f"__snapshot{i}", self.snapshots_table
        low = self.lowerer()
        segment = exp.Literal.string(snap.name)
        latest = exp.select(exp.Max(this=_col("snapshot_id", "t")), copy=False).from_(_table(table, "t"), copy=False).where(
            exp.and_(exp.EQ(this=_col("segment", "t"), expression=segment.copy()),
                     exp.LTE(this=_col("as_of", "t"), expression=low.value(snap.at)), copy=False), copy=False)
        members = exp.select(exp.alias_(_col("member_key", "s"), KEY, quoted=True, copy=False), copy=False).from_(_table(table, "s"), copy=False).where(
            exp.and_(exp.EQ(this=_col("segment", "s"), expression=segment),
                     exp.EQ(this=_col("snapshot_id", "s"), expression=exp.Subquery(this=latest)), copy=False), copy=False)
        self.ctes.append(exp.CTE(this=members, alias=exp.TableAlias(this=_id(name))))
        self.joins.append(self._join_on_key(name))
        self.join_nodes[id(self.joins[-1])] = {snap}
        self.refs[snap] = exp.Not(this=exp.Is(this=_col(KEY, name), expression=exp.Null()))
        self.carry[snap] = f"__in_snapshot{i}"

    # ---- where the final query (and each level) reads from ----
    def _select(self, columns: list, with_ctes: bool = True, joins: list | None = None) -> exp.Select:
        """SELECT columns FROM, in this order of preference:
        - the last segment level, aliased "c" like the entity (batches only);
        - the entity and the relation passes read outside rankings, joined 1:1 with the
          last ranking level "r" (either join only when something is read from it);
        - the entity with every relation pass joined once (or only `joins`).
        Each join and CTE is used by exactly one select, so none is copied."""
        entity, key = self.schema.entity, self.schema.entity.key
        if self.level is not None:
            select = exp.select(*columns, copy=False).from_(_table(self.level, ENTITY), copy=False)
        elif self.rank is not None and not self._needs_entity():
            select = exp.select(*columns, copy=False).from_(_table(self.rank, RANK), copy=False)
        else:
            select = exp.select(*columns, copy=False).from_(_table(entity.table, ENTITY), copy=False)
            for join in self.joins if joins is None else joins:
                select = select.join(join, copy=False)
            if self.rank is not None:
                on = exp.EQ(this=_col(key, RANK), expression=_col(key, ENTITY))
                select = select.join(exp.Join(this=_table(self.rank, RANK), on=on), copy=False)
        if self.ctes and with_ctes:
            select.set("with_", exp.With(expressions=self.ctes))
        return select

    def _needs_entity(self) -> bool:
        """After the rankings: whether the final select reads the entity or a relation pass
        (the ranking levels alone hold the key and every window)."""
        return bool(self.outside_columns) or bool(self.joins)

    def _carried(self, moved: dict, alias: str, only=None) -> list:
        """Every computed column so far (aggregates, snapshot flags, windows; or those in
        `only`) under its own name; `moved` gets where each is found in the new level."""
        columns = []
        for node, name in self.carry.items():
            if only is not None and node not in only:
                continue
            columns.append(exp.alias_(fresh(self.refs[node]), name, quoted=True, copy=False))
            moved[node] = _col(name, alias)
        return columns

    def _rank_cte(self, name: str, columns: list, low: Lowerer) -> None:
        """A ranking level: window functions over every customer. Window operators sort
        every column they carry, so a level is narrow: the key, the windows, and what
        later levels read (entity columns, aggregates); the first level joins only the
        relation passes the rankings read, a later one reads the previous level.

        The relation passes are read again by the final select when it needs them. Engines
        that compute a CTE read twice only once (dialect.materializes_ctes) are fine with
        that; for the others the first level carries every aggregate instead, and the final
        select reads them from the ranking (so each relation is still aggregated once)."""
        key = self.schema.entity.key
        moved: dict = {}
        if self.rank is None:
            carried = [_col(key, ENTITY)] + [_col(c, ENTITY) for c in self.window_columns]
            if self.d.materializes_ctes:
                wanted = {n for w in self._all_windows for n in ir.walk(w.value)}
                joins = [j for j in self.joins if self.join_nodes.get(id(j), set()) & wanted]
                carried += self._carried(moved, RANK, only=self.late_nodes)
            else:
                joins = self.joins
                carried += self._carried(moved, RANK)
                self.joins = []  # consumed: the final select reads the aggregates from "r"
            select = exp.select(*carried, *columns, copy=False).from_(
                _table(self.schema.entity.table, ENTITY), copy=False)
            for join in joins:
                select = select.join(join if not self.d.materializes_ctes else join.copy(), copy=False)
        else:
            select = exp.select(exp.Column(this=exp.Star(), table=_id(RANK)), *columns, copy=False) \
                .from_(_table(self.rank, RANK), copy=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.refs.update(moved)
        self.rank = name
        if self.d.materializes_ctes and not self.level:
            # the final select joins only the passes read outside the rankings
            self.joins = [j for j in self.joins if self.join_nodes.get(id(j), set()) & self.outside_nodes]

    def _segment_cte(self, name: str, columns: list) -> None:
        """A segment level (batches): everything later levels and the final select use,
        plus `columns`; the first one carries the entity columns in use and every computed
        column, later ones all of the previous level."""
        moved: dict = {}
        if self.level is None:
            carried = [self._key()] + [_col(c, ENTITY) for c in self.outside_columns]
            wanted = self.outside_nodes | {w for w in self.carry if isinstance(w, _WINDOW_NODES)}
            select = self._select(carried + self._carried(moved, ENTITY, only=wanted) + columns, with_ctes=False)
        else:
            select = self._select([exp.Column(this=exp.Star(), table=_id(ENTITY))] + columns, with_ctes=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.refs.update(moved)
        self.level = name

    def _join_on_key(self, cte_name: str) -> exp.Join:
        on = exp.EQ(this=_col(KEY, cte_name), expression=_col(self.schema.entity.key, ENTITY))
        return exp.Join(this=exp.Table(this=_id(cte_name)), kind="LEFT", on=on)

    # ---- one grouped pass over a relation ----
    def _relation_pass(self, rel, aggs: list[ir.Agg]) -> None:
        """SELECT key, <every aggregate> FROM the relation [WHERE ...] GROUP BY key.

        When every aggregate has a filter, rows that match none cannot change any of them,
        so a WHERE keeps only the rows matching one (conjuncts common to all filters once,
        the rest as an OR). A customer left without rows gets no group: the LEFT JOIN gives
        NULL and counts and sums read it as 0, exactly as over an empty group."""
        name = f"__{rel.name}"
        low = self.lowerer()
        filters = [self._pick_filter(a, rel) if a.function in ("first", "last") else a.filter for a in aggs]
        where, filters = _shared_filter(filters, self.as_of)
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

    # ---- ranking: window functions over every customer ----
    def _ranking_level(self, level: int, windows: list) -> None:
        source = ENTITY if self.rank is None else RANK  # where this level reads values
        low = Lowerer(self.d, self.tz, self.as_of, self.refs, source, ROWS)
        key = _col(self.schema.entity.key, source)
        columns, aliases = [], []
        for w in windows:
            self.windows += 1
            aliases.append(f"__w{self.windows}")
            columns.append(exp.alias_(self._window(w, low, key), aliases[-1], quoted=True, copy=False))
        self._rank_cte(f"__rank{level}", columns, low)
        for w, alias in zip(windows, aliases):
            self.refs[w] = _col(alias, RANK)
            self.carry[w] = alias

    def _window(self, w, low: Lowerer, key) -> exp.Expression:
        # the value is lowered afresh wherever it appears (cheaper than copying a tree)
        nullable = low.nullable(w.value)
        desc = isinstance(w, ir.Ranked) and w.direction == "top"

        def value():
            return low.value(w.value)

        def is_null():
            return exp.Is(this=value(), expression=exp.Null())

        def over(fn, ordered=True):
            spec = {"this": fn}
            if nullable:
                spec["partition_by"] = [is_null()]
            if ordered:
                spec["order"] = exp.Order(expressions=[exp.Ordered(this=value(), desc=desc, nulls_first=False),
                                                       exp.Ordered(this=fresh(key), desc=False, nulls_first=False)])
            return exp.Window(**spec)

        def n():
            return exp.Window(this=exp.Count(this=value()))

        row = over(exp.RowNumber())
        if isinstance(w, ir.Bucket):
            ntile = over(exp.Ntile(this=exp.Literal.number(w.buckets)))
            return exp.Case(ifs=[exp.If(this=is_null(), true=exp.Null())], default=ntile) if nullable else ntile
        if isinstance(w, ir.Percentile):
            share = exp.Div(
                this=_cast(exp.Mul(this=exp.Literal.number(100), expression=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1)))), _data_type(DOUBLE)),
                expression=_cast(exp.Sub(this=n(), expression=exp.Literal.number(1)), _data_type(DOUBLE)))
            ifs = [exp.If(this=exp.EQ(this=n(), expression=exp.Literal.number(1)),
                          true=_cast(exp.Literal.number(100), _data_type(DOUBLE)))]
            if nullable:
                ifs.insert(0, exp.If(this=is_null(), true=exp.Null()))
            return exp.Case(ifs=ifs, default=share)
        # Ranked: the first `limit` rows, or the first ceil(n * P / 100): with P = a / 10^k,
        # row r is in when (r - 1) * 100 * 10^k < n * a (exact integer arithmetic).
        if w.limit is not None:
            inside = exp.LTE(this=row, expression=exp.Literal.number(w.limit))
        else:
            a, scale = _ratio(w.percent)
            inside = exp.LT(this=exp.Mul(this=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1))),
                                         expression=exp.Literal.number(100 * scale)),
                            expression=exp.Mul(this=n(), expression=exp.Literal.number(a)))
        if nullable:
            inside = exp.and_(exp.Not(this=is_null()), inside, copy=False)
        return inside


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _unwrap_local(v):
    return v.value if isinstance(v, ir.LocalDate) else v


def _fixed(v) -> bool:
    """A value fixed for the whole query: a literal, today, or a shift of one."""
    if isinstance(v, ir.ShiftDate):
        return _fixed(v.base)
    return isinstance(v, (ir.Lit, ir.Today))


def _map(node, fn):
    """`node` with every sub-node n replaced by fn(n) (top-down; a replaced node is kept)."""
    out = fn(node)
    if out is not node:
        return out
    changes = {}
    for name in node.__dataclass_fields__:
        v = getattr(node, name)
        nv = _map_value(v, fn)
        if nv is not v:
            changes[name] = nv
    return dataclasses.replace(node, **changes) if changes else node


def _map_value(v, fn):
    if isinstance(v, tuple):
        items = tuple(_map_value(x, fn) for x in v)
        return items if any(a is not b for a, b in zip(items, v)) else v
    if dataclasses.is_dataclass(v) and not isinstance(v, (type, Type)):
        return _map(v, fn)
    return v


_ZERO_WHEN_EMPTY = ("count", "count_distinct", "sum")
_MISSING = object()


def _empty_truth(cond, relation: str):
    """The truth of `cond` for a customer with no rows in `relation` (counts and sums 0,
    other aggregates missing) when it does not depend on anything else, else None."""
    def value(v):
        if isinstance(v, ir.Agg) and v.relation == relation:
            return 0 if v.function in _ZERO_WHEN_EMPTY else _MISSING
        if isinstance(v, ir.Lit) and not isinstance(v.value, bool):
            return v.value
        if isinstance(v, ir.LocalDate):
            return _MISSING if value(v.value) is _MISSING else None
        if isinstance(v, ir.Arith):
            a, b = value(v.left), value(v.right)
            if _MISSING in (a, b):
                return _MISSING
            if a is None or b is None:
                return None
            if v.op == "/":
                return _MISSING if b == 0 else None
            return a + b if v.op == "+" else a - b if v.op == "-" else a * b
        return None

    def truth(c):
        if isinstance(c, ir.Cmp):
            a, b = value(c.left), value(c.right)
            if _MISSING in (a, b):
                return False
            if a is None or b is None:
                return None
            return {"=": a == b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[c.op]
        if isinstance(c, ir.IsSet):
            v = value(c.value)
            return False if v is _MISSING else None if v is None else True
        if isinstance(c, ir.Truthy):
            return False if value(c.value) is _MISSING else None
        if isinstance(c, ir.And):
            found = [truth(i) for i in c.items]
            return False if False in found else True if all(found) else None
        if isinstance(c, ir.Or):
            found = [truth(i) for i in c.items]
            return True if True in found else False if all(f is False for f in found) else None
        if isinstance(c, ir.Not):
            t = truth(c.item)
            return None if t is None else not t
        if isinstance(c, ir.SegmentRef):
            return truth(c.cond)
        if isinstance(c, ir.Const):
            return c.value
        return None

    return truth(cond)


def _walk_outside_windows(roots):
    """The nodes under `roots`, without looking into the values rankings are computed from."""
    stack = list(roots)
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, _WINDOW_NODES):
            stack.extend(ir.children(n))


def _conjuncts(c) -> tuple:
    return c.items if isinstance(c, ir.And) else (c,)


def _shared_filter(filters: list, as_of=None) -> tuple:
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


def _ratio(percent: Decimal) -> tuple[int, int]:
    scale = 1
    while percent * scale != (percent * scale).to_integral_value():
        scale *= 10
    return int(percent * scale), scale


def _window_levels(nodes) -> list[list]:
    """Window nodes grouped by level: a window whose value uses another is one level later."""
    windows = list(dict.fromkeys(n for n in nodes if isinstance(n, _WINDOW_NODES)))
    level: dict = {}

    def level_of(w) -> int:
        if w not in level:
            inner = [n for n in ir.walk(w.value) if isinstance(n, _WINDOW_NODES)]
            level[w] = 1 + max((level_of(x) for x in inner), default=0)
        return level[w]

    groups: dict[int, list] = {}
    for w in windows:
        groups.setdefault(level_of(w), []).append(w)
    return [groups[k] for k in sorted(groups)]


def _direct_refs(cond) -> set[str]:
    """Names of the segments `cond` uses directly (not those they use in turn)."""
    found, stack = set(), [cond]
    while stack:
        n = stack.pop()
        if isinstance(n, ir.SegmentRef) and n is not cond:
            found.add(n.name)
            continue
        stack.extend(ir.children(n))
    return found


def _segment_levels(conds: dict) -> dict[str, int]:
    level: dict[str, int] = {}

    def level_of(name: str) -> int:
        if name not in level:
            level[name] = 1 + max((level_of(d) for d in _direct_refs(conds[name])), default=0)
        return level[name]

    for name in conds:
        level_of(name)
    return level


def build_query(cond: ir.Cond, schema, dialect: Dialect, settings, as_of) -> exp.Select:
    return QueryBuilder(schema, dialect, settings.timezone, as_of, settings.snapshots_table).build(cond)


def build_batch_query(segments: dict, schema, dialect: Dialect, settings, as_of) -> exp.Select:
    return QueryBuilder(schema, dialect, settings.timezone, as_of, settings.snapshots_table).build_batch(segments)


__all__ = ["build_query", "build_batch_query", "balanced"]
