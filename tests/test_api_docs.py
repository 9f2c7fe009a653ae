"""docs/python.md runs as written: its notebook and Airflow examples, and the API's promises
(from_sources reads no disk, errors block only what uses them, root-relative paths)."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import duckdb
import pytest

import segdsl
from tests.projects import ROOT

DOC = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")


def example(heading: str) -> str:
    """The python code block under a `## heading` of docs/python.md."""
    section = DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    return code


def test_the_notebook_example(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing is read from (or written to) the disk
    exec(compile(example("In a notebook"), "docs/python.md", "exec"), {})
    out = capsys.readouterr().out
    assert "SEG0203 audiences.seg 5" in out  # the path as given, relative to the project root
    assert "['SEG0203']" in out
    assert list(tmp_path.iterdir()) == []


def test_the_airflow_example(tmp_path, monkeypatch):
    project = tmp_path / "dags" / "segments"
    shutil.copytree(ROOT / "examples", project, ignore=shutil.ignore_patterns("*.duckdb*"))
    (project / "wip.seg").write_text('segment work_in_progress where regin = "x"\n')  # a colleague's
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE TABLE customers (customer_id BIGINT, plan TEXT)")
    con.execute("INSERT INTO customers VALUES (1, 'pro'), (2, 'free'), (3, 'enterprise')")
    con.close()
    monkeypatch.setenv("SEGDSL_PROJECT", str(project))
    monkeypatch.setenv("SEGDSL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("SEGDSL_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example("In an Airflow task"), "docs/python.md", "exec"), namespace)
    (project / "paid.seg").write_text('segment paying where plan in ["pro", "enterprise"]\n')
    assert namespace["export_segment"]("paying", ds="2024-06-30") == 2
    written = (tmp_path / "exports" / "paying" / "2024-06-30.csv").read_text().split()
    assert written[0] == "customer_id" and sorted(written[1:]) == ["1", "3"]
    with pytest.raises(RuntimeError, match="SEG0203"):
        namespace["export_segment"]("work_in_progress", ds="2024-06-30")


SCHEMA = {"entity": {"table": "customers", "key": "id",
                     "columns": {"id": "integer", "age": "integer", "signup_date": "date"}}}


def test_from_sources_takes_a_dict_and_reads_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = segdsl.Project.from_sources(SCHEMA, {"sub/a.seg": "segment adults where age >= 18\n"})
    assert p.check() == [] and p.segment_names() == ["adults"]
    assert p.segment_info("adults").path == "sub/a.seg"
    assert '"age" >= 18' in p.compile("adults")
    bad = segdsl.Project.from_sources("[entity\n", {})
    (d,) = bad.check()
    assert (d.code, d.span.path, d.span.line) == ("SEG0402", "segdsl.toml", 1)


def test_paths_are_relative_to_the_root_wherever_the_process_runs(tmp_path, monkeypatch):
    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "x.seg").write_text("segment x where agee > 1\n")
    for cwd in (tmp_path, tmp_path / "deep", ROOT):
        monkeypatch.chdir(cwd)
        (d,) = [d for d in segdsl.load_project(tmp_path).check() if d.is_error]
        assert d.span.path == "deep/x.seg"


def test_an_error_blocks_only_what_uses_it():
    files = {"a.seg": "segment a where age > 1\ntrait t = age + 1\nsegment uses_t where t > 3\n",
             "b.seg": "segment b where agee > 1\nsegment uses_b where in segment b or age > 5\n"}
    p = segdsl.Project.from_sources(SCHEMA, files)
    assert [d.code for d in p.check() if d.is_error] == ["SEG0203"]
    for name in ("a", "uses_t"):
        assert p.blocking(name) == [] and p.compile(name).startswith("SELECT")
    assert p.compile_batch(["a", "uses_t"]).startswith("SELECT")
    for name in ("b", "uses_b"):
        with pytest.raises(segdsl.CompileError) as info:
            p.compile(name)
        assert [(d.code, d.span.path) for d in info.value.diagnostics] == [("SEG0203", "b.seg")]
    with pytest.raises(segdsl.CompileError):
        p.compile_batch(["a", "uses_b"])
    # a broken trait blocks the segments that use it
    p = segdsl.Project.from_sources(SCHEMA, {"t.seg": "trait t = agee + 1\nsegment uses_t where t > 3\n"
                                                     "segment fine where age > 3\n"})
    assert p.compile("fine") and p.blocking("uses_t")
    # a configuration error blocks everything
    broken = dict(SCHEMA, project={"dialect": "nope"})
    p = segdsl.Project.from_sources(broken, {"a.seg": "segment a where age > 1\n"})
    with pytest.raises(segdsl.CompileError):
        p.compile("a")


def test_a_trait_is_not_a_segment():
    p = segdsl.Project.from_sources(SCHEMA, {"a.seg": "trait years = age + 1\n"})
    with pytest.raises(segdsl.CompileError) as info:
        p.compile("years")
    (d,) = info.value.diagnostics
    assert d.code == "SEG0211" and "`years` is a trait, not a segment" in d.message


def test_ordered_false_leaves_out_the_order_by():
    p = segdsl.Project.from_sources(SCHEMA, {"a.seg": "segment a where age > 1\n"})
    assert "ORDER BY" in p.compile("a") and "ORDER BY" not in p.compile("a", ordered=False)
    assert p.compile_tree("a", ordered=False).args.get("order") is None
    assert "ORDER BY" not in p.compile_batch(["a"], ordered=False)


def test_as_of_everywhere_accepts_dates_datetimes_and_strings():
    p = segdsl.Project.from_sources(SCHEMA, {"a.seg": "segment recent where signup_date in last 7 days\n"})
    by_date = p.compile("recent", as_of=dt.date(2024, 6, 30))
    assert p.compile("recent", as_of=dt.datetime(2024, 6, 30, 23, 59)) == by_date
    assert p.compile("recent", as_of="2024-06-30") == by_date
    assert p.compile_batch(["recent"], as_of="2024-06-30T08:00") == \
        p.compile_batch(["recent"], as_of=dt.date(2024, 6, 30))
    assert p.compile("recent", as_of="2024-07-01") != by_date
