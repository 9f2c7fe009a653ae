"""What the Spark and ClickHouse dialects do differently, checked on the SQL and on the engines:
they are tested dialects (no SEG0501), Spark's `days_since` is a DATEDIFF, its members do not
depend on the session time zone, and ClickHouse statements carry the one setting they need
(with a control: without it, members change)."""

from __future__ import annotations

import re

import pytest

from tests.expected import examples_members
from tests.fixtures.acme_data import TABLES as ACME_TABLES
from tests.projects import AS_OF, PROJECTS, load
from tests.test_time_zones import EXPECTED as NEW_YORK_EXPECTED
from tests.test_time_zones import NEW_YORK, TABLES as NEW_YORK_TABLES

EXAMPLES = next(p for p in PROJECTS if p.id == "examples")


@pytest.mark.parametrize("dialect", ["spark", "databricks", "clickhouse"])
def test_spark_and_clickhouse_are_tested_dialects(dialect):
    assert load(EXAMPLES).dialect_warnings(dialect) == []


def test_other_dialects_still_warn_that_they_are_untested():
    (warning,) = load(EXAMPLES).dialect_warnings("snowflake")
    assert warning.code == "SEG0501"
    assert "spark" in " ".join(warning.hints)


def test_spark_days_since_is_a_datediff_not_a_date_subtraction():
    sql = load(NEW_YORK).compile("ny_days_since", dialect="spark", as_of=AS_OF)
    assert "DATEDIFF(" in sql
    # Spark's DATE - DATE is an INTERVAL DAY, which does not compare with a number
    assert not re.search(r"AS DATE\)\s*-", sql), sql


def test_databricks_renders_like_spark():
    spark = load(EXAMPLES).compile("hikers", dialect="spark", as_of=AS_OF)
    assert load(EXAMPLES).compile("hikers", dialect="databricks", as_of=AS_OF) == spark


def test_clickhouse_statements_carry_join_use_nulls_and_map_case_in_utf8():
    project = load(EXAMPLES)
    for name in project.segment_names():
        sql = project.compile(name, dialect="clickhouse", as_of=AS_OF)
        assert sql.rstrip().endswith('SETTINGS "join_use_nulls" = 1'), name
        # text is case-mapped with lowerUTF8/upperUTF8; a split's bucket lower-cases only the
        # hex digits of an md5, where ASCII mapping is exact
        assert not re.search(r"\b(LOWER|UPPER)\((?!HEX\()", sql), f"{name}: ASCII-only case mapping\n{sql}"
    batch = project.compile_batch(project.segment_names(), dialect="clickhouse", as_of=AS_OF)
    assert batch.rstrip().endswith('SETTINGS "join_use_nulls" = 1')


@pytest.mark.clickhouse
def test_without_join_use_nulls_clickhouse_selects_other_members(clickhouse_engine):
    """Control: the setting the statement carries is what makes ClickHouse agree (an
    unmatched LEFT JOIN column is 0 or '' instead of NULL without it)."""
    from segdsl.sql.render import render

    project = load(EXAMPLES)
    clickhouse_engine.load(EXAMPLES.schema(), ACME_TABLES)
    differ = []
    for name in project.segment_names():
        tree = project.compile_tree(name, dialect="clickhouse", as_of=AS_OF)
        with_setting = clickhouse_engine.keys(render(tree, "clickhouse"))
        assert with_setting == examples_members.EXPECTED[name], name
        tree.set("settings", None)
        if clickhouse_engine.keys(render(tree, "clickhouse")) != with_setting:
            differ.append(name)
    assert differ, "no example depends on join_use_nulls: the control proves nothing"


@pytest.mark.spark
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Kolkata"])
def test_spark_members_do_not_depend_on_the_session_time_zone(spark_engine, zone):
    """The New York window cases (TIMESTAMP columns) with the Spark session in another zone:
    literals with an offset and dates from the instant keep the members."""
    project = load(NEW_YORK)
    names = sorted(NEW_YORK_EXPECTED)
    spark_engine.load(NEW_YORK.schema(), NEW_YORK_TABLES)
    spark_engine.spark.conf.set("spark.sql.session.timeZone", zone)
    try:
        got = spark_engine.keys_many([project.compile(n, dialect="spark", as_of=AS_OF) for n in names])
    finally:
        spark_engine.spark.conf.set("spark.sql.session.timeZone", "UTC")
    assert dict(zip(names, got)) == {n: NEW_YORK_EXPECTED[n] for n in names}
