"""Warnings (SEG06xx): conditions that check fine but are probably not what the author meant.

- SEG0601 `and` and `or` mixed without parentheses (read from the source: the AST has none)
- SEG0602 a range that no value can satisfy (`age > 50 and age < 30`, `between 10 and 5`)
- SEG0603 `!=`, `not in`, `has none` on a field that can be missing: it includes customers
  (or rows) with no value, which the author rarely means
- SEG0604 a segment whose condition is the same as another's (compared on the IR)
- SEG0605 a condition after an unbracketed `has`/`did ... where` filter that names a column
  of the relation which the customer also has (segdsl/check/filters.py)
- SEG0612 `in last 1 week` (or `next`): a rolling 7 days where a calendar week is often meant
  (segdsl/check/calendar.py)
- SEG0616, SEG0617 a family without `else`, a family rule that can never win
  (segdsl/check/family_warnings.py)

Only definitions that checked without errors are looked at, so a warning never repeats an
error. Entry point: project_warnings(project), called by Project.check().
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from segdsl import ir
from segdsl.check.calendar import one_week_window
from segdsl.check.ranges import between_reversed, contradictions
from segdsl.check.family_warnings import family_warnings
from segdsl.check.filters import continuations
from segdsl.diagnostics import Diagnostic, Fix, Span, warning
from segdsl.syntax import ast
from segdsl.types import Type

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from segdsl.api import Project
    from segdsl.check.project import Resolved
    from segdsl.project.schema import Relation, Schema

_CACHE: weakref.WeakKeyDictionary[Project, list[Diagnostic]] = weakref.WeakKeyDictionary()


def project_warnings(project: Project) -> list[Diagnostic]:
    """The project's warnings, computed once per Project (check() runs on every compile)."""
    if project.schema is None:
        return []
    if project not in _CACHE:
        _CACHE[project] = _compute(project)
    return list(_CACHE[project])


def _compute(project: Project) -> list[Diagnostic]:
    assert project.schema is not None  # project_warnings returned early otherwise
    files, _ = project.parsed
    resolved, _ = project.resolved
    checked = set(resolved.segments) | set(resolved.traits)
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for f in files:
        source = project.source(f.path) or ""
        for d in f.definitions:
            if d.name in seen or d.name not in checked:
                continue  # a duplicate or a definition with errors: already reported
            seen.add(d.name)
            found += DefinitionWarnings(project.schema, resolved, source).run(d)
    found += duplicate_segments(resolved)
    return found


def conditions_of(d: ast.Definition) -> list[ast.Expr]:
    if isinstance(d, ast.SegmentDef):
        return [d.where] if d.where is not None else []
    if isinstance(d, ast.TraitDef):
        return [d.expr]
    if isinstance(d, ast.FamilyDef):
        return [r.where for r in d.rules if r.where is not None]
    if isinstance(d, ast.SplitDef):
        return [d.where] if d.where is not None else []
    return [r.condition for r in d.rules]


