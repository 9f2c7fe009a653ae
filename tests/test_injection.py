"""Text literals: exact round trip on every engine, and no way to change the SQL's shape.

For each hostile text v (quotes, backslashes including a trailing one, LIKE wildcards, SQL
comment and statement syntax, bidi controls, emoji, newlines via `\\n`, 100 kB) a project
compares `city` and `interests` with v in every way the language offers (=, !=, in, contains,
starts with, ends with, has), against rows holding v, v inside other text, v with its case
flipped, LIKE/escape decoys and a missing city. Each text is either rejected with a clear
diagnostic (NUL must be) or gives, on DuckDB, Postgres and ZetaSQL, exactly the members the
reference evaluator computes from the rows.

Shape: the compiled SQL, parsed back with sqlglot for its dialect, is the same tree as the SQL
compiled for a harmless text once every literal is replaced by a placeholder: user text only
ever lands inside a literal. Checked for the fixed texts and for random hostile ones.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.differential.harness import run_example
from tests.differential.example import Example
from tests.differential.program import quote

AS_OF = dt.date(2024, 6, 30)
DIALECTS = ("duckdb", "postgres", "bigquery")
TEXTS = {
    "apostrophe": "O'Brien",
    "double_quotes": 'say "hi"',
    "backslash": "back\\slash",
    "trailing_backslash": "trailing\\",
    "backslash_quote": "\\'",
    "escaped_quote_bigquery": "\\' OR 1=1 --",
    "statement": "'; DROP TABLE customers; --",
    "comment": "/* x */ -- y",
    "dollar_quotes": "$$ $tag$ x",
    "backtick": "`customers`",
    "percent": "100%",
    "underscore": "a_b",
    "like_pattern": "%_%\\%",
    "emoji": "emoji 😀👍🏽",
    "bidi": "abc \u202e fed \u2066x\u2069",
    "zero_width": "zero\u200bwidth",
    "newline": "line\nbreak",
    "tab_cr": "tab\tx\r",
    "non_ascii": "Zürich São ж",
    "unicode_line_separator": "a\u2028b",
    "long_100kb": "x'\\%" * 25_000,
}
REJECTED = {"nul": "a\x00b"}  # must be a diagnostic, never SQL

SEGMENTS = {
    "eq": "city = {v}", "ne": "city != {v}", "in_list": "city in [{v}, \"zz\"]",
    "contains": "city contains {v}", "starts": "city starts with {v}", "ends": "city ends with {v}",
    "list_has": "interests has {v}",
}


def _decoys(v: str) -> list[str | None]:
    rows = [v, f"pre{v}post", f"{v}post", f"pre{v}", v.swapcase(),
            v.replace("%", "X").replace("_", "Y"),  # what a LIKE pattern would also match
            v.replace("\\", "\\\\"), v.replace("'", "''")]  # what a wrong escape would compare
    return list(dict.fromkeys(rows)) + [None]  # each text once: `=` finds exactly row 1


def _example(v: str) -> Example:
    source = "\n".join(f"segment {n} where " + c.format(v=quote(v)) for n, c in SEGMENTS.items()) + "\n"
    rows = [{"customer_id": i + 1, "city": city, "interests": [city] if city is not None else None}
            for i, city in enumerate(_decoys(v))]
    return Example("UTC", AS_OF, source, {"customers": rows, "orders": [], "events": []})


@lru_cache(maxsize=None)
def _project(source: str):
    import segdsl

    with tempfile.TemporaryDirectory() as tmp:
        Example("UTC", AS_OF, source, {}).write(Path(tmp))
        return segdsl.load_project(tmp)


# ------------------------------------------------------------------ rejected texts


@pytest.mark.parametrize("raw", ["a\x00b", "\x00", "trailing\x00"])
def test_nul_in_a_string_is_rejected_with_a_clear_diagnostic(raw):
    p = _project(f"segment s where city = {quote(raw)}\n")
    errors = [d for d in p.check() if d.is_error]
    assert errors and errors[0].code == "SEG0105" and "NUL" in errors[0].message, errors


@pytest.mark.parametrize("escape", ["\\0", "\\x00", "\\u0000", "\\q", "\\'"])
def test_unknown_escapes_are_rejected_with_a_clear_diagnostic(escape):
    p = _project(f'segment s where city = "a{escape}b"\n')
    errors = [d for d in p.check() if d.is_error]
    assert errors and errors[0].code == "SEG0108" and "escape" in errors[0].message, errors


# ------------------------------------------------------------------ exact round trip


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_text_round_trips_exactly_on_every_engine(engine, name):
    ex = _example(TEXTS[name])
    out = run_example(ex, [engine], per_segment_main_only=False)
    assert not out.checker_rejected, "\n".join(out.problems)
    assert not out.problems, "\n".join(p[:3000] for p in out.problems)
    # the reference itself: `=` finds exactly the row holding v, `contains` at least 4 rows
    assert out.reference["eq"] == [1]
    assert {1, 2, 3, 4} <= set(out.reference["contains"])


# ------------------------------------------------------------------ SQL shape


def _shape(sql: str, dialect: str):
    """The parsed statement with every literal replaced by one placeholder."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read=dialect)
    literals = [lit.this for lit in tree.find_all(exp.Literal) if lit.is_string]

    def blank(node):
        if isinstance(node, exp.Literal):
            return exp.Literal.string("?")
        return node

    return tree.transform(blank).sql(dialect=dialect), literals


def _assert_same_shape(v: str) -> None:
    harmless, hostile = _project(_example("harmless").source), _project(_example(v).source)
    assert not [d for d in hostile.check() if d.is_error]
    for name in SEGMENTS:
        for dialect in DIALECTS:
            want, _ = _shape(harmless.compile(name, dialect=dialect, as_of=AS_OF), dialect)
            got, literals = _shape(hostile.compile(name, dialect=dialect, as_of=AS_OF), dialect)
            assert got == want, f"{name} ({dialect}): the text changed the SQL's shape"
            # and the text arrives whole, in one literal (lower-cased for the text matches)
            assert v in literals or v.lower() in literals, (name, dialect, literals)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_text_only_ever_lands_inside_a_literal(name):
    _assert_same_shape(TEXTS[name])


HOSTILE = st.text(st.sampled_from(list("'\"\\%_;-/*$`\n\t\r ()aZé😀\u202e")) | st.characters(codec="utf-8",
                  exclude_characters="\x00"), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(HOSTILE)
def test_random_hostile_text_only_lands_inside_a_literal(v):
    _assert_same_shape(v)
