"""Printing diagnostics and one-line failures for the CLI.

The text form is Diagnostic.render's (`path:line:col: error[CODE]: message`, the source line,
carets, notes, hints) with two additions for a terminal: colour, only when the stream is a
terminal and NO_COLOR is not set; and long source lines clipped around the span, so that a
10 MB one-line file does not flood the screen.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import NoReturn

MAX_EXCERPT = 120  # columns of a source line shown under a diagnostic

_RESET = "\033[0m"
_STYLES = {"error": "\033[1;31m", "warning": "\033[1;33m", "bold": "\033[1m",
           "help": "\033[36m", "note": "\033[34m", "dim": "\033[2m"}


def fail(message: str, code: int) -> NoReturn:
    import typer

    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def use_color(stream, mode: str = "auto") -> bool:
    """`always`/`never`, or (auto) only on a terminal and never with NO_COLOR set."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def promote(diags, warnings_as_errors: bool):
    """With --warnings-as-errors every warning is reported (and counted) as an error."""
    if not warnings_as_errors:
        return list(diags)
    return [dataclasses.replace(d, severity="error")
            if d.severity == "warning" and dataclasses.is_dataclass(d) else d for d in diags]


def render(d, source: str | None, color: bool = False) -> str:
    from segdsl.diagnostics import Diagnostic

    if not isinstance(d, Diagnostic):  # a stand-in (tests): its own rendering
        return d.render(source)

    def paint(style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if color else text

    where = f"{d.span}: " if d.span.path else ""
    lines = [paint("bold", where) + paint(d.severity, f"{d.severity}[{d.code}]")
             + paint("bold", f": {d.message}")]
    for text, carets in _excerpt(d.span, source):
        lines.append(paint("dim", text[:9]) + text[9:])
        lines.append(paint("dim", carets[:9]) + paint(d.severity, carets[9:]))
    for span, note in d.related:
        lines.append(f"  {paint('note', 'note')}: {span}: {note}")
    for hint in d.hints:
        lines.append(f"  {paint('help', 'help')}: {hint}")
    return "\n".join(lines)


def _excerpt(span, source: str | None) -> list[tuple[str, str]]:
    """The source line and the caret line under the span (as Diagnostic.render shows them),
    clipped to MAX_EXCERPT columns around the span."""
    if source is None or not span.known:
        return []
    text_lines = source.splitlines()
    if span.line > len(text_lines):  # end of file: the caret after the last line
        number = len(text_lines) or 1
        text = text_lines[-1] if text_lines else ""
        start = end = len(text)
        end += 1
    else:
        number = span.line
        text = text_lines[span.line - 1].replace("\t", " ")
        start = max(span.col - 1, 0)
        end = span.end_col - 1 if span.end_line == span.line else len(text)
        end = max(end, start + 1)
    if len(text) > MAX_EXCERPT:
        left = max(0, min(start - MAX_EXCERPT // 3, len(text) - MAX_EXCERPT))
        shown = text[left:left + MAX_EXCERPT]
        prefix = "..." if left else ""
        suffix = "..." if left + MAX_EXCERPT < len(text) else ""
        start = start - left + len(prefix)
        end = min(end - left, MAX_EXCERPT) + len(prefix)
        text = prefix + shown + suffix
    width = max(end - start, 1)
    return [(f"  {number:>4} | {text}", "       | " + " " * start + "^" * width)]


def summary_line(errors: int, warnings: int, segments: int | None) -> str:
    if errors or warnings:
        parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        return ", ".join(parts) + "."
    if segments is None:
        return ""
    return f"ok: {segments} segment{'s' if segments != 1 else ''} checked, no problems."


def print_text(diags, source_of, stream=None, color: bool | None = None,
               segments: int | None = None, quiet_ok: bool = True) -> None:
    """Every diagnostic, a blank line after each, then the summary line."""
    out = stream or sys.stderr
    color = use_color(out) if color is None else color
    for d in diags:
        print(render(d, source_of(d.span.path), color), file=out)
        print(file=out)
    errors = sum(1 for d in diags if d.is_error)
    warnings = sum(1 for d in diags if d.severity == "warning")
    if diags or not quiet_ok:
        line = summary_line(errors, warnings, segments)
        if line:
            print(line, file=out)


def shown_path(project, path: str, base: str | os.PathLike | None = None) -> str:
    """A project path (relative to its root, as the API gives it) as the user finds it:
    relative to `base` (default: the working folder)."""
    root = getattr(project, "root", None)
    if not path or root is None:
        return path
    full = os.path.join(str(root), path)
    try:
        return os.path.relpath(full, base if base is not None else os.getcwd())
    except ValueError:  # another drive (Windows)
        return full


def relocate(diags, project, base: str | os.PathLike | None = None):
    """The diagnostics with every path shown relative to `base` (see shown_path), and a
    source lookup by the shown paths."""
    moved: dict[str, str] = {}

    def move(span):
        if not span.path:
            return span
        shown = shown_path(project, span.path, base)
        moved[shown] = span.path
        return dataclasses.replace(span, path=shown)

    out = []
    for d in diags:
        if dataclasses.is_dataclass(d):
            d = dataclasses.replace(
                d, span=move(d.span), related=tuple((move(s), note) for s, note in d.related),
                fixes=tuple(dataclasses.replace(f, span=move(f.span)) for f in getattr(d, "fixes", ())))
        out.append(d)
    source = project.source if project is not None else (lambda path: None)
    return out, lambda path: source(moved.get(path, path))


def print_diagnostics(diags, project=None, warnings_as_errors: bool = False, quiet_ok: bool = True) -> None:
    diags = promote(diags, warnings_as_errors)
    segments = len(project.segment_names()) if project is not None and not quiet_ok else None
    diags, source_of = relocate(diags, project)
    print_text(diags, source_of, segments=segments, quiet_ok=quiet_ok)
