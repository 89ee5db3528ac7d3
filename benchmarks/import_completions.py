"""Times `lmsgen import-completions --xapi FILE` of 5,000 statements into a synthetic organisation.

    python benchmarks/import_completions.py [--people 10000] [--statements 5000] [--dir /tmp/lmsgen-bench-import-10000]
                                            [--runs 3]

The organisation is written once with `lmsgen demo`; 50 of its courses get an `xapi` activity id and accept imported
completions, a role grants record.import, and that is committed on `main`. The statements (JSON lines) are
completions of those courses by people picked at random, each found by e-mail; one in ten is a failed attempt. Each
figure is the best of --runs runs of the real command line, which writes the batch on a new branch (deleted before
the next run): the first run is cold (no parse cache), the others warm.
"""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

from timing import arguments, commit_on_main, forget_cache, git, timed_lmsgen

from lmsgen.demo.generator import write_demo
from lmsgen.model.loading import load_root

IMPORTED_COURSES = 50


def prepare(root: Path, people: int) -> tuple[list[str], list[str]]:
    """The organisation on `main`; returns everyone's e-mail and the activity ids of the importing courses."""
    summary = write_demo(root, people)
    print(f"wrote {summary.people:,} people, {summary.records:,} records, {summary.files:,} files to {root}")
    org = load_root(root, use_cache=False).organisation
    courses = sorted(org.courses)[:IMPORTED_COURSES]
    for course in courses:
        path = root / "catalog" / f"{course}.yaml"
        text = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("completion:"))
        path.write_text(text + f"\nxapi: https://learn.example/activities/{course}\n"
                               "completion: {by: [self, manager, import]}\n")
    admins = sorted(org.roles)[0]
    holders = org.roles[admins].model.holders
    (root / "roles" / "importers.yaml").write_text(f"name: Importers\ngrants: [record.import]\n"
                                                   f"holders: [{', '.join(holders)}]\n")
    timed_lmsgen("--root", str(root), "codeowners")
    commit_on_main(root)
    emails = sorted(member.person.email for member in org.members.values() if member.person.email)
    return emails, [f"https://learn.example/activities/{course}" for course in courses]


def statements(emails: list[str], activities: list[str], count: int, path: Path) -> None:
    """`count` statements about `activities` by people picked from `emails`, one per line."""
    rng = random.Random(0)
    with path.open("w") as out:
        for number in range(count):
            verb = "failed" if number % 10 == 0 else "completed"
            out.write(json.dumps({
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "actor": {"objectType": "Agent", "mbox": f"mailto:{rng.choice(emails)}"},
                "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                "object": {"objectType": "Activity", "id": rng.choice(activities)},
                "result": {"score": {"scaled": round(rng.random(), 2)}},
                "timestamp": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T10:00:00Z"}) + "\n")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--statements", type=int, default=5_000)
    args = parser.parse_args()
    root = args.dir or Path(f"/tmp/lmsgen-bench-import-{args.people}")
    feed = root.parent / f"{root.name}-statements.jsonl"
    if not root.exists():
        statements(*prepare(root, args.people), args.statements, feed)
    times = []
    for run in range(args.runs):
        if run == 0:
            forget_cache(root)
        times.append(timed_lmsgen("--root", str(root), "import-completions", "--xapi", str(feed)))
        for branch in git(root, "branch", "--format=%(refname:short)").split():
            if branch != "main":
                git(root, "branch", "-q", "-D", branch)
    print(f"import-completions of {args.statements:,} statements, {args.people:,} people: cold {times[0]:.2f} s, "
          f"warm {min(times[1:] or times):.2f} s")


if __name__ == "__main__":
    main()
