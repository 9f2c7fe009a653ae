"""Type-checking function calls, aggregates over relations, `has`, `did` and ranking."""

from __future__ import annotations

from decimal import Decimal

from segdsl import ir
from segdsl.check.typed import Scope, Typed
from segdsl.diagnostics import did_you_mean
from segdsl.syntax import ast
from segdsl.types import BOOLEAN, INTEGER, NUMBER, STRING, Type, describe

SCALAR_FUNCTIONS = ("days_since", "coalesce", "lower", "upper", "round", "abs", "year", "month",
                    "percentile", "bucket")
AGGREGATES = ("count", "count_distinct", "sum", "avg", "min", "max", "first", "last")


def check_call(ck, e: ast.Call, scope: Scope):
    name = e.function
    if name in AGGREGATES:  # unreachable from the grammar; kept for clarity
        ck.report("SEG0308", f"`{name}` aggregates a relation", e.span)
        return None
    if name not in SCALAR_FUNCTIONS:
        ck.report("SEG0209", f"unknown function `{name}`", e.name_span,
                  did_you_mean(name, SCALAR_FUNCTIONS + AGGREGATES),
                  "functions: " + ", ".join(SCALAR_FUNCTIONS))
        return None
    if name in ("percentile", "bucket") and scope.in_relation:
        ck.report("SEG0313", f"`{name}` ranks customers; it cannot be used inside a relation's filter", e.span)
        return None
    args = [ck.check(a, scope) for a in e.args]
    if any(a is None for a in args):
        return None
    arity = {"coalesce": (2, 99), "round": (1, 2), "bucket": (2, 2)}.get(name, (1, 1))
    if not arity[0] <= len(args) <= arity[1]:
        want = f"{arity[0]}" if arity[0] == arity[1] else f"{arity[0]} to {arity[1]}" if arity[1] < 99 else f"at least {arity[0]}"
        ck.report("SEG0310", f"`{name}` takes {want} argument{'s' if arity != (1, 1) else ''}, found {len(args)}",
                  e.span)
        return None

    def need(arg: Typed, ok: bool, what: str) -> bool:
        if not ok:
            ck.report("SEG0301", f"`{name}` needs {what}, found {describe(arg.type)}", arg.span)
        return ok

    a0 = args[0]
    if name == "days_since":
        if not need(a0, a0.type.temporal, "a date"):
            return None
        from segdsl.check.exprs import as_date
        return Typed(ir.Func(name, (as_date(a0.value(), a0.type),), INTEGER), INTEGER, e.span)
    if name in ("year", "month"):
        if not need(a0, a0.type.temporal, "a date"):
            return None
        from segdsl.check.exprs import as_date
        return Typed(ir.Func(name, (as_date(a0.value(), a0.type),), INTEGER), INTEGER, e.span)
    if name in ("lower", "upper"):
        if not need(a0, a0.type.kind == "string", "text"):
            return None
        return Typed(ir.Func(name, (a0.value(),), STRING), STRING, e.span)
    if name == "abs":
        if not need(a0, a0.type.numeric, "a number"):
            return None
        t = a0.type.plain()
        return Typed(ir.Func(name, (a0.value(),), t), t, e.span)
    if name == "round":
        if not need(a0, a0.type.numeric, "a number"):
            return None
        digits = 0
        if len(args) == 2:
            d = args[1]
            if not (isinstance(d.node, ir.Lit) and d.type == INTEGER and 0 <= d.node.value <= 9):
                ck.report("SEG0301", "the digits of `round` must be a whole number from 0 to 9", d.span)
                return None
            digits = d.node.value
        return Typed(ir.Func(name, (a0.value(), ir.lit_int(digits)), NUMBER), NUMBER, e.span)
    if name == "coalesce":
        first = args[0]
        for a in args[1:]:
            if a.type.family != first.type.family or first.type.kind == "list":
                ck.report("SEG0301", f"`coalesce` needs values of one type: {describe(first.type)} "
                          f"and {describe(a.type)}", a.span)
                return None
        kinds = {a.type.kind for a in args}
        t = NUMBER if kinds == {"integer", "number"} else first.type.plain()
        if t.temporal and len(kinds) > 1:
            from segdsl.check.exprs import as_date
            vals = tuple(as_date(a.value(), a.type) for a in args)
            t = Type("date")
        else:
            vals = tuple(a.value() for a in args)
        return Typed(ir.Func(name, vals, t), t, e.span)
    if name == "percentile":
        if not need(a0, a0.type.orderable, "a number or a date"):
            return None
        return Typed(ir.Percentile(a0.value()), NUMBER, e.span)
    # bucket
    if not need(a0, a0.type.orderable, "a number or a date"):
        return None
    n = args[1]
    if not (isinstance(n.node, ir.Lit) and n.type == INTEGER):
        ck.report("SEG0306", "the number of buckets must be a whole number", n.span)
        return None
    if n.node.value < 1:
        ck.report("SEG0306", "the number of buckets must be at least 1", n.span)
        return None
    return Typed(ir.Bucket(a0.value(), n.node.value), INTEGER, e.span)


