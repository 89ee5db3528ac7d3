"""A build without `.git/lmsgen` (a new CI runner, or the first build after lmsgen is upgraded): its time and peak
memory, and those of the record credits' history walk alone (`history/credits_walk.py`).

    python benchmarks/credits.py --dir /tmp/credits-m [--commits 3000] [--runs 1] [--walk-only]

`--dir` is a copy of an organisation in git (never a shared one: the history is added to it). Unless it has one
already, `--commits` commits are added on top of its branch with `git fast-import`, as a year of work makes them:
each appends a record to someone's records file (one in ten removes one), and one change in five arrives through a
side branch merged with a merge commit, as pull requests do. Each figure is the best of --runs runs in a process of
its own (peak: its `ru_maxrss`; CPU: its own and its children's, git's included), with no cache at all:

- the record credits, walked over the whole history (`record_credits(..., use_cache=False)`), with the second
  half of the blobs read in a forked helper (`fork`, as where a core is spare) and in one process (`one`);
- `build, no cache`: `lmsgen build` into a new folder with no `.git/lmsgen` (no parse cache, no kept pieces, no
  record credits).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale import AS_OF, measured
from timing import arguments, forget_cache, git

EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z
AUTHORS = ["Ana Ruiz <ana@acme.example>", "Ben Okafor <ben@acme.example>", "Chloé Martin <chloe@acme.example>"]
MARKER = "lmsgen-benchmark-history"
WALK = """
import sys
from pathlib import Path
from lmsgen.history import credits_blobs
from lmsgen.history.record_credits import record_credits
credits_blobs.FORKED = {"fork": True, "one": False}.get(sys.argv[2])
from lmsgen.history.repository import Repository
with Repository(Path(sys.argv[1])) as repo:
    print(f"{len(record_credits(repo, use_cache=False)):,} credits")
"""


def add_history(root: Path, commits: int) -> None:
    """`commits` commits on top of the branch at `root` (see the module docstring), and the working tree reset to
    them."""
    records = sorted(path.relative_to(root).as_posix() for path in root.glob("teams/*/records/*.yaml"))
    rng = random.Random(0)
    texts: dict[str, bytes] = {}
    out: list[bytes] = []
    mark = 0

    def commit(ref: str, message: str, changes: dict[str, bytes], parents: list[str], when: int) -> str:
        nonlocal mark
        mark += 1
        author = rng.choice(AUTHORS)
        text = message.encode()
        out.append(f"commit {ref}\nmark :{mark}\nauthor {author} {when} +0000\ncommitter {author} {when} +0000\n"
                   f"data {len(text)}\n".encode() + text + b"\n")
        out.append(f"from {parents[0]}\n".encode() + b"".join(f"merge {p}\n".encode() for p in parents[1:]))
        for path, data in changes.items():
            out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        return f":{mark}"

    tip = git(root, "rev-parse", "HEAD").strip()
    made = 0
    while made < commits:
        path = rng.choice(records)
        text = texts.get(path) or (root / path).read_bytes()
        lines = text.decode().splitlines()
        first = next((line for line in lines if line.startswith("  - {course:")), None)
        if first is None:
            continue
        if rng.random() < 0.1 and len(lines) > 3:
            del lines[-1]
        else:
            day = f"2026-{1 + made % 10:02d}-{1 + made % 28:02d}"
            lines.append(re.sub(r"date: [0-9-]+", f"date: {day}", first))
        texts[path] = ("\n".join(lines) + "\n").encode()
        when = EPOCH + 60 * made
        message = f"Records of {path.rsplit('/', 1)[1].removesuffix('.yaml')}"
        if made + 2 <= commits and rng.random() < 0.2:  # a pull request merged with a merge commit
            side = commit(f"refs/heads/pr-{made}", message, {path: texts[path]}, [tip], when)
            tip = commit("refs/heads/main", f"Merge pull request #{made}", {}, [tip, side], when + 30)
            made += 2
        else:
            tip = commit("refs/heads/main", message, {path: texts[path]}, [tip], when)
            made += 1
    subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=root, input=b"".join(out), check=True)
    git(root, "checkout", "-q", "-f", "main")
    git(root, "reset", "-q", "--hard", "main")
    for ref in git(root, "for-each-ref", "--format=%(refname)", "refs/heads/pr-*").split():
        git(root, "update-ref", "-d", ref)


def walk(root: Path, helper: str) -> tuple[float, float, float, str]:
    """Seconds, peak GB, CPU seconds and output of the record credits' walk over the whole history, with a forked
    helper (`fork`), without one (`one`), or as the load average says (`auto`)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", WALK, str(root), helper], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the walk failed:\n{output.decode(errors='replace')[-3000:]}")
    return (time.perf_counter() - started, usage.ru_maxrss / 1024 / 1024, usage.ru_utime + usage.ru_stime,
            output.decode(errors="replace"))


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--commits", type=int, default=3000, help="commits added when the history has none yet")
    parser.add_argument("--walk-only", action="store_true", help="measure the record credits' walk alone")
    parser.add_argument("--helper", nargs="+", choices=["auto", "fork", "one"], default=["fork", "one"],
                        help="the walk with its forked helper, in one process, or as the load average says")
    options = parser.parse_args()
    root = options.dir
    if root is None or not (root / "org.yaml").exists():
        raise SystemExit("--dir: a copy of an organisation in git (it is given a history)")
    marker = root / ".git" / MARKER
    if not marker.exists() and options.commits:
        started = time.perf_counter()
        add_history(root, options.commits)
        marker.write_text(str(options.commits))
        print(f"added {options.commits:,} commits in {time.perf_counter() - started:.1f} s")
    count = int(git(root, "rev-list", "--count", "HEAD"))
    rows = [(f"record credits, whole history ({helper})", *min(walk(root, helper) for _ in range(options.runs)))
            for helper in options.helper]
    if not options.walk_only:
        out = Path(tempfile.mkdtemp(prefix="lmsgen-credits-")) / "site"
        build = ("--root", str(root), "build", "--out", str(out), "--as-of", AS_OF)
        results = []
        for _ in range(options.runs):
            shutil.rmtree(out, ignore_errors=True)
            forget_cache(root)
            results.append(measured(*build))
        rows.append(("build, no cache", *min(results)))
        shutil.rmtree(out.parent, ignore_errors=True)
    print(f"{count:,} commits, best of {options.runs}, on {os.cpu_count()} cores\n")
    print(f"{'figure':<44} {'seconds':>8} {'peak GB':>8} {'CPU s':>8}")
    for name, seconds, peak, cpu, _ in rows:
        print(f"{name:<44} {seconds:>8.2f} {peak:>8.2f} {cpu:>8.2f}")


if __name__ == "__main__":
    main()
