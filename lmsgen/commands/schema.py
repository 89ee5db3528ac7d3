"""`lmsgen schema --out DIR`: write the JSON Schema of every file kind."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.schema import write_schemas
from ..writing import Tree, anchored
from ._common import EXIT_OK, EXIT_USAGE, root_of


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("schema", help="write JSON Schemas of every file kind, for editors")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write the schemas into")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # In the organisation repository (as `schemas/` is), no link a pull request put there is followed.
    within, folder = anchored(args.out, root_of(args))
    try:
        with Tree(within) as tree:
            written = write_schemas(tree, folder)
    except OSError as problem:
        print(f"lmsgen schema: the schemas were not written to {args.out}: {problem.strerror or problem}",
              file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {len(written)} schemas to {args.out}")
    return EXIT_OK
