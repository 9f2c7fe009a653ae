"""A small demo warehouse and a copy of the example project on it, shared by the tests of
`segdsl discover` and `segdsl predict`."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CUSTOMERS = 6000
VISIT_TRAITS = ["visits_90d", "pages_per_visit", "minutes_per_visit"]
FEATURES = ["online_done_level", "online_done_90d_level", "orders_level", "tenure_level"]
# the customers who had signed up by the feature date
POPULATION = "days_since(signup_date) >= 0"


def demo_project(folder: Path, customers: int = CUSTOMERS) -> Path:
    """The example project in `folder`, with its demo warehouse (`demo.duckdb`) built there."""
    from segdsl.demo import build_demo_warehouse

    shutil.copytree(ROOT / "examples", folder, ignore=shutil.ignore_patterns("demo.duckdb*", "tests"))
    build_demo_warehouse(folder / "demo.duckdb", customers=customers, progress=False)
    return folder


def members(project_dir: Path, names: list[str]) -> dict[str, set[int]]:
    """The members of segments on the project's DuckDB warehouse, as of its [project] as_of."""
    import segdsl
    from segdsl.warehouse import connect

    project = segdsl.load_project(project_dir)
    with connect(project_dir / "demo.duckdb") as conn:
        return {n: {row[0] for row in conn.query(project.compile(n, dialect="duckdb"))} for n in names}


def app():
    import typer

    from segdsl.cli import discover_cmd

    typer_app = typer.Typer()
    discover_cmd.register(typer_app)
    typer_app.command("noop")(lambda: None)
    return typer_app
