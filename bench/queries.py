"""The queries the bench compares, per segment: compiled, hand-written reference, floor.

- compiled: `Project.compile(name, "duckdb", as_of=AS_OF)`, exactly what `segdsl run` sends.
- reference: bench/reference/<segment>.sql, written by hand the way an analyst would (one
  query per segment: correlated subqueries, `IN (SELECT ...)`, window functions for ranking).
  A file may hold several variants, each after a `-- variant: <label>` line and ended by `;`;
  the bench times each and compares with the fastest.
- floor: one grouped scan of every relation column the segment reads (grouped by the
  customer key) plus one scan of the customer columns it reads. Derived from the segment's
  IR, so it can never read less than the segment needs. It is a yardstick, not a hard lower
  bound: a segment whose filter discards most rows can beat it.

Timing wraps every query in `SELECT count(*) FROM (...)`: DuckDB still runs all of it
(including the ORDER BY), but no rows travel to Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from segdsl import ir

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "project"
REFERENCE = HERE / "reference"


@dataclass
class Variant:
    label: str
    sql: str


def reference_variants(name: str) -> list[Variant]:
    path = REFERENCE / f"{name}.sql"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^--\s*variant:\s*(.+?)\s*$", text, flags=re.MULTILINE)
    if len(parts) == 1:
        return [Variant("reference", _strip(text))]
    return [Variant(label, _strip(sql)) for label, sql in zip(parts[1::2], parts[2::2])]


def _strip(sql: str) -> str:
    return sql.strip().rstrip(";").strip()


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Reads:
    """What a segment (or a batch of them) reads: entity columns, relation columns."""

    entity: set[str] = field(default_factory=set)
    relations: dict[str, set[str]] = field(default_factory=dict)
    snapshots: bool = False

    def add(self, cond, schema) -> Reads:
        for n in ir.walk(cond):
            if isinstance(n, ir.Col):
                self.entity.add(n.name)
            elif isinstance(n, ir.RelCol):
                self.relations.setdefault(n.relation, set()).add(n.name)
            elif isinstance(n, ir.Agg):
                cols = self.relations.setdefault(n.relation, set())
                if n.function in ("first", "last"):
                    cols.add(schema.relations[n.relation].time)
            elif isinstance(n, ir.InSnapshot):
                self.snapshots = True
        return self


def plain(cond) -> bool:
    """No ranking, no first/last, no count_distinct: aggregates a grouped scan computes
    about as cheaply as the floor's counts."""
    for n in ir.walk(cond):
        if isinstance(n, (ir.Percentile, ir.Bucket, ir.Ranked)):
            return False
        if isinstance(n, ir.Agg) and n.function in ("first", "last", "count_distinct"):
            return False
    return True


def floor_sql(reads: Reads, schema, snapshots_table: str = "segdsl_snapshots") -> str:
    entity = schema.entity
    parts = []
    for name in sorted(reads.relations):
        rel = schema.relations[name]
        cols = sorted(reads.relations[name])
        n = " + ".join(f"count({q(c)})" for c in cols) or "count(*)"
        parts.append(f"(SELECT count(*) + sum(n) FROM (SELECT {q(rel.key)}, {n} AS n "
                     f"FROM {q(rel.table)} GROUP BY {q(rel.key)}))")
    cols = sorted(reads.entity | {entity.key})
    parts.append(f"(SELECT {' + '.join(f'count({q(c)})' for c in cols)} FROM {q(entity.table)})")
    if reads.snapshots:
        parts.append(f"(SELECT count(member_key) + count(snapshot_id) FROM {q(snapshots_table)})")
    return "SELECT " + " + ".join(parts)


def timed_sql(sql: str) -> str:
    return f"SELECT count(*) FROM ({sql}) AS bench_q"


def batch_timed_sql(sql: str, names: list[str]) -> str:
    # COUNT_IF: DuckDB runs an ungrouped FILTER per column far slower (73 s for 1,000 columns
    # of 1,000,000 rows, against 0.8 s), which would measure the counting, not the batch
    counts = ", ".join(f"count_if(m.{q(n)})" for n in names)
    return f"SELECT {counts} FROM ({sql}) AS m"


def difference_sql(a: str, b: str) -> str:
    """Rows of a not in b plus rows of b not in a, and both sizes (duplicates count)."""
    return (f"SELECT (SELECT count(*) FROM (SELECT * FROM ({a}) EXCEPT SELECT * FROM ({b}))),"
            f" (SELECT count(*) FROM (SELECT * FROM ({b}) EXCEPT SELECT * FROM ({a}))),"
            f" (SELECT count(*) FROM ({a})), (SELECT count(*) FROM ({b}))")
