"""Expected members of the v2 time, lifecycle and per-group ranking segments:
``EXPECTED`` for tests/cases/v2_time/*.seg on ``TABLES`` and ``NY_EXPECTED`` for
tests/cases/v2_time_ny/*.seg on ``NY_TABLES`` (both in tests/fixtures/time_data.py).

Derived BY HAND from the words of LANGUAGE.md (v2 "Time", "Ranking within groups",
"Lifecycle"), customer by customer; no code evaluated any segment. "cN" is customer_id N (UTC
project), "nN" customer N of the New York project, "oN" order_id N. Each entry maps
segment -> as-of (the text given to ``--as-of``) -> sorted member ids; the calendar facts each
as-of needs are in the docstring of tests/fixtures/time_data.py.

Interpretations
---------------
Where LANGUAGE.md leaves a choice, these fixtures take the reading a demanding marketer would
expect; an implementation that reads the spec differently should say why.

1. "now" for a date as-of D is D + 1 day 00:00 in the project zone; a relation row is seen
   when time < now. A row exactly at an instant as-of (o21 at 14:00:00) is not seen.
2. Windows ending today (`in last N units`, `in last 1 day`, `between A and B days ago`, `in
   last P`, `before`) see only rows before now: with an instant as-of, today's rows after
   14:00 are not seen (ordered_today).
3. Windows that reach past now see every row of the window, including today's rows before
   now and all rows after now: `in next N days` = dates today .. today + N - 1, the same with
   a date or an instant as-of; `in this P` = the whole period; `after D` = every date after D
   (no end); `between D1 and D2` with D2 after today = the whole range.
4. Rows with a missing time count for window-less conditions (`has orders`, `sum` in
   lifetime_value: c26, c40) and for nothing with a window, nor for lifecycle forms (a
   customer whose only email_open has no time did not "open": c68 is not in stopped_opening).
5. A timestamp compared with a date (`ordered_at before customer.signup_date + 30 days`)
   compares the timestamp's date in the project time zone, as every v1 date condition does;
   a filter on the time column inside `where` never sees a row after now (c3 at 06-30).
6. Rolling bands in months use today - M months with the v1 clamping, both ends included:
   `between 1 and 4 months ago` at 2024-06-30 = 02-29 .. 05-30.
7. A 29 February anniversary falls on 1 March in every non-leap year for every period form:
   February 2025 contains no anniversary of a 29 February birth, and `today` on 2025-03-01
   matches both 29 February and 1 March births. `years_since` completes a year of a
   29 February date on 1 March in non-leap years.
8. `on at most K days` counts 0 days too (it is the negation of `on at least K+1 days`, like
   v1's `at most N times`).
9. `did E in last S after a gap of G`: the gap is the G days just before the first day of the
   last-S window; "before the gap" is any seen row dated earlier than the gap.
10. `in at least K of last P weeks|months`: period i = (today - (i+1) unit, today - i unit],
    every boundary from today (the spec's words), so the month periods of 2025-06-30 are
    05-31..06-30, 05-01..05-30, 03-31..04-30 and 03-01..03-30.
11. Per-group ranking: lifetime_value is 0 (not missing) without paid orders, so every
    customer with a group value is ranked (c42 alone in Midwest); ties by the lower key inside
    the group; a group of one has percentile 100; with fewer customers than buckets, NTILE
    puts each in its own bucket 1..n.
12. Fiscal quarters start at the fiscal-year month (April): with fiscal_year_start = 4 they
    are Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar; `in last fiscal_quarter` at 2024-06-30 is
    2024-01-01..2024-03-31.

Facts used below (UTC project, as-of 2024-06-30 unless said; "seen" = timed and before now)
------------------------------------------------------------------------------------------
    orders by date: 2022: o13 c29 12-31 23:59:59; ranking o22..o33 06-15; c48..c53 weekday and
      days_between rows.  2023: o5 c21 12-31 23:59:59, o14 c30 01-01 00:00.
      2024: o6 c22 01-01 00:00, o9 c25 02-29, o7 c23 03-31 23:59:59, o8 c24 04-01 00:00,
      o4 c4 05-01, o11 c27 05-31 23:59:59, o12 c28 06-01 00:00, o19 c35 06-29 23:59:59,
      o2 c2 06-30 10:00, o20 c36 06-30 13:59:59, o21 c47 06-30 14:00:00, o1 c1 06-30 23:59:59,
      o15 c31 06-30 23:59:59; after now: o3 c3, o16 c32, o25 c39 (paid 1000), o39 c50 all
      07-01 00:00, o48 c53 07-06 10:00, o17 c33 07-06 23:59:59, o18 c34 07-07 00:00.
      Missing time: o10 c26, o27 c40 (paid 100).
    lifetime_value (paid, no window: seen or untimed) at 06-30 / at 07-01:
      c37 500, c38 500, c39 300 / 1300, c40 200 + 100 = 300, c41 250, c42 0, c43 1000, c44 50,
      c45 250, c46 100 (the 900 is refunded); all others 0.
    groups: West Coast c37 c38 c39 c46; East Coast c40 c41 c45; Midwest c42; South c44;
      region missing: c43 and c1..c36, c47..c82.  Plans: pro c37 c38 c41 c42 c43; basic c39 c40
      c45; enterprise c46; plan missing: c44 and every customer outside c37..c46.
    sessions: c21 05-30; c22 05-31; c23 05-30, 06-01 00:00; c24 05-30, 07-01 00:00 (after now);
      c25 untimed; c26 06-23 23:59:59; c27 06-24 00:00; c28 06-30 23:59:59; c29 07-07 23:59:59;
      c30 07-08 00:00; c54 03-31 23:59:59; c55 04-01 00:00; c56 05-24 23:59:59, 06-24 00:00;
      c57 05-25 00:00, 06-24; c58 06-25; c59 01-10, 06-30 23:59:59;
      c60 06-24, 06-25 (x2), 06-27, 06-30; c61 06-10, 06-23, 06-24 (x2), 06-25, 06-26;
      c62 06-27, 06-28, 06-29, 07-01 (after now); c63 06-02 23:59:59, 06-09 23:59:59, 06-16,
      06-30; c64 06-03 00:00, 06-10 00:00, 06-17 00:00; c65 06-02, 06-09, 06-16 (all 23:59:59).
    email_open: c66 05-01 23:59:59; c67 05-02 00:00; c68 untimed; c69 04-01, 07-01 00:00;
      c70 05-31 23:59:59, 06-01 00:00; c71 06-01 00:00, 06-30 23:59:59; c72 06-15, 07-01 00:00;
      c73 05-10, 05-20; c74..c77 only in 2025.
"""

