"""Families (LANGUAGE.md v2): first match wins, `else`, members as segments `family.member`,
the family as a text trait whose values are the member names, one CASE in one pass.

The hand-derived members of tests/cases/families/ (tests/expected/family_members.py on
tests/fixtures/family_data.py) on every engine and on the reference evaluator; the checker's
errors on misuse; the formatter keeps a family as written."""

from __future__ import annotations

import shutil
import tomllib
from functools import cache

import pytest

from tests.expected.family_members import EXPECTED
from tests.fixtures.family_data import AS_OF, TABLES
from tests.projects import ROOT

FAMILIES = ROOT / "tests" / "cases" / "families"


@cache
def _project():
    import segdsl

    return segdsl.load_project(FAMILIES)


@cache
def _schema() -> dict:
    with open(FAMILIES / "segdsl.toml", "rb") as f:
        return tomllib.load(f)


def test_members_are_segments_in_file_order():
    names = _project().segment_names()
    assert names[:4] == ["lifecycle.champions", "lifecycle.at_risk", "lifecycle.new_customers", "lifecycle.others"]
    assert sorted(names) == sorted(EXPECTED)
    assert not [d for d in _project().check() if d.is_error]


def test_members_on_every_engine(engine):
    p = _project()
    names = list(EXPECTED)
    engine.load(_schema(), TABLES)
    got = dict(zip(names, engine.keys_many([p.compile(n, dialect=engine.dialect, as_of=AS_OF) for n in names])))
    wrong = {n: (got[n], EXPECTED[n]) for n in names if got[n] != EXPECTED[n]}
    assert not wrong, f"{engine.dialect}: got vs expected {wrong}"


def test_reference_evaluator_reproduces_the_members():
    from tests.reference import Evaluator

    p = _project()
    ev = Evaluator(p.schema, p.settings.timezone, TABLES, AS_OF)
    assert {n: ev.members(p.segment_ir(n)) for n in EXPECTED} == EXPECTED


def test_every_member_is_one_case_over_the_rules_in_one_pass():
    sql = _project().compile("lifecycle.new_customers", dialect="postgres", as_of=AS_OF)
    assert sql.count("CASE") == 1 and sql.count('FROM "orders"') == 1
    assert sql.index("'champions'") < sql.index("'at_risk'") < sql.index("'new_customers'") < sql.index("'others'")


def test_a_batch_of_members_agrees_with_each_member(duckdb_engine):
    p = _project()
    duckdb_engine.load(_schema(), TABLES)
    rows = duckdb_engine.query(p.compile_batch(list(EXPECTED), dialect="duckdb", as_of=AS_OF))
    for i, name in enumerate(EXPECTED, start=1):
        assert sorted(r[0] for r in rows if r[i]) == EXPECTED[name], name


def _check(tmp_path, text: str) -> list[str]:
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "case.seg").write_text(text, encoding="utf-8")
    p = segdsl.load_project(tmp_path)
    return [f"{d.code}: {d.message} | {' | '.join(d.hints)}" for d in p.check() if d.is_error]


_FAMILY = 'family stage {\n  big where income > 100\n  small where income <= 100\n  else unknown\n}\n'


@pytest.mark.parametrize("text, code, words", [
    (_FAMILY + 'segment s where stage = "bigg"\n', "SEG0302", "did you mean `big`"),
    (_FAMILY + "segment s where in segment stage.smal\n", "SEG0206", "did you mean `stage.small`"),
    (_FAMILY + "segment s where in segment stage\n", "SEG0211", "family"),
    ("family f {\n  a where age > 1\n  a where age > 2\n}\n", "SEG0365", "twice"),
    ("family f {\n  a where age > 1\n  else a\n}\n", "SEG0365", "twice"),
    ("family f {\n  else a\n}\n", "SEG0366", "no rules"),
    ("family f {\n  a where age > 1\n  b where in segment f.a\n}\n", "SEG0367", "uses the family"),
    ("family f {\n  a where age > 1\n  b where f = \"a\"\n}\n", "SEG0367", "uses the family"),
    ("family f {\n  a where in segment s\n}\nsegment s where in segment f.a\n", "SEG0202", "cycle"),
    ("family age {\n  a where income > 1\n}\n", "SEG0210", "column"),
])
def test_misuse_is_an_error(tmp_path, text, code, words):
    errors = _check(tmp_path, text)
    assert any(e.startswith(code) and words in e for e in errors), errors


def test_the_formatter_keeps_a_family():
    from segdsl.format import format_source

    text = (FAMILIES / "families.seg").read_text(encoding="utf-8")
    assert format_source(text) == text
    messy = 'family   t "T"{ gold where x >= 1000 silver where x >= 500\nelse   none_yet }\n'
    assert format_source(messy) == 'family t "T" {\n  gold where x >= 1000\n  silver where x >= 500\n  else none_yet\n}\n'


