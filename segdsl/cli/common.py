"""Helpers shared by the CLI commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from segdsl.cli.output import fail, print_diagnostics


def parse_as_of(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: `{value}` is not a date; write YYYY-MM-DD, e.g. --as-of 2024-06-30", 2)


def exit_code(errors, project=None) -> int:
    """2 when a configuration problem is among the errors (or the schema could not be read
    at all), else 1; 0 when there are none."""
    if not errors:
        return 0
    if project is not None and getattr(project, "schema", True) is None:
        return 2
    return 2 if any(d.code.startswith("SEG04") for d in errors) else 1


def load_checked(path: Path, warnings_as_errors: bool = False, quiet_ok: bool = True):
    """Load a project and print its diagnostics; exit 2/1 when it has errors."""
    import segdsl

    project = segdsl.load_project(path)
    diags = project.check()
    print_diagnostics(diags, project, warnings_as_errors=warnings_as_errors, quiet_ok=quiet_ok)
    errors = [d for d in diags if d.is_error or (warnings_as_errors and d.severity == "warning")]
    if errors:
        raise typer.Exit(exit_code(errors, project))
    return project
