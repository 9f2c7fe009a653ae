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


class Positions:
    """Lark's `propagate_positions` rule, computed with fewer lookups (it is a good part of
    the time a parse takes): a tree starts where the container of its first child with a
    position starts (a token, or a tree with children: a tree's container also covers the
    tokens its rule dropped, such as parentheses), and ends where its last one ends. Lark
    stores the same attributes on the same `Meta` objects."""

    __slots__ = ("node_builder", "tree", "token")

    def __init__(self, node_builder: Any) -> None:
        from lark import Token, Tree

        self.node_builder = node_builder
        self.tree, self.token = Tree, Token

    def __call__(self, children: list[Any]) -> Any:
        Tree, Token = self.tree, self.token
        res = self.node_builder(children)
        if len(children) == 1 and res is children[0]:
            # a `?rule` passing its one child up: the child already holds its positions
            # (and its container is its own: nothing was dropped around it)
            return res
        if not isinstance(res, Tree):
            return res
        meta: Any = res.meta
        fresh = not hasattr(meta, "line")  # else a child tree passed up as it is (`?rule`)
        for c in children:
            if isinstance(c, Tree):
                m: Any = c.meta
                if m.empty:
                    continue
                line, column, pos = m.container_line, m.container_column, m.container_start_pos
            elif isinstance(c, Token):
                line, column, pos = c.line, c.column, c.start_pos
            else:
                continue
            if fresh:
                meta.line, meta.column, meta.start_pos = line, column, pos
                meta.empty = False
            meta.container_line, meta.container_column, meta.container_start_pos = line, column, pos
            break
        else:
            return res
        fresh = not hasattr(meta, "end_line")
        for c in reversed(children):
            if isinstance(c, Tree):
                m = c.meta
                if m.empty:
                    continue
                line, column, pos = m.container_end_line, m.container_end_column, m.container_end_pos
            elif isinstance(c, Token):
                line, column, pos = c.end_line, c.end_column, c.end_pos
            else:
                continue
            if fresh:
                meta.end_line, meta.end_column, meta.end_pos = line, column, pos
                meta.empty = False
            meta.container_end_line, meta.container_end_column, meta.container_end_pos = line, column, pos
            break
        return res


def faster_positions(lark: Any) -> Any:
    """The parser, each rule's position wrapper replaced by `Positions` (same result)."""
    from lark.parse_tree_builder import PropagatePositions

    callbacks = lark._callbacks  # shared with the LALR parser, which reads it on every parse
    for rule, callback in callbacks.items():
        if type(callback) is PropagatePositions and callback.node_filter is None:
            callbacks[rule] = Positions(callback.node_builder)
    return lark


@functools.lru_cache(maxsize=1)
def parser() -> Any:
    return faster_positions(build_parser())