def _relation(ck, name: str, span, what: str):
    rel = ck.schema.relations.get(name)
    if rel is not None:
        return rel
    hints = [did_you_mean(name, ck.schema.relations)]
    if name in ck.schema.entity.columns:
        hints.insert(0, f"`{name}` is a column of {ck.schema.entity.name}, not a relation; "
                        f"{what} works on relations: " + ", ".join(ck.schema.relations))
    else:
        hints.append("relations: " + ", ".join(ck.schema.relations) if ck.schema.relations else "the schema has no relations")
    ck.report("SEG0204" if name not in ck.schema.entity.columns else "SEG0308",
              f"unknown relation `{name}`" if name not in ck.schema.entity.columns
              else f"`{what}` needs a relation, found the column `{name}`", span, *hints)
    return None


def _rows_filter(ck, rel, window, flt, span, scope: Scope):
    """The condition on a relation's rows: its window and its filter, or None on error."""
    if scope.in_relation:
        ck.report("SEG0313", "an aggregate cannot be used inside another relation's filter", span)
        return None, False
    parts = []
    if window is not None:
        if rel.time is None:
            ck.report("SEG0301", f"{rel.name} has no time column, so it has no windows", window.span,
                      f"add `time = \"...\"` to [relations.{rel.name}] in segdsl.toml")
            return None, False
        time = rel.columns[rel.time]
        from segdsl.check.exprs import as_date
        w = ck.window(window, as_date(ir.RelCol(rel.name, time.name, time.type), time.type))
        if w is None:
            return None, False
        parts.append(w)
    if flt is not None:
        c = ck.condition(flt, Scope(rel))
        if c is None:
            return None, False
        parts.append(c)
    return (ir.and_(*parts) if parts else None), True


def check_aggregate(ck, e: ast.Aggregate, scope: Scope):
    rel = _relation(ck, e.relation, e.relation_span, e.function)
    if rel is None:
        return None
    fn = e.function
    column = None
    if e.column is not None:
        if e.column not in rel.columns:
            ck.report("SEG0205", f"{rel.name} has no column `{e.column}`", e.column_span,
                      did_you_mean(e.column, rel.columns), f"columns of {rel.name}: " + ", ".join(rel.columns))
            return None
        c = rel.columns[e.column]
        column = ir.RelCol(rel.name, c.name, c.type)
    elif fn != "count":
        ck.report("SEG0301", f"`{fn}` needs a column: `{fn}({rel.name}.<column>)`", e.span,
                  f"columns of {rel.name}: " + ", ".join(rel.columns))
        return None
    flt, ok = _rows_filter(ck, rel, e.window, e.filter, e.span, scope)
    if not ok:
        return None
    ct = column.type if column else None
    if ct is not None and ct.kind == "list":
        ck.report("SEG0301", f"`{fn}` cannot aggregate a list column", e.column_span)
        return None
    if fn in ("sum", "avg") and not ct.numeric:
        ck.report("SEG0301", f"`{fn}` needs a number column, found {describe(ct)}", e.column_span)
        return None
    if fn in ("min", "max") and not ct.orderable:
        ck.report("SEG0301", f"`{fn}` needs a number or date column, found {describe(ct)}", e.column_span,
                  "use first(...) or last(...) for the earliest or latest value")
        return None
    if fn in ("first", "last") and rel.time is None:
        ck.report("SEG0301", f"`{fn}` needs a time column on {rel.name}", e.span,
                  f"add `time = \"...\"` to [relations.{rel.name}] in segdsl.toml")
        return None
    t = {"count": INTEGER, "count_distinct": INTEGER, "avg": NUMBER}.get(fn) or (ct.plain() if fn in ("sum", "min", "max") else ct)
    return Typed(ir.Agg(fn, rel.name, column, flt, t), t, e.span)


