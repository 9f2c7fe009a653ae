"""Loading the Lark grammar and building the (cached) LALR parser."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any
from importlib import resources
from pathlib import Path

GRAMMAR_NAME = "segdsl.lark"


def grammar_text() -> str:
    """The grammar: shipped inside the wheel, or read from the repository in a checkout."""
    packaged = resources.files("segdsl").joinpath("grammar", GRAMMAR_NAME)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_NAME).read_text(encoding="utf-8")


class ScoreNewlines:
    """Post-lexer: newlines end the rules of a `score` block and mean nothing elsewhere.

    A newline becomes an _NL token only directly inside the braces of a score block (not
    inside parentheses or brackets there), never right after the `{` and never twice in a
    row. It is passed on at once: the contextual lexer reads the next token in the parser
    state after the newline.
    """

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Any]) -> Iterator[Any]:
        stack: list[str] = []
        recent: list[str] = []  # types of the last two tokens passed on
        for tok in stream:
            if tok.type == "_NL":
                if stack and stack[-1] == "score" and recent and recent[-1] not in ("LBRACE", "_NL"):
                    recent = (recent + ["_NL"])[-2:]
                    yield tok
                continue
            if tok.type == "LBRACE":
                stack.append("score" if recent[-2:-1] == ["SCORE"] else "block")
            elif tok.type in ("LPAR", "LSQB"):
                stack.append("paren")
            elif tok.type in ("RBRACE", "RPAR", "RSQB") and stack:
                stack.pop()
            recent = (recent + [tok.type])[-2:]
            yield tok


def build_parser(strict: bool = False) -> Any:
    from lark import Lark

    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        postlex=ScoreNewlines(),
        propagate_positions=True,
        maybe_placeholders=True,
        strict=strict,
        # the LALR tables are cached on disk (keyed by the grammar's hash): building them
        # takes most of a second, loading them a few milliseconds
        cache=not strict,
    )


@functools.lru_cache(maxsize=1)
def parser() -> Any:
    return build_parser()
