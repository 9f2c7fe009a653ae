"""Families: mutually exclusive members, first match wins.

A family is checked as a text trait (its value is the name of the first member whose rule
holds, else the `else` member, else missing) whose enumeration is the member names, so
`lifecycle = "champion"` is a did-you-mean error like any enumeration. Each member is a
segment named `family.member` whose condition is `family = "member"`: the members and the
family's value share one CASE, and a batch computes it once."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from segdsl import ir
from segdsl.check.typed import Typed
from segdsl.diagnostics import Span, error
from segdsl.syntax import ast
from segdsl.types import Type

if TYPE_CHECKING:
    from segdsl.check.project import ProjectChecker


def members(d: ast.FamilyDef) -> list[ast.FamilyRule]:
    return list(d.rules) + ([d.otherwise] if d.otherwise is not None else [])


def member_segments(d: ast.FamilyDef) -> list[ast.SegmentDef]:
    """The members as segments `family.member` (condition: `family = "member"`), in order;
    a member named twice is declared once (the second is reported by `check_family`)."""
    out: dict[str, ast.SegmentDef] = {}
    for m in members(d):
        cond = ast.Compare("=", ast.Ref(d.name, m.name_span), ast.String(m.name, m.name_span),
                           m.name_span, m.span)
        out.setdefault(m.name, ast.SegmentDef(f"{d.name}.{m.name}", None, (), cond, m.name_span, m.span))
    return list(out.values())


def check_family(pc: ProjectChecker, d: ast.FamilyDef) -> Typed | None:
    seen: dict[str, ast.FamilyRule] = {}
    ok = True
    for m in members(d):
        if m.name in seen:
            pc.diags.append(error("SEG0365", f"`{m.name}` is a member of family `{d.name}` twice", m.name_span,
                                  "each member is a segment of its own: give it another name, or join the "
                                  "two rules with `or`", related=[(seen[m.name].name_span, "first named here")]))
            ok = False
        seen.setdefault(m.name, m)
    if not d.rules:
        pc.diags.append(error("SEG0366", f"family `{d.name}` has no rules", d.name_span,
                              "add a line `member_name where <condition>` for each member, in priority order"))
        return None
    if any([_uses_itself(pc, d, rule) for rule in d.rules]):  # every rule reported, no cycle error
        return None
    rules: list[tuple[ir.Cond, str]] = []
    for rule in d.rules:
        assert rule.where is not None  # only `else` has no condition
        cond = pc.exprs.condition(rule.where)
        if cond is None:
            ok = False
            continue
        rules.append((cond, rule.name))
    if not ok:
        return None
    names = tuple(dict.fromkeys(m.name for m in members(d)))
    t = Type("string", values=names)
    otherwise = d.otherwise.name if d.otherwise is not None else None
    return Typed(ir.FamilyValue(d.name, tuple(rules), otherwise, t), t, d.span)


def _uses_itself(pc: ProjectChecker, d: ast.FamilyDef, rule: ast.FamilyRule) -> bool:
    """A rule that names its own family or one of its members directly (reported; through
    other definitions, the project's cycle check reports it)."""
    for node in _walk(rule.where):
        used = node.name if isinstance(node, (ast.InSegment, ast.Ref)) else None
        if used is not None and (used == d.name or used.startswith(d.name + ".")):
            pc.diags.append(error(
                "SEG0367", f"the rule of `{rule.name}` uses the family `{d.name}` it belongs to", node.span,
                "members are decided by the rules in order, so a rule cannot depend on them; "
                "repeat the condition of the member it needs instead"))
            return True
    return False


def _walk(e: object) -> list[Any]:
    """Every syntax node under `e` (spans, numbers and names are not nodes)."""
    out: list[Any] = []
    stack: list[Any] = [e]
    while stack:
        n = stack.pop()
        if n is None or not dataclasses.is_dataclass(n) or isinstance(n, (type, Span)):
            continue
        out.append(n)
        for f in dataclasses.fields(n):
            v = getattr(n, f.name)
            if isinstance(v, tuple):
                stack.extend(v)
            elif dataclasses.is_dataclass(v):
                stack.append(v)
    return out
