"""Expected members of tests/cases/families/families.seg on tests/fixtures/family_data.py, as of
2024-06-30 (UTC). Derived BY HAND from LANGUAGE.md v2 "Families": each customer is in the
first member, in file order, whose rule holds; customers in no rule are in the `else` member,
or in none (and the family's value is missing) without `else`.

Per customer (lifetime_value = paid amounts; orders_365d counts every order, refunded too,
dated 2023-07-02 .. 2024-06-30; last_order_at = latest order):

    id  ltv      orders_365d  last order        rules that hold             lifecycle       tiers
    c1  1000     3            06-01             champions, new_customers    champions       gold
    c2  1100     2 (07-01 is  02-01             at_risk, new_customers      at_risk         gold
                   one day out)
    c3  600      1            03-31 23:59:59    at_risk                     at_risk         silver
    c4  600      1            04-01 00:00:00    none (not before 04-01;     others          silver
                                                signup 05-31 is 31 days ago)
    c5  500      1            01-01             new_customers (500 is not   new_customers   silver
                                                > 500 for at_risk)
    c6  0        0            -                 none                        others          -
    c7  999.99   3            06-12             new_customers (< 1000)      new_customers   silver
    c8  1000     4            06-01             champions                   champions       gold
    c9  0        3 (refunded) 06-10             none                        others          -
    c10 1500     3            05-01             champions                   champions       gold
    c11 1500     3            03-01             champions, at_risk          champions       gold
"""

EXPECTED: dict[str, list[int]] = {
    "lifecycle.champions": [1, 8, 10, 11],
    # c2 also matches new_customers, c11's at_risk rule loses to champions
    "lifecycle.at_risk": [2, 3],
    # c1 and c2 are new too but an earlier rule wins
    "lifecycle.new_customers": [5, 7],
    "lifecycle.others": [4, 6, 9],
    # champions in the West Coast: c1, c8 (c10 East Coast, c11 no region)
    "champions_west": [1, 8],
    "not_others": [1, 2, 3, 5, 7, 8, 10, 11],
    "tiers.gold": [1, 2, 8, 10, 11],
    # c1 and c8 (exactly 1000) are gold first
    "tiers.silver": [3, 4, 5, 7],
    "no_tier": [6, 9],
    "silver_or_gold": [1, 2, 3, 4, 5, 7, 8, 10, 11],
    # `!=` is `not (=)`: customers in no tier are in (two-valued logic)
    "not_gold": [3, 4, 5, 6, 7, 9],
}
