"""The grammar and the parser: LALR without conflicts, positions, recovery, limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from segdsl.syntax import ast
from segdsl.syntax.grammar import build_parser
from segdsl.syntax.parse import MAX_DEPTH, parse_source


def parse(text: str):
    f, diags = parse_source(text, "t.seg")
    return f.definitions, diags


def test_grammar_builds_in_strict_mode():
    # strict=True turns every LALR conflict (which Lark would otherwise resolve silently)
    # and every terminal collision into an error.
    build_parser(strict=True)


def test_positions_are_one_based_and_span_the_token():
    (seg,), diags = parse('segment a where\n  region = "West Coast"')
    assert not diags
    cmp = seg.where
    assert (cmp.span.line, cmp.span.col, cmp.span.end_line, cmp.span.end_col) == (2, 3, 2, 24)
    assert (seg.name_span.line, seg.name_span.col) == (1, 9)


def test_precedence_not_binds_tighter_than_and_tighter_than_or():
    (seg,), _ = parse("segment a where not x or y and z")
    assert isinstance(seg.where, ast.Or)
    left, right = seg.where.items
    assert isinstance(left, ast.Not) and isinstance(right, ast.And)


def test_between_takes_its_own_and():
    (seg,), _ = parse("segment a where age between 1 and 5 and is_subscribed")
    assert isinstance(seg.where, ast.And)
    assert isinstance(seg.where.items[0], ast.Between)


def test_did_filter_ends_at_and():
    (seg,), _ = parse('segment a where did "workshop_registered" where city = "Boston" and not did "unsubscribed"')
    did, neg = seg.where.items
    assert isinstance(did, ast.Did) and isinstance(did.filter, ast.Compare)
    assert isinstance(neg, ast.Not)


def test_score_rules_end_at_line_breaks():
    text = 'score s {\n  +10 when x >= 3\n  +20 when did "d"\n\n  # note\n  -15 when (a\n    or b)\n}'
    (score,), diags = parse(text)
    assert not diags
    assert [r.points for r in score.rules] == [Decimal(10), Decimal(20), Decimal(-15)]
    assert isinstance(score.rules[0].condition, ast.Compare)
    assert isinstance(score.rules[0].condition.right, ast.Number)


def test_line_breaks_mean_nothing_outside_scores():
    (seg,), diags = parse("segment a where age > 1\n   and age < 5\n   or\n   age = 9")
    assert not diags and isinstance(seg.where, ast.Or)


def test_block_form_with_metadata():
    text = 'segment v "VIPs" {\n description: "d"\n owner: "o@x"\n tags: [value, "b c"]\n where age > 1\n}'
    (seg,), diags = parse(text)
    assert not diags
    assert seg.title == "VIPs"
    assert [(m.key, m.value) for m in seg.meta] == [("description", "d"), ("owner", "o@x"), ("tags", ("value", "b c"))]


def test_string_escapes():
    (seg,), diags = parse(r'segment a where city = "a\"b\\c\n"')
    assert not diags
    assert seg.where.right.value == 'a"b\\c\n'


def test_unknown_escape_is_reported():
    _, diags = parse(r'segment a where city = "a\qb"')
    assert [d.code for d in diags] == ["SEG0108"]


def test_a_length_moves_the_date_before_it_and_ago_still_counts_back():
    (seg,), diags = parse("segment a where renewal_date before signup_date + 365 days - 1 month and x after 3 days ago")
    assert not diags
    moved, back = seg.where.items
    assert isinstance(moved.right, ast.Arith) and isinstance(moved.right.right, ast.Length)
    assert isinstance(moved.right.left, ast.Arith) and moved.right.left.right.duration.unit == "days"
    assert isinstance(back.right, ast.Ago)


def test_anniversary_takes_a_window_or_today():
    (a, b), diags = parse("segment a where birth_date anniversary in next 7 days\n"
                          "segment b where signup_date + 1 day anniversary today and anniversary > 1")
    assert not diags
    assert isinstance(a.where, ast.Anniversary) and a.where.window.direction == "next"
    first, second = b.where.items
    assert isinstance(first, ast.Anniversary) and first.window is None and isinstance(first.value, ast.Arith)
    assert isinstance(second.left, ast.Ref) and second.left.name == "anniversary"  # only a keyword after a value


def test_contextual_keywords_can_be_segment_names():
    (seg,), diags = parse("segment last where top 10 by age")
    assert not diags and seg.name == "last"


def test_reserved_words_are_not_field_names():
    _, diags = parse("segment a where age >= and plan = 1")
    assert diags[0].message == "expected a value after `>=`, found `and`"


def test_one_error_per_definition_and_the_rest_still_parsed():
    text = "segment a where age >\nsegment b where age > 1\nsegment c where (age\ntrait t = 1"
    defs, diags = parse(text)
    assert [d.name for d in defs] == ["b", "t"]
    assert [(d.code, d.span.line) for d in diags] == [("SEG0101", 1), ("SEG0101", 3)]


def test_end_of_file_error_points_after_the_last_token():
    _, diags = parse("segment a where age >")
    (d,) = diags
    assert (d.span.line, d.span.col) == (1, 22)
    assert "found the end of the file" in d.message


def test_unterminated_string():
    _, diags = parse('segment a where city = "Bos\nsegment b where age > 1')
    assert diags[0].code == "SEG0103"


def test_nul_byte_is_rejected_before_parsing():
    _, diags = parse("segment a where age > 1\x00")
    assert [d.code for d in diags] == ["SEG0105"]


@pytest.mark.parametrize("text", [
    "segment a where " + "(" * 5000 + "age > 1" + ")" * 5000,
    "segment a where " + "not " * 3000 + "is_subscribed",
    "segment a where " + "- " * 3000 + "1 > 0",
    "segment a where " + " + ".join(["1"] * 3000) + " > 0",
])
def test_deep_nesting_is_a_diagnostic_not_a_crash(text):
    _, diags = parse(text)
    assert [d.code for d in diags] == ["SEG0106"]
    assert str(MAX_DEPTH) in diags[0].message


def test_long_flat_chains_are_fine():
    defs, diags = parse("segment a where " + " and ".join(["age > 1"] * 3000))
    assert not diags and len(defs[0].where.items) == 3000


def test_huge_file_is_rejected_before_parsing():
    _, diags = parse("segment a where age > 1\n" * 100_000)
    assert [d.code for d in diags] == ["SEG0107"]


def test_equality_of_asts_ignores_positions():
    (a,), _ = parse("segment a where age>1 and plan=\"pro\"")
    (b,), _ = parse("segment a where\n  age > 1\n  and plan = \"pro\"")
    assert a == b


def test_every_terminal_has_a_human_name():
    """No message names an internal token: every terminal of the grammar has words."""
    import re

    from segdsl.syntax.grammar import parser
    from segdsl.syntax.messages import terminal_words

    words = terminal_words(parser())
    for t in parser().terminals:
        assert t.name in words, t.name
        shown = words[t.name]
        assert not re.search(r"\b[A-Z_]{2,}\b", shown.replace("YYYY-MM-DD", "")), (t.name, shown)


def test_a_definition_cut_by_the_next_one_is_not_the_end_of_the_file():
    _, diags = parse("segment a where age > 3 and in\nsegment b where age > 5\n")
    (d,) = diags
    assert d.span.line == 1 and "end of the file" not in d.message
    assert "new definition on line 2" in d.message


@pytest.mark.parametrize("text, hint", [
    ("segmnt a where age > 3", "did you mean `segment`?"),
    ("segment a wher age > 3", "did you mean `where`?"),
    ("segment a where age > 3 AND age < 5", "keywords are lowercase: write `and`"),
    ("segment a where signup_date in last 30 dayz", "did you mean `days`?"),
    ("segment a where signup_date in last 30 dya", "did you mean `day`?"),
])
def test_keyword_typos_get_a_did_you_mean_and_a_fix(text, hint):
    _, (d,) = parse(text)
    assert hint in d.hints
    assert d.fixes and d.fixes[0].replacement in hint


@pytest.mark.parametrize("text, replacement", [
    ("segment a where city = “Boston”", '"Boston"'),
    ("segment a where age ≥ 3", ">="),
    ("segment a where age > 3 && age < 5", "and"),
    ("segment a where age > 3 || age < 5", "or"),
    ("segment a where income > 1e6", "1000000"),
    ("segment a where income > 2.5E3", "2500"),
    ("segment a where top 10 % by income", "%"),
    ("segment a where age <> 3", "!="),
    ("segment a where city = 'Boston'", '"Boston"'),
])
def test_look_alike_characters_get_a_fix(text, replacement):
    _, (d,) = parse(text)
    assert [f.replacement for f in d.fixes] == [replacement]
    fixed = text.splitlines()[0]
    span = d.fixes[0].span
    fixed = fixed[:span.col - 1] + replacement + fixed[span.end_col - 1:]
    assert parse(fixed)[1] == [], fixed


def test_a_dropped_definition_causes_no_follow_on_errors():
    from segdsl.syntax.parse import parse_source

    f, diags = parse_source("segment a where age >\ntrait t = count(\nsegment b where in segment a and t > 1\n",
                            "t.seg")
    assert len(diags) == 2 and f.broken == ("a", "t")


_META = ("line", "column", "end_line", "end_column", "start_pos", "end_pos", "container_line",
         "container_column", "container_start_pos", "container_end_line", "container_end_column",
         "container_end_pos", "empty")


def _metas(tree):
    from lark import Tree

    return [(t.data, tuple(getattr(t.meta, a, None) for a in _META))
            for t in tree.iter_subtrees_topdown() if isinstance(t, Tree)]


def test_faster_positions_give_larks_own_positions():
    # `Positions` replaces Lark's position propagation for speed; every tree of every
    # definition in the repository's .seg files must get the positions Lark gives it
    from pathlib import Path

    from segdsl.syntax.grammar import faster_positions
    from segdsl.syntax.parse import _chunks

    root = Path(__file__).resolve().parents[1]
    files = [p for folder in ("examples", "tests", "bench/project")
             for p in sorted((root / folder).rglob("*.seg"))]
    larks, ours = build_parser(), faster_positions(build_parser())
    compared = 0
    for path in files:
        for _, chunk, _ in _chunks(path.read_text(encoding="utf-8")):
            try:
                expected = larks.parse(chunk)
            except Exception:  # a file of syntax errors: nothing to compare
                continue
            assert _metas(ours.parse(chunk)) == _metas(expected), (path, chunk)
            compared += 1
    assert compared > 500
