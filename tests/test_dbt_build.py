"""`segdsl dbt generate` proven by dbt itself: the generated folder in a dbt project on a small
DuckDB warehouse (the acme fixture rows, tests/fixtures/acme_data.py), one `dbt build` for
the module (models, the key tests and the unit tests from the `.segtest` files), then every
model's rows against the members `segdsl run` writes for the same date.

The project is part of examples/ (the files below): segments, traits and a score, segments
of segments (refs), a family, a split with a holdout, parameterised segments, rankings.
dbt (dbt-core with dbt-duckdb, the dev extras) is found next to the running Python; without
it the tests skip, and fail under CI / SEGDSL_REQUIRE_ENGINES=1 (what `make test` sets).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.dbt

ROOT = Path(__file__).resolve().parents[1]
FILES = ("segdsl.toml", "definitions.seg", "segments_of_segments.seg", "programmes.seg", "parameterised.seg",
         "ranking.seg", "relations.seg", "tests/definitions.segtest", "tests/ranking.segtest",
         "tests/relations.segtest")
AS_OF = "2024-06-30"
_DUCK = {"integer": "BIGINT", "number": "DOUBLE", "string": "VARCHAR", "boolean": "BOOLEAN", "date": "DATE",
         "timestamp": "TIMESTAMP"}


def _strict() -> bool:
    return any(os.environ.get(v, "").strip().lower() not in ("", "0", "false", "no", "off")
               for v in ("CI", "SEGDSL_REQUIRE_ENGINES"))


def _dbt() -> str:
    found = Path(sys.executable).parent / "dbt"
    if found.exists():
        return str(found)
    message = "dbt is not installed: pip install -e '.[dev]' (dbt-core and dbt-duckdb), or run `make test`"
    if _strict():
        pytest.fail(message + " (CI / SEGDSL_REQUIRE_ENGINES is set: not skipping)", pytrace=False)
    pytest.skip(message)


def load_acme(path: Path, schema: dict) -> None:
    """The acme fixture rows in a DuckDB file, a table per table of the schema."""
    import duckdb

    from tests.fixtures.acme_data import TABLES

    def sql_type(t: object) -> str:
        name = str(t["type"] if isinstance(t, dict) else t)
        return _DUCK[name[5:-1]] + "[]" if name.startswith("list<") else _DUCK[name]

    specs = {schema["entity"]["table"]: dict(schema["entity"]["columns"])}
    for r in schema["relations"].values():
        specs[r["table"]] = {r["key"]: "integer", **r["columns"]}
    con = duckdb.connect(str(path))
    try:
        for table, columns in specs.items():
            con.execute(f'CREATE TABLE "{table}" (' + ", ".join(f'"{c}" {sql_type(t)}' for c, t in columns.items())
                        + ")")
            rows = [[row.get(c) for c in columns] for row in TABLES.get(table, [])]
            if rows:
                con.executemany(f'INSERT INTO "{table}" VALUES (' + ", ".join("?" for _ in columns) + ")", rows)
    finally:
        con.close()


def segdsl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "segdsl.cli.main", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(project, warehouse, dbt project, generate's JSON summary, dbt's run results)."""
    dbt = _dbt()
    base = tmp_path_factory.mktemp("dbt")
    project = base / "segments"
    for name in FILES:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "examples" / name, project / name)
    warehouse = base / "warehouse.duckdb"
    load_acme(warehouse, tomllib.loads((project / "segdsl.toml").read_text()))
    dbt_project = base / "dbt_project"
    (dbt_project / "models").mkdir(parents=True)
    (dbt_project / "dbt_project.yml").write_text(
        "name: segdsl_check\nversion: '1.0'\nprofile: segdsl_check\nmodel-paths: [models]\n")
    (dbt_project / "profiles.yml").write_text(
        "segdsl_check:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: {json.dumps(str(warehouse))}\n      threads: 4\n")
    generated = segdsl("dbt", "generate", str(project), "--output", str(dbt_project / "models" / "segdsl"),
                       "--format", "json")
    assert generated.returncode == 0, generated.stderr
    ran = segdsl("run", str(project), "--db", str(warehouse), "--as-of", AS_OF, "--output", str(base / "members.csv"))
    assert ran.returncode == 0, ran.stderr
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false", DBT_VERSION_CHECK="false")
    build = subprocess.run([dbt, "build", "--project-dir", str(dbt_project), "--profiles-dir", str(dbt_project),
                            "--vars", json.dumps({"segdsl_as_of": AS_OF})],
                           cwd=dbt_project, capture_output=True, text=True, timeout=300, env=env)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-2000:]
    results = json.loads((dbt_project / "target" / "run_results.json").read_text())
    return project, warehouse, json.loads(generated.stdout), results, base / "members.csv"


