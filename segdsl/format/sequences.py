"""The canonical one-line text of a sequence: `did "A" [window] [where F] then [not] "B"
[where G] [with same c, d] [within N unit] ...` (units keep their spelling, as in windows)."""

from __future__ import annotations

from segdsl.format.flat import PRED, flat, number_text, string_text, window
from segdsl.syntax import ast


def sequence_text(n: ast.Sequence) -> str:
    parts = ["did", string_text(n.event.value)]
    if n.window is not None:
        parts.append(window(n.window))
    if n.filter is not None:
        parts.append(f"where {flat(n.filter, PRED)}")
    for step in n.steps:
        parts.append("then not" if step.negated else "then")
        parts.append(string_text(step.event.value))
        if step.filter is not None:
            parts.append(f"where {flat(step.filter, PRED)}")
        if step.same:
            parts.append("with same " + ", ".join(r.name for r in step.same))
        if step.within is not None:
            parts.append(f"within {number_text(step.within.amount.text)} {step.within.unit}")
    return " ".join(parts)
