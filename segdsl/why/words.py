"""IR -> the language's own notation, for the lines of a `why` tree: `lifetime_value > 1000`,
`count(orders in last 90 days) >= 3`, `in segment top_decile`.

The IR has traits inlined; a trait's node is written as its name again (the reader knows the
name from the source). An aggregate is written as the language writes it: the relation (or
its column), its window as `in last 90 days` / `in this month`, then `where` and the rest
of its row filter; the rule that rows are seen before now goes without saying.
"""

from __future__ import annotations

from typing import Any

from segdsl import ir
from segdsl.check.now import is_seen_rule
from segdsl.explain.phrases import Phrases
from segdsl.ir_dump import ir_text


class Words:
    """The text of conditions and values of one project's IR."""

    def __init__(self, project: Any) -> None:
        self.schema = project.schema
        self.names: dict[Any, str] = {}
        for name, typed in project.resolved[0].traits.items():
            self.names.setdefault(typed.node, name)
        self.traits = set(self.names)

    def text(self, node: ir.Value | ir.Cond) -> str:
        self._name_computed(node)
        return ir_text(node, self.names)

    def negated(self, c: ir.Cond) -> str | None:
        """`has no orders ...`, `not did "x" ...` for a negated `has` / `did`, else None."""
        rows = self.rows(c)
        if rows is None:
            return None
        return "has no " + rows[4:] if rows.startswith("has ") else "not " + rows

    def rows(self, c: ir.Cond) -> str | None:
        """`has R ...` / `did "E" ...` as written, for a count of rows compared with a whole
        number (the checker's form of both), else None."""
        if not (isinstance(c, ir.Cmp) and isinstance(c.left, ir.Agg) and c.left.function == "count"
                and c.left not in self.traits and isinstance(c.right, ir.Lit) and isinstance(c.right.value, int)
                and not isinstance(c.right.value, bool)):
            return None
        agg, n = c.left, c.right.value
        rel = self.schema.relations.get(agg.relation)
        event, window, where = self._filter(agg, rel.event if rel is not None else None)
        some = (c.op, n) in ((">=", 1), (">", 0))
        if event is None:
            return f"has {agg.relation}{window}{where}" if some else None
        if some:
            return f"did {event}{window}{where}"
        times = {">=": f"at least {n} times", "=": f"exactly {n} times"}.get(c.op)
        return None if times is None else f"did {event} {times}{window}{where}"

    def _name_computed(self, node: ir.Value | ir.Cond) -> None:
        for n in ir.walk(node):
            if n in self.names:
                continue
            if isinstance(n, ir.Agg):
                self.names[n] = self._aggregate(n)
            elif isinstance(n, ir.Percentile) and n.per is None:
                self.names[n] = f"percentile({self.text(n.value)})"
            elif isinstance(n, ir.LocalDate):  # a timestamp compared by its local date
                self.names[n] = self.text(n.value)
            elif isinstance(n, ir.ShiftDate) and n.base == ir.Today():
                unit = n.unit + ("s" if abs(n.amount) != 1 else "")
                self.names[n] = f"{abs(n.amount)} {unit} {'ago' if n.amount < 0 else 'from today'}"
            elif isinstance(n, ir.Bucket) and n.per is None:
                self.names[n] = f"bucket({self.text(n.value)}, {n.buckets})"
            elif isinstance(n, ir.Cmp):
                rows = self.rows(n)
                if rows is not None:
                    self.names[n] = rows

    def _aggregate(self, agg: ir.Agg) -> str:
        _, window, where = self._filter(agg, None)
        target = agg.relation if agg.column is None else f"{agg.relation}.{agg.column.name}"
        return f"{agg.function}({target}{window}{where})"

    def _filter(self, agg: ir.Agg, event_column: str | None) -> tuple[str | None, str, str]:
        """(the event a `did` counts, ` in last 90 days`, ` where ...`) of an aggregate."""
        items = list(agg.filter.items) if isinstance(agg.filter, ir.And) else \
            [agg.filter] if agg.filter is not None else []
        items = [c for c in items if not is_seen_rule(c)]
        rel = self.schema.relations.get(agg.relation)
        time = rel.time if rel is not None else None
        window, rest = "", []
        event: str | None = None
        i = 0
        while i < len(items):
            a, b = items[i], items[i + 1] if i + 1 < len(items) else None
            if (event is None and event_column is not None and isinstance(a, ir.Cmp) and a.op == "="
                    and isinstance(a.left, ir.RelCol) and a.left.name == event_column and isinstance(a.right, ir.Lit)):
                event = ir_text(a.right)
                i += 1
                continue
            if (not window and isinstance(a, ir.Cmp) and isinstance(b, ir.Cmp) and a.left == b.left
                    and _column(a.left) == time):
                found = Phrases.window(a, b)
                if found:
                    window = " " + found.replace("in the ", "in ", 1)
                    i += 2
                    continue
            rest.append(a)
            i += 1
        # columns of the relation without its name, as the language writes them in a filter
        local = {n: n.name for c in rest for n in ir.walk(c) if isinstance(n, ir.RelCol)}
        where = f" where {ir_text(ir.and_(*rest), {**self.names, **local})}" if rest else ""
        return event, window, where


def is_constant(node: ir.Value | ir.Cond) -> bool:
    """Whether a value is the same for every customer of the query (a literal, today, a date
    computed from it): such an operand is not worth showing next to the comparison."""
    return not any(isinstance(n, (ir.Col, ir.RelCol, ir.Agg, ir.Percentile, ir.Bucket, ir.Ranked,
                                  ir.InSnapshot, ir.SegmentRef)) for n in ir.walk(node))


def _column(value: object) -> str | None:
    inner = value.value if isinstance(value, ir.LocalDate) else value
    return inner.name if isinstance(inner, ir.RelCol) else None
