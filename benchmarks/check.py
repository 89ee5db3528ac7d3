"""Times `lmsgen check` on a synthetic organisation: cold (no cache), warm, and after one file of each kind changed.

    python benchmarks/check.py [--people 10000] [--dir /tmp/lmsgen-bench-10000] [--runs 3]

The organisation is written once with `lmsgen demo` and reused. Each figure is the best of
--runs runs of the real command line, so it includes start-up and imports.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from timing import arguments, forget_cache, timed_lmsgen

from lmsgen.demo.generator import write_demo


def most_named_course(root: Path) -> str:
    """The catalog file of the course that the most records files name."""
    named = Counter(course for path in (root / "teams").glob("*/records/*.yaml")
                    for course in set(re.findall(r"course: ([a-z0-9-]+)", path.read_text(encoding="utf-8"))))
    return f"catalog/{named.most_common(1)[0][0]}.yaml"


def main() -> None:
    parser = arguments(__doc__)
    args = parser.parse_args()
    root = args.dir or Path(f"/tmp/lmsgen-bench-{args.people}")
    if not (root / "org.yaml").exists():
        summary = write_demo(root, args.people)
        print(f"wrote {summary.people:,} people, {summary.records:,} records, {summary.files:,} files to {root}")

    def cold() -> float:
        forget_cache(root)
        return timed_lmsgen("check", "--root", str(root))

    def one_file_changed(pattern: str) -> float:
        changed = next(root.glob(pattern))
        with changed.open("a") as handle:
            handle.write("# touched\n")
        return timed_lmsgen("check", "--root", str(root))

    def codeowners_then_check(pattern: str) -> float:
        with next(root.glob(pattern)).open("a") as handle:
            handle.write("# touched\n")
        timed_lmsgen("codeowners", "--root", str(root))
        return timed_lmsgen("check", "--root", str(root))

    def recorders_changed(course: Path) -> float:
        text = course.read_text(encoding="utf-8")
        match = re.search(r"^completion: \{by: \[(.*)\]\}$", text, re.MULTILINE)
        if match is None:
            raise SystemExit(f"{course} names no recorders")
        kinds = match.group(1).split(", ")
        course.write_text(text.replace(match.group(0), f"completion: {{by: [{', '.join(kinds[1:] + kinds[:1])}]}}"),
                          encoding="utf-8")
        return timed_lmsgen("check", "--root", str(root))

    popular = most_named_course(root)
    figures = {
        "cold (no cache)": min(cold() for _ in range(args.runs)),
        "warm (nothing changed)": min(timed_lmsgen("check", "--root", str(root)) for _ in range(args.runs)),
        # The usual pull request: a record added to one person's file.
        "one records file changed": min(one_file_changed("teams/*/records/*.yaml") for _ in range(args.runs)),
        "one request file changed": min(one_file_changed("teams/*/requests/*/*.yaml") for _ in range(args.runs)),
        # A team file is an input of the policy, so CODEOWNERS and its warnings are derived again.
        "one team file changed": min(one_file_changed("teams/*/team.yaml") for _ in range(args.runs)),
        # A course: the records files that name it are checked again.
        "one course file changed": min(one_file_changed("catalog/*.yaml") for _ in range(args.runs)),
        "one role file changed": min(one_file_changed("roles/*.yaml") for _ in range(args.runs)),
        # What HR does: change a team, regenerate CODEOWNERS as check asks, check again.
        "one team file changed, then lmsgen codeowners": min(codeowners_then_check("teams/*/team.yaml")
                                                              for _ in range(args.runs)),
        # The course most records name: reworded, and then who may record it changed (every records file
        # naming it is checked again).
        "the most-named course reworded": min(one_file_changed(popular) for _ in range(args.runs)),
        "who may record the most-named course changed": min(recorders_changed(root / popular)
                                                             for _ in range(args.runs)),
    }
    for name, seconds in figures.items():
        print(f"lmsgen check, {args.people:,} people, {name}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
