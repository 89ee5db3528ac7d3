"""`lmsgen merge-shards DIR... [--out DIR]`: the parts `lmsgen build --shard K/N` made, assembled into one site
(docs/sharding.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import EXIT_OK, EXIT_USAGE, root_of


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("merge-shards", help="assemble the parts of a site that 'lmsgen build --shard K/N' "
                                                      "built, in the jobs of a CI matrix, into one site")
    parser.add_argument("parts", type=Path, nargs="+", metavar="DIR", help="the folders of the parts, all of them")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="where the site goes (default: site/ in the organisation repository)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..site.shards import MergeError, merge

    out = args.out if args.out is not None else root_of(args) / "site"
    try:
        merged = merge(root_of(args), args.parts, out)
    except MergeError as problem:
        print(f"lmsgen merge-shards: {problem}; the site in {out} was left as it was", file=sys.stderr)
        return EXIT_USAGE
    print(f"merged {merged.shards} shards ({merged.files:,} files, {merged.size / 1e6:,.1f} MB) into {merged.out} "
          f"in {merged.seconds:.1f}s", file=sys.stderr)
    return EXIT_OK
