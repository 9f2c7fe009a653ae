"""The query plan: how a segment, a batch or trait values are computed, as plain frozen data.

A plan is a list of steps (each one common table expression of the final query) and the
final select. It decides the query's shape: which relations are read and how often, the
filter pushed into each pass, the aggregates each pass computes, the ranking levels and what
they rank, and where every computed value is read. It holds IR conditions and values (never
SQL): `segdsl.sql.emit` writes it for one dialect, `segdsl.plan.dump` prints it.

Where a computed node (an aggregate, a window, a snapshot flag, a segment of a batch) is
read changes from step to step (a ranking level carries values under new names): each step
that lowers IR carries its `scope`, the column every computed node is read from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from segdsl import ir


@dataclass(frozen=True)
class RowsExist:
    """A condition of the planner only (see rewrites.existence_form), never made by the
    checker: "the customer has a row counted by `agg`", for a count compared so that only
    whether it is 0 matters (`has R`, `did "E"`, `count(R) >= 1`). Read from the key column of
    a pass of keys when there is one, else lowered as the comparison `agg >= 1`."""

    agg: ir.Agg


# a condition as the planner sees it: the IR's, plus its own RowsExist (nested inside
# And/Or/Not the IR classes hold it too: the planner's rewrites put it there)
Cond = ir.Cond | RowsExist
Window = ir.Percentile | ir.Bucket | ir.Ranked
WINDOW_NODES = (ir.Percentile, ir.Bucket, ir.Ranked)
# what a step computes and later steps read by name
Computed = (ir.Agg | ir.Percentile | ir.Bucket | ir.Ranked | ir.InSnapshot | RowsExist | ir.SegmentRef
            | ir.Sequence)
COMPUTED = (ir.Agg, ir.InSnapshot, RowsExist, ir.Sequence)  # provided by passes and snapshot reads


def window_inputs(w: Window) -> Iterator[ir.Node]:
    """Every node a window is computed from: its value and, with `per`, its group value
    (both must be ready in the level before the window's)."""
    yield from ir.walk(w.value)
    if w.per is not None:
        yield from ir.walk(w.per)


@dataclass(frozen=True)
class Capabilities:
    """What the plan needs to know of the target engine (segdsl.sql.dialects)."""

    # a CTE read twice is computed once (DuckDB, Postgres 12+): ranking levels stay narrow
    # and the final select joins the relation passes again; first/last pick the value with
    # a second pass joined to the first. Otherwise (BigQuery) the first ranking level
    # carries every aggregate and first/last number the rows with a window function.
    materializes_ctes: bool = True
    # aggregates take FILTER (WHERE ...); otherwise they aggregate CASE WHEN ... END
    aggregate_filter: bool = True
    # a grouped aggregate with a DISTINCT aggregate among others runs slower than the two
    # apart (DuckDB): count_distinct then gets a pass of its own over the relation
    distinct_apart: bool = False
    # the planner joins by its row estimates and turns to a nested loop that rescans the
    # other side per row when an input is estimated tiny (Postgres): range joins are
    # estimated far too small there, so plans avoid shapes that shrink those estimates
    nested_loops_by_estimate: bool = False
    # a correlated EXISTS on the key runs as a hash semi/anti join built on the smaller side
    # (DuckDB): a segment's existence tests are then cheaper as EXISTS in the final select
    # than as passes of keys grouped and joined back (`first did` measured 1.6x faster)
    exists_joins: bool = False


@dataclass(frozen=True)
class ColumnRef:
    """A column of a step, read under the table alias `table`. `present`: a key column of a
    LEFT JOIN, read as the condition "the customer has a row there" (key IS NOT NULL)."""

    table: str
    column: str
    present: bool = False


Scope = tuple[tuple[Computed, ColumnRef], ...]


# ---- relation passes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """One aggregate column of a relation pass. `filter`: the rows it reads; `residual`: what
    is left of it to test once the pass's WHERE holds (rewrites.shared_filters). `numbered`:
    first/last picked by row number (engines that do not materialise CTEs): the name of the
    ROW_NUMBER column, and `filter` is then the pick's filter (time set)."""

    alias: str
    agg: ir.Agg
    filter: Cond | None
    residual: Cond | None
    numbered: str | None = None


@dataclass(frozen=True)
class RelationPass:
    """SELECT key, <aggregates> FROM the relation [WHERE where] GROUP BY key."""

    name: str
    relation: str
    table: str
    key: str
    time: str | None
    aggregates: tuple[Aggregate, ...]
    where: Cond | None = None
    # (entity table, entity key) when a row filter reads the customer's own values
    # (`customer.signup_date`): the pass joins the entity table to its rows
    customer: tuple[str, str] | None = None


@dataclass(frozen=True)
class KeyPass:
    """SELECT key FROM the relation [WHERE filter] GROUP BY key: the customers with a row a
    count that is only tested for 0 counts (rewrites.existence_form)."""

    name: str
    relation: str
    table: str
    key: str
    filter: Cond | None
    customer: tuple[str, str] | None = None  # as in RelationPass


@dataclass(frozen=True)
class Pick:
    """first/last: the value at the earliest/latest time, found by the relation pass in
    `time` (ties: the greatest value for last, the smallest for first)."""

    alias: str
    agg: ir.Agg
    time: ColumnRef
    filter: Cond | None
    residual: Cond | None


@dataclass(frozen=True)
class PickPass:
    """SELECT key, <picks> FROM the relation JOIN the relation pass `base` ON key [AND time]
    [WHERE where AND <rows at a pick time>] GROUP BY key. `one_time`: every pick is at the
    same time, which then joins the pass on (key, time)."""

    name: str
    base: str
    relation: str
    table: str
    key: str
    time: str
    picks: tuple[Pick, ...]
    one_time: bool
    where: Cond | None = None
    customer: tuple[str, str] | None = None  # as in RelationPass


@dataclass(frozen=True)
class SnapshotRead:
    """The keys of the latest snapshot of `segment` taken for a date on or before `at`."""

    name: str
    table: str
    segment: str
    at: ir.Value


@dataclass(frozen=True)
class SequencePass:
    """The keys of the customers for whom `sequence` holds (segdsl.sql.sequences): each
    step's rows filtered first, then range joins on (key, time), step by step."""

    name: str
    table: str
    key: str
    sequence: ir.Sequence
    customer: tuple[str, str] | None = None  # as in RelationPass, for the steps that read it


@dataclass(frozen=True)
class Join:
    """A LEFT (or, when `inner`, INNER) join of step `step` on the customer key. `relation`
    and `only` say what a customer without a row there misses: `only` those aggregates of
    the relation (None: all of them); `provides`: what is read from it."""

    step: str
    provides: frozenset[Computed]
    relation: str | None = None
    only: frozenset[ir.Agg] | None = None
    inner: bool = False


# ---- where a select reads from ------------------------------------------------------------


@dataclass(frozen=True)
class FromEntity:
    """The entity table (alias c), the joined passes, and the last ranking level (alias r)."""

    table: str
    joins: tuple[Join, ...]
    rank: str | None = None


@dataclass(frozen=True)
class FromRank:
    """The last ranking level alone (alias r): it holds the key and every window."""

    step: str


@dataclass(frozen=True)
class FromLevel:
    """The last segment level of a batch (alias c)."""

    step: str


Source = FromEntity | FromRank | FromLevel


@dataclass(frozen=True)
class Carried:
    """A computed column copied into a level: read at `ref`, named `name` there."""

    node: Computed
    ref: ColumnRef
    name: str


@dataclass(frozen=True)
class RankLevel:
    """Window functions over every customer. The first level reads the entity (its key and
    `columns`) and the `joins`, carrying `carried`; a later one reads `previous` (alias r)
    and carries all of it. `windows`: (column name, window) computed here."""

    name: str
    key: str
    windows: tuple[tuple[str, Window], ...]
    scope: Scope
    previous: str | None = None
    entity: str = ""
    columns: tuple[str, ...] = ()
    carried: tuple[Carried, ...] = ()
    joins: tuple[Join, ...] = ()


@dataclass(frozen=True)
class SegmentLevel:
    """Segments of a batch that other segments use, computed once: (column, name, condition).
    The first level reads `source` and carries the key, `columns` of the entity and
    `carried`; a later one reads `source` (the previous level, alias c) and carries all."""

    name: str
    source: Source
    segments: tuple[tuple[str, str, ir.Cond], ...]
    scope: Scope
    first: bool
    key: ColumnRef | None = None
    columns: tuple[str, ...] = ()
    carried: tuple[Carried, ...] = ()


Step = RelationPass | KeyPass | PickPass | SnapshotRead | SequencePass | RankLevel | SegmentLevel


@dataclass(frozen=True)
class Output:
    """A column of the final select: a condition (segments of a batch) or a value (traits)."""

    name: str
    cond: ir.Cond | None = None
    value: ir.Value | None = None


@dataclass(frozen=True)
class Select:
    """The final select. `segment`: the member keys WHERE `where`; `batch`: the key and one
    boolean column per segment; `values`: the key and one column per trait; `why`: the key
    and a column per condition and compared value of a segment's tree, WHERE the key is one
    of those asked about (segdsl.why). `ordered`: by key (False leaves out the ORDER BY, for
    callers that aggregate the rows)."""

    kind: Literal["segment", "batch", "values", "why"]
    source: Source
    key: ColumnRef
    outputs: tuple[Output, ...]
    where: Cond | None
    ordered: bool
    scope: Scope
    exists: tuple[ExistsTest, ...] = ()  # existence tests written as EXISTS where they are read


@dataclass(frozen=True)
class ExistsTest:
    """A RowsExist the final select tests itself: `EXISTS (SELECT 1 FROM table AS r WHERE
    r.key = c.entity_key AND <the count's filter>)`, for engines with
    `Capabilities.exists_joins`, when the filter reads no customer column and no ranking
    level stands between the customers and the select. Never NULL."""

    test: RowsExist
    table: str
    key: str
    entity_key: str


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    select: Select
    entity_key: str
