"""Writing a `.segtest` from real rows: N members and N non-members of a segment, with only
the rows and columns that decide their membership.

The columns copied are those the segment's IR reads (entity columns, relation columns, and
each relation's key); keys and identifying text (emails, phones, names, `*_id` columns) are
replaced by synthetic values, consistently within the file, so that no personal data lands
in git. The choice is seeded by the segment's name and N: the same warehouse gives the same
file. Expectations are the members found on the warehouse, except for a segment that
compares customers with each other (rankings, percentiles, buckets), where they are the
members found on the sampled rows alone (said in the file's header).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import random
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from segdsl import ir
from segdsl.as_of import AsOf
from segdsl.project.schema import Schema
from segdsl.types import Type

if TYPE_CHECKING:
    from segdsl.api import Project
    from segdsl.warehouse.connection import Warehouse

_IDENTIFYING = re.compile(r"(^|_)(e?mail|email_address|phone|mobile|tel|telephone|name|first_name|last_name|"
                          r"surname|full_name|address|street|zip|postcode|postal_code|ssn|ip|ip_address)($|_)")
_POPULATION = (ir.Ranked, ir.Percentile, ir.Bucket)


@dataclass
class Reads:
    """What a segment reads: entity columns, and per relation its columns."""

    entity: set[str] = field(default_factory=set)
    relations: dict[str, set[str]] = field(default_factory=dict)
    population: bool = False  # compares customers with each other
    snapshots: bool = False


def reads(cond: ir.Cond) -> Reads:
    found = Reads()
    for node in _nodes(cond):
        if isinstance(node, ir.Col):
            found.entity.add(node.name)
        elif isinstance(node, ir.RelCol):
            found.relations.setdefault(node.relation, set()).add(node.name)
        elif isinstance(node, ir.Agg):
            found.relations.setdefault(node.relation, set())
        elif isinstance(node, _POPULATION):
            found.population = True
        elif isinstance(node, ir.InSnapshot):
            found.snapshots = True
    return found


def _nodes(node: Any) -> Iterator[Any]:
    """Every IR node below `node` (generic over the dataclasses, so new nodes need nothing)."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (tuple, list)):
            todo.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, type):
            yield n
            todo.extend(getattr(n, f.name) for f in dataclasses.fields(n))


@dataclass
class Generated:
    text: str
    members: int
    non_members: int
    rows: int
    notes: list[str] = field(default_factory=list)


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _key_literal(key: Any) -> exp.Expr:
    return exp.Literal.number(str(key)) if isinstance(key, int) else exp.Literal.string(str(key))


def _select(table: str, columns: list[str], key: str, keys: list[Any] | None) -> exp.Select:
    query = exp.select(*[exp.column(c, quoted=True) for c in columns]).from_(exp.Table(this=_ident(table)))
    if keys is not None:
        query = query.where(exp.In(this=exp.column(key, quoted=True), expressions=[_key_literal(k) for k in keys]))
    return query.order_by(*[exp.Ordered(this=exp.column(c, quoted=True), nulls_first=True) for c in columns])


def generate(project: Project, name: str, conn: Warehouse, as_of: AsOf, sample: int) -> Generated:
    from segdsl.sql.render import render

    schema = project.schema
    assert schema is not None
    cond = project.segment_ir(name)
    assert cond is not None
    read = reads(cond)
    entity = schema.entity
    members = {r[0] for r in conn.query(project.compile(name, conn.dialect, as_of, ordered=False))}
    everyone = [r[0] for r in conn.query(render(_select(entity.table, [entity.key], entity.key, None), conn.dialect))]
    rng = random.Random(f"segtest:{name}:{sample}")
    inside = sorted(k for k in everyone if k in members)
    outside = sorted(k for k in everyone if k not in members)
    chosen_in = sorted(rng.sample(inside, min(sample, len(inside))))
    chosen_out = sorted(rng.sample(outside, min(sample, len(outside))))
    keys = chosen_in + chosen_out
    synth = Synthetic(rng, schema)
    new_key = {k: synth.key(k) for k in keys}
    tables: list[tuple[str, list[dict[str, Any]]]] = []
    entity_cols = [entity.key] + sorted(read.entity - {entity.key})
    tables.append((entity.table, _rows(conn, entity.table, entity_cols, entity.key, keys)))
    for rel_name in sorted(read.relations):
        rel = schema.relations[rel_name]
        timed = [rel.time] if rel.time in read.relations[rel_name] else []
        cols = [rel.key, *timed] + sorted(read.relations[rel_name] - {rel.key, *timed})
        tables.append((rel_name, _rows(conn, rel.table, cols, rel.key, keys) if keys else []))
    n_rows = 0
    for table, rows in tables:
        columns = _columns(schema, table)
        key = entity.key if table == entity.table else schema.relations[table].key
        for row in rows:
            for column, value in row.items():
                row[column] = new_key.get(value) if column == key else synth.value(column, value, columns[column], table)
        rows.sort(key=lambda r: tuple((v is not None, v if v is not None else 0) for v in r.values()))
        n_rows += len(rows)
    expected = sorted(new_key[k] for k in chosen_in)
    notes = []
    if read.snapshots:
        notes.append("the segment reads stored snapshots, which a test cannot hold: check its expectations")
    header = _header(name, sample, conn.dialect, as_of, read.population)
    text = header + _body(name, as_of, tables, project.settings.timezone, expected, _columns_by_table(schema))
    if read.population:
        expected = _members_on_sample(project, text)
        text = header + _body(name, as_of, tables, project.settings.timezone, expected, _columns_by_table(schema))
    return Generated(text, len(chosen_in), len(chosen_out), n_rows, notes)


