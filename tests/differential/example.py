"""One differential example: a project (the acme schema with a time zone + one generated .seg
file), fixture data and an as-of date, plus the metamorphic relations its segments must obey.

Serialised as a regular corpus case (tests/cases/regressions/<name>/): segdsl.toml, case.seg,
data.json (dates and timestamps as ISO text, which the engine harness and the reference
evaluator both read) and expected.json (as-of date and members per segment).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from tests.differential.data import AS_OF_DATES, ENUMS, TIMEZONES, day_pool, tables, text_pool
from tests.differential.program import WINDOW_N, Program, V, quote

ROOT = Path(__file__).resolve().parents[2]
# The schema of the example project without its [project] table: a generated example sets
# its own time zone, and the example project's warehouse and day are not the example's.
ACME_TOML = re.sub(r"(?ms)^\[project\]\n.*?(?=^\[|\Z)", "",
                   (ROOT / "examples" / "segdsl.toml").read_text(encoding="utf-8"))


@dataclass
class Example:
    timezone: str
    as_of: dt.date
    source: str
    tables: dict
    # ("partition", S, not_S) | ("equal", A, B): checked on the reference and every engine
    relations: list = field(default_factory=list)
    # calendar settings of [project] (one TOML line each), from CALENDARS
    calendar: str = ""

    def toml(self) -> str:
        return f'[project]\ntimezone = "{self.timezone}"\n{self.calendar}\n{ACME_TOML}'

    def write(self, folder: Path, members: dict | None = None, open_bug: str | None = None) -> Path:
        """The four files of a corpus case (one JSON row / segment per line, to review by eye).
        `open_bug`: a tests/differential/known_bugs.py name; while it reproduces, the engine
        tests of the case are expected to fail (xfail) instead of failing the run."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "segdsl.toml").write_text(self.toml(), encoding="utf-8")
        (folder / "case.seg").write_text(self.source, encoding="utf-8")
        tables = [f" {json.dumps(t)}: [" + ",".join(
            "\n  " + json.dumps(r, default=_iso, ensure_ascii=False) for r in rows) + ("\n ]" if rows else "]")
            for t, rows in self.tables.items()]
        (folder / "data.json").write_text("{\n" + ",\n".join(tables) + "\n}\n", encoding="utf-8")
        if members is not None:
            head = {"as_of": self.as_of.isoformat(), "open_bug": open_bug, "relations": [list(r) for r in self.relations]}
            lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items() if v is not None]
            lines += [' "members": {', ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in members.items()), " }"]
            (folder / "expected.json").write_text("{\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")
        return folder


# where weeks and fiscal years start: the default, Sunday weeks, two fiscal years
CALENDARS = ["", 'week_start = "sunday"\n', "fiscal_year_start = 4\n",
             'week_start = "sunday"\nfiscal_year_start = 11\n']


def _calendar_lines(project: dict) -> str:
    return "".join(f"{k} = {json.dumps(project[k])}\n" for k in ("week_start", "fiscal_year_start") if k in project)


