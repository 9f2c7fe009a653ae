"""Random, schema-typed segdsl programs, generated as TEXT so that the parser and the checker
are exercised along with the SQL lowering.

`Program(draw, pool, as_of)` draws expressions of a requested kind over the acme schema:
values (`num`, `text`, `date`, `ts`, `boolean`) and conditions (`cond`, and `rcond` inside a
relation's filter). Options are listed simplest first, so that hypothesis shrinks towards
small, readable segments. Every generated text must type-check: a checker error on it is a
bug of the generator or of the checker, and the harness reports it as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.differential import known_bugs
from tests.differential.data import ENUMS, EDGE_OFFSETS, SNAPSHOT_NAMES

ENTITY_TEXT = {"city": None, "email": None, "gender": ENUMS["gender"], "region": ENUMS["region"],
               "plan": ENUMS["plan"], "phone": None, "country": None, "state": None}
LISTS = {"interests": None, "devices": ENUMS["devices"], "apps": ("ios_app", "android_app", "web_app")}
RELATIONS = {
    "orders": {"int": ["order_id"], "num": ["amount"], "ts": ["ordered_at"],
               "text": {"status": ENUMS["status"], "channel": ENUMS["channel"]}},
    "events": {"int": [], "num": [], "ts": ["occurred_at"], "text": {"name": ENUMS["name"], "city": None}},
}
UNITS = ["days", "day", "weeks", "months", "years", "month", "week", "year"]
WINDOW_N = [1, 2, 3, 7, 14, 30, 31, 90, 365]
# calendar periods (`in last month`); the fiscal ones only in a project with fiscal_year_start
PERIODS = ["week", "month", "quarter", "year"]
FISCAL_PERIODS = ["fiscal_quarter", "fiscal_year"]
SEQUENCE_WAITS = ["1 day", "1 minute", "12 hours", "2 days", "1 week", "24 hours", "1439 minutes", "30 days", "1 hour"]
# The largest numbers the checker accepts (segdsl/check/typed.py): windows of 100 years in
# each unit, 64-bit counts and `top N`, 32-bit bucket numbers, 6 decimals of a percentage.
WINDOW_MAX = {"day": 36525, "week": 5218, "month": 1200, "year": 100}
INT64_MAX = 2**63 - 1
BUCKETS_MAX = 2**31 - 1
# Literals that meet the generated data (tests/differential/data.py) so comparisons select
# someone: ages, counts, amounts, incomes, day counts.
INT_LITS = ["0", "1", "2", "3", "18", "100", "1000", "50000", "35", "17", "20", "30", "90", "2024", "6",
            "40", "7", "10", "500"]
DEC_LITS = ["0.5", "2.5", "99.5", "99.75", "100.25", "50000.5", "0.25", "1.125", "19.75", "49999.75", "100000.5"]


@dataclass(frozen=True)
class V:
    """A generated expression: its text, kind (int num text bool date ts list cond) and, for
    text, the enumeration its literals must come from."""

    text: str
    kind: str
    enum: tuple | None = None
    atomic: bool = True  # safe as an operand of and/or/not/arithmetic without parentheses
    predicate: bool = True  # one predicate: may follow `where` of `has`/`did` unparenthesized


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def paren(v: V) -> str:
    return v.text if v.atomic else f"({v.text})"


def filter_text(v: V) -> str:
    """The filter after `has R where` / `did "E" where`: one predicate, else parenthesized."""
    return v.text if v.atomic and v.predicate else f"({v.text})"


class Program:
    def __init__(self, draw, pool: list[str], as_of: dt.date, days: list[dt.date]):
        self.draw, self.pool, self.as_of, self.days = draw, pool, as_of, days
        self.traits: list[tuple[str, V]] = []  # name -> kind of its value
        self.scores: list[tuple[str, str]] = []
        self.segments: list[str] = []
        self.fiscal = False  # the project sets fiscal_year_start: fiscal periods check

    # ---- drawing helpers ----
    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, n: int) -> bool:
        """True with probability 1/n (shrinks to False)."""
        return self.draw(st.integers(0, n - 1)) == n - 1

    def branch(self, d: int, leaves: list, compound: list):
        options = leaves + (compound if d > 0 else [])
        return self.pick(options)()

    # ---- literals ----
    def num_lit(self) -> V:
        text = self.pick(INT_LITS + DEC_LITS)
        if self.chance(6):
            text = "-" + text
        return V(text, "num" if "." in text else "int")

    def str_lit(self, enum) -> str:
        if enum:
            return quote(self.pick(list(enum)))
        return quote(self.pick(self.pool + ["hiking", "Boston", "a"]))

    def date_lit(self) -> str:
        if self.chance(4):
            return (self.as_of + dt.timedelta(days=self.pick(EDGE_OFFSETS))).isoformat()
        return self.pick(self.days).isoformat()  # the days of the data: `on`, `=`, `in` match

    def rdate(self, customer: bool = True) -> str:
        """A date usable inside a relation's filter: also the customer's own dates as
        `customer.x` (`customer`: not where a date fixed for the whole query is needed)."""
        fixed = [self.date_lit(), "today", self.duration([1, 7, 30, 90]) + " ago"]
        if not customer:
            return self.pick(fixed)
        own = f"customer.{self.pick(['signup_date', 'renewal_date'])}"
        return self.pick(fixed + [own, f"{own} {self.pick(['+', '-'])} {self.duration([1, 30])}"])

    def duration(self, amounts) -> str:
        """`N unit`, now and then the longest the checker accepts in that unit."""
        unit = self.pick(UNITS)
        longest = WINDOW_MAX[unit.rstrip("s")]
        n = longest if self.chance(8) else min(self.pick(amounts), longest)
        return f"{n} {unit}"

    def window(self) -> str:
        if self.chance(4):
            periods = PERIODS + (FISCAL_PERIODS if self.fiscal else [])
            return f"in {self.pick(['this', 'last', 'next'])} {self.pick(periods)}"
        return f"in {self.pick(['last', 'next'])} {self.duration(WINDOW_N)}"

    def per(self) -> str:
        """Now and then ` per FIELD` after a ranking: a customer field or trait with one
        value per customer that is not a fractional number (a trait may itself rank)."""
        if not self.chance(3):
            return ""
        fields = ["region", "plan", "is_subscribed", "age", "signup_date", "gender", "city"]
        fields += [n for n, v in self.traits if v.kind in ("int", "text", "bool", "date", "ts")]
        return " per " + self.pick(fields)

    def trait_of(self, kinds) -> list[V]:
        return [V(n, v.kind, v.enum) for n, v in self.traits if v.kind in kinds]

    # ---- values on the entity ----
    def num(self, d: int) -> V:
        leaves = [lambda: V("age", "int"), self.num_lit, lambda: V("income", "num"), lambda: self.agg(d, ("int", "num")),
                  lambda: V("customer_id", "int")]  # the key: also read next to rankings
        leaves += [lambda v=v: v for v in self.trait_of(("int", "num"))]
        leaves += [lambda n=n, k=k: V(n, k) for n, k in self.scores]
        compound = [lambda: self.arith(self.num, d), lambda: self.neg(self.num(d - 1)),
                    lambda: self.call1("abs", self.num(d - 1)), lambda: self.round_(self.num(d - 1)),
                    lambda: self.coalesce(self.num, d), lambda: V(f"days_since({self.date_or_ts(d - 1).text})", "int"),
                    lambda: V(f"{self.pick(['year', 'month', 'weekday'])}({self.date_or_ts(d - 1).text})", "int"),
                    lambda: V(f"years_since({self.date_or_ts(d - 1).text})", "int"),
                    lambda: V(f"days_between({self.date_or_ts(d - 1).text}, {self.date_or_ts(d - 1).text})", "int"),
                    lambda: V(f"percentile({self.orderable(d - 1).text}{self.per()})", "num"),
                    lambda: V(f"bucket({self.orderable(d - 1).text}, {self.pick([1, 2, 3, 4, 5, BUCKETS_MAX])}"
                              f"{self.per()})", "int")]
        return self.branch(d, leaves, compound)

    def arith(self, make, d: int) -> V:
        a, b = make(d - 1), make(d - 1)
        op = self.pick(["+", "-", "*", "/"])
        kind = "int" if a.kind == b.kind == "int" and op != "/" else "num"
        return V(f"{paren(a)} {op} {paren(b)}", kind, atomic=False)

    def neg(self, v: V) -> V:
        return V(f"-{v.text}" if v.atomic and not v.text.startswith("-") else f"-({v.text})", v.kind)

    def call1(self, fn: str, v: V) -> V:
        return V(f"{fn}({v.text})", v.kind)

    def round_(self, v: V) -> V:
        digits = f", {self.pick([0, 1, 2, 9])}" if self.chance(2) else ""
        return V(f"round({v.text}{digits})", "num")

    def coalesce(self, make, d) -> V:
        a, b = make(d - 1), make(d - 1)
        kinds = {a.kind, b.kind}
        kind = "num" if kinds == {"int", "num"} else ("date" if kinds == {"date", "ts"} else a.kind)
        return V(f"coalesce({a.text}, {b.text})", kind)

    def text(self, d: int) -> V:
        leaves = [lambda f=f, e=e: V(f, "text", tuple(e) if e else None) for f, e in ENTITY_TEXT.items()]
        leaves += [lambda: self.agg(d, ("text",))]
        leaves += [lambda v=v: v for v in self.trait_of(("text",))]
        compound = [lambda: V(f"{self.pick(['lower', 'upper'])}({self.text(d - 1).text})", "text"),
                    lambda: V(f"coalesce({self.text(d - 1).text}, {self.str_lit(None)})", "text")]
        return self.branch(d, leaves, compound)

    def date(self, d: int) -> V:
        leaves = [lambda: V("signup_date", "date"), lambda: V("renewal_date", "date"), lambda: V(self.date_lit(), "date"),
                  lambda: V("today", "date"), lambda: V(self.duration([1, 7, 30, 90, 365, 4]) + " ago", "date")]
        leaves += [lambda v=v: v for v in self.trait_of(("date",))]
        return self.branch(d, leaves, [lambda: self.coalesce(self.date_or_ts, d), lambda: self.moved(d)])

    def moved(self, d: int) -> V:
        """`d + N units` / `d - N units` (a timestamp moves by its local date)."""
        base = self.date_or_ts(d - 1)
        return V(f"{paren(base)} {self.pick(['+', '-'])} {self.duration([1, 7, 30, 365, 4])}", "date", atomic=False)

    def ts(self, d: int) -> V:
        leaves = [lambda: self.agg(d, ("ts",))] + [lambda v=v: v for v in self.trait_of(("ts",))]
        return self.branch(d, leaves, [lambda: self.coalesce(self.ts, d)])

    def date_or_ts(self, d: int) -> V:
        return self.date(d) if self.chance(2) else self.ts(d)

    def orderable(self, d: int) -> V:
        return self.pick([self.num, self.num, self.date, self.ts])(d)

    def boolean(self, d: int, as_value: bool = False) -> V:
        """A true/false field or trait. `as_value`: it will be compared (`= true`, `in [...]`),
        which a condition trait cannot be while known_bugs' cond_value bug is open."""
        kinds = ("bool",) if as_value and known_bugs.is_open("cond_value_without_parentheses") else ("bool", "cond")
        options = [lambda: V("is_subscribed", "bool")] + [lambda v=v: v for v in self.trait_of(kinds)]
        return self.pick(options)()

    def scalar(self, d: int, as_value: bool = False) -> V:
        return self.pick([self.num, self.text, self.date, self.ts, lambda d: self.boolean(d, as_value)])(d)

    # ---- relations ----
    def agg(self, d: int, kinds) -> V:
        rel = self.pick(list(RELATIONS))
        cols = RELATIONS[rel]
        options = []
        if "int" in kinds:
            options += [("count", None, "int"), ("count_distinct", self.pick(cols["ts"] + list(cols["text"])), "int")]
            options += [(f, c, "int") for f in ("sum", "min", "max", "first", "last") for c in cols["int"]]
            options += [("count", self.pick(cols["ts"] + list(cols["text"])), "int")]
        if "num" in kinds:
            options += [(f, c, "num") for f in ("sum", "avg", "min", "max", "first", "last") for c in cols["num"]]
            options += [("avg", c, "num") for c in cols["int"]]
        if "ts" in kinds:
            options += [(f, c, "ts") for f in ("max", "min", "first", "last") for c in cols["ts"]]
        if "text" in kinds:
            options += [(f, c, "text") for f in ("first", "last") for c in cols["text"]]
        if not options:  # events has no number column: count it instead
            return V(f"count({rel})", "int")
        fn, col, kind = self.pick(options)
        inner = rel + (f".{col}" if col else "")
        if self.chance(2):
            inner += " " + self.window()
        if self.chance(2):
            inner += f" where {self.rcond(rel, max(d - 1, 0)).text}"  # runs to the ')'
        enum = cols["text"].get(col) if kind == "text" else None
        return V(f"{fn}({inner})", kind, tuple(enum) if enum else None)

    def rvalue(self, rel: str, kind: str, d: int) -> V:
        cols = RELATIONS[rel]
        if kind == "num":
            leaves = [lambda c=c: V(c, "num") for c in cols["num"]] + [lambda c=c: V(c, "int") for c in cols["int"]]
            leaves.append(self.num_lit)
            compound = [lambda: V(f"abs({self.rvalue(rel, 'num', d - 1).text})", "num"),
                        lambda: V(f"days_since({self.pick(cols['ts'])})", "int"),
                        lambda: V(f"{self.pick(['weekday', 'hour'])}({self.pick(cols['ts'])})", "int"),
                        lambda: V(f"{paren(self.rvalue(rel, 'num', d - 1))} {self.pick(['+', '*', '/'])} {self.num_lit().text}",
                                  "num", atomic=False)]
            return self.branch(d, leaves, compound)
        if kind == "text":
            col = self.pick(list(cols["text"]))
            e = cols["text"][col]
            if d > 0 and self.chance(4):
                return V(f"lower({col})", "text")
            return V(col, "text", tuple(e) if e else None)
        return V(self.pick(cols["ts"]), "ts")

    def rcond(self, rel: str, d: int) -> V:
        """A condition on one row of `rel` (the filter of an aggregate, `has` or `did`)."""
        def cmp_num():
            return self.compare(self.rvalue(rel, "num", d), self.rvalue(rel, "num", 0), ["=", "!=", "<", "<=", ">", ">="])

        def cmp_text():
            return self.text_test(self.rvalue(rel, "text", d))

        def cmp_time():
            t = self.rvalue(rel, "ts", d)
            if self.chance(3):
                return V(f"{t.text} {self.window()}", "cond")
            return V(f"{t.text} {self.pick(['before', 'after', 'on', '>=', '<', '='])} {self.rdate()}", "cond")

        def is_set():
            v = self.rvalue(rel, self.pick(["num", "text", "ts"]), 0)
            return V(f"{v.text} is {self.pick(['', 'not '])}set", "cond")

        leaves = [cmp_text, cmp_time, is_set] + ([cmp_num] if RELATIONS[rel]["num"] or RELATIONS[rel]["int"] else [])
        return self.branch(d, leaves, [lambda: self.logic(lambda: self.rcond(rel, d - 1))])

    # ---- conditions on the entity ----
    def compare(self, a: V, b: V, ops) -> V:
        return V(f"{a.text} {self.pick(ops)} {b.text}", "cond")

    def text_test(self, v: V) -> V:
        how = self.pick(["=", "!=", "in", "not in", "contains", "starts with", "ends with"])
        if how in ("=", "!="):
            return V(f"{v.text} {how} {self.str_lit(v.enum)}", "cond")
        if how in ("in", "not in"):
            items = ", ".join(self.str_lit(v.enum) for _ in range(self.pick([1, 2, 3])))
            return V(f"{v.text} {how} [{items}]", "cond")
        return V(f"{v.text} {how} {self.str_lit(None)}", "cond")

    def cond(self, d: int) -> V:
        def num_cmp():
            a = self.num(d)
            b = self.num_lit() if self.chance(2) or d == 0 else self.num(d - 1)
            return self.compare(a, b, ["=", "!=", "<", "<=", ">", ">="])

        def num_between():
            lo, hi = sorted([self.num_lit(), self.num_lit()], key=lambda v: float(v.text))
            return V(f"{self.num(d).text} between {lo.text} and {hi.text}", "cond")

        def num_in():
            items = ", ".join(self.num_lit().text for _ in range(self.pick([1, 2, 3])))
            return V(f"{self.num(d).text} {self.pick(['in', 'not in'])} [{items}]", "cond")

        def date_cmp():
            a = self.date_or_ts(d)
            b = self.date_or_ts(max(d - 1, 0)) if self.chance(3) else self.date(0)
            return self.compare(a, b, ["before", "after", "on", "=", "!=", "<", "<=", ">", ">="])

        def date_window():
            return V(f"{self.date_or_ts(d).text} {self.window()}", "cond")

        def anniversary():
            period = "today" if self.chance(4) else self.window()
            return V(f"{self.date_or_ts(d).text} anniversary {period}", "cond")

        def date_between():
            if self.chance(2):  # relative ends, in any order (`between 30 days ago and today`)
                lo, hi = self.date(0).text, self.date(0).text
            else:
                lo, hi = sorted([self.date_lit(), self.date_lit()])
            return V(f"{self.date_or_ts(d).text} between {lo} and {hi}", "cond")

        def date_in():
            items = ", ".join(self.date_lit() for _ in range(self.pick([1, 2])))
            return V(f"{self.date_or_ts(d).text} {self.pick(['in', 'not in'])} [{items}]", "cond")

        def is_set():
            v = self.scalar(d)
            return V(f"{v.text} is {self.pick(['', 'not '])}set", "cond")

        def list_is_set():  # a missing list and an empty list both have no elements
            return V(f"{self.pick(list(LISTS))} is {self.pick(['', 'not '])}set", "cond")

        def list_has():
            name = self.pick(list(LISTS))
            lit = lambda: self.str_lit(LISTS[name])  # noqa: E731  (apps: not an enum, same values as the data)
            if self.chance(2):
                return V(f"{name} has {lit()}", "cond")
            items = ", ".join(lit() for _ in range(self.pick([1, 2, 3])))
            return V(f"{name} has {self.pick(['any', 'all', 'none'])} [{items}]", "cond")

        def has_rows():
            rel = self.pick(list(RELATIONS))
            text = f"has {self.pick(['', 'no '])}{rel}"
            if self.chance(2):
                text += " " + self.window()
            if self.chance(2):
                text += f" where {filter_text(self.rcond(rel, max(d - 1, 0)))}"
            return V(text, "cond")

        def did():
            text = f"did {quote(self.pick(ENUMS['name']))}"
            if self.chance(2):
                how = self.pick(["at least", "at most", "exactly"])
                n = self.pick([0, 1, 2, 3, INT64_MAX])
                text += f" {how} {n} {self.pick(['times', 'time'])}"
            if self.chance(2):
                text += " " + self.window()
            if self.chance(2):
                text += f" where {filter_text(self.rcond('events', max(d - 1, 0)))}"
            return V(text, "cond")

        def lifecycle():
            if self.chance(2):
                rel = self.pick(list(RELATIONS))
                head = f"has {rel}"
            else:
                rel, head = "events", f"did {quote(self.pick(ENUMS['name']))}"
            where = f" where {filter_text(self.rcond(rel, max(d - 1, 0)))}" if self.chance(2) else ""
            how = self.pick(["at least", "at most", "exactly"])
            form = self.pick(["first", "last", "but not", "gap", "days", "periods"])
            if form in ("first", "last"):
                return V(f"{form} {head} {self.window()}{where}", "cond")
            if form == "but not":
                return V(f"{head}{where} but not {self.window()}", "cond")
            if form == "gap":
                gap = f"{self.pick([1, 2, 7, 30])} {self.pick(UNITS)}"
                return V(f"{head} in last {self.duration(WINDOW_N)} after a gap of {gap}{where}", "cond")
            if form == "days":
                window = " " + self.window() if self.chance(3) else ""
                return V(f"{head} on {how} {self.pick([0, 1, 2, 3])} days{window}{where}", "cond")
            p = self.pick([1, 2, 3, 4, 13, 104])
            k = self.pick([1, 2, p]) if p > 1 else 1
            return V(f"{head} in {how} {min(k, p)} of last {p} {self.pick(['weeks', 'months', 'week', 'month'])}{where}",
                     "cond")

        def sequence():
            # `did "A" [window] [where F] then [not] "B" [where G] [with same city] [within D]`,
            # waits that meet the data's wall clocks (00:00:00, 00:00:01, 12:00, 23:59:59)
            text = f"did {quote(self.pick(ENUMS['name']))}"
            if self.chance(2):
                text += " " + self.window()
            if self.chance(3):
                text += f" where {filter_text(self.rcond('events', 0))}"
            steps = self.pick([1, 2])
            for i in range(steps):
                negated = i == steps - 1 and self.chance(2)
                text += f" then {'not ' if negated else ''}{quote(self.pick(ENUMS['name']))}"
                if self.chance(3):
                    text += f" where {filter_text(self.rcond('events', 0))}"
                if self.chance(4):
                    text += " with same city"
                if not self.chance(4):
                    text += " within " + self.pick(SEQUENCE_WAITS)
            return V(text, "cond", predicate=False)

        def rank():
            amount = self.pick(["3", "1", "0", "10%", "50%", "2.5%", "100%", "0%", "33.3%", "20",
                                str(INT64_MAX), "99.999999%", "0.000001%"])
            by = self.orderable(max(d - 1, 0)).text
            return V(f"{self.pick(['top', 'bottom'])} {amount} by {by}{self.per()}", "cond")

        def bool_test():
            if self.chance(2):
                return self.boolean(d)
            if self.chance(3) and not known_bugs.is_open("cond_value_without_parentheses"):
                b = V(f"({self.cond(max(d - 1, 0)).text})", "cond")  # a condition used as a value
            else:
                b = self.boolean(d, as_value=True)
            return self.pick([V(f"{b.text} = {self.pick(['true', 'false'])}", "cond"), V(f"{b.text} != true", "cond")])

        def in_snapshot():
            at = f" at {self.rdate(customer=False)}" if self.chance(2) else ""
            return V(f"{self.pick(['', 'not '])}in snapshot {self.pick(SNAPSHOT_NAMES)}{at}", "cond")

        def in_segment():
            return V(f"{self.pick(['', 'not '])}in segment {self.pick(self.segments)}", "cond")

        leaves = [num_cmp, lambda: self.text_test(self.text(d)), date_cmp, date_window, anniversary, is_set, list_has, list_is_set, has_rows,
                  did, lifecycle, sequence, bool_test, num_between, num_in, date_between, date_in, rank, in_snapshot,
                  lambda: V(self.pick(["true", "false"]), "cond")]
        if self.segments:
            leaves.append(in_segment)
        return self.branch(d, leaves, [lambda: self.logic(lambda: self.cond(d - 1))])

    def logic(self, make) -> V:
        how = self.pick(["and", "or", "not", "()"])
        if how == "not":
            return V(f"not {paren(make())}", "cond", predicate=False)
        if how == "()":
            return V(f"({make().text})", "cond")
        items = [make() for _ in range(self.pick([2, 3]))]
        return V(f" {how} ".join(paren(i) for i in items), "cond", atomic=False)
