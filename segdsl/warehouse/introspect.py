"""`segdsl schema pull`: draft a segdsl.toml from a live warehouse's information_schema (DuckDB,
Postgres) or catalog (Spark, through Spark Connect).

The output is a starting point a person reviews, so it errs on the side of saying what it
did: unsupported columns are listed as comments rather than silently dropped, and the
header says the file was generated.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field

from segdsl.warehouse import spark
from segdsl.warehouse.connection import Warehouse, WarehouseError, quote_ident, quote_literal

MAX_VALUES = 20
# Column names that mark the event-name column of an event table, best first.
EVENT_COLUMN_NAMES = ("event_name", "event", "name", "event_type", "type")

_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "UHUGEINT", "INT", "INT2", "INT4", "INT8", "BYTE", "SHORT", "LONG"}
_NUMBER = {"FLOAT", "REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT4", "FLOAT8"}
_STRING = {"VARCHAR", "TEXT", "CHAR", "CHARACTER", "CHARACTER VARYING", "BPCHAR", "STRING"}
_TIMESTAMP = {"TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITHOUT TIME ZONE",
              "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATETIME",
              "TIMESTAMP_NTZ", "TIMESTAMP_LTZ"}
_PG_ARRAYS = {"_text": "list<string>", "_varchar": "list<string>", "_bpchar": "list<string>",
              "_int2": "list<integer>", "_int4": "list<integer>", "_int8": "list<integer>"}


class SchemaPullError(WarehouseError):
    """The requested entity table or key cannot be found."""


@dataclass
class Column:
    name: str
    db_type: str
    type: str | None  # segdsl type, None when unsupported
    values: list[str] | None = None
    partition: bool = False  # a partition column (Spark)


@dataclass
class Table:
    name: str
    columns: list[Column] = field(default_factory=list)

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        for c in self.columns:
            if c.name.lower() == name.lower():
                return c
        return None


def segdsl_type(data_type: str, udt_name: str | None = None) -> str | None:
    """Map an information_schema type (DuckDB or Postgres spelling) or a Spark catalog type
    (`bigint`, `array<string>`, `decimal(10,2)`) to a segdsl type."""
    t = re.sub(r"\([^()]*\)", "", data_type.strip().upper()).strip()
    if t == "ARRAY":  # Postgres: the element type is in udt_name ("_text")
        return _PG_ARRAYS.get((udt_name or "").lower())
    if t.endswith("[]") or (t.startswith("ARRAY<") and t.endswith(">")):
        element = segdsl_type(t[:-2] if t.endswith("[]") else t[6:-1])
        return f"list<{element}>" if element in ("string", "integer") else None
    if t in _INTEGER:
        return "integer"
    if t in _NUMBER or t.startswith(("DECIMAL", "NUMERIC")):
        return "number"
    if t in _STRING:
        return "string"
    if t in ("BOOLEAN", "BOOL"):
        return "boolean"
    if t == "DATE":
        return "date"
    if t in _TIMESTAMP:
        return "timestamp"
    return None


def pull_schema(conn: Warehouse, entity_table: str, key: str) -> str:
    """Return segdsl.toml text describing `entity_table` (keyed by `key`) and its relations.

    `entity_table` may be schema-qualified ("analytics.customers"); relations are looked
    for in the same schema.
    """
    schema, table_name = _split(conn, entity_table)
    tables = _read_tables(conn, schema)
    entity = _find(tables, table_name)
    if entity is None:
        close = difflib.get_close_matches(table_name, list(tables), n=1)
        hint = f"did you mean {close[0]!r}?" if close else \
            "tables: " + (", ".join(sorted(tables)) or "none")
        raise SchemaPullError(f"no table {table_name!r} in schema {schema!r} ({hint})")
    key_col = entity.column(key)
    if key_col is None:
        close = difflib.get_close_matches(key, [c.name for c in entity.columns], n=1)
        hint = f"did you mean {close[0]!r}?" if close else \
            "columns: " + ", ".join(c.name for c in entity.columns)
        raise SchemaPullError(f"table {entity.name!r} has no column {key!r} ({hint})")
    if key_col.type is None:
        raise SchemaPullError(f"key column {key_col.name!r} has unsupported type "
                              f"{key_col.db_type}")

    relations: list[tuple[Table, Column]] = []
    for t in sorted(tables.values(), key=lambda t: t.name):
        if t.name == entity.name:
            continue
        rel_key = t.column(key_col.name)
        if rel_key is not None and rel_key.type == key_col.type:
            relations.append((t, rel_key))

    _fill_values(conn, schema, entity, skip={key_col.name})
    for t, rel_key in relations:
        _fill_values(conn, schema, t, skip={rel_key.name})
    return _render(conn.dialect, entity, key_col, relations, qualified=entity_table)


def _split(conn: Warehouse, name: str) -> tuple[str, str]:
    if "." in name:
        schema, _, table = name.rpartition(".")
        return schema, table
    if isinstance(conn, spark.SparkConnectWarehouse):
        return conn.current_database(), name
    return str(conn.query("SELECT current_schema()")[0][0]), name


def _read_tables(conn: Warehouse, schema: str) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    if isinstance(conn, spark.SparkConnectWarehouse):  # no information_schema: the catalog
        for table, column, data_type, partition in conn.catalog_columns(schema):
            t = tables.setdefault(table, Table(table))
            t.columns.append(Column(column, data_type, segdsl_type(data_type), partition=partition))
        return tables
    where = f"table_schema = {quote_literal(schema)}"
    if conn.dialect == "duckdb":
        # Several databases may be attached; only look at the one in use.
        where += " AND table_catalog = current_database()"
    rows = conn.query(
        "SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns "
        f"WHERE {where} ORDER BY table_name, ordinal_position")
    for table, column, data_type, udt in rows:
        t = tables.setdefault(table, Table(table))
        t.columns.append(Column(column, str(data_type), segdsl_type(str(data_type), udt)))
    return tables


def _find(tables: dict[str, Table], name: str) -> Table | None:
    if name in tables:
        return tables[name]
    matches = [t for n, t in tables.items() if n.lower() == name.lower()]
    return matches[0] if len(matches) == 1 else None


def _fill_values(conn: Warehouse, schema: str, table: Table, skip: set[str]) -> None:
    """Set `values` on text and list-of-text columns with few distinct values.

    A column is only treated as an enumeration when some value repeats: in a tiny table
    every column has few values, but a column of all-different values (e-mails, names)
    is free text, not a closed list.
    """
    candidates = [c for c in table.columns
                  if c.type in ("string", "list<string>") and c.name not in skip]
    if not candidates:
        return
    on_spark = conn.dialect == "spark"
    quote = spark.quote_ident if on_spark else quote_ident
    source = f"{schema if on_spark else quote(schema)}.{quote(table.name)}"  # Spark: as listed
    for c in candidates:
        col = quote(c.name)
        if c.type == "string":
            inner = f"SELECT {col} AS v FROM {source}"
        else:
            inner = f"SELECT {'explode' if on_spark else 'unnest'}({col}) AS v FROM {source}"
        distinct, non_null = conn.query(
            f"SELECT count(DISTINCT v), count(v) FROM ({inner}) AS s")[0]
        if 0 < distinct <= MAX_VALUES and distinct < non_null:
            rows = conn.query(f"SELECT DISTINCT v FROM ({inner}) AS s WHERE v IS NOT NULL")
            # Sort here, not in SQL: collations differ between engines.
            c.values = sorted(str(r[0]) for r in rows)


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _toml_str(name)


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _singular(name: str) -> str:
    base = name.rsplit(".", 1)[-1]
    lower = base.lower()
    if lower in ("people", "persons"):
        return base[0] + "erson" if lower == "people" else base[:-1]
    if lower.endswith("ies") and len(base) > 3:
        return base[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return base[:-2]
    if lower.endswith("s") and not lower.endswith("ss") and len(base) > 1:
        return base[:-1]
    return base


def _relation_name(table: str, used: set[str]) -> str:
    """The relation's name as segments spell it (`count(web_visits)`): an identifier,
    even when the table's name is not one; `table` keeps the real name."""
    name = re.sub(r"\W+", "_", table, flags=re.ASCII).strip("_") or "relation"
    if name[0].isdigit():
        name = "t_" + name
    base, n = name, 2
    while name.lower() in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name.lower())
    return name


