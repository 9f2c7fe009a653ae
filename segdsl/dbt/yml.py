"""`_segdsl.yml`: the source (the tables of segdsl.toml), the models' descriptions, owners
and tags, tests on the key, and dbt unit tests from the project's `.segtest` files.

YAML is written by `dump`, a small block-style writer whose scalars are JSON (a JSON string
or number is a YAML scalar), so no YAML library is needed and every text is quoted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from segdsl.dbt.models import AS_OF_VAR, MEMBERSHIPS, SOURCE, Model

SCHEMA_VAR = "segdsl_source_schema"


def dump(value: Any, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists and JSON scalars; empty ones inline (`[]`, `{}`)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        lines = []
        for k, v in value.items():
            if _block(v):
                lines.append(f"{pad}{_key(k)}:\n{dump(v, indent + 2)}")
            else:
                lines.append(f"{pad}{_key(k)}: {_scalar(v)}")
        return "\n".join(lines)
    if isinstance(value, list) and value:
        lines = []
        for item in value:
            if _block(item):
                body = dump(item, indent + 2)
                lines.append(f"{pad}- {body[indent + 2:]}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return "\n".join(lines)
    return pad + _scalar(value)


def _block(v: Any) -> bool:
    return isinstance(v, (dict, list)) and bool(v)


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else json.dumps(k)


def _scalar(v: Any) -> str:
    if isinstance(v, (dict, list)):
        return "{}" if isinstance(v, dict) else "[]"
    return json.dumps(v, ensure_ascii=False)


@dataclass(frozen=True)
class Skipped:
    test: str  # `path: test "NAME"`
    reason: str


def sources(project: Any, read: set[str]) -> dict[str, Any]:
    schema = project.schema
    tables: list[dict[str, Any]] = [{"name": schema.entity.table, "description":
                                     f"{schema.entity.name}: one row per {schema.entity.key}"}]
    for name, r in schema.relations.items():
        tables.append({"name": r.table, "description": f"relation {name}: rows keyed by {r.key}"})
    if project.settings.snapshots_table in read:
        tables.append({"name": project.settings.snapshots_table, "description": "segdsl snapshot lists"})
    return {"name": SOURCE, "description": "The warehouse tables the segdsl project reads (segdsl.toml).",
            "schema": "{{ var('" + SCHEMA_VAR + "', target.schema) }}", "tables": tables}


def model_entry(project: Any, model: Model, family: Any | None) -> dict[str, Any]:
    key = project.schema.entity.key
    info = project.segment_info(model.segment)
    title = getattr(info, "title", None) or getattr(family, "title", None)
    text = getattr(info, "description", None) or getattr(family, "description", None)
    owner = getattr(info, "owner", None) or getattr(family, "owner", None)
    tags = list(getattr(info, "tags", ()) or getattr(family, "tags", ()) or ())
    description = f"Members of segment {model.segment}" + (f" ({title})" if title else "") + \
        (f": {text}" if text else ".") + " As of var('" + AS_OF_VAR + "'), default the run date."
    meta: dict[str, Any] = {"segdsl_segment": model.segment}
    if info is not None:
        meta["segdsl_path"] = info.path
    if owner:
        meta["owner"] = owner
    if tags:
        meta["tags"] = tags
    return {"name": model.name, "description": description, "config": {"meta": meta},
            "columns": [{"name": key, "description": "a member's key",
                         "data_tests": ["unique", "not_null"]}]}


def memberships_entry(project: Any) -> dict[str, Any]:
    key = project.schema.entity.key
    return {"name": MEMBERSHIPS,
            "description": "Every segment's members, one row per segment and member, as `segdsl materialize` "
                           "writes segdsl_memberships: a family (split) is one segment_id, its member (group) "
                           "named in `member`.",
            "columns": [{"name": "segment_id", "description": "the segment, family or split",
                         "data_tests": ["not_null"]},
                        {"name": key, "description": "a member's key", "data_tests": ["not_null"]},
                        {"name": "member", "description": "NULL for a segment; the member of a family, "
                                                          "the group of a split"}]}


def unit_tests(project: Any, models: dict[str, Model], dialect: str) -> tuple[list[dict[str, Any]], list[Skipped]]:
    """A dbt unit test per `.segtest` test stating `members` of a segment with a model (the
    models it reads given the members their segments have on the test's rows); the others,
    with the reason."""
    tests, _ = project.segtests
    key = project.schema.entity.key
    segments = {m.name: m.segment for m in models.values()}
    out: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    used: set[str] = set()
    for test in tests:
        reason, model = _why_not(project, test, models, dialect)
        if model is None:
            skipped.append(Skipped(test.label(), reason))
            continue
        given = [{"input": f"source('{SOURCE}', '{t}')", "rows": _rows(project, test, t)} for t in model.sources]
        if model.refs:
            read = _members(project, test, [segments[r] for r in model.refs])
            if isinstance(read, str):
                skipped.append(Skipped(test.label(), read))
                continue
            given += [{"input": f"ref('{r}')", "rows": [{key: k} for k in keys]} for r, keys in zip(model.refs, read)]
        name = _unique(f"{model.name}__{_slug(test.name)}", used)
        out.append({"name": name, "description": test.label(), "model": model.name,
                    "overrides": {"vars": {AS_OF_VAR: test.as_of.date.isoformat()}}, "given": given,
                    "expect": {"rows": [{key: k} for k in sorted(test.expected.members)]}})
    return out, skipped


def _members(project: Any, test: Any, names: list[str]) -> list[list[Any]] | str:
    """The members of the segments a model reads (`ref`), computed from the test's rows on
    an in-memory DuckDB as `segdsl test` computes them; or why they cannot be."""
    from segdsl.segtest.tables import test_database
    from segdsl.warehouse import WarehouseError

    try:
        with test_database(test, project.schema, project.settings.timezone) as conn:
            return [sorted(row[0] for row in conn.query(project.compile(n, "duckdb", test.as_of, ordered=False)))
                    for n in names]
    except WarehouseError as exc:
        return f"the members of the segments its model reads could not be computed: {exc}"


def _why_not(project: Any, test: Any, models: dict[str, Model], dialect: str) -> tuple[str, Model | None]:
    if not test.ok:
        return "the test has errors (segdsl check)", None
    if test.kind != "segment":
        return f"a {test.kind} test states `assign`, not a segment's exact members", None
    if test.expected.members is None:
        return "`include`/`exclude` check some customers only; a dbt unit test compares every row", None
    if test.as_of is None or test.as_of.instant is not None:
        return "its as_of is an instant; the models' var is a date", None
    try:
        name = project.segment_name(test.subject)
    except Exception:  # a wrong argument list: `segdsl check` reports it
        return f"no segment {test.subject}", None
    model = models.get(name)
    if model is None:
        return f"segment {test.subject} has no model", None
    lists = [v for rows in test.rows.values() for r in rows for v in _values(r) if isinstance(v, list)]
    # dbt writes a fixture's list as Python's repr, which is DuckDB's list syntax (without quotes
    # inside the texts) and no other engine's
    if lists and (dialect != "duckdb" or any("'" in str(x) or "\\" in str(x) for v in lists for x in v)):
        return "its rows have lists, which dbt unit test fixtures give on DuckDB only", None
    return "", model


def _values(row: Any) -> list[Any]:
    return [c.value for c in row.cells.values()]


def _rows(project: Any, test: Any, table: str) -> list[dict[str, Any]]:
    from segdsl.segtest.model import local_instant

    schema, tz = project.schema, project.settings.timezone
    keys = [k for k in test.rows if (schema.entity.table if k == schema.entity.table
                                     else schema.relations[k].table if k in schema.relations else None) == table]
    out = []
    for k in keys:
        for row in test.rows[k]:
            cells: dict[str, Any] = {}
            for column, cell in row.cells.items():
                v = cell.value
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    v = local_instant(v, tz).isoformat(sep=" ")
                elif isinstance(v, dt.date):
                    v = v.isoformat()
                cells[column] = v
            out.append(cells)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "test"


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}_{n}", n + 1
    used.add(candidate)
    return candidate
