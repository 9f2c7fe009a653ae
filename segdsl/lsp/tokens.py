"""Semantic tokens: what each name is (field, trait, segment, function, enumeration value),
which a TextMate grammar cannot know: it needs the schema and the project's definitions."""

from __future__ import annotations

from lsprotocol import types

from segdsl.lsp import symbols as sym
from segdsl.lsp.convert import Lines

TOKEN_TYPES = ["property", "variable", "class", "function", "enumMember", "namespace", "parameter"]
TOKEN_MODIFIERS = ["declaration"]
LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_TYPE_OF = {sym.FIELD: 0, sym.COLUMN: 0, sym.TRAIT: 1, sym.SCORE: 1, sym.SEGMENT: 2,
            sym.FUNCTION: 3, sym.ENUM_VALUE: 4, sym.EVENT: 4, sym.RELATION: 5, sym.MEMBER: 2, sym.PARAM: 6}


def encode(occurrences: list[sym.Occurrence], text: str) -> list[int]:
    """The protocol's relative encoding: 5 integers per token, sorted by position."""
    lines = Lines(text)
    data: list[int] = []
    prev_line = prev_char = 0
    spans = sorted((o for o in occurrences if o.kind in _TYPE_OF and o.span.line == o.span.end_line),
                   key=lambda o: (o.span.line, o.span.col))
    last_end = (-1, -1)
    for o in spans:
        start = lines.position(o.span.line, o.span.col)
        end = lines.position(o.span.line, o.span.end_col)
        if (start.line, start.character) < last_end:
            continue  # overlapping tokens are not allowed
        delta_line = start.line - prev_line
        delta_char = start.character - prev_char if delta_line == 0 else start.character
        data += [delta_line, delta_char, end.character - start.character, _TYPE_OF[o.kind],
                 1 if o.declaration else 0]
        prev_line, prev_char = start.line, start.character
        last_end = (end.line, end.character)
    return data
