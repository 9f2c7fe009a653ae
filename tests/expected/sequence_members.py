"""Expected members of every segment in tests/cases/v2_sequences/sequences.seg, on the rows of
tests/fixtures/sequence_data.py, for each as-of of ``AS_OFS`` there.

Derived BY HAND from the words of LANGUAGE.md ("Sequences: did this, then that (or not)"),
customer by customer; no code evaluated any segment. "cN" is customer_id N. ``EXPECTED`` maps
segment -> as-of (as given to ``--as-of``) -> sorted member ids.

    DAY     = "2024-06-30"        today 06-30, now = 2024-07-01 00:00:00
    INSTANT = "2024-06-30T14:00"  today 06-30, now = 2024-06-30 14:00:00

Interpretations
---------------
1. Timestamps are compared as instants (UTC here); `within D` is exact elapsed time and both
   ends are included: a.time <= b.time <= a.time + D. A window written after A (`in last 7
   days`, `on 2024-06-27`) selects A rows by their date in the project time zone, as every
   window does, and only rows before now.
2. The wait of `then not` is over when a*.time + D <= now; a wait ending exactly at now is over
   (c9 at INSTANT). While the wait runs the customer is not abandoned, even if no B has come.
3. B rows are the rows seen at as-of (time < now): an order after now neither converts (c11
   and c22 at INSTANT / DAY) nor prevents abandonment.
4. A filter on A (`where product_id = "P1"` after A's window) restricts which A rows exist, so
   the latest A is the latest *matching* row (c5 in abandoned_checkout_of_p1). B needs no
   product unless B's own `where` or `with same` asks for it.
5. `then not "B"` without `within` ignores B rows before a* (c20) and counts a B at the same
   instant as a* (c21), like every other step ("equal times count as in order").

Per-customer facts used below (A = checkout_started, B = order_completed unless stated)
------------------------------------------------------------------------------------
    latest checkout in last 7 days, its wait end, and the orders within its wait:
    c1 06-25 10:00, ends 06-26 10:00, order 12:00 in        c2 06-25 10:00, ends 06-26 10:00, order 06-26 11:00 out
    c3 06-26 09:00, order same instant in                   c4 06-26 09:00, order 06-27 09:00 = end, in
    c5 06-27 10:00 P2, order 11:00 in                       c6 06-28 10:00 P2, ends 06-29 10:00, no order after it
    c7 06-30 22:00 (DAY only; after INSTANT's now), ends 07-01 22:00 > both nows
    c8 06-30 12:00, ends 07-01 12:00 > both nows            c9 06-29 14:00, ends 06-30 14:00 (= INSTANT's now)
    c10 06-29 15:00, ends 06-30 15:00 (> INSTANT's now)     c11 06-29 16:00, order 06-30 15:00 in (seen at DAY only)
    c14 06-25 10:00, only order at 09:00 (before)           c23 none (its checkout has no time)
    c24 none (06-23 23:59:59 is outside)                    c25 06-24 00:00:00, no timed order
    c26 06-27 23:00, order 06-28 01:00 in                   c27 06-29 08:00, order 09:00 in
    c28 06-26 10:00 (twice), no order                       c29 06-26 11:00, no order
    c33 06-25 10:00, order 11:30 in                         c34 06-25 10:00, order 11:31 in
    c35 none (06-10 is outside)                             c36 06-28 10:00 P2, no order
    c37 06-25 10:00, order 11:00 (P2) in
"""

from tests.fixtures.sequence_data import DAY, INSTANT

