"""`lmsgen demo --people N --out DIR`: write a deterministic synthetic organisation."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ._common import EXIT_OK, EXIT_USAGE


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="write a synthetic organisation of N people (for trials and benchmarks)")
    parser.add_argument("--people", required=True, type=_positive, metavar="N", help="how many people")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="an empty or new folder")
    parser.add_argument("--seed", type=int, default=0, help="another seed gives another organisation (default 0)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..demo.generator import write_demo  # the generator is large; other commands need not import it

    started = time.perf_counter()
    try:
        summary = write_demo(args.out, args.people, seed=args.seed)
    except FileExistsError as problem:  # not empty, not a folder, or a link
        print(f"lmsgen demo: {problem}; choose a new folder", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {summary.people:,} people in {summary.teams:,} teams, {summary.courses:,} courses, "
          f"{summary.records:,} records and {summary.requests:,} requests ({summary.files:,} files) "
          f"to {args.out} in {time.perf_counter() - started:.1f}s")
    return EXIT_OK
