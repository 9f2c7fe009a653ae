"""The command-line interface other tools rely on: exit codes, output formats, selection."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.projects import ROOT


def segdsl(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text('segment pros where plan = "pro"\nsegment adults where age >= 18\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.seg").write_text("segment both where in segment pros and in segment adults\n")
    return tmp_path


def test_version():
    import segdsl as pkg

    assert segdsl("--version").stdout.strip() == f"segdsl {pkg.__version__}"


def test_check_exit_codes(project, tmp_path_factory):
    assert segdsl("check", project).returncode == 0
    (project / "bad.seg").write_text('segment x where plan = "gold"\n')
    bad = segdsl("check", project)
    assert bad.returncode == 1 and "error[SEG0302]" in bad.stderr
    empty = tmp_path_factory.mktemp("no_project")
    assert segdsl("check", empty).returncode == 2
    (project / "segdsl.toml").write_text("[entity\n")
    assert segdsl("check", project).returncode == 2


def test_check_several_paths_reports_the_worst(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    assert segdsl("check", project, other).returncode == 2


def test_compile_sql_names_every_segment(project):
    out = segdsl("compile", project, "--dialect", "postgres", "--as-of", "2024-06-30")
    assert out.returncode == 0
    assert [l for l in out.stdout.splitlines() if l.startswith("-- segment:")] == [
        "-- segment: pros", "-- segment: adults", "-- segment: both"]


def test_compile_json_maps_names_to_sql(project):
    out = segdsl("compile", project, "--format", "json", "--segment", "both", "--as-of", "2024-06-30")
    data = json.loads(out.stdout)
    assert data["version"] == 1
    assert list(data["segments"]) == ["both"] and data["segments"]["both"].startswith("SELECT")


def test_compile_a_file_compiles_the_segments_defined_in_it(project):
    data = json.loads(segdsl("compile", project / "sub" / "b.seg", "--format", "json").stdout)
    assert list(data["segments"]) == ["both"]


def test_compile_batch_json(project):
    data = json.loads(segdsl("compile", project, "--batch", "--format", "json", "--as-of", "2024-06-30").stdout)
    assert data["segments"] == ["pros", "adults", "both"] and '"both"' in data["sql"]


def test_compile_usage_errors_exit_2(project):
    assert segdsl("compile", project, "--segment", "pro").returncode == 2
    assert "did you mean `pros`" in segdsl("compile", project, "--segment", "pro").stderr
    assert segdsl("compile", project, "--as-of", "2024-02-30").returncode == 2
    assert segdsl("compile", project, "--format", "yaml").returncode == 2
    assert segdsl("compile", project, "--dialect", "nosuchdb").returncode == 2


def test_compile_untested_dialect_warns(project):
    out = segdsl("compile", project, "--dialect", "snowflake", "--segment", "pros")
    assert out.returncode == 0 and "warning[SEG0501]" in out.stderr and "SELECT" in out.stdout


def test_python_api_compile_raises_with_diagnostics(project):
    import segdsl as pkg

    (project / "bad.seg").write_text("segment x where nope > 1\nsegment y where in segment x\n")
    p = pkg.load_project(project)
    assert p.compile("pros").startswith("SELECT")  # x's error does not concern pros
    for name in ("x", "y"):  # y uses x
        with pytest.raises(pkg.CompileError) as info:
            p.compile(name)
        assert [d.code for d in info.value.diagnostics] == ["SEG0203"]
    assert [d.code for d in p.check() if d.is_error] == ["SEG0203"]


def test_compile_one_segment_while_another_is_broken(project):
    (project / "bad.seg").write_text("segment x where nope > 1\n")
    out = segdsl("compile", project, "--segment", "pros")
    assert out.returncode == 0 and out.stdout.startswith("-- segment: pros")
    assert "bad.seg:1:17: error[SEG0203]" in out.stderr  # still reported
    out = segdsl("compile", project)  # every segment asked for: x fails
    assert out.returncode == 1 and "-- segment: pros" in out.stdout
    assert "not compiled, because of the errors above: x" in out.stderr


@pytest.mark.slow
def test_the_wheel_ships_the_grammar(tmp_path):
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("segdsl-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "segdsl/grammar/segdsl.lark" in names
    assert any(n.endswith("entry_points.txt") for n in names)
