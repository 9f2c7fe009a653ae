"""Hover and navigation for the constructs built on segments: family members and split
groups (`in segment lifecycle.champions`), parameterised segments and their uses
(`in segment regulars_in("South")`), sequences (`did "A" then not "B" within 1 day`), and
the subjects of `.segtest` files."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from segdsl.lsp import symbols as sym
from segdsl.lsp.convert import Lines

if TYPE_CHECKING:
    from segdsl.api import Project
    from segdsl.lsp.navigate import Navigator
    from segdsl.syntax import ast

MAX_INSTANCES = 5  # argument lists shown on the hover of a parameterised segment's definition


def signature(d: ast.SegmentDef) -> str:
    from segdsl.format.flat import params_text

    return f"segment {d.name}{params_text(d.params)}"


def snippet(name: str, params: tuple[Any, ...]) -> tuple[str, str]:
    """(label, snippet) of a use: `regulars_in(r, min_orders)`, `regulars_in(${1:r}, ${2:3})`
    (a parameter with a default shows the default)."""
    from segdsl.format.flat import SUM, flat

    label = f"{name}(" + ", ".join(p.name for p in params) + ")"
    holes = [p.name if p.default is None else flat(p.default, SUM) for p in params]
    body = ", ".join(f"${{{i}:{_snippet_escape(h)}}}" for i, h in enumerate(holes, 1))
    return label, f"{name}({body})"


def _snippet_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def sentence(project: Project, name: str) -> str | None:
    """`segdsl explain`'s sentence of a segment, member or group (None while it has errors)."""
    from segdsl.explain import explain
    from segdsl.explain.phrases import Phrases

    e = explain(project, name)
    if e is not None:
        return e.summary()
    cond = project.segment_ir(name)  # a split's group: a segment without metadata
    return f"Customers {Phrases(project).inline(cond, None)}." if cond is not None else None


def _safe(make: Any, *args: Any) -> str | None:
    try:
        return make(*args)  # type: ignore[no-any-return]
    except Exception:  # an explanation is a nicety: never let it break hover
        return None


def _definition(nav: Navigator, name: str) -> tuple[str, ast.Definition] | None:
    for p, d in nav.state.definitions():
        if d.name == name:
            return p, d
    return None


def _source(nav: Navigator, path: str, line: int, end_line: int) -> str:
    return "\n".join(Lines(nav.state.text(path)).lines[line - 1:min(end_line, line + 30)])


def describe_member(nav: Navigator, o: sym.Occurrence) -> str | None:
    from segdsl.syntax import ast

    family, member = o.name.split(".", 1)
    found = _definition(nav, family)
    if found is None:
        return None
    path, d = found
    if isinstance(d, ast.FamilyDef):
        rules = d.rules + ((d.otherwise,) if d.otherwise is not None else ())
        rule = next((r for r in rules if r.name == member), None)
        what = f"member of the family `{family}`" + (" (`else`: customers no rule matches)"
                                                     if rule is d.otherwise else "")
        span = rule.span if rule is not None else None
    elif isinstance(d, ast.SplitDef):
        group = next((g for g in d.groups if g.name == member), None)
        what = f"group of the split `{family}`" + (f", {group.share.text}% of its population"
                                                   if group is not None else "")
        span = group.span if group is not None else None
    else:
        return None
    parts = [f"**{o.name}**: {what}"]
    if span is not None and span.known:
        parts.append(f"```seg\n{_source(nav, path, span.line, span.end_line)}\n```")
    meaning = _safe(lambda: sentence(nav.state.checked_project(), o.name))
    if meaning:
        parts.append(meaning)
    return "\n\n".join(parts)


def describe_holdout(nav: Navigator, name: str) -> str | None:
    return _safe(lambda: sentence(nav.state.checked_project(), name))


