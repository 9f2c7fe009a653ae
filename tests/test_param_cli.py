"""The command line with parameterised segments: `--segment` with arguments (any spelling,
shown by the canonical name), refused arguments (exit 2), whole-project runs, and a run on
a DuckDB warehouse whose member file and batch use every argument list."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.param_data import AS_OF, TABLES

PROJECT = Path(__file__).resolve().parent / "cases" / "params"


def segdsl(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc


def test_compile_names_the_instantiation_canonically():
    proc = segdsl("compile", PROJECT, "--segment", 'regulars_in(min_orders: 5, r: "South")', "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('-- segment: regulars_in("South", 5)\n')
    assert "'South'" in proc.stdout and ">= 5" in proc.stdout


def test_explain_words_the_arguments():
    proc = segdsl("explain", PROJECT, "--segment", 'regulars_in("Midwest")')
    assert proc.returncode == 0, proc.stderr
    assert 'segment regulars_in("Midwest", 3)' in proc.stdout
    assert '"Midwest"' in proc.stdout and "at least 3" in proc.stdout


@pytest.mark.parametrize(("arg", "words"), [
    ('regulars_in("midwest")', '"midwest" is not a value of region; did you mean `Midwest`?'),
    ("regulars_in", "segment `regulars_in` needs `r: region`"),
    ('regulars_in("South", lots: 3)', "segment `regulars_in` has no parameter `lots`"),
    ('regulars_in("South"', "is not a segment with arguments"),
    ("older_than(2.5)", "`years` takes a whole number"),
])
def test_a_wrong_argument_is_a_usage_error(arg, words):
    for command in ("compile", "explain"):
        proc = segdsl(command, PROJECT, "--segment", arg)
        assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
        assert words in proc.stderr, proc.stderr


def test_run_on_duckdb_writes_each_argument_list(tmp_path):
    import duckdb

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE customers (customer_id INTEGER, region VARCHAR, signup_date DATE, city VARCHAR, "
                "is_subscribed BOOLEAN, age INTEGER)")
    con.execute("CREATE TABLE orders (customer_id INTEGER, order_id INTEGER, ordered_at TIMESTAMP, amount DOUBLE, "
                "status VARCHAR, channel VARCHAR)")
    con.execute("CREATE TABLE events (customer_id INTEGER, occurred_at TIMESTAMP, name VARCHAR, city VARCHAR)")
    for c in TABLES["customers"]:
        con.execute("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
                    [c["customer_id"], c["region"], c["signup_date"], c["city"], c["is_subscribed"], c["age"]])
    for o in TABLES["orders"]:
        con.execute("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)",
                    [o["customer_id"], o["order_id"], o["ordered_at"], o["amount"], o["status"], o["channel"]])
    con.close()
    out = tmp_path / "members.csv"
    proc = segdsl("run", PROJECT, "--db", db, "--as-of", AS_OF, "-o", out,
                  "--segment", 'regulars_in("South", 2)', "--segment", "west_regulars",
                  "--segment", "recent_signups(7 days)")
    assert proc.returncode == 0, proc.stderr
    with open(out, newline="") as f:
        rows = [(r["segment"], int(r["customer_id"])) for r in csv.DictReader(f)]
    assert rows == [('regulars_in("South", 2)', 4), ('regulars_in("South", 2)', 5), ('regulars_in("South", 2)', 6),
                    ("west_regulars", 1), ("west_regulars", 3),
                    ("recent_signups(7 days)", 1), ("recent_signups(7 days)", 2)]
    whole = segdsl("run", PROJECT, "--db", db, "--as-of", AS_OF)
    assert whole.returncode == 0, whole.stderr
    assert "8 of 8 segments ran" in whole.stdout  # city_signups and older_than need arguments
