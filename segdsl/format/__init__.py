"""`segdsl fmt`: one canonical layout for .seg files (the rules: docs/formatting.md).

    from segdsl.format import format_source, FormatError
    try:
        new_text = format_source(text, "segments/value.seg")
    except FormatError as e:
        e.diagnostics  # the syntax errors: a file that does not parse is never rewritten

format_source raises FormatError for text with syntax errors rather than returning partial
output: the parser skips a broken definition, so formatting the rest would drop it. It
checks its own result before returning it: the output parses to the same tree (numbers
compared by value spelling, see `canonical`) and carries every comment; a failure there is
a bug in the formatter and raises FormatterBug.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast

from segdsl.diagnostics import Diagnostic, Span
from segdsl.format.comments import Comment, Source, Units, scan
from segdsl.format import flat
from segdsl.format.flat import number_text
from segdsl.format.layout import INDENT, Layout, Line
from segdsl.syntax import ast

__all__ = ["FormatError", "FormatterBug", "canonical", "format_source"]


class FormatError(Exception):
    """The text has syntax errors; `diagnostics` holds them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class FormatterBug(RuntimeError):
    """The formatter's output would change the meaning or lose a comment."""


def format_source(text: str, path: str = "<text>") -> str:
    from segdsl.syntax.parse import parse_source

    if text.startswith("\ufeff"):
        text = text[1:]
    file, diagnostics = parse_source(text, path)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise FormatError(errors)
    comments = scan(text)
    out, emitted = _render(file, text, comments)
    again = parse_source(out, path)
    if any(d.code == "SEG0106" for d in again[1]):
        # the parentheses added for readers would pass the parser's nesting limit: keep only
        # the ones the meaning needs (never more than the source had), and keep long score
        # rules on one line (breaking them needs parentheses)
        with flat.minimal_parentheses():
            out, emitted = _render(file, text, comments)
        again = parse_source(out, path)
    _verify(file, comments, emitted, out, again, path)
    return out


def _render(file: ast.File, text: str, comments: list[Comment]) -> tuple[str, list[Comment]]:
    source = Source(text)
    units = Units(file, source)
    units.attach(comments)
    layout = Layout(units)
    out: list[str] = []
    emitted: list[Comment] = []

    def top_level(c: Comment) -> None:
        if c.blank_before and out and out[-1]:
            out.append("")
        out.append(c.text)
        emitted.append(c)

    for d, (top, _) in zip(file.definitions, units.per_def):
        for c in top.leading:
            top_level(c)
        above = d.span.line - 1
        if above >= 1 and not source.line_text(above).strip() and out and out[-1]:
            out.append("")  # keep one blank line where the author left one or more
        for line in layout.definition(d):
            out += _emit(line, emitted)
    for c in units.trailer:
        top_level(c)
    return ("\n".join(out) + "\n") if out else "", emitted


def _emit(line: Line, emitted: list[Comment]) -> list[str]:
    pad = " " * line.indent
    lines = []
    for unit in line.units:
        if unit.kind != "def":  # a definition's own leading comments are printed at top level
            inside = " " * INDENT if unit.kind == "close" else ""  # above `}`: in the block
            for c in unit.leading:
                lines.append(pad + inside + c.text)
                emitted.append(c)
    trailing = sorted((c for unit in line.units for c in unit.trailing), key=lambda c: c.offset)
    emitted += trailing
    text = (pad + line.text).rstrip()
    if trailing:
        text += "  " + "  ".join(c.text for c in trailing)
    lines.append(text)
    return lines


_T = TypeVar("_T")


def canonical(node: _T) -> _T:
    """The tree with every number spelled canonically and no positions: what formatting
    must preserve. (Spans are blanked here too because Duration.unit_span takes part in
    AST equality.)"""
    return cast(_T, _canonical(node))  # rebuilt field by field: the same type


def _canonical(node: Any) -> Any:
    if isinstance(node, Span):
        return Span.none()
    if isinstance(node, ast.Number):
        return ast.Number(node.value, number_text(node.text), node.span)
    if isinstance(node, tuple):
        return tuple(_canonical(x) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        rebuilt = type(node)(**{f.name: _canonical(getattr(node, f.name))
                                for f in dataclasses.fields(node)})
        return _band_in_order(rebuilt) if isinstance(rebuilt, (ast.Between, ast.RangeWindow)) else rebuilt
    return node


def _band_in_order(node: ast.Between | ast.RangeWindow) -> ast.Between | ast.RangeWindow:
    """`between 90 and 30 days ago` as `between 30 and 90 days ago`: the same days, the
    order `fmt` writes."""
    low, high = node.low, node.high
    if not (isinstance(low, ast.Number) and isinstance(high, ast.Ago)) or low.value <= high.duration.amount.value:
        return node
    far = high.duration.amount
    swapped = dataclasses.replace(high, duration=dataclasses.replace(high.duration, amount=low))
    return dataclasses.replace(node, low=far, high=swapped)


def _verify(file: ast.File, comments: list[Comment], emitted: list[Comment], out: str,
            reparsed: tuple[ast.File, list[Diagnostic]], path: str) -> None:
    again, diagnostics = reparsed
    if any(d.is_error for d in diagnostics):
        raise FormatterBug(f"{path}: the formatted text does not parse: {diagnostics[0]}")
    if canonical(again) != canonical(file):
        raise FormatterBug(f"{path}: formatting would change the meaning")
    printed = " ".join(c.text for c in scan(out))
    if sorted(map(id, emitted)) != sorted(map(id, comments)) or \
            any(c.text not in printed for c in comments):
        raise FormatterBug(f"{path}: formatting would lose a comment")
