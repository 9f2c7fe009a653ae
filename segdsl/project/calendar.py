"""The project's calendar: `[project] week_start` and `fiscal_year_start` of segdsl.toml.

They decide where the calendar periods of the language start (`in this week`, `in last
fiscal_quarter`, ...): weeks on Monday or Sunday, fiscal years in a given month. A fiscal year
is named by the calendar year in which it ends (with April starts, FY2025 runs from
2024-04-01 to 2025-03-31).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from segdsl.diagnostics import Diagnostic, Span, did_you_mean, error

WeekStart = Literal["monday", "sunday"]
WEEK_STARTS: tuple[WeekStart, ...] = ("monday", "sunday")
SETTINGS = ("week_start", "fiscal_year_start")


@dataclass(frozen=True)
class Calendar:
    week_start: WeekStart = "monday"
    # the month (1-12) fiscal years start in; None: the project has no fiscal units
    fiscal_year_start: int | None = None


def read_calendar(raw: dict[str, Any], at: Any, diags: list[Diagnostic]) -> Calendar:
    """The calendar settings of a `[project]` table. `at(key)` is the span of a key there."""
    week = raw.get("week_start", "monday")
    week_start: WeekStart = "monday"
    if week == "sunday":
        week_start = "sunday"
    elif week != "monday":
        span: Span = at("week_start")
        diags.append(error("SEG0403", f"[project]: week_start must be \"monday\" or \"sunday\", found {week!r}",
                           span, did_you_mean(str(week).lower(), WEEK_STARTS),
                           'weeks start on Monday unless you write week_start = "sunday"'))
    fiscal = raw.get("fiscal_year_start")
    if fiscal is None:
        return Calendar(week_start)
    if isinstance(fiscal, bool) or not isinstance(fiscal, int) or not 1 <= fiscal <= 12:
        diags.append(error("SEG0403", f"[project]: fiscal_year_start must be a month number from 1 to 12, found {fiscal!r}",
                           at("fiscal_year_start"),
                           "write the month the fiscal year starts in: fiscal_year_start = 4 for April"))
        return Calendar(week_start)
    return Calendar(week_start, fiscal)
