"""Hand-derived proof for the v2 time, lifecycle, per-group ranking and sequence segments.

The projects under ``tests/cases/v2_*`` hold the LANGUAGE.md v2 examples and edge segments;
``tests/expected/time_members.py`` and ``sequence_members.py`` give, for each segment and
each ``--as-of`` text, the members derived by hand from the rows of ``tests/fixtures/``
(see ``tests/cases/v2_README.md``). Every file listed in ``BUILT`` is compiled on its own (one
project per file, so a file is proven as soon as its constructs exist) and each segment runs
on every engine at every as-of of its expectations.

A file not yet listed must still fail to check (``test_files_not_built_do_not_check``): the
moment its constructs compile, this test asks for it to be listed, so no file is left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from tests.expected import sequence_members, split_members, time_members
from tests.fixtures import sequence_data, split_data, time_data

CASES = Path(__file__).resolve().parent / "cases"

# project -> (rows, expected members, the .seg files whose constructs are built)
PROJECTS: dict[str, tuple[dict, dict[str, dict[str, list[int]]], tuple[str, ...]]] = {
    "v2_time": (time_data.TABLES, time_members.EXPECTED,
                ("anniversaries.seg", "calendar.seg", "dates.seg", "lifecycle.seg", "ranking.seg", "windows.seg")),
    "v2_time_ny": (time_data.NY_TABLES, time_members.NY_EXPECTED, ("ny_calendar.seg",)),
    "v2_sequences": (sequence_data.TABLES, sequence_members.EXPECTED, ()),
    "splits": (split_data.TABLES, split_members.EXPECTED, ("splits.seg",)),
}

# (segment, as-of) whose members depend on a rule not built yet: strict xfails, so that each
# turns into a failure (remove it here) the moment the rule lands.
WAITING: dict[tuple[str, str], str] = {}


# The same, by project, for tests that share it (tests/test_per_group.py).
AWAITING_NOW: set[tuple[str, str, str]] = set()


def _files(project: str) -> list[str]:
    return sorted(p.name for p in (CASES / project).glob("*.seg"))


def _names(project: str, file: str) -> list[str]:
    text = (CASES / project / file).read_text(encoding="utf-8")
    return re.findall(r"^(?:segment|trait)\s+(\w+)", text, flags=re.MULTILINE)


@lru_cache(maxsize=None)
def _project(project: str, file: str):
    import segdsl

    schema = (CASES / project / "segdsl.toml").read_text(encoding="utf-8")
    return segdsl.Project.from_sources(schema, {file: (CASES / project / file).read_text(encoding="utf-8")})


def _cases() -> list:
    out = []
    for project, (_, expected, built) in PROJECTS.items():
        for file in built:
            for name in _names(project, file):
                for as_of in expected.get(name, {}):
                    waiting = WAITING.get((name, as_of))
                    marks = [pytest.mark.xfail(strict=True, reason=waiting)] if waiting else []
                    out.append(pytest.param(project, file, name, as_of, id=f"{file[:-4]}-{name}-{as_of}",
                                            marks=marks))
    return out


# ------------------------------------------------------------------ static facts (no compiler)


@pytest.mark.parametrize("project", list(PROJECTS))
def test_every_expected_segment_is_defined_once(project):
    defined = [n for f in _files(project) for n in _names(project, f)]
    assert len(defined) == len(set(defined)), "a name is defined twice"
    expected = PROJECTS[project][1]
    assert set(expected) <= set(defined), sorted(set(expected) - set(defined))


@pytest.mark.parametrize("project", list(PROJECTS))
def test_built_files_exist(project):
    assert set(PROJECTS[project][2]) <= set(_files(project))


@pytest.mark.parametrize("project", list(PROJECTS))
def test_files_not_built_do_not_check(project):
    for file in sorted(set(_files(project)) - set(PROJECTS[project][2])):
        errors = [d for d in _project(project, file).check() if d.is_error]
        assert errors, f"{project}/{file} now checks: add it to BUILT in {Path(__file__).name}"


# ------------------------------------------------------------------ the compiler against them


@pytest.mark.parametrize("project", list(PROJECTS))
def test_built_files_check_without_errors(project):
    for file in PROJECTS[project][2]:
        errors = [d for d in _project(project, file).check() if d.is_error]
        assert not errors, "\n".join(str(d) for d in errors)


_RESULTS: dict[tuple, dict] = {}


def _members_on(engine, project: str, file: str, as_of: str) -> dict:
    """Segment -> members (or the exception) of every segment of one file at one as-of, run
    together so that a slow engine pays one job per (file, as-of)."""
    key = (engine.name, project, file, as_of)
    if key not in _RESULTS:
        rows, expected, _ = PROJECTS[project]
        proj = _project(project, file)
        names = [n for n in _names(project, file) if as_of in expected.get(n, {})]
        sqls: dict[str, str] = {}
        out: dict = {}
        for name in names:
            try:
                sqls[name] = proj.compile(name, dialect=engine.dialect, as_of=as_of)
            except Exception as exc:  # reported by the case itself
                out[name] = exc
        engine.load(_schema(project), rows)
        out.update(zip(sqls, engine.keys_many(list(sqls.values()))))
        _RESULTS[key] = out
    return _RESULTS[key]


@lru_cache(maxsize=None)
def _schema(project: str) -> dict:
    import tomllib

    with open(CASES / project / "segdsl.toml", "rb") as f:
        return tomllib.load(f)


@pytest.mark.parametrize("project, file, segment, as_of", _cases())
def test_members(engine, project, file, segment, as_of):
    expected = PROJECTS[project][1][segment][as_of]
    got = _members_on(engine, project, file, as_of)[segment]
    if isinstance(got, Exception):
        raise got
    assert got == expected, (
        f"{project}/{file}:{segment} at {as_of} on {engine.dialect}\n"
        f"  missing:    {sorted(set(expected) - set(got))}\n"
        f"  unexpected: {sorted(set(got) - set(expected))}\n"
        f"  (see the comment above {segment!r} in tests/expected/ for why)\n"
        f"SQL:\n{_project(project, file).compile(segment, dialect=engine.dialect, as_of=as_of)}"
    )
