"""`segdsl fmt`: the canonical layout, and the properties that make it safe to run in a
pre-commit hook, checked over every .seg file of the repository:

- idempotent: fmt(fmt(x)) == fmt(x)
- meaning preserved: parse(fmt(x)) == parse(x) (AST equality ignores positions; numbers are
  compared in their canonical spelling, `1.50` == `1.5`)
- no comment dropped
- files with syntax errors are refused with their diagnostics
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import stat
import subprocess
import sys
from typing import get_args

import pytest

from segdsl.format import FormatError, canonical, format_source
from segdsl.format.comments import scan
from segdsl.syntax import ast
from segdsl.syntax.parse import parse_source
from tests.projects import ROOT

CORPUS = sorted(p for folder in ("examples", "tests") for p in (ROOT / folder).rglob("*.seg"))
IDS = [str(p.relative_to(ROOT)) for p in CORPUS]


def _parses(text: str) -> bool:
    return not any(d.is_error for d in parse_source(text, "x.seg")[1])


def assert_safe(text: str, path: str = "x.seg") -> str:
    out = format_source(text, path)
    assert format_source(out, path) == out, "not idempotent"
    assert canonical(parse_source(out, path)[0]) == canonical(parse_source(text, path)[0])
    printed = " ".join(c.text for c in scan(out))
    for c in scan(text):
        assert c.text in printed, f"comment dropped: {c.text}"
    return out


@pytest.mark.parametrize("width", [100, 40, 12])
@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_corpus_properties(path, width, monkeypatch):
    import segdsl.format.layout as layout

    monkeypatch.setattr(layout, "WIDTH", width)  # narrow widths exercise the broken layouts
    text = path.read_text(encoding="utf-8")
    if not _parses(text):
        with pytest.raises(FormatError) as refused:
            format_source(text, str(path))
        assert refused.value.diagnostics and all(d.is_error for d in refused.value.diagnostics)
        return
    assert_safe(text, str(path))


@pytest.mark.parametrize("seed", range(40))
def test_comments_anywhere_in_the_corpus(seed):
    """Comments (own-line and end-of-line) and line breaks inserted at random token
    boundaries of corpus files: every variant that still parses formats safely."""
    rng = random.Random(seed)
    path = rng.choice([p for p in CORPUS if _parses(p.read_text(encoding="utf-8"))])
    base = path.read_text(encoding="utf-8")
    spots = [m.end() for m in re.finditer(r'[ ()\[\],{}]|"(?:[^"\\\n]|\\.)*"', base)]
    text = base
    for spot in sorted(rng.sample(spots, min(len(spots), 8)), reverse=True):
        line_start = text.rfind("\n", 0, spot) + 1
        if "#" in text[line_start:spot]:
            continue
        text = text[:spot] + rng.choice(["\n# own line\n", "  # end of line\n", "\n  "]) + text[spot:]
    if _parses(text):
        assert_safe(text, str(path))


LAYOUT_IN = '''\


# header comment

# about a
segment a where age > 3 # short
segment   b   "Title \\"x\\"" {
  description: "desc"   # eol desc
  where (age > 3 or age < 1) and (plan = "pro" or
     plan = "basic")
  tags: [a, "b c", "x"]
  # before the brace
}
segment c where age > 3
  # a comment above an item keeps the chain broken
  and plan = "pro"
segment d where a and b or c and (d or e) or not (x and y)
segment e where not (a1 > 007.50 or b1 = 1.0) and did "x" at least 1 times where (city = "a" or city = "b") and has no orders in last 1 day
score s {  # header
  +10 when age > 3
  -2.50 when (age > 3 and
     # inside a rule
     plan = "pro")
}
trait t = -(-x) + - -3
# trailing
'''

LAYOUT_OUT = '''\
# header comment

# about a
segment a where age > 3  # short
segment b "Title \\"x\\"" {
  description: "desc"  # eol desc
  tags: [a, "b c", x]
  where (age > 3 or age < 1) and (plan = "pro" or plan = "basic")
  # before the brace
}
segment c {
  where age > 3
    # a comment above an item keeps the chain broken
    and plan = "pro"
}
segment d where (a and b) or (c and (d or e)) or not (x and y)
segment e {
  where not (a1 > 7.5 or b1 = 1.0)
    and did "x" at least 1 time where (city = "a" or city = "b")
    and has no orders in last 1 day
}
score s {  # header
  +10 when age > 3
  -2.5 when (
    age > 3
    # inside a rule
    and plan = "pro"
  )
}
trait t = -(-x) + -(-3)
# trailing
'''


def test_canonical_layout():
    assert assert_safe(LAYOUT_IN) == LAYOUT_OUT


def test_long_chains_break_one_item_per_line():
    items = " and ".join(f'city = "town number {i}"' for i in range(6))
    out = assert_safe(f"segment long where {items} or age > 3\n")
    assert out.splitlines()[:3] == ["segment long {", "  where", "    ("]
    assert '      and city = "town number 1"' in out.splitlines()
    assert out.splitlines()[-3:] == ["    )", "    or age > 3", "}"]


def test_literals_are_spelled_canonically():
    out = assert_safe('segment x where income > 0100.250 and city = "a\\\\b\\"c" and day on 2024-02-29\n')
    assert out == 'segment x where income > 100.25 and city = "a\\\\b\\"c" and day on 2024-02-29\n'
    assert assert_safe("trait t = round(x, 2.0)\n") == "trait t = round(x, 2.0)\n"  # 2.0 stays a number


def test_end_of_line_comments_of_joined_lines_are_kept_in_order():
    out = assert_safe('segment a where age > 3  # first\n  and plan = "pro"  # second\n')
    assert out == 'segment a where age > 3 and plan = "pro"  # first  # second\n'


def test_score_rules_break_inside_parentheses():
    # a line break ends a score rule, so a broken condition must stand in parentheses
    cond = " and ".join(f"count(events where name = \"email_open\") >= {i}" for i in range(4))
    out = assert_safe(f"score s {{\n  +1 when {cond}\n}}\n")
    assert "  +1 when (" in out and out.rstrip().endswith("  )\n}".rstrip())


def test_syntax_errors_are_refused_with_the_diagnostic():
    with pytest.raises(FormatError) as e:
        format_source("segment a where age >\nsegment b where age > 3\n", "bad.seg")
    assert [d.code for d in e.value.diagnostics] == ["SEG0101"]
    assert str(e.value).startswith("bad.seg:1:")


def test_empty_and_comment_only_files():
    assert format_source("") == ""
    assert format_source("\n\n  \n") == ""
    assert format_source("# only\n\n\n# comments") == "# only\n\n# comments\n"
    assert format_source("\ufeffsegment a where x\r\n") == "segment a where x\n"


# ---- every AST node type -----------------------------------------------------------------------
# One sample per node type of ast.Expr and ast.Definition, written loosely, with its canonical
# spelling. The formatter's visitors are `match` statements ending in assert_never, so mypy names
# any that misses a new node; this table fails until the new node has a sample.

NODE_SAMPLES: dict[type, tuple[str, str]] = {
    ast.Number: ("trait t = 007", "trait t = 7"),
    ast.String: ('segment s where email="a\\"b"', 'segment s where email = "a\\"b"'),
    ast.DateLit: ("segment s where signup_date=2024-01-05", "segment s where signup_date = 2024-01-05"),
    ast.Bool: ("segment s where is_subscribed=true", "segment s where is_subscribed = true"),
    ast.Today: ("segment s where signup_date<today", "segment s where signup_date < today"),
    ast.Ago: ("segment s where signup_date before  30 days  ago",
              "segment s where signup_date before 30 days ago"),
    ast.Ref: ("trait t =  age", "trait t = age"),
    ast.Dotted: ("trait t = orders . amount", "trait t = orders.amount"),  # reported by the checker
    ast.Call: ("trait t = round(income,2)", "trait t = round(income, 2)"),
    ast.Aggregate: ('trait t = sum(orders.amount in last 7 days where status="paid")',
                    'trait t = sum(orders.amount in last 7 days where status = "paid")'),
    ast.Negate: ("trait t = - - age", "trait t = -(-age)"),
    ast.Arith: ("trait t = (age*(2+1))", "trait t = age * (2 + 1)"),
    ast.Or: ("segment s where age>1 or age<0 and age=5", "segment s where age > 1 or (age < 0 and age = 5)"),
    ast.And: ("segment s where (age>1) and (age<9)", "segment s where age > 1 and age < 9"),
    ast.Not: ("segment s where not(is_subscribed)", "segment s where not is_subscribed"),
    ast.Compare: ("segment s where age!=3", "segment s where age != 3"),
    ast.InList: ('segment s where plan not in ["free","basic"]', 'segment s where plan not in ["free", "basic"]'),
    ast.Between: ("segment s where age between 18 and(30)", "segment s where age between 18 and 30"),
    ast.IsSet: ("segment s where email is  not set", "segment s where email is not set"),
    ast.TextMatch: ('segment s where email ends  with "@x.com"', 'segment s where email ends with "@x.com"'),
    ast.ListHas: ('segment s where interests has any ["golf","tennis"]',
                  'segment s where interests has any ["golf", "tennis"]'),
    ast.InWindow: ("segment s where signup_date in last 3 months", "segment s where signup_date in last 3 months"),
    ast.Anniversary: ("segment s where signup_date  anniversary  in next 7 days or signup_date anniversary today",
                      "segment s where signup_date anniversary in next 7 days or signup_date anniversary today"),
    ast.Length: ("segment s where signup_date<signup_date+ 30  days-1 month",
                 "segment s where signup_date < signup_date + 30 days - 1 month"),
    ast.HasRows: ("segment s where has no orders in last 30 days where amount>10",
                  "segment s where has no orders in last 30 days where amount > 10"),
    ast.Did: ('segment s where did "email_open" at least 02 times in last 7 days',
              'segment s where did "email_open" at least 2 times in last 7 days'),
    ast.InSegment: ("segment s where in  segment other", "segment s where in segment other"),
    ast.InSnapshot: ("segment s where in snapshot other at 2024-01-01",
                     "segment s where in snapshot other at 2024-01-01"),
    ast.Rank: ("segment s where top 10.0% by sum(orders.amount)", "segment s where top 10.0% by sum(orders.amount)"),
    ast.Lifecycle: ('segment s where did "email_open" in at least 02 of last 4 weeks where city="x"',
                    'segment s where did "email_open" in at least 2 of last 4 weeks where city = "x"'),
    ast.SegmentDef: ('segment s "Title" {\n owner: "x@y"\n tags: [a, "b c"]\n where age>1 }',
                     'segment s "Title" {\n  owner: "x@y"\n  tags: [a, "b c"]\n  where age > 1\n}'),
    ast.TraitDef: ("trait t=age", "trait t = age"),
    ast.ScoreDef: ("score sc {\n+10 when is_subscribed\n -2.50 when age<18 }",
                   "score sc {\n  +10 when is_subscribed\n  -2.5 when age < 18\n}"),
    ast.FamilyDef: ('family   f "F"{ tags: [a]\n gold where x>=1000 silver where x >= 500 and\nage>1 else   rest }',
                    'family f "F" {\n  tags: [a]\n  gold where x >= 1000\n  silver where x >= 500 and age > 1\n'
                    '  else rest\n}'),
    ast.SplitDef: ('split ab salt "x" where age>1 {\n control 10.50%\n treatment  89.5% }',
                   'split ab salt "x" where age > 1 {\n  control 10.5%\n  treatment 89.5%\n}'),
}


def _node_types(node: object) -> set[type]:
    """The types of `node` and of every dataclass below it."""
    found, stack = set(), [node]
    while stack:
        n = stack.pop()
        if isinstance(n, tuple):
            stack.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, type):
            found.add(type(n))
            stack.extend(getattr(n, f.name) for f in dataclasses.fields(n))
    return found


def test_the_samples_cover_every_ast_node_type():
    expected = set(get_args(ast.Expr)) | set(get_args(ast.Definition))
    assert set(NODE_SAMPLES) == expected
    for cls, (text, _) in NODE_SAMPLES.items():
        tree, diagnostics = parse_source(text + "\n", "x.seg")
        assert not diagnostics, (cls, diagnostics)
        assert cls in _node_types(tree), cls


@pytest.mark.parametrize("cls", list(NODE_SAMPLES), ids=lambda c: c.__name__)
def test_the_formatter_handles_every_ast_node(cls):
    text, canonical_text = NODE_SAMPLES[cls]
    assert assert_safe(text + "\n") == canonical_text + "\n"


# the windows of relations written as date conditions, and rolling bands (smaller number first)
WINDOW_SAMPLES = [
    ('segment s where has orders between 90 and 30 days ago where amount>1',
     'segment s where has orders between 30 and 90 days ago where amount > 1'),
    ("segment s where signup_date between 4 and 1 months ago", "segment s where signup_date between 1 and 4 months ago"),
    ("segment s where signup_date between 1 and 4 months ago", "segment s where signup_date between 1 and 4 months ago"),
    ("trait t = count(orders  between 2024-01-01 and 2024-03-31)",
     "trait t = count(orders between 2024-01-01 and 2024-03-31)"),
    ('segment s where did "email_open" before  30 days ago', 'segment s where did "email_open" before 30 days ago'),
    ("segment s where has no orders after 2024-06-29", "segment s where has no orders after 2024-06-29"),
    ("trait t = last(orders.channel on today)", "trait t = last(orders.channel on today)"),
]


@pytest.mark.parametrize(("text", "canonical_text"), WINDOW_SAMPLES)
def test_relation_windows_and_bands(text, canonical_text):
    tree, diagnostics = parse_source(text + "\n", "x.seg")
    assert not diagnostics
    assert assert_safe(text + "\n") == canonical_text + "\n"


# ---- the command ------------------------------------------------------------------------------


def segdsl(*args, cwd=None, stdin=None):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, input=stdin)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_fmt_check_lists_files_and_changes_nothing(tmp_path):
    ugly = tmp_path / "ugly.seg"
    ugly.write_text("segment  a  where   age>3\n")
    (tmp_path / "fine.seg").write_text("segment b where age > 3\n")
    result = segdsl("fmt", "--check", tmp_path)
    assert result.returncode == 1
    assert "would reformat" in result.stderr and "ugly.seg" in result.stderr
    assert "fine.seg" not in result.stderr.replace("unchanged", "")
    assert ugly.read_text() == "segment  a  where   age>3\n"


def test_fmt_rewrites_atomically_and_keeps_the_mode(tmp_path):
    ugly = tmp_path / "ugly.seg"
    ugly.write_text("segment  a  where   age>3\n")
    os.chmod(ugly, 0o640)
    result = segdsl("fmt", ugly)
    assert result.returncode == 0, result.stderr
    assert ugly.read_text() == "segment a where age > 3\n"
    assert stat.S_IMODE(ugly.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ugly.seg"]  # no temporary file left
    assert segdsl("fmt", "--check", ugly).returncode == 0


def test_fmt_keeps_symbolic_links(tmp_path):
    target = tmp_path / "real.seg"
    target.write_text("segment  a  where   age>3\n")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "sub" / "link.seg"
    link.symlink_to(target)
    assert segdsl("fmt", link).returncode == 0
    assert link.is_symlink() and target.read_text() == "segment a where age > 3\n"


def test_fmt_refuses_files_with_syntax_errors(tmp_path):
    bad = tmp_path / "bad.seg"
    bad.write_text("segment  a  where   age >\n")
    result = segdsl("fmt", tmp_path)
    assert result.returncode == 1
    assert "error[SEG0101]" in result.stderr
    assert bad.read_text() == "segment  a  where   age >\n"


def test_fmt_diff_and_stdin(tmp_path):
    (tmp_path / "a.seg").write_text("segment a where age>3\n")
    diff = segdsl("fmt", "--diff", tmp_path)
    assert diff.returncode == 1 and "+segment a where age > 3" in diff.stdout
    piped = segdsl("fmt", "-", stdin="segment a where age>3\n")
    assert piped.returncode == 0 and piped.stdout == "segment a where age > 3\n"
    assert segdsl("fmt", "-", stdin="segment a where\n").returncode == 1


def test_shipped_examples_are_in_the_canonical_layout():
    """The example project is what new users copy and what CI's `fmt --check` gate is
    demonstrated on, so it must pass that gate itself."""
    result = segdsl("fmt", "--check", ROOT / "examples")
    assert result.returncode == 0, result.stdout + result.stderr


def test_fmt_usage_errors(tmp_path):
    assert segdsl("fmt", tmp_path / "missing.seg").returncode == 2


def test_reader_parentheses_never_push_a_file_past_the_nesting_limit():
    """`(a and b) or c` is one level deeper than `a and b or c`: near the parser's depth
    limit the formatter keeps only the parentheses the meaning needs."""
    def nested(n: int) -> str:
        e = "x"
        for i in range(n):
            e = f"a{i} and {e} or b{i}" if i % 2 == 0 else f"({e})"
        return f"segment s where {e}\n"

    deepest = max((n for n in range(2, 80, 2) if _parses(nested(n))), default=None)
    assert deepest is not None and not _parses(nested(deepest + 2))
    out = assert_safe(nested(deepest))
    assert _parses(out)
