"""Assembling one segment's query: relation passes, ranking levels, the final filter.

Shape (each part only when needed):

    WITH "__orders" AS (            -- one grouped pass per relation, every aggregate in it
           SELECT key AS "__key", COUNT(CASE WHEN ... THEN 1 END) AS "a1", ... GROUP BY key),
         "__rank1" AS (             -- window functions over all customers (ranking level 1)
           SELECT c.key AS "__key", ROW_NUMBER() OVER (...) ... FROM customers LEFT JOIN ...)
    SELECT c.key FROM customers AS c LEFT JOIN "__orders" ... LEFT JOIN "__rank1" ...
    WHERE <condition> ORDER BY c.key

Rankings whose value uses another ranking get a later level, so windows never nest.
"""

from __future__ import annotations

from decimal import Decimal

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import Dialect
from segdsl.sql.values import DOUBLE, Lowerer, balanced

KEY = "__key"
ENTITY = "c"
ROWS = "r"
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

    def lowerer(self, relation_alias=ROWS) -> Lowerer:
        return Lowerer(self.d, self.tz, self.as_of, self.refs, ENTITY, relation_alias)

    def build(self, cond: ir.Cond) -> exp.Select:
        self._shared_passes(list(ir.walk(cond)))
        where = self.lowerer().cond(cond)
        return self._from_entity(exp.select(_col(self.schema.entity.key, ENTITY))) \
            .where(where).order_by(_col(self.schema.entity.key, ENTITY))

    def build_batch(self, segments: dict[str, ir.Cond]) -> exp.Select:
        """One row per customer, one boolean column per segment, every relation pass and
        ranking shared; a segment that others use is computed once, in an earlier level."""
        self._shared_passes([n for c in segments.values() for n in ir.walk(c)])
        conds = dict(segments)
        for c in segments.values():
            for n in ir.walk(c):
                if isinstance(n, ir.SegmentRef):
                    conds.setdefault(n.name, n.cond)
        levels = _segment_levels(conds)
        top = max(levels[name] for name in segments)
        for level in range(1, top):
            names = [n for n in conds if levels[n] == level]
            if names:
                self._segment_level(level, names, conds)
        low = self.lowerer()
        key = _col(self.schema.entity.key, ENTITY)
        columns = [key]
        for name, cond in segments.items():
            ref = self.refs.get(ir.SegmentRef(name, cond))
            columns.append(exp.alias_(ref if ref is not None else low.cond(cond), name, quoted=True))
        return self._from_entity(exp.select(*columns)).order_by(key.copy())

    def _segment_level(self, level: int, names: list[str], conds: dict) -> None:
        cte = f"__segments{level}"
        low = self.lowerer()
        columns = [exp.alias_(_col(self.schema.entity.key, ENTITY), KEY, quoted=True)]
        for i, name in enumerate(names, start=1):
            columns.append(exp.alias_(low.cond(conds[name]), f"s{i}", quoted=True))
        select = self._from_entity(exp.select(*columns))
        select.set("with_", None)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(cte))))
        self.joins.append(self._join_on_key(cte))
        for i, name in enumerate(names, start=1):
            self.refs[ir.SegmentRef(name, conds[name])] = _col(f"s{i}", cte)

    def _shared_passes(self, nodes: list) -> None:
        aggs = list(dict.fromkeys(n for n in nodes if isinstance(n, ir.Agg)))
        by_relation: dict[str, list[ir.Agg]] = {}
        for a in aggs:
            by_relation.setdefault(a.relation, []).append(a)
        for name, group in by_relation.items():
            self._relation_pass(self.schema.relations[name], group)
        for i, snap in enumerate(dict.fromkeys(n for n in nodes if isinstance(n, ir.InSnapshot)), start=1):
            self._snapshot(i, snap)
        for level, windows in enumerate(_window_levels(nodes), start=1):
            self._ranking_level(level, windows)

    def _snapshot(self, i: int, snap: ir.InSnapshot) -> None:
        # the members of the latest snapshot of the segment taken for a date <= `at`
        name, table = f"__snapshot{i}", self.snapshots_table
        low = self.lowerer()
        segment = exp.Literal.string(snap.name)
        latest = exp.select(exp.Max(this=_col("snapshot_id", "t"))).from_(_table(table, "t")).where(
            exp.and_(exp.EQ(this=_col("segment", "t"), expression=segment.copy()),
                     exp.LTE(this=_col("as_of", "t"), expression=low.value(snap.at))))
        members = exp.select(exp.alias_(_col("member_key", "s"), KEY, quoted=True)).from_(_table(table, "s")).where(
            exp.and_(exp.EQ(this=_col("segment", "s"), expression=segment),
                     exp.EQ(this=_col("snapshot_id", "s"), expression=exp.Subquery(this=latest))))
        self.ctes.append(exp.CTE(this=members, alias=exp.TableAlias(this=_id(name))))
        self.joins.append(self._join_on_key(name))
        self.refs[snap] = exp.Not(this=exp.Is(this=_col(KEY, name), expression=exp.Null()))

    def _from_entity(self, select: exp.Select) -> exp.Select:
        select = select.from_(_table(self.schema.entity.table, ENTITY))
        for join in self.joins:
            select = select.join(join.copy())
        if self.ctes:
            select.set("with_", exp.With(expressions=[c.copy() for c in self.ctes]))
        return select

    def _join_on_key(self, cte_name: str) -> exp.Join:
        on = exp.EQ(this=_col(KEY, cte_name), expression=_col(self.schema.entity.key, ENTITY))
        return exp.Join(this=exp.Table(this=_id(cte_name)), kind="LEFT", on=on)

    # ---- one grouped pass over a relation ----
    def _relation_pass(self, rel, aggs: list[ir.Agg]) -> None:
        name = f"__{rel.name}"
        low = self.lowerer()
        picks = []  # first/last: a row number column per aggregate
        columns = [exp.alias_(_col(rel.key, ROWS), KEY, quoted=True)]
        for i, agg in enumerate(aggs, start=1):
            alias = f"a{i}"
            if agg.function in ("first", "last"):
                rn = f"__rn{i}"
                picks.append((rn, agg))
                expr = self._pick(agg, rn, low, rel)
            else:
                expr = self._aggregate(agg, low)
            columns.append(exp.alias_(expr, alias, quoted=True))
            self.refs[agg] = _col(alias, name)
        source: exp.Expression = _table(rel.table, ROWS)
        if picks:
            inner = exp.select(exp.Star()).from_(exp.Table(this=_id(rel.table)))
            inner = exp.select(*([exp.Column(this=exp.Star(), table=_id(rel.table))] +
                                 [exp.alias_(self._row_number(agg, rel), rn, quoted=True) for rn, agg in picks])) \
                .from_(exp.Table(this=_id(rel.table)))
            source = exp.Subquery(this=inner, alias=exp.TableAlias(this=_id(ROWS)))
        select = exp.select(*columns).from_(source).group_by(_col(rel.key, ROWS))
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.joins.append(self._join_on_key(name))

    def _aggregate(self, agg: ir.Agg, low: Lowerer) -> exp.Expression:
        col = low.value(agg.column) if agg.column is not None else None
        flt = low.cond(agg.filter) if agg.filter is not None else None

        def when(value):
            return value if flt is None else exp.Case(ifs=[exp.If(this=flt, true=value)])

        fn = agg.function
        if fn == "count":
            if col is None:
                return exp.Count(this=exp.Star()) if flt is None else exp.Count(this=when(exp.Literal.number(1)))
            return exp.Count(this=when(col))
        if fn == "count_distinct":
            return exp.Count(this=exp.Distinct(expressions=[when(col)]))
        if fn == "sum":
            return exp.Sum(this=when(col))
        if fn == "avg":
            return exp.Avg(this=exp.cast(when(col), exp.DataType.build(DOUBLE)))
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
                          exp.EQ(this=_col(rn, ROWS), expression=exp.Literal.number(1)))
        value = exp.Case(ifs=[exp.If(this=chosen, true=low.value(agg.column))])
        return self.d.pick(value, agg.type.kind == "boolean")

    # ---- ranking: window functions over every customer ----
    def _ranking_level(self, level: int, windows: list) -> None:
        name = f"__rank{level}"
        low = self.lowerer()
        key = _col(self.schema.entity.key, ENTITY)
        columns = [exp.alias_(key.copy(), KEY, quoted=True)]
        for i, w in enumerate(windows, start=1):
            alias = f"w{i}"
            columns.append(exp.alias_(self._window(w, low, key), alias, quoted=True))
        select = self._from_entity(exp.select(*columns))
        select.set("with_", None)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.joins.append(self._join_on_key(name))
        for i, w in enumerate(windows, start=1):
            self.refs[w] = _col(f"w{i}", name)

    def _window(self, w, low: Lowerer, key) -> exp.Expression:
        value = low.value(w.value)
        nullable = low.nullable(w.value)
        is_null = exp.Is(this=value.copy(), expression=exp.Null())
        desc = isinstance(w, ir.Ranked) and w.direction == "top"

        def over(fn, ordered=True):
            spec = {"this": fn}
            if nullable:
                spec["partition_by"] = [is_null.copy()]
            if ordered:
                spec["order"] = exp.Order(expressions=[exp.Ordered(this=value.copy(), desc=desc, nulls_first=False),
                                                       exp.Ordered(this=key.copy(), desc=False, nulls_first=False)])
            return exp.Window(**spec)

        row = over(exp.RowNumber())
        n = exp.Window(this=exp.Count(this=value.copy()))
        if isinstance(w, ir.Bucket):
            ntile = over(exp.Ntile(this=exp.Literal.number(w.buckets)))
            return exp.Case(ifs=[exp.If(this=is_null.copy(), true=exp.Null())], default=ntile) if nullable else ntile
        if isinstance(w, ir.Percentile):
            share = exp.Div(
                this=exp.cast(exp.Mul(this=exp.Literal.number(100), expression=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1)))), exp.DataType.build(DOUBLE)),
                expression=exp.cast(exp.Sub(this=n.copy(), expression=exp.Literal.number(1)), exp.DataType.build(DOUBLE)))
            ifs = [exp.If(this=exp.EQ(this=n.copy(), expression=exp.Literal.number(1)),
                          true=exp.cast(exp.Literal.number(100), exp.DataType.build(DOUBLE)))]
            if nullable:
                ifs.insert(0, exp.If(this=is_null.copy(), true=exp.Null()))
            return exp.Case(ifs=ifs, default=share)
        # Ranked: the first `limit` rows, or the first ceil(n * P / 100): with P = a / 10^k,
        # row r is in when (r - 1) * 100 * 10^k < n * a (exact integer arithmetic).
        if w.limit is not None:
            inside = exp.LTE(this=row, expression=exp.Literal.number(w.limit))
        else:
            a, scale = _ratio(w.percent)
            inside = exp.LT(this=exp.Mul(this=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1))),
                                         expression=exp.Literal.number(100 * scale)),
                            expression=exp.Mul(this=n, expression=exp.Literal.number(a)))
        if nullable:
            inside = exp.and_(exp.Not(this=is_null), inside)
        return inside


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
