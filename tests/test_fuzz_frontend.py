"""Front-end fuzzing: arbitrary text must only ever produce diagnostics.

Inputs: grammar-aware token soup from the language's vocabulary, mutations of every corpus
file (examples/, tests/corpus/, tests/cases/, tests/diagnostics/), raw unicode text and raw
bytes, and pathological nesting. Each goes through load_project -> check -> compile for the
three dialects (and `segdsl fmt`), and:

* nothing raises but CompileError, and CompileError only when check() reported an error
  (no RecursionError, KeyError, lark or sqlglot exception leaks out);
* a project without errors compiles every segment for every dialect;
* load + check of an input takes less than CPU_LIMIT seconds of CPU, and so does each
  compilation (process time, so a busy machine does not fail it);
* neither raises the process's peak memory (max RSS) by more than MEMORY_LIMIT_MB: an input
  that needs more than that on top of what earlier work left allocated fails.

"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segdsl.sql.dialects import TESTED
from tests.differential import PROFILE

ROOT = Path(__file__).resolve().parents[1]
TOML = (ROOT / "examples" / "segdsl.toml").read_bytes()
CORPUS = sorted({*ROOT.glob("examples/*.seg"), *ROOT.glob("tests/corpus/*/*.seg"),
                 *ROOT.glob("tests/cases/*/*.seg"), *ROOT.glob("tests/diagnostics/*.seg")})
DIALECTS = TESTED  # the dialects every engine test runs
CPU_LIMIT = 10.0  # generous: it catches blow-ups (seconds per term), not slowness on a busy machine
MEMORY_LIMIT_MB = 512

# CI size; SEGDSL_HYPOTHESIS_PROFILE=segdsl-fuzz runs 50 times as many, with fresh random seeds.
SCALE = 50 if PROFILE == "segdsl-fuzz" else 1
FUZZ = settings(max_examples=100 * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VOCAB = [
    # structure and keywords (reserved and contextual)
    "segment", "trait", "score", "where", "and", "or", "not", "in", "is", "set", "has", "did", "between",
    "when", "true", "false", "today", "no", "any", "all", "none", "top", "bottom", "by", "before", "after",
    "on", "last", "next", "ago", "at", "least", "most", "exactly", "times", "time", "contains", "starts",
    "ends", "with", "count", "count_distinct", "sum", "avg", "min", "max", "first", "percentile", "bucket",
    "days_since", "coalesce", "lower", "upper", "round", "abs", "year", "month", "day", "days", "weeks",
    "months", "years", "description:", "owner:", "tags:",
    # names of the acme schema, and some that are not
    "age", "income", "city", "region", "plan", "email", "is_subscribed", "signup_date", "interests",
    "devices", "orders", "events", "orders.amount", "orders.ordered_at", "events.name", "status",
    "channel", "amount", "name", "s0", "t0", "sc0", "nope", "orders.nope",
    # punctuation and operators
    "(", ")", "[", "]", "{", "}", ",", ".", ":", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%",
    "\n", "\n  ", "# comment\n", "\t",
    # literals, good and bad
    "0", "3", "10%", "2.5%", "101%", "1.5", "-2", "99999999999999999999", "2024-06-30", "2024-02-30",
    "2023-13-01", '"x"', '"West Coast"', '"paid"', '"email_open"', '""', '"a\\"b"', '"\\\\"', '"\\n"',
    '"\\q"', '"unterminated', "'single'", '"é😀"',
    # the largest numbers the checker accepts and one more (windows, counts, buckets, top N)
    "36525", "36526", "5218", "5219", "1200", "1201", "100", "101", "99999999999", "999999",
    "9223372036854775807", "9223372036854775808", "2147483647", "2147483648", "99.999999%",
    "12.1234567%", "1234567890123456789012345678901.5",
]


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class _Clock:
    """CPU time and peak-memory growth of one stage, checked against the limits."""

    def __init__(self, what: str, data: bytes):
        self.what, self.data = what, data

    def __enter__(self):
        self.start = time.process_time()
        self.rss = _max_rss_mb()

    def __exit__(self, *exc):
        cpu = time.process_time() - self.start
        grown = _max_rss_mb() - self.rss
        if exc[0] is None:
            assert cpu < CPU_LIMIT, f"{self.what}: {cpu:.2f} s of CPU (limit {CPU_LIMIT} s) for {self.data[:200]!r}"
            assert grown < MEMORY_LIMIT_MB, \
                f"{self.what}: peak memory grew by {grown:.0f} MB (limit {MEMORY_LIMIT_MB}) for {self.data[:200]!r}"


def run_front_end(seg: bytes | str, most: int | None = None) -> None:
    """load -> check -> compile (every dialect) and format; fails on anything but diagnostics.
    `most`: compile at most about that many segments, evenly spread plus the last two (the
    deepest of a chain), as the time of a chain is in its depth, not in how many are compiled."""
    import segdsl
    from segdsl.api import CompileError

    data = seg.encode("utf-8", "surrogatepass") if isinstance(seg, str) else seg
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "segdsl.toml").write_bytes(TOML)
        (Path(tmp) / "case.seg").write_bytes(data)
        with _Clock("load + check", data):
            project = segdsl.load_project(tmp)
            errors = [d for d in project.check() if d.is_error]
        for d in errors:
            assert d.code.startswith("SEG") and d.message, d
        names = project.segment_names()
        if most is not None and len(names) > most:
            names = list(dict.fromkeys(names[:: len(names) // most] + names[-2:]))
        for name in names:
            for dialect in DIALECTS:
                with _Clock(f"compile {name} ({dialect})", data):
                    try:
                        sql = project.compile(name, dialect=dialect)
                    except CompileError:
                        assert errors, f"CompileError for {name} ({dialect}) although check() reported no error"
                    else:
                        assert sql.strip(), name
        _format(data)


def _format(data: bytes) -> None:
    try:
        from segdsl.format import FormatError, format_source
    except ImportError:  # the formatter is optional here
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        with _Clock("format", data):
            out = format_source(text, "case.seg")
    except FormatError:
        return
    with _Clock("format again", data):
        assert format_source(out, "case.seg") == out, "formatting is not idempotent"


# ------------------------------------------------------------------ strategies


tokens = st.lists(st.sampled_from(VOCAB), max_size=40).map(" ".join)
prefixed = st.tuples(st.sampled_from(["segment s0 where ", "trait t0 = ", "score sc0 {\n +1 when ", ""]),
                     tokens).map("".join)


@st.composite
def corpus_mutation(draw):
    """A corpus file with a few random edits: cut, duplicate, insert a token, swap lines."""
    text = draw(st.sampled_from(CORPUS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 40)))
        how = draw(st.sampled_from(["cut", "dup", "token", "swap", "char"]))
        if how == "cut":
            text = text[:a] + text[b:]
        elif how == "dup":
            text = text[:b] + text[a:b] + text[b:]
        elif how == "token":
            text = text[:a] + f" {draw(st.sampled_from(VOCAB))} " + text[a:]
        elif how == "char":
            text = text[:a] + draw(st.characters(codec="utf-8")) + text[a + 1:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


# ------------------------------------------------------------------ tests


@FUZZ
@given(prefixed)
def test_token_soup_only_gives_diagnostics(text):
    run_front_end(text)


@FUZZ
@given(corpus_mutation())
def test_mutated_corpus_only_gives_diagnostics(text):
    run_front_end(text)


@settings(FUZZ, max_examples=60 * SCALE)
@given(st.text(max_size=300))
def test_unicode_text_only_gives_diagnostics(text):
    run_front_end(text)


@settings(FUZZ, max_examples=60 * SCALE)
@given(st.binary(max_size=300))
def test_raw_bytes_only_give_diagnostics(data):
    run_front_end(data)


@settings(FUZZ, max_examples=60 * SCALE)
@given(st.text(max_size=200).map(lambda s: f"segment s0 where city = \"{s}\""))
def test_arbitrary_text_in_a_string_literal(text):
    run_front_end(text)


# Far beyond any real segment, but accepted by the checker's limits (SEG0106 depth, SEG0109 size)
# or rejected by them: either way a diagnostic in bounded time. (A 5000-term chain took ~5 s per
# dialect before and/or trees were built without copying; the doubling segment chain took
# seconds before the size check became linear. `segdsl fmt` takes ~0.25 ms per term.)
DEEP = {
    "parens": "segment s where " + "(" * 5000 + "age > 1" + ")" * 5000,
    "nots": "segment s where " + "not " * 5000 + "is_subscribed",
    "plus_chain": "segment s where " + " + ".join(["age"] * 20000) + " > 1",
    "mul_chain": "segment s where " + " * ".join(["1"] * 20000) + " > 1",
    "and_chain": "segment s where " + " and ".join(["age > 1"] * 4000),
    "or_chain": "segment s where " + " or ".join(["is_subscribed"] * 4000),
    "negations": "segment s where " + "-" * 5000 + "age > 1",
    "nested_calls": "segment s where " + "abs(" * 3000 + "age" + ")" * 3000 + " > 1",
    "segment_chain": "\n".join(f"segment s{i} where in segment s{i - 1} and not in segment s{i - 1}"
                               for i in range(1, 300)) + "\nsegment s0 where age > 1",
    "trait_chain": "\n".join(f"trait t{i} = t{i - 1} + t{i - 1}" for i in range(1, 300))
                   + "\ntrait t0 = age\nsegment s where t299 > 1",
    "unclosed": "segment s where " + "(" * 5000,
    "long_line": "segment s where city in [" + ", ".join(['"x"'] * 10000) + "]",
    "many_segments": "\n".join(f"segment s{i} where age > {i}" for i in range(500)),
}


@pytest.mark.slow  # ~20 s in all
@pytest.mark.parametrize("name", sorted(DEEP))
def test_pathological_inputs_give_diagnostics_in_bounded_time(name):
    run_front_end(DEEP[name], most=10)


@pytest.mark.parametrize("text", ["where", "set has", "and", "or not", "has", "in segment", "when"])
def test_a_file_starting_with_a_keyword_is_a_syntax_error(text):
    # Found by the token-soup fuzzer: `where` alone crashed the parser with AttributeError.
    import segdsl

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "segdsl.toml").write_bytes(TOML)
        (Path(tmp) / "case.seg").write_text(text + "\n")
        errors = [d for d in segdsl.load_project(tmp).check() if d.is_error]
    assert errors and errors[0].code == "SEG0101", errors


def test_the_limits_catch_a_memory_blow_up():
    """Control: the memory check fails a stage that allocates more than the limit."""
    import os

    with open("/proc/self/statm") as f:
        rss_mb = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    # enough to pass the peak earlier tests left behind, then the limit
    size_mb = int(_max_rss_mb() - rss_mb) + MEMORY_LIMIT_MB + 100
    with pytest.raises(AssertionError, match="peak memory grew"):
        with _Clock("allocation", b"control"):
            block = b"x" * (size_mb << 20)
            del block
