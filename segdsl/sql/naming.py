"""Names and identifier builders shared by the query assembly modules."""

from __future__ import annotations

from sqlglot import exp

from segdsl import ir

KEY = "__key"
ENTITY = "c"
ROWS = "r"  # a relation's rows, inside its pass
RANK = "r"  # the last ranking level, in the final select
WINDOW_NODES = (ir.Percentile, ir.Bucket, ir.Ranked)


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def table(name: str, alias: str) -> exp.Table:
    return exp.Table(this=ident(name), alias=exp.TableAlias(this=ident(alias)))
