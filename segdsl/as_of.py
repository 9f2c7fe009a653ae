"""The reference date ("today") of a compilation: a date, or an instant in the project's
time zone.

One parser for every place a reference is written (`--as-of` on the command line,
`[project] as_of` in segdsl.toml, `as_of=` in the Python API), so the accepted forms and the
allowed range are the same everywhere. Segments compare dates, so the compiler is given
`AsOf.date`, the local date of the instant; the instant itself stays on the value for
time-of-day features
and for "now", the instant before which relation rows are seen (`AsOf.now`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

# Windows are at most 100 years long (the checker's limit), so any reference in this range
# keeps every date a segment computes within what all engines and Python represent.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
RANGE_TEXT = f"{EARLIEST.isoformat()} … {LATEST.isoformat()}"
FORMS = "a date YYYY-MM-DD or an instant YYYY-MM-DDTHH:MM in the project time zone"


class AsOfError(ValueError):
    """A reference that is not a date or instant, or lies outside EARLIEST … LATEST."""


@dataclass(frozen=True)
class AsOf:
    """A fixed reference: `date` is what segments compare; `instant` (time-zone aware, in
    the project's zone) is set when a time of day was given."""

    date: dt.date
    instant: dt.datetime | None = None

    def now(self, timezone: str = "UTC") -> dt.datetime:
        """The reference instant as naive UTC: the instant itself, or for a date the start of
        the next day in `timezone` (so a row at 23:59:59 on that day is still before now).
        A local midnight that a clock change skips maps through the offset before the jump:
        the instant the next day actually starts."""
        if self.instant is not None:
            return self.instant.astimezone(dt.UTC).replace(tzinfo=None)
        day = self.date + dt.timedelta(days=1)
        start = dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(timezone))
        return start.astimezone(dt.UTC).replace(tzinfo=None)

    def __str__(self) -> str:
        if self.instant is None:
            return self.date.isoformat()
        return self.instant.replace(tzinfo=None).isoformat(timespec="minutes")


def parse(text: str, timezone: str = "UTC") -> AsOf:
    """`2024-06-30` or `2024-06-30T14:00` (also with seconds, or a space for the T)."""
    value = text.strip()
    parsed: dt.date | dt.datetime
    try:
        if not any(c in value for c in "T :"):
            parsed = dt.date.fromisoformat(value)
        else:
            parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise AsOfError(f"`{text}` is not {FORMS}, e.g. 2024-06-30") from None
    return coerce(parsed, timezone)


def coerce(value: AsOf | dt.date | dt.datetime | str, timezone: str = "UTC") -> AsOf:
    """Any accepted form as an AsOf. A naive datetime is read in `timezone`; an aware one is
    converted to it (its local date is the one segments use)."""
    if isinstance(value, AsOf):
        result = value
    elif isinstance(value, str):
        return parse(value, timezone)
    elif isinstance(value, dt.datetime):
        zone = zoneinfo.ZoneInfo(timezone)
        instant = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
        result = AsOf(instant.date(), instant)
    elif isinstance(value, dt.date):
        result = AsOf(value)
    else:
        raise AsOfError(f"as_of must be a date or a datetime, not {type(value).__name__}")
    if not EARLIEST <= result.date <= LATEST:
        raise AsOfError(f"the reference date {result.date.isoformat()} is outside the "
                        f"supported range {RANGE_TEXT}")
    return result
