"""`segdsl dbt generate` without dbt: the files (models, `_segdsl.yml`), the reference date as
the var (models of date segments, with the var set to each as-of date of the hand-derived
expectations, select the hand-derived members, also in a New York project), and the CLI's
exit codes. tests/test_dbt_build.py runs the generated models with dbt itself."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

import segdsl
from segdsl.dbt.models import AS_OF_JINJA, model_name
from tests.analysis.fixture import invoke
from tests.expected import time_members
from tests.fixtures import time_data

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"


@pytest.fixture(scope="module")
def examples():
    project = segdsl.load_project(ROOT / "examples")
    return project, project.dbt_models()


def plain(sql: str, as_of: str, files: dict[str, str] | None = None) -> str:
    """A model's SQL as dbt would compile it with the var set: sources by name, each ref as
    a subquery of the referenced model (from `files`)."""
    sql = sql.replace(AS_OF_JINJA, as_of)
    sql = re.sub(r"\{\{ source\('segdsl', '(\w+)'\) \}\}", r'"\1"', sql)
    if files is not None:
        sql = re.sub(r"\{\{ ref\('(\w+)'\) \}\}",
                     lambda m: "(" + _body(plain(files[m.group(1) + ".sql"], as_of, files)) + ")", sql)
    assert "{{" not in sql and "{%" not in sql, sql
    return sql


def _body(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.startswith("--"))


def test_a_model_per_segment_and_group(examples):
    project, result = examples
    segments = project.segment_names() + project.split_group_names()
    assert sorted(result.files) == sorted([model_name(n) + ".sql" for n in segments]
                                          + ["segment_memberships.sql", "_segdsl.yml"])
    assert model_name("lifecycle.champions") == "lifecycle__champions"
    assert re.fullmatch(r"regulars_in__south_1_[0-9a-f]{6}", model_name('regulars_in("South", 1)'))
    assert result.models[-1] == "segment_memberships"


def test_no_date_is_fixed_when_generating(examples):
    """examples sets `[project] as_of = 2024-06-30`: the models ignore it; every date is
    computed in SQL from the var."""
    project, result = examples
    assert project.settings.as_of is not None
    for name, text in result.files.items():
        if name.endswith(".sql"):
            assert "2024-06-30" not in text and "2024-07-01" not in text and "CURRENT_" not in text.upper(), name
    files = {p.name: p.read_text() for p in sorted((ROOT / "examples").glob("*.seg"))}
    toml = (ROOT / "examples" / "segdsl.toml").read_text().replace('as_of = "2024-06-30"', 'as_of = "2023-01-15"')
    assert 'as_of = "2023-01-15"' in toml
    other = segdsl.Project.from_sources(toml, files, ROOT / "examples").dbt_models()
    assert {n: t for n, t in other.files.items() if n.endswith(".sql")} == \
        {n: t for n, t in result.files.items() if n.endswith(".sql")}
    assert AS_OF_JINJA in result.files["lapsed_vips.sql"]
    assert AS_OF_JINJA == '{{ var("segdsl_as_of", run_started_at.strftime("%Y-%m-%d")) }}'


def test_tables_are_sources_and_segments_refs(examples):
    _, result = examples
    win_back = result.files["win_back.sql"]
    assert "{{ ref('lapsed_vips') }}" in win_back and "{{ ref('unsubscribed') }}" in win_back
    assert "{{ source('segdsl', 'customers') }}" in win_back
    # every table read is a source, a ref or a CTE of the model
    import sqlglot
    from sqlglot import exp

    for name, text in result.files.items():
        if not name.endswith(".sql"):
            continue
        text = re.sub(r"\{\{ source\('segdsl', '(\w+)'\) \}\}", r'"source:\1"', text.replace(AS_OF_JINJA, "2024-06-30"))
        text = re.sub(r"\{\{ ref\('(\w+)'\) \}\}", r'"ref:\1"', text)
        tree = sqlglot.parse_one(text, read="duckdb")
        ctes = {c.alias for c in tree.find_all(exp.CTE)}
        for t in tree.find_all(exp.Table):
            assert t.name.startswith(("source:", "ref:")) or t.name in ctes, (name, t.name)


def test_properties_file(examples):
    project, result = examples
    props = yaml.safe_load(result.files["_segdsl.yml"])
    assert props["version"] == 2
    (source,) = props["sources"]
    assert source["name"] == "segdsl" and [t["name"] for t in source["tables"]] == ["customers", "orders", "events",
                                                                                          "visits"]
    assert source["schema"] == "{{ var('segdsl_source_schema', target.schema) }}"
    models = {m["name"]: m for m in props["models"]}
    assert set(models) == set(result.models)
    vips = models["lapsed_vips"]
    assert vips["description"].startswith("Members of segment lapsed_vips (Lapsed VIPs): High-value customers")
    assert vips["config"]["meta"] == {"segdsl_segment": "lapsed_vips", "segdsl_path": "definitions.seg",
                                      "owner": "crm-team@acme.example", "tags": ["value", "behavioral"]}
    assert vips["columns"] == [{"name": "customer_id", "description": "a member's key",
                                "data_tests": ["unique", "not_null"]}]
    assert "Lifecycle stage" in models["lifecycle__champions"]["description"]  # the family's title
    assert [c["name"] for c in models["segment_memberships"]["columns"]] == ["segment_id", "customer_id", "member"]
    units = {u["name"]: u for u in props["unit_tests"]}
    assert len(units) == 16 and list(units) == list(result.unit_tests)
    hot = units["hot_leads__hot_leads_engagement_of_at_least_25"]
    assert hot["model"] == "hot_leads" and hot["overrides"] == {"vars": {"segdsl_as_of": "2024-06-30"}}
    assert hot["expect"] == {"rows": [{"customer_id": 1}, {"customer_id": 4}]}
    given = {g["input"]: g["rows"] for g in hot["given"]}
    assert set(given) == {"source('segdsl', 'customers')", "source('segdsl', 'orders')",
                          "source('segdsl', 'events')"}
    assert {"customer_id": 1, "name": "email_open", "occurred_at": "2024-06-02 08:00:00"} in \
        given["source('segdsl', 'events')"]


def test_models_read_by_a_unit_test_are_given_their_members(examples):
    """win_back reads lapsed_vips and unsubscribed: the unit test gives their members on the
    test's rows (customers 1 and 2 are lapsed VIPs, 2 unsubscribed; 1 is the member)."""
    _, result = examples
    (unit,) = [u for u in yaml.safe_load(result.files["_segdsl.yml"])["unit_tests"] if u["model"] == "win_back"]
    given = {g["input"]: g["rows"] for g in unit["given"]}
    assert given["ref('lapsed_vips')"] == [{"customer_id": 1}, {"customer_id": 2}]
    assert given["ref('unsubscribed')"] == [{"customer_id": 2}]
    assert unit["expect"] == {"rows": [{"customer_id": 1}]}


