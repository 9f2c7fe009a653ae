"""The typer application of the `segdsl` command and the registration of its commands
(segdsl/cli/main.py runs it)."""

from __future__ import annotations

import functools

import typer

from segdsl import __version__

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


@functools.cache
def _register_commands() -> None:
    """Add every command to `app`, once (hence the cache): programs and tests that run the app
    in-process call this before each run, and typer builds every registered command on each
    run, so a second registration would double the work of every later run."""
    from segdsl.cli import analyze_cmd, check_cmd, compile_cmd, demo_cmd, init_cmd, run_cmd, schema_cmd
    from segdsl.cli import explain_cmd, family_cmd, fmt_cmd, lsp_cmd, test_cmd, why_cmd
    from segdsl.cli import dbt_cmd, discover_cmd, export_cmd, materialize_cmd

    for module in (check_cmd, compile_cmd, run_cmd, init_cmd, schema_cmd, demo_cmd, analyze_cmd,
                   fmt_cmd, explain_cmd, lsp_cmd, family_cmd, test_cmd, why_cmd, materialize_cmd, export_cmd,
                   dbt_cmd, discover_cmd):
        module.register(app)
