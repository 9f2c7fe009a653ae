"""Expected members of the parameterised segments of tests/cases/params/params.seg, on the
rows of tests/fixtures/param_data.py, as of 2024-06-30 (now = 2024-07-01 00:00 UTC).

Derived BY HAND from the words of LANGUAGE.md ("Parameterised segments") and the table in the
fixture's docstring; no code evaluated any segment. ``EXPECTED`` maps the text given to
``--segment`` (any spelling of an argument list) -> sorted member ids; ``CANONICAL`` the name
each spelling goes by.

Interpretations
---------------
1. An argument list is the segment with each parameter replaced by its literal, defaults
   written out: `regulars_in("West Coast")` is `region = "West Coast" and count(orders in last
   90 days) >= 3`.
2. `n: duration` used as `in last n` is the window `in last <argument>`.
3. A missing value compares false whatever the argument (c6's subscription, c3's age).
"""

from __future__ import annotations

EXPECTED: dict[str, list[int]] = {
    # West Coast with >= 3 orders in 04-02 .. 06-30: c1 (3), c3 (3, one on 04-02 00:00);
    # not c2 (04-01 is outside: 2) nor c10 (a row without time is in no window: 2)
    'regulars_in("West Coast")': [1, 3],
    'west_regulars': [1, 3],
    # South with >= 10: c4 (10); not c5 (9 seen, the 07-01 00:00 order is at now)
    'regulars_in(r: "South", min_orders: 10)': [4],
    'big_southern_regulars': [4],
    # South with >= 2: c4 (10), c5 (9), c6 (2); not c7 (1), c11 (0); c8 has no region
    'regulars_in("South", 2)': [4, 5, 6],
    'regulars_in(min_orders: 2.0, r: "South")': [4, 5, 6],
    'west_or_south': [1, 3, 4, 5, 6],
    'not_big_south': [1, 2, 3, 5, 6, 7, 8, 9, 10, 11],
    # signup in 06-01 .. 06-30: c1 06-30, c2 06-24, c3 06-23, c4 06-01; not c5 05-31, c6 07-01
    'recent_signups': [1, 2, 3, 4],
    # 06-24 .. 06-30
    'recent_signups(7 days)': [1, 2],
    # 04-02 .. 06-30: also c5 05-31 and c7 04-02; not c8 04-01
    'recent_signups(n: 90 days)': [1, 2, 3, 4, 5, 7],
    # Boston, signed up after 2024-01-01, subscribed: c1, c5; not c2 (not subscribed), c3
    # ("boston"), c6 (subscription missing), c9 (signup missing), c10 (2023)
    'city_signups("Boston")': [1, 5],
    # ... not subscribed: c2; c6's missing subscription is not false
    'city_signups("Boston", subscribed: false)': [2],
    # a text with both quotes; after 2024-04-01: c7 (04-02)
    'city_signups("It\'s \\"x\\"", 2024-04-01)': [7],
    # after 06-01 is strict: c4 (06-01) is not in, c8 (04-01) neither
    'city_signups(c: "Austin", after: 2024-06-01)': [],
    'older_than(40)': [5, 6],
    'older_than(-1)': [1, 2, 4, 5, 6, 7, 8, 10],
    'older_than(years: 0)': [1, 2, 4, 5, 6, 8, 10],
}

CANONICAL: dict[str, str] = {
    'regulars_in("West Coast")': 'regulars_in("West Coast", 3)',
    'regulars_in(r: "South", min_orders: 10)': 'regulars_in("South", 10)',
    'regulars_in(min_orders: 2.0, r: "South")': 'regulars_in("South", 2)',
    'recent_signups': 'recent_signups(30 days)',
    'recent_signups(n: 90 days)': 'recent_signups(90 days)',
    'city_signups("Boston")': 'city_signups("Boston", 2024-01-01, true)',
    'city_signups("It\'s \\"x\\"", 2024-04-01)': 'city_signups("It\'s \\"x\\"", 2024-04-01, true)',
    'older_than(years: 0)': 'older_than(0)',
}
