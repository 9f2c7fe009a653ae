"""Words and hints of syntax errors: every grammar terminal by a human name, keyword typos,
and the look-alike characters people paste from documents and other languages.

The parser (segdsl/syntax/parse.py) decides where the error is; this module says it in the
user's terms. Nothing here names an internal token.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from segdsl.diagnostics import Fix, Span, closest

# Terminals matched by a regular expression, by what the user would call them. Terminals
# matched by a fixed string (keywords, punctuation) are shown as that string in backticks.
PATTERN_WORDS = {
    "NAME": "a name", "STRING": "a text in quotes", "NUMBER": "a number",
    "DATE": "a date (YYYY-MM-DD)", "PERCENT": "a percentage such as `10%`",
    "PERIOD": "a calendar period (week, month, quarter, year, fiscal_quarter, fiscal_year)",
    "UNIT": "a time unit (minutes, hours, days, weeks, months, years)",
    "SAME_MORE": "`, column` (another column of `with same`)",
    "COMP_OP": "a comparison (=, !=, <, <=, >, >=)", "MUL_OP": "`*` or `/`",
    "SIGN": "`+` or `-`", "COMMENT": "a comment", "_NL": "a line break", "WS": "a space",
    "$END": "the end of the file",
}
UNITS = ("days", "weeks", "months", "years", "day", "week", "month", "year", "hours", "minutes", "hour",
         "minute")

# Characters that look like the language's own, and what to write instead.
LOOK_ALIKES = {
    "≥": ">=", "≤": "<=", "≠": "!=", "−": "-", "–": "-", "—": "-", "×": "*", "÷": "/",
    "&&": "and", "||": "or", "&": "and", "|": "or", "!": "not", "<>": "!=", "==": "=",
}
_SMART_QUOTES = "“”„‟«»‘’‚‛"


def terminal_words(parser: Any) -> dict[str, str]:
    """Every terminal of the grammar by its human name (built once per parser)."""
    words = dict(PATTERN_WORDS)
    for t in parser.terminals:
        if t.name not in words and t.pattern.type == "str":
            words[t.name] = f"`{t.pattern.value}`"
    return words


def keyword_strings(parser: Any) -> dict[str, str]:
    """Terminal name -> keyword, for the terminals that are words (`where`, `and`, ...)."""
    return {t.name: t.pattern.value for t in parser.terminals
            if t.pattern.type == "str" and t.pattern.value.isidentifier()}


def unit_suggestion(word: str) -> str | None:
    """The closest time unit; the plural when the user typed as many letters as it has
    (`dayz` -> `days`, `dya` -> `day`)."""
    best = closest(word, UNITS)
    if best is None:
        return None
    plural = best if best.endswith("s") else best + "s"
    return plural if len(word) >= len(plural) else best


def keyword_hint(word: str, keywords: list[str], span: Span) -> tuple[str, tuple[Fix, ...]]:
    """A hint for a word where a keyword was expected: the lowercase keyword for `AND`,
    the closest keyword for a typo (`wher`, `segmnt`)."""
    if not keywords:
        return "", ()
    lower = word.lower()
    if lower != word and lower in keywords:
        return (f"keywords are lowercase: write `{lower}`",
                (Fix(span, lower, f"replace with `{lower}`"),))
    best = _closest_in_order(word, keywords)
    if best is None or best.lower() == word.lower():
        return "", ()
    return f"did you mean `{best}`?", (Fix(span, best, f"replace with `{best}`"),)


def look_alike(line_text: str, col: int, span: Span) -> tuple[str, str, tuple[Fix, ...]] | None:
    """(message, hint, fixes) for a look-alike character at 1-based `col` of a line, or None."""
    i = col - 1
    ch = line_text[i] if i < len(line_text) else ""
    if ch in _SMART_QUOTES:
        end = _closing_quote(line_text, i + 1)
        if end is None:
            return ("curly quotes are not text quotes", 'write text between straight double quotes: "..."', ())
        inner = line_text[i + 1:end]
        text = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
        whole = Span(span.path, span.line, col, span.line, end + 2)
        return ("curly quotes are not text quotes", f"write straight double quotes: `{text}`",
                (Fix(whole, text, f"replace with `{text}`"),))
    for bad in sorted(LOOK_ALIKES, key=len, reverse=True):
        if line_text.startswith(bad, i):
            good = LOOK_ALIKES[bad]
            if bad == "!" and line_text.startswith("!=", i):
                continue
            where = Span(span.path, span.line, col, span.line, col + len(bad))
            word = "operator" if not good.isalpha() else "keyword"
            return (f"`{bad}` is not an operator of the language", f"write the {word} `{good}`",
                    (Fix(where, good, f"replace with `{good}`"),))
    if ch == "%":
        j = i
        while j > 0 and line_text[j - 1] in " \t":
            j -= 1
        if j < i and j > 0 and line_text[j - 1].isdigit():
            where = Span(span.path, span.line, j + 1, span.line, col + 1)
            return ("a percentage is written without a space before `%`",
                    f"write `{_number_before(line_text, j)}%`", (Fix(where, "%", "remove the space"),))
    return None


def exponent(line_text: str, col: int, span: Span) -> tuple[str, tuple[Fix, ...]] | None:
    """A hint for a number in exponent notation (`1e6`) that reaches `col`, or None."""
    for m in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\w.])", line_text):
        if m.start() < col <= m.end() + 1:
            try:
                value = Decimal(m.group(0))
            except InvalidOperation:
                return None
            if abs(value.adjusted()) > 30:
                return "numbers are written out in full, without an exponent", ()
            text = format(value, "f")
            where = Span(span.path, span.line, m.start() + 1, span.line, m.end() + 1)
            return (f"numbers are written out in full: `{text}`",
                    (Fix(where, text, f"replace with `{text}`"),))
    return None


def _closest_in_order(word: str, candidates: list[str]) -> str | None:
    """The most similar candidate (ratio at least 0.6); ties go to the earlier one."""
    import difflib

    best, score = None, 0.6
    for c in candidates:
        r = difflib.SequenceMatcher(None, word.lower(), c).ratio()
        if r > score or (r == score and best is None):
            best, score = c, r
    return best


def _closing_quote(text: str, start: int) -> int | None:
    for j in range(start, len(text)):
        if text[j] in _SMART_QUOTES or text[j] == '"':
            return j
    return None


def _number_before(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
        start -= 1
    return text[start:end]