class Warehouse:
    """One read-only connection to the warehouse dbt built, for the whole module."""

    def __init__(self, path: Path):
        import duckdb

        self.con = duckdb.connect(str(path), read_only=True)

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def keys(self, sql: str) -> set[int]:
        return {k for (k,) in self.rows(sql)}


@pytest.fixture(scope="module")
def expected(built):
    """(project, warehouse, segment -> members): segments as `segdsl run` wrote them, split
    groups (which `run` runs only when named) compiled by the API, as of AS_OF."""
    import segdsl

    project, warehouse, _, _, members_csv = built
    found: dict[str, set[int]] = {}
    with open(members_csv, newline="") as f:
        for row in csv.DictReader(f):
            found.setdefault(row["segment"], set()).add(int(row["customer_id"]))
    p = segdsl.load_project(project)
    w = Warehouse(warehouse)
    for name in p.segment_names():
        found.setdefault(name, set())
    for name in p.split_group_names():
        found[name] = w.keys(p.compile(name, "duckdb", AS_OF))
    yield p, w, found
    w.con.close()


def test_every_node_passes(built):
    _, _, summary, results, _ = built
    statuses = {r["unique_id"]: r["status"] for r in results["results"]}
    assert statuses and all(s in ("success", "pass") for s in statuses.values()), \
        {k: s for k, s in statuses.items() if s not in ("success", "pass")}
    units = sorted(k.split(".")[-1] for k in statuses if k.startswith("unit_test."))
    assert units == sorted(summary["unit_tests"]) and len(units) == 10
    models = [k for k in statuses if k.startswith("model.")]
    assert len(models) == len(summary["models"])
    data_tests = [k for k in statuses if k.startswith("test.")]
    assert len(data_tests) == 2 * (len(models) - 1) + 2  # unique, not_null; memberships: 2 not_null


def test_models_equal_segdsl_run(expected):
    from segdsl.dbt.models import model_name

    p, w, members = expected
    assert len(members) >= 30 and any(members.values())
    for name, keys in members.items():
        assert w.keys(f'SELECT customer_id FROM main."{model_name(name)}"') == keys, name


def test_memberships_model_equals_audiences(expected):
    from segdsl.activation.audiences import audiences

    p, w, members = expected
    want = {(a.segment_id, k, member) for a in audiences(p) for member, segment in a.members
            for k in members[segment]}
    found = set(w.rows("SELECT segment_id, customer_id, member FROM main.segment_memberships"))
    assert found == want
    assert {s for s, _, m in found if m is not None} == {"lifecycle", "summer_campaign"}


def test_refs_and_skipped_tests(built):
    project, _, summary, _, _ = built
    models = Path(project).parent / "dbt_project" / "models" / "segdsl"
    assert "{{ ref('lapsed_vips') }}" in (models / "win_back.sql").read_text()
    assert "{{ ref('summer_campaign__treatment') }}" in (models / "summer_send.sql").read_text()
    reasons = {s["test"]: s["reason"] for s in summary["skipped_tests"]}
    assert len(reasons) == 1 and any("never_bought" in t and "include" in r for t, r in reasons.items())
    assert any(name.startswith("win_back__") for name in summary["unit_tests"])  # given its refs' rows
