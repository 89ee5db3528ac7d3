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
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..gcpause import collector_paused
from ..rules.certificates import Certificate, certificates
from ..rules.engine import CompletionEvent, Engine, Status, StatusRow
from ..rules.prerequisites import Prerequisites
from ..rules.skills import SkillSummary, skill_summaries
from . import program_pieces
from .learning import ProgramView
from .manifest import BuildFile
from .page_inputs import PageInputs
from .views import SiteData

FORMAT = 4
_MAGIC = b"lmsgen pieces %d\n" % FORMAT
_DIGEST = 32
_MOST_CHANGED = 0.25
"""When more than this share of people changed, everyone's rows are made at once (as a full build does)."""

Encoded = tuple[str, bytes, bytes]
"""A person's pieces as kept: their digest; their status rows, latest completions and failed attempts, certificates
and skills, marshalled (dates as ordinals); and their completions and attempts, marshalled apart (read only when a
page shows them): a few objects per person, decoded only if they are kept."""
ExportIndex = tuple[tuple[int, int, int], dict[str, tuple[int, int]]]
"""An export file as a build wrote it: its (inode, size, modification time) and each person's (start, end)."""


class Pieces:
    """One build's use of the pieces the last one kept (`previous`, None: none), and what it keeps for the next."""

    def __init__(self, previous: dict[str, Any] | None = None):
        self.previous_people: dict[str, Encoded] = previous["people"] if previous else {}
        self.previous_exports: dict[str, ExportIndex] = previous["exports"] if previous else {}
        self.previous_certifications: dict[str, tuple[str, bytes]] = previous["certifications"] if previous else {}
        self.certifications: dict[str, tuple[str, bytes]] = {}
        self.keys: dict[str, str] = {}
        self.people: dict[str, Encoded] = {}
        self.exports: dict[str, ExportIndex] = {}
        self.kept: frozenset[str] = frozenset()
        """The people whose pieces were taken from the last build."""

    def fill(self, data: SiteData, inputs: PageInputs) -> None:
        """Gives `data` everyone's status rows, completions, certificates and skills, and its engine everyone's
        completion dates: the kept ones of the people whose inputs did not change, the others' made now."""
        keys = self.keys = {person: inputs.piece(person) for person in inputs.people()}
        kept = {person for person, key in keys.items()
                if (found := self.previous_people.get(person)) is not None and found[0] == key}
        changed = set(keys) - kept
        if kept and len(changed) <= len(keys) * _MOST_CHANGED:
            day = _Days()
            try:
                with collector_paused():
                    decoded = {person: _decode(person, self.previous_people[person][1], day) for person in kept}
            except (TypeError, ValueError, KeyError, OverflowError, EOFError):  # a kept piece of the wrong shape
                decoded = None
            if decoded is not None:
                with collector_paused():
                    self._make_some(data, keys, decoded, changed, day)
                return
        self.previous_people = {}  # not needed any more: let go of it before everyone's are made
        self._make_all(data, keys)

    def _make_all(self, data: SiteData, keys: dict[str, str]) -> None:
        """Everyone's, as a full build makes them, kept for the next build."""
        rows = data.rows
        last, failed = data.engine.completion_dates(None)
        history, certificates, skills = data.history, data.certificates, data.learning.skills
        by_person: dict[str, list[StatusRow]] = defaultdict(list)
        for row in rows:
            by_person[row.person].append(row)
        dates = _by_person(last, failed)
        learning = data.learning
        # Encoded when the file is written, a person at a time (`PieceStore.write`): never all at once in memory.
        self.people = _Encoding(sorted(set(keys) | set(history)), lambda person: _encode(
            keys.get(person, ""), by_person.get(person, []), history.get(person, []), *dates.get(person, ([], [])),
            certificates.get(person, []), skills.get(person), learning.programs_by_person.get(person, [])))

    def _make_some(self, data: SiteData, keys: dict[str, str], kept: dict[str, Decoded], changed: set[str],
                   day: _Days) -> None:
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
        new_programs = program_pieces.made(engine, wanted, data.course_title)
        rows: list[StatusRow] = []
        by_person: dict[str, list[StatusRow]] = defaultdict(list)
        everyone = sorted(set(keys) | set(events))
        for person in everyone:
            person_rows = kept[person].rows if person in kept else new_rows.get(person)
            if person_rows:
                rows += person_rows
                by_person[person] = person_rows
        # What SiteData would make, made. Everyone's completion dates are not given to the engine: what judged by
        # them (the learning paths, the skills) is in the pieces; should anything ask, the engine makes them anew.
        data.__dict__.update(rows=rows, rows_by_person=by_person)
        history = History(events, {person: self.previous_people[person][2] for person in kept
                                   if kept[person].events}, day, data.engine)
        completions = Completions(history, {person for person in everyone
                                            if (kept[person].passed if person in kept else any(
                                                e.result == "passed" for e in events.get(person, ())))})
        new_certificates = certificates({person: completions[person] for person in wanted if person in completions},
                                        data.engine.audiences.people, as_of, data.window)
        new_skills = skill_summaries(engine, wanted & set(org.present(as_of)))  # theirs: the view has their records
        made_certificates, made_skills, made_programs = {}, {}, {}
        for person in everyone:
            if person in kept:
                found_certificates, found_skill = kept[person].certificates, kept[person].skill
                found_programs = kept[person].programs
                self.people[person] = self.previous_people[person]
            else:
                found_certificates, found_skill = new_certificates.get(person, []), new_skills.get(person)
                found_programs = new_programs.get(person, [])
                self.people[person] = _encode(keys.get(person, ""), new_rows.get(person, []),
                                              events.get(person, []), *new_dates.get(person, ([], [])),
                                              found_certificates, found_skill, found_programs)
            if found_certificates:
                made_certificates[person] = found_certificates
            if found_skill is not None:
                made_skills[person] = found_skill
            if found_programs:
                made_programs[person] = found_programs
        data.__dict__.update(history=history, completions=completions, certificates=made_certificates,
                             prerequisites=Prerequisites(org, as_of, Completed(completions)))
        data.learning.__dict__.update(skills=made_skills, programs_by_person=made_programs)
        self.kept = frozenset(kept)

    def carry_exports(self) -> None:
        """Keeps the last build's exports' index and lines: this build took its files over as they were."""
        self.exports = dict(self.previous_exports)
        self.certifications = dict(self.previous_certifications)

    def certification_lines(self, person: str) -> tuple[tuple[int, str, str], ...] | None:
        """The person's lines of certifications.csv as the last build wrote them ((expiry ordinal, course, text) of
        each certificate), when their inputs did not change; None: make them."""
        found = self.previous_certifications.get(person) if person in self.kept else None
        if found is None or found[0] != self.keys.get(person):
            return None
        try:
            lines = marshal.loads(found[1])
            if all(type(expires) is int and type(course) is str and type(text) is str
                   for expires, course, text in lines):
                self.certifications[person] = found
                return lines
        except (TypeError, ValueError, EOFError):
            pass
        return None

    def keep_certification_lines(self, person: str, lines: tuple[tuple[int, str, str], ...]) -> None:
        self.certifications[person] = (self.keys.get(person, ""), marshal.dumps(lines))

    def payload(self) -> dict[str, Any]:
        return {"format": FORMAT, "people": self.people, "exports": self.exports, "certifications": self.certifications}


