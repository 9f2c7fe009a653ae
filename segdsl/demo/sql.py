"""SQL that generates the demo warehouse, phase by phase.

Every random draw is the macro `u(row identity, salt)`: the hash of the row's identity, a
per-column salt and the seed, mapped to [0, 1). Unlike DuckDB's `random()` it does not
depend on thread scheduling or row order, so equal seeds give equal tables. Weighted
choices become CASE ladders over one draw; dates with seasonality are drawn by inverting a
cumulative calendar with an ASOF join. No Python loop ever runs per row.
"""

from __future__ import annotations

from collections.abc import Sequence

from segdsl.demo import data
from segdsl.demo.data import DEMO_AS_OF, FIRST_SIGNUP, HISTORY_START
from segdsl.demo.shop_sql import product_sql, shop_ctes
from segdsl.demo.visits_sql import visits_sql

PHASES = ("calendar", "customers", "orders", "events", "visits", "write file")


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _pick(u: str, choices: Sequence[tuple[object, float]]) -> str:
    """SQL CASE choosing a value with the given weights from the uniform draw `u`."""
    def sql(v: object) -> str:
        return _lit(v) if isinstance(v, str) else str(int(v))  # type: ignore[call-overload]

    total = sum(w for _, w in choices)
    acc, parts = 0.0, []
    for value, weight in choices[:-1]:
        acc += weight / total
        parts.append(f"WHEN {u} < {acc!r} THEN {sql(value)}")
    return f"CASE {' '.join(parts)} ELSE {sql(choices[-1][0])} END"


def _pick_int(u: str, weights: Sequence[float]) -> str:
    return _pick(u, list(enumerate(weights)))


def _list_of(flags: Sequence[tuple[str, str]]) -> str:
    """SQL list holding each name whose condition is true, in the given order.

    Built with nested two-argument list_concat so it needs no lambdas (their syntax
    changed between DuckDB versions)."""
    expr = "[]::VARCHAR[]"
    for name, cond in flags:
        expr = f"list_concat({expr}, CASE WHEN {cond} THEN [{_lit(name)}] ELSE []::VARCHAR[] END)"
    return expr


def _macros(seed: int) -> list[str]:
    seed = int(seed)
    return [
        # 53 high bits of the hash -> uniform double in [0, 1).
        f"CREATE TEMP MACRO u(k, salt) AS "
        f"((hash(k, salt, {seed}::BIGINT) >> 11)::DOUBLE / 9007199254740992.0)",
        # Box-Muller standard normal from two independent draws.
        "CREATE TEMP MACRO z(k, salt) AS "
        "(sqrt(-2 * ln(1 - u(k, salt || '.1'))) * cos(2 * pi() * u(k, salt || '.2')))",
    ]


def _calendar_sql() -> str:
    ndays = (DEMO_AS_OF - HISTORY_START).days + 1
    # Order weight: steady growth, November/December peak, Black Friday / Cyber Monday
    # spikes, busier weekends. Events follow a milder version of the same curve.
    return f"""
CREATE TEMP TABLE cal AS
WITH d AS (
  SELECT (DATE '{HISTORY_START}' + i::INTEGER) AS day, i FROM range({ndays}) t(i)
), w AS (
  SELECT day,
    (1 + 0.35 * i / {ndays})
    * CASE month(day) WHEN 11 THEN 1.45 WHEN 12 THEN 1.7 WHEN 1 THEN 0.85 WHEN 2 THEN 0.85
                      ELSE 1.0 END
    * CASE WHEN isodow(day) >= 6 THEN 1.12 ELSE 1.0 END
    * CASE WHEN month(day) = 11 AND isodow(day) = 5 AND day(day) BETWEEN 23 AND 29 THEN 3.0
           WHEN isodow(day) = 1 AND ((month(day) = 11 AND day(day) >= 26)
                                      OR (month(day) = 12 AND day(day) <= 2)) THEN 2.4
           ELSE 1.0 END AS w_o,
    (1 + 0.25 * i / {ndays})
    * CASE month(day) WHEN 11 THEN 1.15 WHEN 12 THEN 1.2 WHEN 8 THEN 0.9 ELSE 1.0 END AS w_e
  FROM d
)
SELECT day,
  (sum(w_o) OVER (ORDER BY day) - w_o) / sum(w_o) OVER () AS cw_o,
  (sum(w_e) OVER (ORDER BY day) - w_e) / sum(w_e) OVER () AS cw_e
FROM w
"""