@pytest.mark.parametrize("rules, dead", [
    (["a where income >= 1000", "b where income >= 500"], []),  # b holds for 500..999
    (["a where income >= 1000", "b where income > 1000 and age > 30"], ["b"]),
    (["a where income >= 1000", "b where income >= 999"], []),
    (["a where income > 1000", "b where income >= 1000"], []),  # 1000 itself is b's
    (["a where region = \"South\" or plan = \"pro\"", "b where plan = \"pro\" and age > 1"], ["b"]),
    (["a where plan in [\"pro\", \"basic\"]", "b where plan = \"basic\""], ["b"]),
    (["a where plan in [\"pro\"]", "b where plan in [\"pro\", \"basic\"]"], []),
    (["a where signup_date in last 30 days", "b where signup_date in last 7 days"], ["b"]),
    (["a where signup_date in last 7 days", "b where signup_date in last 30 days"], []),
    (["a where is_subscribed and age > 20", "b where is_subscribed"], []),  # undecided: no warning
    (["a where age > 20", "b where age > 30", "c where age > 40"], ["b", "c"]),
])
def test_a_rule_that_can_never_win_is_a_warning(tmp_path, rules, dead):
    import segdsl

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    body = "".join(f"  {r}\n" for r in rules)
    (tmp_path / "case.seg").write_text(f"family f {{\n{body}  else rest\n}}\n", encoding="utf-8")
    found = [d for d in segdsl.load_project(tmp_path).check() if d.code == "SEG0617"]
    assert [d.message.split("`")[1] for d in found] == dead
    assert not [d for d in segdsl.load_project(tmp_path).check() if d.code == "SEG0616"]


def test_the_editor_check_equals_the_full_check_on_families(tmp_path):
    from segdsl.lsp.workspace import ProjectState
    from tests.lsp.test_incremental import _key, _mine, _reference, _same

    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(ROOT / "examples" / "segdsl.toml", root / "segdsl.toml")
    (root / "a.seg").write_text(_FAMILY + "family bands {\n  old where age > 60\n  older where age > 70\n}\n")
    (root / "b.seg").write_text('segment x where in segment stage.big\nsegment y where stage = "bigg"\n')
    state = ProjectState(root)
    _same(_mine(state, state.check()), _reference(state, tmp_path / "ref"), "initial")
    for text in ["segment x where in segment stage.small and age > 1\n",
                 "family f {\n  a where age > 1\n  b where in segment f.a\n}\nsegment x where in segment f.a\n",
                 "segment x where in segment bands.older\n"]:
        path = str(root / "b.seg")
        state.overlay[path] = text
        mine = _mine(state, state.check({path}))
        _same(mine, _reference(state, tmp_path / "ref"), text)
        _same(sorted(_key(d) for d in state.full_project().check()), mine, ("full_project", text))


# `segdsl family` on the fixture: see the table in tests/expected/family_members.py.
LIFECYCLE_REPORT = {
    "family": "lifecycle", "customers": 11,
    "rules": [{"member": "champions", "alone": 4, "assigned": 4, "lost_to_earlier_rules": 0},  # c1 c8 c10 c11
              {"member": "at_risk", "alone": 3, "assigned": 2, "lost_to_earlier_rules": 1},  # c2 c3 c11
              {"member": "new_customers", "alone": 4, "assigned": 2, "lost_to_earlier_rules": 2}],  # c1 c2 c5 c7
    "else": {"member": "others", "assigned": 3}, "in_no_rule": 3,  # c4 c6 c9
    "overlaps": [{"a": "champions", "b": "at_risk", "both": 1},  # c11
                 {"a": "champions", "b": "new_customers", "both": 1},  # c1
                 {"a": "at_risk", "b": "new_customers", "both": 1}],  # c2
}


def test_the_family_report_on_every_engine(engine):
    from segdsl.analysis.family import compute_family

    engine.load(_schema(), TABLES)
    assert compute_family(engine, _project(), "lifecycle", as_of=AS_OF).as_dict() == LIFECYCLE_REPORT
    tiers = compute_family(engine, _project(), "tiers", as_of=AS_OF).as_dict()
    assert (tiers["else"], tiers["in_no_rule"], [r["assigned"] for r in tiers["rules"]]) == (None, 2, [5, 4])


def test_the_family_command(tmp_path):
    import json
    import subprocess
    import sys

    import duckdb

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE customers (customer_id INTEGER, region VARCHAR, signup_date DATE, age INTEGER, "
                "income DOUBLE, plan VARCHAR, is_subscribed BOOLEAN)")
    con.execute("CREATE TABLE orders (customer_id INTEGER, order_id INTEGER, ordered_at TIMESTAMP, amount DOUBLE, "
                "status VARCHAR, channel VARCHAR)")
    con.execute("CREATE TABLE events (customer_id INTEGER, occurred_at TIMESTAMP, name VARCHAR, city VARCHAR)")
    con.executemany("INSERT INTO customers (customer_id, region, signup_date) VALUES (?, ?, ?)",
                    [[r["customer_id"], r["region"], r["signup_date"]] for r in TABLES["customers"]])
    con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)",
                    [[r["customer_id"], r["order_id"], r["ordered_at"], r["amount"], r["status"], r["channel"]]
                     for r in TABLES["orders"]])
    con.close()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "segdsl.cli.main", "family", str(FAMILIES), *args,
                               "--db", str(db), "--as-of", AS_OF.isoformat()], capture_output=True, text=True)

    shown = run("lifecycle", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert {k: v for k, v in json.loads(shown.stdout).items() if k not in ("version", "as_of")} == LIFECYCLE_REPORT
    table = run("lifecycle")
    assert table.returncode == 0 and "else others" in table.stdout and "in no rule: 3" in table.stdout
    wrong = run("lifecycl")
    assert wrong.returncode == 2 and "did you mean `lifecycle`?" in wrong.stderr and "Traceback" not in wrong.stderr
