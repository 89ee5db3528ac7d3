"""Times `lmsgen import-hr` of a full HR export with 2% changes, in a synthetic organisation.

    python benchmarks/import_hr.py [--people 10000] [--dir /tmp/lmsgen-bench-hr-10000] [--runs 1]

The organisation is written once with `lmsgen demo` and committed on `main`. The export lists every
member as the team files have them, with 2% of the rows changed, a quarter each: joiners (new people in
existing teams), movers (to another team: their records and requests move too), leavers (`left_on`) and
changed fields (location, title). Each run is the real command line, start-up and imports included,
from a cold parse cache (as in a fresh CI clone) and then with the cache of an earlier run; the branch
it makes is deleted after each run. A cold `lmsgen check` of the same organisation is timed beside
them: the import reads and validates the organisation as check does, so the machine's load shows in both.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from timing import arguments, demo_repository, forget_cache, git, timed_lmsgen

from lmsgen.rules.policy import load_inputs

COLUMNS = ("id", "name", "email", "git", "team", "profile", "location", "start_date", "left_on", "mentor", "title")
LEFT_ON = "2026-11-30"


def write_export(root: Path, path: Path, share: float = 0.02) -> dict[str, int]:
    """The export of everyone at `root` with `share` of the rows changed; returns how many of each change."""
    org = load_inputs(root, use_cache=False).organisation
    rng = random.Random(0)
    teams = sorted(org.teams)
    managers = {entry.model.manager for entry in org.teams.values()}
    assigned = {a.person for entry in org.team_assignments.values() for a in entry.model.assignments}
    rows, counts = [], {"joiners": 0, "movers": 0, "leavers": 0, "fields": 0}
    members = [member for member in org.members.values() if member.person.left is None]
    changed = set(rng.sample(range(len(members)), int(len(members) * share)))
    for index, member in enumerate(members):
        person = member.person
        row = {"id": person.id, "name": person.name, "email": person.email or "", "git": person.git or "",
               "team": member.team, "profile": person.profile or "", "location": person.location or "",
               "start_date": person.start_date.isoformat() if person.start_date else "", "left_on": "",
               "mentor": person.mentor or "", "title": person.title or ""}
        kind = index % 4 if index in changed else None
        if kind == 0:
            rows.append({**row, "id": f"new-{person.id}", "name": f"New {person.name}", "email": "", "git": "",
                         "start_date": "2026-12-01", "mentor": ""})
            counts["joiners"] += 1
        elif kind == 1 and person.id not in managers and person.id not in assigned:
            row["team"] = rng.choice([team for team in teams if team != member.team])
            counts["movers"] += 1
        elif kind == 2 and person.id not in managers:
            row["left_on"] = LEFT_ON
            counts["leavers"] += 1
        elif kind == 3:
            row["location"], row["title"] = "remote", "Changed title"
            counts["fields"] += 1
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return counts


def main() -> None:
    parser = arguments(__doc__)
    parser.set_defaults(runs=1)
    args = parser.parse_args()
    root = args.dir or Path(f"/tmp/lmsgen-bench-hr-{args.people}")
    if not (root / ".git").exists():
        demo_repository(root, args.people)
    export = root.parent / f"{root.name}-export.csv"
    counts = write_export(root, export)

    def run(cold: bool) -> float:
        if cold:
            forget_cache(root)
        seconds = timed_lmsgen("import-hr", str(export), "--root", str(root))
        for branch in git(root, "branch", "--format=%(refname:short)", "--list", "lmsgen/import-hr-*").split():
            git(root, "branch", "-q", "-D", branch)
        return seconds

    figures = {"no cache (a fresh CI clone)": min(run(True) for _ in range(args.runs)),
               "the cache of an earlier run": min(run(False) for _ in range(args.runs))}
    said = ", ".join(f"{count} {name}" for name, count in counts.items())
    for name, seconds in figures.items():
        print(f"lmsgen import-hr, {args.people:,} people, {said}, {name}: {seconds:.2f} s")
    print(f"lmsgen check on the same organisation, no cache: {check(root):.2f} s")


def check(root: Path) -> float:
    forget_cache(root)
    return timed_lmsgen("check", "--root", str(root))


if __name__ == "__main__":
    main()