EXPECTED: dict[str, dict[str, list[int]]] = {
    # Some checkout with an order 0..24 h after it (any checkout counts). In: c1 (+2 h), c3 (same instant),
    # c4 (exactly +24 h: end included), c5 (second checkout +1 h), c6 (+30 min), c11 at DAY (+23 h),
    # c26 (+2 h across midnight), c27 (second checkout +1 h), c33, c34, c37 (any product).
    # Out: c2 (+25 h), c14 (order only before), c23 (checkout without time is ignored), c35 (+1 week),
    # c11 at INSTANT (its order at 15:00 is after now: not seen).
    "converted_fast": {
        DAY: [1, 3, 4, 5, 6, 11, 26, 27, 33, 34, 37],
        INSTANT: [1, 3, 4, 5, 6, 26, 27, 33, 34, 37],
    },
    # Decided on the latest checkout in 06-24..06-30 (table above): wait over and no order inside it.
    # In: c2 (order 1 h after the wait), c6 (converted earlier, latest abandoned), c9 (wait ended 06-30 14:00:
    # over at both nows), c10 at DAY (ended 06-30 15:00 <= 07-01 00:00), c14 (B only before A), c25 (first
    # second of the window; the untimed order is ignored), c28, c29, c36.
    # Out: c5 (abandoned, then converted on a second checkout: decided on the latest), c7 and c8 (wait not
    # over; c7 not even seen at INSTANT), c10 at INSTANT (wait ends 15:00 > 14:00), c11 (converted at DAY,
    # pending at INSTANT), c24 (06-23 23:59:59 is outside the window), c23 (no timed checkout), c35 (outside).
    "abandoned_checkout": {
        DAY: [2, 6, 9, 10, 14, 25, 28, 29, 36],
        INSTANT: [2, 6, 9, 14, 25, 28, 29, 36],
    },
    # Latest cart in 06-24..06-30 and no order OF THE SAME PRODUCT within [a*, a* + 2 h]: c12 (order of P2),
    # c17 (cart without product: a missing value equals nothing). Out: c13 (P1 order exactly at +2 h);
    # c15 c16 c30 c31 c32 (carts before 06-24). Carts are all before 06-30 14:00: same at both.
    "abandoned_same_product": {
        DAY: [12, 17],
        INSTANT: [12, 17],
    },
    # view -> cart within 3 days -> order within 3 days of the cart: c16 (each step exactly 3 days, 6 in all),
    # c30, c31, c32 (the second view, 2 days before the cart). Out: c15 (order 3 days + 1 s after the cart),
    # c12 c13 c17 (no view).
    "browsed_then_bought": {
        DAY: [16, 30, 31, 32],
        INSTANT: [16, 30, 31, 32],
    },
    # Latest demo and no order from it up to now: c18 (no order), c20 (order only before), c22 (order
    # 07-01 09:00 is after now at both), c38 (an order after the first demo but none after the latest).
    # Out: c19 (order 19 days later), c21 (order at the same instant counts as after).
    "never_bought_after_demo": {
        DAY: [18, 20, 22, 38],
        INSTANT: [18, 20, 22, 38],
    },
    # Exactly the customers not in converted_fast (c11 enters at INSTANT).
    "not_converted_fast": {
        DAY: [2, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29, 30, 31, 32,
              35, 36, 38, 39, 40],
        INSTANT: [2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29, 30,
                  31, 32, 35, 36, 38, 39, 40],
    },
    # Cart then an order of the same product within 1 day: c13 (+2 h), c30 (exactly +24 h), c31 (+59 min),
    # c32 (exactly +1 day). Out: c12 (other product), c17 (missing product on both rows), c15 c16 (+3 days).
    "cart_then_order_same_product": {
        DAY: [13, 30, 31, 32],
        INSTANT: [13, 30, 31, 32],
    },
    # A second, strictly later checkout 0 < dt <= 1 h after one: c29 (exactly +1 h). Out: c28 (two rows at
    # the same instant: b must be later), c5 c6 c27 c36 (days apart).
    "checkout_again_within_1_hour": {
        DAY: [29],
        INSTANT: [29],
    },
    # view -> cart within 1 h -> order within 1 day of the cart: c30 (exactly 1 h, exactly 24 h).
    # Out: c31 (cart 61 min after the view), c15 c16 c32 (days).
    "view_cart_fast_then_order": {
        DAY: [30],
        INSTANT: [30],
    },
    # browsed_then_bought with views dated 06-20..06-30 only: c16, c30, c31 (views 06-20). Out: c32 (its views
    # are 06-10 and 06-19), c15 (order too late). Every row is before 06-30 14:00: same at both.
    "funnel_in_last_11_days": {
        DAY: [16, 30, 31],
        INSTANT: [16, 30, 31],
    },
    # Views dated 06-19 only: c32 (view 06-19 10:00, cart 06-21 +2 days, order 06-22 +1 day: the later rows
    # fall after the window's day and count). Out: c15 c16 c30 c31 (views 06-20).
    "funnel_from_jun19_views": {
        DAY: [32],
        INSTANT: [32],
    },
    # Order 0..90 min after a checkout: c3 (0), c5 (60), c6 (30), c27 (60), c33 (exactly 90), c37 (60).
    # Out: c34 (91 min), c1 (2 h), c26 (2 h), c4 (24 h).
    "converted_within_90_minutes": {
        DAY: [3, 5, 6, 27, 33, 37],
        INSTANT: [3, 5, 6, 27, 33, 37],
    },
    # Order 0..7 days after a checkout: converted_fast plus c2 (+25 h) and c35 (exactly +1 week); c11 only at DAY.
    "converted_within_1_week": {
        DAY: [1, 2, 3, 4, 5, 6, 11, 26, 27, 33, 34, 35, 37],
        INSTANT: [1, 2, 3, 4, 5, 6, 26, 27, 33, 34, 35, 37],
    },
    # Latest checkout dated 06-27: c27 (08:00; its order 06-29 09:00 is 49 h later), c36 (10:00; the P2
    # checkout of 06-28 is outside the window, so it is not the latest). Out: c5 (order +1 h), c26 (23:00,
    # order 06-28 01:00: a B after A's window still counts).
    "abandoned_checkout_on_jun27": {
        DAY: [27, 36],
        INSTANT: [27, 36],
    },
    # Latest P1 checkout in 06-24..06-30 (an order of any product converts). Differs from abandoned_checkout
    # where the latest checkout is of P2: c5 in (its latest P1 checkout, 06-24 10:00, has no order within a
    # day: the order of 06-27 11:00 is 3 days later), c6 out (its latest P1 checkout converted at 10:30),
    # c36 in (P1 checkout 06-27 10:00, no order).
    "abandoned_checkout_of_p1": {
        DAY: [2, 5, 9, 10, 14, 25, 28, 29, 36],
        INSTANT: [2, 5, 9, 14, 25, 28, 29, 36],
    },
    # converted_fast where the order is of P1: out c5 (its order is P2) and c37 (P2).
    "checkout_then_p1_order": {
        DAY: [1, 3, 4, 6, 11, 26, 27, 33, 34],
        INSTANT: [1, 3, 4, 6, 26, 27, 33, 34],
    },
}
