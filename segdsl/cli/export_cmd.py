"""`segdsl export`: an audience file for an ad platform (segdsl/activation/export.py).

The file is written atomically (a reader sees the old file or the new one); identifiers are
never printed, only counted. Exit codes: 0 ok, 1 problems in segments or on the warehouse,
2 usage or configuration (a missing `activation` extra names its pip line), 130 interrupted."""

from __future__ import annotations

from typing import Annotated

import typer

from segdsl.cli.options import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    JSON_VERSION,
    AsOfOpt,
    DbOpt,
    ForceOpt,
    OutputOpt,
    PathArg,
    SegmentOpt,
    UrlOpt,
    check_format,
    check_output,
    command,
    fail,
    format_option,
)

ToOpt = Annotated[str, typer.Option("--to", metavar="PLATFORM", help="google | meta | tiktok | keys.")]
RawOpt = Annotated[bool, typer.Option("--raw", help="Normalised identifiers, not hashed (the platform hashes them).")]
ConsentOpt = Annotated[bool, typer.Option("--ignore-consent", help="Export every member, whatever "
                                          "[activation] consent says.")]


def export(path: PathArg, segment: SegmentOpt, to: ToOpt, output: OutputOpt = None, force: ForceOpt = False,
           raw: RawOpt = False, ignore_consent: ConsentOpt = False, db: DbOpt = None, url: UrlOpt = None,
           as_of: AsOfOpt = None, format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Write an audience file for Google, Meta or TikTok (normalised, SHA-256 hashed).

    One row per member; the CSV goes to --output, else to stdout."""
    import json

    from segdsl.activation.export import PLATFORMS, ExportError, MissingExtra, export_rows

    format = check_format(format, "text", "json")
    if to not in PLATFORMS:
        fail(f"--to: unknown platform `{to}`; use {', '.join(PLATFORMS)}", EXIT_USAGE)
    if format == "json" and output is None:
        fail("--format json prints the summary: give the rows a file with --output", EXIT_USAGE)
    check_output(output, force, (".csv",))  # before any query
    if to != "keys":
        try:
            import phonenumbers  # noqa: F401
        except ImportError:
            fail(str(MissingExtra()), EXIT_USAGE)
    from segdsl.activation.config import read_activation
    from segdsl.api import CompileError
    from segdsl.cli.analyze_cmd import Session
    from segdsl.warehouse import WarehouseError

    s = Session(path, db, url, as_of)
    try:
        (name,) = s.segments([segment])
        result = export_rows(s.conn, s.project, name, to, s.reference, read_activation(s.project),
                             raw, ignore_consent)
    except ExportError as exc:
        fail(str(exc), EXIT_USAGE)
    except MissingExtra as exc:
        fail(str(exc), EXIT_USAGE)
    except CompileError as exc:
        fail(str(exc).splitlines()[0], EXIT_PROBLEMS)
    except WarehouseError as exc:
        fail(str(exc), EXIT_PROBLEMS)
    finally:
        s.close()
    if output is None:
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.header)
        writer.writerows(result.rows)
    else:
        from segdsl.warehouse.members import write_members

        try:
            write_members(output, list(result.header), result.rows)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_PROBLEMS)
    summary = result.summary() | {"as_of": str(s.reference), "output": None if output is None else str(output)}
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | summary, indent=2))
        return
    where = f" to {output}" if output is not None else ""
    state = "hashed (SHA-256)" if result.hashed else "not hashed"
    typer.echo(f"wrote {len(result.rows):,} rows{where} for {to}: {result.members:,} members of {name} as of "
               f"{s.reference}, identifiers {state}", err=True)
    for reason, count in sorted(result.skipped.items()):
        typer.echo(f"  left out {count:,} member(s): {reason}", err=True)
    for reason, count in sorted(result.dropped.items()):
        typer.echo(f"  dropped {count:,} identifier(s): {reason}", err=True)


def register(app: "typer.Typer") -> None:
    command(app, export)
