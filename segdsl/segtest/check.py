"""Checking a test against the schema and the project: the keys a test may have, its subject,
its rows (tables, columns, types, enumerations, keys) and its expectations.

Every problem is a diagnostic pointing at the key or value concerned (SEG0704–SEG0715); a
test with an error is still returned (with `ok=False`) so that `segdsl test` can list it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from segdsl.as_of import AsOf, AsOfError, coerce
from segdsl.diagnostics import Diagnostic, Fix, Span, did_you_mean, error, suggestion
from segdsl.project.schema import Schema
from segdsl.segtest.model import Cell, Expected, Key, Row, SegTest, SubjectKind
from segdsl.segtest.parse import RawTest
from segdsl.segtest.scan import Path
from segdsl.types import Type

SUBJECTS: tuple[SubjectKind, ...] = ("segment", "family", "split")
EXPECTATIONS = ("members", "include", "exclude", "assign")


@dataclass(frozen=True)
class Subjects:
    """What a test may name: the project's segments, families and splits (with members)."""

    segments: tuple[str, ...] = ()
    families: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    splits: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


def table_columns(schema: Schema) -> dict[str, dict[str, Type]]:
    """The tables a test fills, by the name it keys their rows with, and their columns:
    the entity's table, then each relation by name (its key column included)."""
    entity = schema.entity
    key_type = entity.columns[entity.key].type if entity.key in entity.columns else Type("integer")
    tables = {entity.table: {name: c.type for name, c in entity.columns.items()}}
    tables[entity.table].setdefault(entity.key, key_type)
    for rel in schema.relations.values():
        tables[rel.name] = {rel.key: key_type} | {name: c.type for name, c in rel.columns.items()}
    return tables


def key_column(schema: Schema, table: str) -> str:
    return schema.entity.key if table == schema.entity.table else schema.relations[table].key


def check_test(raw: RawTest, schema: Schema, timezone: str, subjects: Subjects) -> tuple[SegTest, list[Diagnostic]]:
    c = _Checker(raw, schema, timezone, subjects)
    return c.run(), c.diags


