"""`lmsgen export-xapi [--out FILE] [--lrs URL]`: a `completed` xAPI statement for every record, written as JSON
lines or posted to a learning record store (idempotently: each statement's id is derived from its record)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..model.loading import load_root
from ._common import EXIT_OK, EXIT_USAGE, root_of
from .import_completions import PASSWORD_VARIABLE, USER_VARIABLE


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export-xapi", help="a completion statement (xAPI) for every record, to a file, "
                                                     "standard output or a learning record store")
    parser.add_argument("--out", metavar="FILE", help="write the statements here, one per line (default: standard "
                                                      "output, unless --lrs)")
    parser.add_argument("--lrs", metavar="URL", help=f"post them to this LRS's xAPI endpoint; credentials from "
                                                     f"${USER_VARIABLE} and ${PASSWORD_VARIABLE}")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..integrations import completions, xapi

    statements = completions.export_statements(load_root(root_of(args)).organisation)
    lines = "".join(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n" for statement in statements)
    if args.out:
        try:
            Path(args.out).write_text(lines, encoding="utf-8")
        except OSError as problem:
            print(f"lmsgen export-xapi: {args.out}: {problem.strerror or problem}", file=sys.stderr)
            return EXIT_USAGE
    elif not args.lrs:
        sys.stdout.write(lines)
    if args.lrs:
        lrs = xapi.Lrs(args.lrs, os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE))
        try:
            stored = lrs.post(statements)
        except xapi.LrsError as problem:
            print(f"lmsgen export-xapi: {problem}", file=sys.stderr)
            return EXIT_USAGE
        print(f"Posted {len(statements)} statements to {args.lrs}: {stored} new, the rest already there.")
    return EXIT_OK
