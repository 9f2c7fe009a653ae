"""How the cost of the bench segments grows with the data, on DuckDB and on local Spark.

    python bench/grow.py --sizes 0.3,1,3 --engines duckdb,spark1,spark2
    python bench/grow.py --sizes 0.01 --engines duckdb,spark2 --only frequent,top_decile

Sizes are bench/generate.py scales: 1 = 1,000,000 customers, 10,000,000 orders and
20,000,000 events (plus the shopping journeys, about a fifth more events); 0.3 and 3 scale
all three. Each warehouse is generated once into bench/.data/ (as `make bench` does) and
each table exported once to Parquet next to it (timestamps as UTC instants).

Engines:
- duckdb: the DuckDB warehouse file, threads=2, dialect "duckdb";
- duckdb-parquet: DuckDB, threads=2, reading the Parquet files (the files Spark reads);
- spark1, spark2: pyspark with master local[1] / local[2] over the Parquet files (temp
  views), dialect "spark"; default code generation, adaptive execution on, UTC.

For every size and engine: each segment's compiled query (`Project.compile(name,
dialect=..., as_of=2024-06-30)`), then the batch query of all segments
(`Project.compile_batch`). Every query is wrapped in `SELECT count(*)` (the batch in one
`count_if` per column) and timed after one warm-up run: the median of --repeat runs
(--spark-repeat on Spark; 0 times a single run with no warm-up), or of one run when the
warm-up took longer than --slow seconds.
--spark-segments-upto limits per-segment Spark runs to the sizes up to that scale (the batch runs at every size).

Before the figures are reported, every engine's member count of every segment (and of every
batch column) must equal DuckDB's per-segment count at the same size; the run exits 1
otherwise. The growth exponent b of time = a * rows^b is fitted by least squares on logs,
per segment and for the batch, per engine (rows: customers + orders + events). The raw
figures go to a JSON file (--json, default bench/results/grow-<date>.json), written after
every (size, engine) run, so that --resume can go on where a run stopped; a table is printed. docs/scale.md holds the latest figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import segdsl  # noqa: E402
from bench import generate, queries  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
RESULTS = Path(__file__).resolve().parent / "results"
TABLES = ("customers", "orders", "events", "segdsl_snapshots")
ENGINES = ("duckdb", "duckdb-parquet", "spark1", "spark2")
SPARK_CONFIG = {
    "spark.driver.memory": "8g",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


def log(*parts) -> None:
    print(*parts, flush=True)


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


# ------------------------------------------------------------------ data


def warehouse(scale: float, threads: int, memory: str) -> Path:
    """The bench warehouse at `scale`, generated once (the file `make bench` uses)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"acme-x{scale:g}-v{generate.GENERATOR_VERSION}.duckdb"
    if not path.exists():
        log(f"generating the warehouse at scale {scale:g} into {path.relative_to(ROOT)} (load {load()}) ...")
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        con.execute(f"SET threads = {threads}")
        con.execute(f"SET memory_limit = '{memory}'")
        con.execute("SET enable_progress_bar = false")
        started = time.perf_counter()
        generate.build(con, scale, log=log)
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
        log(f"  generated in {time.perf_counter() - started:.0f}s")
    return path


def parquet(db: Path, threads: int, memory: str) -> Path:
    """One Parquet file per table next to the warehouse, written once; timestamps as UTC
    instants (TIMESTAMPTZ, Parquet isAdjustedToUTC), the type of a Spark TIMESTAMP."""
    folder = db.with_suffix(".parquet")
    if (folder / "_done").exists():
        return folder
    folder.mkdir(exist_ok=True)
    log(f"exporting {db.name} to Parquet ...")
    con = duckdb.connect(str(db), read_only=True)
    con.execute(f"SET threads = {threads}")
    con.execute(f"SET memory_limit = '{memory}'")
    con.execute("SET TimeZone = 'UTC'")
    started = time.perf_counter()
    for table in TABLES:
        cols = con.execute(f"DESCRIBE {table}").fetchall()
        select = ", ".join(f'CAST("{c}" AS TIMESTAMPTZ) AS "{c}"' if t == "TIMESTAMP" else f'"{c}"'
                           for c, t, *_ in cols)
        con.execute(f"COPY (SELECT {select} FROM {table}) TO '{folder / table}.parquet' (FORMAT parquet)")
    con.close()
    (folder / "_done").write_text("")
    log(f"  exported in {time.perf_counter() - started:.0f}s")
    return folder


