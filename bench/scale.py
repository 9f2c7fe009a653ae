"""`segdsl check` on generated projects of 1,000 and 10,000 segments: time and peak memory.

The project is the bench schema plus N distinct segments made from the bench segments
(renamed, thresholds varied, each with its own `customer_id > i`), a tenth of them combining earlier ones with `in segment`, spread
over files of 100 segments. `segdsl check` runs in a fresh Python process, whose peak
resident size is read from /proc/self/status (VmHWM) when the command has finished.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.queries import PROJECT

_SEGMENT = re.compile(r"^segment\s+(\w+)\s+where\s+(.+)$")


def templates() -> list[str]:
    """`where` conditions of the one-line bench segments that use no other segment."""
    out = []
    for path in sorted(PROJECT.glob("*.seg")):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _SEGMENT.match(line.strip())
            if m and "in segment" not in m.group(2) and "in snapshot" not in m.group(2):
                out.append(m.group(2))
    return out


def _vary(cond: str, i: int) -> str:
    # shift the thresholds a little, and make every segment distinct (no duplicate warnings)
    varied = re.sub(r"(?<![\w.\-])(\d{2,3})(?![\w.\-])", lambda m: str(int(m.group(1)) + i % 7), cond)
    return f"({varied}) and customer_id > {i}"


def write_project(folder: Path, n: int) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(PROJECT / "segdsl.toml", folder / "segdsl.toml")
    shutil.copy(PROJECT / "definitions.seg", folder / "definitions.seg")
    conds = templates()
    lines: list[str] = []
    for i in range(n):
        if i % 10 == 9:
            lines.append(f"segment s{i} where in segment s{i - 1} and not in segment s{i - 5}")
        else:
            lines.append(f"segment s{i} where {_vary(conds[i % len(conds)], i)}")
    for f in range(0, n, 100):
        (folder / f"part{f // 100:04d}.seg").write_text("\n".join(lines[f:f + 100]) + "\n", encoding="utf-8")
    return folder


@dataclass
class CheckRun:
    segments: int
    seconds: float
    peak_mb: float
    exit_code: int
    output: str


_CHILD = """
import json, sys
from segdsl.cli.main import main
sys.argv = ["segdsl", "check", sys.argv[1]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
with open("/proc/self/status") as f:
    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
sys.stdout.flush()
print("\\n" + json.dumps({"exit": code, "hwm_kb": hwm}), file=sys.stderr)
"""


def run_check(folder: Path, segments: int) -> CheckRun:
    """Time `segdsl check <folder>` (the CLI's own entry point) in a fresh Python process
    and read that process's peak resident size (VmHWM: per process image, so it does not
    inherit this process's memory through fork, as ru_maxrss of a child does)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("{")]
    if not lines:
        return CheckRun(segments, seconds, float("nan"), proc.returncode, (proc.stdout + proc.stderr)[-300:])
    info = json.loads(lines[-1])
    said = proc.stdout + "".join(ln + "\n" for ln in proc.stderr.splitlines() if not ln.startswith("{"))
    return CheckRun(segments, seconds, info["hwm_kb"] / 1024, info["exit"], said.strip()[-300:])
