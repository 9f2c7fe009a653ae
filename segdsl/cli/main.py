"""The `segdsl` command: a thin shell over segdsl.api.

Exit codes (docs/cli.md): 0 ok, 1 problems in segments, data or tests, 2 usage or
configuration, 3 internal error, 130 interrupted (segdsl/cli/interrupt.py).
Heavy modules (sqlglot, duckdb, rich) are imported inside commands, never at start-up.
"""

from __future__ import annotations

import sys

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


def _register_commands() -> None:
    from segdsl.cli import analyze_cmd, check_cmd, compile_cmd, demo_cmd, init_cmd, run_cmd, schema_cmd
    from segdsl.cli import explain_cmd, family_cmd, fmt_cmd, lsp_cmd, test_cmd, why_cmd
    from segdsl.cli import dbt_cmd, discover_cmd, export_cmd, materialize_cmd

    for module in (check_cmd, compile_cmd, run_cmd, init_cmd, schema_cmd, demo_cmd, analyze_cmd,
                   fmt_cmd, explain_cmd, lsp_cmd, family_cmd, test_cmd, why_cmd, materialize_cmd, export_cmd,
                   dbt_cmd, discover_cmd):
        module.register(app)


def main() -> None:
    from segdsl.cli import interrupt

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    interrupt.install()
    try:
        _register_commands()
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:  # a bug in segdsl: one line, no traceback
        if interrupt.interrupted():  # an interrupt a driver turned into its own error
            print("interrupted", file=sys.stderr)
            sys.exit(130)
        print(f"segdsl: internal error ({type(e).__name__}: {e}). This is a bug; please report it "
              "with the command you ran. Set SEGDSL_DEBUG=1 to see the details.", file=sys.stderr)
        import os

        if os.environ.get("SEGDSL_DEBUG"):
            raise
        sys.exit(3)


if __name__ == "__main__":
    main()
