"""The Postgres engine: a psycopg 3 connection (autocommit, TimeZone UTC,
standard_conforming_strings on) to ``dsn`` or the process-wide throwaway server of
``pg_server``; each loaded dataset is its own schema, created with typed DDL and filled with
``COPY``. ``psycopg`` is imported when an engine is created."""

from __future__ import annotations

import os

from .engine_base import Engine, EngineUnavailable, _py


# =========================================================================== Postgres


_PG_TYPES = {
    "integer": "int8",
    "number": "float8",
    "string": "text",
    "boolean": "bool",
    "date": "date",
    "timestamp": "timestamp",
}
_PG_DDL = {
    "integer": "bigint",
    "number": "double precision",
    "string": "text",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp without time zone",
}


def _pg_copy_type(typ: str) -> str:
    return _PG_TYPES[typ[5:-1]] + "[]" if typ.startswith("list<") else _PG_TYPES[typ]


def _pg_ddl_type(typ: str) -> str:
    return _PG_DDL[typ[5:-1]] + "[]" if typ.startswith("list<") else _PG_DDL[typ]


class PostgresEngine(Engine):
    """psycopg 3 connection (autocommit, TimeZone UTC, standard_conforming_strings on); each
    dataset lives in its own schema ``segdsl_<pid>_<n>``, selected with search_path and
    dropped on eviction/close."""

    name = "postgres"
    dialect = "postgres"

    def __init__(self, dsn: str | None = None, *, statement_timeout: str = "300s") -> None:
        super().__init__()
        try:
            import psycopg
            from psycopg import sql as pgsql
        except ImportError as exc:
            raise EngineUnavailable(f"psycopg is not installed: {exc} (pip install 'psycopg[binary]')") from exc
        self._psycopg = psycopg
        self._sql = pgsql
        if dsn is None:
            from . import pg_server

            try:
                dsn = pg_server.server_dsn()
            except pg_server.PostgresUnavailable as exc:
                raise EngineUnavailable(str(exc)) from exc
        self.dsn = dsn
        try:
            self.con = psycopg.connect(dsn, autocommit=True, connect_timeout=30)
        except psycopg.Error as exc:
            raise EngineUnavailable(f"cannot connect to Postgres at {dsn!r}: {exc}") from exc
        self.con.execute("SET TimeZone TO 'UTC'")
        self.con.execute("SET standard_conforming_strings TO on")
        self.con.execute(pgsql.SQL("SET statement_timeout TO {}").format(pgsql.Literal(statement_timeout)))
        got = self.con.execute("SELECT current_setting('TimeZone'), current_setting('standard_conforming_strings')").fetchone()
        if got != ("UTC", "on"):
            raise EngineUnavailable(f"Postgres session settings not applied: {got}")
        self.server_version = self.con.execute("SHOW server_version").fetchone()[0]
        self._prefix = f"segdsl_{os.getpid()}_"

    def _create(self, n: int, prepared) -> str:
        S = self._sql
        schema = f"{self._prefix}{n}"
        with self.con.transaction():
            with self.con.cursor() as cur:
                cur.execute(S.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(S.Identifier(schema)))
                cur.execute(S.SQL("CREATE SCHEMA {}").format(S.Identifier(schema)))
                for spec, rows in prepared:
                    ident = S.Identifier(schema, spec.name)
                    cols = S.SQL(", ").join(
                        S.SQL("{} {}").format(S.Identifier(c.name), S.SQL(_pg_ddl_type(c.type))) for c in spec.columns
                    )
                    cur.execute(S.SQL("CREATE TABLE {} ({})").format(ident, cols))
                    if not rows:
                        continue
                    names = S.SQL(", ").join(S.Identifier(c.name) for c in spec.columns)
                    with cur.copy(S.SQL("COPY {} ({}) FROM STDIN").format(ident, names)) as copy:
                        copy.set_types([_pg_copy_type(c.type) for c in spec.columns])
                        for row in rows:
                            copy.write_row(row)
                    cur.execute(S.SQL("ANALYZE {}").format(ident))
        return schema

    def _activate(self, schema: str) -> None:
        self.con.execute(self._sql.SQL("SET search_path TO {}").format(self._sql.Identifier(schema)))

    def _drop(self, schema: str) -> None:
        self.con.execute(self._sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(self._sql.Identifier(schema)))

    def query(self, sql: str) -> list[tuple]:
        with self.con.cursor() as cur:
            cur.execute(sql)
            rows: list[tuple] = []
            while True:  # several statements: return the last result that has rows
                if cur.description is not None:
                    rows = cur.fetchall()
                if not cur.nextset():
                    break
        return [tuple(_py(v) for v in row) for row in rows]

    def close(self) -> None:
        if not self.con.closed:
            super().close()
            self.con.close()
