"""`segdsl compile`: SQL for each segment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from segdsl.cli.common import load_checked, parse_as_of
from segdsl.cli.output import fail, print_diagnostics


def compile_(
    path: Path = typer.Argument(Path("."), help="A project folder or a .seg file in one."),
    segment: Optional[List[str]] = typer.Option(None, "--segment", "-s", help="Only this segment (repeatable)."),
    dialect: Optional[str] = typer.Option(None, "--dialect", "-d",
                                          help="duckdb, postgres, bigquery (others best-effort); default: the project's."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date YYYY-MM-DD (default: today in the project time zone)."),
    fmt: str = typer.Option("sql", "--format", "-f", help="sql or json."),
    batch: bool = typer.Option(False, "--batch", help="One query for all the segments: a row per "
                               "customer, a true/false column per segment."),
):
    """Compile segments to SQL: one SELECT of member keys per segment."""
    if fmt not in ("sql", "json"):
        fail(f"--format: unknown format `{fmt}`; use sql or json", 2)
    reference = parse_as_of(as_of)
    project = load_checked(path)
    from segdsl.api import CompileError

    names = project.segment_names(selected_only=True)
    for name in segment or []:
        if name not in project.segment_names():
            from segdsl.diagnostics import did_you_mean

            hint = did_you_mean(name, project.segment_names())
            fail(f"unknown segment `{name}`" + (f"; {hint}" if hint else ""), 2)
    if segment:
        names = list(segment)
    try:
        print_diagnostics(project.dialect_warnings(dialect), project)
        if batch:
            sql = project.compile_batch(names, dialect, reference)
            if fmt == "json":
                typer.echo(json.dumps({"segments": names, "sql": sql}, indent=2))
            else:
                typer.echo(f"-- segments: {', '.join(names)}\n{sql};")
            return
        compiled = {name: project.compile(name, dialect, reference) for name in names}
    except CompileError as e:
        print_diagnostics(e.diagnostics, project)
        raise typer.Exit(2)
    if fmt == "json":
        typer.echo(json.dumps(compiled, indent=2))
        return
    for name, sql in compiled.items():
        typer.echo(f"-- segment: {name}\n{sql};\n")


def register(app: typer.Typer) -> None:
    app.command(name="compile")(compile_)
