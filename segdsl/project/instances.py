"""Naming one instantiation of a parameterised segment from outside the project: the
`--segment 'regulars_in("South")'` of the command line, or `Project.segment_name`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl.diagnostics import Diagnostic, Span, error
from segdsl.syntax import ast

if TYPE_CHECKING:
    from segdsl.api import Project

_PREFIX = "segment __selected where in segment "
_NOWHERE = Span("", 0, 0, 0, 0)


def instantiate(project: Project, text: str) -> str:
    """The canonical name of the segment `text` names (see Project.segment_name)."""
    from segdsl.api import CompileError
    from segdsl.check import params
    from segdsl.syntax.parse import parse_source

    resolved, _ = project.resolved
    text = text.strip()
    if text in resolved.segments or resolved.checker is None:
        return text
    checker = resolved.checker
    base = text.partition("(")[0].strip()
    d = checker.defs.get(base)
    if not isinstance(d, ast.SegmentDef) or (d.params is None and "(" not in text):
        return text  # not parameterised: compiling it says what is wrong, as for any name
    files, syntax = parse_source(_PREFIX + text, "--segment")
    use = _use(files.definitions)
    if syntax or use is None:
        raise CompileError([error("SEG0375", f"`{text}` is not a segment with arguments", _NOWHERE,
                                  'write it as in a condition: `regulars_in("South", min_orders: 3)`')])
    before = len(checker.diags)
    name = params.instance(checker, d, use.args, use.name_span)
    found = checker.diags[before:]
    del checker.diags[before:]  # about this request, not about the project
    if name is None:
        raise CompileError([_unplaced(x, text) for x in found if x.is_error]
                           or [error("SEG0375", f"segment `{base}` cannot be compiled", _NOWHERE)])
    checker.add_instances(resolved)
    return name


def _use(definitions: tuple[ast.Definition, ...]) -> ast.InSegment | None:
    if len(definitions) != 1 or not isinstance(definitions[0], ast.SegmentDef):
        return None
    where = definitions[0].where
    return where if isinstance(where, ast.InSegment) else None


def _unplaced(d: Diagnostic, text: str) -> Diagnostic:
    """A diagnostic about the command line's text: no file to point into."""
    import dataclasses

    if d.span.path != "--segment":
        return d
    col = d.span.col - len(_PREFIX)
    excerpt = text[col - 1:d.span.end_col - len(_PREFIX) - 1] if col >= 1 else ""
    where = f" (at `{excerpt}`)" if excerpt and excerpt not in d.message else ""
    return dataclasses.replace(d, message=d.message + where, span=_NOWHERE, related=())
