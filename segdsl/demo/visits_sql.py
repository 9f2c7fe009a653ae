"""SQL for the `visits` table of the demo warehouse: web visits over the last VISIT_DAYS days,
each with the pages read and the minutes spent.

Every customer has a persona (segdsl.demo.data.PERSONAS) drawn from its own salt, so this
phase changes no row of the other tables. The persona sets the median number of visits and
of pages per visit; both are log-normal around it, minutes follow pages. `persona_sql` is
also what segdsl.demo.truth reads back as each customer's true group.
"""

from __future__ import annotations

from datetime import timedelta

from segdsl.demo import data
from segdsl.demo.data import DEMO_AS_OF, PERSONAS, VISIT_DAYS

VISITS_START = DEMO_AS_OF - timedelta(days=VISIT_DAYS - 1)


def persona_sql(key: str) -> str:
    """The persona index (0-based, into PERSONAS) of customer `key`."""
    total = sum(w for _, w, _, _ in PERSONAS)
    acc, parts = 0.0, []
    for i, (_, weight, _, _) in enumerate(PERSONAS[:-1]):
        acc += weight / total
        parts.append(f"WHEN u({key}, 'persona') < {acc!r} THEN {i}")
    return f"CASE {' '.join(parts)} ELSE {len(PERSONAS) - 1} END"


def _by_persona(column: int) -> str:
    return "[" + ", ".join(repr(float(p[column])) for p in PERSONAS) + "]"


def visits_sql() -> list[str]:
    seconds = VISIT_DAYS * 86400
    assert data.PERSONAS is PERSONAS
    return [f"""
CREATE TEMP TABLE v0 AS
SELECT customer_id, {persona_sql("customer_id")} AS persona FROM customers_x
""", f"""
CREATE TEMP TABLE v1 AS
SELECT customer_id, persona,
  greatest(1, round({_by_persona(2)}[persona + 1] * exp(0.3 * z(customer_id, 'v.n'))))::INTEGER AS n_visits
FROM v0
""", f"""
CREATE TABLE visits AS
WITH v AS (
  SELECT customer_id, persona, unnest(range(n_visits)) AS k FROM v1
), p AS (
  SELECT customer_id, k, customer_id * 100000 + k AS vk,
    TIMESTAMP '{VISITS_START} 00:00:00' + to_seconds(floor(u(customer_id * 100000 + k, 'v.t') * {seconds})::INTEGER)
      AS visited_at,
    greatest(1, round({_by_persona(3)}[persona + 1] * exp(0.35 * z(customer_id * 100000 + k, 'v.p'))))::INTEGER
      AS pages
  FROM v
)
SELECT customer_id::BIGINT AS customer_id, visited_at, pages,
  round(pages * 1.5 * exp(0.3 * z(vk, 'v.m')), 1)::DOUBLE AS minutes
FROM p
ORDER BY visited_at, customer_id
""", "DROP TABLE IF EXISTS v0", "DROP TABLE IF EXISTS v1"]
