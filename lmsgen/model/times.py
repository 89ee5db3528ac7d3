"""Dates, session times and time zones: how the files write them, and what every later stage reads.

Decisions:

- One written form each. A date is `YYYY-MM-DD`; a session time is `YYYY-MM-DDTHH:MM` (seconds
  optional), naive or with its offset from UTC (`Z`, `+01:00`). pydantic alone would also read Unix
  timestamps, `2026-12-03 09:00` or `2026-12-03t09:00z`, which the JSON Schemas editors use refuse;
  `DATE_PATTERN` and `DATETIME_PATTERN` are the schemas' patterns, days of the calendar included.
  `check` applies the time pattern itself; a date, after a check of its form, it leaves to pydantic's
  parser, because records hold hundreds of thousands of dates and the pattern costs 4 µs each in
  Python (the tests show the two agree on every value).
- Time zones are IANA names from the `tzdata` package's list (a dependency), so the names accepted
  and the schemas' list of them are the same on every machine; the system's database may add names
  such as `localtime` that mean something else on each machine.
- A session's times are aware datetimes in the session's own zone from the moment they are
  validated: a naive time is local to the session's `timezone`, else to the org's (handed to
  validation as context, see `validation_context`), else to UTC; a time with an offset is converted
  into that zone. So `.date()` is the session's local date, and no later stage can compare naive
  and aware times. A naive time the zone skips (clocks going forward) is refused; one it has twice
  (clocks going back) is the first.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

_DAY = (r"(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
        r"-02-29)")
"""A day of the Gregorian calendar, 29 February in leap years only (year 0000 is refused apart)."""
_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
DATE_PATTERN = f"^(?!0000){_DAY}$"
DATETIME_PATTERN = f"^(?!0000|0001|9999){_DAY}T{_CLOCK}{_OFFSET}?$"
"""Not in the first and last years Python knows: a time there may have no UTC or local equivalent."""
_DATETIME = re.compile(DATETIME_PATTERN)

UTC = "UTC"
"""The zone of a session when neither it nor the org names one."""
ORG_ZONE = "org_timezone"
"""The validation context's key for the org's zone name."""


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name lmsgen accepts, sorted: the `tzdata` package's list."""
    return tuple(sorted(resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()))


@cache
def _zone_set() -> frozenset[str]:
    return frozenset(zone_names())


def validation_context(org_zone: str | None) -> dict[str, Any]:
    """What validating a file needs to know from org.yaml: the zone naive session times are local to."""
    return {ORG_ZONE: org_zone or UTC}


def _written_date(value: Any) -> Any:
    if type(value) is date or (type(value) is str and len(value) == 10 and value[4] == value[7] == "-"):
        return value  # pydantic refuses what is not a day of the calendar, as a `date_..._parsing` error
    raise PydanticCustomError("date_format", "not a date")


def _written_time(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _DATETIME.fullmatch(value)):
        return value
    raise PydanticCustomError("time_format", "not a date and time")


def _known_zone(name: str) -> str:
    if name in _zone_set():
        return name
    close = difflib.get_close_matches(name, zone_names(), n=1) or [
        known for known in zone_names() if known.lower() == name.lower()]
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise PydanticCustomError("time_zone", "unknown time zone '{name}'{hint}: use an IANA name such as "
                              "Europe/Amsterdam, America/New_York or UTC", {"name": name, "hint": hint})


Day = Annotated[date, BeforeValidator(_written_date),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
"""A date written `YYYY-MM-DD`."""

LocalTime = Annotated[datetime, BeforeValidator(_written_time), WithJsonSchema({
    "type": "string", "pattern": DATETIME_PATTERN,
    "description": "YYYY-MM-DDTHH:MM, local to the session's timezone (else the org's, else UTC), "
                   "or with its offset from UTC: 2026-12-03T09:00+01:00 or 2026-12-03T08:00Z"})]
"""A date and time as written: naive, or with its offset from UTC (`in_zone` makes it the session's)."""

TimeZone = Annotated[str, AfterValidator(_known_zone), WithJsonSchema({"type": "string", "enum": list(zone_names())})]
"""An IANA time zone name, such as `Europe/Amsterdam`."""


def in_zone(moment: datetime, zone_name: str) -> datetime:
    """`moment` as an aware time in the zone: a naive time is read as local to it, an aware one converted.

    Raises PydanticCustomError for a naive time the zone skips (the clocks go forward over it).
    """
    where = ZoneInfo(zone_name)
    if moment.tzinfo is not None:
        return moment.astimezone(where)
    local = moment.replace(tzinfo=where)
    if local.astimezone(timezone.utc).astimezone(where).replace(tzinfo=None) != moment:
        raise PydanticCustomError(
            "time_skipped", "{time} does not exist in {zone}: the clocks skip it when they go forward; "
            "choose a time before or after the change", {"time": f"{moment:%Y-%m-%dT%H:%M}", "zone": zone_name})
    return local


DAILY_AT_MOST = 31
"""The most days a session meets day by day; a longer one is one span (and a typo in a year no flood of events)."""


def meetings(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """When a session meets, in its own zone: each day from the start time to the end time when it spans
    several days (up to `DAILY_AT_MOST`) and ends later in the day than it starts (a two-day course,
    09:00-17:00 each day); else once, from start to end (a single day, an evening into the night, a
    residential week)."""
    first, last = start.date(), end.date()
    if first == last or end.time() <= start.time() or (last - first).days >= DAILY_AT_MOST:
        return [(start, end)]
    where = start.tzinfo
    return [(datetime.combine(day, start.time(), where), datetime.combine(day, end.time(), where))
            for day in (first + timedelta(days=n) for n in range((last - first).days + 1))]
