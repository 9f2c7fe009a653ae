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
MEMBER = "member"  # a family's member or a split's group: name "family.member"
PARAM = "parameter"  # a parameterised segment's parameter: name "segment.parameter"
SEQUENCE = "sequence"  # the `did` / `then` of a sequence (for hover); `whole` is the sequence
DEFINED = (SEGMENT, TRAIT, SCORE)
RENAMED = (*DEFINED, MEMBER, PARAM)  # what rename changes everywhere


@dataclass(frozen=True)
class Occurrence:
    span: Span
    kind: str  # one of the kinds above
    name: str  # for a column: "relation.column"; for an enumeration value: the text
    declaration: bool = False
    # a use of a parameterised segment: the whole `in segment f(...)`; a sequence: all of it
    whole: Span | None = dataclasses.field(default=None, compare=False)


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

    def __init__(self, schema: Schema | None, kinds: dict[str, str],
                 members: dict[str, tuple[str, ...]] | None = None,
                 declared: dict[str, tuple[str, ...]] | None = None) -> None:
        self.schema = schema
        self.kinds = kinds
        self.members = members or {}  # family or split -> its members or groups
        self.declared = declared or {}  # parameterised segment -> its parameters' names
        self.params: set[str] = set()  # the parameters of the definition being read
        self.definition = ""
        self.found: list[Occurrence] = []

    def file(self, f: ast.File) -> list[Occurrence]:
        for d in f.definitions:
            self.found.append(Occurrence(d.name_span, definition_kind(d), d.name, True))
            self.params = set()
            if isinstance(d, ast.FamilyDef):
                for r in d.rules + ((d.otherwise,) if d.otherwise is not None else ()):
                    self.found.append(Occurrence(r.name_span, MEMBER, f"{d.name}.{r.name}", True))
            elif isinstance(d, ast.SplitDef) and not d.holdout:
                for g in d.groups:
                    self.found.append(Occurrence(g.name_span, MEMBER, f"{d.name}.{g.name}", True))
            elif isinstance(d, ast.SegmentDef) and d.params is not None:
                for p in d.params:
                    self.found.append(Occurrence(p.name_span, PARAM, f"{d.name}.{p.name}", True))
                    if self.is_field(p.type):  # `r: region`: the field whose type it takes
                        self.add(p.type_span, FIELD, p.type)
                self.params = {f"{d.name}.{p.name}" for p in d.params}
                self.definition = d.name
            for root in roots(d):
                self.visit(root, None)
        return self.found

    def is_field(self, name: str) -> bool:
        return self.schema is not None and name in self.schema.entity.columns

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
            self.add(node.event.span, EVENT, node.event.value)
            return [(c, self.event_relation()) for c in (node.window, node.filter) if c is not None]
        if t is ast.Sequence:
            return self.sequence(node)
        if t is ast.InSegment:
            self.in_segment(node)
            return []
        if t is ast.InSnapshot:
            self.add(node.name_span, SEGMENT, node.name)
            return [(node.at, rel)] if node.at is not None else []
        if t is ast.Duration and node.param is not None:  # `in last n`, n a duration parameter
            if f"{self.definition}.{node.param}" in self.params:
                self.add(node.span, PARAM, f"{self.definition}.{node.param}")
            return []
        if t is ast.Call:
            self.add(node.name_span, FUNCTION, node.function)
        elif t is ast.Compare:
            if not (self.member_string(node.left, node.right) or self.member_string(node.right, node.left)):
                self.enum_strings(node.left, [node.right], rel)
                self.enum_strings(node.right, [node.left], rel)
        elif t in (ast.InList, ast.ListHas):
            if not any([self.member_string(node.value, item) for item in node.items]):
                self.enum_strings(node.value, node.items, rel)
        return [(c, rel) for c in _children(node)]

    def add(self, span: Span, kind: str, name: str, whole: Span | None = None) -> None:
        if span.known:
            self.found.append(Occurrence(span, kind, name, whole=whole))

    def event_relation(self) -> str | None:
        events = self.schema.event_relations() if self.schema is not None else []
        return events[0].name if len(events) == 1 else None

    def in_segment(self, node: ast.InSegment) -> None:
        s = node.name_span
        head, dot, tail = node.name.partition(".")
        if not dot or not s.known or s.end_line != s.line:
            self.add(s, SEGMENT, node.name, node.span if node.args is not None else None)
            for arg in node.args or ():  # `f(r: "South")`: the parameter r of f
                if arg.name is not None and arg.name in self.declared.get(node.name, ()):
                    self.add(arg.name_span, PARAM, f"{node.name}.{arg.name}")
            return
        # `in segment A.B`: A is the family or split, B its member or group
        self.add(Span(s.path, s.line, s.col, s.line, s.col + len(head)), self.kinds.get(head, UNKNOWN), head)
        self.add(Span(s.path, s.line, s.end_col - len(tail), s.line, s.end_col),
                 MEMBER if tail in self.members.get(head, ()) else UNKNOWN, node.name)

    def sequence(self, node: ast.Sequence) -> list[tuple[Any, str | None]]:
        rel = self.event_relation()
        self.add(_word(node.span, "did"), SEQUENCE, "did", node.span)
        self.add(node.event.span, EVENT, node.event.value)
        children = [(c, rel) for c in (node.window, node.filter) if c is not None]
        for step in node.steps:
            self.add(_word(step.span, "then"), SEQUENCE, "then", node.span)
            self.add(step.event.span, EVENT, step.event.value)
            for same in step.same:
                self.add(same.span, COLUMN if rel is not None else UNKNOWN, f"{rel}.{same.name}")
            children += [(step.filter, rel)] if step.filter is not None else []
        return children

    def member_string(self, family: Any, value: Any) -> bool:
        """`lifecycle = "champions"`: the member inside the quotes (renamed with the member)."""
        if not (isinstance(family, ast.Ref) and family.name in self.members and isinstance(value, ast.String)):
            return False
        s = value.span
        if value.value in self.members[family.name] and s.known and s.line == s.end_line:
            self.add(Span(s.path, s.line, s.col + 1, s.line, s.end_col - 1), MEMBER, f"{family.name}.{value.value}")
        return True

    def ref(self, node: ast.Ref, rel: str | None) -> None:
        if self.params and f"{self.definition}.{node.name}" in self.params:
            self.add(node.span, PARAM, f"{self.definition}.{node.name}")
        elif rel is not None and self.schema is not None and rel in self.schema.relations \
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


def _word(span: Span, word: str) -> Span:
    """The keyword a node's span starts with."""
    return Span(span.path, span.line, span.col, span.line, span.col + len(word)) if span.known else span


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
    if a.kind == SEQUENCE or b.kind == SEQUENCE:
        return False
    if a.kind in DEFINED or b.kind in DEFINED:
        return a.kind in DEFINED and b.kind in DEFINED
    return a.kind == b.kind
