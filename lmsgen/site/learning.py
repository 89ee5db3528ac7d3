"""What the site shows of learning depth (docs/learning-paths.md): each person's learning paths and skills on their
portal, electives ranked by the gaps they close, and on a team dashboard the paths' completion and a skills matrix.

`Learning` is built once per `SiteData` (its `learning` index) and shared by every page, so the programs' progress and
everyone's skills are computed in one pass over the records, never per page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..model.learning import PROGRAM_PREFIX
from ..rules.engine import Status, StatusRow
from ..rules.program_status import program_row, progresses
from ..rules.programs import Progress, StepProgress, describe_step
from ..rules.skills import SkillSummary, course_levels, skill_summaries

if TYPE_CHECKING:
    from .views import SiteData

MATRIX_SKILLS = 12
"""A team's skills matrix shows at most this many skills (the most targeted)."""


@dataclass(frozen=True)
class ProgramView:
    """One person's learning path on their portal: the row, how far they are, what comes next."""

    progress: Progress
    row: StatusRow
    next_text: str | None
    """The first unsatisfied step in words, with course titles; None when every step is done."""

    @property
    def percent(self) -> int:
        return round(100 * self.progress.done / self.progress.total) if self.progress.total else 100


@dataclass(frozen=True)
class ProgramCompletion:
    """A learning path on a team dashboard: how many of the team's people it is assigned to completed it."""

    program: str
    title: str
    assigned: int
    completed: int
    overdue: int


@dataclass(frozen=True)
class SkillsMatrix:
    """A team's people × the skills their profiles target: (level, target) per cell, None where not targeted.

    Of teams instead of people when the subtree is large (as the completion matrix): then a cell is (people who
    meet the target, people whose profile targets the skill)."""

    skills: list[str]
    rows: list[tuple[str, str | None, str | None, tuple[tuple[int, int] | None, ...]]]
    """(label, link, profile, cells): a person (with their profile), or a team (profile None)."""
    of_teams: bool = False


class Learning:
    """The learning-depth indexes of one `SiteData`."""

    def __init__(self, data: SiteData):
        self.data = data

    @cached_property
    def programs_by_person(self) -> dict[str, list[ProgramView]]:
        data = self.data
        found: dict[str, list[ProgramView]] = defaultdict(list)
        for (person, _), (progress, assigned) in sorted(progresses(data.engine).items()):
            row = program_row(data.engine, person, progress, assigned)
            step = progress.next_step
            found[person].append(ProgramView(progress, row, self._step_text(step) if step else None))
        return dict(found)

    @cached_property
    def program_rows(self) -> list[StatusRow]:
        """Every program's status row, as the exports list them beside the courses'."""
        return [view.row for views in self.programs_by_person.values() for view in views]

    def _step_text(self, step: StepProgress) -> str:
        return describe_step(step, self.data.course_title)

    @cached_property
    def skills(self) -> dict[str, SkillSummary]:
        return skill_summaries(self.data.engine)

    @cached_property
    def _electives_by_skill(self) -> dict[str, list[tuple[int, str, int]]]:
        """skill → (rank in `popular`, elective, level it grants), the most requested first."""
        granted = course_levels(self.data.org)
        found: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        for rank, course in enumerate(self.data.popular):
            for skill, level in granted.get(course, {}).items():
                found[skill].append((rank, course, level))
        return found

    def electives(self, person: str) -> Iterator[str]:
        """Electives in the order a portal suggests them: those that close more of the person's gaps first (most
        requested first among equals), then the rest, the most requested first."""
        summary = self.skills.get(person)
        closing: dict[str, tuple[int, int]] = {}
        for gap in summary.gaps if summary else []:
            for rank, course, level in self._electives_by_skill.get(gap.skill, []):
                if level > gap.level:
                    count, _ = closing.get(course, (0, rank))
                    closing[course] = (count + 1, rank)
        yield from sorted(closing, key=lambda c: (-closing[c][0], closing[c][1]))
        yield from (course for course in self.data.popular if course not in closing)

    def closes(self, person: str, course: str) -> list[str]:
        """The gaps of the person that `course` closes or narrows (skill names), for the portal's cards."""
        summary = self.skills.get(person)
        levels = self.data.org.courses[course].model.skill_levels if course in self.data.org.courses else {}
        return [gap.skill for gap in (summary.gaps if summary else []) if levels.get(gap.skill, 0) > gap.level]

    # --- team dashboards ------------------------------------------------------------------

    def team_programs(self, people: list[str]) -> list[ProgramCompletion]:
        """Each learning path assigned to any of `people`, with how many completed it."""
        assigned: dict[str, list[ProgramView]] = defaultdict(list)
        for person in people:
            for view in self.programs_by_person.get(person, []):
                if view.row.status is not Status.EXEMPT:
                    assigned[view.progress.program].append(view)
        return [ProgramCompletion(pid, views[0].progress.title, len(views),
                                  sum(v.row.status is Status.DONE for v in views),
                                  sum(v.row.status is Status.OVERDUE for v in views))
                for pid, views in sorted(assigned.items())]

    def skills_matrix(self, people: list[str],
                      groups: list[tuple[str, str | None, list[str]]] | None = None) -> SkillsMatrix:
        """People × the skills their profiles target (the most targeted, at most `MATRIX_SKILLS`); with `groups`
        ((label, link, people) of each team), one row per group instead of per person."""
        summaries = [self.skills[p] for p in people if p in self.skills]
        counts: dict[str, int] = defaultdict(int)
        for summary in summaries:
            for skill in summary.targets:
                counts[skill] += 1
        skills = sorted(counts, key=lambda s: (-counts[s], s))[:MATRIX_SKILLS]
        skills.sort()
        rows: list = []
        if groups is not None:
            for label, link, members in groups:
                group = [self.skills[p] for p in members if p in self.skills]
                cells = []
                for skill in skills:
                    targeted = [s for s in group if skill in s.targets]
                    met = sum(1 for s in targeted if s.levels.get(skill, 0) >= s.targets[skill])
                    cells.append((met, len(targeted)) if targeted else None)
                rows.append((label, link, None, tuple(cells)))
            return SkillsMatrix(skills, rows, of_teams=True)
        for summary in summaries:
            if not summary.targets:
                continue
            cells = tuple((summary.levels.get(skill, 0), summary.targets[skill]) if skill in summary.targets
                          else None for skill in skills)
            rows.append((self.data.person_name(summary.person), f"../../people/{summary.person}/", summary.profile,
                         cells))
        return SkillsMatrix(skills, rows)


def program_title(data: SiteData, ref: str) -> str:
    """A row's course column in words: a course's title, or a learning path's."""
    if ref.startswith(PROGRAM_PREFIX):
        entry = data.org.programs.get(ref[len(PROGRAM_PREFIX):])
        return data.words.t("site.learning.path_title", title=entry.model.title) if entry else ref
    return data.course_title(ref)
