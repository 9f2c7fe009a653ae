"""`segdsl family`: how a family's rules split the customers, in one query.

Over a batch query holding one never-NULL boolean column per rule (the rule's condition
alone, without priority):

    SELECT COUNT(*),                                              -- customers
           COUNT(CASE WHEN b."r0" THEN 1 END), ...                -- each rule alone
           COUNT(CASE WHEN b."r1" AND NOT b."r0" THEN 1 END), ...  -- assigned: first match wins
           COUNT(CASE WHEN b."r0" AND b."r1" THEN 1 END), ...     -- every pair of rules
           COUNT(CASE WHEN NOT b."r0" AND NOT b."r1" ... THEN 1 END)  -- in no rule
    FROM (<batch>) AS b

so every relation is scanned once however many rules the family has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from segdsl import ir
from segdsl.analysis.common import col, count_if, rows, sub


class FamilyError(Exception):
    """The name is not a family of the project (a usage error)."""


@dataclass
class FamilyReport:
    name: str
    members: list[str]  # the rules' members, in priority order
    otherwise: str | None  # the `else` member
    customers: int
    alone: dict[str, int]  # customers each rule's condition matches, priority ignored
    assigned: dict[str, int]  # customers in each member (the else member included)
    both: dict[tuple[str, str], int]  # customers matched by both rules of each pair (a before b)
    in_no_rule: int

    def as_dict(self) -> dict[str, Any]:
        rules = [{"member": m, "alone": self.alone[m], "assigned": self.assigned[m],
                  "lost_to_earlier_rules": self.alone[m] - self.assigned[m]} for m in self.members]
        return {
            "family": self.name,
            "customers": self.customers,
            "rules": rules,
            "else": None if self.otherwise is None else {"member": self.otherwise,
                                                         "assigned": self.assigned[self.otherwise]},
            "in_no_rule": self.in_no_rule,
            "overlaps": [{"a": a, "b": b, "both": n} for (a, b), n in self.both.items()],
        }


def family_value(project: Any, name: str) -> ir.FamilyValue:
    from segdsl.diagnostics import did_you_mean

    families = {n: t.node for n, t in project.resolved[0].traits.items() if isinstance(t.node, ir.FamilyValue)}
    if name not in families:
        hint = did_you_mean(name, list(families)) or (
            "families: " + ", ".join(families) if families else "the project has no families")
        raise FamilyError(f"`{name}` is not a family of the project; {hint}")
    value: ir.FamilyValue = families[name]
    return value


def family_query(project: Any, name: str, dialect: str, as_of: dt.date | None) -> exp.Select:
    from segdsl.sql.query import build_batch_query

    fam = family_value(project, name)
    flags = {f"r{i}": cond for i, (cond, _) in enumerate(fam.rules)}
    batch = build_batch_query(flags, project.schema, project._dialect(dialect), project.settings, as_of,
                              ordered=False)
    n = len(fam.rules)

    def flag(i: int) -> exp.Expr:
        return col(f"r{i}", "b")

    def none_of(indices: range) -> list[exp.Expr]:
        return [exp.Not(this=flag(j)) for j in indices]

    columns: list[exp.Expr] = [exp.Count(this=exp.Star())]
    columns += [count_if(flag(i)) for i in range(n)]
    columns += [count_if(exp.and_(flag(i), *none_of(range(i)))) for i in range(n)]
    columns += [count_if(exp.and_(flag(i), flag(j))) for i in range(n) for j in range(i + 1, n)]
    columns.append(count_if(exp.and_(*none_of(range(n)))))
    return exp.select(*(exp.alias_(c, f"__c{k}", quoted=True) for k, c in enumerate(columns))) \
        .from_(sub(batch, "b"))


def compute_family(conn: Any, project: Any, name: str, *, as_of: dt.date | None) -> FamilyReport:
    fam = family_value(project, name)
    (row,) = rows(conn, family_query(project, name, conn.dialect, as_of))
    values = [int(v) for v in row]
    members = [m for _, m in fam.rules]
    n = len(members)
    customers, alone, assigned = values[0], values[1:1 + n], values[1 + n:1 + 2 * n]
    pairs = [(members[i], members[j]) for i in range(n) for j in range(i + 1, n)]
    both = dict(zip(pairs, values[1 + 2 * n:1 + 2 * n + len(pairs)]))
    in_no_rule = values[-1]
    by_member = dict(zip(members, assigned))
    if fam.otherwise is not None:
        by_member[fam.otherwise] = in_no_rule
    return FamilyReport(name, members, fam.otherwise, customers, dict(zip(members, alone)), by_member, both,
                        in_no_rule)