def _column_lines(table: Table, skip: str | None, dialect: str) -> list[str]:
    lines = []
    for c in table.columns:
        if c.name == skip:
            continue
        if c.type is None:
            lines.append(f"# {c.name}: type {c.db_type} is not supported by segdsl, left out")
            continue
        upper = c.db_type.upper()
        if dialect == "spark" and upper == "TIMESTAMP_NTZ":
            # Spark's TIMESTAMP is an instant, which segdsl compares as such; NTZ is a wall clock
            lines.append(f"# {c.name}: {c.db_type} is a wall clock without zone, read as UTC: "
                         "right when spark.sql.session.timeZone is UTC")
        elif dialect != "spark" and ("TIME ZONE" in upper or "TZ" in upper):
            # segdsl reads a timestamp as UTC without a zone; a zoned column needs a view that
            # converts it (e.g. `col AT TIME ZONE 'UTC'`) until zoned timestamps are supported
            lines.append(f"# {c.name}: {c.db_type} holds a time zone; point segdsl at a view "
                         "converting it to UTC without a zone")
        if c.values is not None:
            values = ", ".join(_toml_str(v) for v in c.values)
            lines.append(f'{_toml_key(c.name)} = {{ type = "{c.type}", values = [{values}] }}')
        else:
            lines.append(f'{_toml_key(c.name)} = "{c.type}"')
    return lines


