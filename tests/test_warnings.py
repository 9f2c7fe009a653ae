"""SEG06xx warnings: when they fire and, as much, when they must not. The rendered text of
each is snapshotted by test_diagnostics.py (tests/diagnostics/warn_*.seg)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.projects import ROOT


def warnings_of(tmp_path, text: str) -> list:
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "case.seg").write_text(text, encoding="utf-8")
    return [d for d in segdsl.load_project(tmp_path).check() if d.severity == "warning"]


def codes(tmp_path, text: str) -> list[str]:
    return [d.code for d in warnings_of(tmp_path, text)]


@pytest.mark.parametrize("cond, warns", [
    ('age > 3 and plan = "pro" or is_subscribed', True),
    ('is_subscribed or age > 3 and plan = "pro"', True),
    ('(age > 3 and plan = "pro") or is_subscribed', False),
    ('age > 3 and (plan = "pro" or is_subscribed)', False),
    ('(age > 3\n   and plan = "pro")\n  or is_subscribed', False),
    ('((age > 3) and (plan = "pro")) or is_subscribed', False),
    ('(age > 3) and (plan = "pro") or is_subscribed', True),
    ('age > 3 or plan = "pro"', False),
    ('has orders where (status = "paid" and amount > 3 or channel = "web")', True),
    ('count(orders where status = "paid" and amount > 3 or channel = "web") > 1', True),
])
def test_and_inside_or_needs_parentheses(tmp_path, cond, warns):
    assert ("SEG0601" in codes(tmp_path, f"segment s where {cond}\n")) == warns


@pytest.mark.parametrize("cond, warns", [
    ("age > 50 and age < 30", True),
    ("age >= 30 and age <= 30", False),
    ("age > 30 and age <= 30", True),
    ("age = 3 and age = 4", True),
    ("age = 3 and age >= 3", False),
    ("30 < age and age < 20", True),
    ("age > 3 and (plan = \"pro\" and age < 2)", True),
    ("age > 3 or age < 2", False),
    ("age > 50 and income < 30", False),
    ("income > -5 and income < -10", True),
    ('plan = "pro" and plan = "basic"', True),
    ('plan = "pro" and plan = "pro"', False),
    ("signup_date after 2024-05-01 and signup_date before 2024-04-01", True),
    ("signup_date in last 30 days and signup_date before 60 days ago", True),
    ("signup_date in last 30 days and signup_date after 60 days ago", False),
    ("signup_date in next 7 days and signup_date in last 7 days", False),  # both hold today
    ("signup_date in next 7 days and signup_date before today", True),
    ("signup_date in last 2 months and signup_date before 90 days ago", False),  # other units
    ("signup_date before 2020-01-01 and signup_date in last 30 days", False),  # depends on today
    ("count(orders where amount > 100 and amount < 50) > 0", True),
    ("age between 10 and 20 and age > 25", True),
    ("age between 20 and 10", True),
    ("age between 10 and 10", False),
    ("signup_date between 30 days ago and 90 days ago", True),
    ("signup_date between 90 days ago and 30 days ago", False),
])
def test_ranges_that_nothing_satisfies(tmp_path, cond, warns):
    found = codes(tmp_path, f"segment s where {cond}\n")
    assert ("SEG0602" in found) == warns, found
    assert found.count("SEG0602") <= 1


@pytest.mark.parametrize("cond, warns", [
    ('region != "West Coast"', True),
    ('"West Coast" != region', True),
    ('plan not in ["free"]', True),
    ('apps has none ["ios_app"]', True),
    ('region is set and region != "West Coast"', False),
    ('region != "West Coast" or region is not set', False),
    ("count(orders) != 3", False),  # a count is never missing
    ("coalesce(age, 0) != 3", False),
    ("lower(city) != \"x\"", True),
    ('has orders where status != "paid"', True),
    ('region = "West Coast"', False),
    ("not is_subscribed", False),
])
def test_negations_that_include_missing_values(tmp_path, cond, warns):
    assert ("SEG0603" in codes(tmp_path, f"segment s where {cond}\n")) == warns


def test_negation_on_traits_follows_whether_the_trait_can_be_missing(tmp_path):
    found = warnings_of(tmp_path, "trait n = count(orders)\ntrait f = first(orders.channel)\n"
                                  'segment a where n != 3\nsegment b where f != "web"\n')
    assert [(d.code, d.span.line) for d in found] == [("SEG0603", 4)]
    assert "customers with no f" in found[0].message


def test_segments_with_the_same_condition(tmp_path):
    found = warnings_of(tmp_path, 'segment a where age >= 18 and plan = "pro"\n'
                                  'segment b where plan = "pro" and age >= 18\n'
                                  "segment c where in segment a\n"
                                  'segment d where age >= 18 and plan = "basic"\n'
                                  "segment e where age between 18 and 30\n"
                                  "segment f where age >= 18 and age <= 30\n")
    dups = [(d.message, d.related[0][1]) for d in found if d.code == "SEG0604"]
    assert dups == [("segment `b` has the same condition as `a`", "`a` is defined here"),
                    ("segment `f` has the same condition as `e`", "`e` is defined here")]


def test_definitions_with_errors_get_no_warnings(tmp_path):
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "case.seg").write_text('segment a where regin != "x" or age > 3 and age < 2\n')
    assert [d.code for d in segdsl.load_project(tmp_path).check()] == ["SEG0203"]


def test_corpus_warnings_are_only_the_deliberate_negations():
    import segdsl

    for folder in ("examples", "tests/corpus/utc", "tests/cases/acme_extra"):
        found = {d.code for d in segdsl.load_project(ROOT / folder).check()}
        assert found <= {"SEG0603"}, (folder, found)


def test_warnings_fail_only_with_warnings_as_errors(tmp_path):
    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text("segment s where age > 50 and age < 30\n")
    run = [sys.executable, "-m", "segdsl.cli.main", "check", str(tmp_path)]
    plain = subprocess.run(run, capture_output=True, text=True)
    assert plain.returncode == 0 and "warning[SEG0602]" in plain.stderr
    strict = subprocess.run(run + ["--warnings-as-errors"], capture_output=True, text=True)
    assert strict.returncode == 1 and "error[SEG0602]" in strict.stderr


def test_warnings_are_computed_once_per_project(tmp_path, monkeypatch):
    import segdsl
    from segdsl.check import warnings

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text('segment s where region != "x"\n')
    project = segdsl.load_project(tmp_path)
    calls = []
    real = warnings._compute
    monkeypatch.setattr(warnings, "_compute", lambda p: calls.append(1) or real(p))
    assert project.check() == project.check()
    assert len(calls) == 1
