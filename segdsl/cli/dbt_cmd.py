"""`segdsl dbt generate`: the project's segments as a dbt models folder (segdsl/dbt/).

Every file is written atomically; a folder that exists and is not empty is refused unless
--force, and then only the files of an earlier generation (a folder holding _segdsl.yml) are
replaced. Exit codes as everywhere: 0 ok, 1 problems in segments, 2 usage or configuration,
130 interrupted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from segdsl.cli.options import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    JSON_VERSION,
    DialectOpt,
    PathArg,
    check_format,
    command,
    fail,
    format_option,
)

dbt_app = typer.Typer(help="dbt models from the project's segments.", no_args_is_help=True)

DirOpt = Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="The dbt models folder to write "
                                      "(e.g. models/segdsl; refused if not empty, unless --force).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the files an earlier `dbt generate` wrote in "
                                        "--output.")]


def generate(path: PathArg, output: DirOpt, dialect: DialectOpt = None, force: ForceOpt = False,
             format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Write a dbt model per segment, segment_memberships and _segdsl.yml (sources, tests).

    The reference date is the dbt var segdsl_as_of (default: the run's date)."""
    import json

    from segdsl.api import CompileError
    from segdsl.cli.common import load_checked
    from segdsl.dbt.generate import PROPERTIES
    from segdsl.dbt.models import DbtError

    format = check_format(format, "text", "json")
    _check_folder(output, force, PROPERTIES)
    project = load_checked(path)
    try:
        result = project.dbt_models(dialect)
    except CompileError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        code = EXIT_USAGE if first is not None and first.code in ("SEG0502", "SEG0206") else EXIT_PROBLEMS
        fail(str(exc).splitlines()[0], code)
    except DbtError as exc:
        fail(str(exc), EXIT_USAGE)
    try:
        _write(output, result.files)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_USAGE)
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION, "output": str(output)} | result.summary(), indent=2))
        return
    typer.echo(f"wrote {len(result.models)} models and {PROPERTIES} ({len(result.unit_tests)} unit tests) "
               f"to {output} for {result.dialect}", err=True)
    for s in result.skipped:
        typer.echo(f"  skipped {s.test}: {s.reason}", err=True)


def _check_folder(output: Path, force: bool, properties: str) -> None:
    if output.exists() and not output.is_dir():
        fail(f"--output {output} is a file; give a folder", EXIT_USAGE)
    if output.is_dir() and any(output.iterdir()):
        if not force:
            fail(f"--output {output} is not empty; pass --force to replace the models segdsl generated there",
                 EXIT_USAGE)
        if not (output / properties).exists():
            fail(f"--output {output} holds files segdsl did not generate (no {properties}); give an empty "
                 "folder", EXIT_USAGE)
    parent = output.parent if str(output.parent) else Path(".")
    if not output.exists() and not parent.is_dir():
        fail(f"--output {output}: no folder {parent}", EXIT_USAGE)


def _write(output: Path, files: dict[str, str]) -> None:
    """Each file atomically; then the .sql files of an earlier generation that are not
    generated again (deleted segments) are removed."""
    from segdsl.warehouse.members import write_text_atomic

    output.mkdir(exist_ok=True)
    for name, text in files.items():
        write_text_atomic(output / name, text)
    for old in output.glob("*.sql"):
        if old.name not in files:
            old.unlink()


def register(app: "typer.Typer") -> None:
    command(dbt_app, generate)
    app.add_typer(dbt_app, name="dbt")
