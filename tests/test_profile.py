"""`segdsl profile`: sizes, breakdowns by value and quartile bands, against numbers worked
out by hand from the twelve customers of tests/analysis/fixture.py."""

from __future__ import annotations

import json

import pytest

from tests.analysis.fixture import AS_OF, PROJECT, invoke, load, warehouse  # noqa: F401

# pros = {1, 2, 4, 7, 10}: 5 of 12 customers
# (label, members, all customers) per row, in display order
BY_VALUE = {
    # North {1,2,3} has pros 1,2; South {4,5,6}: 4; East {7,8,9}: 7; West {10,11}: 10; 12 has none
    "region": [("North", 2, 3), ("South", 1, 3), ("East", 1, 3), ("West", 1, 2), ("(missing)", 0, 1)],
    "plan": [("free", 0, 7), ("pro", 5, 5)],
    # f = {1,3,6,7,9,11} (pros 1,7); m = {2,4,8,10,12} (pros 2,4,10); 5 is missing
    "gender": [("f", 2, 6), ("m", 3, 5), ("(missing)", 0, 1)],
    # hiking {1,2,7,8,12}, gaming {6,8,11}, yoga {2,4,10}; none: 3 and 9 (empty), 5 (NULL).
    # No declared values: by count, ties by name.
    "interests": [("hiking", 3, 5), ("gaming", 0, 3), ("yoga", 3, 3), ("(missing)", 0, 3)],
    # yes {1,4,7,10}; no {2,3,5,6,8,11,12}; 9 missing
    "vip": [("yes", 4, 4), ("no", 1, 7), ("(missing)", 0, 1)],
}
BANDS = {
    # values sorted: 0 30 45 80 120 300 510 650 900 1200 (n=10; 3 and 12 missing).
    # q1 = rank ceil(10/4)=3 -> 45, q2 = rank 5 -> 120, q3 = rank ceil(30/4)=8 -> 650
    "lifetime_value": ([45, 120, 650], [("≤ 45", 0, 3), ("45 – 120", 1, 2), ("120 – 650", 2, 3),
                                        ("> 650", 2, 2), ("(missing)", 0, 2)]),
    # ages sorted: 19 23 25 29 33 34 38 41 45 52 61 (n=11; 8 missing): ranks 3, 6, 9
    "age": ([25, 34, 45], [("≤ 25", 1, 3), ("25 – 34", 2, 3), ("34 – 45", 1, 3), ("> 45", 1, 2),
                           ("(missing)", 0, 1)]),
    # twelve dates: ranks 3, 6, 9 -> 2020-01-10, 2021-12-12, 2023-02-14
    "signup_date": (["2020-01-10", "2021-12-12", "2023-02-14"],
                    [("≤ 2020-01-10", 3, 3), ("2020-01-10 – 2021-12-12", 2, 3),
                     ("2021-12-12 – 2023-02-14", 0, 3), ("> 2023-02-14", 0, 3)]),
    # the trait spend: seven zeros, then 60 120 150 160 200: q1 = q2 = 0 (ranks 3, 6), q3 = 120
    # (rank 9). The band between the tied quartiles is empty and left out.
    "spend": ([0, 120], [("≤ 0", 1, 7), ("0 – 120", 2, 2), ("> 120", 2, 3)]),
}


def _rows(breakdown):
    return [(r.label, r.members, r.population) for r in breakdown.rows]


def test_size_breakdowns_and_bands(warehouse):
    from segdsl.analysis.profile import profile_segment

    with warehouse.connect() as conn:
        result = profile_segment(conn, load(), "pros", by=list(BY_VALUE), bands=list(BANDS), as_of=AS_OF)
    assert (result.size, result.total) == (5, 12)
    got = {b.field: b for b in result.breakdowns}
    for field, expected in BY_VALUE.items():
        assert got[field].kind == "values"
        assert _rows(got[field]) == expected, field
    for field, (cuts, expected) in BANDS.items():
        assert got[field].kind == "bands"
        assert [str(c) if not isinstance(c, (int, float)) else c for c in got[field].cuts] == cuts, field
        assert _rows(got[field]) == expected, field


def test_every_row_sums_to_the_totals(warehouse):
    """Single-valued breakdowns partition both the members and everyone."""
    from segdsl.analysis.profile import profile_segment

    with warehouse.connect() as conn:
        result = profile_segment(conn, load(), "young", by=["region", "gender", "vip"],
                                 bands=["age", "lifetime_value"], as_of=AS_OF)
    assert result.size == 4
    for b in result.breakdowns:
        assert sum(r.members for r in b.rows) == 4, b.field
        assert sum(r.population for r in b.rows) == 12, b.field


def test_cli_tables(warehouse):
    result = invoke("profile", PROJECT, "--segment", "pros", "--by", "region,plan", "--by", "interests",
                    "--bands", "lifetime_value", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"pros: 5 of 12 customers (41.7%) as of {AS_OF} on {warehouse.kind}" in out
    for title in ("by region", "by plan", "by interests", "quartile bands of lifetime_value"):
        assert title in out
    # North: 2 of 5 members (40.0%), 3 of 12 customers (25.0%): index 160
    assert any(line.split("│")[1:7] and "North" in line and "40.0%" in line and "25.0%" in line
               and "160" in line for line in out.splitlines())


def test_cli_json_and_defaults(warehouse):
    result = invoke("profile", PROJECT, "-s", "northerners", "--format", "json", "--as-of", AS_OF,
                    *warehouse.args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["segment"], data["size"], data["customers"]) == ("northerners", 3, 12)
    # default: the enumerations, then the first two numeric columns in bands
    assert [(b["field"], b["kind"]) for b in data["breakdowns"]] == [
        ("region", "values"), ("plan", "values"), ("gender", "values"),
        ("age", "bands"), ("lifetime_value", "bands")]
    plan = data["breakdowns"][1]["rows"]
    assert [(r["label"], r["members"], r["customers"]) for r in plan] == [("free", 1, 7), ("pro", 2, 5)]


@pytest.mark.parametrize("args, message", [
    (["--by", "nope"], "`nope` is neither a column of customers nor a trait"),
    (["--by", "lifetime_value"], "too many values"),
    (["--by", "spend"], "use --bands spend"),
    (["--bands", "region"], "bands need a number or date field"),
    (["--as-of", "yesterday"], "--as-of: `yesterday` is not a date"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path, args, message):
    import duckdb

    from tests.analysis.fixture import _load_duckdb

    db = tmp_path / "w.duckdb"
    _load_duckdb(db)
    duckdb.connect(str(db)).close()
    result = invoke("profile", PROJECT, "-s", "pros", "--db", db, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_unknown_segment_and_missing_warehouse(tmp_path):
    result = invoke("profile", PROJECT, "-s", "prso", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 2
    assert "no DuckDB file" in result.stderr
    from tests.analysis.fixture import _load_duckdb

    _load_duckdb(tmp_path / "w.duckdb")
    result = invoke("profile", PROJECT, "-s", "prso", "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 2
    assert "no segment named `prso` (did you mean `pros`?)" in result.stderr


def test_warehouse_from_project_settings(tmp_path):
    """No --db: `warehouse` under [project], relative to the project folder."""
    import shutil

    from tests.analysis.fixture import _load_duckdb

    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    _load_duckdb(project / "data.duckdb")
    toml = project / "segdsl.toml"
    toml.write_text(toml.read_text() + '\n[project]\nwarehouse = "data.duckdb"\n')
    result = invoke("profile", project, "-s", "young", "--by", "plan", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "young: 4 of 12 customers (33.3%)" in result.stdout
