"""The test corpus: projects whose segments are compiled for every dialect."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 6, 30)
DIALECTS = ("duckdb", "postgres", "bigquery")


@dataclass(frozen=True)
class CorpusProject:
    id: str
    path: Path

    def schema(self) -> dict:
        """The project's schema, plus the snapshot table segments may read (`in snapshot`)."""
        return with_snapshot_table(tomllib.loads((self.path / "segdsl.toml").read_text()))


def with_snapshot_table(schema: dict) -> dict:
    """The schema as the engine harness sees it: with segdsl's snapshot membership table
    described as one more table keyed by the entity key."""
    out = dict(schema)
    out["relations"] = dict(schema.get("relations", {}))
    table = schema.get("project", {}).get("snapshots_table", "segdsl_snapshots")
    out["relations"]["__snapshots"] = {
        "table": table, "key": "member_key",
        "columns": {"snapshot_id": "integer", "segment": "string", "as_of": "date", "taken_at": "timestamp"},
    }
    return out


PROJECTS = (
    CorpusProject("examples", ROOT / "examples"),
    CorpusProject("constructs", ROOT / "tests" / "corpus" / "utc"),
    CorpusProject("new_york", ROOT / "tests" / "corpus" / "new_york"),
    CorpusProject("extra", ROOT / "tests" / "cases" / "acme_extra"),
    CorpusProject("splits", ROOT / "tests" / "cases" / "splits"),
)


def load(project: CorpusProject):
    import segdsl

    return segdsl.load_project(project.path)


def segment_cases():
    """(project, segment name) for every segment of the corpus."""
    import segdsl

    cases = []
    for p in PROJECTS:
        if not (p.path / "segdsl.toml").exists():
            continue
        for name in segdsl.load_project(p.path).segment_names():
            cases.append((p, name))
    return cases
