"""Source text -> AST, with syntax errors as diagnostics.

The file is cut into chunks at lines that start a definition (`segment`, `trait`, `score`),
and each chunk is parsed on its own: a syntax error costs one definition, and the rest of
the file is still checked. Nesting depth is measured on the parse tree without recursion
before any recursive pass runs.
"""

from __future__ import annotations

import re

from segdsl.diagnostics import Diagnostic, Span, did_you_mean, error
from segdsl.syntax import ast
from segdsl.syntax.build import AstBuilder
from segdsl.syntax.grammar import parser

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 64
UNITS = ("days", "weeks", "months", "years", "day", "week", "month", "year")

_DEFINITION_START = re.compile(r"^[ \t]*(segment|trait|score)\b", re.M)
_CHAINS = {"sum_expr", "product"}

# How a parser terminal is named in an error message.
_VALUE_STARTS = {"NUMBER", "STRING", "DATE", "NAME", "TRUE", "FALSE", "TODAY", "LPAR", "SIGN",
                 "COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX", "FIRST", "LAST"}
_WORDS = {
    "COMP_OP": "a comparison (=, !=, <, <=, >, >=)", "RPAR": "`)`", "LPAR": "`(`",
    "RSQB": "`]`", "LSQB": "`[`", "RBRACE": "`}`", "LBRACE": "`{`", "COMMA": "`,`",
    "COLON": "`:`", "DOT": "`.`", "EQUAL": "`=`", "UNIT": "a time unit (days, weeks, months, years)",
    "PERCENT": "a percentage", "_NL": "a line break", "$END": "the end of the file",
    "WHERE": "`where`", "BY": "`by`", "WHEN": "`when`", "SET": "`set`", "WITH": "`with`",
    "SEGMENT": "`segment`", "TRAIT": "`trait`", "SCORE": "`score`", "IN": "`in`",
    "AND": "`and`", "OR": "`or`", "NOT": "`not`", "TIMES": "`times`", "NUMBER": "a number",
    "STRING": "a text in quotes", "NAME": "a name", "DATE": "a date (YYYY-MM-DD)",
}


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
    for line_offset, chunk in _chunks(text):
        defs, diags = _parse_chunk(chunk, path, line_offset)
        definitions += defs
        diagnostics += diags
    return ast.File(path, tuple(definitions)), diagnostics


def _chunks(text: str):
    starts = [m.start() for m in _DEFINITION_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    line = 0
    for a, b in zip(starts, starts[1:]):
        chunk = text[a:b]
        yield line, chunk
        line += chunk.count("\n")


def _parse_chunk(chunk: str, path: str, line_offset: int):
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    try:
        tree = parser().parse(chunk)
    except UnexpectedToken as e:
        return [], [_unexpected_token(e, path, line_offset, chunk)]
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


def _too_deep(tree):
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


def _describe_token(tok) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "_NL":
        return "a line break"
    if tok.type == "NAME":
        return f"the name `{tok}`"
    if tok.type == "STRING":
        return f"the text {tok}"
    if tok.type in ("NUMBER", "PERCENT", "DATE"):
        return f"`{tok}`"
    return f"`{tok}`"


_ENDINGS = {"$END", "SEGMENT", "TRAIT", "SCORE"}
# Most helpful first; the rest of what the parser would accept is summarised as "...".
_PRIORITY = ["value", "COMP_OP", "andor", "RPAR", "RSQB", "COMMA", "ending", "arith", "UNIT"]


def _expected_words(expected) -> str:
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
    if expected & _ENDINGS and len(expected | set(groups)) > 1:
        groups.append("ending")
        expected -= _ENDINGS
    names = {"value": "a value", "andor": "`and`, `or`", "ending": "a new definition",
             "arith": "an operator (+, -, *, /)"}
    ordered = [g for g in _PRIORITY if g in groups or g in expected]
    ordered += sorted(t for t in expected if t not in _PRIORITY)
    words = [names.get(t) or _WORDS.get(t, f"`{t.lower()}`") for t in ordered]
    if len(words) > 4:
        words = words[:4] + ["..."]
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _unexpected_token(e, path: str, line_offset: int, chunk: str) -> Diagnostic:
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
    hints = []
    if "UNIT" in expected and tok.type == "NAME":
        hints.append(did_you_mean(str(tok), UNITS))
    if tok.type == "SIGN" and str(tok) == "-" and "NUMBER" in expected and "NAME" not in expected:
        hints.append("counts and windows cannot be negative")
    if tok.type == "STRING" and "NAME" in expected and "STRING" not in expected:
        hints.append("names are written without quotes")
    message = f"expected {_expected_words(expected)}{after}, found {_describe_token(tok)}"
    return error("SEG0101", message, span, *hints)


def _strip_comments(text: str) -> str:
    return re.sub(r'#[^\n]*', "", text)


def _unexpected_char(e, path: str, line_offset: int, chunk: str) -> Diagnostic:
    ch = chunk[e.pos_in_stream] if e.pos_in_stream < len(chunk) else ""
    span = Span(path, e.line + line_offset, e.column, e.line + line_offset, e.column + 1)
    if ch == '"':
        return error("SEG0103", "text is not closed: a `\"` is missing before the end of the line",
                     span, 'close the text with `"`; write \\" for a quote inside it')
    if ch == "'":
        return error("SEG0102", "text is written in double quotes", span, 'write "..." instead of \'...\'')
    shown = ch if ch.isprintable() else repr(ch)
    return error("SEG0102", f"unexpected character `{shown}`", span)
