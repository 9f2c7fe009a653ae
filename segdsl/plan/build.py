"""IR -> Plan: one pure function of the IR, the schema, the settings and the engine's
capabilities for each kind of query (a segment, a batch, trait values).

The plan is assembled by one short-lived `_Draft` per call (the steps so far, where each
computed node is read, which passes are joined) and returned frozen; then the plan rewrites
run (segdsl.plan.rewrites).

Shape decisions:
- One grouped pass per relation computes every aggregate the query needs from it; a pass of
  keys instead when the relation's one count is only tested for 0 (RowsExist).
- first/last: where the engine computes a CTE read twice once, the relation pass finds the
  earliest/latest time and a pick pass joined to it takes the value at that time; elsewhere
  the rows are numbered inside the relation pass.
- Rankings in levels (a ranking whose value uses another is one level later); a level is
  narrow (the key, its windows and what later levels read), because window operators sort
  every column they carry. The final select joins the passes it reads itself (read twice,
  computed once); engines that do not materialise CTEs carry every aggregate in level 1.
- In a batch, segments that others use are computed once, in segment levels (a chain).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal, assert_never

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.rewrites import Context, rewrite_plan, rewrite_segment
from segdsl.plan.truth import bounded_below, segment_levels, walk, walk_outside_windows, window_levels

KEY = "__key"  # the key column of every pass and snapshot read
ENTITY = "c"  # the entity table, or the last segment level
RANK = "r"  # the last ranking level (and a relation's rows inside its pass)

Role = Literal["aggregate", "window", "snapshot", "rows", "segment", "sequence", "row value", "condition"]


def node_role(node: ir.Value | pn.Cond) -> Role:
    """What the plan does with an IR node: a pass computes aggregates (and the key-only
    existence tests), ranking levels windows, snapshot reads snapshot flags, batches
    segments; everything else is lowered where it is read."""
    match node:
        case ir.Agg():
            return "aggregate"
        case ir.Percentile() | ir.Bucket() | ir.Ranked():
            return "window"
        case ir.InSnapshot():
            return "snapshot"
        case pn.RowsExist():
            return "rows"
        case ir.SegmentRef():
            return "segment"
        case (ir.Col() | ir.RelCol() | ir.Lit() | ir.Today() | ir.Now() | ir.ShiftDate() | ir.StartOf()
              | ir.LocalDate() | ir.Arith()
              | ir.Neg() | ir.Func() | ir.CondValue() | ir.ScoreValue() | ir.FamilyValue()
              | ir.HashBucket() | ir.FirstMatch()):
            return "row value"
        case ir.Sequence():
            return "sequence"
        case (ir.Cmp() | ir.InSet() | ir.IsSet() | ir.Text() | ir.ListHas() | ir.Truthy() | ir.And() | ir.Or()
              | ir.Not() | ir.Const() | ir.Anniversary()):
            return "condition"
        case _:
            assert_never(node)


def plan_segment(cond: ir.Cond, schema: Any, caps: pn.Capabilities, settings: Any,
                 as_of: dt.date | None, ordered: bool = True) -> pn.Plan:
    """The member keys of one segment."""
    ctx = Context(settings.timezone, as_of, caps)
    where = rewrite_segment(cond, ctx)
    draft = _Draft(schema, caps, settings.snapshots_table)
    draft.shared_passes([where], exists=caps.exists_joins)
    select = pn.Select("segment", draft.source(), draft.key(), (), where, ordered, draft.frozen(),
                       tuple(draft.exists))
    return rewrite_plan(pn.Plan(tuple(draft.steps), select, schema.entity.key), ctx)


def plan_batch(segments: dict[str, ir.Cond], schema: Any, caps: pn.Capabilities, settings: Any,
               as_of: dt.date | None, ordered: bool = True) -> pn.Plan:
    """One row per customer, one boolean column per segment, every pass and ranking shared;
    a segment that others use is computed once, in an earlier segment level."""
    draft = _Draft(schema, caps, settings.snapshots_table)
    draft.shared_passes(list(segments.values()))
    conds = dict(segments)
    used: set[str] = set()
    for c in segments.values():
        for n in walk(c):
            if isinstance(n, ir.SegmentRef):
                conds.setdefault(n.name, n.cond)
                used.add(n.name)
    levels = segment_levels(conds)
    for level in range(1, max((levels[n] for n in used), default=0) + 1):
        names = [n for n in conds if levels[n] == level and n in used]
        if names:
            draft.segment_level(level, names, conds)
    outputs = tuple(pn.Output(name, cond=ir.SegmentRef(name, cond)) for name, cond in segments.items())
    select = pn.Select("batch", draft.source(), draft.key(), outputs, None, ordered, draft.frozen())
    return rewrite_plan(pn.Plan(tuple(draft.steps), select, schema.entity.key), Context(settings.timezone, as_of, caps))


def plan_values(values: dict[str, ir.Value], schema: Any, caps: pn.Capabilities, settings: Any,
                as_of: dt.date | None, ordered: bool = True) -> pn.Plan:
    """One row per customer: the key and one column per IR value (traits), computed by the
    same passes and rankings as segments, so each equals what a segment compares."""
    draft = _Draft(schema, caps, settings.snapshots_table)
    draft.shared_passes(list(values.values()))
    outputs = tuple(pn.Output(name, value=v) for name, v in values.items())
    select = pn.Select("values", draft.source(), draft.key(), outputs, None, ordered, draft.frozen())
    return rewrite_plan(pn.Plan(tuple(draft.steps), select, schema.entity.key), Context(settings.timezone, as_of, caps))


def plan_why(outputs: dict[str, ir.Cond | ir.Value], keys: ir.Cond, schema: Any, caps: pn.Capabilities,
             settings: Any, as_of: dt.date | None, ordered: bool = True) -> pn.Plan:
    """A row per customer that `keys` holds for: the key and one column per condition or
    value of a segment's tree (segdsl.why). The passes and rankings are those of a batch
    over every customer (a rank is among all of them); only the final select is filtered."""
    draft = _Draft(schema, caps, settings.snapshots_table)
    draft.shared_passes([*outputs.values(), keys])
    columns = tuple(pn.Output(name, value=node) if isinstance(node, ir.Value) else pn.Output(name, cond=node)
                    for name, node in outputs.items())
    select = pn.Select("why", draft.source(), draft.key(), columns, keys, ordered, draft.frozen())
    return rewrite_plan(pn.Plan(tuple(draft.steps), select, schema.entity.key), Context(settings.timezone, as_of, caps))


class _Draft:
    """The plan while one build_* call assembles it (never shared, never returned)."""

    def __init__(self, schema: Any, caps: pn.Capabilities, snapshots_table: str):
        self.schema = schema
        self.caps = caps
        self.snapshots_table = snapshots_table
        self.steps: list[pn.Step] = []
        self.scope: dict[pn.Computed, pn.ColumnRef] = {}  # where each computed node is read now
        self.carry: dict[pn.Computed, str] = {}  # its column's name when a level carries it
        self.joins: list[pn.Join] = []  # passes the next select from the entity joins
        self.rank: str | None = None  # the last ranking level
        self.level: str | None = None  # the last segment level
        self.window_columns: list[str] = []  # entity columns ranking values read
        self.outside_columns: list[str] = []  # entity columns read outside ranking values
        self.outside_key = False  # whether the key itself is read outside ranking values
        self.outside_nodes: set[Any] = set()  # computed nodes read outside ranking values
        self.late_nodes: set[Any] = set()  # computed nodes read by rankings after level 1
        self.all_windows: list[pn.Window] = []
        self.exists: list[pn.ExistsTest] = []  # existence tests the final select writes as EXISTS
        self.windows = 0
        self.segments = 0

    def frozen(self) -> pn.Scope:
        return tuple(self.scope.items())

    # ---- passes ----
    def shared_passes(self, roots: list[Any], exists: bool = False) -> None:
        """The passes, snapshot reads, sequences and ranking levels `roots` need; with
        `exists`, a relation's existence tests as EXISTS in the final select where they can
        be (see exists_tests)."""
        nodes = [n for r in roots for n in walk(r)]
        roles = [node_role(n) for n in nodes]
        key = self.schema.entity.key
        self.window_columns = list(dict.fromkeys(
            c.name for w in nodes if isinstance(w, pn.WINDOW_NODES)
            for c in pn.window_inputs(w) if isinstance(c, ir.Col) and c.name != key))
        outside = list(walk_outside_windows(roots))
        self.outside_columns = list(dict.fromkeys(c.name for c in outside if isinstance(c, ir.Col) and c.name != key))
        self.outside_key = any(isinstance(c, ir.Col) and c.name == key for c in outside)
        self.outside_nodes = {n for n in outside if isinstance(n, pn.COMPUTED)}
        levels = window_levels(nodes)
        for windows in levels[1:]:
            self.late_nodes |= {n for w in windows for n in pn.window_inputs(w) if isinstance(n, pn.COMPUTED)}
        aggs: list[ir.Agg] = list(dict.fromkeys(n for n, r in zip(nodes, roles) if r == "aggregate"))
        tests = [n for n, r in zip(nodes, roles) if r == "rows"]
        by_relation: dict[str, list[ir.Agg]] = {}
        for a in aggs:
            by_relation.setdefault(a.relation, []).append(a)
        for name, group in by_relation.items():
            if exists and not any(levels):
                done = self.exists_tests(self.schema.relations[name], group, tests, nodes)
                group = [a for a in group if a not in done]
                if not group:
                    continue
            mine = [t for t in tests if t.agg == group[0]]
            if len(group) == 1 and mine and sum(n == group[0] for n in nodes) == len(mine):
                # the relation's one count is only ever tested for 0: a pass of keys
                self.keys_pass(self.schema.relations[name], mine[0])
            else:
                self.relation_pass(self.schema.relations[name], group)
        snapshots = dict.fromkeys(n for n, r in zip(nodes, roles) if r == "snapshot")
        for i, snap in enumerate(snapshots, start=1):
            self.snapshot(i, snap)
        sequences = dict.fromkeys(n for n, r in zip(nodes, roles) if r == "sequence")
        for i, seq in enumerate(sequences, start=1):
            self.sequence(i, seq)
        self.all_windows = [w for ws in levels for w in ws]
        for level, windows in enumerate(levels, start=1):
            self.ranking_level(level, windows)

    def relation_pass(self, rel: Any, aggs: list[ir.Agg], name: str | None = None,
                      only: frozenset[ir.Agg] | None = None) -> None:
        distinct = [a for a in aggs if a.function == "count_distinct"]
        if name is None and self.caps.distinct_apart and distinct and len(distinct) < len(aggs):
            # an engine that aggregates slower with a DISTINCT aggregate among the others:
            # the distinct counts in a pass of their own (a customer without a row in one
            # pass misses only that pass's aggregates)
            rest = [a for a in aggs if a.function != "count_distinct"]
            self.relation_pass(rel, rest, f"__{rel.name}", frozenset(rest))
            self.relation_pass(rel, distinct, f"__{rel.name}:distinct", frozenset(distinct))
            return
        name = name or f"__{rel.name}"
        pick = [a for a in aggs if a.function in ("first", "last")] if self.caps.materializes_ctes else []
        times = {a: _pick_time(a, rel) for a in pick}
        own = [a for a in aggs if a not in times]  # what the query reads from this pass
        computed = list(dict.fromkeys(own + list(times.values())))
        columns = []
        for i, agg in enumerate(computed, start=1):
            alias = f"a{i}"
            if agg.function in ("first", "last"):
                flt = pick_filter(agg, rel)
                columns.append(pn.Aggregate(alias, agg, flt, flt, numbered=f"__rn{i}"))
            else:
                columns.append(pn.Aggregate(alias, agg, agg.filter, agg.filter))
            self.scope[agg] = pn.ColumnRef(name, alias)
            if agg in own:
                self.carry[agg] = f"{name}_{alias}"
        self.steps.append(pn.RelationPass(name, rel.name, rel.table, rel.key, rel.time, tuple(columns),
                                          customer=self.customer(aggs)))
        if own:  # a pass that only finds pick times is read by the pick pass alone
            self.joins.append(pn.Join(name, frozenset(own), rel.name, only=only))
        if pick:
            self.pick_pass(rel, pick, times)

    def pick_pass(self, rel: Any, pick: list[ir.Agg], times: dict[ir.Agg, ir.Agg]) -> None:
        name, base = f"__{rel.name}:picks", f"__{rel.name}"
        picks = []
        for i, agg in enumerate(pick, start=1):
            picks.append(pn.Pick(f"p{i}", agg, self.scope[times[agg]], agg.filter, agg.filter))
            self.scope[agg] = pn.ColumnRef(name, f"p{i}")
            self.carry[agg] = f"__{rel.name}:p{i}"
        one_time = len(set(times.values())) == 1
        self.steps.append(pn.PickPass(name, base, rel.name, rel.table, rel.key, rel.time, tuple(picks), one_time,
                                      customer=self.customer(pick)))
        self.joins.append(pn.Join(name, frozenset(pick), rel.name, only=frozenset(pick)))

    def exists_tests(self, rel: Any, aggs: list[ir.Agg], tests: list[Any], nodes: list[Any]) -> set[ir.Agg]:
        """Existence tests of the relation as EXISTS in the final select, the counts computed
        nowhere, when that is the analyst's faster shape: every count of the relation is only
        ever tested for 0 and reads no customer column, some test is negated and reads the
        relation's whole history (no lower bound on its time: an anti join), and every test
        that is not negated reads a window (a semi join from few keys). `first did "E" in last
        30 days` ("a row in the window, none before it") is that shape.

        Measured on DuckDB against the one pass that counts both: 0.54-0.8x for the shape
        (`first_time_buyers`, `did "E" in last 30 days and not did "F"`); 1.2-1.5x when the
        positive test reads the whole history too (`did "A" and not did "B"`) or the negated
        one a window (`... and not did "B" in last 30 days`); a lone test that many customers
        pass up to 5x slower than its pass of keys. Those keep their passes."""
        found: dict[ir.Agg, list[Any]] = {}
        for agg in aggs:
            mine = list(dict.fromkeys(t for t in tests if t.agg == agg))
            if not mine or sum(n == agg for n in nodes) != sum(t.agg == agg for t in tests) \
                    or self.customer([agg]) is not None:
                return set()
            found[agg] = mine
        if rel.time is None or len(found) < 2:
            return set()
        negated = Counter(n.item for n in nodes if isinstance(n, ir.Not) and isinstance(n.item, pn.RowsExist))
        uses = Counter(n for n in nodes if isinstance(n, pn.RowsExist))
        every = [t for mine in found.values() for t in mine]
        positive = [t for t in every if uses[t] > negated[t]]
        history = [t for t in every if negated[t] and not bounded_below(t.agg.filter, rel.time)]
        if not history or not positive or not all(bounded_below(t.agg.filter, rel.time) for t in positive):
            return set()
        self.exists += [pn.ExistsTest(t, rel.table, rel.key, self.schema.entity.key) for t in every]
        return set(found)

    def keys_pass(self, rel: Any, test: pn.RowsExist) -> None:
        name = f"__{rel.name}"
        self.steps.append(pn.KeyPass(name, rel.name, rel.table, rel.key, test.agg.filter,
                                     customer=self.customer([test.agg])))
        self.scope[test] = pn.ColumnRef(name, KEY, present=True)
        self.carry[test] = f"__{rel.name}_rows"
        self.joins.append(pn.Join(name, frozenset({test.agg, test}), rel.name))

    def customer(self, aggs: list[ir.Agg]) -> tuple[str, str] | None:
        """The entity table and key when a row filter of these aggregates reads the
        customer's own values (the pass then joins the entity table)."""
        reads = any(isinstance(n, ir.Col) for a in aggs if a.filter is not None for n in ir.walk(a.filter))
        return (self.schema.entity.table, self.schema.entity.key) if reads else None

    def snapshot(self, i: int, snap: ir.InSnapshot) -> None:
        name = f"__snapshot{i}"
        self.steps.append(pn.SnapshotRead(name, self.snapshots_table, snap.name, snap.at))
        self.joins.append(pn.Join(name, frozenset({snap})))
        self.scope[snap] = pn.ColumnRef(name, KEY, present=True)
        self.carry[snap] = f"__in_snapshot{i}"

    def sequence(self, i: int, seq: ir.Sequence) -> None:
        name, rel = f"__sequence{i}", self.schema.relations[seq.relation]
        reads = any(isinstance(n, ir.Col) for c in seq.rows for n in ir.walk(c))
        customer = (self.schema.entity.table, self.schema.entity.key) if reads else None
        self.steps.append(pn.SequencePass(name, rel.table, rel.key, seq, customer))
        self.joins.append(pn.Join(name, frozenset({seq})))
        self.scope[seq] = pn.ColumnRef(name, KEY, present=True)
        self.carry[seq] = f"__in_sequence{i}"

    # ---- levels ----
    def ranking_level(self, level: int, windows: list[pn.Window]) -> None:
        named = []
        for w in windows:
            self.windows += 1
            named.append((f"__w{self.windows}", w))
        name, scope, key = f"__rank{level}", self.frozen(), self.schema.entity.key
        moved: dict[pn.Computed, pn.ColumnRef] = {}
        if self.rank is None:
            if self.caps.materializes_ctes:
                wanted = {n for w in self.all_windows for n in pn.window_inputs(w)}
                joins = [j for j in self.joins if j.provides & wanted]
                carried = self.carried(moved, RANK, only=self.late_nodes)
            else:
                joins = self.joins
                carried = self.carried(moved, RANK)
                self.joins = []  # the final select reads the aggregates from the ranking
            self.steps.append(pn.RankLevel(name, key, tuple(named), scope, None, self.schema.entity.table,
                                           tuple(self.window_columns), carried, tuple(joins)))
        else:
            self.steps.append(pn.RankLevel(name, key, tuple(named), scope, previous=self.rank))
        self.scope.update(moved)
        self.rank = name
        if self.caps.materializes_ctes and not self.level:
            # the final select joins only the passes read outside the rankings
            self.joins = [j for j in self.joins if j.provides & self.outside_nodes]
        for alias, w in named:
            self.scope[w] = pn.ColumnRef(RANK, alias)
            self.carry[w] = alias

    def segment_level(self, level: int, names: list[str], conds: dict[str, ir.Cond]) -> None:
        segments = []
        for name in names:
            self.segments += 1
            segments.append((f"__s{self.segments}", name, conds[name]))
        step, scope = f"__segments{level}", self.frozen()
        moved: dict[pn.Computed, pn.ColumnRef] = {}
        if self.level is None:
            wanted = self.outside_nodes | {w for w in self.carry if isinstance(w, pn.WINDOW_NODES)}
            key = self.key()
            carried = self.carried(moved, ENTITY, only=wanted)
            self.steps.append(pn.SegmentLevel(step, self.source(), tuple(segments), scope, True, key,
                                              tuple(self.outside_columns), carried))
        else:
            self.steps.append(pn.SegmentLevel(step, pn.FromLevel(self.level), tuple(segments), scope, False))
        self.scope.update(moved)
        self.level = step
        for alias, name, cond in segments:
            self.scope[ir.SegmentRef(name, cond)] = pn.ColumnRef(ENTITY, alias)

    def carried(self, moved: dict[pn.Computed, pn.ColumnRef], alias: str,
                only: set[Any] | None = None) -> tuple[pn.Carried, ...]:
        """Every computed column so far (or those in `only`) under its own name; `moved`
        gets where each is found in the new level."""
        out = []
        for node, name in self.carry.items():
            if only is not None and node not in only:
                continue
            out.append(pn.Carried(node, self.scope[node], name))
            moved[node] = pn.ColumnRef(alias, name)
        return tuple(out)

    # ---- where a select reads from ----
    def needs_entity(self) -> bool:
        """After the rankings: whether a select reads the entity or a pass (the ranking
        levels alone hold the key and every window; a condition on the key reads it from
        the entity too, as every condition reads entity columns)."""
        return bool(self.outside_columns) or bool(self.joins) or self.outside_key

    def key(self) -> pn.ColumnRef:
        alone = self.level is None and self.rank is not None and not self.needs_entity()
        return pn.ColumnRef(RANK if alone else ENTITY, self.schema.entity.key)

    def source(self) -> pn.Source:
        if self.level is not None:
            return pn.FromLevel(self.level)
        if self.rank is not None and not self.needs_entity():
            return pn.FromRank(self.rank)
        return pn.FromEntity(self.schema.entity.table, tuple(self.joins), self.rank)


def _pick_time(agg: ir.Agg, rel: Any) -> ir.Agg:
    """The time first/last pick at: MIN/MAX of the time column over the same rows (a missing
    time is never the earliest or latest)."""
    time = rel.columns[rel.time]
    column = ir.RelCol(rel.name, time.name, time.type)
    return ir.Agg("max" if agg.function == "last" else "min", rel.name, column, agg.filter, time.type)


def pick_filter(agg: ir.Agg, rel: Any) -> ir.Cond:
    """The rows first/last choose from: those of the aggregate with a time."""
    time = rel.columns[rel.time]
    has_time = ir.IsSet(ir.RelCol(rel.name, time.name, time.type))
    return ir.and_(agg.filter, has_time) if agg.filter is not None else has_time
