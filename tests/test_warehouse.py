"""The warehouse layer (connect/query/errors), atomic member files and `segdsl run`.

`segdsl run` is tested with a stand-in project object that has the compiler's API
(check, segment_names, compile, settings, root, schema), so these tests pin the command's
behaviour independently of the compiler.
"""

from __future__ import annotations

import csv
import os
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import typer
from typer.testing import CliRunner

import segdsl
from segdsl.as_of import AsOf
from segdsl.cli import demo_cmd, init_cmd, run_cmd, schema_cmd
from segdsl.warehouse import WarehouseError, connect, write_members
from segdsl.warehouse.runner import percent, sample_keys

SEGMENTS = {
    "everyone": "SELECT customer_id FROM customers",
    "evens": "SELECT customer_id FROM customers WHERE customer_id % 2 = 0;",
    "big": "SELECT customer_id FROM customers WHERE customer_id > 7",
}


class FakeProject:
    """Stands in for segdsl.load_project(...)'s result."""

    def __init__(self, root: Path, segments=SEGMENTS, diags=(), warehouse=None):
        self.root = root
        self.segments = dict(segments)
        self.diags = list(diags)
        self.settings = SimpleNamespace(warehouse=warehouse, timezone="UTC", dialect="duckdb",
                                        as_of=None)
        self.schema = SimpleNamespace(entity=SimpleNamespace(table="customers", key="customer_id"))
        self.compiled: list[tuple] = []

    def check(self):
        return self.diags

    def segment_names(self, selected_only=False):
        return list(self.segments)

    def source(self, path):
        return None

    def reference(self, as_of=None):
        from segdsl.as_of import coerce

        return self.settings.as_of if as_of is None else coerce(as_of, self.settings.timezone)

    def compile(self, name, dialect="duckdb", as_of=None):
        self.compiled.append((name, dialect, as_of))
        return self.segments[name]


def Diag(severity, message, code="SEG0101"):
    """A real diagnostic, as the fake project's check() would return it."""
    from segdsl.diagnostics import Diagnostic, Span

    return Diagnostic(code, severity, message, Span("x.seg", 1, 1, 1, 2), ("fix it",))


def make_app() -> typer.Typer:
    app = typer.Typer()
    for module in (run_cmd, init_cmd, schema_cmd, demo_cmd):
        module.register(app)
    return app


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE customers AS SELECT range::BIGINT AS customer_id FROM range(1, 11)")
    con.close()
    return path


@pytest.fixture
def project(tmp_path, monkeypatch) -> FakeProject:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "segdsl.toml").write_text("# stand-in\n")
    fake = FakeProject(root)
    monkeypatch.setattr(segdsl, "load_project", lambda path: fake, raising=False)
    return fake


def invoke(*args: str):
    return CliRunner().invoke(make_app(), [str(a) for a in args])


# --------------------------------------------------------------------------- connections


def test_connect_needs_exactly_one_source(db):
    with pytest.raises(WarehouseError, match="either"):
        connect()
    with pytest.raises(WarehouseError, match="either"):
        connect(db, "postgresql://localhost/x")


def test_missing_duckdb_file_is_a_clear_error(tmp_path):
    with pytest.raises(WarehouseError, match="no DuckDB file at"):
        connect(tmp_path / "nope.duckdb")


def test_query_returns_tuples_and_columns(db):
    with connect(db) as conn:
        assert conn.dialect == "duckdb"
        assert conn.query("SELECT count(*), max(customer_id) FROM customers") == [(10, 10)]
        columns, rows = conn.query_columns("SELECT customer_id AS k FROM customers WHERE customer_id < 3 ORDER BY 1")
        assert columns == ["k"] and rows == [(1,), (2,)]


def test_database_errors_are_one_line_warehouse_errors(db):
    with connect(db) as conn:
        with pytest.raises(WarehouseError) as info:
            conn.query("SELECT no_such_column\nFROM customers")
    message = str(info.value)
    assert "no_such_column" in message and "\n" not in message


def test_read_only_connection_cannot_write(db):
    with connect(db) as conn, pytest.raises(WarehouseError):
        conn.execute("DELETE FROM customers")
    with connect(db, read_only=False) as conn:
        conn.execute("DELETE FROM customers WHERE customer_id > 5")
        assert conn.query("SELECT count(*) FROM customers") == [(5,)]


def test_postgres_without_psycopg_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes `import psycopg` fail
    with pytest.raises(WarehouseError, match=r"pip install 'segdsl\[postgres\]'"):
        connect(url="postgresql://localhost/db")


# --------------------------------------------------------------------------- member files


