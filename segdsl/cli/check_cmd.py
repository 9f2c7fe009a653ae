"""`segdsl check`: the CI gate."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from segdsl.cli.common import load_checked


def check(
    paths: List[Path] = typer.Argument(None, help="Project folders or .seg files (default: .)."),
    warnings_as_errors: bool = typer.Option(False, "--warnings-as-errors", help="Fail on warnings too."),
):
    """Check segments against the schema: syntax, names and types. Exit 1 on errors."""
    worst = 0
    for path in paths or [Path(".")]:
        try:
            load_checked(path, warnings_as_errors, quiet_ok=False)
        except typer.Exit as e:
            worst = max(worst, e.exit_code)
    raise typer.Exit(worst)


def register(app: typer.Typer) -> None:
    app.command()(check)
