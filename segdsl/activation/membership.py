"""`segdsl materialize`: current memberships and their enter/exit history, in the warehouse.

Three tables (in `schema` when given), created on the first run:

    segdsl_segments(segment_id, name, title, description, owner, tags, kind, materialized_at)
    segdsl_memberships(segment_id, <key>, member, since)
    segdsl_membership_events(segment_id, <key>, member, event, at)

`<key>` is the entity key column, same name and type. `member` is NULL for a segment and the
member's name for a family. `at` and `since` are the run's reference instant (naive UTC;
for a date, the next midnight in the project time zone: the instant up to which the run saw
the data). A run computes the members of each selected segment into a temporary table, then,
against the previous run: exits (rows gone), enters (new rows, and a family member change is
the exit of one member and the enter of another), the memberships, and the segments' rows.
A full run (no selection) also exits every member of a segment the project no longer has.

Everything happens in one transaction: an error or Ctrl-C leaves the previous state. Running
again for the same reference with the same data writes no event. A reference earlier than the
last run of a selected segment is refused (MaterializeError, a usage error). On Postgres a
transaction-scoped advisory lock serialises concurrent runs.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from segdsl.activation.audiences import Audience, audiences
from segdsl.analysis.common import KEY, col, ident, lit, render, rows, segment_keys, sub

SEGMENTS, MEMBERSHIPS, EVENTS = "segdsl_segments", "segdsl_memberships", "segdsl_membership_events"
STAGING = "segdsl_staging_members"
KEY_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "string": "TEXT", "date": "DATE",
             "timestamp": "TIMESTAMP", "boolean": "BOOLEAN"}
SEGMENT_COLUMNS = ("segment_id", "name", "title", "description", "owner", "tags", "kind", "materialized_at")


class MaterializeError(Exception):
    """A usage problem (a reference before the last run, tables that are not segdsl's)."""


@dataclass
class Counts:
    segment_id: str
    kind: str
    members: int
    entered: int
    exited: int
    removed: bool = False  # no longer in the project: every member exited


@dataclass
class MaterializeResult:
    as_of: str
    at: dt.datetime
    dialect: str
    schema: str | None
    segments: list[Counts] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "at": self.at.isoformat(), "dialect": self.dialect,
                "schema": self.schema, "tables": {"segments": SEGMENTS, "memberships": MEMBERSHIPS,
                                                  "events": EVENTS},
                "segments": [{"segment_id": c.segment_id, "kind": c.kind, "members": c.members,
                              "entered": c.entered, "exited": c.exited, "removed": c.removed}
                             for c in self.segments]}


def _table(name: str, schema: str | None, alias: str | None = None) -> exp.Table:
    t = exp.Table(this=ident(name), db=ident(schema) if schema else None)
    if alias:
        t.set("alias", exp.TableAlias(this=ident(alias)))
    return t


def _text(value: str | None) -> exp.Expression:
    return exp.cast(exp.Null() if value is None else exp.Literal.string(value), "text")


