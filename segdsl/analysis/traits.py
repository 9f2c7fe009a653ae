"""A trait's value for every customer, as a query: what `--bands TRAIT` reads.

The compiler has no public API for this yet (segments compile to member keys, not values),
so this leans on its query builder: the trait's IR value is lowered by the same code that
lowers segments (relation passes, ranking levels, time windows, as_of), which keeps the
values identical to what `trait > x` in a segment compares. What it needs from
segdsl.sql.query.QueryBuilder: `_shared_passes(nodes)`, `lowerer().value(v)` and the
method that puts the FROM clause around a select list (`_select(columns)`, formerly
`_from_entity(select)`). A public `Project.compile_values_tree(names, dialect, as_of)`
returning the key plus one column per trait would replace this module; it is used first
when it exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlglot import exp


class TraitError(ValueError):
    pass


def trait_values(project: Any, name: str, dialect: str, as_of: dt.date | None) -> exp.Select:
    """SELECT <key> AS "<key>", <trait value> AS "__v" FROM customers ..."""
    from segdsl import ir
    from segdsl.sql.query import ENTITY, QueryBuilder

    key = project.schema.entity.key
    if hasattr(project, "compile_values_tree"):  # the public API, once there is one
        tree = project.compile_values_tree([name], dialect, as_of)
        return exp.select(exp.alias_(exp.column(key, table="t", quoted=True), key, quoted=True),
                          exp.alias_(exp.column(name, table="t", quoted=True), "__v", quoted=True)) \
            .from_(exp.Subquery(this=tree, alias=exp.TableAlias(this=exp.to_identifier("t", quoted=True))))
    typed = project.resolved[0].traits.get(name)
    if typed is None:
        raise TraitError(f"no trait named `{name}`")
    value = typed.value()
    try:
        builder = QueryBuilder(project.schema, project._dialect(dialect), project.settings.timezone,
                               as_of, project.settings.snapshots_table)
        builder._shared_passes(list(ir.walk(value)))
        lowered = builder.lowerer().value(value)
        columns = [exp.alias_(exp.column(key, table=ENTITY, quoted=True), key, quoted=True),
                   exp.alias_(lowered, "__v", quoted=True)]
        if hasattr(builder, "_select"):
            return builder._select(columns)
        return builder._from_entity(exp.select(*columns))
    except (AttributeError, TypeError, KeyError) as exc:  # the builder's internals changed
        raise TraitError(f"bands of the trait `{name}` are not available with this compiler "
                         f"({type(exc).__name__}: {exc}); band a column instead") from None