def _customers_sql(n: int) -> str:
    span = (DEMO_AS_OF - FIRST_SIGNUP).days + 1
    nfirst, nlast = len(data.FIRST_NAMES), len(data.LAST_NAMES)
    first = "[" + ", ".join(_lit(x) for x in data.FIRST_NAMES) + "]"
    last = "[" + ", ".join(_lit(x) for x in data.LAST_NAMES) + "]"
    interests = []
    for name, p in data.INTERESTS:
        cond = f"u(customer_id, 'int.{name}') < {p}"
        if name == "hiking":
            cond = "hikes"  # drawn once in c1: camping and climbing depend on it
        elif name in ("camping", "climbing"):
            boost = 0.35 if name == "camping" else 0.20
            cond = f"u(customer_id, 'int.{name}') < CASE WHEN hikes THEN {boost} ELSE {p} END"
        elif name == "gaming":
            cond = f"u(customer_id, 'int.gaming') < CASE WHEN age < 30 THEN 0.38 ELSE {p} END"
        interests.append((name, cond))
    hiking = dict(data.INTERESTS)["hiking"]
    device_p = dict(data.DEVICES)
    # Devices are drawn once (in c1 for the two that apps depend on) so that apps always
    # match devices: an ios_app needs a mobile device.
    devices = [(d, f"u(customer_id, 'dev.{d}') < {p}") for d, p in data.DEVICES]
    devices[0:2] = [("mobile", "has_mobile"), ("desktop", "has_desktop")]
    apps = [
        ("ios_app", "has_mobile AND ios AND u(customer_id, 'app.mobile') < 0.55"),
        ("android_app", "has_mobile AND NOT ios AND u(customer_id, 'app.mobile') < 0.5"),
        ("web_app", "has_desktop AND u(customer_id, 'app.web') < 0.35"),
        ("watch_app", "has_mobile AND ios AND u(customer_id, 'app.watch') < 0.15"),
    ]
    as_of = f"DATE '{DEMO_AS_OF}'"
    return f"""
CREATE TEMP TABLE cities AS
SELECT * FROM (VALUES {", ".join(
        f"({_lit(c)}, {_lit(s)}, {_lit(r)}, {w})" for c, s, r, w in data.CITIES)}) v(city, state, region, w);
CREATE TEMP TABLE city_pick AS
SELECT city, state, region, (sum(w) OVER (ORDER BY city) - w) / sum(w) OVER () AS cw FROM cities;

CREATE TEMP TABLE c0 AS
WITH b AS (
  SELECT i AS customer_id, u(i, 'loc') AS r_loc, u(i, 'locmiss') AS r_locmiss
  FROM range(1, {n} + 1) t(i)
)
SELECT b.customer_id,
  CASE WHEN r_locmiss >= 0.02 THEN p.region END AS region,
  CASE WHEN r_locmiss >= 0.02 THEN 'US' END AS country,
  CASE WHEN r_locmiss >= 0.02 THEN p.state END AS state,
  CASE WHEN r_locmiss >= 0.06 THEN p.city END AS city,
  CASE WHEN u(b.customer_id, 'age.miss') >= 0.07
       THEN least(90, greatest(18, round(39 + 13 * z(b.customer_id, 'age'))))::INTEGER END AS age,
  (DATE '{FIRST_SIGNUP}' + floor(pow(u(b.customer_id, 'signup'), 0.6) * {span})::INTEGER) AS signup_date,
  {_pick("u(b.customer_id, 'plan')", data.PLANS)} AS plan,
  u(b.customer_id, 'int.miss') AS r_int, u(b.customer_id, 'dev.miss') AS r_dev,
  u(b.customer_id, 'app.miss') AS r_app
FROM b ASOF JOIN city_pick p ON b.r_loc >= p.cw;

CREATE TEMP TABLE c1 AS
SELECT c0.*,
  -- outdoor interests are more common in the Mountain and West Coast regions
  u(customer_id, 'int.hiking') < {hiking} + CASE WHEN region IN ('Mountain', 'West Coast') THEN 0.15 ELSE 0 END AS hikes,
  u(customer_id, 'dev.mobile') < {device_p["mobile"]} AS has_mobile,
  u(customer_id, 'dev.desktop') < {device_p["desktop"]} AS has_desktop,
  u(customer_id, 'os') < 0.55 AS ios,
  u(customer_id, 'sub') < CASE WHEN plan = 'free' THEN 0.45 ELSE 0.7 END AS is_subscribed,
  (signup_date + INTERVAL (year({as_of}) - year(signup_date)) YEAR)::DATE AS ann
FROM c0;

CREATE TEMP TABLE customers_x AS
SELECT
  customer_id::BIGINT AS customer_id,
  CASE WHEN u(customer_id, 'email.miss') >= 0.015 THEN
    {first}[1 + floor(u(customer_id, 'first') * {nfirst})::INTEGER] || '.' ||
    {last}[1 + floor(u(customer_id, 'last') * {nlast})::INTEGER] ||
    customer_id::VARCHAR || '@' || {_pick("u(customer_id, 'domain')", data.EMAIL_DOMAINS)}
  END AS email,
  CASE WHEN u(customer_id, 'phone.miss') >= 0.55 THEN
    '+1-' || (201 + floor(u(customer_id, 'area') * 780))::INTEGER::VARCHAR || '-555-'
    || lpad(floor(u(customer_id, 'line') * 10000)::INTEGER::VARCHAR, 4, '0')
  END AS phone,
  age,
  CASE WHEN u(customer_id, 'gender.miss') >= 0.12 THEN
    {_pick("u(customer_id, 'gender')", data.GENDERS)} END AS gender,
  CASE WHEN u(customer_id, 'income.miss') >= 0.30 THEN
    round(exp(11.0 + 0.6 * z(customer_id, 'income')) / 100) * 100 END::DOUBLE AS income,
  region, country, state, city, plan, is_subscribed, signup_date,
  -- a birthday consistent with the age on the demo day: within the year before the day the
  -- customer turned that age (so leap days and birthdays just after the demo day occur)
  CASE WHEN age IS NOT NULL THEN
    (({as_of} - INTERVAL (age) YEAR)::DATE - floor(u(customer_id, 'birth') * 365)::INTEGER) END AS birth_date,
  CASE WHEN plan = 'free' THEN NULL
       -- monthly payers renew within the next 30 days
       WHEN u(customer_id, 'billing') < 0.4 THEN
         {as_of} + 1 + floor(u(customer_id, 'renew.day') * 30)::INTEGER
       -- annual payers renew on the signup anniversary; a few lapsed (renewal passed)
       WHEN u(customer_id, 'lapsed') < 0.07 AND signup_date < {as_of} - 365 THEN
         CASE WHEN ann <= {as_of} THEN ann ELSE (ann - INTERVAL 1 YEAR)::DATE END
       ELSE CASE WHEN ann <= {as_of} THEN (ann + INTERVAL 1 YEAR)::DATE ELSE ann END
  END AS renewal_date,
  CASE WHEN r_int < 0.15 THEN NULL WHEN r_int < 0.22 THEN []::VARCHAR[]
       ELSE {_list_of(interests)} END AS interests,
  CASE WHEN r_dev < 0.10 THEN NULL ELSE {_list_of(devices)} END AS devices,
  CASE WHEN r_app < 0.18 OR r_dev < 0.10 THEN NULL ELSE {_list_of(apps)} END AS apps,
  -- latent traits that drive orders and events (not part of the customers table)
  greatest(signup_date, DATE '{HISTORY_START}') AS active_from,
  u(customer_id, 'buyer') < 0.72 AS buyer,
  u(customer_id, 'learner') < 0.08 AS learner,
  exp(0.45 * z(customer_id, 'spend'))
    * CASE plan WHEN 'enterprise' THEN 1.6 WHEN 'pro' THEN 1.25 WHEN 'free' THEN 0.85 ELSE 1.0 END
    AS spend_mult,
  CASE WHEN has_mobile AND r_app >= 0.18 AND u(customer_id, 'pref.app') < 0.3 THEN 'mobile_app'
       ELSE {_pick("u(customer_id, 'pref')", data.CHANNELS)} END AS pref_channel
FROM c1
"""


