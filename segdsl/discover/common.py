"""What `discover` and `predict` share: their errors (diagnostics with a stable code and the
exit code they mean), the lazy import of scikit-learn, and reading traits per customer with
one query the compiler builds (`Project.compile_values_tree`, as `profile --bands` does).

Codes (docs/errors.md, SEG08xx):
  SEG0801 too few customers (exit 1)         SEG0802 a trait with one value only (exit 1)
  SEG0803 a trait that is not a number (2)   SEG0804 no trait or field of that name (2)
  SEG0805 a bad option value (2)             SEG0806 the label has one value only (exit 1)
  SEG0807 a model file that cannot be used (2)
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from segdsl.diagnostics import Diagnostic, Span, error

EXIT_PROBLEMS, EXIT_USAGE = 1, 2
NUMERIC = ("integer", "number")
ML_EXTRA = "pip install 'segdsl[ml]'"
NOWHERE = Span("", 0, 0, 0, 0)


class MlError(Exception):
    """A request discover or predict cannot answer: one diagnostic and its exit code."""

    def __init__(self, diagnostic: Diagnostic, exit_code: int):
        self.diagnostic = diagnostic
        self.exit_code = exit_code
        super().__init__(diagnostic.message)


class MissingExtra(Exception):
    """scikit-learn is not installed; the message names the line that installs it."""


def fail(code: str, message: str, exit_code: int, *hints: str) -> MlError:
    return MlError(error(code, message, NOWHERE, *hints), exit_code)


def sklearn() -> Any:
    """scikit-learn, imported when a command needs it."""
    try:
        import sklearn as module
    except ImportError:
        raise MissingExtra(f"discover and predict need scikit-learn: {ML_EXTRA}") from None
    return module


@dataclass(frozen=True)
class Values:
    """One row per customer (ordered by key): the keys and a value per trait, None when missing."""

    names: list[str]
    keys: list[Any]
    rows: list[tuple[float | None, ...]]
    integer: dict[str, bool]  # the trait's values are whole numbers


def numeric_traits(project: Any, names: list[str], option: str) -> dict[str, bool]:
    """Each name checked to be a number trait or column; whether it holds whole numbers."""
    from segdsl.diagnostics import did_you_mean

    if not names:
        raise fail("SEG0805", f"{option}: name at least one trait", EXIT_USAGE,
                   f"e.g. {option} " + ",".join(project.trait_names()[:3]))
    if len(set(names)) != len(names):
        raise fail("SEG0805", f"{option}: a trait is named twice", EXIT_USAGE)
    traits = project.resolved[0].traits
    columns = project.schema.entity.columns
    whole: dict[str, bool] = {}
    for name in names:
        if name in traits:
            kind = traits[name].type.kind
        elif name in columns and name != project.schema.entity.key:
            kind = columns[name].type.kind
        else:
            known = list(traits) + [c for c in columns if c != project.schema.entity.key]
            hints = [h for h in [did_you_mean(name, known)] if h]
            raise fail("SEG0804", f"{option}: no trait or field `{name}`", EXIT_USAGE, *hints,
                       "traits: " + (", ".join(list(traits)[:12]) or "(none)"))
        if kind not in NUMERIC:
            raise fail("SEG0803", f"{option}: `{name}` is a {kind}, not a number", EXIT_USAGE,
                       "name number traits or fields (integer or number); turn others into numbers "
                       f"in a trait, e.g. `trait {name}_days = days_since({name})`"
                       if kind in ("date", "timestamp") else
                       "name number traits or fields (integer or number)")
        whole[name] = kind == "integer"
    return whole


def read_values(conn: Any, project: Any, names: list[str], as_of: Any) -> Values:
    """The traits of every customer, from one query compiled for the connection's engine."""
    from segdsl.sql.render import render

    whole = numeric_traits(project, names, "--traits")
    tree = project.compile_values_tree(names, conn.dialect, as_of, ordered=True)
    found = conn.query(render(tree, conn.dialect, pretty=False))
    rows = [tuple(_number(v) for v in row[1:]) for row in found]
    return Values(list(names), [row[0] for row in found], rows, whole)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def check_spread(values: Values, minimum: int, what: str) -> None:
    """Enough customers with every value, and no trait with a single value."""
    complete = [r for r in values.rows if None not in r]
    if len(complete) < minimum:
        raise fail("SEG0801", f"too few customers for {what}: {len(complete):,} with a value of every "
                   f"trait, at least {minimum:,} needed", EXIT_PROBLEMS,
                   "check the warehouse and --as-of, and that the traits are set for most customers")
    for i, name in enumerate(values.names):
        seen = {r[i] for r in complete}
        if len(seen) < 2:
            (only,) = seen
            raise fail("SEG0802", f"trait `{name}` has one value for every customer ({_show(only)}): "
                       "it cannot tell customers apart", EXIT_PROBLEMS,
                       f"leave `{name}` out, or check its definition and --as-of")


def _show(value: float | None) -> str:
    if value is None:
        return "missing"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def significant(value: float, digits: int) -> float:
    """`value` rounded to `digits` significant digits (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def number_text(value: float) -> str:
    """A literal the language reads: no exponent, no trailing zeros."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def today(reference: Any) -> dt.date:
    date: dt.date = reference.date if hasattr(reference, "date") and not isinstance(reference, dt.date) \
        else reference
    return date
