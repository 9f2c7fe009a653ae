"""The ClickHouse engine: chdb (ClickHouse in-process) with default settings, reading Parquet
files written by DuckDB into Memory tables. Each loaded dataset is a database ``d<n>`` made
current with ``USE``.

ClickHouse cannot store a NULL array (``Nullable(Array(...))`` does not exist): as on
BigQuery, a NULL list loads as ``[]``. A column is ``Nullable`` only when its data holds a NULL. Conditions are ``UInt8`` 0/1 in ClickHouse (comparisons,
and/or/not): results of that type come back as Python booleans. Timestamps are ``DateTime64(6, 'UTC')`` instants. Only
client settings are set (UTC session time zone, so that results print as UTC, and a larger
``max_query_size`` for 100 kB literals); every query setting the SQL needs is attached to the
statement by the dialect. ``chdb`` is imported when the engine
starts."""

from __future__ import annotations

import datetime as _dt
import json

from .engine_base import Engine, EngineUnavailable
from .parquet_files import ParquetWriter

_CH_TYPES = {
    "integer": "Int64",
    "number": "Float64",
    "string": "String",
    "boolean": "Bool",
    "date": "Date32",
    "timestamp": "DateTime64(6, 'UTC')",
}


def _ch_type(typ: str, nullable: bool) -> str:
    if typ.startswith("list<"):
        return f"Array(Nullable({_CH_TYPES[typ[5:-1]]}))"
    return f"Nullable({_CH_TYPES[typ]})" if nullable else _CH_TYPES[typ]


def _bq(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _value(value, typ: str):
    """A JSONCompact value as plain Python (64-bit integers arrive as text)."""
    if value is None:
        return None
    if typ.startswith("Nullable("):
        typ = typ[9:-1]
    if typ.startswith("Array("):
        return [_value(v, typ[6:-1]) for v in value]
    if typ == "UInt8":  # what comparisons and and/or/not return: ClickHouse's boolean
        return bool(int(value))
    if typ.startswith(("Int", "UInt")):
        return int(value)
    if typ.startswith(("Float", "Decimal")):
        f = float(value)
        return int(f) if typ.startswith("Decimal") and f.is_integer() else f
    if typ.startswith("Date") and not typ.startswith("DateTime"):
        return _dt.date.fromisoformat(value)
    if typ.startswith("DateTime"):
        return _dt.datetime.fromisoformat(value)
    return value


class ClickHouseEngine(Engine):
    """chdb session; each dataset is a database of Memory tables, selected with USE."""

    name = "clickhouse"
    dialect = "clickhouse"

    def __init__(self) -> None:
        super().__init__()
        try:
            from chdb import session
        except ImportError as exc:
            raise EngineUnavailable(f"chdb is not installed: {exc} (pip install 'segdsl[clickhouse]')") from exc
        self._files = ParquetWriter("segdsl-clickhouse-")
        self.session = session.Session()
        self.session.query("SET session_timezone = 'UTC'")
        # a statement longer than 256 KiB (the default) does not parse: a client setting,
        # which a query's own SETTINGS cannot raise (see docs/sql.md)
        self.session.query("SET max_query_size = 16777216")

    def _run(self, sql: str, fmt: str = "JSONCompact"):
        result = self.session.query(sql, fmt)
        error = getattr(result, "error_message", None)
        if callable(error):
            error = error()
        if error:
            raise RuntimeError(f"ClickHouse: {error}")
        return result

    def _create(self, n: int, prepared) -> str:
        db = f"d{n}"
        folder = self._files.write(n, prepared)
        self._run(f"DROP DATABASE IF EXISTS {db}")
        self._run(f"CREATE DATABASE {db}")
        for spec, rows in prepared:
            # A column is Nullable only when the data holds a NULL there: ClickHouse columns
            # are NOT NULL unless declared otherwise, and then an unmatched LEFT JOIN reads 0
            # or '' (not NULL) without join_use_nulls, which the tests must be able to see.
            cols = ", ".join(
                f"{_bq(c.name)} {_ch_type(c.type, any(row[i] is None for row in rows))}"
                for i, c in enumerate(spec.columns)
            )
            table = f"{db}.{_bq(spec.name)}"
            self._run(f"CREATE TABLE {table} ({cols}) ENGINE = Memory")
            path = str(folder / spec.name / "part-0.parquet").replace("\\", "\\\\").replace("'", "\\'")
            self._run(f"INSERT INTO {table} SELECT * FROM file('{path}', Parquet)")
        self._files.remove(folder)
        return db

    def _activate(self, db: str) -> None:
        self._run(f"USE {db}")

    def _drop(self, db: str) -> None:
        self._run(f"DROP DATABASE IF EXISTS {db}")

    def query(self, sql: str) -> list[tuple]:
        text = self._run(sql).bytes().decode("utf-8")
        if not text.strip():
            return []
        data = json.loads(text)
        types = [m["type"] for m in data["meta"]]
        return [tuple(_value(v, t) for v, t in zip(row, types)) for row in data["data"]]

    def close(self) -> None:
        super().close()
        self.session.close()
        self._files.close()
