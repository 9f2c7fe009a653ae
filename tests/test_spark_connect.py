"""`segdsl run --url sc://...` against a real Spark Connect server started from the pyspark
package, holding the example project's tables (Parquet files written by DuckDB): sizes and
member files equal the hand-written members; connection problems are one line, exit 2."""

from __future__ import annotations

import csv

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
