"""`segdsl schema pull`: draft segdsl.toml from a warehouse's information_schema."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Annotated, Optional

import typer

schema_app = typer.Typer(help="Work with the schema in segdsl.toml.", no_args_is_help=True)


@schema_app.command("pull")
def pull(
    entity: Annotated[str, typer.Option(help="Table with one row per customer.")],
    key: Annotated[str, typer.Option(help="Column of that table identifying a customer.")],
    db: Annotated[Optional[Path], typer.Option(help="DuckDB warehouse file.")] = None,
    url: Annotated[Optional[str], typer.Option(help="Postgres URL: postgresql://user@host/db.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write to this file instead of printing.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --output if it exists.")] = False,
) -> None:
    """Print (or write) a segdsl.toml drafted from the warehouse: entity, columns, relations."""
    from segdsl.warehouse import WarehouseError, connect
    from segdsl.warehouse.introspect import pull_schema

    if (db is None) == (url is None):
        typer.echo("error: give --db FILE.duckdb or --url postgresql://... (one of them)", err=True)
        raise typer.Exit(2)
    if output is not None and output.exists() and not force:
        typer.echo(f"error: {output} exists; pass --force to overwrite it", err=True)
        raise typer.Exit(2)
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
    app.add_typer(schema_app, name="schema")