class _Encoding(Mapping[str, Encoded]):
    """Everyone's pieces, each encoded when read (`Pieces.people` after a full build)."""

    def __init__(self, people: list[str], encode: Callable[[str], Encoded]):
        self._people, self._encode = people, encode

    def __getitem__(self, person: str) -> Encoded:
        return self._encode(person)

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)


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
            failed: list[tuple[str, list[date]]], held: list[Certificate], skill: SkillSummary | None,
            programs: list[ProgramView]) -> Encoded:
    o = _ordinal
    main = (tuple((r.course, r.status.value, o(r.due), o(r.completed_on), o(r.expires_on), r.source, r.team,
                   r.failed_attempts, r.attempts_left, r.attempts_used_up) for r in rows),
            tuple((course, on.toordinal()) for course, on in last),
            tuple((course, tuple(day.toordinal() for day in days)) for course, days in failed),
            tuple((c.course, c.completed_on.toordinal(), c.expires_on.toordinal(), c.state) for c in held),
            None if skill is None else (skill.profile, tuple(skill.levels.items()), tuple(skill.targets.items())),
            bool(events), any(e.result == "passed" for e in events), program_pieces.encode(programs))
    return key, marshal.dumps(main), marshal.dumps(
        tuple((e.course, e.on.toordinal(), e.via, e.path, o(e.expires_on), e.by, e.session, e.index, e.score,
               e.result, e.progress) for e in events))


