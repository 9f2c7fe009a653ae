"""Helpers shared by the CLI commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from segdsl.cli.output import fail, print_diagnostics


def parse_as_of(value: Optional[str]) -> dt.date | dt.datetime | None:
    """The one --as-of parser: a date, or an instant (naive: the project's time zone reads
    it). Not a date, or outside 1900-01-01 … 2199-12-31: a usage error, exit 2."""
    if value is None:
        return None
    from segdsl.as_of import AsOfError, parse

    try:
        reference = parse(value)
    except AsOfError as e:
        fail(f"--as-of: {e}", 2)
    return reference.instant.replace(tzinfo=None) if reference.instant else reference.date


def exit_code(errors, project=None) -> int:
    """2 when a configuration problem is among the errors (or the schema could not be read
    at all), else 1; 0 when there are none."""
    if not errors:
        return 0
    if project is not None and getattr(project, "schema", True) is None:
        return 2
    # SEG0407 (a .seg file that cannot be read) is a problem of segments, not of the setup
    return 2 if any(d.code.startswith("SEG04") and d.code != "SEG0407" for d in errors) else 1


def load_checked(path: Path, warnings_as_errors: bool = False, quiet_ok: bool = True):
    """Load a project and print its diagnostics; exit 2/1 when it has errors."""
    import segdsl

    project = segdsl.load_project(path)
    diags = project.check()
    print_diagnostics(diags, project, warnings_as_errors=warnings_as_errors, quiet_ok=quiet_ok)
    errors = [d for d in diags if d.is_error or (warnings_as_errors and d.severity == "warning")]
    if errors:
        import typer

        raise typer.Exit(exit_code(errors, project))
    return project


def canonical_segments(project, wanted: list[str] | None) -> list[str] | None:
    """`--segment` values by the names segments go by: an instantiation of a parameterised
    segment (`'regulars_in("South")'`) by its canonical name, checked (exit 2 on a wrong
    argument)."""
    name_of = getattr(project, "segment_name", None)
    if not wanted or name_of is None:
        return wanted
    from segdsl.api import CompileError

    out = []
    for text in wanted:
        try:
            out.append(name_of(text))
        except CompileError as exc:
            d = exc.diagnostics[0]
            fail(f"--segment {text}: " + d.message + "".join(f"; {h}" for h in d.hints), 2)
    return out
