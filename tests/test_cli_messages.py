"""What the CLI prints when the setup is wrong, as snapshots (tests/snapshots/cli_messages):
the words a user reads must name their mistake, its place, and what to type instead."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from typer.testing import CliRunner

from tests.projects import ROOT

SEGMENTS = 'segment pros where plan = "pro"\ntrait lifetime_value = sum(orders.amount)\n'
BAD_TABLE = """[entity]
table = "customers"
key = "customer_id"

[entity.columns]
customer_id = "integer"
[entitty.columns]
age = "integer"
"""


def segdsl(*args):
    from segdsl.cli.main import _register_commands, app

    _register_commands()
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project in the working folder (paths in messages are then short and stable)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "shop"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "segdsl.toml", folder / "segdsl.toml")
    (folder / "a.seg").write_text(SEGMENTS)
    return folder


def check_message(snapshot, name: str, result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "cli_messages"
    snapshot.assert_match(result.stderr, f"{name}.txt")


def test_misspelled_table_is_reported_at_its_line(project, snapshot):
    (project / "segdsl.toml").write_text(BAD_TABLE)
    check_message(snapshot, "toml_unknown_table", segdsl("check", "shop"), 2)


@pytest.mark.parametrize("name, url", [
    ("url_other_database", "mysql://admin:s3cret@db.example.com/shop"),
    ("url_not_a_url", "not-a-url"),
])
def test_urls_that_are_not_postgres(project, snapshot, name, url):
    for command in (["run", "shop"], ["overlap", "shop"], ["schema", "pull", "--entity", "c", "--key", "k"]):
        result = segdsl(*command, "--url", url)
        assert result.exit_code == 2, result.output
        assert "s3cret" not in result.output  # a URL may hold a password: never repeated
    check_message(snapshot, name, segdsl("run", "shop", "--url", url), 2)


def test_warehouse_setting_naming_a_csv_file(project, snapshot):
    (project / "data.csv").write_text("customer_id\n1\n")
    toml = project / "segdsl.toml"
    toml.write_text(toml.read_text().replace('warehouse = "demo.duckdb"', 'warehouse = "data.csv"'))
    check_message(snapshot, "warehouse_csv", segdsl("run", "shop"), 2)


def test_fmt_refuses_segdsl_toml(project, snapshot):
    before = (project / "segdsl.toml").read_text()
    check_message(snapshot, "fmt_toml", segdsl("fmt", "shop/segdsl.toml"), 2)
    assert (project / "segdsl.toml").read_text() == before


@pytest.mark.parametrize("command", [["compile"], ["run"], ["profile"], ["explain"]])
def test_a_trait_named_as_a_segment(project, snapshot, command):
    import duckdb

    duckdb.connect(str(project / "demo.duckdb")).close()
    result = segdsl(*command, "shop", "-s", "lifetime_value")
    assert result.exit_code == 2, result.output
    assert "`lifetime_value` is a trait, not a segment" in result.stderr
    assert "unknown segment" not in result.stderr and "no segment named" not in result.stderr
    if command == ["compile"]:
        check_message(snapshot, "segment_is_a_trait", result, 2)


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31T23:00"])
def test_reference_dates_out_of_range(project, snapshot, as_of):
    for command in ("compile", "run", "overlap", "snapshot", "report"):
        result = segdsl(command, "shop", "--as-of", as_of, *(["--output", "r.html"] if command == "report" else []))
        assert result.exit_code == 2, (command, result.output)
        assert "outside the supported range 1900-01-01 … 2199-12-31" in result.stderr
    if as_of == "9999-12-31":
        check_message(snapshot, "as_of_out_of_range", segdsl("compile", "shop", "--as-of", as_of), 2)


def test_a_dangling_symlink_is_named_as_such(project, snapshot):
    (project / "old.seg").symlink_to(os.path.join("archive", "old.seg"))
    check_message(snapshot, "dangling_seg_symlink", segdsl("check", "shop"), 1)


def test_an_existing_output_is_kept_without_force(project, snapshot):
    import duckdb

    con = duckdb.connect(str(project / "demo.duckdb"))
    con.execute("CREATE TABLE customers AS SELECT 1::BIGINT AS customer_id, 'pro' AS plan")
    con.close()
    (project / "members.csv").write_text("keep me\n")
    check_message(snapshot, "output_exists", segdsl("run", "shop", "-s", "pros", "--output", "shop/members.csv"), 2)
    assert (project / "members.csv").read_text() == "keep me\n"
    assert segdsl("run", "shop", "-s", "pros", "--output", "shop/members.csv", "--force").exit_code == 0
    assert (project / "members.csv").read_text().split() == ["customer_id", "1"]


def test_help_shows_metavars_and_whole_summaries(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    main = segdsl("--help").stdout
    summaries = main[main.index("Commands:"):]
    assert "..." not in summaries
    for command in ("check", "compile", "run", "profile", "overlap", "diff", "snapshot", "history",
                    "report", "fmt", "explain", "demo", "init"):
        text = segdsl(command, "--help").stdout
        assert not re.search(r"\{\w+\}|<list\[|<int range>|<path>|<str>|<int>", text), (command, text)
    run = segdsl("run", "--help").stdout
    for shown in ("PATH", "--segment NAME", "--db FILE", "--sample N", "--output FILE", "--as-of DATE"):
        assert shown in run
    assert "--out " not in segdsl("report", "--help").stdout  # the old name still works, unlisted


def test_one_exit_code_table_in_the_docs():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code, meaning in ((0, "ok"), (1, "problems"), (2, "usage"), (3, "internal"), (130, "interrupted")):
        assert re.search(rf"^\| {code} \| [^|]*{meaning}", text, re.M | re.I), code


@pytest.mark.skipif(os.name != "posix", reason="permissions")
def test_unwritable_output_folder_before_any_query(project, snapshot):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        folder = project / "missing-folder"
        target = folder / "m.csv"
    else:
        folder = project / "locked"
        folder.mkdir()
        os.chmod(folder, 0o500)
        target = folder / "m.csv"
    result = segdsl("run", "shop", "-s", "pros", "--output", target)
    assert result.exit_code == 2 and "--output" in result.stderr, result.output


def test_paths_per_format(tmp_path, monkeypatch):
    """Text and JSON name files from the working folder; GitHub annotations and SARIF from
    the root of the git repository, wherever the command runs."""
    import json
    import subprocess

    repo = tmp_path / "repo"
    project = repo / "marketing" / "segments"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "segdsl.toml", project / "segdsl.toml")
    (project / "a.seg").write_text('segment a where regin = "x"\n')
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert "../repo/marketing/segments/a.seg:1:17: error[SEG0203]" in segdsl("check", project).stderr
    data = json.loads(segdsl("check", project, "-f", "json").stdout)
    assert data["diagnostics"][0]["path"] == "../repo/marketing/segments/a.seg"
    assert "::error file=marketing/segments/a.seg,line=1" in segdsl("check", project, "-f", "github").stdout
    sarif = json.loads(segdsl("check", project, "-f", "sarif").stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "marketing/segments/a.seg"


def test_a_missing_extra_names_the_install_line(project, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `segdsl[postgres]` were not installed
    result = segdsl("run", "shop", "--url", "postgresql://localhost/shop")
    assert result.exit_code == 2, result.output
    assert "pip install 'segdsl[postgres]'" in result.stderr


def test_commands_are_registered_once():
    # programs and tests run the app in-process and register before each run; typer builds
    # every registered command on each run, so duplicates made every later run slower
    from segdsl.cli.main import _register_commands, app

    _register_commands()
    names = [c.name for c in app.registered_commands]
    _register_commands()
    assert [c.name for c in app.registered_commands] == names
    assert len(names) == len(set(names))
