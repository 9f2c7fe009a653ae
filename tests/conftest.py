"""Engine fixtures shared by the whole suite.

* ``duckdb_engine``, ``postgres_engine``, ``bigquery_engine``, ``spark_engine``,
  ``clickhouse_engine``: one engine per session (see tests/support/engines.py for the API:
  ``load(schema, tables)``, ``query(sql)``, ``keys(sql)``, ``keys_many(sqls)``, ``name``,
  ``dialect``).
* ``engine``: parametrized over the five (ids ``duckdb``, ``postgres``, ``bigquery``, ``spark``,
  ``clickhouse``; all but DuckDB carry their marker -- ``postgres``, ``zetasql``, ``spark``,
  ``clickhouse`` -- so ``-m "not postgres and not zetasql and not spark and not clickhouse"``
  keeps only DuckDB). Tests that ask for an engine fixture directly get its marker
  automatically.

If an engine cannot be started, the test is skipped with a hint -- except under CI (``CI``
set) or ``SEGDSL_REQUIRE_ENGINES=1`` (what ``make test`` sets), where it fails: the slow tiers
must never be skipped silently there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from tests.support import engines as _engines  # noqa: E402
from tests.support import pg_server as _pg_server  # noqa: E402
import tests.support as _support_pkg  # noqa: E402

# `from support.engines import ...` works too and yields the very same modules (one server,
# one ZetaSQL instance per session whichever spelling a test file uses).
sys.modules.setdefault("support", _support_pkg)
sys.modules.setdefault("support.engines", _engines)
sys.modules.setdefault("support.pg_server", _pg_server)

_HINTS = {
    "postgres": (
        "Postgres is not available: {reason}\n"
        "Run `make test` (it installs the Postgres server binaries and runs every tier), "
        "or point SEGDSL_PG_DSN at an existing server."
    ),
    "bigquery": (
        "ZetaSQL (BigQuery mode) is not available: {reason}\n"
        "Run `make test` (it installs the dev extras, including zetasql==0.1.5, and runs every tier)."
    ),
    "spark": (
        "Spark is not available: {reason}\n"
        "Run `make test` (it installs the dev extras, including pyspark, and a Java runtime)."
    ),
    "clickhouse": (
        "ClickHouse (chdb) is not available: {reason}\n"
        "Run `make test` (it installs the dev extras, including chdb)."
    ),
}
_failures: dict[str, str] = {}


def _truthy(value: str | None) -> bool:
    return bool(value) and value.strip().lower() not in ("0", "false", "no", "off", "")


def _strict() -> bool:
    return _truthy(os.environ.get("CI")) or _truthy(os.environ.get("SEGDSL_REQUIRE_ENGINES"))


def _unavailable(name: str, reason: str):
    message = _HINTS[name].format(reason=reason)
    if _strict():
        pytest.fail(f"{message}\n(CI / SEGDSL_REQUIRE_ENGINES is set: not skipping)", pytrace=False)
    pytest.skip(message)


def _start(name: str, factory):
    if name in _failures:
        _unavailable(name, _failures[name])
    try:
        return factory()
    except Exception as exc:  # EngineUnavailable, PostgresUnavailable, or anything unexpected
        _failures[name] = f"{type(exc).__name__}: {exc}"
        _unavailable(name, _failures[name])


@pytest.fixture(scope="session")
def duckdb_engine():
    eng = _engines.DuckDBEngine()
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def postgres_engine():
    eng = _start("postgres", _engines.PostgresEngine)
    yield eng
    eng.close()
    _pg_server.stop_server()


@pytest.fixture(scope="session")
def bigquery_engine():
    eng = _start("bigquery", _engines.BigQueryEngine)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def spark_engine():
    # one local Spark session for the whole run: it takes ~30 s to start
    eng = _start("spark", _engines.SparkEngine)
    yield eng
    eng.close()
    _engines.stop_spark_session()


@pytest.fixture(scope="session")
def clickhouse_engine():
    eng = _start("clickhouse", _engines.ClickHouseEngine)
    yield eng
    eng.close()


# engine fixture -> the marker its tests carry
ENGINE_MARKERS = {"postgres_engine": "postgres", "bigquery_engine": "zetasql",
                  "spark_engine": "spark", "clickhouse_engine": "clickhouse"}


@pytest.fixture(
    params=[
        pytest.param("duckdb", id="duckdb"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
        pytest.param("bigquery", id="bigquery", marks=pytest.mark.zetasql),
        pytest.param("spark", id="spark", marks=pytest.mark.spark),
        pytest.param("clickhouse", id="clickhouse", marks=pytest.mark.clickhouse),
    ]
)
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


# Under pytest-xdist (`make test` runs two workers with --dist loadgroup), the tests of these
# markers stay on one worker per test module: their engine or client takes seconds to tens of
# seconds to start, once per worker that needs it (dbt: one `dbt build` per module). Grouped by
# module, not by engine: one engine's tests on one worker made a chain longer than the rest of
# the run. Everything else is shared out test by test.
XDIST_GROUPS = ("spark", "clickhouse", "lsp", "dbt")


# tryfirst: the markers must be there before xdist's own hook reads the xdist_group marks.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        names = getattr(item, "fixturenames", ())
        for fixture, marker in ENGINE_MARKERS.items():
            if fixture in names and marker not in item.keywords:
                item.add_marker(getattr(pytest.mark, marker))
        groups = [g for g in XDIST_GROUPS if g in item.keywords]
        if groups:
            item.add_marker(pytest.mark.xdist_group(f"{groups[0]}:{item.nodeid.split('::')[0]}"))


def pytest_report_header(config):
    pg = os.environ.get(_pg_server.DSN_ENV) or _pg_server.find_bin_dir() or "not found"
    strict = "strict (CI / SEGDSL_REQUIRE_ENGINES)" if _strict() else "skip if unavailable"
    return f"segdsl engines: postgres={pg}; zetasql cache={_engines.zetasql_cache_dir()}; {strict}"
