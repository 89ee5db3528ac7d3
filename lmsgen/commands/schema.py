"""`lmsgen schema --out DIR`: write the JSON Schema of every file kind."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.schema import write_schemas
from ._common import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("schema", help="write JSON Schemas of every file kind, for editors")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write the schemas into")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    written = write_schemas(args.out)
    print(f"wrote {len(written)} schemas to {args.out}")
    return EXIT_OK