class DefinitionWarnings:
    def __init__(self, schema: Schema, resolved: Resolved, source: str) -> None:
        self.schema = schema
        self.resolved = resolved
        self.lines = source.split("\n")
        self.found: list[Diagnostic] = []
        self.tested: set[ast.Expr] = set()  # values tested with `is set` / `is not set` in the definition
        self.in_or: set[int] = set()  # ids of the items of `or` chains

    def run(self, d: ast.Definition) -> list[Diagnostic]:
        nodes = [pair for root in conditions_of(d) for pair in walk(root, None, self.schema)]
        nested: set[int] = set()  # `and` chains inside another: checked with their parent
        for node, _ in nodes:
            if type(node) is ast.IsSet:
                self.tested.add(node.value)
            elif type(node) is ast.And:
                nested.update(id(i) for i in node.items if type(i) is ast.And)
            elif type(node) is ast.Or:
                self.in_or.update(id(i) for i in node.items)
            if type(node) in (ast.And, ast.Or):
                self.continued(node)
        for node, scope in nodes:
            if type(node) in _VISITED and id(node) not in nested:
                self.visit(node, scope)
        if isinstance(d, ast.FamilyDef):
            self.found += family_warnings(d, self.text)
        return self.found

    def visit(self, node: object, scope: Relation | None) -> None:
        if isinstance(node, ast.Or):
            self.mixed(node)
        elif isinstance(node, ast.And):
            self.found += contradictions(node, self.text)
        elif isinstance(node, ast.Between):
            d = between_reversed(node, self.text)
            if d is not None:
                self.found.append(d)
        if isinstance(node, ast.Compare) and node.op == "!=":
            self.negated(node, node.left, node.right, scope, "!=")
        elif isinstance(node, ast.InList) and node.negated:
            self.negated(node, node.value, None, scope, "not in")
        elif isinstance(node, ast.ListHas) and node.quantifier == "none":
            self.negated(node, node.value, None, scope, "has none")
        elif isinstance(node, ast.Window):
            week = one_week_window(node)
            if week is not None:
                self.found.append(week)

    # ---- SEG0601 ----
    def mixed(self, node: ast.Or) -> None:
        bare = [i for i in node.items if isinstance(i, ast.And) and not self.wrapped(i.span)]
        if not bare:
            return
        from segdsl.format.flat import flat

        meaning = flat(node)
        shown = f"`{meaning}`" if len(meaning) <= 100 else "`(... and ...) or ...`"
        self.found.append(warning(
            "SEG0601", "`and` and `or` mixed without parentheses", node.span,
            f"`and` is applied before `or`, so this means {shown}",
            "write the parentheses to make that clear, or put them where you mean them"))

    def wrapped(self, span: Span) -> bool:
        """Whether the source has `(` right before the span and `)` right after it."""
        before = self._char(span.line, span.col - 1, -1)
        after = self._char(span.end_line, span.end_col, +1)
        return before == "(" and after == ")"

    def _char(self, line: int, col: int, step: int) -> str:
        """The first non-blank character from (line, col) going in `step` direction (col is
        1-based; the start itself is included)."""
        while 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            i = col - 1
            while 0 <= i < len(text):
                if not text[i].isspace():
                    return text[i]
                i += step
            line += step
            if 1 <= line <= len(self.lines):
                col = 1 if step > 0 else len(self.lines[line - 1])
        return ""

    # ---- SEG0603 ----
    def negated(self, node: ast.Compare | ast.InList | ast.ListHas, value: ast.Expr,
                other: ast.Expr | None, scope: Relation | None, word: str) -> None:
        if other is not None and self.missing(other, scope) and not self.missing(value, scope):
            value = other  # `"West Coast" != region`
        if value in self.tested or not self.missing(value, scope):
            return
        subject = self.text(value.span) or "the value"
        condition = self.text(node.span) or word
        who = scope.name if scope is not None else "customers"
        if isinstance(value, (ast.Ref, ast.Dotted)):
            whom = f"{who} with no {subject}"
        else:
            whom = f"{who} for whom `{subject}` has no value"
        leave = f"{subject} is set and {condition}"
        keep = f"({condition} or {subject} is not set)"
        self.found.append(warning(
            "SEG0603", f"`{condition}` also matches {whom}", node.span,
            f"to leave them out, write `{leave}`", f"to keep them, say so: `{keep}`",
            fixes=(Fix(node.span, f"({leave})" if id(node) in self.in_or else leave,
                       f"leave out {whom}"),
                   Fix(node.span, keep, f"keep {whom}"))))

    # ---- SEG0605 ----
    def continued(self, chain: ast.And | ast.Or) -> None:
        """A condition after an unbracketed has/did filter that names a column of the relation
        which the customer also has: it compares the customer's field, not the row's."""
        for c in continuations(chain, self.schema):
            if self.wrapped(c.rows.span):
                continue  # `(did ... where a = 1) or a = 2`: the brackets say it is meant
            ref = c.names[0]
            head = "has" if isinstance(c.rows, ast.HasRows) else "did"
            rows_text = self.text(c.rows.span)
            kept = f"({rows_text}) {c.op} ..." if rows_text else ""
            self.found.append(warning(
                "SEG0605", f"`{ref.name}` here is the {self.schema.entity.name}'s own "
                f"{ref.name}, not a column of the {c.relation.name} row", ref.span,
                f"the filter of `{head} ... where` is one comparison and ends at `{c.op}`; "
                f"to filter the {c.relation.name} on both, write `{c.bracketed}`",
                f"to compare the {self.schema.entity.name}'s {ref.name}, bracket the "
                f"`{head}`: `{kept}`" if kept else "",
                fixes=(c.fix(),) + ((Fix(c.rows.span, f"({rows_text})",
                                         f"keep the {self.schema.entity.name}'s {ref.name}"),)
                                    if rows_text else ())))

    def missing(self, node: ast.Expr, scope: Relation | None) -> bool:
        """Whether the value can be missing for a customer (or row)."""
        if isinstance(node, ast.Ref):
            if scope is not None:
                return True  # a column of the relation
            if node.name in self.schema.entity.columns:
                return True  # any column can hold NULL
            typed = self.resolved.traits.get(node.name)
            return typed is not None and not typed.is_cond and can_be_missing(typed.node)
        if isinstance(node, ast.Dotted):
            return True
        if isinstance(node, ast.Call):
            args = [self.missing(a, scope) for a in node.args]
            if node.function == "coalesce":
                return all(args)
            return any(args[:1])
        if isinstance(node, ast.Aggregate):
            return node.function not in ("count", "count_distinct", "sum")
        if isinstance(node, ast.Arith):
            return node.op == "/" or self.missing(node.left, scope) or self.missing(node.right, scope)
        if isinstance(node, ast.Negate):
            return self.missing(node.operand, scope)
        return False

    def text(self, span: Span) -> str | None:
        if not span.known or span.end_line != span.line or span.line > len(self.lines):
            return None
        piece = self.lines[span.line - 1][span.col - 1:span.end_col - 1]
        return piece if len(piece) <= 60 else None


