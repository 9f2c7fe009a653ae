"""The canonical layout of definitions (see docs/formatting.md).

A condition is printed on one line when it fits in WIDTH columns; otherwise its and/or
chain is broken one item per line with the operator leading, nested chains in `(` ... `)`
indented by two. Values, lists and aggregates always stay on one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import assert_never

from segdsl.format import flat as f
from segdsl.format.comments import Unit, Units, cond_children
from segdsl.syntax import ast

WIDTH = 100
INDENT = 2


@dataclass
class Line:
    indent: int
    text: str
    units: list[Unit] = field(default_factory=list)


def _glue(prefix: str, lines: list[Line], indent: int, units: Iterable[Unit | None] = ()) -> list[Line]:
    """Put `prefix` in front of the first line (which continues the caller's line)."""
    first = lines[0]
    lines[0] = Line(indent, prefix + first.text, _present(units) + first.units)
    return lines


def _present(units: Iterable[Unit | None]) -> list[Unit]:
    """The units that exist (a one-line definition has no closing unit, for instance)."""
    return [u for u in units if u is not None]


class Layout:
    def __init__(self, units: Units):
        self.units = units
        self._forced: dict[int, bool] = {}
        self._flat: dict[tuple[int, int], str] = {}

    def flat(self, node: ast.Expr, floor: int = f.FULL) -> str:
        """f.flat, remembered: a long condition is measured at several levels."""
        key = (id(node), floor)
        if key not in self._flat:
            self._flat[key] = f.flat(node, floor)
        return self._flat[key]

    # ---- which parts must break ----
    def forced(self, node: ast.Expr) -> bool:
        """`node` cannot be printed on one line: a comment above an item inside it needs
        that item at the start of a line."""
        key = id(node)
        if key not in self._forced:
            self._forced[key] = any(u.forces_break for u in self.inner_units(node, later_only=True))
        return self._forced[key]

    def inner_units(self, node: ast.Expr, later_only: bool = False) -> list[Unit]:
        """The units inside `node` (all on one line when it is printed flat). `later_only`
        leaves out the first item of each chain: it stays on the line the chain starts on
        whatever the layout, so a comment above it never needs a break (breaking for it
        would move the comment above that line, where the next run would not break)."""
        found: list[Unit] = []
        stack = [node]
        while stack:
            n = stack.pop()
            for i, child in enumerate(cond_children(n)):
                unit = self.units.get("item", child)
                if unit is not None and not (later_only and i == 0):
                    found.append(unit)
            stack.extend(cond_children(n))
        return found

    # ---- conditions ----
    def cond(self, node: ast.Expr, floor: int, indent: int, col: int) -> list[Line]:
        """`node` starting at column `col` of a line indented by `indent`. The first line
        returned continues the caller's line."""
        if not self.forced(node):
            text = self.flat(node, floor)
            if col + len(text) <= WIDTH:
                return [Line(indent, text, self.inner_units(node))]
        if f.strength(node) < floor:
            return self.group("(", node, ")", indent)
        if f.is_chain(node):
            return self.chain(node, indent)
        if isinstance(node, ast.Not):
            return _glue("not ", self.cond(node.operand, f.NOT, indent, col + 4), indent)
        if isinstance(node, (ast.HasRows, ast.Did)) and node.filter is not None:
            head = f.rows_head(node) + " where "
            return _glue(head, self.cond(node.filter, f.PRED, indent, col + len(head)), indent)
        return [Line(indent, self.flat(node, floor), self.inner_units(node))]

    def group(self, opening: str, node: ast.Expr, closing: str, indent: int) -> list[Line]:
        """`(` on the caller's line, the content indented below, `)` back at `indent`."""
        inner = indent + INDENT
        if f.is_chain(node):
            body, _ = self.chain_lines(node, inner)
        else:
            body = self.cond(node, f.FULL, inner, inner)
            body[0].indent = inner
        return [Line(indent, opening), *body, Line(indent, closing)]

    def chain(self, node: ast.And | ast.Or, indent: int) -> list[Line]:
        """A chain that is not in parentheses: its first item stays on the caller's line
        unless that item breaks over lines itself; the others follow, indented."""
        lines, first_size = self.chain_lines(node, indent + INDENT)
        if first_size > 1:
            return [Line(indent, ""), *lines]
        return lines

    def chain_lines(self, node: ast.And | ast.Or, indent: int) -> tuple[list[Line], int]:
        """One item per line at `indent`, the operator leading (`and x`, `or y`)."""
        op = f.chain_op(node)
        lines: list[Line] = []
        first_size = 0
        for i, item in enumerate(node.items):
            unit = self.units.get("item", item)
            prefix = "" if i == 0 else op + " "
            body = self.cond(item, f.item_floor(node), indent, indent + len(prefix))
            first_size = first_size or len(body)
            lines += _glue(prefix, body, indent, [unit])
        return lines, first_size

    # ---- definitions ----
    def definition(self, d: ast.Definition) -> list[Line]:
        u = self.units
        match d:
            case ast.SegmentDef():
                lines = self.segment(d)
            case ast.TraitDef():
                header = f"trait {d.name} = "
                lines = _glue(header, self.cond(d.expr, f.FULL, 0, len(header)), 0,
                              [u.get("head", d)])
            case ast.ScoreDef():
                lines = [Line(0, f"score {d.name} {{")]
                for rule in d.rules:
                    lines += self.rule(rule)
                lines.append(Line(0, "}", _present([u.get("close", d)])))
            case ast.FamilyDef():
                lines = self.family(d)
            case ast.SplitDef():
                lines = self.split(d)
            case _:
                assert_never(d)
        lines[0].units[:0] = _present([u.get("def", d)])
        return lines

    def segment(self, d: ast.SegmentDef) -> list[Line]:
        """A one-liner when it has no metadata and fits, else the block form."""
        u = self.units
        header = (f"segment {d.name}{f.params_text(d.params)}"
                  + (f" {f.string_text(d.title)}" if d.title is not None else ""))
        where = u.get("where", d)
        inner = [x for x in u.of_definition(d) if x.forces_break]
        if not d.meta and d.where is not None and not inner:
            text = f"{header} where {self.flat(d.where)}"
            if len(text) <= WIDTH:
                return [Line(0, text, _present([where]) + self.inner_units(d.where))]
        lines = [Line(0, header + " {")]
        for m in d.meta:
            value = (f.string_text(m.value) if isinstance(m.value, str)
                     else "[" + ", ".join(f.name_or_string(t) for t in m.value) + "]")
            lines.append(Line(INDENT, f"{m.key}: {value}", _present([u.get("meta", m)])))
        if d.where is not None:
            body = self.cond(d.where, f.FULL, INDENT, INDENT + 6)
            lines += _glue("where ", body, INDENT, [where])
        close = u.get("close", d)
        lines.append(Line(0, "}", _present([close])))
        return lines

    def family(self, d: ast.FamilyDef) -> list[Line]:
        """Always the block form: one member per line, in priority order, `else` last."""
        u = self.units
        header = f"family {d.name}" + (f" {f.string_text(d.title)}" if d.title is not None else "")
        lines = [Line(0, header + " {")]
        for m in d.meta:
            value = (f.string_text(m.value) if isinstance(m.value, str)
                     else "[" + ", ".join(f.name_or_string(t) for t in m.value) + "]")
            lines.append(Line(INDENT, f"{m.key}: {value}", _present([u.get("meta", m)])))
        for rule in d.rules:
            assert rule.where is not None
            head = f"{rule.name} where "
            body = self.cond(rule.where, f.FULL, INDENT, INDENT + len(head))
            lines += _glue(head, body, INDENT, [u.get("rule", rule), u.get("head", rule)])
        if d.otherwise is not None:
            lines.append(Line(INDENT, f"else {d.otherwise.name}", _present([u.get("rule", d.otherwise)])))
        lines.append(Line(0, "}", _present([u.get("close", d)])))
        return lines

    def split(self, d: ast.SplitDef) -> list[Line]:
        """`holdout NAME P%` on one line; a split's header, then one group per line."""
        u = self.units
        if d.holdout:
            group = d.groups[0]
            return [Line(0, f"holdout {d.name} {f.number_text(group.share.text)}%", _present([u.get("rule", group)]))]
        header = f"split {d.name}" + (f" salt {f.string_text(d.salt.value)}" if d.salt is not None else "")
        if d.where is not None:
            head = header + " where "
            lines = _glue(head, self.cond(d.where, f.FULL, 0, len(head)), 0, [u.get("head", d)])
            lines[-1].text += " {"
        else:
            lines = [Line(0, header + " {")]
        for group in d.groups:
            lines.append(Line(INDENT, f"{group.name} {f.number_text(group.share.text)}%", _present([u.get("rule", group)])))
        lines.append(Line(0, "}", _present([u.get("close", d)])))
        return lines

    def rule(self, rule: ast.ScoreRule) -> list[Line]:
        u = self.units
        head = f"{f.points_text(rule.points)} when "
        cond = rule.condition
        # a line break ends a rule: a broken chain has to stand in parentheses
        too_long = INDENT + len(head) + len(self.flat(cond)) > WIDTH and f.item_floor(cond) == f.NOT
        if f.is_chain(cond) and (self.forced(cond) or too_long):
            body = self.group("(", cond, ")", INDENT)
        else:
            body = self.cond(cond, f.FULL, INDENT, INDENT + len(head))
        return _glue(head, body, INDENT, [u.get("rule", rule), u.get("head", rule)])
