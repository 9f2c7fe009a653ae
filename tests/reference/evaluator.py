"""Reference semantics of the typed IR (segdsl/ir.py), evaluated customer by customer.

    ev = Evaluator(project.schema, project.settings.timezone, tables, as_of)
    ev.members(project.segment_ir("west_coast_regulars"))   # -> sorted entity keys

`tables` is the format of the engine harness (tests/support/engines.py): table name -> list of
row dicts; dates/timestamps may be ISO strings, naive timestamps mean UTC.

Written from LANGUAGE.md and docs/language.md only, and deliberately naive: no SQL, no
cleverness, every rule spelled out where it applies. Dozens of customers, not thousands.

Value model (why: the engines store `number` as DOUBLE but literals as exact decimals):
    missing             None (every operation on None gives None, every comparison False)
    integer             int
    exact number        fractions.Fraction (decimal literals, decimal score points, round(),
                        percentile) -- engines keep these exact as DECIMAL/NUMERIC
    number column       float; as soon as a float takes part, the other side becomes a float
                        too, which is what the engines do with DOUBLE op DECIMAL
    text, bool, date    str, bool, datetime.date
    timestamp           naive datetime.datetime meaning UTC
    list                list (a missing list is the same as an empty one)
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from collections.abc import Mapping, Sequence

from segdsl import ir

# Every IR class the evaluator knows. unsupported_nodes() compares this with segdsl/ir.py so
# that a node added to the compiler fails a test here instead of being silently mis-evaluated.
HANDLED = {
    "Col", "RelCol", "Lit", "Today", "ShiftDate", "LocalDate", "Arith", "Neg", "Func", "Agg",
    "Percentile", "Bucket", "CondValue", "ScoreValue",
    "Cmp", "InSet", "IsSet", "Text", "ListHas", "Truthy", "Ranked", "SegmentRef", "InSnapshot",
    "And", "Or", "Not", "Const",
}


def unsupported_nodes() -> list[str]:
    """IR dataclasses of segdsl.ir that this evaluator does not handle (should be empty)."""
    found = []
    for name, obj in vars(ir).items():
        if isinstance(obj, type) and hasattr(obj, "__dataclass_fields__") and obj.__module__ == ir.__name__:
            if name not in HANDLED:
                found.append(name)
    return sorted(found)


def members(project, name: str, tables, as_of: dt.date) -> list:
    """Members of segment `name` of a loaded project."""
    ev = Evaluator(project.schema, project.settings.timezone, tables, as_of,
                   getattr(project.settings, "snapshots_table", "segdsl_snapshots"))
    return ev.members(project.segment_ir(name))


# ------------------------------------------------------------------------------ input rows


def _coerce(value: Any, kind: str, element: str | None) -> Any:
    """A fixture value in the evaluator's value model (see the module docstring)."""
    if value is None:
        return None
    if kind == "list":
        return [_coerce(v, element, None) for v in value]
    if kind == "number":
        return float(value)
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind == "timestamp":
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if not isinstance(value, dt.datetime):  # a plain date: its midnight
            return dt.datetime(value.year, value.month, value.day)
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _rows(rows: Sequence[Mapping], columns: dict) -> list[dict]:
    out = []
    for row in rows:
        out.append({name: _coerce(row.get(name), col.type.kind, col.type.element) for name, col in columns.items()})
    return out


# ------------------------------------------------------------------------------ helpers


def _numeric(v) -> bool:
    return isinstance(v, (int, float, Fraction)) and not isinstance(v, bool)


def _pair(a, b):
    """Make two values comparable: numbers meet as floats when one of them is a float."""
    if _numeric(a) and _numeric(b):
        if isinstance(a, float) or isinstance(b, float):
            return float(a), float(b)
        return a, b
    if type(a) is not type(b) and not (_numeric(a) and _numeric(b)):
        raise TypeError(f"the IR compares {a!r} with {b!r}")
    return a, b


def _compare(op: str, a, b) -> bool:
    if a is None or b is None:  # a comparison with a missing value is false
        return False
    a, b = _pair(a, b)
    if op == "=":
        return a == b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    raise ValueError(f"unknown comparison {op!r}")


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's last day
    (2024-03-31 - 1 month = 2024-02-29)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _exact(v):
    """An exact number for a literal: ints stay ints, decimals become Fractions."""
    if isinstance(v, Decimal):
        return Fraction(v)
    return v