class _Days(dict):
    """Ordinal → date, each made once (and shared by every row that names it)."""

    def __missing__(self, ordinal: int) -> date:
        found = self[ordinal] = date.fromordinal(ordinal)
        return found

    def maybe(self, ordinal: int | None) -> date | None:
        return None if ordinal is None else self[ordinal]


_STATUS = {status.value: status for status in Status}


@dataclass
class Decoded:
    """A person's kept pieces but their completions (`History` decodes those when they are read)."""

    rows: list[StatusRow]
    certificates: list[Certificate]
    skill: SkillSummary | None
    events: bool
    passed: bool
    programs: list[ProgramView]
    """Their learning paths (`program_pieces`)."""


def _decode(person: str, main: bytes, day: _Days) -> Decoded:
    rows, _, _, held, skill, events, passed, programs = marshal.loads(main)  # their completion dates: not needed
    maybe = day.maybe
    return Decoded(
        [StatusRow(person, course, _STATUS[status], maybe(due), maybe(done), maybe(expires), source, team, tries,
                   left, used_up) for course, status, due, done, expires, source, team, tries, left, used_up in rows],
        [Certificate(person, course, day[done], day[expires], state) for course, done, expires, state in held],
        None if skill is None else SkillSummary(person, skill[0], dict(skill[1]), dict(skill[2])),
        bool(events), bool(passed), program_pieces.decode(person, programs, day))


def _events(person: str, blob: bytes, day: _Days) -> list[CompletionEvent]:
    maybe = day.maybe
    return [CompletionEvent(person, course, day[on], via, path, maybe(expires), by, session, index, score, result,
                            progress)
            for course, on, via, path, expires, by, session, index, score, result, progress in marshal.loads(blob)]


class History(Mapping[str, list[CompletionEvent]]):
    """`SiteData.history`: everyone's completions and attempts, the kept people's decoded when first read (the
    directories and reports read their rows, certificates and skills, not their completions)."""

    def __init__(self, made: dict[str, list[CompletionEvent]], kept: dict[str, bytes], day: _Days, engine: Engine):
        self._made, self._kept, self._day, self._engine = dict(made), kept, day, engine
        self._order = sorted(set(made) | set(kept))

    def __getitem__(self, person: str) -> list[CompletionEvent]:
        found = self._made.get(person)
        if found is None:
            blob = self._kept[person]
            try:
                found = _events(person, blob, self._day)
            except (TypeError, ValueError, KeyError, OverflowError, EOFError):  # made anew, never a wrong page
                found = self._engine.completions(person, attempts=True).get(person, [])
            self._made[person] = found
        return found

    def __contains__(self, person: object) -> bool:
        return person in self._made or person in self._kept

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class Completions(Mapping[str, list[CompletionEvent]]):
    """`SiteData.completions` (the completions that count) of a `History`, each person's made when first read."""

    def __init__(self, history: History, people: set[str]):
        self._history, self._people, self._made = history, people, {}
        self._order = sorted(people)

    def __getitem__(self, person: str) -> list[CompletionEvent]:
        found = self._made.get(person)
        if found is None:
            if person not in self._people:
                raise KeyError(person)
            found = self._made[person] = [e for e in self._history[person] if e.result == "passed"]
        return found

    def __contains__(self, person: object) -> bool:
        return person in self._people

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class Completed(Mapping[tuple[str, str], date]):
    """(person, course) → the latest completion that counts, as `SiteData.prerequisites` is made from, of
    `Completions` read when asked."""

    def __init__(self, completions: Completions):
        self._completions, self._made = completions, {}

    def _of(self, person: str) -> dict[str, date]:
        found = self._made.get(person)
        if found is None:
            found = self._made[person] = {e.course: e.on for e in self._completions.get(person, [])}
        return found

    def __getitem__(self, key: tuple[str, str]) -> date:
        return self._of(key[0])[key[1]]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((person, course) for person in self._completions for course in self._of(person))

    def __len__(self) -> int:
        return sum(1 for _ in self)


