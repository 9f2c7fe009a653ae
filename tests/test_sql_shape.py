"""The shape of the compiled SQL, the properties that make it run close to one scan.

Meaning is proven by the execution tests (test_members, test_batch, test_time_zones,
test_engines_agree, test_snapshot_lists); these tests pin how the SQL is built:

- one grouped pass per relation; filtered aggregates use FILTER (WHERE ...) where the engine
  has it (DuckDB, Postgres) and CASE WHEN on BigQuery; a WHERE keeps only the rows some
  aggregate can use when every aggregate is filtered;
- local dates of timestamps compared with a date fixed for the query become comparisons of
  the raw timestamp with the instant that day starts in the project time zone;
- WHERE / FILTER positions carry no COALESCE guard outside a `not`;
- every CTE is read once: the relation passes are joined once (inside the first ranking
  level when there is one); ranking levels form a narrow chain (key and computed columns:
  window operators sort what they carry), joined back to the entity once; batch segment
  levels form a chain too;
- first/last on DuckDB and Postgres: the relation pass finds the time, one more pass per
  relation (a hash join with it) picks the values; BigQuery numbers the rows they can pick.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlglot
from sqlglot import exp

import segdsl
from segdsl.sql.dialects import get_dialect
from segdsl.sql.values import day_start
from tests.projects import AS_OF, DIALECTS, PROJECTS, ROOT, load

EXAMPLES = next(p for p in PROJECTS if p.id == "examples")
NEW_YORK = next(p for p in PROJECTS if p.id == "new_york")
EXTRA = next(p for p in PROJECTS if p.id == "extra")


def materializes(dialect: str) -> bool:
    """Whether the engine computes a CTE read twice once (the shape depends on it)."""
    return get_dialect(dialect).capabilities.materializes_ctes


MATERIALIZING = [d for d in DIALECTS if materializes(d)]
NOT_MATERIALIZING = [d for d in DIALECTS if not materializes(d)]
assert MATERIALIZING and NOT_MATERIALIZING  # each shape is tested on some engine


def tree(project, name, dialect="duckdb", as_of=AS_OF):
    return sqlglot.parse_one(load(project).compile(name, dialect=dialect, as_of=as_of), read=dialect)


def cte(t: exp.Expression, name: str) -> exp.Select:
    return next(c.this for c in t.find_all(exp.CTE) if c.alias == name)


def references(t: exp.Expression) -> dict[str, int]:
    """How often each CTE is read (FROM or JOIN)."""
    names = {c.alias for c in t.find_all(exp.CTE)}
    counts = dict.fromkeys(names, 0)
    for table in t.find_all(exp.Table):
        if table.name in names:
            counts[table.name] += 1
    return counts


def _conjuncts(e: exp.Expression) -> list[exp.Expression]:
    e = e.unnest()
    return _conjuncts(e.this) + _conjuncts(e.expression) if isinstance(e, exp.And) else [e]


def scans(t: exp.Expression, table: str) -> int:
    ctes = {c.alias for c in t.find_all(exp.CTE)}
    return sum(1 for x in t.find_all(exp.Table) if x.name == table and table not in ctes)


# ------------------------------------------------------------------ relation passes


@pytest.mark.parametrize("dialect", DIALECTS)
def test_filtered_aggregates_use_filter_where_the_engine_has_it(dialect):
    events = cte(tree(EXAMPLES, "active_not_buying", dialect), "__events")
    filters = list(events.find_all(exp.Filter))
    if not get_dialect(dialect).capabilities.aggregate_filter:
        assert not filters
        assert len([c for c in events.find_all(exp.Count) if c.find(exp.Case)]) == 2
    else:
        assert len(filters) == 2 and all(isinstance(f.this, exp.Count) for f in filters)
        assert not events.find(exp.Case)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_relation_pass_reads_only_rows_some_aggregate_uses(dialect):
    # both aggregates are filtered: the pass keeps the rows of either filter, the part the
    # two filters share (the window's end) once, plus the earlier of the two window starts
    # as a plain conjunct (implied by the OR, but usable to skip row groups)
    events = cte(tree(EXAMPLES, "active_not_buying", dialect), "__events")
    conjuncts = _conjuncts(events.args["where"].this)
    assert sum(isinstance(c, exp.Or) for c in conjuncts) == 1
    starts = [c.sql(dialect) for c in conjuncts if isinstance(c, exp.GTE)]
    ends = [c.sql(dialect) for c in conjuncts if isinstance(c, exp.LT)]
    assert len(starts) == 1 and "2024-06-01 00:00:00" in starts[0]
    assert len(ends) == 1 and "2024-07-01 00:00:00" in ends[0]
    # a single filtered aggregate: its filter is the WHERE and the aggregate is plain
    orders = cte(tree(EXAMPLES, "frequent", dialect), "__orders")
    assert orders.args.get("where") is not None
    assert not orders.find(exp.Filter) and not orders.find(exp.Case)
    # an aggregate without a window or filter needs every row seen (timed before now, or
    # untimed): the WHERE (of the pass, or of its numbered rows) is that rule alone
    batch = sqlglot.parse_one(load(EXAMPLES).compile_batch(None, dialect=dialect, as_of=AS_OF), read=dialect)
    where = cte(batch, "__orders").find(exp.Where).this
    assert isinstance(where, exp.Or) and where.find(exp.Is) and "2024-07-01 00:00:00" in where.sql(dialect)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_relation_is_scanned_once(dialect):
    batch = sqlglot.parse_one(load(EXAMPLES).compile_batch(None, dialect=dialect, as_of=AS_OF), read=dialect)
    # orders once more where the value of last(orders.channel) is picked (not on BigQuery),
    # and once more for count_distinct where the engine aggregates it faster apart (DuckDB)
    apart = get_dialect(dialect).capabilities.distinct_apart
    assert scans(batch, "orders") == (2 if materializes(dialect) else 1) + apart and scans(batch, "events") == 1
    if apart:
        distinct = cte(batch, "__orders:distinct")
        assert all(isinstance(e.this, exp.Count) and e.this.find(exp.Distinct) for e in distinct.expressions[1:])
        assert not cte(batch, "__orders").find(exp.Distinct)
    # once under the rankings, once for the columns read outside them, and in the orders pass,
    # whose filter reads the customer's own field (activated: customer.signup_date; on
    # BigQuery, which does not materialize, also in its subquery picking last(orders.channel))
    in_orders = [t for t in cte(batch, "__orders").find_all(exp.Table) if t.name == "customers"]
    assert len(in_orders) == (1 if materializes(dialect) else 2)
    assert scans(batch, "customers") == 2 + len(in_orders)


# ------------------------------------------------------------------ time windows


def test_day_start_is_the_utc_instant_the_local_day_begins():
    assert day_start("UTC", dt.date(2024, 6, 30)) == dt.datetime(2024, 6, 30)
    assert day_start("America/New_York", dt.date(2024, 6, 30)) == dt.datetime(2024, 6, 30, 4)
    assert day_start("America/New_York", dt.date(2024, 1, 15)) == dt.datetime(2024, 1, 15, 5)
    # DST starts at 02:00 / ends at 02:00: the day still starts at local midnight
    assert day_start("America/New_York", dt.date(2024, 3, 10)) == dt.datetime(2024, 3, 10, 5)
    assert day_start("America/New_York", dt.date(2024, 11, 3)) == dt.datetime(2024, 11, 3, 4)
    # Santiago skips 00:00-01:00 on 2024-09-08: the day starts at 01:00 -03 = 04:00 UTC
    assert day_start("America/Santiago", dt.date(2024, 9, 8)) == dt.datetime(2024, 9, 8, 4)
    # Beirut sets 00:00 back to 23:00 on 2024-10-27: 23:00-24:00 (UTC+2) is still the 26th
    assert day_start("Asia/Beirut", dt.date(2024, 10, 27)) == dt.datetime(2024, 10, 26, 22)
    # Apia skipped 2011-12-30 altogether: it "starts" when the 31st does
    assert day_start("Pacific/Apia", dt.date(2011, 12, 30)) == day_start("Pacific/Apia", dt.date(2011, 12, 31))
    # St. John's set 00:01 back to 23:01 of the day before (until 2011): the local date goes
    # backwards, so no instant splits the timeline and a per-row conversion is needed
    assert day_start("America/St_Johns", dt.date(2010, 11, 7)) is None
    assert day_start("America/St_Johns", dt.date(2010, 11, 20)) is not None


def _casts_to_date(t: exp.Expression, column: str) -> int:
    return sum(1 for c in t.find_all(exp.Cast) if c.to.is_type("date") and c.this.find(exp.Column)
               and any(col.name == column for col in c.this.find_all(exp.Column)))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_windows_compare_the_raw_timestamp(dialect):
    t = tree(EXAMPLES, "frequent", dialect)  # count(orders in last 90 days) >= 3, as of 2024-06-30
    assert _casts_to_date(t, "ordered_at") == 0
    sql = t.sql(dialect)
    assert "2024-04-02 00:00:00" in sql and "2024-07-01 00:00:00" in sql
    # the warehouse clock, UTC: the bounds are today's date cast to a timestamp
    t = tree(EXAMPLES, "frequent", dialect, as_of=None)
    assert _casts_to_date(t, "ordered_at") == 0


@pytest.mark.parametrize("dialect", DIALECTS)
def test_windows_in_a_project_time_zone(dialect):
    # as of 2024-06-30 in New York (UTC-4): the last 7 days start at 2024-06-24 04:00 UTC
    t = tree(NEW_YORK, "ny_recent_orders", dialect)
    assert _casts_to_date(t, "ordered_at") == 0
    assert "2024-06-24 04:00:00" in t.sql(dialect) and "2024-07-01 04:00:00" in t.sql(dialect)
    # without --as-of the day boundaries of another zone are not computed in SQL: the local
    # date of every row is taken, exactly as the language defines it
    t = tree(NEW_YORK, "ny_recent_orders", dialect, as_of=None)
    assert _casts_to_date(t, "ordered_at") > 0 or "DATE(" in t.sql(dialect)


# ------------------------------------------------------------------ guards


def test_where_positions_carry_no_guard_outside_not():
    where = tree(EXAMPLES, "s1").args["where"]  # age >= 18 and age < 35
    assert not where.find(exp.Coalesce)
    where = tree(EXAMPLES, "s2").args["where"]  # region != "West Coast": not (region = ...)
    assert isinstance(where.this, exp.Not) and where.find(exp.Coalesce)
    # a boolean trait compared with false stays two-valued inside the comparison
    batch = sqlglot.parse_one(load(EXAMPLES).compile_batch(["s1"], dialect="duckdb", as_of=AS_OF), read="duckdb")
    assert batch.find(exp.Coalesce)  # a batch column is a value: always TRUE or FALSE


# ------------------------------------------------------------------ levels


def _ranking_shape(t: exp.Expression, dialect: str) -> None:
    counts = references(t)
    ranks = sorted(c for c in counts if c.startswith("__rank"))
    assert ranks
    assert all(counts[r] == 1 for r in ranks), counts
    if not materializes(dialect):
        # BigQuery may evaluate a CTE once per reference: every CTE is read once, the first
        # ranking level carries the aggregates the final select reads
        assert all(n == 1 for n in counts.values()), counts
    else:
        # DuckDB and Postgres compute a CTE read twice once: a relation pass is read by the
        # first ranking level (when rankings use it) and by the final select (when read there),
        # and once more by the pass that picks the relation's first/last values
        picks = {c[:-len(":picks")] for c in counts if c.endswith(":picks")}
        assert all(n <= 2 + (c in picks) for c, n in counts.items()), counts
    first = cte(t, ranks[0])
    # ranking levels are narrow: no entity column but the key and the groups of `per`
    # rankings (window operators sort what they carry)
    columns = [e.name for e in first.expressions if isinstance(e, exp.Column)]
    groups = {c.name for w in first.find_all(exp.Window) for c in w.args.get("partition_by") or []
              if isinstance(c, exp.Column)}
    assert columns[0] == "customer_id" and set(columns[1:]) <= groups
    for later in ranks[1:]:
        assert cte(t, later).args["from_"].this.name == ranks[ranks.index(later) - 1]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", ["champions", "west_coast_vips", "top_decile"])
def test_rankings_form_a_narrow_chain(dialect, name):
    t = tree(EXAMPLES, name, dialect)
    _ranking_shape(t, dialect)
    final = t.args["from_"].this.name
    joined = [j.this.name for j in t.args.get("joins") or []]
    if name == "west_coast_vips":  # reads region and orders_90d: the entity, joined with the ranking
        assert final == "customers" and joined[-1] == "__rank1"
        assert joined[:-1] == (["__orders"] if materializes(dialect) else [])
        assert scans(t, "customers") == 2
    else:  # nothing but rankings: the final select reads the ranking level alone
        assert final == "__rank1" and not joined
        assert scans(t, "customers") == 1


@pytest.mark.parametrize("dialect", DIALECTS)
def test_nested_rankings_read_the_previous_level(dialect):
    _ranking_shape(tree(EXAMPLES, "top_decile", dialect), dialect)
    batch = sqlglot.parse_one(load(EXTRA).compile_batch(None, dialect=dialect, as_of=AS_OF), read=dialect)
    _ranking_shape(batch, dialect)
    bench = segdsl.load_project(ROOT / "bench" / "project")
    nested = sqlglot.parse_one(bench.compile("top_quartile_of_pct", dialect=dialect, as_of=AS_OF), read=dialect)
    _ranking_shape(nested, dialect)
    assert cte(nested, "__rank2").args["from_"].this.name == "__rank1"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_batch_reads_every_level_once(dialect):
    batch = sqlglot.parse_one(load(EXAMPLES).compile_batch(None, dialect=dialect, as_of=AS_OF), read=dialect)
    _ranking_shape(batch, dialect)
    # the segments that others use are computed once, in a level the final select reads
    assert batch.args["from_"].this.name == "__segments1" and not batch.args.get("joins")
    level = cte(batch, "__segments1")
    # 4 segments used by others, the 3 argument lists of examples/parameterised.seg, and the
    # holdout and split group that summer_send (examples/programmes.seg) uses
    assert len([e for e in level.expressions if e.alias.startswith("__s")]) == 9


# ------------------------------------------------------------------ first / last


@pytest.mark.parametrize("dialect", MATERIALIZING)
def test_first_and_last_pick_at_the_time_the_pass_found(dialect):
    t = tree(EXAMPLES, "mobile_first", dialect)  # last(orders.channel) = "mobile_app"
    assert not t.find(exp.Window)
    orders, picks = cte(t, "__orders"), cte(t, "__orders:picks")
    assert [type(e.this) for e in orders.expressions[1:]] == [exp.Max]  # the latest time
    # the rows at that time, by an equi-join on (key, time): MAX of their values
    join, = picks.args["joins"]
    assert join.this.name == "__orders" and len(_conjuncts(join.args["on"])) == 2
    assert isinstance(picks.expressions[1].this, exp.Max)
    # the final select reads only the picked value: the first pass is not joined there
    assert [j.this.name for j in t.args["joins"]] == ["__orders:picks"]


@pytest.mark.parametrize("dialect", NOT_MATERIALIZING)
def test_first_and_last_number_only_the_rows_they_can_pick(dialect):
    orders = cte(tree(EXAMPLES, "mobile_first", dialect), "__orders")
    inner = orders.args["from_"].this.this
    assert inner.find(exp.Window) and inner.args.get("where") is not None


# ------------------------------------------------------------------ existence


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_count_only_tested_for_zero_is_a_pass_of_keys(dialect):
    never = tree(EXAMPLES, "never_bought", dialect)  # has no orders
    orders = cte(never, "__orders")
    assert [e.alias_or_name for e in orders.expressions] == ["__key"] and not orders.find(exp.Count)
    where = never.args["where"].this
    assert isinstance(where, exp.Is) and where.this.table == "__orders"  # the anti join's test
    refunded = tree(EXAMPLES, "ever_refunded", dialect)  # has orders where status = "refunded"
    orders = cte(refunded, "__orders")
    assert not orders.find(exp.Count) and orders.args["where"].find(exp.EQ)
    # counted when the number matters (at least 2 times) or when other aggregates share the pass
    assert cte(tree(EXAMPLES, "webinar_fans", dialect), "__events").find(exp.Count)
    assert cte(tree(EXAMPLES, "active_not_buying", dialect), "__events").find(exp.Count)


def test_existence_form_keeps_exactly_the_comparisons_that_only_test_for_zero():
    from segdsl import ir
    from segdsl.plan.nodes import RowsExist
    from segdsl.plan.rewrites import Context, existence_form
    from segdsl.types import INTEGER

    count = ir.Agg("count", "orders", None, None, INTEGER)

    def form(op, k, flipped=False):
        lit = ir.Lit(k, INTEGER)
        cmp = ir.Cmp(op, lit, count) if flipped else ir.Cmp(op, count, lit)
        return existence_form(cmp, Context("UTC", None))

    exists, absent = RowsExist(count), ir.Not(RowsExist(count))
    for op, k in ((">", 0), (">=", 1)):
        assert form(op, k) == exists, (op, k)
    for op, k in (("=", 0), ("<", 1), ("<=", 0)):
        assert form(op, k) == absent, (op, k)
    assert form("<", 0, flipped=True) == exists  # 0 < count
    assert form(">", 1, flipped=True) == absent  # 1 > count
    for op, k in ((">=", 2), ("=", 1), ("<", 3), (">", -1), ("<=", 5), (">", 1)):
        assert isinstance(form(op, k), ir.Cmp), (op, k)  # the number matters, or it is constant
