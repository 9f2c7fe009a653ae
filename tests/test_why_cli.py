"""`segdsl why` on a DuckDB file of the acme fixture: golden text and JSON (tests/snapshots/why),
the spec's JSON shape, the ASCII marks, and the exit codes of an unknown key (1) and of key
text the key's type cannot read (2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.fixtures.acme_data import AS_OF, TABLES
from tests.projects import ROOT
from tests.test_members import _schema

# (segment, key): a member and a non-member of nested segments, ranking, `did`, `has`, `not`
GOLDEN = [("west_coast_vips", 1), ("west_coast_vips", 3), ("active_not_buying", 3), ("never_bought", 4),
          ("win_back", 8), ("hot_leads", 16)]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, duckdb_engine):
    """The examples project next to demo-like DuckDB file holding the acme fixture's rows."""
    folder = tmp_path_factory.mktemp("why")
    for f in (ROOT / "examples").iterdir():
        if f.suffix in (".seg", ".toml"):
            shutil.copy(f, folder / f.name)
    duckdb_engine.load(_schema("examples"), TABLES)
    path = folder / "acme.duckdb"
    con = duckdb_engine.con
    con.execute(f"ATTACH '{path}' AS why_file")
    try:
        for table in TABLES:
            con.execute(f'CREATE TABLE why_file.main."{table}" AS SELECT * FROM "{table}"')
    finally:
        con.execute("DETACH why_file")
    return folder


def why(folder, *args, encoding="utf-8"):
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "why", str(folder), "--db",
                           str(folder / "acme.duckdb"), "--as-of", AS_OF.isoformat(), *map(str, args)],
                          capture_output=True, text=True, env=env, encoding="utf-8")
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc


def test_text_golden_from_the_command(warehouse, snapshot):
    proc = why(warehouse, "--segment", "west_coast_vips", "--key", 1)
    assert proc.returncode == 0, proc.stderr
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "why"
    snapshot.assert_match(proc.stdout, "west_coast_vips-1.txt")


@pytest.mark.parametrize("segment, key", GOLDEN, ids=[f"{s}-{k}" for s, k in GOLDEN])
def test_text_golden(duckdb_engine, snapshot, segment, key):
    """The text the command prints (to_text), in process: one query each."""
    from segdsl.why import explain_key
    from tests.test_members import _project

    duckdb_engine.load(_schema("examples"), TABLES)
    result = explain_key(_project("examples"), segment, key, connection=duckdb_engine, as_of=AS_OF)
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "why"
    snapshot.assert_match(result.to_text() + "\n", f"{segment}-{key}.txt")


def test_json_golden_has_the_spec_shape(warehouse, snapshot):
    proc = why(warehouse, "--segment", "west_coast_vips", "--key", 1, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert list(doc) == ["version", "segment", "key", "as_of", "member", "tree"]
    assert (doc["version"], doc["segment"], doc["key"], doc["as_of"]) == (1, "west_coast_vips", 1, "2024-06-30")

    def shape(node):
        assert list(node) == ["text", "value", "operands", "children"]
        assert isinstance(node["value"], bool)
        assert all(list(o) == ["text", "value"] for o in node["operands"])
        for child in node["children"]:
            shape(child)

    shape(doc["tree"])
    assert doc["member"] == doc["tree"]["value"]
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "why"
    snapshot.assert_match(proc.stdout, "west_coast_vips-1.json")


def test_ascii_marks_when_the_terminal_is_not_utf8(warehouse):
    proc = why(warehouse, "--segment", "s6", "--key", 5, encoding="ascii")
    assert proc.returncode == 0, proc.stderr
    assert "[+]" in proc.stdout or "[-]" in proc.stdout
    assert "✓" not in proc.stdout and "✗" not in proc.stdout


def test_unknown_key_is_a_coded_error_exit_1(warehouse):
    proc = why(warehouse, "--segment", "s6", "--key", 424242)
    assert proc.returncode == 1
    assert "error[SEG0720]: no customer with customer_id 424242 in `customers`" in proc.stderr


def test_key_text_of_the_wrong_type_is_usage_exit_2(warehouse):
    proc = why(warehouse, "--segment", "s6", "--key", "abc")
    assert proc.returncode == 2
    assert "error[SEG0721]: `abc` is not a customer key" in proc.stderr


def test_unknown_segment_names_it(warehouse):
    proc = why(warehouse, "--segment", "west_coast_vip", "--key", 1)
    assert proc.returncode == 1
    assert "unknown segment `west_coast_vip`" in proc.stderr


def test_explain_keys_answers_many_keys_with_one_query(duckdb_engine):
    """The API's multi-key form: a result per customer asked about, none for a key that is no
    customer, and `explain_key` on one of them gives the same tree."""
    from segdsl.why import explain_key, explain_keys
    from tests.test_members import _project

    project = _project("examples")
    duckdb_engine.load(_schema("examples"), TABLES)
    found = explain_keys(project, "west_coast_vips", [1, 2, 424242], connection=duckdb_engine, as_of=AS_OF)
    assert sorted(found) == [1, 2]
    one = explain_key(project, "west_coast_vips", 2, connection=duckdb_engine, as_of=AS_OF)
    assert one.to_json() == found[2].to_json()


def _booleans(node: dict) -> list:
    return [node["text"], node["value"], [_booleans(c) for c in node["children"]]]


@pytest.mark.postgres
def test_postgres_url_gives_the_same_tree_as_duckdb(warehouse, postgres_engine):
    """--url works as for `run`: the same project on the same rows in Postgres, the same tree."""
    postgres_engine.load(_schema("examples"), TABLES)
    dataset = postgres_engine._datasets[postgres_engine._active]  # the schema holding the rows
    dsn = postgres_engine.dsn
    if "://" in dsn:
        url = f"{dsn}{'&' if '?' in dsn else '?'}options=-csearch_path%3D{dataset}"
    else:
        url = f"{dsn} options=-csearch_path={dataset}"
    args = ["--segment", "win_back", "--key", 8, "--as-of", AS_OF.isoformat(), "--format", "json"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "why", str(warehouse), "--url", url,
                           *map(str, args)], capture_output=True, text=True, env=env, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    on_duckdb = json.loads(why(warehouse, *args[:4], "--format", "json").stdout)
    assert _booleans(json.loads(proc.stdout)["tree"]) == _booleans(on_duckdb["tree"])
    assert json.loads(proc.stdout)["member"] is True


@pytest.mark.parametrize("member, key", [("lifecycle.at_risk", 2), ("lifecycle.new_customers", 2), ("tiers.silver", 3)])
def test_family_member_golden(duckdb_engine, snapshot, member, key):
    """A family member shows the family's value and the rules up to its own, in order."""
    from segdsl.why import explain_key
    from tests import test_families
    from tests.fixtures import family_data

    duckdb_engine.load(test_families._schema(), family_data.TABLES)
    result = explain_key(test_families._project(), member, key, connection=duckdb_engine, as_of=family_data.AS_OF)
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "why"
    snapshot.assert_match(result.to_text() + "\n", f"{member}-{key}.txt")
