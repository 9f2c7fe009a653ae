"""`make test` relies on pytest-xdist's `--dist loadgroup` to keep the tests of one engine-bound
file on one worker (tests/conftest.py: XDIST_GROUPS). When a pytest or xdist upgrade breaks
that, nothing fails: every worker starts its own Spark and ClickHouse and module fixtures run
once per worker, and the run just gets slower. This test makes the breakage visible."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

GROUPED = textwrap.dedent("""
    import os
    import pytest

    @pytest.mark.xdist_group("together")
    @pytest.mark.parametrize("i", range(6))
    def test_grouped(i):
        with open(os.environ["WORKERS_FILE"], "a") as out:
            out.write(os.environ.get("PYTEST_XDIST_WORKER", "none") + "\\n")

    @pytest.mark.parametrize("i", range(6))
    def test_free(i):
        pass
""")


def test_loadgroup_keeps_a_group_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    workers = tmp_path / "workers.txt"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider",
         str(tmp_path / "test_grouped.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "WORKERS_FILE": str(workers)})
    assert done.returncode == 0, done.stdout + done.stderr
    seen = workers.read_text(encoding="utf-8").split()
    assert len(seen) == 6 and len(set(seen)) == 1, f"grouped tests ran on workers {seen}"
