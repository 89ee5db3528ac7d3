"""Learning paths (`programs/<program>.yaml`, docs/learning-paths.md): their checks, who they are assigned to, and
how far each person has come.

A rule (`courses: [program:<id>]`) or a team assignment (`course: program:<id>`) assigns a program like a course:
the person is assigned each of its courses, and has a status row `program:<id>` (`program_status.py`).

The program's due date for a person
    The assigning source's own due date when it gives one (a rule's `due` or `due_days`, a team line's `due`);
    else the program's `due_days` after the later of the rule's `from` and the person's `start_date` (for a team
    assignment, after the person's `start_date`); else none.

A step is satisfied when enough of its courses (one for `{course: X}`, N for `{any: N, of: [...]}`) have a valid
completion on the as-of date: done, and not expired.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import formats as m
from ..model.learning import PROGRAM_PREFIX, program_id
from ..model.organisation import Organisation, Source
from .dates import add_days, months_later, rule_due
from .references import Checker

# --- checks ---------------------------------------------------------------------------------


def check_course_ref(c: Checker, source: Source, loc: tuple, ref: str) -> bool:
    """A rule's or team assignment's course: a course in the catalog, or `program:<id>` of a program."""
    program = program_id(ref)
    if program is None:
        return c.course(source, loc, ref)
    if program in c.org.programs:
        return True
    if not c.is_broken("program", program):
        c.report(source, loc, f"unknown program '{program}': there is no programs/{program}.yaml")
    return False


def check_programs(c: Checker) -> None:
    """Each program's steps: known courses, `any` no larger than its list, each course in one step only."""
    for entry in c.org.programs.values():
        first: dict[str, tuple] = {}
        for index, step in enumerate(entry.model.steps):
            if step.course is not None:
                places = [(step.course, ("steps", index, "course"))]
            else:
                places = [(course, ("steps", index, "of", at)) for at, course in enumerate(step.of or [])]
                if step.any is not None and step.any > len(step.of or []):
                    count = len(step.of or [])
                    c.report(entry.source, ("steps", index, "any"),
                             f"any: {step.any} is more than the {count} course{'s' * (count != 1)} this step lists")
            for course, loc in places:
                if course in first:
                    c.report(entry.source, loc, f"course '{course}' is already a step of this program, at "
                             f"{c.place(entry.source, first[course])}")
                    continue
                first[course] = loc
                c.course(entry.source, loc, course)


# --- who is assigned a program --------------------------------------------------------------


@dataclass(frozen=True)
class ProgramSource:
    """One rule or team line that assigns a program to a person."""

    order: int  # 0 rule, 1 team assignment
    name: str  # the rule id, or `team:<team>`
    due: date | None
    every_months: int | None = None
    exempt: str | None = None


def program_due(program: m.Program, own_due: date | None, anchors: list[date | None]) -> date | None:
    """The program's due date: the source's own, else `due_days` after the latest of `anchors`."""
    if own_due is not None or program.due_days is None:
        return own_due
    known = [d for d in anchors if d is not None]
    return add_days(max(known), program.due_days) if known else None


def program_sources(engine: Any, people: set[str] | None) -> dict[tuple[str, str], list[ProgramSource]]:
    """(person, program id) → every source that assigns the program to the person, for `people` (None: everyone).

    `engine` is the `Engine` (its audiences and as-of date); only the few rules and team lines that name a
    program are visited."""
    org: Organisation = engine.org
    found: dict[tuple[str, str], list[ProgramSource]] = defaultdict(list)
    if not org.programs:
        return found
    members = org.members
    for rule_id, entry in org.rules.items():
        rule = entry.model
        named = [p for p in map(program_id, rule.courses) if p in org.programs]
        if not named or not engine.rule_applies(rule):
            continue
        selected = engine.audiences.of_rule(rule)
        if people is not None:
            selected &= people
        excluded = {x.person: x.reason for x in rule.exclude}
        for person in selected:
            start = members[person].person.start_date
            own = rule_due(rule, start)
            for pid in named:
                due = program_due(org.programs[pid].model, own, [rule.from_, start])
                found[(person, pid)].append(ProgramSource(0, rule_id, due, rule.every_months, excluded.get(person)))
    for team, entry in org.team_assignments.items():
        if team not in org.teams:
            continue
        for line in entry.model.assignments:
            pid = program_id(line.course)
            if pid not in org.programs:
                continue
            selected = engine.audiences.of_assignment(team, line)
            if people is not None:
                selected &= people
            for person in selected:
                due = program_due(org.programs[pid].model, line.due, [members[person].person.start_date])
                found[(person, pid)].append(ProgramSource(1, f"team:{team}", due))
    return found


