"""Rendering a sqlglot tree as SQL text for one dialect."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ErrorLevel


def render(tree: exp.Expr, dialect: str, pretty: bool = True, copy: bool = True) -> str:
    """`copy=False` when the tree is thrown away afterwards: the generator may rewrite the
    tree it is given (dialect transforms), and copying a large tree costs as much as
    building it."""
    # identify=True quotes every identifier, also those sqlglot would leave bare (pitfall:
    # Postgres output does not quote reserved words such as `user` or `order`).
    return tree.sql(dialect=dialect, copy=copy, identify=True, pretty=pretty, unsupported_level=ErrorLevel.RAISE)
