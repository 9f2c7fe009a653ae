"""Shared pieces of the engine harness: the errors (``EngineUnavailable`` and the BigQuery
errors), the table model derived from a segdsl schema (``Column``, ``TableSpec``,
``schema_tables``), the coercion of fixture values to each column type, the normalisation of
result values to plain Python, and the ``Engine`` base class with its per-content dataset
cache. It imports nothing beyond the standard library."""

from __future__ import annotations

import datetime as _dt
import decimal
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

_EPOCH_DATE = _dt.date(1970, 1, 1)
_EPOCH_TS = _dt.datetime(1970, 1, 1)
_SCALARS = ("integer", "number", "string", "boolean", "date", "timestamp")


class EngineUnavailable(RuntimeError):
    """The engine cannot be started here (missing package or server); the message says why."""


class BigQueryError(Exception):
    """Base class of the errors raised by the ZetaSQL (BigQuery mode) engine."""

    def __init__(self, message: str, sql: str | None = None):
        self.message = message
        self.sql = sql
        super().__init__(_format_zetasql_error(message, sql))


class BigQueryAnalysisError(BigQueryError):
    """ZetaSQL in BigQuery mode rejected the statement (syntax, names, types, features)."""


class BigQueryExecutionError(BigQueryError):
    """The statement analysed fine but failed while ZetaSQL prepared or evaluated it."""


def _format_zetasql_error(message: str, sql: str | None) -> str:
    text = f"ZetaSQL (BigQuery mode): {message}"
    m = re.search(r"\[at (\d+):(\d+)\]", message)
    if sql and m:
        line_no, col = int(m.group(1)), int(m.group(2))
        lines = sql.splitlines()
        if 1 <= line_no <= len(lines):
            text += f"\n    {lines[line_no - 1]}\n    {' ' * (col - 1)}^"
    elif sql:
        text += f"\n    {sql}"
    return text


# =========================================================================== schema


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # normalised: "integer", ..., "timestamp", "list<string>", "list<integer>", ...

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list<")

    @property
    def element_type(self) -> str:
        return self.type[5:-1] if self.is_list else self.type


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _norm_type(spec: Any, where: str) -> str:
    raw = spec.get("type") if isinstance(spec, Mapping) else spec
    if not isinstance(raw, str):
        raise ValueError(f"{where}: column type must be a string or a table with a 'type' key, got {spec!r}")
    t = re.sub(r"\s+", "", raw).lower()
    m = re.fullmatch(r"list<(\w+)>", t)
    if m and m.group(1) in _SCALARS:
        return f"list<{m.group(1)}>"
    if t in _SCALARS:
        return t
    raise ValueError(f"{where}: unsupported column type {raw!r} (expected one of {_SCALARS} or list<...>)")


def schema_tables(schema: Mapping[str, Any]) -> dict[str, TableSpec]:
    """Table name -> :class:`TableSpec` for a parsed segdsl schema (acme.toml format).

    The entity table gets its key first, then its columns. A relation table gets its key column
    (typed like the entity key unless listed), then its columns; its ``time`` column defaults to
    timestamp and its ``event`` column to string when not listed. Two relations on one table are
    merged.
    """
    if "entity" not in schema:
        raise ValueError("schema has no [entity] table")
    entity = schema["entity"]
    ent_table = entity["table"]
    ent_key = entity["key"]
    ent_cols = dict(entity.get("columns", {}) or {})
    key_type = _norm_type(ent_cols[ent_key], f"{ent_table}.{ent_key}") if ent_key in ent_cols else "integer"

    tables: dict[str, dict[str, str]] = {}

    def add(table: str, col: str, typ: str) -> None:
        cols = tables.setdefault(table, {})
        if col in cols and cols[col] != typ:
            raise ValueError(f"{table}.{col} declared as both {cols[col]} and {typ}")
        cols[col] = typ

    add(ent_table, ent_key, key_type)
    for name, spec in ent_cols.items():
        add(ent_table, name, _norm_type(spec, f"{ent_table}.{name}"))

    for rel_name, rel in (schema.get("relations", {}) or {}).items():
        table = rel.get("table", rel_name)
        cols = dict(rel.get("columns", {}) or {})
        key = rel.get("key", ent_key)
        add(table, key, _norm_type(cols[key], f"{table}.{key}") if key in cols else key_type)
        for name, spec in cols.items():
            if name != key:
                add(table, name, _norm_type(spec, f"{table}.{name}"))
        if rel.get("time") and rel["time"] not in tables[table]:
            add(table, rel["time"], "timestamp")
        if rel.get("event") and rel["event"] not in tables[table]:
            add(table, rel["event"], "string")

    return {t: TableSpec(t, tuple(Column(c, ty) for c, ty in cols.items())) for t, cols in tables.items()}


# =========================================================================== input values


def _to_utc_naive(v: _dt.datetime) -> _dt.datetime:
    if v.tzinfo is not None:
        v = v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return v


