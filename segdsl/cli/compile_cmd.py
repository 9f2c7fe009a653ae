"""`segdsl compile`: SQL for each segment.

A segment compiles when nothing it uses has errors: `--segment a` prints a's SQL while an
unrelated `b` is broken (b's errors are printed too) and exits 0. Exit 1 when a segment
asked for could not be compiled, or, without --segment, when the project has any error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from segdsl.cli.common import exit_code, parse_as_of
from segdsl.cli.options import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    JSON_VERSION,
    AsOfOpt,
    DialectOpt,
    PathDefaultArg,
    SegmentsOpt,
    check_format,
    command,
    fail,
    format_option,
)
from segdsl.cli.output import print_diagnostics

USAGE_CODES = ("SEG0206", "SEG0211", "SEG0502")  # a name or dialect the user typed


def compile_(
    path: PathDefaultArg = Path("."),
    segment: SegmentsOpt = None,
    dialect: DialectOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, format_option("sql", "json")] = "sql",
    batch: Annotated[bool, typer.Option("--batch", help="One query for all the segments: a row per "
                                        "customer, a true/false column per segment.")] = False,
    emit: Annotated[str, typer.Option("--emit", metavar="STAGE",
                                      help="The stage to print: ast, ir, plan or sql.")] = "sql",
):
    """Compile segments to SQL: one SELECT of member keys per segment."""
    import segdsl
    from segdsl.api import CompileError

    fmt = "sql" if fmt in ("text", "table") else check_format(fmt, "sql", "json")
    if emit not in ("ast", "ir", "plan", "sql"):
        fail(f"--emit: unknown stage `{emit}`; use ast, ir, plan or sql", EXIT_USAGE)
    reference = parse_as_of(as_of)
    project = segdsl.load_project(path)
    diags = project.check()
    errors = [d for d in diags if d.is_error]
    print_diagnostics(diags, project)
    if errors and exit_code(errors, project) == EXIT_USAGE:
        raise typer.Exit(EXIT_USAGE)  # the configuration itself is broken: nothing compiles
    from segdsl.cli.common import canonical_segments

    names = (list(dict.fromkeys(canonical_segments(project, segment) or [])) if segment
             else project.segment_names(selected_only=True))
    if emit != "sql":
        _emit_stage(project, emit, names, dialect, reference, batch, fmt)
        return
    compiled: dict[str, str] = {}
    failed: list[str] = []
    try:
        print_diagnostics(project.dialect_warnings(dialect), project)
        for name in names:
            try:
                compiled[name] = project.compile(name, dialect, reference)
            except CompileError as e:
                usage = [d for d in e.diagnostics if d.code in USAGE_CODES]
                if usage:
                    raise
                failed.append(name)  # its errors were printed above
        if batch and not failed:
            sql = project.compile_batch(names, dialect, reference)
    except CompileError as e:
        d = e.diagnostics[0]
        fail(d.message + "".join(f"; {h}" for h in d.hints), EXIT_USAGE)
    if failed:
        typer.echo(f"error: not compiled, because of the errors above: {', '.join(failed)}", err=True)
    if batch:
        if failed or (errors and not segment):
            raise typer.Exit(EXIT_PROBLEMS)
        if fmt == "json":
            typer.echo(json.dumps({"version": JSON_VERSION, "segments": names, "sql": sql}, indent=2))
        else:
            typer.echo(f"-- segments: {', '.join(names)}\n{sql};")
        return
    if fmt == "json":
        typer.echo(json.dumps({"version": JSON_VERSION, "segments": compiled}, indent=2))
    else:
        for name, sql in compiled.items():
            typer.echo(f"-- segment: {name}\n{sql};\n")
    # without --segment every segment was asked for: any error is a failure
    if failed or (errors and not segment):
        raise typer.Exit(EXIT_PROBLEMS)


def _emit_stage(project, stage: str, names: list[str], dialect, as_of, batch: bool, fmt: str) -> None:
    """--emit ast|ir|plan: that stage's text, one section per segment (or the batch)."""
    from segdsl.api import CompileError
    from segdsl.stages import emit

    try:
        if stage == "plan":
            print_diagnostics(project.dialect_warnings(dialect), project)
        sections = emit(project, stage, names, dialect, as_of, batch and stage == "plan")
    except CompileError as e:
        print_diagnostics(e.diagnostics, project)
        raise typer.Exit(EXIT_PROBLEMS)
    if fmt == "json":
        typer.echo(json.dumps({"version": JSON_VERSION, "stage": stage, "segments": sections}, indent=2))
        return
    for name, text in sections.items():
        header = f"-- segments: {', '.join(names)}" if name == "batch" and batch else f"-- segment: {name}"
        typer.echo(f"{header}\n{text}\n")


def register(app: typer.Typer) -> None:
    command(app, compile_, "compile")
