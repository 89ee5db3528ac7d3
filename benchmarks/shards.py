"""The site built in N shards (docs/sharding.md): each part's size, time and peak memory, and the merged site's size.

    python benchmarks/shards.py --dir /tmp/<an org clone> --shards 4 [--compare] [--secrets]

Each part is built one after the other, each in a process of its own (its peak resident memory, `ru_maxrss` from
`wait4`, is that build's alone; the portals' forked workers share its pages), into a new folder and without what
an earlier build kept (its pieces), as on a new CI runner: the parse cache and the record credits are warmed
first, as a job that restores `.git/lmsgen` has them. Then `lmsgen merge-shards` assembles the parts. With
`--compare`, one full build is made too (costly: at 100,000 people, minutes) and the merged site is compared with
it, file by file, byte for byte. `--secrets` builds with a calendar feed and a badge secret (the feeds are 2 files
a person more); without, as `benchmarks/scale.py` builds.

For each part: the groups of shared pages it holds (`lmsgen.site.shard_plan`), its portals, its size, its seconds,
CPU seconds and peak memory, and the seconds of its main stages (`BuildResult.timings`): what every part repeats
(load, audit, pieces, mkdocs) and what it divides (other, people, teams). The machine may be shared: compare the
CPU seconds.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import arguments

AS_OF = "2026-11-23"
FEED_SECRET = "a-feed-secret-of-the-shards-benchmark-0123456789"
BADGE_SECRET = "a-badge-secret-of-the-shards-benchmark-0123456789"
GROUP_FILES = {
    "public": "index.html", "directories": "people/index.html", "records.csv": "exports/records.csv",
    "status.json": "exports/status.json", "status.csv": "exports/status.csv",
    "certifications.csv": "exports/certifications.csv", "other exports": "exports/approvals.csv",
}
"""A file of each group of shared pages, which tells whether a part holds the group."""
STAGES = ("load", "audit", "pieces", "mkdocs", "other", "people", "teams", "public_wait", "exports_wait", "manifest")


def run(*args: str) -> tuple[float, float, float, str]:
    """Seconds, peak resident memory (GB), CPU seconds (the process's and its workers') and standard output of
    one `python ARGS` in a process of its own."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([sys.executable, *args], stdout=output, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        output.seek(0)
        errors.seek(0)
        text, problems = output.read().decode(errors="replace"), errors.read().decode(errors="replace")
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{problems[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024 / 1024, usage.ru_utime + usage.ru_stime, text


def one(root: str, out: str, shard: str | None, as_of: str, secrets: bool) -> None:
    """Builds one part (or the whole site, with no shard, or only warms the caches, with out ""), in this process,
    and prints its timings and counts as JSON."""
    from datetime import date

    from lmsgen.site.build import _audit, build_site
    from lmsgen.site.shards import parse

    if not out:
        from lmsgen.history.revision import validate_revision

        validate_revision(Path(root), None)
        _audit(Path(root), None)
        return
    result = build_site(Path(root), Path(out), date.fromisoformat(as_of), shard=parse(shard) if shard else None,
                        feed_secret=FEED_SECRET if secrets else None, badge_secret=BADGE_SECRET if secrets else None)
    if not result.ok:
        raise SystemExit("the organisation has errors: " + "; ".join(str(d) for d in result.diagnostics[:5]))
    print(json.dumps({"timings": result.timings, "pages": result.pages}))


def size_of(folder: Path) -> tuple[int, int]:
    """Bytes and files below `folder`."""
    total = count = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            found = os.lstat(os.path.join(directory, name))
            total, count = total + found.st_size, count + 1
    return total, count


def same_sites(one_site: Path, other: Path) -> list[str]:
    """The files that differ between two sites (or are in one alone), at most 20."""
    differ: list[str] = []

    def walk(rel: str) -> None:
        compared = filecmp.dircmp(one_site / rel, other / rel, ignore=[])
        differ.extend(f"{rel}/{name}" for name in compared.left_only + compared.right_only + compared.funny_files)
        for name in compared.common_files:
            if not filecmp.cmp(one_site / rel / name, other / rel / name, shallow=False):
                differ.append(f"{rel}/{name}")
        for name in compared.common_dirs:
            if len(differ) < 20:
                walk(f"{rel}/{name}" if rel else name)

    walk("")
    return differ[:20]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--shards", type=int, default=4, help="the number of parts N (default 4)")
    parser.add_argument("--compare", action="store_true", help="also make one full build, and compare the merged "
                        "site with it byte for byte (costly)")
    parser.add_argument("--secrets", action="store_true", help="build with a calendar feed and a badge secret")
    parser.add_argument("--as-of", default=AS_OF)
    parser.add_argument("--keep", type=Path, help="keep the parts and the sites in this folder (else a temporary one)")
    parser.add_argument("--one", nargs=3, metavar=("ROOT", "OUT", "SHARD"), help=argparse_hidden())
    options = parser.parse_args()
    if options.one:
        root, out, shard = options.one
        one(root, out, shard or None, options.as_of, options.secrets)
        return
    root = Path(options.dir or f"/tmp/lmsgen-{options.people}").resolve()
    n = options.shards
    work = options.keep or Path(tempfile.mkdtemp(prefix="lmsgen-shards-"))
    work.mkdir(parents=True, exist_ok=True)
    me = str(Path(__file__).resolve())
    flags = ["--as-of", options.as_of, *(["--secrets"] if options.secrets else [])]
    seconds, peak, cpu, _ = run(me, "--one", str(root), "", "", *flags)
    print(f"{root}: caches warmed (parse cache, record credits) in {seconds:.1f} s\n")
    rows = []
    try:
        for k in range(1, n + 1):
            out = work / f"part-{k}"
            shutil.rmtree(out, ignore_errors=True)
            seconds, peak, cpu, output = run(me, "--one", str(root), str(out), f"{k}/{n}", *flags)
            found = json.loads(output.strip().splitlines()[-1])
            size, count = size_of(out)
            held = [group for group, rel in GROUP_FILES.items() if (out / rel).exists()]
            rows.append((k, held, found["pages"].get("people", 0), size, count, seconds, cpu, peak, found["timings"]))
            print(f"part {k}/{n}: {size / 1e6:,.0f} MB, {seconds:.1f} s", flush=True)
        merged = work / "site"
        merge_s, merge_peak, merge_cpu, _ = run("-m", "lmsgen", "--root", str(root), "merge-shards",
                                                *(str(work / f"part-{k}") for k in range(1, n + 1)),
                                                "--out", str(merged))
        merged_size, merged_files = size_of(merged)
        full_row = None
        if options.compare:
            full = work / "full"
            shutil.rmtree(full, ignore_errors=True)
            seconds, peak, cpu, output = run(me, "--one", str(root), str(full), "", *flags)
            full_size, _ = size_of(full)
            full_row = (seconds, cpu, peak, full_size, json.loads(output.strip().splitlines()[-1])["timings"],
                        same_sites(merged, full))
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{root.name}: {n} shards, as of {options.as_of}, {'with' if options.secrets else 'without'} feeds, "
          f"on {os.cpu_count()} cores (shared: compare CPU seconds)\n")
    print(f"{'part':>5} {'portals':>8} {'MB':>7} {'files':>8} {'seconds':>8} {'CPU s':>7} {'peak GB':>8}  groups held")
    for k, held, portals, size, count, seconds, cpu, peak, _ in rows:
        print(f"{k:>3}/{n} {portals:>8,} {size / 1e6:>7,.0f} {count:>8,} {seconds:>8.1f} {cpu:>7.1f} {peak:>8.2f}  "
              f"{', '.join(held) or '-'}")
    print(f"\nseconds per stage ({', '.join(STAGES)}):")
    for k, *_, timings in rows:
        print(f"{k:>3}/{n} " + " ".join(f"{timings.get(stage, 0):>6.1f}" for stage in STAGES))
    print(f"\nmerged: {merged_size / 1e6:,.0f} MB, {merged_files:,} files, in {merge_s:.1f} s ({merge_cpu:.1f} CPU s, "
          f"peak {merge_peak:.2f} GB); biggest part {max(r[3] for r in rows) / 1e6:,.0f} MB, "
          f"mean {sum(r[3] for r in rows) / n / 1e6:,.0f} MB; slowest part {max(r[5] for r in rows):.1f} s")
    if full_row is not None:
        seconds, cpu, peak, full_size, timings, differ = full_row
        print(f"full build: {full_size / 1e6:,.0f} MB in {seconds:.1f} s ({cpu:.1f} CPU s, peak {peak:.2f} GB); "
              "stages " + " ".join(f"{timings.get(stage, 0):.1f}" for stage in STAGES))
        print("the merged site is the full build, byte for byte" if not differ else
              f"the merged site DIFFERS from the full build: {', '.join(differ)}")
        if differ:
            raise SystemExit(1)


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
