"""first/last on every engine, against members worked out by hand: ties at the earliest or
latest time (`last` takes the greatest value, `first` the smallest, a missing value losing the
tie), rows with a missing time (never picked), customers without rows, text, number,
boolean and timestamp values, filters and windows (several pick times in one query), first/last
next to other aggregates of the relation, in a ranking, and all of it in one batch query.
"""

from __future__ import annotations

import datetime as dt

import pytest

import segdsl

AS_OF = dt.date(2024, 6, 30)

TOML = """
[entity]
name = "person"
table = "people"
key = "id"

[entity.columns]
id = "integer"

[relations.visits]
table = "visits"
key = "person_id"
time = "visited_at"

[relations.visits.columns]
visited_at = "timestamp"
kind = "string"
amount = "number"
vip = "boolean"
"""

SCHEMA = {
    "entity": {"name": "person", "table": "people", "key": "id", "columns": {"id": "integer"}},
    "relations": {"visits": {"table": "visits", "key": "person_id", "time": "visited_at",
                             "columns": {"visited_at": "timestamp", "kind": "string",
                                         "amount": "number", "vip": "boolean"}}},
}


def _visit(person, at, kind, amount, vip):
    return {"person_id": person, "visited_at": at, "kind": kind, "amount": amount, "vip": vip}


def _t(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour)


TABLES = {
    "people": [{"id": i} for i in range(1, 7)],
    "visits": [
        # 1: the latest time is a tie (a 7 false / c 3 true); a row without a time is never picked
        _visit(1, _t("2024-06-01"), "b", 5, False),
        _visit(1, _t("2024-06-10"), "a", 7, False),
        _visit(1, _t("2024-06-10"), "c", 3, True),
        _visit(1, None, "z", 100, True),
        # 2: one time, two rows: the missing values lose the tie
        _visit(2, _t("2024-05-01", 8), None, None, None),
        _visit(2, _t("2024-05-01", 8), "x", 2, False),
        # 3: the only row has no values; 4: no rows; 5: only a row without a time
        _visit(3, _t("2024-04-01", 0), None, None, None),
        _visit(5, None, "y", 50, True),
        # 6: two rows at different times
        _visit(6, _t("2024-06-20", 12), "a", 1, True),
        _visit(6, _t("2024-06-25", 12), "b", 9, False),
    ],
}

SEGMENTS = """
segment last_c where last(visits.kind) = "c"
segment last_kind_set where last(visits.kind) is set
segment first_b where first(visits.kind) = "b"
segment first_kind_missing where first(visits.kind) is not set
segment last_amount_7 where last(visits.amount) >= 7
segment first_amount_small where first(visits.amount) < 3
segment last_vip where last(visits.vip)
segment first_vip_false where first(visits.vip) = false
segment not_last_vip where not last(visits.vip)
segment two_filters where last(visits.kind where amount < 5) = "c" or first(visits.kind where amount > 4) = "b"
segment windowed where last(visits.kind in last 7 days) = "b"
segment first_time_early where first(visits.visited_at) before 2024-05-15
segment busy_last_b where count(visits) >= 2 and last(visits.kind) = "b"
segment no_last_or_many where last(visits.kind) is not set or count(visits) >= 4
segment top_last_amount where top 1 by last(visits.amount)
"""

EXPECTED = {
    "last_c": [1],
    "last_kind_set": [1, 2, 6],
    "first_b": [1],
    "first_kind_missing": [3, 4, 5],
    "last_amount_7": [1, 6],
    "first_amount_small": [2, 6],
    "last_vip": [1],
    "first_vip_false": [1, 2],
    "not_last_vip": [2, 3, 4, 5, 6],
    "two_filters": [1, 6],
    "windowed": [6],
    "first_time_early": [2, 3],
    "busy_last_b": [6],
    "no_last_or_many": [1, 3, 4, 5],
    "top_last_amount": [6],
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("first_last")
    (folder / "segdsl.toml").write_text(TOML, encoding="utf-8")
    (folder / "segments.seg").write_text(SEGMENTS, encoding="utf-8")
    p = segdsl.load_project(folder)
    assert not [d for d in p.check() if d.is_error]
    return p


def test_every_segment_has_an_expectation(project):
    assert sorted(project.segment_names()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_members(engine, project, name):
    engine.load(SCHEMA, TABLES)
    assert engine.keys(project.compile(name, dialect=engine.dialect, as_of=AS_OF)) == EXPECTED[name]


def test_batch(engine, project):
    engine.load(SCHEMA, TABLES)
    names = project.segment_names()
    rows = engine.query(project.compile_batch(names, dialect=engine.dialect, as_of=AS_OF))
    got = {n: sorted(r[0] for r in rows if r[i] is True) for i, n in enumerate(names, start=1)}
    assert got == {n: EXPECTED[n] for n in names}
