"""The generated demo warehouse: deterministic, acme-shaped, believable; and `segdsl demo`."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import typer
from typer.testing import CliRunner

import segdsl
from segdsl.cli import demo_cmd
from segdsl.demo import DEMO_AS_OF, build_demo_warehouse, table_checksums
from segdsl.demo import warehouse as demo_wh
from segdsl.warehouse.introspect import segdsl_type

ROOT = Path(__file__).resolve().parents[1]
ACME = tomllib.loads((ROOT / "examples" / "segdsl.toml").read_text())
N = 2000


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    stats = build_demo_warehouse(path, customers=N, progress=False)
    assert stats["customers"] == N and path.is_file()
    return path


@pytest.fixture(scope="module")
def con(demo_db):
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c
    c.close()


def one(con, sql):
    return con.execute(sql).fetchone()


def test_two_builds_are_identical(demo_db, tmp_path):
    again = build_demo_warehouse(tmp_path / "again.duckdb", customers=N, progress=False)
    assert table_checksums(demo_db) == table_checksums(again["path"])
    other = build_demo_warehouse(tmp_path / "other.duckdb", customers=N, seed=7, progress=False)
    assert table_checksums(other["path"])["orders"] != table_checksums(demo_db)["orders"]


def test_build_reports_counts_and_time(tmp_path):
    stats = build_demo_warehouse(tmp_path / "d.duckdb", customers=300, progress=True)
    assert set(stats) >= {"customers", "orders", "events", "seconds", "bytes", "path"}
    assert stats["customers"] == 300 and stats["orders"] > 1000 and stats["events"] > 2000
    assert 0 < stats["seconds"] < 60


def _acme_tables():
    yield "customers", ACME["entity"]["columns"]
    for rel in ACME["relations"].values():
        cols = dict(rel["columns"])
        cols[rel["key"]] = "integer"
        yield rel["table"], cols


def test_tables_have_the_acme_columns_and_types(con):
    for table, columns in _acme_tables():
        actual = {name: dtype for name, dtype in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
            [table]).fetchall()}
        assert set(actual) == set(columns), table
        for name, spec in columns.items():
            expected = spec if isinstance(spec, str) else spec["type"]
            assert segdsl_type(actual[name]) == expected, (table, name, actual[name])


def test_enumerations_use_exactly_the_acme_values(con):
    for table, columns in _acme_tables():
        for name, spec in columns.items():
            if isinstance(spec, dict) and "values" in spec:
                if spec["type"].startswith("list"):
                    sql = f"SELECT DISTINCT unnest({name}) FROM {table}"
                else:
                    sql = f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL"
                found = {r[0] for r in con.execute(sql).fetchall()}
                assert found == set(spec["values"]), (table, name)


def test_volumes_and_time_range(con):
    customers, = one(con, "SELECT count(*) FROM customers")
    orders, first, last = one(con, "SELECT count(*), min(ordered_at), max(ordered_at) FROM orders")
    events, = one(con, "SELECT count(*) FROM events")
    assert customers == N
    assert 7 * N < orders < 13 * N  # ~10 orders per customer
    assert 15 * N < events < 25 * N  # ~20 events per customer
    assert first.date() >= demo_wh.HISTORY_START and last.date() <= DEMO_AS_OF
    assert one(con, "SELECT count(*) FROM orders o JOIN customers c USING (customer_id) "
                    "WHERE o.ordered_at::DATE < c.signup_date")[0] == 0
    assert one(con, "SELECT count(*) FROM orders WHERE customer_id NOT IN "
                    "(SELECT customer_id FROM customers)")[0] == 0
    assert one(con, "SELECT count(DISTINCT order_id) = count(*) FROM orders")[0]


def test_proportions_are_believable(con):
    share = dict(con.execute("SELECT plan, count(*) / sum(count(*)) OVER () FROM customers "
                             "GROUP BY plan").fetchall())
    assert share["free"] > share["basic"] > share["pro"] > share["enterprise"] > 0.02
    regions = dict(con.execute("SELECT region, count(*) FROM customers WHERE region IS NOT NULL "
                               "GROUP BY region").fetchall())
    assert max(regions, key=regions.get) in ("South", "East Coast")
    assert min(regions, key=regions.get) == "Mountain"
    names = [r[0] for r in con.execute(
        "SELECT name FROM events GROUP BY name ORDER BY count(*) DESC").fetchall()]
    assert names[0] == "session_start"
    assert set(names[-3:]) <= {"unsubscribed", "workshop_registered", "demo_requested",
                               "webinar_attended"}
    # November/December peak
    by_month = dict(con.execute("SELECT month(ordered_at), count(*) FROM orders GROUP BY 1").fetchall())
    others = sum(v for m, v in by_month.items() if m not in (11, 12)) / 10
    assert by_month[11] > 1.25 * others and by_month[12] > 1.25 * others
    # long tail: the top 1% of customers place far more orders than the median customer
    p50, p99 = one(con, "SELECT quantile_cont(n, 0.5), quantile_cont(n, 0.99) FROM "
                        "(SELECT count(*) n FROM orders GROUP BY customer_id)")
    assert p99 > 8 * p50
    median_amount, mean_amount = one(con, "SELECT median(amount), avg(amount) FROM orders")
    assert 20 < median_amount < mean_amount < 150


def test_missing_values_where_crms_have_them(con):
    row = one(con, """SELECT avg((phone IS NULL)::INT), avg((age IS NULL)::INT),
        avg((gender IS NULL)::INT), avg((income IS NULL)::INT), avg((interests IS NULL)::INT),
        avg((len(interests) = 0)::INT), avg((email IS NULL)::INT) FROM customers""")
    phone, age, gender, income, no_interests, empty_interests, email = row
    assert 0.4 < phone < 0.7
    assert 0.02 < age < 0.15 and 0.05 < gender < 0.2 and 0.2 < income < 0.4
    assert 0.08 < no_interests < 0.25 and 0.02 < empty_interests < 0.15
    assert email < 0.05
    assert one(con, "SELECT count(*) FROM customers WHERE plan = 'free' AND renewal_date IS NOT NULL")[0] == 0


def test_locations_are_consistent(con):
    from segdsl.demo.data import CITIES

    known = {(c, s, r) for c, s, r, _ in CITIES}
    rows = con.execute("SELECT DISTINCT city, state, region FROM customers WHERE city IS NOT NULL").fetchall()
    assert set(rows) <= known
    assert one(con, "SELECT count(*) FROM customers WHERE region IS NULL AND city IS NOT NULL")[0] == 0


def test_interrupted_build_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "demo.duckdb"
    target.write_bytes(b"old warehouse")
    real = demo_wh.phase_sql

    def interrupted(phase, customers, seed):
        if phase == "events":
            raise KeyboardInterrupt
        return real(phase, customers, seed)

    monkeypatch.setattr(demo_wh, "phase_sql", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_demo_warehouse(target, customers=100, progress=False)
    assert target.read_bytes() == b"old warehouse"
    assert [p.name for p in tmp_path.iterdir()] == ["demo.duckdb"]


# --------------------------------------------------------------------------- segdsl demo


class FakeProject:
    def __init__(self, root):
        self.root = root
        self.settings = SimpleNamespace(warehouse=None)
        self.schema = SimpleNamespace(entity=SimpleNamespace(table="customers", key="customer_id"))
        self.as_of = []

    def check(self):
        return []

    def segment_names(self, selected_only=False):
        return ["pros", "never_bought"]

    def source(self, path):
        return None

    def compile(self, name, dialect="duckdb", as_of=None):
        self.as_of.append(as_of)
        return {"pros": "SELECT customer_id FROM customers WHERE plan = 'pro'",
                "never_bought": "SELECT customer_id FROM customers c WHERE NOT EXISTS "
                                "(SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"}[name]


def test_demo_command_builds_once_then_reuses(tmp_path, demo_db, monkeypatch):
    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    fake = FakeProject(tmp_path)
    monkeypatch.setattr(segdsl, "load_project", lambda path: fake, raising=False)
    app = typer.Typer()
    demo_cmd.register(app)
    app.command("noop")(lambda: None)  # two commands: keep `demo` a subcommand
    runner = CliRunner()

    first = runner.invoke(app, ["demo", "--dir", str(tmp_path), "--customers", "300"])
    assert first.exit_code == 0, first.output
    assert "building the demo warehouse" in first.stdout and "pros" in first.stdout
    assert (tmp_path / "demo.duckdb").is_file()
    assert fake.as_of == [DEMO_AS_OF, DEMO_AS_OF]

    mtime = os.path.getmtime(tmp_path / "demo.duckdb")
    second = runner.invoke(app, ["demo", "--dir", str(tmp_path)])
    assert second.exit_code == 0, second.output
    assert "using the demo warehouse" in second.stdout
    assert os.path.getmtime(tmp_path / "demo.duckdb") == mtime
    assert "never_bought" in second.stdout and "%" in second.stdout


def test_demo_without_a_project_exits_2(tmp_path):
    app = typer.Typer()
    demo_cmd.register(app)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path), "--customers", "50"])
    assert result.exit_code == 2
    assert "no segdsl.toml" in result.stderr
    assert not (tmp_path / "demo.duckdb").exists()


def test_demo_runs_a_new_init_project(tmp_path, monkeypatch):
    """`segdsl init p && segdsl demo --dir p` works: the scaffold schema fits the demo data."""
    from segdsl.scaffold import init_project

    init_project(tmp_path)
    app = typer.Typer()
    demo_cmd.register(app)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path), "--customers", "500"])
    assert result.exit_code == 0, result.output
    assert "big_spenders" in result.stdout and "lapsed_vips" in result.stdout


def test_default_demo_dir_is_the_repository_examples():
    assert demo_cmd.default_demo_dir() == ROOT / "examples"


def test_examples_run_on_the_demo_warehouse(tmp_path, demo_db):
    """Every example segment compiles and runs on the (small) demo warehouse."""
    from segdsl.warehouse import connect
    from segdsl.warehouse.runner import run_segment

    project = segdsl.load_project(ROOT / "examples")
    errors = [d for d in project.check() if d.severity == "error"]
    assert not errors, "\n".join(str(d) for d in errors)
    with connect(demo_db) as conn:
        for name in project.segment_names():
            result = run_segment(conn, project, name, as_of=DEMO_AS_OF, fetch_keys=False)
            assert result.ok, f"{name}: {result.error}"


_PG_DDL = {
    "customers": "customer_id bigint, email text, phone text, age integer, gender text, "
                 "income double precision, region text, country text, state text, city text, "
                 "plan text, is_subscribed boolean, signup_date date, renewal_date date, "
                 "interests text[], devices text[], apps text[], birth_date date",
    "orders": "order_id bigint, customer_id bigint, ordered_at timestamp, "
              "amount double precision, status text, channel text",
    "events": "customer_id bigint, occurred_at timestamp, name text, city text, product_id text",
}


def test_examples_give_the_same_members_on_duckdb_and_postgres(demo_db, con, postgres_engine):
    """The demo data copied to Postgres: every example segment has the same members there."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    from segdsl.warehouse import connect
    from segdsl.warehouse.runner import run_segment

    schema = f"segdsl_demo_{os.getpid()}"
    with psycopg.connect(postgres_engine.dsn, autocommit=True) as pg:
        pg.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        pg.execute(f"CREATE SCHEMA {schema}")
        for table, columns in _PG_DDL.items():
            pg.execute(f"CREATE TABLE {schema}.{table} ({columns})")
            with pg.cursor() as cur, cur.copy(f"COPY {schema}.{table} FROM STDIN") as copy:
                for row in con.execute(f"SELECT * FROM {table}").fetchall():
                    copy.write_row(row)
    try:
        project = segdsl.load_project(ROOT / "examples")
        url = make_conninfo(postgres_engine.dsn, options=f"-csearch_path={schema}")
        with connect(demo_db) as duck, connect(url=url) as pg:
            assert pg.dialect == "postgres"
            for name in project.segment_names():
                a = run_segment(duck, project, name, as_of=DEMO_AS_OF, fetch_keys=True)
                b = run_segment(pg, project, name, as_of=DEMO_AS_OF, fetch_keys=True)
                assert a.ok and b.ok, (name, a.error, b.error)
                assert sorted(a.keys) == sorted(b.keys), name
    finally:
        with psycopg.connect(postgres_engine.dsn, autocommit=True) as pg:
            pg.execute(f"DROP SCHEMA {schema} CASCADE")
