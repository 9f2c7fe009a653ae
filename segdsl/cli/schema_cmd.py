"""`segdsl schema pull`: draft segdsl.toml from a warehouse's information_schema (DuckDB,
Postgres) or catalog (Spark Connect)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Annotated, Optional

import typer

from segdsl.cli.options import ForceOpt, OutputOpt, UrlOpt, check_output, command

schema_app = typer.Typer(help="Work with the schema in segdsl.toml.", no_args_is_help=True)


def pull(
    entity: Annotated[str, typer.Option(metavar="TABLE", help="Table with one row per customer.")],
    key: Annotated[str, typer.Option(metavar="COLUMN", help="Column of that table identifying a customer.")],
    db: Annotated[Optional[Path], typer.Option("--db", metavar="FILE", help="DuckDB warehouse file.")] = None,
    url: UrlOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Draft a segdsl.toml from a warehouse: entity, columns, relations.

    Printed, or written to --output."""
    from segdsl.warehouse import WarehouseError, connect
    from segdsl.warehouse.introspect import pull_schema

    if (db is None) == (url is None):
        typer.echo("error: give --db FILE.duckdb, --url postgresql://... or --url sc://host:port "
                   "(one of them)", err=True)
        raise typer.Exit(2)
    check_output(output, force)
    try:
        conn = connect(db, url)
    except WarehouseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        text = pull_schema(conn, entity, key)
    except WarehouseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        conn.close()

    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        _write_atomically(output, text)
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {output}; review it before use", err=True)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def register(app: "typer.Typer") -> None:
    command(schema_app, pull)
    app.add_typer(schema_app, name="schema")