def test_write_csv_one_and_several_columns(tmp_path):
    one = tmp_path / "one.csv"
    assert write_members(one, "customer_id", [3, 1, 2]) == 3
    assert one.read_text().splitlines() == ["customer_id", "3", "1", "2"]
    several = tmp_path / "several.csv"
    write_members(several, ["segment", "customer_id"], [("a", 1), ("b", 2)])
    assert list(csv.reader(several.open())) == [["segment", "customer_id"], ["a", "1"], ["b", "2"]]


def test_write_parquet_keeps_types(tmp_path):
    path = tmp_path / "m.parquet"
    write_members(path, ["segment", "customer_id"], [("a", 1), ("b", 2**40)])
    rel = duckdb.sql(f"SELECT * FROM '{path}'")
    assert rel.fetchall() == [("a", 1), ("b", 2**40)]
    assert [str(t) for t in rel.types] == ["VARCHAR", "BIGINT"]
    empty = tmp_path / "empty.parquet"
    assert write_members(empty, "customer_id", []) == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{empty}'").fetchall() == [(0,)]


def test_unsupported_output_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.csv or \.parquet"):
        write_members(tmp_path / "m.json", "k", [1])


def _failing_keys(exc: BaseException):
    yield from range(1000)
    raise exc


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_interrupted_write_leaves_old_file_untouched(tmp_path, suffix, exc):
    target = tmp_path / f"members{suffix}"
    target.write_bytes(b"previous complete file")
    with pytest.raises(type(exc)):
        write_members(target, "customer_id", _failing_keys(exc))
    assert target.read_bytes() == b"previous complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_failed_rename_removes_temp_file(tmp_path, monkeypatch):
    import segdsl.warehouse.members as members

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(members.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_members(tmp_path / "m.csv", "k", [1, 2])
    assert list(tmp_path.iterdir()) == []


def test_sample_keys_are_deterministic_sorted_and_not_just_the_smallest():
    keys = list(range(1000, 0, -1))
    sample = sample_keys(keys, 5)
    assert sample == sorted(sample) and len(set(sample)) == 5 and set(sample) <= set(keys)
    assert sample == sample_keys(list(reversed(keys)), 5)
    assert sample != [1, 2, 3, 4, 5]
    assert sample_keys([3, 1], 5) == [1, 3]
    assert sample_keys(keys, 0) == []


def test_percent_formatting():
    assert percent(5, 10) == "50.0%" and percent(1, 100_000) == "<0.1%"
    assert percent(0, 10) == "0.0%" and percent(None, 10) == "" and percent(3, None) == ""


# --------------------------------------------------------------------------- segdsl run


def test_run_prints_sizes_with_as_of(project, db):
    result = invoke("run", project.root, "--db", db, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    for text in ("everyone", "evens", "big", "10", "5", "3", "50.0%"):
        assert text in result.stdout
    assert ("evens", "duckdb", AsOf(date(2024, 6, 30))) in project.compiled
    assert "(as of 2024-06-30)" in result.stdout


def test_run_without_as_of_prints_the_day_it_used(project, db):
    result = invoke("run", project.root, "--db", db, "-s", "evens")
    assert result.exit_code == 0, result.output
    today = duckdb.connect().execute("SELECT current_date").fetchall()[0][0]
    assert f"(as of {today.isoformat()})" in result.stdout
    # the day is fixed once and given to the compiler: every segment uses the same day
    assert project.compiled == [("evens", "duckdb", AsOf(today))]


def test_project_as_of_is_the_default_and_the_option_wins(project, db):
    project.settings.as_of = AsOf(date(2024, 6, 30))
    result = invoke("run", project.root, "--db", db, "-s", "evens")
    assert result.exit_code == 0 and "(as of 2024-06-30)" in result.stdout
    result = invoke("run", project.root, "--db", db, "-s", "evens", "--as-of", "2023-01-31")
    assert result.exit_code == 0 and "(as of 2023-01-31)" in result.stdout
    assert [c[2] for c in project.compiled] == [AsOf(date(2024, 6, 30)), AsOf(date(2023, 1, 31))]


def test_run_one_segment_to_csv(project, db, tmp_path):
    out = tmp_path / "out" / "evens.csv"
    out.parent.mkdir()
    result = invoke("run", project.root, "--db", db, "--segment", "evens", "--output", out)
    assert result.exit_code == 0, result.output
    assert sorted(out.read_text().splitlines()) == sorted(["customer_id", "2", "4", "6", "8", "10"])
    assert [c[0] for c in project.compiled] == ["evens"]


def test_run_several_segments_to_parquet(project, db, tmp_path):
    out = tmp_path / "all.parquet"
    result = invoke("run", project.root, "--db", db, "-s", "evens", "-s", "big", "-o", out)
    assert result.exit_code == 0, result.output
    rows = duckdb.sql(f"SELECT segment, customer_id FROM '{out}' ORDER BY ALL").fetchall()
    assert rows == [("big", 8), ("big", 9), ("big", 10)] + [("evens", k) for k in (2, 4, 6, 8, 10)]


def test_run_sample_keys(project, db):
    result = invoke("run", project.root, "--db", db, "-s", "big", "--sample", "3")
    assert result.exit_code == 0, result.output
    assert "8, 9, 10" in result.stdout


def test_database_error_names_the_segment_and_exits_1(project, db, tmp_path):
    project.segments["broken"] = "SELECT nope FROM customers"
    out = tmp_path / "m.csv"
    result = invoke("run", project.root, "--db", db, "--output", out)
    assert result.exit_code == 1
    assert "error: segment broken: " in result.stderr
    assert "Traceback" not in result.output
    assert "everyone" in result.stdout  # the others still ran
    assert not out.exists()


def test_check_errors_stop_before_running(project, db):
    project.diags = [Diag("warning", "unused trait"), Diag("error", "unknown field `agee`")]
    result = invoke("run", project.root, "--db", db)
    assert result.exit_code == 1
    assert "unknown field `agee`" in result.stderr and "unused trait" in result.stderr
    assert project.compiled == []


def test_configuration_errors_exit_2(project, db):
    project.diags = [Diag("error", "[entity]: missing `key`", code="SEG0403")]
    assert invoke("run", project.root, "--db", db).exit_code == 2


def test_warnings_do_not_stop_the_run(project, db):
    project.diags = [Diag("warning", "unused trait")]
    result = invoke("run", project.root, "--db", db)
    assert result.exit_code == 0 and "unused trait" in result.stderr


def test_warehouse_from_project_settings_is_relative_to_the_project(project, db, tmp_path, monkeypatch):
    os.replace(db, project.root / "wh.duckdb")
    project.settings.warehouse = "wh.duckdb"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("run", project.root)
    assert result.exit_code == 0, result.output
    assert "everyone" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "no warehouse to run on"),
        (["--db", "{db}", "--url", "postgresql://x/y"], "not both"),
        (["--db", "{db}", "--as-of", "30/06/2024"], "--as-of: `30/06/2024` is not a date"),
        (["--db", "{db}", "--as-of", "9999-12-31"], "outside the supported range 1900-01-01 … 2199-12-31"),
        (["--db", "{db}", "--as-of", "0001-01-01"], "outside the supported range 1900-01-01 … 2199-12-31"),
        (["--db", "{db}", "--output", "m.json"], ".csv or .parquet"),
        (["--db", "{db}", "--segment", "evenz"], "did you mean `evens`"),
        (["--db", "{missing}"], "no DuckDB file"),
    ],
)
def test_usage_and_configuration_problems_exit_2(project, db, tmp_path, args, message):
    args = [a.format(db=db, missing=tmp_path / "missing.duckdb") for a in args]
    result = invoke("run", project.root, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_project_folder_exits_2(tmp_path, db):
    result = invoke("run", tmp_path / "nope", "--db", db)
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_many_segments_run_with_progress(project, db):
    for i in range(5):
        project.segments[f"over_{i}"] = f"SELECT customer_id FROM customers WHERE customer_id > {i}"
    result = invoke("run", project.root, "--db", db)
    assert result.exit_code == 0, result.output
    assert "8 of 8 segments ran" in result.stdout


# --------------------------------------------------------------------------- Postgres


def test_run_on_postgres(project, postgres_engine, tmp_path):
    schema = f"segdsl_run_{os.getpid()}"
    with connect(url=postgres_engine.dsn, read_only=False) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.customers AS "
                     "SELECT g::bigint AS customer_id FROM generate_series(1, 10) g")
    try:
        project.schema.entity.table = f"{schema}.customers"
        project.segments = {k: v.replace("FROM customers", f"FROM {schema}.customers")
                            for k, v in SEGMENTS.items()}
        project.segments["broken"] = f"SELECT nope FROM {schema}.customers"
        out = tmp_path / "evens.csv"
        result = invoke("run", project.root, "--url", postgres_engine.dsn, "-s", "evens", "-o", out)
        assert result.exit_code == 0, result.output
        assert [c[:2] for c in project.compiled] == [("evens", "postgres")]
        assert isinstance(project.compiled[0][2], AsOf)  # Postgres's today, fixed once
        assert sorted(out.read_text().split()[1:], key=int) == ["2", "4", "6", "8", "10"]
        result = invoke("run", project.root, "--url", postgres_engine.dsn)
        assert result.exit_code == 1
        assert 'error: segment broken: column "nope" does not exist' in result.stderr
    finally:
        with connect(url=postgres_engine.dsn, read_only=False) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
