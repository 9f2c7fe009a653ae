"""`segdsl why`: why is this customer (not) in this segment?

    from segdsl.why import explain_key
    result = explain_key(project, "frequent", 42, db="warehouse.duckdb", as_of="2024-06-30")
    result.member          # True / False: the segment's membership for customer 42
    print(result.to_text())
    result.to_json()       # {"version": 1, "segment", "key", "as_of", "member", "tree"}

The tree is the segment's condition (its typed IR): at each node the value for that customer
and the values it compared. All of it comes from ONE query built from the segment's own plan
(segdsl.why.query), so the root is exactly the membership the segment's SQL gives.
`explain_keys` answers for many keys with the same single query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from segdsl.diagnostics import Diagnostic, Span, error
from segdsl.why.tree import Operand, WhyNode

if TYPE_CHECKING:
    from segdsl.api import AsOfLike, Project
    from segdsl.why.query import WhyQuery

__all__ = ["Operand", "WhyError", "WhyNode", "WhyResult", "explain_key", "explain_keys", "parse_key",
           "why_query"]


class WhyError(Exception):
    """A key that is no customer (SEG0720) or key text the key's type cannot read (SEG0721)."""

    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


@dataclass
class WhyResult:
    segment: str
    key: Any
    as_of: str | None
    tree: WhyNode

    @property
    def member(self) -> bool:
        return self.tree.value

    def to_text(self, unicode: bool = True) -> str:
        from segdsl.why.render import tree_text

        return tree_text(self, unicode)

    def to_json(self) -> dict[str, Any]:
        from segdsl.why.render import result_json

        return result_json(self)


def parse_key(project: Project, text: str) -> Any:
    """A key given as text (`--key 42`) read by the type of the schema's key column."""
    assert project.schema is not None
    entity = project.schema.entity
    kind = entity.columns[entity.key].type.kind
    if kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            raise WhyError(error("SEG0721", f"`{text}` is not a {entity.name} key: `{entity.key}` "
                                 "holds whole numbers", Span.none(), "e.g. `--key 42`")) from None
    return text


def why_query(project: Project, segment: str, keys: list[Any], dialect: str | None = None,
              as_of: AsOfLike = None) -> WhyQuery:
    """The one query for `keys`: `.sql` to run; `.trees(rows)` reads its rows back. `as_of`
    as Project.compile takes it. Raises CompileError as Project.compile does (unknown
    segment, errors in what it uses)."""
    from segdsl.why.query import build_why_query
    from segdsl.why.tree import probe_tree

    cond = project._segment_cond(segment)  # the same errors and checks as compile()
    return build_why_query(project, probe_tree(project, cond), keys, project._dialect(dialect),
                           project.reference(as_of))


def explain_keys(project: Project, segment: str, keys: list[Any], *, connection: Any = None,
                 url: str | None = None, db: str | None = None, dialect: str | None = None,
                 as_of: AsOfLike = None) -> dict[Any, WhyResult]:
    """The result for each key that is a customer (one query for all of them). `connection`:
    an open segdsl.warehouse connection (else `db` or `url` is opened and closed here). With
    no as_of, today is the warehouse's (fixed once, shown in the result)."""
    from segdsl.analysis.common import resolve_as_of
    from segdsl.warehouse import connect

    conn = connection if connection is not None else connect(db, url)
    try:
        reference = resolve_as_of(conn, project, as_of)
        query = why_query(project, segment, list(keys), dialect or conn.dialect, reference)
        trees = query.trees(conn.query(query.sql))
    finally:
        if connection is None:
            conn.close()
    return {k: WhyResult(segment, k, str(reference), tree) for k, tree in trees.items()}


def explain_key(project: Project, segment: str, key: Any, *, connection: Any = None,
                url: str | None = None, db: str | None = None, dialect: str | None = None,
                as_of: AsOfLike = None) -> WhyResult:
    """Why customer `key` is (not) in `segment`. Raises WhyError SEG0720 for a key that is no
    customer; `key` as text is read by the key's type first (parse_key)."""
    if isinstance(key, str):
        key = parse_key(project, key)
    found = explain_keys(project, segment, [key], connection=connection, url=url, db=db,
                         dialect=dialect, as_of=as_of)
    if key not in found:
        assert project.schema is not None
        entity = project.schema.entity
        raise WhyError(error("SEG0720", f"no {entity.name} with {entity.key} {key!r} in `{entity.table}`",
                             Span.none(), "check the key, and that --db / --url is the warehouse you mean"))
    return found[key]
