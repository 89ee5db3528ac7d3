"""Checks that span files: references resolve, the trees have no cycles, files sit where they belong.

Every message names both places involved: the position of the offending value, and in its
text the file (and position) it conflicts with or the file that would have to exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..cache.store import ParseCache, blob_id, code_digest
from ..model import formats as m
from ..model.diagnostics import Diagnostic, Severity, warning
from ..model.loading import Entry, Organisation, Source


@dataclass
class _Checker:
    org: Organisation
    found: list[Diagnostic] = field(default_factory=list)

    def report(self, source: Source, loc: tuple, message: str, *, key: bool = False) -> None:
        self.found.append(source.error(loc, message, key=key))

    def place(self, source: Source, loc: tuple = ()) -> str:
        line, col = source.locate(loc)
        return f"{source.path}:{line}:{col}"

    # --- references ---------------------------------------------------------------------

    def is_broken(self, kind: str, id_: str | None = None) -> bool:
        """Whether a file that would resolve the reference failed to load (its own errors say why)."""
        return any(k == kind and id_ in (None, i) for k, i in self.org.broken)

    def person(self, source: Source, loc: tuple, person: str, what: str = "person") -> bool:
        if person in self.org.members:
            return True
        if self.is_broken("team"):
            return False
        self.report(source, loc, f"unknown {what} '{person}': no team file lists this person")
        return False

    def course(self, source: Source, loc: tuple, course: str) -> bool:
        if course in self.org.courses:
            return True
        if self.is_broken("course", course):
            return False
        self.report(source, loc, f"unknown course '{course}': there is no catalog/{course}.yaml")
        return False

    def team(self, source: Source, loc: tuple, team: str) -> bool:
        if team in self.org.teams:
            return True
        if self.is_broken("team", team):
            return False
        self.report(source, loc, f"unknown team '{team}': there is no teams/{team}/team.yaml")
        return False

    def session(self, source: Source, loc: tuple, course: str, session: str) -> bool:
        entry = self.org.courses[course]
        if any(s.id == session for s in entry.model.sessions):
            return True
        listed = ", ".join(s.id for s in entry.model.sessions) or "none"
        self.report(source, loc, f"unknown session '{session}' of course '{course}' "
                    f"({entry.source.path} lists: {listed})")
        return False


def check(org: Organisation, memo: ParseCache | None = None) -> list[Diagnostic]:
    """Every cross-file problem of the organisation, in file order; `memo` remembers per-file results between runs."""
    checker = _Checker(org)
    if org.org is None and not checker.is_broken("org"):
        checker.found.append(Diagnostic("org.yaml", 1, 1, "missing org.yaml: every organisation needs one "
                                        "(name, git host and repository)"))
    _check_teams(checker)
    _check_courses(checker)
    _check_roles(checker)
    _check_records(checker, memo)
    _check_requests(checker)
    _check_rules(checker)
    _check_attendance(checker)
    _check_budgets(checker)
    return checker.found


def _check_teams(c: _Checker) -> None:
    org = c.org
    first_listing: dict[str, tuple[Source, int]] = {}
    for team_id, entry in org.teams.items():
        team = entry.model
        if team.parent is not None:
            if team.parent == team_id:
                c.report(entry.source, ("parent",), f"team '{team_id}' cannot be its own parent")
            else:
                c.team(entry.source, ("parent",), team.parent)
        for index, person in enumerate(team.members):
            if person.id in first_listing:
                other, other_index = first_listing[person.id]
                c.report(entry.source, ("members", index, "id"),
                         f"person '{person.id}' is in two teams: also listed at "
                         f"{c.place(other, ('members', other_index, 'id'))}")
            else:
                first_listing[person.id] = (entry.source, index)
    for team_id, entry in org.teams.items():
        team = entry.model
        c.person(entry.source, ("manager",), team.manager, "manager")
        for index, person in enumerate(team.members):
            if person.mentor is None:
                continue
            if person.mentor == person.id:
                c.report(entry.source, ("members", index, "mentor"), f"'{person.id}' cannot mentor themself")
            else:
                c.person(entry.source, ("members", index, "mentor"), person.mentor, "mentor")
    for cycle in _cycles({t: [e.model.parent] if e.model.parent else [] for t, e in org.teams.items()}):
        entry = org.teams[cycle[0]]
        c.report(entry.source, ("parent",), f"teams form a cycle: {' -> '.join(cycle + [cycle[0]])} "
                 f"(see {', '.join(org.teams[t].source.path for t in cycle[1:])})")


def _check_courses(c: _Checker) -> None:
    for course_id, entry in c.org.courses.items():
        course = entry.model
        for index, prerequisite in enumerate(course.prerequisites):
            if prerequisite == course_id:
                c.report(entry.source, ("prerequisites", index), "a course cannot be its own prerequisite")
            else:
                c.course(entry.source, ("prerequisites", index), prerequisite)
        for index, trainer in enumerate(course.trainers):
            c.person(entry.source, ("trainers", index), trainer, "trainer")
        seen: dict[str, int] = {}
        for index, session in enumerate(course.sessions):
            if session.id in seen:
                c.report(entry.source, ("sessions", index, "id"),
                         f"session '{session.id}' is listed twice (first at "
                         f"{c.place(entry.source, ('sessions', seen[session.id], 'id'))})")
            seen.setdefault(session.id, index)
            if session.end <= session.start:
                c.report(entry.source, ("sessions", index, "end"),
                         f"session '{session.id}' ends ({session.end:%Y-%m-%dT%H:%M}) "
                         f"{'when' if session.end == session.start else 'before'} it starts "
                         f"({session.start:%Y-%m-%dT%H:%M}, at {c.place(entry.source, ('sessions', index, 'start'))})")
        if course.format is m.Format.CHECKLIST and not course.checklist:
            c.report(entry.source, ("format",), "a checklist course needs a 'checklist' of items")
    graph = {cid: [p for p in e.model.prerequisites if p in c.org.courses and p != cid]
             for cid, e in c.org.courses.items()}
    for cycle in _cycles(graph):
        entry = c.org.courses[cycle[0]]
        c.report(entry.source, ("prerequisites",),
                 f"prerequisites form a cycle: {' -> '.join(cycle + [cycle[0]])} "
                 f"(see {', '.join(c.org.courses[x].source.path for x in cycle[1:])})")


def _check_roles(c: _Checker) -> None:
    for entry in c.org.roles.values():
        for index, holder in enumerate(entry.model.holders):
            c.person(entry.source, ("holders", index), holder, "role holder")
        for index, team in enumerate(entry.model.scope):
            c.team(entry.source, ("scope", index), team)


def completer_kinds(org: Organisation, person: str) -> dict[str, set[m.Completer]]:
    """How each person related to `person` may record for them, before a course's trainers are added."""
    kinds: dict[str, set[m.Completer]] = {person: {m.Completer.SELF}}
    for manager in (org.approving_manager(person), org.alternate_manager(person)):
        if manager:
            kinds.setdefault(manager, set()).add(m.Completer.MANAGER)
    member = org.members.get(person)
    if member and member.person.mentor:
        kinds.setdefault(member.person.mentor, set()).add(m.Completer.MENTOR)
    return kinds


