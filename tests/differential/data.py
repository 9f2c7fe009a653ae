"""Random fixture data for the acme schema (examples/segdsl.toml), small enough for ZetaSQL.

The data is built to sit on the edges the compiler must get right: missing values everywhere,
missing vs empty lists, customers without rows, rows whose key is no customer, duplicate
values (ranking and first/last ties), strings with quotes, backslashes, LIKE wildcards and
non-ASCII letters, and timestamps at local midnight +- 1 s around window edges of `as_of`
in the project time zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import strategies as st

ENUMS = {
    "gender": ["female", "male", "nonbinary", "undisclosed"],
    "region": ["West Coast", "East Coast", "Midwest", "South", "Mountain"],
    "plan": ["free", "basic", "pro", "enterprise"],
    "devices": ["mobile", "desktop", "tablet", "tv"],
    "status": ["paid", "refunded", "cancelled"],
    "channel": ["web", "mobile_app", "store", "phone"],
    "name": ["session_start", "email_open", "email_click", "demo_requested", "webinar_attended",
             "workshop_registered", "unsubscribed", "order_completed"],
}
# UTC; New York (DST: as-of dates on both switch days, 2024-03-10 and 2024-11-03); Kolkata
# (+05:30, half-hour offset); Kiritimati (+14:00: the local date is mostly the next UTC day).
TIMEZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"]
AS_OF_DATES = [dt.date(2024, 6, 30), dt.date(2024, 3, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 10),
               dt.date(2024, 11, 3), dt.date(2025, 3, 1), dt.date(2024, 12, 29)]

# Day offsets from as_of that sit on or next to a window edge the programs use
# (1 day, 1/2 weeks, 30/31 days, 1/3/4 months, 90 days, 1 year / 365 days).
EDGE_OFFSETS = [0, -1, 1, -6, -7, -8, -13, -14, -15, -29, -30, -31, -32, -59, -89, -90, -91, -92,
                -120, -121, -122, -179, -180, -181, -364, -365, -366, -367, 6, 7, 13, 14, 29, 30, 31]

# 28 February, 29 February and 1 March of leap and other years (a 29 February anniversary
# falls on 1 March in years that are not leap years)
LEAP_EDGES = [(y, md) for y in (2020, 2023, 2024) for md in ((2, 28), (3, 1), (2, 29)) if y % 4 == 0 or md != (2, 29)]

# Characters that break naive SQL generation: quotes, backslash, LIKE wildcards, non-ASCII
# letters with simple one-to-one case mappings (so Python's lower() is the SQL LOWER()), emoji.
TRICKY = ["a", "b", "A", "B", "x", "é", "É", "ü", "Ü", "ж", "Ж", "😀", " ", "%", "_", "\\", '"', "'", "\n"]
WORDS = ["San Jose", "boston", "BOSTON", "Zürich", "100%_off", "O'Brien", 'New "Haven"', "back\\slash",
         "trailing\\", "a_b", "a%b", ""]

# Numbers that are exact in binary floating point: sums are then the same in every order,
# so a disagreement is a real bug and not rounding noise.
AMOUNTS = [0.0, 0.25, 0.5, 1.0, 2.5, 10.0, 19.75, 20.0, 50.0, 99.5, 99.75, 100.0, 100.25, 500.0, 1000.0, -5.5]
INCOMES = [0.0, 49999.75, 50000.0, 50000.5, 75000.0, 100000.0, 100000.5, -1.25]
AGES = [0, 17, 18, 25, 34, 35, 40, 45, 99]


def text_pool():
    """A few strings per example, shared by the data and the program's literals, so that
    equality and contains tests actually match something."""
    tricky = st.lists(st.sampled_from(TRICKY), min_size=1, max_size=5).map("".join)
    return st.lists(st.one_of(st.sampled_from(WORDS), tricky), min_size=2, max_size=5)


def _mostly_large(top: int, low: int):
    """0..top, two times in three at least `low`: hypothesis favours small sizes, and tiny
    tables rarely show a bug; the first branch still lets failures shrink to tiny ones."""
    return st.one_of(st.integers(0, top), st.integers(low, top), st.integers(low, top))


def _maybe(strategy, p_missing=0.2):
    """Missing one time in five (the first branch, so failures shrink to missing values)."""
    return st.one_of(st.just(None), strategy, strategy, strategy, strategy) if p_missing else strategy


@st.composite
def day(draw, as_of: dt.date):
    how = draw(st.integers(0, 9))
    if how == 9:
        if draw(st.booleans()):  # 29 February and its neighbours: anniversaries, years_since
            year, month_day = draw(st.sampled_from(LEAP_EDGES))
            return dt.date(year, *month_day)
        return as_of + dt.timedelta(days=draw(st.integers(-800, 400)))
    if how >= 6:  # next to a month/year edge: today -+ N months (clamped), -+ 1 day
        from tests.reference.evaluator import add_months

        months = draw(st.sampled_from([-1, -3, -4, -12, 1, 8, 12]))
        return add_months(as_of, months) + dt.timedelta(days=draw(st.sampled_from([0, -1, 1])))
    return as_of + dt.timedelta(days=draw(st.sampled_from(EDGE_OFFSETS)))


def day_pool(as_of: dt.date):
    """A few days per example, shared by the data and the program's date literals."""
    return st.lists(day(as_of), min_size=2, max_size=6)


