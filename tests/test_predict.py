"""`segdsl predict` on the demo warehouse: back-tested on the orders the generator plans, its
hold-out AUC is within 0.05 of the AUC of the generator's true probabilities on the same
hold-out customers; the written trait and
segment check and give the same members on DuckDB, Postgres and ZetaSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.ml_demo import CUSTOMERS, FEATURES, POPULATION, app, demo_project

AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_project(tmp_path_factory.mktemp("predict") / "project")


@pytest.fixture(scope="module")
def model(demo):
    import segdsl
    from segdsl.discover.predict import fit
    from segdsl.warehouse import connect

    project = segdsl.load_project(demo)
    with connect(demo / "demo.duckdb") as conn:
        return fit(conn, project, FEATURES, "order_completed", None, 30, AS_OF, seed=5, population=POPULATION)


def _true_auc(demo, keys) -> float:
    """The AUC of the generator's true probabilities against the labels in the warehouse, on
    the customers `keys`."""
    import duckdb
    from sklearn.metrics import roc_auc_score

    from segdsl.demo.truth import demo_truth

    truth = demo_truth(CUSTOMERS, reference=AS_OF, horizon_days=30).purchase_probability
    con = duckdb.connect(str(demo / "demo.duckdb"), read_only=True)
    bought = {k for (k,) in con.execute("SELECT DISTINCT customer_id FROM events WHERE name = "
                                        "'order_completed' AND occurred_at >= DATE '2024-06-01'").fetchall()}
    con.close()
    return float(roc_auc_score([k in bought for k in keys], [truth[k] for k in keys]))


def test_predict_finds_the_planted_signal(model, demo):
    true_auc = _true_auc(demo, model.holdout_keys)
    assert len(model.holdout_keys) == model.holdout.customers
    assert model.holdout.auc >= 0.7
    assert model.holdout.auc >= true_auc - 0.05, (model.holdout.auc, true_auc)
    assert 0.1 < model.holdout.base_rate < 0.5
    assert len(model.holdout.calibration) == 10
    top = model.holdout.calibration[-1]
    assert top[0] == 10 and top[3] > 2 * model.holdout.base_rate  # the top decile buys far more often
    assert "AUC 0." in model.text and f"trait {model.name} = " in model.text
    assert "top 10% by purchase_score" in model.text


def test_same_seed_same_model(model, demo):
    import segdsl
    from segdsl.discover.predict import fit
    from segdsl.warehouse import connect

    project = segdsl.load_project(demo)
    with connect(demo / "demo.duckdb") as conn:
        again = fit(conn, project, FEATURES, "order_completed", None, 30, AS_OF, seed=5, population=POPULATION)
    assert again.text == model.text


def test_cli_writes_and_evaluates(demo):
    runner = CliRunner()
    out = demo / "model.seg"
    args = ["predict", str(demo), "--target-event", "order_completed", "--horizon", "30 days", "--features",
            ",".join(FEATURES), "--population", POPULATION, "--as-of", "2024-05-31", "--seed", "1", "-o", str(out)]
    first = runner.invoke(app(), args)
    assert first.exit_code == 0, first.output
    assert "AUC 0." in first.stdout and out.is_file() and f"Population: customers where {POPULATION}" in out.read_text()
    assert runner.invoke(app(), args).exit_code == 2
    # later data the model never saw: features as of 2024-05-31, orders in June
    later = runner.invoke(app(), ["predict", str(demo), "--evaluate", str(out), "--as-of", "2024-06-30",
                                  "-f", "json"])
    assert later.exit_code == 0, later.output
    scored = json.loads(later.stdout)
    assert scored["version"] == 1 and scored["auc"] >= 0.7 and not scored["label_window_seen_in_training"]
    assert scored["horizon_days"] == 30 and len(scored["calibration"]) == 10
    assert scored["population"] == POPULATION  # read back from the file
    out.unlink()


def test_errors_have_codes(demo):
    runner = CliRunner()
    base = ["predict", str(demo), "--target-event", "order_completed", "--horizon", "30 days"]
    text = runner.invoke(app(), base + ["--features", "region"])
    assert text.exit_code == 2 and "error[SEG0803]" in text.stderr
    never = runner.invoke(app(), ["predict", str(demo), "--target-event", "order_completed", "--horizon", "30 days",
                                  "--features", "orders_level", "--target-where", 'city = "Atlantis"'])
    assert never.exit_code == 1 and "error[SEG0806]" in never.stderr, never.output
    horizon = runner.invoke(app(), base[:-1] + ["soon", "--features", "orders_level"])
    assert horizon.exit_code == 2 and "error[SEG0805]" in horizon.stderr
    population = runner.invoke(app(), base + ["--features", "orders_level", "--population", "signup_day >= 0"])
    assert population.exit_code == 2 and "error[SEG0805]" in population.stderr and "--population" in population.stderr


def test_population_leaves_out_later_customers(model, demo):
    import duckdb

    con = duckdb.connect(str(demo / "demo.duckdb"), read_only=True)
    later = {k for (k,) in con.execute("SELECT customer_id FROM customers WHERE signup_date > DATE '2024-05-31'").fetchall()}
    con.close()
    assert later and not later & set(model.holdout_keys)
    assert model.training + model.holdout.customers == CUSTOMERS - len(later)


@pytest.fixture(scope="module")
def family(demo):
    import segdsl
    from segdsl.discover.discover import discover
    from segdsl.warehouse import connect

    with connect(demo / "demo.duckdb") as conn:
        return discover(conn, segdsl.load_project(demo), ["visits_90d", "pages_per_visit"], k=4, seed=1, as_of=AS_OF)


@pytest.mark.parametrize("other", [pytest.param("postgres", marks=pytest.mark.postgres),
                                   pytest.param("bigquery", marks=pytest.mark.zetasql)])
def test_written_definitions_agree_on_engines(other, request, demo, model, family):
    """The family discover writes and the trait and segment predict writes select the same
    customers on DuckDB and on `other`, on a sample of the demo's customers, in one batch
    query per engine."""
    import duckdb
    import tomllib

    import segdsl

    project = segdsl.load_project(demo)
    files = dict(project.sources.files) | {"discovered.seg": family.text, "model.seg": model.text}
    joined = segdsl.Project.from_sources(project.sources.config, files, demo)
    names = [f"discovered.{m.name}" for m in family.members] + [model.segment]
    con = duckdb.connect(str(demo / "demo.duckdb"), read_only=True)
    keys = "customer_id % 200 = 7"  # 30 customers: ZetaSQL is slow on thousands of rows
    tables = {}
    for table in ("customers", "orders", "visits"):
        cursor = con.execute(f"SELECT * FROM {table} WHERE {keys}")
        columns = [c[0] for c in cursor.description]
        tables[table] = [dict(zip(columns, row)) for row in cursor.fetchall()]
    tables["events"] = []
    con.close()
    schema = tomllib.loads((demo / "segdsl.toml").read_text())
    reference = request.getfixturevalue("duckdb_engine")
    engine = request.getfixturevalue(f"{other}_engine")

    def run(eng: Any) -> dict[str, list[Any]]:  # one query: a row per customer, a column per segment
        eng.load(schema, tables)
        rows = eng.query(joined.compile_batch(names, dialect=eng.dialect, as_of=AS_OF))
        return {n: sorted(r[0] for r in rows if r[i]) for i, n in enumerate(names, start=1)}

    expected = run(reference)
    assert run(engine) == expected
    assert sum(len(expected[n]) for n in names[:-1]) == len(tables["customers"]) and expected[model.segment]