def may_record(kinds: dict[str, set[m.Completer]], recorder: str, course: m.Course) -> bool:
    """Whether `recorder` may record `course`, given `completer_kinds` of the person it is for."""
    theirs = kinds.get(recorder, ())
    return any(kind in theirs or (kind is m.Completer.TRAINER and recorder in course.trainers)
               for kind in course.completion.by)


def allowed_completers(org: Organisation, person: str, course: m.Course) -> dict[str, str]:
    """Who may record `course` for `person`, each with the first reason (self, manager, mentor, trainer)."""
    kinds = completer_kinds(org, person)
    for trainer in course.trainers:
        kinds[trainer] = kinds.get(trainer, set()) | {m.Completer.TRAINER}
    allowed: dict[str, str] = {}
    for kind in course.completion.by:
        for who, theirs in kinds.items():
            if kind in theirs:
                allowed.setdefault(who, kind.value)
    return allowed


def _check_file_owner(c: _Checker, entry: Entry, person: str, what: str) -> bool:
    """The person a records or request file names must be the one its path names, in their own team."""
    if person != entry.ids["person"]:
        c.report(entry.source, ("person",), f"this {what} is in the folder of '{entry.ids['person']}' "
                 f"but names '{person}'")
        return False
    if not c.person(entry.source, ("person",), person):
        return False
    member = c.org.members[person]
    if member.team != entry.ids["team"]:
        c.report(entry.source, ("person",),
                 f"'{person}' is in team '{member.team}' ({c.place(member.source, member.loc)}), so this {what} "
                 f"belongs under teams/{member.team}/")
        return False
    return True


