"""Building blocks shared by the analyses: sqlglot trees over compiled segments, the date
"today" stands for, and a progress bar.

Every query here is a sqlglot tree. Identifiers come from the schema or from our own
`__`-prefixed aliases and are quoted when rendered; values become literals. Table names
are one quoted identifier, exactly as the compiler writes them, so that the analyses read
the very tables the segments read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlglot import exp

from segdsl.as_of import AsOf
from segdsl.sql.values import count_true

KEY = "__k"  # the member key column of every keys subquery built here


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    from segdsl.check.params import safe_name

    # a batch names the column of an instantiation `f("South", 3)` by its safe name; no
    # other column name has a parenthesis
    return exp.column(safe_name(name), table=table, quoted=True)


def table(name: str, alias: str | None = None) -> exp.Table:
    t = exp.Table(this=ident(name))
    if alias:
        t.set("alias", exp.TableAlias(this=ident(alias)))
    return t


def sub(tree: exp.Expression, alias: str) -> exp.Subquery:
    return exp.Subquery(this=tree, alias=exp.TableAlias(this=ident(alias)))


def num(n: int) -> exp.Expression:
    return exp.Literal.number(n)


def count_if(cond: exp.Expr) -> exp.Expr:
    """The rows where cond is true: a BIGINT, never NULL (segdsl.sql.values.count_true)."""
    return count_true(cond)


def is_null(e: exp.Expression) -> exp.Is:
    return exp.Is(this=e, expression=exp.Null())


def not_null(e: exp.Expression) -> exp.Not:
    return exp.Not(this=is_null(e))


def lit(value: Any) -> exp.Expression:
    """A literal for a value read back from the warehouse (cut points, dates)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return exp.Literal.number(repr(value) if isinstance(value, float) else str(value))
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.build("timestamp"))
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("date"))
    return exp.Literal.string(str(value))


def render(tree: exp.Expression, dialect: str) -> str:
    from segdsl.sql.render import render as render_sql

    return render_sql(tree, dialect, pretty=False)


def rows(conn: Any, tree: exp.Expression) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = conn.query(render(tree, conn.dialect))
    return found


def entity(project: Any) -> tuple[str, str]:
    e = project.schema.entity
    return e.table, e.key


def segment_keys(project: Any, name: str, dialect: str, as_of: Any) -> exp.Select:
    """SELECT the member keys of a segment, as the one column "__k"."""
    _, key = entity(project)
    # no ORDER BY: as a subquery the order is only work
    tree: exp.Select = project.compile_tree(name, dialect, as_of, ordered=False)
    return exp.select(exp.alias_(col(key, "s"), KEY, quoted=True)).from_(sub(tree, "s"))


def batch(project: Any, names: list[str], dialect: str, as_of: Any) -> exp.Expression:
    """The batch query: the entity key plus one never-NULL boolean column per segment."""
    tree: exp.Select = project.compile_batch_tree(names, dialect, as_of, ordered=False)
    return tree


def population(project: Any) -> exp.Select:
    """Every customer's key, as "__k"."""
    table_name, key = entity(project)
    return exp.select(exp.alias_(col(key, "c"), KEY, quoted=True)).from_(table(table_name, "c"))


def total_customers(conn: Any, project: Any) -> int:
    table_name, _ = entity(project)
    (row,) = rows(conn, exp.select(exp.Count(this=exp.Star())).from_(table(table_name, "c")))
    return int(row[0])


def resolve_as_of(conn: Any, project: Any, as_of: Any) -> AsOf:
    """The date "today" means: `as_of` (a date or an instant), else `[project] as_of`, else
    the warehouse's current date in the project's time zone (what compiled segments use).
    Fixing it once keeps every query of a command, and the as_of stored with a snapshot, on
    the same day even across midnight."""
    reference: AsOf | None = project.reference(as_of)
    if reference is not None:
        return reference
    from segdsl.sql.dialects import get_dialect

    dialect = get_dialect(conn.dialect)
    assert dialect is not None, conn.dialect  # connections are DuckDB or Postgres
    today = dialect.current_date(project.settings.timezone)
    (row,) = rows(conn, exp.select(exp.alias_(today, "today", quoted=True)))
    value = row[0]
    return AsOf(value.date() if isinstance(value, dt.datetime) else value)


class Steps:
    """A transient progress bar on stderr for work in several steps; silent without a
    console (tests, library use) or for a single step."""

    def __init__(self, bar: Any = None, task: Any = None):
        self._bar, self._task = bar, task

    def start(self, description: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=description)

    def done(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def total(self, n: int) -> None:
        """Set the number of steps once it is known (diff learns it after comparing SQL)."""
        if self._bar is not None:
            self._bar.update(self._task, total=n)


@contextlib.contextmanager
def steps(console: Any, total: int | None, label: str) -> Iterator[Steps]:
    """total=None: not known yet (set it with Steps.total)."""
    if console is None or (total is not None and total <= 1):
        yield Steps()
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        yield Steps(bar, bar.add_task(label, total=total))


def share(count: int | None, total: int | None) -> float | None:
    return None if count is None or not total else count / total


def pct(value: float | None) -> str:
    if value is None:
        return ""
    return "<0.1%" if 0 < value < 0.0005 else f"{100 * value:.1f}%"


def show_value(value: Any) -> str:
    """A value as a person reads it: 45 not 45.0, dates in ISO, booleans as yes/no."""
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if type(value).__name__ == "Decimal":
        return show_value(float(value))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
