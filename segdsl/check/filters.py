"""Conditions that follow an unbracketed `has ... where` / `did ... where` filter.

A filter outside parentheses is one predicate: in `has orders where status = "paid" and
amount > 100` the filter ends at `and`, and `amount` is read as a field of the customer.
When the next condition names a column of the relation, the author almost surely meant the
filter to go on. The checker reports it as an error when the name is only a column of the
relation, and as warning SEG0605 when the customer has a field of that name too (the
condition checks, but tests the customer's own field). Both offer the bracketed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from segdsl.diagnostics import Fix, Span
from segdsl.project.schema import Relation, Schema
from segdsl.syntax import ast

if TYPE_CHECKING:
    from segdsl.check.exprs import ExprChecker

_ROWS = (ast.HasRows, ast.Did)


@dataclass(frozen=True)
class Continuation:
    """`rows` (a has/did with a one-predicate filter) followed in an `and`/`or` chain by
    `following`, conditions that name columns of `relation`."""

    rows: ast.HasRows | ast.Did
    relation: Relation
    following: tuple[ast.Expr, ...]
    names: tuple[ast.Ref, ...]  # the references in `following` that are columns of the relation
    op: str  # "and" | "or"

    @property
    def bracketed(self) -> str:
        """The has/did with the following conditions moved inside its filter."""
        from segdsl.format.flat import flat

        assert self.rows.filter is not None
        chain = ast.And if self.op == "and" else ast.Or
        inner = chain((self.rows.filter, *self.following))
        if isinstance(self.rows, ast.HasRows):
            moved: ast.Expr = ast.HasRows(self.rows.negated, self.rows.relation, self.rows.window, inner)
        else:
            moved = ast.Did(self.rows.event, self.rows.count, self.rows.window, inner)
        return flat(moved)

    @property
    def span(self) -> Span:
        return self.rows.span.to(self.following[-1].span)

    def fix(self) -> Fix:
        return Fix(self.span, self.bracketed, "put the filter in parentheses")


def rows_relation(node: ast.HasRows | ast.Did, schema: Schema) -> Relation | None:
    """The relation whose rows a has/did reads (None when unknown: reported elsewhere)."""
    if isinstance(node, ast.HasRows):
        return schema.relations.get(node.relation)
    events = schema.event_relations()
    owners = [r for r in events  # event_relations: only relations with an event column
              if r.event is not None and node.event.value in (r.columns[r.event].type.values or ())]
    if len(owners) == 1:
        return owners[0]
    return events[0] if len(events) == 1 else None


def customer_refs(e: ast.Expr) -> list[ast.Ref]:
    """The bare names a condition reads on the customer (not inside aggregates or filters)."""
    out: list[ast.Ref] = []
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Ref):
            out.append(node)
        elif isinstance(node, (ast.Aggregate, ast.HasRows, ast.Did, ast.Sequence, ast.Rank, ast.InSegment,
                               ast.InSnapshot)):
            continue
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                value = getattr(node, name)
                stack.extend(value if isinstance(value, tuple) else (value,))
    return out


def continuations(chain: ast.And | ast.Or, schema: Schema) -> list[Continuation]:
    """Every has/did in the chain whose filter is one predicate and that the next items
    continue: they name a column of its relation (other than its key, which is the
    customer's key on both sides)."""
    op = "and" if isinstance(chain, ast.And) else "or"
    found = []
    items = chain.items
    for k, rows in enumerate(items[:-1]):
        if not isinstance(rows, _ROWS) or rows.filter is None or isinstance(rows.filter, (ast.And, ast.Or)):
            continue
        relation = rows_relation(rows, schema)
        if relation is None:
            continue
        following: list[ast.Expr] = []
        names: list[ast.Ref] = []
        for item in items[k + 1:]:
            refs = [r for r in customer_refs(item)
                    if r.name in relation.columns and r.name != relation.key]
            if not refs or isinstance(item, _ROWS):
                break
            following.append(item)
            names += refs
        if following:
            found.append(Continuation(rows, relation, tuple(following), tuple(names), op))
    return found


def report_continuations(ck: ExprChecker, e: ast.And | ast.Or) -> set[int]:
    """Report conditions after an unbracketed has/did filter that name a column of its
    relation which the customer does not have (the filter was meant to go on); the ids
    of the items reported, which are then not checked again."""
    reported: set[int] = set()
    for c in continuations(e, ck.schema):
        alien = [r for r in c.names if not ck.names.is_field(r.name)]
        if not alien:
            continue  # all are fields of the customer too: warning SEG0605
        ref = alien[0]
        head = "has" if isinstance(c.rows, ast.HasRows) else "did"
        ck.report(
            "SEG0203", f"`{ref.name}` is a column of {c.relation.name}, not a field of "
            f"{ck.schema.entity.name}", ref.span,
            f"the filter of `{head} ... where` is one comparison and ends at `{c.op}`; "
            f"to filter on both, put the filter in parentheses: `{c.bracketed}`",
            fixes=(c.fix(),))
        reported.update(id(x) for x in c.following)
    return reported
