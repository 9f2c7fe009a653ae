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
    emit: Optional[str] = typer.Option(None, "--emit", help="The stage to print: ast, ir, plan or sql (default)."),
):
    """Compile segments to SQL: one SELECT of member keys per segment."""
    if fmt not in ("sql", "json"):
        fail(f"--format: unknown format `{fmt}`; use sql or json", 2)
    if emit not in (None, "ast", "ir", "plan", "sql"):
        fail(f"--emit: unknown stage `{emit}`; use ast, ir, plan or sql", 2)
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
    if emit not in (None, "sql"):
        _emit_stage(project, emit, names, dialect, reference, batch, fmt)
        return
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


def _emit_stage(project, stage: str, names: list[str], dialect, as_of, batch: bool, fmt: str) -> None:
    """--emit ast|ir|plan: that stage's text, one section per segment (or the batch)."""
    from segdsl.api import CompileError
    from segdsl.stages import emit

    try:
        if stage in ("plan", "sql"):
            print_diagnostics(project.dialect_warnings(dialect), project)
        sections = emit(project, stage, names, dialect, as_of, batch and stage in ("plan", "sql"))
    except CompileError as e:
        print_diagnostics(e.diagnostics, project)
        raise typer.Exit(1)
    if fmt == "json":
        typer.echo(json.dumps({"version": 1, "stage": stage, "segments": sections}, indent=2))
        return
    for name, text in sections.items():
        header = f"-- segments: {', '.join(names)}" if name == "batch" and batch else f"-- segment: {name}"
        typer.echo(f"{header}\n{text}\n")


def register(app: typer.Typer) -> None:
    app.command(name="compile")(compile_)