def _check_records(c: _Checker, memo: ParseCache | None) -> None:
    org = c.org
    teams_broken = c.is_broken("team")
    catalog = _Catalog.of(org)
    for entry in org.records:
        key = None
        if memo is not None and entry.source.blob:
            # What a records file's checks find follows from its bytes and path, where its person stands (their
            # listing, their managers) and the courses it names: remembered under those, a change to a team or a
            # course re-checks only the records files it can change, not all of them.
            key = (f"records-check:{code_digest()}:{teams_broken}:{_standing(org, entry.ids['person'])}:"
                   f"{entry.source.path}:{entry.source.blob}")
            if _replayed(c, memo, key, entry, catalog):
                continue
        start = len(c.found)
        summary = _summary(entry, memo)
        cited_courses, strangers = _check_records_file(c, entry, summary, catalog.courses)
        if key is not None:
            cited = "\0".join(sorted(cited_courses))
            memo.put(key, ([(d.path, d.line, d.col, d.message, d.severity.value) for d in c.found[start:]],
                           catalog.digest, catalog.fingerprint(catalog.terms, _named(summary)),
                           cited, catalog.fingerprint(catalog.files, cited),
                           [(name, name in org.members) for name in sorted(strangers)]))


def _replayed(c: _Checker, memo: ParseCache, key: str, entry: Entry[m.Records], catalog: _Catalog) -> bool:
    """Adds the findings remembered under `key` and returns True, when they still hold.

    They are remembered with the catalog's digest then, the fingerprints of the courses the file names and
    of those its findings cite, and the recorders looked up among everyone (with whether each was listed).
    """
    remembered = memo.get(key)
    if remembered is None:
        return False
    found, catalog_then, terms, cited, files, strangers = remembered
    # While the catalog is as it was, so are its courses; else, have those this file names or cites changed?
    if catalog_then != catalog.digest and (catalog.fingerprint(catalog.terms, _named(_summary(entry, memo))) != terms
                                           or catalog.fingerprint(catalog.files, cited) != files):
        return False
    # A recorder who is not the person, their managers, mentor or a trainer was looked up among everyone (see
    # `_recorder_problem`): the findings also need each to be still listed, or still not.
    if any((name in c.org.members) != listed for name, listed in strangers):
        return False
    c.found += [Diagnostic(path, line, col, message, Severity(severity)) for path, line, col, message, severity in found]
    memo.keep(_summary_key(entry))  # needed again when the file's person or courses change
    if catalog_then != catalog.digest:  # so that the next run need not read the summary
        memo.put(key, (found, catalog.digest, terms, cited, files, strangers))
    return True


_Summary = tuple[str, list[tuple[str, str, int]]]
"""A records file as its checks read it: the person, and each record's course, recorder and checklist length
(-1 without a checklist)."""


def _named(summary: _Summary) -> str:
    """The ids of the courses a records file names, sorted and joined by NUL."""
    return "\0".join(sorted({course for course, _, _ in summary[1]}))


def _summary_key(entry: Entry[m.Records]) -> str:
    return f"records-summary:{code_digest()}:{entry.source.blob}"


def _summary(entry: Entry[m.Records], memo: ParseCache | None) -> _Summary:
    """The summary of a records file: kept in the cache under its blob, so that checking the file again (when its
    person's managers or a course it names change) neither decodes nor validates its records."""
    key = _summary_key(entry) if memo is not None and entry.source.blob else None
    if key is not None:
        found = memo.get(key)
        if found is not None:
            return found
    model = entry.model
    summary = (model.person, [(record.course, record.by, -1 if record.checklist is None else len(record.checklist))
                              for record in model.records])
    if key is not None:
        memo.put(key, summary)
    return summary


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
        return cls(courses, terms, files)

    @staticmethod
    def fingerprint(fingerprints: dict[str, str], named: str) -> str:
        """One fingerprint of the states of the courses `named` (ids joined by NUL), absent ones included."""
        absent = "." * _FINGERPRINT
        states = "".join(fingerprints.get(course, absent) for course in named.split("\0"))
        return hashlib.blake2b(states.encode(), digest_size=16).hexdigest()


