"""`in segment A.B`: one resolution for the two kinds of definition whose parts are segments.

A family's members are segments named `family.member` (declared with the family); a split's
groups are conditions of the split's value. Anything else before the dot is an error with a
did-you-mean over both kinds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl import ir
from segdsl.check import splits
from segdsl.diagnostics import Span, error, suggestion
from segdsl.syntax import ast

if TYPE_CHECKING:
    from segdsl.check.project import ProjectChecker


def dotted_segment(pc: ProjectChecker, name: str, span: Span) -> ir.Cond | None:
    """The condition of `owner.part`: a family's member or a split's group (reported when neither)."""
    owner, part = name.split(".", 1)
    d = pc.defs.get(owner)
    if isinstance(d, ast.FamilyDef):
        return _family_member(pc, d, name, span)
    if isinstance(d, ast.SplitDef) and not d.holdout:
        return _split_group(pc, d, part, span)
    owner_span = Span(span.path, span.line, span.col, span.line, span.col + len(owner))
    if d is not None:
        pc.diags.append(splits.not_a_split(owner, kind(d), span))
    elif owner not in pc.broken:
        names = [n for n, x in pc.defs.items()
                 if isinstance(x, ast.FamilyDef) or (isinstance(x, ast.SplitDef) and not x.holdout)]
        hint, fixes = suggestion(owner, names, owner_span)
        pc.diags.append(error("SEG0360", f"unknown split or family `{owner}`", span, hint,
                              "splits and families of the project: " + (", ".join(names) or "none"),
                              fixes=fixes))
    return None


def _family_member(pc: ProjectChecker, d: ast.FamilyDef, name: str, span: Span) -> ir.Cond | None:
    member = pc.defs.get(name)
    if isinstance(member, ast.SegmentDef):
        t = pc.resolve(name, span)
        return None if t is None else ir.SegmentRef(name, t.node)
    names = [f"{d.name}.{m.name}" for m in d.rules + ((d.otherwise,) if d.otherwise is not None else ())]
    hint, fixes = suggestion(name, list(dict.fromkeys(names)), span)
    pc.diags.append(error("SEG0206", f"unknown segment `{name}`: the family `{d.name}` has no member "
                          f"`{name.split('.', 1)[1]}`", span, hint,
                          f"members of {d.name}: " + ", ".join(dict.fromkeys(names)), fixes=fixes))
    return None


def _split_group(pc: ProjectChecker, d: ast.SplitDef, group: str, span: Span) -> ir.Cond | None:
    typed = pc.resolve(d.name, span)
    if typed is None:
        return None
    # the groups from the split's value (also when a cached result was reused)
    value = typed.node
    assert isinstance(value, ir.FirstMatch)
    groups: dict[str, ir.Cond] = {label: ref for ref, label in value.rules}
    if group not in groups:
        pc.diags.append(splits.unknown_group(d, group, list(groups), span))
        return None
    return groups[group]


def kind(d: ast.Definition) -> str:
    if isinstance(d, ast.SplitDef):
        return splits.split_kind(d)
    return {ast.SegmentDef: "segment", ast.TraitDef: "trait", ast.ScoreDef: "score", ast.FamilyDef: "family"}[type(d)]
