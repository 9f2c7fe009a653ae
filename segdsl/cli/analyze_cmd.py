"""Analyse and adjust: `segdsl profile`, `overlap`, `diff`, `snapshot`, `history`, `report`.

All run on DuckDB (--db, or `[project] warehouse`) or Postgres (--url). Exit codes as
everywhere: 0 ok, 1 problems in segments or on the warehouse, 2 usage or configuration.
Errors are one line; heavy modules are imported inside the commands.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer

from segdsl.cli.run_cmd import EXIT_PROBLEMS, EXIT_USAGE

from segdsl.cli.options import (
    JSON_VERSION,
    AsOfOpt,
    DbOpt,
    ForceOpt,
    OutputOpt,
    PathArg,
    SegmentOpt,
    SegmentsOpt,
    UrlOpt,
    check_format,
    check_output,
    command,
    format_option,
)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)  # plain echo: never re-wrapped or read as markup
    return typer.Exit(code)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Known failures as one line and an exit code; anything else is a bug (main.py)."""
    from segdsl.analysis.diff import DiffError
    from segdsl.analysis.gitrev import GitError
    from segdsl.analysis.profile import ProfileError
    from segdsl.analysis.snapshots import SnapshotError
    from segdsl.analysis.traits import TraitError
    from segdsl.api import CompileError
    from segdsl.warehouse import WarehouseError

    try:
        yield
    except (ProfileError, GitError, SnapshotError, TraitError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    except CompileError as exc:
        raise _fail(str(exc).splitlines()[0], EXIT_PROBLEMS) from None
    except (WarehouseError, DiffError) as exc:
        raise _fail(str(exc), EXIT_PROBLEMS) from None


class Session:
    """The checked project, its warehouse connection and the fixed as_of of one command."""

    def __init__(self, path: Path, db: Path | None, url: str | None, as_of: str | None,
                 write: bool = False):
        from segdsl.cli.run_cmd import load_checked_project, parse_as_of, resolve_warehouse
        from segdsl.warehouse import WarehouseError, connect

        if db is not None and url is not None:
            raise _fail("give --db or --url, not both", EXIT_USAGE)
        if url is not None:
            from segdsl.warehouse.connection import check_url

            try:
                check_url(url)  # before the project is read: a usage error comes first
            except WarehouseError as exc:
                raise _fail(str(exc), EXIT_USAGE) from None
        try:
            wanted = parse_as_of(as_of)
        except ValueError as exc:
            raise _fail(str(exc), EXIT_USAGE) from None
        self.project = load_checked_project(path)
        db_path, pg_url = resolve_warehouse(self.project, db, url)
        if db_path is None and pg_url is None:
            raise _fail("no warehouse: pass --db FILE.duckdb or --url postgresql://..., or set "
                        "`warehouse` under [project] in segdsl.toml", EXIT_USAGE)
        # never the URL itself in output: it may carry a password
        self.warehouse = Path(db_path).name if db_path else "postgres"
        try:
            self.conn = connect(db_path, pg_url, read_only=not write)
        except WarehouseError as exc:
            raise _fail(str(exc), EXIT_USAGE) from None
        from segdsl.analysis.common import resolve_as_of

        with _errors():
            self.reference = resolve_as_of(self.conn, self.project, wanted)
        self.as_of = self.reference.date  # what the analyses compare and store

    def segments(self, wanted: list[str] | None) -> list[str]:
        from segdsl.cli.run_cmd import project_segments

        try:
            return project_segments(self.project, wanted)
        except KeyError as exc:
            raise _fail(exc.args[0], EXIT_USAGE) from None

    def close(self) -> None:
        self.conn.close()


def _consoles() -> tuple[Any, Any]:
    from rich.console import Console

    return Console(), Console(stderr=True)


def _list(values: list[str] | None) -> list[str]:
    """--by a,b --by c -> [a, b, c]"""
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def profile(path: PathArg, segment: SegmentOpt,
            by: Annotated[Optional[list[str]], typer.Option(
                metavar="COLUMNS", help="Columns to break members down by, e.g. region,plan (default: enumerations).")] = None,
            bands: Annotated[Optional[list[str]], typer.Option(
                metavar="COLUMNS", help="Number or date columns, or traits, in quartile bands, e.g. age,lifetime_value.")] = None,
            db: DbOpt = None, url: UrlOpt = None, as_of: AsOfOpt = None,
            format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Size of a segment and its members compared with all customers."""
    from segdsl.analysis import views
    from segdsl.analysis.common import pct, share, steps
    from segdsl.analysis.profile import profile_segment
    from segdsl.analysis.report import default_attributes

    format = check_format(format, "text", "json")
    s = Session(path, db, url, as_of)
    out, err = _consoles()
    try:
        (name,) = s.segments([segment])
        fields_by, fields_bands = _list(by), _list(bands)
        if not fields_by and not fields_bands:
            fields_by = default_attributes(s.project)
            columns = s.project.schema.entity.columns.values()
            fields_bands = [c.name for c in columns if c.type.numeric and c.name != s.project.schema.entity.key][:2]
        with _errors(), steps(err, len(fields_by) + len(fields_bands), name) as bar:
            result = profile_segment(s.conn, s.project, name, by=fields_by, bands=fields_bands,
                                     as_of=s.as_of, steps=bar)
    finally:
        s.close()
    if format == "json":
        typer.echo(views.profile_json(result, JSON_VERSION))
        return
    typer.echo(f"{name}: {result.size:,} of {result.total:,} customers "
               f"({pct(share(result.size, result.total)) or '0%'}) as of {s.as_of} on {s.conn.dialect}")
    for table in views.profile_tables(result):
        out.print(table)
    typer.echo("index: share among members / share among all customers x 100 (100 = typical)")


def overlap(path: PathArg, segment: SegmentsOpt = None, db: DbOpt = None, url: UrlOpt = None,
            as_of: AsOfOpt = None,
            top: Annotated[int, typer.Option(min=0, metavar="N", help="Show the N most similar pairs (0: all).")] = 20,
            format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Pairwise overlap of segments (counts and Jaccard), in one query."""
    import json

    from segdsl.analysis import views
    from segdsl.analysis.common import steps
    from segdsl.analysis.overlap import compute_overlap

    format = check_format(format, "text", "json")
    s = Session(path, db, url, as_of)
    out, err = _consoles()
    try:
        names = s.segments(segment)
        if len(names) < 2:
            raise _fail("overlap needs at least two segments", EXIT_USAGE)
        with _errors(), steps(err, 2, "overlap") as bar:
            result = compute_overlap(s.conn, s.project, names, as_of=s.as_of, steps=bar)
    finally:
        s.close()
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | result.as_dict()
                              | {"as_of": s.as_of.isoformat()}, indent=2))
        return
    typer.echo(f"overlap of {len(names)} segments as of {s.as_of} on {s.conn.dialect} "
               "(Jaccard = in both / in either)")
    out.print(views.overlap_matrix(result) if len(names) <= 6 else views.overlap_pairs(result, top))


