"""Split groups have the sizes their shares promise, on the 100,000-customer demo warehouse.

For a group of share p in a population of n customers, the md5 buckets behave like a fair
draw: the group's size is within 3·√(n·p·(1−p)) of n·p (three standard deviations; a
binomial count leaves that band about 3 times in 1,000 — the buckets are fixed, so the test
gives the same answer on every run). Run on DuckDB with the compiler's own SQL.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CUSTOMERS = 100_000

SPLITS = """
segment pros where plan = "pro"
split pro_campaign where in segment pros {
  control 10%
  treatment 90%
}
split subject_test salt "2024-06" {
  a 33.33%
  b 33.33%
  c 33.34%
}
split thin {
  tiny 0.5%
  rest 99.5%
}
holdout global_holdout 5%
"""

# group -> (its population segment or None for everyone, its share)
GROUPS = {
    "pro_campaign.control": ("pros", 0.10),
    "pro_campaign.treatment": ("pros", 0.90),
    "subject_test.a": (None, 0.3333),
    "subject_test.b": (None, 0.3333),
    "subject_test.c": (None, 0.3334),
    "thin.tiny": (None, 0.005),
    "thin.rest": (None, 0.995),
    "global_holdout": (None, 0.05),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from segdsl.demo import build_demo_warehouse

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_warehouse(path, customers=CUSTOMERS, progress=False)
    return path


def test_group_sizes_are_within_three_standard_deviations(warehouse):
    import duckdb

    import segdsl

    schema = (ROOT / "examples" / "segdsl.toml").read_text(encoding="utf-8")
    text = SPLITS + "".join(f"segment g{i} where in segment {g}\n" for i, g in enumerate(GROUPS))
    project = segdsl.Project.from_sources(schema, {"splits.seg": text})
    assert not [d for d in project.check() if d.is_error]
    con = duckdb.connect(str(warehouse), read_only=True)

    def size(segment: str) -> int:
        sql = project.compile(segment, dialect="duckdb", as_of="2024-06-30")
        return con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]

    population = {None: con.execute("SELECT count(*) FROM customers").fetchone()[0], "pros": size("pros")}
    assert population[None] == CUSTOMERS
    assert 1_000 < population["pros"] < CUSTOMERS
    report = []
    for i, (group, (pop, p)) in enumerate(GROUPS.items()):
        n = population[pop]
        got = size(f"g{i}")
        band = 3 * math.sqrt(n * p * (1 - p))
        report.append((group, n, p, got, n * p, band))
        assert abs(got - n * p) <= band, f"{group}: {got} members of {n}, expected {n * p:.0f} ± {band:.0f}"
    # the groups of a split partition its population exactly
    by_split: dict[str, int] = {}
    for group, _, _, got, _, _ in report:
        by_split[group.split(".")[0]] = by_split.get(group.split(".")[0], 0) + got
    assert by_split["pro_campaign"] == population["pros"]
    assert by_split["subject_test"] == by_split["thin"] == CUSTOMERS
