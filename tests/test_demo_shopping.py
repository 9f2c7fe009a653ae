"""The v2 columns of the demo warehouse: birthdays that agree with ages, and shopping events
(product views, carts, checkouts) whose product ids match the orders they lead to."""

from __future__ import annotations

import duckdb
import pytest

from segdsl.demo import DEMO_AS_OF, build_demo_warehouse
from segdsl.demo.data import SHOP_TRACKING_START

N = 2000
SHOPPING = ("product_viewed", "added_to_cart", "checkout_started")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo_shop") / "demo.duckdb"
    build_demo_warehouse(path, customers=N, progress=False)
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def one(con, sql):
    return con.execute(sql).fetchone()


def test_birth_dates_agree_with_ages(con):
    missing, set_without_age, disagree = one(con, f"""
        SELECT count(*) FILTER (WHERE birth_date IS NULL),
               count(*) FILTER (WHERE birth_date IS NOT NULL AND age IS NULL),
               count(*) FILTER (WHERE age <> date_diff('year', birth_date, DATE '{DEMO_AS_OF}')
                                - CASE WHEN strftime(birth_date, '%m-%d') > '{DEMO_AS_OF:%m-%d}'
                                       THEN 1 ELSE 0 END)
        FROM customers""")
    assert missing == one(con, "SELECT count(*) FROM customers WHERE age IS NULL")[0] > 0
    assert set_without_age == 0 and disagree == 0


def test_birthdays_include_leap_days_and_the_week_after_the_demo_day(tmp_path):
    # about 1 customer in 1,500 is born on 29 February: a build big enough to hold several
    path = tmp_path / "births.duckdb"
    build_demo_warehouse(path, customers=15_000, progress=False)
    with duckdb.connect(str(path), read_only=True) as c:
        leap, next_week = c.execute("""
            SELECT count(*) FILTER (WHERE month(birth_date) = 2 AND day(birth_date) = 29),
                   count(*) FILTER (WHERE strftime(birth_date, '%m-%d') BETWEEN '07-01' AND '07-07')
            FROM customers""").fetchone()
    assert leap >= 3 and next_week >= 100


def test_product_ids_are_on_shopping_and_order_events_only(con):
    rows = dict(con.execute("SELECT name, bool_and(product_id IS NOT NULL) FROM events "
                            "GROUP BY name").fetchall())
    for name in (*SHOPPING, "order_completed"):
        assert rows[name] is True, name
    assert not any(v for k, v in rows.items() if k not in (*SHOPPING, "order_completed"))
    assert one(con, "SELECT count(*) FROM events WHERE product_id IS NOT NULL "
                    "AND NOT regexp_full_match(product_id, 'P[0-9]{3}')")[0] == 0


def test_shopping_starts_when_tracking_did_and_ends_with_the_data(con):
    first, last = one(con, "SELECT min(occurred_at), max(occurred_at) FROM events WHERE name IN "
                           f"{SHOPPING!r}")
    # a funnel may begin a few hours before the first tracked order
    assert (SHOP_TRACKING_START - first.date()).days <= 1 and last.date() <= DEMO_AS_OF


def test_most_checkouts_lead_to_an_order_of_that_product_and_some_are_abandoned(con):
    completed, abandoned = one(con, """
        SELECT count(*) FILTER (WHERE bought), count(*) FILTER (WHERE NOT bought) FROM (
          SELECT EXISTS (SELECT 1 FROM events o WHERE o.customer_id = e.customer_id
                           AND o.name = 'order_completed' AND o.product_id = e.product_id
                           AND o.occurred_at BETWEEN e.occurred_at
                                                 AND e.occurred_at + INTERVAL 15 MINUTE) AS bought
          FROM events e WHERE e.name = 'checkout_started')""")
    assert completed > 10 * abandoned > 0
