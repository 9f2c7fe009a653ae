"""`segdsl check`: the CI gate.

Output: `text` on stderr (coloured only on a terminal without NO_COLOR); `json` and `sarif`
on stdout; `github` prints workflow commands (annotations) on stdout and the text on stderr
for the log. Exit codes: 0 clean, 1 errors in segments, 2 usage or configuration errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from segdsl.cli.checking import COLORS, FORMATS, _load, _split_changes, report
from segdsl.cli.options import check_format, command, fail, format_option


def check(
    paths: Annotated[Optional[List[Path]], typer.Argument(
        metavar="PATH", readable=False, help="Project folders or .seg files (default: .).")] = None,
    warnings_as_errors: Annotated[bool, typer.Option(
        "--warnings-as-errors", help="Fail on warnings too.")] = False,
    fmt: Annotated[str, format_option(*FORMATS)] = "text",
    color: Annotated[str, typer.Option(
        "--color", metavar="WHEN", help="Colour the text output: auto, always or never.")] = "auto",
    base: Annotated[Optional[str], typer.Option(
        "--base", metavar="REV",
        help="Also warn (SEG0613) for each split whose customers change group since git revision REV.")] = None,
):
    """Check segments against the schema: syntax, names, types.

    Exit 1 on errors (or warnings, with --warnings-as-errors)."""
    fmt = check_format(fmt, *FORMATS)
    if color not in COLORS:
        fail(f"--color: `{color}`; use {', '.join(COLORS[:-1])} or {COLORS[-1]}", 2)
    projects = _load(paths or [Path(".")])
    extra = _split_changes(projects, base) if base is not None else {}
    raise typer.Exit(report(projects, fmt, warnings_as_errors, color, extra))


def register(app: typer.Typer) -> None:
    command(app, check)
