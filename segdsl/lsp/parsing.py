"""Parsing a buffer again after an edit: only the definitions whose text changed.

segdsl's parser already cuts a file into chunks at definition starts and parses each on its
own (segdsl.syntax.parse). Here the result of each chunk is kept, keyed by its text and
first line: an edit re-parses the one chunk it touched, and every other definition of the
file comes back as the very same object, which tells the checker it is unchanged. A chunk
whose text is unchanged but which moved (lines inserted above it) is not parsed again: its
tree is copied with every span moved by the same number of lines, and `moved` records it,
so that the checker can move its diagnostics instead of checking it again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from segdsl.diagnostics import Diagnostic, Fix, Span
from segdsl.syntax import ast
from segdsl.syntax.parse import _DEFINITION_NAME, MAX_FILE_BYTES, _chunks, _parse_chunk, parse_source

# a chunk's text, first line and whether it ends the file -> its definitions and diagnostics
ChunkKey = tuple[str, int, bool]
Chunk = tuple[tuple[ast.Definition, ...], tuple[Diagnostic, ...]]
ChunkCache = dict[ChunkKey, Chunk]
# id(new definition) -> (old definition, lines moved)
Moved = dict[int, tuple[ast.Definition, int]]


def parse_chunks(text: str, path: str,
                 cache: ChunkCache) -> tuple[ast.File, list[Diagnostic], ChunkCache, Moved]:
    """(file, syntax diagnostics, the cache to keep for the next parse of this path, moved)
    where moved maps id(new definition) -> (old definition, lines moved). The result is
    parse_source's: the same definitions, diagnostics and `broken` names."""
    if "\x00" in text or len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        f, diags = parse_source(text, path)  # refused whole: size or NUL
        return f, diags, {}, {}
    # a chunk parses the same wherever it is, except that the last one of the file may be
    # told so in its errors
    by_text = {(chunk, last): (offset, hit) for (chunk, offset, last), hit in cache.items()}
    definitions: list[ast.Definition] = []
    diagnostics: list[Diagnostic] = []
    broken: list[str] = []
    kept: ChunkCache = {}
    moved: Moved = {}
    for line_offset, chunk, last in _chunks(text):
        key = (chunk, line_offset, last)
        hit = cache.get(key) or kept.get(key)
        if hit is None and (chunk, last) in by_text and not by_text[chunk, last][1][1]:
            old_offset, (old_defs, _) = by_text[chunk, last]
            delta = line_offset - old_offset
            new_defs = tuple(shift(d, delta) for d in old_defs)
            moved.update({id(n): (o, delta) for n, o in zip(new_defs, old_defs)})
            hit = (new_defs, ())
        if hit is None:
            defs, diags = _parse_chunk(chunk, path, line_offset, last)
            hit = (tuple(defs), tuple(diags))
        kept[key] = hit
        definitions += hit[0]
        diagnostics += hit[1]
        if hit[1] and not hit[0]:
            named = _DEFINITION_NAME.match(chunk)
            if named:  # a definition with a syntax error: uses of its name are not reported
                broken.append(named.group(2))
    return ast.File(path, tuple(definitions), tuple(broken)), diagnostics, kept, moved


def shift_span(s: Span, delta: int) -> Span:
    return Span(s.path, s.line + delta, s.col, s.end_line + delta, s.end_col) if s.known else s


def shift(node: Any, delta: int) -> Any:
    """A copy of an AST node with every span `delta` lines further."""
    if isinstance(node, Span):
        return shift_span(node, delta)
    if isinstance(node, tuple):
        return tuple(shift(x, delta) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: shift(getattr(node, f.name), delta) for f in dataclasses.fields(node)}
        return type(node)(**changes)
    return node


def shift_diagnostic(d: Diagnostic, delta: int, path: str, lines: range) -> Diagnostic:
    """The diagnostic with the spans that lie in `lines` of `path` moved by `delta`."""
    def move(s: Span) -> Span:
        return shift_span(s, delta) if s.path == path and s.line in lines else s

    return dataclasses.replace(
        d, span=move(d.span), related=tuple((move(s), n) for s, n in d.related),
        fixes=tuple(Fix(move(f.span), f.replacement, f.title) for f in d.fixes))
