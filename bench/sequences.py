"""Sequences on the benchmark warehouse: each sequence segment of bench/project/sequences.seg
next to its hand-written queries (bench/reference/), with time, peak memory, and how the cost
grows with events per customer.

- time: medians as in bench/run.py (interleaved rounds after a warm-up), on the warehouse of
  `make bench` (scale 1: 1M customers, ~24M events with the shopping journeys).
- peak memory: the peak resident set (VmHWM, Linux) of a fresh process that opens the
  warehouse and runs the one query (cold: it reads the columns the query needs), less that
  of a fresh process that opens it and runs `SELECT 1`.
- growth: the same queries on a copy of the warehouse in which the heaviest 1% of customers
  (by number of events) have 10x their events: each of their events nine more times, 7, 14,
  ..., 63 minutes earlier (dense, so that every range join meets ten times the rows per
  customer). Its events table stays in time order, like the original.

Members are compared on both warehouses: every hand-written variant must give the compiled
query's members, or the run stops.

    python bench/sequences.py [--repeat 5] [--threads 2] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import segdsl  # noqa: E402
from bench import generate, queries  # noqa: E402
from bench.run import DATA, connect, medians  # noqa: E402

SEGMENTS = ("converted_fast", "abandoned_checkout", "abandoned_same_product", "browsed_then_bought")
HEAVY_SHARE = 0.01  # the heaviest 1% of customers by events ...
HEAVY_FACTOR = 10  # ... get 10x their events
SHIFT_MINUTES = 7  # copy k is k * 7 minutes earlier

# The child reports VmHWM, its own image's peak: ru_maxrss would start from this process's
# resident size, which a child inherits through fork (bench/scale.py does the same).
_PEAK = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET threads = " + sys.argv[2])
con.execute("SET enable_progress_bar = false")
con.execute(sys.stdin.read()).fetchall()
with open("/proc/self/status") as f:
    print(next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")))
"""


def heavy_copy(base: Path, threads: int, log) -> Path:
    """The warehouse `base` with the heaviest customers' events multiplied (built once)."""
    path = base.with_name(base.stem + f"-heavy{HEAVY_FACTOR}.duckdb")
    if path.exists():
        return path
    log(f"building {path.name} (heaviest {HEAVY_SHARE:.0%} of customers, {HEAVY_FACTOR}x their events) ...")
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    for table in ("customers", "orders", "segdsl_snapshots"):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM base.{table}")
    n_heavy = int(con.execute("SELECT count(*) FROM base.customers").fetchone()[0] * HEAVY_SHARE)
    con.execute(f"""
CREATE TABLE events AS
WITH heavy AS (
  SELECT customer_id FROM base.events GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT {n_heavy}
)
SELECT * FROM (
  SELECT * FROM base.events
  UNION ALL
  SELECT e.customer_id, e.occurred_at - k * INTERVAL {SHIFT_MINUTES} MINUTE, e.name, e.city, e.product_id
  FROM base.events e JOIN heavy USING (customer_id), range(1, {HEAVY_FACTOR}) AS copies(k)
)
ORDER BY occurred_at""")
    con.execute("CHECKPOINT")
    con.close()
    os.replace(tmp, path)
    return path


def peak_mb(db: Path, threads: int, sql: str) -> float:
    out = subprocess.run([sys.executable, "-c", _PEAK, str(db), str(threads)], input=sql,
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024  # VmHWM is in KiB


def measure(db: Path, con, named: dict[str, str], repeat: int, threads: int) -> dict:
    wrapped = {k: queries.timed_sql(sql) for k, sql in named.items()}
    ms = {k: v * 1000 for k, v in medians(con, wrapped, repeat).items()}
    idle = peak_mb(db, threads, "SELECT 1")
    mem = {k: peak_mb(db, threads, sql) - idle for k, sql in named.items()}
    return {"ms": ms, "peak_mb": mem}


def same_members(con, named: dict[str, str]) -> int:
    found = {k: sorted(r[0] for r in con.execute(sql).fetchall()) for k, sql in named.items()}
    compiled = found["compiled"]
    for k, keys in found.items():
        if keys != compiled:
            raise SystemExit(f"{k}: {len(keys)} members, the compiled query {len(compiled)}")
    return len(compiled)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="", help="comma-separated segment names")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    names = [n for n in SEGMENTS if not args.only or n in args.only.split(",")]
    project = segdsl.load_project(queries.PROJECT)
    base_con = connect(1.0, args.threads, False, log)
    base = DATA / f"acme-x1-v{generate.GENERATOR_VERSION}.duckdb"
    heavy = heavy_copy(base, args.threads, log)
    heavy_con = duckdb.connect(str(heavy), read_only=True)
    heavy_con.execute(f"SET threads = {int(args.threads)}")
    heavy_con.execute("SET enable_progress_bar = false")
    sizes = {w: con.execute("SELECT count(*) FROM events").fetchone()[0]
             for w, con in (("base", base_con), ("heavy", heavy_con))}
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "threads": args.threads,
                     "repeat": args.repeat, "events": sizes, "duckdb": duckdb.__version__, "segments": {}}
    for name in names:
        named = {"compiled": project.compile(name, dialect="duckdb", as_of=generate.AS_OF)}
        named |= {f"hand: {v.label}": v.sql for v in queries.reference_variants(name)}
        row: dict = {}
        for label, db, con in (("base", base, base_con), ("heavy", heavy, heavy_con)):
            members = same_members(con, named)
            row[label] = measure(db, con, named, args.repeat, args.threads) | {"members": members}
        results["segments"][name] = row
        print(_line(name, row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


def _line(name: str, row: dict) -> str:
    parts = [name]
    for label in ("base", "heavy"):
        r = row[label]
        hand = min((v, k) for k, v in r["ms"].items() if k != "compiled")
        parts.append(f"{label}: compiled {r['ms']['compiled']:.0f} ms / {r['peak_mb']['compiled']:.0f} MB, "
                     f"best hand ({hand[1][6:]}) {hand[0]:.0f} ms / {r['peak_mb'][hand[1]]:.0f} MB, "
                     f"ratio {r['ms']['compiled'] / hand[0]:.2f}x, {r['members']} members")
    growth = row["heavy"]["ms"]["compiled"] / row["base"]["ms"]["compiled"]
    parts.append(f"heavy / base (compiled): {growth:.2f}x")
    return "\n  ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
