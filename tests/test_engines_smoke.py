"""Smoke tests of the engine harness: every type round-trips on DuckDB, Postgres and ZetaSQL
(BigQuery mode), the same SQL gives the same rows on all three, and ZetaSQL rejects SQL that
BigQuery would reject."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.support import pg_server
from tests.support.engines import (
    BigQueryAnalysisError,
    analyze_bigquery,
    install_zetasql_compile_cache,
    schema_tables,
    zetasql_cache_dir,
)

SCHEMA = {
    "entity": {
        "name": "person",
        "table": "people",
        "key": "id",
        "columns": {
            "id": "integer",
            "name": "string",
            "score": "number",
            "active": "boolean",
            "born": "date",
            "seen_at": "timestamp",
            "tags": "list<string>",
            "lucky": {"type": "list<integer>"},
            "plan": {"type": "string", "values": ["free", "pro"]},
        },
    },
    "relations": {
        "visits": {
            "table": "visits",
            "key": "person_id",  # not listed below: typed like people.id
            "time": "visited_at",
            "event": "kind",
            "columns": {"visited_at": "timestamp", "kind": "string", "amount": "number"},
        }
    },
}

TRICKY = [
    "O'Brien",
    'say "hi"',
    "back\\slash",
    "trailing\\",
    "\\",
    "100%",
    "under_score",
    "%_%",
    "naïve café",
    "日本語",
    "emoji 🎉👩‍👩‍👧",
    "",
    "line\nbreak\ttab",
    "$1 ? :x %s {}",
]

PEOPLE = [
    {
        "id": i + 1,
        "name": s,
        "score": [0.1, -2.5, 1e300, 3.0][i % 4],
        "active": i % 3 == 0,
        "born": [dt.date(1970, 1, 1), dt.date(2024, 2, 29), dt.date(1899, 12, 31)][i % 3],
        "seen_at": [
            dt.datetime(2024, 1, 1, 0, 30),
            dt.datetime(2024, 6, 30, 23, 59, 59, 999999),
            dt.datetime(1969, 12, 31, 23, 59, 59, 500000),  # before the epoch, with micros
        ][i % 3],
        "tags": [["a", "b"], [], None, [s, "x"]][i % 4],
        "lucky": [[1, -2, 2**62], None, []][i % 3],
        "plan": ["free", "pro"][i % 2],
    }
    for i, s in enumerate(TRICKY)
]
PEOPLE += [
    {"id": 100},  # every other column omitted: NULL
    {"id": 101, "name": None, "score": 7, "active": None, "born": None, "seen_at": None, "tags": None},
    {"id": -(2**63), "name": "min int64", "score": -0.0, "active": False},
    {"id": 2**63 - 1, "name": "max int64"},
]

VISITS = [
    {"person_id": 1, "visited_at": dt.datetime(2024, 3, 1, 10), "kind": "open", "amount": 10},
    {"person_id": 1, "visited_at": dt.datetime(2024, 3, 2, 11), "kind": "click", "amount": 2.5},
    {"person_id": 2, "visited_at": dt.datetime(2024, 3, 3, 12), "kind": "open", "amount": None},
    {"person_id": 100, "visited_at": dt.datetime(2023, 12, 31, 23, 59), "kind": "open", "amount": 1},
]

DATA = {"people": PEOPLE, "visits": VISITS}

COLUMNS = ["id", "name", "score", "active", "born", "seen_at", "tags", "lucky", "plan"]


NO_NULL_ARRAYS = ("bigquery", "clickhouse")


def _expected_people(engine_name: str) -> list[tuple]:
    out = []
    for row in sorted(PEOPLE, key=lambda r: r["id"]):
        values = []
        for c in COLUMNS:
            v = row.get(c)
            if c == "score" and v is not None:
                v = float(v)
            if c in ("tags", "lucky") and v is None and engine_name in NO_NULL_ARRAYS:
                v = []  # BigQuery and ClickHouse have no NULL arrays in tables or results
            values.append(v)
        out.append(tuple(values))
    return out


# --------------------------------------------------------------------------- all engines


def test_every_type_round_trips(engine):
    engine.load(SCHEMA, DATA)
    rows = engine.query(f"SELECT {', '.join(COLUMNS)} FROM people ORDER BY id")
    expected = _expected_people(engine.name)
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert got == want
        # exact Python types, not just equal values (1 == 1.0 == True)
        assert [type(v) for v in got] == [type(v) for v in want], got


def test_relation_key_takes_entity_key_type(engine):
    engine.load(SCHEMA, DATA)
    rows = engine.query("SELECT person_id, visited_at, kind, amount FROM visits ORDER BY visited_at")
    assert rows == [
        (100, dt.datetime(2023, 12, 31, 23, 59), "open", 1.0),
        (1, dt.datetime(2024, 3, 1, 10), "open", 10.0),
        (1, dt.datetime(2024, 3, 2, 11), "click", 2.5),
        (2, dt.datetime(2024, 3, 3, 12), "open", None),
    ]
    assert all(type(r[0]) is int for r in rows)


def test_same_query_same_rows_everywhere(engine):
    engine.load(SCHEMA, DATA)
    sql = """
        SELECT p.id, COUNT(v.person_id) AS n, SUM(v.amount) AS total
        FROM people AS p
        LEFT JOIN visits AS v ON v.person_id = p.id
        WHERE p.id BETWEEN 1 AND 4 OR p.id = 100
        GROUP BY p.id
        ORDER BY p.id
    """
    if engine.name == "clickhouse":
        # else the unmatched v.person_id (NOT NULL) reads 0, which COUNT counts
        sql += " SETTINGS join_use_nulls = 1"
    assert engine.query(sql) == [(1, 2, 12.5), (2, 1, None), (3, 0, None), (4, 0, None), (100, 1, 1.0)]


def test_strings_compare_literally(engine):
    engine.load(SCHEMA, DATA)
    # Quotes differ: BigQuery rejects the doubled quote 'O''Brien' (it reads two adjacent
    # literals) and treats a backslash as an escape; Postgres (standard_conforming_strings) and
    # DuckDB do not; Spark escapes with a backslash as BigQuery does (it reads 'O''Brien' as two
    # adjacent literals too), ClickHouse takes both the doubled quote and backslash escapes.
    # The other literals below mean the same string in every dialect.
    quoted = {"bigquery": "'O\\'Brien'", "postgres": "'O''Brien'", "duckdb": "'O''Brien'",
              "spark": "'O\\'Brien'", "clickhouse": "'O''Brien'"}[engine.name]
    assert engine.keys(f"SELECT id FROM people WHERE name = {quoted}") == [1]
    backslash = {"bigquery": "'trailing\\\\'", "postgres": "'trailing\\'", "duckdb": "'trailing\\'",
                 "spark": "'trailing\\\\'", "clickhouse": "'trailing\\\\'"}[engine.name]
    assert engine.keys(f"SELECT id FROM people WHERE name = {backslash}") == [4]
    assert engine.keys("SELECT id FROM people WHERE name = '100%'") == [6]
    assert engine.keys("SELECT id FROM people WHERE name LIKE 'under%'") == [7]
    assert engine.keys("SELECT id FROM people WHERE name = 'naïve café'") == [9]
    assert engine.keys("SELECT id FROM people WHERE name = 'emoji 🎉👩‍👩‍👧'") == [11]
    assert engine.keys("SELECT id FROM people WHERE name = ''") == [12]
    assert engine.keys("SELECT id FROM people WHERE active AND score > 0") == [1, 4, 7, 13]


def test_timestamps_are_utc(engine):
    engine.load(SCHEMA, DATA)
    # 2024-01-01 00:30 stays on 2024-01-01 only if the session time zone is UTC
    # (ZetaSQL defaults to America/Los_Angeles).
    rows = engine.query("SELECT CAST(seen_at AS DATE) FROM people WHERE id = 1")
    assert rows == [(dt.date(2024, 1, 1),)]
    assert engine.keys("SELECT id FROM people WHERE seen_at < TIMESTAMP '1970-01-01 00:00:00'") == [3, 6, 9, 12]


def test_keys_sorted_nulls_last(engine):
    engine.load(SCHEMA, DATA)
    keys = engine.keys("SELECT active FROM people")
    assert keys[-1] is None and keys[0] is False and True in keys
    assert engine.keys("SELECT id FROM people WHERE id < 0") == [-(2**63)]
    assert engine.keys("SELECT id FROM people WHERE 1 = 0") == []


def test_load_replaces_tables_and_reuses_datasets(engine):
    small = {"people": [{"id": 777, "name": "only"}]}
    engine.load(SCHEMA, small)
    assert engine.keys("SELECT id FROM people") == [777]
    assert engine.query("SELECT COUNT(*) FROM visits") == [(0,)]  # absent table: created empty
    engine.load(SCHEMA, DATA)
    assert 777 not in engine.keys("SELECT id FROM people")
    engine.load(SCHEMA, {"people": [{"id": 777, "name": "only"}]})  # equal content: cached
    assert engine.keys("SELECT id FROM people") == [777]
    engine.load(SCHEMA, small, reload=True)
    assert engine.keys("SELECT id FROM people") == [777]


def test_list_columns(engine):
    engine.load(SCHEMA, DATA)
    # empty list vs NULL list is visible in DuckDB, Postgres and Spark; BigQuery and
    # ClickHouse store NULL as []
    null_ids = engine.keys("SELECT id FROM people WHERE tags IS NULL")
    if engine.name in NO_NULL_ARRAYS:
        assert null_ids == []
    else:
        assert null_ids == sorted([r["id"] for r in PEOPLE if r.get("tags") is None])


# --------------------------------------------------------------------------- per engine


def test_schema_tables_types():
    specs = schema_tables(SCHEMA)
    assert list(specs) == ["people", "visits"]
    assert [(c.name, c.type) for c in specs["visits"].columns] == [
        ("person_id", "integer"),
        ("visited_at", "timestamp"),
        ("kind", "string"),
        ("amount", "number"),
    ]
    assert specs["people"].columns[0].name == "id"
    assert dict((c.name, c.type) for c in specs["people"].columns)["lucky"] == "list<integer>"


def test_bad_rows_are_rejected(duckdb_engine):
    with pytest.raises(ValueError, match="unknown columns"):
        duckdb_engine.load(SCHEMA, {"people": [{"id": 1, "nmae": "typo"}]})
    with pytest.raises(ValueError, match="not in the schema"):
        duckdb_engine.load(SCHEMA, {"peeple": []})
    with pytest.raises(TypeError, match="people\\[0\\].id"):
        duckdb_engine.load(SCHEMA, {"people": [{"id": "1"}]})


def test_iso_strings_and_aware_datetimes_accepted(duckdb_engine):
    utc_plus_2 = dt.timezone(dt.timedelta(hours=2))
    duckdb_engine.load(
        SCHEMA,
        {"people": [{"id": 1, "born": "2000-01-02", "seen_at": dt.datetime(2024, 1, 1, 2, 0, tzinfo=utc_plus_2)}]},
    )
    assert duckdb_engine.query("SELECT born, seen_at FROM people") == [(dt.date(2000, 1, 2), dt.datetime(2024, 1, 1))]


def test_duckdb_results_are_plain_python(duckdb_engine):
    assert duckdb_engine.query("SELECT 1.5, SUM(2), AVG(2), 10::HUGEINT") == [(1.5, 2, 2.0, 10)]


def test_postgres_session_settings(postgres_engine):
    rows = postgres_engine.query(
        "SELECT current_setting('TimeZone'), current_setting('standard_conforming_strings')"
    )
    assert rows == [("UTC", "on")]
    # with standard_conforming_strings on, a backslash in a literal is just a backslash
    assert postgres_engine.query("SELECT 'a\\b', length('a\\b')") == [("a\\b", 3)]
    # numeric results become int/float
    assert postgres_engine.query("SELECT SUM(x), AVG(x) FROM (VALUES (1::bigint), (2)) AS t(x)") == [(3, 1.5)]


def test_postgres_throwaway_server_cleans_up(postgres_engine):
    # postgres_engine: same availability policy (skip locally, fail under CI) as the others
    if os.environ.get(pg_server.DSN_ENV):
        pytest.skip("SEGDSL_PG_DSN is set: the tests use that server, not a throwaway one")
    import psycopg

    server = pg_server.start_server()
    try:
        assert server.base.exists()
        with psycopg.connect(server.dsn, autocommit=True) as con:
            assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        server.stop()
    assert not server.base.exists()


@pytest.mark.parametrize(
    "sql, fragment",
    [
        ("SELECT id::INT64 FROM people", "Syntax error"),
        ("SELECT id FROM people WHERE name ILIKE 'a%'", "ILIKE"),
        ("SELECT NOW()", "Function not found: NOW"),
        ("SELECT CAST(id AS INT32) FROM people", "Type not found: INT32"),
        ("SELECT CAST(score AS DOUBLE PRECISION) FROM people", ""),
        ("SELECT nope FROM people", "Unrecognized name: nope"),
        ("SELECT id FROM visits", "Unrecognized name: id"),
        ("SELECT id FROM people WHERE tags = 'a'", "No matching signature"),
    ],
)
def test_bigquery_analyzer_rejects_invalid_sql(bigquery_engine, sql, fragment):
    with pytest.raises(BigQueryAnalysisError) as info:
        analyze_bigquery(SCHEMA, sql)
    assert fragment in info.value.message
    assert "ZetaSQL (BigQuery mode)" in str(info.value)


def test_bigquery_query_analyzes_first(bigquery_engine):
    bigquery_engine.load(SCHEMA, DATA)
    with pytest.raises(BigQueryAnalysisError, match="ILIKE") as info:
        bigquery_engine.query("SELECT id\nFROM people\nWHERE name ILIKE 'o%'")
    assert "^" in str(info.value)  # caret under the offending token


def test_bigquery_analyze_reports_output_columns(bigquery_engine):
    cols = analyze_bigquery(
        SCHEMA,
        "SELECT id, score, tags, DATE(seen_at) AS d, active FROM people WHERE 'a' IN UNNEST(tags)",
    )
    assert cols == [("id", "INT64"), ("score", "FLOAT64"), ("tags", "ARRAY<STRING>"), ("d", "DATE"), ("active", "BOOL")]


def test_bigquery_results_decode_other_types(bigquery_engine):
    rows = bigquery_engine.query(
        "SELECT CAST('1.25' AS NUMERIC), DATETIME '2024-05-06 07:08:09.123456', STRUCT(1 AS a, 'x' AS b), "
        "CAST(NULL AS ARRAY<STRING>), [1, 2]"
    )
    assert rows == [(1.25, dt.datetime(2024, 5, 6, 7, 8, 9, 123456), (1, "x"), [], [1, 2])]


def test_zetasql_compile_cache_is_used(bigquery_engine):
    cache = zetasql_cache_dir()
    assert (cache / "wasmtime-cache.toml").is_file()
    files = [p for p in (cache / "wasmtime").rglob("*") if p.is_file()]
    assert files, f"no compiled module in {cache}/wasmtime"


def test_bigquery_options_match_zetasql_api(bigquery_engine):
    """The engine talks to the wasm with raw protobufs (fast start); its options must be what
    zetasql's own API builds: LanguageOptions.maximum_features() + PRODUCT_EXTERNAL, UTC."""
    install_zetasql_compile_cache()  # zetasql's own service: compiled module from the cache
    from zetasql.types import AnalyzerOptions, LanguageOptions, ProductMode

    lang = LanguageOptions.maximum_features()
    lang.product_mode = ProductMode.PRODUCT_EXTERNAL
    expected = AnalyzerOptions(language_options=lang, default_timezone="UTC").to_proto()
    got = bigquery_engine.zs.options
    assert got.language_options == expected.language_options
    assert got.default_timezone == "UTC"
