"""The batch at the size teams run every night: the generated project of bench/scale.py
(N segments made from the bench segments, thresholds varied, a tenth built from other
segments) evaluated as one batch query, against the separate per-segment queries.

Running all N separately would take many minutes, so the separate total is estimated from
a random sample of them (mean time x N, said as an estimate in the report). The sampled
segments' batch columns must equal their per-segment members, as in the main batch figures.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

import segdsl
from bench import queries, scale


def measure(con, n: int, as_of, timer, sample: int = 40, seed: int = 7) -> dict:
    """`timer(con, {label: sql}, repeat)` gives median seconds per label (run.medians)."""
    with tempfile.TemporaryDirectory(prefix="segdsl-bench-batch-") as tmp:
        project = segdsl.load_project(scale.write_project(Path(tmp) / f"p{n}", n))
        errors = [d for d in project.check() if d.is_error]
        if errors:
            raise RuntimeError(f"generated project of {n} segments does not check: {errors[0]}")
        names = project.segment_names()
        started = time.perf_counter()
        batch_sql = project.compile_batch(names, dialect="duckdb", as_of=as_of)
        compile_s = time.perf_counter() - started
        picked = random.Random(seed).sample(names, min(sample, len(names)))
        separate = {name: project.compile(name, dialect="duckdb", as_of=as_of) for name in picked}
    batch_s = timer(con, {"batch": queries.batch_timed_sql(batch_sql, names)}, 3)["batch"]
    mismatches = _check_sample(con, batch_sql, separate)
    per = [timer(con, {"q": queries.timed_sql(sql)}, 3)["q"] for sql in separate.values()]
    estimate = statistics.mean(per) * len(names)
    return {"segments": len(names), "batch_s": batch_s, "compile_s": compile_s, "sampled": len(per),
            "sample_mean_s": statistics.mean(per), "separate_estimate_s": estimate,
            "speedup": estimate / batch_s, "mismatches": mismatches}


def _check_sample(con, batch_sql: str, separate: dict[str, str]) -> list[str]:
    con.execute("CREATE OR REPLACE TEMP TABLE bench_scale_batch AS " + batch_sql)
    key = con.execute("SELECT * FROM bench_scale_batch LIMIT 0").description[0][0]
    out = []
    for name, sql in separate.items():
        in_batch = f"SELECT {queries.q(key)} FROM bench_scale_batch WHERE {queries.q(name)}"
        only_a, only_b, n_a, n_b = con.execute(queries.difference_sql(sql, in_batch)).fetchone()
        if only_a or only_b or n_a != n_b:
            out.append(f"batch of generated segments, column {name}: {only_b} extra and {only_a} missing members")
    con.execute("DROP TABLE bench_scale_batch")
    return out