def diff(path: PathArg,
         base: Annotated[Optional[str], typer.Option(
             metavar="REV", help="Git revision to compare with. Default: the merge base with main, else HEAD.")] = None,
         db: DbOpt = None, url: UrlOpt = None, as_of: AsOfOpt = None,
         sample: Annotated[int, typer.Option(min=0, metavar="N", help="Sample keys per side.")] = 5,
         format: Annotated[str, format_option("text", "markdown", "json")] = "text") -> None:
    """Who enters and leaves the segments changed since a git revision.

    Compares each segment as of the same day in the working tree and at REV."""
    import json
    import tempfile

    import segdsl
    from segdsl.analysis import gitrev, views
    from segdsl.analysis.common import steps
    from segdsl.analysis.diff import diff_projects

    format = check_format(format, "text", "markdown", "json")
    s = Session(path, db, url, as_of)
    out, err = _consoles()
    try:
        with _errors(), tempfile.TemporaryDirectory(prefix="segdsl-diff-") as tmp:
            root = Path(s.project.root)
            gitrev.repo_root(root)  # "not in a git repository" before any revision problem
            rev, label = (base, base) if base else gitrev.default_base(root)
            commit = gitrev.resolve(rev, root)
            old_root = gitrev.materialize(root, commit, Path(tmp))
            old = segdsl.load_project(old_root) if old_root is not None else None
            with steps(err, None, "diff") as bar:
                result = diff_projects(s.conn, old, s.project, base=label, commit=commit, as_of=s.as_of,
                                       sample=sample, steps=bar)
    finally:
        s.close()
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | result.as_dict(), indent=2))
    elif format == "markdown":
        typer.echo(views.diff_markdown(result, sample), nl=False)
    else:
        typer.echo(f"compared with {label} ({commit[:10]}) on {result.dialect} as of {result.as_of}")
        if result.changes:
            out.print(views.diff_table(result))
            for line in views.diff_samples(result):
                typer.echo(line)
        typer.echo(f"{len(result.changes)} segment(s) affected, {len(result.unchanged)} unchanged")
    if any(c.error for c in result.changes):
        raise typer.Exit(EXIT_PROBLEMS)


