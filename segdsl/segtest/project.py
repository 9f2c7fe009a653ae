"""The tests of a project: every `.segtest` file read and checked against its schema and its
definitions (what `Project.segtests` holds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from segdsl.diagnostics import Diagnostic
from segdsl.segtest.check import Subjects, check_test
from segdsl.segtest.model import SegTest
from segdsl.segtest.parse import read_file

if TYPE_CHECKING:
    from segdsl.api import Project


def subjects(project: Project) -> Subjects:
    from segdsl.check.families import members
    from segdsl.syntax import ast

    families = {d.name: tuple(dict.fromkeys(m.name for m in members(d)))
                for f in project.parsed[0] for d in f.definitions if isinstance(d, ast.FamilyDef)}
    return Subjects(tuple(project.segment_names()), families, split_groups(project))


def split_groups(project: Project) -> dict[str, tuple[str, ...]]:
    """The project's splits (and holdouts) and their groups, as written (a holdout has one
    group named like it)."""
    from segdsl.syntax import ast

    split_def = getattr(ast, "SplitDef", None)
    if split_def is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for f in project.parsed[0]:
        for d in f.definitions:
            if isinstance(d, split_def):
                out[d.name] = tuple(dict.fromkeys(g.name for g in getattr(d, "groups", ())))
    return out


def project_tests(project: Project) -> tuple[list[SegTest], list[Diagnostic]]:
    tests: list[SegTest] = []
    diags: list[Diagnostic] = []
    if project.schema is None:
        return tests, diags
    known = subjects(project)
    for path, text in project.sources.tests.items():
        raws, found = read_file(path, text)
        diags += found
        for raw in raws:
            test, found = check_test(raw, project.schema, project.settings.timezone, known)
            tests.append(test)
            diags += found
    return tests, diags
