"""Split buckets are the same number on every engine and in the reference evaluator.

The golden numbers (tests/expected/split_buckets.py) were computed with coreutils' md5sum, not
by this code base. Each engine computes the bucket of every golden key through the
compiler's own values query (plan, emit, the dialect's md5 and hex-to-integer spelling); the
reference evaluator uses Python's hashlib.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from segdsl import ir
from tests.expected.split_buckets import INTEGER_KEYS, TEXT_KEYS
from tests.reference.splits import split_bucket

SCHEMAS = {
    kind: {
        "entity": {"name": "customer", "table": "customers", "key": "customer_id",
                   "columns": {"customer_id": kind, "age": "integer"}},
    }
    for kind in ("integer", "string")
}
GOLDEN = {"integer": INTEGER_KEYS, "string": TEXT_KEYS}


def _toml(kind: str) -> str:
    return ('[entity]\nname = "customer"\ntable = "customers"\nkey = "customer_id"\n\n'
            f'[entity.columns]\ncustomer_id = "{kind}"\nage = "integer"\n')


@lru_cache(maxsize=None)
def _project(kind: str):
    import segdsl

    return segdsl.Project.from_sources(_toml(kind), {})


def _splits(kind: str) -> list[tuple[str, str]]:
    return list(dict.fromkeys((split, salt) for split, salt, _, _ in GOLDEN[kind]))


def _sql(kind: str, dialect: str) -> str:
    from segdsl.sql.dialects import get_dialect
    from segdsl.sql.query import build_values_query
    from segdsl.sql.render import render
    from segdsl.types import Type

    project = _project(kind)
    key = ir.Col("customer_id", Type(kind))
    values: dict[str, ir.Value] = {f"b{i}": ir.HashBucket(split, salt, key)
                                   for i, (split, salt) in enumerate(_splits(kind))}
    d = get_dialect(dialect)
    assert d is not None
    return render(build_values_query(values, project.schema, d, project.settings, None), dialect)


def _expected(kind: str) -> dict[object, tuple[int, ...]]:
    by_key: dict[object, dict[tuple[str, str], int]] = {}
    for split, salt, key, bucket in GOLDEN[kind]:
        by_key.setdefault(key, {})[(split, salt)] = bucket
    return {k: tuple(v[s] for s in _splits(kind)) for k, v in by_key.items()}


@pytest.mark.parametrize("kind", ["integer", "string"])
def test_reference_evaluator_gives_the_golden_buckets(kind):
    for split, salt, key, bucket in GOLDEN[kind]:
        assert split_bucket(split, salt, key) == bucket, (split, salt, key)


@pytest.mark.parametrize("kind", ["integer", "string"])
def test_engines_give_the_golden_buckets(engine, kind):
    expected = _expected(kind)
    rows = [{"customer_id": k} for k in expected]
    engine.load(SCHEMAS[kind], {"customers": rows})
    got = {row[0]: tuple(row[1:]) for row in engine.query(_sql(kind, engine.dialect))}
    assert got == expected


def test_a_missing_key_has_no_bucket():
    assert split_bucket("s", "", None) is None