_FINGERPRINT = 12
"""Hex digits of a course's fingerprint: 48 bits, so that a change going unnoticed is out of the question."""


def _standing(org: Organisation, person: str) -> str:
    """Everything about `person` that their records' checks read from the teams: their listing (the team file's
    bytes and their place in it) and their managers, whom other team files name."""
    member = org.members.get(person)
    if member is None:
        return "unlisted"
    return (f"{member.team}:{member.source.blob}:{member.index}:"
            f"{org.approving_manager(person)}:{org.alternate_manager(person)}")


def _check_records_file(c: _Checker, entry: Entry[m.Records], summary: _Summary,
                        courses: dict[str, m.Course]) -> tuple[set[str], set[str]]:
    """Checks one records file from its summary; returns the courses its findings cite, and the recorders it
    looked up among everyone."""
    org = c.org
    person, records = summary
    known = _check_file_owner(c, entry, person, "records file")
    kinds = completer_kinds(org, person) if known else {}
    strangers: set[str] = set()
    cited: set[str] = set()
    for index, (course_id, by, checklist) in enumerate(records):
        course = courses.get(course_id)
        if course is None:
            c.course(entry.source, ("records", index, "course"), course_id)
            continue
        # `may_record` inlined for the common case: this loop runs once per record, 200,000 times at size M.
        theirs = kinds.get(by)
        plainly_allowed = (theirs is not None and not theirs.isdisjoint(course.completion.by)) or (
            by in course.trainers and m.Completer.TRAINER in course.completion.by)
        problem = None
        if known and not plainly_allowed:
            strangers.add(by)
            problem = _recorder_problem(org, kinds, person, course_id, by)
        if problem:
            # Who may record is judged when the record is added (check --base, the helpers): a merged record
            # stays valid when its recorder later changes team or leaves, so here it is only a warning.
            c.found.append(warning(entry.source.path, entry.source.locate(("records", index, "by")), problem))
            cited.add(course_id)
        if course.checklist and checklist >= 0 and checklist != len(course.checklist):
            c.report(entry.source, ("records", index, "checklist"),
                     f"the checklist has {_count(checklist, 'item')} but '{course_id}' has "
                     f"{len(course.checklist)} ({c.place(org.courses[course_id].source, ('checklist',))})")
            cited.add(course_id)
    return cited, strangers


def _recorder_problem(org: Organisation, kinds: dict[str, set[m.Completer]], person: str, course_id: str,
                      by: str) -> str | None:
    """Why `by` may not record a completion of `course_id` for `person` today, or None when they may."""
    if by not in org.members:
        return None if any(k == "team" for k, _ in org.broken) else \
            f"unknown recorder '{by}': no team file lists this person"
    course_entry = org.courses[course_id]
    course = course_entry.model
    if may_record(kinds, by, course):
        return None
    allowed = allowed_completers(org, person, course)
    listed = ", ".join(k.value for k in course.completion.by)
    names = ", ".join(f"{who} ({why})" for who, why in allowed.items()) or "nobody"
    line, col = course_entry.source.locate(("completion",))
    return (f"'{by}' may not record '{course_id}' for '{person}': the course allows "
            f"{listed} ({course_entry.source.path}:{line}:{col}), that is {names}")


def recorder_errors(org: Organisation, added: Iterable[tuple[Entry[m.Records], int]]) -> list[Diagnostic]:
    """The rule that a record's `by` is someone its course allows, as errors, for records a change adds.

    `lmsgen check` alone only warns, since a merged record keeps its recorder through later moves
    and departures; `check --base` and the helpers apply it to what they add.
    """
    found = []
    for entry, index in added:
        person = entry.model.person
        record = entry.model.records[index]
        if person not in org.members or record.course not in org.courses:
            continue  # reported as errors by the checks already
        problem = _recorder_problem(org, completer_kinds(org, person), person, record.course, record.by)
        if problem:
            found.append(entry.source.error(("records", index, "by"), problem))
    return found