def test_tests_that_are_not_unit_tests_say_why(examples):
    project, result = examples
    reasons = {s.test.split('test "')[1].split(":")[0]: s.reason for s in result.skipped}
    assert reasons == {"recent_buyers": "its as_of is an instant; the models' var is a date",
                       "never_bought": "`include`/`exclude` check some customers only; a dbt unit test compares "
                                       "every row"}
    # lists in fixtures: dbt writes them as DuckDB reads them, no other engine
    postgres = {s.test.split('test "')[1].split(":")[0]: s.reason for s in project.dbt_models("postgres").skipped}
    assert set(postgres) == {"recent_buyers", "never_bought", "no_apps", "multi_device"}
    assert "DuckDB only" in postgres["no_apps"]


def test_yaml_scalars_are_quoted():
    from segdsl.dbt.yml import dump

    text = dump({"a": 'x: "y" # z\nnext', "b": [], "c": {"d": [1, True, None, {"e": "f"}]}})
    assert yaml.safe_load(text) == {"a": 'x: "y" # z\nnext', "b": [], "c": {"d": [1, True, None, {"e": "f"}]}}


def _date_cases(project_dir: str, expected: dict) -> list:
    return [pytest.param(project_dir, name, as_of, id=f"{project_dir}-{name}-{as_of}")
            for name, by_date in expected.items() for as_of in by_date if "T" not in as_of]


@pytest.fixture(scope="module")
def generated():
    cache: dict[str, tuple] = {}

    def get(project_dir: str):
        if project_dir not in cache:
            project = segdsl.load_project(CASES / project_dir)
            cache[project_dir] = (project, project.dbt_models().files)
        return cache[project_dir]
    return get


@pytest.mark.parametrize("project_dir,name,as_of", _date_cases("v2_time", time_members.EXPECTED)
                         + _date_cases("v2_time_ny", time_members.NY_EXPECTED))
