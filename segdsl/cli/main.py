"""The `segdsl` command: a thin shell over segdsl.api.

Exit codes: 0 ok, 1 problems in segments, 2 usage or configuration, 3 internal error.
Heavy modules (sqlglot, duckdb, rich) are imported inside commands, never at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from segdsl import __version__
from segdsl.cli.output import print_diagnostics, fail

app = typer.Typer(
    name="segdsl",
    help="Customer segments as code: check .seg files against the schema and compile them to SQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool):
    if value:
        typer.echo(f"segdsl {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")):
    """Customer segments as code."""


def parse_as_of(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: `{value}` is not a date; write YYYY-MM-DD, e.g. --as-of 2024-06-30", 2)


def load_checked(path: Path, warnings_as_errors: bool = False, quiet_ok: bool = True):
    """Load a project and print its diagnostics; exit 2/1 when it has errors."""
    from segdsl.api import load_project

    project = load_project(path)
    diags = project.check()
    print_diagnostics(diags, project, warnings_as_errors=warnings_as_errors, quiet_ok=quiet_ok)
    errors = [d for d in diags if d.is_error or (warnings_as_errors and d.severity == "warning")]
    if errors:
        config = any(d.code.startswith("SEG04") for d in errors)
        raise typer.Exit(2 if config else 1)
    return project


@app.command()
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


@app.command(name="compile")
def compile_(
    path: Path = typer.Argument(Path("."), help="A project folder or a .seg file in one."),
    segment: Optional[List[str]] = typer.Option(None, "--segment", "-s", help="Only this segment (repeatable)."),
    dialect: Optional[str] = typer.Option(None, "--dialect", "-d",
                                          help="duckdb, postgres, bigquery (others best-effort); default: the project's."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date YYYY-MM-DD (default: today in the project time zone)."),
    fmt: str = typer.Option("sql", "--format", "-f", help="sql or json."),
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
        compiled = {name: project.compile(name, dialect, reference) for name in names}
    except CompileError as e:
        print_diagnostics(e.diagnostics, project)
        raise typer.Exit(2)
    if fmt == "json":
        typer.echo(json.dumps(compiled, indent=2))
        return
    for name, sql in compiled.items():
        typer.echo(f"-- segment: {name}\n{sql};\n")


def _register_commands() -> None:
    from segdsl.cli import demo_cmd, init_cmd, run_cmd, schema_cmd

    for module in (run_cmd, init_cmd, schema_cmd, demo_cmd):
        module.register(app)


def main() -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    try:
        _register_commands()
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:  # a bug in segdsl: one line, no traceback
        print(f"segdsl: internal error ({type(e).__name__}: {e}). This is a bug; please report it "
              "with the command you ran. Set SEGDSL_DEBUG=1 to see the details.", file=sys.stderr)
        import os

        if os.environ.get("SEGDSL_DEBUG"):
            raise
        sys.exit(3)


if __name__ == "__main__":
    main()