def _iso(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    raise TypeError(repr(v))


def read_case(folder: Path) -> tuple[Example, dict]:
    """A saved case: the example (time zone read back from its toml) and the parsed
    expected.json (`members`, `open_bug`)."""
    import tomllib

    toml = tomllib.loads((folder / "segdsl.toml").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    ex = Example(toml.get("project", {}).get("timezone", "UTC"), dt.date.fromisoformat(expected["as_of"]),
                 (folder / "case.seg").read_text(encoding="utf-8"),
                 json.loads((folder / "data.json").read_text(encoding="utf-8")),
                 [tuple(r) for r in expected.get("relations", [])], _calendar_lines(toml.get("project", {})))
    return ex, expected


def _definition_line(prog: Program, i: int, cond: V, block: bool) -> str:
    name = f"s{i}"
    if not block:
        return f"segment {name} where {cond.text}"
    return (f"segment {name} {quote(prog.pick(prog.pool))} {{\n"
            f"  description: {quote('generated')}\n  tags: [fuzz, {quote('a b')}]\n"
            f"  where {cond.text}\n}}")


def _parameterised(prog: Program, relations: list) -> list[str]:
    """A parameterised segment and one argument list of it, equal to its body with the
    arguments written in by hand (substitution on the IR = substitution on the text)."""
    body = prog.cond(prog.pick([0, 1]))
    region, region2 = prog.pick(list(ENUMS["region"])), prog.pick(list(ENUMS["region"]))
    x, n = prog.num_lit().text, prog.duration(WINDOW_N)
    b = prog.pick(["true", "false"])

    def shape(x: str, r: str, n: str, b: str) -> str:
        return f"({body.text}) or (income > {x} and region = {r}) or (signup_date in last {n} and is_subscribed = {b})"

    args = prog.pick([f"{x}", f'{x}, r: "{region2}"', f'x: {x}, n: {n}', f'{x}, "{region2}", {n}, {b}'])
    r2 = f'"{region2}"' if "r:" in args or args.count(",") == 3 else f'"{region}"'
    n2 = n if "n:" in args or args.count(",") == 3 else "30 days"
    b2 = b if args.count(",") == 3 else "true"
    relations.append(("equal", "pi0", "pe0"))
    return [f'segment p0(x: number, r: region = "{region}", n: duration = 30 days, b: boolean = true) '
            f"where {shape('x', 'r', 'n', 'b')}",
            f"segment pi0 where in segment p0({args})",
            f"segment pe0 where {shape(x, r2, n2, b2)}"]


@st.composite
def examples(draw, max_segments: int = 4, timezone: str | None = None, as_of: dt.date | None = None):
    """`timezone`, `as_of`: fixed instead of drawn (the warehouse-clock test uses today)."""
    timezone = timezone or draw(st.sampled_from(TIMEZONES))
    as_of = as_of or draw(st.sampled_from(AS_OF_DATES))
    pool = draw(text_pool())
    days = draw(day_pool(as_of))
    calendar = draw(st.sampled_from(CALENDARS))
    prog = Program(draw, pool, as_of, days)
    prog.fiscal = "fiscal_year_start" in calendar
    lines: list[str] = []

    for i in range(draw(st.integers(0, 2))):
        kind = prog.pick(["num", "cond", "text", "date", "ts"])
        make = {"num": prog.num, "cond": prog.cond, "text": prog.text, "date": prog.date, "ts": prog.ts}[kind]
        v = make(prog.pick([0, 1]))
        lines.append(f"trait t{i} = {v.text}")
        prog.traits.append((f"t{i}", v))
    if prog.chance(2):
        rules, kind = [], "int"
        for _ in range(prog.pick([1, 2, 3])):
            points = prog.pick(["10", "20", "5", "2.5", "0.25"])
            kind = "num" if "." in points else kind
            rules.append(f"  {prog.pick(['+', '-'])}{points} when {prog.cond(prog.pick([0, 1])).text}")
        lines.append("score sc0 {\n" + "\n".join(rules) + "\n}")
        prog.scores.append(("sc0", kind))
    family_rules: list[str] = []
    if prog.chance(3):  # a family: its members are segments, the family a text trait
        family_rules = [prog.cond(prog.pick([0, 1])).text for _ in range(prog.pick([1, 2, 3]))]
        members = [f"m{i}" for i in range(len(family_rules))] + (["rest"] if prog.chance(2) else [])
        body = "".join(f"  m{i} where {r}\n" for i, r in enumerate(family_rules))
        lines.append("family f0 {\n" + body + ("  else rest\n" if "rest" in members else "") + "}")
        prog.traits.append(("f0", V("f0", "text", tuple(members))))

    conds: list[V] = []
    for i in range(draw(st.integers(1, max_segments))):
        c = prog.cond(prog.pick([0, 1, 2]))
        lines.append(_definition_line(prog, i, c, block=prog.chance(5)))
        prog.segments.append(f"s{i}")
        conds.append(c)

    # Metamorphic companions, written in the language so that both sides are compiled.
    relations = []
    if prog.chance(3):
        lines += _parameterised(prog, relations)
    for i, c in enumerate(conds):
        negated = f"not ({c.text})" if prog.chance(2) else f"not in segment s{i}"
        lines.append(f"segment n{i} where {negated}")
        relations.append(("partition", f"s{i}", f"n{i}"))
    if len(conds) >= 2:  # De Morgan: not (A and B) = not A or not B
        a, b = conds[0].text, conds[1].text
        lines.append(f"segment dm_and where not (({a}) and ({b}))")
        lines.append(f"segment dm_or where not ({a}) or not ({b})")
        relations.append(("equal", "dm_and", "dm_or"))
    lines.append("segment ref0 where in segment s0")
    relations.append(("equal", "s0", "ref0"))
    # first match wins: member i = rule i and no earlier rule
    for i, rule in enumerate(family_rules):
        earlier = "".join(f" and not ({r})" for r in family_rules[:i])
        lines.append(f"segment fm{i} where ({rule}){earlier}")
        relations.append(("equal", f"f0.m{i}", f"fm{i}"))
    # x in [a, b] = x = a or x = b
    x = prog.scalar(prog.pick([0, 1]), as_value=True)
    lit = {"int": prog.num_lit, "num": prog.num_lit, "text": lambda: V(prog.str_lit(x.enum), "text"),
           "date": lambda: V(prog.date_lit(), "date"), "ts": lambda: V(prog.date_lit(), "date"),
           "bool": lambda: V(prog.pick(["true", "false"]), "bool"),
           "cond": lambda: V(prog.pick(["true", "false"]), "bool")}[x.kind]
    items = [lit().text, lit().text]
    lines.append(f"segment in_list where {x.text} in [{items[0]}, {items[1]}]")
    lines.append(f"segment in_or where {x.text} = {items[0]} or {x.text} = {items[1]}")
    relations.append(("equal", "in_list", "in_or"))

    data = draw(tables(days, timezone, pool))
    if prog.chance(2):  # drawn last: the examples drawn before splits existed stay the same
        lines += _splits(prog, relations)
    return Example(timezone, as_of, "\n".join(lines) + "\n", data, relations, calendar)


# Shares of the groups of a generated split (hundredths of a percent at the edges) and of a
# holdout.
SPLIT_SHARES = [["100"], ["50", "50"], ["10", "90"], ["33.33", "33.33", "33.34"], ["0.01", "99.99"],
                ["99.99", "0.01"], ["12.5", "0.5", "87"]]
HOLDOUT_SHARES = ["5", "50", "0.01", "100", "99.99"]


def _splits(prog: Program, relations: list) -> list[str]:
    """A split (maybe salted, maybe with a population) and a holdout, a segment per group,
    and the relations they obey: the groups cover the population, the holdout and its
    complement partition the customers."""
    shares = prog.pick(SPLIT_SHARES)
    groups = [f"g{i}" for i in range(len(shares))]
    salt = f" salt {quote(prog.pick(prog.pool))}" if prog.chance(2) else ""
    where = f" where {prog.cond(prog.pick([0, 1])).text}" if prog.chance(2) else ""
    body = "".join(f"  {g} {share}%\n" for g, share in zip(groups, shares))
    lines = [f"split sp0{salt}{where} {{\n{body}}}", f"holdout ho0 {prog.pick(HOLDOUT_SHARES)}%"]
    lines += [f"segment sp0_{g} where in segment sp0.{g}" for g in groups]
    lines.append("segment sp0_any where " + " or ".join(f"in segment sp0.{g}" for g in groups))
    lines.append("segment sp0_set where sp0 is set")
    relations.append(("equal", "sp0_any", "sp0_set"))
    lines.append(f'segment sp0_named where sp0 = "{prog.pick(groups)}" and not in segment ho0')
    lines.append("segment ho0_out where not in segment ho0")
    relations.append(("partition", "ho0", "ho0_out"))
    return lines
