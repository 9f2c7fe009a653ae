"""A deterministic acme warehouse at scale, generated inside DuckDB (no Python loop per row).

Full size (scale 1): 1,000,000 customers, 10,000,000 orders, 20,000,000 events; `scale`
multiplies all three. Every random draw is `u(row, salt)`, a hash of the row number, a salt
and the seed mapped to [0, 1), so equal seeds give equal tables whatever the thread count.

Shape, chosen so that every segment of bench/project selects a non-trivial share:
- 20% of the customers (ids divisible by 5) never order, 10% (ids divisible by 10) have no
  events; the others get a long-tailed number of rows (low ids buy more).
- orders span 2021-07-01 .. 2024-06-30 and events 2022-07-01 .. 2024-06-30, denser towards
  the end, and are stored in time order like an append-only log (plus 0.1% of orders dated
  a few days after the as-of date, 0.2% with a missing time, a few missing amounts/statuses).
- enumerations hold exactly the values of the acme schema; amounts are multiples of 0.25,
  so that sums (and rankings by them) are exact and do not depend on the thread count.
"""

from __future__ import annotations

import datetime as dt
import time

import duckdb

AS_OF = dt.date(2024, 6, 30)
GENERATOR_VERSION = 3
FULL = {"customers": 1_000_000, "orders": 10_000_000, "events": 20_000_000}

CITIES = [  # (city, region); a few names exercise contains "san" / starts with "New"
    ("Los Angeles", "West Coast"), ("San Francisco", "West Coast"), ("San Diego", "West Coast"),
    ("San Jose", "West Coast"), ("Seattle", "West Coast"), ("Portland", "West Coast"),
    ("New York", "East Coast"), ("Boston", "East Coast"), ("Cambridge", "East Coast"),
    ("Philadelphia", "East Coast"), ("Newark", "East Coast"), ("Washington", "East Coast"),
    ("Chicago", "Midwest"), ("Detroit", "Midwest"), ("Minneapolis", "Midwest"),
    ("Columbus", "Midwest"), ("Houston", "South"), ("Dallas", "South"), ("Austin", "South"),
    ("San Antonio", "South"), ("Atlanta", "South"), ("Miami", "South"), ("New Orleans", "South"),
    ("Pleasanton", "West Coast"), ("Denver", "Mountain"), ("Phoenix", "Mountain"),
    ("Salt Lake City", "Mountain"), ("Boise", "Mountain"),
]
DOMAINS = [("gmail.com", 38), ("yahoo.com", 12), ("outlook.com", 10), ("icloud.com", 9),
           ("GMail.com", 1), ("acme-corp.example", 5), ("proton.me", 3)]
GENDERS = [("female", 49), ("male", 45), ("nonbinary", 2), ("undisclosed", 4)]
PLANS = [("free", 55), ("basic", 25), ("pro", 15), ("enterprise", 5)]
STATUSES = [("paid", 90.5), ("refunded", 5.5), ("cancelled", 4)]
CHANNELS = [("web", 45), ("mobile_app", 35), ("store", 15), ("phone", 5)]
EVENTS = [("session_start", 50), ("email_open", 22), ("email_click", 9), ("order_completed", 12),
          ("demo_requested", 1.5), ("webinar_attended", 2.5), ("workshop_registered", 1.5),
          ("unsubscribed", 1.5)]
INTERESTS = ["hiking", "camping", "climbing", "cooking", "travel", "fitness", "gaming", "music"]
DEVICES = ["mobile", "desktop", "tablet", "tv"]
APPS = ["ios_app", "android_app", "web_app", "watch_app"]


def sizes(scale: float) -> dict[str, int]:
    return {k: max(10, int(round(v * scale))) for k, v in FULL.items()}


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _pick(u: str, choices) -> str:
    total = sum(w for _, w in choices)
    acc, parts = 0.0, []
    for value, w in choices[:-1]:
        acc += w / total
        parts.append(f"WHEN {u} < {acc!r} THEN {_lit(value)}")
    return f"CASE {' '.join(parts)} ELSE {_lit(choices[-1][0])} END"


def _list(names, u_prefix: str, p: float) -> str:
    """A list holding each name with probability p (independent draws), in order."""
    expr = "[]::VARCHAR[]"
    for n in names:
        expr = (f"list_concat({expr}, CASE WHEN u(i, '{u_prefix}.{n}') < {p} "
                f"THEN [{_lit(n)}] ELSE []::VARCHAR[] END)")
    return expr


