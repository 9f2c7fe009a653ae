"""Differential property tests: random segments, written as segdsl text over the acme schema,
and random edge-case data; for every example the members must be the same on

    the reference evaluator (tests/reference/) = DuckDB = Postgres = ZetaSQL (BigQuery mode)
                                               = Spark = ClickHouse

and on each of them the example's metamorphic relations must hold: S and `not S` partition the
customers, `not (A and B)` = `not A or not B`, `x in [a, b]` = `x = a or x = b`,
`in segment S` = S. (Generators: tests/differential/.)

Tiers: the smoke test runs in `make test-fast`; the full properties are `slow` and carry the
engine markers. A failure is shrunk by hypothesis and written to .tmp/differential/<test>/ as a
corpus case (segdsl.toml, case.seg, data.json, expected.json from the reference evaluator):
check the members by hand, then move it to tests/cases/regressions/<name>/ where
tests/test_regressions.py runs it on every engine.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zoneinfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.differential import engine_settings, without_mutation_bursts  # registers the profiles
from tests.differential.data import TIMEZONES
from tests.differential.example import examples
from tests.differential.harness import FAILURES, report, run_example


@pytest.fixture(autouse=True)
def _varied_examples(monkeypatch):
    from hypothesis.internal.conjecture.engine import ConjectureRunner

    monkeypatch.setattr(ConjectureRunner, "generate_mutations_from",
                        ConjectureRunner.generate_mutations_from)  # restored after the test
    without_mutation_bursts()


def _agree(ex, engines, test: str, **options) -> None:
    out = run_example(ex, engines, **options)
    if out.problems:
        folder = FAILURES / test
        shutil.rmtree(folder, ignore_errors=True)
        raise AssertionError(report(ex, out, None if out.checker_rejected else folder))


@settings(engine_settings("duckdb"), max_examples=12, derandomize=True)
@given(ex=examples(max_segments=2))
def test_smoke_reference_equals_duckdb(duckdb_engine, ex):
    # A handful of fixed examples for the fast tier; the real run is below.
    _agree(ex, [duckdb_engine], "smoke")


@pytest.mark.slow
@engine_settings("duckdb")
@given(ex=examples())
def test_reference_equals_duckdb(duckdb_engine, ex):
    _agree(ex, [duckdb_engine], "duckdb")


@pytest.mark.slow
@engine_settings("postgres")
@given(ex=examples())
def test_reference_equals_postgres(postgres_engine, ex):
    _agree(ex, [postgres_engine], "postgres")


@pytest.mark.slow
@engine_settings("bigquery")
@given(ex=examples())
def test_reference_equals_zetasql(bigquery_engine, ex):
    _agree(ex, [bigquery_engine], "bigquery")


@pytest.mark.slow
@engine_settings("spark")
@given(ex=examples())
def test_reference_equals_spark(spark_engine, ex):
    _agree(ex, [spark_engine], "spark")


@pytest.mark.slow
@engine_settings("clickhouse")
@given(ex=examples())
def test_reference_equals_clickhouse(clickhouse_engine, ex):
    _agree(ex, [clickhouse_engine], "clickhouse")


@pytest.mark.slow
@settings(engine_settings("bigquery"), max_examples=max(1, engine_settings("bigquery").max_examples // 3))
@given(data=st.data())
def test_without_as_of_today_is_the_warehouse_date(duckdb_engine, postgres_engine, bigquery_engine, data):
    """Compiled without --as-of, the SQL takes today from the engine's clock in the project time
    zone: the members must be the reference's for as_of = today there (data around today)."""
    zone = data.draw(st.sampled_from(TIMEZONES), label="timezone")
    now = dt.datetime.now(zoneinfo.ZoneInfo(zone))
    assume((now + dt.timedelta(minutes=5)).date() == now.date())  # not across midnight
    ex = data.draw(examples(max_segments=2, timezone=zone, as_of=now.date()), label="example")
    _agree(ex, [duckdb_engine, postgres_engine, bigquery_engine], "warehouse_clock", warehouse_clock=True)


@settings(engine_settings("duckdb"), max_examples=30)
@given(ex=examples())
def test_format_round_trip_keeps_the_meaning(duckdb_engine, ex):
    """`segdsl fmt` output re-parses to the same IR for every segment (so to the same members,
    which is also checked on DuckDB), and formatting is idempotent."""
    import dataclasses
    import tempfile
    from pathlib import Path

    import segdsl

    from segdsl.format import format_source

    formatted = format_source(ex.source, "case.seg")
    assert format_source(formatted, "case.seg") == formatted, "formatting is not idempotent"
    before = run_example(ex, [duckdb_engine])
    after = run_example(dataclasses.replace(ex, source=formatted), [duckdb_engine])
    assert not before.problems and not after.problems, report(ex, before if before.problems else after)
    assert after.members == before.members, f"members changed by formatting:\n{ex.source}\n---\n{formatted}"
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        ex.write(Path(a))
        dataclasses.replace(ex, source=formatted).write(Path(b))
        pa, pb = segdsl.load_project(a), segdsl.load_project(b)
        for name in pa.segment_names():
            assert pa.segment_ir(name) == pb.segment_ir(name), f"IR of {name} changed:\n{ex.source}\n---\n{formatted}"