def _round(x, digits: int):
    """Half away from zero on the decimal value of x: what the user sees, not the binary
    double below it (2.675 rounds to 2.68)."""
    d = Decimal(repr(x)) if isinstance(x, float) else (Decimal(x) if isinstance(x, int)
                                                       else Decimal(x.numerator) / Decimal(x.denominator))
    return Fraction(d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------------------ evaluator


class Evaluator:
    def __init__(self, schema, timezone: str, tables: Mapping[str, Sequence[Mapping]], as_of: dt.date,
                 snapshots_table: str = "segdsl_snapshots"):
        self.schema = schema
        # stored snapshots (`in snapshot S [at D]`): segment -> [(snapshot_id, as_of, member_key)]
        self.snapshots: dict[str, list[tuple]] = {}
        for row in tables.get(snapshots_table, ()):
            as_of_day = _coerce(row.get("as_of"), "date", None)
            self.snapshots.setdefault(row.get("segment"), []).append((row.get("snapshot_id"), as_of_day,
                                                                      row.get("member_key")))
        self.zone = zoneinfo.ZoneInfo(timezone or "UTC")
        self.today = as_of
        entity = schema.entity
        self.key = entity.key
        self.customers = _rows(tables.get(entity.table, ()), entity.columns)
        # relation name -> entity key -> rows of that customer (rows of unknown keys reach nobody)
        self.rows: dict[str, dict[Any, list[dict]]] = {}
        for rel in schema.relations.values():
            columns = dict(rel.columns)
            if rel.key not in columns:
                columns[rel.key] = entity.columns[self.key]
            by_key: dict[Any, list[dict]] = {}
            for row in _rows(tables.get(rel.table, ()), columns):
                by_key.setdefault(row[rel.key], []).append(row)
            self.rows[rel.name] = by_key
        self._population: dict[int, tuple[Any, dict]] = {}  # id(node) -> (node, key -> value)

    # ---- public ----
    def members(self, cond) -> list:
        return sorted(c[self.key] for c in self.customers if self.cond(cond, c, None))

    def values(self, value) -> dict:
        """key -> value of an IR value for every customer (for debugging and ranking)."""
        return {c[self.key]: self.value(value, c, None) for c in self.customers}

    # ---- conditions: always True or False, never None ----
    def cond(self, c, cust: dict, row: dict | None) -> bool:
        kind = type(c).__name__
        if kind == "Cmp":
            return _compare(c.op, self.value(c.left, cust, row), self.value(c.right, cust, row))
        if kind == "InSet":
            v = self.value(c.value, cust, row)
            return any(_compare("=", v, self.value(item, cust, row)) for item in c.items)
        if kind == "IsSet":
            v = self.value(c.value, cust, row)
            return bool(v) if isinstance(v, list) else v is not None  # a list: at least one element
        if kind == "Text":
            v = self.value(c.value, cust, row)
            if v is None:
                return False
            text, pattern = v.lower(), c.pattern.lower()  # case-insensitive, literal pattern
            if c.kind == "contains":
                return pattern in text
            if c.kind == "starts_with":
                return text.startswith(pattern)
            if c.kind == "ends_with":
                return text.endswith(pattern)
            raise ValueError(c.kind)
        if kind == "ListHas":
            v = self.value(c.value, cust, row) or []
            item = self.value(c.item, cust, row)
            return any(_compare("=", x, item) for x in v)
        if kind == "Truthy":
            return self.value(c.value, cust, row) is True
        if kind == "Ranked":
            return self._ranked(c, cust)
        if kind == "SegmentRef":
            return self.cond(c.cond, cust, row)
        if kind == "InSnapshot":
            # docs/analysis.md: the snapshot of the segment with the largest snapshot_id among
            # those taken for a date on or before `at`; nobody when there is none
            at = self.value(c.at, cust, row)
            taken = [s for s in self.snapshots.get(c.name, ()) if s[1] is not None and s[1] <= at]
            if not taken:
                return False
            latest = max(s[0] for s in taken if s[0] is not None)
            return any(s[0] == latest and s[2] == cust[self.key] for s in self.snapshots[c.name])
        if kind == "And":
            return all(self.cond(x, cust, row) for x in c.items)
        if kind == "Or":
            return any(self.cond(x, cust, row) for x in c.items)
        if kind == "Not":
            return not self.cond(c.item, cust, row)
        if kind == "Const":
            return bool(c.value)
        raise NotImplementedError(f"reference evaluator: condition {kind}")

    # ---- values: None is missing ----
    def value(self, v, cust: dict, row: dict | None):
        kind = type(v).__name__
        if kind == "Col":
            return cust[v.name]
        if kind == "RelCol":
            if row is None:
                raise ValueError(f"{v.relation}.{v.name} outside an aggregate of {v.relation}")
            return row[v.name]
        if kind == "Lit":
            return _exact(v.value)
        if kind == "Today":
            return self.today
        if kind == "ShiftDate":
            base = self.value(v.base, cust, row)
            if base is None:
                return None
            if v.unit == "day":
                return base + dt.timedelta(days=v.amount)
            if v.unit == "month":
                return add_months(base, v.amount)
            raise ValueError(v.unit)
        if kind == "LocalDate":
            x = self.value(v.value, cust, row)
            if isinstance(x, dt.datetime):  # stored UTC -> the date on the project's calendar
                return x.replace(tzinfo=dt.UTC).astimezone(self.zone).date()
            return x
        if kind == "Arith":
            return self._arith(v.op, self.value(v.left, cust, row), self.value(v.right, cust, row))
        if kind == "Neg":
            x = self.value(v.value, cust, row)
            return None if x is None else -x
        if kind == "Func":
            return self._func(v, cust, row)
        if kind == "Agg":
            return self._agg(v, cust)
        if kind == "Percentile":
            return self._population_value(v, cust)
        if kind == "Bucket":
            return self._population_value(v, cust)
        if kind == "CondValue":
            return self.cond(v.cond, cust, row)
        if kind == "ScoreValue":
            total = sum((Fraction(points) for rule, points in v.rules if self.cond(rule, cust, row)), Fraction(0))
            return int(total) if v.type.kind == "integer" else total
        raise NotImplementedError(f"reference evaluator: value {kind}")

    def _arith(self, op: str, a, b):
        if a is None or b is None:
            return None
        if op == "/":  # always a float division; by zero is missing, never an error
            return None if b == 0 else float(a) / float(b)
        a, b = _pair(a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        raise ValueError(op)

    def _func(self, f, cust, row):
        name = f.name
        if name == "coalesce":  # the first argument that is not missing (lazily, like SQL)
            for a in f.args:
                x = self.value(a, cust, row)
                if x is not None:
                    return x
            return None
        args = [self.value(a, cust, row) for a in f.args]
        x = args[0]
        if x is None:
            return None
        if name == "lower":
            return x.lower()
        if name == "upper":
            return x.upper()
        if name == "abs":
            return abs(x)
        if name == "round":
            return _round(x, args[1] if len(args) > 1 else 0)
        if name == "year":
            return x.year
        if name == "month":
            return x.month
        if name == "days_since":
            return (self.today - x).days
        raise NotImplementedError(f"reference evaluator: function {name}")

    # ---- aggregates over one customer's rows of a relation ----
    def _agg(self, a, cust):
        rel = self.schema.relations[a.relation]
        rows = [r for r in self.rows[a.relation].get(cust[self.key], ())
                if a.filter is None or self.cond(a.filter, cust, r)]
        fn = a.function
        if fn == "count" and a.column is None:
            return len(rows)
        if fn in ("first", "last"):
            timed = [r for r in rows if r[rel.time] is not None]  # untimed rows are never first/last
            if not timed:
                return None
            pick = min if fn == "first" else max
            at = pick(r[rel.time] for r in timed)
            tied = [r[a.column.name] for r in timed if r[rel.time] == at]
            present = [x for x in tied if x is not None]  # a missing value loses the tie
            return pick(present) if present else None
        values = [r[a.column.name] for r in rows if r[a.column.name] is not None]  # missing ignored
        if fn == "count":
            return len(values)
        if fn == "count_distinct":
            return len(set(values))
        if fn == "sum":
            return sum(values) if values else (0.0 if a.column.type.kind == "number" else 0)
        if not values:
            return None
        if fn == "avg":
            total = sum(values)
            return float(total) / len(values)
        if fn == "min":
            return min(values)
        if fn == "max":
            return max(values)
        raise NotImplementedError(f"reference evaluator: aggregate {fn}")

    # ---- rankings over every customer of the entity table ----
    def _ranking(self, value, descending: bool) -> list:
        """Keys of the customers with a value, in ranking order: by value (descending for
        `top`), ties by key ascending; customers with a missing value are left out."""
        vals = self._keyed_values(value)
        ranked = [(x, k) for k, x in vals.items() if x is not None]
        if descending:
            # sort by key ascending first, then stable sort by value descending
            ranked.sort(key=lambda p: p[1])
            ranked.sort(key=lambda p: _sortable(p[0]), reverse=True)
        else:
            ranked.sort(key=lambda p: (_sortable(p[0]), p[1]))
        return [k for _, k in ranked]

    def _keyed_values(self, value) -> dict:
        cached = self._population.get(id(value))
        if cached is None:
            cached = (value, self.values(value))
            self._population[id(value)] = cached
        return cached[1]

    def _ranked(self, c, cust) -> bool:
        order = self._ranking(c.value, descending=c.direction == "top")
        n = len(order)
        if c.limit is not None:
            take = c.limit
        else:  # exactly ceil(n * P / 100), no floating point
            take = math.ceil(Fraction(n) * Fraction(c.percent) / 100)
        return cust[self.key] in order[:take]

    def _population_value(self, v, cust):
        key = cust[self.key]
        order = self._ranking(v.value, descending=False)
        if key not in order:
            return None  # missing values are not ranked
        n, r = len(order), order.index(key) + 1
        if type(v).__name__ == "Percentile":
            return Fraction(100) if n == 1 else Fraction(100 * (r - 1), n - 1)
        # Bucket: SQL's NTILE(N): sizes differ by at most one, the larger ones first
        size, extra = divmod(n, v.buckets)
        position = r - 1
        big = extra * (size + 1)
        if position < big:
            return position // (size + 1) + 1
        return extra + (position - big) // size + 1


def _sortable(x):
    """Numbers of mixed kinds sort together; dates and timestamps among themselves."""
    if _numeric(x):
        return float(x) if isinstance(x, float) else Fraction(x)
    return x
