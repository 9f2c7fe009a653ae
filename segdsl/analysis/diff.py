"""`segdsl diff`: who would enter and leave each segment if a change were merged.

A segment has changed when its compiled SQL (for the warehouse's dialect, at the same
as_of) differs between the base revision and the working tree. Traits, scores, referenced
segments and the schema are all inlined into that SQL, so a change to any of them shows up
in every segment that uses it; a change to a description or an owner does not.

Per changed segment one query counts, over the two member lists,

    FROM (<new keys>) AS n FULL OUTER JOIN (<old keys>) AS o ON n."__k" = o."__k"

entering = only in n, leaving = only in o, and a second one lists the smallest keys of each
side as a sample. An added segment is compared with an empty list (everyone enters); a
removed one likewise (everyone leaves).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlglot import exp

from segdsl.analysis.common import KEY, col, count_if, is_null, num, rows, segment_keys, sub


class DiffError(Exception):
    """The base revision's project cannot be compiled; one line."""


@dataclass
class SegmentChange:
    name: str
    status: str  # "changed", "added" or "removed"
    before: int | None = None
    after: int | None = None
    entering: int | None = None
    leaving: int | None = None
    sample_entering: list[Any] = field(default_factory=list)
    sample_leaving: list[Any] = field(default_factory=list)
    error: str | None = None


@dataclass
class Diff:
    base: str  # the revision as given (or chosen)
    commit: str  # its commit id
    dialect: str
    as_of: dt.date
    changes: list[SegmentChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        for change in out["changes"]:
            for side in ("sample_entering", "sample_leaving"):
                change[side] = [_jsonable(k) for k in change[side]]
        return out


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, (int, str, float, bool)) or value is None else str(value)


def _sql(project: Any, name: str, dialect: str, as_of: dt.date) -> str:
    return cast(str, project.compile(name, dialect, as_of))


def classify(old: Any | None, new: Any, dialect: str, as_of: dt.date
             ) -> tuple[list[str], list[str], list[str], list[str]]:
    """(changed, added, removed, unchanged) segment names; order: the working tree's, then
    removed ones in the base's order."""
    from segdsl.api import CompileError

    old_names = list(old.segment_names()) if old is not None else []
    if old is not None:
        errors = [d for d in old.check() if d.is_error]
        if errors:
            raise DiffError(f"the project at the base revision has errors ({errors[0].message}); "
                            "compare with another revision: --base REV")
    new_names = list(new.segment_names())
    changed: list[str] = []
    added: list[str] = []
    unchanged: list[str] = []
    for name in new_names:
        if name not in old_names:
            added.append(name)
            continue
        try:
            before = _sql(old, name, dialect, as_of)
        except CompileError as exc:  # e.g. a dialect the old version could not compile
            raise DiffError(f"cannot compile `{name}` at the base revision: {exc}") from None
        (changed if before != _sql(new, name, dialect, as_of) else unchanged).append(name)
    removed = [n for n in old_names if n not in new_names]
    return changed, added, removed, unchanged


def compare_members(conn: Any, new_keys: exp.Select | None, old_keys: exp.Select | None,
                    sample: int) -> tuple[int, int, int, int, list[Any], list[Any]]:
    """(before, after, entering, leaving, sample entering, sample leaving) of two key lists;
    None for a side means nobody (a segment added or removed)."""
    if new_keys is None:
        new_keys = old_keys.copy().where(exp.false())  # type: ignore[union-attr]
    if old_keys is None:
        old_keys = new_keys.copy().where(exp.false())
    n, o = col(KEY, "n"), col(KEY, "o")

    def joined() -> exp.Select:
        return exp.select().from_(sub(new_keys.copy(), "n")).join(
            sub(old_keys.copy(), "o"), on=exp.EQ(this=n.copy(), expression=o.copy()), join_type="FULL OUTER")

    counts = joined().select(exp.Count(this=o.copy()), exp.Count(this=n.copy()),
                             count_if(is_null(o.copy())), count_if(is_null(n.copy())))
    (before, after, entering, leaving), = rows(conn, counts)
    entered: list[Any] = []
    left: list[Any] = []
    if sample > 0 and (entering or leaving):
        side = exp.Case(ifs=[exp.If(this=is_null(o.copy()), true=num(1))], default=num(0))
        key = exp.Coalesce(this=n.copy(), expressions=[o.copy()])
        rn = exp.Window(this=exp.RowNumber(), partition_by=[side.copy()],
                        order=exp.Order(expressions=[exp.Ordered(this=key.copy())]))
        inner = joined().select(exp.alias_(side, "__side", quoted=True), exp.alias_(key, KEY, quoted=True),
                                exp.alias_(rn, "__rn", quoted=True)).where(
            exp.or_(is_null(n.copy()), is_null(o.copy())))
        query = exp.select(col("__side", "d"), col(KEY, "d")).from_(sub(inner, "d")).where(
            exp.LTE(this=col("__rn", "d"), expression=num(sample))).order_by(col("__side", "d"), col(KEY, "d"))
        for s, k in rows(conn, query):
            (entered if s == 1 else left).append(k)
    return int(before), int(after), int(entering), int(leaving), entered, left


def diff_projects(conn: Any, old: Any | None, new: Any, *, base: str, commit: str, as_of: dt.date,
                  sample: int = 5, steps: Any = None) -> Diff:
    from segdsl.warehouse import WarehouseError

    changed, added, removed, unchanged = classify(old, new, conn.dialect, as_of)
    result = Diff(base, commit, conn.dialect, as_of, unchanged=unchanged)
    todo = [(n, "changed") for n in changed] + [(n, "added") for n in added] + \
        [(n, "removed") for n in removed]
    if steps is not None:
        steps.total(len(todo))
    for name, status in todo:
        if steps is not None:
            steps.start(f"{name} ({status})")
        change = SegmentChange(name, status)
        try:
            new_keys = segment_keys(new, name, conn.dialect, as_of) if status != "removed" else None
            old_keys = segment_keys(old, name, conn.dialect, as_of) if status != "added" else None
            (change.before, change.after, change.entering, change.leaving, change.sample_entering,
             change.sample_leaving) = compare_members(conn, new_keys, old_keys, sample)
        except WarehouseError as exc:
            change.error = str(exc)
        if status == "added":
            change.before = None
        if status == "removed":
            change.after = None
        result.changes.append(change)
        if steps is not None:
            steps.done()
    return result
