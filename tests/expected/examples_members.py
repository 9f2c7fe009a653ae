"""Expected members of every segment in the LANGUAGE.md examples (project folder examples/),
on the fixture data of tests/fixtures/acme_data.py with as-of date 2024-06-30 (UTC).

Derived BY HAND, customer by customer (no code evaluated any segment). The comment above each
entry says why the borderline customers are in or out. "cN" is customer_id N; "oN" is order_id N.

Per-customer values used below (hand-derived; timed = orders with a non-missing ordered_at)
-------------------------------------------------------------------------------------------
lifetime_value (sum of paid amounts, 0 without paid orders), ascending with id tie-break:
    r1-8: 0 (c2 c4 c9 c11 c16 c17 c19 c29)  r9 c25=10 (o44 is after now)  r10 c27=40  r11 c21=60  r12 c30=99.75
    r13 c6=100  r14 c7=100  r15 c23=120  r16 c26=120  r17 c22=150  r18 c28=150  r19 c10=199
    r20 c18=200  r21 c1=250  r22 c13=300  r23 c24=670  r24 c14=1000  r25 c20=1100
    r26 c3=1200  r27 c8=1200  r28 c12=1200  r29 c15=1500  r30 c5=2000           (n = 30)
last_order_at (max timed ordered_at) and days_since (missing for c2 c4 c9 c13 c16 c17 c29):
    c25 07-01 (-1)  c5 06-30 (0)  c3 06-29 (1)  c30 06-28 (2)  c22 06-26 (4)  c23 06-26 (4)
    c1 06-20 (10)  c7 06-17 (13)  c6 06-16 (14)  c24 06-12 (18)  c12 06-10 (20)  c21 06-05 (25)
    c11 06-02 (28)  c28 06-01 (29)  c27 05-05 (56)  c26 04-10 (81)  c19 04-01 (90)
    c18 03-31 (91)  c10 03-30 (92)  c15 01-02 (180)  c8 01-01 (181)  c14 2023-12-15 (198)
    c20 2023-07-01 (365)                                                             (n = 23)
orders_90d (timed, 04-02..06-30): 3 for c1 c3 c12 c21 c22 c23; 2 for c7 c11 c25 c27 c28 c30;
    1 for c5 c6 c24 c26; 0 for everybody else.
orders_365d (timed, 2023-07-02..06-30): 5: c26 c27; 4: c3; 3: c1 c12 c21 c22 c23 c28;
    2: c5 c7 c8 c10 c11 c15 c24 c25 c30; 1: c6 c14 c18 c19; 0: c2 c4 c9 c13 c16 c17 c20 c29.
engagement: +10 (>= 3 email_open on 06-01..06-30): c16 c18 c19 only (c1 c4 c17 have 2, c8 1,
    c30's open is tomorrow); +20 (did demo_requested): c9 c16 c17 c18 c19;
    -15 (last_order_at date < 04-01): c8 c10 c14 c15 c18 c20 (c19's 04-01 is not before).
    Totals: c16 30, c19 30, c9 20, c17 20, c18 15, c8/c10/c14/c15/c20 -15, others 0.
"""

from __future__ import annotations

import hashlib

