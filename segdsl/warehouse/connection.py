"""A thin, dialect-tagged connection to DuckDB or Postgres that runs SQL and fetches rows.

Database drivers raise their own exception trees with multi-line messages; everything that
goes wrong here surfaces as `WarehouseError` with one line, so the CLI can print
`error: ...` without a traceback. Drivers are imported on first use so `segdsl --help`
stays fast and Postgres stays an optional extra.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from typing import Any, cast
from collections.abc import Iterator
from pathlib import Path

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

# Open connections, so that Ctrl-C can stop the query they run (interrupt_all).
_OPEN: weakref.WeakSet[Warehouse] = weakref.WeakSet()


def interrupt_all() -> None:
    """Stop the query every open connection is running (called from another thread when
    SIGINT arrives: a query in a driver's C code does not see Python's signal handler)."""
    for conn in list(_OPEN):
        try:
            conn.interrupt()
        except Exception:  # closing, or nothing running: nothing to stop
            pass


class WarehouseError(Exception):
    """A database problem, with a one-line message fit to show a user."""


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ctrl-C during a commit is delivered once the commit has returned: the commit
    either happened or not, and the code that follows knows which."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and callable(previous):
        previous(signal.SIGINT, None)  # as if it arrived now (raises KeyboardInterrupt)


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

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (empty for statements without result)."""
        return self.query_columns(sql)[1]

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
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
            with _interrupts_deferred():  # a second Ctrl-C must not skip the rollback
                self._rollback()
            raise
        self._in_transaction = False
        with _interrupts_deferred():
            self._commit()

    _in_transaction = False

    def interrupt(self) -> None:
        """Stop the running query, from any thread (the query then fails)."""

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
        _OPEN.add(self)

    def interrupt(self) -> None:
        self._con.interrupt()

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        try:
            cur = self._con.execute(sql)
            # The stubs say a list, but a statement without a result set has no description.
            description = cast("list[tuple[Any, ...]] | None", cur.description)
            if description is None:
                return [], []
            return [d[0] for d in description], cur.fetchall()
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
        _OPEN.add(self)

    def interrupt(self) -> None:
        cancel = getattr(self._con, "cancel_safe", None) or self._con.cancel
        cancel()

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
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
        check_url(url)
        return PostgresWarehouse(url, read_only)
    path = str(db)
    if path == ":memory:":
        return DuckDBWarehouse(path, read_only=False)
    if read_only and not Path(path).is_file():
        if Path(path).is_dir():
            raise WarehouseError(f"{path} is a folder, not a DuckDB file")
        raise WarehouseError(f"no DuckDB file at {path}")
    check_duckdb_file(Path(path))
    return DuckDBWarehouse(path, read_only)


def check_url(url: str) -> None:
    """A Postgres URL or libpq "key=value" string; anything else in the user's terms. The
    message never repeats the URL, which may hold a password."""
    text = url.strip()
    if is_postgres_url(text) or ("=" in text and "://" not in text) or text.lower().startswith("sc://"):
        return  # sc://: Spark Connect (segdsl/warehouse/spark.py)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise WarehouseError(f"`{scheme}://` URLs are not supported: segdsl runs on Postgres "
                             "(--url postgresql://user@host/dbname), Spark Connect (--url sc://host:port) "
                             "and DuckDB files (--db FILE.duckdb)")
    raise WarehouseError("--url is not a Postgres URL: write postgresql://user@host/dbname "
                         "(or key=value pairs such as \"host=db dbname=shop\"); for a DuckDB file, "
                         "use --db FILE.duckdb")


_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def check_duckdb_file(path: Path) -> None:
    """An existing file that is not a DuckDB database (a CSV, a SQLite file...) is named as
    such, instead of DuckDB's "Cannot launch in-memory database in read-only mode"."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
    except FileNotFoundError:
        return  # created on first write
    except OSError as exc:
        raise WarehouseError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(head) == 0:
        return  # an empty file: DuckDB makes it a database when opened for writing
    if head[8:12] != _DUCKDB_MAGIC:
        shown = os.path.relpath(path) if path.is_absolute() else str(path)
        hint = ""
        if path.suffix.lower() in (".csv", ".parquet", ".json"):
            hint = (f"; to query a {path.suffix} file, load it into a DuckDB file first, e.g. "
                    f"duckdb warehouse.duckdb \"CREATE TABLE t AS FROM '{path.name}'\"")
        raise WarehouseError(f"{shown} is not a DuckDB database file{hint}")


def quote_ident(name: str) -> str:
    """Double-quoted SQL identifier (same rule in DuckDB and Postgres)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Single-quoted SQL string literal (standard_conforming_strings, the Postgres default)."""
    return "'" + value.replace("'", "''") + "'"
