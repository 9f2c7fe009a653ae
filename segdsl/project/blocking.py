"""Which errors keep one definition from compiling.

A project with a broken segment `b` can still compile an unrelated segment `a`: only errors
in the configuration, and errors inside the definitions `a` uses (itself, the segments,
traits and scores it names, transitively), block it. Names are read from the syntax tree
generically (every string field outside text literals), so a new construct needs no change
here; a field that happens to share a definition's name only makes the set larger, never
lets an error through.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from segdsl.diagnostics import Diagnostic, Span
from segdsl.syntax.ast import InSegment

CONFIG_NAME = "segdsl.toml"


def definitions(files: Iterable[Any]) -> dict[str, list[tuple[str, Any]]]:
    """name -> [(path, definition)], every definition of the name (duplicates included)."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for f in files:
        for d in f.definitions:
            found.setdefault(d.name, []).append((f.path, d))
    return found


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _strings(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        if type(node).__name__ == "String":  # text in quotes names nothing
            return
        if isinstance(node, InSegment):  # `split.group` uses the split
            yield _owner(node.name)
        for f in dataclasses.fields(node):
            yield from _strings(getattr(node, f.name))


def used_names(name: str, defs: dict[str, list[tuple[str, Any]]]) -> set[str]:
    """`name` and every definition it uses, directly or through others."""
    seen = {name, _owner(name)}
    todo = list(seen)
    while todo:
        for _, d in defs.get(todo.pop(), []):
            body = [getattr(d, f.name) for f in dataclasses.fields(d) if f.name != "name"]
            for word in _strings(body):
                if word in defs and word not in seen:
                    seen.add(word)
                    todo.append(word)
    return seen


def _owner(name: str) -> str:
    """The definition a dotted name belongs to: `split.group` is a group of `split`."""
    return name.split(".", 1)[0]


def _inside(span: Span, path: str, region: Span) -> bool:
    return (span.path == path and (region.line, region.col) <= (span.line, span.col)
            <= (region.end_line, region.end_col))


def blocking(errors: list[Diagnostic], name: str, files: Iterable[Any]) -> list[Diagnostic]:
    """The errors among `errors` that keep definition `name` from compiling."""
    defs = definitions(files)
    # errors of the configuration (or of nothing in particular) block every definition
    found = [e for e in errors if e.span.path in ("", CONFIG_NAME)]
    if _owner(name) not in defs:
        # perhaps the definition a syntax error dropped: those errors are the answer
        return [e for e in errors if e in found or e.code.startswith("SEG01")]
    regions = [(path, d.span) for used in used_names(name, defs) for path, d in defs.get(used, [])]
    return [e for e in errors if e in found
            or any(_inside(e.span, path, region) for path, region in regions)]
