"""`segdsl report`: gather everything the HTML report shows, then render it
(segdsl/analysis/report_html.py).

Queries: the overlap query (sizes and every pair, one batch evaluation), one breakdown
query per default attribute over the batch (every segment's members counted by value in
one pass), the total, and the snapshot history when the snapshot table exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from segdsl.analysis.common import batch, col, count_if, entity, rows, sub, table, total_customers
from segdsl.analysis.overlap import Overlap, compute_overlap

MAX_ATTRIBUTES = 3


@dataclass
class SegmentCard:
    name: str
    title: str | None
    description: str | None
    owner: str | None
    tags: tuple[str, ...]
    size: int
    explanation: dict[str, Any] | None  # segdsl.explain's JSON form
    sql: str


@dataclass
class AttributeBreakdown:
    attribute: str
    values: list[Any]  # None = missing
    population: list[int]
    members: dict[str, list[int]]  # segment -> count per value


@dataclass
class ReportData:
    project: str
    dialect: str
    warehouse: str
    as_of: dt.date
    generated_at: dt.datetime
    total: int
    segments: list[SegmentCard] = field(default_factory=list)
    overlap: Overlap | None = None
    breakdowns: list[AttributeBreakdown] = field(default_factory=list)
    history: dict[str, list[tuple[int, dt.date, int]]] = field(default_factory=dict)


def default_attributes(project: Any) -> list[str]:
    """Up to three columns worth a chart: enumerations first (few, known values), then
    booleans."""
    columns = project.schema.entity.columns.values()
    enums = [c.name for c in columns if c.type.kind == "string" and c.type.values]
    flags = [c.name for c in columns if c.type.kind == "boolean"]
    return (enums + flags)[:MAX_ATTRIBUTES]


def explanation(project: Any, name: str) -> dict[str, Any] | None:
    """The plain-English explanation from segdsl.explain (`explain(project, name)`), as its
    JSON form ("summary", and "condition": a tree of clauses); None when that module is not
    there or cannot explain the segment, and the report shows the description instead."""
    try:
        from segdsl.explain import explain
    except ImportError:
        return None
    try:
        result = explain(project, name)
        data = result.to_json() if result is not None else None
    except Exception:  # an explanation is a nicety: it must never break the report
        return None
    if not isinstance(data, dict) or not isinstance(data.get("summary"), str):
        return None
    return data


def breakdown(conn: Any, project: Any, names: list[str], attribute: str,
              as_of: dt.date | None) -> AttributeBreakdown:
    table_name, key = entity(project)
    value = col(attribute, "c")
    query = exp.select(exp.alias_(value, "__v", quoted=True), exp.Count(this=exp.Star()),
                       *[count_if(col(n, "b")) for n in names]).from_(table(table_name, "c")).join(
        sub(batch(project, names, conn.dialect, as_of), "b"),
        on=exp.EQ(this=col(key, "b"), expression=col(key, "c")), join_type="INNER").group_by(value.copy())
    found = {r[0]: r for r in rows(conn, query)}
    declared = list(project.schema.entity.columns[attribute].type.values or ())
    order = declared + sorted((v for v in found if v not in declared and v is not None), key=str)
    if None in found:
        order.append(None)
    zero = (None, 0) + (0,) * len(names)
    result = AttributeBreakdown(attribute, order, [int(found.get(v, zero)[1]) for v in order], {})
    for i, name in enumerate(names):
        result.members[name] = [int(found.get(v, zero)[2 + i]) for v in order]
    return result


def gather(conn: Any, project: Any, names: list[str], *, as_of: dt.date, warehouse: str,
           steps: Any = None) -> ReportData:
    from segdsl.analysis.snapshots import sizes_over_time

    def step(description: str | None) -> None:
        if steps is None:
            return
        if description:
            steps.start(description)
        else:
            steps.done()

    attributes = default_attributes(project)
    if steps is not None:
        steps.total(3 + len(attributes))
    root = getattr(project, "root", None)
    data = ReportData(project=root.name if root is not None else "segments", dialect=conn.dialect,
                      warehouse=warehouse, as_of=as_of,
                      generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None),
                      total=0)
    step("customers")
    data.total = total_customers(conn, project)
    step(None)
    step(f"sizes and overlaps of {len(names)} segments")
    data.overlap = compute_overlap(conn, project, names, as_of=as_of)
    step(None)
    for attribute in attributes:
        step(f"breakdown by {attribute}")
        data.breakdowns.append(breakdown(conn, project, names, attribute, as_of))
        step(None)
    step("snapshot history")
    data.history = sizes_over_time(conn, project, names)
    step(None)
    for name in names:
        info = project.segment_info(name)
        data.segments.append(SegmentCard(
            name=name, title=getattr(info, "title", None), description=getattr(info, "description", None),
            owner=getattr(info, "owner", None), tags=tuple(getattr(info, "tags", ()) or ()),
            size=data.overlap.sizes[name], explanation=explanation(project, name),
            sql=project.compile(name, conn.dialect, as_of)))
    return data
