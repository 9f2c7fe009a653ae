"""Local-day boundaries compiled as raw timestamp ranges, at DST changes, on every engine.

A comparison of the local date of a timestamp with a date fixed for the query compiles to a
comparison of the timestamp with the instant that day starts in the project time zone
(segdsl.sql.values.day_start). This runs it where that is delicate: a gap at midnight
(Santiago), a midnight that turns back into the previous day (Beirut), 30-minute shifts
(Lord Howe), New York's ordinary changes, and St. John's in 2010, where the local date
went backwards (the compiler must fall back to a per-row conversion there). One customer
per instant, instants every hour over four days plus one second either side of each
boundary; the members must be exactly those whose local date (Python's zoneinfo) fits.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

import segdsl
from segdsl.as_of import AsOf
from segdsl.sql.values import day_start

CASES = [
    ("America/Santiago", dt.date(2024, 9, 8)),
    ("America/Santiago", dt.date(2024, 4, 7)),
    ("Asia/Beirut", dt.date(2024, 10, 27)),
    ("Australia/Lord_Howe", dt.date(2024, 4, 7)),
    ("America/New_York", dt.date(2024, 3, 10)),
    ("America/New_York", dt.date(2024, 11, 3)),
    ("America/St_Johns", dt.date(2010, 11, 7)),
]

SEGMENTS = {
    "on_day": ("has orders where ordered_at on {d}", lambda ld, d: ld == d),
    "after_day": ("has orders where ordered_at after {d}", lambda ld, d: ld > d),
    "before_day": ("has orders where ordered_at before {d}", lambda ld, d: ld < d),
    "last_two": ("has orders in last 2 days", lambda ld, d: d <= ld <= d + dt.timedelta(days=1)),
    "max_after": ("max(orders.ordered_at) after {d}", lambda ld, d: ld > d),
    "min_before": ("min(orders.ordered_at) before {d}", lambda ld, d: ld < d),
    "max_on": ("max(orders.ordered_at) on {d}", lambda ld, d: ld == d),
    "not_on_day": ("not (has orders where ordered_at on {d})", lambda ld, d: ld != d),
}

SCHEMA = """
[project]
timezone = "{tz}"

[entity]
name = "customer"
table = "customers"
key = "customer_id"

[entity.columns]
customer_id = "integer"

[relations.orders]
table = "orders"
key = "customer_id"
time = "ordered_at"

[relations.orders.columns]
order_id = "integer"
ordered_at = "timestamp"
"""


def _instants(tz: str, day: dt.date) -> list[dt.datetime]:
    start = dt.datetime(day.year, day.month, day.day) - dt.timedelta(hours=36)
    out = {start + dt.timedelta(hours=h) for h in range(96)}
    for d in (day, day + dt.timedelta(days=1)):
        edge = day_start(tz, d) or dt.datetime(d.year, d.month, d.day)
        out |= {edge - dt.timedelta(seconds=1), edge, edge + dt.timedelta(seconds=1)}
    return sorted(out)


def _project(tmp_path, tz: str, day: dt.date):
    folder = tmp_path / tz.replace("/", "_") / day.isoformat()
    folder.mkdir(parents=True)
    (folder / "segdsl.toml").write_text(SCHEMA.format(tz=tz), encoding="utf-8")
    text = "\n".join(f"segment {name} where {cond.format(d=day)}" for name, (cond, _) in SEGMENTS.items())
    (folder / "edges.seg").write_text(text + "\n", encoding="utf-8")
    project = segdsl.load_project(folder)
    assert not [d for d in project.check() if d.is_error]
    return project


@pytest.mark.parametrize(("tz", "day"), CASES, ids=[f"{tz}-{day}" for tz, day in CASES])
def test_local_day_boundaries(engine, tmp_path, tz, day):
    import tomllib

    project = _project(tmp_path, tz, day)
    instants = _instants(tz, day)
    zone = zoneinfo.ZoneInfo(tz)
    local = [t.replace(tzinfo=dt.timezone.utc).astimezone(zone).date() for t in instants]
    ids = list(range(1, len(instants) + 1))
    tables = {"customers": [{"customer_id": i} for i in ids],
              "orders": [{"order_id": i, "customer_id": i, "ordered_at": t} for i, t in zip(ids, instants)]}
    engine.load(tomllib.loads(SCHEMA.format(tz=tz)), tables)
    as_of = day + dt.timedelta(days=1)
    # rows at or after now (the start of the day after as-of) are not seen by any of these
    # segments (none has a window that reaches past now); `not_on_day` negates a `has`
    now = AsOf(as_of).now(tz)
    seen = [t < now for t in instants]
    wrong = {}
    for name, (_, fits) in SEGMENTS.items():
        got = engine.keys(project.compile(name, dialect=engine.dialect, as_of=as_of))
        if name == "not_on_day":
            expected = [i for i, ld, s in zip(ids, local, seen) if fits(ld, day) or not s]
        else:
            expected = [i for i, ld, s in zip(ids, local, seen) if fits(ld, day) and s]
        if got != expected:
            wrong[name] = {"missing": [str(instants[i - 1]) for i in sorted(set(expected) - set(got))],
                           "unexpected": [str(instants[i - 1]) for i in sorted(set(got) - set(expected))]}
    assert not wrong


def test_st_johns_2010_needs_a_per_row_conversion(tmp_path):
    project = _project(tmp_path, "America/St_Johns", dt.date(2010, 11, 7))
    sql = project.compile("on_day", dialect="duckdb", as_of=dt.date(2010, 11, 8))
    assert "AT TIME ZONE 'America/St_Johns'" in sql
    project = _project(tmp_path, "America/Santiago", dt.date(2024, 9, 8))
    sql = project.compile("on_day", dialect="duckdb", as_of=dt.date(2024, 9, 9))
    assert "AT TIME ZONE" not in sql and "2024-09-08 04:00:00" in sql