_VISITED = {ast.Or, ast.And, ast.Between, ast.Compare, ast.InList, ast.ListHas, ast.Window}
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}  # per AST class: the fields that hold nodes


def _node_fields(cls: type[DataclassInstance]) -> tuple[str, ...]:
    if cls not in _NODE_FIELDS:
        _NODE_FIELDS[cls] = tuple(n for n in cls.__dataclass_fields__ if not n.endswith("span"))
    return _NODE_FIELDS[cls]


def walk(root: ast.Expr, scope: Relation | None, schema: Schema) -> list[tuple[Any, Relation | None]]:
    """(node, relation scope) for every node under root, parents first; the scope is the
    relation whose rows a filter is about (None: the customer). The nodes are any AST
    dataclasses (expressions, windows, durations...)."""
    out: list[tuple[Any, Relation | None]] = []
    stack: list[tuple[Any, Relation | None]] = [(root, scope)]
    while stack:
        node, sc = stack.pop()
        out.append((node, sc))
        inner = sc
        if isinstance(node, (ast.Aggregate, ast.HasRows)):
            inner = schema.relations.get(node.relation)
        elif isinstance(node, (ast.Did, ast.Sequence, ast.ThenStep)):  # a sequence's steps read events too
            events = schema.event_relations()
            inner = events[0] if len(events) == 1 else None
        for name in _node_fields(type(node)):
            value = getattr(node, name)
            children = value if type(value) is tuple else (value,)
            for child in reversed(children):
                if hasattr(child, "__dataclass_fields__"):
                    stack.append((child, inner if name == "filter" else sc))
    return out


