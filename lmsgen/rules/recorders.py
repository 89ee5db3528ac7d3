"""Who may record a completion for whom: the course's `completion.by` applied to a person's relations.

A record's `by` is judged when the record is added (`check --base` and the helpers, as an error, under
the organisation the change is made on: see `history/additions.py`); a merged record keeps its
recorder through later moves and departures, so a plain check only warns.
"""

from __future__ import annotations

from ..model import formats as m
from ..model.organisation import Organisation


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


def allowed_names(org: Organisation, person: str, course: m.Course) -> str:
    """Who may record `course` for `person`, in words: `alice (manager), bob (mentor)`, or `nobody`."""
    return ", ".join(f"{who} ({why})" for who, why in allowed_completers(org, person, course).items()) or "nobody"


def recorder_problem(org: Organisation, kinds: dict[str, set[m.Completer]], person: str, course_id: str,
                     by: str) -> str | None:
    """Why `by` may not record a completion of `course_id` for `person` today, or None when they may."""
    if by not in org.members:
        return None if any(k == "team" for k, _ in org.broken) else \
            f"unknown recorder '{by}': no team file lists this person"
    course_entry = org.courses[course_id]
    course = course_entry.model
    if may_record(kinds, by, course):
        return None
    listed = ", ".join(k.value for k in course.completion.by)
    return (f"'{by}' may not record '{course_id}' for '{person}': the course allows "
            f"{listed} ({course_entry.source.place(('completion',))}), that is {allowed_names(org, person, course)}")