def _rows(conn: Warehouse, table: str, columns: list[str], key: str, keys: list[Any]) -> list[dict[str, Any]]:
    from segdsl.sql.render import render

    names, rows = conn.query_columns(render(_select(table, columns, key, keys), conn.dialect))
    return [dict(zip(columns, row)) for row in rows]


def _columns(schema: Schema, table: str) -> dict[str, Type]:
    from segdsl.segtest.check import table_columns

    return table_columns(schema)[table]


def _columns_by_table(schema: Schema) -> dict[str, dict[str, Type]]:
    from segdsl.segtest.check import table_columns

    return table_columns(schema)


def _members_on_sample(project: Project, text: str) -> list[Any]:
    """The members found when the generated test's own rows are the whole warehouse."""
    from segdsl.segtest.check import check_test
    from segdsl.segtest.parse import read_file
    from segdsl.segtest.project import subjects
    from segdsl.segtest.run import members_of
    from segdsl.segtest.tables import test_database

    assert project.schema is not None
    raws, _ = read_file("generated.segtest", text)
    test, diags = check_test(raws[0], project.schema, project.settings.timezone, subjects(project))
    with test_database(test, project.schema, project.settings.timezone) as conn:
        found = members_of(project, test, conn)
    assert isinstance(found, set)
    return sorted(found)


class Synthetic:
    """Consistent stand-ins: the same real value always gets the same synthetic one."""

    def __init__(self, rng: random.Random, schema: Schema):
        self.rng, self.schema = rng, schema
        self.seen: dict[tuple[str, Any], Any] = {}
        entity = schema.entity
        self.key_type = entity.columns[entity.key].type.kind if entity.key in entity.columns else "integer"

    def key(self, real: Any) -> Any:
        return self._stand_in("key", real, lambda n: n if self.key_type == "integer" else f"customer-{n}")

    def value(self, column: str, value: Any, typ: Type, table: str) -> Any:
        if value is None:
            return None
        rel = self.schema.relations.get(table)
        if typ.values is not None or (rel is not None and column == rel.event):
            return value  # an enumeration or an event name says nothing about a person
        if column.endswith("_id") and typ.kind in ("integer", "string"):
            return self._stand_in(column, value, lambda n: n if typ.kind == "integer" else f"{column[:-3]}-{n}")
        if typ.kind == "string" and _IDENTIFYING.search(column.lower()):
            return self._stand_in(column, value, lambda n: self._text(column, str(value), n))
        return value

    def _stand_in(self, column: str, real: Any, make: Any) -> Any:
        key = (column, real)
        if key not in self.seen:
            self.seen[key] = make(sum(1 for c, _ in self.seen if c == column) + 1)
        return self.seen[key]

    def _text(self, column: str, real: str, n: int) -> str:
        lowered = column.lower()
        if "mail" in lowered:
            domain = real.rsplit("@", 1)[1] if "@" in real else "example.com"
            return f"person{n}@{domain}"  # the domain stays: segments test it (`ends with "@gmail.com"`)
        if any(w in lowered for w in ("phone", "mobile", "tel")):
            return "".join(str(self.rng.randrange(10)) if ch.isdigit() else ch for ch in real)
        return f"{column.replace('_', ' ')} {n}"


def _header(name: str, sample: int, dialect: str, as_of: AsOf, population: bool) -> str:
    lines = [f"# Generated by `segdsl test --generate {name} --sample {sample}` from a {dialect} warehouse",
             f"# as of {as_of}. Only the columns segment `{name}` reads are copied; keys, `*_id` columns and",
             "# identifying text (emails, phones, names) are replaced by synthetic values: no personal",
             "# data from the warehouse is in this file. Review the expectations before you commit it."]
    if population:
        lines.append(f"# `{name}` compares customers with each other (ranking, percentile or bucket): the")
        lines.append("# expected members are those among these rows alone, not in the whole warehouse.")
    return "\n".join(lines) + "\n\n"


def _body(name: str, as_of: AsOf, tables: list[tuple[str, list[dict[str, Any]]]], timezone: str,
          expected: list[Any], columns: dict[str, dict[str, Type]]) -> str:
    out = [f'test "{name}: sampled members and non-members"', f"as_of = {as_of}", f"segment = {_toml(name, timezone)}", ""]
    for table, rows in tables:
        if not rows:
            continue
        out.append(f"{table} = [")
        for row in rows:
            cells = ", ".join(f"{_key(c)} = {_toml(v, timezone)}" for c, v in row.items() if v is not None)
            out.append(f"  {{ {cells} }},")
        out.append("]")
    out.append(f"members = {_toml(expected, timezone)}")
    return "\n".join(out) + "\n"


def _key(column: str) -> str:
    return column if re.fullmatch(r"[A-Za-z0-9_-]+", column) else json.dumps(column, ensure_ascii=False)


def _toml(value: Any, timezone: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, (int, float, decimal.Decimal)):
        text = str(value)
        return text if isinstance(value, int) or "." in text or "e" in text.lower() else text + ".0"
    if isinstance(value, dt.datetime):
        if timezone == "UTC":
            return value.isoformat(timespec="seconds" if not value.microsecond else "microseconds")
        local = value.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(timezone))
        return local.isoformat(timespec="seconds" if not value.microsecond else "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v, timezone) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
