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

import datetime as dt
import math
import zoneinfo
from fractions import Fraction
from typing import TYPE_CHECKING, assert_never

from segdsl import ir
from tests.reference.dates import anniversary_in, years_since
from segdsl.as_of import AsOf
from tests.reference.lifecycle import distinct_periods
from tests.reference.splits import split_bucket
from tests.reference.values import (
    Row,
    Tables,
    Val,
    coerce,
    compare,
    exact,
    pair,
    round_half_away,
    read_rows,
    sortable,
    start_of,
    add_months,
)

if TYPE_CHECKING:
    from segdsl.api import Project
    from segdsl.project.schema import Schema

__all__ = ["Evaluator", "add_months", "members"]


def members(project: Project, name: str, tables: Tables, as_of: dt.date | AsOf) -> list[Val]:
    """Members of segment `name` of a loaded project."""
    if project.schema is None:
        raise ValueError("the project's schema does not load")
    ev = Evaluator(project.schema, project.settings.timezone, tables, as_of,
                   getattr(project.settings, "snapshots_table", "segdsl_snapshots"))
    cond = project.segment_ir(name)
    if cond is None:
        raise ValueError(f"segment `{name}` does not check")
    return ev.members(cond)


# ------------------------------------------------------------------------------ evaluator


class Evaluator:
    def __init__(self, schema: Schema, timezone: str, tables: Tables, as_of: dt.date | AsOf,
                 snapshots_table: str = "segdsl_snapshots"):
        self.schema = schema
        # "today" is the reference's date; "now" (naive UTC) the instant before which relation
        # rows are seen: a date's next midnight in the project zone, or the instant given
        reference = as_of if isinstance(as_of, AsOf) else AsOf(as_of)
        self.now = reference.now(timezone or "UTC")
        # stored snapshots (`in snapshot S [at D]`): segment -> [(snapshot_id, as_of, member_key)]
        self.snapshots: dict[Val, list[tuple[Val, dt.date | None, Val]]] = {}
        for row in tables.get(snapshots_table, ()):
            as_of_day = coerce(row.get("as_of"), "date", None)
            self.snapshots.setdefault(row.get("segment"), []).append((row.get("snapshot_id"), as_of_day,
                                                                      row.get("member_key")))
        self.zone = zoneinfo.ZoneInfo(timezone or "UTC")
        self.today = reference.date
        entity = schema.entity
        self.key = entity.key
        self.customers = read_rows(tables.get(entity.table, ()), entity.columns)
        # relation name -> entity key -> rows of that customer (rows of unknown keys reach nobody)
        self.rows: dict[str, dict[Val, list[Row]]] = {}
        for rel in schema.relations.values():
            columns = dict(rel.columns)
            if rel.key not in columns:
                columns[rel.key] = entity.columns[self.key]
            by_key: dict[Val, list[Row]] = {}
            for row in read_rows(tables.get(rel.table, ()), columns):
                by_key.setdefault(row[rel.key], []).append(row)
            self.rows[rel.name] = by_key
        # id(node) -> (node, key -> value); the node is kept so that its id stays unique
        self._population: dict[int, tuple[ir.Value, dict[Val, Val]]] = {}

    # ---- public ----
    def members(self, cond: ir.Cond) -> list[Val]:
        return sorted(c[self.key] for c in self.customers if self.cond(cond, c, None))

    def values(self, value: ir.Value) -> dict[Val, Val]:
        """key -> value of an IR value for every customer (for debugging and ranking)."""
        return {c[self.key]: self.value(value, c, None) for c in self.customers}

    # ---- conditions: always True or False, never None ----
    def cond(self, c: ir.Cond, cust: Row, row: Row | None) -> bool:
        match c:
            case ir.Cmp():
                return compare(c.op, self.value(c.left, cust, row), self.value(c.right, cust, row))
            case ir.InSet():
                v = self.value(c.value, cust, row)
                return any(compare("=", v, self.value(item, cust, row)) for item in c.items)
            case ir.IsSet():
                v = self.value(c.value, cust, row)
                return bool(v) if isinstance(v, list) else v is not None  # a list: at least one element
            case ir.Text():
                return self._text(c, self.value(c.value, cust, row))
            case ir.ListHas():
                v = self.value(c.value, cust, row) or []
                item = self.value(c.item, cust, row)
                return any(compare("=", x, item) for x in v)
            case ir.Truthy():
                return self.value(c.value, cust, row) is True
            case ir.Ranked():
                return self._ranked(c, cust)
            case ir.SegmentRef():
                return self.cond(c.cond, cust, row)
            case ir.InSnapshot():
                return self._in_snapshot(c, cust, row)
            case ir.And():
                return all(self.cond(x, cust, row) for x in c.items)
            case ir.Or():
                return any(self.cond(x, cust, row) for x in c.items)
            case ir.Not():
                return not self.cond(c.item, cust, row)
            case ir.Const():
                return bool(c.value)
            case ir.Anniversary():
                start, end = self.value(c.start, cust, row), self.value(c.end, cust, row)
                return anniversary_in(self.value(c.value, cust, row), start, end)
            case _:
                assert_never(c)

    @staticmethod
    def _text(c: ir.Text, v: Val) -> bool:
        if v is None:
            return False
        text, pattern = v.lower(), c.pattern.lower()  # case-insensitive, literal pattern
        match c.kind:
            case "contains":
                return pattern in text
            case "starts_with":
                return bool(text.startswith(pattern))
            case "ends_with":
                return bool(text.endswith(pattern))
            case _:
                assert_never(c.kind)

    def _in_snapshot(self, c: ir.InSnapshot, cust: Row, row: Row | None) -> bool:
        # docs/analysis.md: the snapshot of the segment with the largest snapshot_id among
        # those taken for a date on or before `at`; nobody when there is none
        at = self.value(c.at, cust, row)
        taken = [s for s in self.snapshots.get(c.name, ()) if s[1] is not None and s[1] <= at]
        if not taken:
            return False
        latest = max(s[0] for s in taken if s[0] is not None)
        return any(s[0] == latest and s[2] == cust[self.key] for s in self.snapshots[c.name])

    # ---- values: None is missing ----
    def value(self, v: ir.Value, cust: Row, row: Row | None) -> Val:
        match v:
            case ir.Col():
                return cust[v.name]
            case ir.RelCol():
                if row is None:
                    raise ValueError(f"{v.relation}.{v.name} outside an aggregate of {v.relation}")
                return row[v.name]
            case ir.Lit():
                return exact(v.value)
            case ir.Today():
                return self.today
            case ir.Now():
                return v.at if v.at is not None else self.now
            case ir.ShiftDate():
                return self._shift(v, self.value(v.base, cust, row))
            case ir.StartOf():
                return start_of(self.value(v.value, cust, row), v.unit)
            case ir.LocalDate():
                x = self.value(v.value, cust, row)
                if isinstance(x, dt.datetime):  # stored UTC -> the date on the project's calendar
                    return x.replace(tzinfo=dt.UTC).astimezone(self.zone).date()
                return x
            case ir.Arith():
                return self._arith(v.op, self.value(v.left, cust, row), self.value(v.right, cust, row))
            case ir.Neg():
                x = self.value(v.value, cust, row)
                return None if x is None else -x
            case ir.Func():
                return self._func(v, cust, row)
            case ir.Agg():
                return self._agg(v, cust)
            case ir.Percentile():
                return self._percentile(v, cust)
            case ir.Bucket():
                return self._bucket(v, cust)
            case ir.CondValue():
                return self.cond(v.cond, cust, row)
            case ir.ScoreValue():
                total = sum((Fraction(points) for rule, points in v.rules if self.cond(rule, cust, row)),
                            Fraction(0))
                return int(total) if v.type.kind == "integer" else total
            case ir.FamilyValue():  # the first member whose rule holds
                return next((m for c, m in v.rules if self.cond(c, cust, row)), v.otherwise)
            case ir.HashBucket():
                return split_bucket(v.split, v.salt, self.value(v.key, cust, row))
            case ir.FirstMatch():
                return next((label for rule, label in v.rules if self.cond(rule, cust, row)), None)
            case _:
                assert_never(v)

    @staticmethod
    def _shift(v: ir.ShiftDate, base: Val) -> Val:
        if base is None:
            return None
        match v.unit:
            case "day":
                return base + dt.timedelta(days=v.amount)
            case "month":
                return add_months(base, v.amount)
            case _:
                assert_never(v.unit)

    @staticmethod
    def _arith(op: ir.ArithOp, a: Val, b: Val) -> Val:
        if a is None or b is None:
            return None
        if op == "/":  # always a float division; by zero is missing, never an error
            return None if b == 0 else float(a) / float(b)
        a, b = pair(a, b)
        match op:
            case "+":
                return a + b
            case "-":
                return a - b
            case "*":
                return a * b
            case _:
                assert_never(op)

    def _func(self, f: ir.Func, cust: Row, row: Row | None) -> Val:
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
        match name:
            case "lower":
                return x.lower()
            case "upper":
                return x.upper()
            case "abs":
                return abs(x)
            case "round":
                return round_half_away(x, args[1] if len(args) > 1 else 0)
            case "year":
                return x.year
            case "month":
                return x.month
            case "days_since":
                return (self.today - x).days
            case "years_since":
                return years_since(x, self.today)
            case "days_between":
                return None if args[1] is None else (args[1] - x).days
            case "weekday":  # Python's own calendar: Monday is 0
                return x.isoweekday()
            case "hour":  # stored UTC -> the wall clock of the project's zone
                return x.replace(tzinfo=dt.UTC).astimezone(self.zone).hour
            case _:
                assert_never(name)

    # ---- aggregates over one customer's rows of a relation ----
    def _agg(self, a: ir.Agg, cust: Row) -> Val:
        rows = [r for r in self.rows[a.relation].get(cust[self.key], ())
                if a.filter is None or self.cond(a.filter, cust, r)]
        fn = a.function
        if a.column is None:
            if fn != "count":
                raise ValueError(f"{fn}({a.relation}) without a column")
            return len(rows)
        column = a.column
        if fn in ("first", "last"):
            time = self.schema.relations[a.relation].time
            if time is None:
                raise ValueError(f"{fn} over {a.relation}, a relation without a time column")
            timed = [r for r in rows if r[time] is not None]  # untimed rows are never first/last
            if not timed:
                return None
            pick = min if fn == "first" else max
            at = pick(r[time] for r in timed)
            tied = [r[column.name] for r in timed if r[time] == at]
            present = [x for x in tied if x is not None]  # a missing value loses the tie
            return pick(present) if present else None
        if fn in ("count_days", "count_weeks", "count_months"):
            local = ir.LocalDate(column) if column.type.kind == "timestamp" else column
            return distinct_periods(fn, [self.value(local, cust, r) for r in rows], self.today)
        values = [r[column.name] for r in rows if r[column.name] is not None]  # missing ignored
        match fn:
            case "count":
                return len(values)
            case "count_distinct":
                return len(set(values))
            case "sum":
                return sum(values) if values else (0.0 if column.type.kind == "number" else 0)
            case "avg":
                return float(sum(values)) / len(values) if values else None
            case "min":
                return min(values) if values else None
            case "max":
                return max(values) if values else None
            case "first" | "last" | "count_days" | "count_weeks" | "count_months":  # handled above
                raise AssertionError(fn)
            case _:
                assert_never(fn)

    # ---- rankings over every customer of the entity table (or of each `per` group) ----
    def _ranking(self, value: ir.Value, descending: bool, per: ir.Value | None = None,
                 cust: Row | None = None) -> list[Val]:
        """Keys of the customers with a value, in ranking order: by value (descending for
        `top`), ties by key ascending; customers with a missing value are left out. With
        `per`, only the customers in `cust`'s group (none when its group is missing)."""
        vals = self._keyed_values(value)
        ranked = [(x, k) for k, x in vals.items() if x is not None]
        if per is not None:
            assert cust is not None
            groups = self._keyed_values(per)
            mine = groups[cust[self.key]]
            if mine is None:
                return []  # a missing group is not ranked
            ranked = [(x, k) for x, k in ranked if groups[k] is not None and compare("=", groups[k], mine)]
        if descending:
            # sort by key ascending first, then stable sort by value descending
            ranked.sort(key=lambda p: p[1])
            ranked.sort(key=lambda p: sortable(p[0]), reverse=True)
        else:
            ranked.sort(key=lambda p: (sortable(p[0]), p[1]))
        return [k for _, k in ranked]

    def _keyed_values(self, value: ir.Value) -> dict[Val, Val]:
        cached = self._population.get(id(value))
        if cached is None:
            cached = (value, self.values(value))
            self._population[id(value)] = cached
        return cached[1]

    def _ranked(self, c: ir.Ranked, cust: Row) -> bool:
        order = self._ranking(c.value, c.direction == "top", c.per, cust)
        n = len(order)
        if c.limit is not None:
            take = c.limit
        elif c.percent is not None:  # exactly ceil(n * P / 100), no floating point
            take = math.ceil(Fraction(n) * Fraction(c.percent) / 100)
        else:
            raise ValueError("a ranking without a limit or a percentage")
        return cust[self.key] in order[:take]

    def _rank_of(self, value: ir.Value, cust: Row, per: ir.Value | None = None) -> tuple[int, int] | None:
        """(position from 1 in ascending order, how many are ranked); None when missing."""
        key = cust[self.key]
        order = self._ranking(value, False, per, cust)
        if key not in order:
            return None  # missing values are not ranked
        return order.index(key) + 1, len(order)

    def _percentile(self, v: ir.Percentile, cust: Row) -> Fraction | None:
        ranked = self._rank_of(v.value, cust, v.per)
        if ranked is None:
            return None
        r, n = ranked
        return Fraction(100) if n == 1 else Fraction(100 * (r - 1), n - 1)

    def _bucket(self, v: ir.Bucket, cust: Row) -> int | None:
        """SQL's NTILE(N): sizes differ by at most one, the larger ones first."""
        ranked = self._rank_of(v.value, cust, v.per)
        if ranked is None:
            return None
        r, n = ranked
        size, extra = divmod(n, v.buckets)
        position = r - 1
        big = extra * (size + 1)
        if position < big:
            return position // (size + 1) + 1
        return extra + (position - big) // size + 1