def _check_requests(c: _Checker) -> None:
    org = c.org
    requests_here: set[tuple[str, str, str]] = set()
    for entry in org.requests:
        requests_here.add((entry.ids["team"], entry.ids["person"], entry.id))
        request = entry.model
        _check_file_owner(c, entry, request.person, "request")
        if not c.course(entry.source, ("course",), request.course):
            continue
        course = org.courses[request.course]
        if not course.model.elective:
            c.report(entry.source, ("course",), f"course '{request.course}' is not elective, so it cannot be "
                     f"requested ({c.place(course.source, ('elective',))})")
        if request.session is not None:
            c.session(entry.source, ("session",), request.course, request.session)
        if request.kind is m.RequestKind.EXTERNAL and course.model.format is not m.Format.EXTERNAL:
            c.report(entry.source, ("kind",), f"an external request needs a course of format external; "
                     f"'{request.course}' is {course.model.format.value} ({c.place(course.source, ('format',))})")
    for entry in org.slips:
        if entry.model.request != entry.id:
            c.report(entry.source, ("request",), f"this slip is for request '{entry.id}' (its file name) "
                     f"but names '{entry.model.request}'")
        elif (entry.ids["team"], entry.ids["person"], entry.id) not in requests_here:
            folder = entry.source.path.rsplit("/", 1)[0]
            c.report(entry.source, ("request",), f"no request '{entry.id}' beside this slip: "
                     f"expected {folder}/{entry.id}.yaml")


def _check_rules(c: _Checker) -> None:
    for entry in c.org.rules.values():
        rule = entry.model
        for index, course in enumerate(rule.courses):
            c.course(entry.source, ("courses", index), course)
        for index, team in enumerate(rule.audience.teams):
            c.team(entry.source, ("audience", "teams", index), team)
        for index, person in enumerate(rule.audience.people):
            c.person(entry.source, ("audience", "people", index), person)
        for index, exclusion in enumerate(rule.exclude):
            c.person(entry.source, ("exclude", index, "person"), exclusion.person)
    for team_id, entry in c.org.team_assignments.items():
        if not c.team(entry.source, (), team_id):
            continue
        subtree = set(c.org.subtree(team_id))
        for index, assignment in enumerate(entry.model.assignments):
            c.course(entry.source, ("assignments", index, "course"), assignment.course)
            person = assignment.person
            if person != "all" and c.person(entry.source, ("assignments", index, "person"), person):
                member = c.org.members[person]
                if member.team not in subtree:
                    c.report(entry.source, ("assignments", index, "person"),
                             f"'{person}' is in team '{member.team}' ({c.place(member.source, member.loc)}), "
                             f"outside team '{team_id}'")


def _check_attendance(c: _Checker) -> None:
    for entry in c.org.attendance:
        course = entry.ids["course"]
        if not c.course(entry.source, (), course) or not c.session(entry.source, (), course, entry.id):
            continue
        for index, person in enumerate(entry.model.attended):
            c.person(entry.source, ("attended", index), person)


def _check_budgets(c: _Checker) -> None:
    for entry in c.org.budgets.values():
        for team, money in entry.model.root.items():
            if team not in c.org.teams:
                if not c.is_broken("team", team):
                    c.report(entry.source, (team,), f"unknown team '{team}': there is no teams/{team}/team.yaml",
                             key=True)
            elif money.currency != c.org.currency:
                c.report(entry.source, (team, "currency"),
                         f"budget in {money.currency}, but the organisation counts in {c.org.currency} (org.yaml)")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _cycles(graph: dict[str, list[str]]) -> Iterable[list[str]]:
    """Each cycle of a directed graph once, starting at its smallest node."""
    state: dict[str, int] = {}
    found: list[list[str]] = []
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(graph.get(start, [])))]
        path = [start]
        state[start] = 1
        while stack:
            node, edges = stack[-1]
            advanced = False
            for nxt in edges:
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt):]
                    smallest = cycle.index(min(cycle))
                    found.append(cycle[smallest:] + cycle[:smallest])
                elif not state.get(nxt) and nxt in graph:
                    state[nxt] = 1
                    stack.append((nxt, iter(graph.get(nxt, []))))
                    path.append(nxt)
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                stack.pop()
                path.pop()
    return found
