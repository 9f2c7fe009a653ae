"""`segdsl profile`: a segment's size, and its members compared with all customers by
attribute (one row per value) and by numeric or date field in quartile bands.

Breakdown query, one per attribute (the segment's compiled query is a subquery):

    SELECT c."region" AS "__v", COUNT(*) AS "__all", COUNT(m."__k") AS "__in"
    FROM "customers" AS c LEFT JOIN (<segment keys>) AS m ON m."__k" = c."customer_id"
    GROUP BY c."region"

List columns count each element (a customer with two interests is in two rows); customers
with a missing or empty list make the "(missing)" row.

Bands: the cut points are the population's quartiles by nearest rank, q_i = the smallest
value v with at least i/4 of the non-missing values <= v (exact: ROW_NUMBER and integer
arithmetic, the same on every engine). Band 1 is v <= q1, band 2 q1 < v <= q2, band 3
q2 < v <= q3, band 4 v > q3; when quartiles tie (many zeros) the bands between them are
empty and dropped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlglot import exp

from segdsl.analysis.common import (KEY, col, entity, num, rows, segment_keys, sub,
                                    table, total_customers)

BAND_KINDS = ("integer", "number", "date", "timestamp")
BY_KINDS = ("string", "boolean", "integer", "list")
MAX_VALUES = 20  # rows shown per breakdown; the rest are added up in one row


class ProfileError(ValueError):
    """A request that cannot be profiled (unknown field, wrong type); one line."""


@dataclass
class Row:
    label: str
    value: Any  # the raw value (None for "(missing)"); for bands the band number
    members: int
    population: int


@dataclass
class Breakdown:
    field: str  # the name `field` is this attribute in here, hence dataclasses.field below
    kind: str  # "values" or "bands"
    rows: list[Row] = dataclasses.field(default_factory=list)
    cuts: list[Any] = dataclasses.field(default_factory=list)  # bands: the distinct quartile cut points


@dataclass
class Profile:
    segment: str
    as_of: dt.date | None
    size: int
    total: int
    breakdowns: list[Breakdown] = field(default_factory=list)


def field_kind(project: Any, name: str) -> str:
    """The type kind of an entity column or trait ("integer", "list", ...)."""
    columns = project.schema.entity.columns
    if name in columns:
        return cast(str, columns[name].type.kind)
    trait = project.resolved[0].traits.get(name)
    if trait is not None:
        return cast(str, trait.type.kind)
    from segdsl.diagnostics import did_you_mean

    known = list(columns) + list(project.resolved[0].traits)
    hint = did_you_mean(name, known)
    raise ProfileError(f"`{name}` is neither a column of {project.schema.entity.table} nor a trait"
                       + (f" ({hint})" if hint else ""))


def profile_segment(conn: Any, project: Any, name: str, *, by: Sequence[str] = (),
                    bands: Sequence[str] = (), as_of: dt.date | None, steps: Any = None) -> Profile:
    for f in by:
        if field_kind(project, f) not in BY_KINDS:
            raise ProfileError(f"--by {f}: a {field_kind(project, f)} field has too many values to "
                               f"list; use --bands {f}")
        if f not in project.schema.entity.columns:
            raise ProfileError(f"--by {f}: only columns of {project.schema.entity.table} can be "
                               "listed by value; traits can be banded with --bands")
    for f in bands:
        if field_kind(project, f) not in BAND_KINDS:
            raise ProfileError(f"--bands {f}: bands need a number or date field, "
                               f"not a {field_kind(project, f)}")
    members = segment_keys(project, name, conn.dialect, as_of)
    (size,) = rows(conn, exp.select(exp.Count(this=exp.Star())).from_(sub(members.copy(), "m")))[0]
    result = Profile(name, as_of, int(size), total_customers(conn, project))
    for f in by:
        _step(steps, f"by {f}")
        result.breakdowns.append(_by_value(conn, project, members, f, result))
        _step(steps)
    for f in bands:
        _step(steps, f"bands of {f}")
        result.breakdowns.append(_by_band(conn, project, members, f, as_of))
        _step(steps)
    return result


def _step(steps: Any, description: str | None = None) -> None:
    if steps is None:
        return
    if description:
        steps.start(description)
    else:
        steps.done()


def _joined(members: exp.Select, source: exp.Expression, key: str) -> exp.Select:
    """FROM source AS c LEFT JOIN (members) AS m: "m"."__k" is NULL for non-members."""
    on = exp.EQ(this=col(KEY, "m"), expression=col(key, "c"))
    return exp.select().from_(source).join(sub(members.copy(), "m"), on=on, join_type="LEFT")


def _counts() -> list[exp.Expr]:
    return [exp.alias_(exp.Count(this=exp.Star()), "__all", quoted=True),
            exp.alias_(exp.Count(this=col(KEY, "m")), "__in", quoted=True)]


def _by_value(conn: Any, project: Any, members: exp.Select, name: str, profile: Profile) -> Breakdown:
    table_name, key = entity(project)
    column = project.schema.entity.columns[name]
    source: exp.Expression = table(table_name, "c")
    if column.type.kind == "list":
        # one row per element (UNNEST of a NULL or empty list gives no row)
        elements = exp.select(exp.alias_(col(key, "c"), key, quoted=True),
                              exp.alias_(exp.Unnest(expressions=[col(name, "c")]), "__v", quoted=True)) \
            .from_(table(table_name, "c"))
        source, value = sub(elements, "c"), col("__v", "c")
    else:
        value = col(name, "c")
    query = _joined(members, source.copy(), key).select(
        exp.alias_(value, "__v", quoted=True), *_counts()).group_by(value.copy())
    found = [Row(_label(v), v, int(n_in), int(n_all)) for v, n_all, n_in in rows(conn, query)]
    if column.type.kind == "list":
        # customers with at least one element, to show those with none as "(missing)"
        distinct = [exp.Count(this=exp.Distinct(expressions=[c])) for c in (col(key, "c"), col(KEY, "m"))]
        ((with_all, with_in),) = rows(conn, _joined(members, source, key).select(*distinct))
        found.append(Row("(missing)", None, profile.size - int(with_in), profile.total - int(with_all)))
    return Breakdown(name, "values", _ordered(found, column.type.values))


def _label(value: Any) -> str:
    from segdsl.analysis.common import show_value

    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # years, ages, codes: no thousands separator
    return show_value(value)


def _ordered(found: list[Row], declared: tuple[str, ...] | None) -> list[Row]:
    """Declared values in their declared order (absent ones as zero rows, so a reader sees
    every value), then others by population, "(missing)" last."""
    present = [r for r in found if r.value is not None]
    missing = [r for r in found if r.value is None and (r.population or r.members)]
    if declared:
        by_value = {r.value: r for r in present}
        ordered = [by_value.pop(v, Row(v, v, 0, 0)) for v in declared]
        rest = sorted(by_value.values(), key=lambda r: (-r.population, str(r.value)))
        return ordered + rest + missing
    if all(isinstance(r.value, bool) for r in present):
        return sorted(present, key=lambda r: not r.value) + missing
    present.sort(key=lambda r: (-r.population, str(r.value)))
    if len(present) > MAX_VALUES:  # a long tail would bury the rows that matter
        rest = present[MAX_VALUES - 1:]
        present = present[:MAX_VALUES - 1] + [Row(f"({len(rest)} other values)", "(other)",
                                                  sum(r.members for r in rest), sum(r.population for r in rest))]
    return present + missing


def values_source(project: Any, name: str, as_of: dt.date | None, dialect: str) -> exp.Expression:
    """A subquery "c" with the entity key and "__v": the column, or a trait's value."""
    table_name, key = entity(project)
    if name in project.schema.entity.columns:
        select = exp.select(exp.alias_(col(key, "c"), key, quoted=True),
                            exp.alias_(col(name, "c"), "__v", quoted=True)).from_(table(table_name, "c"))
    else:
        from segdsl.analysis.traits import trait_values

        select = trait_values(project, name, dialect, as_of)
    return sub(select, "c")