def snapshot(path: PathArg, segment: SegmentsOpt = None, db: DbOpt = None, url: UrlOpt = None,
             as_of: AsOfOpt = None) -> None:
    """Store the current members of segments (static lists).

    `in snapshot NAME` reads them; re-running the same snapshot stores nothing new."""
    from segdsl.analysis import views
    from segdsl.analysis.common import steps
    from segdsl.analysis.snapshots import table_name, take_snapshots

    s = Session(path, db, url, as_of, write=True)
    out, err = _consoles()
    try:
        names = s.segments(segment)
        with _errors(), steps(err, len(names), "snapshot") as bar:
            taken = take_snapshots(s.conn, s.project, names, as_of=s.as_of, steps=bar)
    finally:
        s.close()
    table = views._table(None, [("segment", "left"), ("snapshot", "right"), ("members", "right")])
    for t in taken:
        views._row(table, [t.segment, str(t.snapshot_id) + ("" if t.stored else " (kept)"), f"{t.size:,}"])
    out.print(table)
    stored = sum(1 for t in taken if t.stored)
    kept = len(taken) - stored
    typer.echo(f"stored {stored} snapshot(s) as of {s.as_of} in {table_name(s.project)}"
               + (f"; {kept} unchanged since the last snapshot of that day (kept)" if kept else ""))


def history(path: PathArg, segment: SegmentOpt,
            from_: Annotated[Optional[str], typer.Option("--from", metavar="ID|DATE", help="Snapshot id or date.")] = None,
            to: Annotated[Optional[str], typer.Option("--to", metavar="ID|DATE", help="Snapshot id or date.")] = None,
            sample: Annotated[int, typer.Option(min=0, metavar="N", help="Sample keys per side.")] = 5,
            db: DbOpt = None, url: UrlOpt = None) -> None:
    """A segment's size per snapshot, and who entered and left.

    Compares the last two snapshots, or --from and --to."""
    from segdsl.analysis import views
    from segdsl.analysis.diff import compare_members
    from segdsl.analysis.snapshots import exists, list_snapshots, pick, snapshot_keys, table_name

    s = Session(path, db, url, None)
    out, _ = _consoles()
    try:
        with _errors():
            if not exists(s.conn, s.project):
                raise _fail(f"no snapshot table {table_name(s.project)} yet: `segdsl snapshot "
                            f"{path} --segment {segment}` stores one", EXIT_PROBLEMS)
            found = list_snapshots(s.conn, s.project, segment)
            if not found:
                raise _fail(f"no snapshots of {segment} yet: `segdsl snapshot {path} --segment "
                            f"{segment}` stores one", EXIT_PROBLEMS)
            out.print(views.history_table(found))
            if len(found) < 2 and from_ is None and to is None:
                typer.echo("one snapshot: take another to see who enters and leaves")
                return
            first = pick(found, from_, segment, -2 if len(found) > 1 else 0)
            last = pick(found, to, segment, -1)
            before, after, entered, left, sample_in, sample_out = compare_members(
                s.conn, snapshot_keys(s.project, last.snapshot_id),
                snapshot_keys(s.project, first.snapshot_id), sample)
    finally:
        s.close()
    typer.echo(f"from snapshot {first.snapshot_id} ({first.as_of}, {before:,} members) to "
               f"{last.snapshot_id} ({last.as_of}, {after:,} members): {entered:,} entered, {left:,} left")
    if sample_in:
        typer.echo("  entered, e.g.: " + ", ".join(str(k) for k in sample_in))
    if sample_out:
        typer.echo("  left, e.g.: " + ", ".join(str(k) for k in sample_out))


def report(path: PathArg, output: OutputOpt = None, force: ForceOpt = False,
           segment: SegmentsOpt = None, db: DbOpt = None, url: UrlOpt = None, as_of: AsOfOpt = None,
           out_alias: Annotated[Optional[Path], typer.Option("--out", hidden=True)] = None) -> None:
    """Write one self-contained HTML report of the segments.

    Sizes, overlaps, breakdowns, history and SQL."""
    out_file = output or out_alias
    if out_file is None:
        raise _fail("missing option --output FILE.html", EXIT_USAGE)
    check_output(out_file, force)  # before any query: a report is slow to compute
    from segdsl.analysis.common import steps
    from segdsl.analysis.report import gather
    from segdsl.analysis.report_html import render_report

    s = Session(path, db, url, as_of)
    _, err = _consoles()
    try:
        names = s.segments(segment)
        with _errors(), steps(err, None, "report") as bar:
            data = gather(s.conn, s.project, names, as_of=s.as_of, warehouse=s.warehouse, steps=bar)
    finally:
        s.close()
    from segdsl.warehouse.members import write_text_atomic

    try:
        write_text_atomic(out_file, render_report(data))
    except OSError as exc:
        raise _fail(f"cannot write {out_file}: {exc.strerror or exc}", EXIT_PROBLEMS) from None
    typer.echo(f"wrote {out_file}: {len(names)} segments, {data.total:,} customers, as of {s.as_of}")


def register(app: "typer.Typer") -> None:
    for function in (profile, overlap, diff, snapshot, history, report):
        command(app, function)
