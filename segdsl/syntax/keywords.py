"""The reserved words of the language, read from the grammar's NAME terminal (their one
definition), for code that spells names outside the parser (the formatter quotes nothing,
so it must know which words cannot be names)."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=1)
def name_pattern() -> str:
    """The regular expression of a name: an identifier that is not a reserved word."""
    from segdsl.syntax.grammar import grammar_text

    found = re.search(r"^NAME:\s*/(.*)/\s*$", grammar_text(), re.M)
    assert found, "the grammar defines NAME"
    return found.group(1)


@functools.lru_cache(maxsize=1)
def reserved() -> tuple[str, ...]:
    """Words that are never names (`and`, `where`, `segment`, ...)."""
    found = re.match(r"\(\?!\(([a-z_|]+)\)", name_pattern())
    assert found, "NAME starts with a negative look-ahead of the reserved words"
    return tuple(found.group(1).split("|"))
