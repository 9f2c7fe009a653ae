"""`.segtest` files: every diagnostic (SEG0701–SEG0715) as the user reads it, as snapshots
(tests/snapshots/segtest), and what a file that checks reads into."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import segdsl
from tests.projects import ROOT
from tests.segtest_support import example_copy


CASES = {
    "SEG0701": ('test "t"\nas_of = 2024-06-30\nsegment = "s1"\ncustomers = [ { customer_id = 1 ]\nmembers = [1]\n'),
    "SEG0702": ('customers = []\ntest "t"\nas_of = 2024-06-30\nsegment = "s1"\nmembers = []\ntest new customers\n'),
    "SEG0703": ('test "t"\nas_of = 2024-06-30\nsegment = "s1"\nmembers = []\n\ntest "t"\nas_of = 2024-06-30\nsegment = "s1"\nmembers = []\n'),
    "SEG0704": ('test "no reference"\nsegment = "s1"\nmembers = []\n\ntest "quoted"\nas_of = "2024-06-30"\nsegment = "s1"\nmembers = []\n'),
    "SEG0705": ('test "t"\nas_of = 2024-06-30\nsegment = "s1"\nfamily = "f"\nmembers = []\n'),
    "SEG0706": ('test "t"\nas_of = 2024-06-30\nsegment = "s1"\ncustomer = [ { customer_id = 1 } ]\nmembers = []\n'),
    "SEG0707": ('test "t"\nas_of = 2024-06-30\nsegment = "s1"\ncustomers = [ { customer_id = 1, agee = 30 } ]\nmembers = []\n'),
    "SEG0708": ('test "t"\nas_of = 2024-06-30\nsegment = "new_signups"\ncustomers = [\n  { customer_id = 1, age = "30" },\n  { customer_id = 2, signup_date = 2024-06-01T10:00 },\n]\nmembers = []\n'),
    "SEG0709": ('test "t"\nas_of = 2024-06-30\nsegment = "frequent"\ncustomers = [ { customer_id = 1 } ]\norders = [ { customer_id = 1, ordered_at = 2024-06-31T10:00 } ]\nmembers = []\n'),
    "SEG0710": ('test "t"\nas_of = 2024-06-30\nsegment = "s3"\ncustomers = [ { customer_id = 1, plan = "Pro", devices = ["mobile", "phone"] } ]\nmembers = []\n'),
    "SEG0711": ('test "t"\nas_of = 2024-06-30\nsegment = "frequent"\ncustomers = [ { customer_id = 1 } ]\norders = [ { customer_id = 2, ordered_at = 2024-06-01T10:00 } ]\nmembers = [1, 3]\n'),
    "SEG0712": ('test "none"\nas_of = 2024-06-30\nsegment = "s1"\ncustomers = [ { customer_id = 1 } ]\n\ntest "both"\nas_of = 2024-06-30\nsegment = "s1"\ncustomers = [ { customer_id = 1 } ]\nmembers = [1]\nexclude = [1]\n'),
    "SEG0713": ('test "t"\nas_of = 2024-06-30\nsegment = "frequnt"\nmembers = []\n'),
    "SEG0715": ('test "t"\nas_of = 2024-06-30\nsegment = "s1"\ncustomers = [ { customer_id = 1 }, { age = 20 }, { customer_id = 1 } ]\nmembers = []\n'),
}
FAMILY_CASES = {
    "SEG0714": ('test "t"\nas_of = 2024-06-30\nfamily = "lifecycle"\ncustomers = [ { customer_id = 1 } ]\nassign = { 1 = "champion" }\n'),
    "SEG0712": ('test "t"\nas_of = 2024-06-30\nfamily = "lifecycle"\ncustomers = [ { customer_id = 1 } ]\nmembers = [1]\n'),
}


def rendered(project) -> str:
    diags = sorted(project.segtests[1], key=lambda d: (d.span.path, d.span.line, d.span.col))
    return "\n".join(d.render(project.source(d.span.path)) for d in diags) + "\n"


@pytest.mark.parametrize("code", sorted(CASES))
def test_diagnostic(code, tmp_path, snapshot):
    project = segdsl.load_project(example_copy(tmp_path, {"t.segtest": CASES[code]}))
    text = rendered(project)
    assert f"error[{code}]" in text
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "segtest"
    snapshot.assert_match(text, f"{code}.txt")


@pytest.mark.parametrize("code", sorted(FAMILY_CASES))
def test_family_diagnostic(code, tmp_path, snapshot):
    shutil.copytree(ROOT / "tests" / "cases" / "families", tmp_path / "p")
    (tmp_path / "p" / "t.segtest").write_text(FAMILY_CASES[code])
    text = rendered(segdsl.load_project(tmp_path / "p"))
    assert f"error[{code}]" in text
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "segtest"
    snapshot.assert_match(text, f"family_{code}.txt")


def test_check_reports_segtest_errors_with_the_project(tmp_path):
    project = segdsl.load_project(example_copy(tmp_path, {"sub/t.segtest": CASES["SEG0707"]}))
    codes = [(d.code, d.span.path, d.span.line) for d in project.check() if d.is_error]
    assert codes == [("SEG0707", "sub/t.segtest", 4)]
    assert project.source("sub/t.segtest") == CASES["SEG0707"]


def test_the_example_tests_check_clean():
    project = segdsl.load_project(ROOT / "examples")
    tests, diags = project.segtests
    assert diags == []
    assert len(tests) >= 15 and all(t.ok for t in tests)


def test_a_file_reads_into_tests(tmp_path):
    text = '''# a comment before the first test
test "one"
as_of = 2024-06-30T09:30
segment = "frequent"
customers = [ { customer_id = 1, interests = ["hiking"] }, { customer_id = 2 } ]
orders = [
  { customer_id = 1, ordered_at = 2024-06-29 10:00, amount = 12 },  # space for the T, no seconds
  { customer_id = 1, ordered_at = 2024-06-29T10:00:30+02:00 },
]
include = [1]
exclude = [2]

test "two"
as_of = 2024-06-30
segment = 'regulars_in("South")'
members = []
'''
    tests, diags = segdsl.load_project(example_copy(tmp_path, {"t.segtest": text})).segtests
    assert diags == []
    one, two = tests
    assert (one.name, one.kind, one.subject, str(one.as_of)) == ("one", "segment", "frequent", "2024-06-30T09:30")
    assert one.expected.include == (1,) and one.expected.exclude == (2,) and one.expected.members is None
    orders = one.rows["orders"]
    assert orders[0].get("ordered_at") == dt.datetime(2024, 6, 29, 10, 0)
    assert orders[0].get("amount") == 12
    assert orders[1].get("ordered_at").utcoffset() == dt.timedelta(hours=2)
    assert one.rows["customers"][0].get("interests") == ["hiking"]
    line = text.splitlines()[6]
    assert (orders[0].cells["amount"].value_span.line, orders[0].cells["amount"].value_span.col) == (7, line.index("12") + 1)
    # a parameterised segment is passed through to the project API unchecked
    assert (two.subject, two.ok, two.expected.members) == ('regulars_in("South")', True, ())


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_check_reports_segtests_in_every_format(fmt, tmp_path):
    import json
    import subprocess
    import sys

    folder = example_copy(tmp_path / "p", {"t.segtest": CASES["SEG0707"]})
    r = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "check", ".", "-f", fmt],
                       capture_output=True, text=True, cwd=folder, timeout=120)
    assert r.returncode == 1
    if fmt == "text":
        assert "t.segtest:4:34: error[SEG0707]: `customers` has no column `agee`\n" \
               "     4 | customers = [ { customer_id = 1, agee = 30 } ]\n" \
               "       |                                  ^^^^\n  help: did you mean `age`?" in r.stderr
    elif fmt == "json":
        (d,) = [d for d in json.loads(r.stdout)["diagnostics"] if d["severity"] == "error"]
        assert (d["code"], d["path"], d["line"], d["column"], d["hints"][0]) == \
            ("SEG0707", "t.segtest", 4, 34, "did you mean `age`?")
        assert d["fixes"][0]["replacement"] == "age"
    elif fmt == "github":
        assert "::error file=t.segtest,line=4,endLine=4,col=34,endColumn=37,title=SEG0707::" in r.stdout
    else:
        (result,) = [x for x in json.loads(r.stdout)["runs"][0]["results"] if x["ruleId"] == "SEG0707"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith("t.segtest")
        assert location["region"]["startLine"] == 4 and location["region"]["startColumn"] == 34
