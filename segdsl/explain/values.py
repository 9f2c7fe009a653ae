"""IR values as noun phrases, and the relation idioms (`has`, `did`, ranking) as clauses."""

from __future__ import annotations

import datetime as dt
from typing import assert_never, cast

from segdsl.project.schema import Schema

from segdsl import ir
from segdsl.check.now import is_seen_rule
from segdsl.explain.periods import start_text

_ARITH = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}
_DID_OPS = {">=": "at least", "<=": "at most", "=": "exactly"}


# Whose value a phrase is about: None for the customer, else the relation a filter reads.
Scope = str | None


def label(name: str) -> str:
    """A field or trait name as words. A name ending in `_at` holds a moment: `last_order_at`
    reads "last order date", `ordered_at` (a verb before `_at`) "date ordered"."""
    words = name.split("_")
    if len(words) > 1 and words[-1] == "at":
        head = words[:-1]
        if head[-1].endswith("ed"):
            return " ".join(["date"] + head)
        return " ".join(head + ["date"])
    return " ".join(w for w in words if w) or name


def lit(v: ir.Lit) -> str:
    value = v.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def shift_text(amount: int, unit: str) -> str:
    if unit == "month" and amount % 12 == 0:
        return _count(abs(amount) // 12, "year")
    return _count(abs(amount), unit)


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


class ValuePhrases:
    """Mixed into Phrases: needs self.traits, self.explained, self.schema, self.inline, and
    counts in self.filtered the `has`/`did` clauses it phrases that end with a filter."""

    filtered = 0
    traits: dict[int, str]  # id(IR node) -> trait name
    explained: dict[str, str]  # trait name -> its definition, in order of mention
    schema: Schema

    def inline(self, c: ir.Cond, scope: Scope) -> str:
        raise NotImplementedError  # Phrases

    @staticmethod
    def window(a: ir.Cmp, b: ir.Cmp) -> str | None:
        raise NotImplementedError  # Phrases

    def value(self, v: ir.Value) -> str:
        name = self.traits.get(id(v))
        if name is None:
            return self.raw_value(v)
        if name in self.explained:
            return label(name)
        self.explained[name] = ""  # before recursing: a definition never names itself
        self.explained[name] = self.raw_value(v)
        return f"{label(name)} ({self.explained[name]})"

    def raw_value(self, v: ir.Value) -> str:
        match v:
            case ir.Col() | ir.RelCol():
                return label(v.name)
            case ir.Lit():
                return lit(v)
            case ir.Today():
                return "today"
            case ir.Now():
                return "now" if v.at is None else f"now ({v.at.isoformat(sep=' ')} UTC)"
            case ir.ShiftDate():
                if v.base == ir.Today():
                    when = "ago" if v.amount < 0 else "from today"
                    return f"{shift_text(v.amount, v.unit)} {when}"
                sign = "minus" if v.amount < 0 else "plus"
                return f"{self.value(v.base)} {sign} {shift_text(v.amount, v.unit)}"
            case ir.StartOf():
                return f"{start_text(v.unit)} of {self.value(v.value)}"
            case ir.LocalDate():
                return self.value(v.value)
            case ir.Arith():
                parts = [self.value(x) for x in (v.left, v.right)]
                parts = [f"({p})" if isinstance(x, ir.Arith) else p for p, x in zip(parts, (v.left, v.right))]
                return f"{parts[0]} {_ARITH[v.op]} {parts[1]}"
            case ir.Neg():
                return f"minus {self.value(v.value)}"
            case ir.Func():
                return self.function(v)
            case ir.Agg():
                return self.aggregate(v)
            case ir.Percentile():
                if v.per is not None:
                    return (f"percentile of {self.value(v.value)} among the customers with the same "
                            f"{self.value(v.per)} (0 to 100 among those who have one; none without "
                            f"{self.value(v.per)})")
                return f"percentile of {self.value(v.value)} (0 to 100 among customers who have one)"
            case ir.Bucket():
                if v.per is not None:
                    return (f"bucket of {self.value(v.value)} among the customers with the same "
                            f"{self.value(v.per)} (1 to {v.buckets}: those with a value split in {v.buckets} "
                            f"equal groups, 1 the lowest; none without {self.value(v.per)})")
                return (f"bucket of {self.value(v.value)} (1 to {v.buckets}: customers with a value "
                        f"split in {v.buckets} equal groups, 1 the lowest)")
            case ir.CondValue():
                return f"(true for customers {self.inline(v.cond, None)})"
            case ir.ScoreValue():
                rules = "; ".join(f"{p:+} for customers {self.inline(c, None)}" for c, p in v.rules)
                return f"points added up from 0: {rules}"
            case ir.FamilyValue():
                rules = "; ".join(f'"{m}" for customers {self.inline(c, None)}' for c, m in v.rules)
                rest = f'; "{v.otherwise}" for everyone else' if v.otherwise is not None else "; none for everyone else"
                return f"the first member of family {v.family} whose rule holds: {rules}{rest}"
            case ir.HashBucket():
                salt = f", salt {lit(ir.Lit(v.salt, v.type))}" if v.salt else ""
                return (f"bucket of {self.value(v.key)} in split `{v.split}`{salt} (0 to 9999, "
                        "the same on every engine: an md5 hash of the key, none when it is missing)")
            case ir.FirstMatch():
                groups = "; ".join(f"{lit(ir.Lit(label, v.type))} for customers {self.inline(c, None)}"
                                   for c, label in v.rules)
                return f"the first that applies of: {groups}; else none"
            case _:
                assert_never(v)

    def function(self, v: ir.Func) -> str:
        args = [self.value(a) for a in v.args]
        name = v.name
        if name == "days_since":
            return f"days since {args[0]}"
        if name == "years_since":
            return f"completed years since {args[0]}"
        if name == "days_between":
            return f"days from {args[0]} to {args[1]}"
        if name in ("year", "month"):
            return f"{name} of {args[0]}"
        if name == "weekday":
            return f"day of the week of {args[0]} (1 Monday to 7 Sunday)"
        if name == "hour":
            return f"hour of {args[0]} (0 to 23, in the project time zone)"
        if name in ("lower", "upper"):
            return f"{args[0]} in {name} case"
        if name == "abs":
            return f"absolute value of {args[0]}"
        if name == "round":
            digits = v.args[1].value if len(v.args) > 1 and isinstance(v.args[1], ir.Lit) else 0
            assert isinstance(digits, int)  # the checker builds round's digits as an integer
            return f"{args[0]} rounded to " + ("a whole number" if digits == 0 else
                                             f"{digits} decimal" + ("s" if digits > 1 else ""))
        if name == "coalesce":
            return args[0] + "".join(f" (or {a} when that is missing)" for a in args[1:])
        return f"{name}({', '.join(args)})"  # a function added without a phrase reads as written

    # ---- relations ----
    def filter_parts(self, relation: str, flt: ir.Cond | None,
                     event: str | None = None) -> tuple[str, str, str | None]:
        """(window, other conditions, event name) of an aggregate's row filter."""
        items = list(flt.items) if isinstance(flt, ir.And) else [flt] if flt is not None else []
        items = [c for c in items if not is_seen_rule(c)]  # the "now" rule goes without saying
        window, rest = "", []
        name: str | None = None
        rel = self.schema.relations.get(relation)
        i = 0
        while i < len(items):
            item = items[i]
            if (event and name is None and isinstance(item, ir.Cmp) and item.op == "="
                    and isinstance(item.left, ir.RelCol) and item.left.name == event
                    and isinstance(item.right, ir.Lit)):
                name = cast(str, item.right.value)  # the event column holds text
                i += 1
                continue
            after = items[i + 1] if i + 1 < len(items) else None
            if (not window and isinstance(item, ir.Cmp)
                    and isinstance(after, ir.Cmp) and item.left == after.left
                    and rel is not None and _column(item.left) == rel.time):
                found = self.window(item, after)
                if found:
                    window = " " + found
                    i += 2
                    continue
            rest.append(item)
            i += 1
        cond = None if not rest else rest[0] if len(rest) == 1 else ir.And(tuple(rest))
        if cond is None:
            return window, "", name
        text = self.inline(cond, relation)
        # a filter of several conditions in parentheses, so that none of them reads as a
        # condition on the customer next to it
        several = isinstance(cond, (ir.And, ir.Or)) or (isinstance(cond, ir.Not)
                                                        and isinstance(cond.item, (ir.And, ir.Or)))
        return window, (f"({text})" if several and " " in text else text), name

    def aggregate(self, agg: ir.Agg) -> str:
        window, rest, _ = self.filter_parts(agg.relation, agg.filter)
        rows = agg.relation + window + (f" {rest}" if rest else "")
        col = label(agg.column.name) if agg.column is not None else ""
        temporal = agg.column is not None and agg.column.type.kind in ("date", "timestamp")
        fn = agg.function
        if fn == "count":
            return f"number of {rows}"
        if fn == "count_distinct":
            return f"number of different {col} values of {rows}"
        if fn in ("count_days", "count_weeks", "count_months"):  # lifecycle counts
            counted = {"count_days": "different days", "count_weeks": "weeks (counted back from today)",
                       "count_months": "months (counted back from today)"}[fn]
            return f"number of {counted} with {rows}"
        if fn in ("sum", "avg"):
            return f"{'total' if fn == 'sum' else 'average'} {col} of {rows}"
        rel = self.schema.relations.get(agg.relation)
        if (fn in ("min", "max") and temporal and rel is not None and agg.column is not None
                and agg.column.name == rel.time):
            return f"date of the {'earliest' if fn == 'min' else 'latest'} of their {rows}"
        if fn in ("min", "max"):
            word = {("min", True): "earliest", ("max", True): "latest",
                    ("min", False): "smallest", ("max", False): "largest"}[(fn, temporal)]
            return f"{word} {col} of {rows}"
        return f"{col} of the {'earliest' if fn == 'first' else 'latest'} of their {rows}"

    def rows(self, c: ir.Cmp, scope: Scope, negated: bool) -> str | None:
        """`has R ...` and `did "E" ...` read as such, or None for another comparison."""
        agg = c.left
        if not (isinstance(agg, ir.Agg) and agg.function == "count" and isinstance(c.right, ir.Lit)
                and isinstance(c.right.value, int) and scope is None):
            return None
        rel = self.schema.relations.get(agg.relation)
        n = c.right.value
        window, rest, name = self.filter_parts(agg.relation, agg.filter, rel.event if rel else None)
        if rest:  # the clause ends with the filter's words (see Clause.filtered)
            self.filtered += 1
        if name is not None:
            only = f", counting only {agg.relation} {rest}" if rest else ""
            return f"who {self.did_count(c.op, n, negated, repr_event(name), window)}{only}"
        if (c.op, n) in ((">", 0), (">=", 1)):
            what = agg.relation + window + (f" {rest}" if rest else "")
            return f"who have no {what}" if negated else f"who have {what}"
        return None

    @staticmethod
    def did_count(op: str, n: int, negated: bool, event: str, window: str) -> str:
        if negated:  # not (count op n)
            op, n = {">=": ("<", n), "<=": (">", n), "=": ("!=", n)}[op]
        if op == ">=" and n <= 1:
            return f"did {event}{window}"
        if op == "<" and n == 1:
            return f"did not do {event}{window}" if window else f"never did {event}"
        if op == "<":
            return f"did {event} fewer than {_times(n)}{window} (including never)"
        if op == ">":
            return f"did {event} more than {_times(n)}{window}"
        if op == "!=":
            return f"did not do {event} exactly {_times(n)}{window}"
        if op == "=" and n == 0:
            return f"never did {event}{window}"
        suffix = " (including never)" if op == "<=" else ""
        return f"did {event} {_DID_OPS[op]} {_times(n)}{window}{suffix}"

    def ranked(self, c: ir.Ranked) -> str:
        share = f"{c.percent.normalize():f}%" if c.percent is not None else str(c.limit)
        what = f"{c.direction} {share} of customers" if c.percent is not None else f"{c.direction} {share} customers"
        order = "highest first" if c.direction == "top" else "lowest first"
        if c.per is not None:
            group = self.value(c.per)
            return (f"who are among the {what} by {self.value(c.value)} of their group, the customers with "
                    f"the same {group} ({order}, ties by customer key; customers with no value or no "
                    f"{group} are never ranked)")
        return (f"who are among the {what} by {self.value(c.value)} ({order}, ties by customer "
                "key; customers with no value are never ranked)")


def repr_event(name: str) -> str:
    return '"' + name.replace('"', '\\"') + '"'


def _column(value: object) -> str | None:
    inner = value.value if isinstance(value, ir.LocalDate) else value
    return inner.name if isinstance(inner, ir.RelCol) else None