def courses_to_assign(org: Organisation, pid: str, valid: Iterable[str]) -> list[str]:
    """The program's courses a person is assigned, given the courses whose completion of theirs is `valid`: every
    course of a step, except that an `any` step already satisfied assigns only the courses that satisfied it, so
    the alternatives not chosen are no longer due."""
    valid = set(valid)
    found = []
    for step in org.programs[pid].model.steps:
        if step.course is not None:
            found.append(step.course)
            continue
        chosen = [course for course in step.of or [] if course in valid]
        found.extend(chosen if len(chosen) >= (step.any or 1) else step.of or [])
    return [course for course in found if course in org.courses]


def valid_completions(engine: Any, people: set[str] | None,
                      last: dict[tuple[str, str], date] | None = None) -> dict[str, dict[str, date]]:
    """person → course → the date of its last completion, for the completions still valid on the as-of date;
    `last`: the engine's last completions when the caller has them already (`Engine.passed`)."""
    valid_months = {course: entry.model.valid_months for course, entry in engine.org.courses.items()}
    found: dict[str, dict[str, date]] = {}
    for (person, course), on in (engine.passed(people) if last is None else last).items():
        if people is not None and person not in people:
            continue
        expires = months_later(on, valid_months.get(course))
        if expires is None or engine.as_of < expires:
            found.setdefault(person, {})[course] = on
    return found


def names_program_with(org: Organisation, refs: list[str], course: str) -> bool:
    """Whether `refs` (a rule's courses) name a program one of whose steps is `course`."""
    return any(course in org.programs[p].model.courses for p in map(program_id, refs) if p in org.programs)


# --- progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepProgress:
    """One step of a program for one person."""

    number: int  # 1-based
    courses: tuple[str, ...]
    needs: int
    done: tuple[str, ...]  # its courses with a valid completion, in the step's order
    satisfied_on: date | None  # when it became satisfied (None: not satisfied)

    @property
    def satisfied(self) -> bool:
        return self.satisfied_on is not None


@dataclass(frozen=True)
class Progress:
    """How far one person has come through one program."""

    program: str
    title: str
    steps: tuple[StepProgress, ...]

    @property
    def done(self) -> int:
        return sum(step.satisfied for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def next_step(self) -> StepProgress | None:
        """The first step not yet satisfied: what comes next."""
        return next((step for step in self.steps if not step.satisfied), None)

    @property
    def completed_on(self) -> date | None:
        return max(step.satisfied_on for step in self.steps) if self.complete else None  # type: ignore[type-var]

    @property
    def ref(self) -> str:
        return PROGRAM_PREFIX + self.program


def progress(pid: str, program: m.Program, valid: dict[str, date]) -> Progress:
    """The person's progress through `program`, given `valid`: each course they hold a valid completion of, with
    its date."""
    steps = []
    for number, step in enumerate(program.steps, 1):
        done = tuple(course for course in step.courses if course in valid)
        dates = sorted(valid[course] for course in done)
        satisfied = dates[step.needs - 1] if len(dates) >= step.needs else None
        steps.append(StepProgress(number, tuple(step.courses), step.needs, done, satisfied))
    return Progress(pid, program.title, tuple(steps))


def describe_step(step: StepProgress, title: Any = None) -> str:
    """A step in words: 'k8s-fundamentals' or 'any 1 of k8s-admin, cka' (courses by `title(id)` when given)."""
    name = title or (lambda course: course)
    if len(step.courses) == 1 and step.needs == 1:
        return name(step.courses[0])
    return f"any {step.needs} of {', '.join(name(course) for course in step.courses)}"
