"""Small shared pieces of the checker: the typed result and the scope an expression is in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from segdsl import ir
from segdsl.diagnostics import Span
from segdsl.project.schema import Relation
from segdsl.types import BOOLEAN, Type


@dataclass(frozen=True)
class Typed:
    """A checked expression. For a boolean, `node` is either an IR condition or a value."""

    node: Any  # an ir.Cond, or an ir.Value (see is_cond)
    type: Type
    span: Span

    @property
    def is_cond(self) -> bool:
        return self.type == BOOLEAN and not hasattr(self.node, "type")

    def cond(self) -> ir.Cond:
        if self.is_cond:
            cond: ir.Cond = self.node
            return cond
        return ir.Truthy(self.node)

    def value(self) -> ir.Value:
        if self.is_cond:
            return ir.CondValue(self.node)
        value: ir.Value = self.node
        return value


@dataclass(frozen=True)
class Scope:
    """Where an expression stands: on the entity, or inside one relation's aggregate."""

    relation: Relation | None = None

    @property
    def in_relation(self) -> bool:
        return self.relation is not None


ENTITY = Scope()

UNITS: dict[str, tuple[ir.Unit, int]] = {"day": ("day", 1), "days": ("day", 1), "week": ("day", 7), "weeks": ("day", 7),
         "month": ("month", 1), "months": ("month", 1), "year": ("month", 12), "years": ("month", 12)}

# Counts, bucket numbers, `top N` and whole-number literals are 64-bit integers in every
# engine.
MAX_INT64 = 2**63 - 1

# `top P%` compares (rank - 1) * 100 * 10^k < count * P * 10^k in 64-bit integers (k the
# decimals of P): 6 decimals leave room for ten billion customers.
MAX_PERCENT_DECIMALS = 6

# NTILE takes a 32-bit integer in Postgres.
MAX_BUCKETS = 2**31 - 1

# Windows and `N units ago` reach at most 100 years (in any unit), so that any reference
# date from 1900 to 2199 keeps every shifted date inside the years every engine handles.
MAX_WINDOW_YEARS = 100
MAX_WINDOW = {"day": 36_525, "week": 5_218, "month": 1_200, "year": MAX_WINDOW_YEARS}

# A literal with a decimal point: at most this many digits in all (DECIMAL(38, s) of the
# engines, with room for the arithmetic of a comparison).
MAX_DECIMAL_DIGITS = 30


def as_date(value: Any, t: Type) -> Any:
    """A timestamp compared with a date counts by its local date; other values as they are."""
    if t.kind != "timestamp":
        return value
    if isinstance(value, ir.Lit):
        return value
    return ir.LocalDate(value)
