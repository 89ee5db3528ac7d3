"""Times `lmsgen audit PERSON` in a repository with a long history (10,000 commits by default).

    python benchmarks/audit.py [--commits 10000] [--people 500] [--dir /tmp/lmsgen-audit-10000] [--runs 3]

The repository is built once with `git fast-import` and reused: the first commit is a `lmsgen
demo` organisation; then every commit adds one record to someone's records file, and one change
in five arrives through a side branch merged with a merge commit, as pull requests are. Each
figure is the best of --runs runs of the real command line (start-up and imports included);
the audit of everyone at once (`audit_all`, what the portal uses) is timed in-process.
"""

from __future__ import annotations

import random
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from timing import arguments, timed_lmsgen

from lmsgen.demo.generator import write_demo
from lmsgen.history.audit import audit_all
from lmsgen.history.repository import Repository

EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: commit times start here, one minute apart


def build(root: Path, commits: int, people: int) -> str:
    """Writes the repository; returns the person the most records were added for."""
    demo = root.parent / f"{root.name}-demo"
    if not demo.exists():
        write_demo(demo, people)
    files = {path.relative_to(demo).as_posix(): path.read_bytes() for path in sorted(demo.rglob("*")) if path.is_file()}
    records = sorted(path for path in files if "/records/" in path)
    course = sorted(path for path in files if path.startswith("catalog/"))[0].split("/")[1].removesuffix(".yaml")
    rng = random.Random(0)
    out: list[bytes] = []
    mark = 0

    def commit(ref: str, message: str, changes: dict[str, bytes], parents: list[int], when: int) -> int:
        nonlocal mark
        mark += 1
        author = rng.choice(["Ana Ruiz <ana@acme.example>", "Ben Okafor <ben@acme.example>",
                             "Chloé Martin <chloe@acme.example>"])
        text = message.encode()
        out.append(f"commit {ref}\nmark :{mark}\nauthor {author} {when} +0000\ncommitter {author} {when} +0000\n"
                   f"data {len(text)}\n".encode() + text + b"\n")
        if parents:
            out.append(f"from :{parents[0]}\n".encode() + b"".join(f"merge :{p}\n".encode() for p in parents[1:]))
        for path, data in changes.items():
            out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        return mark

    tip = commit("refs/heads/main", "The organisation", files, [], EPOCH)
    counts: dict[str, int] = {}
    made = 1
    while made < commits:
        path = rng.choice(records)
        person = path.rsplit("/", 1)[1].removesuffix(".yaml")
        day = date(2026, 1, 1) + timedelta(days=made % 300)
        files[path] += f"  - {{course: {course}, date: {day.isoformat()}, by: {person}}}\n".encode()
        counts[person] = counts.get(person, 0) + 1
        when = EPOCH + 60 * made
        if made + 2 <= commits and rng.random() < 0.2:  # a pull request merged with a merge commit
            side = commit(f"refs/heads/pr-{made}", f"Record {course} for {person}", {path: files[path]}, [tip], when)
            tip = commit("refs/heads/main", f"Merge pull request #{made}", {}, [tip, side], when + 30)
            made += 2
        else:
            tip = commit("refs/heads/main", f"Record {course} for {person}", {path: files[path]}, [tip], when)
            made += 1
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(out), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    return max(counts, key=counts.__getitem__)


def main() -> None:
    parser = arguments(__doc__, people=500)
    parser.add_argument("--commits", type=int, default=10_000)
    args = parser.parse_args()
    root = args.dir or Path(f"/tmp/lmsgen-audit-{args.commits}")
    marker = root / ".git" / "lmsgen-benchmark-person"
    if not marker.exists():
        started = time.perf_counter()
        person = build(root, args.commits, args.people)
        marker.write_text(person)
        print(f"built {root} with {args.commits:,} commits in {time.perf_counter() - started:.1f} s")
    person = marker.read_text()
    count = int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True,
                               check=True).stdout)
    seconds = min(timed_lmsgen("--root", str(root), "audit", person) for _ in range(args.runs))
    with Repository(root) as repo:
        started = time.perf_counter()
        everyone = audit_all(repo)
        all_seconds = time.perf_counter() - started
    entries = sum(map(len, everyone.values()))
    mine = len(everyone.get(person, []))
    print(f"lmsgen audit {person} ({mine} entries), {count:,} commits: {seconds:.2f} s")
    print(f"audit_all (everyone: {len(everyone):,} people, {entries:,} entries), {count:,} commits: {all_seconds:.2f} s")


if __name__ == "__main__":
    main()