def _coerce(value: Any, typ: str, where: str) -> Any:
    if value is None:
        return None
    if typ.startswith("list<"):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise TypeError(f"{where}: expected a list for {typ}, got {value!r}")
        inner = typ[5:-1]
        return [_coerce(v, inner, where) for v in value]
    if typ == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{where}: expected int, got {value!r}")
        return int(value)
    if typ == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
            raise TypeError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if typ == "string":
        if not isinstance(value, str):
            raise TypeError(f"{where}: expected str, got {value!r}")
        return value
    if typ == "boolean":
        if not isinstance(value, bool):
            raise TypeError(f"{where}: expected bool, got {value!r}")
        return value
    if typ == "date":
        if isinstance(value, str):
            return _dt.date.fromisoformat(value)
        if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
            raise TypeError(f"{where}: expected datetime.date, got {value!r}")
        return value
    if typ == "timestamp":
        if isinstance(value, str):
            value = _dt.datetime.fromisoformat(value)
        if isinstance(value, _dt.datetime):
            return _to_utc_naive(value)
        if isinstance(value, _dt.date):
            return _dt.datetime(value.year, value.month, value.day)
        raise TypeError(f"{where}: expected datetime.datetime, got {value!r}")
    raise ValueError(f"{where}: unsupported type {typ}")


def _prepare(schema: Mapping[str, Any], tables: Mapping[str, Sequence[Mapping[str, Any]]]):
    """Validate and coerce: returns [(TableSpec, [row tuple in column order])] for every table
    of the schema (tables absent from ``tables`` are created empty)."""
    specs = schema_tables(schema)
    unknown = sorted(set(tables) - set(specs))
    if unknown:
        raise ValueError(f"tables {unknown} are not in the schema (schema tables: {sorted(specs)})")
    out = []
    for name, spec in specs.items():
        names = spec.column_names
        known = set(names)
        rows = []
        for i, row in enumerate(tables.get(name, ()) or ()):
            extra = set(row) - known
            if extra:
                raise ValueError(f"{name} row {i}: unknown columns {sorted(extra)} (columns: {list(names)})")
            rows.append(
                tuple(_coerce(row.get(c.name), c.type, f"{name}[{i}].{c.name}") for c in spec.columns)
            )
        out.append((spec, rows))
    return out


def _fingerprint(schema: Any, tables: Any) -> str:
    return hashlib.sha256(repr((schema, tables)).encode("utf-8", "surrogatepass")).hexdigest()


# =========================================================================== output values


def _py(value: Any) -> Any:
    """Normalise a DuckDB/psycopg result value to the common Python representation."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, _dt.datetime):
        return _to_utc_naive(value)
    if isinstance(value, list):
        return [_py(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_py(v) for v in value)
    if isinstance(value, dict):
        return {k: _py(v) for k, v in value.items()}
    return value


def _sort_key(v: Any):
    return (v is None, 0 if v is None else v)


# =========================================================================== base class


class Engine:
    """Common interface. Subclasses implement ``_create/_activate/_drop/query``."""

    name: str = ""
    dialect: str = ""
    max_cached_datasets = 8
    # Each query costs this engine a noticeable fixed time (ZetaSQL ~50 ms, a Spark job a
    # fifth of a second or more): the differential harness then checks only an example's main
    # segments one by one, and every segment through the batch query.
    slow_queries = False

    def __init__(self) -> None:
        self._datasets: OrderedDict[str, Any] = OrderedDict()
        self._active: str | None = None
        self._counter = 0
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} datasets={len(self._datasets)}>"

    # -- public API -------------------------------------------------------------------------

    def load(
        self,
        schema: Mapping[str, Any],
        tables: Mapping[str, Sequence[Mapping[str, Any]]],
        *,
        reload: bool = False,
    ) -> "Engine":
        """Make exactly the schema's tables visible, filled with ``tables`` (missing tables are
        created empty). Equal data loaded before is reused unless ``reload``. Returns self."""
        with self._lock:
            key = _fingerprint(schema, tables)
            if key in self._datasets and reload:
                self._drop(self._datasets.pop(key))
                if self._active == key:
                    self._active = None
            if key not in self._datasets:
                prepared = _prepare(schema, tables)
                self._counter += 1
                self._datasets[key] = self._create(self._counter, prepared)
            self._datasets.move_to_end(key)
            self._activate(self._datasets[key])
            self._active = key
            while len(self._datasets) > self.max_cached_datasets:
                old_key, old = next(iter(self._datasets.items()))
                del self._datasets[old_key]
                self._drop(old)
            return self

    def query(self, sql: str) -> list[tuple]:
        raise NotImplementedError

    def keys(self, sql: str) -> list:
        """First column of every row, sorted (NULLs last)."""
        return sorted((row[0] for row in self.query(sql)), key=_sort_key)

    def keys_many(self, sqls: Sequence[str]) -> list:
        """``keys`` of every query, in order; a query that fails gives its exception in its
        place. Engines with a high cost per query (Spark) run them all as one job."""
        out: list = []
        for sql in sqls:
            try:
                out.append(self.keys(sql))
            except Exception as exc:
                out.append(exc)
        return out

    def close(self) -> None:
        with self._lock:
            for handle in self._datasets.values():
                try:
                    self._drop(handle)
                except Exception:
                    pass
            self._datasets.clear()
            self._active = None

    # -- subclass hooks ---------------------------------------------------------------------

    def _create(self, n: int, prepared) -> Any:
        raise NotImplementedError

    def _activate(self, handle: Any) -> None:
        raise NotImplementedError

    def _drop(self, handle: Any) -> None:
        raise NotImplementedError
