"""The typed IR as text: `ir_tree` (the indented tree `segdsl compile --emit ir` prints) and
`ir_text` (one line, as the plan dump writes conditions and values). `ir_text` reads a node
that a plan step computes as the column holding it when `names` says so."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.syntax.dump import scalar, tree_text


def ir_tree(node: ir.Value | ir.Cond) -> str:
    return tree_text(node)


def ir_text(node: ir.Value | pn.Cond, names: Mapping[Any, str] | None = None,
            inline_segments: bool = False) -> str:
    """One line of text for an IR value or condition (no outer parentheses). `names`: the
    column text of computed nodes; `inline_segments`: a segment reference not in `names`
    shows its condition (as a single query computes it)."""
    return _Text(names or {}, inline_segments).text(node, top=True)


class _Text:
    def __init__(self, names: Mapping[Any, str], inline_segments: bool):
        self.names = names
        self.inline_segments = inline_segments

    def text(self, n: ir.Value | pn.Cond, top: bool = False) -> str:
        if self.names and n in self.names:
            return self.names[n]
        match n:
            case ir.Col():
                return n.name
            case ir.RelCol():
                return f"{n.relation}.{n.name}"
            case ir.Lit():
                return scalar(n.value)
            case ir.Today():
                return "today"
            case ir.Now():
                return "now" if n.at is None else f"now ({n.at.isoformat(sep=' ')} UTC)"
            case ir.ShiftDate():
                unit = n.unit + ("s" if abs(n.amount) != 1 else "")
                return self._wrap(f"{self.text(n.base)} {'+' if n.amount >= 0 else '-'} {abs(n.amount)} {unit}", top)
            case ir.StartOf():
                return f"start of {n.unit} of {self.text(n.value)}"
            case ir.LocalDate():
                return f"local date of {self.text(n.value)}"
            case ir.Arith():
                return self._wrap(f"{self.text(n.left)} {n.op} {self.text(n.right)}", top)
            case ir.Neg():
                return f"-{self.text(n.value)}"
            case ir.Func():
                return f"{n.name}({', '.join(self.text(a, True) for a in n.args)})"
            case ir.Agg():
                column = self.text(n.column) if n.column is not None else n.relation
                where = f" where {self.text(n.filter, True)}" if n.filter is not None else ""
                return f"{n.function}({column}{where})"
            case ir.Percentile():
                return f"percentile of {self.text(n.value)}{self._per(n.per)}"
            case ir.Bucket():
                return f"bucket {n.buckets} of {self.text(n.value)}{self._per(n.per)}"
            case ir.CondValue():
                return self._wrap(self.text(n.cond, True), False)
            case ir.ScoreValue():
                rules = ", ".join(f"{p} if {self.text(c, True)}" for c, p in n.rules)
                return f"score({rules})"
            case ir.FamilyValue():
                rules = ", ".join(f"{m!r} if {self.text(c, True)}" for c, m in n.rules)
                otherwise = "" if n.otherwise is None else f", else {n.otherwise!r}"
                return f"family {n.family}(first of {rules}{otherwise})"
            case ir.HashBucket():
                return f"bucket of {self.text(n.key)} in split {n.split} salt {scalar(n.salt)}"
            case ir.FirstMatch():
                rules = ", ".join(f"{scalar(label)} if {self.text(c, True)}" for c, label in n.rules)
                return f"first({rules})"
            case ir.Cmp():
                return f"{self.text(n.left)} {n.op} {self.text(n.right)}"
            case ir.InSet():
                return f"{self.text(n.value)} in [{', '.join(self.text(i) for i in n.items)}]"
            case ir.IsSet():
                return f"{self.text(n.value)} is set"
            case ir.Text():
                return f"{self.text(n.value)} {n.kind.replace('_', ' ')} {scalar(n.pattern)}"
            case ir.ListHas():
                return f"{self.text(n.value)} has {self.text(n.item)}"
            case ir.Truthy():
                return self.text(n.value, top)
            case ir.Ranked():
                size = f"{n.limit}" if n.limit is not None else f"{n.percent}%"
                return f"{n.direction} {size} by {self.text(n.value)}{self._per(n.per)}"
            case ir.SegmentRef():
                if self.inline_segments:
                    return f"[segment {n.name}: {self.text(n.cond, True)}]"
                return f"in segment {n.name}"
            case ir.InSnapshot():
                return f"in snapshot {n.name} as of {self.text(n.at)}"
            case ir.And():
                return self._wrap(" and ".join(self.text(i) for i in n.items), top)
            case ir.Or():
                return self._wrap(" or ".join(self.text(i) for i in n.items), top)
            case ir.Not():
                return f"not {self._wrap(self.text(n.item, True), False)}"
            case ir.Const():
                return scalar(n.value)
            case ir.Anniversary():
                return f"anniversary of {self.text(n.value)} in [{self.text(n.start)}, {self.text(n.end)}]"
            case pn.RowsExist():
                if n.agg in self.names:  # the count is computed: compared as written
                    return f"{self.names[n.agg]} >= 1"
                return f"exists {self.text(n.agg)}"
            case _:
                assert_never(n)

    def _per(self, per: ir.Value | None) -> str:
        return "" if per is None else f" per {self.text(per)}"

    @staticmethod
    def _wrap(text: str, top: bool) -> str:
        return text if top else f"({text})"
