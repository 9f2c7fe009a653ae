"""A thin, dialect-tagged connection to DuckDB or Postgres that runs SQL and fetches rows.

Database drivers raise their own exception trees with multi-line messages; everything that
goes wrong here surfaces as `WarehouseError` with one line, so the CLI can print
`error: ...` without a traceback. Drivers are imported on first use so `segdsl --help`
stays fast and Postgres stays an optional extra.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class WarehouseError(Exception):
    """A database problem, with a one-line message fit to show a user."""


def one_line(exc: BaseException | str) -> str:
    """First non-empty line of an error message (driver messages carry SQL excerpts)."""
    text = str(exc).strip()
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__ if isinstance(exc, BaseException) else "unknown error"


def is_postgres_url(value: str) -> bool:
    return value.strip().lower().startswith(POSTGRES_SCHEMES)


class Warehouse:
    """An open connection. `dialect` is "duckdb" or "postgres"."""

    dialect: str

    def query(self, sql: str) -> list[tuple]:
        """Run one statement and return its rows (empty for statements without result)."""
        return self.query_columns(sql)[1]

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Like query(), also returning the result's column names."""
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        """Run a statement for its effect (needs a connection opened with read_only=False)."""
        self.query_columns(sql)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """Statements run inside commit together when the block ends, or not at all.

        Outside a transaction every statement commits on its own; inside, an exception
        (a database error, a bug, Ctrl-C) rolls everything back, so a writer such as
        `segdsl snapshot` never leaves half of its rows behind.
        """
        if self._in_transaction:
            raise WarehouseError("a transaction is already open on this connection")
        self._begin()
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self._rollback()
            raise
        self._in_transaction = False
        self._commit()

    _in_transaction = False

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBWarehouse(Warehouse):
    dialect = "duckdb"

    def __init__(self, path: str, read_only: bool) -> None:
        import duckdb

        self._duckdb = duckdb
        try:
            self._con = duckdb.connect(path, read_only=read_only)
            # No DuckDB progress bar on long queries: it would interleave with our output.
            self._con.execute("SET enable_progress_bar = false")
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open DuckDB file {path}: {one_line(exc)}") from None

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple]]:
        try:
            cur = self._con.execute(sql)
            if cur.description is None:
                return [], []
            return [d[0] for d in cur.description], cur.fetchall()
        except self._duckdb.Error as exc:
            raise WarehouseError(one_line(exc)) from None

    def _begin(self) -> None:
        try:
            self._con.begin()
        except self._duckdb.Error as exc:
            raise WarehouseError(one_line(exc)) from None

    def _commit(self) -> None:
        try:
            self._con.commit()
        except self._duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(f"commit failed: {one_line(exc)}") from None

    def _rollback(self) -> None:
        try:
            self._con.rollback()
        except self._duckdb.Error:
            pass  # already rolled back by the error that brought us here

    def close(self) -> None:
        self._con.close()


class PostgresWarehouse(Warehouse):
    dialect = "postgres"

    def __init__(self, url: str, read_only: bool) -> None:
        try:
            import psycopg
        except ImportError:
            raise WarehouseError(
                "Postgres support needs psycopg: pip install 'segdsl[postgres]'") from None
        self._psycopg = psycopg
        self._read_only = read_only
        try:
            self._con = psycopg.connect(url, connect_timeout=15)
            # Read-only transactions: a segment query can never change the warehouse.
            self._con.read_only = read_only
        except psycopg.Error as exc:
            raise WarehouseError(f"cannot connect to Postgres: {one_line(exc)}") from None

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple]]:
        psycopg = self._psycopg
        try:
            with self._con.cursor() as cur:
                cur.execute(sql)
                if cur.description is None:
                    columns, rows = [], []
                else:
                    columns, rows = [d.name for d in cur.description], cur.fetchall()
            # Reads end their transaction at once (nothing held open between queries);
            # writes, only possible with read_only=False, are committed. Inside
            # transaction() the block's end decides.
            if self._in_transaction:
                pass
            elif self._read_only:
                self._con.rollback()
            else:
                self._con.commit()
            return columns, rows
        except psycopg.Error as exc:
            if not self._in_transaction:
                self._rollback()
            raise WarehouseError(one_line(exc)) from None

    def _begin(self) -> None:
        pass  # psycopg opens a transaction with the first statement (autocommit is off)

    def _commit(self) -> None:
        try:
            self._con.commit()
        except self._psycopg.Error as exc:
            self._rollback()
            raise WarehouseError(f"commit failed: {one_line(exc)}") from None

    def _rollback(self) -> None:
        try:
            self._con.rollback()
        except self._psycopg.Error:
            pass

    def close(self) -> None:
        self._con.close()


def connect(db: str | os.PathLike[str] | None = None, url: str | None = None, *,
            read_only: bool = True) -> Warehouse:
    """Open a DuckDB file (`db`) or a Postgres database (`url`); exactly one of them.

    `url` is a libpq connection string: postgresql://user@host/dbname or key=value pairs.

    A DuckDB file opened read-only must exist (DuckDB would otherwise fail with a lock or
    "does not exist" message that hides the real problem). ":memory:" opens a scratch
    in-memory DuckDB (always writable).
    """
    if (db is None) == (url is None):
        raise WarehouseError("give either a DuckDB file or a Postgres URL (not both)")
    if url is not None:
        if url.strip().lower().startswith("sc://"):  # Spark Connect (segdsl/warehouse/spark.py)
            from segdsl.warehouse.spark import SparkConnectWarehouse
            return SparkConnectWarehouse(url, read_only)
        # Any libpq connection string works: postgresql://... URLs and "host=... dbname=...".
        return PostgresWarehouse(url, read_only)
    path = str(db)
    if path == ":memory:":
        return DuckDBWarehouse(path, read_only=False)
    if read_only and not Path(path).is_file():
        raise WarehouseError(f"no DuckDB file at {path}")
    return DuckDBWarehouse(path, read_only)


def quote_ident(name: str) -> str:
    """Double-quoted SQL identifier (same rule in DuckDB and Postgres)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Single-quoted SQL string literal (standard_conforming_strings, the Postgres default)."""
    return "'" + value.replace("'", "''") + "'"
