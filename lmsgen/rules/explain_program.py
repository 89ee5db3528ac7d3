"""Why a person has (or has not) a learning path, and how far they are through it: `lmsgen explain PERSON
program:<id>` (docs/learning-paths.md). The status comes from `program_status`, so the words cannot disagree with
the table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..messages import Catalog
from ..model import formats as m
from ..model.learning import PROGRAM_PREFIX
from ..model.organisation import Entry
from .dates import add_days
from .engine import Engine, StatusRow
from .explain import ENGLISH, SourceExplanation, _audience_checks, _due_reason
from .program_status import program_row
from .programs import ProgramSource, Progress, program_id, program_sources, progress, valid_completions


@dataclass(frozen=True)
class ProgramExplanation:
    person: str
    program: str
    title: str
    as_of: date
    row: StatusRow | None
    progress: Progress
    sources: tuple[SourceExplanation, ...]
    left: date | None = None


def explain_program(engine: Engine, person: str, pid: str, text: Catalog = ENGLISH) -> ProgramExplanation:
    """Why `person` has (or has not) program `pid` as of the engine's date; both must exist. The reasons are
    sentences of `text`'s language."""
    org = engine.org
    program = org.programs[pid].model
    member = org.members[person]
    assigned = program_sources(engine, {person}).get((person, pid), [])
    by_name = {source.name: source for source in assigned}
    found = progress(pid, program, valid_completions(engine, {person}).get(person, {}))
    sources: list[SourceExplanation] = []
    for rule_id, entry in sorted(org.rules.items()):
        if pid in map(program_id, entry.model.courses):
            sources.append(_rule(engine, rule_id, entry, person, program, by_name.get(rule_id), text))
    covering = {member.team, *org.ancestors(member.team)}
    for team, entry in sorted(org.team_assignments.items()):
        if team not in covering:
            continue
        for line in entry.model.assignments:
            if line.course == PROGRAM_PREFIX + pid and line.person in ("all", person):
                sources.append(_team_line(engine, team, entry.source.path, line, person, by_name.get(f"team:{team}"),
                                          text))
    row = program_row(engine, person, found, assigned) if assigned else None
    left = None if member.person.is_current(engine.as_of) else member.person.left
    return ProgramExplanation(person, pid, program.title, engine.as_of, row, found, tuple(sources), left)


def _program_due_reason(program: m.Program, rule: m.Rule | None, start: date | None, due: date | None,
                        text: Catalog) -> str:
    if program.due_days is None:
        return text("explain.reason.program.no_due")
    anchors = [(d, what) for d, what in ((rule.from_ if rule else None, "explain.reason.program.from"),
                                         (start, "explain.reason.later.start")) if d is not None]
    if not anchors or due is None:
        return text("explain.reason.program.no_anchor")
    day, what = max(anchors, key=lambda a: a[0])
    return text("explain.reason.program.days", days=program.due_days, anchor=text(what), date=day.isoformat(),
                due=add_days(day, program.due_days).isoformat())


def _rule(engine: Engine, rule_id: str, entry: Entry[m.Rule], person: str, program: m.Program,
          source: ProgramSource | None, text: Catalog) -> SourceExplanation:
    rule, path = entry.model, entry.source.path
    if not engine.rule_applies(rule):
        return SourceExplanation(rule_id, path, rule.title, False,
                                 (text("explain.reason.rule.not_yet", start_of_rule=rule.from_.isoformat(),
                                       as_of=engine.as_of.isoformat()),))
    checks = _audience_checks(engine, rule, person, text)
    failed = [c for c in checks if not c.matched]
    if failed or source is None:
        return SourceExplanation(rule_id, path, rule.title, False,
                                 tuple(text("explain.reason.not_in_audience", because=c.because) for c in failed),
                                 tuple(checks))
    reasons = [text("explain.reason.everyone")] if not checks else \
        [text("explain.reason.in_audience", because=c.because) for c in checks]
    if source.exempt is not None:
        reasons.append(text("explain.reason.excluded", reason=source.exempt))
        return SourceExplanation(rule_id, path, rule.title, True, tuple(reasons), tuple(checks))
    own = rule.due is not None or rule.due_days is not None
    start = engine.org.members[person].person.start_date
    reason = _due_reason(engine, rule, person, text) if own else \
        _program_due_reason(program, rule, start, source.due, text)
    return SourceExplanation(rule_id, path, rule.title, True, tuple(reasons), tuple(checks), source.due, reason)


def _team_line(engine: Engine, team: str, path: str, line: m.TeamAssignment, person: str,
               source: ProgramSource | None, text: Catalog) -> SourceExplanation:
    name, title = f"team:{team}", text("explain.reason.team.title", team=team)
    if source is None:
        manager = engine.org.teams[team].model.manager
        why = (text("explain.reason.team.manager", team=team, person=manager) if person == manager
               else text("explain.reason.team.outside", person=person, team=team))
        return SourceExplanation(name, path, title, False, (why,))
    manager = engine.org.teams[team].model.manager
    reasons = (text("explain.reason.team.named", person=person),) if line.person == person else (
        text("explain.reason.team.all", team=team, manager=manager),)
    if line.due is not None:
        reason = text("explain.reason.team.due", due=line.due.isoformat())
    else:
        program = engine.org.programs[line.course.removeprefix(PROGRAM_PREFIX)].model
        reason = _program_due_reason(program, None, engine.org.members[person].person.start_date, source.due, text)
    return SourceExplanation(name, path, title, True, reasons, (), source.due, reason)
