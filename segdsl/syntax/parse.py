"""Source text -> AST, with syntax errors as diagnostics.

The file is cut into chunks at lines that start a definition (`segment`, `trait`, `score`),
and each chunk is parsed on its own: a syntax error costs one definition, and the rest of
the file is still checked. Nesting depth is measured on the parse tree without recursion
before any recursive pass runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from segdsl.diagnostics import Diagnostic, Fix, Span, error, quoted
from segdsl.syntax import ast
from segdsl.syntax.build import AstBuilder
from segdsl.syntax.grammar import parser
from segdsl.syntax.messages import (exponent, keyword_hint, keyword_strings, look_alike,
                                    terminal_words, unit_suggestion)

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 64

_DEFINITION_START = re.compile(r"^[ \t]*(segment|trait|score|family|split|holdout)\b", re.M)
_DEFINITION_NAME = re.compile(r"[ \t]*(segment|trait|score|family|split|holdout)[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
_CHAINS = {"sum_expr", "product"}

# The terminals that start a value (summarised as "a value" in an error message).
_VALUE_STARTS = {"NUMBER", "STRING", "DATE", "NAME", "TRUE", "FALSE", "TODAY", "LPAR", "SIGN",
                 "COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX", "FIRST", "LAST"}


def parse_source(text: str, path: str) -> tuple[ast.File, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        diagnostics.append(error("SEG0107", f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                                 Span(path, 1, 1, 1, 2), "split the segments into several files"))
        return ast.File(path, ()), diagnostics
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        diagnostics.append(error("SEG0105", "file contains a NUL character",
                                 Span(path, line, col, line, col + 1),
                                 "remove it; a .seg file is plain UTF-8 text"))
        return ast.File(path, ()), diagnostics

    definitions: list[ast.Definition] = []
    broken: list[str] = []
    for line_offset, chunk, last in _chunks(text):
        defs, diags = _parse_chunk(chunk, path, line_offset, last)
        definitions += defs
        diagnostics += diags
        named = _DEFINITION_NAME.match(chunk)
        if diags and not defs and named:
            broken.append(named.group(2))
    return ast.File(path, tuple(definitions), tuple(broken)), diagnostics


def _chunks(text: str) -> Iterator[tuple[int, str, bool]]:
    starts = [m.start() for m in _DEFINITION_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    line = 0
    for a, b in zip(starts, starts[1:]):
        chunk = text[a:b]
        yield line, chunk, b == len(text)
        line += chunk.count("\n")


def _parse_chunk(chunk: str, path: str, line_offset: int,
                 last: bool) -> tuple[list[ast.Definition], list[Diagnostic]]:
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    try:
        tree = parser().parse(chunk)
    except UnexpectedToken as e:
        return [], [_unexpected_token(e, path, line_offset, chunk, last)]
    except UnexpectedCharacters as e:
        return [], [_unexpected_char(e, path, line_offset, chunk)]
    except UnexpectedInput as e:  # end of input and other lark errors
        span = Span(path, getattr(e, "line", 1) + line_offset, getattr(e, "column", 1),
                    getattr(e, "line", 1) + line_offset, getattr(e, "column", 1) + 1)
        return [], [error("SEG0101", "unexpected end of the definition", span)]

    too_deep = _too_deep(tree)
    if too_deep is not None:
        line, col = too_deep
        span = Span(path, line + line_offset, col, line + line_offset, col + 1)
        return [], [error("SEG0106", f"condition is nested more than {MAX_DEPTH} levels deep",
                          span, "split it into smaller segments or traits and combine them "
                          "with `in segment`")]
    builder = AstBuilder(path, line_offset)
    definitions = builder.file(tree)
    return definitions, builder.diagnostics


def _too_deep(tree: Any) -> tuple[int, int] | None:
    """Depth of the parse tree (long `+`/`*` chains count per operand), without recursion."""
    from lark import Tree

    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, Tree):
            continue
        if node.data in _CHAINS:
            depth += len(node.children) // 2
        if depth > MAX_DEPTH:
            meta = node.meta
            return (getattr(meta, "line", 1), getattr(meta, "column", 1))
        stack.extend((child, depth + 1) for child in node.children)
    return None


def _describe_token(tok: Any) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "_NL":
        return "a line break"
    if tok.type == "NAME":
        return f"the name `{tok}`"
    if tok.type == "STRING":
        return f"the text {tok}"
    return f"`{tok}`"


_ENDINGS = {"$END", "SEGMENT", "TRAIT", "SCORE", "FAMILY", "SPLIT", "HOLDOUT"}
# Most helpful first; the rest of what the parser would accept is summarised as "...".
_PRIORITY = ["value", "COMP_OP", "andor", "RPAR", "RSQB", "COMMA", "ending", "rule", "arith", "UNIT"]
_GROUPS = {"value": "a value", "andor": "`and`, `or`", "ending": "a new definition",
           "arith": "an operator (+, -, *, /)", "rule": "a new rule (`+N when ...` or `-N when ...`)"}


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, str]:
    return terminal_words(parser())


@functools.lru_cache(maxsize=1)
def _keywords() -> dict[str, str]:
    return keyword_strings(parser())


def _expected_words(expected: Iterable[str]) -> str:
    expected = set(expected)
    groups: list[str] = []
    if {"NUMBER", "STRING", "NAME"} <= expected:
        groups.append("value")
    elif "NAME" in expected and len(expected) > 1:
        expected.discard("NAME")  # only a metadata key could follow: not worth naming
    arithmetic = "MUL_OP" in expected
    expected -= {"MUL_OP", "SIGN"} if arithmetic else set()
    if "value" in groups:
        expected -= _VALUE_STARTS
    if arithmetic:
        groups.append("arith")
    if {"AND", "OR"} <= expected:
        groups.append("andor")
        expected -= {"AND", "OR"}
    if "$END" in expected and expected & _ENDINGS and len(expected | set(groups)) > 1:
        groups.append("ending")  # the definition may end here: a new one may start
        expected -= _ENDINGS
    if {"RBRACE", "SIGN"} <= expected:  # inside a score block
        groups.append("rule")
        expected.discard("SIGN")
    words = _words()
    ordered = [g for g in _PRIORITY if g in groups or g in expected]
    ordered += sorted(t for t in expected if t not in _PRIORITY)
    shown = [_GROUPS.get(t) or words.get(t) or f"`{t.lower()}`" for t in ordered]
    if len(shown) > 4:
        shown = shown[:4] + ["..."]
    if not shown:
        return "something else"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _unexpected_token(e: Any, path: str, line_offset: int, chunk: str, last: bool) -> Diagnostic:
    tok = e.token
    if tok.type == "$END":
        lines = chunk.rstrip().splitlines() or [""]
        line = len(lines)
        col = len(lines[-1]) + 1
        span = Span(path, line + line_offset, col, line + line_offset, col + 1)
    else:
        span = Span(path, tok.line + line_offset, tok.column, tok.end_line + line_offset,
                    tok.end_column)
    # `accepts` is exact (it replays the parser's pending reductions); `expected` is the
    # LALR state's lookahead set, which also holds tokens that would fail one step later
    expected = set(getattr(e, "accepts", None) or e.expected)
    expected.discard("_NL") if "_NL" in expected and len(expected) > 1 else None
    history = [t for t in (getattr(e, "token_history", None) or []) if t is not None]
    if history:
        prev = str(history[-1]) if history[-1].type != "_NL" else None
    else:  # lark keeps no history at the end of input: take the last word of the text
        words = re.findall(r'"(?:[^"\\\n]|\\.)*"|[\w.%-]+|[^\s\w]+', _strip_comments(chunk))
        prev = words[-1] if words and tok.type == "$END" else None
    after = f" after `{prev}`" if prev else ""
    found = _describe_token(tok)
    hints: list[str] = []
    fixes: tuple[Fix, ...] = ()
    if tok.type == "$END" and not last:
        next_line = line_offset + chunk.count("\n") + 1
        found = f"a new definition on line {next_line}"
        hints.append("a line starting with `segment`, `trait` or `score` starts a new definition: "
                      "finish this one before it")
    line_text = _line(chunk, tok.line) if tok.type != "$END" else ""
    special = _special(tok, chunk, expected, span, line_text, path, line_offset)
    if special is not None:
        message, hint, fixes = special
        if message:
            return error("SEG0101", message, span if not fixes else fixes[0].span, hint, fixes=fixes)
        hints.insert(0, hint)
    if tok.type == "SIGN" and str(tok) == "-" and "NUMBER" in expected and (
            "NAME" not in expected or "PERIOD" in expected):  # after `in last`, NAME: a duration parameter
        hints.append("counts and windows cannot be negative")
    if tok.type == "STRING" and "NAME" in expected and "STRING" not in expected:
        hints.append("names are written without quotes")
    if "RBRACE" in expected and "SIGN" in expected and tok.type != "$END" \
            and chunk[:tok.start_pos].rstrip(" \t").endswith("\n"):
        hints.append("a rule of a score ends with its line; to go on with the condition on the next "
                     "line, put it in parentheses: inside `( )` a condition may span lines")
    message = f"expected {_expected_words(expected)}{after}, found {found}"
    return error("SEG0101", message, span, *hints, fixes=fixes)


def _special(tok: Any, chunk: str, expected: set[str], span: Span, line_text: str, path: str,
             line_offset: int) -> tuple[str, str, tuple[Fix, ...]] | None:
    """(message or "", hint, fixes) for a recognisable slip: a keyword typo or in capitals,
    a time unit typo, a number with an exponent, `<>` or `==`; None otherwise. (Lark keeps
    no token history here, so the text before the token is read from the chunk.)"""
    text = str(tok)
    before = chunk[:tok.start_pos] if tok.type != "$END" else chunk
    if tok.type == "NAME" and re.fullmatch(r"[eE]\d*", text) and before[-1:].isdigit():
        spelled = exponent(line_text, tok.column, span)
        if spelled is not None:
            hint, fixes = spelled
            digits = re.search(r"[\d.]*$", before)
            number = (digits.group(0) if digits else "") + text
            return f"`{number}` is not a number of the language", hint, fixes
    if tok.type in ("COMP_OP", "EQUAL") and before[-1:] in ("<", "=", ">", "!"):
        col = tok.column - 1
        found = look_alike(line_text, col, Span(path, span.line, col, span.line, col))
        if found is not None:
            return found
    if tok.type == "NAME" and "UNIT" in expected:
        unit = unit_suggestion(text)
        if unit:
            return "", f"did you mean `{unit}`?", (Fix(span, unit, f"replace with `{unit}`"),)
    keywords = _keywords()
    if text.isidentifier() and tok.type == "NAME":
        wanted = [keywords[t] for t in sorted(expected) if t in keywords]
        hint, fixes = keyword_hint(text, wanted + [k for k in _FOLLOWERS if k not in wanted], span)
        if hint:
            return "", hint, fixes
    word = re.search(r"([A-Za-z_]\w*)\s*$", before)
    if word and word.group(1).lower() in keywords.values() and word.group(1) != word.group(1).lower():
        w = word.group(1)
        start = tok.column - (len(before) - word.start(1))
        where = Span(path, span.line, start, span.line, start + len(w)) if start >= 1 else span
        return f"`{w}` is not a keyword: keywords are lowercase", f"write `{w.lower()}`", (
            Fix(where, w.lower(), f"replace with `{w.lower()}`"),)
    if tok.type in ("NUMBER", "STRING", "DATE", "PERCENT") and {"AND", "OR"} <= expected:
        value = re.search(r'("(?:[^"\\\n]|\\.)*"|[\w.%-]+)\s*$', before)
        shown = f" between `{value.group(1)}` and `{text}`" if value else ""
        return "", f"two values in a row: write `and`, `or` or an operator{shown}", ()
    return None


# Words that may follow a complete value or condition: where a name is not allowed after
# one, the user most likely mistyped one of them (in this order of likelihood).
_FOLLOWERS = ("and", "or", "where", "in", "is", "not", "between", "contains", "starts", "ends",
              "has", "before", "after", "on", "by", "when", "segment", "trait", "score")


def _line(chunk: str, line: int) -> str:
    lines = chunk.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _strip_comments(text: str) -> str:
    return re.sub(r'#[^\n]*', "", text)


def _unexpected_char(e: Any, path: str, line_offset: int, chunk: str) -> Diagnostic:
    ch = chunk[e.pos_in_stream] if e.pos_in_stream < len(chunk) else ""
    span = Span(path, e.line + line_offset, e.column, e.line + line_offset, e.column + 1)
    if ch == '"':
        return error("SEG0103", "text is not closed: a `\"` is missing before the end of the line",
                     span, 'close the text with `"`; write \\" for a quote inside it')
    line_text = _line(chunk, e.line)
    if ch == "'":
        end = line_text.find("'", e.column)
        fixes: tuple[Fix, ...] = ()
        if end > 0:
            text = quoted(line_text[e.column:end])
            fixes = (Fix(Span(path, span.line, e.column, span.line, end + 2), text, f"replace with `{text}`"),)
        return error("SEG0102", "text is written in double quotes", span, 'write "..." instead of \'...\'',
                     fixes=fixes)
    found = look_alike(line_text, e.column, span)
    if found is not None:
        message, hint, fixes = found
        return error("SEG0102", message, span, hint, fixes=fixes)
    shown = ch if ch.isprintable() else repr(ch)
    return error("SEG0102", f"unexpected character `{shown}`", span)
