"""What the demo generator knows and the data only shows: each customer's persona (the group
`segdsl discover` should recover from the visits) and each customer's true probability of an
`order_completed` event in a window (the signal `segdsl predict` should find).

Both are read from the generator's own latent values, computed again in an in-memory DuckDB
by the same SQL and seed as the warehouse (the draws are hashes, so they are the same ones),
never from the warehouse's rows.

The purchase probability is exact: a buyer has n_orders orders, each dated independently by
drawing a point `cw_o + u * (1 - cw_o)` of the cumulative order calendar, where cw_o is the
calendar's weight before the customer's first active day; an order is an `order_completed`
event when it goes through the web or the app (its channel is the customer's preferred one
with probability 0.6, else drawn from CHANNELS) and is not cancelled. So with p the chance
that one order falls in the window and q the chance that it is a completed online order,
P(at least one event in the window) = 1 - (1 - p q) ** n_orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from segdsl.demo import data
from segdsl.demo.data import DEMO_AS_OF, PERSONAS
from segdsl.demo.sql import phase_sql
from segdsl.demo.visits_sql import persona_sql

ONLINE = ("web", "mobile_app")


@dataclass(frozen=True)
class Truth:
    """Per customer key: the persona's name and the probability of an online order."""

    persona: dict[int, str]
    purchase_probability: dict[int, float]


def _share(choices: list[tuple[str, float]], wanted: tuple[str, ...]) -> float:
    return sum(w for v, w in choices if v in wanted) / sum(w for _, w in choices)


def demo_truth(customers: int = 100_000, seed: int = 20240630, *, reference: dt.date = DEMO_AS_OF,
               horizon_days: int = 30) -> Truth:
    """The truth of the demo warehouse built with `customers` and `seed`: personas, and the
    probability of at least one `order_completed` event dated in the `horizon_days` days that
    end on `reference` (both included), the label of `segdsl predict --horizon`."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        for phase in ("calendar", "customers"):
            for stmt in phase_sql(phase, customers, seed):
                if stmt.strip():
                    con.execute(stmt)
        first = reference - dt.timedelta(days=horizon_days - 1)
        online = _share(data.CHANNELS, ONLINE)
        kept = 1 - _share(data.ORDER_STATUSES, ("cancelled",))
        pref_online = ", ".join(f"'{c}'" for c in ONLINE)
        # cw(d): the calendar's weight before day d; 1 after the last day
        rows = con.execute(f"""
            WITH cw AS (SELECT day, cw_o FROM cal),
            bounds AS (
              SELECT coalesce((SELECT cw_o FROM cw WHERE day = DATE '{first}'), 1.0) AS lo,
                     coalesce((SELECT cw_o FROM cw WHERE day = DATE '{reference}' + 1), 1.0) AS hi
            )
            SELECT a.customer_id, {persona_sql("a.customer_id")} AS persona,
              CASE WHEN a.n_orders = 0 OR a.cw_o >= 1 THEN 0.0 ELSE
                1 - pow(1 - greatest(0.0, b.hi - greatest(b.lo, a.cw_o)) / (1 - a.cw_o)
                        * {kept!r} * (0.6 * (a.pref_channel IN ({pref_online}))::INTEGER + 0.4 * {online!r}),
                        a.n_orders) END AS p
            FROM activity a, bounds b
            ORDER BY a.customer_id""").fetchall()
    finally:
        con.close()
    names = [p[0] for p in PERSONAS]
    return Truth({int(k): names[int(g)] for k, g, _ in rows}, {int(k): float(p) for k, _, p in rows})
