"""`segdsl discover` on the demo warehouse: it finds the generator's personas in the visits,
writes them as a family that checks, and that family gives on DuckDB (and Postgres, ZetaSQL)
the members the tree predicts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.ml_demo import CUSTOMERS, VISIT_TRAITS, app, demo_project, members



@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_project(tmp_path_factory.mktemp("discover") / "project")


@pytest.fixture(scope="module")
def found(demo):
    import segdsl
    from segdsl.discover.discover import discover
    from segdsl.warehouse import connect

    project = segdsl.load_project(demo)
    with connect(demo / "demo.duckdb") as conn:
        return discover(conn, project, VISIT_TRAITS, k=None, seed=7, as_of=project.reference(None).date)


def test_discover_recovers_the_generators_personas(found):
    from sklearn.metrics import adjusted_rand_score

    from segdsl.demo.truth import demo_truth

    truth = demo_truth(CUSTOMERS).persona
    assert found.k == 4 and set(found.silhouettes) == set(range(2, 9))
    assert found.customers == CUSTOMERS and found.left_out == 0
    assert adjusted_rand_score([truth[k] for k in found.keys], found.clusters) >= 0.8
    assert found.fidelity >= 0.9
    assert sum(m.size for m in found.members) == CUSTOMERS


def test_the_personas_need_two_traits():
    # no threshold on one trait separates the personas: each trait is shared by two of them
    from segdsl.demo.data import PERSONAS

    assert len({p[2] for p in PERSONAS}) == 2 and len({p[3] for p in PERSONAS}) == 2
    assert len({(p[2], p[3]) for p in PERSONAS}) == len(PERSONAS)


def test_the_family_checks_and_runs_as_the_tree_predicts(found, demo):
    import segdsl

    (demo / "discovered.seg").write_text(found.text)
    try:
        project = segdsl.load_project(demo)
        assert not [d for d in project.check() if d.is_error]
        names = [f"discovered.{m.name}" for m in found.members]
        got = members(demo, names)
    finally:
        (demo / "discovered.seg").unlink()
    expected: dict[str, set[int]] = {n: set() for n in names}
    for key, member in found.member_of().items():
        expected[f"discovered.{member}"].add(key)
    assert got == expected
    assert "family discovered {" in found.text and "else " in found.text
    assert "between" in found.text or ">=" in found.text


def test_same_seed_same_family(demo):
    import segdsl
    from segdsl.discover.discover import discover
    from segdsl.warehouse import connect

    project = segdsl.load_project(demo)
    with connect(demo / "demo.duckdb") as conn:
        texts = {discover(conn, project, VISIT_TRAITS, k=4, seed=3, as_of=project.reference(None).date).text
                 for _ in range(2)}
    assert len(texts) == 1


def test_cli_json_output_and_force(demo):
    runner = CliRunner()
    out = demo / "visitors.seg"
    args = ["discover", str(demo), "--traits", ",".join(VISIT_TRAITS), "--k", "4", "--seed", "3",
            "--name", "visitors", "-o", str(out), "-f", "json"]
    first = runner.invoke(app(), args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["version"] == 1 and summary["k"] == 4 and summary["fidelity"] >= 0.9
    assert out.read_text() == summary["seg"]
    again = runner.invoke(app(), args)
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = runner.invoke(app(), args + ["--force"])
    assert forced.exit_code == 0, forced.output
    out.unlink()


def test_errors_have_codes(demo, tmp_path):
    runner = CliRunner()
    (demo / "odd.seg").write_text("trait same_for_all = 7\n")
    try:
        constant = runner.invoke(app(), ["discover", str(demo), "--traits", "visits_90d,same_for_all", "--k", "2"])
        text = runner.invoke(app(), ["discover", str(demo), "--traits", "visits_90d,region"])
        unknown = runner.invoke(app(), ["discover", str(demo), "--traits", "visits_9d"])
    finally:
        (demo / "odd.seg").unlink()
    assert constant.exit_code == 1 and "error[SEG0802]" in constant.stderr, constant.output
    assert text.exit_code == 2 and "error[SEG0803]" in text.stderr
    assert unknown.exit_code == 2 and "error[SEG0804]" in unknown.stderr and "visits_90d" in unknown.stderr
    tiny = demo_project(tmp_path / "tiny", customers=20)
    few = runner.invoke(app(), ["discover", str(tiny), "--traits", ",".join(VISIT_TRAITS)])
    assert few.exit_code == 1 and "error[SEG0801]" in few.stderr


def test_missing_extra_names_the_install_line(demo, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    result = CliRunner().invoke(app(), ["discover", str(demo), "--traits", "visits_90d"])
    assert result.exit_code == 2 and "pip install 'segdsl[ml]'" in result.stderr
