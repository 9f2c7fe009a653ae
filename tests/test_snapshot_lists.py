"""`in snapshot S [at D]`: membership in the latest stored snapshot of S taken for a date on
or before D (default: today). Expected members are written by hand."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.projects import AS_OF, ROOT, with_snapshot_table

D = dt.date
SNAPSHOTS = [  # (snapshot_id, segment, as_of, members)
    (1, "vip", D(2024, 5, 1), [1, 2]),
    (2, "vip", D(2024, 6, 1), [2, 3]),
    (3, "other", D(2024, 6, 15), [4]),
    (4, "vip", D(2024, 7, 1), [5]),  # taken for a date after AS_OF
]
TABLES = {
    "customers": [{"customer_id": i} for i in range(1, 7)],
    "segdsl_snapshots": [
        {"snapshot_id": sid, "segment": seg, "as_of": as_of, "taken_at": dt.datetime(2024, 7, 2),
         "member_key": key}
        for sid, seg, as_of, keys in SNAPSHOTS for key in keys
    ],
}
SEGMENTS = {
    # latest vip snapshot for a date <= 2024-06-30 is #2
    "latest": ("in snapshot vip", [2, 3]),
    # latest for a date <= 2024-05-15 is #1
    "at_date": ("in snapshot vip at 2024-05-15", [1, 2]),
    # no vip snapshot for a date <= 2024-04-01: nobody
    "before_any": ("in snapshot vip at 2024-04-01", []),
    # the complement of #2
    "negated": ("not in snapshot vip", [1, 4, 5, 6]),
    # 2024-06-30 - 20 days = 2024-06-10: #2 again; the other segment's snapshot never mixes in
    "relative": ("in snapshot vip at 20 days ago and not in snapshot other at 2024-07-31", [2, 3]),
    "vip": ("in snapshot vip at 2024-07-01", [5]),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import segdsl

    folder = tmp_path_factory.mktemp("snapshots")
    shutil.copy(ROOT / "examples" / "segdsl.toml", folder / "segdsl.toml")
    (folder / "lists.seg").write_text("\n".join(f"segment {n} where {c}" for n, (c, _) in SEGMENTS.items()))
    return segdsl.load_project(folder)


def test_snapshot_segments_check_cleanly(project):
    assert [d for d in project.check() if d.is_error] == []


@pytest.mark.parametrize("name", sorted(SEGMENTS))
def test_snapshot_membership(engine, project, name):
    import tomllib

    schema = with_snapshot_table(tomllib.loads((project.root / "segdsl.toml").read_text()))
    engine.load(schema, TABLES)
    assert engine.keys(project.compile(name, dialect=engine.dialect, as_of=AS_OF)) == SEGMENTS[name][1]


def test_unknown_snapshot_name_is_a_warning_not_an_error(tmp_path):
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text("segment a where age > 1\nsegment b where in snapshot retired_list\n")
    diags = segdsl.load_project(tmp_path).check()
    assert [(d.code, d.severity) for d in diags] == [("SEG0212", "warning")]


def test_snapshot_date_must_be_a_constant_date(tmp_path):
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text("segment a where age > 1\nsegment b where in snapshot a at signup_date\n")
    assert [d.code for d in segdsl.load_project(tmp_path).check()] == ["SEG0301"]
