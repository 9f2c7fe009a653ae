"""Type-checking sequences: `did "A" [window] [where F] then [not] "B" [where G] [with same c]
[within D] ...` (LANGUAGE.md, "Sequences: did this, then that (or not)") into ir.Sequence.

Every step reads the same relation (the one whose event column names the events); a `then
not` step can only be the last; `within` is exact elapsed time in minutes, hours, days or
weeks (minutes and hours only on a timestamp time column); `with same` names columns of the
relation. When only the last step has a `within`, it holds for every step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.check.now import before_now, seen_rows, window_reaches_past_now
from segdsl.check.typed import Scope, Typed, as_date
from segdsl.check.windows import range_window
from segdsl.diagnostics import Span, suggestion
from segdsl.project.schema import Relation
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, STRING

if TYPE_CHECKING:  # the checker calls this module; it only calls back into it
    from segdsl.check.exprs import ExprChecker

SECONDS = {"minute": 60, "hour": 3_600, "day": 86_400, "week": 604_800}
# `within` reaches at most 100 years, like windows (a 64-bit count of microseconds either way)
MAX_WITHIN_SECONDS = 36_525 * 86_400


def check_sequence(ck: ExprChecker, e: ast.Sequence, scope: Scope) -> Typed | None:
    if scope.in_relation:
        ck.report("SEG0313", "a sequence cannot be used inside a relation's filter", e.span)
        return None
    events = [e.event] + [s.event for s in e.steps]
    rel = _relation(ck, events, e.span)
    if rel is None:
        return None
    if rel.time is None:
        ck.report("SEG0350", f"a sequence needs a time column on {rel.name}", e.span,
                  f"add `time = \"...\"` to [relations.{rel.name}] in segdsl.toml")
        return None
    for step in e.steps[:-1]:
        if step.negated:
            ck.report("SEG0348", "`then not` can only be the last step of a sequence", step.span,
                      "a step that did not happen has no time to measure the next step from")
            return None
    time_col = rel.columns[rel.time]
    time = ir.RelCol(rel.name, time_col.name, time_col.type)
    event_col = rel.columns[rel.event] if rel.event is not None else None
    assert event_col is not None  # _relation returns event relations only
    event_ref = ir.RelCol(rel.name, event_col.name, event_col.type)

    def rows(event: ast.String, flt: ast.Expr | None, seen: ir.Cond | None) -> ir.Cond | None:
        parts: list[ir.Cond] = [ir.Cmp("=", event_ref, ir.Lit(event.value, STRING))]
        if seen is not None:
            parts.append(seen)
        if flt is not None:
            c = ck.condition(flt, Scope(rel))
            if c is None:
                return None
            parts.append(c)
        return ir.and_(*parts)

    # the now rule (check/now.py): the first step sees its window, the later steps every row
    # before now (a row without a time has no place in a sequence)
    window: ir.Cond | None = None
    reaches: bool | ir.Cond = False
    if isinstance(e.window, ast.RangeWindow):
        found = range_window(ck, e.window, as_date(time, time.type))
        if found is None:
            return None
        window, reaches = found
    elif e.window is not None:
        window = ck.window(e.window, as_date(time, time.type))
        if window is None:
            return None
        reaches = window_reaches_past_now(e.window)
    first = rows(e.event, e.filter, seen_rows(rel, window, reaches) if window is not None else before_now(rel))
    if first is None:
        return None
    # a step without `within` takes the last step's (checked once, reported once)
    last = e.steps[-1].within
    last_seconds = _within(ck, last, time.type.kind) if last is not None else None
    if last is not None and last_seconds is None:
        return None
    row_conds: list[ir.Cond] = [first]
    withins: list[int | None] = [None]
    sames: list[tuple[ir.RelCol, ...]] = [()]
    later = [False]
    previous = e.event.value
    for step in e.steps:
        r = rows(step.event, step.filter, before_now(rel))
        if r is None:
            return None
        if step.within is None or step is e.steps[-1]:
            seconds = last_seconds if step.within is not None or not step.negated else None
        else:
            seconds = _within(ck, step.within, time.type.kind)
            if seconds is None:
                return None
        same = _same(ck, rel, step.same)
        if same is None:
            return None
        row_conds.append(r)
        withins.append(seconds)
        sames.append(same)
        later.append(step.event.value == previous)
        previous = step.event.value
    node = ir.Sequence(rel.name, time, tuple(ev.value for ev in events), tuple(row_conds), tuple(withins),
                       tuple(sames), tuple(later), e.steps[-1].negated, ir.Now())
    return Typed(node, BOOLEAN, e.span)


def _relation(ck: ExprChecker, events: list[ast.String], span: Span) -> Relation | None:
    """The one relation whose event column names every event of the sequence."""
    rels = ck.schema.event_relations()
    if not rels:
        ck.report("SEG0309", "`did` needs a relation with an event column, and the schema has none", span,
                  "add `event = \"<column>\"` to an events relation in segdsl.toml, or use `has R where ...`")
        return None
    found: Relation | None = None
    for ev in events:
        owners = [r for r in rels if _names(r) is None or ev.value in (_names(r) or ())]
        if not owners:
            known = [v for r in rels for v in (_names(r) or ())]
            hint, fixes = suggestion(ev.value, known, ev.span, quote=True)
            ck.report("SEG0207", f"unknown event \"{ev.value}\"", ev.span, hint, "events: " + ", ".join(known),
                      fixes=fixes)
            return None
        if found is None and len(owners) > 1:
            ck.report("SEG0309", f"several relations have events; cannot tell which one has \"{ev.value}\"",
                      ev.span, "use `has <relation> where <event column> = \"...\"`")
            return None
        if found is not None and found not in owners:
            ck.report("SEG0352", f"\"{ev.value}\" is not an event of {found.name}", ev.span,
                      "every step of a sequence reads the rows of the same relation")
            return None
        found = found or owners[0]
    return found


def _names(rel: Relation) -> tuple[str, ...] | None:
    assert rel.event is not None
    values = rel.columns[rel.event].type.values
    return tuple(values) if values else None


def _within(ck: ExprChecker, w: ast.Within, time_kind: str) -> int | None:
    unit = w.unit[:-1] if w.unit.endswith("s") else w.unit
    if unit not in SECONDS:
        ck.report("SEG0346", f"`within` takes minutes, hours, days or weeks, not {w.unit}", w.unit_span,
                  "a month or a year has no fixed length; write days or weeks (a day is 24 hours)")
        return None
    if unit in ("minute", "hour") and time_kind != "timestamp":
        ck.report("SEG0347", f"`within` in {w.unit} needs a time column with a time of day; this one is a date",
                  w.unit_span, "write the wait in days or weeks")
        return None
    n = w.amount.value
    if n != n.to_integral_value() or "." in w.amount.text:
        ck.report("SEG0351", f"`within {w.amount.text} {w.unit}`: use a whole number of {w.unit}", w.amount.span)
        return None
    seconds = int(n) * SECONDS[unit]
    if seconds > MAX_WITHIN_SECONDS:
        ck.report("SEG0351", f"`within {w.amount.text} {w.unit}` is longer than 100 years", w.span)
        return None
    return seconds


def _same(ck: ExprChecker, rel: Relation, refs: tuple[ast.Ref, ...]) -> tuple[ir.RelCol, ...] | None:
    out = []
    for ref in refs:
        column = rel.columns.get(ref.name)
        if column is None:
            hint, fixes = suggestion(ref.name, rel.columns, ref.span)
            ck.report("SEG0349", f"{rel.name} has no column `{ref.name}` to compare with `with same`", ref.span,
                      hint, f"columns of {rel.name}: " + ", ".join(rel.columns), fixes=fixes)
            return None
        if column.type.kind == "list":
            ck.report("SEG0349", f"`with same` cannot compare the list column `{ref.name}`", ref.span)
            return None
        out.append(ir.RelCol(rel.name, column.name, column.type))
    return tuple(out)
