"""Splits and holdouts in the front end: the checker's diagnostics, the formatter, explain,
and SQL for every dialect. Members are proven in tests/test_v2_members.py (project `splits`),
buckets in tests/test_split_buckets.py, group sizes in tests/test_split_sizes.py."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = (ROOT / "tests" / "cases" / "splits" / "segdsl.toml").read_text(encoding="utf-8")
AB = 'split ab {\n  control 10%\n  treatment 90%\n}\n'


def _project(text: str, schema: str = SCHEMA):
    import segdsl

    return segdsl.Project.from_sources(schema, {"example.seg": text})


def _diagnostics(text: str, schema: str = SCHEMA) -> list:
    return _project(text, schema).check()


def _one(text: str, code: str, schema: str = SCHEMA):
    found = [d for d in _diagnostics(text, schema) if d.code == code]
    assert len(found) == 1, [str(d) for d in _diagnostics(text, schema)]
    return found[0]


# ---- the checker ----------------------------------------------------------------------------


def test_a_valid_split_and_holdout_check_cleanly():
    text = AB + 'split s2 salt "x" where age > 3 {\n  a 33.33%\n  b 33.33%\n  c 33.34%\n}\n' \
        'holdout h 5%\nsegment s where in segment ab.control and not in segment h and s2 = "b"\n'
    assert _diagnostics(text) == []


def test_shares_short_of_100_name_the_gap_and_offer_to_fill_it():
    d = _one('split ab {\n  control 10%\n  treatment 80%\n}\n', "SEG0355")
    assert "add up to 90%: 10% of customers are in no group" in d.message
    assert [f.replacement for f in d.fixes] == ["90"]


def test_shares_over_100_name_the_excess():
    d = _one('split ab {\n  control 20%\n  treatment 90%\n}\n', "SEG0355")
    assert "add up to 110%: 10% too many" in d.message


def test_a_gap_of_a_hundredth_of_a_percent_is_named():
    d = _one('split ab {\n  a 33.33%\n  b 33.33%\n  c 33.33%\n}\n', "SEG0355")
    assert "add up to 99.99%: 0.01% of customers" in d.message


@pytest.mark.parametrize("share", ["10.005", "0", "0.00", "100.01"])
def test_a_share_has_at_most_two_decimals_and_is_above_0_up_to_100(share):
    d = _one(f"holdout h {share}%\n", "SEG0356")
    assert d.span.line == 1 and d.span.col == 11


def test_a_holdout_need_not_add_up_to_100():
    assert _diagnostics("holdout h 0.01%\nholdout everyone 100%\n") == []


@pytest.mark.parametrize("key_type", ["date", "number", "boolean", "timestamp"])
def test_keys_other_than_integer_and_text_are_an_error(key_type):
    schema = SCHEMA.replace('customer_id = "integer"', f'customer_id = "{key_type}"')
    d = _one("holdout h 5%\n", "SEG0357", schema)
    assert "customer_id" in d.message


def test_a_text_key_is_hashed():
    schema = SCHEMA.replace('customer_id = "integer"', 'customer_id = "string"')
    assert _diagnostics("holdout h 5%\n", schema) == []


def test_a_group_given_twice():
    d = _one('split ab {\n  control 50%\n  control 50%\n}\n', "SEG0358")
    assert d.span.line == 3 and d.related[0][0].line == 2


def test_a_misspelt_group_gets_a_did_you_mean_and_a_fix():
    d = _one(AB + "segment s where in segment ab.contrl\n", "SEG0359")
    assert "did you mean `control`?" in d.hints
    assert [f.replacement for f in d.fixes] == ["control"]
    assert (d.fixes[0].span.col, d.fixes[0].span.end_col) == (31, 37)


def test_a_group_of_something_that_is_not_a_split():
    assert "is a segment, not a split" in _one("segment t where age > 3\nsegment s where in segment t.x\n",
                                              "SEG0360").message
    assert "is a holdout, not a split" in _one("holdout h 5%\nsegment s where in segment h.h\n", "SEG0360").message
    d = _one(AB + "segment s where in segment abb.control\n", "SEG0360")
    assert "did you mean `ab`?" in d.hints


def test_a_split_is_not_a_segment_but_its_groups_are():
    d = _one(AB + "segment s where in segment ab\n", "SEG0361")
    assert [f.replacement for f in d.fixes] == ["ab.control", "ab.treatment"]


def test_a_split_without_groups():
    _one("split ab {\n}\n", "SEG0362")


def test_the_split_as_a_value_is_its_group_name_with_did_you_mean():
    d = _one(AB + 'segment s where ab = "contrl"\n', "SEG0302")
    assert "did you mean `control`?" in d.hints


def test_a_population_using_its_own_groups_is_a_cycle():
    _one("split ab where in segment ab.control {\n  control 10%\n  treatment 90%\n}\n", "SEG0202")


def test_a_holdout_is_a_segment_not_a_value():
    _one("holdout h 5%\nsegment s where h = 1\n", "SEG0211")


def test_a_split_and_a_segment_share_one_namespace():
    _one(AB + "segment ab where age > 1\n", "SEG0201")


def test_the_holdout_is_compiled_as_a_segment_and_listed():
    p = _project("holdout h 5%\n")
    assert "h" in p.segment_names()
    assert "MD5" in p.compile("h", dialect="duckdb", as_of="2024-06-30")


# ---- SQL for every dialect --------------------------------------------------------------------

DIALECTS = ["duckdb", "postgres", "bigquery", "spark", "databricks", "clickhouse"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_compiles_a_split_that_sqlglot_reads_back(dialect):
    import sqlglot

    text = AB + "holdout h 5%\nsegment s where in segment ab.treatment and not in segment h and ab is set\n"
    sql = _project(text).compile("s", dialect=dialect, as_of="2024-06-30")
    sqlglot.parse_one(sql, read=dialect)
    assert "'segdsl|ab||'" in sql and "'segdsl|h|h|'" in sql


def test_the_hashed_text_is_an_escaped_literal():
    text = 'split ab salt "it\'s \\"q\\"" {\n  a 50%\n  b 50%\n}\nsegment s where in segment ab.a\n'
    assert _diagnostics(text) == []
    sql = _project(text).compile("s", dialect="postgres", as_of="2024-06-30")
    assert "'segdsl|ab|it''s \"q\"|'" in sql


def test_a_missing_key_is_in_no_group_even_of_100_percent():
    from segdsl import ir

    p = _project("holdout everyone 100%\n")
    cond = p.segment_ir("everyone")
    assert isinstance(cond, ir.IsSet) and isinstance(cond.value, ir.HashBucket)


# ---- formatter and explain ------------------------------------------------------------------


def test_fmt_writes_splits_canonically_and_keeps_comments():
    from segdsl.format import format_source

    text = ('# the experiment\nsplit  ab salt "v2"   where age>=30 {\n  # small\n  control 010.50%  # kept\n'
            '  treatment 89.5%\n}\nholdout   h 5.0%  # all\n')
    expected = ('# the experiment\nsplit ab salt "v2" where age >= 30 {\n  # small\n  control 10.5%  # kept\n'
                '  treatment 89.5%\n}\nholdout h 5.0%  # all\n')
    assert format_source(text, "x.seg") == expected
    assert format_source(expected, "x.seg") == expected


def test_fmt_breaks_a_long_population_and_reads_back_the_same():
    from segdsl.format import format_source
    from segdsl.syntax.parse import parse_source

    cond = " and ".join(f'city != "city number {i}"' for i in range(6))
    text = f"split ab where {cond} {{\n  a 50%\n  b 50%\n}}\n"
    out = format_source(text, "x.seg")
    assert out.startswith('split ab where city != "city number 0"\n  and city != "city number 1"\n')
    assert '  and city != "city number 5" {\n  a 50%\n' in out
    assert parse_source(out, "x.seg")[0] == parse_source(text, "x.seg")[0]


def test_explain_says_how_the_bucket_is_drawn():
    from segdsl.explain import explain

    found = explain(_project("holdout h 5%\n"), "h")
    assert found is not None
    text = found.summary()
    assert "md5" in text and "less than 500" in text


# ---- the language server's incremental check ------------------------------------------------

SPLIT_EDITS = [
    ("s.seg", AB + "holdout h 5%\nsegment sa where in segment ab.control and not in segment h\n"),
    ("d.seg", 'segment uses where ab = "treatment" and in segment h\n'),
    # the group used elsewhere is renamed: the user of the group is checked again
    ("s.seg", "split ab {\n  ctrl 10%\n  treatment 90%\n}\nholdout h 5%\n"
              "segment sa where in segment ab.control and not in segment h\n"),
    ("s.seg", "split ab {\n  control 10%\n  treatment 80%\n}\nholdout h 5%\n"),
    ("s.seg", AB + "holdout h 5%\n"),
    ("d.seg", 'segment uses where ab = "treatment" and in segment h and in segment ab.treatment\n'),
]


def test_the_incremental_check_equals_the_full_check_through_split_edits(tmp_path):
    from segdsl.lsp.workspace import ProjectState
    from tests.lsp.test_incremental import _mine, _reference, _same

    root = tmp_path / "proj"
    root.mkdir()
    (root / "segdsl.toml").write_text(SCHEMA, encoding="utf-8")
    (root / "a.seg").write_text("segment adults where age >= 30\n", encoding="utf-8")
    state = ProjectState(root)
    state.check()
    for name, text in SPLIT_EDITS:
        path = str(root / name)
        state.overlay[path] = text
        mine = _mine(state, state.check({path}))
        _same(mine, _reference(state, tmp_path / "ref"), (name, text))


def test_a_group_of_a_split_compiles_by_its_dotted_name():
    p = _project(AB)
    sql = p.compile("ab.control", dialect="duckdb", as_of="2024-06-30")
    assert "< 1000" in sql and "'segdsl|ab||'" in sql
    assert "ab.control" not in p.segment_names()  # listed through its split, not as a segment


def test_an_error_in_a_split_blocks_the_segments_using_its_groups_only():
    import segdsl

    text = 'split ab {\n  control 10%\n  treatment 80%\n}\nsegment s where in segment ab.control\n' \
           'segment other where age > 3\n'
    p = _project(text)
    assert [d.code for d in p.blocking("s")] == ["SEG0355"]
    assert [d.code for d in p.blocking("ab.control")] == ["SEG0355"]
    assert p.blocking("other") == []
    with pytest.raises(segdsl.CompileError):
        p.compile("s", dialect="duckdb")


def test_groups_run_when_named_but_not_by_default():
    from segdsl.cli.run_cmd import group_names, select_segments

    p = _project(AB + "segment s where age > 1\n")
    assert group_names(p) == ["ab.control", "ab.treatment"]
    assert select_segments(p.segment_names(), None, (), group_names(p)) == ["s"]
    assert select_segments(p.segment_names(), ["ab.control"], (), group_names(p)) == ["ab.control"]
    with pytest.raises(KeyError, match="did you mean `ab.control`"):
        select_segments(p.segment_names(), ["ab.contrl"], (), group_names(p))
    assert p.compile_batch(["s", "ab.control"], dialect="duckdb").startswith("SELECT")