class _Checker:
    def __init__(self, raw: RawTest, schema: Schema, timezone: str, subjects: Subjects):
        self.raw, self.schema, self.timezone, self.subjects = raw, schema, timezone, subjects
        self.tables = table_columns(schema)
        self.diags: list[Diagnostic] = []

    def key_span(self, path: Path) -> Span:
        return self.raw.located.key(path, self.raw.span)

    def value_span(self, path: Path) -> Span:
        return self.raw.located.value(path, self.raw.span)

    def fail(self, code: str, message: str, span: Span, *hints: str, fixes: tuple[Fix, ...] = ()) -> None:
        self.diags.append(error(code, message, span, *hints, fixes=fixes))

    def run(self) -> SegTest:
        raw = self.raw
        data = raw.data
        if data is None:
            return SegTest(raw.name, raw.path, raw.span, None, None, "", raw.span, {}, ok=False)
        allowed = ["as_of", *SUBJECTS, *EXPECTATIONS, *self.tables]
        for key in data:
            if key not in allowed:
                hint, fixes = suggestion(key, allowed, self.key_span((key,)))
                what = "table or key"
                self.fail("SEG0706", f"unknown {what} `{key}` in a test", self.key_span((key,)), hint,
                          f"rows go under the entity's table ({self.schema.entity.table}) or a relation "
                          f"({', '.join(self.schema.relations) or 'none in this schema'}); other keys: "
                          "as_of, segment, family, split, members, include, exclude, assign", fixes=fixes)
        as_of = self.as_of(data)
        kind, subject, subject_span = self.subject(data)
        rows = {t: self.rows(t, data[t]) for t in self.tables if t in data}
        customers = {r.get(self.schema.entity.key) for r in rows.get(self.schema.entity.table, ())}
        self.keys_known(rows, customers)
        expected = self.expected(data, kind, subject, customers)
        return SegTest(raw.name, raw.path, raw.span, as_of, kind, subject, subject_span, rows, expected,
                       ok=not self.diags)

    # ---- as_of and subject ----
    def as_of(self, data: dict[str, Any]) -> AsOf | None:
        if "as_of" not in data:
            self.fail("SEG0704", "a test needs `as_of`, the day (or instant) it is run as of", self.raw.span,
                      "add a line such as as_of = 2024-07-01 (a date) or as_of = 2024-07-01T09:30 "
                      "(an instant in the project time zone)")
            return None
        value, span = data["as_of"], self.value_span(("as_of",))
        if not isinstance(value, (dt.date, dt.datetime)):
            self.fail("SEG0704", "`as_of` must be a date or an instant, written without quotes", span,
                      "e.g. as_of = 2024-07-01 or as_of = 2024-07-01T09:30")
            return None
        try:
            return coerce(value, self.timezone)
        except AsOfError as e:
            self.fail("SEG0704", str(e), span)
            return None

    def subject(self, data: dict[str, Any]) -> tuple[SubjectKind | None, str, Span]:
        given = [k for k in SUBJECTS if k in data]
        if not given:
            self.fail("SEG0705", "a test needs a subject: `segment = \"NAME\"`, `family = \"NAME\"` or "
                      "`split = \"NAME\"`", self.raw.span)
            return None, "", self.raw.span
        if len(given) > 1:
            self.fail("SEG0705", f"a test has one subject, not {' and '.join(f'`{k}`' for k in given)}",
                      self.key_span((given[1],)), "write one test per subject")
            return None, "", self.raw.span
        kind = given[0]
        name, span = data[kind], self.value_span((kind,))
        if not isinstance(name, str):
            self.fail("SEG0705", f"`{kind}` must be a name in double quotes", span, f'e.g. {kind} = "NAME"')
            return None, "", span
        known: dict[str, Any] = (dict.fromkeys(self.subjects.segments) if kind == "segment"
                                 else dict(self.subjects.families if kind == "family" else self.subjects.splits))
        # a parameterised segment (`regulars_in("South")`) is resolved by the project API at run time
        if name not in known and not (kind == "segment" and "(" in name):
            hint, fixes = suggestion(name, list(known), span, quote=True)
            names = ", ".join(sorted(known)[:8]) + (", ..." if len(known) > 8 else "") if known else "none"
            # the list only when nothing is close: a did-you-mean says more than 8 names
            self.fail("SEG0713", f"unknown {kind} `{name}`", span, hint or f"{kind}s in this project: {names}",
                      fixes=fixes)
        return kind, name, span

    # ---- rows ----
    def rows(self, table: str, value: Any) -> tuple[Row, ...]:
        if not isinstance(value, list):
            self.fail("SEG0715", f"`{table}` must be a list of rows", self.value_span((table,)),
                      f"e.g. {table} = [ {{ {key_column(self.schema, table)} = 1 }} ]")
            return ()
        out = []
        for i, item in enumerate(value):
            path: Path = (table, i)
            if not isinstance(item, dict):
                self.fail("SEG0715", f"a row of `{table}` is an inline table {{ column = value, ... }}",
                          self.value_span(path))
                continue
            cells = {}
            for column, v in item.items():
                where = (*path, column)
                cell = Cell(column, v, self.key_span(where), self.value_span(where))
                if self.cell(table, cell, where):
                    cells[column] = cell
            key = key_column(self.schema, table)
            if key not in item:
                self.fail("SEG0715", f"a row of `{table}` without its key `{key}`", self.value_span(path),
                          f"every row names the customer it belongs to: {{ {key} = 1, ... }}")
            out.append(Row(table, cells, self.value_span(path)))
        if table == self.schema.entity.table:
            self.unique_keys(out)
        return tuple(out)

    def cell(self, table: str, cell: Cell, where: Path) -> bool:
        columns = self.tables[table]
        if cell.column not in columns:
            hint, fixes = suggestion(cell.column, list(columns), cell.key_span)
            self.fail("SEG0707", f"`{table}` has no column `{cell.column}`", cell.key_span, hint,
                      f"columns: {', '.join(columns)}", fixes=fixes)
            return False
        return self.typed(columns[cell.column], cell.value, cell.value_span, f"`{table}.{cell.column}`", where)

    def typed(self, typ: Type, value: Any, span: Span, what: str, where: Path, element: bool = False) -> bool:
        if typ.kind == "list":
            if not isinstance(value, list):
                self.fail("SEG0708", f"{what} is a list: write [ ... ]", span, 'e.g. ["a", "b"]')
                return False
            item = Type(typ.element or "string", values=typ.values)
            return all([self.typed(item, v, self.value_span((*where, i)), what, (*where, i), element=True)
                        for i, v in enumerate(value)])
        ok = {"integer": isinstance(value, int) and not isinstance(value, bool),
              "number": isinstance(value, (int, float)) and not isinstance(value, bool),
              "string": isinstance(value, str), "boolean": isinstance(value, bool),
              "date": isinstance(value, dt.date) and not isinstance(value, dt.datetime),
              "timestamp": isinstance(value, dt.datetime)}[typ.kind]
        if not ok:
            owner = f"an element of {what}" if element else what
            self.fail("SEG0708", f"{owner} is {_a(typ.kind)}, not {_a(_kind_of(value))}", span, _example(typ.kind, value))
            return False
        if typ.values is not None and isinstance(value, str) and value not in typ.values:
            hint, fixes = suggestion(value, typ.values, span, quote=True)
            self.fail("SEG0710", f'"{value}" is not one of the values of {what}', span, hint,
                      f"values: {', '.join(typ.values)}", fixes=fixes)
            return False
        return True

    def unique_keys(self, rows: list[Row]) -> None:
        key = self.schema.entity.key
        seen: dict[Any, Span] = {}
        for r in rows:
            cell = r.cells.get(key)
            if cell is None:
                continue
            if cell.value in seen:
                self.diags.append(error("SEG0715", f"customer {cell.value} is listed twice", cell.value_span,
                                        "one row per customer; its orders and events go under the relations",
                                        related=[(seen[cell.value], "first listed here")]))
            seen.setdefault(cell.value, cell.value_span)

    def keys_known(self, rows: dict[str, tuple[Row, ...]], customers: set[Any]) -> None:
        for table, table_rows in rows.items():
            if table == self.schema.entity.table:
                continue
            key = key_column(self.schema, table)
            for r in table_rows:
                cell = r.cells.get(key)
                if cell is not None and cell.value not in customers:
                    self.fail("SEG0711", f"a row of `{table}` for customer {cell.value}, who is not among "
                              f"the test's `{self.schema.entity.table}`", cell.value_span,
                              f"add {{ {self.schema.entity.key} = {cell.value!r} }} to "
                              f"`{self.schema.entity.table}`")

    # ---- expectations ----
    def expected(self, data: dict[str, Any], kind: SubjectKind | None, subject: str,
                 customers: set[Any]) -> Expected:
        given = [k for k in EXPECTATIONS if k in data]
        if not given:
            self.fail("SEG0712", "a test states what it expects: `members`, `include`/`exclude` or `assign`",
                      self.raw.span, "e.g. members = [1, 3] (exactly these customers are members)")
            return Expected()
        if kind is not None and kind != "segment" and given != ["assign"]:
            self.fail("SEG0712", f"a test of a {kind} states `assign = {{ KEY = \"MEMBER\", ... }}`",
                      self.key_span((given[0],)), "or test one member as a segment: "
                      f'segment = "{subject}.MEMBER"' if kind == "family" else "")
            return Expected()
        if kind == "segment" and "assign" in given:
            self.fail("SEG0712", "`assign` is for a family or a split; a segment states `members`, or "
                      "`include`/`exclude`", self.key_span(("assign",)))
            return Expected()
        if "members" in given and len(given) > 1:
            self.fail("SEG0712", "`members` is the exact set: it does not go with `include` or `exclude`",
                      self.key_span((given[1],)), "keep `members`, or list some keys in `include`/`exclude`")
            return Expected()
        lists = {k: self.keys(k, data[k], customers) for k in ("members", "include", "exclude") if k in data}
        assign = self.assign(data["assign"], kind, subject, customers) if "assign" in data else ()
        return Expected(lists.get("members"), lists.get("include", ()), lists.get("exclude", ()), assign)

    def keys(self, name: str, value: Any, customers: set[Any]) -> tuple[Key, ...]:
        if not isinstance(value, list):
            self.fail("SEG0712", f"`{name}` is a list of customer keys", self.value_span((name,)), f"e.g. {name} = [1, 3]")
            return ()
        out = []
        for i, key in enumerate(value):
            span = self.value_span((name, i))
            if key not in customers or isinstance(key, bool):
                self.fail("SEG0711", f"customer {key!r} is not among the test's `{self.schema.entity.table}`",
                          span, did_you_mean(str(key), [str(c) for c in customers if c is not None]))
                continue
            out.append(key)
        return tuple(out)

    def assign(self, value: Any, kind: SubjectKind | None, subject: str, customers: set[Any]) -> tuple[tuple[Key, str], ...]:
        if not isinstance(value, dict):
            self.fail("SEG0712", "`assign` maps customer keys to members", self.value_span(("assign",)),
                      'e.g. assign = { 1 = "champions", 2 = "others" }')
            return ()
        groups = (self.subjects.families if kind == "family" else self.subjects.splits).get(subject)
        by_text = {str(c): c for c in customers if c is not None}
        out = []
        for text, member in value.items():
            key_span, span = self.key_span(("assign", text)), self.value_span(("assign", text))
            if text not in by_text:
                self.fail("SEG0711", f"customer {text} is not among the test's `{self.schema.entity.table}`", key_span)
                continue
            if not isinstance(member, str):
                self.fail("SEG0712", f"the member of customer {text} is a name in double quotes", span)
                continue
            if groups is not None and member not in groups:
                hint, fixes = suggestion(member, groups, span, quote=True)
                self.fail("SEG0714", f"`{member}` is not a {'member' if kind == 'family' else 'group'} of "
                          f"{kind} `{subject}`", span, hint, f"{'members' if kind == 'family' else 'groups'}: "
                          f"{', '.join(groups)}", fixes=fixes)
                continue
            out.append((by_text[text], member))
        return tuple(out)


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):
        return "timestamp"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "list"
    return "table"


def _example(kind: str, value: Any) -> str:
    if isinstance(value, str) and kind in ("date", "timestamp", "integer", "number", "boolean"):
        return "write it without quotes, e.g. " + {"date": "2024-06-30", "timestamp": "2024-06-30T14:00",
                                                    "integer": "42", "number": "12.50", "boolean": "true"}[kind]
    return {"integer": "e.g. 42", "number": "e.g. 12.50", "string": 'text in double quotes, e.g. "West Coast"',
            "boolean": "true or false", "date": "a date without quotes, e.g. 2024-06-30",
            "timestamp": "a date and time without quotes, e.g. 2024-06-30T14:00 (project time zone)"}[kind]
