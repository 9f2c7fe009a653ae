"""Build the demo DuckDB warehouse (acme schema) from seeded, hash-based pseudo-randomness.

The SQL lives in segdsl.demo.sql; this module runs it with a progress bar, writes the file
atomically and offers checksums to compare builds. Two builds with the same seed are
identical (see table_checksums).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from segdsl.demo.data import DEMO_AS_OF, HISTORY_START
from segdsl.demo.sql import PHASES, phase_sql

if TYPE_CHECKING:
    import duckdb

TABLES = ("customers", "orders", "events", "visits")


class DemoStats(TypedDict):
    """What build_demo_warehouse reports: row counts, build time, file size and path."""

    customers: int
    orders: int
    events: int
    seconds: float
    bytes: int
    path: str


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int], None]]:
    """Yields show(description, completed): the phase running and how many phases are done."""
    if not enabled:
        yield lambda description, completed: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]demo warehouse[/] {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("", total=len(PHASES))
        yield lambda description, completed: bar.update(task, description=description,
                                                        completed=completed)


def build_demo_warehouse(path: str | os.PathLike[str], *, customers: int = 100_000,
                         seed: int = 20240630, progress: bool = True) -> DemoStats:
    """Write the demo warehouse to `path` (replacing it) and return counts and timing.

    Returns row counts, build time, file size and path (DemoStats). The file appears only when complete: the build
    goes to a temporary file in the same folder that is renamed at the end.
    """
    import duckdb

    if customers < 1:
        raise ValueError("customers must be at least 1")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    _remove(tmp)
    started = time.perf_counter()
    con = None
    try:
        con = duckdb.connect(str(tmp))
        # DuckDB draws its own progress bar for long queries; it would garble ours.
        con.execute("SET enable_progress_bar = false")
        with _progress(progress) as show:
            for done, phase in enumerate(PHASES):
                show(phase, done)
                for stmt in phase_sql(phase, customers, seed):
                    if stmt.strip():
                        con.execute(stmt)
            show("done", len(PHASES))
        counts = {t: int(_one_row(con, f"SELECT count(*) FROM {t}")[0]) for t in TABLES}
        con.close()
        con = None
        os.replace(tmp, target)
    except BaseException:
        # Interrupted or failed: leave no half-built file behind (the old one, if any,
        # is untouched because we never wrote to it).
        if con is not None:
            con.close()
        _remove(tmp)
        raise
    _remove(tmp)
    return DemoStats(customers=counts["customers"], orders=counts["orders"], events=counts["events"],
                     seconds=round(time.perf_counter() - started, 2),
                     bytes=target.stat().st_size, path=str(target))


def _one_row(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    if row is None:  # an aggregate without GROUP BY always returns one row
        raise AssertionError(f"no row from {sql}")
    return row


def _remove(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def table_checksums(path: str | os.PathLike[str]) -> dict[str, tuple[int, int]]:
    """(row count, order-independent sum of row hashes) per demo table, to compare builds."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        sums = {t: _one_row(con, f"SELECT count(*), coalesce(sum(hash({t})), 0) FROM {t}")
                for t in TABLES}
        return {t: (int(rows), int(hashes)) for t, (rows, hashes) in sums.items()}
    finally:
        con.close()


def demo_date_window() -> tuple[date, date]:
    """First and last day covered by orders and events."""
    return HISTORY_START, DEMO_AS_OF


__all__ = ["DEMO_AS_OF", "TABLES", "build_demo_warehouse", "demo_date_window",
           "table_checksums"]