def test_the_var_is_the_reference_date(duckdb_engine, generated, project_dir, name, as_of):
    """The model, with segdsl_as_of set, selects the members derived by hand for that date
    (today = the date, rows seen until the next midnight in the project time zone)."""
    project, files = generated(project_dir)
    assert name in project.segment_names(), f"{name} is not a segment of {project_dir}"
    tables = time_data.NY_TABLES if project_dir == "v2_time_ny" else time_data.TABLES
    schema = tomllib.loads((CASES / project_dir / "segdsl.toml").read_text())
    duckdb_engine.load(schema, tables)
    expected = (time_members.NY_EXPECTED if project_dir == "v2_time_ny" else time_members.EXPECTED)[name][as_of]
    assert duckdb_engine.keys(plain(files[model_name(name) + ".sql"], as_of)) == expected


@pytest.mark.parametrize("project_dir", ["examples", "tests/corpus/utc", "tests/corpus/new_york",
                                         "tests/cases/acme_extra"])
def test_every_model_equals_compile_with_as_of(duckdb_engine, project_dir):
    """On the acme rows, every model of the corpus projects on the acme schema (refs as
    subqueries), with the var set, selects what `compile --as-of` selects, on the fixtures' date
    and a leap day."""
    from tests.fixtures.acme_data import TABLES
    from tests.projects import with_snapshot_table

    project = segdsl.load_project(ROOT / project_dir)
    files = project.dbt_models().files
    duckdb_engine.load(with_snapshot_table(tomllib.loads((ROOT / project_dir / "segdsl.toml").read_text())), TABLES)
    names = project.segment_names() + project.split_group_names()
    assert len(names) >= 4
    for as_of in ("2024-06-30", "2024-02-29"):
        for name in names:
            model = duckdb_engine.keys(plain(files[model_name(name) + ".sql"], as_of, files))
            assert model == duckdb_engine.keys(project.compile(name, "duckdb", as_of)), (name, as_of)


@pytest.mark.parametrize("dialect", ["postgres", "bigquery", "spark", "clickhouse"])
def test_every_dialect_renders(dialect):
    files = segdsl.load_project(ROOT / "tests" / "corpus" / "utc").dbt_models(dialect).files
    assert sum(AS_OF_JINJA in t for t in files.values()) > 10
    assert "{{ source('segdsl', 'segdsl_snapshots') }}" in files["snapshot_latest.sql"]


def test_bigquery_in_another_time_zone_is_refused(tmp_path):
    project = segdsl.load_project(CASES / "v2_time_ny")
    from segdsl.dbt.models import DbtError

    with pytest.raises(DbtError, match="America/New_York"):
        project.dbt_models("bigquery")
    assert project.dbt_models("postgres").dialect == "postgres"
    assert "AT TIME ZONE 'America/New_York'" in project.dbt_models("duckdb").files["ny_active_this_week.sql"]


def test_cli_writes_the_folder_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "models"
    first = invoke("dbt", "generate", ROOT / "examples", "--output", out, "--format", "json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["version"] == 1 and summary["dialect"] == "duckdb" and len(summary["unit_tests"]) == 16
    assert (out / "_segdsl.yml").exists() and (out / "win_back.sql").exists()
    again = invoke("dbt", "generate", ROOT / "examples", "--output", out)
    assert again.exit_code == 2 and "--force" in again.stderr
    (out / "deleted_segment.sql").write_text("select 1")
    forced = invoke("dbt", "generate", ROOT / "examples", "--output", out, "--force")
    assert forced.exit_code == 0 and not (out / "deleted_segment.sql").exists()
    assert "skipped tests/relations.segtest" in forced.stderr and "include" in forced.stderr
    foreign = tmp_path / "other"
    foreign.mkdir()
    (foreign / "mine.sql").write_text("select 1")
    refused = invoke("dbt", "generate", ROOT / "examples", "--output", foreign, "--force")
    assert refused.exit_code == 2 and "did not generate" in refused.stderr and (foreign / "mine.sql").exists()


def test_cli_usage_errors(tmp_path):
    unknown = invoke("dbt", "generate", ROOT / "examples", "--output", tmp_path / "m", "--dialect", "nosuch")
    assert unknown.exit_code == 2 and "unknown dialect" in unknown.stderr
    zone = invoke("dbt", "generate", CASES / "v2_time_ny", "--output", tmp_path / "n", "--dialect", "bigquery")
    assert zone.exit_code == 2 and "Traceback" not in zone.stderr + zone.stdout
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "segdsl.toml").write_text((ROOT / "examples" / "segdsl.toml").read_text())
    (broken / "a.seg").write_text('segment a where regin = "South"\n')
    bad = invoke("dbt", "generate", broken, "--output", tmp_path / "b")
    assert bad.exit_code == 1 and "SEG0203" in bad.stderr and not (tmp_path / "b").exists()
