"""`segdsl overlap`: how many customers every pair of segments shares, in one query.

Over the batch query (one row per customer, one boolean column per segment):

    SELECT COUNT(CASE WHEN b."a" THEN 1 END) AS "__n0", ...                -- sizes
           COUNT(CASE WHEN b."a" AND b."b" THEN 1 END) AS "__p0_1", ...    -- every pair
    FROM (<batch>) AS b

so every relation is scanned once whatever the number of segments. Jaccard similarity is
|A ∩ B| / |A ∪ B| = both / (a + b - both), 0 when both segments are empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from segdsl.analysis.common import batch, col, count_if, rows, sub

# Postgres allows at most 1664 result columns; above that the pairs are counted in several
# queries over the same batch (only from 57 segments on).
MAX_COLUMNS = 1600


@dataclass
class Overlap:
    names: list[str]
    sizes: dict[str, int]
    both: dict[tuple[str, str], int]  # (a, b) and (b, a) for every pair; (a, a) = size

    def count(self, a: str, b: str) -> int:
        return self.both[(a, b)]

    def jaccard(self, a: str, b: str) -> float:
        union = self.sizes[a] + self.sizes[b] - self.both[(a, b)]
        return self.both[(a, b)] / union if union else 0.0

    def pairs(self) -> list[tuple[str, str]]:
        return [(a, b) for i, a in enumerate(self.names) for b in self.names[i + 1:]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "segments": [{"name": n, "size": self.sizes[n]} for n in self.names],
            "pairs": [{"a": a, "b": b, "both": self.count(a, b), "jaccard": round(self.jaccard(a, b), 6)}
                      for a, b in self.pairs()],
        }


def overlap_query(project: Any, names: list[str], dialect: str, as_of: dt.date | None,
                  pairs: list[tuple[int, int]] | None = None) -> exp.Select:
    """The counting query: sizes (when pairs is None, all of them first) and pair counts."""
    def flag(i: int) -> exp.Column:
        return col(names[i], "b")

    columns = []
    if pairs is None:
        columns = [exp.alias_(count_if(flag(i)), f"__n{i}", quoted=True) for i in range(len(names))]
        pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    columns += [exp.alias_(count_if(exp.and_(flag(i), flag(j))), f"__p{i}_{j}", quoted=True)
                for i, j in pairs]
    return exp.select(*columns).from_(sub(batch(project, names, dialect, as_of), "b"))


def compute_overlap(conn: Any, project: Any, names: list[str], *, as_of: dt.date | None,
                    steps: Any = None) -> Overlap:
    n = len(names)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    if n + len(pairs) <= MAX_COLUMNS:
        if steps is not None:
            steps.start(f"overlap of {n} segments")
        (row,) = rows(conn, overlap_query(project, names, conn.dialect, as_of))
        sizes, counts = list(row[:n]), list(row[n:])
    else:
        sizes = [int(v) for v in rows(conn, exp.select(*[
            exp.alias_(count_if(col(name, "b")), f"__n{i}", quoted=True) for i, name in enumerate(names)
        ]).from_(sub(batch(project, names, conn.dialect, as_of), "b")))[0]]
        counts = []
        for start in range(0, len(pairs), MAX_COLUMNS):
            if steps is not None:
                steps.start(f"pairs {start + 1}-{min(start + MAX_COLUMNS, len(pairs))} of {len(pairs)}")
            (row,) = rows(conn, overlap_query(project, names, conn.dialect, as_of,
                                              pairs[start:start + MAX_COLUMNS]))
            counts += list(row)
    result = Overlap(list(names), {name: int(s) for name, s in zip(names, sizes)}, {})
    for name in names:
        result.both[(name, name)] = result.sizes[name]
    for (i, j), c in zip(pairs, counts):
        result.both[(names[i], names[j])] = result.both[(names[j], names[i])] = int(c)
    return result