# ------------------------------------------------------------------ engines


class DuckDB:
    dialect = "duckdb"

    def __init__(self, db: Path | None, files: Path | None, threads: int, memory: str) -> None:
        self.con = duckdb.connect(str(db), read_only=True) if db else duckdb.connect()
        self.con.execute(f"SET threads = {threads}")
        self.con.execute(f"SET memory_limit = '{memory}'")
        self.con.execute("SET enable_progress_bar = false")
        if files:
            self.con.execute("SET TimeZone = 'UTC'")
            for t in TABLES:
                self.con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{files / t}.parquet')")

    def run(self, sql: str) -> tuple:
        return self.con.execute(sql).fetchone()

    def batch_sql(self, sql: str, names: list[str]) -> str:
        return queries.batch_timed_sql(sql, names)

    def close(self) -> None:
        self.con.close()


class Spark:
    dialect = "spark"

    def __init__(self, cores: int, files: Path) -> None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(f"local[{cores}]").appName("segdsl-grow")
        for key, value in {**SPARK_CONFIG, "spark.sql.warehouse.dir": str(DATA / "spark-warehouse")}.items():
            builder = builder.config(key, value)
        self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        assert self.spark.sparkContext.master == f"local[{cores}]", self.spark.sparkContext.master
        for t in TABLES:
            self.spark.sql(f"CREATE OR REPLACE TEMP VIEW {t} USING parquet OPTIONS (path '{files / t}.parquet')")
        # the JVM compiles Spark's code paths on first use: warm them before anything is timed
        for t in TABLES:
            self.spark.sql(f"SELECT count(*), count(DISTINCT {'member_key' if t == TABLES[-1] else 'customer_id'})"
                           f" FROM {t}").collect()

    def run(self, sql: str) -> tuple:
        return tuple(self.spark.sql(sql).collect()[0])

    def batch_sql(self, sql: str, names: list[str]) -> str:
        counts = ", ".join(f"count_if(m.`{n}`)" for n in names)
        return f"SELECT {counts} FROM ({sql}) AS m"

    def close(self) -> None:
        self.spark.stop()


def open_engine(name: str, db: Path, files: Path, threads: int, memory: str):
    if name == "duckdb":
        return DuckDB(db, None, threads, memory)
    if name == "duckdb-parquet":
        return DuckDB(None, files, threads, memory)
    return Spark(int(name[len("spark"):]), files)


def timed(engine, sql: str, repeat: int, slow: float) -> tuple[float, list[float], tuple]:
    """(median seconds, all timed runs, the result row) after one warm-up run; repeat 0:
    the one run is timed, no warm-up."""
    started = time.perf_counter()
    row = engine.run(sql)
    warm = time.perf_counter() - started
    if repeat == 0:
        return warm, [warm], row
    runs = []
    for _ in range(1 if warm > slow else repeat):
        started = time.perf_counter()
        again = engine.run(sql)
        runs.append(time.perf_counter() - started)
        if again != row:
            raise AssertionError(f"two runs of the same query differ: {row} vs {again}")
    return statistics.median(runs), runs, row


# ------------------------------------------------------------------ fit and report


