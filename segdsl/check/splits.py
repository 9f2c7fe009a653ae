"""Splits and holdouts: the shares, the key, and the IR of each group.

A split hashes each customer's key to a bucket 0..9999 (`ir.HashBucket`); its groups take
consecutive ranges of buckets in the order written, each as wide as its share in hundredths
of a percent. A group is the population condition and its range of buckets, so a customer
keeps its group while leaving and re-entering the population. A holdout is a split of one
group named like the split and salted with its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from segdsl import ir
from segdsl.diagnostics import Diagnostic, Fix, Span, error, suggestion
from segdsl.project.schema import Schema
from segdsl.syntax import ast
from segdsl.types import Type

BUCKETS = 10_000  # buckets of a split: a share is a whole number of hundredths of a percent
KEY_KINDS = ("integer", "string")


@dataclass(frozen=True)
class Range:
    """A group's buckets: first <= bucket < end."""

    group: str
    first: int
    end: int


@dataclass(frozen=True)
class CheckedSplit:
    name: str
    salt: str
    holdout: bool
    ranges: tuple[Range, ...]
    groups: dict[str, ir.Cond]  # each group's membership: the population and its buckets
    value: ir.FirstMatch  # the split as a value: the name of the customer's group


def split_kind(d: ast.SplitDef) -> str:
    return "holdout" if d.holdout else "split"


def salt_of(d: ast.SplitDef) -> str:
    if d.holdout:
        return d.name  # the holdout's own name: no two holdouts share their buckets
    return d.salt.value if d.salt is not None else ""


def check_split(d: ast.SplitDef, schema: Schema, exprs: Any, diags: list[Diagnostic]) -> CheckedSplit | None:
    """The split's groups, or None after reporting why it has none."""
    ok = _check_key(d, schema, diags)
    population: ir.Cond = ir.Const(True)
    if d.where is not None:
        checked = exprs.condition(d.where)
        if checked is None:
            return None
        population = checked
    widths = _widths(d, diags)
    if not ok or widths is None:
        return None
    key = schema.entity.columns[schema.entity.key]
    bucket = ir.HashBucket(d.name, salt_of(d), ir.Col(key.name, key.type))
    ranges, groups, start = [], {}, 0
    for g, width in zip(d.groups, widths):
        ranges.append(Range(g.name, start, start + width))
        groups[g.name] = ir.and_(*([population] if d.where is not None else []), *_in_range(bucket, start, start + width))
        start += width
    rules = tuple((ir.SegmentRef(group_segment(d, g), c), g) for g, c in groups.items())
    value = ir.FirstMatch(rules, Type("string", values=tuple(groups)))
    return CheckedSplit(d.name, salt_of(d), d.holdout, tuple(ranges), groups, value)


def group_segment(d: ast.SplitDef, group: str) -> str:
    """The name a group is used by: `split.group`, or the holdout's own name."""
    return d.name if d.holdout else f"{d.name}.{group}"


def _in_range(bucket: ir.HashBucket, first: int, end: int) -> list[ir.Cond]:
    out: list[ir.Cond] = []
    if first > 0:
        out.append(ir.Cmp(">=", bucket, ir.lit_int(first)))
    if end < BUCKETS:
        out.append(ir.Cmp("<", bucket, ir.lit_int(end)))
    # a missing key has no bucket, so it is in no group, even one of 100%
    return out or [ir.IsSet(bucket)]


def _check_key(d: ast.SplitDef, schema: Schema, diags: list[Diagnostic]) -> bool:
    key = schema.entity.columns.get(schema.entity.key)
    if key is not None and key.type.kind in KEY_KINDS:
        return True
    found = f"a {key.type}" if key is not None else "no declared type"
    diags.append(error("SEG0357", f"the {split_kind(d)} `{d.name}` cannot hash the key "
                       f"`{schema.entity.key}`: it has {found}", d.name_span,
                       "a split hashes the entity key written as text: declare the key as "
                       "\"integer\" or \"string\" in segdsl.toml"))
    return False


