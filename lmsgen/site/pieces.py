"""Each person's share of what counts everyone, kept between builds (docs/site.md, "Incremental builds").

The pages that count everyone (the directories, the reports, the team dashboards up the tree, the exports)
are rendered again after any one person's change, and they need everyone's status rows and completions.
Making those for 10,000 people takes seconds, reading every records file; writing the exports, seconds
more. So each build keeps, per person, under the digest of what their share is made of
(`PageInputs.piece`: everything but people's own files, what people's files decide for others, and the
person's own files and credits), their status rows, their completions and attempts, and their latest
completion and failed attempts per course (what the learning paths and skills are judged by); and, per
export that lists people one after the other (`export_pieces`), where each person's rows are in the file
it wrote. The next build takes the people whose digest is unchanged from there, makes the others' with
an engine that reads their records files alone, and copies the unchanged people's rows of the exports
from the last site's files, byte for byte.

**Where it lives.** Beside the build manifest, in the git folder (or the user's cache folder), one file
per output folder and Python version (marshal's format is the version's), read and written through
`writing.Tree`: never in the working tree, where a pull request could commit one. The file carries a
SHA-256 digest of its content, checked before it is decoded; a file that does not verify, is of another
format, or decodes to the wrong shape, is ignored, and everything is made anew. An export is copied
from only when the last site's file is still the very file that build wrote (its inode, size and time).
"""

from __future__ import annotations

import copy
import hashlib
import marshal
import os
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from ..cache.store import cache_home
from ..gcpause import collector_paused
from ..rules.engine import CompletionEvent, Engine, Status, StatusRow
from ..writing import Tree
from .page_inputs import PageInputs
from .views import SiteData

FORMAT = 1
_MAGIC = b"lmsgen pieces %d\n" % FORMAT
_DIGEST = 32
_MOST_CHANGED = 0.25
"""When more than this share of people changed, everyone's rows are made at once (as a full build does)."""

Encoded = tuple[str, bytes]
"""A person's pieces as kept: their digest, and their status rows, completions and attempts, latest completions and
failed attempts, marshalled (dates as ordinals): one small object per person, decoded only if they are kept."""
ExportIndex = tuple[tuple[int, int, int], dict[str, tuple[int, int]]]
"""An export file as a build wrote it: its (inode, size, modification time) and each person's (start, end)."""


