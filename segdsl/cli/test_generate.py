"""`segdsl test --generate NAME --db FILE --sample N --output FILE.segtest`: a first test of a
segment written from the warehouse's rows (segdsl/segtest/generate.py), then run once on
DuckDB to show that it passes."""

from __future__ import annotations

from pathlib import Path

import typer

from segdsl.cli.options import EXIT_PROBLEMS, EXIT_USAGE, check_output, fail


def generate_test(path: Path, name: str, db: Path | None, url: str | None, sample: int,
                  output: Path | None, force: bool, as_of_text: str | None = None) -> None:
    import datetime as dt
    import zoneinfo

    from segdsl.api import CompileError
    from segdsl.as_of import AsOf
    from segdsl.cli.common import parse_as_of
    from segdsl.cli.run_cmd import load_checked_project, resolve_warehouse
    from segdsl.segtest.generate import generate
    from segdsl.warehouse.connection import WarehouseError, connect

    if output is None:
        fail("--generate needs --output FILE.segtest", EXIT_USAGE)
    check_output(output, force, (".segtest",))
    project = load_checked_project(path)
    if name not in project.segment_names():
        from segdsl.diagnostics import did_you_mean

        fail(f"unknown segment `{name}` {did_you_mean(name, project.segment_names())}".strip(), EXIT_USAGE)
    db_path, url = resolve_warehouse(project, db, url)
    if db_path is None and url is None:
        fail("--generate reads a warehouse: give --db FILE or --url URL (or set `warehouse` under "
             "[project] in segdsl.toml)", EXIT_USAGE)
    reference = project.reference(parse_as_of(as_of_text))
    if reference is None:
        today = dt.datetime.now(zoneinfo.ZoneInfo(project.settings.timezone)).date()
        reference = AsOf(today)
    try:
        with connect(db_path, url) as conn:
            made = generate(project, name, conn, reference, sample)
    except WarehouseError as e:
        fail(str(e), EXIT_USAGE)
    except CompileError as e:
        fail(str(e), EXIT_PROBLEMS)
    from segdsl.warehouse.members import write_text_atomic

    write_text_atomic(output, made.text)
    typer.echo(f"wrote {output}: {made.members} members and {made.non_members} non-members of `{name}`, "
               f"{made.rows} rows, as of {reference}", err=True)
    for note in made.notes:
        typer.echo(f"note: {note}", err=True)
    _round_trip(project, output, made.text)


def _round_trip(project, output: Path, text: str) -> None:
    """Run the new test once: a replaced value that changes a member's outcome shows here."""
    from segdsl.segtest.check import check_test
    from segdsl.segtest.parse import read_file
    from segdsl.segtest.project import subjects
    from segdsl.segtest.run import run_test

    raws, diags = read_file(str(output), text)
    test, found = check_test(raws[0], project.schema, project.settings.timezone, subjects(project))
    if diags or found or not test.ok:
        typer.echo(f"warning: {output} does not check: {(diags + found)[0] if diags + found else ''}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    outcome = run_test(project, test)
    if outcome.passed:
        typer.echo(f"the new test passes on duckdb ({outcome.seconds:.2f}s)", err=True)
        return
    typer.echo(f"warning: the new test fails on its own rows (unexpected {outcome.unexpected}, missing "
               f"{outcome.missing}): the segment reads a value that was replaced; edit the file", err=True)
    raise typer.Exit(EXIT_PROBLEMS)
