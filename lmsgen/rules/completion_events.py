"""Completion events: each record, imported completion and attended session as one small value, read from the files.

The engine's status rows need each person's latest completion of each course and their failed attempts; the
portals, the certificates and the exports need every event. A build needs both for everyone, so it reads the
records once (`Engine.keep_events`): the events are made in one pass, letting go of each records file's model as
soon as it is read (`Entry.release`), and the dates are taken from the events (`dates_from_events`), which give
the same as reading the records again (`Engine._dates_of`: a record or import that counts is "passed", a failed
attempt "failed", a partial checklist neither).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .assessments import judge_import, judge_record
from .dates import months_later

if TYPE_CHECKING:
    from .engine import Engine


@dataclass(frozen=True, slots=True)  # hundreds of thousands at 10,000 people: no dict each
class CompletionEvent:
    """One completion of one course by one person: a record, or attendance of a session (its end date)."""

    person: str
    course: str
    on: date
    via: str
    """``record``, ``attendance`` or ``import`` (an entry of an imported batch, `by` naming its source)."""
    path: str
    """The file that says so."""
    expires_on: date | None
    by: str | None = None
    session: str | None = None
    index: int | None = None
    """The record's (or imported entry's) position in its file (0-based); None for attendance."""
    score: float | None = None
    result: str = "passed"
    """``passed``, ``failed`` or ``partial`` (`assessments.judge`); only passed ones are completions."""
    progress: str | None = None
    """A checklist's progress, ``3 of 5 items``."""


def read_events(engine: Engine, person: str | None, *, attempts: bool,
                release: bool = False) -> Iterable[CompletionEvent]:
    """Every completion of `person` (None: everyone) in file order, those after as-of included; with `attempts`,
    the records and imports that do not count too. With `release`, each records file's model is let go once read."""
    org = engine.org
    valid_months = {course_id: entry.model.valid_months for course_id, entry in org.courses.items()}
    judged = engine._assessed
    # Each event names a course, a recorder and dates that thousands of others name too: with `release`, the
    # records' models go and the events stay for the whole build, so they share one object of each (`_Shared`)
    # rather than each holding the copy its file's model was read with (a third of what a build holds).
    share = _Shared() if release else None
    for entry in org.records:
        if person is not None and entry.model.person != person:
            continue
        model = entry.model
        if release:
            entry.release()
        for index, record in enumerate(model.records):
            course, on, by = record.course, record.date, record.by
            judgement = judge_record(record, judged[course]) if course in judged else None
            if judgement is not None and not judgement.counts and not attempts:
                continue
            if share is not None:
                course, on, by = share(course), share(on), share(by)
            expires = months_later(on, valid_months.get(course))
            yield CompletionEvent(model.person, course, on, "record", entry.source.path,
                                  share(expires) if share is not None else expires,
                                  by=by, index=index, score=record.score,
                                  result=judgement.result.value if judgement else "passed",
                                  progress=judgement.progress if judgement else None)
    for entry in org.completions:
        for index, imported in enumerate(entry.model.records):
            if person is None or imported.person == person:
                judgement = judge_import(imported, judged.get(imported.course))
                if not judgement.counts and not attempts:
                    continue
                yield CompletionEvent(imported.person, imported.course, imported.date, "import",
                                      entry.source.path, months_later(imported.date,
                                                                      valid_months.get(imported.course)),
                                      by=entry.model.source, index=index, score=imported.score,
                                      result=judgement.result.value)
    for course, session, ended, attendance in engine._attended_sessions:
        expires = months_later(ended, valid_months.get(course))
        for attendee in attendance.model.attended:
            if person is None or attendee == person:
                yield CompletionEvent(attendee, course, ended, "attendance", attendance.source.path, expires,
                                      session=session)


class _Shared(dict):
    """One object for each equal value (a string, a date) handed to it: `shared(value)`."""

    def __call__(self, value):
        if value is None:
            return None
        found = self.get(value)
        if found is None:
            found = self[value] = value
        return found


def dates_from_events(events: Iterable[CompletionEvent], as_of: date) -> tuple[dict[tuple[str, str], date],
                                                                              dict[tuple[str, str], list[date]]]:
    """The latest completion that counts of each (person, course), and the dates of its failed attempts, on or
    before `as_of` (`Engine._dates_of`), from everyone's events with their attempts."""
    last: dict[tuple[str, str], date] = {}
    failed: dict[tuple[str, str], list[date]] = defaultdict(list)
    for event in events:
        if event.on > as_of:
            continue
        key = (event.person, event.course)
        if event.result == "passed":
            if key not in last or last[key] < event.on:
                last[key] = event.on
        elif event.result == "failed":
            failed[key].append(event.on)
    return last, failed
