"""`segdsl demo`: build the sample warehouse once, then run every example segment on it.

The warehouse is generated (about 100,000 customers, a million orders, two million events)
so the demo needs no download; it is reused on later runs because the build is
deterministic. Segments run as of the demo's fixed date, so results never drift.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

DEMO_FILE = "demo.duckdb"


def default_demo_dir() -> Path:
    """The repository's examples/ folder when running from a checkout, else the cwd."""
    import segdsl

    examples = Path(segdsl.__file__).resolve().parent.parent / "examples"
    return examples if examples.is_dir() else Path.cwd()


def demo(
    dir: Annotated[Optional[Path], typer.Option(
        "--dir", metavar="DIR", help="Folder with the example project; demo.duckdb is written there. "
                      "Default: the repository's examples/ folder, else the current one.")] = None,
    rebuild: Annotated[bool, typer.Option(help="Build the warehouse again even if it exists.")] = False,
    customers: Annotated[int, typer.Option(min=1, metavar="N", help="Customers to generate (on build).")] = 100_000,
) -> None:
    """Build the demo warehouse (once) and run the example segments on it."""
    from rich.console import Console

    raise typer.Exit(run_demo(Console(), Console(stderr=True), dir, rebuild, customers))


def run_demo(out: Any, err: Any, directory: Path | None, rebuild: bool, customers: int) -> int:
    from segdsl.cli.run_cmd import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, load_checked_project
    from segdsl.demo.warehouse import DEMO_AS_OF, build_demo_warehouse
    from segdsl.warehouse import WarehouseError, connect
    from segdsl.warehouse.runner import count_rows, entity_info, percent, run_segments

    folder = directory if directory is not None else default_demo_dir()
    if folder.exists() and not folder.is_dir():
        typer.echo(f"error: {folder} is not a folder", err=True)
        return EXIT_USAGE
    if not (folder / "segdsl.toml").is_file():
        # Checked before building: no point writing a 30 MB warehouse nobody will query.
        typer.echo(f"error: no segdsl.toml in {folder}: pass --dir with the examples folder "
                   "of segdsl, or make a project first (`segdsl init DIR`; its schema fits "
                   "the demo data)", err=True)
        return EXIT_USAGE
    project = load_checked_project(folder)  # before a build: fail fast on a broken project
    db = folder / DEMO_FILE
    if rebuild or not db.exists():
        typer.echo(f"building the demo warehouse at {db} ...")
        stats = build_demo_warehouse(db, customers=customers, progress=True)
        typer.echo(f"built in {stats['seconds']:.1f}s: {stats['customers']:,} customers, "
                   f"{stats['orders']:,} orders, {stats['events']:,} events "
                   f"({stats['bytes'] / 1e6:.1f} MB)")
    else:
        typer.echo(f"using the demo warehouse at {db} (built earlier; --rebuild regenerates it)")

    names = list(project.segment_names())
    if not names:
        typer.echo(f"no segments in {folder}")
        return EXIT_OK

    started = time.perf_counter()
    try:
        conn = connect(db)
    except WarehouseError as exc:
        typer.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    try:
        table, _ = entity_info(project)
        total = count_rows(conn, table or "customers")
        results = run_segments(conn, project, names, as_of=DEMO_AS_OF, fetch_keys=True,
                               sample=5, console=err)
        elapsed = time.perf_counter() - started
        programmes = programme_views(conn, project, total)
    finally:
        conn.close()

    from rich.table import Table
    from rich.text import Text

    view = Table(title=f"segments as of {DEMO_AS_OF}")
    for col, justify in (("segment", "left"), ("members", "right"),
                         ("% of customers", "right"), ("sample keys", "left")):
        view.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in results:
        if r.ok:
            cells = [r.name, f"{r.count:,}", percent(r.count, total),
                     ", ".join(str(k) for k in r.sample)]
        else:
            cells = [r.name, "error", "", r.error or ""]
        view.add_row(*(Text(c) for c in cells))
    out.print(view)
    typer.echo(f"{len(results)} segments ran in {elapsed:.2f}s on {db.name} (as of {DEMO_AS_OF})")
    for programme in programmes:
        out.print(programme)
    failed = [r for r in results if not r.ok]
    for r in failed:
        typer.echo(f"error: segment {r.name}: {r.error}", err=True)
    return EXIT_PROBLEMS if failed else EXIT_OK


def programme_views(conn: Any, project: Any, total: int | None) -> list[Any]:
    """A table per family (how its rules share the customers, as `segdsl family` shows) and per
    split (its groups' sizes: groups are not segments of the project, so the run above left
    them out), in file order."""
    from rich.text import Text

    from segdsl.analysis.family import compute_family
    from segdsl.demo.warehouse import DEMO_AS_OF
    from segdsl.warehouse import WarehouseError
    from segdsl.warehouse.runner import percent, run_segments

    views: list[Any] = []
    if not hasattr(project, "dotted_parts"):  # a stand-in project knows segments only
        return views
    for name in dict.fromkeys(d.name for f in project.parsed[0] for d in f.definitions):
        parts = project.dotted_parts(name)
        if parts is None:
            continue
        if parts[0] == "family":
            try:
                report = compute_family(conn, project, name, as_of=DEMO_AS_OF)
            except WarehouseError as exc:
                views.append(Text(f"family {name}: error: {exc}"))
                continue
            view = _table(f"family {name}: first matching rule wins", "member", "matched alone",
                          "assigned", "% of customers")
            rows = [(m, f"{report.alone[m]:,}") for m in report.members]
            if report.otherwise is not None:
                rows.append((f"else {report.otherwise}", ""))
            for (member, alone) in rows:
                assigned = report.assigned[member.removeprefix("else ")]
                view.add_row(member, alone, f"{assigned:,}", percent(assigned, total))
        else:
            groups = run_segments(conn, project, parts[1], as_of=DEMO_AS_OF, fetch_keys=False)
            in_split = sum(g.count or 0 for g in groups)
            view = _table(f"split {name}", "group", "members", "% of the split")
            for g in groups:
                view.add_row(g.name, "error" if g.count is None else f"{g.count:,}",
                             percent(g.count, in_split))
        views.append(view)
    return views


def _table(title: str, label: str, *numbers: str) -> Any:
    from rich.table import Table

    view = Table(title=title)
    view.add_column(label)
    for col in numbers:
        view.add_column(col, justify="right")
    return view


def register(app: "typer.Typer") -> None:
    from segdsl.cli.options import command

    command(app, demo)
