"""A reference evaluator for segdsl: segment membership computed in plain Python, row by row,
from the typed IR. It shares nothing with segdsl/sql/ so that it can be checked against the
compiled SQL on every engine (tests/test_differential.py)."""

from tests.reference.evaluator import Evaluator, members

__all__ = ["Evaluator", "members"]
