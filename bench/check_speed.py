"""Speed of the CI gate: `segdsl check` on a generated 1,000-segment project, and
`segdsl --help` (start-up: nothing heavy may be imported before a command needs it).

    .venv/bin/python bench/check_speed.py [--segments 1000] [--runs 5] [--profile]

Targets: check under 0.6 s and --help under 0.3 s, wall clock, on 2 cores (the bench pins
itself and its children to two CPUs when the OS allows). segdsl's modules are compiled to
bytecode first, as installing the package does (an editable install run with
PYTHONDONTWRITEBYTECODE would otherwise compile them on every start). Reports the best and the median
of several runs, wall and CPU time, and the time of each stage measured in-process
(read, parse, check, warnings). --profile prints the slowest functions of one check.
No timing is asserted in the test suite; this script is where the figures come from.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"check": 0.6, "help": 0.3}
REGIONS = ["West Coast", "East Coast", "Midwest", "South", "Mountain"]
EVENTS = ["session_start", "email_open", "email_click", "demo_requested", "webinar_attended"]

TRAITS = """\
trait ltv = sum(orders.amount where status = "paid")
trait orders_90d = count(orders in last 90 days)
trait last_order_at = max(orders.ordered_at)
score engagement {
  +10 when count(events in last 30 days where name = "email_open") >= 3
  +20 when did "demo_requested"
  -15 when last_order_at before 90 days ago
}
"""


def segment(i: int, rng: random.Random) -> str:
    """One of ten shapes, so every part of the checker is exercised."""
    k = i % 10
    region, event = rng.choice(REGIONS), rng.choice(EVENTS)
    conds = [
        f'region = "{region}" and orders_90d >= {i % 7}',
        f"ltv > {i * 10} and age between 20 and {30 + i % 40}",
        f'did "{event}" at least {1 + i % 4} times in last {10 + i % 50} days and plan in ["pro", "enterprise"]',
        f'has orders in last {1 + i % 90} days where (status = "paid" or amount > {i})',
        f'interests has any ["hiking", "x{i}"] and signup_date in last {1 + i % 365} days',
        f"engagement >= {i % 40} and not is_subscribed",
        f"top {1 + i % 50}% by ltv",
        f'lower(city) = "city {i}" or email ends with "@example{i}.com"',
        f"days_since(last_order_at) > {i % 200} and count_distinct(orders.channel) >= 2",
        f"in segment s{i - 1} and not in segment s{i - 7}" if i >= 7 else "age > 18",
    ]
    return f"segment s{i} where {conds[k]}\n"


def generate(folder: Path, n: int) -> None:
    rng = random.Random(42)
    shutil.copy(ROOT / "examples" / "segdsl.toml", folder / "segdsl.toml")
    (folder / "traits.seg").write_text(TRAITS)
    per_file = 50
    for start in range(0, n, per_file):
        text = "".join(segment(i, rng) for i in range(start, min(n, start + per_file)))
        (folder / f"segments_{start // per_file:03d}.seg").write_text(text)


def command() -> list[str]:
    exe = Path(sys.executable).parent / "segdsl"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "segdsl.cli.main"]


def timed(args: list[str], runs: int) -> tuple[list[float], list[float], int]:
    walls, cpus, code = [], [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code = proc.returncode
    return walls, cpus, code


def stages(folder: Path) -> dict[str, float]:
    """Each stage of one check, in this process (imports excluded: they are warmed first)."""
    import segdsl
    import segdsl.check.project  # noqa: F401  (imports are warmed before timing)
    import segdsl.syntax.parse  # noqa: F401
    from segdsl.check.warnings import project_warnings
    from segdsl.syntax.grammar import parser

    parser()  # the LALR tables load once per process; counted in the command's time, not here

    out = {}
    t = time.perf_counter()
    project = segdsl.load_project(folder)
    out["read"] = time.perf_counter() - t
    t = time.perf_counter()
    _ = project.parsed  # the property parses (memoised): timed here
    out["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    _ = project.resolved  # likewise: resolves and checks
    out["check"] = time.perf_counter() - t
    t = time.perf_counter()
    project_warnings(project)
    out["warnings"] = time.perf_counter() - t
    return out


def profile(folder: Path) -> None:
    import cProfile
    import pstats

    import segdsl

    profiler = cProfile.Profile()
    profiler.enable()
    segdsl.load_project(folder).check()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    opts = ap.parse_args()
    import compileall

    compileall.compile_dir(ROOT / "segdsl", quiet=1)  # as `pip install` does for a wheel
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))[:2]
        os.sched_setaffinity(0, cpus)  # children inherit it
    print(f"python {sys.version.split()[0]}, {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, opts.segments)
        results = {
            "check": timed(command() + ["check", str(folder)], opts.runs),
            "help": timed(command() + ["--help"], opts.runs),
        }
        ok = True
        for name, (walls, cpus, code) in results.items():
            best, median = min(walls), statistics.median(walls)
            passed = best < TARGETS[name]
            ok &= passed
            print(f"{name:6} wall best {best:.3f}s median {median:.3f}s | cpu best {min(cpus):.3f}s "
                  f"| target {TARGETS[name]}s {'PASS' if passed else 'FAIL'} (exit {code})")
        parts = stages(folder)
        print("stages (in-process): " + ", ".join(f"{k} {v:.3f}s" for k, v in parts.items()))
        if opts.profile:
            profile(folder)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
