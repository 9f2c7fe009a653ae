"""A plan as stable, readable text (`segdsl compile --emit plan`): which tables and steps are
read and how often, the filter pushed into each pass, the aggregates each pass computes, the
ranking levels and what they rank, and what the final select returns. Conditions and values
name the column a step computed (`__orders.a1`) wherever they read one."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any, assert_never

from segdsl import ir
from segdsl.ir_dump import ir_text
from segdsl.plan import nodes as pn


def dump_plan(plan: pn.Plan) -> str:
    reads = _reads(plan)
    tables = ", ".join(f"{t} ×{n}" for t, n in reads["table"].items())
    steps = ", ".join(f"{t} ×{n}" for t, n in reads["step"].items())
    lines = [f"plan: {plan.select.kind}", f"reads tables: {tables}"]
    if steps:
        lines.append(f"reads steps: {steps}")
    if plan.steps:
        lines.append("steps:")
    for step in plan.steps:
        lines += ["  " + line for line in _step(step)]
    lines += _select(plan.select, plan.entity_key)
    return "\n".join(lines)


def _names(scope: pn.Scope) -> dict[Any, str]:
    return {node: f"{ref.table}.{ref.column}" + (" is set" if ref.present else "") for node, ref in scope}


def _text(node: Any, names: dict[Any, str] | None = None) -> str:
    return ir_text(node, names, inline_segments=True)


def _plain(agg: ir.Agg) -> str:
    return _text(dataclasses.replace(agg, filter=None))


def _step(step: pn.Step) -> list[str]:
    match step:
        case pn.RelationPass():
            out = [f"{step.name}: relation pass over {step.relation} (table {step.table}), by {step.key}"]
            if step.where is not None:
                out.append(f"  where: {_text(step.where)}")
            for a in step.aggregates:
                line = f"  {a.alias} = {_plain(a.agg)}"
                if a.numbered is not None:
                    line += f", the row numbered 1 ({a.numbered}) by {step.time} among"
                    line += f" {_text(a.filter)}" if a.filter is not None else " all rows"
                elif a.residual is not None:
                    line += f" filter {_text(a.residual)}"
                out.append(line)
            return out
        case pn.KeyPass():
            out = [f"{step.name}: keys pass over {step.relation} (table {step.table}), by {step.key}"]
            if step.filter is not None:
                out.append(f"  where: {_text(step.filter)}")
            return out
        case pn.PickPass():
            how = "on (key, time)" if step.one_time else "on key"
            out = [f"{step.name}: pick pass over {step.relation} (table {step.table}), joined to {step.base} {how}"]
            if step.where is not None:
                out.append(f"  where: {_text(step.where)}")
            for p in step.picks:
                line = f"  {p.alias} = {_plain(p.agg)} at {step.time} = {p.time.table}.{p.time.column}"
                if p.residual is not None:
                    line += f" filter {_text(p.residual)}"
                out.append(line)
            return out
        case pn.SnapshotRead():
            table = f"(table {step.table})"
            return [f"{step.name}: members of the latest snapshot of {step.segment} {table} as of {_text(step.at)}"]
        case pn.SequencePass():
            seq = step.sequence
            out = [f"{step.name}: sequence pass over {seq.relation} (table {step.table}), by {step.key},"
                   f" time {seq.time.name}, rows before now"]
            for i, rows in enumerate(seq.rows):
                kind = "step 1" if i == 0 else f"step {i + 1}" + (" (not)" if seq.negated and i == len(seq.rows) - 1 else "")
                line = f"  {kind}: {_text(rows)}"
                if i:
                    line += " after the previous step" + (" (strictly later)" if seq.later[i] else "")
                    line += f" within {seq.within[i]}s" if seq.within[i] is not None else ""
                    line += "".join(f", same {c.name}" for c in seq.same[i])
                out.append(line)
            if seq.negated:
                out.append("  decided on the latest row of the step before the last; its wait over")
            return out
        case pn.RankLevel():
            names = _names(step.scope)
            if step.previous is None:
                out = [f"{step.name}: ranking level over {step.entity} c"]
                out += _joins(step.joins)
                out += _carried(step.columns, step.carried)
            else:
                out = [f"{step.name}: ranking level over {step.previous} r"]
            out += [f"  {alias} = {_text(w, names)}" for alias, w in step.windows]
            return out
        case pn.SegmentLevel():
            names = _names(step.scope)
            out = [f"{step.name}: segment level over {_source(step.source)}"]
            if isinstance(step.source, pn.FromEntity):
                out += _joins(step.source.joins, step.source.rank)
            out += _carried(step.columns, step.carried) if step.first else ["  carries: every column of c"]
            out += [f"  {alias} = segment {name}: {_text(cond, names)}" for alias, name, cond in step.segments]
            return out
        case _:
            assert_never(step)


def _joins(joins: tuple[pn.Join, ...], rank: str | None = None) -> list[str]:
    found = [f"{j.step} {'INNER' if j.inner else 'LEFT'}" for j in joins]
    if rank is not None:
        found.append(f"{rank} r")
    return [f"  join: {', '.join(found)}"] if found else []


def _carried(columns: tuple[str, ...], carried: tuple[pn.Carried, ...]) -> list[str]:
    found = list(columns) + [f"{c.name} = {c.ref.table}.{c.ref.column}" + (" is set" if c.ref.present else "")
                             for c in carried]
    return [f"  carries: {', '.join(found)}"] if found else []


def _source(source: pn.Source) -> str:
    match source:
        case pn.FromEntity():
            return f"{source.table} c"
        case pn.FromRank():
            return f"{source.step} r"
        case pn.FromLevel():
            return f"{source.step} c"
        case _:
            assert_never(source)


def _select(select: pn.Select, key: str) -> list[str]:
    names = _names(select.scope)
    what = {"segment": "the member keys", "batch": "a row per customer: key and a boolean per segment",
            "values": "a row per customer: key and a value per trait",
            "why": "a row per customer asked about: key, each condition and compared value"}[select.kind]
    out = [f"select {what}", f"  from: {_source(select.source)}"]
    if isinstance(select.source, pn.FromEntity):
        out += _joins(select.source.joins, select.source.rank)
    out.append(f"  key: {select.key.table}.{select.key.column}")
    for o in select.outputs:
        if o.cond is not None:
            cond: Any = o.cond
            if isinstance(cond, ir.SegmentRef) and cond not in names:
                cond = cond.cond
            out.append(f"  {o.name} = {_text(cond, names)}")
        elif o.value is not None:
            out.append(f"  {o.name} = {_text(o.value, names)}")
    for e in select.exists:
        out.append(f"  as EXISTS over {e.table}: {_text(e.test, names)}")
    if select.where is not None:
        out.append(f"  where: {_text(select.where, names)}")
    if select.ordered:
        out.append(f"  order by: {select.key.table}.{key}")
    return out


def _reads(plan: pn.Plan) -> dict[str, Counter[str]]:
    """How often each table and each step is read (FROM, JOIN or subquery)."""
    tables: Counter[str] = Counter()
    steps: Counter[str] = Counter()

    def source(s: pn.Source) -> None:
        match s:
            case pn.FromEntity():
                tables[s.table] += 1
                steps.update(j.step for j in s.joins)
                if s.rank is not None:
                    steps[s.rank] += 1
            case pn.FromRank() | pn.FromLevel():
                steps[s.step] += 1
            case _:
                assert_never(s)

    for step in plan.steps:
        match step:
            case pn.RelationPass() | pn.KeyPass():
                tables[step.table] += 1
            case pn.PickPass():
                tables[step.table] += 1
                steps[step.base] += 1
            case pn.SnapshotRead():
                tables[step.table] += 2  # the latest snapshot's id, then its members
            case pn.SequencePass():
                tables[step.table] += len(step.sequence.rows)  # each step's rows, filtered first
            case pn.RankLevel():
                if step.previous is None:
                    source(pn.FromEntity(step.entity, step.joins))
                else:
                    steps[step.previous] += 1
            case pn.SegmentLevel():
                source(step.source)
            case _:
                assert_never(step)
    source(plan.select.source)
    tables.update(e.table for e in plan.select.exists)
    return {"table": tables, "step": steps}
