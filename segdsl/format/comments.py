"""Comments for the formatter: the AST has none, so they are read from the source text and
attached to "units", the pieces of a definition that start a line in the broken layout
(a definition, a metadata line, the `where` line, a score rule, an item of an and/or chain,
the closing brace).

- An end-of-line comment belongs to the last unit that starts before it and is printed at
  the end of the output line where that unit starts (joined with any other comment that
  lands on that line). End-of-line comments never change the layout: that is what keeps
  formatting idempotent when a layout joins lines.
- A comment on its own line belongs to the first unit after it inside the innermost unit
  around it, and is printed on its own line above that unit; when nothing follows inside
  (e.g. inside a value), it becomes an end-of-line comment of the unit around it.
- Comments outside every definition lead the next definition, or trail the file.

Every comment lands somewhere: format_source checks that afterwards.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal, assert_never

from segdsl.diagnostics import Span
from segdsl.syntax import ast

# The pieces of a definition that start a line in the broken layout (see the module docstring).
UnitKind = Literal["def", "meta", "where", "head", "rule", "item", "close"]

_SPACE = " \t\r\n\f"


@dataclass
class Comment:
    offset: int
    text: str
    own_line: bool
    blank_before: bool  # the source line above is blank (kept between top-level items)


@dataclass(eq=False)
class Unit:
    kind: UnitKind
    start: int
    end: int
    order: int  # pre-order index: a parent sorts before a child starting at the same place
    leading: list[Comment] = field(default_factory=list)
    trailing: list[Comment] = field(default_factory=list)

    @property
    def forces_break(self) -> bool:
        """A comment above this unit needs the unit at the start of a line."""
        return bool(self.leading) and self.kind in ("item", "where", "close")


class Source:
    """Offsets <-> 1-based line/column, and where a node's own parentheses are."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col - 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_text(self, line: int) -> str:
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[self.starts[line - 1]:end]

    def extent(self, span: Span, outer: bool = False) -> tuple[int, int]:
        """The node's offsets; with `outer`, widened over parentheses that wrap exactly it."""
        a = self.offset(span.line, span.col)
        b = self.offset(span.end_line, span.end_col)
        while outer:
            i = a - 1
            while i >= 0 and self.text[i] in _SPACE:
                i -= 1
            j = b
            while j < len(self.text) and self.text[j] in _SPACE:
                j += 1
            # a `(` right before and a `)` right after can only be this node's own pair: the
            # node is balanced, and an and/or item is never a whole call argument
            if i >= 0 and j < len(self.text) and self.text[i] == "(" and self.text[j] == ")":
                a, b = i, j + 1
            else:
                break
        return a, b


def scan(text: str) -> list[Comment]:
    """Every `#` comment outside a string, with its offset (strings never span lines)."""
    found: list[Comment] = []
    offset = 0
    previous_blank = False
    for raw in text.split("\n"):
        in_string = escaped = False
        for i, ch in enumerate(raw):
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "#":
                own = raw[:i].strip() == ""
                found.append(Comment(offset + i, raw[i:].rstrip(), own, own and previous_blank))
                break
        previous_blank = raw.strip() == ""
        offset += len(raw) + 1
    return found


def cond_children(node: ast.Expr) -> tuple[ast.Expr, ...]:
    """The conditions inside `node` that the layout can break onto lines of their own."""
    if isinstance(node, (ast.And, ast.Or)):
        return node.items
    if isinstance(node, ast.Not):
        return (node.operand,)
    if isinstance(node, (ast.HasRows, ast.Did)) and node.filter is not None:
        return (node.filter,)
    return ()