def fit(points: list[tuple[int, float]]) -> float | None:
    """The exponent b of t = a * rows^b, least squares on logs (None under two sizes)."""
    if len({r for r, _ in points}) < 2:
        return None
    xs = [math.log(r) for r, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def exponents(runs: list[dict], customer_only: list[str] = ()) -> dict:
    """Per engine: the batch exponent, the median per-segment exponent (also apart for the
    segments that read only the customer table and for the others), the heaviest segments'."""
    out = {}
    for engine in sorted({r["engine"] for r in runs}, key=ENGINES.index):
        mine = sorted((r for r in runs if r["engine"] == engine), key=lambda r: r["rows"])
        batch = fit([(r["rows"], r["batch_s"]) for r in mine if r.get("batch_s")])
        sized = [r for r in mine if r["segments"]]
        per = {}
        for name in sized[0]["segments"] if sized else []:
            b = fit([(r["rows"], r["segments"][name]["s"]) for r in sized if name in r["segments"]])
            if b is not None:
                per[name] = b
        biggest = sized[-1]["segments"] if sized else {}
        heavy = sorted(per, key=lambda n: -biggest[n]["s"])[:5]
        out[engine] = {
            "batch": batch, "segments_median": statistics.median(per.values()) if per else None,
            "segments_min": min(per.values()) if per else None,
            "segments_max": max(per.values()) if per else None,
            "customer_only_median": _median([b for n, b in per.items() if n in customer_only]),
            "relations_median": _median([b for n, b in per.items() if n not in customer_only]),
            "heaviest": {n: {"b": per[n], "s_at_largest": biggest[n]["s"]} for n in heavy},
            "per_segment": per, "sizes": [r["scale"] for r in sized],
        }
    return out


def table(runs: list[dict], fits: dict) -> str:
    lines = ["| size | engine | rows | segments timed | median ms | p90 ms | max ms (segment) | sum s "
             "| batch s | load |", "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"]
    for r in sorted(runs, key=lambda r: (r["scale"], ENGINES.index(r["engine"]))):
        seg = r["segments"]
        if seg:
            ts = sorted(s["s"] for s in seg.values())
            worst = max(seg, key=lambda n: seg[n]["s"])
            cols = (f"{len(ts)}", f"{statistics.median(ts) * 1000:,.0f}", f"{p90(ts) * 1000:,.0f}",
                    f"{ts[-1] * 1000:,.0f} ({worst})", f"{sum(ts):,.1f}")
        else:
            cols = ("0", "-", "-", "-", "-")
        batch = f"{r['batch_s']:,.2f}" if r.get("batch_s") else "-"
        lines.append(f"| {r['customers']:,} | {r['engine']} | {r['rows']:,} | " + " | ".join(cols)
                     + f" | {batch} | {r['load_before']} / {r.get('load_after', '?')} |")
    lines += ["", "| engine | b (batch) | b (segments: median, min..max) | customer table only | reading "
              "orders/events | heaviest segments: b |", "|---|--:|--:|--:|--:|---|"]
    for engine, f in fits.items():
        def num(x):
            return "-" if x is None else f"{x:.2f}"
        heavy = ", ".join(f"{n} {h['b']:.2f}" for n, h in f["heaviest"].items())
        lines.append(f"| {engine} | {num(f['batch'])} | {num(f['segments_median'])} "
                     f"({num(f['segments_min'])}..{num(f['segments_max'])}) | {num(f['customer_only_median'])} "
                     f"| {num(f['relations_median'])} | {heavy or '-'} |")
    return "\n".join(lines)


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="0.3,1,3", help="bench/generate.py scales (default 0.3,1,3)")
    ap.add_argument("--engines", default="duckdb,spark1,spark2", help=f"any of {', '.join(ENGINES)}")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up (default 3)")
    ap.add_argument("--spark-repeat", type=int, help="timed runs of Spark queries (default: --repeat; 0: one run, no warm-up)")
    ap.add_argument("--slow", type=float, default=10.0,
                    help="a query whose warm-up took longer than this many seconds is timed once (default 10)")
    ap.add_argument("--spark-segments-upto", type=float, default=math.inf,
                    help="run per-segment Spark queries only at sizes up to this scale (the batch always)")
    ap.add_argument("--only", default="", help="comma-separated segment names (default: all)")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    ap.add_argument("--memory", default="8GB", help="DuckDB memory_limit (default 8GB)")
    ap.add_argument("--json", type=Path, help="where the raw figures go (default bench/results/grow-<time>.json)")
    ap.add_argument("--resume", action="store_true",
                    help="keep the runs already in --json and measure only the (size, engine) pairs missing")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    engines = [e.strip() for e in args.engines.split(",")]
    if set(engines) - set(ENGINES):
        ap.error(f"unknown engines {sorted(set(engines) - set(ENGINES))}")
    # DuckDB runs first at every size: the member counts every engine is checked against
    engines = ["duckdb"] + [e for e in engines if e != "duckdb"]
    project = segdsl.load_project(queries.PROJECT)
    if [d for d in project.check() if d.is_error]:
        log("bench/project does not check")
        return 2
    names = project.segment_names()
    if args.only:
        names = [n for n in names if n in {s.strip() for s in args.only.split(",")}]
    as_of = generate.AS_OF
    compiled = {d: {n: project.compile(n, dialect=d, as_of=as_of) for n in names} for d in ("duckdb", "spark")}
    batch = {d: project.compile_batch(names, dialect=d, as_of=as_of) for d in ("duckdb", "spark")}
    started_at = dt.datetime.now(dt.UTC)
    out = {"started": started_at.isoformat(timespec="seconds"), "machine": {
        "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
        "duckdb": duckdb.__version__}, "as_of": str(as_of), "segments": names, "repeat": args.repeat,
        "slow_s": args.slow, "runs": [], "mismatches": []}
    path = args.json or RESULTS / f"grow-{started_at:%Y%m%d-%H%M}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if args.resume and path.exists():
        out = json.loads(path.read_text())  # written after every run: its settings stay
    log(f"{len(names)} segments, sizes {sizes}, engines {engines}; {os.cpu_count()} CPUs, load {load()}")
    for scale in sizes:
        db = warehouse(scale, args.threads, args.memory)
        files = parquet(db, args.threads, args.memory) if set(engines) - {"duckdb"} else None
        con = duckdb.connect(str(db), read_only=True)
        counts = generate.table_sizes(con)
        con.close()
        rows = counts["customers"] + counts["orders"] + counts["events"]
        expected = {n: s["members"] for r in out["runs"] if (r["engine"], r["scale"]) == ("duckdb", scale)
                    for n, s in r["segments"].items()}
        for name in engines:
            if any((r["engine"], r["scale"]) == (name, scale) for r in out["runs"]):
                continue
            engine = open_engine(name, db, files, args.threads, args.memory)
            if name.startswith("spark"):
                import pyspark

                out["machine"]["pyspark"] = pyspark.__version__
            dialect = engine.dialect
            run = {"engine": name, "scale": scale, "customers": counts["customers"], "rows": rows,
                   "tables": counts, "load_before": load(), "segments": {}}
            log(f"\nscale {scale:g} ({rows:,} rows), {name} (load {run['load_before']})")
            spark = name.startswith("spark")
            repeat = args.repeat if args.spark_repeat is None or not spark else args.spark_repeat
            per_segment = not spark or scale <= args.spark_segments_upto
            run["repeat"] = repeat
            for i, n in enumerate(names if per_segment else [], start=1):
                s, all_runs, row = timed(engine, queries.timed_sql(compiled[dialect][n]), repeat, args.slow)
                run["segments"][n] = {"s": s, "runs": all_runs, "members": row[0]}
                if name == "duckdb":
                    expected[n] = row[0]
                elif row[0] != expected[n]:
                    out["mismatches"].append(f"{name} x{scale:g} {n}: {row[0]} members, duckdb {expected[n]}")
                log(f"  [{i}/{len(names)}] {n}: {s * 1000:,.0f} ms, {row[0]:,} members")
            if len(names) > 1:
                s, all_runs, row = timed(engine, engine.batch_sql(batch[dialect], names), repeat, args.slow)
                run.update(batch_s=s, batch_runs=all_runs, batch_members=dict(zip(names, row)))
                bad = [f"{name} x{scale:g} batch column {n}: {c} members, duckdb {expected[n]}"
                       for n, c in zip(names, row) if c != expected[n]]
                out["mismatches"] += bad
                log(f"  batch of {len(names)}: {s:,.2f}s" + (f", {len(bad)} columns DIFFER" if bad else ""))
            run["load_after"] = load()
            engine.close()
            out["runs"].append(run)
            path.write_text(json.dumps(out, indent=1))
    reads = {n: queries.Reads().add(project.segment_ir(n), project.schema) for n in names}
    out["customer_only"] = [n for n, r in reads.items() if not r.relations and not r.snapshots]
    out["fits"] = exponents(out["runs"], out["customer_only"])
    path.write_text(json.dumps(out, indent=1))
    log("\n" + table(out["runs"], out["fits"]))
    log(f"\nraw figures: {path}")
    if out["mismatches"]:
        log(f"{len(out['mismatches'])} member counts differ from DuckDB's:")
        for m in out["mismatches"]:
            log(f"  {m}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
