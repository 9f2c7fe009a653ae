"""Every stage printable: `segdsl compile --emit ast|ir|plan|sql` and segdsl.stages.emit.

The dumps are stable text other tools script against: snapshots under tests/snapshots/stages
(regenerate with --snapshot-update after an intended change and review the diff)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from segdsl.stages import emit
from tests.projects import AS_OF, PROJECTS, ROOT, load

EXAMPLES = next(p for p in PROJECTS if p.id == "examples")
CONSTRUCTS = next(p for p in PROJECTS if p.id == "constructs")
# a pick pass, rankings read by the final select, a pass of keys, a ranking alone, shared
# filters with an INNER join
SHOWN = ["mobile_first", "west_coast_vips", "never_bought", "top_decile", "active_not_buying"]


@pytest.mark.parametrize("stage", ["ast", "ir"])
def test_ast_and_ir_dumps(stage, snapshot):
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "stages" / stage
    for name, text in emit(load(EXAMPLES), stage, SHOWN).items():
        snapshot.assert_match(text + "\n", f"{name}.txt")


@pytest.mark.parametrize("dialect", ["duckdb", "bigquery"])
def test_plan_dumps(dialect, snapshot):
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "stages" / f"plan-{dialect}"
    project = load(EXAMPLES)
    for name, text in emit(project, "plan", SHOWN, dialect, AS_OF).items():
        snapshot.assert_match(text + "\n", f"{name}.txt")
    batch = emit(project, "plan", None, dialect, AS_OF, batch=True)
    assert list(batch) == ["batch"]
    snapshot.assert_match(batch["batch"] + "\n", "batch.txt")


def test_ast_and_ir_do_not_depend_on_the_dialect_and_no_span_shows():
    project = load(CONSTRUCTS)
    names = project.segment_names()
    for stage in ("ast", "ir"):
        text = emit(project, stage, names)
        assert text == emit(project, stage, names, "bigquery") and set(text) == set(names)
        assert not any("Span(" in t or "line=" in t for t in text.values())


def test_every_corpus_segment_has_a_plan_on_every_engine():
    # the plan dump must never fail on what compiles
    for p in PROJECTS:
        project = load(p)
        for dialect in ("duckdb", "postgres", "bigquery"):
            plans = emit(project, "plan", None, dialect, AS_OF)
            assert all(t.startswith("plan: segment\nreads tables: ") for t in plans.values())
            assert emit(project, "plan", None, dialect, AS_OF, batch=True)["batch"].startswith("plan: batch")


def test_plan_reads_say_how_often_each_table_is_read():
    plan = emit(load(EXAMPLES), "plan", ["mobile_first"], "duckdb", AS_OF)["mobile_first"]
    # the pass finding the latest time and the pass picking the value at it
    assert "reads tables: orders ×2, customers ×1" in plan
    plan = emit(load(EXAMPLES), "plan", ["mobile_first"], "bigquery", AS_OF)["mobile_first"]
    assert "reads tables: orders ×1, customers ×1" in plan and "numbered 1" in plan


def test_sql_stage_is_the_compiled_sql():
    project = load(EXAMPLES)
    assert emit(project, "sql", ["frequent"], "postgres", AS_OF) == \
        {"frequent": project.compile("frequent", "postgres", AS_OF)}
    assert emit(project, "sql", ["frequent", "never_bought"], None, AS_OF, batch=True) == \
        {"batch": project.compile_batch(["frequent", "never_bought"], None, AS_OF)}


def test_unknown_segment_raises_compile_error():
    from segdsl.api import CompileError

    for stage in ("ast", "ir", "plan"):
        with pytest.raises(CompileError) as e:
            emit(load(EXAMPLES), stage, ["frequnt"])
        assert e.value.diagnostics[0].code == "SEG0206"


def segdsl(*args):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)], capture_output=True, text=True, check=False)
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text('segment pros where plan = "pro"\nsegment adults where age >= 18\n'
                                    "segment both where in segment pros and in segment adults\n")
    return tmp_path


def test_cli_emit_sections_and_json(project):
    out = segdsl("compile", project, "--emit", "plan", "--as-of", "2024-06-30")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("-- segment: ") == 3 and "plan: segment" in out.stdout
    data = json.loads(segdsl("compile", project, "--emit", "ir", "--format", "json", "-s", "pros").stdout)
    assert data["version"] == 1 and data["stage"] == "ir" and list(data["segments"]) == ["pros"]
    assert data["segments"]["pros"].startswith("InSet") or data["segments"]["pros"].startswith("Cmp")
    batch = segdsl("compile", project, "--emit", "plan", "--batch", "--as-of", "2024-06-30")
    assert batch.stdout.startswith("-- segments: ") and "plan: batch" in batch.stdout
    # --emit sql is today's output
    assert segdsl("compile", project, "--emit", "sql", "-s", "pros").stdout == \
        segdsl("compile", project, "-s", "pros").stdout
    bad = segdsl("compile", project, "--emit", "rq")
    assert bad.returncode == 2 and "ast, ir, plan or sql" in bad.stderr
