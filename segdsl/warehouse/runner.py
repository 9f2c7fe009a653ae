"""Compile segments with the project API and run them on a warehouse.

Shared by `segdsl run` and `segdsl demo`. Failures are captured per segment (one bad
segment must not hide the sizes of the others) as one-line messages.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from segdsl.api import AsOfLike

from segdsl.warehouse.connection import Warehouse, WarehouseError, one_line, quote_ident


@dataclass
class SegmentResult:
    name: str
    count: int | None = None
    keys: list[Any] | None = None  # every member key, when fetched
    sample: list[Any] = field(default_factory=list)
    key_column: str | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def strip_sql(sql: str) -> str:
    """The statement without trailing semicolons, so it can be nested as a subquery."""
    return sql.strip().rstrip(";").rstrip()


def sample_keys(keys: list[Any], n: int) -> list[Any]:
    """n member keys chosen by a hash of the key, shown sorted.

    Deterministic (the same members give the same sample on every run and engine), yet
    not simply the smallest ids, which in most warehouses are the oldest customers."""
    if n <= 0 or not keys:
        return []
    chosen = sorted(keys, key=lambda k: zlib.crc32(repr(k).encode()))[:n]
    return sorted(chosen, key=lambda k: (k is None, k))


def run_segment(conn: Warehouse, project: Any, name: str, *, as_of: AsOfLike,
                fetch_keys: bool, sample: int = 0) -> SegmentResult:
    """Compile `name` for the connection's dialect and run it.

    With fetch_keys (needed for --output and samples) all member keys are fetched;
    otherwise only the count is, which keeps large segments cheap.
    """
    started = time.perf_counter()
    result = SegmentResult(name)
    try:
        sql = strip_sql(project.compile(name, dialect=conn.dialect, as_of=as_of))
    except Exception as exc:  # the compiler reports through diagnostics; this is a bug path
        result.error = f"cannot compile: {one_line(exc)}"
        return result
    try:
        if fetch_keys or sample > 0:
            columns, rows = conn.query_columns(sql)
            result.key_column = columns[0] if columns else None
            result.keys = [r[0] for r in rows]
            result.count = len(rows)
            result.sample = sample_keys(result.keys, sample)
        else:
            result.count = int(conn.query(f"SELECT count(*) FROM ({sql}) AS segdsl_members")[0][0])
    except WarehouseError as exc:
        result.error = str(exc)
    result.seconds = time.perf_counter() - started
    return result


def run_segments(conn: Warehouse, project: Any, names: list[str], *, as_of: AsOfLike,
                 fetch_keys: bool, sample: int = 0, console: Any = None) -> list[SegmentResult]:
    """Run several segments: one batch query (every relation scanned once for all of them);
    if the batch fails, segment by segment, so that the failing one is named."""
    if len(names) > 1 and hasattr(project, "compile_batch_tree"):
        results = _run_batch(conn, project, names, as_of=as_of, fetch_keys=fetch_keys, sample=sample)
        if results is not None:
            return results
    if len(names) <= 3 or console is None:
        return [run_segment(conn, project, n, as_of=as_of, fetch_keys=fetch_keys, sample=sample)
                for n in names]
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("segments", total=len(names))
        for n in names:
            bar.update(task, description=n)
            results.append(run_segment(conn, project, n, as_of=as_of, fetch_keys=fetch_keys,
                                       sample=sample))
            bar.advance(task)
    return results


def _run_batch(conn: Warehouse, project: Any, names: list[str], *, as_of: AsOfLike,
               fetch_keys: bool, sample: int) -> list[SegmentResult] | None:
    from sqlglot import exp

    from segdsl.check.params import safe_name
    from segdsl.sql.render import render
    from segdsl.sql.values import count_true

    started = time.perf_counter()
    try:
        if fetch_keys or sample > 0:
            tree = project.compile_batch_tree(names, dialect=conn.dialect, as_of=as_of)
            columns, rows = conn.query_columns(render(tree, conn.dialect))
        else:
            # only the sizes: count the true values of every column, without fetching keys
            # (and without sorting the rows first)
            tree = project.compile_batch_tree(names, dialect=conn.dialect, as_of=as_of,
                                              ordered=False)
            counts = [exp.alias_(count_true(exp.column(safe_name(name), table="m", quoted=True)), f"n{i}")
                      for i, name in enumerate(names)]
            query = exp.select(*counts).from_(exp.Subquery(this=tree, alias=exp.TableAlias(
                this=exp.to_identifier("m", quoted=True))))
            (row,) = conn.query(render(query, conn.dialect))
    except WarehouseError:
        return None
    seconds = (time.perf_counter() - started) / len(names)
    results = []
    for i, name in enumerate(names, start=1):
        r = SegmentResult(name, seconds=seconds)
        if fetch_keys or sample > 0:
            r.key_column = columns[0]
            r.keys = [row[0] for row in rows if row[i]]
            r.count = len(r.keys)
            r.sample = sample_keys(r.keys, sample)
        else:
            r.count = int(row[i - 1])
        results.append(r)
    return results


def entity_info(project: Any) -> tuple[str | None, str | None]:
    """(entity table, key column) from the project's schema, when it exposes them."""
    entity = getattr(getattr(project, "schema", None), "entity", None)
    return getattr(entity, "table", None), getattr(entity, "key", None)


def count_rows(conn: Warehouse, table: str) -> int | None:
    """Row count of a (possibly schema-qualified) table; None if it cannot be read."""
    name = ".".join(quote_ident(part) for part in table.split("."))
    try:
        return int(conn.query(f"SELECT count(*) FROM {name}")[0][0])
    except WarehouseError:
        return None


def percent(count: int | None, total: int | None) -> str:
    if count is None or not total:
        return ""
    share = 100.0 * count / total
    return "<0.1%" if 0 < share < 0.05 else f"{share:.1f}%"
