"""`segdsl init`: the new project's files, refusing to overwrite, and that it really runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import segdsl
from segdsl.cli import demo_cmd, init_cmd, run_cmd
from segdsl.scaffold import FILES, ProjectExistsError, init_project

ROOT = Path(__file__).resolve().parents[1]


def _app() -> typer.Typer:
    app = typer.Typer()
    init_cmd.register(app)
    run_cmd.register(app)
    demo_cmd.register(app)
    return app


def test_init_writes_the_project_files(tmp_path):
    target = tmp_path / "new" / "project"  # missing folders are created
    written = init_project(target)
    assert [p.relative_to(target).as_posix() for p in written] == list(FILES)
    assert all(p.is_file() for p in written)
    assert len([p for p in written if p.suffix == ".seg"]) == 2


def test_schema_is_commented_and_has_project_settings(tmp_path):
    init_project(tmp_path)
    text = (tmp_path / "segdsl.toml").read_text()
    config = tomllib.loads(text)
    assert config["project"] == {"timezone": "UTC", "dialect": "duckdb"}
    assert '# warehouse = "warehouse.duckdb"' in text
    assert config["entity"]["table"] == "customers" and config["entity"]["key"] == "customer_id"
    assert set(config["relations"]) == {"orders"}
    assert text.count("#") > 10  # keys are explained


def test_schema_is_a_subset_of_acme_so_the_demo_warehouse_fits(tmp_path):
    init_project(tmp_path)
    mine = tomllib.loads((tmp_path / "segdsl.toml").read_text())
    acme = tomllib.loads((ROOT / "examples" / "segdsl.toml").read_text())
    for name, spec in mine["entity"]["columns"].items():
        assert acme["entity"]["columns"][name] == spec
    for name, spec in mine["relations"]["orders"]["columns"].items():
        assert acme["relations"]["orders"]["columns"][name] == spec


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "segments").mkdir()
    (tmp_path / "segments" / "value.seg").write_text("# mine\n")
    (tmp_path / "README.md").write_text("mine\n")
    with pytest.raises(ProjectExistsError) as info:
        init_project(tmp_path)
    assert sorted(p.name for p in info.value.paths) == ["README.md", "value.seg"]
    assert "README.md" in str(info.value)
    assert not (tmp_path / "segdsl.toml").exists()
    assert (tmp_path / "segments" / "value.seg").read_text() == "# mine\n"


def test_refuses_a_file_as_folder(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        init_project(tmp_path / "f")


def test_cli_init_and_existing_files(tmp_path):
    runner = CliRunner()
    first = runner.invoke(_app(), ["init", str(tmp_path / "p")])
    assert first.exit_code == 0, first.output
    assert "segdsl.toml" in first.stdout and "next steps" in first.stdout
    again = runner.invoke(_app(), ["init", str(tmp_path / "p")])
    assert again.exit_code == 2
    assert "already exist" in again.stderr and "segdsl.toml" in again.stderr


def test_new_project_checks_clean_and_runs_on_the_demo_warehouse(tmp_path):
    from segdsl.demo import DEMO_AS_OF, build_demo_warehouse

    init_project(tmp_path / "p")
    project = segdsl.load_project(tmp_path / "p")
    problems = [str(d) for d in project.check()]
    assert problems == []
    assert set(project.segment_names()) == {"big_spenders", "west_coast_pros", "lapsed_vips"}

    db = tmp_path / "demo.duckdb"
    build_demo_warehouse(db, customers=1000, progress=False)
    out = tmp_path / "members.csv"
    result = CliRunner().invoke(_app(), ["run", str(tmp_path / "p"), "--db", str(db), "--as-of",
                                         str(DEMO_AS_OF), "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "segment,customer_id"
    found = {line.split(",")[0] for line in lines[1:]}
    assert {"big_spenders", "west_coast_pros"} <= found


def test_commented_settings_work_when_uncommented(tmp_path):
    """The schema's commented-out settings are the way to turn them on: uncommented, they
    must be valid and mean what their comments say."""
    init_project(tmp_path)
    toml = tmp_path / "segdsl.toml"
    text = toml.read_text()
    for key in ("warehouse", "as_of"):
        assert f"\n# {key} = " in text
        text = text.replace(f"\n# {key} = ", f"\n{key} = ")
    toml.write_text(text)
    settings = segdsl.load_project(tmp_path).settings
    assert settings.warehouse == "warehouse.duckdb"
    assert str(settings.as_of) == "2024-06-30"


def test_the_new_projects_readme_commands_for_sample_data_work(tmp_path):
    """The new project's README and init's next steps point at `segdsl demo --dir`: it builds
    the sample warehouse in the project and runs the project's segments on it."""
    project = tmp_path / "p"
    first = CliRunner().invoke(_app(), ["init", str(project)])
    assert f"segdsl demo --dir {project}" in first.stdout
    readme = (project / "README.md").read_text()
    assert "`segdsl demo --dir .`" in readme
    assert "`segdsl run . --db demo.duckdb --as-of 2024-06-30`" in readme

    demo = CliRunner().invoke(_app(), ["demo", "--dir", str(project), "--customers", "1000"])
    assert demo.exit_code == 0, demo.output
    assert "west_coast_pros" in demo.stdout and (project / "demo.duckdb").is_file()
    run = CliRunner().invoke(_app(), ["run", str(project), "--db", str(project / "demo.duckdb"),
                                      "--as-of", "2024-06-30"])
    assert run.exit_code == 0, run.output
