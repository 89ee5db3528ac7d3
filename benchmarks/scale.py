"""The scale figures: `check` and `build` at a size, their time and peak memory, and what the site weighs.

    python benchmarks/scale.py [--people 10000] [--dir /tmp/lmsgen-10000] [--runs 3]

Size M is 10,000 people, size L 100,000 (`--people 100000`; writing it takes minutes and 0.7 GB of YAML). The
organisation is written once with `lmsgen demo` and reused. Each figure is the best of --runs runs of the real
command line in its own process, so that its peak resident memory (`ru_maxrss` from `wait4`) is that command's
alone:

- `check`, cold: no parse cache;
- `check`, one file changed: a warm cache, and a record appended to one person's records file;
- `build`, full: a warm parse cache, every page rendered and written into a new folder, with none of what an
  earlier build kept (its pieces: docs/site.md);
- `build` after one records file changed: the incremental build (docs/site.md), with how many files it wrote;
- the site: its size on disk, and the median size of a portal page.

Peak memory is the largest single process's: the portals are rendered by forked workers, whose pages
they share with the main process until they write to them.

Each row also has its CPU time (the main process's and its workers'): on a shared machine, compare those.
With `--check-only`, only the two `check` rows are measured. The one-file figures write into the organisation's
folder (and restore the file): give a copy as `--dir`, never a shared organisation.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import arguments, demo_repository, forget_cache

from lmsgen.site.pieces import PieceStore

AS_OF = "2026-11-23"


def measured(*args: str) -> tuple[float, float, float, str]:
    """Seconds, peak resident memory (GB), CPU seconds (the process's and its workers') and output of one
    `lmsgen ARGS` in a process of its own."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "lmsgen", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: the data has warnings-as-errors; still a full run
        raise SystemExit(f"lmsgen {' '.join(args)} failed:\n{output.decode(errors='replace')[-3000:]}")
    return (elapsed, usage.ru_maxrss / 1024 / 1024,  # KB on Linux
            usage.ru_utime + usage.ru_stime, output.decode(errors="replace"))


def best(runs: int, prepare, *args: str) -> tuple[float, float, float, str]:
    """The fastest of `runs` runs of `lmsgen ARGS`, each after `prepare()`."""
    results = []
    for _ in range(runs):
        prepare()
        results.append(measured(*args))
    return min(results)


def one_records_file(root: Path) -> Path:
    return next(iter(sorted(root.glob("teams/*/records/*.yaml"))))


def append_record(path: Path, day: str) -> None:
    """The file's first record again, on `day`: valid wherever the first one is."""
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("  - {course:"))
    path.write_text(text + re.sub(r"date: [0-9-]+", f"date: {day}", first) + "\n", encoding="utf-8")


def without_site(root: Path, out: Path) -> None:
    """No site at `out` and none of what the last build there kept (its pieces), as on a new CI runner; the parse
    cache stays warm."""
    shutil.rmtree(out, ignore_errors=True)
    store = PieceStore(root, out)
    if store.home is not None:
        Path(store.home, store.rel).unlink(missing_ok=True)


def size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def check_rows(root: Path, records: Path, days, runs: int) -> list[tuple[str, float, float, float, str]]:
    """The two `check` rows, each the best of `runs` by time, with its CPU time (the machine is shared: compare
    those when it is busy); `records` is the file changed, on the `days` given."""
    check = ("--root", str(root), "check")
    rows = [("check, cold", *best(runs, lambda: forget_cache(root), *check))]
    measured(*check)  # warm the cache for what follows
    rows.append(("check, one file changed", *best(runs, lambda: append_record(records, next(days)), *check)))
    return rows


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--check-only", action="store_true", help="measure the two `check` rows alone")
    options = parser.parse_args()
    root = Path(options.dir or f"/tmp/lmsgen-{options.people}")
    if not (root / "org.yaml").exists():
        demo_repository(root, options.people)
    out = Path(tempfile.mkdtemp(prefix="lmsgen-scale-")) / "site"
    runs = options.runs
    records = one_records_file(root)
    original = records.read_text(encoding="utf-8")
    try:
        days = iter([f"2026-11-{day:02d}" for day in range(1, 23)])
        rows = check_rows(root, records, days, runs)
        if not options.check_only:
            build = ("--root", str(root), "build", "--out", str(out), "--as-of", AS_OF)
            measured(*build)  # the parse cache of the changed file
            rows.append(("build, full", *best(runs, lambda: without_site(root, out), *build)))
            rows.append(("build after one records file changed (incremental)",
                         *best(runs, lambda: append_record(records, next(days)), *build)))
    finally:
        records.write_text(original, encoding="utf-8")
    print(f"{options.people:,} people, best of {runs}, on {os.cpu_count()} cores\n")
    print(f"{'figure':<56} {'seconds':>8} {'peak GB':>8} {'CPU s':>8}")
    for name, seconds, peak, cpu, _ in rows:
        print(f"{name:<56} {seconds:>8.2f} {peak:>8.2f} {cpu:>8.2f}")
    if options.check_only:
        return
    written = re.search(r"; ([0-9,]+ files written, [0-9,]+ unchanged)", rows[-1][4])
    portals = [path.stat().st_size for path in (out / "people").glob("*/index.html")]
    print(f"\nthe incremental build: {written.group(1) if written else 'no files counted'}")
    print(f"\nsite: {size_of(out) / 1e6:,.0f} MB; {len(portals):,} portals, median {statistics.median(portals) / 1e3:.1f} KB"
          if portals else f"\nsite: {size_of(out) / 1e6:,.0f} MB")
    shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
