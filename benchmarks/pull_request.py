"""Times `lmsgen check --base main` on a pull request that adds one record, in a synthetic organisation.

    python benchmarks/pull_request.py [--people 10000] [--dir /tmp/lmsgen-bench-pr-10000] [--runs 3]

The organisation is written once with `lmsgen demo` and committed on `main`; a branch then adds one
record (a copy of the person's last one, so that its recorder is allowed) and commits it. Two
figures, each the best of --runs runs of the real command line:

- in CI: a fresh clone has no parse cache, so both sides are read from scratch;
- on a laptop: the cache of earlier runs is there.
"""

from __future__ import annotations

from pathlib import Path

from timing import arguments, commit_on_main, forget_cache, git, timed_lmsgen

from lmsgen.demo.generator import write_demo


def prepare(root: Path, people: int) -> None:
    """The organisation on `main`, and the branch `add-record` one commit ahead with one record more."""
    summary = write_demo(root, people)
    print(f"wrote {summary.people:,} people, {summary.records:,} records, {summary.files:,} files to {root}")
    commit_on_main(root)
    git(root, "checkout", "-q", "-b", "add-record")
    files = sorted((root / "teams").glob("*/records/*.yaml"))
    records = files[len(files) // 2]
    lines = records.read_text(encoding="utf-8").splitlines()
    records.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", f"record for {records.stem}")


def main() -> None:
    parser = arguments(__doc__)
    args = parser.parse_args()
    root = args.dir or Path(f"/tmp/lmsgen-bench-pr-{args.people}")
    if not (root / ".git").exists():
        prepare(root, args.people)

    def in_ci() -> float:
        forget_cache(root)
        return timed_lmsgen("check", "--base", "main", "--root", str(root))

    figures = {
        "in CI (no cache)": min(in_ci() for _ in range(args.runs)),
        "on a laptop (cache of earlier runs)": min(timed_lmsgen("check", "--base", "main", "--root", str(root)) for _ in range(args.runs)),
    }
    for name, seconds in figures.items():
        print(f"lmsgen check --base main, {args.people:,} people, one record added, {name}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
