"""`segdsl run`: compile a project's segments, run them on a warehouse, show sizes, export.

Exit codes: 0 ok, 1 problems in segments or data (check errors, database errors),
2 usage or configuration (bad options, no warehouse configured, unreadable project).
Heavy modules (rich, duckdb, psycopg) are imported inside the command.
"""

from __future__ import annotations

import difflib
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from segdsl.cli.common import parse_as_of
from segdsl.cli.options import (
    AsOfOpt,
    DbOpt,
    ForceOpt,
    PathArg,
    SampleOpt,
    SegmentsOpt,
    UrlOpt,
    check_output,
    command,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int) -> typer.Exit:
    # Plain echo, not rich: an error line must never be re-wrapped or read as markup.
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def load_checked_project(path: Path) -> Any:
    """Load the project, print its diagnostics as `check` does; exit 1/2 on errors."""
    from segdsl.cli.common import load_checked

    try:
        return load_checked(path)
    except typer.Exit as e:
        if e.exit_code:
            errors_kind = "configuration errors" if e.exit_code == EXIT_USAGE else "errors"
            typer.echo(f"error: {path} has {errors_kind}; nothing was run", err=True)
        raise


def resolve_warehouse(project: Any, db: Path | None, url: str | None) -> tuple[str | None, str | None]:
    """(duckdb path, postgres url): options first, then [project] warehouse in segdsl.toml."""
    from segdsl.warehouse import is_postgres_url

    if db is not None or url is not None:
        return (str(db) if db is not None else None), url
    configured = getattr(getattr(project, "settings", None), "warehouse", None)
    if not configured:
        return None, None
    if is_postgres_url(configured) or "://" in configured:
        return None, configured  # a URL: connect() names the ones it cannot use
    path = Path(configured).expanduser()
    if not path.is_absolute():
        path = Path(getattr(project, "root", ".")) / path
    return str(path), None


