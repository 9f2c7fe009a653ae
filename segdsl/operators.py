"""Small tables about the language's operators, shared by the checker and the lowering."""

from __future__ import annotations

# `a op b` is `b FLIPPED[op] a`: the comparison read from the other side.
FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

# The date comparisons of the language as plain comparisons (`on` compares local dates).
DATE_OPS = {"before": "<", "after": ">", "on": "="}
