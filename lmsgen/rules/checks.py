"""Checks that span files: references resolve, the trees have no cycles, files sit where they belong.

Every message names both places involved: the position of the offending value, and in its
text the file (and position) it conflicts with or the file that would have to exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..cache.memo import Memo
from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.organisation import Organisation, Source
from . import assessments, checks_kept
from .completions_check import check_completions
from .handles import check_handles
from .money import check_money
from .programs import check_course_ref, check_programs
from .records_check import check_records
from .references import Checker, check_file_owner
from .skills import check_profiles
from .vendors import check_vendors
from .withdrawals import check_absences, check_withdrawals


def check(org: Organisation, memo: Memo | None = None) -> list[Diagnostic]:
    """Every cross-file problem of the organisation, in file order; `memo` remembers per-file results between runs
    (the records files', `records_check`) and those of the other checks while no file but records changed
    (`checks_kept`)."""
    memo = memo or Memo.in_memory()
    before, after = checks_kept.findings(org, memo, lambda: _check_all_but_records(org))
    checker = Checker(org, list(before))
    check_records(checker, memo)
    return checker.found + after


def _check_all_but_records(org: Organisation) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings of every check but the records files', those made before them and those after."""
    checker = Checker(org)
    if org.org is None and not checker.is_broken("org"):
        checker.found.append(Diagnostic("org.yaml", 1, 1, "missing org.yaml: every organisation needs one "
                                        "(name, git host and repository)"))
    _check_teams(checker)
    _check_courses(checker)
    _check_roles(checker)
    check_handles(checker)
    before, checker.found = checker.found, []
    _check_requests(checker)
    check_money(checker)
    _check_rules(checker)
    _check_attendance(checker)
    check_withdrawals(checker)
    check_absences(checker)
    _check_budgets(checker)
    check_completions(checker)
    check_programs(checker)
    check_profiles(checker)
    check_vendors(checker)
    return before, checker.found


def _check_teams(c: Checker) -> None:
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
            if person.left is not None and person.start_date is not None and person.left < person.start_date:
                c.report(entry.source, ("members", index, "left"),
                         f"'{person.id}' left on {person.left.isoformat()}, before starting on "
                         f"{person.start_date.isoformat()}")
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


def _check_courses(c: Checker) -> None:
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
        if assessments.course_problem(course):
            c.report(entry.source, ("checklist_required",), assessments.course_problem(course))
    graph = {cid: [p for p in e.model.prerequisites if p in c.org.courses and p != cid]
             for cid, e in c.org.courses.items()}
    for cycle in _cycles(graph):
        entry = c.org.courses[cycle[0]]
        c.report(entry.source, ("prerequisites",),
                 f"prerequisites form a cycle: {' -> '.join(cycle + [cycle[0]])} "
                 f"(see {', '.join(c.org.courses[x].source.path for x in cycle[1:])})")


def _check_roles(c: Checker) -> None:
    for entry in c.org.roles.values():
        for index, holder in enumerate(entry.model.holders):
            c.person(entry.source, ("holders", index), holder, "role holder")
        for index, team in enumerate(entry.model.scope):
            c.team(entry.source, ("scope", index), team)


def _check_requests(c: Checker) -> None:
    org = c.org
    requests_here: set[tuple[str, str, str]] = set()
    for entry in org.requests:
        requests_here.add((entry.ids["team"], entry.ids["person"], entry.id))
        request = entry.model
        check_file_owner(c, entry, request.person, "request")
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


def _check_rules(c: Checker) -> None:
    for entry in c.org.rules.values():
        rule = entry.model
        for index, course in enumerate(rule.courses):
            check_course_ref(c, entry.source, ("courses", index), course)
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
            check_course_ref(c, entry.source, ("assignments", index, "course"), assignment.course)
            person = assignment.person
            if person != "all" and c.person(entry.source, ("assignments", index, "person"), person):
                member = c.org.members[person]
                if member.team not in subtree:
                    c.report(entry.source, ("assignments", index, "person"),
                             f"'{person}' is in team '{member.team}' ({c.place(member.source, member.loc)}), "
                             f"outside team '{team_id}'")


def _check_attendance(c: Checker) -> None:
    for entry in c.org.attendance:
        course = entry.ids["course"]
        if not c.course(entry.source, (), course) or not c.session(entry.source, (), course, entry.id):
            continue
        for index, person in enumerate(entry.model.attended):
            c.person(entry.source, ("attended", index), person)


def _check_budgets(c: Checker) -> None:
    for entry in c.org.budgets.values():
        for team in entry.model.root:
            if team not in c.org.teams and not c.is_broken("team", team):
                c.report(entry.source, (team,), f"unknown team '{team}': there is no teams/{team}/team.yaml", key=True)


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
