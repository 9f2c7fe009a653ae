"""Write segment members to .csv or .parquet, atomically.

Member files are picked up by other tools (ad platforms, e-mail tools, cron jobs): a reader
must see either the previous complete file or the new complete file, never half of one. So
we write to a hidden temp file in the target's folder (same file system, so the final
os.replace is atomic) and remove it if anything, including Ctrl-C, interrupts the write.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMATS = {".csv": "csv", ".parquet": "parquet"}


def output_format(path: str | os.PathLike[str]) -> str:
    """"csv" or "parquet" from the file suffix; ValueError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unsupported output file {str(path)!r}: use a .csv or .parquet file")
    return FORMATS[suffix]


def write_members(path: str | os.PathLike[str], column_name: str | Sequence[str],
                  keys: Iterable[Any]) -> int:
    """Write rows to `path` (.csv or .parquet) atomically; return the number of rows.

    With one column name, `keys` holds plain values (one per row); with a sequence of
    column names (e.g. ["segment", "customer_id"]), `keys` holds tuples.
    """
    fmt = output_format(path)
    single = isinstance(column_name, str)
    columns = [column_name] if isinstance(column_name, str) else [str(c) for c in column_name]
    target = Path(path)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    rows = ((k,) for k in keys) if single else (tuple(r) for r in keys)
    try:
        if fmt == "csv":
            count = _write_csv(tmp, columns, rows)
        else:
            count = _write_parquet(tmp, columns, rows)
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    return count


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write a text file (a report) so that a reader sees the old or the new file, whole."""
    target = Path(path)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise


def _write_csv(tmp: Path, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _sql_type(values: list[Any]) -> str | None:
    """Column type for plain Python ints/strs; None lets DuckDB infer (dates, decimals)."""
    present = [v for v in values if v is not None]
    if not present:
        return "VARCHAR"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        if all(-(2**63) <= v < 2**63 for v in present):
            return "BIGINT"
        return None
    if all(isinstance(v, str) for v in present):
        return "VARCHAR"
    return None


def _write_parquet(tmp: Path, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    import duckdb

    from segdsl.warehouse.connection import quote_ident, quote_literal

    data = list(rows)
    cols = [[r[i] for r in data] for i in range(len(columns))]
    selects = []
    for i, (name, values) in enumerate(zip(columns, cols)):
        typ = _sql_type(values)
        param = f"$p{i}::{typ}[]" if typ else f"$p{i}"
        selects.append(f"unnest({param}) AS {quote_ident(name)}")
    con = duckdb.connect(":memory:")
    try:
        # Lists go in as query parameters: no SQL is built from member values, and DuckDB
        # converts them in bulk (about a second per million keys).
        con.execute(f"CREATE TABLE members AS SELECT {', '.join(selects)}",
                    {f"p{i}": v for i, v in enumerate(cols)})
        con.execute(f"COPY members TO {quote_literal(str(tmp))} (FORMAT parquet)")
    finally:
        con.close()
    return len(data)
