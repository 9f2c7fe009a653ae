"""Hand-checked proof that segments mean what LANGUAGE.md says.

For the LANGUAGE.md examples (project ``examples/``) and for the extra cases
(``tests/cases/acme_extra/``), every segment is compiled for each engine's dialect with
``as_of = 2024-06-30`` and run on the fixture data of ``tests/fixtures/acme_data.py``; its
members must equal the hand-derived lists in ``tests/expected/``. The ``not_*`` segments of
the extra project check that a segment and its negation split the customers exactly.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from tests.expected import examples_members, extra_members
from tests.fixtures.acme_data import AS_OF, CUSTOMER_IDS, TABLES

ROOT = Path(__file__).resolve().parents[1]
EXTRA_DIR = Path(__file__).resolve().parent / "cases" / "acme_extra"

PROJECTS: dict[str, tuple[Path, dict[str, list[int]]]] = {
    "examples": (ROOT / "examples", examples_members.EXPECTED),
    "acme_extra": (EXTRA_DIR, extra_members.EXPECTED),
}

MEMBER_CASES = [
    pytest.param(project, segment, id=f"{project}-{segment}")
    for project, (_, expected) in PROJECTS.items()
    for segment in expected
]


@lru_cache(maxsize=None)
def _project(name: str):
    import segdsl

    return segdsl.load_project(PROJECTS[name][0])


@lru_cache(maxsize=None)
def _diagnostics(name: str) -> tuple:
    return tuple(_project(name).check())


@lru_cache(maxsize=None)
def _schema(name: str) -> dict:
    with open(PROJECTS[name][0] / "segdsl.toml", "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def _sql(name: str, segment: str, dialect: str) -> str:
    return _project(name).compile(segment, dialect=dialect, as_of=AS_OF)


# ------------------------------------------------------------------ the expectations themselves


@pytest.mark.parametrize("project", list(PROJECTS))
def test_expected_lists_are_well_formed(project):
    ids = set(CUSTOMER_IDS)
    for segment, members in PROJECTS[project][1].items():
        assert all(type(m) is int for m in members), segment
        assert members == sorted(set(members)), f"{segment}: not sorted or has duplicates"
        assert set(members) <= ids, f"{segment}: unknown ids {sorted(set(members) - ids)}"


def test_complement_expectations_partition_the_customers():
    expected = extra_members.EXPECTED
    assert len(extra_members.COMPLEMENTS) >= 10
    for negated, segment in extra_members.COMPLEMENTS.items():
        assert segment in expected, negated
        inside, outside = set(expected[segment]), set(expected[negated])
        assert not inside & outside, f"{segment} / {negated} overlap on {sorted(inside & outside)}"
        assert inside | outside == set(CUSTOMER_IDS), (
            f"{segment} / {negated} lose {sorted(set(CUSTOMER_IDS) - inside - outside)}"
        )


def test_extra_seg_defines_exactly_the_expected_segments():
    """Static check (no compiler needed): the names after `segment` in extra.seg."""
    text = (EXTRA_DIR / "extra.seg").read_text(encoding="utf-8")
    names = re.findall(r"^segment\s+(\w+)", text, flags=re.MULTILINE)
    assert len(names) == len(set(names)), "a segment is defined twice"
    assert sorted(names) == sorted(extra_members.EXPECTED)


def test_fixture_columns_match_the_schema():
    schema = _schema("acme_extra")
    entity = schema["entity"]
    assert {tuple(sorted(r)) for r in TABLES[entity["table"]]} == {tuple(sorted(entity["columns"]))}
    for rel in schema["relations"].values():
        columns = set(rel["columns"]) | {rel["key"]}
        assert {tuple(sorted(r)) for r in TABLES[rel["table"]]} == {tuple(sorted(columns))}
    assert [r[entity["key"]] for r in TABLES[entity["table"]]] == CUSTOMER_IDS
    assert _schema("acme_extra")["project"]["timezone"] == "UTC"


# ------------------------------------------------------------------ the compiler against them


@pytest.mark.parametrize("project", list(PROJECTS))
def test_project_checks_without_errors(project):
    errors = [d for d in _diagnostics(project) if d.severity == "error"]
    assert not errors, "\n".join(str(d) for d in errors)


@pytest.mark.parametrize("project", list(PROJECTS))
def test_segment_names_are_the_expected_ones(project):
    names = list(_project(project).segment_names())
    expected = PROJECTS[project][1]
    assert sorted(names) == sorted(expected), (
        f"missing expectations for {sorted(set(names) - set(expected))}; "
        f"expected segments not defined: {sorted(set(expected) - set(names))}"
    )


_RESULTS: dict[tuple[str, str], dict] = {}


def _members_on(engine, project: str) -> dict:
    """Segment -> members (or the exception raised) of every segment of the project, run
    together with ``keys_many``: one Spark job for the whole project, not one per case."""
    if (engine.name, project) not in _RESULTS:
        names = list(PROJECTS[project][1])
        sqls, out = {}, {}
        for name in names:
            try:
                sqls[name] = _sql(project, name, engine.dialect)
            except Exception as exc:  # reported by the case itself
                out[name] = exc
        engine.load(_schema(project), TABLES)
        out.update(zip(sqls, engine.keys_many(list(sqls.values()))))
        _RESULTS[(engine.name, project)] = out
    return _RESULTS[(engine.name, project)]


@pytest.mark.parametrize("project, segment", MEMBER_CASES)
def test_members(engine, project, segment):
    expected = PROJECTS[project][1][segment]
    got = _members_on(engine, project)[segment]
    if isinstance(got, Exception):
        raise got
    sql = _sql(project, segment, engine.dialect)
    assert got == expected, (
        f"{project}:{segment} on {engine.dialect}\n"
        f"  missing:    {sorted(set(expected) - set(got))}\n"
        f"  unexpected: {sorted(set(got) - set(expected))}\n"
        f"  (see the comment above {segment!r} in tests/expected/ for why)\n"
        f"SQL:\n{sql}"
    )
