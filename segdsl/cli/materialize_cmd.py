"""`segdsl materialize`: current memberships and enter/exit events in the warehouse, for
reverse-ETL tools (segdsl/activation/membership.py). Exit codes as everywhere: 0 ok,
1 problems in segments or on the warehouse, 2 usage or configuration, 130 interrupted (the
run's one transaction is rolled back)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from segdsl.cli.options import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    JSON_VERSION,
    AsOfOpt,
    DbOpt,
    PathArg,
    SegmentsOpt,
    UrlOpt,
    check_format,
    command,
    fail,
    format_option,
)

SchemaOpt = Annotated[Optional[str], typer.Option(
    "--schema", metavar="NAME", help="Write the tables in this schema (created if needed). Default: the "
    "connection's.")]


def materialize(path: PathArg, segment: SegmentsOpt = None, db: DbOpt = None, url: UrlOpt = None,
                as_of: AsOfOpt = None, schema: SchemaOpt = None,
                format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Write current memberships and enter/exit events to the warehouse (for reverse ETL).

    Tables segdsl_segments, segdsl_memberships, segdsl_membership_events, in one transaction."""
    import json

    from segdsl.activation.audiences import AudienceError
    from segdsl.activation.membership import MaterializeError, materialize as write
    from segdsl.api import CompileError
    from segdsl.cli.analyze_cmd import Session
    from segdsl.warehouse import WarehouseError

    format = check_format(format, "text", "json")
    if schema is not None and not schema.strip():
        fail("--schema: give a schema name", EXIT_USAGE)
    s = Session(path, db, url, as_of, write=True)
    try:
        wanted = list(segment) if segment else None
        if wanted is None and s.project.sources.selected is not None:
            wanted = s.project.segment_names(selected_only=True)  # a .seg file: its segments
        result = write(s.conn, s.project, s.reference, wanted, schema)
    except (AudienceError, MaterializeError) as exc:
        fail(str(exc), EXIT_USAGE)
    except CompileError as exc:
        fail(str(exc).splitlines()[0], EXIT_PROBLEMS)
    except WarehouseError as exc:
        fail(str(exc), EXIT_PROBLEMS)
    finally:
        s.close()
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | result.as_dict(), indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for name, justify in (("segment", "left"), ("members", "right"), ("entered", "right"), ("exited", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in result.segments:
        label = c.segment_id + (" (removed)" if c.removed else f" ({c.kind})" if c.kind != "segment" else "")
        table.add_row(*(Text(v) for v in (label, f"{c.members:,}", f"{c.entered:,}", f"{c.exited:,}")))
    Console().print(table)
    where = f"{schema}." if schema else ""
    typer.echo(f"materialized {len(result.segments)} segment(s) as of {result.as_of} on {result.dialect} "
               f"into {where}segdsl_memberships (events at {result.at.isoformat(sep=' ')} UTC)")


def register(app: "typer.Typer") -> None:
    command(app, materialize)
