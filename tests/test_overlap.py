"""`segdsl overlap`: pair counts and Jaccard similarity in one query, against the members
listed in tests/analysis/fixture.py."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tests.analysis.fixture import AS_OF, PROJECT, invoke, load, warehouse  # noqa: F401

MEMBERS = {
    "pros": {1, 2, 4, 7, 10},
    "northerners": {1, 2, 3},
    "big_spenders": {1, 4, 7, 10},
    "young": {1, 4, 6, 11},
    "spenders": {1, 4, 7, 9},
}
# in both, and Jaccard = both / (a + b - both), worked out by hand
PAIRS = {
    ("pros", "northerners"): (2, Fraction(2, 6)),
    ("pros", "big_spenders"): (4, Fraction(4, 5)),
    ("pros", "young"): (2, Fraction(2, 7)),
    ("pros", "spenders"): (3, Fraction(3, 6)),
    ("northerners", "big_spenders"): (1, Fraction(1, 6)),
    ("northerners", "young"): (1, Fraction(1, 6)),
    ("northerners", "spenders"): (1, Fraction(1, 6)),
    ("big_spenders", "young"): (2, Fraction(2, 6)),
    ("big_spenders", "spenders"): (3, Fraction(3, 5)),
    ("young", "spenders"): (2, Fraction(2, 6)),
}


def test_hand_computed_pairs_match_the_member_sets():
    """The table above is consistent with the member lists (guards the expectations)."""
    for (a, b), (both, jaccard) in PAIRS.items():
        assert both == len(MEMBERS[a] & MEMBERS[b])
        assert jaccard == Fraction(both, len(MEMBERS[a] | MEMBERS[b]))


def test_overlap_of_all_segments(warehouse):
    from segdsl.analysis.overlap import compute_overlap

    project = load()
    with warehouse.connect() as conn:
        result = compute_overlap(conn, project, project.segment_names(), as_of=AS_OF)
    assert result.names == list(MEMBERS)
    assert result.sizes == {name: len(keys) for name, keys in MEMBERS.items()}
    for (a, b), (both, jaccard) in PAIRS.items():
        assert result.count(a, b) == result.count(b, a) == both
        assert result.jaccard(a, b) == pytest.approx(float(jaccard))
    assert result.jaccard("pros", "pros") == 1.0


def test_one_query_over_the_batch():
    """Sizes first, then every pair once: n + n(n-1)/2 counted columns, one SELECT."""
    from segdsl.analysis.overlap import overlap_query
    from segdsl.analysis.common import render

    tree = overlap_query(load(), list(MEMBERS), "duckdb", AS_OF)
    assert len(tree.expressions) == 5 + 10
    sql = render(tree, "duckdb")
    assert sql.count("COUNT_IF(") == 15
    assert '"b"."pros" AND "b"."northerners"' in sql


def test_many_pairs_are_split_into_several_queries(warehouse, monkeypatch):
    import segdsl.analysis.overlap as overlap

    monkeypatch.setattr(overlap, "MAX_COLUMNS", 4)
    project = load()
    with warehouse.connect() as conn:
        result = overlap.compute_overlap(conn, project, project.segment_names(), as_of=AS_OF)
    for (a, b), (both, _) in PAIRS.items():
        assert result.count(a, b) == both


def test_cli_matrix(warehouse):
    result = invoke("overlap", PROJECT, "-s", "pros", "-s", "big_spenders", "-s", "young",
                    "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"overlap of 3 segments as of {AS_OF} on {warehouse.kind}" in lines[0]
    pros = next(line for line in lines if line.startswith("│ pros"))
    assert [c.strip() for c in pros.split("│")[1:-1]] == ["pros", "5", "4", "2"]
    assert "J 0.80" in result.stdout and "J 0.29" in result.stdout  # 4/5, 2/7


def test_cli_json_default_all_segments(warehouse):
    result = invoke("overlap", PROJECT, "--format", "json", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(s["name"], s["size"]) for s in data["segments"]] == [(n, len(k)) for n, k in MEMBERS.items()]
    pairs = {(p["a"], p["b"]): (p["both"], p["jaccard"]) for p in data["pairs"]}
    assert pairs == {k: (both, round(float(j), 6)) for k, (both, j) in PAIRS.items()}


def test_cli_pairs_for_many_segments_sorted_by_similarity(warehouse, tmp_path):
    # seven segments: more than fit a matrix; the pairs come most similar first
    import shutil

    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    (project / "more.seg").write_text('segment free_plan where plan = "free"\n'
                                      'segment everyone where age >= 0 or not (age >= 0)\n')
    result = invoke("overlap", project, "--top", "3", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in result.stdout.splitlines()
            if line.startswith("│")]
    # free_plan/everyone: 7 of 12 -> 0.583; pros/big_spenders 0.8; big_spenders/spenders 0.6
    assert rows == [["pros", "big_spenders", "4", "80.0%", "100.0%", "0.800"],
                    ["big_spenders", "spenders", "3", "75.0%", "75.0%", "0.600"],
                    ["free_plan", "everyone", "7", "100.0%", "58.3%", "0.583"]]


def test_one_segment_is_a_usage_error(warehouse):
    result = invoke("overlap", PROJECT, "-s", "pros", *warehouse.args)
    assert result.exit_code == 2
    assert "at least two segments" in result.stderr
