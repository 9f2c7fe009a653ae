"""Every stage of the compiler as text, for `segdsl compile --emit ast|ir|plan|sql` and for
programs that inspect a stage: the syntax tree, the typed IR, the query plan, the SQL.

`ast` and `ir` do not depend on the dialect; `plan` and `sql` do (the plan asks the engine's
capabilities). A segment whose own definition has errors raises CompileError with them; the
others are unaffected for `ast`, `ir` and `plan`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, NoReturn

if TYPE_CHECKING:
    from segdsl.api import Project

Stage = Literal["ast", "ir", "plan", "sql"]
STAGES: tuple[Stage, ...] = ("ast", "ir", "plan", "sql")
BATCH = "batch"  # the key of the one section of a batch


def emit(project: Project, stage: Stage, names: list[str] | None = None, dialect: str | None = None,
         as_of: dt.date | None = None, batch: bool = False) -> dict[str, str]:
    """The text of `stage` for each segment in `names` (default: all), in order; with `batch`
    and stage plan or sql, one entry "batch": the one query computing them all."""
    names = list(names) if names is not None else project.segment_names()
    if stage == "ast":
        return {name: _ast(project, name) for name in names}
    if stage == "ir":
        from segdsl.ir_dump import ir_tree

        return {name: ir_tree(_cond(project, name)) for name in names}
    if stage == "plan":
        return _plans(project, names, dialect, as_of, batch)
    if stage == "sql":
        if batch:
            return {BATCH: project.compile_batch(names, dialect, as_of)}
        return {name: project.compile(name, dialect, as_of) for name in names}
    raise ValueError(f"unknown stage `{stage}`; stages: {', '.join(STAGES)}")


def _plans(project: Project, names: list[str], dialect: str | None, as_of: dt.date | None,
           batch: bool) -> dict[str, str]:
    from segdsl.plan.build import plan_batch, plan_segment
    from segdsl.plan.dump import dump_plan
    from segdsl.sql.dialects import get_dialect

    project.dialect_warnings(dialect)  # raises CompileError for an unknown dialect
    found = get_dialect(dialect or project.settings.dialect)
    assert found is not None
    caps = found.capabilities
    from segdsl.sql.query import bind_now

    tz = project.settings.timezone
    if batch:
        conds = {name: bind_now(_cond(project, name), as_of, tz) for name in names}
        return {BATCH: dump_plan(plan_batch(conds, project.schema, caps, project.settings, as_of))}
    return {name: dump_plan(plan_segment(bind_now(_cond(project, name), as_of, tz), project.schema, caps, project.settings, as_of))
            for name in names}


def _cond(project: Project, name: str) -> Any:
    cond = project.segment_ir(name)
    if cond is None:
        _raise(project, name)
    return cond


def _ast(project: Project, name: str) -> str:
    from segdsl.syntax.ast import SegmentDef
    from segdsl.syntax.dump import tree_text

    from segdsl.check.families import member_segments
    from segdsl.syntax.ast import FamilyDef

    files, _ = project.parsed
    for f in files:
        for d in f.definitions:
            if isinstance(d, SegmentDef) and d.name == name:
                return tree_text(d)
            if isinstance(d, FamilyDef):  # a member: the segment `family = "member"` stands for it
                for member in member_segments(d):
                    if member.name == name:
                        return tree_text(member)
    _raise(project, name)


def _raise(project: Project, name: str) -> NoReturn:
    """Raise the CompileError that compiling `name` gives (unknown, or its errors)."""
    from segdsl.api import CompileError
    from segdsl.diagnostics import Span, did_you_mean, error

    if name in project.segment_names():
        project.compile_tree(name)  # raises with the errors that block the segment
        raise CompileError([d for d in project.check() if d.is_error])
    raise CompileError([error("SEG0206", f"unknown segment `{name}`", Span("", 0, 0, 0, 0),
                              did_you_mean(name, project.segment_names()))])