EXPECTED: dict[str, list[int]] = {
    # region "West Coast" = c1 c3 c7 c12 c16 c23 c28; orders_90d >= 3: c1 (o3 at 04-02 00:00 is 89 days
    # ago: in), c3 (o7 at 04-01 23:59:59 is 90 days ago: out, still 3), c12, c23; c7 2, c28 2 (04-01 out), c16 0.
    "west_coast_regulars": [1, 3, 12, 23],
    # examples/parameterised.seg: region = r and orders_90d >= min_orders, with the regions of
    # the fixture: South = c6 c18 c25 c30, Midwest = c10 c19 c20 c21, East Coast = c4 c5 c9 c11
    # c15 c22 c27. South with >= 1: c6 (1), c25 (2), c30 (2); c18 has none.
    'regulars_in("South", 1)': [6, 25, 30],
    "southern_regulars": [6, 25, 30],
    # Midwest with >= 2: c21 (3); c10 c19 c20 have none in the window.
    'regulars_in("Midwest", 2)': [21],
    "midwest_regulars": [21],
    # East Coast with >= 3 (the default): c22 (3); c11 and c27 have 2, c5 1.
    'regulars_in("East Coast", 3)': [22],
    "east_coast_regulars": [22],
    # ltv > 1000: c3 c5 c8 c12 c15 c20 (c14 = 1000 exactly: out); last order date < 01-02: c8 (01-01 23:59:59),
    # c20 (2023-07-01); c15's last order 01-02 00:00:00 is exactly 180 days ago: not before -> out.
    "lapsed_vips": [8, 20],
    # engagement >= 25 needs +10 and +20 without -15: c16 (open at 06-01 00:00:00 counts), c19 (last order
    # 04-01 00:00 is not before 90 days ago); c18 = 15 (order 03-31 23:59:59); c17 = 20 (open at 05-31 is out); c9 = 20.
    "hot_leads": [16, 19],
    # 18 <= age < 35: c4 (18 in), c1 (34 in), c3 (35 out), c5 (17 out); missing age (c2 c13 c16) out.
    "s1": [1, 4, 6, 7, 9, 11, 12, 17, 19, 22, 25, 26, 27, 29],
    # everyone but the 7 West Coast customers; missing region (c2 c13 c14 c26) is IN (!= is not (=)).
    "s2": [2, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 29, 30],
    # plan pro/enterprise; missing plan (c2 c16) out.
    "s3": [1, 3, 5, 8, 11, 12, 14, 15, 18, 20, 22, 24, 26, 28],
    # every plan but "free" (c4 c9 c13 c19 c25 c29); missing plan (c2 c16) IN.
    "s4": [1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 26, 27, 28, 30],
    # 25 <= age <= 34: c6 (25) and c1 (34) in; c7 (24), c3 (35) out.
    "s5": [1, 6, 9, 11, 12, 17, 22, 26, 27, 29],
    # email set and phone missing: c3 c8 c13 c16 c27; c2 has no email; c4's phone "" is set -> out.
    "s6": [3, 8, 13, 16, 27],
    # ends with "@gmail.com" ignoring case: c3 "@GMAIL.COM", c8 "@Gmail.com", c29 "@GMAIL.com" in;
    # c4 "@gmail.com.au" out.
    "s7": [1, 3, 8, 15, 29],
    # contains "san" (any case): c1 San Francisco, c3 SAN JOSE, c6 Sanford, c7 Pleasanton, c18 San Antonio,
    # c28 Santa Monica; starts with "New" (any case): c4 New York, c9 Newark, c11 New "Haven", c27 new york.
    # Out: c13 São Paulo, c26 Sao Paulo, c23 Sacramento, c17 Salt Lake City, c2 (missing city).
    "s8": [1, 3, 4, 6, 7, 9, 11, 18, 27, 28],
    # is_subscribed true; false (c4 c7 c10 c14 c19 c20 c27) and missing (c2 c6 c13 c16 c29) out.
    "s9": [1, 3, 5, 8, 9, 11, 12, 15, 17, 18, 21, 22, 23, 24, 25, 26, 28, 30],
    # exact complement of s9: false AND missing.
    "s10": [2, 4, 6, 7, 10, 13, 14, 16, 19, 20, 27, 29],
    # exact "hiking": c5 ["Hiking"] out (case-sensitive); c29 ["hiking", "Camping"] in.
    "hikers": [1, 7, 8, 9, 12, 23, 24, 29],
    # hiking/camping/climbing: adds camping c3 c18 c22 c26 c30 and climbing c6 c19; c5 "Hiking" out;
    # missing (c2 c13 c16 c25) and empty (c4 c21) lists out.
    "outdoorsy": [1, 3, 6, 7, 8, 9, 12, 18, 19, 22, 23, 24, 26, 29, 30],
    # both mobile and desktop: c3 (plus tablet) and c30 (reversed order) in; c5 ["mobile", "mobile"] out.
    "multi_device": [1, 3, 11, 12, 19, 23, 24, 28, 30],
    # no ios_app/android_app: missing list (c2 c6 c9 c14 c16 c17 c27) and empty list (c4 c8 c20) IN,
    # c5 ["web_app"], c29 ["roku_app"] in.
    "no_apps": [2, 4, 5, 6, 8, 9, 14, 16, 17, 20, 27, 29],
    # signup 06-01..06-30: c1 (06-01) and c9 (06-30 = today) in; c4 (05-31) and c25 (07-01, future) out.
    "new_signups": [1, 9, 16],
    # 2024-01-01..2024-03-31 inclusive: c6 (01-01), c10 (02-29), c7 (03-31); c30 (2023-12-31), c17 (04-15) out.
    "q1_signups": [6, 7, 10],
    # signup < 2020-01-01: c5 (2019-12-31) in, c3 (2020-01-01) out.
    "early": [5, 8, 14, 15, 20, 26, 27],
    # date(last_order_at) > 06-16: c7 (06-17 00:00:00) in, c6 (06-16 23:59:59) out; c25 (future 07-01) in;
    # c5 (06-30 23:59:59) in; c13 (order without time) has no last_order_at -> out.
    "recent_buyers": [1, 3, 5, 7, 22, 23, 25, 30],
    # date(last_order_at) < 01-02: c8 (01-01 23:59:59) in, c15 (01-02 00:00:00) out, c14 and c20 in.
    "dormant": [8, 14, 20],
    # 06-30 <= renewal < 07-30: c1 (today) and c3 (07-29) in; c5 (06-29) and c4 (07-30) out.
    "renewals_due": [1, 3, 20, 22, 25, 28, 30],
    # signup on 2024-06-01: only c1.
    "on_launch_day": [1],
    # >= 3 timed orders on 04-02..06-30: c21 (tie at 06-05 counts twice), c22 (3 at one timestamp);
    # c28 (04-01 10:00 out), c25 (07-01 future out) have 2.
    "frequent": [1, 3, 12, 21, 22, 23],
    # ltv > 500: c24 = 670 in (its 500 order has no time but still counts), c14 = 1000 in; c13 = 300 out.
    "big_spenders": [3, 5, 8, 12, 14, 15, 20, 24],
    # >= 5 distinct non-missing ordered_at: c27 (5); c26 has 4 (duplicate timestamp, one missing).
    "loyal": [27],
    # avg(amount) ignoring missing >= 100: c28 (150, 50 -> 100) and c6 (100) in; c10 99.5, c30 99.75 out;
    # c13 (300, untimed) in; c14 (1000 and a missing amount) in; c11 (all amounts missing) out.
    "high_aov": [3, 5, 6, 8, 12, 13, 14, 15, 18, 19, 20, 24, 28],
    # a refunded order: c3 o7, c19 o29, c20 o31, c22 o37, c28 o60; c30's missing status is not "refunded".
    "ever_refunded": [3, 19, 20, 22, 28],
    # no order rows at all; c13 (only order has no time) has an order -> out.
    "never_bought": [2, 4, 9, 16, 17, 29],
    # channel of the latest order seen (timed before now, 07-01 00:00) = mobile_app: c12; c21 (tie
    # mobile_app / missing -> mobile_app); c24 (untimed web order ignored). Out: c25 (its mobile_app order
    # at 07-01 00:00:00 is after now; the latest seen is o46 06-29 phone), c7 and c22 (tie with web ->
    # web), c23 (latest channel missing), c30 (tie web/store -> web), c13 (no timed order).
    "mobile_first": [12, 21, 24],
    # >= 2 webinars on 2023-07-02..06-30: c10 (2023-07-02 in), c27; c11 (2023-07-01 23:59:59 out -> 1),
    # c29 (one without time -> 1) out.
    "webinar_fans": [10, 27],
    # workshop_registered with city exactly "Boston": c15, c21 (event without time: no window, counts);
    # c5 "boston", c3 "Cambridge", c28 missing city out.
    "boston_workshop": [15, 21],
    # any unsubscribed event: c3, c4, c20 (event time missing, still counts without a window).
    "unsubscribed": [3, 4, 20],
    # session 06-24..06-30 and no order_completed 06-01..06-30: c7 (06-24 00:00), c24 (session today 23:59:59,
    # order_completed 05-31 23:59:59 out of window), c9, c13, c29 in; c12 (session 06-23 23:59:59) out;
    # c5 (order_completed today), c22, c26 (order_completed 06-01 00:00) out.
    "active_not_buying": [1, 3, 7, 9, 13, 24, 29],
    # n = 30, ceil(3) = 3 from the top: c5 2000, c15 1500, then the 1200 tie c3/c8/c12 -> lowest id c3.
    "top_decile": [3, 5, 15],
    # ceil(15) = 15 from the bottom: eight zeros, c25 c27 c21 c30 c6 c7, then the 120 tie c23/c26 -> c23 in, c26 out.
    "bottom_half": [2, 4, 6, 7, 9, 11, 16, 17, 19, 21, 23, 25, 27, 29, 30],
    # n = 30 < 100 and lifetime_value is never missing: everybody.
    "top_100": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    # recency_quintile: 23 ranked by days_since asc -> NTILE sizes 5,5,5,4,4; bucket 1 = c25 c5 c3 c30 c22
    # (c22/c23 tie at 4 days: c22 in, c23 in bucket 2). bucket(orders_365d, 5): 30 ranked, 6 per bucket;
    # bucket 5 = ranks 25-30 = c22 c23 c28 (the 3-order tie split: c1 c12 c21 in bucket 4) c3 c26 c27.
    "champions": [3, 22],
    # west_coast_regulars {1,3,12,23} and top_decile {3,5,15}: c12 lost the 1200 tie.
    "west_coast_vips": [3],
    # lapsed_vips {8,20} minus unsubscribed {3,4,20}.
    "win_back": [8],
    # ================================================================ v2 time (examples/time.seg)
    # Q1 2024 = 01-01..03-31 by the date of ordered_at: c8 (o15 01-01 23:59:59), c18 (o28 03-31 23:59:59),
    # c10 (02-29, 03-30), c15 (01-02), c24 (03-15), c26 (01-10..03-10), c27 (01-05..03-05);
    # c19 (o29 04-01 00:00:00) and c14 (2023-12-15) out.
    "q1_buyers": [8, 10, 15, 18, 24, 26, 27],
    # a session dated before 05-31 and none on 06-01..06-30: c10 (05-30 23:59:59), c15 (04-01), c18 (03-31);
    # c27's only session 05-31 00:00:00 is exactly 30 days ago (neither before nor in the last 30 days);
    # c1 (05-24) and c7 (04-01, 05-25) also had a session in June.
    "lapsed_sessions": [10, 15, 18],
    # an order dated 04-01..05-31: c19 (o29 04-01 00:00:00, 90 days ago) in; c3 (o7 04-01 23:59:59 and more),
    # c28 (o60 04-01, o59 05-01), c1 c12 c21 c25 c26 c27 in; c18 (03-31 23:59:59), c10 (03-30),
    # c11 (06-01 00:00:00, 29 days ago) out.
    "mid_band_buyers": [1, 3, 12, 19, 21, 25, 26, 27, 28],
    # last month = May 2024: c17 (05-01 00:00:00 and 05-31 23:59:59) has 2; c6 (05-01) and c10 (05-02) one
    # each; c16's 06-01 00:00:00 open is June.
    "june_openers": [17],
    # June 2024: c1 (06-01), c16 (06-15), c9 (06-30); c4 (05-31) and c25 (07-01) out.
    "signed_up_this_month": [1, 9, 16],
    # the next quarter is 07-01..09-30: c25 and c28 (07-01), c11 (09-30) in with c3 c4 c10 c18 c20 c22 c30;
    # c1 (06-30, this quarter), c24 (11-11) out; missing renewal (c2 c6 c13 c16 c19 c29) out.
    "renew_next_quarter": [3, 4, 10, 11, 18, 20, 22, 25, 28, 30],
    # last year = 2023: c5 (2023-07-01/02), c8 (2023-11-20), c14 (2023-12-15; its 2022 order does not
    # count), c15 (2023-10-10), c20 (2023-07-01, 2023-05-01); c8's 2024-01-01 order alone would not count.
    "bought_last_year": [5, 8, 14, 15, 20],
    # this week = Monday 06-24 .. Sunday 06-30: c7 and c29 (06-24 00:00:00), c24 (06-30 23:59:59), c5, c9
    # and the others with a late-June session; c12's only session (Sunday 06-23 23:59:59) is last week.
    "active_this_week": [1, 3, 5, 7, 9, 13, 22, 24, 26, 29],
    # month-day 06-30..07-06: c1 and c24 (06-30, today), c9 (07-01), c22 (07-03), c3 (07-06, the 7th day);
    # c4 (07-07), c30 (07-08) and c5 (06-29, yesterday) out; c7's 29 February is not near.
    "birthday_this_week": [1, 3, 9, 22, 24],
    # June birthdays: c6 (06-01), c18 (06-15), c25 (06-23), c29 (06-24), c5 (06-29), c1 c24 (06-30);
    # c8 (05-31) and c9 (07-01) out; missing birth_date (c2 c13 c16) out.
    "birthday_month": [1, 5, 6, 18, 24, 25, 29],
    # born on a 30 June.
    "birthday_today": [1, 24],
    # a signup month-day on 06-24..06-30 with at least one completed year: only c9 (signed up today,
    # 0 years) has the month-day; c29 (2023-07-01) is tomorrow and 0 years. Nobody.
    "signup_anniversary": [],
    # renewal < signup + 365 days: c1 (2024-06-30 < 2025-06-01), c4 (07-30 < 2025-05-31), c7 (2025-02-27 <
    # 2025-03-31), c10 (08-15 < 2025-02-28: 2024-02-29 + 365), c25 (07-01 < 2025-07-01), c30 (07-14 <
    # 2024-12-30: 2023-12-31 + 365 in a leap year); equal dates are not before: c9 (2025-06-30), c17
    # (2025-04-15); c18 one day late (2024-09-01 vs 2024-08-31); missing renewal or signup out.
    "renewed_early": [1, 4, 7, 10, 25, 30],
    # an order dated before signup + 30 days: c1 (signup 06-01, orders before 07-01), c10 (o16 02-29 <
    # 03-30; o17 on 03-30 itself is not before), c25 (signup 07-01: o45 05-20 and o46 06-29; o44 at
    # 07-01 is after now); c13's only order has no time; everybody else ordered years after signing up.
    "activated": [1, 10, 25],
    # days from the date of the first to the date of the last order seen (time < now) > 90: c5 (2023-07-01
    # .. o10 06-30 23:59:59 = 365), c14 (2022-02-28 .. 2023-12-15), c26 (01-10 .. 04-10 = 91), c27 (01-05 ..
    # 05-05 = 121); c3 (04-01 .. 06-29 = 89), c24 (03-15 .. 06-12 = 89, its untimed order ignored),
    # c15 (84) out; c25 (05-20 .. 06-29: o44 after now) out; a single day (c6 c7 c22 c30) is 0.
    "slow_second_order": [5, 14, 26, 27],
    # >= 3 orders on a Saturday or Sunday: c5 (Sat 2023-07-01, Sun 2023-07-02, Sun 06-30 23:59:59);
    # c11 (Sat 06-01, Sun 06-02) and c26 (Sat 02-10, Sun 03-10) have 2; c24's untimed order has no weekday.
    "weekend_shoppers": [5],
    # ================================================================ v2 ranking (ranking_per_group.seg)
    # ceil(5% of n) = 1 per region; missing region (c2 c13 c14 c26) unranked. West Coast (n 7): c3 and c12
    # tie at 1200 -> lower key c3; East Coast (7): c5 2000; South (4): c18 200; Midwest (4): c20 1100;
    # Mountain (4): c8 1200.
    "top_spenders_per_region": [3, 5, 8, 18, 20],
    # percentile 100 = the highest lifetime_value of each plan: free c13 (300, untimed order), basic c10
    # (199), pro c15 (1500), enterprise c5 (2000); missing plan (c2 c16) unranked.
    "best_of_plan": [5, 10, 13, 15],
    # NTILE(5) inside each region from the lowest up: West Coast (7: sizes 2,2,1,1,1) c16 c7 | c23 c28 |
    # c1 | c3 | c12 (the 1200 tie ordered by key: c3 before c12); East Coast (7) bucket 5 = c5; South,
    # Midwest and Mountain have 4 customers each -> buckets 1..4 only, nobody in bucket 5.
    "top_quintile_in_region": [5, 12],
    # ================================================================ v2 lifecycle (lifecycle.seg)
    # the earliest order_completed (before now) dated 06-01..06-30: c5 (06-30 23:59:59), c21 (06-05),
    # c22 (06-25); c26's first is 04-10 (its 06-01 00:00:00 one is not the first); c24's only one is
    # 05-31 23:59:59.
    "first_time_buyers": [5, 21, 22],
    # the latest session dated 04-01..05-31: c10 (05-30), c27 (05-31, 30 days ago), c15 (04-01, 90 days
    # ago); c18 (03-31 23:59:59) out; c1 and c7 have older sessions in the band but a later one in June.
    "last_seen_band": [10, 15, 27],
    # an email_open before now, none on 05-02..06-30: c6 (05-01 23:59:59, 60 days ago); c10 (05-02
    # 00:00:00) out; c17 (05-01 and June) out; c30's only open is tomorrow (not seen) -> out.
    "stopped_opening": [6],
    # a session on 06-24..06-30, none on 05-25..06-23, one before: c1 (06-25; 05-24 23:00). c7 (05-25
    # 00:00:00 in the gap), c22 and c26 (June sessions in the gap) out; c3 c5 c9 c13 c24 c29: no earlier
    # session (a first ever is not a comeback).
    "came_back": [1],
    # distinct session days on 06-24..06-30 >= 4: c24 (06-24 00:00:00, 06-26, 06-28, 06-30 23:59:59);
    # c3 has 4 sessions on 3 days (06-25, 06-26, 06-28 twice).
    "regulars": [24],
    # weeks 06-24..06-30, 06-17..06-23, 06-10..06-16, 06-03..06-09 with a session >= 3: c26 (06-26,
    # 06-17 00:00:00, 06-12); c22 (06-27, 06-20; 06-02 23:59:59 is the fifth week) has 2.
    "steady": [26],
    # ================================================================ v2 programmes (programmes.seg)
    # lifecycle: the first rule that holds, in file order (per-customer values in the docstring).
    # champions = orders_90d >= 3 and lifetime_value >= 1000: of the six with 3 orders (c1 c3 c12 c21
    # c22 c23) only c3 and c12 (1200 each) reach 1000; c3's o7 (04-01 23:59:59) is out of the window
    # but 3 remain. c5 (2000) and c15 (1500) have 1 and 2 orders: not champions.
    "lifecycle.champions": [3, 12],
    # orders_90d >= 2, champions removed: the other 3-order customers c1 (o3 at 04-02 00:00:00 is in)
    # c21 c22 c23, and the 2-order ones c7 c11 c25 (o44 at 07-01 is after now: o45, o46) c27 c28 c30.
    "lifecycle.loyal": [1, 7, 11, 21, 22, 23, 25, 27, 28, 30],
    # date(last_order_at) < 01-02: c8 (01-01 23:59:59), c14 (2023-12-15), c20 (2023-07-01), none with
    # 2 orders in 90 days; c15 (01-02 00:00:00, exactly 180 days ago) is not before -> at_risk.
    "lifecycle.lapsed": [8, 14, 20],
    # date(last_order_at) < 04-01, lapsed removed: c10 (03-30), c15 (01-02), c18 (03-31 23:59:59);
    # c19 (04-01 00:00:00, exactly 90 days ago) is not before; no order at all (c2 c4 c9 c16 c17 c29)
    # or only an untimed one (c13) means no last_order_at: the rule is false, not unknown.
    "lifecycle.at_risk": [10, 15, 18],
    # signup 06-01..06-30 (new_signups: c1 c9 c16): c1 is loyal first; c4 (05-31) out, c25 (07-01,
    # future) is loyal anyway.
    "lifecycle.newcomers": [9, 16],
    # every customer in no rule: no or untimed orders and not new (c2 c4 c13 c17 c29); one order in 90
    # days and a last order after 04-01: c5 (2000 but 1 order), c6, c24, c26 (5 in a year, 1 in 90 days);
    # c19 (last order 04-01 00:00:00 is not before 90 days ago). 2+10+3+3+2+10 = 30: each customer once.
    "lifecycle.others": [2, 4, 5, 6, 13, 17, 19, 24, 26, 29],
    # lifecycle in [at_risk, lapsed] = c8 c10 c14 c15 c18 c20 and is_subscribed true (s9): c8 c15 c18;
    # c10 c14 c20 are false.
    "reactivation": [8, 15, 18],
    # holdout buckets (PROGRAMME_BUCKETS below) < 1000: c4 (408), c7 (584); c28 (1236) is next.
    "global_holdout": [4, 7],
    # summer_campaign.treatment (GROUPS) without the holdout: c7 (bucket 6779, treatment) is held out.
    "summer_send": [1, 3, 9, 11, 16, 21, 22, 23, 25, 27],
}


