"""Running tests: each test's rows in a fresh database, its subject compiled by the project
API as of the test's reference, the result compared with what the test states.

A failure lists the unexpected keys (members the test excludes or does not list in
`members`), the missing ones (keys it expects) and, for families and splits, the keys in
another member than stated; `why` holds, per key, the explanation of `segdsl.why` when that
module is installed.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from segdsl.segtest.model import Key, SegTest

if TYPE_CHECKING:
    from segdsl.api import Project
    from segdsl.warehouse.connection import Warehouse


@dataclass
class Outcome:
    test: SegTest
    unexpected: list[Key] = field(default_factory=list)
    missing: list[Key] = field(default_factory=list)
    misassigned: list[tuple[Key, str, str | None]] = field(default_factory=list)  # key, stated, found
    error: str | None = None  # the test could not run (its subject does not compile, a database error)
    why: dict[Key, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and not (self.unexpected or self.missing or self.misassigned)

    def as_dict(self) -> dict[str, Any]:
        t = self.test
        return {"name": t.name, "path": t.path, "line": t.span.line, "subject": {"kind": t.kind, "name": t.subject},
                "as_of": str(t.as_of) if t.as_of else None, "passed": self.passed, "error": self.error,
                "unexpected": self.unexpected, "missing": self.missing,
                "misassigned": [{"key": k, "expected": e, "found": f} for k, e, f in self.misassigned],
                "why": {str(k): v for k, v in self.why.items()}, "seconds": round(self.seconds, 3)}


def members_of(project: Project, test: SegTest, conn: Warehouse) -> dict[Key, str | None] | set[Key]:
    """The keys in the test's segment (a set), or each customer's member of its family or
    group of its split (a dict)."""
    if test.kind == "segment":
        sql = project.compile(test.subject, conn.dialect, test.as_of, ordered=False)
        return {row[0] for row in conn.query(sql)}
    if test.subject in project.trait_names():  # a family is a text value: one query
        from segdsl.sql.render import render

        tree = project.compile_values_tree([test.subject], conn.dialect, test.as_of, ordered=False)
        return {row[0]: row[1] for row in conn.query(render(tree, conn.dialect, copy=False))}
    # else each group is the segment `name.group`, and a customer is in at most one
    found: dict[Key, str | None] = {}
    prefix = test.subject + "."
    for name in project.segment_names():
        if name.startswith(prefix):
            for (key,) in conn.query(project.compile(name, conn.dialect, test.as_of, ordered=False)):
                found[key] = name[len(prefix):]
    return found


def compare(test: SegTest, found: dict[Key, str | None] | set[Key], outcome: Outcome) -> None:
    e = test.expected
    if isinstance(found, set):
        if e.members is not None:
            outcome.unexpected = sorted(found - set(e.members), key=_order)
            outcome.missing = sorted(set(e.members) - found, key=_order)
        outcome.unexpected += sorted(found & set(e.exclude), key=_order)
        outcome.missing += sorted(set(e.include) - found, key=_order)
        return
    for key, member in e.assign:
        if found.get(key) != member:
            outcome.misassigned.append((key, member, found.get(key)))


def _order(key: Key) -> tuple[int, str]:
    return (0, f"{key:020d}") if isinstance(key, int) else (1, str(key))


def run_test(project: Project, test: SegTest, engine: str = "duckdb", url: str | None = None) -> Outcome:
    from segdsl.api import CompileError
    from segdsl.segtest.tables import test_database
    from segdsl.warehouse.connection import WarehouseError

    assert project.schema is not None and test.ok
    outcome = Outcome(test)
    start = time.perf_counter()
    try:
        with test_database(test, project.schema, project.settings.timezone, engine, url) as conn:
            compare(test, members_of(project, test, conn), outcome)
            if not outcome.passed:
                outcome.why = explain(project, test, outcome, conn)
    except CompileError as exc:
        errors = [d for d in exc.diagnostics if d.is_error]
        outcome.error = "; ".join(str(d) for d in errors) or str(exc)
    except WarehouseError as exc:
        outcome.error = f"{engine}: {exc}"
    outcome.seconds = time.perf_counter() - start
    return outcome


def why_module() -> Any:
    """`segdsl.why` when it is installed (it explains one customer), else None."""
    try:
        return importlib.import_module("segdsl.why")
    except ImportError:
        return None


def why_available() -> bool:
    return why_module() is not None


def explain(project: Project, test: SegTest, outcome: Outcome, conn: Warehouse) -> dict[Key, str]:
    """Per differing key, why it is (not) in the segment, when `segdsl.why` is installed:
    one query per segment asked about (`explain_keys`), else one per key (`explain_key`)."""
    why = why_module()
    if why is None:
        return {}
    by_segment: dict[str, list[Key]] = {}
    for key, segment in _asked(test, outcome):
        by_segment.setdefault(segment, []).append(key)
    out: dict[Key, str] = {}
    for segment, keys in by_segment.items():
        try:
            if hasattr(why, "explain_keys"):
                results = why.explain_keys(project, segment, keys, connection=conn, as_of=test.as_of)
            else:
                results = {k: why.explain_key(project, segment, k, connection=conn, as_of=test.as_of) for k in keys}
            out.update({k: r.to_text() for k, r in results.items()})
        except Exception as exc:  # an explanation that fails must not hide the failure itself
            out.update({k: f"(no explanation: {exc})" for k in keys})
    return out


def _asked(test: SegTest, outcome: Outcome) -> Iterator[tuple[Key, str]]:
    for key in [*outcome.unexpected, *outcome.missing]:
        yield key, test.subject
    for key, stated, _ in outcome.misassigned:
        yield key, f"{test.subject}.{stated}"
