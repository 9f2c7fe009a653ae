"""`segdsl why` agrees with membership: for every segment of the example projects and of the
v2 time cases, and for EVERY customer of their fixtures, the root of the why tree is the
customer's membership as the segment's own SQL computes it, on DuckDB, Postgres and ZetaSQL
(BigQuery mode). One why query per segment asks about all customers at once (the multi-key
form `segdsl test` uses too).

Each tree is also checked inside: a group's value is that of its children (`all of`: all
true, `any of`: one true, `not`: the opposite, `in segment S`: S's condition), and a family
member's rules are those the member's value says decided, and a score is the sum of the
points of its rules that hold."""

from __future__ import annotations

import pytest

from segdsl import ir
from segdsl.why import why_query
from segdsl.why.tree import Probe, WhyNode
from tests import test_members, test_v2_members
from tests import test_families
from tests.expected import family_members
from tests.fixtures import family_data
from tests.fixtures.acme_data import AS_OF, CUSTOMER_IDS, TABLES


@pytest.fixture(params=[
    pytest.param("duckdb", id="duckdb"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("bigquery", id="bigquery", marks=pytest.mark.zetasql),
])
def why_engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


def _check_tree(p: Probe, n: WhyNode, where: str, wrong: list[str]) -> None:
    kids = [c.value for c in n.children]
    match p.cond:
        case ir.And():
            expected = all(kids)
        case ir.Or():
            expected = any(kids)
        case ir.Not() if n.children:
            expected = not kids[0]
        case ir.SegmentRef():
            expected = kids[0]
        case ir.Cmp(left=ir.FamilyValue(), right=ir.Lit()):
            # the member is the family's value, which the first rule that holds decides
            value = n.operands[0].value
            expected = value == p.cond.right.value
            shown = [c.text.split(":")[0].removeprefix("rule ") for c in n.children]
            first = next((m for m, c in zip(shown, n.children) if c.value), None)
            if first != (value if value in shown else None):
                wrong.append(f"{where}: `{n.text}`: the family says {value!r}, the first rule that holds {first!r}")
        case ir.Cmp(left=ir.ScoreValue(rules=rules)) if n.operands:
            expected = n.value
            points = sum(p for (_, p), c in zip(rules, n.children) if c.value)
            if n.operands[0].value != points:
                wrong.append(f"{where}: `{n.text}`: the score is {n.operands[0].value}, its rules give {points}")
        case _:
            expected = n.value
    if expected != n.value:
        wrong.append(f"{where}: `{n.text}` is {n.value} but its children say {expected}")
    for pc, nc in zip(p.children, n.children):
        _check_tree(pc, nc, where, wrong)


def _compare(engine, project, names: list[str], keys: list[int], as_of, derived: dict) -> list[str]:
    """Mismatches of the why roots with the members derived by hand (tests/expected/, which
    test_members and test_v2_members prove the segment's SQL returns) or, for a segment
    without a derivation, with what the segment's SQL returns here."""
    wrong: list[str] = []
    for name in names:
        if name in derived:
            members = set(derived[name])
        else:
            members = set(engine.keys(project.compile(name, dialect=engine.dialect, as_of=as_of)))
        query = why_query(project, name, keys, engine.dialect, as_of)
        trees = query.trees(engine.query(query.sql))
        if sorted(trees) != sorted(keys):
            wrong.append(f"{name}: the why query returned keys {sorted(trees)}")
            continue
        for key, tree in trees.items():
            if tree.value != (key in members):
                wrong.append(f"{name} at {as_of}: why says {tree.value} for {key}, the segment's SQL "
                             f"{'has' if key in members else 'has not'} it")
            _check_tree(query.probe, tree, f"{name} at {as_of}, key {key}", wrong)
    return wrong


@pytest.mark.parametrize("project_name", list(test_members.PROJECTS))
def test_why_root_is_membership_for_every_customer(why_engine, project_name):
    project = test_members._project(project_name)
    why_engine.load(test_members._schema(project_name), TABLES)
    names = project.segment_names()
    assert len(names) >= 30
    wrong = _compare(why_engine, project, names, sorted(CUSTOMER_IDS), AS_OF, test_members.PROJECTS[project_name][1])
    assert not wrong, "\n".join(wrong[:20])


def test_why_root_is_membership_in_the_families(why_engine):
    project = test_families._project()
    why_engine.load(test_families._schema(), family_data.TABLES)
    keys = sorted(r["customer_id"] for r in family_data.TABLES["customers"])
    names = project.segment_names()
    assert any("." in n for n in names), "the family members are segments too"
    wrong = _compare(why_engine, project, names, keys, family_data.AS_OF, family_members.EXPECTED)
    assert not wrong, "\n".join(wrong[:20])


def _v2_cases() -> list:
    out = []
    for project, (_, expected, built) in test_v2_members.PROJECTS.items():
        for file in built:
            as_ofs = sorted({a for n in test_v2_members._names(project, file) for a in expected.get(n, {})})
            for as_of in as_ofs:
                out.append(pytest.param(project, file, as_of, id=f"{project}-{file[:-4]}-{as_of}"))
    return out


@pytest.mark.parametrize("project_name, file, as_of", _v2_cases())
def test_why_root_is_membership_in_the_v2_time_cases(why_engine, project_name, file, as_of):
    rows, expected, _ = test_v2_members.PROJECTS[project_name]
    project = test_v2_members._project(project_name, file)
    names = [n for n in test_v2_members._names(project_name, file) if as_of in expected.get(n, {})
             and n in project.segment_names()]
    why_engine.load(test_v2_members._schema(project_name), rows)
    entity = project.schema.entity
    keys = sorted(r[entity.key] for r in rows[entity.table])
    derived = {n: by_as_of[as_of] for n, by_as_of in expected.items() if as_of in by_as_of}
    wrong = _compare(why_engine, project, names, keys, as_of, derived)
    assert not wrong, "\n".join(wrong[:20])
