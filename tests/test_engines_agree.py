"""Every corpus statement runs on every engine: BigQuery SQL passes ZetaSQL's analyzer in
BigQuery mode (also the statements compiled without --as-of), and DuckDB, Postgres, ZetaSQL,
Spark and ClickHouse return the same members on the edge-case fixture. (Hand-written expectations for
these segments live in tests/test_members.py and tests/test_time_zones.py.)"""

from __future__ import annotations

import pytest

from tests.fixtures.acme_data import TABLES
from tests.projects import AS_OF, PROJECTS, load, segment_cases

CASES = segment_cases()
IDS = [f"{p.id}-{n}" for p, n in CASES]


@pytest.mark.zetasql
@pytest.mark.parametrize(("project", "name"), CASES, ids=IDS)
def test_bigquery_sql_passes_the_zetasql_analyzer(project, name, bigquery_engine):
    from tests.support.engines import analyze_bigquery

    compiled = load(project)
    for as_of in (AS_OF, None):
        columns = analyze_bigquery(project.schema(), compiled.compile(name, dialect="bigquery", as_of=as_of))
        assert len(columns) == 1


@pytest.fixture(scope="module")
def reference_members(duckdb_engine):
    """Members on DuckDB, which the other engines must match."""
    out = {}
    for project in PROJECTS:
        names = [n for p, n in CASES if p is project]
        if not names:
            continue
        duckdb_engine.load(project.schema(), TABLES)  # once per project: the data does not change
        compiled = load(project)
        for name in names:
            out[(project.id, name)] = duckdb_engine.keys(compiled.compile(name, dialect="duckdb", as_of=AS_OF))
    return out


@pytest.mark.parametrize("other", [pytest.param("postgres", marks=pytest.mark.postgres),
                                   pytest.param("bigquery", marks=pytest.mark.zetasql),
                                   pytest.param("spark", marks=pytest.mark.spark),
                                   pytest.param("clickhouse", marks=pytest.mark.clickhouse)])
def test_engines_return_the_same_members(other, request, reference_members):
    engine = request.getfixturevalue(f"{other}_engine")
    differences = []
    for project in PROJECTS:
        names = [n for p, n in CASES if p is project]
        if not names:
            continue
        compiled = load(project)
        engine.load(project.schema(), TABLES)
        # the project's queries together: Spark runs a few per job (a job costs fractions of a second)
        results = engine.keys_many([compiled.compile(n, dialect=engine.dialect, as_of=AS_OF) for n in names])
        for name, got in zip(names, results):
            if isinstance(got, Exception):
                differences.append(f"{project.id}/{name}: {other} failed: {type(got).__name__}: {str(got)[:2000]}")
            elif got != reference_members[(project.id, name)]:
                differences.append(f"{project.id}/{name}: duckdb {reference_members[(project.id, name)]} vs {other} {got}")
    assert not differences, "\n".join(differences)


def test_the_corpus_selects_someone_and_not_everyone(reference_members):
    # A corpus whose segments select nobody (or everybody) proves little about meaning.
    sizes = {k: len(v) for k, v in reference_members.items() if k[0] == "constructs"}
    trivial = [k for k, n in sizes.items() if n in (0, len(TABLES["customers"]))]
    assert len(trivial) <= len(sizes) // 5, f"too many trivial corpus segments: {trivial}"
