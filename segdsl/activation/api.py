"""`Project.materialize` and `Project.export`: open the warehouse, fix the reference once,
and call the pure parts (membership.py, export.py)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def opened(warehouse: Any, write: bool) -> Iterator[Any]:
    """A Warehouse as given (left open), or one opened from a DuckDB path or Postgres URL."""
    from segdsl.warehouse import connect, is_postgres_url

    if hasattr(warehouse, "dialect") and hasattr(warehouse, "transaction"):
        yield warehouse
        return
    text = os.fspath(warehouse)
    # a Path is a DuckDB file; text is a Postgres URL or libpq "key=value" string, unless a
    # file of that name exists
    url = isinstance(warehouse, str) and (is_postgres_url(text) or ("=" in text and not os.path.exists(text)))
    conn = connect(None, text, read_only=not write) if url else connect(text, None, read_only=not write)
    try:
        yield conn
    finally:
        conn.close()


def checked(project: Any) -> None:
    """Refuse a project with configuration errors (its [activation] table included)."""
    from segdsl.api import CompileError

    errors = [d for d in project.check() if d.is_error and d.code.startswith("SEG04")]
    if errors:
        raise CompileError(errors)


def materialize(project: Any, warehouse: Any, segments: list[str] | None = None, as_of: Any = None,
                schema: str | None = None) -> Any:
    from segdsl.activation.membership import materialize as write
    from segdsl.analysis.common import resolve_as_of

    checked(project)
    with opened(warehouse, write=True) as conn:
        reference = resolve_as_of(conn, project, project.reference(as_of))
        return write(conn, project, reference, segments, schema)


def export(project: Any, segment: str, to: str, warehouse: Any, as_of: Any = None, raw: bool = False,
           ignore_consent: bool = False) -> Any:
    from segdsl.activation.config import read_activation
    from segdsl.activation.export import export_rows
    from segdsl.analysis.common import resolve_as_of

    checked(project)
    with opened(warehouse, write=False) as conn:
        reference = resolve_as_of(conn, project, project.reference(as_of))
        return export_rows(conn, project, segment, to, reference, read_activation(project), raw, ignore_consent)
