"""Sequences in plain English, in the words of `did` clauses:

    who did "checkout_started" in the last 7 days and did not do "order_completed" within
    1 day of their latest "checkout_started" (once that wait is over)
    who did "product_viewed", then "added_to_cart" within 3 days, then "order_completed"
    within 3 days
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir

if TYPE_CHECKING:
    from segdsl.explain.values import ValuePhrases

_UNITS = ((604_800, "week"), (86_400, "day"), (3_600, "hour"), (60, "minute"))


def elapsed(seconds: int) -> str:
    """`within` as written: the largest unit that divides it (1 week, 36 hours, 90 minutes)."""
    for size, unit in _UNITS:
        if seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}" + ("" if n == 1 else "s")
    return f"{seconds} seconds"


def sequence_clause(ph: ValuePhrases, c: ir.Sequence) -> str:
    rel = ph.schema.relations.get(c.relation)
    event_col = rel.event if rel is not None else None
    words: list[str] = []
    for i, rows in enumerate(c.rows):
        rows, day = _on_day(rows, c.time) if i == 0 else (rows, "")
        window, rest, name = ph.filter_parts(c.relation, rows, event_col)
        window += day
        event = '"' + (name or c.events[i]).replace('"', '\\"') + '"'
        only = f" ({c.relation} {rest})" if rest else ""
        same = (" with the same " + " and ".join(col.name for col in c.same[i])) if c.same[i] else ""
        later = " again (another, later one)" if c.later[i] else ""
        if i == 0:
            words.append(f"did {event}{window}{only}")
            continue
        within = f" within {elapsed(w)}" if (w := c.within[i]) is not None else ""
        if c.negated and i == len(c.rows) - 1:
            previous = '"' + c.events[i - 1].replace('"', '\\"') + '"'
            reach = f"{within} of their latest {previous}" if within else f" after their latest {previous}"
            wait = " (once that wait is over)" if within else ""
            words.append(f"and did not do {event}{only}{same}{later}{reach}{wait}")
        else:
            words.append(f"then {event}{only}{same}{later}{within}")
    return "who " + ", ".join(words[:1] + [w for w in words[1:] if w.startswith("then")]) + \
        "".join(" " + w for w in words[1:] if not w.startswith("then"))


def _on_day(rows: ir.Cond, time: ir.RelCol) -> tuple[ir.Cond, str]:
    """`did "A" on DATE`: the first step's day as " on DATE", and the rest of its condition."""
    items = list(rows.items) if isinstance(rows, ir.And) else [rows]
    for item in items:
        if (isinstance(item, ir.Cmp) and item.op == "=" and isinstance(item.left, ir.LocalDate)
                and item.left.value == time and isinstance(item.right, ir.Lit)):
            rest = [x for x in items if x is not item]
            return (rest[0] if len(rest) == 1 else ir.And(tuple(rest))), f" on {item.right.value}"
    return rows, ""
