"""Differential testing: random segments (as text) and random data, run through the compiler on
every engine and through the reference evaluator (tests/reference/), which must all agree.

Hypothesis profiles (pick one with SEGDSL_HYPOTHESIS_PROFILE):
    segdsl-ci    `make test`: fixed seeds (derandomized), a few hundred examples per engine
    segdsl-dev   a quick look while editing the generators
    segdsl-fuzz  `make fuzz` (scripts/fuzz.py): new random examples on every run
The number of examples per engine is scaled by EXAMPLES below: ZetaSQL is ~20x slower.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
          HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture]

settings.register_profile("segdsl-ci", max_examples=300, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("segdsl-dev", max_examples=30, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("segdsl-fuzz", max_examples=10_000, deadline=None, database=None,
                          suppress_health_check=_QUIET, print_blob=True)

PROFILE = os.environ.get("SEGDSL_HYPOTHESIS_PROFILE", "segdsl-ci")
# Share of the profile's max_examples each engine runs (ZetaSQL: ~50 ms per query; Spark:
# a fifth of a second or more per job however small the data, and a Parquet load per
# example: about a second per example with the main segments alone checked one by one).
EXAMPLES = {"duckdb": 1.0, "postgres": 0.67, "bigquery": 0.34, "clickhouse": 0.67, "spark": 0.5}


def engine_settings(engine: str) -> settings:
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(1, int(base.max_examples * EXAMPLES[engine])))


def without_mutation_bursts() -> None:
    """Hypothesis follows every new example with up to 5 mutations that copy parts of it into
    other places. For these generators they mostly re-run the same program on near-identical
    data: 41 distinct programs in 200 examples (measured), and seeded evaluator bugs were found
    about half as often. Turning them off costs nothing else (shrinking is unaffected). This is
    a private hypothesis hook: if it disappears, nothing breaks, the examples are just less varied."""
    try:
        from hypothesis.internal.conjecture.engine import ConjectureRunner
    except ImportError:  # pragma: no cover
        return
    if hasattr(ConjectureRunner, "generate_mutations_from"):
        ConjectureRunner.generate_mutations_from = lambda self, data: None
