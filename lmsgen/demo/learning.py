"""Learning paths and function profiles of a synthetic organisation (docs/learning-paths.md).

Drawn from the catalog and the people without randomness of their own (so the other parts draw what they drew
before): up to two ``programs/path-<skill>.yaml`` for the skills most courses build (a first course, then any one of
the next two), each assigned by a rule ``assignments/path-<skill>.yaml`` to the most common non-manager profile,
and one ``profiles/<profile>.yaml`` per profile the people have, targeting level 1 of two skills the catalog teaches.
"""

from __future__ import annotations

from collections import Counter

from ._common import Writer, scalar
from .catalog import Catalog
from .people import People

PROGRAMS = 2


def write_learning(writer: Writer, people: People, catalog: Catalog, start: str) -> None:
    """Write the programs, the rules that assign them (in force from `start`, an ISO date) and the profiles."""
    electives_by_skill: dict[str, list[str]] = {}
    for course in catalog.courses:
        if not course.compliance:
            electives_by_skill.setdefault(course.skill, []).append(course.id)
    skills = sorted((s for s, ids in electives_by_skill.items() if len(ids) >= 3),
                    key=lambda s: (-len(electives_by_skill[s]), s))[:PROGRAMS]
    profiles = Counter(p for p in people.profile if p != "manager")
    audience = min(profiles, key=lambda p: (-profiles[p], p)) if profiles else None
    for skill in skills:
        first, *rest = electives_by_skill[skill][:3]
        writer.write(f"programs/path-{skill}.yaml",
                     f"title: {scalar(skill.replace('-', ' ').capitalize() + ' path')}\n"
                     f"steps:\n  - {{course: {first}}}\n  - {{any: 1, of: [{', '.join(rest)}]}}\n"
                     "due_days: 180\n")
        if audience is not None:
            writer.write(f"assignments/path-{skill}.yaml",
                         f"title: {scalar('Learning path: ' + skill.replace('-', ' '))}\n"
                         f"courses: [program:path-{skill}]\n"
                         f"audience: {{profiles: [{audience}]}}\n"
                         f"from: {start}\n")
    taught = sorted({course.skill for course in catalog.courses})
    for index, profile in enumerate(sorted(set(people.profile))):
        targets = [taught[(index + k) % len(taught)] for k in (0, len(taught) // 2)] if taught else []
        text = ", ".join(f"{skill}: 1" for skill in dict.fromkeys(targets))
        writer.write(f"profiles/{profile}.yaml",
                     f"title: {scalar(profile.replace('-', ' ').capitalize())}\nskills: {{{text}}}\n")
