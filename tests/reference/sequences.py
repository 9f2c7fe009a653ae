"""Reference semantics of sequences (ir.Sequence), spelt out from LANGUAGE.md "Sequences: did
this, then that (or not)" for one customer, as naively as possible: every chain of rows is
tried.

- Step i's rows: the customer's timed rows matching step i's condition (which holds the now
  rule: the first step's window, else a time before now).
- b (step i) follows a (step i - 1): a.time <= b.time (strictly when the two steps name the
  same event), b.time <= a.time + within when there is one, and every `with same` column
  present on both and equal.
- `then`: some chain of rows, one per step, each following the one before.
- `then not` (last step): on the latest time of the rows of the step before that end a chain;
  false when there is none or its wait (time + within) is not <= now; else true when no
  row of that latest time has a last-step row following it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from segdsl import ir
from tests.reference.values import Row

Matches = Callable[[ir.Cond, Row], bool]


def holds(seq: ir.Sequence, rows: list[Row], now: dt.datetime, matches: Matches, zone: dt.tzinfo) -> bool:
    """`now`: naive UTC. For a time column of dates, each date stands for its first instant and
    now for the first instant of its own local date (a day's wait is over once that day has
    begun); dates are then counted as such."""
    time = seq.time.name
    dated = seq.time.type.kind == "date"
    if dated:
        local = now.replace(tzinfo=dt.UTC).astimezone(zone).date()
        now = dt.datetime.combine(local, dt.time())

    def at(r: Row) -> Row:  # the row with its time as an instant
        return {**r, time: dt.datetime.combine(r[time], dt.time())} if dated else r

    steps = [[at(r) for r in rows if r[time] is not None and matches(cond, r)]
             for cond in seq.rows]

    def follows(i: int, a: Row, b: Row) -> bool:
        if b[time] < a[time] or (seq.later[i] and b[time] == a[time]):
            return False
        within = seq.within[i]
        if within is not None and b[time] > a[time] + dt.timedelta(seconds=within):
            return False
        return all(a[c.name] is not None and a[c.name] == b[c.name] for c in seq.same[i])

    # the rows of each step that end a chain of all the steps before them
    reached = [steps[0]]
    last = len(steps) - 1
    for i in range(1, last + (0 if seq.negated else 1)):
        reached.append([b for b in steps[i] if any(follows(i, a, b) for a in reached[i - 1])])
    if not seq.negated:
        return bool(reached[last])
    before = reached[last - 1]
    if not before:
        return False
    latest = max(r[time] for r in before)
    within = seq.within[last]
    if within is not None and latest + dt.timedelta(seconds=within) > now:
        return False  # the wait is not over
    tied = [a for a in before if a[time] == latest]
    return not any(follows(last, a, b) for a in tied for b in steps[last])
