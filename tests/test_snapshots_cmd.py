"""`segdsl snapshot` and `segdsl history`: the stored table, its format (what
`in snapshot` reads), all-or-nothing writes, and history against hand-worked members.

recent_buyers = at least one order in the last 30 days (orders in tests/analysis/fixture.py):
    as of 2024-02-01: {9} (2024-01-15)    as of 2024-06-30: {1, 2, 7}    as of 2023-06-30: nobody
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analysis.fixture import AS_OF, invoke, load, project_dir, warehouse  # noqa: F401

D = dt.date
EXTRA = ("segment recent_buyers where count(orders in last 30 days) >= 1\n"
         "segment was_recent where in snapshot recent_buyers\n")
TYPES = {
    "duckdb": ["BIGINT", "VARCHAR", "DATE", "TIMESTAMP", "BIGINT"],
    "postgres": ["bigint", "text", "date", "timestamp without time zone", "bigint"],
}


@pytest.fixture
def project(project_dir):
    (project_dir / "lists.seg").write_text(EXTRA)
    return project_dir


def table_rows(warehouse, table="segdsl_snapshots") -> list[tuple]:
    with warehouse.connect() as conn:
        return conn.query(f'SELECT snapshot_id, segment, as_of, member_key, taken_at FROM "{table}" '
                          "ORDER BY snapshot_id, member_key NULLS LAST")


def table_exists(warehouse, table="segdsl_snapshots") -> bool:
    with warehouse.connect() as conn:
        # current_schema(): on Postgres other tests keep tables of that name in other schemas
        return bool(conn.query("SELECT count(*) FROM information_schema.tables "
                               f"WHERE table_name = '{table}' AND table_schema = current_schema()")[0][0])


def snap(project, warehouse, *args) -> None:
    result = invoke("snapshot", project, *args, *warehouse.args)
    assert result.exit_code == 0, result.output


def test_table_format_and_rows(project, warehouse):
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    result = invoke("snapshot", project, "-s", "pros", "-s", "recent_buyers", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    assert "stored 2 snapshot(s) as of 2024-06-30 in segdsl_snapshots" in result.stdout
    rows = table_rows(warehouse)
    assert [r[:4] for r in rows] == [(1, "pros", AS_OF, k) for k in (1, 2, 4, 7, 10)] + \
        [(2, "recent_buyers", AS_OF, k) for k in (1, 2, 7)]
    taken = {r[4] for r in rows}
    assert len(taken) == 1  # one run, one time
    (at,) = taken
    assert at.tzinfo is None and before <= at <= before + dt.timedelta(minutes=5)  # UTC
    with warehouse.connect() as conn:
        types = conn.query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                           "table_name = 'segdsl_snapshots' AND table_schema = current_schema() "
                           "ORDER BY ordinal_position")
    assert types == list(zip(["snapshot_id", "segment", "as_of", "taken_at", "member_key"], TYPES[warehouse.kind]))


def test_one_id_per_segment_per_run(project, warehouse):
    snap(project, warehouse, "-s", "pros", "-s", "young", "--as-of", AS_OF)
    snap(project, warehouse, "-s", "young", "-s", "pros", "--as-of", "2024-07-01")
    ids = sorted({(r[0], r[1]) for r in table_rows(warehouse)})
    assert ids == [(1, "pros"), (2, "young"), (3, "young"), (4, "pros")]


def test_the_same_snapshot_again_stores_no_duplicate(project, warehouse):
    snap(project, warehouse, "-s", "pros", "-s", "recent_buyers", "--as-of", AS_OF)
    first = table_rows(warehouse)
    result = invoke("snapshot", project, "-s", "recent_buyers", "-s", "pros", "--as-of", AS_OF,
                    *warehouse.args)
    assert result.exit_code == 0, result.output
    assert "stored 0 snapshot(s) as of 2024-06-30" in result.stdout
    assert "2 unchanged since the last snapshot of that day (kept)" in result.stdout
    assert table_rows(warehouse) == first
    # another day, or other members, is a new snapshot: recent_buyers on 2024-02-01 is {9}
    snap(project, warehouse, "-s", "recent_buyers", "--as-of", "2024-02-01")
    assert [r[:4] for r in table_rows(warehouse) if r[0] == 3] == [(3, "recent_buyers", D(2024, 2, 1), 9)]
    # an empty snapshot taken twice is kept once too
    snap(project, warehouse, "-s", "recent_buyers", "--as-of", "2023-06-30")
    snap(project, warehouse, "-s", "recent_buyers", "--as-of", "2023-06-30")
    assert sorted({r[0] for r in table_rows(warehouse)}) == [1, 2, 3, 4]


def test_in_snapshot_reads_what_snapshot_wrote(project, warehouse):
    """The language's `in snapshot` sees the stored list; an empty snapshot is stored as
    one NULL row so that it, not the previous list, is the latest."""
    compiled = load(project)

    def was_recent() -> list:
        with warehouse.connect() as conn:
            return [r[0] for r in conn.query(compiled.compile("was_recent", warehouse.kind, AS_OF))]

    snap(project, warehouse, "-s", "recent_buyers", "--as-of", AS_OF)
    assert was_recent() == [1, 2, 7]
    snap(project, warehouse, "-s", "recent_buyers", "--as-of", "2023-06-30")
    assert [r[:4] for r in table_rows(warehouse) if r[0] == 2] == [(2, "recent_buyers", D(2023, 6, 30), None)]
    assert was_recent() == []


def _failing_after_first(monkeypatch, exc_factory):
    """Make the second segment of a run fail: its members come from a missing table (a real
    database error) or raise while they are being computed."""
    import segdsl.analysis.snapshots as snapshots

    real, calls = snapshots.segment_keys, []

    def keys(project, name, dialect, as_of):
        calls.append(name)
        if len(calls) == 2:
            failure = exc_factory()
            if failure is None:
                from sqlglot import exp

                return exp.select(exp.column("__k", quoted=True)).from_(exp.to_table('"no_such_table"'))
            raise failure
        return real(project, name, dialect, as_of)

    monkeypatch.setattr(snapshots, "segment_keys", keys)


@pytest.mark.parametrize("failure", ["database error", "interrupt"])
def test_a_failure_leaves_no_partial_snapshot(project, warehouse, monkeypatch, failure):
    from segdsl.analysis.snapshots import take_snapshots
    from segdsl.warehouse import WarehouseError

    factory = (lambda: None) if failure == "database error" else KeyboardInterrupt
    expected = WarehouseError if failure == "database error" else KeyboardInterrupt
    compiled = load(project)
    # first run fails: not even the table is left behind
    _failing_after_first(monkeypatch, factory)
    with warehouse.connect(write=True) as conn, pytest.raises(expected):
        take_snapshots(conn, compiled, ["pros", "young"], as_of=AS_OF)
    assert not table_exists(warehouse)
    # a good run, then a failing one: the table is as the good run left it
    monkeypatch.undo()
    snap(project, warehouse, "-s", "northerners", "--as-of", AS_OF)
    good = table_rows(warehouse)
    _failing_after_first(monkeypatch, factory)
    with warehouse.connect(write=True) as conn, pytest.raises(expected):
        take_snapshots(conn, compiled, ["pros", "young"], as_of=AS_OF)
    assert table_rows(warehouse) == good
    # and the next good run takes the next id
    monkeypatch.undo()
    snap(project, warehouse, "-s", "pros", "--as-of", AS_OF)
    assert sorted({r[0] for r in table_rows(warehouse)}) == [1, 2]


def test_a_segment_failing_on_the_warehouse_is_exit_1_and_writes_nothing(project, warehouse):
    # a relation the warehouse does not have: the second segment's INSERT fails
    toml = project / "segdsl.toml"
    toml.write_text(toml.read_text() + '\n[relations.visits]\ntable = "visits"\nkey = "customer_id"\n'
                    'time = "visited_at"\n[relations.visits.columns]\nvisited_at = "timestamp"\n')
    (project / "visits.seg").write_text("segment visitors where has visits\n")
    result = invoke("snapshot", project, "-s", "pros", "-s", "visitors", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 1, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "visits" in line
    assert not table_exists(warehouse)


def test_a_table_that_is_not_a_snapshot_table_is_exit_2(project, warehouse):
    with warehouse.connect(write=True) as conn:
        conn.execute('CREATE TABLE "lists" (snapshot_id BIGINT, segment TEXT)')
    (project / "segdsl.toml").write_text((project / "segdsl.toml").read_text() +
                                         '\n[project]\nsnapshots_table = "lists"\n')
    result = invoke("snapshot", project, "-s", "pros", *warehouse.args)
    assert result.exit_code == 2
    assert "the table lists exists but has no column as_of" in result.stderr


def test_custom_table_name(project, warehouse):
    (project / "segdsl.toml").write_text((project / "segdsl.toml").read_text() +
                                         '\n[project]\nsnapshots_table = "static_lists"\n')
    result = invoke("snapshot", project, "-s", "recent_buyers", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    assert "in static_lists" in result.stdout
    assert [r[3] for r in table_rows(warehouse, "static_lists")] == [1, 2, 7]
    with warehouse.connect() as conn:
        sql = load(project).compile("was_recent", warehouse.kind, AS_OF)
        assert [r[0] for r in conn.query(sql)] == [1, 2, 7]


def _history_rows(stdout: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("│")[1:-1]] for line in stdout.splitlines() if line.startswith("│")]


def test_history(project, warehouse):
    result = invoke("history", project, "-s", "recent_buyers", *warehouse.args)
    assert result.exit_code == 1
    assert "no snapshot table segdsl_snapshots yet" in result.stderr
    for as_of in ("2024-02-01", "2024-06-30", "2023-06-30"):
        snap(project, warehouse, "-s", "recent_buyers", "--as-of", as_of)
    snap(project, warehouse, "-s", "pros", "--as-of", AS_OF)  # another segment's snapshot, id 4

    result = invoke("history", project, "-s", "recent_buyers", "--sample", "2", *warehouse.args)
    assert result.exit_code == 0, result.output
    # {9} -> {1,2,7}: 3 entered, 1 left; -> nobody: 3 left
    assert [r[:2] + r[3:] for r in _history_rows(result.stdout)] == [
        ["1", "2024-02-01", "1", "", ""], ["2", "2024-06-30", "3", "+3", "−1"], ["3", "2023-06-30", "0", "0", "−3"]]
    assert ("from snapshot 2 (2024-06-30, 3 members) to 3 (2023-06-30, 0 members): 0 entered, 3 left"
            in result.stdout)
    assert "left, e.g.: 1, 2\n" in result.stdout

    result = invoke("history", project, "-s", "recent_buyers", "--from", "1", "--to", "2", *warehouse.args)
    assert "from snapshot 1 (2024-02-01, 1 members) to 2 (2024-06-30, 3 members): 3 entered, 1 left" in result.stdout
    assert "entered, e.g.: 1, 2, 7" in result.stdout and "left, e.g.: 9" in result.stdout
    # a date picks the latest snapshot taken for that date or before: 2024-03-01 -> #3 (2023-06-30)
    result = invoke("history", project, "-s", "recent_buyers", "--from", "2024-03-01", "--to", "2024-12-31",
                    *warehouse.args)
    assert "from snapshot 3 (2023-06-30, 0 members) to 3" in result.stdout


def test_history_size_and_moves_api(project, warehouse):
    from segdsl.analysis.snapshots import list_snapshots

    for as_of in ("2024-02-01", "2024-06-30"):
        snap(project, warehouse, "-s", "recent_buyers", "-s", "pros", "--as-of", as_of)
    with warehouse.connect() as conn:
        found = list_snapshots(conn, load(project), "recent_buyers")
    assert [(s.snapshot_id, s.as_of, s.size, s.entered, s.left) for s in found] == [
        (1, D(2024, 2, 1), 1, None, None), (3, D(2024, 6, 30), 3, 3, 1)]


@pytest.mark.parametrize("args, message", [
    (["--from", "7"], "snapshot 7 is not a snapshot of recent_buyers"),
    (["--to", "last week"], "`last week` is neither a snapshot id nor a date"),
    (["--to", "2020-01-01"], "recent_buyers has no snapshot for 2020-01-01 or earlier"),
])
def test_history_reference_errors(project, warehouse, args, message):
    snap(project, warehouse, "-s", "recent_buyers", "--as-of", AS_OF)
    result = invoke("history", project, "-s", "recent_buyers", *args, *warehouse.args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_history_of_a_segment_without_snapshots(project, warehouse):
    snap(project, warehouse, "-s", "pros", "--as-of", AS_OF)
    result = invoke("history", project, "-s", "young", *warehouse.args)
    assert result.exit_code == 1
    assert "no snapshots of young yet" in result.stderr
    result = invoke("history", project, "-s", "pros", *warehouse.args)
    assert result.exit_code == 0
    assert "one snapshot: take another" in result.stdout
