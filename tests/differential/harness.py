"""Run one example through the whole compiler and compare members.

For every segment: reference evaluator (tests/reference/) = each engine's result of the SQL
compiled for its dialect; and on the reference and on every engine the example's
metamorphic relations hold (S / not S partition the customers; equal pairs are equal).
Problems come back as readable text (segment source, members, SQL); nothing is raised for
a disagreement, so one run reports every difference of the example at once.
"""

from __future__ import annotations

import datetime as dt

import tempfile
import tomllib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from tests.differential.example import ROOT, Example
from tests.projects import with_snapshot_table
from tests.reference import Evaluator

FAILURES = ROOT / ".tmp" / "differential"  # shrunk failures land here, ready to review


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    members: dict[str, dict[str, list]] = field(default_factory=dict)  # who -> segment -> keys
    checker_rejected: bool = False

    @property
    def reference(self) -> dict[str, list]:
        return self.members.get("reference", {})


def _definition(source: str, name: str) -> str:
    for chunk in source.split("\n"):
        if chunk.startswith(f"segment {name} "):
            return chunk
    return f"segment {name} (see case.seg)"


def run_example(ex: Example, engines, *, expected: dict | None = None,
                per_segment_main_only: bool = True, warehouse_clock: bool = False) -> Outcome:
    """`expected`: members saved for a regression case, compared instead of trusting the
    reference evaluator alone (the reference must agree with them too).
    `warehouse_clock`: compile without --as-of, so that the SQL takes today from the engine's
    clock in the project time zone (ex.as_of must then be that date)."""
    import segdsl

    out = Outcome()
    with tempfile.TemporaryDirectory() as tmp:
        ex.write(Path(tmp))
        project = segdsl.load_project(tmp)
        errors = [d for d in project.check() if d.is_error]
        if errors:
            out.checker_rejected = True
            out.problems.append("the checker rejected generated text (generator or checker bug):\n"
                                + "\n".join(str(d) for d in errors) + "\n--- case.seg\n" + ex.source)
            return out
        names = project.segment_names()
        try:
            ev = Evaluator(project.schema, project.settings.timezone, ex.tables, ex.as_of,
                           project.settings.snapshots_table)
            if warehouse_clock:  # sequences see rows before the engine's current instant
                ev.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            out.members["reference"] = {n: ev.members(project.segment_ir(n)) for n in names}
        except Exception:
            out.problems.append("reference evaluator crashed:\n" + traceback.format_exc())
            return out
        everyone = sorted(c["customer_id"] for c in ex.tables["customers"])
        if expected is not None:
            out.members["expected"] = expected
        schema = with_snapshot_table(tomllib.loads(ex.toml()))
        sql_as_of = None if warehouse_clock else ex.as_of
        for engine in engines:
            engine.load(schema, ex.tables)
            _batch(ex, project, engine, names, everyone, out, sql_as_of)
            got = out.members.setdefault(engine.name, {})
            # Engines with a fixed cost per query (ZetaSQL, Spark) check the main segments one
            # by one and every segment through the batch query; the others check every
            # segment both ways.
            mine = names if not (engine.slow_queries and per_segment_main_only) else \
                [n for n in names if n[0] == "s" and n[1:].isdigit()]
            sqls = {}
            for name in mine:
                try:
                    sqls[name] = project.compile(name, dialect=engine.dialect, as_of=sql_as_of)
                except Exception as exc:
                    out.problems.append(f"compile crashed for {name} ({engine.dialect}): {exc!r}\n"
                                        f"{_definition(ex.source, name)}\n{traceback.format_exc()}")
            # all together: one Spark job for the example's segments, not one per segment
            for (name, sql), keys in zip(sqls.items(), engine.keys_many(list(sqls.values()))):
                if isinstance(keys, Exception):
                    out.problems.append(f"{engine.name} failed on {name}: {type(keys).__name__}: {keys}\n"
                                        f"{_definition(ex.source, name)}\n{sql}")
                else:
                    got[name] = keys
        base = "expected" if expected is not None else "reference"
        for who, results in out.members.items():
            for name, keys in results.items():
                want = out.members[base].get(name)
                if who != base and want is not None and keys != want:
                    out.problems.append(_difference(ex, project, who, name, keys, want, engines))
            out.problems += _metamorphic(ex.relations, results, everyone, who)
    return out


