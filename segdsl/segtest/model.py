"""The values a `.segtest` file is read into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from segdsl.as_of import AsOf
from segdsl.diagnostics import Span

SubjectKind = Literal["segment", "family", "split"]
Key = int | str


@dataclass(frozen=True)
class Cell:
    """One `column = value` of a row; `value` is what TOML read (a date-time without offset
    is still naive here: the project time zone reads it when the row is loaded)."""

    column: str
    value: Any
    key_span: Span
    value_span: Span


@dataclass(frozen=True)
class Row:
    table: str  # the entity's table name or a relation name, as the test keys it
    cells: dict[str, Cell] = field(hash=False)
    span: Span = Span.none()

    def get(self, column: str) -> Any:
        cell = self.cells.get(column)
        return None if cell is None else cell.value


@dataclass(frozen=True)
class Expected:
    """What a test states: `members` exact, `include`/`exclude` partial, `assign` per key."""

    members: tuple[Key, ...] | None = None
    include: tuple[Key, ...] = ()
    exclude: tuple[Key, ...] = ()
    assign: tuple[tuple[Key, str], ...] = ()


@dataclass(frozen=True)
class SegTest:
    name: str
    path: str  # relative to the project root, as diagnostics name it
    span: Span  # the name in the `test "NAME"` line
    as_of: AsOf | None
    kind: SubjectKind | None
    subject: str
    subject_span: Span
    rows: dict[str, tuple[Row, ...]] = field(hash=False)  # by table key, in file order
    expected: Expected = Expected()
    ok: bool = True  # False when the test has errors: it is reported, never run

    def label(self) -> str:
        return f'{self.path}: test "{self.name}"'


def local_instant(value: dt.datetime, timezone: str) -> dt.datetime:
    """A TOML date-time as naive UTC (what a timestamp column holds): without an offset it
    is read in the project time zone."""
    import zoneinfo

    if value.tzinfo is None:
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    return value.astimezone(dt.UTC).replace(tzinfo=None)
