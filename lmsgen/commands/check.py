"""`lmsgen check`: validate the organisation and report every problem."""

from __future__ import annotations

import argparse
import sys

from .. import reporting
from ..validation import validate_root
from ._common import EXIT_DATA, EXIT_OK, root_of


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("check", help="validate everything and report each problem as path:line:col")
    parser.add_argument("--format", choices=reporting.FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--no-cache", action="store_true", help="parse every file again, ignoring .lmsgen-cache")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    validated = validate_root(root_of(args), use_cache=not args.no_cache)
    diagnostics = validated.diagnostics
    sys.stdout.write(reporting.render(diagnostics, args.format))
    if args.format == "text":
        print(reporting.summary(diagnostics), file=sys.stderr)
    failed = not validated.ok or (args.strict and diagnostics)
    return EXIT_DATA if failed else EXIT_OK