class Writer:
    """The statements of one run, on an open connection inside its transaction."""

    def __init__(self, conn: Any, project: Any, schema: str | None, at: dt.datetime):
        self.conn, self.project, self.schema, self.at = conn, project, schema, at
        self.key = project.schema.entity.key
        key_column = project.schema.entity.columns.get(self.key)
        self.key_type = KEY_TYPES.get(key_column.type.kind if key_column is not None else "integer", "TEXT")

    def run(self, tree: exp.Expression) -> list[tuple[Any, ...]]:
        return rows(self.conn, tree)

    def execute(self, tree: exp.Expression) -> None:
        self.conn.execute(render(tree, self.conn.dialect))

    def t(self, name: str, alias: str | None = None) -> exp.Table:
        return _table(name, self.schema, alias)

    # ---- tables ----
    def create_tables(self) -> None:
        if self.schema:
            self.execute(exp.Create(this=exp.Table(this=ident(self.schema)), kind="SCHEMA", exists=True))
        layouts = {
            SEGMENTS: list(zip(SEGMENT_COLUMNS, ["TEXT"] * 7 + ["TIMESTAMP"])),
            MEMBERSHIPS: [("segment_id", "TEXT"), (self.key, self.key_type), ("member", "TEXT"),
                          ("since", "TIMESTAMP")],
            EVENTS: [("segment_id", "TEXT"), (self.key, self.key_type), ("member", "TEXT"),
                     ("event", "TEXT"), ("at", "TIMESTAMP")],
        }
        for name, columns in layouts.items():
            self.execute(exp.Create(this=exp.Schema(this=self.t(name), expressions=[
                exp.ColumnDef(this=ident(c), kind=exp.DataType.build(typ)) for c, typ in columns]),
                kind="TABLE", exists=True))
            found, _ = self.conn.query_columns(render(exp.select(exp.Star()).from_(self.t(name)).limit(0),
                                                      self.conn.dialect))
            missing = [c for c, _ in columns if c not in found]
            if missing:
                raise MaterializeError(f"the table {name} exists but has no column {missing[0]}: it "
                                       "is not a segdsl membership table; pass --schema to write elsewhere")

    def lock(self) -> None:
        if self.conn.dialect == "postgres":
            key = zlib.crc32(f"{self.schema}.{MEMBERSHIPS}".encode())
            self.run(exp.select(exp.Anonymous(this="pg_advisory_xact_lock", expressions=[exp.Literal.number(key)])))

    def last_run(self, ids: list[str] | None) -> dt.datetime | None:
        query = exp.select(exp.Max(this=col("materialized_at", "s"))).from_(self.t(SEGMENTS, "s"))
        if ids is not None:
            query = query.where(self._in_ids("s", ids))
        (value,), = self.run(query)
        return value if isinstance(value, dt.datetime) else None

    def stored_ids(self) -> list[str]:
        union = exp.union(exp.select(col("segment_id", "s")).from_(self.t(SEGMENTS, "s")),
                          exp.select(col("segment_id", "m")).from_(self.t(MEMBERSHIPS, "m")), distinct=True)
        return sorted(str(r[0]) for r in self.run(exp.select(col("segment_id", "u")).from_(sub(union, "u"))))

    # ---- the run ----
    def stage(self, chosen: list[Audience], as_of: Any) -> None:
        """The new memberships of every chosen segment, in a temporary table."""
        self.execute(exp.Drop(tables=[exp.Table(this=ident(STAGING))], kind="TABLE", exists=True))
        self.execute(exp.Create(this=exp.Schema(this=exp.Table(this=ident(STAGING)), expressions=[
            exp.ColumnDef(this=ident(c), kind=exp.DataType.build(typ))
            for c, typ in (("segment_id", "TEXT"), (self.key, self.key_type), ("member", "TEXT"))]),
            kind="TABLE", properties=exp.Properties(expressions=[exp.TemporaryProperty()])))
        for audience in chosen:
            for member, segment in audience.members:
                keys = segment_keys(self.project, segment, self.conn.dialect, as_of)
                select = exp.select(exp.alias_(_text(audience.segment_id), "segment_id", quoted=True),
                                    exp.alias_(col(KEY, "k"), self.key, quoted=True),
                                    exp.alias_(_text(member), "member", quoted=True)).from_(sub(keys, "k"))
                self.execute(exp.insert(select, exp.Table(this=ident(STAGING)),
                                        columns=[ident("segment_id"), ident(self.key), ident("member")]))

    def _same(self, a: str, b: str) -> exp.Condition:
        return exp.and_(exp.EQ(this=col("segment_id", a), expression=col("segment_id", b)),
                        exp.EQ(this=col(self.key, a), expression=col(self.key, b)),
                        exp.NullSafeEQ(this=col("member", a), expression=col("member", b)))

    def _in_ids(self, alias: str, ids: list[str]) -> exp.Expression:
        if not ids:
            return exp.false()
        return exp.In(this=col("segment_id", alias), expressions=[exp.Literal.string(i) for i in ids])

    def _staged(self, alias: str = "n") -> exp.Table:
        return exp.Table(this=ident(STAGING), alias=exp.TableAlias(this=ident(alias)))

    def _gone(self, ids: list[str]) -> exp.Condition:
        """Memberships (as "m") of the affected segments that the new run no longer has."""
        return exp.and_(self._in_ids("m", ids), exp.not_(exp.Exists(
            this=exp.select(exp.Literal.number(1)).from_(self._staged()).where(self._same("n", "m")))))

    def _new(self) -> exp.Expression:
        """Staged rows (as "n") that were not members before."""
        return exp.not_(exp.Exists(
            this=exp.select(exp.Literal.number(1)).from_(self.t(MEMBERSHIPS, "m")).where(self._same("m", "n"))))

    def counts(self, ids: list[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        def grouped(query: exp.Select, alias: str) -> dict[str, int]:
            query = query.select(col("segment_id", alias), exp.Count(this=exp.Star())).group_by(col("segment_id", alias))
            return {str(s): int(n) for s, n in self.run(query)}

        members = grouped(exp.select().from_(self._staged()), "n")
        entered = grouped(exp.select().from_(self._staged()).where(self._new()), "n")
        exited = grouped(exp.select().from_(self.t(MEMBERSHIPS, "m")).where(self._gone(ids)), "m")
        return members, entered, exited

    def apply(self, ids: list[str]) -> None:
        """Events first (they compare with the previous memberships), then memberships."""
        at = lit(self.at)
        event_columns = [ident(c) for c in ("segment_id", self.key, "member", "event", "at")]
        exits = exp.select(col("segment_id", "m"), col(self.key, "m"), col("member", "m"),
                           exp.Literal.string("exit"), at).from_(self.t(MEMBERSHIPS, "m")).where(self._gone(ids))
        self.execute(exp.insert(exits, self.t(EVENTS), columns=event_columns))
        enters = exp.select(col("segment_id", "n"), col(self.key, "n"), col("member", "n"),
                            exp.Literal.string("enter"), at.copy()).from_(self._staged()).where(self._new())
        self.execute(exp.insert(enters, self.t(EVENTS), columns=event_columns))
        # DELETE cannot alias its table everywhere: the correlated subquery names it whole
        target = self.t(MEMBERSHIPS)
        whole = exp.Table(this=ident(MEMBERSHIPS))
        same = exp.and_(*[(exp.NullSafeEQ if c == "member" else exp.EQ)(
            this=col(c, "n"), expression=exp.column(c, table=whole.this.copy(), quoted=True))
            for c in ("segment_id", self.key, "member")])
        in_ids = exp.In(this=exp.column("segment_id", quoted=True), expressions=[exp.Literal.string(i) for i in ids]) \
            if ids else exp.false()
        self.execute(exp.delete(target).where(exp.and_(in_ids, exp.not_(exp.Exists(
            this=exp.select(exp.Literal.number(1)).from_(self._staged()).where(same))))))
        entering = exp.select(col("segment_id", "n"), col(self.key, "n"), col("member", "n"),
                              at.copy()).from_(self._staged()).where(self._new())
        self.execute(exp.insert(entering, self.t(MEMBERSHIPS),
                                columns=[ident(c) for c in ("segment_id", self.key, "member", "since")]))
        self.execute(exp.Drop(tables=[exp.Table(this=ident(STAGING))], kind="TABLE", exists=True))

    def describe(self, chosen: list[Audience], removed: list[str]) -> None:
        """One row per materialized segment; removed segments lose theirs."""
        ids = [a.segment_id for a in chosen] + removed
        self.execute(exp.delete(self.t(SEGMENTS)).where(exp.In(
            this=exp.column("segment_id", quoted=True), expressions=[exp.Literal.string(i) for i in ids])))
        if not chosen:
            return
        values = [exp.Tuple(expressions=[
            _text(a.segment_id), _text(a.segment_id), _text(a.title), _text(a.description), _text(a.owner),
            _text(json.dumps(list(a.tags))), _text(a.kind), lit(self.at)]) for a in chosen]
        self.execute(exp.insert(exp.Values(expressions=values), self.t(SEGMENTS),
                                columns=[ident(c) for c in SEGMENT_COLUMNS]))


def materialize(conn: Any, project: Any, reference: Any, segments: list[str] | None = None,
                schema: str | None = None) -> MaterializeResult:
    """Write the memberships of `segments` (default: every segment and family, and exit the
    members of segments the project no longer has) as of `reference` (an AsOf)."""
    chosen = audiences(project, segments)
    at = reference.now(project.settings.timezone)
    result = MaterializeResult(str(reference), at, conn.dialect, schema)
    with conn.transaction():
        w = Writer(conn, project, schema, at)
        w.lock()
        w.create_tables()
        removed = [] if segments is not None else \
            [i for i in w.stored_ids() if i not in {a.segment_id for a in chosen}]
        ids = [a.segment_id for a in chosen] + removed
        last = w.last_run(None if segments is None else ids)
        if last is not None and at < last:
            raise MaterializeError(f"--as-of {reference} is before the last run ({last.isoformat(sep=' ')} "
                                   "UTC): memberships only move forward; pass a later --as-of")
        w.stage(chosen, reference)
        members, entered, exited = w.counts(ids)
        w.apply(ids)
        w.describe(chosen, removed)
    for a in chosen:
        result.segments.append(Counts(a.segment_id, a.kind, members.get(a.segment_id, 0),
                                      entered.get(a.segment_id, 0), exited.get(a.segment_id, 0)))
    for i in removed:
        result.segments.append(Counts(i, "removed", 0, 0, exited.get(i, 0), removed=True))
    return result
