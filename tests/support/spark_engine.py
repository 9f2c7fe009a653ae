"""The Spark SQL engine: a local pyspark session (one per test process, see ``spark_session``)
reading Parquet files written by DuckDB. Each loaded dataset is a Spark database of
external Parquet tables, selected with ``USE``; timestamps are Spark ``TIMESTAMP`` columns
(UTC instants) and the session time zone is UTC.

A Spark job costs a fifth of a second or more however small the data (planning and scheduling
it), so ``keys_many`` runs a few queries per job: each query's first column is tagged with its
position and the tagged results are unioned (a few: planning a union of many grows faster
than the jobs it saves). Results are also kept per (dataset content,
session time zone, SQL text): the same statement over the same data is not run twice in a
test run (the corpus is checked against hand-written members and against DuckDB with the
very same SQL).
``pyspark`` is imported when the engine starts.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading

from .engine_base import Engine, EngineUnavailable, _py
from .parquet_files import ParquetWriter

_SPARK_TYPES = {
    "integer": "BIGINT",
    "number": "DOUBLE",
    "string": "STRING",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}

# Settings that keep a local session small and quiet: few shuffle partitions (the data is
# tiny; 200 partitions would mean 200 tasks per aggregate), no web UI, UTC session time zone.
# Code generation compiles Java for every query, which costs more than running the
# interpreted plan over a few hundred rows (measured: half the time per corpus query).
SESSION_CONFIG = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC -XX:+UseSerialGC",
}

_session = None
_session_lock = threading.Lock()


def _spark_type(typ: str) -> str:
    return f"ARRAY<{_SPARK_TYPES[typ[5:-1]]}>" if typ.startswith("list<") else _SPARK_TYPES[typ]


def _bq(name: str) -> str:
    """A Spark identifier, quoted with backticks."""
    return "`" + name.replace("`", "``") + "`"


def java_available() -> str | None:
    """The java launcher Spark would use, or None."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def warehouse_dir_config() -> dict:
    """A temporary folder for Spark's catalog (the default, ./spark-warehouse, would land in
    the working directory); removed when the process exits."""
    folder = tempfile.mkdtemp(prefix="segdsl-spark-warehouse-")
    atexit.register(shutil.rmtree, folder, True)
    return {"spark.sql.warehouse.dir": folder}


def spark_session():
    """The process-wide local Spark session (started on first use: ~30 s)."""
    global _session
    with _session_lock:
        if _session is not None:
            return _session
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise EngineUnavailable(f"pyspark is not installed: {exc} (pip install 'segdsl[spark]')") from exc
        if java_available() is None:
            raise EngineUnavailable("no Java runtime (Spark needs Java 17+: apt-get install openjdk-17-jre-headless)")
        builder = SparkSession.builder.master("local[2]").appName("segdsl-tests")
        for key, value in {**SESSION_CONFIG, **warehouse_dir_config()}.items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
        except Exception as exc:
            raise EngineUnavailable(f"cannot start a local Spark session: {exc}") from exc
        session.sparkContext.setLogLevel("ERROR")
        _session = session
        return session


def stop_spark_session() -> None:
    global _session
    with _session_lock:
        if _session is not None:
            _session.stop()
            _session = None


class SparkEngine(Engine):
    """Local Spark; each dataset is a database of Parquet tables, selected with USE."""

    name = "spark"
    dialect = "spark"
    slow_queries = True

    def __init__(self) -> None:
        super().__init__()
        self.spark = spark_session()
        self._files = ParquetWriter("segdsl-spark-")
        self._prefix = f"segdsl_{os.getpid()}_"
        self._seen: dict[tuple, list] = {}  # (dataset fingerprint, time zone, sql) -> keys
        self.spark.sql("SELECT 1").collect()  # the first job warms the JVM up

    def _create(self, n: int, prepared) -> str:
        db = f"{self._prefix}{n}"
        folder = self._files.write(n, prepared)
        self.spark.sql(f"DROP DATABASE IF EXISTS {_bq(db)} CASCADE")
        self.spark.sql(f"CREATE DATABASE {_bq(db)}")
        for spec, _rows in prepared:
            cols = ", ".join(f"{_bq(c.name)} {_spark_type(c.type)}" for c in spec.columns)
            location = str(folder / spec.name).replace("\\", "\\\\").replace("'", "\\'")
            self.spark.sql(f"CREATE TABLE {_bq(db)}.{_bq(spec.name)} ({cols}) USING parquet LOCATION '{location}'")
        return db

    def _activate(self, db: str) -> None:
        self.spark.catalog.setCurrentDatabase(db)

    def _drop(self, db: str) -> None:
        if self.spark.catalog.currentDatabase() == db:
            self.spark.catalog.setCurrentDatabase("default")
        self.spark.sql(f"DROP DATABASE IF EXISTS {_bq(db)} CASCADE")
        self._files.remove(self._files.root / f"d{db[len(self._prefix):]}")

    @staticmethod
    def _rows(table) -> list[tuple]:
        columns = [c.to_pylist() for c in table.columns]
        return [tuple(_py(v) for v in row) for row in zip(*columns)] if columns else []

    def query(self, sql: str) -> list[tuple]:
        return self._rows(self.spark.sql(sql).toArrow())

    # Queries per job: a union of many plans costs Spark more to plan than it saves in jobs
    # (78 example segments: 26 s as one union, 15 s one by one, 8.6 s in unions of 5).
    UNION = 5

    def keys_many(self, sqls: list[str]) -> list:
        """The sorted first columns of many queries, run as Spark jobs of UNION queries each."""
        return [r for i in range(0, len(sqls), self.UNION) for r in self._keys_union(sqls[i:i + self.UNION])]

    def _keys_union(self, sqls: list[str]) -> list:
        """The sorted first columns of a few queries, run as one Spark job. A query Spark
        rejects gives its exception in its place; when the job fails as a whole (an error
        while running), every query runs alone so that each gets its own result or error."""
        from pyspark.sql import functions as F

        frames, out = [], [None] * len(sqls)
        zone = self.spark.conf.get("spark.sql.session.timeZone")
        for i, sql in enumerate(sqls):
            if (self._active, zone, sql) in self._seen:
                out[i] = list(self._seen[(self._active, zone, sql)])
                continue
            try:
                df = self.spark.sql(sql)
                frames.append((i, df.select(F.lit(i).alias("__case"), df[df.columns[0]].alias("__key"))))
            except Exception as exc:  # analysis error: this query only
                out[i] = exc
        if frames:
            union = frames[0][1]
            for _, df in frames[1:]:
                union = union.unionAll(df)
            try:
                rows = self._rows(union.toArrow())
            except Exception:
                return [r if isinstance(r, Exception) else self._one(sqls[i]) for i, r in enumerate(out)]
            found: dict[int, list] = {i: [] for i, _ in frames}
            for case, key in rows:
                found[case].append(key)
            for i, keys in found.items():
                out[i] = sorted(keys, key=lambda v: (v is None, 0 if v is None else v))
                self._seen[(self._active, zone, sqls[i])] = list(out[i])
        return out

    def _one(self, sql: str):
        try:
            return self.keys(sql)
        except Exception as exc:
            return exc

    def close(self) -> None:
        super().close()
        self._files.close()
