"""`lmsgen status --skills`: each person's skill levels, their profile's targets and the gaps (docs/learning-paths.md);
and `lmsgen status --format csv`, the table with the learning paths' rows as a spreadsheet reads it."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date

from ..model.organisation import Organisation
from ..rules.engine import Engine, StatusRow
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
    elif fmt == "csv":
        sys.stdout.write(_csv(["person", "profile", "skill", "level", "target"],
                              ([s.person, s.profile or "", skill, s.levels.get(skill, 0), s.targets.get(skill, "")]
                               for s in summaries for skill in [*s.targets, *sorted(set(s.levels) - set(s.targets))])))
    else:
        sys.stdout.write(render_skills(summaries, as_of))
    return EXIT_OK


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def status_csv(rows: list[StatusRow]) -> str:
    """The status rows as CSV: the JSON's fields, one row each (ids and dates only: nothing a spreadsheet runs)."""
    fields = ["person", "course", "status", "due", "completed_on", "expires_on", "source", "team"]
    return _csv(fields, ([row.as_json()[f] or "" for f in fields] for row in rows))


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
