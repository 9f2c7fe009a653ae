"""Compiler bugs found by the correctness harness (differential, front-end and injection
fuzzing), one minimal reproduction each. While a bug is open its test is xfail(strict=True):
it fails while the bug is there (so the suite stays green) and XPASSes -- failing the run --
once it is fixed, so the fixer removes the marker and the test stays as a regression test.
The reproductions live in tests/differential/known_bugs.py, which the generators also consult
to steer around open bugs.
"""

from __future__ import annotations


from tests.differential import known_bugs


def test_a_compound_boolean_trait_compares_as_a_value():
    assert known_bugs.cond_value_without_parentheses() is None

