"""What the benchmarks share: their options, a demo organisation in git, timing one run of the real `lmsgen` command
line, a cold start."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from lmsgen.cache.store import cache_home
from lmsgen.demo.generator import write_demo


def timed_lmsgen(*args: str) -> float:
    """Seconds one `lmsgen ARGS` takes as a new process, start-up and imports included; stops the benchmark
    with lmsgen's output when it fails."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "lmsgen", *args], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"lmsgen {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def demo_repository(root: Path, people: int) -> None:
    """A `lmsgen demo` organisation of `people` at `root`, committed on `main` by a benchmark identity."""
    summary = write_demo(root, people)
    print(f"wrote {summary.people:,} people, {summary.records:,} records, {summary.files:,} files to {root}")
    commit_on_main(root)


def commit_on_main(root: Path) -> None:
    """Makes `root` a git repository whose `main` holds everything in it, committed by the benchmark (whose
    identity the commands that commit use too)."""
    git(root, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Benchmark"), ("user.email", "benchmark@example.org"),
                       ("commit.gpgsign", "false")):
        git(root, "config", key, value)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "organisation")


def forget_cache(root: Path) -> None:
    """Removes what lmsgen remembers of the organisation at `root`, so that the next run starts cold."""
    home = cache_home(root)
    if home is not None:
        shutil.rmtree(home[0] / home[1], ignore_errors=True)


def arguments(description: str, *, people: int = 10_000) -> argparse.ArgumentParser:
    """The options every benchmark of a synthetic organisation takes: its size, its folder, how many runs."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=people)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    return parser
