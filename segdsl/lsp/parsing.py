"""Parsing a buffer again after an edit: only the definitions whose text changed.

segdsl's parser already cuts a file into chunks at definition starts and parses each on its
own (segdsl.syntax.parse). Here the result of each chunk is kept, keyed by its text and
first line, so an edit re-parses the one chunk it touched and every other definition of the
file comes back as the very same object, which tells the checker it is unchanged.
"""

from __future__ import annotations

from segdsl.syntax import ast
from segdsl.syntax.parse import MAX_FILE_BYTES, _chunks, _parse_chunk, parse_source


def parse_chunks(text: str, path: str, cache: dict) -> tuple[ast.File, list, dict]:
    """(file, syntax diagnostics, the cache to keep for the next parse of this path)."""
    if "\x00" in text or len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        f, diags = parse_source(text, path)  # refused whole: size or NUL
        return f, diags, {}
    definitions, diagnostics, kept = [], [], {}
    for line_offset, chunk in _chunks(text):
        key = (chunk, line_offset)
        hit = cache.get(key) or kept.get(key)
        if hit is None:
            defs, diags = _parse_chunk(chunk, path, line_offset)
            hit = (tuple(defs), tuple(diags))
        kept[key] = hit
        definitions += hit[0]
        diagnostics += hit[1]
    return ast.File(path, tuple(definitions)), diagnostics, kept
