"""A segment's size on its hover, counted in the background.

When the project has a DuckDB warehouse (`[project] warehouse`, or the editor's `warehouse`
option), the hover of a segment (a family member, a split group) shows how many customers it
holds. The count never runs on the editing path: the first hover starts it on a worker
thread and says "counting…"; a later hover shows the result. The worker counts as the
command Count members does (`commands.count_in`), on a Project of its own built from a copy
of the texts (the server's state is never touched off its thread), with the warehouse opened
read-only for that one query and closed at once: a held DuckDB file would block `segdsl run`
and `snapshot`. A result is kept per segment, text of the project, warehouse file (and its
modification time) and reference date, so an edit, a new snapshot of the warehouse or a new
day counts again. A problem (the file missing or locked by a writer, a query that fails) is
one line on the hover, never an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
import zoneinfo
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from segdsl.lsp import commands

if TYPE_CHECKING:
    from lsprotocol import types

    from segdsl.as_of import AsOf
    from segdsl.lsp.navigate import Navigator
    from segdsl.lsp.workspace import ProjectState

COUNTING = "size: counting…"
RETRY = 10.0  # seconds before a failed count is tried again (a writer may hold the file)
KEEP = 256  # results kept


@dataclass
class _Result:
    count: int | None = None  # None while counting, or after an error
    error: str | None = None
    at: float = 0.0  # when the count ended (monotonic)


class Sizes:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="segdsl-size")
        self._results: dict[tuple[object, ...], _Result] = {}
        self._lock = threading.Lock()
        self._queued: dict[tuple[str, str], tuple[Future[None], tuple[object, ...]]] = {}

    def line(self, state: ProjectState, name: str, warehouse: str | None) -> str | None:
        """The hover's line on the size of `name` (None: no DuckDB warehouse configured)."""
        from segdsl.warehouse import is_postgres_url

        project = state.project
        if project is None or project.schema is None:
            return None
        settings = project.settings
        target = warehouse or settings.warehouse
        if not target or is_postgres_url(target):  # a remote database is not queried on hover
            return None
        db, _ = commands.warehouse_of(state.root, target)
        assert db is not None
        try:
            mtime = os.stat(db).st_mtime_ns
        except OSError:
            return f"size: no warehouse file `{target}`"
        as_of = settings.as_of or dt.datetime.now(zoneinfo.ZoneInfo(settings.timezone)).date()
        config = state.text(state.config_path) or ""
        files = {state.rel(p): state.text(p) or "" for p in state.seg_paths()}
        digest = hashlib.sha256(config.encode())
        for rel, text in files.items():
            digest.update(b"\0" + rel.encode() + b"\0" + text.encode())
        key = (str(state.root), name, digest.hexdigest(), db, mtime, as_of)
        with self._lock:
            hit = self._results.get(key)
            stale = hit is not None and hit.error is not None and time.monotonic() - hit.at > RETRY
            if hit is None or stale:
                hit = self._results[key] = _Result()
                while len(self._results) > KEEP:
                    self._results.pop(next(iter(self._results)))
                queued = self._queued.pop((str(state.root), name), None)
                if queued is not None and queued[0].cancel():  # superseded before it started
                    self._results.pop(queued[1], None)
                future = self._pool.submit(self._count, hit, state.root, config, files, name, db, as_of)
                self._queued[(str(state.root), name)] = (future, key)
        if hit.error is not None:
            return f"size: not counted ({hit.error.splitlines()[0]})"
        if hit.count is None:
            return COUNTING
        entity = project.schema.entity.name
        return f"**size**: {hit.count:,} {entity if hit.count == 1 else _plural(entity)} (as of {as_of})"

    @staticmethod
    def _count(result: _Result, root: object, config: str, files: dict[str, str], name: str, db: str,
               as_of: AsOf | dt.date) -> None:
        from pathlib import Path

        from segdsl.lsp.workspace import build_project

        try:
            project = build_project(Path(str(root)), config, files)
            if project.segment_ir(name) is None:
                raise commands.CommandError("the segment has errors")
            counted = commands.count_in(project, name, db, None, as_of)
            result.count = int(counted["count"])
        except Exception as e:  # a locked file, a failing query, a bug: one line on the hover
            result.error = str(e) or type(e).__name__
        result.at = time.monotonic()


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def with_size(hover: types.Hover | None, sizes: Sizes, nav: Navigator, path: str, line: int, col: int,
              warehouse: str | None) -> types.Hover | None:
    """The hover with the size line of the segment, member or group under the cursor."""
    from lsprotocol import types

    from segdsl.lsp import symbols as sym

    if hover is None or not isinstance(hover.contents, types.MarkupContent) or not path.endswith(".seg"):
        return hover
    o = nav.at(path, line, col)
    if o is None or o.whole is not None or o.kind not in (sym.SEGMENT, sym.MEMBER) or o.name in nav.state.params():
        return hover  # a parameterised segment has no one size
    try:
        said = sizes.line(nav.state, o.name, warehouse)
    except Exception:  # the size is a nicety: never let it break hover
        said = None
    if said:
        hover.contents.value += f"\n\n{said}"
    return hover
