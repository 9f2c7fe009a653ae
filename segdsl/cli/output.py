"""Printing diagnostics and one-line failures for the CLI."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def print_diagnostics(diags, project=None, warnings_as_errors: bool = False, quiet_ok: bool = True) -> None:
    out = sys.stderr
    for d in diags:
        source = project.source(d.span.path) if project is not None else None
        text = d.render(source)
        if warnings_as_errors and d.severity == "warning":
            text = text.replace(": warning[", ": error[", 1)
        print(text, file=out)
        print(file=out)
    errors = sum(1 for d in diags if d.is_error or (warnings_as_errors and d.severity == "warning"))
    warnings = sum(1 for d in diags if d.severity == "warning") - (errors and warnings_as_errors and 0)
    if diags or not quiet_ok:
        if errors or warnings:
            parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
            if warnings and not warnings_as_errors:
                parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
            print(", ".join(parts) + ".", file=out)
        elif project is not None:
            n = len(project.segment_names())
            print(f"ok: {n} segment{'s' if n != 1 else ''} checked, no problems.", file=out)
