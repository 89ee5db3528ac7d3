"""The status row of a program (`program:<id>`) for each person it is assigned to (docs/learning-paths.md).

`done` when every step is satisfied (`programs.progress`), with `completed_on` the day the last step was; else
`due`, or `overdue` after the program's due date (the earliest among the sources that assign it, which names the
source, as for a course); `exempt` when every assigning rule excludes the person. The course rows come from the
engine as before: `program_rows` only adds the programs' own rows, and `status_table` is both together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..model.learning import PROGRAM_PREFIX
from ..model.organisation import Organisation
from .engine import Engine, Status, StatusRow, selected_people
from .programs import ProgramSource, Progress, program_sources, progress, valid_completions


def progresses(engine: Engine, people: set[str] | None = None) -> dict[tuple[str, str], tuple[Progress, list]]:
    """(person, program) → (progress, its sources) for every program assigned to `people` (None: everyone)."""
    sources = program_sources(engine, people)
    if not sources:
        return {}
    valid = valid_completions(engine, {person for person, _ in sources})
    programs = engine.org.programs
    return {(person, pid): (progress(pid, programs[pid].model, valid.get(person, {})), assigned)
            for (person, pid), assigned in sources.items()}


def program_row(engine: Engine, person: str, found: Progress, assigned: list[ProgramSource]) -> StatusRow:
    """The status row of one person's program."""
    team = engine.org.members[person].team
    active = [s for s in assigned if s.exempt is None]
    if not active:
        first = min(assigned, key=lambda s: (s.order, s.name))
        return StatusRow(person, found.ref, Status.EXEMPT, None, None, None, first.name, team)
    winner = min(active, key=lambda s: (s.due is None, s.due or date.min, s.order, s.name))
    if found.complete:
        return StatusRow(person, found.ref, Status.DONE, None, found.completed_on, None, winner.name, team)
    late = winner.due is not None and engine.as_of > winner.due
    return StatusRow(person, found.ref, Status.OVERDUE if late else Status.DUE, winner.due, None, None,
                     winner.name, team)


def program_rows(engine: Engine, people: Iterable[str] | None = None) -> list[StatusRow]:
    """One row `program:<id>` per person and assigned program, sorted by person then program."""
    wanted = None if people is None else set(people)
    rows = [program_row(engine, person, found, assigned)
            for (person, _), (found, assigned) in progresses(engine, wanted).items()]
    return sorted(rows, key=lambda r: (r.person, r.course))


def with_programs(engine: Engine, rows: list[StatusRow], people: Iterable[str] | None = None) -> list[StatusRow]:
    """`rows` (the engine's course rows) with the program rows of the same people, sorted by person then course."""
    if not engine.org.programs:
        return rows
    return sorted([*rows, *program_rows(engine, people)], key=lambda r: (r.person, r.course))


def status_table(org: Organisation, as_of: date, *, person: str | None = None,
                 team: str | None = None) -> list[StatusRow]:
    """`engine.status_rows` with the program rows: what `lmsgen status` prints."""
    engine = Engine(org, as_of)
    people = selected_people(engine, person, team)
    return with_programs(engine, engine.rows(people), people)


def is_program(course: str) -> bool:
    return course.startswith(PROGRAM_PREFIX)