EXPECTED: dict[str, dict[str, list[int]]] = {
    # ============================================================ windows.seg
    # Orders dated 2024-01-01..03-31: c22 (01-01 00:00:00), c25 (02-29), c23 (03-31 23:59:59).
    # Out: c21 (2023-12-31 23:59:59), c24 (04-01 00:00:00), c26 (no time: a window ignores it).
    "q1_buyers": {"2024-06-30": [22, 23, 25]},
    # A session dated < 05-31 and none dated 06-01..06-30 (seen): c21 (05-30), c24 (its 07-01 session is
    # after now: not seen), c54, c55. Out: c22 (05-31 is not before 30 days ago), c23 (06-01 00:00:00 is in
    # the last 30 days), c25 (untimed), c56 c57 c59 (sessions in June).
    "lapsed_sessions": {"2024-06-30": [21, 24, 54, 55]},
    # Orders dated 04-01..05-31 (today-90 .. today-30, both included): c24 (04-01 00:00:00), c4 (05-01),
    # c27 (05-31 23:59:59). Out: c23 (03-31 23:59:59), c28 (06-01 00:00:00).
    "mid_band_buyers": {"2024-06-30": [4, 24, 27]},
    # At 07-01 last month is June: c71 (06-01 00:00:00 and 06-30 23:59:59). Out: c70 (05-31 + 06-01: one in
    # June), c72 (06-15 + 07-01: one), c73 (May). At 06-30 last month is May: c73 (05-10, 05-20); c66 c67
    # c70 have one May open each.
    "june_openers": {"2024-07-01": [71], "2024-06-30": [73]},
    # Any order row seen or untimed. 06-30: everyone with an order except those whose only orders are after
    # now (c3 c32 c33 c34); c26 (untimed only) in; c42 has no orders. At 14:00 also out: c1 and c31
    # (23:59:59), c47 (exactly 14:00:00); c2 (10:00) and c36 (13:59:59) stay. At 2023-06-30 (now =
    # 2023-07-01 00:00): the 2022 rows (c29, ranking, c48..c53), c30 (2023-01-01) and the untimed c26, c40;
    # c21 (2023-12-31) out.
    "has_any_order": {
        "2024-06-30": [1, 2, 4, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 35, 36, 37, 38, 39, 40, 41,
                       43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53],
        "2024-06-30T14:00": [2, 4, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 35, 36, 37, 38, 39, 40, 41,
                             43, 44, 45, 46, 48, 49, 50, 51, 52, 53],
        "2023-06-30": [26, 29, 30, 37, 38, 39, 40, 41, 43, 44, 45, 46, 48, 49, 50, 51, 52, 53],
    },
    # Orders dated 06-30, seen: at 06-30 c1 c31 (23:59:59), c2 (10:00), c36 (13:59:59), c47 (14:00).
    # At 14:00 only those before 14:00:00: c2, c36.
    "ordered_today": {"2024-06-30": [1, 2, 31, 36, 47], "2024-06-30T14:00": [2, 36]},
    # Orders dated 06-30..07-06, rows after now included: c1 c2 c31 c36 c47 (06-30), c3 c32 c39 c50
    # (07-01 00:00), c53 (07-06 10:00), c33 (07-06 23:59:59). Out: c34 (07-07 00:00:00), c35 (06-29).
    # The same dates at 14:00: the window includes today's rows before and after 14:00.
    "bought_in_next_7_days": {
        "2024-06-30": [1, 2, 3, 31, 32, 33, 36, 39, 47, 50, 53],
        "2024-06-30T14:00": [1, 2, 3, 31, 32, 33, 36, 39, 47, 50, 53],
    },
    # Orders dated after 06-29, with no end, rows after now included: bought_in_next_7_days plus c34
    # (07-07). Out: c35 (06-29 23:59:59 is on 06-29).
    "ordered_after_jun29": {"2024-06-30": [1, 2, 3, 31, 32, 33, 34, 36, 39, 47, 50, 53]},
    # Orders dated 06-15..07-15, rows after now included: ordered_after_jun29 plus c35 (06-29).
    # Out: c28 (06-01).
    "ordered_mid_june_to_mid_july": {"2024-06-30": [1, 2, 3, 31, 32, 33, 34, 35, 36, 39, 47, 50, 53]},
    # signup_date 04-01..05-31 (either order of the numbers): c7 (04-01), c2 (05-31).
    # Out: c8 (03-31), c1 (06-01).
    "signup_band": {"2024-06-30": [2, 7]},
    # Orders dated 02-29 (today - 4 months, clamped) .. 05-30 (today - 1 month): c25 (02-29 12:00),
    # c23 (03-31), c24 (04-01), c4 (05-01). Out: c27 (05-31), c22 (01-01).
    "orders_band_months": {"2024-06-30": [4, 23, 24, 25]},
    # ============================================================ calendar.seg
    # June (06-30): c1 (06-01), c11 (06-26), c3 (06-30); c2 (05-31) out. July (07-01), later days
    # included: c4 (07-01), c5 (07-31); c6 (08-01) out.
    "signed_up_this_month": {"2024-06-30": [1, 3, 11], "2024-07-01": [4, 5]},
    # Q3 at 06-30: c2 (07-01), c3 (09-30); c1 (06-30, this quarter) and c4 (10-01) out.
    # Q4 at 07-01: c4 (10-01), c5 (12-31); c6 (2025-01-01) out.
    "renew_next_quarter": {"2024-06-30": [2, 3], "2024-07-01": [4, 5]},
    # Orders dated in 2023: c21 (12-31 23:59:59), c30 (01-01 00:00:00).
    # Out: c29 (2022-12-31 23:59:59), c22 (2024-01-01 00:00:00).
    "bought_last_year": {"2024-06-30": [21, 30]},
    # Monday week 06-24..06-30 at 06-30: c27 (06-24 00:00:00), c28 (06-30 23:59:59), c56 c57 c58 c59 c60
    # c61 c62 c63; out c26 (06-23 23:59:59), c24 (07-01). At 07-01 the whole week 07-01..07-07, later days
    # included: c24 c62 (07-01 00:00), c29 (07-07 23:59:59, after now but in this week); c30 (07-08) out.
    "active_this_week": {
        "2024-06-30": [27, 28, 56, 57, 58, 59, 60, 61, 62, 63],
        "2024-07-01": [24, 29, 62],
    },
    # Q1 at 06-30: as q1_buyers (c22 c23 c25). Q2 at 07-01, orders dated 04-01..06-30: c24 (04-01 00:00),
    # c4, c27, c28, c35, c2, c36, c47, c1 and c31 (06-30 23:59:59); out c23 (03-31), c3 c32 (07-01).
    "ordered_last_quarter": {
        "2024-06-30": [22, 23, 25],
        "2024-07-01": [1, 2, 4, 24, 27, 28, 31, 35, 36, 47],
    },
    # 06-17..06-23 at 06-30: c26 and c61 (06-23 23:59:59), c64 (06-17 00:00:00); out c63 c65 (06-16).
    # At 07-01 last week is 06-24..06-30: the same customers as active_this_week at 06-30.
    "sessions_last_week": {
        "2024-06-30": [26, 61, 64],
        "2024-07-01": [27, 28, 56, 57, 58, 59, 60, 61, 62, 63],
    },
    # ============================================================ anniversaries.seg
    # 12-28..01-03 across New Year: c21 (12-28), c35 (12-29), c32 (12-30), c22 (01-03); out c24 (12-27),
    # c23 (01-04). 02-22..02-28 in 2025: c25 (02-28); c26 (29 Feb -> 1 March in 2025) out.
    # 02-23..03-01 in 2025: c25, c26 (03-01), c27 (03-01); c28 (03-02) out.
    "birthday_this_week": {
        "2024-12-28": [21, 22, 32, 35],
        "2025-02-22": [25],
        "2025-02-23": [25, 26, 27],
    },
    # June: c30 (06-01), c29 (06-30); c31 (07-01) out. February 2025: c25 only (c26's anniversary is
    # 03-01 in 2025). February 2024: c25 and c26 (02-29 exists).
    "birthday_month": {"2024-06-30": [29, 30], "2025-02-28": [25], "2024-02-29": [25, 26]},
    # 2024-02-29: c26. 2025-02-28: c25 (c26 waits for 03-01). 2025-03-01: c26 and c27.
    "birthday_today": {"2024-02-29": [26], "2025-02-28": [25], "2025-03-01": [26, 27]},
    # Window 06-24..06-30: c9 (2023-06-24, 1 year); c11 (2024-06-26) and c3 (2024-06-30) have 0 years;
    # c10 (06-23) outside. Window 2025-02-22..02-28: c16 (02-22, 1 year), c15 (02-23, 1 year); c12 and
    # c13 (29 Feb -> 03-01) outside. Window 2025-02-23..03-01: c15, c12 (2020-02-29 -> 03-01, 5 years),
    # c13 (2024-02-29 -> 03-01; 1 year completed on 03-01); c16 (02-22) and c14 (03-02) outside.
    "signup_anniversary": {
        "2024-06-30": [9],
        "2025-02-28": [15, 16],
        "2025-03-01": [12, 13, 15],
    },
    # Last week at 2025-01-06 = 2024-12-30..2025-01-05: c32 (12-30), c22 (01-03), c23 (01-04), c33 (01-05);
    # out c35 (12-29), c34 (01-06), c21 (12-28).
    "birthday_last_week": {"2025-01-06": [22, 23, 32, 33]},
    # 21 completed years: everyone born before 2004 (c21..c24, c29..c35), and c25 (2004-02-28) on both
    # days; c26 (2004-02-29) and c27 (2004-03-01) only from 2025-03-01; c28 (03-02) never; c36 and the
    # customers without birth_date are missing -> out.
    "turned_21": {
        "2025-02-28": [21, 22, 23, 24, 25, 29, 30, 31, 32, 33, 34, 35],
        "2025-03-01": [21, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33, 34, 35],
    },
    # ============================================================ dates.seg
    # renewal < signup + 365 days: c1..c6 (renewals within months of signup), c8 (+364 days), c14 (+364),
    # c17 c18 c19 c20. Out: c7 (2024-04-01 + 365 = 2025-04-01 = renewal), c13 (2024-02-29 + 365 =
    # 2025-02-28 = renewal), c15 (2024-02-23 + 365 = 2025-02-22 = renewal, over 29 February);
    # c9..c12, c16 have no renewal; everybody else has neither date.
    "renewed_early": {"2024-06-30": [1, 2, 3, 4, 5, 6, 8, 14, 17, 18, 19, 20]},
    # An order dated before signup + 30 days (seen): c1 (06-30 < 07-01), c4 (05-01 < 07-31, an order
    # before signup counts). Out: c2 (06-30 is not before 05-31 + 30 = 06-30). c3 (07-01 < 07-30) only at
    # 07-01, when its order is no longer after now. Customers without signup_date never match.
    "activated": {"2024-06-30": [1, 4], "2024-07-01": [1, 3, 4]},
    # days from the first to the last seen order > 90: c49 (91). Out: c48 (90), c50 at 06-30 (its 07-01
    # order is after now: one order, 0 days), single-date customers. At 07-01 also c50 and c39
    # (2022 -> 2024-07-01 00:00, now seen); c53's 07-06 order is still after now.
    "slow_second_order": {"2024-06-30": [49], "2024-07-01": [39, 49, 50]},
    # >= 3 seen orders on Saturday/Sunday: c51 (Sat 00:00:00, Sat, Sun 23:59:59). Out: c52 (Sat, Sun,
    # Mon 00:00:00), c53 (its third weekend order, 07-06, is after now).
    "weekend_shoppers": {"2024-06-30": [51]},
    # renewal = signup + 1 month (clamped): c17 (01-31 -> 02-29), c18 (2023-01-31 -> 02-28),
    # c20 (01-30 -> 02-29). Out: c19 (01-31 -> 02-29, renewal 03-02), c2 (05-31 -> 06-30, renewal 07-01).
    "renews_a_month_after_signup": {"2024-06-30": [17, 18, 20]},
    # ============================================================ ranking.seg
    # ceil(n * 5 / 100) = 1 per region. West Coast: c37 = c38 = 500 -> lower key c37; East Coast c40 300;
    # Midwest c42 (0, alone); South c44. c43 (1000, region missing) is not ranked. At 07-01 c39's
    # 1000 order of 07-01 00:00 is seen: c39 1300 tops West Coast.
    "top_spenders_per_region": {"2024-06-30": [37, 40, 42, 44], "2024-07-01": [39, 40, 42, 44]},
    # percentile 100 = the last in ascending order of each plan: pro c42 0, c41 250, c37 500, c38 500,
    # c43 1000 -> c43; basic c45 250, c39 300, c40 300 (tie: c39 first) -> c40; enterprise c46 alone.
    # At 07-01 basic is c45 250, c40 300, c39 1300 -> c39.
    "ltv_top_of_plan": {"2024-06-30": [40, 43, 46], "2024-07-01": [39, 43, 46]},
    # 25 <= percentile <= 50: pro (n = 5) c41 25, c37 50 (c38 75 after the tie); basic (n = 3) c39 50
    # at 06-30, c40 50 at 07-01.
    "ltv_mid_in_plan": {"2024-06-30": [37, 39, 41], "2024-07-01": [37, 40, 41]},
    # plan missing: c44 and every customer outside c37..c46.
    "ltv_unranked_in_plan": {
        "2024-06-30": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                       23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 44, 47, 48, 49, 50,
                       51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69,
                       70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82],
    },
    # NTILE(5) per region: West Coast (n = 4) c46 1, c39 2, c37 3, c38 4; East Coast (n = 3) c41 1,
    # c45 2 (tie at 250: c41 first), c40 3; Midwest and South: bucket 1. At 07-01 West Coast is c46 1,
    # c37 2, c38 3, c39 4.
    "ltv_upper_quintiles_in_region": {"2024-06-30": [37, 38, 40], "2024-07-01": [38, 39, 40]},
    # 2 lowest incomes per region (missing income not ranked): West Coast c39 = c46 = 40000 (c37 50000
    # third; c38 missing); East Coast c45, c40 (c41 missing); Midwest c42; South c44 missing income;
    # c43 has no region.
    "bottom_2_by_income_per_region": {"2024-06-30": [39, 40, 42, 45, 46]},
    # ============================================================ lifecycle.seg
    # Earliest seen timed order_completed dated 06-01..06-30: c78 (06-01 00:00:00), c80 (06-10; its
    # untimed row is ignored). Out: c79 (first 05-31 23:59:59), c81 (only row after now).
    "first_time_buyers": {"2024-06-30": [78, 80]},
    # Latest seen session dated 04-01..05-31: c21 (05-30), c22 (05-31), c24 (05-30; its 07-01 session is
    # after now), c55 (04-01 00:00:00). Out: c54 (03-31 23:59:59), c23 (06-01), c25 (untimed).
    "last_seen_band": {"2024-06-30": [21, 22, 24, 55]},
    # A seen email_open and none dated 05-02..06-30: c66 (05-01 23:59:59), c69 (04-01; its 07-01 open is
    # after now). Out: c67 (05-02 00:00:00), c68 (only an untimed open), c70..c73 (May/June opens),
    # c74..c77 (2025 opens are after now).
    "stopped_opening": {"2024-06-30": [66, 69]},
    # A session in 06-24..06-30, none in 05-25..06-23, one <= 05-24: c56 (05-24 23:59:59), c59 (01-10).
    # Out: c57 (05-25 00:00:00 is in the gap), c58 (first ever), c61 c63 (sessions in the gap),
    # c27 c28 c60 c62 (nothing before), c24 (its 07-01 session is after now).
    "came_back": {"2024-06-30": [56, 59]},
    # >= 4 distinct days in 06-24..06-30: c60 (06-24, 06-25 twice, 06-27, 06-30). Out: c61 (3 days; its
    # 06-23 23:59:59 is outside), c62 (3 days; 07-01 is after now).
    "regulars": {"2024-06-30": [60]},
    # >= 3 of the weeks 06-24..30, 06-17..23, 06-10..16, 06-03..09: c61 (06-10, 06-23, 06-24..26),
    # c63 (06-09 23:59:59, 06-16, 06-30; 06-02 is outside), c64 (06-03, 06-10, 06-17 at 00:00:00).
    # Out: c65 (06-09, 06-16 only: 2), c60 c62 (one week each).
    "steady": {"2024-06-30": [61, 63, 64]},
    # Earliest seen timed order dated 06-01..06-30: c28 (06-01 00:00:00), c35 (06-29), c1 c2 c31 c36 c47
    # (06-30). Out: c27 (05-31), c4 (05-01), c26 (untimed only), c3 c32 c33 c34 (only after now),
    # everyone whose first order is earlier.
    "first_order_recent": {"2024-06-30": [1, 2, 28, 31, 35, 36, 47]},
    # Earliest seen timed P1 order_completed dated 06-01..06-30: c78 (06-01), c79 (06-15; its earlier
    # order is P2). Out: c80 (its only P1 row is untimed; 06-10 is P2), c81 (after now).
    "first_order_of_p1_recent": {"2024-06-30": [78, 79]},
    # at most 2 distinct session days in 06-24..06-30, zero included: everyone but c60 (4), c61 (3),
    # c62 (3).
    "sessions_on_at_most_2_days": {
        "2024-06-30": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                       23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
                       42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 63,
                       64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82],
    },
    # 2025-06-30, months 05-31..06-30, 05-01..05-30, 03-31..04-30, 03-01..03-30: c74 (05-30 23:59:59 and
    # 05-31 00:00:00: two months), c76 (03-30 23:59:59 and 03-31 00:00:00: two months). Out: c75
    # (02-28 is outside the 4 months; 03-01: one), c77 (two opens, one month), 2024 opens.
    "opened_in_2_of_last_4_months": {"2025-06-30": [74, 76]},
}

