"""Twelve customers and seven orders, written so that every analysis can be computed by
hand, and the fixtures that load them into a DuckDB file or a Postgres schema.

    id region plan gender age  value  signup      vip   interests        orders (amount)
     1 North  pro  f       25    900  2020-01-10  yes   hiking           2024-06-01 120, 2024-03-01 40
     2 North  pro  m       34    120  2021-03-05  no    hiking, yoga     2024-06-20 60
     3 North  free f       41      -  2022-07-19  no    (empty)
     4 South  pro  m       29    650  2019-11-30  yes   yoga             2023-12-01 200
     5 South  free -       52     80  2023-02-14  no    (missing)
     6 South  free f       19     30  2024-01-02  no    gaming
     7 East   pro  f       38   1200  2018-05-23  yes   hiking           2024-06-25 90, 2024-06-26 30
     8 East   free m        -      0  2023-09-09  no    gaming, hiking
     9 East   free f       45    300  2021-12-12  -     (empty)          2024-01-15 150
    10 West   pro  m       61    510  2020-06-06  yes   yoga
    11 West   free f       23     45  2022-02-22  no    gaming
    12 -      free m       33      -  2024-05-05  no    hiking

Segments (tests/analysis/project/segments.seg), as of 2024-06-30:
    pros         plan = "pro"            {1, 2, 4, 7, 10}
    northerners  region = "North"        {1, 2, 3}
    big_spenders lifetime_value >= 500   {1, 4, 7, 10}
    young        age < 30                {1, 4, 6, 11}
    spenders     spend > 100             {1, 4, 7, 9}   spend = sum(orders.amount):
                 1: 160, 2: 60, 4: 200, 7: 120, 9: 150, everyone else 0
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent / "project"
AS_OF = dt.date(2024, 6, 30)
D = dt.date

_C = ("customer_id", "region", "plan", "gender", "age", "lifetime_value", "signup_date", "vip", "interests")
CUSTOMERS = [dict(zip(_C, row)) for row in [
    (1, "North", "pro", "f", 25, 900.0, D(2020, 1, 10), True, ["hiking"]),
    (2, "North", "pro", "m", 34, 120.0, D(2021, 3, 5), False, ["hiking", "yoga"]),
    (3, "North", "free", "f", 41, None, D(2022, 7, 19), False, []),
    (4, "South", "pro", "m", 29, 650.0, D(2019, 11, 30), True, ["yoga"]),
    (5, "South", "free", None, 52, 80.0, D(2023, 2, 14), False, None),
    (6, "South", "free", "f", 19, 30.0, D(2024, 1, 2), False, ["gaming"]),
    (7, "East", "pro", "f", 38, 1200.0, D(2018, 5, 23), True, ["hiking"]),
    (8, "East", "free", "m", None, 0.0, D(2023, 9, 9), False, ["gaming", "hiking"]),
    (9, "East", "free", "f", 45, 300.0, D(2021, 12, 12), None, []),
    (10, "West", "pro", "m", 61, 510.0, D(2020, 6, 6), True, ["yoga"]),
    (11, "West", "free", "f", 23, 45.0, D(2022, 2, 22), False, ["gaming"]),
    (12, None, "free", "m", 33, None, D(2024, 5, 5), False, ["hiking"]),
]]
_T = dt.datetime
ORDERS = [dict(zip(("order_id", "customer_id", "ordered_at", "amount"), row)) for row in [
    (1, 1, _T(2024, 6, 1, 10), 120.0), (2, 1, _T(2024, 3, 1, 10), 40.0), (3, 2, _T(2024, 6, 20, 10), 60.0),
    (4, 4, _T(2023, 12, 1, 10), 200.0), (5, 7, _T(2024, 6, 25, 10), 90.0), (6, 7, _T(2024, 6, 26, 10), 30.0),
    (7, 9, _T(2024, 1, 15, 10), 150.0),
]]
_TYPES = {  # (DuckDB, Postgres)
    "customers": [("customer_id", "BIGINT", "bigint"), ("region", "VARCHAR", "text"), ("plan", "VARCHAR", "text"),
                  ("gender", "VARCHAR", "text"), ("age", "BIGINT", "bigint"),
                  ("lifetime_value", "DOUBLE", "double precision"), ("signup_date", "DATE", "date"),
                  ("vip", "BOOLEAN", "boolean"), ("interests", "VARCHAR[]", "text[]")],
    "orders": [("order_id", "BIGINT", "bigint"), ("customer_id", "BIGINT", "bigint"),
               ("ordered_at", "TIMESTAMP", "timestamp"), ("amount", "DOUBLE", "double precision")],
}
_ROWS = {"customers": CUSTOMERS, "orders": ORDERS}


@dataclass
class Warehouse:
    """Where the fixture data lives: `args` for the CLI, `connect()` for the API."""

    kind: str  # "duckdb" or "postgres"
    db: Path | None = None
    url: str | None = None

    @property
    def args(self) -> list[str]:
        return ["--db", str(self.db)] if self.db is not None else ["--url", str(self.url)]

    def connect(self, write: bool = False):
        from segdsl.warehouse import connect

        return connect(self.db, self.url, read_only=not write)


def _load_duckdb(path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for table, columns in _TYPES.items():
            con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t, _ in columns)})")
            names = [c for c, _, _ in columns]
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in names)})",
                            [[r[c] for c in names] for r in _ROWS[table]])
    finally:
        con.close()


def _load_postgres(dsn: str, schema: str) -> str:
    import psycopg
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
        for table, columns in _TYPES.items():
            con.execute(f"CREATE TABLE {schema}.{table} ({', '.join(f'{c} {t}' for c, _, t in columns)})")
            names = [c for c, _, _ in columns]
            with con.cursor() as cur:
                cur.executemany(f"INSERT INTO {schema}.{table} VALUES ({', '.join('%s' for _ in names)})",
                                [[r[c] for c in names] for r in _ROWS[table]])
    return make_conninfo(dsn, options=f"-csearch_path={schema}")


def _drop_postgres(dsn: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request, tmp_path):
    """A fresh copy of the data per test (snapshots write to it), on each engine."""
    if request.param == "duckdb":
        path = tmp_path / "analysis.duckdb"
        _load_duckdb(path)
        yield Warehouse("duckdb", db=path)
        return
    dsn = request.getfixturevalue("postgres_engine").dsn
    schema = f"segdsl_analysis_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = _load_postgres(dsn, schema)
    try:
        yield Warehouse("postgres", url=url)
    finally:
        _drop_postgres(dsn, schema)


@pytest.fixture
def project_dir(tmp_path) -> Path:
    """A writable copy of the fixture project (tests add segments to it)."""
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    return target


def load(path: Path = PROJECT):
    import segdsl

    project = segdsl.load_project(path)
    assert [d for d in project.check() if d.is_error] == []
    return project


def invoke(*args) -> "object":
    """Run the real `segdsl` CLI app in-process (stdout and stderr kept apart)."""
    from typer.testing import CliRunner

    from segdsl.cli.main import _register_commands, app

    if not any(getattr(c, "name", None) == "profile" for c in app.registered_commands):
        _register_commands()
    return CliRunner().invoke(app, [str(a) for a in args])
