"""Why a person has (or has not) a course, in plain words: the engine's decisions as `lmsgen explain` shows them.

An explanation walks every source that mentions the course (each rule that lists it, each line
of the person's team files, each of the person's requests) and says, for each, whether it
applies and why: the audience key by key, how the due date is reached, and how the last
completion decides when the course falls due again. The status itself comes from the
:class:`~lmsgen.rules.engine.Engine`, so the words cannot disagree with the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from ..messages import DEFAULT_LANGUAGE, Catalog
from ..model import formats as m
from ..model.organisation import Entry, Organisation
from .assessments import judge_import, judge_record
from .dates import lapse, months_later, rule_due
from .engine import CompletionEvent, Engine, Outcome, Source, Status, StatusRow
from .prerequisites import Prerequisites, Standing, starts_on
from .programs import names_program_with, program_sources
from .seats import find_session
from .withdrawals import Withdrawals, absences, withdrawn_on

ENGLISH = Catalog(DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class AudienceCheck:
    """One key of a rule's audience against one person."""

    key: str
    wanted: tuple[str, ...]
    matched: bool
    because: str


@dataclass(frozen=True)
class SourceExplanation:
    """One rule, team assignment or request that mentions the course, against the person."""

    source: str
    path: str
    title: str
    assigns: bool
    """Whether this source puts the course on the person's list (an exemption counts: it applies, exempting)."""
    reasons: tuple[str, ...]
    """Plain sentences: why it applies or why not."""
    audience: tuple[AudienceCheck, ...] = ()
    due: date | None = None
    due_reason: str | None = None
    renewal: str | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Explanation:
    """Everything that decides one person's status for one course."""

    person: str
    course: str
    course_title: str
    as_of: date
    row: StatusRow | None
    sources: tuple[SourceExplanation, ...]
    completions: tuple[CompletionEvent, ...]
    """Every completion of this course by this person, including those after as-of (which do not count yet)."""
    counting: CompletionEvent | None
    """The last completion on or before as-of: the one that counts."""
    validity: str
    """When the counting completion stops being valid, in words."""
    left: date | None = None
    """The day the person left, when that is on or before as-of: then nothing assigns them anything."""
    results: tuple[str | None, ...] = ()
    """Beside each completion: what its course's pass mark or checklist makes of it (None: not assessed)."""
    prerequisites: tuple[Standing, ...] = ()
    """Where the person stands with each of the course's prerequisites."""


def explain(org: Organisation, person: str, course: str, as_of: date) -> Explanation:
    """Why `person` has (or has not) `course` as of `as_of`; both must exist in the organisation."""
    return explain_course(Engine(org, as_of), person, course)


def explain_course(engine: Engine, person: str, course_id: str, text: Catalog = ENGLISH) -> Explanation:
    """Why `person` has (or has not) `course_id` as of the engine's date; both must exist in the organisation.
    The reasons are sentences of `text`'s language (the catalogs' `explain.reason.*`)."""
    org, as_of = engine.org, engine.as_of
    course = org.courses[course_id].model
    member = org.members[person]
    sources: list[SourceExplanation] = []
    events = sorted((e for e in engine.events(person, attempts=True) if e.course == course_id),
                    key=lambda e: (e.on, e.via, e.path))
    counting = next((e for e in reversed(events) if e.on <= as_of and e.result == "passed"), None)
    last = counting.on if counting else None
    for rule_id, entry in sorted(org.rules.items()):
        if course_id in entry.model.courses:
            sources.append(_explain_rule(engine, rule_id, entry, person, course, last, text))
        elif names_program_with(org, entry.model.courses, course_id):  # through a learning path
            sources.append(_through_program(_explain_rule(engine, rule_id, entry, person, course, last, text),
                                            engine, person, course_id, course, last, entry.model.courses, text))
    covering = {member.team, *org.ancestors(member.team)}  # only these teams' files can assign to the person
    for team, entry in sorted(org.team_assignments.items()):
        if team not in covering:
            continue
        for line in entry.model.assignments:
            if line.course == course_id and (line.person in ("all", person)):
                sources.append(_explain_team_line(engine, team, entry.source.path, line, person, course, last,
                                                  text))
            elif line.person in ("all", person) and names_program_with(org, [line.course], course_id):
                sources.append(_through_program(_explain_team_line(engine, team, entry.source.path, line, person,
                                                                   course, last, text), engine, person, course_id,
                                                course, last, [line.course], text))
    for entry in org.requests:
        if entry.model.person == person and entry.model.course == course_id:
            sources.append(_explain_request(engine, entry, course, last, text))
    rows = engine.rows([person])
    row = next((r for r in rows if r.course == course_id), None)
    left = None if member.person.is_current(as_of) else member.person.left
    return Explanation(person, course_id, course.title, as_of, row, tuple(sources), tuple(events), counting,
                       _validity(engine, course, counting, text), left, tuple(_results(org, course, events)),
                       tuple(_prerequisites(engine, person, course_id, course) if left is None else ()))


