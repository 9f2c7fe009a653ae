"""The segdsl benchmark (`make bench`): compiled SQL vs hand-written SQL vs the one-scan floor.

    python bench/run.py                 # full size: 1M customers, 10M orders, 20M events
    python bench/run.py --scale 0.1     # a tenth of that
    python bench/run.py --only frequent,top_decile --repeat 3

Engine: DuckDB on this machine, with an explicit thread count (--threads, default 2). The
warehouse is generated once per scale into bench/.data/ (kept between runs; --rebuild).
For every segment the compiled query, each hand-written variant (bench/reference/) and the
floor (bench/queries.py) run --repeat times (fast ones more) after a warm-up, interleaved;
the table shows medians and ratios. Before timing, every reference variant must return exactly the
compiled query's members (the run stops otherwise), and the batch query must give every
segment exactly its per-segment members.

Targets (ratios from the same run): compiled <= 1.1x the best hand-written variant; batch of
all segments >= 10x faster than the separate queries and <= 1.5x the floor of all columns
read; compile <= 2 ms per segment; `check` of 10,000 segments under 1 GB peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

import segdsl  # noqa: E402
from bench import batch_scale, generate, queries, scale  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
TARGET_REFERENCE = 1.1
TARGET_BATCH_SPEEDUP = 10.0
TARGET_BATCH_FLOOR = 1.5
TARGET_COMPILE_MS = 2.0
TARGET_CHECK_MB = 1024.0


# ------------------------------------------------------------------ warehouse


def connect(scale_: float, threads: int, rebuild: bool, log) -> duckdb.DuckDBPyConnection:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"acme-x{scale_:g}-v{generate.GENERATOR_VERSION}.duckdb"
    if rebuild or not path.exists():
        log(f"generating the warehouse at scale {scale_:g} into {path.relative_to(ROOT)} ...")
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        _settings(con, threads)
        started = time.perf_counter()
        generate.build(con, scale_)
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
        log(f"  generated in {time.perf_counter() - started:.1f}s")
    con = duckdb.connect(str(path), read_only=True)
    _settings(con, threads)
    return con


def _settings(con, threads: int) -> None:
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET enable_progress_bar = false")


# ------------------------------------------------------------------ timing


def run_once(con, sql: str) -> float:
    started = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - started


ROUNDS_BUDGET_S = 2.0  # fast queries get more rounds: about this much time per group
MAX_ROUNDS_FACTOR = 5  # ... but at most this many times --repeat


def medians(con, named: dict[str, str], repeat: int) -> dict[str, float]:
    """Median seconds of every query: one warm-up round, then interleaved rounds, at least
    `repeat` of them; queries that run in milliseconds get more rounds (up to
    MAX_ROUNDS_FACTOR x repeat, about ROUNDS_BUDGET_S in all), so that their medians are not
    at the mercy of a few noisy runs."""
    times: dict[str, list[float]] = {k: [] for k in named}
    warm_up = sum(run_once(con, sql) for sql in named.values())
    rounds = max(repeat, min(repeat * MAX_ROUNDS_FACTOR, int(ROUNDS_BUDGET_S / max(warm_up, 1e-6))))
    for _ in range(rounds):
        for k, sql in named.items():
            times[k].append(run_once(con, sql))
    return {k: statistics.median(v) for k, v in times.items()}


@dataclass
class SegmentRow:
    name: str
    members: int
    compiled: float
    references: dict[str, float]
    floor: float
    best_label: str = ""
    best: float = 0.0
    ratio_ref: float = 0.0
    ratio_floor: float = 0.0


@dataclass
class Report:
    scale: float
    threads: int
    repeat: int
    sizes: dict[str, int]
    duckdb: str
    segments: list[SegmentRow] = field(default_factory=list)
    batch: dict = field(default_factory=dict)
    batch_scale: dict = field(default_factory=dict)
    compile: dict = field(default_factory=dict)
    check: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)
    mismatches: list = field(default_factory=list)


# ------------------------------------------------------------------ members


class MemberMismatch(AssertionError):
    pass


def assert_same_members(con, name: str, compiled: str, variants) -> int:
    members = None
    for v in variants:
        only_a, only_b, n_a, n_b = con.execute(queries.difference_sql(compiled, v.sql)).fetchone()
        if only_a or only_b or n_a != n_b:
            raise MemberMismatch(f"{name}: reference variant {v.label!r} differs from the compiled query: "
                                 f"{only_a} only compiled, {only_b} only reference, sizes {n_a} vs {n_b}")
        members = n_a
    if members is None:
        members = con.execute(queries.timed_sql(compiled)).fetchone()[0]
    return members


def assert_batch_members(con, batch_sql: str, compiled: dict[str, str]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE bench_batch AS " + batch_sql)
    key = con.execute("SELECT * FROM bench_batch LIMIT 0").description[0][0]
    for name, sql in compiled.items():
        in_batch = f"SELECT {queries.q(key)} FROM bench_batch WHERE {queries.q(name)}"
        only_a, only_b, n_a, n_b = con.execute(queries.difference_sql(sql, in_batch)).fetchone()
        if only_a or only_b or n_a != n_b:
            raise MemberMismatch(f"batch column {name}: {only_b} extra and {only_a} missing members "
                                 f"compared with the per-segment query")
        nulls = con.execute(f"SELECT count(*) FROM bench_batch WHERE {queries.q(name)} IS NULL").fetchone()[0]
        if nulls:
            raise MemberMismatch(f"batch column {name}: {nulls} NULLs")
    con.execute("DROP TABLE bench_batch")


# ------------------------------------------------------------------ compile time


def compile_times(project, names: list[str], as_of, rounds: int = 20) -> dict:
    project.check()  # parse and check once (memoised), as `segdsl run` does before compiling
    per = {}
    for name in names:
        ts = []
        for _ in range(rounds):
            started = time.perf_counter()
            project.compile(name, dialect="duckdb", as_of=as_of)
            ts.append(time.perf_counter() - started)
        per[name] = statistics.median(ts)
    started = time.perf_counter()
    for _ in range(3):
        project.compile_batch(names, dialect="duckdb", as_of=as_of)
    batch = (time.perf_counter() - started) / 3
    fresh = segdsl.load_project(queries.PROJECT)
    started = time.perf_counter()
    fresh.check()
    for name in names:
        fresh.compile(name, dialect="duckdb", as_of=as_of)
    cold = time.perf_counter() - started
    values = sorted(per.values())
    return {"median_ms": statistics.median(values) * 1000, "max_ms": values[-1] * 1000,
            "slowest": max(per, key=per.get), "batch_ms_per_segment": batch * 1000 / len(names),
            "cold_ms_per_segment": cold * 1000 / len(names)}


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="data size relative to 1M/10M/20M rows (default 1)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed runs per query after one warm-up, at least (default 5; fast queries get up to 5x more)")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    ap.add_argument("--only", default="", help="comma-separated segment names")
    ap.add_argument("--rebuild", action="store_true", help="regenerate the warehouse")
    ap.add_argument("--no-batch", action="store_true")
    ap.add_argument("--no-check-scale", action="store_true", help="skip `check` on 1,000 / 10,000 segments")
    ap.add_argument("--batch-segments", type=int, default=1000,
                    help="also run a batch of this many generated segments (0: skip; default 1000)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    args = ap.parse_args(argv)

    console = Console(width=None if sys.stdout.isatty() else 160)
    log = console.print
    as_of = generate.AS_OF
    con = connect(args.scale, args.threads, args.rebuild, log)
    project = segdsl.load_project(queries.PROJECT)
    errors = [d for d in project.check() if d.is_error]
    if errors:
        for d in errors:
            log(str(d))
        return 2
    names = project.segment_names()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            log(f"unknown segments: {unknown}")
            return 2
        names = [n for n in names if n in wanted]
    report = Report(args.scale, args.threads, args.repeat, generate.table_sizes(con), duckdb.__version__)
    log(f"DuckDB {duckdb.__version__}, threads={args.threads} (set explicitly), {os.cpu_count()} CPUs; "
        f"tables: " + ", ".join(f"{k} {v:,}" for k, v in report.sizes.items()))
    log(f"{len(names)} segments as of {as_of}; median of {args.repeat} to {args.repeat * MAX_ROUNDS_FACTOR} "
        f"runs after a warm-up\n")

    compiled = {n: project.compile(n, dialect="duckdb", as_of=as_of) for n in names}
    schema = project.schema
    for i, name in enumerate(names, start=1):
        variants = queries.reference_variants(name)
        if not variants:
            log(f"[red]no reference query for {name} in bench/reference/[/red]")
            return 2
        try:
            members = assert_same_members(con, name, compiled[name], variants)
        except MemberMismatch as exc:
            log(f"[red]{exc}[/red]")
            report.mismatches.append(str(exc))
            members = -1
        reads = queries.Reads().add(project.segment_ir(name), schema)
        named = {"compiled": queries.timed_sql(compiled[name]),
                 **{f"ref:{v.label}": queries.timed_sql(v.sql) for v in variants},
                 "floor": queries.floor_sql(reads, schema)}
        m = medians(con, named, args.repeat)
        refs = {k[4:]: v for k, v in m.items() if k.startswith("ref:")}
        best_label = min(refs, key=refs.get)
        row = SegmentRow(name, members, m["compiled"], refs, m["floor"], best_label, refs[best_label],
                         m["compiled"] / refs[best_label], m["compiled"] / m["floor"])
        report.segments.append(row)
        console.print(f"  [{i}/{len(names)}] {name}: {row.compiled * 1000:.0f} ms, "
                      f"best reference {row.best * 1000:.0f} ms ({best_label}), floor {row.floor * 1000:.0f} ms",
                      highlight=False)

    if not args.no_batch and len(names) > 1:
        log("\nbatch: checking members ...")
        batch_sql = project.compile_batch(names, dialect="duckdb", as_of=as_of)
        try:
            assert_batch_members(con, batch_sql, compiled)
        except MemberMismatch as exc:
            log(f"[red]{exc}[/red]")
            report.mismatches.append(str(exc))
        reads = queries.Reads()
        for n in names:
            reads.add(project.segment_ir(n), schema)
        # the same for the segments whose work is a grouped count-like pass (no ranking, no
        # first/last, no count_distinct): what the floor can be compared with directly
        plain = [n for n in names if queries.plain(project.segment_ir(n))]
        plain_sql = project.compile_batch(plain, dialect="duckdb", as_of=as_of)
        plain_reads = queries.Reads()
        for n in plain:
            plain_reads.add(project.segment_ir(n), schema)
        m = medians(con, {"batch": queries.batch_timed_sql(batch_sql, names),
                          "floor": queries.floor_sql(reads, schema),
                          "plain": queries.batch_timed_sql(plain_sql, plain),
                          "plain_floor": queries.floor_sql(plain_reads, schema)}, args.repeat)
        separate = sum(r.compiled for r in report.segments)
        separate_hand = sum(r.best for r in report.segments)  # the best hand-written variant of each
        plain_separate = sum(r.compiled for r in report.segments if r.name in plain)
        report.batch = {"segments": len(names), "batch_s": m["batch"], "separate_s": separate,
                        "separate_hand_s": separate_hand,
                        "floor_s": m["floor"], "speedup": separate / m["batch"],
                        "floor_ratio": m["batch"] / m["floor"],
                        "plain_segments": len(plain), "plain_s": m["plain"], "plain_separate_s": plain_separate,
                        "plain_floor_s": m["plain_floor"]}

    if not args.no_batch and args.batch_segments and not args.only:
        log(f"batch of {args.batch_segments:,} generated segments ...")
        report.batch_scale = batch_scale.measure(con, args.batch_segments, as_of, medians)
        report.mismatches += report.batch_scale["mismatches"]

    log("compile times ...")
    report.compile = compile_times(project, names, as_of)
    if not args.no_check_scale:
        with tempfile.TemporaryDirectory(prefix="segdsl-bench-") as tmp:
            for n in (1000, 10000):
                log(f"check of {n:,} segments ...")
                folder = scale.write_project(Path(tmp) / f"p{n}", n)
                report.check.append(asdict(scale.run_check(folder, n)))

    print_report(console, report)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2, default=str))
    if report.mismatches:
        log(f"[red]{len(report.mismatches)} member mismatches:[/red]")
        for m in report.mismatches:
            log(f"  {m}")
        return 1
    return 0


def _ms(s: float) -> str:
    return f"{s * 1000:,.0f}" if s >= 0.01 else f"{s * 1000:.1f}"


def _ok(flag: bool) -> str:
    return "[green]met[/green]" if flag else "[red]NOT met[/red]"


def print_report(console: Console, r: Report) -> None:
    t = Table(title=f"segments: median ms of {r.repeat}+ runs, DuckDB {r.duckdb}, threads={r.threads}, "
                    f"scale {r.scale:g}", show_lines=False)
    for col, just in (("segment", "left"), ("members", "right"), ("compiled", "right"),
                      ("best hand-written", "right"), ("variant", "left"), ("floor", "right"),
                      ("compiled / hand", "right"), ("compiled / floor", "right")):
        t.add_column(col, justify=just)
    for s in r.segments:
        style = "green" if s.ratio_ref <= TARGET_REFERENCE else "red"
        t.add_row(s.name, f"{s.members:,}" if s.members >= 0 else "[red]MISMATCH[/red]", _ms(s.compiled), _ms(s.best), s.best_label, _ms(s.floor),
                  f"[{style}]{s.ratio_ref:.2f}x[/{style}]", f"{s.ratio_floor:.2f}x")
    console.print(t)
    met_ref = [s for s in r.segments if s.ratio_ref <= TARGET_REFERENCE]
    ratios = [s.ratio_ref for s in r.segments]
    targets = {}
    summary = Table(title="targets", show_header=True)
    for col in ("target", "measured", ""):
        summary.add_column(col)
    if ratios:
        gm = statistics.geometric_mean(ratios)
        targets["reference"] = len(met_ref) == len(r.segments)
        summary.add_row(f"compiled <= {TARGET_REFERENCE}x best hand-written (each segment)",
                        f"{len(met_ref)}/{len(r.segments)} segments; geometric mean {gm:.2f}x, "
                        f"worst {max(ratios):.2f}x ({max(r.segments, key=lambda s: s.ratio_ref).name})",
                        _ok(targets["reference"]))
        total_c = sum(s.compiled for s in r.segments)
        total_h = sum(s.best for s in r.segments)
        summary.add_row("  (all segments, summed)", f"compiled {total_c:.2f}s vs hand-written {total_h:.2f}s "
                        f"= {total_c / total_h:.2f}x", "")
    if r.batch:
        b = r.batch
        targets["batch_speedup"] = b["speedup"] >= TARGET_BATCH_SPEEDUP
        targets["batch_floor"] = b["floor_ratio"] <= TARGET_BATCH_FLOOR
        summary.add_row(f"batch of {b['segments']} >= {TARGET_BATCH_SPEEDUP:g}x faster than separate",
                        f"batch {b['batch_s']:.2f}s vs separate {b['separate_s']:.2f}s = {b['speedup']:.1f}x "
                        f"(vs the hand-written queries {b['separate_hand_s']:.2f}s = "
                        f"{b['separate_hand_s'] / b['batch_s']:.1f}x)", _ok(targets["batch_speedup"]))
        # both batch targets hold together only when the separate queries cost at least
        # 10 / 1.5 = 6.7 floors: say how far the separate queries are from that
        summary.add_row("  (upper bound: a batch exactly at the floor)",
                        f"separate {b['separate_s'] / b['floor_s']:.1f}x the floor; a batch at exactly the "
                        f"floor would be {b['separate_s'] / b['floor_s']:.1f}x faster than separate", "")
        summary.add_row(f"batch <= {TARGET_BATCH_FLOOR}x one-scan floor",
                        f"floor {b['floor_s']:.2f}s: {b['floor_ratio']:.2f}x", _ok(targets["batch_floor"]))
        if b.get("plain_segments"):
            summary.add_row(f"  ({b['plain_segments']} segments without ranking, first/last, count_distinct)",
                            f"batch {b['plain_s']:.2f}s vs separate {b['plain_separate_s']:.2f}s = "
                            f"{b['plain_separate_s'] / b['plain_s']:.1f}x; floor {b['plain_floor_s']:.2f}s: "
                            f"{b['plain_s'] / b['plain_floor_s']:.2f}x", "")
    if r.batch_scale:
        b = r.batch_scale
        summary.add_row(f"  (batch of {b['segments']:,} generated segments)",
                        f"batch {b['batch_s']:.2f}s (compiled in {b['compile_s']:.2f}s) vs separate, estimated "
                        f"from {b['sampled']} sampled queries ({b['sample_mean_s'] * 1000:.0f} ms each), "
                        f"{b['separate_estimate_s']:.0f}s = {b['speedup']:.0f}x", "")
    if r.compile:
        c = r.compile
        targets["compile"] = c["max_ms"] <= TARGET_COMPILE_MS
        summary.add_row(f"compile <= {TARGET_COMPILE_MS:g} ms per segment",
                        f"median {c['median_ms']:.2f} ms, max {c['max_ms']:.2f} ms ({c['slowest']}); "
                        f"in a batch {c['batch_ms_per_segment']:.2f} ms; cold (parse+check+compile) "
                        f"{c['cold_ms_per_segment']:.2f} ms", _ok(targets["compile"]))
    for run in r.check:
        ok = run["exit_code"] == 0 and run["peak_mb"] < TARGET_CHECK_MB
        if run["segments"] == 10000:
            targets["check"] = ok
        summary.add_row(f"check of {run['segments']:,} segments" +
                        (f" < {TARGET_CHECK_MB:g} MB peak" if run["segments"] == 10000 else ""),
                        f"{run['seconds']:.2f}s, peak {run['peak_mb']:.0f} MB, exit {run['exit_code']}",
                        _ok(ok) if run["segments"] == 10000 else "")
    r.targets = targets
    console.print(summary)


if __name__ == "__main__":
    sys.exit(main())