NY_EXPECTED: dict[str, dict[str, list[int]]] = {
    # Sunday week 06-30..07-06 (New York), later days included: n2 (Sun 06-30 00:00), n3 (Sat 07-06
    # 23:59:59, after now). Out: n1 (Sat 06-29 23:59:59), n4 (Sun 07-07 00:00).
    "ny_active_this_week": {"2024-06-30": [2, 3]},
    # Sun 06-23..Sat 06-29: n6 (06-23 00:00), n8 (06-23 23:00, Monday in UTC), n7 (06-24 23:00),
    # n1 (06-29 23:59:59). Out: n5 (Sat 06-22 23:59:59).
    "ny_sessions_last_week": {"2024-06-30": [1, 6, 7, 8]},
    # New York Monday: n7 (06-24 23:00, Tuesday in UTC). Out: n8 (Sunday in New York, Monday in UTC);
    # n2 n4 n6 (Sunday), n1 n3 n5 (Saturday).
    "ny_monday_sessions": {"2024-06-30": [7]},
    # >= 3 New York weekend orders: n12 (Sat 06:00, Sun 06:00, Sun 22:00). Out: n11 (its 06-15 00:00 UTC
    # is Friday 20:00 in New York: 2).
    "ny_weekend_shoppers": {"2024-06-30": [12]},
    # A seen order at New York hour >= 22: n1 n5 n9 n10 (23:59:59), n12 (22:00). Out: n11 (20:00, 06:00),
    # n2 n6 (00:00), n3 n4 (after now).
    "ny_late_night": {"2024-06-30": [1, 5, 9, 10, 12]},
    # New York date 06-30, before now (07-01 04:00 UTC): n9 (06-30 23:59:59). Out: n10 (06-29 23:59:59,
    # 06-30 in UTC).
    "ny_ordered_today": {"2024-06-30": [9]},
    # FY2025 = 2024-04-01..2025-03-31, later days included: n2 (04-01 00:00), n3 (2025-03-31 08:00, after
    # now), n9 n10 n11 n12 (June). Out: n1 (03-31 23:59:59), n4 (2025-04-01 00:00).
    "ny_bought_this_fiscal_year": {"2024-06-30": [2, 3, 9, 10, 11, 12]},
    # FY2024 = 2023-04-01..2024-03-31: n6 (2023-04-01 00:00), n1 (2024-03-31 23:59:59).
    # Out: n5 (2023-03-31 23:59:59), n2 (2024-04-01 00:00).
    "ny_bought_last_fiscal_year": {"2024-06-30": [1, 6]},
    # Fiscal quarter Jan-Mar 2024: n2 (01-01), n3 (03-31). Out: n1 (2023-12-31), n4 (04-01).
    "ny_signed_up_last_fiscal_quarter": {"2024-06-30": [2, 3]},
    # Fiscal quarter Apr-Jun 2024: n4 (04-01).
    "ny_signed_up_this_fiscal_quarter": {"2024-06-30": [4]},
}