# --- the file ---------------------------------------------------------------------------------------------------


class PieceStore(BuildFile):
    """Where the pieces of the site built from `root` into `out` are kept (see the module)."""

    def __init__(self, root: Path, out: Path):
        super().__init__(root, out, "pieces", f"-py{sys.version_info.major}{sys.version_info.minor}.marshal")

    def read(self) -> Pieces:
        """The pieces kept, or none when there are none that verify and have the right shape."""
        raw = self.read_bytes()
        return Pieces(None if raw is None else _checked(raw))

    def write(self, pieces: Pieces | None) -> None:
        """Keeps `pieces`, or with None forgets the ones kept; never fails the build (the next one makes them)."""
        if pieces is None:
            self.forget()
            return
        digest = hashlib.sha256()

        def hashed() -> Iterator[bytes]:
            for chunk in _streamed(pieces.payload()):
                digest.update(chunk)
                yield chunk

        # Written in chunks, its digest over the start once they are all written. What marshal does not keep (a
        # bug) leaves the file as it was, and fails no build (`BuildFile`).
        self.write_bytes(_MAGIC, bytes(_DIGEST), stream=hashed(), patch=lambda: _MAGIC + digest.digest())


def _streamed(payload: dict[str, Any]) -> Iterator[bytes]:
    """`marshal.dumps(payload)` in chunks of about a megabyte, made one after the other: its dictionaries item by item
    (in marshal's version 2, whose items refer to nothing before them, so that they can be made apart), never
    whole in memory. `marshal.loads` reads it as it reads what `dumps` made."""
    chunk: list[bytes] = []
    size = 0

    def dumped(value: Any) -> Iterator[bytes]:
        if type(value) is dict or isinstance(value, _Encoding):
            yield _DICT
            for key, item in value.items():
                yield marshal.dumps(key, 2)
                yield from dumped(item)
            yield _NULL
        else:
            yield marshal.dumps(value, 2)

    for part in dumped(payload):
        chunk.append(part)
        size += len(part)
        if size >= 1 << 20:
            yield b"".join(chunk)
            chunk, size = [], 0
    yield b"".join(chunk)


_DICT, _NULL = b"{", b"0"
"""marshal's codes that open a dictionary and end it (without a reference flag, as version 2 writes them)."""


def _checked(raw: bytes) -> dict[str, Any] | None:
    """The pieces `raw` holds, or None: another format, a digest that does not verify, or the wrong shape."""
    start = len(_MAGIC) + _DIGEST
    payload = memoryview(raw)[start:]  # not a copy of tens of megabytes
    if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != raw[len(_MAGIC):start]:
        return None
    try:
        with collector_paused():
            data = marshal.loads(payload)
        if data.get("format") != FORMAT or not all(isinstance(data[part], dict)
                                                   for part in ("people", "exports", "certifications")):
            return None
        if not all(isinstance(person, str) and type(kept) is tuple and len(kept) == 2 and isinstance(kept[0], str)
                   and type(kept[1]) is bytes for person, kept in data["certifications"].items()):
            return None
        for person, encoded in data["people"].items():
            if not (isinstance(person, str) and type(encoded) is tuple and len(encoded) == 3
                    and isinstance(encoded[0], str) and type(encoded[1]) is bytes and type(encoded[2]) is bytes):
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
