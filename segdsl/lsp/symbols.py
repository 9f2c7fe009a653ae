"""What each name in a parsed `.seg` file refers to, read from the AST.

Every occurrence is a (span, kind, name) triple: the definitions' own names, uses of
segments, traits and scores, customer fields, relations and their columns, functions, and
enumeration values written as text. Go to definition, references, rename, hover and
semantic tokens are all answered from this one list, so they always agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from segdsl.diagnostics import Span
from segdsl.syntax import ast

if TYPE_CHECKING:
    from segdsl.project.schema import Column, Schema

# kinds of occurrence
SEGMENT, TRAIT, SCORE = "segment", "trait", "score"
FIELD, RELATION, COLUMN = "field", "relation", "column"
FUNCTION, ENUM_VALUE, EVENT, UNKNOWN = "function", "enum_value", "event", "unknown"
DEFINED = (SEGMENT, TRAIT, SCORE)


@dataclass(frozen=True)
class Occurrence:
    span: Span
    kind: str  # one of the kinds above
    name: str  # for a column: "relation.column"; for an enumeration value: the text
    declaration: bool = False


def definition_kind(d: ast.Definition) -> str:
    if isinstance(d, ast.SplitDef):  # a holdout is a segment; a split, its group as a value
        return SEGMENT if d.holdout else TRAIT
    # a family is read as a text trait (its members are segments named `family.member`)
    return {ast.SegmentDef: SEGMENT, ast.TraitDef: TRAIT, ast.ScoreDef: SCORE, ast.FamilyDef: TRAIT}[type(d)]


def roots(d: ast.Definition) -> list[Any]:
    if isinstance(d, ast.SegmentDef):
        return [d.where] if d.where is not None else []
    if isinstance(d, ast.TraitDef):
        return [d.expr]
    if isinstance(d, ast.FamilyDef):
        return [r.where for r in d.rules if r.where is not None]
    if isinstance(d, ast.SplitDef):
        return [d.where] if d.where is not None else []
    return [r.condition for r in d.rules]


def referenced_names(d: ast.Definition) -> set[str]:
    """Names a definition may use (a superset is fine: it only widens what is re-checked)."""
    found: set[str] = set()
    stack = list(roots(d))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Ref):
            found.add(node.name)
        elif isinstance(node, (ast.InSegment, ast.InSnapshot)):
            found.add(node.name)
            found.add(node.name.split(".")[0])  # a split's group depends on the split
        stack.extend(_children(node))
    return found


def _children(node: object) -> list[Any]:
    if not dataclasses.is_dataclass(node):
        return []
    out: list[Any] = []
    for f in _fields(type(node)):
        v = getattr(node, f)
        if isinstance(v, tuple):
            out.extend(x for x in v if dataclasses.is_dataclass(x))
        elif dataclasses.is_dataclass(v) and not isinstance(v, Span):
            out.append(v)
    return out


_FIELD_CACHE: dict[type, tuple[str, ...]] = {}


def _fields(cls: Any) -> tuple[str, ...]:
    if cls not in _FIELD_CACHE:
        _FIELD_CACHE[cls] = tuple(f.name for f in dataclasses.fields(cls)
                                  if not f.name.endswith("span"))
    return _FIELD_CACHE[cls]


class Occurrences:
    """The occurrences of one file, given what the project defines (`kinds`: name -> kind)."""

    def __init__(self, schema: Schema | None, kinds: dict[str, str]) -> None:
        self.schema = schema
        self.kinds = kinds
        self.found: list[Occurrence] = []

    def file(self, f: ast.File) -> list[Occurrence]:
        for d in f.definitions:
            self.found.append(Occurrence(d.name_span, definition_kind(d), d.name, True))
            for root in roots(d):
                self.visit(root, None)
        return self.found

    def visit(self, root: Any, relation: str | None) -> None:
        # iterative: a long `and` chain must not exhaust the stack
        stack = [(root, relation)]
        while stack:
            node, rel = stack.pop()
            for child, child_rel in self.one(node, rel):
                stack.append((child, child_rel))

    def one(self, node: Any, rel: str | None) -> list[tuple[Any, str | None]]:
        """Record node's own occurrences; return its children with the relation in scope."""
        t = type(node)
        if t is ast.Ref:
            self.ref(node, rel)
            return []
        if t is ast.Dotted:
            self.dotted(node)
            return []
        if t is ast.Aggregate:
            self.add(node.relation_span, RELATION, node.relation)
            if node.column is not None:
                self.add(node.column_span, COLUMN, f"{node.relation}.{node.column}")
            return [(c, node.relation) for c in (node.window, node.filter) if c is not None]
        if t is ast.HasRows:
            self.add(node.relation_span, RELATION, node.relation)
            return [(c, node.relation) for c in (node.window, node.filter) if c is not None]
        if t is ast.Did:
            events = self.schema.event_relations() if self.schema is not None else []
            event_rel = events[0].name if len(events) == 1 else None
            self.add(node.event.span, EVENT, node.event.value)
            return [(c, event_rel) for c in (node.window, node.filter) if c is not None]
        if t in (ast.InSegment, ast.InSnapshot):
            self.add(node.name_span, SEGMENT, node.name)
            return [(node.at, rel)] if t is ast.InSnapshot and node.at is not None else []
        if t is ast.Call:
            self.add(node.name_span, FUNCTION, node.function)
        elif t is ast.Compare:
            self.enum_strings(node.left, [node.right], rel)
            self.enum_strings(node.right, [node.left], rel)
        elif t in (ast.InList, ast.ListHas):
            self.enum_strings(node.value, node.items, rel)
        return [(c, rel) for c in _children(node)]

    def add(self, span: Span, kind: str, name: str) -> None:
        if span.known:
            self.found.append(Occurrence(span, kind, name))

    def ref(self, node: ast.Ref, rel: str | None) -> None:
        if rel is not None and self.schema is not None and rel in self.schema.relations \
                and node.name in self.schema.relations[rel].columns:
            self.add(node.span, COLUMN, f"{rel}.{node.name}")
        elif self.schema is not None and node.name in self.schema.entity.columns:
            self.add(node.span, FIELD, node.name)
        elif node.name in self.kinds:
            self.add(node.span, self.kinds[node.name], node.name)
        elif self.schema is not None and node.name in self.schema.relations:
            self.add(node.span, RELATION, node.name)
        else:
            self.add(node.span, UNKNOWN, node.name)

    def dotted(self, node: ast.Dotted) -> None:
        s = node.span
        if not s.known or s.end_line != s.line:
            return
        self.add(Span(s.path, s.line, s.col, s.line, s.col + len(node.relation)), RELATION, node.relation)
        self.add(Span(s.path, s.line, s.end_col - len(node.column), s.line, s.end_col), COLUMN,
                 f"{node.relation}.{node.column}")

    def enum_strings(self, value: Any, items: Iterable[Any], rel: str | None) -> None:
        values = self.enum_values(value, rel)
        if not values:
            return
        for item in items:
            if isinstance(item, ast.String) and item.value in values:
                self.add(item.span, ENUM_VALUE, item.value)

    def enum_values(self, value: Any, rel: str | None) -> tuple[str, ...] | None:
        col = column_of(self.schema, value, rel)
        return col.type.values if col is not None else None


def column_of(schema: Schema | None, value: Any, rel: str | None) -> Column | None:
    """The schema column a Ref or Dotted names, in the scope of relation `rel` (or None)."""
    if schema is None:
        return None
    if isinstance(value, ast.Dotted):
        r = schema.relations.get(value.relation)
        return r.columns.get(value.column) if r is not None else None
    if isinstance(value, ast.Ref):
        if rel is not None and rel in schema.relations and value.name in schema.relations[rel].columns:
            return schema.relations[rel].columns[value.name]
        return schema.entity.columns.get(value.name)
    return None


def at(occurrences: list[Occurrence], line: int, col: int) -> Occurrence | None:
    """The occurrence covering 1-based (line, col), the position before or after a name."""
    for o in occurrences:
        s = o.span
        if s.line == line == s.end_line and s.col <= col <= s.end_col:
            return o
    return None


def same_target(a: Occurrence, b: Occurrence) -> bool:
    if a.name != b.name:
        return False
    if a.kind in DEFINED or b.kind in DEFINED:
        return a.kind in DEFINED and b.kind in DEFINED
    return a.kind == b.kind
