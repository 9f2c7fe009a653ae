"""`segdsl test`: the example project's tests pass on DuckDB and Postgres; failures name the
unexpected and missing keys; exit codes, JSON and GitHub output; families; time zones."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types

import pytest

import segdsl
from segdsl.segtest.run import run_test
from tests.projects import ROOT
from tests.segtest_support import example_copy


def segdsl_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


FAILING = '''test "frequent, stated wrongly"
as_of = 2024-06-30
segment = "frequent"
customers = [ { customer_id = 1 }, { customer_id = 2 }, { customer_id = 3 } ]
orders = [
  { customer_id = 2, ordered_at = 2024-06-01T10:00 },
  { customer_id = 2, ordered_at = 2024-06-02T10:00 },
  { customer_id = 2, ordered_at = 2024-06-03T10:00 },
]
members = [1]

test "frequent, stated rightly"
as_of = 2024-06-30
segment = "frequent"
customers = [ { customer_id = 1 }, { customer_id = 2 } ]
orders = [
  { customer_id = 2, ordered_at = 2024-06-01T10:00 },
  { customer_id = 2, ordered_at = 2024-06-02T10:00 },
  { customer_id = 2, ordered_at = 2024-06-03T10:00 },
]
members = [2]
exclude = []
'''.replace("members = [2]\nexclude = []", "include = [2]\nexclude = [1]")


def outcomes(project, engine="duckdb", url=None):
    tests, diags = project.segtests
    assert [d for d in diags if d.is_error] == []
    return [run_test(project, t, engine, url) for t in tests]


def test_the_example_tests_pass_on_duckdb():
    results = outcomes(segdsl.load_project(ROOT / "examples"))
    assert len(results) == 18
    assert [(o.test.name, o.error, o.unexpected, o.missing) for o in results if not o.passed] == []


def test_a_failure_names_the_unexpected_and_missing_keys(tmp_path):
    project = segdsl.load_project(example_copy(tmp_path, {"t.segtest": FAILING}))
    wrong, right = outcomes(project)
    assert (wrong.passed, wrong.unexpected, wrong.missing) == (False, [2], [1])
    assert right.passed


def test_a_segment_with_errors_cannot_run(tmp_path):
    folder = example_copy(tmp_path, {"t.segtest": FAILING})
    (folder / "broken.seg").write_text("segment broken where agee > 3\n")
    text = FAILING.split('test "frequent, stated rightly"')[0].replace('"frequent"', '"broken"')
    (folder / "t.segtest").write_text(text.replace("members = [1]", "members = []"))
    (result,) = outcomes(segdsl.load_project(folder))
    assert not result.passed
    assert result.error is not None and "broken.seg:1:22: error[SEG0203]" in result.error


def test_each_test_starts_from_empty_tables(tmp_path):
    # the second test has no orders: customer 2's orders of the first test must not leak into it
    text = FAILING.split('test "frequent, stated rightly"')[0].replace("members = [1]", "members = [2]")
    text += 'test "no orders"\nas_of = 2024-06-30\nsegment = "frequent"\ncustomers = [ { customer_id = 2 } ]\nmembers = []\n'
    results = outcomes(segdsl.load_project(example_copy(tmp_path, {"t.segtest": text})))
    assert [o.passed for o in results] == [True, True]


@pytest.mark.parametrize("batched", [True, False])
def test_why_lines_come_from_segdsl_why_when_installed(tmp_path, monkeypatch, batched):
    asked = []

    class Result:
        def __init__(self, key):
            self.key = key

        def to_text(self):
            return f"count(orders in last 90 days) for {self.key}"

    def explain_key(project, segment, key, *, connection, as_of):
        asked.append((segment, key, str(as_of), connection.dialect))
        return Result(key)

    def explain_keys(project, segment, keys, *, connection, as_of):
        return {k: explain_key(project, segment, k, connection=connection, as_of=as_of) for k in keys}

    fake = types.SimpleNamespace(explain_key=explain_key, **({"explain_keys": explain_keys} if batched else {}))
    monkeypatch.setitem(sys.modules, "segdsl.why", fake)
    project = segdsl.load_project(example_copy(tmp_path, {"t.segtest": FAILING}))
    wrong, _ = outcomes(project)
    assert sorted(asked) == [("frequent", 1, "2024-06-30", "duckdb"), ("frequent", 2, "2024-06-30", "duckdb")]
    assert wrong.why == {2: "count(orders in last 90 days) for 2", 1: "count(orders in last 90 days) for 1"}


def test_project_time_zone_reads_date_times_without_offset(tmp_path):
    folder = example_copy(tmp_path)
    config = (folder / "segdsl.toml").read_text().replace("\n[project]\n", '\n[project]\ntimezone = "America/New_York"\n')
    (folder / "segdsl.toml").write_text(config)
    # the last 90 days as of 2024-06-30 start on 2024-04-02, a New York date: 01:00 there is
    # 05:00 UTC; read as UTC, 01:00 would be 2024-04-01 21:00 in New York, outside. With an
    # offset the time is what it says: 03:59Z is 2024-04-01 23:59 in New York, outside
    (folder / "t.segtest").write_text('''test "local times"
as_of = 2024-06-30
segment = "frequent"
customers = [ { customer_id = 1 }, { customer_id = 2 } ]
orders = [
  { customer_id = 1, ordered_at = 2024-04-02T01:00 },
  { customer_id = 1, ordered_at = 2024-05-01T10:00 },
  { customer_id = 1, ordered_at = 2024-06-30T23:30 },
  { customer_id = 2, ordered_at = 2024-04-02T03:59Z },
  { customer_id = 2, ordered_at = 2024-05-01T10:00 },
  { customer_id = 2, ordered_at = 2024-06-01T10:00 },
]
members = [1]
''')
    project = segdsl.load_project(folder)
    assert project.settings.timezone == "America/New_York"
    (result,) = outcomes(project)
    assert (result.unexpected, result.missing) == ([], [])


FAMILY_TEST = '''test "lifecycle stages"
as_of = 2024-06-30
family = "lifecycle"
customers = [
  { customer_id = 1, signup_date = 2020-01-01 },
  { customer_id = 2, signup_date = 2024-06-20 },
  { customer_id = 3, signup_date = 2020-01-01 },
]
orders = [
  { customer_id = 1, amount = 400.0, status = "paid", ordered_at = 2024-01-10T10:00 },
  { customer_id = 1, amount = 400.0, status = "paid", ordered_at = 2024-02-10T10:00 },
  { customer_id = 1, amount = 400.0, status = "paid", ordered_at = 2024-06-10T10:00 },
]
assign = { 1 = "champions", 2 = "new_customers", 3 = "others" }
'''


def test_a_family_test_states_each_customers_member(tmp_path):
    shutil.copytree(ROOT / "tests" / "cases" / "families", tmp_path / "p")
    (tmp_path / "p" / "ok.segtest").write_text(FAMILY_TEST)
    wrong = FAMILY_TEST.replace('3 = "others"', '3 = "at_risk"').replace("lifecycle stages", "wrong")
    (tmp_path / "p" / "wrong.segtest").write_text(wrong)
    by_name = {o.test.name: o for o in outcomes(segdsl.load_project(tmp_path / "p"))}
    assert by_name["lifecycle stages"].passed
    assert by_name["wrong"].misassigned == [(3, "at_risk", "others")]


def test_groups_read_one_segment_each_when_the_subject_is_no_value(tmp_path, monkeypatch):
    # a split's groups are the segments `split.group`: the same answer as the family's value
    shutil.copytree(ROOT / "tests" / "cases" / "families", tmp_path / "p")
    (tmp_path / "p" / "ok.segtest").write_text(FAMILY_TEST)
    project = segdsl.load_project(tmp_path / "p")
    (test,) = project.segtests[0]
    monkeypatch.setattr(type(project), "trait_names", lambda self: [])
    (result,) = outcomes(project)
    assert result.passed and result.test is test


SPLIT_TEST = '''test "spring_campaign: the group of each key's bucket"
as_of = 2024-06-30
split = "spring_campaign"
customers = [
  { customer_id = 7, age = 40 },
  { customer_id = 42, age = 40 },
  { customer_id = 1, age = 35 },
  { customer_id = 1000, age = 20 },
]
assign = { 7 = "control", 42 = "treatment", 1 = "treatment" }
'''


def test_a_split_test_states_each_customers_group(tmp_path):
    # buckets from tests/expected/split_buckets.py (md5 by coreutils): 7 -> 299, 42 -> 2385,
    # 1 -> 8536; control is buckets 0-999, treatment 1000-9999, of the adults (age >= 30)
    shutil.copytree(ROOT / "tests" / "cases" / "splits", tmp_path / "p")
    (tmp_path / "p" / "ok.segtest").write_text(SPLIT_TEST)
    wrong = SPLIT_TEST.replace('7 = "control"', '7 = "treatment"').replace("spring_campaign: the", "wrong: the")
    (tmp_path / "p" / "wrong.segtest").write_text(wrong)
    by_name = {o.test.name.split(":")[0]: o for o in outcomes(segdsl.load_project(tmp_path / "p"))}
    assert by_name["spring_campaign"].passed
    assert by_name["wrong"].misassigned == [(7, "treatment", "control")]


# ---- the command -------------------------------------------------------------------------


def test_cli_passes_on_the_examples():
    r = segdsl_cli("test", ROOT / "examples")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert any(line.startswith("examples/tests/relations.segtest: 6 tests, all passed (") for line in lines) or \
        any("relations.segtest: 6 tests, all passed" in line for line in lines)
    assert lines[-1].startswith("18 tests: 18 passed in ") and lines[-1].endswith("s on duckdb")


def test_cli_failure_text_json_and_github(tmp_path):
    folder = example_copy(tmp_path / "p", {"tests/t.segtest": FAILING})
    r = segdsl_cli("test", folder / "tests" / "t.segtest", cwd=folder)
    assert r.returncode == 1
    assert "tests/t.segtest: 2 tests, 1 failed (" in r.stdout
    assert 'FAILED tests/t.segtest:1: test "frequent, stated wrongly" (segment frequent, as of 2024-06-30)' in r.stdout
    assert "  in the segment, but not expected: 2\n" in r.stdout
    assert "  expected, but not in the segment: 1\n" in r.stdout
    assert r.stdout.splitlines()[-1].startswith("2 tests: 1 passed, 1 failed in ")

    r = segdsl_cli("test", folder, "--format", "json", cwd=folder)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["version"] == 1
    assert {k: data["summary"][k] for k in ("tests", "passed", "failed", "not_run", "errors", "engine")} == \
        {"tests": 2, "passed": 1, "failed": 1, "not_run": 0, "errors": 0, "engine": "duckdb"}
    failed = [t for t in data["tests"] if not t["passed"]]
    assert [(t["name"], t["path"], t["line"], t["subject"], t["unexpected"], t["missing"]) for t in failed] == \
        [("frequent, stated wrongly", "tests/t.segtest", 1, {"kind": "segment", "name": "frequent"}, [2], [1])]

    r = segdsl_cli("test", folder, "--format", "github", cwd=folder)
    assert r.returncode == 1
    assert r.stdout.startswith("::error file=tests/t.segtest,line=1,endLine=1,col=6,endColumn=31,title=test::"
                               "FAILED tests/t.segtest:1: test \"frequent, stated wrongly\" (segment frequent, "
                               "as of 2024-06-30)%0A  in the segment, but not expected: 2%0A")
    assert "2 tests: 1 passed, 1 failed" in r.stderr


def test_cli_segment_filter_and_errors_in_tests(tmp_path):
    folder = example_copy(tmp_path / "p", {"a.segtest": FAILING, "b.segtest": FAILING.replace('"frequent"', '"s1"')
                                                                              .replace("ordered_at", "ordered_att")})
    r = segdsl_cli("test", folder, "--segment", "frequent")
    assert r.returncode == 1 and "2 tests: 1 passed, 1 failed" in r.stdout
    r = segdsl_cli("test", folder / "b.segtest")
    assert r.returncode == 1
    assert "error[SEG0707]: `orders` has no column `ordered_att`" in r.stderr
    assert r.stdout.splitlines()[-1].startswith("2 tests: 0 passed, 2 with errors (not run)")


@pytest.mark.parametrize("args, message", [
    (["--engine", "sqlite"], "--engine: unknown engine `sqlite`"),
    (["--engine", "postgres"], "--engine postgres needs --url"),
    (["--segment", "frequnt"], "no test of `frequnt` here did you mean `frequent`?"),
    (["--format", "sarif"], "--format: unknown format `sarif`"),
    (["--db", "x.duckdb"], "--db, --output and --as-of go with --generate"),
])
def test_cli_usage_errors_exit_2(args, message):
    r = segdsl_cli("test", ROOT / "examples", *args)
    assert (r.returncode, r.stdout) == (2, "")
    assert message in r.stderr


def test_cli_missing_path_exits_2(tmp_path):
    r = segdsl_cli("test", tmp_path / "nowhere")
    assert r.returncode == 2 and "no such file or folder" in r.stderr


@pytest.mark.postgres
def test_the_example_tests_pass_on_postgres_and_leave_nothing_behind(postgres_engine):
    import psycopg

    r = segdsl_cli("test", ROOT / "examples", "--engine", "postgres", "--url", postgres_engine.dsn)
    print(r.stdout)  # the timings, for `pytest -s`
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1].startswith("18 tests: 18 passed in ")
    assert r.stdout.splitlines()[-1].endswith("s on postgres")
    with psycopg.connect(postgres_engine.dsn, autocommit=True) as con:
        left = con.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'segtest_%'").fetchall()
    assert left == []


@pytest.mark.postgres
def test_a_failure_on_postgres_names_the_same_keys(postgres_engine, tmp_path):
    project = segdsl.load_project(example_copy(tmp_path, {"t.segtest": FAILING}))
    wrong, right = outcomes(project, "postgres", postgres_engine.dsn)
    assert (wrong.unexpected, wrong.missing, right.passed) == ([2], [1], True)


# In the child: the 3rd query of a test (a segment's SELECT) on Postgres is replaced by a long
# sleep, and SIGINT arrives while it runs.
INTERRUPTING_CHILD = """
import signal, os, sys, threading
from segdsl.warehouse import connection

real = connection.PostgresWarehouse.query_columns
seen = []

def query_columns(self, sql):
    if sql.lstrip().upper().startswith(("SELECT", "WITH")):
        seen.append(sql)
        if len(seen) == 3:
            threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
            return real(self, "SELECT pg_sleep(60)")
    return real(self, sql)

connection.PostgresWarehouse.query_columns = query_columns
from segdsl.cli.main import main

sys.argv = ["segdsl", *sys.argv[1:]]
main()
"""


@pytest.mark.postgres
def test_ctrl_c_on_postgres_drops_the_test_schema(postgres_engine):
    import psycopg

    proc = subprocess.run([sys.executable, "-c", INTERRUPTING_CHILD, "test", str(ROOT / "examples"),
                           "--engine", "postgres", "--url", postgres_engine.dsn],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr[-2000:]
    assert "interrupted" in proc.stderr and "Traceback" not in proc.stderr
    with psycopg.connect(postgres_engine.dsn, autocommit=True) as con:
        left = con.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'segtest_%'").fetchall()
    assert left == []
