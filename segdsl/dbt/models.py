"""The SQL of the dbt models: one per segment, and the long `segment_memberships`.

Each model is the segment's compiled sqlglot tree, changed in three places only:

* **The reference date** is the dbt var `segdsl_as_of` (default: the run's date). The
  segment is compiled *without* a fixed reference, so every date it computes ("90 days
  ago", the start of this month, the instant before which rows are seen) is computed in
  SQL from the dialect's "today" and "now"; the dialect given to the compiler answers those
  two with the var (`reference_dialect`). No date is computed in Python, so a model is right
  for any value of the var.
* **Tables** the segment reads (the entity, relations, the snapshot table) become
  `{{ source('segdsl', '<table>') }}`: the table nodes of the tree are replaced, aliases kept.
* **`in segment X`**, when X has a model of its own, reads `{{ ref('X') }}`: the reference
  is compiled as a membership of a stored key list (the plan's snapshot read, whose CTE is
  then replaced by the keys of the referenced model). References to segments without a
  model stay inlined.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlglot import exp

from segdsl import ir
from segdsl.plan.truth import map_nodes
from segdsl.sql.dialects import Dialect, _cast, _data_type

SOURCE = "segdsl"
AS_OF_VAR = "segdsl_as_of"
# the var's value as a date text (default: the date the dbt run started, UTC); inside a SQL
# string literal, so its own strings are in double quotes
AS_OF_JINJA = '{{ var("' + AS_OF_VAR + '", run_started_at.strftime("%Y-%m-%d")) }}'
MEMBERSHIPS = "segment_memberships"
_REF_MARK = "ref:"  # the name of a snapshot read standing for a model (never a segment name)
# the time zones other than UTC whose local midnight the emitted SQL converts (AT TIME ZONE)
_ZONE_DIALECTS = ("duckdb", "postgres")


class DbtError(Exception):
    """A request that cannot be generated (a dialect that cannot convert the project's time
    zone); one line."""


def model_name(segment: str) -> str:
    """A dbt model name for a segment: `family.member` -> `family__member`, a parameterised
    segment's canonical name -> its safe identifier (`regulars_in__south_1_4f3a2b`)."""
    from segdsl.check.params import safe_name

    return safe_name(segment).replace(".", "__")


def jinja(text: str) -> exp.Var:
    """Text the generator writes as is: Jinja for dbt (a var, a source, a ref)."""
    return exp.Var(this=text)


def source_table(table: str) -> exp.Var:
    return jinja("{{ source('" + SOURCE + "', '" + table + "') }}")


def ref_table(model: str) -> exp.Var:
    return jinja("{{ ref('" + model + "') }}")


def reference_dialect(base: Dialect, timezone: str) -> Dialect:
    """`base` whose "today" is the var's date and whose "now" (the instant before which
    relation rows are seen) is the next midnight in the project time zone, as `--as-of DATE`
    has it (segdsl.as_of.AsOf.now)."""
    if timezone != "UTC" and base.name not in _ZONE_DIALECTS:
        raise DbtError(f"the project time zone is {timezone}: its midnights are converted in SQL for "
                       f"{' and '.join(_ZONE_DIALECTS)} only, not {base.name}")

    def today(self: Dialect, tz: str) -> exp.Expr:
        return _cast(exp.Literal.string(AS_OF_JINJA), _data_type("date"))

    def now(self: Dialect) -> exp.Expr:
        tomorrow = self.shift_date(today(self, timezone), 1, "day")
        if timezone == "UTC":
            return self.day_start_utc(tomorrow)
        local = exp.AtTimeZone(this=_cast(tomorrow, _data_type("timestamp")), zone=exp.Literal.string(timezone))
        utc = exp.AtTimeZone(this=exp.Paren(this=local), zone=exp.Literal.string("UTC"))
        return _cast(utc, _data_type("timestamp"))

    kind = type(type(base).__name__ + "Dbt", (type(base),), {"current_date": today, "current_instant": now})
    return cast(Dialect, kind(base.name))


