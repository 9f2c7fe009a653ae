"""Expected members of every segment in tests/cases/acme_extra/extra.seg, on the fixture data of
tests/fixtures/acme_data.py with as-of date 2024-06-30 (UTC).

Derived BY HAND, customer by customer (no code evaluated any segment). The comment above each
entry says why the borderline customers are in or out. "cN" is customer_id N, "oN" order_id N.
The not_* entries were written out by hand as well; tests/test_members.py checks that each is
the exact complement of its segment.

Per-customer order facts used below (timed = ordered_at not missing; first/last use timed rows only)
-------------------------------------------------------------------------------------------------
    id  rows  amounts (missing ignored)  min    max     avg     first row(s)            last row(s)
    1   3     120 80 50                 50     120     83.33   04-02 50 paid web       06-20 120 paid web
    3   4     400 400 400 99            99     400     324.75  04-01 99 refunded web   06-29 400 paid store
    5   3     1000 1000 25              25     1000    675     2023-07-01 1000 phone   06-30 25 cancelled web
    6   1     100                       100    100     100     06-16 100 paid web      (same)
    7   2     60 40 (same timestamp)    40     60      50      tie: first mobile_app/40, last web/60
    8   2     700 500                   500    700     600     2023-11-20 store        01-01 500 paid phone
    10  2     99 100                    99     100     99.5    02-29 99 web            03-30 100 web
    11  2     (both missing)            -      -       -       06-01 paid web          06-02 status/channel missing
    12  3     600 600 50                50     600     416.67  04-05 50 cancelled      06-10 600 paid mobile_app
    13  1     300 (no time)             300    300     300     - (no timed row)        -
    14  2     1000 (+1 missing)         1000   1000    1000    2022-02-28 channel/amount missing, cancelled; last 2023-12-15 1000 paid phone
    15  2     1000 500                  500    1000    750     2023-10-10 store        01-02 500 paid store
    18  1     200                       200    200     200     03-31 paid web          (same)
    19  1     150                       150    150     150     04-01 refunded web      (same)
    20  2     1100 50                   50     1100    575     2023-05-01 50 refunded  2023-07-01 1100 paid phone
    21  3     30 20 10                  10     30      20      05-01 10 web            tie 06-05: mobile_app/missing channel, 30/20
    22  3     75 75 75 (same timestamp) 75     75      75      tie: mobile_app, paid   tie: web, refunded
    23  3     40 40 40                  40     40      40      06-18 40 mobile_app     06-26 channel missing
    24  3     500 (no time) 80 90       80     500     223.33  03-15 90 store          06-12 80 mobile_app
    25  3     10 10 0                   0      10      6.67    05-20 10 web            07-01 10 mobile_app (future)
    26  6     20 x6 (one without time)  20     20      20      01-10 web (x2)          04-10 web
    27  5     10 x5                     10     10      10      01-05 paid web          05-05 cancelled store
    28  3     150 (missing) 50          50     150     100     04-01 50 refunded store 06-01 150 paid store
    30  2     99.75 99.75 (same ts)     99.75  99.75   99.75   tie: store (status paid) tie: web, status paid/missing -> paid
    no orders: c2 c4 c9 c16 c17 c29 (min/max/avg/first/last missing, count/sum 0)

ltv ascending (= lifetime_value of examples_members.py): r1-8 = 0 (c2 c4 c9 c11 c16 c17 c19 c29),
    r9 c25 20, r10 c27 40, r11 c21 60, r12 c30 99.75, r13 c6 100, r14 c7 100, r15 c23 120, r16 c26 120,
    r17 c22 150, r18 c28 150, r19 c10 199, r20 c18 200, r21 c1 250, r22 c13 300, r23 c24 670,
    r24 c14 1000, r25 c20 1100, r26 c3 1200, r27 c8 1200, r28 c12 1200, r29 c15 1500, r30 c5 2000 (n = 30)
max_amount ascending (missing for c11 and the no-order customers; n = 23):
    r1 c25 10, r2 c27 10, r3 c26 20, r4 c21 30, r5 c23 40, r6 c7 60, r7 c22 75, r8 c30 99.75,
    r9 c6 100, r10 c10 100, r11 c1 120, r12 c19 150, r13 c28 150, r14 c18 200, r15 c13 300,
    r16 c3 400, r17 c24 500, r18 c12 600, r19 c8 700, r20 c5 1000, r21 c14 1000, r22 c15 1000, r23 c20 1100
risk: +5 is_subscribed = false (c4 c7 c10 c14 c19 c20 c27); -10 refunded order (c3 c19 c20 c22 c28);
    +3 age missing (c2 c13 c16) -> c4 c7 c10 c14 c27: 5; c2 c13 c16: 3; c19 c20: -5; c3 c22 c28: -10; others 0.
"""

