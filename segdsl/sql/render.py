"""Rendering a sqlglot tree as SQL text for one dialect."""

from __future__ import annotations

from sqlglot import exp


def render(tree: exp.Expression, dialect: str, pretty: bool = True) -> str:
    # identify=True quotes every identifier, also those sqlglot would leave bare (pitfall:
    # Postgres output does not quote reserved words such as `user` or `order`).
    return tree.sql(dialect=dialect, identify=True, pretty=pretty, unsupported_level="raise")