@st.composite
def timestamp(draw, days: list, zone: str):
    """A naive UTC timestamp whose local wall clock in `zone` is at a day edge (00:00:00,
    23:59:59) or in the middle of the day."""
    d = draw(st.sampled_from(days))
    wall = draw(st.sampled_from([dt.time(0, 0, 0), dt.time(23, 59, 59), dt.time(12, 0), dt.time(0, 0, 1)]))
    local = dt.datetime.combine(d, wall, tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


@st.composite
def tables(draw, days: list, zone: str, pool: list[str]):
    n = draw(_mostly_large(15, 8))
    keys = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n, unique=True))
    # Strategies are built once per example, not once per row: hypothesis validates every new
    # strategy object, which cost more than the drawing itself (the same values are drawn).
    text = _maybe(st.sampled_from(pool))

    def enum(name, p_other=True):
        values = list(ENUMS[name])
        return _maybe(st.sampled_from(values + (["West coast"] if name == "region" and p_other else [])))

    def string_list(choices):
        return st.one_of(st.none(), st.just([]), st.lists(st.sampled_from(choices), max_size=4))

    fields = {
        "email": text, "phone": text, "age": _maybe(st.sampled_from(AGES)), "gender": enum("gender"),
        "income": _maybe(st.sampled_from(INCOMES)), "region": enum("region"), "country": text,
        "state": _maybe(st.sampled_from(["CA", "NY", "ma"])), "city": text, "plan": enum("plan"),
        "is_subscribed": _maybe(st.booleans()), "signup_date": _maybe(st.sampled_from(days)),
        "renewal_date": _maybe(st.sampled_from(days)),
        "interests": string_list(pool + ["hiking", "Hiking", "camping"]),
        "devices": string_list(ENUMS["devices"]), "apps": string_list(["ios_app", "android_app", "web_app"]),
    }
    customers = [{"customer_id": k, **{name: draw(strategy) for name, strategy in fields.items()}}
                 for k in keys]
    # A few timestamps per example, reused, so that first/last meet ties.
    stamps = draw(st.lists(timestamp(days, zone), min_size=1, max_size=8))
    when = _maybe(st.sampled_from(stamps))
    # Keys of rows: mostly the first few customers (so that first/last, counts and windows
    # see several rows each), sometimes anybody, rarely a key that no customer has.
    anybody = st.sampled_from(keys) if keys else st.just(99)
    regular = st.sampled_from(keys[:3]) if keys else st.just(99)
    owner = st.one_of(anybody, regular, regular, st.just(99))

    amount, status, channel = _maybe(st.sampled_from(AMOUNTS)), enum("status"), enum("channel")
    orders = []
    for i in range(draw(_mostly_large(30, 10) if keys else st.integers(0, 3))):
        orders.append({
            "order_id": draw(st.sampled_from([i + 1, 1, 7])),  # duplicates on purpose
            "customer_id": draw(owner),
            "ordered_at": draw(when),
            "amount": draw(amount),
            "status": draw(status),
            "channel": draw(channel),
        })
    event_name, event_city = _maybe(st.sampled_from(ENUMS["name"])), text
    events = []
    for _ in range(draw(_mostly_large(30, 10) if keys else st.integers(0, 3))):
        events.append({
            "customer_id": draw(owner),
            "occurred_at": draw(when),
            "name": draw(event_name),
            "city": draw(event_city),
        })
    return {"customers": customers, "orders": orders, "events": events,
            "segdsl_snapshots": draw(snapshots(days, keys))}


SNAPSHOT_NAMES = ["s0", "s1", "other"]


@st.composite
def snapshots(draw, days: list, keys: list):
    """Stored snapshots (`in snapshot S [at D]`): ids not in as-of order (the largest id wins,
    not the latest date), an empty snapshot as one row with a missing member_key, and
    sometimes a member that is no customer."""
    rows = []
    ids = draw(st.permutations(list(range(1, draw(st.integers(0, 4)) + 1))))
    for sid in ids:
        segment, as_of = draw(st.sampled_from(SNAPSHOT_NAMES)), draw(st.sampled_from(days))
        members = draw(st.lists(st.sampled_from(keys + [99]) if keys else st.just(99), max_size=6, unique=True))
        for key in members or [None]:
            rows.append({"snapshot_id": sid, "segment": segment, "as_of": as_of,
                         "taken_at": dt.datetime(2024, 7, 2, sid), "member_key": key})
    return rows