@dataclass(frozen=True)
class Model:
    name: str  # the dbt model
    segment: str  # the segment it computes
    tree: exp.Select
    sources: tuple[str, ...]  # the tables it reads
    refs: tuple[str, ...]  # the models it reads


def with_refs(cond: ir.Cond, models: dict[str, str]) -> ir.Cond:
    """`in segment X` as a read of X's model, for every X that has one (`models`: segment ->
    model). The at-date is unused: the read is replaced whole (`segment_model`)."""

    def each(n: object) -> object:
        if isinstance(n, ir.SegmentRef) and n.name in models:
            return ir.InSnapshot(_REF_MARK + models[n.name], ir.Today())
        return n

    result: ir.Cond = map_nodes(cond, each)
    return result


def segment_model(project: Any, segment: str, dialect: Dialect, models: dict[str, str]) -> Model:
    """The model of one segment (raises CompileError as Project.compile does)."""
    from segdsl.sql.query import build_query

    cond = with_refs(project.segment_condition(segment), {k: v for k, v in models.items() if k != segment})
    tree = build_query(cond, project.schema, reference_dialect(dialect, project.settings.timezone),
                       project.settings, None, ordered=False)
    refs = _replace_ref_reads(tree, project.schema.entity.key)
    sources = _replace_tables(tree, _warehouse_tables(project))
    return Model(models[segment], segment, tree, tuple(sources), tuple(refs))


def _warehouse_tables(project: Any) -> set[str]:
    schema = project.schema
    return {schema.entity.table, project.settings.snapshots_table} | {r.table for r in schema.relations.values()}


def _replace_ref_reads(tree: exp.Select, key: str) -> list[str]:
    """The snapshot reads standing for models, each replaced by the model's keys."""
    from segdsl.sql.naming import KEY, col

    found: list[str] = []
    for cte in tree.find_all(exp.CTE):
        marks = [lit.this for lit in cte.this.find_all(exp.Literal)
                 if lit.is_string and str(lit.this).startswith(_REF_MARK)]
        if not marks:
            continue
        model = str(marks[0])[len(_REF_MARK):]
        keys = exp.select(exp.alias_(col(key, "s"), KEY, quoted=True, copy=False), copy=False).from_(
            exp.Table(this=ref_table(model), alias=exp.TableAlias(this=exp.to_identifier("s", quoted=True))),
            copy=False)
        cte.set("this", keys)
        found.append(model)
    return list(dict.fromkeys(found))


def _replace_tables(tree: exp.Select, tables: set[str]) -> list[str]:
    """Every table node naming a warehouse table (not a CTE) as the dbt source."""
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    found: list[str] = []
    for node in list(tree.find_all(exp.Table)):
        if isinstance(node.this, exp.Identifier) and not node.args.get("db") and node.name in tables \
                and node.name not in ctes:
            found.append(node.name)
            node.set("this", source_table(node.name))
    return sorted(set(found))


def memberships_tree(audiences: Iterable[Any], models: dict[str, str], key: str) -> exp.Expr:
    """One row per audience and member: segment_id, the key, member (NULL for a segment;
    the family member's or split group's name), as `segdsl materialize` writes them."""
    text = _data_type("text")
    parts: list[exp.Select] = []
    for audience in audiences:
        for member, segment in audience.members:
            label: exp.Expr = exp.Literal.string(member) if member is not None else exp.Null()
            parts.append(exp.select(
                exp.alias_(exp.Literal.string(audience.segment_id), "segment_id", quoted=True, copy=False),
                exp.alias_(exp.column(key, table="m", quoted=True), key, quoted=True, copy=False),
                exp.alias_(exp.Cast(this=label, to=text.copy()), "member", quoted=True, copy=False),
                copy=False).from_(exp.Table(this=ref_table(models[segment]),
                                            alias=exp.TableAlias(this=exp.to_identifier("m", quoted=True))),
                                  copy=False))
    union: exp.Expr = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False, copy=False)
    return union