def can_be_missing(value: object) -> bool:
    """Whether an IR value can be missing (NULL) for some customer."""
    if isinstance(value, (ir.Col, ir.RelCol)):
        return True
    if isinstance(value, (ir.Lit, ir.Today, ir.CondValue, ir.ScoreValue)):
        return False
    if isinstance(value, ir.StartOf):
        return can_be_missing(value.value)
    if isinstance(value, ir.FamilyValue):
        return value.otherwise is None
    if isinstance(value, (ir.Percentile, ir.Bucket)) and value.per is not None and can_be_missing(value.per):
        return True
    if isinstance(value, (ir.ShiftDate, ir.LocalDate, ir.Neg, ir.Percentile, ir.Bucket)):
        inner = value.base if isinstance(value, ir.ShiftDate) else value.value
        return can_be_missing(inner)
    if isinstance(value, ir.Arith):
        return value.op == "/" or can_be_missing(value.left) or can_be_missing(value.right)
    if isinstance(value, ir.Func):
        if value.name == "coalesce":
            return all(can_be_missing(a) for a in value.args)
        return can_be_missing(value.args[0])
    if isinstance(value, ir.Agg):
        return value.function not in ("count", "count_distinct", "sum", "count_days", "count_weeks", "count_months")
    return True


# ---- SEG0604 ----------------------------------------------------------------------------------


class _Interner:
    """Hash-consing of IR trees: equal trees get equal small ids, and shared sub-trees (a
    segment used by many others) are keyed once. `and`/`or` ignore the order of items."""

    def __init__(self) -> None:
        self.ids: dict[object, int] = {}
        self.memo: dict[int, int] = {}
        self.types: dict[int, int] = {}
        self.keep: list[Type] = []

    def key(self, node: ir.Node) -> int:
        memo = self.memo
        stack = [node]
        while stack:  # iterative post-order: IR can be deep
            n = stack[-1]
            if id(n) in memo:
                stack.pop()
                continue
            pending: list[ir.Node] = []
            fields = tuple(self._field(getattr(n, f), pending) for f in _ir_fields(type(n)))
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if type(n) in (ir.And, ir.Or):
                fields = (frozenset(fields[0]),)
            memo[id(n)] = self.ids.setdefault((type(n), fields), len(self.ids))
        return memo[id(node)]

    def _field(self, v: Any, pending: list[ir.Node]) -> Any:
        cls = type(v)
        if cls is tuple:
            return tuple(self._field(x, pending) for x in v)
        if cls in _IR_CLASSES:
            key = self.memo.get(id(v))
            if key is None:
                pending.append(v)
            return key
        if cls is Type:  # hashing a Type walks its enumeration values: do it once per object
            key = self.types.get(id(v))
            if key is None:
                key = self.types[id(v)] = self.ids.setdefault((v.kind, v.element, v.values), len(self.ids))
                self.keep.append(v)  # keeps id(v) from being reused while the table lives
            return key
        return v


_IR_CLASSES = {c for c in vars(ir).values() if isinstance(c, type) and hasattr(c, "__dataclass_fields__")
               and c is not Type}
_IR_FIELDS: dict[type, tuple[str, ...]] = {}


def _ir_fields(cls: type[DataclassInstance]) -> tuple[str, ...]:
    if cls not in _IR_FIELDS:
        _IR_FIELDS[cls] = tuple(cls.__dataclass_fields__)
    return _IR_FIELDS[cls]


def duplicate_segments(resolved: Resolved) -> list[Diagnostic]:
    interner = _Interner()
    first: dict[int, str] = {}
    found: list[Diagnostic] = []
    for name in resolved.order:
        cond = resolved.segments.get(name)
        if cond is None or name in resolved.bases:
            continue  # an argument list of a parameterised segment is not a definition to remove
        k = interner.key(cond)
        if k not in first:
            first[k] = name
            continue
        other = resolved.info[first[k]]
        here = resolved.info[name]
        found.append(Diagnostic(
            "SEG0604", "warning", f"segment `{name}` has the same condition as `{other.name}`",
            here.span,
            (f"remove one of them, or write `segment {name} where in segment {other.name}` "
             "if both names are needed",),
            ((other.span, f"`{other.name}` is defined here"),)))
    return found
