"""`segdsl check --format text|json|github|sarif`: what CI tools read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from segdsl.cli import formats
from segdsl.diagnostics import Span, error, warning
from tests.projects import ROOT

BAD = 'segment a where plan = "gol,d:%"\nsegment b where age >\nsegment c where city != "x:y"\n'


def segdsl(*args, cwd=None, env=None):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text(BAD)
    return tmp_path


def test_json(project):
    out = segdsl("check", ".", "--format", "json", cwd=project)
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["version"] == 1
    assert data["summary"] == {"errors": 2, "warnings": 1, "projects": 1, "segments": 2}
    first = data["diagnostics"][0]
    assert first == {"code": "SEG0302", "severity": "error",
                     "message": '"gol,d:%" is not one of the values of this field',
                     "path": "a.seg", "line": 1, "column": 24, "end_line": 1, "end_column": 33,
                     "hints": ["values: free, basic, pro, enterprise"], "related": [], "fixes": []}
    assert [d["code"] for d in data["diagnostics"]] == ["SEG0302", "SEG0101", "SEG0603"]
    assert data["diagnostics"][2]["severity"] == "warning"


def test_json_promotes_warnings_with_warnings_as_errors(project):
    (project / "a.seg").write_text('segment c where city != "x"\n')
    out = segdsl("check", ".", "-f", "json", "--warnings-as-errors", cwd=project)
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["diagnostics"][0]["severity"] == "error" and data["summary"]["errors"] == 1


def test_json_without_a_project(tmp_path):
    out = segdsl("check", tmp_path, "--format", "json")
    assert out.returncode == 2
    only = json.loads(out.stdout)["diagnostics"][0]
    assert only["code"] == "SEG0401" and only["line"] is None


def test_github_workflow_commands(project):
    out = segdsl("check", ".", "--format", "github", cwd=project)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0] == ("::error file=a.seg,line=1,endLine=1,col=24,endColumn=32,title=SEG0302::"
                        '"gol,d:%25" is not one of the values of this field%0A'
                        "help: values: free, basic, pro, enterprise")
    assert lines[1].startswith("::error file=a.seg,line=2,endLine=2,col=22,endColumn=22,title=SEG0101::")
    assert lines[2].startswith("::warning file=a.seg,line=3,")
    assert "error[SEG0302]" in out.stderr  # the readable text goes to the log


def test_github_escapes_properties_and_data():
    d = error("SEG0301", "100% wrong\r\nnext", Span("dir,x/a:b.seg", 2, 3, 4, 5), "h:1,2")
    line = formats.to_github([formats.Report(d, None)])
    # columns only for a span on one line; `:` and `,` escaped in properties only
    assert line == ("::error file=dir%2Cx/a%3Ab.seg,line=2,endLine=4,title=SEG0301::"
                    "100%25 wrong%0D%0Anext%0Ahelp: h:1,2")


def test_sarif(project):
    out = segdsl("check", ".", "--format", "sarif", cwd=project)
    assert out.returncode == 1
    log = json.loads(out.stdout)
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SEG0302", "SEG0101", "SEG0603"]
    assert rules[2]["defaultConfiguration"]["level"] == "warning"
    assert all(r["shortDescription"]["text"] for r in rules)
    result = run["results"][0]
    assert result["ruleId"] == "SEG0302" and result["ruleIndex"] == 0 and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "a.seg"
    assert location["region"] == {"startLine": 1, "startColumn": 24, "endLine": 1, "endColumn": 33,
                                  "snippet": {"text": '"gol,d:%"'}}
    assert [r["level"] for r in run["results"]] == ["error", "error", "warning"]


def _fingerprints(project) -> dict[str, str]:
    log = json.loads(segdsl("check", ".", "--format", "sarif", cwd=project).stdout)
    return {r["ruleId"]: r["partialFingerprints"]["segdslFingerprint/v1"]
            for r in log["runs"][0]["results"]}


def test_sarif_fingerprints_survive_unrelated_edits(project):
    before = _fingerprints(project)
    (project / "a.seg").write_text("# a new comment\n\nsegment z where age > 1\n" + BAD)
    after = _fingerprints(project)
    assert after == before
    (project / "a.seg").write_text(BAD.replace('"gol,d:%"', '"gold"'))
    assert _fingerprints(project)["SEG0302"] != before["SEG0302"]


def test_identical_lines_get_distinct_fingerprints():
    d = warning("SEG0603", "m", Span("a.seg", 1, 1, 1, 5))
    e = warning("SEG0603", "m", Span("a.seg", 2, 1, 2, 5))
    source = "same\nsame\n"
    prints = formats.fingerprints([formats.Report(d, source), formats.Report(e, source)])
    assert prints[0] != prints[1]


def test_text_has_no_colour_unless_asked(project):
    plain = segdsl("check", ".", cwd=project)  # not a terminal
    assert "\033[" not in plain.stderr and "a.seg:1:24: error[SEG0302]" in plain.stderr
    forced = segdsl("check", ".", "--color", "always", cwd=project)
    assert "\033[1;31merror[SEG0302]" in forced.stderr


def test_no_color_wins_on_a_terminal(monkeypatch):
    from segdsl.cli.output import use_color

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Tty())
    assert use_color(Tty(), "always") and not use_color(Tty(), "never")


def test_text_clips_long_lines():
    from segdsl.cli.output import render

    source = "segment a where " + "x" * 5000 + " > 1\n"
    d = error("SEG0203", "unknown field", Span("a.seg", 1, 5018, 1, 5019))
    excerpt = render(d, source).splitlines()
    assert len(excerpt[1]) < 140 and "| ...xxx" in excerpt[1] and excerpt[1].endswith("x > 1")
    assert excerpt[2].index("^") == excerpt[1].index(">")


def test_text_matches_diagnostic_render_for_normal_lines(project):
    import segdsl
    from segdsl.cli.output import render

    p = segdsl.load_project(project)
    for d in p.check():
        assert render(d, p.source(d.span.path)) == d.render(p.source(d.span.path))


def test_unknown_format_is_a_usage_error(project):
    assert segdsl("check", ".", "--format", "xml", cwd=project).returncode == 2


def test_files_of_one_project_are_checked_once(project):
    (project / "b.seg").write_text("segment d where age > 1\n")
    out = segdsl("check", "a.seg", "b.seg", "segdsl.toml", "--format", "json", cwd=project)
    data = json.loads(out.stdout)
    assert data["summary"]["projects"] == 1 and len(data["diagnostics"]) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX environment handling")
def test_check_in_a_clean_environment_still_works(project):
    env = {k: v for k, v in os.environ.items() if k not in ("TERM", "NO_COLOR")}
    assert segdsl("check", ".", cwd=project, env=env).returncode == 1
