"""`Project.compile_values_tree`: one row per customer with each trait's value, equal on
every engine to the reference evaluator's value of the trait (what `trait > x` compares)."""

from __future__ import annotations

import math
import numbers

import pytest

from tests.fixtures.acme_data import AS_OF, TABLES
from tests.projects import PROJECTS, load
from tests.reference.evaluator import Evaluator

EXAMPLES = next(p for p in PROJECTS if p.id == "examples")


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, numbers.Number) and isinstance(b, numbers.Number) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_trait_values_equal_the_reference_values(engine):
    project = load(EXAMPLES)
    names = project.trait_names()
    assert len(names) >= 3, "the examples define traits of every kind (sum, ratio, percentile, score)"
    engine.load(EXAMPLES.schema(), TABLES)
    from segdsl.sql.render import render

    tree = project.compile_values_tree(names, dialect=engine.dialect, as_of=AS_OF)
    rows = engine.query(render(tree, engine.dialect))
    ev = Evaluator(project.schema, project.settings.timezone, TABLES, AS_OF)
    keys = sorted(r["customer_id"] for r in TABLES["customers"])
    assert [r[0] for r in rows] == keys
    wrong = []
    for i, name in enumerate(names, start=1):
        want = ev.values(project.resolved[0].traits[name].value())
        for r in rows:
            if not _same(r[i], want[r[0]]):
                wrong.append((name, r[0], r[i], want[r[0]]))
    assert not wrong


def test_unknown_trait_is_a_diagnostic_with_a_suggestion():
    import segdsl

    project = load(EXAMPLES)
    with pytest.raises(segdsl.CompileError) as info:
        project.compile_values_tree(["lifetime_valeu"], dialect="duckdb", as_of=AS_OF)
    (d,) = info.value.diagnostics
    assert (d.code, d.message) == ("SEG0203", "unknown trait `lifetime_valeu`")
    assert d.hints == ("did you mean `lifetime_value`?",)
