"""Run SQL on real engines: DuckDB, Postgres, ZetaSQL in BigQuery mode, Spark (local pyspark)
and ClickHouse (chdb, in-process).

The same fixture data (``tables``: table name -> list of row dicts) is loaded into every engine
with column types taken from a segdsl schema (the parsed ``segdsl.toml``: ``[entity]`` and
``[relations.NAME]``), so a test can compile one segment to every dialect and compare members::

    engine.load(schema, tables)
    assert engine.keys(sql) == [1, 4, 7]

Type mapping::

    segdsl        DuckDB     Postgres          ZetaSQL (BigQuery)   Python
    integer       BIGINT     bigint            INT64                int
    number        DOUBLE     double precision  FLOAT64              float (ints accepted)
    string        VARCHAR    text              STRING               str
    boolean       BOOLEAN    boolean           BOOL                 bool
    date          DATE       date              DATE                 datetime.date
    timestamp     TIMESTAMP  timestamp         TIMESTAMP            datetime.datetime (naive = UTC)
    list<T>       T[]        T[]               ARRAY<T>             list (or None)

Input values may also be ISO strings for dates and timestamps; aware datetimes are converted to
UTC. A row may omit columns (NULL). Data is always inserted with parameters / typed protobuf
values, never formatted into SQL.

Results are plain Python values on every engine: int, float, str, bool, date, naive-UTC
datetime, list, None. Decimals (Postgres SUM/AVG, DuckDB decimal literals, BigQuery NUMERIC)
become int when integral, else float; aware datetimes become naive UTC.

BigQuery semantics worth knowing (``BigQueryEngine``):

* BigQuery cannot store a NULL ARRAY: a NULL array written to a table reads back as ``[]``, and
  a NULL array in a query result is returned as ``[]``. The engine emulates this by default
  (``null_arrays_as_empty=True``), so ``None`` lists load as ``[]`` and come back as ``[]``.
* Every query is first analysed by ZetaSQL with BigQuery's settings (maximum language
  features, PRODUCT_EXTERNAL, default time zone UTC): non-BigQuery SQL such as ``x::INT64``,
  ``ILIKE`` or ``NOW()`` raises :class:`BigQueryAnalysisError` with the analyser's message.
* String literals differ: BigQuery rejects the doubled quote ``'O''Brien'`` (write
  ``'O\\'Brien'`` or ``"O'Brien"``) and a backslash in a literal is an escape; in Postgres
  (standard_conforming_strings on) and DuckDB it is a plain character.
* ZetaSQL's reference evaluator is slow on per-row subqueries over thousands of rows: keep the
  datasets run through it small (dozens of rows).

Spark and ClickHouse read Parquet files that DuckDB writes (``parquet_files``). A Spark job
costs a fifth of a second or more however small the data: run many with ``keys_many(sqls)``,
a few queries per Spark job (every engine has it; the others run the queries one by one). ClickHouse cannot store a NULL
array: ``None`` lists load as ``[]``, as on BigQuery.

Datasets are cached per engine by content: loading equal data again (same schema and rows) just
switches back to it, which matters for ZetaSQL (registration costs) and Postgres. Treat loaded
tables as read-only, or pass ``reload=True``.

The code lives in the sibling modules ``engine_base`` (errors, schema model, value coercion
and normalisation, the ``Engine`` base class), ``duckdb_engine``, ``postgres_engine``,
``zetasql_wasm`` (the wasm client), ``zetasql_service`` (the ZetaSQL service, its compile
cache, ``analyze_bigquery``), ``bigquery_engine``, ``spark_engine`` and ``clickhouse_engine``;
import everything from this module.
"""

from __future__ import annotations

from . import duckdb_engine as _duckdb_engine
from . import engine_base as _engine_base
from . import postgres_engine as _postgres_engine
from . import zetasql_service as _zetasql_service
from . import zetasql_wasm as _zetasql_wasm
from .bigquery_engine import BigQueryEngine
from .clickhouse_engine import ClickHouseEngine
from .duckdb_engine import DuckDBEngine
from .engine_base import (
    BigQueryAnalysisError,
    BigQueryError,
    BigQueryExecutionError,
    Column,
    Engine,
    EngineUnavailable,
    TableSpec,
    schema_tables,
)
from .postgres_engine import PostgresEngine
from .spark_engine import SparkEngine, stop_spark_session
from .zetasql_service import analyze_bigquery, install_zetasql_compile_cache, zetasql_cache_dir

__all__ = [
    "ENGINE_NAMES",
    "BigQueryAnalysisError",
    "BigQueryEngine",
    "BigQueryError",
    "BigQueryExecutionError",
    "ClickHouseEngine",
    "Column",
    "DuckDBEngine",
    "Engine",
    "EngineUnavailable",
    "PostgresEngine",
    "SparkEngine",
    "TableSpec",
    "analyze_bigquery",
    "install_zetasql_compile_cache",
    "make_engine",
    "schema_tables",
    "stop_spark_session",
    "zetasql_cache_dir",
]

ENGINE_NAMES = ("duckdb", "postgres", "bigquery", "spark", "clickhouse")

# Module-level names of the engine modules that are not in __all__, reachable from here too.
REPO_ROOT = _zetasql_service.REPO_ROOT
_EPOCH_DATE = _engine_base._EPOCH_DATE
_EPOCH_TS = _engine_base._EPOCH_TS
_SCALARS = _engine_base._SCALARS
_format_zetasql_error = _engine_base._format_zetasql_error
_norm_type = _engine_base._norm_type
_to_utc_naive = _engine_base._to_utc_naive
_coerce = _engine_base._coerce
_prepare = _engine_base._prepare
_fingerprint = _engine_base._fingerprint
_py = _engine_base._py
_sort_key = _engine_base._sort_key
_DUCK_TYPES = _duckdb_engine._DUCK_TYPES
_duck_type = _duckdb_engine._duck_type
_qi = _duckdb_engine._qi
_PG_TYPES = _postgres_engine._PG_TYPES
_PG_DDL = _postgres_engine._PG_DDL
_pg_copy_type = _postgres_engine._pg_copy_type
_pg_ddl_type = _postgres_engine._pg_ddl_type
_ZetaSQLCallError = _zetasql_wasm._ZetaSQLCallError
_WasmService = _zetasql_wasm._WasmService
_ZetaSQL = _zetasql_service._ZetaSQL
_toml_str = _zetasql_service._toml_str
_zetasql = _zetasql_service._zetasql
_type_name = _zetasql_service._type_name
_output_columns = _zetasql_service._output_columns


def make_engine(name: str) -> Engine:
    """A new engine by name (one of ENGINE_NAMES); Postgres uses ``$SEGDSL_PG_DSN`` or the
    process-wide throwaway server, Spark the process-wide local session."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "postgres":
        return PostgresEngine()
    if name == "bigquery":
        return BigQueryEngine()
    if name == "spark":
        return SparkEngine()
    if name == "clickhouse":
        return ClickHouseEngine()
    raise ValueError(f"unknown engine {name!r} (expected one of {ENGINE_NAMES})")