def _results(org: Organisation, course: m.Course, events: list[CompletionEvent]) -> Iterable[str | None]:
    """What the course's pass mark or checklist makes of each record or import (None: nothing to judge)."""
    wanted = {event.path for event in events}
    files = {e.source.path: e.model.records for e in org.records if e.source.path in wanted}
    batches = {e.source.path: e.model.records for e in org.completions if e.source.path in wanted}
    for event in events:
        if event.via == "record" and event.index is not None and event.path in files:
            judgement = judge_record(files[event.path][event.index], course)
        elif event.via == "import" and event.index is not None and event.path in batches:
            judgement = judge_import(batches[event.path][event.index], course)
        else:
            yield None
            continue
        unassessed = course.pass_mark is None and judgement.progress is None and judgement.counts
        yield None if unassessed else judgement.words(course)


def _prerequisites(engine: Engine, person: str, course_id: str, course: m.Course) -> list[Standing]:
    if not course.prerequisites:
        return []
    request = next((e.model for e in engine.org.requests if e.model.person == person
                    and e.model.course == course_id and e.model.date <= engine.as_of), None)
    before = starts_on(course, request.session) if request else None
    return Prerequisites(engine.org, engine.as_of, engine.passed({person})).standing(person, course_id, before)


def _through_program(found: SourceExplanation, engine: Engine, person: str, course_id: str, course: m.Course,
                     last: date | None, refs: list[str], text: Catalog) -> SourceExplanation:
    """A source that assigns the course as a step of a program (one of `refs`): the program's due date
    (rules/programs.py)."""
    programs = [ref for ref in refs if names_program_with(engine.org, [ref], course_id)]
    named = {ref.removeprefix("program:") for ref in programs}
    assigned = [s for (_, pid), sources in program_sources(engine, {person}).items() if pid in named
                for s in sources if s.name == found.source]
    reasons = (*found.reasons, text("explain.reason.through_program", programs=", ".join(programs)))
    if not found.assigns or not assigned:
        return replace(found, reasons=reasons)
    own = min(assigned, key=lambda s: (s.due is None, s.due or date.min))
    source = Source(own.order, own.name, own.due, own.every_months, own.exempt)
    due_reason = (text("explain.reason.due.program", due=own.due.isoformat()) if own.due
                  else text("explain.reason.due.none")) if own.exempt is None else None
    return replace(found, reasons=reasons, due=None if own.exempt else own.due, due_reason=due_reason,
                   renewal=None if own.exempt else _renewal(engine, course, own.every_months, own.due, last, text),
                   outcome=engine.outcome(source, course, last))


