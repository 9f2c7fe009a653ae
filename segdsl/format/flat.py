"""One-line spelling of AST nodes: canonical literals, a space around operators, and the
parentheses that precedence needs (plus the ones around an `and` inside an `or`).

The AST drops parentheses, so they are re-derived here from binding strength: a child is
wrapped when it binds more loosely than its position in the grammar allows. A nested chain
of the same operator is wrapped too (`a and (b and c)` is a different tree from
`a and b and c`), which keeps parse(format(x)) equal to parse(x).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TypeGuard, assert_never

from segdsl.syntax import ast
from segdsl.syntax.keywords import name_pattern
from segdsl.syntax.params import Arg, Param

# Binding strength, loosest first: or, and, not, predicates, + -, * /, unary -, atoms.
OR, AND, NOT, PRED, SUM, PROD, UNARY, ATOM = range(1, 9)
FULL = 0  # a position that takes any expression (call arguments, aggregate filters, `where`)

_PREDICATES = (ast.Compare, ast.InList, ast.Between, ast.IsSet, ast.TextMatch, ast.ListHas,
               ast.InWindow, ast.Anniversary, ast.HasRows, ast.Did, ast.InSegment, ast.InSnapshot, ast.Rank,
               ast.Lifecycle, ast.Sequence)
_NAME = re.compile(name_pattern())  # the grammar's NAME: reserved words are not names
_TEXT_WORDS = {"contains": "contains", "starts_with": "starts with", "ends_with": "ends with"}
_DID_WORDS = {"at_least": "at least", "at_most": "at most", "exactly": "exactly"}


_STRENGTH: dict[type, int] = {ast.Or: OR, ast.And: AND, ast.Not: NOT, ast.Negate: UNARY,
                              **dict.fromkeys(_PREDICATES, PRED)}


def strength(node: ast.Expr) -> int:
    if isinstance(node, ast.Arith):
        return SUM if node.op in "+-" else PROD
    return _STRENGTH.get(type(node), ATOM)


# Parentheses that only help the reader (around an `and` inside an `or`, in `-(-x)`) deepen
# the parse tree; format_source drops them for a file whose depth would pass the parser's
# limit (see minimal_parentheses).
_clarity = True


@contextlib.contextmanager
def minimal_parentheses() -> Iterator[None]:
    global _clarity
    saved, _clarity = _clarity, False
    try:
        yield
    finally:
        _clarity = saved


def item_floor(chain: ast.Expr) -> int:
    """The weakest item a chain takes without parentheses."""
    return NOT if _clarity or type(chain) is ast.And else AND


def is_chain(node: ast.Expr) -> TypeGuard[ast.And | ast.Or]:
    return type(node) in (ast.And, ast.Or)


# ---- literals ------------------------------------------------------------------------------


def number_text(text: str) -> str:
    """`007` -> `7`, `1.50` -> `1.5`, `3.00` -> `3.0`: a decimal point is kept when written,
    because it makes the literal a number rather than an integer."""
    whole, dot, frac = text.partition(".")
    whole = whole.lstrip("0") or "0"
    if not dot:
        return whole
    return f"{whole}.{frac.rstrip('0') or '0'}"


def points_text(points: Decimal) -> str:
    """A score rule's points with their sign: +10, -15, +2.5 (the tree keeps only the value)."""
    sign = "-" if points.is_signed() else "+"
    text = format(abs(points), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return sign + text


def string_text(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\t", "\\t"))
    return f'"{escaped}"'


def name_or_string(value: str) -> str:
    """A metadata tag: bare when it is a valid name, else quoted."""
    return value if _NAME.fullmatch(value) else string_text(value)


# ---- expressions ---------------------------------------------------------------------------


def flat(node: ast.Expr, floor: int = FULL) -> str:
    """The node on one line, in parentheses when it binds more loosely than `floor`."""
    text = _render(node)
    return f"({text})" if strength(node) < floor else text


def _render(n: ast.Expr) -> str:
    match n:
        case ast.Or() | ast.And():
            return _chain(n)
        case ast.Not():
            return "not " + flat(n.operand, NOT)
        case ast.Compare():
            return f"{flat(n.left, SUM)} {n.op} {flat(n.right, SUM)}"
        case ast.InList():
            return f"{flat(n.value, SUM)} {'not in' if n.negated else 'in'} {items(n.items)}"
        case ast.Between():
            return f"{flat(n.value, SUM)} {_between(n.low, n.high)}"
        case ast.IsSet():
            return f"{flat(n.value, SUM)} is {'not ' if n.negated else ''}set"
        case ast.TextMatch():
            return f"{flat(n.value, SUM)} {_TEXT_WORDS[n.kind]} {flat(n.pattern, SUM)}"
        case ast.ListHas():
            if n.quantifier == "one":
                return f"{flat(n.value, SUM)} has {flat(n.items[0], SUM)}"
            return f"{flat(n.value, SUM)} has {n.quantifier} {items(n.items)}"
        case ast.InWindow():
            return f"{flat(n.value, SUM)} {window(n.window)}"
        case ast.Anniversary():
            period = "today" if n.window is None else window(n.window)
            return f"{flat(n.value, SUM)} anniversary {period}"
        case ast.HasRows() | ast.Did():
            head = rows_head(n)
            return head if n.filter is None else f"{head} where {flat(n.filter, PRED)}"
        case ast.Lifecycle():
            return lifecycle_text(n)
        case ast.Sequence():
            from segdsl.format.sequences import sequence_text

            return sequence_text(n)
        case ast.InSegment():
            return f"in segment {n.name}" + args_text(n.args)
        case ast.InSnapshot():
            return f"in snapshot {n.name}" + ("" if n.at is None else f" at {flat(n.at, SUM)}")
        case ast.Rank():
            percent = "%" if n.percent else ""
            per = "" if n.per is None else f" per {n.per.name}"
            return f"{n.direction} {number_text(n.amount.text)}{percent} by {flat(n.by, SUM)}{per}"
        case ast.Arith():
            left_floor, right_floor = (SUM, PROD) if n.op in "+-" else (PROD, UNARY)
            return f"{flat(n.left, left_floor)} {n.op} {flat(n.right, right_floor)}"
        case ast.Negate():
            # `-(-x)` rather than `--x`: the same tree, easier to read
            return "-" + flat(n.operand, ATOM if _clarity and type(n.operand) is ast.Negate else UNARY)
        case ast.Number():
            return number_text(n.text)
        case ast.String():
            return string_text(n.value)
        case ast.DateLit():
            return n.text
        case ast.Bool():
            return "true" if n.value else "false"
        case ast.Today():
            return "today"
        case ast.Ago():
            return duration(n.duration) + " ago"
        case ast.Length():
            return duration(n.duration)
        case ast.Ref():
            return n.name
        case ast.Dotted():
            return f"{n.relation}.{n.column}"
        case ast.Call():
            per = "" if n.per is None else f" per {n.per.name}"
            return f"{n.function}({', '.join(flat(a) for a in n.args)}{per})"
        case ast.Aggregate():
            return _aggregate(n)
        case _:
            assert_never(n)


def chain_op(node: ast.And | ast.Or) -> str:
    return "or" if type(node) is ast.Or else "and"


def _chain(n: ast.And | ast.Or) -> str:
    # NOT as the floor wraps every nested chain: an `and` inside an `or` for clarity, a
    # same-operator chain because `a and (b and c)` is another tree than `a and b and c`
    return f" {chain_op(n)} ".join(flat(i, item_floor(n)) for i in n.items)


def _aggregate(n: ast.Aggregate) -> str:
    inner = n.relation + (f".{n.column}" if n.column is not None else "")
    if n.window is not None:
        inner += " " + window(n.window)
    if n.filter is not None:
        inner += " where " + flat(n.filter)
    return f"{n.function}({inner})"


def items(values: Iterable[ast.Expr]) -> str:
    return "[" + ", ".join(flat(v, SUM) for v in values) + "]"


def duration(d: ast.Duration) -> str:
    if d.param is not None:  # `in last n`, n a duration parameter
        return d.param
    # the unit keeps its spelling (`1 days` stays): the tree records it
    return f"{number_text(d.amount.text)} {d.unit}"


def args_text(args: tuple[Arg, ...] | None) -> str:
    """`("South", min_orders: 5)`: arguments as written, positional first."""
    if args is None:
        return ""
    return "(" + ", ".join((f"{a.name}: " if a.name else "") + flat(a.value, SUM) for a in args) + ")"


def params_text(params: tuple[Param, ...] | None) -> str:
    """`(r: region, min_orders: number = 3)`"""
    if params is None:
        return ""
    return "(" + ", ".join(f"{p.name}: {p.type}" + ("" if p.default is None else f" = {flat(p.default, SUM)}")
                           for p in params) + ")"


def window(w: ast.RowsWindow) -> str:
    if isinstance(w, ast.RangeWindow):
        if w.kind == "between" and w.high is not None:
            return _between(w.low, w.high)
        return f"{w.kind} {flat(w.low, SUM)}"
    if isinstance(w, ast.PeriodWindow):
        return f"in {w.direction} {w.unit}"
    return f"in {w.direction} {duration(w.duration)}"


def _between(low: ast.Expr, high: ast.Expr) -> str:
    """`between A and B`; a rolling band `between N and M units ago` with the smaller number
    first (both orders mean the same days)."""
    if isinstance(low, ast.Number) and isinstance(high, ast.Ago):
        near, far = sorted((low.text, high.duration.amount.text), key=lambda t: Decimal(t))
        return f"between {number_text(near)} and {number_text(far)} {high.duration.unit} ago"
    return f"between {flat(low, SUM)} and {flat(high, SUM)}"


def rows_head(n: ast.HasRows | ast.Did) -> str:
    """`has no orders in last 30 days` / `did "x" at least 2 times in last 7 days`: the part
    before a filter."""
    if isinstance(n, ast.HasRows):
        parts = ["has", "no" if n.negated else "", n.relation]
    else:
        parts = ["did", string_text(n.event.value)]
        if n.count is not None:
            amount = number_text(n.count.amount.text)
            times = "time" if amount == "1" else "times"
            parts.append(f"{_DID_WORDS[n.count.kind]} {amount} {times}")
    if n.window is not None:
        parts.append(window(n.window))
    return " ".join(p for p in parts if p)


def lifecycle_text(n: ast.Lifecycle) -> str:
    """`first did "x" in last 30 days where ...`, `did "x" where ... but not in last 60 days`,
    `did "x" in last 7 days after a gap of 30 days`, `did "x" on at least 4 days in last 7
    days`, `did "x" in at least 3 of last 4 weeks`: the rows' head, then each form's words."""
    head = rows_head(n.rows)
    where = "" if n.rows.filter is None else f" where {flat(n.rows.filter, PRED)}"
    win = "" if n.window is None else " " + window(n.window)
    count = "" if n.count is None else f"{_DID_WORDS[n.count.kind]} {number_text(n.count.amount.text)}"
    match n.form:
        case "first" | "last":
            return f"{n.form} {head}{win}{where}"
        case "but_not":
            return f"{head}{where} but not{win}"
        case "gap":
            assert n.length is not None
            return f"{head}{win} after a gap of {duration(n.length)}{where}"
        case "days":
            return f"{head} on {count} {n.unit}{win}{where}"
        case "periods":
            assert n.length is not None
            return f"{head} in {count} of last {duration(n.length)}{where}"
    raise AssertionError(f"unknown lifecycle form {n.form}")
