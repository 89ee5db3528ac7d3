"""The checks of records files, which are most of a large organisation, each remembered between runs.

What a records file's checks find follows from its bytes and path, where its person stands (their
listing, their managers) and the courses it names: remembered under the first two, with a witness of
the last, a change to a team or a course re-checks only the records files it can change, not all of
them. The checks read a summary of each file (person, and each record's course, recorder and
checklist length), remembered under its blob, so checking a file again never decodes its records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ..cache.digests import blob_id
from ..cache.memo import Memo
from ..model import formats as m
from ..model import records_summary
from ..model.diagnostics import Diagnostic, warning
from ..model.organisation import Entry, Organisation
from ..model.records_summary import Summary
from . import records_parallel, records_teams
from .recorders import completer_kinds, recorder_problem
from .references import Checker, check_file_owner


def check_records(c: Checker, memo: Memo) -> None:
    """Adds the findings of every records file to `c`: remembered ones where they still hold (a team's files
    together, `records_teams`, else one by one), else found now (by several processes when they are many:
    `records_parallel`)."""
    org = c.org
    teams_broken = str(c.is_broken("team"))
    catalog = _Catalog.of(org)
    standing = _Standings(org).of
    entries = org.records
    inputs = [("records-check", teams_broken, standing(entry.ids["person"]), entry.source.path,
               entry.source.blob or blob_id(entry.source.read())) for entry in entries]
    results: list[list | None] = [None] * len(entries)
    witnesses: list[_Witness | None] = [None] * len(entries)
    missing: list[int] = []
    unheld: list[tuple[str, list[int]]] = []
    for team in records_teams.groups(entries):
        team_inputs = [inputs[index] for index in team]
        key = records_teams.digest(team_inputs)
        found = records_teams.recalled(memo, key, org, catalog.digest)
        if found is not None and len(found) == len(team):
            records_teams.keep_files(memo, team_inputs, records_summary.SUMMARY)
            for index, findings in zip(team, found):
                results[index] = findings
            continue
        unheld.append((key, team))
        for index in team:
            entry = entries[index]

            def holds(witness: _Witness, entry: Entry[m.Records] = entry, index: int = index) -> _Witness | None:
                kept = witnesses[index] = catalog.still_holds(witness, org, lambda: _summary(entry, memo))
                return kept

            known, findings = memo.recalled(*inputs[index], holds=holds, keep=False)
            if known:
                results[index] = findings
            else:
                missing.append(index)
    computed = records_parallel.computed(missing,
                                         lambda index: memo.computed(lambda: _findings(org, entries[index], catalog, memo)))
    for index, (findings, witness, children) in zip(missing, computed):
        memo.remember_derived(*inputs[index], value=findings, witness=witness, children=children, keep=False)
        results[index], witnesses[index] = findings, witness
    for key, team in unheld:
        records_teams.remember(memo, key, [results[index] for index in team], [witnesses[index] for index in team],
                               catalog.digest)
    for findings in results:
        c.found += map(Diagnostic.from_plain, findings)


def _findings(org: Organisation, entry: Entry[m.Records], catalog: _Catalog, memo: Memo) -> tuple[list, _Witness]:
    """The findings of one records file as plain data, and their witness: what they read of the catalog and
    of the people (see `_Catalog.still_holds`)."""
    checker = Checker(org)
    summary = _summary(entry, memo)
    cited_courses, strangers = _check_records_file(checker, entry, summary, catalog.courses, catalog.recording)
    cited = "\0".join(sorted(cited_courses))
    witness = (catalog.digest, catalog.terms_of(summary[2]), cited, catalog.files_of(cited),
               [(name, name in org.members) for name in sorted(strangers)])
    return [finding.as_plain() for finding in checker.found], witness


_Witness = tuple[str, str, str, str, list[tuple[str, bool]]]
"""What a records file's findings read beyond its key: the catalog's digest, the fingerprints of the courses it
names and of those its findings cite (with their ids), and the recorders looked up among everyone, each with
whether they were listed."""

_Summary = Summary
"""A records file as its checks read it: the person; each record's course, recorder and checklist length (-1
without a checklist); and the ids of the courses it names, sorted and joined by NUL."""


def _summary(entry: Entry[m.Records], memo: Memo) -> _Summary:
    """The summary of a records file, remembered under its blob, so that checking the file again (when its
    person's managers or a course it names change) neither decodes nor validates its records."""

    def summarise() -> _Summary:
        return records_summary.summarise(entry.model)

    if not entry.source.blob:
        return summarise()
    # A cold run's loader remembered it already, where it validated the file (model/records_summary.py).
    return memo.derive(records_summary.SUMMARY, entry.source.blob, compute=summarise, keep=False)


@dataclass(frozen=True)
class _Catalog:
    """The courses as the checks of records read them. Every record reads its course's `terms` (whether it
    exists, who may record it, how long its checklist is); a record with a finding also cites the course
    file's positions, so it depends on the whole `files` (their blobs). Adding a session or rewording a
    course then re-checks only the records files whose findings cite it.

    Both map a course id to a short fingerprint of that state, so that the state of the twenty-odd courses
    a records file names is one short string to compare; while the whole catalog is as it was (its
    `digest`), not even that."""

    courses: dict[str, m.Course]
    terms: dict[str, str]
    files: dict[str, str]
    recording: dict[str, _Recording] = field(default_factory=dict, compare=False, repr=False)
    """What the loop over every record reads of its course, at hand (see `_Recording`)."""
    _fingerprints: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)
    """Fingerprints computed in this run: a file's witness is tested, then taken again, with the same courses."""

    @cached_property
    def digest(self) -> str:
        """A digest of every course's file (and of which failed to load): the whole catalog's state."""
        return hashlib.blake2b(repr(sorted(self.files.items())).encode(), digest_size=16).hexdigest()

    @classmethod
    def of(cls, org: Organisation) -> _Catalog:
        courses = {course_id: entry.model for course_id, entry in org.courses.items()}
        broken = {course: "broken".ljust(_FINGERPRINT, ".") for kind, course in org.broken if kind == "course"}
        terms, files = dict(broken), dict(broken)
        for course_id, course in courses.items():
            source = org.courses[course_id].source
            what = f"{[k.value for k in course.completion.by]}{course.trainers}{len(course.checklist)}"
            terms[course_id] = hashlib.blake2b(what.encode(), digest_size=_FINGERPRINT // 2).hexdigest()
            files[course_id] = (source.blob or blob_id(source.read()))[:_FINGERPRINT]
        recording = {course_id: (frozenset(course.completion.by),
                                 frozenset(course.trainers) if m.Completer.TRAINER in course.completion.by else frozenset(),
                                 len(course.checklist)) for course_id, course in courses.items()}
        return cls(courses, terms, files, recording)

    def still_holds(self, witness: _Witness, org: Organisation, summary: Callable[[], _Summary]) -> _Witness | None:
        """The witness to keep when the findings it was taken with still hold, else None.

        While the catalog is as it was, so are its courses; else the courses the file names and those its
        findings cite must be. A recorder who is not the person, their managers, mentor or a trainer was
        looked up among everyone (see `recorders.recorder_problem`): each must be still listed, or still not.
        """
        catalog_then, terms, cited, files, strangers = witness
        if not strangers and catalog_then == self.digest:  # nearly every file, every run: nothing to look up
            return witness
        if catalog_then != self.digest and (self.terms_of(summary()[2]) != terms or self.files_of(cited) != files):
            return None
        if any((name in org.members) != listed for name, listed in strangers):
            return None
        if catalog_then != self.digest:  # so that the next run need not read the summary
            return (self.digest, terms, cited, files, strangers)
        return witness

    def terms_of(self, named: str) -> str:
        """One fingerprint of the terms of the courses `named` (ids joined by NUL), absent ones included."""
        return self._fingerprint("terms", self.terms, named)

    def files_of(self, named: str) -> str:
        """One fingerprint of the files of the courses `named` (ids joined by NUL), absent ones included."""
        return self._fingerprint("files", self.files, named)

    def _fingerprint(self, which: str, fingerprints: dict[str, str], named: str) -> str:
        key = (which, named)
        found = self._fingerprints.get(key)
        if found is None:
            absent = "." * _FINGERPRINT
            states = "".join([fingerprints.get(course, absent) for course in named.split("\0")])
            found = self._fingerprints[key] = hashlib.blake2b(states.encode(), digest_size=16).hexdigest()
        return found


_FINGERPRINT = 12
"""Hex digits of a course's fingerprint: 48 bits, so that a change going unnoticed is out of the question."""


class _Standings:
    """Everything about a person that their records' checks read from the teams (`of`): their listing (the team
    file's bytes and their place in it) and their managers (`Organisation.approving_manager`, `alternate_manager`),
    whom other team files name. What is the same for a whole team is found once: at size L the records check asks
    for 100,000 standings, nearly all of people whose approving manager is their team's."""

    def __init__(self, org: Organisation):
        self._org = org
        self._members = org.members
        self._managers: dict[str, tuple[str, str | None]] = {}
        """By team: its manager, and the manager's own approving manager (the alternate of the manager's people)."""

    def of(self, person: str) -> str:
        member = self._members.get(person)
        if member is None:
            return "unlisted"
        org = self._org
        managers = self._managers.get(member.team)
        if managers is None:
            manager = org.teams[member.team].model.manager
            managers = self._managers[member.team] = (manager, org.approving_manager(manager))
        manager, above = managers
        if manager == person:  # a team's manager: approved from further up (`Organisation.approving_manager`)
            approving, alternate = org.approving_manager(person), org.alternate_manager(person)
        else:  # as `alternate_manager` finds it: the approving manager's own, unless that is the person
            approving, alternate = manager, above if above not in (None, person) else None
        return f"{member.team}:{member.source.blob}:{member.index}:{approving}:{alternate}"


_Recording = tuple[frozenset[m.Completer], frozenset[str], int]
"""A course as a record's check reads it: who may record it (`completion.by`), the trainers who may as trainers
(none unless trainers may), and the length of its checklist."""


def _check_records_file(c: Checker, entry: Entry[m.Records], summary: _Summary, courses: dict[str, m.Course],
                        recording: dict[str, _Recording]) -> tuple[set[str], set[str]]:
    """Checks one records file from its summary; returns the courses its findings cite, and the recorders it
    looked up among everyone."""
    org = c.org
    person, records, _ = summary
    known = check_file_owner(c, entry, person, "records file")
    kinds = completer_kinds(org, person) if known else {}
    strangers: set[str] = set()
    cited: set[str] = set()
    for index, (course_id, by, checklist) in enumerate(records):
        terms = recording.get(course_id)
        if terms is None:
            c.course(entry.source, ("records", index, "course"), course_id)
            continue
        # `may_record` inlined for the common case: this loop runs once per record, 200,000 times at size M.
        allowed, trainers, length = terms
        theirs = kinds.get(by)
        plainly_allowed = (theirs is not None and not theirs.isdisjoint(allowed)) or by in trainers
        problem = None
        if known and not plainly_allowed:
            strangers.add(by)
            problem = recorder_problem(org, kinds, person, course_id, by)
        if problem:
            # Who may record is judged when the record is added (check --base, the helpers): a merged record
            # stays valid when its recorder later changes team or leaves, so here it is only a warning.
            c.found.append(warning(entry.source.path, entry.source.locate(("records", index, "by")), problem))
            cited.add(course_id)
        if length and checklist >= 0 and checklist != length:
            c.report(entry.source, ("records", index, "checklist"),
                     f"the checklist has {checklist} item{'s' * (checklist != 1)} but '{course_id}' has "
                     f"{length} ({c.place(org.courses[course_id].source, ('checklist',))})")
            cited.add(course_id)
    return cited, strangers
