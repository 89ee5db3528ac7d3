"""Skills with levels (docs/learning-paths.md): what each person can do, derived from their records, and the gaps
against the targets of their function profile (`profiles/<profile>.yaml`).

A person holds a skill at the highest level any course they hold a valid completion of grants it (`skills:` of the
course; a plain name is level 1). Their targets are those of the profile their `profile` field names (none when
there is no such file). A gap is a target skill held below its level (or not at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model.diagnostics import warning
from ..model.organisation import Organisation
from .engine import Engine
from .programs import valid_completions
from .references import Checker


@dataclass(frozen=True)
class Gap:
    skill: str
    level: int  # held now (0: not at all)
    target: int


@dataclass(frozen=True)
class SkillSummary:
    """One person's skills: held levels, their profile's targets, and the gaps between."""

    person: str
    profile: str | None
    levels: dict[str, int] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=dict)

    @property
    def gaps(self) -> list[Gap]:
        return [Gap(skill, self.levels.get(skill, 0), target) for skill, target in self.targets.items()
                if self.levels.get(skill, 0) < target]

    def as_json(self) -> dict:
        return {"person": self.person, "profile": self.profile, "skills": dict(sorted(self.levels.items())),
                "targets": dict(self.targets),
                "gaps": [{"skill": g.skill, "level": g.level, "target": g.target} for g in self.gaps]}


def course_levels(org: Organisation) -> dict[str, dict[str, int]]:
    """course → skill → level it grants (courses without skills left out)."""
    return {course: entry.model.skill_levels for course, entry in org.courses.items() if entry.model.skills}


def levels_from(valid: dict[str, date], granted: dict[str, dict[str, int]]) -> dict[str, int]:
    """The skill levels that the courses in `valid` grant: for each skill, the highest."""
    levels: dict[str, int] = {}
    for course in valid:
        for skill, level in granted.get(course, {}).items():
            if level > levels.get(skill, 0):
                levels[skill] = level
    return levels


def targets_of(org: Organisation, person: str) -> tuple[str | None, dict[str, int]]:
    """The person's profile and its skill targets ({} when the profile has no file)."""
    member = org.members.get(person)
    profile = member.person.profile if member else None
    entry = org.profiles.get(profile) if profile else None
    return profile, dict(entry.model.skills) if entry else {}


def skill_summaries(engine: Engine, people: set[str] | None = None) -> dict[str, SkillSummary]:
    """person → their skills and gaps as of the engine's date, for `people` (None: everyone present)."""
    org = engine.org
    wanted = set(org.present(engine.as_of)) if people is None else people
    valid = valid_completions(engine, wanted)
    granted = course_levels(org)
    result = {}
    for person in sorted(wanted):
        if person not in org.members:
            continue
        profile, targets = targets_of(org, person)
        result[person] = SkillSummary(person, profile, levels_from(valid.get(person, {}), granted), targets)
    return result


def closes(course_levels_: dict[str, int], gaps: list[Gap]) -> int:
    """How many of the gaps a course with these skill levels closes or narrows."""
    return sum(1 for gap in gaps if course_levels_.get(gap.skill, 0) > gap.level)


def check_profiles(c: Checker) -> None:
    """A profile's target that no course in the catalog reaches is a warning: nobody could ever meet it."""
    best: dict[str, int] = {}
    for levels in course_levels(c.org).values():
        for skill, level in levels.items():
            best[skill] = max(best.get(skill, 0), level)
    for entry in c.org.profiles.values():
        for skill, target in entry.model.skills.items():
            if best.get(skill, 0) >= target:
                continue
            reach = (f"the catalog teaches it up to level {best[skill]}" if skill in best
                     else "no course in the catalog teaches it")
            c.found.append(warning(entry.source.path, entry.source.locate(("skills", skill)),
                                   f"skill '{skill}' has target level {target}, but {reach}"))