class Units:
    """The units of a file, keyed by identity (AST equality ignores spans, so two equal
    nodes are still two units), and the comments attached to them."""

    def __init__(self, file: ast.File, source: Source):
        self.source = source
        self.by_key: dict[tuple[UnitKind, int], Unit] = {}
        self.per_def: list[tuple[Unit, list[Unit]]] = []
        self._of_def: dict[int, list[Unit]] = {}
        self.trailer: list[Comment] = []
        for d in file.definitions:
            self._current: list[Unit] = []
            top = self._add("def", d, d.span)
            self._definition(d)
            self._current.sort(key=lambda u: (u.start, u.order))
            self.per_def.append((top, self._current))
            self._of_def[id(d)] = self._current

    def of_definition(self, d: ast.Definition) -> list[Unit]:
        return self._of_def[id(d)]

    def get(self, kind: UnitKind, node: object) -> Unit | None:
        return self.by_key.get((kind, id(node)))

    def _add(self, kind: UnitKind, node: object, span: Span, outer: bool = False,
             start: int | None = None) -> Unit:
        a, b = self.source.extent(span, outer)
        unit = Unit(kind, a if start is None else start, b, len(self.by_key))
        self.by_key[(kind, id(node))] = unit
        self._current.append(unit)
        return unit

    def _definition(self, d: ast.Definition) -> None:
        match d:
            case ast.SegmentDef():
                for m in d.meta:
                    self._add("meta", m, m.span)
                if d.where is not None:
                    self._add("where", d, d.where.span, outer=True)
                    self._cond(d.where)
            case ast.TraitDef():
                self._add("head", d, d.expr.span, outer=True)
                self._cond(d.expr)
            case ast.ScoreDef():
                for rule in d.rules:
                    self._add("rule", rule, rule.span)
                    self._add("head", rule, rule.condition.span, outer=True)
                    self._cond(rule.condition)
            case ast.FamilyDef():
                for m in d.meta:
                    self._add("meta", m, m.span)
                for member in d.rules + ((d.otherwise,) if d.otherwise is not None else ()):
                    self._add("rule", member, member.span)
                    if member.where is not None:
                        self._add("head", member, member.where.span, outer=True)
                        self._cond(member.where)
            case ast.SplitDef():
                if d.where is not None:
                    self._add("head", d, d.where.span, outer=True)
                    self._cond(d.where)
                for group in d.groups:
                    self._add("rule", group, group.span)
            case _:
                assert_never(d)
        end = self.source.offset(d.span.end_line, d.span.end_col)
        if self.source.text[end - 1:end] == "}":
            # a comment above the `}` keeps the block form; a one-line definition has no
            # closing unit: a comment after it follows its last item
            self._add("close", d, d.span, start=end - 1)

    def _cond(self, node: ast.Expr) -> None:
        stack = [node]
        while stack:  # pre-order, children in source order
            n = stack.pop()
            chain = isinstance(n, (ast.And, ast.Or))
            for child in cond_children(n):
                if chain:
                    self._add("item", child, child.span, outer=True)
            stack.extend(reversed(cond_children(n)))

    def attach(self, comments: list[Comment]) -> None:
        starts = [top.start for top, _ in self.per_def]
        for c in comments:
            i = bisect.bisect_right(starts, c.offset) - 1
            inside = i >= 0 and c.offset < self.per_def[i][0].end
            if c.own_line:
                if inside:
                    self._own_line_inside(c, self.per_def[i][1])
                elif i + 1 < len(self.per_def):
                    self.per_def[i + 1][0].leading.append(c)
                else:
                    self.trailer.append(c)
            elif i >= 0:
                before = [u for u in self.per_def[i][1] if u.start <= c.offset]
                max(before, key=lambda u: (u.start, u.order)).trailing.append(c)
            elif self.per_def:  # unreachable: code precedes an end-of-line comment
                self.per_def[0][0].leading.append(c)
            else:
                self.trailer.append(c)

    @staticmethod
    def _own_line_inside(c: Comment, units: list[Unit]) -> None:
        around = [u for u in units if u.start < c.offset < u.end]
        container = max(around, key=lambda u: (u.start, u.order))
        for u in units:  # sorted by start
            if c.offset < u.start < container.end:
                u.leading.append(c)
                return
        container.trailing.append(c)
