"""A trait's value for every customer, as a query: what `--bands TRAIT` reads.

Built by `Project.compile_values_tree`, which lowers the trait's IR value with the same code
as segments (relation passes, ranking levels, time windows, as_of): the values are exactly
what `trait > x` in a segment compares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlglot import exp


class TraitError(ValueError):
    pass


def trait_values(project: Any, name: str, dialect: str, as_of: dt.date | None) -> exp.Select:
    """SELECT <key> AS "<key>", <trait value> AS "__v" FROM (the values query)."""
    if name not in project.trait_names():
        raise TraitError(f"no trait named `{name}`")
    key = project.schema.entity.key
    # nested: the outer query orders what it needs
    tree = project.compile_values_tree([name], dialect, as_of, ordered=False)
    t = exp.to_identifier("t", quoted=True)
    return exp.select(exp.alias_(exp.column(key, table="t", quoted=True), key, quoted=True),
                      exp.alias_(exp.column(name, table="t", quoted=True), "__v", quoted=True)) \
        .from_(exp.Subquery(this=tree, alias=exp.TableAlias(this=t)))
