"""The files the site offers to download rather than read: the exports and each person's calendar feed.

The exports (`FILES`, written to `exports/`) hold everything the pages cut short: every status row,
completion, certificate and request, as CSV for spreadsheets and, for the status, the JSON that
`lmsgen status --format json` prints. A CSV cell that a spreadsheet would run as a formula is
neutralised: names and titles are text from the organisation's files, not formulas to run on the
reader's machine. The calendar feed (at its secret address, `feeds`) is RFC 5545 text, escaped and
folded here; the `icalendar` library only checks it in the tests and is no dependency of the package.
Session times in the feed are UTC (`...Z`), never floating: a floating time would be read in each
reader's own zone, and UTC needs no VTIMEZONE definitions. A session of several days at the same
hours is one event per day (`Session.meetings`), not one block through the nights.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone

from ..rules import engine
from .portals import Portal
from .views import Certificate, SiteData


def status_json(data: SiteData) -> str:
    """Exactly what `lmsgen status --format json` prints for the same date."""
    return engine.status_json(data.rows)


def status_csv(data: SiteData) -> str:
    """Every status row: who, which course, its status and dates, and what assigned it."""
    return _csv(["person", "name", "team", "course", "title", "status", "due", "completed_on", "expires_on",
                 "source"],
                ([r.person, data.person_name(r.person), r.team, r.course, data.course_title(r.course),
                  r.status.value, r.due, r.completed_on, r.expires_on, r.source] for r in data.rows))


def records_csv(data: SiteData) -> str:
    """Every completion, with the commit that recorded it when the history is known."""
    rows = []
    for person, events in sorted(data.completions.items()):
        for event in events:
            audit = data.audit_entry(event)
            rows.append([person, data.person_name(person), data.org.members[person].team if person in
                         data.org.members else "", event.course, data.course_title(event.course), event.on,
                         event.via, event.by or "", event.session or "", event.expires_on, event.path,
                         audit.commit.sha if audit else ""])
    return _csv(["person", "name", "team", "course", "title", "completed_on", "via", "by", "session",
                 "expires_on", "path", "commit"], rows)


def certifications_csv(data: SiteData) -> str:
    """Every certificate and its state, the soonest to expire first."""

    def row(c: Certificate) -> list[object]:
        return [c.person, data.person_name(c.person), data.org.members[c.person].team, c.course,
                data.course_title(c.course), c.completed_on, c.expires_on, c.state]

    return _csv(["person", "name", "team", "course", "title", "completed_on", "expires_on", "state"],
                map(row, data.all_certificates()))


def approvals_csv(data: SiteData) -> str:
    """Every request: its course, cost, the approvals it needs and the seat it got."""
    rows = []
    for person, views in sorted(data.requests_by_person.items()):
        for v in reversed(views):
            request = v.entry.model
            rows.append([v.entry.id, person, data.person_name(person), v.entry.ids.get("team", ""),
                         request.course, data.course_title(request.course), request.kind.value,
                         request.session or "", request.date, v.cost.amount if v.cost else "",
                         v.cost.currency if v.cost else "", " ".join(["manager", *v.slips]),
                         v.seat.value if v.seat else "", v.entry.source.path])
    return _csv(["request", "person", "name", "team", "course", "title", "kind", "session", "date", "cost",
                 "currency", "approvals", "seat", "path"], rows)


FILES: dict[str, Callable[[SiteData], str]] = {
    "status.json": status_json,
    "status.csv": status_csv,
    "records.csv": records_csv,
    "certifications.csv": certifications_csv,
    "approvals.csv": approvals_csv,
}
"""Each export by its file name in the site's `exports/` folder."""


def calendar(portal: Portal, as_of: date) -> str:
    """The person's iCalendar feed: due dates (all-day) and booked sessions."""
    stamp = f"{as_of:%Y%m%d}T000000Z"
    events: list[list[str]] = []
    for item in portal.todo:
        due = item.row.due
        if due is None:
            continue
        events.append([
            f"UID:due-{portal.id}-{item.row.course}@lmsgen",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{date.fromordinal(due.toordinal() + 1):%Y%m%d}",
            "SUMMARY:" + _ical_text(f"Due: {item.course.title}"),
            "DESCRIPTION:" + _ical_text(f"{item.source_title}. Status on {as_of.isoformat()}: "
                                        f"{item.row.status.value}."),
            "CATEGORIES:" + _ical_text("due"),
        ])
    for request in portal.requests:
        session = request.session
        if session is None or request.course is None:
            continue
        seat = request.seat.value if request.seat else "booked"
        meetings = session.meetings()
        for day, (start, end) in enumerate(meetings, 1):
            of_days = f" (day {day} of {len(meetings)})" if len(meetings) > 1 else ""
            events.append([
                f"UID:session-{portal.id}-{request.entry.id}{f'-{day}' if of_days else ''}@lmsgen",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{_utc(start)}",
                f"DTEND:{_utc(end)}",
                "SUMMARY:" + _ical_text(f"{request.course.title}" + (" (waitlisted)" if seat == "waitlisted" else "")),
                "LOCATION:" + _ical_text(session.location),
                "DESCRIPTION:" + _ical_text(f"Session {session.id}{of_days}, {start:%H:%M}-{end:%H:%M} "
                                            f"{start.tzinfo}; seat: {seat}."),
                "CATEGORIES:" + _ical_text("session"),
            ])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//lmsgen//learning portal//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:" + _ical_text(f"Learning: {portal.member.person.name}")]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


# --- formats ----------------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _utc(moment: datetime) -> str:
    """An aware time as an RFC 5545 UTC date-time."""
    return f"{moment.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def _ical_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
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
