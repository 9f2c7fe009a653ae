"""Hand-derived proof for parameterised segments: the same segment with several argument
lists (positional, named, defaults, every parameter type) selects the members written by hand
in tests/expected/param_members.py, on every engine, one segment at a time and in one batch."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from tests.expected.param_members import CANONICAL, EXPECTED
from tests.fixtures.param_data import AS_OF, TABLES

PROJECT = Path(__file__).resolve().parent / "cases" / "params"


@lru_cache(maxsize=None)
def _schema() -> dict:
    with open(PROJECT / "segdsl.toml", "rb") as f:
        return tomllib.load(f)


def _project():
    import segdsl

    return segdsl.load_project(PROJECT)  # a fresh one: instantiating changes its segments


def test_the_project_checks_without_problems():
    assert _project().check() == []


@pytest.mark.parametrize("text", sorted(CANONICAL))
def test_each_spelling_goes_by_its_canonical_name(text):
    assert _project().segment_name(text) == CANONICAL[text]


def test_a_project_run_has_the_instantiations_it_uses_and_the_defaults_one():
    names = _project().segment_names()
    assert names == [
        'regulars_in("West Coast", 3)', 'regulars_in("South", 10)', 'regulars_in("South", 2)',
        "west_regulars", "big_southern_regulars", "west_or_south", "not_big_south",
        "recent_signups(30 days)",
    ]  # city_signups and older_than need arguments: skipped until named


@pytest.mark.parametrize("text", list(EXPECTED))
def test_members(engine, text):
    project = _project()
    sql = project.compile(text, dialect=engine.dialect, as_of=AS_OF)
    engine.load(_schema(), TABLES)
    assert engine.keys(sql) == EXPECTED[text], f"{text} on {engine.dialect}\n{sql}"


def test_one_batch_of_every_argument_list(engine):
    """Columns named by the safe identifier: valid on every engine, one per argument list."""
    project = _project()
    names = list(dict.fromkeys(project.segment_name(t) for t in EXPECTED))
    engine.load(_schema(), TABLES)
    rows = engine.query(project.compile_batch(names, dialect=engine.dialect, as_of=AS_OF))
    by_name = {project.segment_name(t): members for t, members in EXPECTED.items()}
    for i, name in enumerate(names, start=1):
        assert sorted(r[0] for r in rows if r[i]) == by_name[name], name


@pytest.mark.parametrize("text", list(EXPECTED))
def test_reference_evaluator_agrees(text):
    """The reference evaluator sees an instantiation's IR: no parameter is left in it."""
    import datetime as dt

    from tests.reference import members

    project = _project()
    name = project.segment_name(text)
    assert members(project, name, TABLES, dt.date.fromisoformat(AS_OF)) == EXPECTED[text]


def test_fmt_round_trips_parameters_and_arguments():
    from segdsl.format import canonical, format_source
    from segdsl.syntax.parse import parse_source

    text = (PROJECT / "params.seg").read_text(encoding="utf-8")
    text += ('segment spelled(x: number = -2.50, d: date = 2024-01-01, t: text = "a \\"q\\"") '
             "where income > x and signup_date > d and city = t\n"
             "segment uses_spelled where in segment spelled(-1, t: \"b\") or in segment spelled\n")
    once = format_source(text, "p.seg")
    assert format_source(once, "p.seg") == once
    assert canonical(parse_source(once, "p.seg")[0]) == canonical(parse_source(text, "p.seg")[0])
    assert 'segment spelled(x: number = -2.5, d: date = 2024-01-01, t: text = "a \\"q\\"") {' in once
    assert 'in segment spelled(-1, t: "b") or in segment spelled\n' in once
    assert "segment recent_signups(n: duration = 30 days) where signup_date in last n\n" in once


def test_safe_names_are_identifiers_and_tell_spellings_apart():
    import re

    from segdsl.check.params import safe_name

    assert safe_name("west_regulars") == "west_regulars"
    assert safe_name('regulars_in("South", 3)') == "regulars_in__south_3_76e200"  # as docs/language.md says
    names = ['regulars_in("South", 3)', 'regulars_in("south", 3)', 'city_signups("It\'s \\"x\\"", 2024-04-01, true)',
             "recent_signups(30 days)", "older_than(-1)", "older_than(1)"]
    safe = [safe_name(n) for n in names]
    assert len(set(safe)) == len(safe)
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", s) for s in safe), safe
