"""Running segments on Spark (and Databricks) through Spark Connect: `--url sc://host:port`.

The client is pyspark's (`pip install 'segdsl[spark]'`), the protocol Databricks Connect
speaks too. A token is never taken from the command line (it would land in shell history and
process lists): it is read from the environment variable SEGDSL_SPARK_TOKEN and added to the
URL as Spark Connect's `token` parameter (which also turns TLS on). Tables are resolved in the
server session's current catalog and database; the SQL is compiled for the `spark` dialect.

Spark has no transactions, so this connection is read-only: `run`, `profile`, `overlap` and
`report` work; `snapshot` (which must write all its rows or none) says so and stops.
`schema pull` reads tables and columns from Spark's catalog (Spark has no information_schema).
"""

from __future__ import annotations

import os
import socket
from typing import Any
from urllib.parse import urlsplit

from segdsl.warehouse.connection import Warehouse, WarehouseError, one_line

SCHEME = "sc://"
TOKEN_ENV = "SEGDSL_SPARK_TOKEN"
DEFAULT_PORT = 15002


def quote_ident(name: str) -> str:
    """A Spark identifier, quoted with backticks."""
    return "`" + name.replace("`", "``") + "`"


def is_spark_connect_url(value: str) -> bool:
    return value.strip().lower().startswith(SCHEME)


def _endpoint(url: str) -> tuple[str, int]:
    """host and port of sc://host[:port][/;params]."""
    try:
        parts = urlsplit("http://" + url.strip()[len(SCHEME):].split("/;", 1)[0])
        host, port = parts.hostname, parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise WarehouseError(f"not a Spark Connect URL ({exc}): expected sc://host:port") from None
    if not host:
        raise WarehouseError("not a Spark Connect URL: expected sc://host:port")
    return host, port


def with_token(url: str) -> str:
    """The URL with the token from SEGDSL_SPARK_TOKEN, if set; a token written in the URL is
    refused, so that it never travels through the command line."""
    if ";token=" in url.lower():
        raise WarehouseError(f"do not write the token in the URL: set the environment variable {TOKEN_ENV}")
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        return url
    base = url.rstrip("/")
    return f"{base}{'' if '/;' in base else '/'};token={token}"


class SparkConnectWarehouse(Warehouse):
    dialect = "spark"

    def __init__(self, url: str, read_only: bool) -> None:
        if not read_only:
            raise WarehouseError("Spark has no transactions: segdsl cannot write snapshots there "
                                 "(run, profile, overlap and report only read)")
        try:
            from pyspark.errors import PySparkException
            from pyspark.sql.connect.session import SparkSession
        except ImportError:
            raise WarehouseError("Spark support needs pyspark: pip install 'segdsl[spark]'") from None
        self._errors: tuple[type[BaseException], ...] = (PySparkException,)
        host, port = _endpoint(url)
        # The client retries an unreachable server for minutes: check the port first.
        try:
            socket.create_connection((host, port), timeout=10).close()
        except OSError as exc:
            raise WarehouseError(f"cannot connect to Spark Connect at {host}:{port}: "
                                 f"{exc.strerror or exc}") from None
        try:
            self._spark = SparkSession.builder.remote(with_token(url)).create()
            self._spark.sql("SELECT 1").collect()
        except Exception as exc:  # grpc and pyspark errors alike
            raise WarehouseError(f"cannot open a Spark Connect session at {host}:{port}: {one_line(exc)}") from None

    def query_columns(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        try:
            table = self._spark.sql(sql).toArrow()
        except Exception as exc:
            raise WarehouseError(one_line(exc)) from None
        columns = [c.to_pylist() for c in table.columns]
        return list(table.column_names), list(zip(*columns)) if columns else []

    def current_database(self) -> str:
        """The session's current database (schema), where unqualified table names resolve."""
        try:
            return str(self._spark.catalog.currentDatabase())
        except Exception as exc:
            raise WarehouseError(one_line(exc)) from None

    def catalog_columns(self, database: str) -> list[tuple[str, str, str, bool]]:
        """(table, column, Spark type, partition column?) of each table and view of `database`
        in the current catalog, columns in table order; temporary views are left out."""
        out: list[tuple[str, str, str, bool]] = []
        try:
            # the database as written (`schema` or `catalog.schema`), parsed by Spark
            for t in sorted(self._spark.catalog.listTables(database), key=lambda t: t.name):
                if t.isTemporary:
                    continue
                for c in self._spark.catalog.listColumns(f"{database}.{quote_ident(t.name)}"):
                    out.append((t.name, c.name, c.dataType, bool(c.isPartition)))
        except Exception as exc:
            raise WarehouseError(one_line(exc)) from None
        return out

    def _begin(self) -> None:
        raise WarehouseError("Spark has no transactions")

    def close(self) -> None:
        try:
            self._spark.stop()
        except Exception:
            pass
