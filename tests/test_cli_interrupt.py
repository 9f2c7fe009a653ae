"""Ctrl-C, one way for every command: exit 130 and `interrupted`, no internal error, no
partial output file, no partial warehouse write.

Each case runs `segdsl` in a subprocess and delivers a real SIGINT while DuckDB executes a
query (DuckDB then raises `RuntimeError: Query interrupted`, the case that used to be an
internal error) or while Python code runs (a plain KeyboardInterrupt).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from tests.analysis.fixture import AS_OF, _load_duckdb, project_dir  # noqa: F401

# In the child: the N-th query starting with TRIGGER is replaced by a query that runs for
# minutes, and SIGINT arrives while it runs (or, in Python mode, just before it starts).
CHILD = textwrap.dedent("""
    import os, signal, sys, threading
    from segdsl.warehouse import connection

    trigger, nth, mode, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    real = connection.DuckDBWarehouse.query_columns
    seen = []

    def query_columns(self, sql):
        if sql.lstrip().upper().startswith(trigger):
            seen.append(sql)
            if len(seen) == nth:
                if mode == "python":
                    os.kill(os.getpid(), signal.SIGINT)  # handled at the next bytecode
                threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
                return real(self, "SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3")
        return real(self, sql)

    connection.DuckDBWarehouse.query_columns = query_columns
    from segdsl.cli.main import main

    sys.argv = ["segdsl", *args]
    main()
""")


def interrupted_run(trigger: str, nth: int, *args, mode: str = "duckdb"):
    return subprocess.run([sys.executable, "-c", CHILD, trigger, str(nth), mode, *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    _load_duckdb(path)
    return path


def snapshot_rows(db) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'segdsl_snapshots'").fetchall()[0][0]:
            return []
        return con.execute("SELECT * FROM segdsl_snapshots ORDER BY ALL").fetchall()
    finally:
        con.close()


def assert_interrupted(proc) -> None:
    assert proc.returncode == 130, proc.stderr[-2000:]
    assert "interrupted" in proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("mode", ["duckdb", "python"])
def test_interrupted_snapshot_writes_nothing(project_dir, db, mode):
    args = ["snapshot", project_dir, "--db", db, "-s", "pros", "-s", "young", "--as-of", AS_OF]
    proc = interrupted_run("INSERT", 2, *args, mode=mode)  # during the second segment
    assert_interrupted(proc)
    assert snapshot_rows(db) == []
    # a snapshot stored, then an interrupted run: the table is as it was
    done = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "snapshot", project_dir, "--db", db,
                           "-s", "pros", "--as-of", str(AS_OF)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    before = snapshot_rows(db)
    assert_interrupted(interrupted_run("INSERT", 2, *args, mode=mode))
    assert snapshot_rows(db) == before


@pytest.mark.parametrize("command", [
    ["overlap", "{p}", "--db", "{db}"],
    ["profile", "{p}", "--db", "{db}", "-s", "pros"],
    ["run", "{p}", "--db", "{db}"],
])
def test_interrupted_analyses_exit_130(project_dir, db, command):
    args = [a.format(p=project_dir, db=db) for a in command]
    assert_interrupted(interrupted_run("", 1, *args, "--as-of", AS_OF))


def test_interrupted_report_and_run_leave_no_file(project_dir, db, tmp_path):
    out = tmp_path / "report.html"
    assert_interrupted(interrupted_run("", 3, "report", project_dir, "--db", db, "--output", out,
                                       "--as-of", AS_OF))
    members = tmp_path / "members.csv"
    assert_interrupted(interrupted_run("", 1, "run", project_dir, "--db", db, "--output", members,
                                       "--as-of", AS_OF))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["w.duckdb", "project"])
