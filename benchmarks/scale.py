"""The scale figures: `check` and `build` at a size, their time and peak memory, and what the site weighs.

    python benchmarks/scale.py [--people 10000] [--dir /tmp/lmsgen-10000] [--runs 3]

Size M is 10,000 people, size L 100,000 (`--people 100000`; writing it takes minutes and 0.7 GB of YAML). The
organisation is written once with `lmsgen demo` and reused. Each figure is the best of --runs runs of the real
command line in its own process, so that its peak resident memory (`ru_maxrss` from `wait4`) is that command's
alone:

- `check`, cold: no parse cache;
- `check`, one file changed: a warm cache, and a record appended to one person's records file;
- `build`, full: a warm parse cache, every page rendered and written;
- `build` after one records file changed: there is no incremental build yet, so this is a full build again;
- the site: its size on disk, and the median size of a portal page.

With `--check-only`, only the two `check` rows are measured (`check_rows`), with the CPU time (main process and
workers) beside each. The one-file figures write into the organisation's folder (and restore the file): give a
copy as `--dir`, never a shared organisation.
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

AS_OF = "2026-11-23"


def measured(*args: str) -> tuple[float, float]:
    """Seconds and peak resident memory (GB) of one `lmsgen ARGS` in a process of its own."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "lmsgen", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: the data has warnings-as-errors; still a full run
        raise SystemExit(f"lmsgen {' '.join(args)} failed:\n{output.decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024 / 1024  # KB on Linux


def best(runs: int, prepare, *args: str) -> tuple[float, float]:
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


def size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def timed(*args: str) -> tuple[float, float, float]:
    """As `measured`, with the CPU seconds of the process and of the workers it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "lmsgen", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"lmsgen {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss / 1024 / 1024, usage.ru_utime + usage.ru_stime


def check_rows(root: Path, people: int, runs: int) -> None:
    """The two `check` rows, each the best of `runs` by time, with its CPU time (the machine is shared: compare
    those when it is busy)."""
    check = ("--root", str(root), "check")
    rows = [("check, cold", min(forget_cache(root) or timed(*check) for _ in range(runs)))]
    timed(*check)  # warm the cache for what follows
    records = one_records_file(root)
    original = records.read_text(encoding="utf-8")
    try:
        days = iter([f"2026-11-{day:02d}" for day in range(1, 23)])
        rows.append(("check, one file changed", min(append_record(records, next(days)) or timed(*check)
                                                    for _ in range(runs))))
    finally:
        records.write_text(original, encoding="utf-8")
    print(f"{people:,} people, best of {runs}, on {os.cpu_count()} cores\n")
    print(f"{'figure':<68} {'seconds':>8} {'peak GB':>8} {'CPU s':>8}")
    for name, (seconds, peak, cpu) in rows:
        print(f"{name:<68} {seconds:>8.2f} {peak:>8.2f} {cpu:>8.2f}")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--check-only", action="store_true", help="measure the two `check` rows alone")
    options = parser.parse_args()
    root = Path(options.dir or f"/tmp/lmsgen-{options.people}")
    if not (root / "org.yaml").exists():
        demo_repository(root, options.people)
    if options.check_only:
        return check_rows(root, options.people, options.runs)
    out = Path(tempfile.mkdtemp(prefix="lmsgen-scale-")) / "site"
    runs = options.runs
    rows = []

    rows.append(("check, cold", *best(runs, lambda: forget_cache(root), "--root", str(root), "check")))
    measured("--root", str(root), "check")  # warm the cache for what follows
    records = one_records_file(root)
    original = records.read_text(encoding="utf-8")
    try:
        days = iter([f"2026-11-{day:02d}" for day in range(1, 23)])
        rows.append(("check, one file changed", *best(runs, lambda: append_record(records, next(days)),
                                                       "--root", str(root), "check")))
        build = ("--root", str(root), "build", "--out", str(out), "--as-of", AS_OF)
        measured(*build)  # the parse cache of the changed file
        rows.append(("build, full", *best(runs, lambda: None, *build)))
        rows.append(("build after one records file changed (full: not incremental yet)",
                     *best(runs, lambda: append_record(records, next(days)), *build)))
    finally:
        records.write_text(original, encoding="utf-8")
    portals = [path.stat().st_size for path in (out / "people").glob("*/index.html")]
    print(f"{options.people:,} people, best of {runs}, on {os.cpu_count()} cores\n")
    print(f"{'figure':<68} {'seconds':>8} {'peak GB':>8}")
    for name, seconds, peak in rows:
        print(f"{name:<68} {seconds:>8.2f} {peak:>8.2f}")
    print(f"\nsite: {size_of(out) / 1e6:,.0f} MB; {len(portals):,} portals, median {statistics.median(portals) / 1e3:.1f} KB"
          if portals else f"\nsite: {size_of(out) / 1e6:,.0f} MB")
    shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
