"""Facts about the IR and rewrites of it that decide the query's shape: which comparisons
become filtered counts, what a condition is for a customer without rows in a relation, which
nodes are read outside rankings, in which order a batch computes referenced segments.
"""

from __future__ import annotations

import dataclasses

from segdsl import ir
from segdsl.sql.naming import WINDOW_NODES
from segdsl.sql.values import RowsExist
from segdsl.types import INTEGER, Type


def exists_form(node, low):
    """`min(R.x) < c` (or <=) and `max(R.x) > c` (or >=) for a c fixed for the query are
    `has R where x < c`: true exactly when some row has such an x, false over no rows
    or only missing values, like the comparison with a missing min/max. As a filtered
    count it lets the relation pass skip every other row (and, for a time column, the
    row groups outside the range). Used for single segments: a batch computes the
    min/max once for all the segments that use it."""
    if not isinstance(node, ir.Cmp) or node.op == "=":
        return node
    op, left, right = node.op, node.left, node.right
    if not isinstance(_unwrap_local(left), ir.Agg):
        op, left, right = _FLIP[op], right, left
    agg = _unwrap_local(left)
    if not (isinstance(agg, ir.Agg) and agg.column is not None and _fixed(right)
            and (agg.function, op) in (("min", "<"), ("min", "<="), ("max", ">"), ("max", ">="))):
        return node
    column = agg.column
    if isinstance(left, ir.LocalDate):
        # the latest local date is the local date of the latest time only when local dates
        # never go backwards around the bound, which is when the bound is an instant
        if low._day_starts(right, (1,) if op == ">" else (0,)) is None:
            return node
        column = ir.LocalDate(column)
    rows = ir.Cmp(op, column, right)
    count = ir.Agg("count", agg.relation, None, ir.and_(agg.filter, rows) if agg.filter else rows, INTEGER)
    return ir.Cmp(">=", count, ir.Lit(1, INTEGER))



_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_COMPARE = {"=": lambda a, b: a == b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def existence_form(node):
    """A row count compared so that only whether it is 0 matters (`count(R where F) > 0`,
    `>= 1`, `= 0`, `< 1`, ...) as RowsExist (or its negation). When that is the only use of
    the count, its pass needs no aggregate: the keys of the rows F keeps, and the test
    whether the customer is among them (a semi/anti join, cheaper than counting and then
    comparing). Used for single segments, like exists_form."""
    if not isinstance(node, ir.Cmp):
        return node
    op, left, right = node.op, node.left, node.right
    if not isinstance(left, ir.Agg):
        op, left, right = _FLIP.get(op, op), right, left
    if not (isinstance(left, ir.Agg) and left.function == "count" and left.column is None
            and isinstance(right, ir.Lit) and not isinstance(right.value, bool)):
        return node
    k, test = right.value, _COMPARE[op]
    # monotone in the count except `=`: equal at 1 and at any larger count means equal for
    # every count >= 1; `= k` is the same for every count >= 1 only when k < 1
    same_above_0 = k < 1 if op == "=" else test(1, k) == test(10**18, k)
    if not same_above_0 or test(0, k) == test(1, k):
        return node
    return RowsExist(left) if test(1, k) else ir.Not(RowsExist(left))



def _unwrap_local(v):
    return v.value if isinstance(v, ir.LocalDate) else v


def _fixed(v) -> bool:
    """A value fixed for the whole query: a literal, today, or a shift of one."""
    if isinstance(v, ir.ShiftDate):
        return _fixed(v.base)
    return isinstance(v, (ir.Lit, ir.Today))


def map_nodes(node, fn):
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


def _map_value(v, fn):
    if isinstance(v, tuple):
        items = tuple(_map_value(x, fn) for x in v)
        return items if any(a is not b for a, b in zip(items, v)) else v
    if dataclasses.is_dataclass(v) and not isinstance(v, (type, Type)):
        return map_nodes(v, fn)
    return v


_ZERO_WHEN_EMPTY = ("count", "count_distinct", "sum")
_MISSING = object()


def empty_truth(cond, relation: str, only: set | None = None):
    """The truth of `cond` for a customer with no rows in `relation` (counts and sums 0,
    other aggregates missing) when it does not depend on anything else, else None.
    `only`: just these aggregates are empty (missing), the relation's others unknown."""
    def value(v):
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

    def truth(c):
        if isinstance(c, ir.Cmp):
            a, b = value(c.left), value(c.right)
            if _MISSING in (a, b):
                return False
            if a is None or b is None:
                return None
            return {"=": a == b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[c.op]
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
        if isinstance(c, RowsExist) and c.agg.relation == relation and (only is None or c.agg in only):
            return False
        return None

    return truth(cond)


def walk_outside_windows(roots):
    """The nodes under `roots`, without looking into the values rankings are computed from."""
    stack = list(roots)
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, WINDOW_NODES):
            stack.extend(ir.children(n))


def _direct_refs(cond) -> set[str]:
    """Names of the segments `cond` uses directly (not those they use in turn)."""
    found, stack = set(), [cond]
    while stack:
        n = stack.pop()
        if isinstance(n, ir.SegmentRef) and n is not cond:
            found.add(n.name)
            continue
        stack.extend(ir.children(n))
    return found


def segment_levels(conds: dict) -> dict[str, int]:
    level: dict[str, int] = {}

    def level_of(name: str) -> int:
        if name not in level:
            level[name] = 1 + max((level_of(d) for d in _direct_refs(conds[name])), default=0)
        return level[name]

    for name in conds:
        level_of(name)
    return level

