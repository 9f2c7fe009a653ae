"""Fixture tables written as Parquet files by DuckDB, for the engines that read files (Spark,
ClickHouse): one folder per dataset, one folder per table holding ``part-0.parquet``.

The rows go through the DuckDB engine's own typed, parameterised load, so every engine reads
exactly the values DuckDB holds. Timestamps are written as UTC instants (``TIMESTAMPTZ``,
Parquet ``isAdjustedToUTC``), the type a Spark ``TIMESTAMP`` column has."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .duckdb_engine import DuckDBEngine, _qi


class ParquetWriter:
    """Writes datasets under a temporary folder it owns (removed by ``close``)."""

    def __init__(self, prefix: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self._duck = DuckDBEngine()

    def write(self, n: int, prepared) -> Path:
        """Folder ``d<n>`` with one sub-folder per table; returns the dataset folder."""
        schema = self._duck._create(n, prepared)
        folder = self.root / f"d{n}"
        try:
            for spec, _rows in prepared:
                target = folder / spec.name
                target.mkdir(parents=True)
                columns = ", ".join(
                    f"CAST({_qi(c.name)} AS TIMESTAMPTZ) AS {_qi(c.name)}" if c.type == "timestamp"
                    else _qi(c.name)
                    for c in spec.columns
                )
                path = str(target / "part-0.parquet").replace("'", "''")
                self._duck.con.execute(
                    f"COPY (SELECT {columns} FROM {schema}.{_qi(spec.name)}) TO '{path}' (FORMAT PARQUET)"
                )
        finally:
            self._duck._drop(schema)
        return folder

    def remove(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        self._duck.close()
        shutil.rmtree(self.root, ignore_errors=True)
