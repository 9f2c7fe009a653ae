"""Resolving a project's definitions: one namespace, duplicates, cycles, and the IR of
every segment, trait and score.

Definitions are checked on demand and memoised, so a segment may use a trait defined later
or in another file. A reference cycle is reported once, naming every definition in it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from segdsl import ir
from segdsl.check import dotted, families, params, splits
from segdsl.check.exprs import ExprChecker
from segdsl.check.typed import Typed
from segdsl.diagnostics import Diagnostic, Fix, Span, error, suggestion, warning
from segdsl.project.schema import Schema
from segdsl.syntax import ast
from segdsl.syntax.params import Arg
from segdsl.types import BOOLEAN, INTEGER, NUMBER

MAX_IR_DEPTH = 200
MAX_IR_NODES = 50_000
META_KEYS = ("description", "owner", "tags")


@dataclass(frozen=True)
class SegmentInfo:
    name: str
    title: str | None
    description: str | None
    owner: str | None
    tags: tuple[str, ...]
    path: str
    span: Span


@dataclass
class Resolved:
    segments: dict[str, ir.Cond] = field(default_factory=dict)
    traits: dict[str, Typed] = field(default_factory=dict)
    info: dict[str, SegmentInfo] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # segment names in source order
    splits: dict[str, splits.CheckedSplit] = field(default_factory=dict)  # splits and holdouts that check
    # an instantiation's canonical name -> its parameterised segment's name
    bases: dict[str, str] = field(default_factory=dict)
    checker: ProjectChecker | None = None  # instantiates parameterised segments on demand


class ProjectChecker:
    def __init__(self, schema: Schema, files: list[ast.File]) -> None:
        self.schema = schema
        self.diags: list[Diagnostic] = []
        self.defs: dict[str, ast.Definition] = {}
        self.paths: dict[str, str] = {}
        self.done: dict[str, Typed | None] = {}
        self.visiting: list[tuple[str, Span]] = []
        self.frames: list[params.Frame] = []  # the parameters in scope of the definition being checked
        self.instances: dict[str, list[str]] = {}  # parameterised segment -> its instantiations
        self.source_order: list[str] = []  # segments in source order, parameterised ones included
        self.cycles: set[frozenset[str]] = set()
        self._measured: dict[int, tuple[int, int, object]] = {}
        self.exprs = ExprChecker(schema, self, self.diags)
        self.splits: dict[str, splits.CheckedSplit] = {}
        self.broken = {name for f in files for name in getattr(f, "broken", ())}
        for f in files:
            for d in f.definitions:
                self._declare(d, f.path)
                if isinstance(d, ast.FamilyDef) and self.defs.get(d.name) is d:
                    for member in families.member_segments(d):
                        self._declare(member, f.path)

    def _declare(self, d: ast.Definition, path: str) -> None:
        kind = _kind(d)
        if d.name in self.defs:
            first = self.defs[d.name]
            self.diags.append(error("SEG0201", f"`{d.name}` is defined twice", d.name_span,
                                    "rename one of them: all .seg files of a project share one namespace",
                                    related=[(first.name_span, f"first defined here as a {_kind(first)}")]))
            return
        clash = None
        if d.name in self.schema.entity.columns:
            clash = f"a column of {self.schema.entity.name}"
        elif d.name in self.schema.relations:
            clash = "a relation"
        if clash:
            self.diags.append(error("SEG0210", f"the {kind} `{d.name}` has the name of {clash}", d.name_span,
                                    "choose another name"))
            return
        self.defs[d.name] = d
        self.paths[d.name] = path

    # ---- the whole project ----
    def run(self) -> Resolved:
        out = Resolved(checker=self)
        for name, d in self.defs.items():
            typed = self.resolve(name, d.name_span)
            if isinstance(d, ast.SegmentDef) and d.params is not None:
                self.source_order.append(name)  # its argument lists take its place in the order
                if typed is not None and all(p.default is not None for p in d.params):
                    params.instance(self, d, (), d.name_span)  # run as its defaults instantiation
                continue
            if isinstance(d, ast.SegmentDef) or _is_holdout(d):
                self.source_order.append(name)
                out.order.append(name)
                out.info[name] = _info(d, self.paths[name], self.diags) if isinstance(d, ast.SegmentDef) \
                    else SegmentInfo(name, None, None, None, (), self.paths[name], d.name_span)
                if typed is not None and self._small_enough(name, typed.node, d.name_span):
                    out.segments[name] = typed.node
            elif typed is not None:
                out.traits[name] = typed
        out.splits = dict(self.splits)
        self.add_instances(out)
        return out

    def add_instances(self, out: Resolved) -> None:
        """Every instantiation used so far becomes a segment of its own, after the segments
        that come before its definition."""
        order = []
        for name in self.source_order:
            d = self.defs[name]
            if not isinstance(d, ast.SegmentDef) or d.params is None:
                order.append(name)
                continue
            for inst in self.instances.get(name, []):
                typed = self.done.get(inst)
                order.append(inst)
                if inst in out.segments or typed is None:
                    continue
                out.bases[inst] = name
                out.info[inst] = dataclasses.replace(_info(d, self.paths[name], []), name=inst)
                if self._small_enough(inst, typed.node, d.name_span):
                    out.segments[inst] = typed.node
        out.order = [n for n in order if n in out.info]

    def _small_enough(self, name: str, cond: ir.Cond, span: Span) -> bool:
        depth, count = _measure(cond, self._measured)
        if depth > MAX_IR_DEPTH or count > MAX_IR_NODES:
            self.diags.append(error("SEG0109", f"segment `{name}` is too large once the segments and "
                                    "traits it uses are expanded", span,
                                    "simplify it or split it into segments that do not all use each other"))
            return False
        return True

    # ---- resolution ----
    def resolve(self, name: str, use_span: Span) -> Typed | None:
        if name in self.done:
            return self.done[name]
        names = [n for n, _ in self.visiting]
        if name in names:
            self._cycle(names[names.index(name):] + [name], use_span)
            return None
        d = self.defs[name]
        self.visiting.append((name, use_span))
        self.frames.append({})  # a definition sees no parameters but its own
        try:
            typed = self._check_definition(d)
        finally:
            self.frames.pop()
            self.visiting.pop()
        self.done[name] = typed
        return typed

    def _cycle(self, cycle: list[str], span: Span) -> None:
        key = frozenset(cycle)
        if key in self.cycles:
            return
        self.cycles.add(key)
        related = [(self.defs[n].name_span, f"`{n}` is defined here") for n in cycle[:-1]]
        self.diags.append(error("SEG0202", "reference cycle: " + " -> ".join(cycle), span,
                                "a segment, trait or score cannot use itself, even through others",
                                related=related))

    def _check_definition(self, d: ast.Definition) -> Typed | None:
        if isinstance(d, ast.SegmentDef):
            if d.where is None:
                self.diags.append(error("SEG0316", f"segment `{d.name}` has no `where` condition", d.name_span,
                                        "add a line `where <condition>` inside the braces"))
                return None
            if d.params is not None:  # the body is checked once, each parameter a value of its type
                frame = params.check_declaration(self, d)
                if frame is None:
                    return None
                self.frames[-1] = frame
            cond = self.exprs.condition(d.where)
            return None if cond is None else Typed(cond, BOOLEAN, d.span)
        if isinstance(d, ast.TraitDef):
            return self.exprs.check(d.expr)
        if isinstance(d, ast.FamilyDef):
            return families.check_family(self, d)
        if isinstance(d, ast.SplitDef):
            checked = splits.check_split(d, self.schema, self.exprs, self.diags)
            if checked is None:
                return None
            self.splits[d.name] = checked
            if d.holdout:
                return Typed(checked.groups[d.name], BOOLEAN, d.span)
            return Typed(checked.value, checked.value.type, d.span)
        rules = []
        for rule in d.rules:
            cond = self.exprs.condition(rule.condition)
            if cond is None:
                return None
            rules.append((cond, rule.points))
        integral = all(p == p.to_integral_value() for _, p in rules)
        t = INTEGER if integral else NUMBER
        points = tuple((c, Decimal(int(p)) if integral else p) for c, p in rules)
        return Typed(ir.ScoreValue(points, t), t, d.span)

    # ---- the callbacks the expression checker uses ----
    def is_field(self, name: str) -> bool:
        """Whether a bare name reads a value of the customer (a column, a trait, a score)."""
        d = self.defs.get(name)
        return name in self.schema.entity.columns or isinstance(d, (ast.TraitDef, ast.ScoreDef, ast.FamilyDef)) \
            or (isinstance(d, ast.SplitDef) and not d.holdout)

    def lookup(self, name: str, span: Span) -> Typed | None:
        if self.frames and name in self.frames[-1]:
            return params.lookup(self, name, span)
        cols = self.schema.entity.columns
        if name in cols:
            c = cols[name]
            return Typed(ir.Col(c.name, c.type), c.type, span)
        d = self.defs.get(name)
        if isinstance(d, (ast.TraitDef, ast.ScoreDef, ast.FamilyDef)) or (isinstance(d, ast.SplitDef) and not d.holdout):
            t = self.resolve(name, span)
            return None if t is None else Typed(t.node, t.type, span)
        if isinstance(d, ast.SegmentDef) or _is_holdout(d):
            self.diags.append(error("SEG0211", f"`{name}` is a segment, not a field", span,
                                    f"write `in segment {name}`",
                                    fixes=[Fix(span, f"in segment {name}", f"replace with `in segment {name}`")]))
            return None
        if name in self.broken:
            return None  # its definition has a syntax error, already reported
        if name in self.schema.relations:
            self.diags.append(error("SEG0308", f"`{name}` is a relation: it has many rows per customer", span,
                                    f"use an aggregate such as `count({name})`, or `has {name} where ...`"))
            return None
        owners = [r.name for r in self.schema.relations.values() if name in r.columns]
        if owners:  # a relation's column: one value per row, not per customer
            self.diags.append(error(
                "SEG0203", f"unknown field `{name}`: it is a column of {owners[0]}", span,
                f"aggregate it, e.g. `max({owners[0]}.{name})`, or test its rows with "
                f"`has {owners[0]} where {name} ...`"))
            return None
        candidates = list(cols) + [n for n, x in self.defs.items() if not isinstance(x, ast.SegmentDef)]
        hint, fixes = suggestion(name, candidates, span)
        self.diags.append(error("SEG0203", f"unknown field `{name}`", span, hint,
                                _fields_hint(self.schema), fixes=fixes))
        return None

    def segment(self, name: str, span: Span, args: tuple[Arg, ...] | None = None) -> ir.Cond | None:
        if args is not None and ("." in name or not isinstance(self.defs.get(name), ast.SegmentDef)):
            self.diags.append(error("SEG0373", f"`{name}` takes no arguments", span,
                                    "only a segment declared with parameters, `segment f(p: type) ...`, takes them"))
            return None
        if "." in name:  # a family's member or a split's group
            return dotted.dotted_segment(self, name, span)
        d = self.defs.get(name)
        if isinstance(d, ast.SegmentDef) and (d.params is not None or args is not None):
            inst = params.instance(self, d, args, span)
            typed = None if inst is None else self.done.get(inst)
            return None if inst is None or typed is None else ir.SegmentRef(inst, typed.node)
        if isinstance(d, ast.SplitDef) and not d.holdout:
            self.diags.append(splits.split_as_segment(d, span))
            return None
        if isinstance(d, ast.SegmentDef) or _is_holdout(d):
            t = self.resolve(name, span)
            return None if t is None else ir.SegmentRef(name, t.node)
        if d is not None:
            self.diags.append(error("SEG0211", f"`{name}` is a {_kind(d)}, not a segment", span,
                                    f"use it as a value, e.g. `{name} > 0`" if not isinstance(d, ast.SegmentDef) else ""))
            return None
        if name in self.broken:
            return None  # its definition has a syntax error, already reported
        segments = [n for n, x in self.defs.items() if isinstance(x, ast.SegmentDef) or _is_holdout(x)]
        hint, fixes = suggestion(name, segments, span)
        self.diags.append(error("SEG0206", f"unknown segment `{name}`", span, hint,
                                _segments_hint(segments), fixes=fixes))
        return None


    def duration_param(self, name: str, span: Span) -> ast.Duration | None:
        return params.duration(self, name, span)

    def snapshot_name(self, name: str, span: Span) -> None:
        """A snapshot may outlive its segment (a static list), so an unknown name is only
        a warning."""
        if isinstance(self.defs.get(name), ast.SegmentDef):
            return
        segments = [n for n, x in self.defs.items() if isinstance(x, ast.SegmentDef)]
        hint, fixes = suggestion(name, segments, span)
        self.diags.append(warning("SEG0212", f"no segment `{name}` in this project; only snapshots "
                                  "stored earlier under that name can match", span, hint, fixes=fixes))


def _measure(root: ir.Node, memo: dict[int, tuple[int, int, object]]) -> tuple[int, int]:
    """(depth, node count) of an IR tree once expanded, without recursion. Shared sub-trees
    (a segment used by many others) are measured once: memo is keyed by object identity and
    keeps the nodes alive, so identities stay unique while it lives."""
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in memo:
            continue
        kids = ir.children(node)
        if not ready:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in memo)
            continue
        measured = [memo[id(k)][:2] for k in kids]
        depth = 1 + max((d for d, _ in measured), default=0)
        count = 1 + sum(min(c, MAX_IR_NODES + 1) for _, c in measured)
        memo[id(node)] = (depth, count, node)
    depth, count, _ = memo[id(root)]
    return depth, count


def _kind(d: ast.Definition) -> str:
    return dotted.kind(d)


def _is_holdout(d: ast.Definition | None) -> bool:
    """A holdout is itself a segment (its one group)."""
    return isinstance(d, ast.SplitDef) and d.holdout


def _fields_hint(schema: Schema) -> str:
    cols = list(schema.entity.columns)
    shown = ", ".join(cols[:12]) + (", ..." if len(cols) > 12 else "")
    return f"fields of {schema.entity.name}: {shown}"


def _segments_hint(segments: list[str]) -> str:
    if not segments:
        return "the project has no segments yet"
    shown = ", ".join(segments[:8]) + (", ..." if len(segments) > 8 else "")
    return f"segments of the project: {shown}"


def _info(d: ast.SegmentDef, path: str, diags: list[Diagnostic]) -> SegmentInfo:
    meta: dict[str, str | tuple[str, ...]] = {}
    for m in d.meta:
        if m.key not in META_KEYS:
            key = Span(m.span.path, m.span.line, m.span.col, m.span.line, m.span.col + len(m.key))
            hint, fixes = suggestion(m.key, META_KEYS, key)
            diags.append(warning("SEG0317", f"unknown metadata `{m.key}` is ignored", m.span,
                                 hint, "metadata: " + ", ".join(META_KEYS), fixes=fixes))
            continue
        if m.key in meta:
            diags.append(error("SEG0201", f"`{m.key}` is given twice", m.span))
            continue
        if (m.key == "tags") != isinstance(m.value, tuple):
            diags.append(error("SEG0301", f"`{m.key}` takes " + ("a list like [a, b]" if m.key == "tags" else "a text in quotes"), m.span))
            continue
        meta[m.key] = m.value
    description, owner = meta.get("description"), meta.get("owner")
    return SegmentInfo(d.name, d.title, description if isinstance(description, str) else None,
                       owner if isinstance(owner, str) else None, tuple(meta.get("tags", ())),
                       path, d.name_span)


def check_project(schema: Schema, files: list[ast.File]) -> tuple[Resolved, list[Diagnostic]]:
    checker = ProjectChecker(schema, files)
    resolved = checker.run()
    return resolved, checker.diags