def _by_band(conn: Any, project: Any, members: exp.Select, name: str,
             as_of: dt.date | None) -> Breakdown:
    _, key = entity(project)
    source = values_source(project, name, as_of, conn.dialect)
    v = col("__v", "c")
    ranked = exp.select(
        exp.alias_(col("__v", "c"), "__v", quoted=True),
        exp.alias_(exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=[exp.Ordered(this=v.copy())])),
                   "__rn", quoted=True),
        exp.alias_(exp.Window(this=exp.Count(this=exp.Star())), "__n", quoted=True),
    ).from_(source.copy()).where(exp.Not(this=exp.Is(this=v.copy(), expression=exp.Null())))
    rn, n = col("__rn", "r"), col("__n", "r")
    quartiles = exp.select(*[
        exp.alias_(exp.Min(this=exp.Case(ifs=[exp.If(
            this=exp.GTE(this=exp.Mul(this=num(4), expression=rn.copy()),
                         expression=exp.Mul(this=num(i), expression=n.copy())),
            true=col("__v", "r"))])), f"__q{i}", quoted=True)
        for i in (1, 2, 3)]).from_(sub(ranked, "r"))
    band = exp.Case(ifs=[exp.If(this=exp.Is(this=v.copy(), expression=exp.Null()), true=num(0))] + [
        exp.If(this=exp.LTE(this=v.copy(), expression=col(f"__q{i}", "q")), true=num(i)) for i in (1, 2, 3)],
        default=num(4))
    query = _joined(members, source, key).join(sub(quartiles, "q"), join_type="CROSS").select(
        exp.alias_(band, "__band", quoted=True), *_counts(),
        *[exp.alias_(exp.Min(this=col(f"__q{i}", "q")), f"__q{i}", quoted=True) for i in (1, 2, 3)],
    ).group_by(band.copy())
    found = {r[0]: r for r in rows(conn, query)}
    any_row = next(iter(found.values()), None)  # the cut points are on every row
    qs = list(any_row[3:6]) if any_row else [None, None, None]
    result = Breakdown(name, "bands", cuts=sorted({q for q in qs if q is not None}))
    for i in range(1, 5):
        r = found.get(i)
        if r is None:
            continue  # no customer in the band: quartiles tied, or q3 is the maximum
        lower, upper = (qs[i - 2] if i > 1 else None), (qs[i - 1] if i < 4 else None)
        result.rows.append(Row(_band_label(lower, upper), i, int(r[2]), int(r[1])))
    if 0 in found:
        result.rows.append(Row("(missing)", None, int(found[0][2]), int(found[0][1])))
    return result


def _band_label(lower: Any, upper: Any) -> str:
    from segdsl.analysis.common import show_value

    # a band holds values above its lower cut point, up to and including its upper one
    if lower is None:
        return f"≤ {show_value(upper)}"
    if upper is None:
        return f"> {show_value(lower)}"
    return f"{show_value(lower)} – {show_value(upper)}"
