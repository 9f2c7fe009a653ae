"""Table aliases and identifier builders shared by the SQL emitter."""

from __future__ import annotations

from sqlglot import exp

from segdsl.plan.build import ENTITY, KEY, RANK

__all__ = ["ENTITY", "KEY", "RANK", "ROWS", "col", "cte", "ident", "table"]

ROWS = "r"  # a relation's rows, inside its pass


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def table(name: str, alias: str) -> exp.Table:
    return exp.Table(this=ident(name), alias=exp.TableAlias(this=ident(alias)))


def cte(name: str, select: exp.Expr) -> exp.CTE:
    return exp.CTE(this=select, alias=exp.TableAlias(this=ident(name)))