def select_segments(available: list[str], wanted: list[str] | None,
                    traits: list[str] | tuple[str, ...] = (), also: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The segments to run (default: all available); KeyError naming an unknown one, or
    saying that it is a trait. `also`: names run only when asked for (a split's groups)."""
    if not wanted:
        return list(available)
    unknown = [n for n in wanted if n not in available and n not in also]
    if unknown:
        name = unknown[0]
        if name in traits:
            raise KeyError(f"`{name}` is a trait, not a segment: it gives each customer a value; "
                           f"compare it in a segment, e.g. `segment high_{name} where {name} > 100`")
        close = difflib.get_close_matches(name, [*available, *also], n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise KeyError(f"no segment named `{name}`{hint}")
    return list(dict.fromkeys(wanted))  # keep order, drop repeats


def project_segments(project: Any, wanted: list[str] | None) -> list[str]:
    """select_segments over a project, for `run` and the analysis commands alike: its
    segments (a family's members among them, `family.member`), a split's groups when named
    (`split.group`), and a family or split named whole told to pick one of its parts."""
    from segdsl.cli.common import canonical_segments

    wanted = canonical_segments(project, wanted)  # first: naming an argument list adds it
    for name in wanted or []:
        parts = project.dotted_parts(name) if hasattr(project, "dotted_parts") else None
        if parts is not None:
            kind, names = parts
            what = "members" if kind == "family" else "groups"
            raise KeyError(f"`{name}` is a {kind}, not a segment: name one of its {what}, e.g. "
                           + ", ".join(f"`{n}`" for n in names[:3]))
    return select_segments(list(project.segment_names(selected_only=True)), wanted,
                           trait_names(project), group_names(project))


def group_names(project: Any) -> list[str]:
    names = getattr(project, "split_group_names", None)
    return list(names()) if callable(names) else []


def trait_names(project: Any) -> list[str]:
    names = getattr(project, "trait_names", None)
    return list(names()) if callable(names) else []


def run(path: PathArg, segment: SegmentsOpt = None, db: DbOpt = None, url: UrlOpt = None,
        as_of: AsOfOpt = None, sample: SampleOpt = 0,
        output: Annotated[Optional[Path], typer.Option(
            "--output", "-o", metavar="FILE",
            help="Write members to FILE.csv or FILE.parquet (refused if it exists, unless --force).")] = None,
        force: ForceOpt = False) -> None:
    """Run segments on a warehouse: sizes, sample keys, member files."""
    from rich.console import Console

    out, err = Console(), Console(stderr=True)
    code = run_project(out, err, path, segment, db, url, as_of, sample, output, force)
    raise typer.Exit(code)


def run_project(out: Any, err: Any, path: Path, segments: list[str] | None, db: Path | None,
                url: str | None, as_of_text: str | None, sample: int,
                output: Path | None, force: bool = False) -> int:
    from segdsl.warehouse import WarehouseError, connect, output_format, write_members
    from segdsl.warehouse.connection import check_url
    from segdsl.warehouse.runner import count_rows, entity_info

    started = time.perf_counter()
    try:
        if db is not None and url is not None:
            raise ValueError("give --db or --url, not both")
        if url is not None:
            check_url(url)  # before the project is read: a usage error comes first
        as_of = parse_as_of(as_of_text)
        if output is not None:
            output_format(output)
    except (ValueError, WarehouseError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    check_output(output, force)  # before any query: a long run must not fail at the end

    project = load_checked_project(path)
    try:
        # A .seg file as PATH runs that file's segments; a folder runs them all.
        names = project_segments(project, segments)
    except KeyError as exc:
        raise _fail(exc.args[0], EXIT_USAGE) from None
    if not names:
        typer.echo(f"no segments in {path}: nothing to run", err=True)
        return EXIT_OK

    db_path, pg_url = resolve_warehouse(project, db, url)
    if db_path is None and pg_url is None:
        raise _fail("no warehouse to run on: pass --db FILE.duckdb or --url "
                    "postgresql://..., or set `warehouse` under [project] in segdsl.toml",
                    EXIT_USAGE)
    try:
        conn = connect(db_path, pg_url)
    except WarehouseError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None

    try:
        from segdsl.analysis.common import resolve_as_of

        # fixed once: every segment of the run, and the line below, use the same day
        reference = resolve_as_of(conn, project, as_of)
        table, key = entity_info(project)
        total = count_rows(conn, table) if table else None
        results = _run_all(conn, project, names, reference, output is not None, sample, err)
    except WarehouseError as exc:
        raise _fail(str(exc), EXIT_PROBLEMS) from None
    finally:
        conn.close()

    failed = [r for r in results if not r.ok]
    for r in failed:
        typer.echo(f"error: segment {r.name}: {r.error}", err=True)
    out.print(_table(results, total, sample))
    elapsed = time.perf_counter() - started
    typer.echo(f"{len(results) - len(failed)} of {len(results)} segments ran on "
               f"{conn.dialect} in {elapsed:.2f}s (as of {reference})")

    if output is not None:
        if failed:
            typer.echo(f"{output} not written: {len(failed)} segment(s) failed", err=True)
        else:
            key_col = next((r.key_column for r in results if r.key_column), None) or key or "key"
            try:
                if len(results) == 1:
                    n = write_members(output, key_col, results[0].keys or [])
                else:
                    rows = ((r.name, k) for r in results for k in (r.keys or []))
                    n = write_members(output, ["segment", key_col], rows)
            except OSError as exc:
                raise _fail(f"cannot write {output}: {exc.strerror or exc}",
                            EXIT_PROBLEMS) from None
            typer.echo(f"wrote {n} rows to {output}")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _run_all(conn: Any, project: Any, names: list[str], as_of: Any, fetch: bool,
             sample: int, err: Any) -> list:
    from segdsl.warehouse.runner import run_segments

    return run_segments(conn, project, names, as_of=as_of, fetch_keys=fetch, sample=sample, console=err)


def _table(results: list, total: int | None, sample: int) -> Any:
    from rich.table import Table
    from rich.text import Text

    from segdsl.warehouse.runner import percent

    table = Table(title=None)
    table.add_column("segment")
    table.add_column("members", justify="right")
    if total:
        table.add_column(f"% of {total:,}", justify="right")
    if sample:
        table.add_column("sample keys")
    for r in results:
        row = [r.name, "error" if r.count is None else f"{r.count:,}"]
        if total:
            row.append(percent(r.count, total))
        if sample:
            row.append(", ".join(str(k) for k in r.sample))
        table.add_row(*(Text(cell) for cell in row))  # Text: no markup in names or keys
    return table


def register(app: "typer.Typer") -> None:
    command(app, run)
