"""A test's rows as tables in a fresh database: DuckDB in memory, or a throwaway schema on a
Postgres server (dropped afterwards, also when interrupted).

Every statement is a sqlglot tree: table and column names come from the schema and are
quoted, values are literals cast to the column's type. Every column of the schema is
created, so the compiled SQL finds what it reads; an omitted cell is NULL (missing).
Timestamps are stored as naive UTC, as the compiler expects; a test's date-time without an
offset is read in the project time zone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

from sqlglot import exp

from segdsl.project.schema import Schema
from segdsl.segtest.check import key_column, table_columns
from segdsl.segtest.model import SegTest, local_instant
from segdsl.types import Type
from segdsl.warehouse.connection import Warehouse, WarehouseError, _interrupts_deferred, connect

_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "string": "TEXT", "boolean": "BOOLEAN",
          "date": "DATE", "timestamp": "TIMESTAMP"}


def sql_type(typ: Type) -> exp.DataType:
    if typ.kind == "list":
        return exp.DataType.build(_TYPES[typ.element or "string"] + "[]")
    return exp.DataType.build(_TYPES[typ.kind])


def literal(value: Any, typ: Type, timezone: str) -> exp.Expr:
    if value is None:
        return exp.Cast(this=exp.Null(), to=sql_type(typ))
    if typ.kind == "list":
        element = Type(typ.element or "string")
        return exp.Cast(this=exp.Array(expressions=[literal(v, element, timezone) for v in value]), to=sql_type(typ))
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Cast(this=exp.Literal.number(repr(value)), to=sql_type(typ))
    if isinstance(value, dt.datetime):
        text = local_instant(value, timezone).isoformat(sep=" ")
        return exp.Cast(this=exp.Literal.string(text), to=sql_type(typ))
    if isinstance(value, dt.date):
        return exp.Cast(this=exp.Literal.string(value.isoformat()), to=sql_type(typ))
    return exp.Literal.string(str(value))


def _name(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def statements(test: SegTest, schema: Schema, timezone: str) -> list[exp.Expr]:
    """CREATE TABLE for every table of the schema and one INSERT per table with rows."""
    out: list[exp.Expr] = []
    for table, columns in table_columns(schema).items():
        real = schema.entity.table if table == schema.entity.table else schema.relations[table].table
        target = exp.Table(this=_name(real))
        defs = [exp.ColumnDef(this=_name(c), kind=sql_type(t)) for c, t in columns.items()]
        out.append(exp.Create(kind="TABLE", this=exp.Schema(this=target.copy(), expressions=defs)))
        rows = test.rows.get(table, ())
        if not rows:
            continue
        values = [exp.Tuple(expressions=[literal(r.get(c), t, timezone) for c, t in columns.items()]) for r in rows]
        out.append(exp.Insert(this=exp.Schema(this=target.copy(), expressions=[_name(c) for c in columns]),
                              expression=exp.Values(expressions=values)))
    return out


def keys_of(test: SegTest, schema: Schema) -> list[Any]:
    return [r.get(key_column(schema, schema.entity.table)) for r in test.rows.get(schema.entity.table, ())]


@contextlib.contextmanager
def test_database(test: SegTest, schema: Schema, timezone: str, engine: str = "duckdb",
                  url: str | None = None) -> Iterator[Warehouse]:
    """An open connection whose tables hold the test's rows and nothing else."""
    from segdsl.sql.render import render

    if engine == "duckdb":
        with connect(":memory:") as conn:
            for statement in statements(test, schema, timezone):
                conn.execute(render(statement, "duckdb", pretty=False, copy=False))
            yield conn
        return
    conn = connect(url=url, read_only=False)
    name = "segtest_" + secrets.token_hex(6)
    scope = exp.Table(db=_name(name))
    try:
        conn.execute(render(exp.Create(kind="SCHEMA", this=exp.Table(this=_name(name))), "postgres", pretty=False))
        try:
            # the compiled SQL names tables unqualified: this schema is the only one it sees
            conn.execute(render(exp.Set(expressions=[exp.SetItem(this=exp.EQ(
                this=exp.column("search_path"), expression=_name(name)))]), "postgres", pretty=False))
            for statement in statements(test, schema, timezone):
                conn.execute(render(statement, "postgres", pretty=False, copy=False))
            yield conn
        finally:
            with _interrupts_deferred():  # a second Ctrl-C must not leave the schema behind
                _drop(conn, url, render(exp.Drop(kind="SCHEMA", tables=[scope], exists=True, cascade=True),
                                        "postgres", pretty=False))
    finally:
        conn.close()


def _drop(conn: Warehouse, url: str | None, statement: str) -> None:
    """Drop the test's schema; after an interrupted query the connection may be unusable
    (psycopg leaves it busy), so a fresh one does it then."""
    try:
        conn.execute(statement)
    except WarehouseError:
        with connect(url=url, read_only=False) as fresh:
            fresh.execute(statement)