class Pieces:
    """One build's use of the pieces the last one kept (`previous`, None: none), and what it keeps for the next."""

    def __init__(self, previous: dict[str, Any] | None = None):
        self.previous_people: dict[str, Encoded] = previous["people"] if previous else {}
        self.previous_exports: dict[str, ExportIndex] = previous["exports"] if previous else {}
        self.people: dict[str, Encoded] = {}
        self.exports: dict[str, ExportIndex] = {}
        self.kept: frozenset[str] = frozenset()
        """The people whose pieces were taken from the last build."""

    def fill(self, data: SiteData, inputs: PageInputs) -> None:
        """Gives `data` everyone's status rows and completions, and its engine everyone's completion dates: the
        kept ones of the people whose inputs did not change, the others' made now."""
        keys = {person: inputs.piece(person) for person in inputs.people()}
        kept = {person for person, key in keys.items()
                if (found := self.previous_people.get(person)) is not None and found[0] == key}
        changed = set(keys) - kept
        if kept and len(changed) <= len(keys) * _MOST_CHANGED:
            day = _Days()
            try:
                with collector_paused():
                    decoded = {person: _decode(person, self.previous_people[person], day) for person in kept}
            except (TypeError, ValueError, KeyError, OverflowError, EOFError):  # a kept piece of the wrong shape
                decoded = None
            if decoded is not None:
                with collector_paused():
                    self._make_some(data, keys, decoded, changed)
                return
        self.previous_people = {}  # not needed any more: let go of it before everyone's are made
        self._make_all(data, keys)

    def _make_all(self, data: SiteData, keys: dict[str, str]) -> None:
        """Everyone's, as a full build makes them, kept for the next build."""
        rows = data.rows
        last, failed = data.engine.completion_dates(None)
        history = data.history
        by_person: dict[str, list[StatusRow]] = defaultdict(list)
        for row in rows:
            by_person[row.person].append(row)
        dates = _by_person(last, failed)
        with collector_paused():
            for person in set(keys) | set(history):
                self.people[person] = _encode(keys.get(person, ""), by_person.get(person, []),
                                              history.get(person, []), *dates.get(person, ([], [])))

    def _make_some(self, data: SiteData, keys: dict[str, str], kept: dict[str, tuple], changed: set[str]) -> None:
        org, as_of = data.org, data.as_of
        view = copy.copy(org)  # the changed people's records files alone: the others' are neither read nor validated
        view.records = [entry for entry in org.records if entry.ids.get("person") in changed]
        engine = Engine(view, as_of)
        engine.audiences, engine.seats = data.engine.audiences, data.engine.seats  # neither reads records
        events: dict[str, list[CompletionEvent]] = defaultdict(list)
        for event in engine.events(None, attempts=True):  # theirs, and every import and attendance
            if event.on <= as_of and (event.person in changed or event.person not in keys):
                events[event.person].append(event)
        for found in events.values():
            found.sort(key=lambda e: (e.on, e.course, e.via, e.path))  # as Engine.completions
        wanted = changed | set(events)
        new_rows: dict[str, list[StatusRow]] = defaultdict(list)
        for row in engine.rows(wanted):
            new_rows[row.person].append(row)
        new_dates = _by_person(*engine.completion_dates(wanted))
        rows: list[StatusRow] = []
        history: dict[str, list[CompletionEvent]] = {}
        last: dict[tuple[str, str], date] = {}
        failed: dict[tuple[str, str], list[date]] = {}
        for person in sorted(set(keys) | set(events)):
            if person in kept:
                self.people[person] = self.previous_people[person]
                person_rows, person_events, person_last, person_failed = kept[person]
            else:
                person_rows, person_events = new_rows.get(person, []), events.get(person, [])
                person_last, person_failed = new_dates.get(person, ([], []))
                self.people[person] = _encode(keys.get(person, ""), person_rows, person_events, person_last,
                                              person_failed)
            rows += person_rows
            if person_events:
                history[person] = person_events
            for course, on in person_last:
                last[(person, course)] = on
            for course, days in person_failed:
                failed[(person, course)] = days
        data.__dict__["rows"] = rows  # what SiteData.rows and .history would make, made
        data.__dict__["history"] = history
        data.engine.know_completion_dates(last, failed)
        self.kept = frozenset(kept)

    def carry_exports(self) -> None:
        """Keeps the last build's exports' index: this build took its files over as they were."""
        self.exports = dict(self.previous_exports)

    def payload(self) -> dict[str, Any]:
        return {"format": FORMAT, "people": self.people, "exports": self.exports}


def _by_person(last: dict[tuple[str, str], date], failed: dict[tuple[str, str], list[date]]
               ) -> dict[str, tuple[list[tuple[str, date]], list[tuple[str, list[date]]]]]:
    found: dict[str, tuple[list, list]] = {}
    for (person, course), on in last.items():
        found.setdefault(person, ([], []))[0].append((course, on))
    for (person, course), days in failed.items():
        if days:
            found.setdefault(person, ([], []))[1].append((course, days))
    return found


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _encode(key: str, rows: list[StatusRow], events: list[CompletionEvent], last: list[tuple[str, date]],
            failed: list[tuple[str, list[date]]]) -> Encoded:
    o = _ordinal
    return key, marshal.dumps((
            tuple((r.course, r.status.value, o(r.due), o(r.completed_on), o(r.expires_on), r.source, r.team,
                   r.failed_attempts, r.attempts_left, r.attempts_used_up) for r in rows),
            tuple((e.course, e.on.toordinal(), e.via, e.path, o(e.expires_on), e.by, e.session, e.index, e.score,
                   e.result, e.progress) for e in events),
            tuple((course, on.toordinal()) for course, on in last),
            tuple((course, tuple(day.toordinal() for day in days)) for course, days in failed)))


