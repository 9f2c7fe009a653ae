"""A segment's condition as the tree `segdsl why` shows: one probe per node of the typed IR,
each naming the condition whose value it shows and the values that condition compares.

The probes only say *what* to compute; segdsl.why.query computes every probe's condition and
operands as columns of one query over the segment's own plan, so a probe's value is the value
the segment's SQL gives that node.

Shapes: `and`/`or` are "all of"/"any of" with a child per item; `not` of a comparison reads as
the language writes it (`!=`, `not in`, `is not set`), `not` of a group has the group as its
child; `in segment S` has S's condition as its child; a family member (`tier = "gold"`) has
the family's rules up to its own as children (the earlier rules decide first); a comparison
of a score has the score's rules as children (the points each adds when it holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from segdsl import ir
from segdsl.why.words import Words, is_constant


@dataclass
class Probe:
    text: str
    cond: ir.Cond
    operands: list[tuple[str, ir.Value]] = field(default_factory=list)
    children: list[Probe] = field(default_factory=list)


@dataclass
class Operand:
    text: str
    value: Any


@dataclass
class WhyNode:
    """A node of the tree with its values for one customer."""

    text: str
    value: bool
    operands: list[Operand] = field(default_factory=list)
    children: list[WhyNode] = field(default_factory=list)


class Prober:
    def __init__(self, words: Words) -> None:
        self.words = words

    def probe(self, c: ir.Cond, prefix: str = "") -> Probe:
        match c:
            case ir.And() | ir.Or():
                word = "all of" if isinstance(c, ir.And) else "any of"
                return Probe(prefix + self._named(c, word), c, [], [self.probe(i) for i in c.items])
            case ir.Not() if isinstance(c.item, (ir.And, ir.Or, ir.SegmentRef)):
                return Probe(prefix + self._named(c, "not"), c, [], [self.probe(c.item)])
            case ir.Not():
                return Probe(prefix + self._negated(c.item), c, self._operands(c.item))
            case ir.SegmentRef():
                return Probe(prefix + f"in segment {c.name}", c, [], [self.probe(c.cond)])
            case ir.Cmp() if isinstance(c.left, ir.FamilyValue) and isinstance(c.right, ir.Lit):
                return self._family_member(c, c.left, prefix)
            case ir.Truthy() if isinstance(c.value, ir.CondValue):
                return Probe(prefix + self.words.text(c), c, [], [self.probe(c.value.cond)])
            case ir.Cmp() if isinstance(c.left, ir.ScoreValue) or isinstance(c.right, ir.ScoreValue):
                # a score's points come from its rules: each rule's condition below it
                score = c.left if isinstance(c.left, ir.ScoreValue) else c.right
                assert isinstance(score, ir.ScoreValue)
                rules = [self.probe(rule, prefix=f"{points:+} points: ") for rule, points in score.rules]
                return Probe(prefix + self.words.text(c), c, self._operands(c), rules)
            case _:
                return Probe(prefix + self.words.text(c), c, self._operands(c))

    def _named(self, c: ir.Cond, word: str) -> str:
        name = self.words.names.get(c)  # a boolean trait
        return f"{name}: {word}" if name is not None else word

    def _negated(self, c: ir.Cond) -> str:
        text = self.words.text
        rows = self.words.negated(c)
        if rows is not None:
            return rows
        match c:
            case ir.Cmp(op="="):
                return f"{text(c.left)} != {text(c.right)}"
            case ir.InSet():
                return f"{text(c.value)} not in [{', '.join(text(i) for i in c.items)}]"
            case ir.IsSet():
                return f"{text(c.value)} is not set"
            case _:
                inner = text(c)
                return f"not {inner}" if " " not in inner else f"not ({inner})"

    def _operands(self, c: ir.Cond) -> list[tuple[str, ir.Value]]:
        match c:
            case ir.Cmp():
                values: list[ir.Value] = [c.left, c.right]
            case ir.InSet() | ir.IsSet() | ir.Text() | ir.ListHas() | ir.Truthy() | ir.Ranked() | ir.Anniversary():
                values = [c.value]
            case _:
                values = []
        return [(self.words.text(v), v) for v in values if not is_constant(v)]

    def _family_member(self, c: ir.Cmp, family: ir.FamilyValue, prefix: str) -> Probe:
        member = c.right.value if isinstance(c.right, ir.Lit) else None
        rules = []
        for rule, name in family.rules:
            rules.append(self.probe(rule, prefix=f"rule {name}: "))
            if name == member:
                break  # the later rules never decide for this member
        return Probe(prefix + f"{family.family} = {self.words.text(c.right)}", c,
                     [(family.family, family)], rules)


def probe_tree(project: Any, cond: ir.Cond) -> Probe:
    return Prober(Words(project)).probe(cond)


def walk_probes(p: Probe) -> list[Probe]:
    out, stack = [], [p]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))
    return out
