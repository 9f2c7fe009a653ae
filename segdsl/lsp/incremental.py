"""Re-checking a project after an edit: only the definitions the edit can affect.

A definition's diagnostics are a pure function of its own syntax and of the checked result
(`Typed`: IR node and type) of the names it uses. So after an edit of one file, the
definitions of that file (and every definition sharing one of their names) are checked
again, with every other definition's result taken from the previous run; then, round by
round, the definitions that use a name whose result changed (compared as IR + type, which
hold no source positions) are checked again too. An edit that changes no definition's
meaning stops after one round, whatever the size of the project.

The checker itself (segdsl.check.project.ProjectChecker) is used unchanged: its memo of
resolved names is seeded with the previous results. Warnings (SEG06xx) per definition are
recomputed for the definitions checked again; duplicate segments (SEG0604) compare all
segments and are recomputed every time. Both are said by segdsl.check.warnings itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from segdsl.check.project import ProjectChecker, Resolved, SegmentInfo, _info
from segdsl.check.typed import Typed
from segdsl.check.warnings import DefinitionWarnings, _Interner, duplicate_segments
from segdsl.diagnostics import Diagnostic, Span
from segdsl.lsp.parsing import shift_diagnostic, shift_span
from segdsl.lsp.symbols import referenced_names
from segdsl.project.schema import Schema
from segdsl.syntax import ast

_MISSING = object()
_NAME_HINTS = ("SEG0203", "SEG0206", "SEG0212")  # messages whose hints name other definitions

# name -> (path, its definition): the first definition of each name, in project order
FirstDefinitions = dict[str, tuple[str, ast.Definition]]
# name -> (path, old definition, new definition, lines moved)
MovedDefinitions = dict[str, tuple[str, ast.Definition, ast.Definition, int]]
# name -> (path, span of its definition)
DefinitionSpans = dict[str, tuple[str, Span]]


class _Checker(ProjectChecker):
    """The project checker, holding the declaration diagnostics apart."""

    declared: list[Diagnostic]


@dataclass
class Checked:
    """The merged result of the checks so far."""

    resolved: Resolved = field(default_factory=Resolved)
    typed: dict[str, Typed | None] = field(default_factory=dict)  # name -> Typed | None (None: has errors)
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)  # name -> its own
    warnings: dict[str, list[Diagnostic]] = field(default_factory=dict)  # name -> its SEG06xx
    info: dict[str, SegmentInfo | None] = field(default_factory=dict)  # segment name -> SegmentInfo
    small: dict[str, bool] = field(default_factory=dict)  # segment name -> within SEG0109 limits
    declared: list[Diagnostic] = field(default_factory=list)  # duplicates and name clashes
    duplicates: list[Diagnostic] = field(default_factory=list)  # SEG0604
    rounds: int = 0  # how many rounds the last update took (for the benchmark)
    rechecked: int = 0  # how many definitions the last update checked


class IncrementalChecker:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.result = Checked()
        self.uses: dict[str, set[str]] = {}  # name -> names of the definitions using it
        self.deps: dict[str, set[str]] = {}  # name -> names its definition uses
        self._kinds: dict[str, type] = {}
        self._duplicates = _Duplicates()
        self._names: dict[int, tuple[ast.Definition, set[str]]] = {}  # id(definition) -> (definition, names it uses)

    def update(self, files: list[ast.File], sources: dict[str, str], changed: set[str] | None,
               moved: MovedDefinitions | None = None) -> Checked:
        """Check `files` (every file of the project, in project order) after the definitions
        named in `changed` were added, removed or edited. `changed=None`: check everything.
        `moved`: name -> (path, old definition, new definition, lines moved) for definitions
        whose text is unchanged but which moved: their results are moved, not recomputed."""
        first: FirstDefinitions = {}
        for f in files:
            for d in f.definitions:
                first.setdefault(d.name, (f.path, d))
        self._index_uses(first)
        old = self.result
        if changed is None:
            todo = set(first)
            old = Checked()
        else:
            todo = {n for n in changed if n in first}
        new = Checked(resolved=Resolved(), typed=dict(old.typed), diagnostics=dict(old.diagnostics),
                      warnings=dict(old.warnings), info=dict(old.info), small=dict(old.small))
        if changed is not None:
            todo |= self._move(moved or {}, first, new)
        for name in list(new.typed):
            if name not in first:  # removed
                results: tuple[dict[str, Any], ...] = (
                    new.typed, new.diagnostics, new.warnings, new.info, new.small)
                for table in results:
                    table.pop(name, None)
        kinds = {n: type(d) for n, (_, d) in first.items()}
        old_kinds = self._kinds
        if changed is not None and list(kinds.items()) != list(self._kinds.items()):
            # hints of unknown names list the project's names, in project order: say them afresh
            todo |= {n for n, diags in old.diagnostics.items()
                     if n in first and any(d.code in _NAME_HINTS for d in diags)}
        self._kinds = kinds
        # removed names: their users are checked again
        todo |= {u for n in (changed or ()) if n not in first for u in self.uses.get(n, ()) if u in first}
        done: set[str] = set()
        rounds = 0
        while todo:
            rounds += 1
            todo |= self._cycles_through(todo, first)  # a cycle is reported only if all of it is checked
            before = {n: old.typed.get(n, _MISSING) for n in todo}
            checker = self._checker(files, new.typed, todo)
            new.declared = [d for d in checker.declared]
            self._run(checker, first, todo, sources, new)
            done |= todo
            meaning_changed = {n for n in todo if _differs(before[n], new.typed.get(n, _MISSING))
                               or old_kinds.get(n) is not kinds.get(n)}  # `is a trait, not a segment`
            todo = {u for n in meaning_changed for u in self.uses.get(n, ()) if u in first} - done
        if rounds == 0:  # nothing to check again: still refresh declarations (cheap)
            checker = self._checker(files, new.typed, set())
            new.declared = list(checker.declared)
        self._assemble(first, new, old)
        new.duplicates = self._duplicates(new.resolved)
        new.rounds, new.rechecked = rounds, len(done)
        self.result = new
        return new

    def _move(self, moved: MovedDefinitions, first: FirstDefinitions, new: Checked) -> set[str]:
        """Move the results of definitions that only moved; return those that must be
        checked again all the same (errors may involve other definitions' positions)."""
        again: set[str] = set()
        for name, (path, old_d, new_d, delta) in moved.items():
            if name not in first or first[name][1] is not new_d:
                continue  # a second definition of the name: reported at declaration
            typed = new.typed.get(name)
            lines = range(old_d.span.line, old_d.span.end_line + 1)
            diags = new.diagnostics.get(name, []) + new.warnings.get(name, [])
            inside = all(s.path == path and s.line in lines for d in diags for s, _ in d.related)
            if typed is None or not inside:
                again.add(name)
                continue
            new.typed[name] = dataclasses.replace(typed, span=shift_span(typed.span, delta))
            for kept in (new.diagnostics, new.warnings):
                kept[name] = [shift_diagnostic(d, delta, path, lines) for d in kept.get(name, [])]
            if isinstance(new_d, ast.SegmentDef):
                new.info[name] = _info(new_d, path, [])  # its warnings are among the moved ones
        return again

    def _index_uses(self, first: FirstDefinitions) -> None:
        uses: dict[str, set[str]] = {}
        self.deps = {}
        cache, self._names = self._names, {}
        for name, (_, d) in first.items():
            # the AST of an unedited file is the same object from one update to the next
            hit = cache.get(id(d))
            self.deps[name] = hit[1] if hit is not None and hit[0] is d else referenced_names(d)
            self._names[id(d)] = (d, self.deps[name])
            for used in self.deps[name]:
                uses.setdefault(used, set()).add(name)
        self.uses = uses

    def _checker(self, files: list[ast.File], typed: dict[str, Typed | None], todo: set[str]) -> _Checker:
        checker = _Checker(self.schema, files)
        checker.declared = list(checker.diags)  # duplicates and clashes: global, recomputed
        del checker.diags[:]  # the expression checker holds this very list
        checker.done = {n: t for n, t in typed.items() if n not in todo and n in checker.defs}
        return checker

    def _run(self, checker: ProjectChecker, first: FirstDefinitions, todo: set[str],
             sources: dict[str, str], new: Checked) -> None:
        spans: DefinitionSpans = {}
        for name in [n for n in first if n in todo]:  # project order, as the full check
            d = checker.defs.get(name)
            if d is None:  # a duplicate or a name clash: reported at declaration
                new.typed.pop(name, None)
                new.diagnostics[name] = []
                new.warnings[name] = []
                continue
            checker.resolve(name, d.name_span)
            spans[name] = (checker.paths[name], d.span)
        # diagnostics go to the definition whose text holds them
        per: dict[str, list[Diagnostic]] = {n: [] for n in todo}
        info: dict[str, SegmentInfo] = {}
        for name, (path, _) in spans.items():
            d = checker.defs[name]
            if isinstance(d, ast.SegmentDef):
                info[name] = _info(d, path, checker.diags)
        for diag in checker.diags:
            owner = _owner(diag, spans)
            if owner is not None:
                per[owner].append(diag)
        for name in todo:
            if name in spans:
                new.typed[name] = checker.done.get(name)
                small = True
                d = checker.defs[name]
                t = new.typed[name]
                if isinstance(d, ast.SegmentDef) and t is not None:
                    n_before = len(checker.diags)
                    small = checker._small_enough(name, t.node, d.name_span)
                    per[name] += checker.diags[n_before:]
                new.diagnostics[name] = per[name]
                new.info[name] = info.get(name)
                new.small[name] = small
        self._warnings(checker, todo, spans, sources, new)

    def _warnings(self, checker: ProjectChecker, todo: set[str], spans: DefinitionSpans,
                  sources: dict[str, str], new: Checked) -> None:
        # warnings read resolved.traits of the names used: build it from the merged results
        traits = {n: t for n, t in new.typed.items()
                  if t is not None and not isinstance(checker.defs.get(n), ast.SegmentDef)}
        view = Resolved(traits=traits)
        for name in todo:
            new.warnings[name] = []
            if name not in spans or new.typed.get(name) is None:
                continue
            if isinstance(checker.defs[name], ast.SegmentDef) and not new.small[name]:
                continue
            path, _ = spans[name]
            new.warnings[name] = DefinitionWarnings(self.schema, view, sources.get(path, "")).run(
                checker.defs[name])

    def _assemble(self, first: FirstDefinitions, new: Checked, old: Checked) -> None:
        r = new.resolved
        for name, (_, d) in first.items():
            t = new.typed.get(name)
            if isinstance(d, ast.SegmentDef) or (isinstance(d, ast.SplitDef) and d.holdout):
                r.order.append(name)
                info = new.info.get(name)
                if info is not None:
                    r.info[name] = info
                # a parameterised segment is a segment only with arguments
                if t is not None and new.small.get(name, True) and getattr(d, "params", None) is None:
                    r.segments[name] = t.node
            elif t is not None:
                r.traits[name] = t

    def diagnostics(self, warnings: bool = True) -> list[Diagnostic]:
        """Every check diagnostic (declarations, definitions, and unless `warnings=False`
        the SEG06xx warnings and duplicates), unsorted."""
        res = self.result
        out = list(res.declared)
        for diags in res.diagnostics.values():
            out += diags
        if warnings:
            out += res.duplicates
            for diags in res.warnings.values():
                out += diags
        return out

    def _cycles_through(self, todo: set[str], first: FirstDefinitions) -> set[str]:
        """Names on a reference cycle through a name in `todo`: reachable from it and
        reaching it."""
        def reach(start: Iterable[str], step: Callable[[str], Iterable[str]]) -> set[str]:
            seen: set[str] = set()
            stack = list(start)
            while stack:
                n = stack.pop()
                for m in step(n):
                    if m not in seen and m in first:
                        seen.add(m)
                        stack.append(m)
            return seen

        forward = reach(todo, lambda n: self.deps.get(n, ()))
        backward = reach(todo, lambda n: self.uses.get(n, ()))
        cycle = forward & backward
        if not cycle:
            return set()
        # the full check reports a cycle from the first definition (in project order) whose
        # resolution reaches it: check all of those again, in that order, to say it the same way
        return cycle | reach(cycle, lambda n: self.uses.get(n, ()))


def _owner(diag: Diagnostic, spans: DefinitionSpans) -> str | None:
    s = diag.span
    for name, (path, span) in spans.items():
        if path == s.path and (span.line, span.col) <= (s.line, s.col) <= (span.end_line, span.end_col):
            return name
    return None


def _differs(a: object, b: object) -> bool:
    if a is _MISSING or b is _MISSING or a is None or b is None:
        return a is not b
    ta, tb = cast(Typed, a), cast(Typed, b)  # neither missing nor None: a checked result
    return ta.type != tb.type or ta.node != tb.node


class _Duplicates:
    """SEG0604 (segments with the same condition) as segdsl.check.warnings.duplicate_segments
    finds it, with one hash-consing table kept across updates: the IR of a segment that was
    not checked again is the same object, so only new IR is walked. Each pair found is said
    by duplicate_segments itself, run on the two segments alone."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.interner = _Interner()
        self.held: list[object] = []  # keeps every keyed IR alive, so that its id is not reused
        self.said: dict[tuple[SegmentInfo, ...], list[Diagnostic]] = {}  # (first, second segment's info) -> the diagnostic

    def __call__(self, resolved: Resolved) -> list[Diagnostic]:
        if len(self.held) > 3 * len(resolved.segments) + 1000:
            self.reset()
        first: dict[int, str] = {}
        found: list[Diagnostic] = []
        said: dict[tuple[SegmentInfo, ...], list[Diagnostic]] = {}
        for name in resolved.order:
            cond = resolved.segments.get(name)
            if cond is None:
                continue
            if id(cond) not in self.interner.memo:
                self.held.append(cond)
            k = self.interner.key(cond)
            if k not in first:
                first[k] = name
                continue
            pair = [first[k], name]
            key = tuple(resolved.info[n] for n in pair)  # names and positions: what is said
            if key not in said:
                said[key] = self.said.get(key) or duplicate_segments(Resolved(
                    segments={n: resolved.segments[n] for n in pair},
                    info={n: resolved.info[n] for n in pair}, order=pair))
            found += said[key]
        self.said = said  # only the pairs of this project, not every pair ever seen
        return found