def _listing(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _audience_checks(engine: Engine, rule: m.Rule, person: str, text: Catalog = ENGLISH) -> list[AudienceCheck]:
    member = engine.org.members[person]
    who = member.person
    checks: list[AudienceCheck] = []
    wanted = rule.audience
    if wanted.teams:
        hits = [t for t in wanted.teams if member.team in engine.audiences.subtree_teams(t)]
        if hits:
            how = ", ".join(text("explain.reason.team.is" if t == member.team else "explain.reason.team.under",
                                 team=member.team, wanted=t) for t in hits)
            checks.append(AudienceCheck("teams", tuple(wanted.teams), True, text("explain.reason.team.in", how=how)))
        else:
            checks.append(AudienceCheck("teams", tuple(wanted.teams), False,
                                        text("explain.reason.team.not_in", team=member.team,
                                             wanted=_listing(wanted.teams))))
    for key, value, wanted_values in (("profiles", who.profile, wanted.profiles),
                                      ("locations", who.location, wanted.locations)):
        if not wanted_values:
            continue
        noun, listing = text(f"explain.reason.noun.{key[:-1]}"), _listing(wanted_values)
        said = "in" if value in wanted_values else "unset" if value is None else "not_in"
        checks.append(AudienceCheck(key, tuple(wanted_values), said == "in",
                                    text(f"explain.reason.value.{said}", noun=noun, value=value, wanted=listing)))
    if wanted.people:
        named = person in wanted.people
        checks.append(AudienceCheck("people", tuple(wanted.people), named,
                                    text("explain.reason.people.named" if named else "explain.reason.people.not_named",
                                         person=person, wanted=_listing(wanted.people))))
    return checks


def _due_reason(engine: Engine, rule: m.Rule, person: str, text: Catalog = ENGLISH) -> str:
    if rule.due is not None:
        return text("explain.reason.due.fixed", due=rule.due.isoformat())
    if rule.due_days is None:
        return text("explain.reason.due.neither")
    start = engine.org.members[person].person.start_date
    due = rule_due(rule, start)
    days = text("explain.reason.days.one") if rule.due_days == 1 else \
        text("explain.reason.days.other", count=rule.due_days)
    dates = {"days": days, "start_of_rule": rule.from_.isoformat() if rule.from_ else "",
             "start": start.isoformat() if start else "", "due": due.isoformat() if due else ""}
    if rule.from_ and start:
        later = text("explain.reason.later.from" if rule.from_ >= start else "explain.reason.later.start")
        return text("explain.reason.due.later", later=later, **dates)
    if rule.from_:
        return text("explain.reason.due.from", **dates)
    if start:
        return text("explain.reason.due.start", **dates)
    return text("explain.reason.due.missing")


def _renewal(engine: Engine, course: m.Course, every_months: int | None, due: date | None,
             last: date | None, text: Catalog) -> str | None:
    """How the last completion decides when the course falls due again, in words."""
    if last is None:
        return None
    expires = months_later(last, course.valid_months)
    recurs = months_later(last, every_months)
    parts = []
    if expires:
        parts.append(text("explain.reason.renewal.expires", months=course.valid_months, date=expires.isoformat()))
    if recurs:
        parts.append(text("explain.reason.renewal.recurs", months=every_months, date=recurs.isoformat()))
    if not parts:
        return text("explain.reason.renewal.stays", last=last.isoformat())
    lapses, again = lapse(last, expires, every_months, due)
    said = text("explain.reason.renewal.completed", last=last.isoformat(),
                parts=text("explain.reason.renewal.and").join(parts))
    if len(parts) == 2:
        said += text("explain.reason.renewal.earlier", date=lapses.isoformat())
    if again != lapses:
        said += text("explain.reason.renewal.own_due", date=again.isoformat())
    state = text("explain.reason.renewal.come" if engine.as_of >= lapses else "explain.reason.renewal.ahead")
    return said + text("explain.reason.renewal.as_of", as_of=engine.as_of.isoformat(), state=state)


def _explain_rule(engine: Engine, rule_id: str, entry: Entry[m.Rule], person: str, course: m.Course,
                  last: date | None, text: Catalog) -> SourceExplanation:
    rule = entry.model
    path, title = entry.source.path, rule.title
    if not engine.rule_applies(rule):
        return SourceExplanation(rule_id, path, title, False,
                                 (text("explain.reason.rule.not_yet", start_of_rule=rule.from_.isoformat(),
                                       as_of=engine.as_of.isoformat()),))
    checks = _audience_checks(engine, rule, person, text)
    failed = [c for c in checks if not c.matched]
    exclusion = next((x for x in rule.exclude if x.person == person), None)
    if failed:
        reasons = [text("explain.reason.not_in_audience", because=c.because) for c in failed]
        if exclusion:
            reasons.append(text("explain.reason.also_excluded", reason=exclusion.reason))
        return SourceExplanation(rule_id, path, title, False, tuple(reasons), tuple(checks))
    reasons = [text("explain.reason.everyone")] if not checks else \
        [text("explain.reason.in_audience", because=c.because) for c in checks]
    due = rule_due(rule, engine.org.members[person].person.start_date)
    source = Source(0, rule_id, due, rule.every_months, exclusion.reason if exclusion else None)
    if exclusion:
        # an exemption has no due date and no renewal: saying how they would be computed only confuses
        reasons.append(text("explain.reason.excluded", reason=exclusion.reason))
        return SourceExplanation(rule_id, path, title, True, tuple(reasons), tuple(checks),
                                 outcome=engine.outcome(source, course, last))
    return SourceExplanation(rule_id, path, title, True, tuple(reasons), tuple(checks), due,
                             _due_reason(engine, rule, person, text),
                             _renewal(engine, course, rule.every_months, due, last, text),
                             engine.outcome(source, course, last))


def _explain_team_line(engine: Engine, team: str, path: str, line: m.TeamAssignment, person: str,
                       course: m.Course, last: date | None, text: Catalog) -> SourceExplanation:
    name = f"team:{team}"
    title = text("explain.reason.team.title", team=team)
    manager = engine.org.teams[team].model.manager
    if person not in engine.audiences.people_in_subtree(team):
        return SourceExplanation(name, path, title, False,
                                 (text("explain.reason.team.outside", person=person, team=team),))
    if line.person == "all":
        if person == manager:
            return SourceExplanation(name, path, title, False,
                                     (text("explain.reason.team.manager", team=team, person=person),))
        reasons = (text("explain.reason.team.all", team=team, manager=manager),)
    else:
        reasons = (text("explain.reason.team.named", person=person),)
    due_reason = text("explain.reason.team.due", due=line.due.isoformat()) if line.due else \
        text("explain.reason.team.no_due")
    source = Source(1, name, line.due)
    return SourceExplanation(name, path, title, True, reasons, (), line.due, due_reason,
                             _renewal(engine, course, None, line.due, last, text), engine.outcome(source, course, last))


def _explain_request(engine: Engine, entry: Entry[m.Request], course: m.Course,
                     last: date | None, text: Catalog) -> SourceExplanation:
    request = entry.model
    name, path = f"request:{entry.id}", entry.source.path
    title = text("explain.reason.request.title", date=request.date.isoformat())
    if request.date > engine.as_of:
        return SourceExplanation(name, path, title, False,
                                 (text("explain.reason.request.future", date=request.date.isoformat(),
                                       as_of=engine.as_of.isoformat()),))
    withdrawal = Withdrawals(engine.org).of(entry)
    if withdrawal is not None and withdrawn_on(withdrawal, entry) <= engine.as_of:
        return SourceExplanation(name, path, title, False,
                                 (text("explain.reason.request.withdrawn",
                                       date=withdrawn_on(withdrawal, entry).isoformat(), path=withdrawal.source.path,
                                       reason=withdrawal.model.reason.strip()),))
    start, reasons = None, [text("explain.reason.request.approved")]
    seat, absent = Status.ENROLLED, None
    if request.session is not None:
        session = find_session(course, request.session)
        if session is None:
            return SourceExplanation(name, path, title, False,
                                     (text("explain.reason.request.no_session", session=request.session),))
        start = session.starts_on
        seat = engine.seat(entry) or Status.ENROLLED
        capacity = text("explain.reason.seats", count=session.capacity) if session.capacity else \
            text("explain.reason.seats.unlimited")
        full = "explain.reason.request.seat" if seat is Status.ENROLLED else "explain.reason.request.full"
        reasons.append(text(full, session=session.id, capacity=capacity))
        absent = absences(engine.org, engine.as_of).get((request.person, request.course, session.id))
        if absent is not None:
            reasons.append(text("explain.reason.request.absent", session=session.id, date=absent.isoformat()))
    source = Source(2, name, None, seat=seat, session_start=start, absent=absent)
    due_reason = text("explain.reason.request.starts", date=start.isoformat()) if start else \
        text("explain.reason.request.no_date")
    if absent is not None:
        start, due_reason = None, text("explain.reason.request.no_show")
    return SourceExplanation(name, path, title, True, tuple(reasons), (), start, due_reason, None,
                             engine.outcome(source, course, last))


def _validity(engine: Engine, course: m.Course, counting: CompletionEvent | None, text: Catalog) -> str:
    if counting is None:
        return text("explain.reason.validity.none")
    if counting.expires_on is None:
        return text("explain.reason.validity.forever")
    if engine.as_of >= counting.expires_on:
        return text("explain.reason.validity.expired", date=counting.expires_on.isoformat())
    return text("explain.reason.validity.valid", date=counting.expires_on.isoformat(), months=course.valid_months)
