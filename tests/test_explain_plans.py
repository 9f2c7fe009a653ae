"""EXPLAIN the compiled SQL of the benchmark's segments (every construct) on DuckDB and
Postgres: no per-row subquery, no nested loop over a relation, each relation scanned once
(a relation pass read twice is a materialised CTE: still one scan), or twice when first/last
pick values from it (the pass that picks them is a hash join of the relation with the first
pass, shared by every first/last of that relation). A sequence reads its relation once per
step (each step's rows filtered first, then range-joined on key and time), and once more for a
`then not` with `with same`, whose latest rows a window finds (DuckDB runs it as an aggregate
joined back to the rows). An existence test written as EXISTS (DuckDB, `first did`) reads its
relation once more, as a semi or anti join, never per row.

The data is the bench generator at a small scale (5,000 customers, 50,000 orders, 100,000
events), analysed, so that the planners see realistic sizes. As a control, the detector must
flag a hand-written correlated query of bench/reference/.
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest

import segdsl
from segdsl import ir
from bench import generate, queries
from tests.projects import with_snapshot_table

SCALE = 0.005
RELATIONS = ("orders", "events")
# each relation is aggregated in one pass (and one more picks its first/last values, one
# more counts distinct values where the engine does that faster apart); the entity is read
# under the rankings (key and the columns rankings use) and once more for the final condition
SCANS = {"orders": 1, "events": 1, "customers": 2}


def _most_scans(rel: str, sql: str, steps: dict[str, int]) -> int:
    exists = len(re.findall(rf'EXISTS\(\s*SELECT\s+1\s+FROM "{rel}"', sql))
    return SCANS[rel] + (f'"__{rel}:picks"' in sql) + (f'"__{rel}:distinct"' in sql) + steps.get(rel, 0) + exists


def _sequence_scans(project, names) -> dict[str, int]:
    """The reads of each relation by the sequences of `names`, as the module docstring says."""
    steps: dict[str, int] = {}
    for name in names:
        for node in ir.walk(project.segment_ir(name)):
            if isinstance(node, ir.Sequence):
                extra = len(node.events) + (node.negated and bool(node.same[-1]))
                steps[node.relation] = steps.get(node.relation, 0) + extra
    return steps
# DuckDB operators of a per-row or nested-loop evaluation: a correlated subquery becomes a
# DELIM join (DuckDB 1.x) or a CTE of the outer rows crossed with the subquery (2.x);
# non-equi joins become nested loops or cross products
DUCKDB_PER_ROW = {"DELIM_JOIN", "LEFT_DELIM_JOIN", "RIGHT_DELIM_JOIN", "DELIM_SCAN", "CROSS_PRODUCT",
                  "NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN", "PIECEWISE_MERGE_JOIN", "IE_JOIN"}


@pytest.fixture(scope="module")
def project():
    return segdsl.load_project(queries.PROJECT)


@pytest.fixture(scope="module")
def bench_data():
    con = duckdb.connect()
    con.execute("SET threads = 2")
    generate.build(con, SCALE)
    yield con
    con.close()


def _rows(con, table: str) -> list[dict]:
    cur = con.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _compiled(project, dialect):
    """(SQL, sequence reads) of each segment."""
    return {n: (project.compile(n, dialect=dialect, as_of=generate.AS_OF), _sequence_scans(project, [n]))
            for n in project.segment_names()}


def _batch(project, dialect):
    names = project.segment_names()
    return project.compile_batch(None, dialect=dialect, as_of=generate.AS_OF), _sequence_scans(project, names)


# ------------------------------------------------------------------ DuckDB


def _duckdb_plan(con, sql: str) -> list[dict]:
    (_, plan), = con.execute("EXPLAIN (FORMAT json) " + sql).fetchall()
    return json.loads(plan)


def _walk_duckdb(nodes):
    for n in nodes:
        yield n
        yield from _walk_duckdb(n.get("children", []))


def _duckdb_problems(con, sql: str, steps: dict[str, int] | None = None) -> list[str]:
    nodes = list(_walk_duckdb(_duckdb_plan(con, sql)))
    problems = sorted({n["name"] for n in nodes if n["name"].strip() in DUCKDB_PER_ROW})
    for rel in SCANS:
        n_scans = sum(1 for n in nodes if "SCAN" in n["name"]
                      and str(n.get("extra_info", {}).get("Table", "")).split(".")[-1] == rel)
        if n_scans > _most_scans(rel, sql, steps or {}):
            problems.append(f"{rel} scanned {n_scans} times")
    return problems


def test_duckdb_detector_flags_a_correlated_query(bench_data):
    correlated = queries.reference_variants("frequent")[0]
    assert correlated.label == "correlated"
    assert _duckdb_problems(bench_data, correlated.sql)


def test_duckdb_plans_have_no_per_row_subquery(bench_data, project):
    bad = {n: p for n, sql in _compiled(project, "duckdb").items()
           if (p := _duckdb_problems(bench_data, *sql))}
    assert not bad


def test_duckdb_batch_plan_scans_each_relation_once(bench_data, project):
    assert not _duckdb_problems(bench_data, *_batch(project, "duckdb"))


# ------------------------------------------------------------------ Postgres


@pytest.fixture(scope="module")
def postgres(postgres_engine, bench_data):
    schema = with_snapshot_table(_bench_schema())
    tables = {t: _rows(bench_data, t) for t in ("customers", "orders", "events", "segdsl_snapshots")}
    postgres_engine.load(schema, tables)
    return postgres_engine


def _bench_schema() -> dict:
    import tomllib

    return tomllib.loads((queries.PROJECT / "segdsl.toml").read_text())


def _walk_pg(node, parent_relationship=None):
    yield node
    for child in node.get("Plans", []):
        yield from _walk_pg(child)


def _loops_over_materialised_keys(loop: dict) -> bool:
    """A nested loop the planner picked for tiny estimated inputs, not for the shape: its
    inner side is materialised (read once, not once per outer row) and it joins on the
    customer key, so a hash join was open to it."""
    inner = loop["Plans"][1]
    on = loop.get("Join Filter", "")
    return inner["Node Type"] == "Materialize" and "customer_id = " in on


def _pg_problems(engine, sql: str, steps: dict[str, int] | None = None) -> list[str]:
    (plan,), = engine.con.execute("EXPLAIN (FORMAT JSON) " + sql).fetchall()
    root = plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"]
    nodes = list(_walk_pg(root))
    problems = [f"SubPlan ({n['Node Type']})" for n in nodes if n.get("Parent Relationship") == "SubPlan"]
    for n in nodes:
        if n["Node Type"] == "Nested Loop" and not _loops_over_materialised_keys(n):
            inner = [x.get("Relation Name") for x in _walk_pg(n) if x.get("Relation Name")]
            if any(r in RELATIONS or r == "customers" for r in inner):
                problems.append(f"Nested Loop over {sorted(set(inner))}")
    for rel in SCANS:
        n_scans = sum(1 for n in nodes if n.get("Relation Name") == rel)
        if n_scans > _most_scans(rel, sql, steps or {}):
            problems.append(f"{rel} scanned {n_scans} times")
    return problems


def test_postgres_detector_flags_a_correlated_query(postgres):
    correlated = queries.reference_variants("webinar_fans")[0]
    assert correlated.label == "correlated"
    assert _pg_problems(postgres, correlated.sql)


def test_postgres_plans_have_no_per_row_subquery(postgres, project):
    bad = {n: p for n, sql in _compiled(project, "postgres").items()
           if (p := _pg_problems(postgres, *sql))}
    assert not bad


def test_postgres_batch_plan_scans_each_relation_once(postgres, project):
    assert not _pg_problems(postgres, *_batch(project, "postgres"))
