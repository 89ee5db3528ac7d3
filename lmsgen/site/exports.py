"""The files the site offers to download rather than read: the exports and each person's calendar feed.

The exports (`FILES`, written to `exports/`) hold everything the pages cut short: every status row,
completion, certificate and request, as CSV for spreadsheets and, for the status, the JSON that
`lmsgen status --format json` prints. A CSV cell that a spreadsheet would run as a formula is
neutralised: names and titles are text from the organisation's files, not formulas to run on the
reader's machine. The calendar feed (at its secret address, `feeds`) is RFC 5545 text, written with
`lmsgen.model.ical` (escaped, folded, UTC); the `icalendar` library only checks it in the tests and is no
dependency of the package. A session of several days at the same hours is one event per day
(`Session.meetings`), not one block through the nights.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import TextIO

from ..model import ical
from ..rules import engine
from ..rules.assessments import score_text
from .learning import program_title
from .portals import Portal
from .views import Certificate, SiteData


def status_json(data: SiteData, stream: TextIO) -> None:
    """Exactly what `lmsgen status --format json` prints for the same date."""
    engine.status_json(status_rows(data), stream)


STATUS_CSV_HEADER = ["person", "name", "team", "course", "title", "status", "due", "completed_on", "expires_on",
                     "source", "failed_attempts", "attempts_left", "attempts_used_up"]


def status_csv(data: SiteData, stream: TextIO) -> None:
    """Every status row: who, which course, its status and dates, and what assigned it."""
    _csv(stream, STATUS_CSV_HEADER, (status_csv_row(data, r) for r in status_rows(data)))


def status_csv_row(data: SiteData, r: engine.StatusRow) -> list[object]:
    return [r.person, data.person_name(r.person), r.team, r.course, program_title(data, r.course),
            r.status.value, r.due, r.completed_on, r.expires_on, r.source, r.failed_attempts,
            r.attempts_left, "yes" if r.attempts_used_up else ""]


def status_rows(data: SiteData) -> list[engine.StatusRow]:
    """The courses' rows and the learning paths' (`program:<id>`), as `lmsgen status` lists them."""
    if not data.org.programs:
        return data.rows
    return sorted([*data.rows, *data.learning.program_rows], key=lambda r: (r.person, r.course))


COMMIT_DIGITS = 12
"""records.csv names a commit by its abbreviated id, as git (`git show`, `git log`) and the git hosts' URLs accept it:
twelve hex digits name one commit in any repository of a human size (a fifth of the file at 40)."""
RECORDS_CSV_HEADER = ["person", "name", "team", "course", "title", "completed_on", "via", "by", "session",
                      "expires_on", "path", "commit", "score", "result", "checklist"]


def records_csv(data: SiteData, stream: TextIO) -> None:
    """Every completion and failed attempt (`result`: passed, failed or partial), with the commit that recorded
    it when the history is known: its id's first `COMMIT_DIGITS` hex digits, as the portals link it (docs/site.md)."""
    _csv(stream, RECORDS_CSV_HEADER,
         (row for person, events in sorted(data.history.items()) for row in records_csv_rows(data, person, events)))


def records_csv_rows(data: SiteData, person: str, events: list[engine.CompletionEvent]) -> Iterator[list[object]]:
    """The rows of records.csv of one person's completions and attempts (`SiteData.history`)."""
    title, audit_entry = data.course_title, data.audit_entry
    name = data.person_name(person)
    team = data.org.members[person].team if person in data.org.members else ""
    for event in events:
        audit = audit_entry(event)
        yield [person, name, team, event.course, title(event.course), event.on,
               event.via, event.by or "", event.session or "",
               event.expires_on if event.result == "passed" else None, event.path,
               audit.commit.sha[:COMMIT_DIGITS] if audit else "",
               None if event.score is None else score_text(event.score), event.result, event.progress]


CERTIFICATIONS_CSV_HEADER = ["person", "name", "team", "course", "title", "completed_on", "expires_on", "state"]


def certifications_csv(data: SiteData, stream: TextIO) -> None:
    """Every certificate and its state, the soonest to expire first."""
    _csv(stream, CERTIFICATIONS_CSV_HEADER, (certification_row(data, c) for c in data.all_certificates()))


def certification_row(data: SiteData, c: Certificate) -> list[object]:
    return [c.person, data.person_name(c.person), data.org.members[c.person].team, c.course,
            data.course_title(c.course), c.completed_on, c.expires_on, c.state]


def approvals_csv(data: SiteData, stream: TextIO) -> None:
    """Every request: its course, cost, the approvals it needs and the seat it got; the day it was withdrawn, and
    the end of the session its person did not come to (docs/sessions.md)."""
    rows = []
    for person, views in sorted(data.requests_by_person.items()):
        for v in reversed(views):
            request = v.entry.model
            rows.append([v.entry.id, person, data.person_name(person), v.entry.ids.get("team", ""),
                         request.course, data.course_title(request.course), request.kind.value,
                         request.session or "", request.date, v.cost.amount if v.cost else "",
                         v.cost.currency if v.cost else "", " ".join(["manager", *v.slips]),
                         "withdrawn" if v.withdrawn else v.seat.value if v.seat else "", v.entry.source.path,
                         v.withdrawn, v.absent])
    _csv(stream, ["request", "person", "name", "team", "course", "title", "kind", "session", "date", "cost",
                  "currency", "approvals", "seat", "path", "withdrawn_on", "absent_on"], rows)


FILES: dict[str, Callable[[SiteData, TextIO], None]] = {
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
        events.append(ical.all_day(f"due-{portal.id}-{item.row.course}@lmsgen", as_of, due,
                                   f"Due: {item.course.title}",
                                   f"{item.source_title}. Status on {as_of.isoformat()}: {item.row.status.value}.",
                                   "due"))
    for request in portal.requests:
        session = request.session
        if session is None or request.course is None or request.withdrawn:
            continue
        seat = request.seat.value if request.seat else "booked"
        meetings = session.meetings()
        for day, (start, end) in enumerate(meetings, 1):
            of_days = f" (day {day} of {len(meetings)})" if len(meetings) > 1 else ""
            events.append([
                f"UID:session-{portal.id}-{request.entry.id}{f'-{day}' if of_days else ''}@lmsgen",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{ical.utc(start)}",
                f"DTEND:{ical.utc(end)}",
                "SUMMARY:" + ical.text(f"{request.course.title}" + (" (waitlisted)" if seat == "waitlisted" else "")),
                "LOCATION:" + ical.text(session.location),
                "DESCRIPTION:" + ical.text(f"Session {session.id}{of_days}, {start:%H:%M}-{end:%H:%M} "
                                           f"{start.tzinfo}; seat: {seat}."),
                "CATEGORIES:" + ical.text("session"),
            ])
    return ical.calendar(f"Learning: {portal.member.person.name}", events)


# --- formats ----------------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(_FORMULA_START)


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    kind = type(value)
    if kind is str:  # the cells of millions of rows: the usual types first, by type
        return "'" + value if value and value[0] in _FORMULA_CHARS else value
    if kind is int:
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(stream: TextIO, header: list[str] | None, rows: Iterable[list[object]]) -> None:
    """Writes the rows to `stream` as they come, so that no export is ever whole in memory; without a `header`,
    the rows alone (a piece of a file, `export_pieces`)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(map(_cell, row) for row in rows)


def csv_text(rows: Iterable[list[object]]) -> str:
    """The rows as `_csv` writes them, without a header: one person's piece of an export (`export_pieces`)."""
    buffer = io.StringIO()
    _csv(buffer, None, rows)
    return buffer.getvalue()