def describe_call(nav: Navigator, path: str, o: sym.Occurrence) -> str | None:
    """A use `in segment f(...)`: the signature and the sentence of these arguments."""
    from segdsl.syntax import ast

    found = _definition(nav, o.name)
    if found is None or not isinstance(found[1], ast.SegmentDef) or o.whole is None:
        return None
    text = Lines(nav.state.text(path)).lines
    w, s = o.whole, o.span
    written = text[s.line - 1][s.col - 1:] if w.end_line != s.line else text[s.line - 1][s.col - 1:w.end_col - 1]
    parts = [f"```seg\n{signature(found[1])}\n```"]

    def meaning() -> str | None:
        project = nav.state.checked_project()
        name = project.segment_name(written)
        said = sentence(project, name)
        return f"`{name}`: {said}" if said else None

    said = _safe(meaning)
    if said:
        parts.append(said)
    return "\n\n".join(parts)


def describe_parameterised(nav: Navigator, d: ast.SegmentDef) -> str | None:
    """The sentence of each argument list the project uses (or of the defaults)."""
    def meanings() -> str | None:
        project = nav.state.checked_project()
        resolved = project.resolved[0]
        names = [n for n, base in resolved.bases.items() if base == d.name][:MAX_INSTANCES]
        if not names and all(p.default is not None for p in d.params or ()):
            names = [project.segment_name(d.name)]
        lines = [f"- `{n}`: {s}" for n in names if (s := sentence(project, n))]
        return "\n".join(lines) if lines else None

    return _safe(meanings)


def describe_param(nav: Navigator, o: sym.Occurrence) -> str | None:
    segment, name = o.name.split(".", 1)
    found = _definition(nav, segment)
    params = getattr(found[1], "params", None) if found is not None else None
    p = next((p for p in params or () if p.name == name), None)
    if p is None:
        return None
    default = "" if p.default is None else " (has a default)"
    return f"**{name}**: {p.type}, parameter of `{segment}`{default}"


def describe_sequence(nav: Navigator, path: str, o: sym.Occurrence) -> str | None:
    """The sentence of the sequence under the cursor, from its segment's IR."""
    from segdsl.syntax import ast

    if o.whole is None:
        return None
    f, _ = nav.state.parse(path)
    d = next((d for d in f.definitions if d.span.line <= o.span.line <= d.span.end_line), None)
    if d is None:
        return None
    node = next((n for n in _walk(sym.roots(d)) if isinstance(n, ast.Sequence) and n.span == o.whole), None)
    if node is None:
        return None
    events = (node.event.value, *(s.event.value for s in node.steps))
    negated = node.steps[-1].negated if node.steps else False

    def words() -> str | None:
        from segdsl import ir
        from segdsl.explain.phrases import Phrases

        project = nav.state.checked_project()
        names = [d.name] if d.name in project.resolved[0].segments else \
            [n for n, b in project.resolved[0].bases.items() if b == d.name][:1]
        if isinstance(d, (ast.FamilyDef, ast.SplitDef)):
            names = [n for n in project.resolved[0].segments if n.startswith(d.name + ".")]
        for name in names:
            cond = project.segment_ir(name)
            for c in _walk([cond]):
                if isinstance(c, ir.Sequence) and tuple(c.events) == events and c.negated == negated:
                    return f"Customers {Phrases(project).inline(c, None)}."
        return None

    said = _safe(words)
    return f"**sequence**: {said}" if said else None


def _walk(roots: list[Any]) -> Iterator[Any]:
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if not dataclasses.is_dataclass(node) or isinstance(node, type):
            continue
        yield node
        stack.extend(getattr(node, f.name) for f in dataclasses.fields(node) if not f.name.endswith("span"))


def subject_definition(nav: Navigator, path: str, line: int, col: int) -> list[types.Location]:
    """Go to definition from a `.segtest` file: the segment (family, split, member or
    group) a test names in `segment = "..."`, `family = "..."` or `split = "..."`."""
    shown = nav.state.rel(path)
    for t in nav.state.segtests:
        s = t.subject_span
        if t.path != shown or not s.known or not (s.line <= line <= s.end_line):
            continue
        if s.line == s.end_line and not s.col <= col <= s.end_col:
            continue
        name = t.subject.split("(", 1)[0].strip()
        head, dot, tail = name.partition(".")
        if dot:
            target = sym.Occurrence(s, sym.MEMBER, name)
            for p, o in nav.everywhere(target):
                if o.declaration:
                    return [nav.location(p, o.span)]
        found = _definition(nav, head)
        return [nav.location(found[0], found[1].name_span)] if found is not None else []
    return []

