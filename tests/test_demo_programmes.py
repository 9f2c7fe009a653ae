"""`segdsl demo` shows the examples' programmes: the lifecycle family's breakdown and the
campaign split's group sizes, after the segments table, and the figures add up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import segdsl
from segdsl.cli import demo_cmd
from segdsl.demo import DEMO_AS_OF, build_demo_warehouse

ROOT = Path(__file__).resolve().parents[1]
N = 2000


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """The example project next to a small demo warehouse (a copy: the demo writes there)."""
    folder = tmp_path_factory.mktemp("programmes")
    for path in (ROOT / "examples").iterdir():
        if path.suffix in (".seg", ".toml"):
            shutil.copy(path, folder / path.name)
    build_demo_warehouse(folder / demo_cmd.DEMO_FILE, customers=N, progress=False)
    return folder


def _cells(table) -> dict[str, list[str]]:
    """First column -> the other cells of each row of a rich Table."""
    columns = [list(c.cells) for c in table.columns]
    return {row[0]: list(row[1:]) for row in zip(*columns)}


def _number(cell: str) -> int:
    return int(cell.replace(",", ""))


def test_programme_views_add_up(demo_dir):
    from segdsl.warehouse import connect
    from segdsl.warehouse.runner import run_segments

    project = segdsl.load_project(demo_dir)
    with connect(demo_dir / demo_cmd.DEMO_FILE) as conn:
        family, split = demo_cmd.programme_views(conn, project, N)
        audience = run_segments(conn, project, ["lifecycle.champions", "lifecycle.loyal",
                                                "lifecycle.newcomers"], as_of=DEMO_AS_OF,
                                fetch_keys=False)
    assert "family lifecycle" in str(family.title) and "split summer_campaign" in str(split.title)
    stages = _cells(family)
    assert list(stages) == ["champions", "loyal", "lapsed", "at_risk", "newcomers", "else others"]
    # each customer is in exactly one member; a member never gets more than its rule matches
    assert sum(_number(cells[1]) for cells in stages.values()) == N
    for member, (alone, assigned, _) in stages.items():
        if alone:
            assert _number(assigned) <= _number(alone), member
    # the split's population is the three active stages: its groups share exactly those customers
    groups = _cells(split)
    assert list(groups) == ["summer_campaign.control", "summer_campaign.treatment"]
    assert sum(_number(cells[0]) for cells in groups.values()) == sum(r.count or 0 for r in audience)
    assert {r.name: r.count for r in audience}["lifecycle.champions"] == _number(stages["champions"][1])


def test_demo_prints_the_programmes_after_the_segments(demo_dir):
    app = typer.Typer()
    demo_cmd.register(app)
    app.command("noop")(lambda: None)  # two commands: keep `demo` a subcommand
    result = CliRunner().invoke(app, ["demo", "--dir", str(demo_dir)], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "using the demo warehouse" in out
    ran = out.index("segments ran in")
    assert ran < out.index("family lifecycle: first matching rule wins") < out.index("split summer_campaign")
    for row in ("else others", "summer_campaign.control", "summer_campaign.treatment"):
        assert row in out[ran:], row


def test_stand_in_projects_without_programmes_show_none():
    assert demo_cmd.programme_views(object(), object(), None) == []