def statements(scale: float, seed: int = 7) -> list[tuple[str, str]]:
    n = sizes(scale)
    nc, no, ne = n["customers"], n["orders"], n["events"]
    nj = max(10, ne // 10)
    cities = "[" + ", ".join(_lit(c) for c, _ in CITIES) + "]"
    regions = "[" + ", ".join(_lit(r) for _, r in CITIES) + "]"
    as_of = f"TIMESTAMP '{AS_OF} 00:00:00'"
    # orders: active ranks 0 .. 0.8 nc map to ids skipping multiples of 5 (r + r // 4 + 1)
    active_o = int(nc * 0.8)
    active_e = int(nc * 0.9)
    return [
        ("macros", f"""
CREATE OR REPLACE TEMP MACRO u(k, salt) AS
  ((hash(k, salt, {int(seed)}::BIGINT) >> 11)::DOUBLE / 9007199254740992.0)"""),
        ("customers", f"""
CREATE OR REPLACE TABLE customers AS
SELECT
  i::BIGINT AS customer_id,
  CASE WHEN u(i, 'em.miss') >= 0.03 THEN 'user' || i::VARCHAR || '@' || {_pick("u(i, 'em')", DOMAINS)} END AS email,
  CASE WHEN u(i, 'ph.miss') >= 0.45 THEN '+1-555-' || lpad((i % 10000)::VARCHAR, 4, '0') END AS phone,
  CASE WHEN u(i, 'age.miss') >= 0.08 THEN (16 + floor(u(i, 'age') * 70))::BIGINT END AS age,
  CASE WHEN u(i, 'g.miss') >= 0.10 THEN {_pick("u(i, 'g')", GENDERS)} END AS gender,
  CASE WHEN u(i, 'inc.miss') >= 0.25 THEN round(15000 + pow(u(i, 'inc'), 2) * 235000, -2)::DOUBLE END AS income,
  CASE WHEN u(i, 'loc.miss') >= 0.03 THEN {regions}[1 + floor(u(i, 'loc') * {len(CITIES)})::INTEGER] END AS region,
  CASE WHEN u(i, 'loc.miss') >= 0.03 THEN 'US' END AS country,
  CASE WHEN u(i, 'loc.miss') >= 0.03 THEN 'S' || floor(u(i, 'loc') * {len(CITIES)})::INTEGER::VARCHAR END AS state,
  CASE WHEN u(i, 'loc.miss') >= 0.06 THEN {cities}[1 + floor(u(i, 'loc') * {len(CITIES)})::INTEGER] END AS city,
  {_pick("u(i, 'plan')", PLANS)} AS plan,
  CASE WHEN u(i, 'sub.miss') >= 0.04 THEN u(i, 'sub') < 0.6 END AS is_subscribed,
  (DATE '{AS_OF}' - floor(pow(u(i, 'signup'), 1.5) * 3650)::INTEGER) AS signup_date,
  CASE WHEN u(i, 'ren.miss') >= 0.2 THEN (DATE '{AS_OF}' - 200 + floor(u(i, 'ren') * 565)::INTEGER) END AS renewal_date,
  CASE WHEN u(i, 'int.miss') < 0.15 THEN NULL ELSE {_list(INTERESTS, 'int', 0.25)} END AS interests,
  CASE WHEN u(i, 'dev.miss') < 0.10 THEN NULL ELSE {_list(DEVICES, 'dev', 0.55)} END AS devices,
  CASE WHEN u(i, 'app.miss') < 0.20 THEN NULL ELSE {_list(APPS, 'app', 0.3)} END AS apps
FROM range(1, {nc} + 1) t(i)"""),
        ("orders", f"""
CREATE OR REPLACE TABLE orders AS
WITH o AS (
  SELECT i, floor({active_o} * pow(u(i, 'o.c'), 1.35))::BIGINT AS r,
    -- time grows with i (an append-only log), denser towards the as-of date
    {as_of} - to_seconds(floor(pow(1 - i / {no}, 1.3) * 1095 * 86400)::BIGINT) AS t
  FROM range({no}) t(i)
)
SELECT
  (i + 1)::BIGINT AS order_id,
  (r + r // 4 + 1)::BIGINT AS customer_id,
  CASE WHEN u(i, 'o.tmiss') < 0.002 THEN NULL
       WHEN u(i, 'o.future') < 0.001 THEN t + INTERVAL 5 DAY
       ELSE t END AS ordered_at,
  -- multiples of 0.25: sums of doubles are then exact in any order, so members do not
  -- depend on how the engine splits a sum between threads
  CASE WHEN u(i, 'o.amiss') >= 0.01 THEN (round((5 + pow(u(i, 'o.a'), 2.2) * 400) * 4) / 4)::DOUBLE END AS amount,
  CASE WHEN u(i, 'o.smiss') >= 0.005 THEN {_pick("u(i, 'o.s')", STATUSES)} END AS status,
  CASE WHEN u(i, 'o.chmiss') >= 0.02 THEN {_pick("u(i, 'o.ch')", CHANNELS)} END AS channel
FROM o"""),
        ("events", f"""
CREATE OR REPLACE TABLE events AS
WITH e AS (
  SELECT i, floor({active_e} * pow(u(i, 'e.c'), 1.2))::BIGINT AS r,
    {as_of} - to_seconds(floor(pow(1 - i / {ne}, 1.2) * 730 * 86400)::BIGINT) AS t
  FROM range({ne}) t(i)
)
-- shopping journeys (a tenth as many as the other events, over the last year): a product
-- viewed, then maybe added to the cart minutes later, then maybe a checkout started, then
-- maybe an order placed minutes to days after it (the orders that sequences look for); the
-- events of other names and their order are those of generator version 2
, j AS (
  SELECT i, floor({active_e} * pow(u(i, 'j.c'), 1.2))::BIGINT AS r,
    {as_of} - to_seconds(floor(pow(1 - i / {nj}, 1.2) * 365 * 86400)::BIGINT) AS t,
    'P' || (1 + floor(u(i, 'j.p') * 500))::INTEGER::VARCHAR AS product,
    u(i, 'j.depth') AS depth,
    to_seconds(60 + floor(u(i, 'j.cart') * 3600)::BIGINT) AS to_cart,
    to_seconds(120 + floor(u(i, 'j.co') * 7200)::BIGINT) AS to_checkout,
    to_seconds(floor(pow(u(i, 'j.ord'), 3) * 3 * 86400)::BIGINT) AS to_order
  FROM range({nj}) t(i)
), rows AS (
  SELECT i AS seq, 0 AS step, r, t, {_pick("u(i, 'e.n')", EVENTS)} AS name, NULL::VARCHAR AS product_id,
         CASE WHEN u(i, 'e.cmiss') >= 0.2 THEN {cities}[1 + floor(u(i, 'e.city') * {len(CITIES)})::INTEGER] END AS city
  FROM e
  UNION ALL SELECT {ne} + i, 1, r, t, 'product_viewed', product, NULL FROM j
  UNION ALL SELECT {ne} + i, 2, r, t + to_cart, 'added_to_cart', product, NULL FROM j WHERE depth >= 0.45
  UNION ALL SELECT {ne} + i, 3, r, t + to_cart + to_checkout, 'checkout_started',
                   CASE WHEN u(i, 'j.pmiss') >= 0.05 THEN product END, NULL FROM j WHERE depth >= 0.65
  UNION ALL SELECT {ne} + i, 4, r, t + to_cart + to_checkout + to_order, 'order_completed',
                   CASE WHEN u(i, 'j.same') < 0.9 THEN product ELSE 'P0' END, NULL FROM j WHERE depth >= 0.8
)
SELECT (r + r // 9 + 1)::BIGINT AS customer_id, t AS occurred_at, name, city, product_id
FROM rows
ORDER BY t, seq, step"""),
        ("snapshots", """
CREATE OR REPLACE TABLE segdsl_snapshots AS
SELECT s.snapshot_id::BIGINT AS snapshot_id, 'top_decile' AS segment, s.as_of, s.as_of::TIMESTAMP AS taken_at,
       c.customer_id AS member_key
FROM customers c, (VALUES (1, DATE '2024-05-01', 0.12), (2, DATE '2024-06-01', 0.11), (3, DATE '2024-06-29', 0.10)) s(snapshot_id, as_of, p)
WHERE u(c.customer_id, 'snap' || s.snapshot_id::VARCHAR) < s.p"""),
    ]


def build(con: duckdb.DuckDBPyConnection, scale: float, seed: int = 7, log=None) -> dict[str, float]:
    """Create the tables in `con`; returns seconds per phase."""
    took = {}
    for phase, sql in statements(scale, seed):
        started = time.perf_counter()
        con.execute(sql)
        took[phase] = time.perf_counter() - started
        if log:
            log(f"  {phase}: {took[phase]:.1f}s")
    return took


def table_sizes(con) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("customers", "orders", "events", "segdsl_snapshots")}
