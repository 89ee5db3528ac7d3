"""`lmsgen status --skills`: each person's skill levels, their profile's targets and the gaps (docs/learning-paths.md)."""

from __future__ import annotations

import json
import sys
from datetime import date

from ..model.organisation import Organisation
from ..rules.engine import Engine
from ..rules.skills import SkillSummary, skill_summaries
from ._common import EXIT_OK


def write_skills(org: Organisation, as_of: date, person: str | None, team: str | None, fmt: str) -> int:
    engine = Engine(org, as_of)
    people = set(org.present(as_of))
    if person is not None:
        people &= {person}
    if team is not None:
        people &= engine.audiences.people_in_subtree(team)
    summaries = list(skill_summaries(engine, people).values())
    if fmt == "json":
        sys.stdout.write(json.dumps([s.as_json() for s in summaries], indent=2) + "\n")
    else:
        sys.stdout.write(render_skills(summaries, as_of))
    return EXIT_OK


def _levels(levels: dict[str, int]) -> str:
    return ", ".join(f"{skill} {level}" for skill, level in sorted(levels.items())) or "-"


def render_skills(summaries: list[SkillSummary], as_of: date) -> str:
    """Aligned columns: person, profile, skills held, gaps (held/target)."""
    header = ("PERSON", "PROFILE", "SKILLS", "GAPS")
    cells = [header] + [(s.person, s.profile or "-", _levels(s.levels),
                         ", ".join(f"{g.skill} {g.level}/{g.target}" for g in s.gaps) or "-") for s in summaries]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    with_gaps = sum(1 for s in summaries if s.gaps)
    lines += ["", f"{len(summaries)} {'person' if len(summaries) == 1 else 'people'} as of {as_of.isoformat()}: "
              f"{with_gaps} with gaps against their profile"]
    return "\n".join(lines) + "\n"
