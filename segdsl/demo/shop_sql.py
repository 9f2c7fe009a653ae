"""SQL for the shopping events of the demo warehouse: product_viewed, added_to_cart and
checkout_started, each with the product_id that order_completed carries too.

The shop started tracking products on SHOP_TRACKING_START, so the funnel covers the last
quarter of the history only (it keeps the events table near its old size). Two sources:

* every online order that went through (the `completed` rows of the events phase) is preceded
  by a checkout a few minutes earlier and, usually, a cart and a product view before that;
* some sessions browse without buying: a view, sometimes a cart, sometimes a checkout that is
  abandoned (no order_completed follows it), which is what "started checkout but did not
  buy" segments look for.

Every draw uses the `u(row identity, salt)` macro of segdsl.demo.sql, so builds stay
deterministic. The CTEs here are spliced into the `CREATE TABLE events` statement, where the
`behaviour` (with its draw key `ek`) and `completed` (with `order_id`) CTEs are in scope.
"""

from __future__ import annotations

from segdsl.demo.data import DEMO_AS_OF, SHOP_PRODUCTS, SHOP_TRACKING_START


def product_sql(u: str) -> str:
    """A product id such as 'P007' drawn from `u`; low numbers are the best sellers."""
    return (f"'P' || lpad((1 + floor(pow({u}, 2.5) * {SHOP_PRODUCTS}))::INTEGER::VARCHAR, 3, '0')")


def _minutes(u: str, low: int, high: int) -> str:
    """An interval of `low` to `high` minutes (whole seconds) drawn from `u`."""
    return f"to_seconds(({low} * 60 + floor({u} * {(high - low) * 60}))::INTEGER)"


def shop_ctes() -> str:
    """CTEs `funnel` and `browsing`, each with the events columns."""
    since = f"TIMESTAMP '{SHOP_TRACKING_START} 00:00:00'"
    # a browse lasts up to 30 minutes after its session: none may end after the data does
    until = f"TIMESTAMP '{DEMO_AS_OF} 23:00:00'"
    return f"""
funnel AS (
  -- the steps before a completed order, a few minutes to a few hours earlier
  SELECT customer_id, occurred_at - {_minutes("u(order_id, 'f.co')", 1, 15)} AS occurred_at,
    'checkout_started' AS name, city, product_id
  FROM completed WHERE occurred_at >= {since}
  UNION ALL
  SELECT customer_id, occurred_at - {_minutes("u(order_id, 'f.cart')", 16, 60)}, 'added_to_cart', city, product_id
  FROM completed WHERE occurred_at >= {since} AND u(order_id, 'f.cart.p') < 0.6
  UNION ALL
  SELECT customer_id, occurred_at - {_minutes("u(order_id, 'f.view')", 61, 240)}, 'product_viewed', city, product_id
  FROM completed WHERE occurred_at >= {since} AND u(order_id, 'f.view.p') < 0.5
), browsing AS (
  -- sessions that look at a product and leave; a few get as far as the checkout
  SELECT customer_id, occurred_at + {_minutes("u(ek, 'b.view')", 1, 10)} AS occurred_at,
    'product_viewed' AS name, city, {product_sql("u(ek, 'b.item')")} AS product_id
  FROM behaviour
  WHERE name = 'session_start' AND occurred_at >= {since} AND occurred_at < {until}
    AND u(ek, 'b.view.p') < 0.15
  UNION ALL
  SELECT customer_id, occurred_at + {_minutes("u(ek, 'b.cart')", 11, 20)}, 'added_to_cart', city,
    {product_sql("u(ek, 'b.item')")}
  FROM behaviour
  WHERE name = 'session_start' AND occurred_at >= {since} AND occurred_at < {until}
    AND u(ek, 'b.view.p') < 0.15
    AND u(ek, 'b.cart.p') < 0.3
  UNION ALL
  SELECT customer_id, occurred_at + {_minutes("u(ek, 'b.co')", 21, 30)}, 'checkout_started', city,
    {product_sql("u(ek, 'b.item')")}
  FROM behaviour
  WHERE name = 'session_start' AND occurred_at >= {since} AND occurred_at < {until}
    AND u(ek, 'b.view.p') < 0.15
    AND u(ek, 'b.cart.p') < 0.3 AND u(ek, 'b.co.p') < 0.35
)"""