def _widths(d: ast.SplitDef, diags: list[Diagnostic]) -> list[int] | None:
    """Each group's number of buckets, or None after an error."""
    kind = split_kind(d)
    if not d.groups:
        diags.append(error("SEG0362", f"the split `{d.name}` has no groups", d.name_span,
                           "write one group per line inside the braces, e.g. `control 10%` and `treatment 90%`"))
        return None
    widths: list[int] = []
    seen: dict[str, ast.SplitGroup] = {}
    ok = True
    for g in d.groups:
        if g.name in seen:
            diags.append(error("SEG0358", f"the group `{g.name}` is given twice in the split `{d.name}`",
                               g.name_span, "give each group its own name",
                               related=[(seen[g.name].name_span, "first given here")]))
            ok = False
        seen.setdefault(g.name, g)
        hundredths = g.share.value * 100
        if hundredths != hundredths.to_integral_value() or not 0 < hundredths <= BUCKETS:
            diags.append(error("SEG0356", f"a share of a {kind} is a percentage above 0% and up to "
                               f"100% with at most two decimals, found {g.share.text}%", g.share.span,
                               "buckets are hundredths of a percent: write e.g. 12.5% or 33.33%"))
            ok = False
            continue
        widths.append(int(hundredths))
    if not ok:
        return None
    total = sum(widths)
    if not d.holdout and total != BUCKETS:
        gap = Decimal(abs(BUCKETS - total)) / 100
        if total < BUCKETS:
            message = f"the shares of `{d.name}` add up to {_percent(total)}: {_percent_d(gap)} of customers are in no group"
            hint = f"add {_percent_d(gap)} to a group, or add a group of {_percent_d(gap)}"
        else:
            message = f"the shares of `{d.name}` add up to {_percent(total)}: {_percent_d(gap)} too many"
            hint = f"take {_percent_d(gap)} from the groups"
        last = d.groups[-1]
        fixes: list[Fix] = []
        new = Decimal(widths[-1] + BUCKETS - total) / 100
        if new > 0:
            fixes.append(Fix(last.share.span, _number(new), f"make `{last.name}` {_percent_d(new)}"))
        diags.append(error("SEG0355", message, d.name_span, hint, fixes=fixes))
        return None
    return widths


def _number(x: Decimal) -> str:
    return format(x.normalize(), "f")


def _percent(hundredths: int) -> str:
    return _percent_d(Decimal(hundredths) / 100)


def _percent_d(x: Decimal) -> str:
    return _number(x) + "%"


def unknown_group(d: ast.SplitDef, group: str, groups: list[str], span: Span) -> Diagnostic:
    """`in segment split.grop`: did-you-mean among the split's groups."""
    group_span = Span(span.path, span.end_line, span.end_col - len(group), span.end_line, span.end_col)
    hint, fixes = suggestion(group, groups, group_span)
    return error("SEG0359", f"the split `{d.name}` has no group `{group}`", span, hint,
                 "groups of " + d.name + ": " + ", ".join(groups), fixes=fixes)


def not_a_split(name: str, kind: str, span: Span) -> Diagnostic:
    return error("SEG0360", f"`{name}` is a {kind}, not a split or a family: only the groups of a split "
                 f"and the members of a family are written `{name}.NAME`", span, f"write `in segment {name}`" if kind in ("segment", "holdout") else "")


def split_as_segment(d: ast.SplitDef, span: Span) -> Diagnostic:
    groups = [g.name for g in d.groups]
    fixes = [Fix(span, f"{d.name}.{g}", f"use the group `{g}`") for g in groups]
    return error("SEG0361", f"`{d.name}` is a split: name one of its groups", span,
                 "groups: " + ", ".join(f"`{d.name}.{g}`" for g in groups), fixes=fixes)


