"""`segdsl init DIR`: start a new project (schema, example segments, README)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="Folder for the new project (created if missing).")],
) -> None:
    """Create a new project: segdsl.toml, example segments, a README."""
    from segdsl.scaffold import ProjectExistsError, init_project

    try:
        written = init_project(directory)
    except ProjectExistsError as exc:
        typer.echo("error: segdsl init does not overwrite files; these already exist:", err=True)
        for path in exc.paths:
            typer.echo(f"  {path}", err=True)
        typer.echo("choose an empty folder, or move those files away", err=True)
        raise typer.Exit(2) from None
    except (NotADirectoryError, PermissionError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    typer.echo(f"created a segdsl project in {directory}:")
    for path in written:
        typer.echo(f"  {path}")
    typer.echo("")
    typer.echo("next steps:")
    typer.echo(f"  1. describe your warehouse in {directory / 'segdsl.toml'} "
               "(or draft it with `segdsl schema pull`)")
    typer.echo(f"  2. edit the segments in {directory / 'segments'}")
    typer.echo(f"  3. try them on sample data: segdsl demo --dir {directory}")


def register(app: "typer.Typer") -> None:
    from segdsl.cli.options import command

    command(app, init)
