"""iCalendar (RFC 5545) text: escaped, folded, in UTC, the format of every calendar lmsgen writes.

The site's calendar feeds and the reminders' `.ics` attachments are both written with it, so it
lives below both. Times are UTC (`...Z`), never floating: a floating time would be read in each
reader's own zone, and UTC needs no VTIMEZONE definitions. Due dates are all-day events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone


def calendar(name: str, events: Iterable[list[str]], *, method: str = "PUBLISH") -> str:
    """A VCALENDAR named `name` holding `events` (each the content lines of one VEVENT), CRLF-terminated."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//lmsgen//learning portal//EN", "CALSCALE:GREGORIAN",
             f"METHOD:{method}", "X-WR-CALNAME:" + text(name)]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def all_day(uid: str, stamp: date, day: date, summary: str, description: str, category: str) -> list[str]:
    """The content lines of an all-day event on `day` (a due date), stamped at midnight UTC of `stamp`."""
    return [
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        "SUMMARY:" + text(summary),
        "DESCRIPTION:" + text(description),
        "CATEGORIES:" + text(category),
    ]


def utc(moment: datetime) -> str:
    """An aware time as an RFC 5545 UTC date-time."""
    return f"{moment.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """RFC 5545 folding: lines of at most 75 octets, continued with a space, never inside a UTF-8 character."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # a continuation byte: step back to the character's start
            end -= 1
        parts.append(raw[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts)
