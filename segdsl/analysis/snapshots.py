"""Snapshots (static lists): a segment's members stored at a point in time, and history.

The membership table (`[project] snapshots_table`, default segdsl_snapshots) is what
`in snapshot NAME [at DATE]` reads, so its format is fixed:

    snapshot_id BIGINT     one id per segment per run: max(snapshot_id) + 1, + 2, ...
    segment     TEXT       the segment's name
    as_of       DATE       the date the membership was computed for (--as-of or today)
    taken_at    TIMESTAMP  when it was stored, UTC, without time zone
    member_key  <key type> one row per member

A snapshot with no members is stored as a single row whose member_key is NULL: without it
an empty snapshot would leave no trace, and `in snapshot` would silently fall back to the
previous, non-empty one. NULL never equals a key, so that snapshot has no members.

A run writes all its snapshots in one transaction (the table is created in it if needed):
an error or an interruption leaves the table as it was. Taking the same snapshot again (same
segment, same as_of, same members) stores nothing: the earlier snapshot stands, so re-running
a command that was interrupted, or a scheduled job that ran twice, leaves no duplicates. On Postgres a transaction-scoped
advisory lock serialises concurrent runs, so two never pick the same snapshot_id.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from segdsl.analysis.common import KEY, col, ident, lit, not_null, num, rows, segment_keys, sub, table

COLUMNS = ("snapshot_id", "segment", "as_of", "taken_at", "member_key")
_KEY_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "string": "TEXT", "date": "DATE",
              "timestamp": "TIMESTAMP", "boolean": "BOOLEAN"}


class SnapshotError(Exception):
    """A problem with the snapshot table or a snapshot reference; one line."""


@dataclass
class Taken:
    segment: str
    snapshot_id: int
    size: int
    stored: bool = True  # False: the same members were stored already for this day


@dataclass
class Snapshot:
    snapshot_id: int
    as_of: dt.date
    taken_at: dt.datetime
    size: int
    entered: int | None = None  # compared with the segment's previous snapshot
    left: int | None = None


def table_name(project: Any) -> str:
    return str(project.settings.snapshots_table)


def create_table(project: Any) -> exp.Create:
    key = project.schema.entity.columns.get(project.schema.entity.key)
    key_type = _KEY_TYPES.get(key.type.kind if key is not None else "integer", "TEXT")
    types = ("BIGINT", "TEXT", "DATE", "TIMESTAMP", key_type)
    schema = exp.Schema(this=table(table_name(project)), expressions=[
        exp.ColumnDef(this=ident(c), kind=exp.DataType.build(t)) for c, t in zip(COLUMNS, types)])
    return exp.Create(this=schema, kind="TABLE", exists=True)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def take_snapshots(conn: Any, project: Any, names: list[str], *, as_of: dt.date,
                   taken_at: dt.datetime | None = None, steps: Any = None) -> list[Taken]:
    """Store the members of every segment in `names` as of `as_of`, all or nothing."""
    taken_at = taken_at or utc_now()
    name = table_name(project)
    taken: list[Taken] = []
    with conn.transaction():
        if conn.dialect == "postgres":
            lock = exp.Anonymous(this="pg_advisory_xact_lock", expressions=[num(zlib.crc32(name.encode()))])
            rows(conn, exp.select(lock))
        conn.execute(_render(create_table(project), conn))
        _check_columns(conn, name)
        (last,), = rows(conn, exp.select(exp.Max(this=col("snapshot_id", "t"))).from_(table(name, "t")))
        sid = int(last or 0) + 1
        for segment in names:
            if steps is not None:
                steps.start(segment)
            fixed = [exp.alias_(num(sid), "snapshot_id", quoted=True),
                     exp.alias_(exp.Literal.string(segment), "segment", quoted=True),
                     exp.alias_(lit(as_of), "as_of", quoted=True),
                     exp.alias_(lit(taken_at), "taken_at", quoted=True)]
            members = exp.select(*fixed, exp.alias_(col(KEY, "s"), "member_key", quoted=True)).from_(
                sub(segment_keys(project, segment, conn.dialect, as_of), "s"))
            conn.execute(_render(_insert(name, members), conn))
            size = _size(conn, name, sid)
            if size == 0:  # the marker row of an empty snapshot (see the module docstring)
                marker = exp.select(*[f.copy() for f in fixed],
                                    exp.alias_(exp.Null(), "member_key", quoted=True))
                conn.execute(_render(_insert(name, marker), conn))
            same = _same_as_before(conn, name, segment, as_of, sid)
            if same is not None:
                # the same segment, day and members are stored already: a re-run (after an
                # interruption, say) keeps that snapshot instead of a duplicate
                conn.execute(_render(exp.delete(table(name)).where(
                    exp.EQ(this=col("snapshot_id"), expression=num(sid))), conn))
                taken.append(Taken(segment, same, size, stored=False))
            else:
                taken.append(Taken(segment, sid, size))
                sid += 1
            if steps is not None:
                steps.done()
    return taken


def _size(conn: Any, name: str, sid: int) -> int:
    (size,), = rows(conn, exp.select(exp.Count(this=exp.Star())).from_(table(name, "t")).where(
        exp.EQ(this=col("snapshot_id", "t"), expression=num(sid))))
    return int(size)


def _same_as_before(conn: Any, name: str, segment: str, as_of: dt.date, sid: int) -> int | None:
    """The id of the latest earlier snapshot of `segment` for the same as_of, if its
    members equal those of snapshot `sid`; None otherwise."""
    (previous,), = rows(conn, exp.select(exp.Max(this=col("snapshot_id", "t"))).from_(table(name, "t"))
                        .where(exp.and_(_of_segment(segment),
                                        exp.EQ(this=col("as_of", "t"), expression=lit(as_of)),
                                        exp.LT(this=col("snapshot_id", "t"), expression=num(sid)))))
    if previous is None:
        return None
    previous = int(previous)

    def keys(snapshot: int) -> exp.Select:
        return exp.select(col("member_key", "t")).from_(table(name, "t")).where(
            exp.EQ(this=col("snapshot_id", "t"), expression=num(snapshot)))

    # NULL (the marker of an empty snapshot) compares equal in EXCEPT, as it should here;
    # each difference is its own subquery (EXCEPT and UNION would otherwise chain)
    def missing(a: int, b: int) -> exp.Expression:
        return exp.select(exp.Count(this=exp.Star())).from_(sub(exp.except_(keys(a), keys(b)), "d")).subquery()

    (one, other), = rows(conn, exp.select(missing(sid, previous), missing(previous, sid)))
    return previous if int(one) == 0 and int(other) == 0 else None


def _render(tree: exp.Expression, conn: Any) -> str:
    from segdsl.analysis.common import render

    return render(tree, conn.dialect)


def _insert(name: str, select: exp.Select) -> exp.Insert:
    return exp.insert(select, table(name), columns=[ident(c) for c in COLUMNS])


def _check_columns(conn: Any, name: str) -> None:
    columns, _ = conn.query_columns(_render(exp.select(exp.Star()).from_(table(name, "t")).limit(0), conn))
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise SnapshotError(f"the table {name} exists but has no column {missing[0]}: it is not a "
                            "segdsl snapshot table; set [project] snapshots_table to another name")


def exists(conn: Any, project: Any) -> bool:
    from segdsl.warehouse import WarehouseError

    try:
        _check_columns(conn, table_name(project))
    except WarehouseError:
        return False
    return True


def _of_segment(segment: str) -> exp.EQ:
    return exp.EQ(this=col("segment", "t"), expression=exp.Literal.string(segment))


def list_snapshots(conn: Any, project: Any, segment: str) -> list[Snapshot]:
    """Every snapshot of the segment in id order, each compared with the one before."""
    name = table_name(project)
    t = table(name, "t")
    found = rows(conn, exp.select(
        col("snapshot_id", "t"), exp.Min(this=col("as_of", "t")), exp.Min(this=col("taken_at", "t")),
        exp.Count(this=col("member_key", "t"))).from_(t).where(_of_segment(segment))
        .group_by(col("snapshot_id", "t")).order_by(col("snapshot_id", "t")))
    result = [Snapshot(int(sid), a, ts, int(n)) for sid, a, ts, n in found]
    # entered = in a snapshot, not in the previous one of the same segment; left follows
    # from the sizes: size - previous size = entered - left
    ids = exp.select(col("snapshot_id", "t"), exp.alias_(exp.Window(
        this=exp.Lag(this=col("snapshot_id", "t")),
        order=exp.Order(expressions=[exp.Ordered(this=col("snapshot_id", "t"))])), "__prev", quoted=True)) \
        .from_(table(name, "t")).where(_of_segment(segment)).group_by(col("snapshot_id", "t"))
    cur, prev = table(name, "cur"), table(name, "p")
    entered = exp.select(col("snapshot_id", "i"), exp.Count(this=exp.Star())).from_(sub(ids, "i")).join(
        cur, on=exp.and_(exp.EQ(this=col("snapshot_id", "cur"), expression=col("snapshot_id", "i")),
                         not_null(col("member_key", "cur"))), join_type="INNER").join(
        prev, on=exp.and_(exp.EQ(this=col("snapshot_id", "p"), expression=col("__prev", "i")),
                          exp.EQ(this=col("member_key", "p"), expression=col("member_key", "cur"))),
        join_type="LEFT").where(exp.and_(
            exp.Is(this=col("member_key", "p"), expression=exp.Null()), not_null(col("__prev", "i")))) \
        .group_by(col("snapshot_id", "i"))
    counts = {int(sid): int(n) for sid, n in rows(conn, entered)}
    for before, after in zip(result, result[1:]):
        after.entered = counts.get(after.snapshot_id, 0)
        after.left = after.entered - (after.size - before.size)
    return result


def pick(snapshots: list[Snapshot], spec: str | None, segment: str, default: int) -> Snapshot:
    """A snapshot by id ("12") or by date ("2024-06-30": the latest one taken for a date on
    or before it, the rule of `in snapshot NAME at DATE`); `default` indexes the list."""
    if spec is None:
        return snapshots[default]
    if spec.strip().isdigit():
        for s in snapshots:
            if s.snapshot_id == int(spec):
                return s
        raise SnapshotError(f"snapshot {spec} is not a snapshot of {segment}")
    try:
        day = dt.date.fromisoformat(spec.strip())
    except ValueError:
        raise SnapshotError(f"`{spec}` is neither a snapshot id nor a date (YYYY-MM-DD)") from None
    on_or_before = [s for s in snapshots if s.as_of <= day]
    if not on_or_before:
        raise SnapshotError(f"{segment} has no snapshot for {day} or earlier")
    return max(on_or_before, key=lambda s: s.snapshot_id)


def snapshot_keys(project: Any, snapshot_id: int) -> exp.Select:
    t = "t"
    return exp.select(exp.alias_(col("member_key", t), KEY, quoted=True)).from_(
        table(table_name(project), t)).where(exp.and_(
            exp.EQ(this=col("snapshot_id", t), expression=num(snapshot_id)), not_null(col("member_key", t))))


def sizes_over_time(conn: Any, project: Any, names: list[str]) -> dict[str, list[tuple[int, dt.date, int]]]:
    """(snapshot_id, as_of, size) per segment, for the report; {} without a table."""
    if not names or not exists(conn, project):
        return {}
    found = rows(conn, exp.select(col("segment", "t"), col("snapshot_id", "t"), exp.Min(this=col("as_of", "t")),
                                  exp.Count(this=col("member_key", "t"))).from_(table(table_name(project), "t"))
                 .where(exp.In(this=col("segment", "t"), expressions=[exp.Literal.string(n) for n in names]))
                 .group_by(col("segment", "t"), col("snapshot_id", "t"))
                 .order_by(col("segment", "t"), col("snapshot_id", "t")))
    out: dict[str, list[tuple[int, dt.date, int]]] = {}
    for segment, sid, as_of, size in found:
        out.setdefault(segment, []).append((int(sid), as_of, int(size)))
    return out
