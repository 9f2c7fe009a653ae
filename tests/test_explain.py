"""`segdsl explain`: every segment of the example projects in plain English, snapshotted per
file (tests/snapshots/explain), plus the JSON form and the command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import lru_cache

import pytest

from tests.projects import ROOT

PROJECTS = {"examples": ROOT / "examples", "constructs": ROOT / "tests" / "corpus" / "utc",
            "extra": ROOT / "tests" / "cases" / "acme_extra"}
# every file that defines a segment (examples/discover.seg defines only traits and scores)
FILES = [(name, seg) for name, folder in PROJECTS.items() for seg in sorted(folder.glob("*.seg"))
         if re.search(r"^\s*(segment|family)\s", seg.read_text(encoding="utf-8"), flags=re.M)]


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)  # paths in explanations are shown relative to the working folder


@lru_cache(maxsize=None)
def project(name: str):
    import segdsl

    return segdsl.load_project(PROJECTS[name])


@pytest.mark.parametrize("name, seg", FILES, ids=[f"{n}-{s.stem}" for n, s in FILES])
def test_explanations(name, seg, snapshot):
    from segdsl.explain import explain

    p = project(name)
    shown = [n for n in p.segment_names() if p.segment_info(n).path.endswith(seg.name)]
    assert shown
    snapshot.snapshot_dir = ROOT / "tests" / "snapshots" / "explain" / name
    text = "\n".join(explain(p, n).text() for n in shown)
    snapshot.assert_match(text, f"{seg.stem}.txt")


def test_every_ir_node_has_a_phrase():
    """No explanation falls back to naming an IR class."""
    from segdsl import ir
    from segdsl.explain import explain

    classes = {c for c in dir(ir) if isinstance(getattr(ir, c), type)}
    for name in PROJECTS:
        p = project(name)
        for seg in p.segment_names():
            text = explain(p, seg).text()
            assert not any(f"kind {c}" in text or f" {c}(" in text for c in classes), text
            assert "who do not meet this" not in text, text


def test_metadata_and_traits_in_json():
    from segdsl.explain import explain

    data = explain(project("examples"), "lapsed_vips").to_json()
    assert data["title"] == "Lapsed VIPs" and data["owner"] == "crm-team@acme.example"
    assert data["tags"] == ["value", "behavioral"]
    assert data["path"].endswith("definitions.seg") and data["line"] == 7
    assert data["condition"]["kind"] == "all" and len(data["condition"]["items"]) == 2
    assert set(data["traits"]) == {"lifetime_value", "last_order_at"}
    assert data["summary"].startswith("Customers whose lifetime value (total amount of orders")


def test_missing_values_are_spelled_out():
    from segdsl.explain import explain

    p = project("examples")
    assert explain(p, "s2").summary() == (
        'Customers whose region is not "West Coast", or who have no region.')
    assert "or who have no apps" in explain(p, "no_apps").summary()
    assert "customers with no value are never ranked" in explain(p, "top_decile").summary()


def test_nested_logic_reads_as_an_outline(tmp_path):
    import shutil

    import segdsl
    from segdsl.explain import explain

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text(
        'segment s where (region = "West Coast" or region = "South") and not (age < 18 or plan = "free")\n')
    text = explain(segdsl.load_project(tmp_path), "s").text()
    assert text.splitlines()[3:] == [
        "Customers who meet all of these conditions:",
        "  - who meet at least one of these:",
        '    - whose region is "West Coast"',
        '    - whose region is "South"',
        "  - who meet none of these:",
        "    - whose age is less than 18",
        '    - whose plan is "free"',
    ]


def segdsl(*args):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_command():
    text = segdsl("explain", ROOT / "examples", "--segment", "west_coast_regulars")
    assert text.returncode == 0
    assert "whose region is \"West Coast\"" in text.stdout
    data = json.loads(segdsl("explain", ROOT / "examples", "-s", "s2", "-s", "s4", "--format", "json").stdout)
    assert data["version"] == 1 and [s["segment"] for s in data["segments"]] == ["s2", "s4"]
    unknown = segdsl("explain", ROOT / "examples", "--segment", "west_coast_regular")
    assert unknown.returncode == 2 and "did you mean `west_coast_regulars`" in unknown.stderr
    assert segdsl("explain", ROOT / "examples", "--format", "xml").returncode == 2


NEGATIONS = {
    "not (age between 1 and 5)": "whose age is not between 1 and 5, or who have no age",
    "not (city contains \"x\")": 'whose city does not contain "x" (ignoring case), or who have no city',
    "not interests has \"x\"": 'whose interests do not include "x", or who have no interests',
    "not top 10 by age": "who are not among the top 10 customers by age",
    "not (signup_date in last 30 days)": "whose signup date is not in the last 30 days, or who have no signup date",
    "did \"email_open\" exactly 0 times": 'who never did "email_open"',
    "not did \"email_open\" at most 2 times": 'who did "email_open" more than twice',
    "not did \"email_open\" in last 7 days": 'who did not do "email_open" in the last 7 days',
    "has no orders where amount > 3": "who have no orders whose amount is more than 3",
    "count(orders) < 3": "whose number of orders is less than 3 (including customers with no orders)",
    "(phone is set) = false": "who have no phone",
    "adult = true": "whose age is at least 18 (the trait `adult`)",
}


@pytest.mark.parametrize("cond", list(NEGATIONS))
def test_negations_and_idioms(tmp_path, cond):
    import shutil

    import segdsl
    from segdsl.explain import explain

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text(f"trait adult = age >= 18\nsegment s where {cond}\n")
    summary = explain(segdsl.load_project(tmp_path), "s").summary()
    assert summary.startswith(f"Customers {NEGATIONS[cond]}"), summary


def _samples():
    """One instance of every IR node type, over the acme schema."""
    import datetime as dt
    from decimal import Decimal

    from segdsl import ir
    from segdsl.types import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Type

    age = ir.Col("age", INTEGER)
    amount = ir.RelCol("orders", "amount", NUMBER)
    paid = ir.Cmp("=", ir.RelCol("orders", "status", STRING), ir.Lit("paid", STRING))
    adult = ir.Cmp(">=", age, ir.lit_int(18))
    values = [age, amount, ir.Lit(3, INTEGER), ir.Today(), ir.Now(), ir.ShiftDate(ir.Today(), -3, "day"),
              ir.StartOf(ir.Today(), "quarter"),
              ir.LocalDate(ir.RelCol("orders", "ordered_at", Type("timestamp"))),
              ir.Arith("+", age, ir.lit_int(1), INTEGER), ir.Neg(age, INTEGER),
              ir.Func("abs", (age,), INTEGER), ir.Agg("sum", "orders", amount, paid, NUMBER),
              ir.Percentile(age), ir.Bucket(age, 4), ir.CondValue(adult),
              ir.ScoreValue(((adult, Decimal(5)),), INTEGER),
              ir.FamilyValue("stage", ((adult, "adult"),), "minor", STRING),
              ir.HashBucket("ab_test", "", ir.Col("customer_id", INTEGER)),
              ir.FirstMatch(((adult, "adult"),), STRING)]
    conds = [adult, ir.InSet(age, (ir.lit_int(1),)), ir.IsSet(age),
             ir.Text("contains", ir.Col("city", STRING), "bo"),
             ir.ListHas(ir.Col("interests", Type("list", "string")), ir.Lit("x", STRING)),
             ir.Truthy(ir.Col("is_subscribed", BOOLEAN)), ir.Ranked("top", age, 10, None),
             ir.SegmentRef("s2", adult), ir.InSnapshot("s2", ir.Lit(dt.date(2024, 1, 1), DATE)),
             ir.And((adult, adult)), ir.Or((adult, adult)), ir.Not(adult), ir.Const(True),
             ir.Anniversary(ir.Col("signup_date", DATE), ir.Today(), ir.ShiftDate(ir.Today(), 6, "day")),
             ir.Sequence("orders", ir.RelCol("orders", "ordered_at", Type("timestamp")), ("paid", "refunded"),
                         (paid, ir.Const(True)), (None, 86_400), ((), ()), (False, False), True, ir.Now())]
    return values, conds


def test_every_ir_node_type_has_a_phrase():
    """A phrase for one instance of every node of the IR's Value and Cond unions; a node
    added to the IR without a sample here fails, and so does a phrase naming a class."""
    import typing

    from segdsl import ir
    from segdsl.explain.phrases import Phrases

    values, conds = _samples()
    assert {type(v) for v in values} == set(typing.get_args(ir.Value))
    assert {type(c) for c in conds} == set(typing.get_args(ir.Cond))
    phrases = Phrases(project("examples"))
    classes = {c.__name__ for c in typing.get_args(ir.Value) + typing.get_args(ir.Cond)}
    texts = [phrases.value(v) for v in values] + [phrases.inline(c, None) for c in conds]
    texts += [phrases.inline(ir.Not(c), None) for c in conds]
    for text in texts:
        assert text and not any(c in text for c in classes), text


@pytest.mark.parametrize("source, expected", [
    # the filter of an unbracketed `did ... where` ends at `or`: the second city is the customer's
    ('did "workshop_registered" where city = "Boston" or city = "Cambridge"',
     ['Customers who meet at least one of these:',
      '  - who did "workshop_registered", counting only events whose city is "Boston"',
      '  - whose city is "Cambridge"']),
    ('did "workshop_registered" where (city = "Boston" or city = "Cambridge")',
     ['Customers who did "workshop_registered", counting only events (whose city is "Boston" or '
      'whose city', 'is "Cambridge").']),
    ("is_subscribed", ["Customers who are subscribed."]),
    ("not is_subscribed", ["Customers who are not subscribed (false or missing)."]),
    ("last_order_at before 180 days ago",
     ["Customers whose last order date (date of the latest of their orders) is before 180 days ago."]),
])
def test_explanation_follows_the_tree_in_plain_words(tmp_path, source, expected):
    import shutil

    import segdsl
    from segdsl.explain import explain

    shutil.copy(ROOT / "examples" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "a.seg").write_text(f"trait last_order_at = max(orders.ordered_at)\nsegment s where {source}\n")
    text = explain(segdsl.load_project(tmp_path), "s").text()
    assert text.splitlines()[3:] == expected