def _render(dialect: str, entity: Table, key: Column, relations: list[tuple[Table, Column]],
            qualified: str) -> str:
    out = [
        f"# Generated by `segdsl schema pull` from the {dialect} table {_toml_str(qualified)}.",
        "# Review before use: check each type, delete `values` lists that should stay open",
        "# (a listed value set makes any other value a type error) and relations that are",
        "# not tables of many rows per entity.",
        "",
        "[entity]",
        f"name = {_toml_str(_singular(entity.name))}",
        f"table = {_toml_str(qualified if '.' in qualified else entity.name)}",
        f"key = {_toml_str(key.name)}",
        "",
        "[entity.columns]",
        *_column_lines(entity, None, dialect),
    ]
    used: set[str] = set()
    for table, rel_key in relations:
        rel = _relation_name(table.name, used)
        time_col = next((c for c in table.columns if c.type == "timestamp"), None) or next(
            (c for c in table.columns if c.type == "date"), None)
        # Same qualification as the entity: a schema-qualified entity table means the
        # warehouse is not searched by default, so its relations need the schema too.
        qualified_rel = f"{qualified.rpartition('.')[0]}.{table.name}" if "." in qualified \
            else table.name
        out += ["", f"[relations.{rel}]", f"table = {_toml_str(qualified_rel)}",
                f"key = {_toml_str(rel_key.name)}"]
        if time_col is not None:
            out.append(f"time = {_toml_str(time_col.name)}")
            event = _event_column(table)
            if event is not None:
                out.append(f"event = {_toml_str(event.name)}")
        else:
            out.append("# no timestamp or date column: time windows are not available")
        parts = [c.name for c in table.columns if c.partition]
        if parts and (time_col is None or time_col.name not in parts):
            out.append(f"# partitioned by {', '.join(parts)}: windows filter `time`, so they skip "
                       "partitions only when `time` is a partition column")
        out += ["", f"[relations.{rel}.columns]", *_column_lines(table, rel_key.name, dialect)]
    out += ["", "# [project]", '# timezone = "UTC"', f'# dialect = "{dialect}"', ""]
    return "\n".join(out)


def _event_column(table: Table) -> Column | None:
    by_name = {c.name.lower(): c for c in table.columns}
    for name in EVENT_COLUMN_NAMES:
        c = by_name.get(name)
        if c is not None and c.type == "string" and c.values:
            return c
    return None
