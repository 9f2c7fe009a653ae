"""`Project.materialize`: the membership tables across three runs with changing data, worked
out by hand, on DuckDB and Postgres; idempotence; a failure mid-run leaves the previous state.

Customers and orders: tests/analysis/fixture.py. The project here:

    pros          plan = "pro"                                   (title, owner, tags)
    big_spenders  lifetime_value >= 500
    family tiers  gold: lifetime_value >= 600, silver: >= 100, else bronze

Run 1, as of 2024-06-30 (events at 2024-07-01 00:00 UTC), the fixture's data:
    pros {1, 2, 4, 7, 10}   big_spenders {1, 4, 7, 10}   (values 900, 650, 1200, 510)
    tiers gold {1, 4, 7}  silver {2 (120), 9 (300), 10 (510)}
          bronze {3 (missing), 5 (80), 6 (30), 8 (0), 11 (45), 12 (missing)}
Before run 2 (as of 2024-07-01, at 2024-07-02): 2 moves to plan free; 6 to plan pro with value
700; 10's value drops to 400.
    pros {1, 4, 6, 7, 10}: exit 2, enter 6     big_spenders {1, 4, 6, 7}: enter 6, exit 10
    tiers: 6 exits bronze and enters gold (10 at 400 stays silver)
Before run 3 (as of 2024-07-05, at 2024-07-06): big_spenders is deleted from the project; 2
goes back to pro; 12's value becomes 100.
    pros {1, 2, 4, 6, 7, 10}: enter 2 (since the third run)
    big_spenders: exit 1, 4, 6, 7 (a deleted segment exits all its members)
    tiers: 12 exits bronze and enters silver
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analysis.fixture import load, project_dir, warehouse  # noqa: F401

D = dt.date
T1, T2, T3 = dt.datetime(2024, 7, 1), dt.datetime(2024, 7, 2), dt.datetime(2024, 7, 6)

SEGMENTS = """segment pros "Pro plan" {
  description: "Customers on the pro plan"
  owner: "crm@example.com"
  tags: [plan]
  where plan = "pro"
}
segment big_spenders where lifetime_value >= 500
family tiers "Value tiers" {
  gold where lifetime_value >= 600
  silver where lifetime_value >= 100
  else bronze
}
"""
WITHOUT_BIG_SPENDERS = SEGMENTS.replace("segment big_spenders where lifetime_value >= 500\n", "")


@pytest.fixture
def project(project_dir):
    (project_dir / "segments.seg").write_text(SEGMENTS)
    return project_dir


def where(warehouse) -> str:
    return str(warehouse.db) if warehouse.db is not None else str(warehouse.url)


def change(warehouse, *statements: str) -> None:
    with warehouse.connect(write=True) as conn:
        for sql in statements:
            conn.execute(sql)


def memberships(warehouse, schema: str | None = None) -> set[tuple]:
    table = f'"{schema}".segdsl_memberships' if schema else "segdsl_memberships"
    with warehouse.connect() as conn:
        return set(conn.query(f"SELECT segment_id, customer_id, member, since FROM {table}"))


def events(warehouse) -> list[tuple]:
    with warehouse.connect() as conn:
        return conn.query('SELECT segment_id, customer_id, member, event, "at" FROM segdsl_membership_events '
                          'ORDER BY "at", segment_id, customer_id, event DESC')


def segment_rows(warehouse) -> list[tuple]:
    with warehouse.connect() as conn:
        return conn.query("SELECT segment_id, name, title, description, owner, tags, kind, materialized_at "
                          "FROM segdsl_segments ORDER BY segment_id")


def run(project_path, warehouse, as_of, **kw):
    return load(project_path).materialize(where(warehouse), as_of=as_of, **kw)


def counts(result) -> dict[str, tuple[int, int, int]]:
    return {c.segment_id: (c.members, c.entered, c.exited) for c in result.segments}



def rows_for(segment_id: str, member: str | None, keys, since) -> set[tuple]:
    return {(segment_id, k, member, since) for k in keys}


RUN1 = (rows_for("pros", None, (1, 2, 4, 7, 10), T1) | rows_for("big_spenders", None, (1, 4, 7, 10), T1)
        | rows_for("tiers", "gold", (1, 4, 7), T1) | rows_for("tiers", "silver", (2, 9, 10), T1)
        | rows_for("tiers", "bronze", (3, 5, 6, 8, 11, 12), T1))


def test_three_runs_with_changing_data(project, warehouse):
    first = run(project, warehouse, D(2024, 6, 30))
    assert counts(first) == {"pros": (5, 5, 0), "big_spenders": (4, 4, 0), "tiers": (12, 12, 0)}
    assert first.at == T1
    assert memberships(warehouse) == RUN1
    assert events(warehouse) == sorted([(s, k, m, "enter", T1) for s, k, m, _ in RUN1],
                                       key=lambda e: (e[0], e[1]))
    assert segment_rows(warehouse) == [
        ("big_spenders", "big_spenders", None, None, None, "[]", "segment", T1),
        ("pros", "pros", "Pro plan", "Customers on the pro plan", "crm@example.com", '["plan"]', "segment", T1),
        ("tiers", "tiers", "Value tiers", None, None, "[]", "family", T1)]
    before = events(warehouse)

    change(warehouse, "UPDATE customers SET plan = 'free' WHERE customer_id = 2",
           "UPDATE customers SET plan = 'pro', lifetime_value = 700 WHERE customer_id = 6",
           "UPDATE customers SET lifetime_value = 400 WHERE customer_id = 10")
    second = run(project, warehouse, D(2024, 7, 1))
    assert counts(second) == {"pros": (5, 1, 1), "big_spenders": (4, 1, 1), "tiers": (12, 1, 1)}
    run2 = (RUN1 - {("pros", 2, None, T1), ("big_spenders", 10, None, T1), ("tiers", 6, "bronze", T1)}) \
        | {("pros", 6, None, T2), ("big_spenders", 6, None, T2), ("tiers", 6, "gold", T2)}
    assert memberships(warehouse) == run2
    assert events(warehouse) == before + [
        ("big_spenders", 6, None, "enter", T2), ("big_spenders", 10, None, "exit", T2),
        ("pros", 2, None, "exit", T2), ("pros", 6, None, "enter", T2),
        ("tiers", 6, "bronze", "exit", T2), ("tiers", 6, "gold", "enter", T2)]
    before = events(warehouse)

    (project / "segments.seg").write_text(WITHOUT_BIG_SPENDERS)
    change(warehouse, "UPDATE customers SET plan = 'pro' WHERE customer_id = 2",
           "UPDATE customers SET lifetime_value = 100 WHERE customer_id = 12")
    third = run(project, warehouse, D(2024, 7, 5))
    assert counts(third) == {"pros": (6, 1, 0), "tiers": (12, 1, 1), "big_spenders": (0, 0, 4)}
    assert [c.segment_id for c in third.segments if c.removed] == ["big_spenders"]
    run3 = {r for r in run2 if r[0] != "big_spenders" and r[:3] != ("tiers", 12, "bronze")} \
        | {("pros", 2, None, T3), ("tiers", 12, "silver", T3)}
    assert memberships(warehouse) == run3
    assert events(warehouse) == before + [
        ("big_spenders", k, None, "exit", T3) for k in (1, 4, 6, 7)] + [
        ("pros", 2, None, "enter", T3), ("tiers", 12, "bronze", "exit", T3), ("tiers", 12, "silver", "enter", T3)]
    assert [r[0] for r in segment_rows(warehouse)] == ["pros", "tiers"]
    assert {r[7] for r in segment_rows(warehouse)} == {T3}


def test_running_again_for_the_same_reference_changes_nothing(project, warehouse):
    run(project, warehouse, D(2024, 6, 30))
    state = (memberships(warehouse), events(warehouse), segment_rows(warehouse))
    again = run(project, warehouse, D(2024, 6, 30))
    assert counts(again) == {"pros": (5, 0, 0), "big_spenders": (4, 0, 0), "tiers": (12, 0, 0)}
    assert (memberships(warehouse), events(warehouse), segment_rows(warehouse)) == state


def test_a_reference_before_the_last_run_is_refused(project, warehouse):
    from segdsl.activation.membership import MaterializeError

    run(project, warehouse, D(2024, 6, 30))
    state = (memberships(warehouse), events(warehouse))
    with pytest.raises(MaterializeError, match="before the last run"):
        run(project, warehouse, D(2024, 6, 29))
    assert (memberships(warehouse), events(warehouse)) == state


def test_a_failure_mid_run_leaves_the_previous_state(project, warehouse, monkeypatch):
    from segdsl.activation import membership

    run(project, warehouse, D(2024, 6, 30))
    state = (memberships(warehouse), events(warehouse), segment_rows(warehouse))
    change(warehouse, "UPDATE customers SET plan = 'free' WHERE customer_id = 2")

    def broken(self, chosen, removed):  # after the events and memberships were written
        raise RuntimeError("the warehouse went away")

    monkeypatch.setattr(membership.Writer, "describe", broken)
    with pytest.raises(RuntimeError, match="went away"):
        run(project, warehouse, D(2024, 7, 1))
    assert (memberships(warehouse), events(warehouse), segment_rows(warehouse)) == state
    monkeypatch.undo()
    assert counts(run(project, warehouse, D(2024, 7, 1)))["pros"] == (4, 0, 1)  # the run that failed, redone


def test_selected_segments_leave_the_others_alone(project, warehouse):
    run(project, warehouse, D(2024, 6, 30), segments=["pros"])
    assert memberships(warehouse) == rows_for("pros", None, (1, 2, 4, 7, 10), T1)
    # a member `family.member` stands for its family; no other segment is touched or removed
    result = run(project, warehouse, D(2024, 7, 1), segments=["tiers.gold"])
    assert counts(result) == {"tiers": (12, 12, 0)}
    assert {r[0] for r in memberships(warehouse)} == {"pros", "tiers"}
    # an earlier reference is refused only against the segments it writes
    assert counts(run(project, warehouse, D(2024, 6, 30), segments=["big_spenders"])) == {"big_spenders": (4, 4, 0)}


def test_tables_in_a_schema(project, warehouse):
    run(project, warehouse, D(2024, 6, 30), schema="crm")
    assert memberships(warehouse, "crm") == RUN1
    with warehouse.connect() as conn:
        found = conn.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'segdsl_memberships' "
                           "AND table_schema = 'crm'")
    assert found == [(1,)]


def test_a_split_is_one_segment_id_with_a_member_per_group(project_dir, warehouse):
    """Each customer of the population in exactly one group, by the md5 rule in plain Python
    (tests/reference/splits.py); a holdout is a segment of its own."""
    from tests.reference.splits import split_bucket

    (project_dir / "segments.seg").write_text(
        'split trial salt "t1" where plan = "pro" {\n  a 50%\n  b 50%\n}\nholdout hold 20%\n')
    result = run(project_dir, warehouse, D(2024, 6, 30), segments=["trial.b", "hold"])
    pros = (1, 2, 4, 7, 10)
    groups = {k: "a" if split_bucket("trial", "t1", k) < 5000 else "b" for k in pros}
    held = {k for k in range(1, 13) if split_bucket("hold", "hold", k) < 2000}
    assert counts(result) == {"trial": (5, 5, 0), "hold": (len(held), len(held), 0)}
    assert memberships(warehouse) == ({("trial", k, g, T1) for k, g in groups.items()}
                                      | rows_for("hold", None, held, T1))
    assert [r[0] for r in segment_rows(warehouse) if r[6] == "split"] == ["trial"]
