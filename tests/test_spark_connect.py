"""`segdsl run --url sc://...` against a real Spark Connect server started from the pyspark
package, holding the example project's tables (Parquet files written by DuckDB): sizes and
member files equal the hand-written members; connection problems are one line, exit 2.
`segdsl schema pull --url sc://...` reads the same server's catalog (one server per module)."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from tests.analysis.fixture import invoke
from tests.expected import examples_members
from tests.fixtures.acme_data import AS_OF, TABLES
from tests.projects import PROJECTS

EXAMPLES = next(p for p in PROJECTS if p.id == "examples")
SEGMENTS = ["hikers", "lapsed_vips", "west_coast_regulars", "new_signups", "dormant"]


@pytest.fixture(scope="module")
def connect_url(request):
    from tests.conftest import _start
    from tests.support.engine_base import _prepare
    from tests.support.parquet_files import ParquetWriter
    from tests.support.spark_connect_server import SparkConnectServer
    from tests.support.spark_engine import _bq, _spark_type

    server = _start("spark", SparkConnectServer)
    files = ParquetWriter("segdsl-spark-connect-")
    try:
        from pyspark.sql.connect.session import SparkSession

        prepared = _prepare(EXAMPLES.schema(), TABLES)
        folder = files.write(1, prepared)
        spark = SparkSession.builder.remote(server.url).create()
        for spec, _rows in prepared:
            cols = ", ".join(f"{_bq(c.name)} {_spark_type(c.type)}" for c in spec.columns)
            spark.sql(f"CREATE TABLE {_bq(spec.name)} ({cols}) USING parquet LOCATION '{folder / spec.name}'")
        spark.stop()
        yield server.url
    finally:
        server.stop()
        files.close()


@pytest.mark.spark
def test_run_over_spark_connect_gives_the_expected_members(connect_url, tmp_path):
    args = ["run", EXAMPLES.path, "--url", connect_url, "--as-of", AS_OF.isoformat()]
    for name in SEGMENTS:
        args += ["-s", name]
    out = tmp_path / "members.csv"
    result = invoke(*args, "-o", out)
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows, result.output
    header, body = rows[0], rows[1:]
    got: dict[str, list[int]] = {name: [] for name in SEGMENTS}
    # the member file: one row per (segment, key) or one column per segment
    if "segment" in header:
        s, k = header.index("segment"), next(i for i, h in enumerate(header) if h != "segment")
        for row in body:
            got[row[s]].append(int(row[k]))
    else:
        for row in body:
            for name in SEGMENTS:
                if row[header.index(name)].lower() in ("true", "1"):
                    got[name].append(int(row[0]))
    assert {n: sorted(v) for n, v in got.items()} == {n: examples_members.EXPECTED[n] for n in SEGMENTS}


def test_an_unreachable_spark_connect_server_is_one_line_exit_2(tmp_path):
    from tests.support.spark_connect_server import _free_port

    result = invoke("run", EXAMPLES.path, "--url", f"sc://127.0.0.1:{_free_port()}", "-s", "hikers")
    assert result.exit_code == 2, result.output
    assert "cannot connect to Spark Connect at 127.0.0.1" in result.stderr
    assert "Traceback" not in result.output


def test_a_token_in_the_url_is_refused(monkeypatch):
    from segdsl.warehouse import WarehouseError
    from segdsl.warehouse.spark import with_token

    with pytest.raises(WarehouseError, match="SEGDSL_SPARK_TOKEN"):
        with_token("sc://host:443/;token=secret")
    monkeypatch.setenv("SEGDSL_SPARK_TOKEN", "abc")
    assert with_token("sc://host:443") == "sc://host:443/;token=abc"
    assert with_token("sc://host:443/;use_ssl=true") == "sc://host:443/;use_ssl=true;token=abc"


# ------------------------------------------------------------------ schema pull from the catalog


@pytest.mark.spark
def test_schema_pull_over_spark_connect_finds_the_examples_schema(connect_url):
    result = invoke("schema", "pull", "--url", connect_url, "--entity", "customers", "--key", "customer_id")
    assert result.exit_code == 0, result.output
    pulled = tomllib.loads(result.stdout)
    acme = tomllib.loads((Path(EXAMPLES.path) / "segdsl.toml").read_text())

    def types(columns):
        return {n: (s if isinstance(s, str) else s["type"]) for n, s in columns.items()}

    assert {k: pulled["entity"][k] for k in ("name", "table", "key")} == \
        {k: acme["entity"][k] for k in ("name", "table", "key")}
    assert types(pulled["entity"]["columns"]) == types(acme["entity"]["columns"])
    assert set(pulled["relations"]) == set(acme["relations"])
    for name, rel in acme["relations"].items():
        got = pulled["relations"][name]
        assert {k: got.get(k) for k in ("table", "key", "time")} == {k: rel.get(k) for k in ("table", "key", "time")}
        assert types(got["columns"]) == types(rel["columns"])


@pytest.mark.spark
def test_schema_pull_maps_spark_types_and_notes_partitions(connect_url, tmp_path):
    from pyspark.sql.connect.session import SparkSession

    spark = SparkSession.builder.remote(connect_url).create()
    try:
        spark.sql("CREATE DATABASE pull_types")
        spark.sql("""CREATE TABLE pull_types.people (person_id BIGINT, tier STRING, name VARCHAR(20),
            score DECIMAL(10, 2), ratio DOUBLE, small SMALLINT, active BOOLEAN, born DATE,
            tags ARRAY<STRING>, lucky ARRAY<INT>, meta MAP<STRING, STRING>, seen TIMESTAMP_NTZ) USING parquet""")
        spark.sql("""INSERT INTO pull_types.people VALUES
            (1, 'gold', 'Ann', 1.5, 0.1, 1, true, DATE'2000-01-01', array('a', 'b'), array(1), map('k', 'v'), NULL),
            (2, 'gold', 'Bob', 2, 0.2, 2, false, NULL, array('a'), NULL, NULL, NULL),
            (3, 'silver', 'Cy', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""")
        spark.sql("""CREATE TABLE pull_types.visits (person_id BIGINT, at TIMESTAMP, kind STRING, day DATE)
            USING parquet PARTITIONED BY (day)""")
        spark.sql("""INSERT INTO pull_types.visits VALUES
            (1, TIMESTAMP'2024-01-01 10:00:00', 'view', DATE'2024-01-01'),
            (1, TIMESTAMP'2024-01-02 10:00:00', 'view', DATE'2024-01-02'),
            (2, TIMESTAMP'2024-01-02 11:00:00', 'click', DATE'2024-01-02')""")
        out = tmp_path / "segdsl.toml"
        result = invoke("schema", "pull", "--url", connect_url, "--entity", "pull_types.people",
                        "--key", "person_id", "-o", out)
        assert result.exit_code == 0, result.output
        text = out.read_text()
    finally:
        spark.sql("DROP DATABASE IF EXISTS pull_types CASCADE")
        spark.stop()
    assert "from the spark table" in text
    assert "# meta: type map<string,string> is not supported by segdsl, left out" in text
    assert "# seen: timestamp_ntz is a wall clock without zone, read as UTC" in text
    assert "# partitioned by day: windows filter `time`" in text
    assert tomllib.loads(text) == {
        "entity": {
            "name": "person", "table": "pull_types.people", "key": "person_id",
            "columns": {
                "person_id": "integer", "tier": {"type": "string", "values": ["gold", "silver"]},
                "name": "string", "score": "number", "ratio": "number", "small": "integer",
                "active": "boolean", "born": "date", "tags": {"type": "list<string>", "values": ["a", "b"]},
                "lucky": "list<integer>", "seen": "timestamp",
            },
        },
        "relations": {
            "visits": {
                "table": "pull_types.visits", "key": "person_id", "time": "at",  # no event: `kind` is no event name
                "columns": {"at": "timestamp", "kind": {"type": "string", "values": ["click", "view"]},
                            "day": "date"},
            },
        },
    }


@pytest.mark.parametrize("spark_type, expected", [
    ("bigint", "integer"), ("int", "integer"), ("tinyint", "integer"), ("decimal(38,18)", "number"),
    ("float", "number"), ("string", "string"), ("char(3)", "string"), ("timestamp", "timestamp"),
    ("timestamp_ntz", "timestamp"), ("array<string>", "list<string>"), ("array<varchar(5)>", "list<string>"),
    ("array<bigint>", "list<integer>"), ("array<double>", None), ("map<string,int>", None),
    ("struct<a:int>", None), ("binary", None), ("interval day", None), ("variant", None),
])
def test_spark_catalog_types(spark_type, expected):
    from segdsl.warehouse.introspect import segdsl_type

    assert segdsl_type(spark_type) == expected