def _activity_sql() -> str:
    ndays = (DEMO_AS_OF - HISTORY_START).days + 1
    # Long-tailed counts: log-normal "appetite" scaled by the share of the two-year window
    # the customer existed for. sigma ~1 gives a few customers with hundreds of orders.
    return f"""
CREATE TEMP TABLE activity AS
SELECT x.customer_id, x.active_from, x.spend_mult, x.pref_channel, x.learner,
  x.is_subscribed, x.city,
  ((DATE '{DEMO_AS_OF}' - x.active_from) + 1) / {ndays}.0 AS frac,
  CASE WHEN x.buyer THEN least(2000, greatest(1, round(
      exp(2.26 + 1.05 * z(x.customer_id, 'norders')) * ((DATE '{DEMO_AS_OF}' - x.active_from) + 1) / {ndays}.0
  )))::INTEGER ELSE 0 END AS n_orders,
  least(3000, round(exp(2.4 + 0.95 * z(x.customer_id, 'nevents'))
      * ((DATE '{DEMO_AS_OF}' - x.active_from) + 1) / {ndays}.0
      * CASE WHEN x.buyer THEN 1.0 ELSE 0.55 END))::INTEGER AS n_events,
  c.cw_o AS cw_o, c.cw_e AS cw_e
FROM customers_x x JOIN cal c ON c.day = x.active_from
"""