EXPECTED: dict[str, list[int]] = {
    # ---------------------------------------------------------------- min / max / first / last
    # min < 20: c25 (0.0), c21 (10), c27 (10); c26 min 20 out; c11 (amounts all missing) and no-order customers out.
    "min_amount_small": [21, 25, 27],
    # earliest timed order's channel = web: c3 (04-01 refunded web), c21 (05-01 web), c11 (06-01 web);
    # out: c7, c22 (ties -> smallest "mobile_app"), c30 (tie -> "store"), c14 (earliest channel missing), c13 (no timed order).
    "first_channel_web": [1, 3, 6, 10, 11, 18, 19, 21, 25, 26, 27],
    # missing: no orders (c2 c4 c9 c16 c17 c29), c13 (no timed order), c14 (earliest row's channel missing);
    # c23 and c21 (missing channel only on a later row) out.
    "first_channel_unknown": [2, 4, 9, 13, 14, 16, 17, 29],
    # missing: no orders, c13 (no timed order), c11 (latest row status missing); c30 (tie paid/missing -> paid) out.
    "last_status_unknown": [2, 4, 9, 11, 13, 16, 17, 29],
    # c7's latest timestamp holds 60 and 40 -> last takes the greatest, 60; c21's tie gives 30.
    "last_amount_60": [7],
    # c7's tie -> first takes the smallest, 40; c23 earliest (06-18) is 40; c21 first is 10.
    "first_amount_40": [7, 23],
    # earliest timed order date < 2024-01-01: c5 (2023-07-01), c8, c14 (2022-02-28), c15, c20 (2023-05-01);
    # c27 (2024-01-05), c26 (2024-01-10) out; c13 (no timed order) out.
    "first_order_before_2024": [5, 8, 14, 15, 20],
    # date(max ordered_at of the orders seen, i.e. before now = 07-01 00:00) > 06-29: c5 (06-30
    # 23:59:59); c25 out (its 07-01 00:00:00 order is after now), c3 (06-29 12:00) out.
    "ordered_after_jun29": [5],
    # ---------------------------------------------------------------- count_distinct / avg / count / sum
    # distinct non-missing channels >= 2: c24 (untimed web + store + mobile_app), c21 (web, mobile_app; missing ignored);
    # c23 (mobile_app + missing) and c11 (web + missing) and c14 (phone + missing) out.
    "multi_channel": [1, 3, 5, 7, 8, 21, 22, 24, 25, 27, 30],
    # avg missing: no orders and c11 (all amounts missing); c14 (1000 + missing) has 1000.
    "no_avg_amount": [2, 4, 9, 11, 16, 17, 29],
    # an order with status != paid, missing status included: c11 (o19) and c30 (o62) in; cancelled c5 c12 c14 c27.
    "has_unpaid": [3, 5, 11, 12, 14, 19, 20, 22, 27, 28, 30],
    # refunded amount sum = 0 (0 when no refunded rows, incl. no orders); out: c3 99, c19 150, c20 50, c22 75, c28 50.
    "no_refund_amount": [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 23, 24, 25, 26, 27, 29, 30],
    # sum of non-paid amounts >= 50: c30 99.75 (missing status counts), c12 50 and c20 50 and c28 50 (exactly);
    # c5 25, c27 10 out; c11 and c14 (their non-paid rows miss the amount -> 0) out.
    "unpaid_sum_50": [3, 12, 19, 20, 22, 28, 30],
    # ---------------------------------------------------------------- did
    # exactly 2 email_open ever: c1, c4; c16-c19 have 3, c8 and c30 (future open counts without a window) have 1.
    "two_opens": [1, 4],
    # at most 2 email_open: includes 0 (everybody without opens); out only c16 c17 c18 c19 (3 each).
    "few_opens": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    # >= 2 webinars, no window: c11 (one 365 days ago) and c29 (one without time) count both.
    "webinar_twice_ever": [10, 11, 27, 29],
    # >= 2 opens on 06-17..06-30: c1 (06-20, 06-21), c19; c16 has only 06-29 in range; c4 (06-10/11) out; c30's is tomorrow.
    "opens_2w": [1, 19],
    # a session 06-01..06-30 whose city != "Seattle" (missing city counts): c5 c9 c22 c24 c26 c29 (city missing) in;
    # c12's only session is in Seattle -> out.
    "sessions_not_seattle": [1, 3, 5, 7, 9, 13, 22, 24, 26, 29],
    # ---------------------------------------------------------------- relative windows
    # no timed order on 06-01..06-30: c11 (06-01 00:00) and c28 (06-01 10:00) have one -> out; c25's 07-01 is
    # outside but 06-29 inside -> out; c13 (untimed only), c27 (05-05) in; no-order customers in.
    "quiet_month": [2, 4, 8, 9, 10, 13, 14, 15, 16, 17, 18, 19, 20, 26, 27, 29],
    # an order on 06-17..06-30: c7 (06-17 00:00) in, c6 (06-16 23:59:59) out.
    "ordered_2w": [1, 3, 5, 7, 22, 23, 25, 30],
    # >= 3 orders on 03-31..06-30 (3 months): c28 (04-01 10:00 counts, unlike in 90 days) in; c10 (03-30) has 0.
    "frequent_3m": [1, 3, 12, 21, 22, 23, 28],
    # an order on 03-31..06-30 with amount > 100: c18 (03-31 23:59:59, 200), c19 (refunded 150 counts: filter is on
    # amount only); c6 (100 not > 100), c24 (500 has no time), c10 (03-30 outside) out.
    "big_recent_3m": [1, 3, 12, 18, 19, 28],
    # an order on 2023-07-01..06-30 (1 year): c20 (2023-07-01 15:00) in; c13 (untimed) out.
    "bought_last_year": [1, 3, 5, 6, 7, 8, 10, 11, 12, 14, 15, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30],
    # an order on 2023-07-02..06-30 (365 days, leap year): c20 (2023-07-01) out; c5 has 2023-07-02 and 06-30.
    "bought_last_365": [1, 3, 5, 6, 7, 8, 10, 11, 12, 14, 15, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 30],
    # 4 months ago = 02-29 (clamped): signup 03-01..06-30: c7 (03-31), c4 (05-31) in; c10 (02-29) out; c25 (future) out.
    "signup_4_months": [1, 4, 7, 9, 16, 17],
    # signup < 02-29: c6 (2024-01-01) in; c10 (02-29 exactly) out; c2 (missing) out.
    "signup_before_4_months_ago": [3, 5, 6, 8, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30],
    # 06-30 <= renewal < 07-14: c1 (today), c25 and c28 (07-01), c22 (07-04); c30 (07-14) and c5 (06-29) out.
    "renew_2_weeks": [1, 22, 25, 28],
    # 06-30 <= renewal < 2025-02-28 (clamped): c7 (2025-02-27) in; c8 (2025-02-28) and c21 (2025-03-01) out.
    "renew_8_months": [1, 3, 4, 7, 10, 11, 12, 14, 18, 20, 22, 24, 25, 27, 28, 30],
    # ---------------------------------------------------------------- between / on / before / after / today
    # 50000 <= income <= 100000: c1 (50000) and c3 (100000) in; c7 (49999.99), c28 (100000.5) out; missing out.
    "mid_income": [1, 3, 6, 10, 11, 12, 17, 18, 20, 21, 22, 23, 24, 26, 27, 29],
    # 2023-02-28 <= signup <= 2024-02-29: c11 (2023-02-28) and c10 (2024-02-29) in; c21 (2022-02-28), c7 (03-31) out.
    "signup_window": [6, 10, 11, 18, 19, 29, 30],
    # signup on the leap day.
    "leap_day_signup": [10],
    # renewal > 2024-12-31: c27 (2025-01-01) in, c14 (2024-12-31) out.
    "renew_after_2024": [7, 8, 9, 12, 15, 17, 21, 23, 26, 27],
    # an order dated 06-30: c5 (23:59:59); c25's 07-01 00:00:00 out.
    "ordered_today": [5],
    # signup_date = 2024-06-30: c9; c25 (07-01) out.
    "signup_today": [9],
    # ---------------------------------------------------------------- lists
    # missing (c2 c6 c9 c14 c16 c17 c27) or empty (c4 c8 c20) apps; c29 ["roku_app"] and c5 ["web_app"] are set.
    "apps_not_set": [2, 4, 6, 8, 9, 14, 16, 17, 20, 27],
    # non-empty interests; out: missing (c2 c13 c16 c25) and empty (c4 c21).
    "interests_set": [1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 18, 19, 20, 22, 23, 24, 26, 27, 28, 29, 30],
    # ---------------------------------------------------------------- strings
    # literal "%": only c7 "100%_real@..."; a LIKE-based '%%%' would match everyone.
    "pct_email": [7],
    # literal "_": c6 "eve_smith@...", c7; a LIKE '%_%' would match every non-empty email.
    "underscore_email": [6, 7],
    # literal "0%_r": c7 ("100%_real"); c9 "100abreal" matches it only as a LIKE pattern -> out.
    "like_decoy": [7],
    # ends with one backslash: c11 "trailing\"; c10 has a backslash in the middle only.
    "backslash_end": [11],
    # contains k\s: c10 "back\slash@example.com".
    "backslash_mid": [10],
    # contains a double quote: c11 'New "Haven"'.
    "quote_city": [11],
    # starts with o'f ignoring case: c10 "O'Fallon".
    "apostrophe_city": [10],
    # "zür" in lower(city): c14 "Zürich"; c20 "Zurich" (no umlaut) out.
    "zurich": [14],
    # "são" in lower(city): c13 "São Paulo"; c26 "Sao Paulo" (no tilde) out.
    "sao": [13],
    # exact, case-sensitive: c27 "new york"; c4 "New York" out.
    "city_exact": [27],
    # lower(city) = "boston": c5 "Boston", c15 "BOSTON".
    "boston_any_case": [5, 15],
    # ---------------------------------------------------------------- ranking
    # top 4 by ltv: c5 2000, c15 1500, then the 1200 tie by id: c3, c8 (c12 out).
    "top4_ltv": [3, 5, 8, 15],
    # top 3 by max_amount: c20 1100, then the 1000 tie by id: c5, c14 (c15 out).
    "top3_max_amount": [5, 14, 20],
    # ceil(30 * 20 / 100) = 6 lowest ltv: six of the eight zeros by id: c2 c4 c9 c11 c16 c17 (c19 c29 out).
    "bottom_20_ltv": [2, 4, 9, 11, 16, 17],
    # n = 23 (missing max excluded), ceil(5.06) = 6 lowest: c25 c27 (10) c26 c21 c23 c7; c22 (75) out.
    "bottom_22_max": [7, 21, 23, 25, 26, 27],
    # percentile = 100 (r - 1) / 29 >= 90 <=> r >= 28: c12 (r28, the highest id of the 1200 tie), c15, c5;
    # c8 (r27: 89.66) and c3 (r26) out.
    "ltv_pct_90": [5, 12, 15],
    # percentile = 100 (r - 1) / 22 in [40, 60] <=> r in 10..14: c10 (40.9; c6 r9 = 36.4 out), c1, c19, c28,
    # c18 (r14 = 59.1; c13 r15 = 63.6 out).
    "max_pct_mid": [1, 10, 18, 19, 28],
    # NTILE(4) over 23: sizes 6,6,6,5 -> bucket 2 = r7..12: c22 c30 c6 c10 c1 c19 (c28, tied with c19 at 150, is r13).
    "max_bucket_2": [1, 6, 10, 19, 22, 30],
    # NTILE(7) over 30: sizes 5,5,4,4,4,4,4 -> bucket 7 = r27..30: c8 c12 c15 c5 (c3, same 1200, is r26).
    "ltv_bucket_7": [5, 8, 12, 15],
    # ---------------------------------------------------------------- functions and arithmetic
    # coalesce(age, 0) < 18: missing age (c2 c13 c16) and c5 (17); c4 (18) out.
    "minor_or_unknown": [2, 5, 13, 16],
    # round(avg, 0) = 100: c6 100, c28 100 (missing amount ignored), c10 99.5 -> 100, c30 99.75 -> 100; c11 missing.
    "avg_rounds_100": [6, 10, 28, 30],
    # 35 <= age <= 45: c3 (35) and c8 (45) in, c1 (34) out; missing age out.
    "near_40": [3, 8, 15, 18, 23, 24, 30],
    # signup in 2023: c11 (2023-02-28), c29 (2023-07-01), c30 (2023-12-31); c6 (2024-01-01) out.
    "signed_2023": [11, 18, 19, 29, 30],
    # February signups: c10 (2024-02-29), c11 (2023-02-28), c21 (2022-02-28).
    "feb_signup": [10, 11, 21],
    # today - signup <= 30: c4 (30 days) in, c25 (-1, future) in, c17 (76) out, c2 missing out.
    "recent_days": [1, 4, 9, 16, 25],
    # sum(amount) / refunded count > 200: c3 1299, c20 1150, c22 225 in; c28 200 (not > 200), c19 150 out;
    # customers without refunds divide by 0 -> missing -> out.
    "refund_ratio": [3, 20, 22],
    # income / 1000 + age > 100: c17 101 in, c6 100 out; missing income (c9 c30) or age (c13 c16) out.
    "income_age_sum": [3, 5, 8, 10, 11, 12, 14, 15, 17, 18, 20, 21, 24, 28],
    # ---------------------------------------------------------------- booleans, traits, scores
    # ltv > 1000: c14 (1000 exactly) out.
    "vips": [3, 5, 8, 12, 15, 20],
    # complement of vips (a boolean trait is never missing).
    "non_vips": [1, 2, 4, 6, 7, 9, 10, 11, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    # risk > 0: 5 for unsubscribed-flag c4 c7 c10 c14 c27, 3 for missing age c2 c13 c16; c19 c20 (-5) out.
    "risky": [2, 4, 7, 10, 13, 14, 16, 27],
    # risk < 0: c19 c20 (-5), c3 c22 c28 (-10).
    "negative_risk": [3, 19, 20, 22, 28],
    # is_subscribed = false: missing (c2 c6 c13 c16 c29) out.
    "unsub_false": [4, 7, 10, 14, 19, 20, 27],
    # is_subscribed = true (same as s9).
    "sub_true": [1, 3, 5, 8, 9, 11, 12, 15, 17, 18, 21, 22, 23, 24, 25, 26, 28, 30],
    # is_subscribed != true: false and missing.
    "sub_not_true": [2, 4, 6, 7, 10, 13, 14, 16, 19, 20, 27, 29],
    # ---------------------------------------------------------------- segments of segments
    # vips {3,5,8,12,15,20} or minor_or_unknown {2,5,13,16}.
    "vip_or_minor": [2, 3, 5, 8, 12, 13, 15, 16, 20],
    # minor_or_unknown minus vips: c5 out.
    "young_not_vip": [2, 13, 16],
    # ---------------------------------------------------------------- complements
    "not_min_amount_small": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 26, 28, 29, 30],
    "not_first_channel_web": [2, 4, 5, 7, 8, 9, 12, 13, 14, 15, 16, 17, 20, 22, 23, 24, 28, 29, 30],
    "not_has_unpaid": [1, 2, 4, 6, 7, 8, 9, 10, 13, 15, 16, 17, 18, 21, 23, 24, 25, 26, 29],
    "not_two_opens": [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    "not_quiet_month": [1, 3, 5, 6, 7, 11, 12, 21, 22, 23, 24, 25, 28, 30],
    "not_renew_8_months": [2, 5, 6, 8, 9, 13, 15, 16, 17, 19, 21, 23, 26, 29],
    "not_mid_income": [2, 4, 5, 7, 8, 9, 13, 14, 15, 16, 19, 25, 28, 30],
    "not_pct_email": [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    "not_zurich": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    "not_top3_max_amount": [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    "not_max_bucket_2": [2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 23, 24, 25, 26, 27, 28, 29],
    "not_near_40": [1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 16, 17, 19, 20, 21, 22, 25, 26, 27, 28, 29],
    "not_refund_ratio": [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 23, 24, 25, 26, 27, 28, 29, 30],
    "not_income_age_sum": [1, 2, 4, 6, 7, 9, 13, 16, 19, 22, 23, 25, 26, 27, 29, 30],
}

# not_X -> X: each pair must split the 30 customers (checked in tests/test_members.py).
COMPLEMENTS: dict[str, str] = {
    name: name[len("not_"):] for name in EXPECTED if name.startswith("not_")
}
