"""Compiler bugs found by the fuzzers and not fixed yet, each with its smallest reproduction.

tests/test_found_bugs.py asserts each reproduction is fixed, under xfail(strict=True): when the
compiler owner fixes one, that test XPASSes (fails) and its xfail marker is removed.

While a bug is open the generators steer around it (`is_open(name)`), so that `make test` stays
green and the fuzzers keep looking for *other* bugs; as soon as the reproduction stops failing,
`is_open` returns False and the generators cover the construct again.

Fixed so far (now ordinary tests): `cond_value_without_parentheses` below (110cefa); a file
starting with a keyword crashed the parser (d82d52c,
test_fuzz_frontend.py::test_a_file_starting_with_a_keyword_is_a_syntax_error); 5000-term
and/or chains took ~5 s per dialect to compile (the `and_chain` case of the same file).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _project(seg: str):
    import segdsl

    with tempfile.TemporaryDirectory() as tmp:  # load_project reads every file right away
        (Path(tmp) / "segdsl.toml").write_text((ROOT / "examples" / "segdsl.toml").read_text(encoding="utf-8"))
        (Path(tmp) / "case.seg").write_text(seg, encoding="utf-8")
        return segdsl.load_project(tmp)


def cond_value_without_parentheses() -> str | None:
    """A boolean trait defined by a compound condition, compared as a value:
        trait t = age > 1 and age < 5
        segment s where t = false
    compiles to `COALESCE(age > 1, FALSE) AND COALESCE(age < 5, FALSE) = FALSE` (no parentheses
    around the condition), which every engine reads as `A AND (B = FALSE)`: ages 3, 9, 0 and
    missing give [9] instead of [9, 0, missing]. Silently wrong on DuckDB, Postgres and
    ZetaSQL; with never-missing operands (counts) DuckDB and Postgres reject the chained `=`."""
    import duckdb

    p = _project("trait t = age > 1 and age < 5\nsegment s where t = false\n")
    con = duckdb.connect()
    con.execute("CREATE TABLE customers (customer_id BIGINT, age BIGINT)")
    con.execute("INSERT INTO customers VALUES (1, 3), (2, 9), (3, 0), (4, NULL)")
    try:
        got = [r[0] for r in con.execute(p.compile("s", dialect="duckdb")).fetchall()]
    except Exception as exc:  # noqa: BLE001 - any engine error is the bug too
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None if got == [2, 3, 4] else f"members {got}, expected [2, 3, 4]"


REPRODUCTIONS = {
    "cond_value_without_parentheses": cond_value_without_parentheses,
}


@functools.lru_cache(maxsize=None)
def is_open(name: str) -> bool:
    """Does the bug still reproduce? (Cached: once per test session.)"""
    return REPRODUCTIONS[name]() is not None
