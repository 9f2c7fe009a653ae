"""Saved differential failures (tests/cases/regressions/<name>/), run like any corpus case.

Each folder holds segdsl.toml, case.seg, data.json and expected.json (as-of date, members per
segment, metamorphic relations). The expected members were written by the reference evaluator
and then CHECKED BY HAND (see the folder's README.md); here they must come out of the
reference evaluator and of every engine, and the relations must hold everywhere.
How a folder is made: tests/test_differential.py / scripts/fuzz.py save the shrunk failing
example to .tmp/differential/ or .tmp/fuzz/; review it and move it here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.differential import known_bugs
from tests.differential.example import read_case
from tests.differential.harness import report, run_example

REGRESSIONS = Path(__file__).resolve().parent / "cases" / "regressions"
CASES = sorted(p for p in REGRESSIONS.iterdir() if (p / "expected.json").exists()) if REGRESSIONS.exists() else []
IDS = [p.name for p in CASES]


def test_there_are_regression_cases():
    assert CASES, f"no cases in {REGRESSIONS}"
    for case in CASES:
        assert (case / "README.md").exists(), f"{case.name}: say what it checks and how it was verified"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_reference_evaluator_gives_the_checked_members(case):
    ex, expected = read_case(case)
    out = run_example(ex, [], expected=expected["members"])
    assert not out.problems, report(ex, out)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_engines_give_the_checked_members(case, engine):
    ex, expected = read_case(case)
    out = run_example(ex, [engine], expected=expected["members"], per_segment_main_only=False)
    bug = expected.get("open_bug")
    if out.problems and bug and known_bugs.is_open(bug):
        pytest.xfail(f"open bug {bug} (tests/test_found_bugs.py)")
    assert not out.problems, report(ex, out)
