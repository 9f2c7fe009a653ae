"""The options every command shares, declared once, and the checks that go with them.

Every command declares its parameters as `Annotated[...]` with the aliases below, so that
one option reads the same everywhere: the same names, metavar, help and validation.
`--output FILE` is how a command writes a file (refused if it exists unless `--force`, and
checked before any query runs); `--format` takes `text` (alias `table`) or `json`, plus
what a command adds; JSON output always carries "version": 1.
Exit codes (docs/cli.md): 0 ok, 1 problems in segments/data/tests, 2 usage or configuration,
3 internal error, 130 interrupted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Callable, Optional, TypeVar

import typer

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
JSON_VERSION = 1

PathArg = Annotated[Path, typer.Argument(
    metavar="PATH", readable=False, help="Project folder (holding segdsl.toml) or a .seg file in it.")]
PathDefaultArg = Annotated[Path, typer.Argument(
    metavar="PATH", readable=False, help="Project folder (holding segdsl.toml) or a .seg file in it. Default: .")]
SegmentsOpt = Annotated[Optional[list[str]], typer.Option(
    "--segment", "-s", metavar="NAME", help="A segment (repeatable). Default: all of PATH.")]
SegmentOpt = Annotated[str, typer.Option("--segment", "-s", metavar="NAME", help="The segment.")]
DbOpt = Annotated[Optional[Path], typer.Option(
    "--db", metavar="FILE", help="DuckDB warehouse file. Default: [project] warehouse.")]
UrlOpt = Annotated[Optional[str], typer.Option(
    "--url", metavar="URL", help="Postgres URL postgresql://user@host/db, or Spark Connect sc://host:port.")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="DATE", help="Reference date YYYY-MM-DD, or instant YYYY-MM-DDTHH:MM in the "
    "project time zone. Default: [project] as_of, else the warehouse's today.")]
DialectOpt = Annotated[Optional[str], typer.Option(
    "--dialect", "-d", metavar="DIALECT",
    help="duckdb, postgres, bigquery (others best-effort). Default: the project's.")]
OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", metavar="FILE", help="Write to FILE (refused if it exists, unless --force).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing --output file.")]
SampleOpt = Annotated[int, typer.Option("--sample", min=0, metavar="N", help="Show N sample member keys.")]


def format_option(*choices: str) -> typer.models.OptionInfo:
    """--format with these choices (text also accepts `table`)."""
    return typer.Option("--format", "-f", metavar="FORMAT", help=" | ".join(choices) + ".")


def check_format(value: str, *choices: str) -> str:
    """The format, `table` read as `text`; anything else a usage error (exit 2)."""
    value = "text" if value == "table" and "text" in choices else value
    if value not in choices:
        fail(f"--format: unknown format `{value}`; use {', '.join(choices)}", EXIT_USAGE)
    return value


def fail(message: str, code: int) -> typer.Exit:
    """Print `error: message` (plain: never re-wrapped or read as markup) and exit."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def check_output(path: Path | None, force: bool, suffixes: tuple[str, ...] = ()) -> None:
    """Refuse an --output that cannot be written, before any query runs: a wrong suffix, a
    folder, a missing or read-only folder, or an existing file without --force (exit 2)."""
    if path is None:
        return
    if suffixes and path.suffix.lower() not in suffixes:
        fail(f"--output {path}: use a {' or '.join(suffixes)} file", EXIT_USAGE)
    if path.is_dir():
        fail(f"--output {path} is a folder; give a file name", EXIT_USAGE)
    if path.exists() and not force:
        fail(f"--output {path} exists; pass --force to overwrite it", EXIT_USAGE)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        fail(f"--output {path}: no folder {folder}", EXIT_USAGE)
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(f"--output {path}: cannot write there (permission denied)", EXIT_USAGE)


F = TypeVar("F", bound=Callable[..., object])


def _arguments_by_metavar() -> None:
    """typer shows a required argument as `{PATH}` in the usage line and `PATH <path>` in
    the list even when it has a metavar; show the metavar alone, as it does for options
    (`PATH`, `[PATH]`). Only the help text changes; parsing is untouched."""
    from typer import core

    argument = getattr(core, "TyperArgument", None)
    if argument is None or not hasattr(argument, "_usage_display_name"):
        return
    usage, shown = argument._usage_display_name, argument.display_type_rich

    def usage_name(self: Any) -> str:
        name: str = usage(self)
        if self.metavar is not None and name.startswith("{"):
            name = self.metavar + ("..." if self.nargs != 1 and not self.metavar.endswith("...") else "")
        return name

    def type_shown(self: Any, ctx: Any) -> str | None:
        return None if self.metavar is not None else shown(self, ctx)

    argument._usage_display_name = usage_name
    argument.display_type_rich = type_shown


_arguments_by_metavar()


def command(app: typer.Typer, function: F, name: str | None = None) -> F:
    """Register a command; its summary in `segdsl --help` is the first line of its
    docstring, whole (click would cut it to the terminal's width with "..."), and Ctrl-C
    exits 130 (segdsl.cli.interrupt)."""
    from segdsl.cli.interrupt import guard

    doc = (function.__doc__ or "").strip()
    summary = doc.splitlines()[0] if doc else None
    app.command(name or function.__name__.rstrip("_"), short_help=summary)(guard(function))
    return function