# ---------------------------------------------------------------- split buckets (programmes.seg)
# The bucket of LANGUAGE.md "Splits and holdouts": the first 15 hex digits of the md5 of
# "segdsl|<split>|<salt>|<key>", as an integer, modulo 10000. The table below was written with
# this helper (Python's hashlib, not the compiler); tests/test_examples_programmes.py checks that
# the two still agree, so the group lists underneath are derived from independent arithmetic.


def bucket(split: str, salt: str, key: int) -> int:
    text = f"segdsl|{split}|{salt}|{key}"
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[:15], 16) % 10000


# key -> (global_holdout: salt "global_holdout", summer_campaign: salt "2024-07")
PROGRAMME_BUCKETS: dict[int, tuple[int, int]] = {
    1: (4971, 2274), 2: (5773, 4653), 3: (6790, 2046), 4: (408, 3162), 5: (5070, 9060),
    6: (8705, 2696), 7: (584, 6779), 8: (9056, 3305), 9: (9573, 4056), 10: (4102, 6645),
    11: (7891, 8225), 12: (3882, 404), 13: (2650, 4229), 14: (6478, 1221), 15: (5979, 537),
    16: (4153, 5994), 17: (3288, 1991), 18: (4959, 3500), 19: (7769, 889), 20: (4378, 5511),
    21: (7792, 8713), 22: (8058, 6665), 23: (9468, 8243), 24: (5413, 8048), 25: (5014, 3122),
    26: (1462, 6113), 27: (7338, 8669), 28: (1236, 1842), 29: (3963, 9738), 30: (7814, 942),
}

# Split groups: run by their dotted names, not with the project's segments (a project run runs
# segments and holdouts). summer_campaign's population is lifecycle in [champions, loyal,
# newcomers] = c1 c3 c7 c9 c11 c12 c16 c21 c22 c23 c25 c27 c28 c30 (14); control is buckets
# 0..1999 (20%), treatment 2000..9999.
GROUPS: dict[str, list[int]] = {
    # c12 (404), c28 (1842), c30 (942); c3 (2046) just misses; c15 (537), c19 (889), c14 (1221) and
    # c17 (1991) have control buckets but are outside the population (at_risk, others, lapsed, others).
    "summer_campaign.control": [12, 28, 30],
    # the rest of the population, the holdout's c7 included (the split does not know the holdout).
    "summer_campaign.treatment": [1, 3, 7, 9, 11, 16, 21, 22, 23, 25, 27],
}