def check_has_rows(ck, e: ast.HasRows, scope: Scope):
    rel = _relation(ck, e.relation, e.relation_span, "has")
    if rel is None:
        return None
    flt, ok = _rows_filter(ck, rel, e.window, e.filter, e.span, scope)
    if not ok:
        return None
    count = ir.Agg("count", rel.name, None, flt, INTEGER)
    cond = ir.Cmp(">", count, ir.lit_int(0))
    return Typed(ir.Not(cond) if e.negated else cond, BOOLEAN, e.span)


def check_did(ck, e: ast.Did, scope: Scope):
    rels = ck.schema.event_relations()
    if not rels:
        ck.report("SEG0309", "`did` needs a relation with an event column, and the schema has none", e.span,
                  "add `event = \"<column>\"` to an events relation in segdsl.toml, or use `has R where ...`")
        return None
    name = e.event.value
    rel = rels[0]
    if len(rels) > 1:
        owners = [r for r in rels if r.columns[r.event].type.values and name in r.columns[r.event].type.values]
        known = [v for r in rels for v in (r.columns[r.event].type.values or ())]
        if not owners and all(r.columns[r.event].type.values for r in rels):
            ck.report("SEG0207", f"unknown event \"{name}\"", e.event.span, did_you_mean(name, known),
                      "events: " + ", ".join(known))
            return None
        if len(owners) != 1:
            ck.report("SEG0309", f"several relations have events; cannot tell which one has \"{name}\"", e.span,
                      "use `has <relation> where <event column> = \"...\"`")
            return None
        rel = owners[0]
    event_col = rel.columns[rel.event]
    values = event_col.type.values
    if values and name not in values:
        ck.report("SEG0207", f"unknown event \"{name}\"", e.event.span, did_you_mean(name, values),
                  "events: " + ", ".join(values))
        return None
    flt, ok = _rows_filter(ck, rel, e.window, e.filter, e.span, scope)
    if not ok:
        return None
    is_event = ir.Cmp("=", ir.RelCol(rel.name, event_col.name, event_col.type), ir.Lit(name, STRING))
    count = ir.Agg("count", rel.name, None, ir.and_(is_event, flt) if flt else is_event, INTEGER)
    kind, n = "at_least", 1
    if e.count is not None:
        amount = e.count.amount
        if amount.value != amount.value.to_integral_value() or "." in amount.text:
            ck.report("SEG0307", "the number of times must be a whole number", amount.span)
            return None
        kind, n = e.count.kind, int(amount.value)
    op = {"at_least": ">=", "at_most": "<=", "exactly": "="}[kind]
    return Typed(ir.Cmp(op, count, ir.lit_int(n)), BOOLEAN, e.span)


def check_rank(ck, e: ast.Rank, scope: Scope):
    if scope.in_relation:
        ck.report("SEG0313", f"`{e.direction}` ranks customers; it cannot be used inside a relation's filter", e.span)
        return None
    by = ck.check(e.by, scope)
    if by is None:
        return None
    if not by.type.orderable:
        ck.report("SEG0301", f"`{e.direction} ... by` needs a number or a date, found {describe(by.type)}", by.span)
        return None
    amount: Decimal = e.amount.value
    if e.percent:
        if not Decimal(0) <= amount <= Decimal(100):
            ck.report("SEG0305", f"{e.amount.text}% is not a percentage between 0 and 100", e.amount.span)
            return None
        return Typed(ir.Ranked(e.direction, by.value(), None, amount), BOOLEAN, e.span)
    if amount != amount.to_integral_value() or "." in e.amount.text:
        ck.report("SEG0307", f"`{e.direction} N` needs a whole number of customers", e.amount.span,
                  f"write `{e.direction} {e.amount.text}%` for a share")
        return None
    return Typed(ir.Ranked(e.direction, by.value(), int(amount), None), BOOLEAN, e.span)
