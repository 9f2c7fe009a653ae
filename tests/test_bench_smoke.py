"""The benchmark's correctness at a tiny scale: every hand-written reference query of
bench/reference/ returns exactly the members of the compiled query, and the batch query
gives every segment exactly its per-segment members (bench/run.py asserts the same at full
size). No timings here: the bench itself is `make bench`."""

from __future__ import annotations

import duckdb
import pytest

import segdsl
from bench import generate, queries
from bench.run import assert_batch_members, assert_same_members

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse():
    con = duckdb.connect()
    con.execute("SET threads = 2")
    generate.build(con, 0.002)  # 2,000 customers, 20,000 orders, 40,000 events
    yield con
    con.close()


@pytest.fixture(scope="module")
def project():
    p = segdsl.load_project(queries.PROJECT)
    assert not [d for d in p.check() if d.is_error]
    return p


def test_every_segment_has_a_reference_and_they_cover_the_project(project):
    names = project.segment_names()
    assert len(names) >= 50
    missing = [n for n in names if not queries.reference_variants(n)]
    assert not missing
    files = sorted(p.stem for p in queries.REFERENCE.glob("*.sql"))
    assert files == sorted(names)


def test_compiled_queries_select_the_reference_members(warehouse, project):
    sizes = {}
    for name in project.segment_names():
        sql = project.compile(name, dialect="duckdb", as_of=generate.AS_OF)
        sizes[name] = assert_same_members(warehouse, name, sql, queries.reference_variants(name))
    # the data exercises the segments: most select some customers but not all of them
    n = generate.sizes(0.002)["customers"]
    assert sum(1 for v in sizes.values() if 0 < v < n) >= len(sizes) - 3, sizes


def test_batch_selects_the_per_segment_members(warehouse, project):
    names = project.segment_names()
    compiled = {n: project.compile(n, dialect="duckdb", as_of=generate.AS_OF) for n in names}
    assert_batch_members(warehouse, project.compile_batch(names, dialect="duckdb", as_of=generate.AS_OF), compiled)


def test_batch_of_generated_segments_selects_the_sampled_members(warehouse):
    # the bench's batch at scale (bench/batch_scale.py): 300 generated segments, one query;
    # a sample of 60 must have their per-segment members (timings replaced by a dummy)
    from bench import batch_scale

    def no_timing(con, named, repeat):
        return dict.fromkeys(named, 1.0)

    result = batch_scale.measure(warehouse, 300, generate.AS_OF, no_timing, sample=60)
    assert result["segments"] == 300 and result["sampled"] == 60
    assert result["mismatches"] == []


def test_floor_reads_every_column_the_segments_read(project):
    reads = queries.Reads()
    for n in project.segment_names():
        reads.add(project.segment_ir(n), project.schema)
    sql = queries.floor_sql(reads, project.schema)
    for column in ("amount", "status", "channel", "ordered_at", "occurred_at", "name"):
        assert f'count("{column}")' in sql
