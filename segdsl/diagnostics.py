"""Diagnostics: what every stage reports instead of raising.

A diagnostic has a stable code (see docs/errors.md), a severity, a message, a span and
optional hints. Stages collect them in lists; nothing in the pipeline raises on bad input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Span:
    """A range in a source file. Lines and columns are 1-based; `end_col` is exclusive."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def none() -> Span:
        return Span("", 0, 0, 0, 0)

    @property
    def known(self) -> bool:
        return self.line > 0

    def to(self, other: Span) -> Span:
        """The span from the start of self to the end of other."""
        if not self.known:
            return other
        if not other.known:
            return self
        return Span(self.path, self.line, self.col, other.end_line, other.end_col)

    def __str__(self) -> str:
        if not self.known:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Fix:
    """A structured fix: replace the text of `span` with `replacement`. Offered wherever a
    did-you-mean or a rewrite is suggested; editors turn each into a quick fix. A diagnostic
    whose fixes are alternatives (two ways to say what was meant) lists them in order of
    preference; `title` says what each does."""

    span: Span
    replacement: str
    title: str = ""


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Literal["error", "warning"]
    message: str
    span: Span
    hints: tuple[str, ...] = ()
    related: tuple[tuple[Span, str], ...] = field(default=())
    fixes: tuple[Fix, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span.path else ""
        return f"{where}{self.severity}[{self.code}]: {self.message}"

    def render(self, source: str | None = None) -> str:
        """The diagnostic as a user reads it: header, source line with carets, hints."""
        lines = [str(self)]
        lines += _excerpt(self.span, source)
        for span, note in self.related:
            lines.append(f"  note: {span}: {note}")
        for hint in self.hints:
            lines.append(f"  help: {hint}")
        return "\n".join(lines)


def _excerpt(span: Span, source: str | None) -> list[str]:
    if source is None or not span.known:
        return []
    text_lines = source.splitlines()
    if span.line > len(text_lines):
        # end of file: show the last line with the caret after it
        last = text_lines[-1] if text_lines else ""
        return [f"  {len(text_lines) or 1:>4} | {last}", "       | " + " " * len(last) + "^"]
    text = text_lines[span.line - 1].replace("\t", " ")
    start = max(span.col - 1, 0)
    end = span.end_col - 1 if span.end_line == span.line else len(text)
    width = max(end - start, 1)
    return [f"  {span.line:>4} | {text}", "       | " + " " * start + "^" * width]


def error(code: str, message: str, span: Span, *hints: str,
          related: Iterable[tuple[Span, str]] = (), fixes: Iterable[Fix] = ()) -> Diagnostic:
    return Diagnostic(code, "error", message, span, tuple(h for h in hints if h), tuple(related),
                      tuple(fixes))


def warning(code: str, message: str, span: Span, *hints: str,
            related: Iterable[tuple[Span, str]] = (), fixes: Iterable[Fix] = ()) -> Diagnostic:
    return Diagnostic(code, "warning", message, span, tuple(h for h in hints if h), tuple(related),
                      tuple(fixes))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A "did you mean" hint: the closest candidate, also when only the case differs."""
    candidates = list(candidates)
    for c in candidates:
        if c.lower() == word.lower():
            return f"did you mean `{c}`?"
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        close = [lowered[m] for m in difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=0.6)]
    return f"did you mean `{close[0]}`?" if close else ""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    hint = did_you_mean(word, candidates)
    return hint.split("`")[1] if hint else None


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def suggestion(word: str, candidates: Iterable[str], span: Span, quote: bool = False) -> tuple[str, tuple[Fix, ...]]:
    """The did-you-mean hint and its structured fix (replace `span` with the closest
    candidate); ("", ()) when nothing is close. `quote` writes the replacement as a text in
    double quotes (enumeration values, event names)."""
    best = closest(word, candidates)
    if best is None:
        return "", ()
    text = quoted(best) if quote else best
    return f"did you mean `{best}`?", (Fix(span, text, f"replace with `{text}`"),)


def quoted(text: str) -> str:
    """A text as the language writes it in double quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
