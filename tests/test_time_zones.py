"""Time windows in a project time zone (America/New_York, UTC-4 in summer) on every engine,
and the warehouse clock when no --as-of is given.

Timestamps are stored in UTC; a window counts whole days of the project's zone. The
expected members are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

import pytest

from tests.projects import AS_OF, PROJECTS, load

NEW_YORK = next(p for p in PROJECTS if p.id == "new_york")
T = dt.datetime

CUSTOMERS = [
    {"customer_id": 1, "signup_date": dt.date(2024, 6, 1)},
    {"customer_id": 2, "signup_date": dt.date(2024, 5, 31)},
    {"customer_id": 3, "signup_date": dt.date(2024, 6, 30)},
    {"customer_id": 4, "signup_date": dt.date(2024, 7, 1)},
    {"customer_id": 5},
    {"customer_id": 6},
    {"customer_id": 7},
]
ORDERS = [
    # 2024-06-24 03:59:59 UTC is 2024-06-23 23:59:59 in New York
    {"order_id": 1, "customer_id": 1, "ordered_at": T(2024, 6, 24, 3, 59, 59), "amount": 10.0},
    # 2024-06-24 04:00 UTC is midnight of 2024-06-24 in New York
    {"order_id": 2, "customer_id": 2, "ordered_at": T(2024, 6, 24, 4, 0, 0), "amount": 10.0},
    # still 2024-06-30 in New York (23:59:59)
    {"order_id": 3, "customer_id": 3, "ordered_at": T(2024, 7, 1, 3, 59, 59), "amount": 10.0},
    # already 2024-07-01 in New York
    {"order_id": 4, "customer_id": 4, "ordered_at": T(2024, 7, 1, 4, 0, 0), "amount": 10.0},
    # 2024-05-30 23:00 in New York / midnight of 2024-05-31 in New York
    {"order_id": 6, "customer_id": 6, "ordered_at": T(2024, 5, 31, 3, 0, 0), "amount": 10.0},
    {"order_id": 7, "customer_id": 7, "ordered_at": T(2024, 5, 31, 4, 0, 0), "amount": 10.0},
]
TABLES = {"customers": CUSTOMERS, "orders": ORDERS, "events": []}

EXPECTED = {
    # last 7 days of 2024-06-30: New York dates 06-24 .. 06-30
    "ny_recent_orders": [2, 3],
    # before 30 days ago: New York date < 2024-05-31
    "ny_last_order": [6],
    # dates are not shifted: 2024-05-31 < signup <= 2024-06-30
    "ny_signup_window": [1, 3],
    # today - New York date of the last order seen (before now, 07-01 00:00 in New York) < 10: 06-23 (7),
    # 06-24 (6), 06-30 (0); c4's order (07-01 00:00 in New York) is after now
    "ny_days_since": [1, 2, 3],
}
# Without --as-of, now is the warehouse's current instant: the fixture moved to today has c3's
# order at 23:59:59 today in New York, after now (the test skips the minute before midnight).
EXPECTED_WITHOUT_AS_OF = {**EXPECTED, "ny_recent_orders": [2], "ny_days_since": [1, 2]}


def test_expectations_cover_the_project():
    assert sorted(load(NEW_YORK).segment_names()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_windows_count_days_of_the_project_time_zone(engine, name):
    engine.load(NEW_YORK.schema(), TABLES)
    sql = load(NEW_YORK).compile(name, dialect=engine.dialect, as_of=AS_OF)
    assert engine.keys(sql) == EXPECTED[name]


def _moved(tables: dict, days: int) -> dict:
    """The fixture moved `days` days later in New York wall-clock time, so that each row
    keeps its place relative to local midnight whatever the daylight-saving offset."""
    utc, ny = dt.timezone.utc, zoneinfo.ZoneInfo("America/New_York")

    def move(v):
        if isinstance(v, dt.datetime):
            local = v.replace(tzinfo=utc).astimezone(ny)
            wall = local.replace(tzinfo=None) + dt.timedelta(days=days)
            return wall.replace(tzinfo=ny).astimezone(utc).replace(tzinfo=None)
        if isinstance(v, dt.date):
            return v + dt.timedelta(days=days)
        return v

    return {t: [{k: move(v) for k, v in row.items()} for row in rows] for t, rows in tables.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_without_as_of_the_warehouse_date_in_the_project_zone_is_used(engine, name):
    # The fixture moved to today (in New York) must give the hand-computed members when the
    # segment is compiled without --as-of. In the last minute before midnight there, "today"
    # could change between moving the data and running the query: wait for the new day.
    now = dt.datetime.now(zoneinfo.ZoneInfo("America/New_York"))
    if (now + dt.timedelta(minutes=1)).date() != now.date():
        time.sleep(61 - now.second)
        now = dt.datetime.now(zoneinfo.ZoneInfo("America/New_York"))
    engine.load(NEW_YORK.schema(), _moved(TABLES, (now.date() - AS_OF).days))
    sql = load(NEW_YORK).compile(name, dialect=engine.dialect)
    assert engine.keys(sql) == EXPECTED_WITHOUT_AS_OF[name]