def _batch(ex, project, engine, names, everyone, out: Outcome, as_of) -> None:
    """`compile_batch`: one row per customer, one never-NULL boolean column per segment."""
    try:
        sql = project.compile_batch(names, dialect=engine.dialect, as_of=as_of)
    except Exception as exc:
        out.problems.append(f"compile_batch crashed ({engine.dialect}): {exc!r}\n{traceback.format_exc()}")
        return
    try:
        rows = engine.query(sql)
    except Exception as exc:
        out.problems.append(f"{engine.name} failed on the batch query: {type(exc).__name__}: {exc}\n{sql}")
        return
    if sorted(r[0] for r in rows) != everyone:
        out.problems.append(f"{engine.name}-batch: not one row per customer: {sorted(r[0] for r in rows)}\n{sql}")
    got = out.members.setdefault(f"{engine.name}-batch", {})
    for i, name in enumerate(names, start=1):
        if any(not isinstance(r[i], bool) for r in rows):
            out.problems.append(f"{engine.name}-batch: column {name} holds a non-boolean or NULL\n{sql}")
        got[name] = sorted(r[0] for r in rows if r[i] is True)


def _difference(ex, project, who, name, got, want, engines) -> str:
    dialect = next((e.dialect for e in engines if who.startswith(e.name)), "duckdb")
    if who.endswith("-batch"):
        return (f"{who} disagrees on {name}:\n  {_definition(ex.source, name)}\n"
                f"  missing:    {sorted(set(want) - set(got))}\n  unexpected: {sorted(set(got) - set(want))}\n"
                f"SQL ({dialect}, batch):\n{project.compile_batch(None, dialect=dialect, as_of=ex.as_of)}")
    try:
        sql = project.compile(name, dialect=dialect, as_of=ex.as_of)
    except Exception as exc:  # pragma: no cover - reported elsewhere
        sql = repr(exc)
    return (f"{who} disagrees on {name}:\n  {_definition(ex.source, name)}\n"
            f"  missing:    {sorted(set(want) - set(got))}\n  unexpected: {sorted(set(got) - set(want))}\n"
            f"SQL ({dialect}):\n{sql}")


def _metamorphic(relations, results: dict, everyone: list, who: str) -> list[str]:
    problems = []
    for kind, a, b in relations:
        if a not in results or b not in results:
            continue
        x, y = set(results[a]), set(results[b])
        if kind == "partition" and (x & y or x | y != set(everyone)):
            problems.append(f"{who}: {a} and {b} (its negation) do not partition the customers: "
                            f"in both {sorted(x & y)}, in neither {sorted(set(everyone) - x - y)}")
        if kind == "equal" and x != y:
            problems.append(f"{who}: {a} and {b} should be equal: only in {a} {sorted(x - y)}, "
                            f"only in {b} {sorted(y - x)}")
    return problems


def report(ex: Example, out: Outcome, folder: Path | None = None) -> str:
    """The failure message; the example is written to `folder` first (with the reference's
    members as expected.json, to be checked by hand before it becomes a regression case)."""
    where = ""
    if folder is not None and out.reference:
        ex.write(folder, out.reference)
        where = (f"\nSaved to {folder} (expected.json = the reference evaluator's members). Check them by "
                 f"hand, then move the folder to tests/cases/regressions/<name>/.")
    return ("\n\n".join(out.problems) + f"\n--- as of {ex.as_of}, time zone {ex.timezone}\n--- case.seg\n"
            + ex.source + where)
