"""The customer schema (`[entity]`, `[relations.*]` of segdsl.toml) and project settings.

`read_config` turns the parsed TOML into a Schema and Settings, reporting every problem as a
diagnostic (codes SEG04xx, configuration errors: exit code 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from segdsl.as_of import AsOf, AsOfError
from segdsl.as_of import parse as parse_as_of
from segdsl.diagnostics import Diagnostic, Span, did_you_mean, error
from segdsl.project.calendar import SETTINGS as CALENDAR_SETTINGS
from segdsl.project.calendar import Calendar, read_calendar
from segdsl.types import SCALAR_TYPES, ScalarKind, Type, TypeKind

DIALECTS = ("duckdb", "postgres", "bigquery")


@dataclass(frozen=True)
class Column:
    name: str
    type: Type


@dataclass(frozen=True)
class Relation:
    name: str
    table: str
    key: str
    time: str | None
    event: str | None
    columns: dict[str, Column] = field(hash=False)


@dataclass(frozen=True)
class Entity:
    name: str
    table: str
    key: str
    columns: dict[str, Column] = field(hash=False)


@dataclass(frozen=True)
class Schema:
    entity: Entity
    relations: dict[str, Relation] = field(hash=False)
    # where weeks and fiscal years start (`[project]`): the checker builds calendar periods
    calendar: Calendar = Calendar()

    def event_relations(self) -> list[Relation]:
        return [r for r in self.relations.values() if r.event]


@dataclass(frozen=True)
class Settings:
    timezone: str = "UTC"
    dialect: str = "duckdb"
    warehouse: str | None = None
    snapshots_table: str = "segdsl_snapshots"
    # the default reference date of every command and API call (`as_of` wins over it)
    as_of: AsOf | None = None
    calendar: Calendar = Calendar()


class Locator:
    """Where a table or key of segdsl.toml is written (tomllib keeps no positions), so that a
    schema error points at its line. Falls back to the table's header, then to line 1."""

    _HEADER = re.compile(r"\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r"\s*(\"?)([^\"=\s]+)\1\s*=")

    def __init__(self, path: str, text: str | None):
        self.path = path
        self.keys: dict[tuple[str, str], tuple[int, int, int]] = {}
        self.tables: dict[str, tuple[int, int, int]] = {}
        table = ""
        for i, line in enumerate((text or "").splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = ".".join(p.strip().strip('"') for p in header.group(1).split("."))
                self.tables.setdefault(table, (i, header.start(1), header.end(1) + 2))
                continue
            key = self._KEY.match(line)
            if key:
                self.keys.setdefault((table, key.group(2)), (i, key.start(2) + 1, key.end(2) + 1))

    def table_or_below(self, name: str) -> Span:
        """Where the table `name` is first written: `[name]`, `[name.sub]`, or a `name = ...`
        or `name.sub = ...` key at the top level; line 1 if nowhere."""
        lines = [v for t, v in self.tables.items() if t == name or t.startswith(name + ".")]
        lines += [v for (t, k), v in self.keys.items() if t == "" and (k == name or k.startswith(name + "."))]
        line, col, end = min(lines) if lines else (1, 1, 2)
        return Span(self.path, line, col, line, end)

    def at(self, table: str, key: str | None = None) -> Span:
        found = self.keys.get((table, key)) if key is not None else None
        found = found or self.tables.get(table) or (1, 1, 2)
        line, col, end = found
        return Span(self.path, line, col, line, end)


def parse_type(spec: Any, where: str, span: Span, diags: list[Diagnostic]) -> Type | None:
    values = None
    if isinstance(spec, dict):
        unknown = set(spec) - {"type", "values", "description"}
        if unknown:
            diags.append(error("SEG0403", f"{where}: unknown key `{sorted(unknown)[0]}`", span,
                               "a column is a type name or { type = ..., values = [...] }"))
        values = spec.get("values")
        spec = spec.get("type")
    if not isinstance(spec, str):
        diags.append(error("SEG0403", f"{where}: the type must be a string such as \"integer\"", span))
        return None
    name = spec.strip()
    element = None
    if name.startswith("list<") and name.endswith(">"):
        element = name[5:-1].strip()
        name = "list"
    if (name == "list" and element not in ("string", "integer")) or (name != "list" and name not in SCALAR_TYPES):
        known = list(SCALAR_TYPES) + ["list<string>", "list<integer>"]
        diags.append(error("SEG0404", f"{where}: unknown type `{spec}`", span, did_you_mean(spec, known),
                           "types: " + ", ".join(known)))
        return None
    if values is not None:
        if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
            diags.append(error("SEG0403", f"{where}: `values` must be a non-empty list of strings", span))
            values = None
        elif "string" not in (name, element):
            diags.append(error("SEG0403", f"{where}: `values` is only for string and list<string> columns", span))
            values = None
    # The check above leaves only known names: a scalar kind, or "list" of string/integer.
    return Type(cast(TypeKind, name), cast("ScalarKind | None", element), tuple(values) if values else None)


def _columns(raw: Any, where: str, loc: Locator, diags: list[Diagnostic]) -> dict[str, Column]:
    if not isinstance(raw, dict):
        diags.append(error("SEG0403", f"{where}: `columns` must be a table of column = type", loc.at(where)))
        return {}
    columns: dict[str, Column] = {}
    lowered: dict[str, str] = {}
    for name, spec in raw.items():
        span = loc.at(where, name)
        t = parse_type(spec, f"{where}.{name}", span, diags)
        if name.lower() in lowered:
            diags.append(error("SEG0405", f"{where}: columns `{lowered[name.lower()]}` and `{name}` differ only by case",
                               span, "SQL engines fold or keep case differently; rename one"))
        lowered[name.lower()] = name
        if t is not None:
            columns[name] = Column(name, t)
    return columns


def _text(table: dict[str, Any], key: str, where: str, loc: Locator, diags: list[Diagnostic],
          required: bool = True) -> str | None:
    path = where.strip("[]")
    span = loc.at(path, key)
    value = table.get(key)
    if value is None:
        if required:
            diags.append(error("SEG0403", f"{where}: missing `{key}`", span))
        return None
    if not isinstance(value, str) or not value:
        diags.append(error("SEG0403", f"{where}: `{key}` must be a non-empty string", span))
        return None
    return value


def read_config(data: dict[str, Any], path: str, text: str | None = None) -> tuple[Schema | None, Settings, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    loc = Locator(path, text)
    span = Span(path, 1, 1, 1, 2)
    settings = _settings(data.get("project", {}), loc, diags)
    # [activation] is read and checked by segdsl/activation/config.py
    unknown = set(data) - {"entity", "relations", "project", "activation"}
    for key in sorted(unknown):
        diags.append(error("SEG0403", f"unknown table `[{key}]`", loc.table_or_below(key),
                           did_you_mean(key, ["entity", "relations", "project", "activation"]),
                           "the tables of segdsl.toml: [entity], [relations.NAME], [project]"))

    raw_entity = data.get("entity")
    if not isinstance(raw_entity, dict):
        diags.append(error("SEG0403", "missing `[entity]` table (name, table, key, columns)", span))
        return None, settings, diags
    e_cols = _columns(raw_entity.get("columns", {}), "entity.columns", loc, diags)
    e_table = _text(raw_entity, "table", "[entity]", loc, diags)
    e_key = _text(raw_entity, "key", "[entity]", loc, diags)
    e_name = _text(raw_entity, "name", "[entity]", loc, diags, required=False) or (e_table or "entity")
    if e_key and e_key not in e_cols:
        diags.append(error("SEG0403", f"[entity]: the key `{e_key}` is not in entity.columns", loc.at("entity", "key"),
                           did_you_mean(e_key, e_cols)))
    entity = Entity(e_name, e_table or "", e_key or "", e_cols)

    relations: dict[str, Relation] = {}
    raw_rels = data.get("relations", {})
    if not isinstance(raw_rels, dict):
        diags.append(error("SEG0403", "`relations` must be a table of [relations.NAME] tables", span))
        raw_rels = {}
    names_lower = {c.lower(): f"the entity column `{c}`" for c in e_cols}
    for name, raw in raw_rels.items():
        where = f"[relations.{name}]"
        span = loc.at(f"relations.{name}")
        if not isinstance(raw, dict):
            diags.append(error("SEG0403", f"{where} must be a table", span))
            continue
        cols = _columns(raw.get("columns", {}), f"relations.{name}.columns", loc, diags)
        table = _text(raw, "table", where, loc, diags) or ""
        key = _text(raw, "key", where, loc, diags) or ""
        time = _text(raw, "time", where, loc, diags, required=False)
        event = _text(raw, "event", where, loc, diags, required=False)
        if key and key not in cols and entity.key in e_cols:
            cols = {key: Column(key, e_cols[entity.key].type), **cols}
        if time is not None:
            if time not in cols:
                diags.append(error("SEG0403", f"{where}: the time column `{time}` is not in its columns", loc.at(f"relations.{name}", "time"),
                                   did_you_mean(time, cols)))
                time = None
            elif cols[time].type.kind not in ("date", "timestamp"):
                diags.append(error("SEG0403", f"{where}: the time column `{time}` must be a date or timestamp", loc.at(f"relations.{name}", "time")))
                time = None
        if event is not None:
            if event not in cols:
                diags.append(error("SEG0403", f"{where}: the event column `{event}` is not in its columns", loc.at(f"relations.{name}", "event"),
                                   did_you_mean(event, cols)))
                event = None
            elif cols[event].type.kind != "string":
                diags.append(error("SEG0403", f"{where}: the event column `{event}` must be a string", loc.at(f"relations.{name}", "event")))
                event = None
        if name.lower() in names_lower:
            other = names_lower[name.lower()]
            diags.append(error("SEG0405", f"relation `{name}` and {other} differ only by case", span,
                               "SQL engines fold or keep case differently; rename one"))
        names_lower[name.lower()] = f"relation `{name}`"
        relations[name] = Relation(name, table, key, time, event, cols)
    if any(d.is_error for d in diags):
        return None, settings, diags
    return Schema(entity, relations, settings.calendar), settings, diags


def _settings(raw: Any, loc: Locator, diags: list[Diagnostic]) -> Settings:
    span = loc.at("project")
    if not isinstance(raw, dict):
        diags.append(error("SEG0403", "`[project]` must be a table", span))
        return Settings()
    known = {"timezone", "dialect", "warehouse", "name", "description", "snapshots_table", "as_of",
             *CALENDAR_SETTINGS}
    for key in sorted(set(raw) - known):
        diags.append(error("SEG0403", f"[project]: unknown setting `{key}`", loc.at("project", key),
                           did_you_mean(key, known)))
    tz = raw.get("timezone", "UTC")
    if not isinstance(tz, str) or not _valid_timezone(tz):
        diags.append(error("SEG0406", f"[project]: unknown time zone `{tz}`", loc.at("project", "timezone"),
                           "use an IANA name such as \"UTC\" or \"America/New_York\""))
        tz = "UTC"
    dialect = raw.get("dialect", "duckdb")
    if dialect not in DIALECTS:
        diags.append(error("SEG0403", f"[project]: unknown dialect `{dialect}`", loc.at("project", "dialect"),
                           did_you_mean(str(dialect), DIALECTS), "dialects: " + ", ".join(DIALECTS)))
        dialect = "duckdb"
    warehouse = raw.get("warehouse")
    if warehouse is not None and not isinstance(warehouse, str):
        diags.append(error("SEG0403", "[project]: `warehouse` must be a path string", span))
        warehouse = None
    snapshots = raw.get("snapshots_table", "segdsl_snapshots")
    if not isinstance(snapshots, str) or not snapshots:
        diags.append(error("SEG0403", "[project]: `snapshots_table` must be a table name", span))
        snapshots = "segdsl_snapshots"
    calendar = read_calendar(raw, lambda key: loc.at("project", key), diags)
    return Settings(tz, dialect, warehouse, snapshots, _as_of(raw.get("as_of"), tz, loc, diags), calendar)


def _as_of(raw: Any, timezone: str, loc: Locator, diags: list[Diagnostic]) -> AsOf | None:
    """`as_of = "2024-06-30"` (or an instant "2024-06-30T14:00" in the project time zone;
    TOML's own date and date-time values are accepted too)."""
    import datetime as dt

    if raw is None:
        return None
    span = loc.at("project", "as_of")
    try:
        if isinstance(raw, str):
            return parse_as_of(raw, timezone)
        if isinstance(raw, (dt.date, dt.datetime)):
            from segdsl.as_of import coerce

            return coerce(raw, timezone)
        raise AsOfError(f"`{raw!r}` is not a date")
    except AsOfError as e:
        diags.append(error("SEG0403", f"[project]: as_of: {e}", span,
                           'write as_of = "2024-06-30" (or "2024-06-30T14:00" in the project time zone)'))
    return None


def _valid_timezone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name in ("UTC", "GMT") or name.startswith("Etc")
