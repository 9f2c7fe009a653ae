"""Assembling one segment's query: relation passes, ranking levels, the final filter.

Shape (each part only when needed):

    WITH "__orders" AS (            -- one grouped pass per relation, every aggregate in it
           SELECT key AS "__key", COUNT(*) FILTER (WHERE ...) AS "a1", ...
           FROM orders AS r
           WHERE <rows some aggregate uses>   -- only when every aggregate is filtered
           GROUP BY key),
         "__orders:picks" AS (      -- first/last: the value at the time the pass found
           SELECT key AS "__key", MAX(value) FILTER (WHERE time = "__orders"."a2") AS "p1"
           FROM orders AS r JOIN "__orders" ON key and time GROUP BY key),
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
`has ... where x < c` for single segments (plan.exists_form); a relation's only count, when
only tested for 0 (`has R`, `did "E"`, `has no R`), is a pass of keys and a test whether the
customer is among them (plan.existence_form).

Modules: naming (aliases), passes (relation passes), ranking (window levels), plan (IR
facts and rewrites), values (IR values and conditions as SQL), dialects.
"""

from __future__ import annotations

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import Dialect
from segdsl.sql.naming import ENTITY, KEY, RANK, ROWS, WINDOW_NODES, col as _col, ident as _id, table as _table
from segdsl.sql.passes import RelationPasses
from segdsl.sql.plan import empty_truth, exists_form, existence_form, map_nodes, segment_levels, walk_outside_windows
from segdsl.sql.ranking import Rankings, window_levels
from segdsl.sql.values import Lowerer, RowsExist, balanced, fresh

# what a pass or a snapshot provides, read where it is joined or from the level that carries it
COMPUTED = (ir.Agg, ir.InSnapshot, RowsExist)
SNAPSHOT_COLUMNS = {"snapshot_id": "bigint", "segment": "text", "as_of": "date",
                    "taken_at": "timestamp"}  # + member_key, of the entity key's type


class QueryBuilder(RelationPasses, Rankings):
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
        self.join_only: dict[int, set] = {}  # id(join) -> what a customer without a row there misses
        self.outside_nodes: set = set()  # aggregates / snapshots read outside ranking values
        self.late_nodes: set = set()  # aggregates / snapshots read by rankings after level 1
        self.rank: str | None = None  # the last ranking level CTE (read as "r")
        self.level: str | None = None  # the last segment level CTE (read as "c")
        self.window_columns: list[str] = []  # entity columns ranking values read
        self.outside_columns: list[str] = []  # entity columns read outside ranking values
        self.outside_key = False  # whether the key itself is read outside ranking values
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
        low = self.lowerer()
        cond = map_nodes(cond, lambda n: existence_form(exists_form(n, low)))
        self._shared_passes([cond])
        # a customer without a group in a relation pass cannot be a member: join it as
        # INNER, so the engine never produces (and then drops) those customers (ranking
        # levels joined their own copies, as LEFT: they rank every customer)
        for join in self.joins:
            relation = self.join_relation.get(id(join))
            if relation is not None and empty_truth(cond, relation, self.join_only.get(id(join))) is False:
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
        levels = segment_levels(conds)
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

    def build_values(self, values: dict[str, object]) -> exp.Select:
        """One row per customer: the key and one column per IR value (traits), computed by
        the same passes and rankings as segments, so each equals what a segment compares."""
        self._shared_passes(list(values.values()))
        low = self.lowerer()
        key = self._key()
        columns = [key] + [exp.alias_(low.value(v), name, quoted=True, copy=False) for name, v in values.items()]
        return self._select(columns).order_by(fresh(key), copy=False)

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
            c.name for w in nodes if isinstance(w, WINDOW_NODES)
            for c in ir.walk(w.value) if isinstance(c, ir.Col) and c.name != key))
        outside = list(walk_outside_windows(roots))
        self.outside_columns = list(dict.fromkeys(c.name for c in outside if isinstance(c, ir.Col) and c.name != key))
        self.outside_key = any(isinstance(c, ir.Col) and c.name == key for c in outside)
        self.outside_nodes = {n for n in outside if isinstance(n, COMPUTED)}
        for windows in window_levels(nodes)[1:]:
            self.late_nodes |= {n for w in windows for n in ir.walk(w.value) if isinstance(n, COMPUTED)}
        aggs = list(dict.fromkeys(n for n in nodes if isinstance(n, ir.Agg)))
        by_relation: dict[str, list[ir.Agg]] = {}
        for a in aggs:
            by_relation.setdefault(a.relation, []).append(a)
        for name, group in by_relation.items():
            tests = {n for n in nodes if isinstance(n, RowsExist) and n.agg == group[0]}
            if len(group) == 1 and tests and sum(n == group[0] for n in nodes) == sum(
                    isinstance(n, RowsExist) and n.agg == group[0] for n in nodes):
                # the relation's one count is only ever tested for 0: a pass of keys
                self._keys_pass(self.schema.relations[name], next(iter(tests)))
            else:
                self._relation_pass(self.schema.relations[name], group)
        for i, snap in enumerate(dict.fromkeys(n for n in nodes if isinstance(n, ir.InSnapshot)), start=1):
            self._snapshot(i, snap)
        levels = window_levels(nodes)
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
        (the ranking levels alone hold the key and every window; a condition on the key
        reads it from the entity too, as every condition reads entity columns)."""
        return bool(self.outside_columns) or bool(self.joins) or self.outside_key

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

    def _segment_cte(self, name: str, columns: list) -> None:
        """A segment level (batches): everything later levels and the final select use,
        plus `columns`; the first one carries the entity columns in use and every computed
        column, later ones all of the previous level."""
        moved: dict = {}
        if self.level is None:
            carried = [self._key()] + [_col(c, ENTITY) for c in self.outside_columns]
            wanted = self.outside_nodes | {w for w in self.carry if isinstance(w, WINDOW_NODES)}
            select = self._select(carried + self._carried(moved, ENTITY, only=wanted) + columns, with_ctes=False)
        else:
            select = self._select([exp.Column(this=exp.Star(), table=_id(ENTITY))] + columns, with_ctes=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.refs.update(moved)
        self.level = name

    def _join_on_key(self, cte_name: str) -> exp.Join:
        on = exp.EQ(this=_col(KEY, cte_name), expression=_col(self.schema.entity.key, ENTITY))
        return exp.Join(this=exp.Table(this=_id(cte_name)), kind="LEFT", on=on)


def build_query(cond: ir.Cond, schema, dialect: Dialect, settings, as_of) -> exp.Select:
    return dialect.finish(QueryBuilder(schema, dialect, settings.timezone, as_of, settings.snapshots_table).build(cond))


def build_batch_query(segments: dict, schema, dialect: Dialect, settings, as_of) -> exp.Select:
    return dialect.finish(QueryBuilder(schema, dialect, settings.timezone, as_of, settings.snapshots_table).build_batch(segments))


def build_values_query(values: dict, schema, dialect: Dialect, settings, as_of) -> exp.Select:
    return dialect.finish(QueryBuilder(schema, dialect, settings.timezone, as_of, settings.snapshots_table).build_values(values))


__all__ = ["build_query", "build_batch_query", "build_values_query", "balanced"]
