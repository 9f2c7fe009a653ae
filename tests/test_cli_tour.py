"""The README tour's step 6 as written: the example project names its warehouse and its
reference date, so `profile`, `overlap`, `snapshot`, `history`, `report` and `diff` need no
--db and no --as-of, and say which day they used."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tour(tmp_path_factory) -> Path:
    from segdsl.demo.warehouse import build_demo_warehouse

    folder = tmp_path_factory.mktemp("tour") / "examples"
    shutil.copytree(ROOT / "examples", folder, ignore=shutil.ignore_patterns("*.duckdb*"))
    build_demo_warehouse(folder / "demo.duckdb", customers=3_000)
    return folder


def segdsl(*args: str):
    from segdsl.cli.main import _register_commands, app

    _register_commands()
    return CliRunner().invoke(app, [str(a) for a in args])


def test_the_example_project_names_its_warehouse_and_day():
    import segdsl as api

    settings = api.load_project(ROOT / "examples").settings
    assert settings.warehouse == "demo.duckdb"
    assert str(settings.as_of) == "2024-06-30"


@pytest.mark.parametrize("args", [
    ["profile", "{p}", "--segment", "lapsed_vips", "--by", "plan,region", "--bands", "income"],
    ["overlap", "{p}"],
    ["run", "{p}", "-s", "lapsed_vips"],
])
def test_analyses_run_as_of_the_project_day(tour, args):
    result = segdsl(*[a.format(p=tour) for a in args])
    assert result.exit_code == 0, result.output
    assert "as of 2024-06-30" in result.stdout


def test_the_command_line_date_wins(tour):
    result = segdsl("overlap", tour, "-s", "lapsed_vips", "-s", "hikers", "--as-of", "2024-01-31")
    assert result.exit_code == 0, result.output
    assert "as of 2024-01-31" in result.stdout


def test_snapshot_history_report_without_db(tour, tmp_path):
    result = segdsl("snapshot", tour, "--segment", "lapsed_vips")
    assert result.exit_code == 0, result.output
    assert "as of 2024-06-30" in result.stdout
    result = segdsl("history", tour, "--segment", "lapsed_vips")
    assert result.exit_code == 0, result.output
    out = tmp_path / "report.html"
    result = segdsl("report", tour, "--output", out)
    assert result.exit_code == 0, result.output
    assert out.is_file() and "as of 2024-06-30" in result.stdout


def test_diff_without_db(tour):
    if shutil.which("git") is None:
        pytest.fail("git is needed by `segdsl diff`")
    git = ["git", "-C", str(tour), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "examples"], check=True)
    seg = tour / "lists.seg"
    seg.write_text(seg.read_text() + '\nsegment tour_added where plan = "pro"\n')
    result = segdsl("diff", tour, "--base", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "tour_added" in result.stdout
