"""Facts about conditions the planner decides with: what a condition is for a customer without
rows in a relation, which nodes are read outside rankings, in which order rankings and the
segments of a batch are computed, which lower bound a row condition puts on a relation's
time; and map_nodes, the tree rewrite every rewrite of the planner uses."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from segdsl import ir
from segdsl.plan import nodes as pn
from segdsl.plan.days import is_fixed
from segdsl.types import Type

# the IR's walks, typed for the planner
walk = cast(Callable[[Any], Iterator[Any]], ir.walk)
children = cast(Callable[[Any], tuple[Any, ...]], ir.children)
# a comparison read from the other side: `a < b` is `b > a`
FLIP: dict[ir.CmpOp, ir.CmpOp] = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}

_ZERO_WHEN_EMPTY = ("count", "count_distinct", "sum", "count_days", "count_weeks", "count_months")
_MISSING = object()


def empty_truth(cond: Any, relation: str, only: frozenset[ir.Agg] | None = None) -> bool | None:
    """The truth of `cond` for a customer with no rows in `relation` (counts and sums 0,
    other aggregates missing) when it does not depend on anything else, else None.
    `only`: just these aggregates are empty (missing), the relation's others unknown."""
    def value(v: Any) -> Any:
        if isinstance(v, ir.Agg) and v.relation == relation and (only is None or v in only):
            return 0 if v.function in _ZERO_WHEN_EMPTY else _MISSING
        if isinstance(v, ir.Lit) and not isinstance(v.value, bool):
            return v.value
        if isinstance(v, ir.LocalDate):
            return _MISSING if value(v.value) is _MISSING else None
        if isinstance(v, ir.Arith):
            a, b = value(v.left), value(v.right)
            if _MISSING in (a, b):
                return _MISSING
            if a is None or b is None:
                return None
            if v.op == "/":
                return _MISSING if b == 0 else None
            return a + b if v.op == "+" else a - b if v.op == "-" else a * b
        return None

    def truth(c: Any) -> bool | None:
        if isinstance(c, ir.Cmp):
            a, b = value(c.left), value(c.right)
            if _MISSING in (a, b):
                return False
            if a is None or b is None:
                return None
            return bool({"=": a == b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[c.op])
        if isinstance(c, ir.IsSet):
            v = value(c.value)
            return False if v is _MISSING else None if v is None else True
        if isinstance(c, ir.Truthy):
            return False if value(c.value) is _MISSING else None
        if isinstance(c, ir.And):
            found = [truth(i) for i in c.items]
            return False if False in found else True if all(found) else None
        if isinstance(c, ir.Or):
            found = [truth(i) for i in c.items]
            return True if True in found else False if all(f is False for f in found) else None
        if isinstance(c, ir.Not):
            t = truth(c.item)
            return None if t is None else not t
        if isinstance(c, ir.SegmentRef):
            return truth(c.cond)
        if isinstance(c, ir.Const):
            return c.value
        if isinstance(c, pn.RowsExist) and c.agg.relation == relation and (only is None or c.agg in only):
            return False
        return None

    return truth(cond)


def walk_outside_windows(roots: Iterable[Any]) -> Iterator[Any]:
    """The nodes under `roots`, without looking into the values rankings are computed from."""
    stack = list(roots)
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, pn.WINDOW_NODES):
            stack.extend(children(n))


def window_levels(nodes: Iterable[Any]) -> list[list[pn.Window]]:
    """Window nodes grouped by level: a window whose value uses another is one level later,
    so windows never nest."""
    windows: list[pn.Window] = list(dict.fromkeys(n for n in nodes if isinstance(n, pn.WINDOW_NODES)))
    level: dict[pn.Window, int] = {}

    def level_of(w: pn.Window) -> int:
        if w not in level:
            inner = [n for n in pn.window_inputs(w) if isinstance(n, pn.WINDOW_NODES)]
            level[w] = 1 + max((level_of(x) for x in inner), default=0)
        return level[w]

    groups: dict[int, list[pn.Window]] = {}
    for w in windows:
        groups.setdefault(level_of(w), []).append(w)
    return [groups[k] for k in sorted(groups)]


def _direct_refs(cond: Any) -> set[str]:
    """Names of the segments `cond` uses directly (not those they use in turn)."""
    found, stack = set(), [cond]
    while stack:
        n = stack.pop()
        if isinstance(n, ir.SegmentRef) and n is not cond:
            found.add(n.name)
            continue
        stack.extend(children(n))
    return found


def segment_levels(conds: dict[str, Any]) -> dict[str, int]:
    """The level of each segment of a batch: one more than the segments it uses."""
    level: dict[str, int] = {}

    def level_of(name: str) -> int:
        if name not in level:
            level[name] = 1 + max((level_of(d) for d in _direct_refs(conds[name])), default=0)
        return level[name]

    for name in conds:
        level_of(name)
    return level


def map_nodes(node: Any, fn: Callable[[Any], Any]) -> Any:
    """`node` with every sub-node n replaced by fn(n) (top-down; a replaced node is kept)."""
    out = fn(node)
    if out is not node:
        return out
    changes = {}
    for name in node.__dataclass_fields__:
        v = getattr(node, name)
        nv = _map_value(v, fn)
        if nv is not v:
            changes[name] = nv
    return dataclasses.replace(node, **changes) if changes else node


def _map_value(v: Any, fn: Callable[[Any], Any]) -> Any:
    if isinstance(v, tuple):
        items = tuple(_map_value(x, fn) for x in v)
        return items if any(a is not b for a, b in zip(items, v)) else v
    if dataclasses.is_dataclass(v) and not isinstance(v, (type, Type)):
        return map_nodes(v, fn)
    return v


def time_floor(c: Any, time: str) -> ir.Cmp | None:
    """The lower bound a row condition puts on the relation's time column `time` (maybe as a
    local date) with a value fixed for the query, as a condition, or None: `t > D` and
    `t >= D` as written, `D < t` likewise, and `t = D` (a one-day window, `on D`) as `t >= D`."""
    if not isinstance(c, ir.Cmp):
        return None
    if c.op in (">", ">=") and _is_time(c.left, time) and is_fixed(c.right):
        return c
    if c.op in ("<", "<=") and _is_time(c.right, time) and is_fixed(c.left):
        return c
    if c.op == "=":
        for t, d in ((c.left, c.right), (c.right, c.left)):
            if _is_time(t, time) and is_fixed(d):
                return ir.Cmp(">=", t, d)
    return None


def _is_time(v: Any, time: str) -> bool:
    v = v.value if isinstance(v, ir.LocalDate) else v
    return isinstance(v, ir.RelCol) and v.name == time


def bounded_below(flt: Any, time: str) -> bool:
    """Whether a row filter bounds the time column from below (a window that starts
    somewhere): one of its conjuncts, at any depth of `and`, is a time_floor."""
    if isinstance(flt, ir.And):
        return any(bounded_below(c, time) for c in flt.items)
    return time_floor(flt, time) is not None