class _Days(dict):
    """Ordinal → date, each made once (and shared by every row that names it)."""

    def __missing__(self, ordinal: int) -> date:
        found = self[ordinal] = date.fromordinal(ordinal)
        return found

    def maybe(self, ordinal: int | None) -> date | None:
        return None if ordinal is None else self[ordinal]


_STATUS = {status.value: status for status in Status}


def _decode(person: str, encoded: Encoded, day: _Days) -> tuple[list[StatusRow], list[CompletionEvent],
                                                                  list[tuple[str, date]], list[tuple[str, list[date]]]]:
    rows, events, last, failed = marshal.loads(encoded[1])
    maybe = day.maybe
    return ([StatusRow(person, course, _STATUS[status], maybe(due), maybe(done), maybe(expires), source, team,
                       tries, left, used_up)
             for course, status, due, done, expires, source, team, tries, left, used_up in rows],
            [CompletionEvent(person, course, day[on], via, path, maybe(expires), by, session, index, score, result,
                             progress)
             for course, on, via, path, expires, by, session, index, score, result, progress in events],
            [(course, day[on]) for course, on in last],
            [(course, [day[d] for d in days]) for course, days in failed])


# --- the file ---------------------------------------------------------------------------------------------------


class PieceStore:
    """Where the pieces of the site built from `root` into `out` are kept (see the module)."""

    def __init__(self, root: Path, out: Path):
        home = cache_home(root)
        self.home = home[0] if home else None
        name = hashlib.sha256(os.fsencode(out.absolute())).hexdigest()[:32]
        version = f"py{sys.version_info.major}{sys.version_info.minor}"
        self.rel = f"{home[1]}/pieces-{name}-{version}.marshal" if home else ""

    def read(self) -> Pieces:
        """The pieces kept, or none when there are none that verify and have the right shape."""
        if self.home is None:
            return Pieces()
        try:
            with Tree(self.home) as tree:
                raw = tree.read(self.rel)
        except (OSError, ValueError):
            return Pieces()
        return Pieces(_checked(raw))

    def write(self, pieces: Pieces | None) -> None:
        """Keeps `pieces`, or with None forgets the ones kept; never fails the build (the next one makes them)."""
        if self.home is None:
            return
        try:
            with Tree(self.home) as tree:
                if pieces is None:
                    tree.remove(self.rel)
                    return
                payload = marshal.dumps(pieces.payload())
                tree.write(self.rel, _MAGIC, hashlib.sha256(payload).digest(), payload)
        except (OSError, ValueError):
            pass


def _checked(raw: bytes) -> dict[str, Any] | None:
    """The pieces `raw` holds, or None: another format, a digest that does not verify, or the wrong shape."""
    start = len(_MAGIC) + _DIGEST
    payload = memoryview(raw)[start:]  # not a copy of tens of megabytes
    if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != raw[len(_MAGIC):start]:
        return None
    try:
        with collector_paused():
            data = marshal.loads(payload)
        if data.get("format") != FORMAT or not isinstance(data["people"], dict) or not isinstance(data["exports"],
                                                                                                 dict):
            return None
        for person, encoded in data["people"].items():
            if not (isinstance(person, str) and type(encoded) is tuple and len(encoded) == 2
                    and isinstance(encoded[0], str) and type(encoded[1]) is bytes):
                return None
        for name, (stat, ranges) in data["exports"].items():
            if not (isinstance(name, str) and len(stat) == 3 and all(type(n) is int for n in stat)
                    and isinstance(ranges, dict)):
                return None
            for person, (start_at, end) in ranges.items():
                if not (isinstance(person, str) and type(start_at) is int and type(end) is int
                        and 0 <= start_at <= end <= stat[1]):
                    return None
        return data
    except (AttributeError, KeyError, TypeError, ValueError, EOFError):
        return None
