"""IR -> English. Conditions become relative clauses ("whose region is ...", "who did ..."),
values noun phrases ("number of orders in the last 90 days"). Traits are named where the
IR holds a trait's own node, and defined in parentheses the first time they appear.

Missing values are spelled out where they change who is in: a negation includes customers
with no value ("... or who have no region"), a count or sum that 0 satisfies includes
customers without rows, ranking skips customers without a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, assert_never, cast

from segdsl import ir
from segdsl.check.warnings import can_be_missing
from segdsl.explain.dates import anniversary_phrase
from segdsl.explain.periods import period_text
from segdsl.explain.values import Scope, ValuePhrases, label, lit, shift_text
from segdsl.types import STRING

_NUMBER_OPS = {"=": "is", "<": "is less than", "<=": "is at most", ">": "is more than",
               ">=": "is at least"}
_DATE_OPS = {"=": "is on", "<": "is before", "<=": "is on or before", ">": "is after",
             ">=": "is on or after"}
_NEGATED_OPS = {"=": "is not", "<": "is not less than", "<=": "is not at most",
                ">": "is not more than", ">=": "is not at least"}
_TEXT = {"contains": "contains", "starts_with": "starts with", "ends_with": "ends with"}
_NOT_TEXT = {"contains": "does not contain", "starts_with": "does not start with",
             "ends_with": "does not end with"}


@dataclass
class Clause:
    kind: str  # leaf | all | any | none | not_all
    text: str = ""
    items: list["Clause"] = field(default_factory=list)
    filtered: bool = False  # a leaf that holds a relation's filter: never joined in one sentence

    def to_json(self) -> dict[str, Any]:
        if self.kind == "leaf":
            return {"kind": "condition", "text": self.text}
        return {"kind": self.kind, "items": [i.to_json() for i in self.items]}


class Phrases(ValuePhrases):
    def __init__(self, project: Any) -> None:
        resolved = project.resolved[0]
        self.schema = project.schema
        self.info = resolved.info
        self.traits: dict[int, str] = {}  # id(IR node) -> trait name
        for name, typed in resolved.traits.items():
            self.traits.setdefault(id(typed.node), name)
        self.explained: dict[str, str] = {}  # trait name -> definition, in order of mention

    # ---- conditions: a tree of clauses ----
    def clause(self, c: ir.Cond, scope: Scope = None) -> Clause:
        name = self.traits.get(id(c))
        if name is not None:  # a boolean trait used as a condition
            self.traits.pop(id(c))  # phrase its definition (once), then restore
            try:
                text = self.inline(c, scope)
            finally:
                self.traits[id(c)] = name
            return Clause("leaf", f"{text} (the trait `{name}`)")
        if isinstance(c, ir.And):
            items = self.pairs(c.items, scope)
            return items[0] if len(items) == 1 else Clause("all", items=items)
        if isinstance(c, ir.Or):
            lists = self.list_has(c, negated=False, scope=scope)
            if lists:
                return Clause("leaf", lists)
            return Clause("any", items=[self.clause(i, scope) for i in c.items])
        if isinstance(c, ir.Not) and isinstance(c.item, (ir.And, ir.Or)):
            lists = self.list_has(c.item, negated=True, scope=scope) if isinstance(c.item, ir.Or) else None
            if lists:
                return Clause("leaf", lists)
            conds = c.item.items
            if isinstance(c.item, ir.And) and len(conds) == 2:
                ranged = self.range_text(conds[0], conds[1], scope, negated=True)
                if ranged:
                    return Clause("leaf", ranged)
            inner = self.clause(c.item, scope)
            if inner.kind in ("all", "any"):
                return Clause("none" if inner.kind == "any" else "not_all", items=inner.items)
            return Clause("leaf", self.negated_text(c.item, scope))
        before = self.filtered
        text = self.negated_text(c.item, scope) if isinstance(c, ir.Not) else self.leaf(c, scope)
        return Clause("leaf", text, filtered=self.filtered > before)

    def pairs(self, items: tuple[ir.Cond, ...], scope: Scope) -> list[Clause]:
        """Items of an `and`; a window or a `between` (two comparisons on one value) reads as one."""
        out: list[Clause] = []
        i = 0
        while i < len(items):
            run = 1  # `has all [...]`: consecutive ListHas on one list
            while i + run < len(items) and _same_list(items[i], items[i + run]):
                run += 1
            if run > 1:
                lists = cast(tuple[ir.ListHas, ...], items[i:i + run])  # _same_list held for each
                names = ", ".join(lit(x.item) for x in lists)
                out.append(Clause("leaf", f"{self.whose(lists[0].value, scope)} include all of {names}"))
                i += run
                continue
            if i + 1 < len(items):
                joined = self.range_text(items[i], items[i + 1], scope)
                if joined:
                    out.append(Clause("leaf", joined))
                    i += 2
                    continue
            out.append(self.clause(items[i], scope))
            i += 1
        return out

    def range_text(self, a: ir.Cond, b: ir.Cond, scope: Scope, negated: bool = False) -> str | None:
        """A window or a `between` as one phrase; negated, with the customers (or rows)
        that have no value."""
        if not (isinstance(a, ir.Cmp) and isinstance(b, ir.Cmp) and a.left == b.left):
            return None
        what = self.window(a, b)
        if what is None and a.op == ">=" and b.op == "<=":
            what = f"between {self.value(a.right)} and {self.value(b.right)}"
        if what is None:
            return None
        subject = self.whose(a.left, scope)
        if not negated:
            return f"{subject} is {what}"
        return f"{subject} is not {what}" + self.missing_note(a.left, scope)

    def missing_note(self, value: ir.Value, scope: Scope) -> str:
        if not can_be_missing(value):
            return ""
        nobody = self.nobody(value, scope)
        # inside a relation's filter the rows without a value go in parentheses, so that the
        # comma does not read as the end of the filter
        return f" (or {nobody})" if scope else f", or {nobody}"

    @staticmethod
    def window(a: ir.Cmp, b: ir.Cmp) -> str | None:
        """`in the last 90 days` / `in the next 2 weeks` from the comparisons of a window."""
        today = ir.Today()
        if (a.op == ">" and b.op == "<=" and b.right == today and isinstance(a.right, ir.ShiftDate)
                and a.right.base == today and a.right.amount < 0):
            return f"in the last {shift_text(a.right.amount, a.right.unit)}"
        if (a.op == ">=" and b.op == "<" and a.right == today and isinstance(b.right, ir.ShiftDate)
                and b.right.base == today and b.right.amount > 0):
            return f"in the next {shift_text(b.right.amount, b.right.unit)}"
        if a.op == ">=" and b.op == "<=":
            return period_text(a.right, b.right)  # `in this month`, ...
        return None

    def inline(self, c: ir.Cond, scope: Scope) -> str:
        """A condition as one phrase (inside a filter)."""
        return self.flatten(self.clause(c, scope))

    def flatten(self, cl: Clause, nested: bool = False) -> str:
        if cl.kind == "leaf":
            return cl.text
        parts = [self.flatten(i, True) for i in cl.items]
        parts = [f"({p})" if i.kind != "leaf" else p for p, i in zip(parts, cl.items)]
        if cl.kind == "all":
            return " and ".join(parts)
        if cl.kind == "any":
            return ("either " if nested else "") + " or ".join(parts)
        if cl.kind == "none":
            return "none of: " + "; ".join(parts)
        return "not all of: " + "; ".join(parts)

    # ---- leaves ----
    def whose(self, value: ir.Value, scope: Scope) -> str:
        return f"whose {self.value(value)}"

    def nobody(self, value: ir.Value, scope: Scope) -> str:
        who = "that have" if scope else "who have"
        return f"{who} no {self.value(value)}"

    def leaf(self, c: ir.Cond, scope: Scope) -> str:
        match c:
            case ir.Cmp():
                special = self.rows(c, scope, negated=False) or self.flag(c, scope)
                if special:
                    return special
                ops = _DATE_OPS if _temporal(c.left) or _temporal(c.right) else _NUMBER_OPS
                op = "is" if c.op == "=" and isinstance(c.right, ir.Today) else ops[c.op]
                text = f"{self.whose(c.left, scope)} {op} {self.value(c.right)}"
                return text + self.zero_note(c)
            case ir.InSet():
                items = ", ".join(lit(i) for i in c.items)
                what = f"is {items}" if len(c.items) == 1 else f"is one of {items}"
                return f"{self.whose(c.value, scope)} {what}"
            case ir.IsSet():
                kind = getattr(getattr(c.value, "type", None), "kind", "")
                if kind == "list":
                    return f"{self.whose(c.value, scope)} list is not empty"
                return f"{'that have' if scope else 'who have'} a value for {self.value(c.value)}"
            case ir.Text():
                return f"{self.whose(c.value, scope)} {_TEXT[c.kind]} {lit(ir.Lit(c.pattern, STRING))} (ignoring case)"
            case ir.ListHas():
                return f"{self.whose(c.value, scope)} include {lit(c.item)}"
            case ir.Truthy():
                return self.truthy(c.value, scope, negated=False)
            case ir.Ranked():
                return self.ranked(c)
            case ir.SegmentRef():
                info = self.info.get(c.name)
                title = f' "{info.title}"' if info is not None and info.title else ""
                return f"who are in segment `{c.name}`{title}"
            case ir.InSnapshot():
                when = "" if c.at is None else f" taken on or before {self.value(c.at)}"
                return f"who are in the latest stored snapshot of segment `{c.name}`{when}"
            case ir.Sequence():
                from segdsl.explain.sequences import sequence_clause

                return sequence_clause(self, c)
            case ir.Const():
                return "everyone" if c.value else "nobody"
            case ir.Anniversary():
                return anniversary_phrase(c, self.whose(c.value, scope), self.value)
            case ir.And() | ir.Or() | ir.Not():
                return self.inline(c, scope)
            case _:
                assert_never(c)

    def truthy(self, value: ir.Value, scope: Scope, negated: bool) -> str:
        """A true/false field as a condition: `is_subscribed` reads "who are subscribed",
        `has_app` "who have app", other names "whose X is true"; negated, false or missing."""
        name = self.traits.get(id(value)) or (value.name if isinstance(value, (ir.Col, ir.RelCol)) else None)
        words = label(name).split(" ") if name else []
        who = "that" if scope else "who"
        if len(words) > 1 and words[0] in ("is", "has"):
            rest = " ".join(words[1:])
            verb = {("is", False): "are", ("is", True): "are not", ("has", False): "have",
                    ("has", True): "do not have"}[(words[0], negated)]
            return f"{who} {verb} {rest}" + (" (false or missing)" if negated else "")
        if negated:
            return f"{self.whose(value, scope)} is not true (false or missing)"
        return f"{self.whose(value, scope)} is true"

    def negated_text(self, c: ir.Cond, scope: Scope) -> str:
        """`not C` for a leaf C, with the customers (or rows) C is silent about."""
        if isinstance(c, ir.Cmp):
            special = self.rows(c, scope, negated=True)
            if special:
                return special
        if isinstance(c, ir.IsSet):
            return self.nobody(c.value, scope)
        if isinstance(c, ir.Const):
            return "nobody" if c.value else "everyone"
        subject = getattr(c, "value", None) if not isinstance(c, ir.Cmp) else c.left
        missing = "" if subject is None else self.missing_note(subject, scope)
        if isinstance(c, ir.Cmp):
            return f"{self.whose(c.left, scope)} {_NEGATED_OPS[c.op]} {self.value(c.right)}{missing}"
        if isinstance(c, ir.InSet):
            items = ", ".join(lit(i) for i in c.items)
            what = f"is not {items}" if len(c.items) == 1 else f"is none of {items}"
            return f"{self.whose(c.value, scope)} {what}{missing}"
        if isinstance(c, ir.Text):
            return (f"{self.whose(c.value, scope)} {_NOT_TEXT[c.kind]} "
                    f"{lit(ir.Lit(c.pattern, STRING))} (ignoring case){missing}")
        if isinstance(c, ir.ListHas):
            return f"{self.whose(c.value, scope)} do not include {lit(c.item)}{missing}"
        if isinstance(c, ir.Truthy):
            return self.truthy(c.value, scope, negated=True)
        if isinstance(c, ir.SegmentRef):
            return f"who are not in segment `{c.name}`"
        text = self.leaf(c, scope)
        if text.startswith("who are "):
            return "who are not " + text[len("who are "):]
        return "who do not meet this: " + text

    def flag(self, c: ir.Cmp, scope: Scope) -> str | None:
        """`(condition) = true` / `= false`: the condition itself, or its negation."""
        cond, other = (c.left, c.right) if isinstance(c.left, ir.CondValue) else (c.right, c.left)
        if not (c.op == "=" and isinstance(cond, ir.CondValue) and isinstance(other, ir.Lit)
                and isinstance(other.value, bool)):
            return None
        item = cond.cond if other.value else ir.Not(cond.cond)
        return self.inline(item, scope)

    def list_has(self, c: ir.Or, negated: bool, scope: Scope) -> str | None:
        """`has any [...]` / `has none [...]`: an `or` of ListHas on one list."""
        if not all(isinstance(i, ir.ListHas) for i in c.items):
            return None
        items = cast(tuple[ir.ListHas, ...], c.items)
        if not all(i.value == items[0].value for i in items):
            return None
        names = ", ".join(lit(i.item) for i in items)
        subject = self.whose(items[0].value, scope)
        if negated:
            nobody = self.nobody(items[0].value, scope)
            return f"{subject} include none of {names}" + (f" (or {nobody})" if scope else f", or {nobody}")
        return f"{subject} include any of {names}"

    def zero_note(self, c: ir.Cmp) -> str:
        """A count or sum compared so that 0 passes also takes customers without rows."""
        agg = c.left
        if not (isinstance(agg, ir.Agg) and agg.function in ("count", "count_distinct", "sum", "count_days",
                                                                 "count_weeks", "count_months")
                and isinstance(c.right, ir.Lit) and isinstance(c.right.value, (int, Decimal))):
            return ""
        n = c.right.value
        passes = {"=": 0 == n, "<": 0 < n, "<=": 0 <= n, ">": 0 > n, ">=": 0 >= n}[c.op]
        return f" (including customers with no {agg.relation})" if passes else ""


def _same_list(a: ir.Cond, b: ir.Cond) -> bool:
    """Both `has` conditions on the same list."""
    return isinstance(a, ir.ListHas) and isinstance(b, ir.ListHas) and b.value == a.value


def _temporal(v: object) -> bool:
    t = getattr(v, "type", None)
    return t is not None and t.kind in ("date", "timestamp")
