"""Times the learning engine on a synthetic organisation: loading, then status, separately.

    python benchmarks/status.py [--people 10000] [--dir /tmp/m-engine] [--as-of 2026-11-23] [--runs 3]

The organisation is written once with `lmsgen demo` and reused. Loading is timed cold (no
parse cache) and warm; validation (`check`'s cross-file checks and budget warnings) and the
status computation are timed on the loaded organisation, each the best of --runs runs, and the
whole `lmsgen status --format json` command line once, start-up included.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path

from timing import arguments, forget_cache, timed_lmsgen

from lmsgen.model.loading import load_root
from lmsgen.rules.engine import Engine
from lmsgen.rules.validation import validate


def best(runs: int, action):
    """The fastest of `runs` calls of `action`, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    args = parser.parse_args()
    root = args.dir or Path("/tmp/m-engine" if args.people == 10_000 else f"/tmp/lmsgen-bench-{args.people}")
    if not (root / "org.yaml").exists():
        from lmsgen.demo.generator import write_demo

        summary = write_demo(root, args.people)
        print(f"wrote {summary.people:,} people, {summary.records:,} records, {summary.files:,} files to {root}")

    forget_cache(root)
    started = time.perf_counter()
    load_root(root)
    cold = time.perf_counter() - started
    warm, loaded = best(args.runs, lambda: load_root(root))
    checking, validated = best(args.runs, lambda: validate(loaded))
    if not validated.ok:
        raise SystemExit("the organisation has errors; run lmsgen check")
    org = validated.organisation
    # a new Engine each run, so that its indexes are built inside the timing
    computing, rows = best(args.runs, lambda: Engine(org, args.as_of).rows())
    one_person = next(iter(org.members))
    single, _ = best(args.runs, lambda: Engine(org, args.as_of).rows([one_person]))
    history, _ = best(args.runs, lambda: Engine(org, args.as_of).completions())
    command = timed_lmsgen("--root", str(root), "status", "--format", "json", "--as-of", args.as_of.isoformat())

    counts = Counter(row.status.value for row in rows)
    print(f"{len(org.members):,} people, {len(org.teams):,} teams, {len(org.courses):,} courses, "
          f"{sum(len(e.model.records) for e in org.records):,} records, {len(org.requests):,} requests, "
          f"{len(org.rules)} rules, {len(org.team_assignments)} team assignment files")
    print(f"load, cold (no cache):          {cold:6.2f} s")
    print(f"load, warm (cache):             {warm:6.2f} s")
    print(f"validate (all of check):       {checking:6.2f} s")
    print(f"status, all {len(rows):,} rows:       {computing:6.2f} s")
    print(f"status, one person:             {single:6.2f} s")
    print(f"completion history, everyone:   {history:6.2f} s")
    print(f"lmsgen status --format json:    {command:6.2f} s (whole command, warm cache)")
    print("rows by status: " + ", ".join(f"{n:,} {s}" for s, n in counts.most_common()))


if __name__ == "__main__":
    main()
