"""Golden SQL: every corpus segment compiled for every dialect, compared with tests/snapshots.

Regenerate after an intended change with `pytest tests/test_golden_sql.py --snapshot-update`
and review the diff like code.
"""

from __future__ import annotations

import pytest

from tests.projects import AS_OF, DIALECTS, ROOT, load, segment_cases

CASES = segment_cases()


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(("project", "name"), CASES, ids=[f"{p.id}-{n}" for p, n in CASES])
def test_golden_sql(project, name, dialect, snapshot):
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / project.id / dialect
    from segdsl.check.params import safe_name

    sql = load(project).compile(name, dialect=dialect, as_of=AS_OF)
    snapshot.assert_match(sql + "\n", f"{safe_name(name)}.sql")  # an argument list: a file name


@pytest.mark.parametrize("dialect", DIALECTS)
def test_golden_sql_without_as_of_uses_the_warehouse_clock(dialect, snapshot):
    from tests.projects import PROJECTS

    project = next(p for p in PROJECTS if p.id == "new_york")
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "new_york_now" / dialect
    compiled = load(project)
    for name in compiled.segment_names():
        snapshot.assert_match(compiled.compile(name, dialect=dialect) + "\n", f"{name}.sql")


@pytest.mark.parametrize(("project", "name"), CASES, ids=[f"{p.id}-{n}" for p, n in CASES])
def test_sql_is_one_statement_with_quoted_identifiers(project, name):
    import sqlglot
    from sqlglot import exp

    for dialect in DIALECTS:
        sql = load(project).compile(name, dialect=dialect, as_of=AS_OF)
        trees = sqlglot.parse(sql, read=dialect)
        assert len(trees) == 1 and isinstance(trees[0], exp.Select)
        for ident in trees[0].find_all(exp.Identifier):
            assert ident.quoted, f"unquoted identifier {ident.sql()} in {dialect} SQL of {name}"