def _orders_sql() -> str:
    hour = _pick_int("u(ok, 'o.hour')", data.ORDER_HOURS)
    return f"""
CREATE TEMP TABLE o0 AS
SELECT customer_id, k, customer_id * 100000 + k AS ok, spend_mult, pref_channel, cw_o
FROM (SELECT customer_id, unnest(range(n_orders)) AS k, spend_mult, pref_channel, cw_o
      FROM activity WHERE n_orders > 0);

CREATE TEMP TABLE o1 AS
SELECT o.customer_id, o.k, o.ok, o.spend_mult, o.pref_channel,
  o.cw_o + u(o.ok, 'o.day') * (1 - o.cw_o) AS target
FROM o0 o;

CREATE TEMP TABLE o2 AS
SELECT o.customer_id, o.k,
  c.day::TIMESTAMP + to_seconds(({hour}) * 3600 + floor(u(o.ok, 'o.sec') * 3600)::INTEGER) AS ordered_at,
  CASE WHEN u(o.ok, 'o.pref') < 0.6 THEN o.pref_channel
       ELSE {_pick("u(o.ok, 'o.channel')", data.CHANNELS)} END AS channel,
  {_pick("u(o.ok, 'o.status')", data.ORDER_STATUSES)} AS status,
  o.ok, o.spend_mult, month(c.day) AS m
FROM o1 o ASOF JOIN cal c ON o.target >= c.cw_o;

CREATE TABLE orders AS
SELECT
  (1000000 + row_number() OVER (ORDER BY ordered_at, customer_id, k))::BIGINT AS order_id,
  customer_id::BIGINT AS customer_id,
  ordered_at,
  round(least(4999.0, greatest(2.0, exp(3.7 + 0.7 * z(ok, 'o.amount')) * spend_mult
      * CASE channel WHEN 'store' THEN 1.3 WHEN 'phone' THEN 1.2 ELSE 1.0 END
      * CASE WHEN m IN (11, 12) THEN 1.15 ELSE 1.0 END)), 2)::DOUBLE AS amount,
  status, channel
FROM o2
ORDER BY order_id
"""


