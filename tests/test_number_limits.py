"""The largest numbers the checker accepts run on every engine, and one more is a diagnostic.

Windows reach at most 100 years in any unit, counts and `top N` a 64-bit integer, bucket
numbers a 32-bit one (Postgres' NTILE). Each largest-accepted segment is run next to a segment
with the same meaning written with small numbers: the members must be equal.
"""

from __future__ import annotations

import shutil
import tomllib

import pytest

from tests.fixtures.acme_data import AS_OF, TABLES
from tests.projects import ROOT

# (largest accepted, the same meaning with small numbers) at AS_OF = 2024-06-30
AT_THE_LIMIT = {
    "days": ("signup_date after 36525 days ago", "signup_date after 1924-06-30"),
    "weeks": ("signup_date after 5218 weeks ago", "signup_date after 1924-06-29"),
    "months": ("signup_date after 1200 months ago", "signup_date after 1924-06-30"),
    "years": ("signup_date after 100 years ago", "signup_date after 1924-06-30"),
    "window": ("has orders in last 100 years", "has orders where (ordered_at after 1924-06-30 "
               "and ordered_at <= today)"),
    "next": ("renewal_date in next 36525 days", "renewal_date >= today and "
             "renewal_date before 2124-06-30"),
    "top": ("top 9223372036854775807 by income", "income is set"),
    "percent": ("top 99.999999% by income", "income is set"),
    "at_most": ('did "email_open" at most 9223372036854775807 times', "true"),
    "at_least": ('did "email_open" at least 9223372036854775807 times', "false"),
    "bucket": ("bucket(income, 2147483647) = 1", "bucket(income, 100000) = 1"),
    "literal": ("age < 9223372036854775807", "age is set"),
}

TOO_LARGE = {
    "in last 36526 days": "SEG0318", "in last 5219 weeks": "SEG0318",
    "in last 1201 months": "SEG0318", "in last 101 years": "SEG0318",
    "in last 99999999999 days": "SEG0318", "in last 999999 months": "SEG0318",
    "before 101 years ago": "SEG0318",
}


def _project(tmp_path, text: str):
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "limits.seg").write_text(text, encoding="utf-8")
    return segdsl.load_project(tmp_path)


def test_at_the_limit_checks(tmp_path):
    text = "".join(f"segment {k} where {a}\nsegment {k}_small where {b}\n"
                   for k, (a, b) in AT_THE_LIMIT.items())
    errors = [d for d in _project(tmp_path, text).check() if d.is_error]
    assert not errors, errors


@pytest.mark.parametrize("tail, code", TOO_LARGE.items(), ids=list(TOO_LARGE))
def test_one_more_is_a_diagnostic(tmp_path, tail, code):
    project = _project(tmp_path, f"segment s where signup_date {tail}\n")
    assert [d.code for d in project.check()] == [code]


@pytest.mark.parametrize("text", [
    'segment s where did "email_open" at least 9223372036854775808 times',
    "segment s where top 9223372036854775808 by income",
    "segment s where bucket(income, 2147483648) = 1",
    "segment s where bucket(income, 99999999999999999999999) = 1",
    "segment s where age > 9223372036854775808",
    "segment s where top 33.3333333% by income",
    "segment s where income > 1234567890123456789012345678901.5",
])
def test_numbers_beyond_the_engines_are_diagnostics(tmp_path, text):
    project = _project(tmp_path, text + "\n")
    codes = [d.code for d in project.check()]
    assert len(codes) == 1 and codes[0] in ("SEG0318", "SEG0306", "SEG0305"), codes


def test_at_the_limit_runs_on_every_engine(engine, tmp_path):
    text = "".join(f"segment {k} where {a}\nsegment {k}_small where {b}\n"
                   for k, (a, b) in AT_THE_LIMIT.items())
    project = _project(tmp_path, text)
    with open(tmp_path / "segdsl.toml", "rb") as f:
        engine.load(tomllib.load(f), TABLES)
    for key in AT_THE_LIMIT:
        big = engine.keys(project.compile(key, dialect=engine.dialect, as_of=AS_OF))
        small = engine.keys(project.compile(f"{key}_small", dialect=engine.dialect, as_of=AS_OF))
        assert big == small, (key, engine.dialect)
