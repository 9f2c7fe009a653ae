"""Long differential campaign (`make fuzz`): random segments and data through the reference
evaluator, DuckDB, Postgres and ZetaSQL (BigQuery mode); see tests/test_differential.py.

    .venv/bin/python scripts/fuzz.py --examples 10000 --jobs 2

Each job runs hypothesis with a fresh random seed. A disagreement or crash is shrunk by
hypothesis and saved to .tmp/fuzz/<job>-<n>/ as a corpus case (expected.json = reference
evaluator; check it by hand before moving it to tests/cases/regressions/); the job then
continues with a new seed. Prints how many examples ran and how many disagreed or crashed,
and exits 1 if any did (2 if an engine could not start).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / ".tmp" / "fuzz"


def _kind(problems: list[str]) -> str:
    text = "\n".join(problems)
    if "crashed" in text or " failed on " in text or "rejected generated text" in text:
        return "crash"
    return "disagreement"


def worker(job: int, examples: int, engines_wanted: list[str], max_failures: int, seed: int | None) -> dict:
    from hypothesis import given, seed as hseed, settings

    from tests.differential import without_mutation_bursts  # also registers the profiles
    from tests.differential.example import examples as example_strategy
    from tests.differential.harness import report, run_example
    from tests.support.engines import make_engine

    engines = [make_engine(name) for name in engines_wanted]
    without_mutation_bursts()  # more distinct programs per example budget
    # SIGTERM: finish the current example, then stop cleanly (engines closed, the throwaway
    # Postgres stopped by atexit). An exception raised inside the test would be shrunk instead.
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    rng = random.Random(seed)
    stats = {"examples": 0, "shrink_runs": 0, "disagreements": 0, "crashes": 0, "saved": []}
    state_file = OUT / f"{seed}-{job}.json"  # the figures so far, should the campaign be killed
    while stats["examples"] < examples and len(stats["saved"]) < max_failures and not stopping:
        state = {"failing": None}

        @hseed(rng.getrandbits(64))
        @settings(settings.get_profile("segdsl-fuzz"), max_examples=examples - stats["examples"])
        @given(ex=example_strategy())
        def campaign(ex):
            if stopping:
                raise KeyboardInterrupt  # hypothesis lets this through at once
            if state["failing"] is not None:
                stats["shrink_runs"] += 1  # after the first failure hypothesis is shrinking
            else:
                stats["examples"] += 1
                if stats["examples"] % 100 == 0:
                    print(f"[job {job}] {stats['examples']} examples", flush=True)
                    _save(state_file, stats)
            out = run_example(ex, engines)
            if out.problems:
                if state["failing"] is None:
                    stats["crashes" if _kind(out.problems) == "crash" else "disagreements"] += 1
                state["failing"] = (ex, out)
                raise AssertionError("\n".join(out.problems))

        try:
            campaign()
        except KeyboardInterrupt:
            break
        except Exception as exc:  # AssertionError, or hypothesis's Flaky* when it does not reproduce
            if state["failing"] is None:
                raise
            ex, out = state["failing"]  # the last failing call: hypothesis's shrunk example
            if not isinstance(exc, AssertionError):
                out.problems.append(f"(hypothesis: {type(exc).__name__}: {str(exc)[:500]})")
            folder = OUT / f"{seed}-{job}-{len(stats['saved']) + 1}"
            folder.mkdir(parents=True, exist_ok=True)
            message = report(ex, out, None if out.checker_rejected else folder)
            (folder / "report.txt").write_text(message, encoding="utf-8")
            stats["saved"].append(str(folder))
            _save(state_file, stats)
            print(f"[job {job}] FAILURE saved to {folder}:\n{message[:4000]}", flush=True)
        if state["failing"] is None:
            break  # the run used up its examples without a failure
    for e in engines:
        e.close()
    _save(state_file, {**stats, "finished": True})
    return stats


def _save(path: Path, stats: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stats), encoding="utf-8")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=10_000, help="examples in total (default 10000)")
    ap.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    ap.add_argument("--engines", default="duckdb,postgres,bigquery")
    ap.add_argument("--max-failures", type=int, default=5, help="per job: stop after this many saved failures")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    engines = args.engines.split(",")

    if args.worker is not None:  # one job: report as JSON on the last line
        try:
            stats = worker(args.worker, args.examples, engines, args.max_failures, args.seed)
        except Exception as exc:  # an engine that cannot start
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
            return 2
        print(json.dumps(stats))
        return 0

    started = time.time()
    base_seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)
    share = [args.examples // args.jobs + (1 if i < args.examples % args.jobs else 0) for i in range(args.jobs)]
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(i), "--examples", str(n),
                               "--engines", args.engines, "--max-failures", str(args.max_failures),
                               "--seed", str(base_seed + i)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
             for i, n in enumerate(share)]
    def forward(signum, frame):  # noqa: ARG001 - stop the workers, then report what ran
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    results = []
    try:
        for p in procs:
            lines = []
            for line in p.stdout:
                lines.append(line)
                if not line.startswith("{"):
                    print(line, end="", flush=True)
            p.wait()
            results.append(json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {"error": "no result"})
    finally:  # Ctrl-C / SIGTERM of the campaign: stop the workers (and their Postgres servers)
        for p in procs:
            if p.poll() is None:
                p.terminate()
    errors = [r["error"] for r in results if "error" in r]
    total = {k: sum(r.get(k, 0) for r in results) for k in ("examples", "shrink_runs", "disagreements", "crashes")}
    saved = [s for r in results for s in r.get("saved", [])]
    minutes = (time.time() - started) / 60
    print(f"\nfuzz: {total['examples']} examples on {args.engines} in {minutes:.1f} min (seed {base_seed}, "
          f"{args.jobs} jobs); {total['disagreements']} disagreed, {total['crashes']} crashed "
          f"(+{total['shrink_runs']} shrinking runs)")
    for s in saved:
        print(f"  saved: {s}")
    if errors:
        print("fuzz: " + "; ".join(errors), file=sys.stderr)
        return 2
    return 1 if total["disagreements"] or total["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