def _events_sql() -> str:
    workshop = _pick("u(ek, 'e.wcity')", data.WORKSHOP_CITIES)
    ws_names = ", ".join(_lit(c) for c, _ in data.WORKSHOP_CITIES)
    cities = "[" + ", ".join(_lit(c[0]) for c in data.CITIES) + "]"
    return f"""
CREATE TEMP TABLE e0 AS
SELECT customer_id, k, customer_id * 100000 + k AS ek, learner, is_subscribed, city, cw_e
FROM (SELECT customer_id, unnest(range(n_events)) AS k, learner, is_subscribed, city, cw_e
      FROM activity WHERE n_events > 0);

CREATE TEMP TABLE e1 AS
SELECT e.*,
  CASE WHEN learner THEN {_pick("u(ek, 'e.name')", data.EVENT_MIX_LEARNER)}
       ELSE {_pick("u(ek, 'e.name')", data.EVENT_MIX)} END AS raw_name,
  e.cw_e + u(ek, 'e.day') * (1 - e.cw_e) AS target
FROM e0 e;

CREATE TABLE events AS
WITH behaviour AS (
  SELECT e.customer_id, e.ek,
    c.day::TIMESTAMP + to_seconds(floor(u(ek, 'e.sec') * 86400)::INTEGER) AS occurred_at,
    -- marketing e-mail only reaches subscribed customers
    CASE WHEN raw_name LIKE 'email%' AND NOT is_subscribed THEN 'session_start'
         ELSE raw_name END AS name,
    CASE WHEN raw_name = 'workshop_registered' THEN
           CASE WHEN e.city IN ({ws_names}) AND u(ek, 'e.home') < 0.6 THEN e.city ELSE {workshop} END
         WHEN u(ek, 'e.geo') < 0.2 THEN NULL
         WHEN u(ek, 'e.geo') < 0.3 THEN {cities}[1 + floor(u(ek, 'e.away') * {len(data.CITIES)})::INTEGER]
         ELSE e.city END AS city
  FROM e1 e ASOF JOIN cal c ON e.target >= c.cw_e
), completed AS (
  -- every online order that went through is also an order_completed event
  SELECT o.customer_id, o.order_id, o.ordered_at AS occurred_at, 'order_completed' AS name,
    CASE WHEN u(o.order_id, 'oc.geo') < 0.2 THEN NULL ELSE a.city END AS city,
    {product_sql("u(o.order_id, 'oc.item')")} AS product_id
  FROM orders o JOIN activity a USING (customer_id)
  WHERE o.channel IN ('web', 'mobile_app') AND o.status <> 'cancelled'
), unsubscribed AS (
  SELECT customer_id,
    active_from::TIMESTAMP + to_seconds(floor(u(customer_id, 'unsub.t') * 86400
        * ((DATE '{DEMO_AS_OF}' - active_from) + 1))::BIGINT) AS occurred_at,
    'unsubscribed' AS name, city
  FROM activity WHERE NOT is_subscribed AND u(customer_id, 'unsub') < 0.1
),{shop_ctes()}
SELECT customer_id::BIGINT AS customer_id, occurred_at, name, city, product_id
FROM (SELECT customer_id, occurred_at, name, city, NULL::VARCHAR AS product_id FROM behaviour
      UNION ALL SELECT customer_id, occurred_at, name, city, product_id FROM completed
      UNION ALL SELECT customer_id, occurred_at, name, city, NULL FROM unsubscribed
      UNION ALL SELECT * FROM funnel UNION ALL SELECT * FROM browsing)
-- numeric sort keys only: sorting 2M rows on strings too would double the build
ORDER BY occurred_at, customer_id
"""


_CUSTOMER_COLUMNS = (
    "customer_id, email, phone, age, gender, income, region, country, state, city, plan, "
    "is_subscribed, signup_date, renewal_date, interests, devices, apps, birth_date"
)


def phase_sql(phase: str, customers: int, seed: int) -> list[str]:
    if phase == "calendar":
        return _macros(seed) + [_calendar_sql()]
    if phase == "customers":
        return [*_customers_sql(customers).split(";\n"),
                f"CREATE TABLE customers AS SELECT {_CUSTOMER_COLUMNS} FROM customers_x "
                "ORDER BY customer_id",
                _activity_sql()]
    if phase == "orders":
        return _orders_sql().split(";\n")
    if phase == "events":
        return _events_sql().split(";\n")
    if phase == "visits":
        return visits_sql()
    return ["DROP TABLE IF EXISTS o0", "DROP TABLE IF EXISTS o1", "DROP TABLE IF EXISTS o2",
            "DROP TABLE IF EXISTS e0", "DROP TABLE IF EXISTS e1", "CHECKPOINT"]
