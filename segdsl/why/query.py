"""The one query of `segdsl why`: every probe's condition and compared value as a column of a
select over the segment's own passes and rankings (segdsl.plan.build.plan_why), for the keys
asked about. The root probe is the segment's condition, so its column is the membership the
segment's SQL computes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from segdsl import ir
from segdsl.as_of import AsOf
from segdsl.why.tree import Operand, Probe, WhyNode, walk_probes


@dataclass
class WhyQuery:
    """The compiled query and how to read its rows back into trees."""

    sql: str
    probe: Probe
    keys: list[Any]
    columns: dict[Any, int] = field(default_factory=dict)  # probe node -> column index

    def trees(self, rows: list[tuple[Any, ...]]) -> dict[Any, WhyNode]:
        """Each returned key's tree (keys not in the table are missing)."""
        return {row[0]: self._node(self.probe, row) for row in rows}

    def _node(self, p: Probe, row: tuple[Any, ...]) -> WhyNode:
        value = row[self.columns[p.cond]]
        operands = [Operand(text, row[self.columns[v]]) for text, v in p.operands]
        return WhyNode(p.text, bool(value), operands, [self._node(c, row) for c in p.children])


def build_why_query(project: Any, probe: Probe, keys: list[Any], dialect: Any,
                    as_of: AsOf | None) -> WhyQuery:
    from segdsl.plan.build import plan_why
    from segdsl.sql.emit import emit
    from segdsl.sql.query import bind_now
    from segdsl.sql.render import render

    schema, settings = project.schema, project.settings
    entity = schema.entity
    key_type = entity.columns[entity.key].type
    wanted = ir.InSet(ir.Col(entity.key, key_type), tuple(ir.Lit(k, key_type) for k in keys))
    query = WhyQuery("", probe, list(keys))
    outputs: dict[str, ir.Cond | ir.Value] = {}
    for p in walk_probes(probe):
        for node in [p.cond, *(v for _, v in p.operands)]:
            if node not in query.columns:
                query.columns[node] = len(outputs) + 1  # column 0 is the key
                outputs[f"__why{len(outputs) + 1}"] = bind_now(node, as_of, settings.timezone)
    day = as_of.date if as_of is not None else None
    plan = plan_why(outputs, wanted, schema, dialect.capabilities, settings, day)
    tree = dialect.finish(emit(plan, dialect, settings.timezone, day))
    query.sql = render(tree, dialect.name, copy=False)
    return query
