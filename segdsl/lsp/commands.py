"""The server's commands: the SQL of the segment under the cursor, and its size on the
configured warehouse. The warehouse is opened for the one query and closed at once: a
DuckDB file held open by the editor would block `segdsl run` and `snapshot`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segdsl.lsp import symbols as sym

if TYPE_CHECKING:
    from segdsl.api import CompileError
    from segdsl.lsp.navigate import Navigator
    from segdsl.lsp.workspace import ProjectState


class CommandError(Exception):
    """A message for the user (no segment under the cursor, errors in the project...)."""


def segment_at(nav: Navigator, path: str, line: int, col: int) -> str:
    """The segment named under the cursor, else the one whose definition holds it."""
    o = nav.at(path, line, col)
    if o is not None and o.kind == sym.SEGMENT:
        return o.name
    f, _ = nav.state.parse(path)
    for d in f.definitions:
        s = d.span
        if sym.definition_kind(d) == sym.SEGMENT and (s.line, s.col) <= (line, col) <= (s.end_line, s.end_col):
            return d.name
    raise CommandError("put the cursor on a segment's definition or on its name")


def show_sql(state: ProjectState, name: str, dialect: str | None, as_of: str | None) -> dict[str, Any]:
    from segdsl.api import CompileError

    project = state.full_project()
    try:
        sql = project.compile(name, dialect=dialect or None, as_of=_date(as_of))
    except CompileError as e:
        raise CommandError(_first_problem(e)) from None
    return {"segment": name, "dialect": dialect or project.settings.dialect, "sql": sql}


def count_members(state: ProjectState, name: str, warehouse: str | None,
                  as_of: str | None) -> dict[str, Any]:
    project = state.full_project()
    db, url = warehouse_of(state.root, warehouse or project.settings.warehouse)
    if project.segment_ir(name) is None:
        raise CommandError(f"segment `{name}` has errors: fix them first")
    return count_in(project, name, db, url, _date(as_of))


def warehouse_of(root: Path, target: str | None) -> tuple[str | None, str | None]:
    """(DuckDB file, PostgreSQL URL) of a warehouse setting; a file is relative to the root."""
    from segdsl.warehouse import is_postgres_url

    if not target:
        raise CommandError("no warehouse configured: set `warehouse` under [project] in segdsl.toml "
                           "or the editor setting segdsl.warehouse")
    if is_postgres_url(target):
        return None, target
    p = Path(target).expanduser()
    return str(p if p.is_absolute() else Path(root) / p), None


def count_in(project: Any, name: str, db: str | None, url: str | None, as_of: Any) -> dict[str, Any]:
    """Count a segment's members, the warehouse opened read-only for this query only."""
    from segdsl.warehouse import WarehouseError, connect
    from segdsl.warehouse.runner import run_segment

    try:
        with connect(db=db, url=url, read_only=True) as conn:  # closed when the query is done
            result = run_segment(conn, project, name, as_of=as_of, fetch_keys=False)
    except WarehouseError as e:
        raise CommandError(str(e)) from None
    if result.error:
        raise CommandError(result.error)
    return {"segment": name, "count": result.count, "seconds": round(result.seconds, 3)}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"`{value}` is not a date; write YYYY-MM-DD") from None


def _first_problem(e: CompileError) -> str:
    errors = [d for d in e.diagnostics if d.is_error]
    return str(errors[0]) if errors else str(e)
